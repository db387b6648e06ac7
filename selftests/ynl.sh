#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The family through other tools than our own: the kernel's YNL CLI driven by
# uapi/edgeward.yaml, and libnl's genl-ctrl-list.

. "$(dirname "$0")/lib.sh"

ynl_dir=${YNL_DIR:-$KSFT/../../net/ynl}
schema=${YNL_SCHEMA:-$KSFT/../../../Documentation/netlink/genetlink.yaml}
spec=$top/uapi/edgeward.yaml
# Debian's python3, which has python3-yaml and python3-jsonschema.
py=/usr/bin/python3

ew_require_module
if [ ! -f "$ynl_dir/cli.py" ]; then
	ktap_skip_all "no YNL CLI at $ynl_dir (linux-source-6.12)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 7
trap ew_cg_cleanup EXIT

ynl() {
	"$py" "$ynl_dir/cli.py" --spec "$spec" --schema "$schema" --output-json "$@"
}


cg=$(ew_cg_new ynl)
id=$(stat -c %i "$cg")
"$EW_CTL" register --name ynlMod --gen-id 42 --cgroup "$cg" \
	--digest "$(printf 'ab%.0s' $(seq 1 32))" >/dev/null

out=$(ynl --dump reg-get)
echo "$out" | json "any(r['name'] == 'ynlMod' and r['cgroup-id'] == $id and r['gen-id'] == '42' for r in v)"
check "ynl --dump reg-get lists the registration" [ $? -eq 0 ]

out=$(ynl --do status-get)
echo "$out" | json "v['version'] and v['mode'] in ('off', 'audit', 'enforce') and v['reg-count'] >= 1"
check "ynl --do status-get decodes the status" [ $? -eq 0 ]

out=$(ynl --do reg-get --json "{\"cgroup-id\": $id}")
echo "$out" | json "v['name'] == 'ynlMod' and v['cgroup-id'] == $id and len(v['digest']) == 1"
check "ynl --do reg-get returns one registration" [ $? -eq 0 ]

"$EW_CTL" unregister --cgroup "$cg" >/dev/null
# A separate listener: YNL 6.12 cannot take a notification on the socket of
# a request it is waiting on. It may take seconds to start under emulation,
# so the registration is made again and again until it has listened long
# enough to have heard one.
ntf=$(mktemp)
ynl --subscribe events --sleep 12 > "$ntf" &
listener=$!
ynl --do reg-new --json "{\"cgroup-id\": $id, \"name\": \"viaYnl\", \"gen-id\": \"7\"}" >/dev/null
reg_rc=$?
while kill -0 "$listener" 2>/dev/null; do
	"$EW_CTL" unregister --cgroup-id "$id" >/dev/null &&
		"$EW_CTL" register --name viaYnl --gen-id 7 --cgroup-id "$id" >/dev/null
	sleep 1
done
wait "$listener"
[ $reg_rc -eq 0 ] && "$py" - "$ntf" <<'PY'
import json, sys
msgs = json.load(open(sys.argv[1]))
sys.exit(0 if any(m["name"] == "reg-add-ntf" and m["msg"]["name"] == "viaYnl"
                  and m["msg"]["seq"] > 0 for m in msgs) else 1)
PY
check "ynl --do reg-new registers, and --subscribe events sees reg-add-ntf" [ $? -eq 0 ]
rm -f "$ntf"

out=$(ynl --do reg-new --json "{\"cgroup-id\": $id, \"name\": \"again\", \"gen-id\": \"7\"}" 2>&1)
echo "$out" | grep -q 'already registered'
check "ynl shows the extack message of a rejected request" [ $? -eq 0 ]

ynl --do reg-del --json "{\"cgroup-id\": $id}" >/dev/null
! "$EW_CTL" list | grep -q viaYnl
check "ynl --do reg-del removes it" [ $? -eq 0 ]

out=$(genl-ctrl-list -d 2>&1)
fam=$(echo "$out" | awk '/^0x[0-9a-f]+ edgeward /,/^$/')
echo "$fam" | grep -q 'events' &&
	[ "$(echo "$fam" | grep -cE 'op ')" -eq 8 ]
check "genl-ctrl-list shows the family, its 8 operations and its group" [ $? -eq 0 ]
ktap_print_msg "$(echo "$fam" | head -20 | tr '\n' '|')"

ktap_finished

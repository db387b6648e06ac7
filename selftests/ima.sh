#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# edgeward's records in the IMA measurement log: reported as not configured
# while IMA's policy has no rule for them, then present, with their stable
# event names and their text, once the rule is loaded. IMA takes one policy
# per boot: this test loads it, so it must not have been loaded before.

. "$(dirname "$0")/lib.sh"

ima=/sys/kernel/security/ima
py=/usr/bin/python3

ew_require_module
if [ ! -w "$ima/policy" ]; then
	ktap_skip_all "no writable IMA policy (securityfs not mounted, or a policy was loaded already)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 8
trap 'ew_cg_cleanup; "$EW_CTL" mode "$mode0" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

mode0=$("$EW_CTL" mode)
tmp=$(mktemp -d)
cg=$(ew_cg_new ima)
id=$(stat -c %i "$cg")
bb=$(sha256sum /bin/busybox | cut -d' ' -f1)
cp /bin/busybox "$tmp/unlisted" && echo >> "$tmp/unlisted"
unlisted=$(sha256sum "$tmp/unlisted" | cut -d' ' -f1)

# Before the rule: a record is attempted and IMA says it has no rule.
"$EW_CTL" register --name early --gen-id 1 --cgroup "$cg" >/dev/null
"$EW_CTL" unregister --cgroup "$cg" >/dev/null
"$EW_CTL" --json status | "$py" -c 'import json,sys; sys.exit(json.load(sys.stdin)["ima"] != "not-configured")'
check "status says not-configured without an IMA rule" [ $? -eq 0 ]

echo "measure func=CRITICAL_DATA label=edgeward template=ima-buf" > "$ima/policy"
check "the IMA rule for edgeward loads" [ $? -eq 0 ]

"$EW_CTL" register --name imaMod --gen-id 7 --cgroup "$cg" --digest "$bb" >/dev/null
# Through audit, so that enforce is a change whatever the mode was.
"$EW_CTL" mode audit
"$EW_CTL" mode enforce
/bin/busybox sh -c "echo \$\$ > $cg/cgroup.procs; exec $tmp/unlisted true" 2>/dev/null
denied_rc=$?
"$EW_CTL" unregister --cgroup "$cg" >/dev/null

"$EW_CTL" --json status | "$py" -c 'import json,sys; sys.exit(json.load(sys.stdin)["ima"] != "measuring")'
check "status says measuring once records are logged" [ $? -eq 0 ]

log=$tmp/log
grep ' ima-buf .* edgeward-' "$ima/ascii_runtime_measurements" > "$log"
ktap_print_msg "$(wc -l < "$log") edgeward records in the IMA log"

# record EVENT: the decoded text of the last record of that name.
record() {
	awk -v e="$1" '$5 == e { hex = $6 } END { print hex }' "$log" | "$py" -c 'import sys; sys.stdout.write(bytes.fromhex(sys.stdin.read().strip()).decode())'
}

record edgeward-reg-add | grep -qxF "name=imaMod" &&
	record edgeward-reg-add | grep -qxF "gen_id=7" &&
	record edgeward-reg-add | grep -qxF "cgroup_id=$id" &&
	record edgeward-reg-add | grep -qxF "cgroup_path=${cg#$CGROOT}" &&
	record edgeward-reg-add | grep -qxF "digest=$bb" &&
	record edgeward-reg-add | grep -qxF "mode=inherit"
check "edgeward-reg-add records the registration" [ $? -eq 0 ]

record edgeward-mode | grep -qxF "mode=enforce"
check "edgeward-mode records the new mode" [ $? -eq 0 ]

[ "$denied_rc" -ne 0 ] && record edgeward-exec-denied | grep -qxF "digest=$unlisted" &&
	record edgeward-exec-denied | grep -qxF "path=$tmp/unlisted" &&
	record edgeward-exec-denied | grep -qxF "name=imaMod"
check "edgeward-exec-denied records the refused executable" [ $? -eq 0 ]

record edgeward-reg-del | grep -qxF "name=imaMod"
check "edgeward-reg-del records the removal" [ $? -eq 0 ]

# The log's own digest of each buffer must match the buffer (ima-buf).
"$py" - "$log" <<'PY'
import hashlib, sys
ok = True
for line in open(sys.argv[1]):
    f = line.split()
    algo, digest = f[3].split(":")
    ok &= algo == "sha256" and hashlib.sha256(bytes.fromhex(f[5])).hexdigest() == digest
sys.exit(0 if ok else 1)
PY
check "every record's digest is the SHA-256 of its buffer" [ $? -eq 0 ]

ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# edgewardctl end to end against the module: human and JSON output, every
# command, and the messages an operator gets when something is wrong.

. "$(dirname "$0")/lib.sh"

py=/usr/bin/python3
ko=${EDGEWARD_KO:-}

ew_require_module
ktap_set_plan 14
trap 'ew_cg_cleanup; "$EW_CTL" mode "$mode0" >/dev/null 2>&1' EXIT

ctl() { "$EW_CTL" "$@"; }

mode0=$(ctl mode)
cg=$(ew_cg_new ctl)
id=$(stat -c %i "$cg")
digest=$(printf 'c0%.0s' $(seq 1 32))

ctl status | grep -qE '^version: +[0-9]+\.[0-9]+\.[0-9]+$'
check "status prints the module version" [ $? -eq 0 ]

ctl --json status | json "v['mode'] in ('off','audit','enforce') and v['ima'] in ('available', 'not-configured', 'measuring') and isinstance(v['reg_count'], int)"
check "status --json is an object with named states" [ $? -eq 0 ]

out=$(ctl register --name ctlMod --gen-id 5 --cgroup "$cg" --digest "$digest")
echo "$out" | grep -qE "^cgroup id: +$id$" && echo "$out" | grep -qE '^name: +ctlMod$'
check "register by path prints the registration" [ $? -eq 0 ]

ctl list | awk -v id="$id" '$1 == id && $2 == "ctlMod" && $3 == "5" && $4 == "1" { found = 1 } END { exit !found }'
check "list shows it in the table" [ $? -eq 0 ]

ctl --json list | json "any(r['cgroup_id'] == $id and r['name'] == 'ctlMod' and r['digests'] == ['$digest'] and r['cgroup_path'] == '${cg#$CGROOT}' for r in v)"
check "list --json carries id, name, digests and path" [ $? -eq 0 ]

out=$(ctl register --name ctlMod --gen-id 5 --cgroup "$cg" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'already registered'
check "a duplicate is refused with the kernel's message, exit 1" [ $? -eq 0 ]

out=$(ctl register --name 'bad name' --gen-id 5 --cgroup "$cg" 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "invalid character ' '"
check "a bad name is a usage error, exit 2" [ $? -eq 0 ]

out=$(ctl register --name m --gen-id 5 --cgroup "$cg" --digest abcd 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -qi 'digest'
check "a short digest is a usage error, exit 2" [ $? -eq 0 ]

evlog=$(mktemp)
ctl events --count 2 --timeout 30 > "$evlog" &
ev_pid=$!
ew_wait_listening "$ev_pid" || ktap_print_msg "the event listener did not subscribe"
other=enforce; [ "$mode0" = enforce ] && other=audit
ctl mode "$other" && [ "$(ctl mode)" = "$other" ]
check "mode sets and reads back the global mode" [ $? -eq 0 ]

ctl unregister --cgroup-id "$id" && ! ctl list | grep -q ctlMod
check "unregister by id removes it" [ $? -eq 0 ]

wait "$ev_pid"
grep -qE '^seq=[0-9]+ event=mode-change mode='"$other"'$' "$evlog" &&
	grep -qE '^seq=[0-9]+ event=reg-del cgroup_id='"$id"' name=ctlMod ' "$evlog"
check "events follows the changes" [ $? -eq 0 ]
rm -f "$evlog"

out=$(ctl unregister --cgroup "$cg" 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'not registered'
check "unregistering twice says it is not registered" [ $? -eq 0 ]

out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$EW_CTL" status 2>&1)
[ $? -eq 1 ] && echo "$out" | grep -q 'permission denied: edgeward requires CAP_SYS_ADMIN'
check "a non-root caller is told it needs CAP_SYS_ADMIN" [ $? -eq 0 ]

if [ -n "$ko" ] && [ -f "$ko" ] && rmmod edgeward; then
	out=$(ctl status 2>&1)
	rc=$?
	insmod "$ko"
	[ $rc -eq 1 ] && echo "$out" | grep -q 'edgeward kernel module not loaded'
	check "without the module, status says it is not loaded" [ $? -eq 0 ]
else
	ktap_test_skip "without the module, status says it is not loaded (EDGEWARD_KO unset)"
fi

ktap_finished

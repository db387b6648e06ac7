#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Integration tests of edgewardctl's daemon commands (system status, list,
# module env, logs, check, config check) against a real edgewardd on Unix
# sockets in a scratch directory, with process modules in real cgroups, set
# up as itest/daemon.sh does. Prints TAP; ends with "ctl-daemon: N passed,
# N failed, N skipped".
#
# On the host the kernel module is usually absent: list then shows the
# daemon's modules with no verdict, and check warns about the module. With
# EW_KERNEL=1 (the module is loaded and must be used) the kernel's side is
# checked instead.
#
#   EW_BUILD   the user-space build (default: ../../build/userspace)
#   EW_KERNEL  1: the kernel module is loaded and must be used
set -u

suite=ctl-daemon
. "$(dirname "$0")/lib.sh"
ctl_bin=$build/edgewardctl
itest_setup "$ctl_bin"
write_config

# ctl ARG...: edgewardctl on this test's daemon; stdout, stderr and the exit
# status in $work/out, $work/err and $rc.
ctl() {
	ctl_plain --config "$cfg" "$@"
}
ctl_plain() {
	"$ctl_bin" "$@" > "$work/out" 2> "$work/err"
	rc=$?
}

# module NAME EXEC ARG...: creates and starts a process module.
module() {
	local name=$1 exec=$2
	shift 2
	mgmt POST /modules "$(python3 -c '
import json, sys
print(json.dumps({"name": sys.argv[1], "type": "process",
                  "config": {"settings": {"exec": sys.argv[2], "args": sys.argv[3:]}}}))' \
		"$name" "$exec" "$@")" > /dev/null
	mgmt POST "/modules/$name/start" > /dev/null
}

# wait_status NAME STATUS: until the daemon reports it (10 s at most).
wait_status() {
	local _
	for _ in $(seq 1 100); do
		mgmt GET "/modules/$1" | tail -n 1 |
			json "v['status']['runtimeStatus']['status'] == '$2'" && return 0
		sleep 0.1
	done
	return 1
}

show_fail() {
	echo "# exit $rc; stdout:"
	sed 's/^/#   /' "$work/out"
	echo "# stderr:"
	sed 's/^/#   /' "$work/err"
}

# --- setup ---------------------------------------------------------------------
start_daemon || { not_ok "edgewardd starts"; finish; }
ok "edgewardd starts"

module envmod /usr/bin/env
module sleeper /bin/sleep 300
mgmt POST /modules '{"name":"idle","type":"process","config":{"settings":{"exec":"/bin/true"}}}' > /dev/null
wait_status envmod stopped && wait_status sleeper running
check "modules envmod (exited), sleeper (running), idle (never started)" [ $? -eq 0 ]

# --- system status ----------------------------------------------------------------
version=$("$daemon" --version | awk '{ print $2 }')
ctl system status
[ $rc -eq 0 ] && grep -qx "version: *$version" "$work/out" &&
	grep -qx 'provisioning: *manual.connection_string' "$work/out" &&
	grep -qx 'modules: *3 (1 running, 2 stopped, 0 failed, 0 dead, 0 unknown)' "$work/out"
check "system status: version, provisioning, modules by status" [ $? -eq 0 ] || show_fail
if [ "$kernel" = 1 ]; then
	grep -qE '^kernel module: loaded, version [0-9.]+, mode (off|audit|enforce)$' "$work/out"
else
	grep -qx 'kernel module: not loaded' "$work/out"
fi
check "system status: the kernel module as the daemon sees it" [ $? -eq 0 ] || show_fail
ctl --json system status
json "v['version'] == '$version' and v['provisioning_type'] == 'manual.connection_string' and v['kernel_module']['loaded'] == $([ "$kernel" = 1 ] && echo True || echo False) and v['modules'] == {'total': 3, 'running': 1, 'stopped': 2, 'failed': 0, 'dead': 0, 'unknown': 0}" < "$work/out"
check "system status --json" [ $? -eq 0 ] || show_fail
ctl_plain --mgmt-socket "$msock" system status
[ $rc -eq 0 ] && grep -qx "version: *$version" "$work/out"
check "--mgmt-socket names the socket without a configuration" [ $? -eq 0 ] || show_fail

# --- list --------------------------------------------------------------------------
id_of() { mgmt GET "/modules/$1" | tail -n 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
sleeper_id=$(id_of sleeper)
envmod_id=$(id_of envmod)
ctl list
if [ "$kernel" = 1 ]; then
	awk -v id="$sleeper_id" '$1 == id && $2 == "sleeper" && $9 == "running" && $10 != "-" && $11 == "yes" { f = 1 } END { exit !f }' "$work/out"
else
	awk -v id="$sleeper_id" '$1 == id && $2 == "sleeper" && $3 == "-" && $9 == "running" && $10 == "-" && $11 == "yes" { f = 1 } END { exit !f }' "$work/out" &&
		awk -v id="$envmod_id" '$1 == id && $2 == "envmod" && $9 == "stopped" && $10 == "-" { f = 1 } END { exit !f }' "$work/out" &&
		awk '$1 == "-" && $2 == "idle" && $9 == "stopped" && $11 == "yes" { f = 1 } END { exit !f }' "$work/out" &&
		grep -qx "edgewardctl: edgeward kernel module not loaded: edgewardd's modules only" "$work/err"
fi
[ $rc -eq 0 ] && head -n 1 "$work/out" | grep -qE '^CGROUP-ID +NAME +GEN-ID +DIGESTS +MODE +PATH +SIGNERS +FLAGS +STATUS +VERDICT +MANAGED$'
check "list joins the daemon's modules (status, verdict, managed) by cgroup id" [ $? -eq 0 ] || show_fail
ctl --json list
json "len([r for r in v if r['managed']]) == 3 and all(set(r) >= {'cgroup_id', 'name', 'digests', 'cgroup_path', 'status', 'verdict', 'managed'} for r in v) and any(r['name'] == 'sleeper' and r['cgroup_id'] == $sleeper_id and r['status'] == 'running' and r['managed'] is True and ($([ "$kernel" = 1 ] && echo "r['verdict'] is not None" || echo "r['verdict'] is None and r['cgroup_path'] is None")) for r in v)" < "$work/out"
check "list --json: the kernel's fields and status, verdict, managed" [ $? -eq 0 ] || show_fail

# --- module env ----------------------------------------------------------------------
mgmt GET /modules/envmod/logs | tail -n +2 | grep '^IOTEDGE_' > "$work/env.real"
ctl module env envmod
[ $rc -eq 0 ] && [ -s "$work/env.real" ] && diff -u "$work/env.real" "$work/out" > "$work/env.diff"
check "module env prints what the module was given, line for line" [ $? -eq 0 ] ||
	{ show_fail; sed 's/^/#   /' "$work/env.diff"; }
grep -qx 'IOTEDGE_DEVICEID=gw1' "$work/out" && grep -qx 'IOTEDGE_IOTHUBHOSTNAME=hub1.azure-devices.net' "$work/out" &&
	grep -qx "IOTEDGE_WORKLOADURI=unix://$wsock" "$work/out"
check "module env: device, hub and workload socket of the configuration" [ $? -eq 0 ]
ctl --json module env envmod
python3 -c '
import json, sys
real = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]))
sys.exit(0 if json.load(open(sys.argv[2])) == real else 1)' "$work/env.real" "$work/out"
check "module env --json is the same as an object" [ $? -eq 0 ] || show_fail
ctl module env nope
[ $rc -eq 1 ] && [ ! -s "$work/out" ] && grep -qx 'edgewardctl: module nope has no identity' "$work/err"
check "module env of a module without an identity: exit 1, says so" [ $? -eq 0 ] || show_fail

# --- logs -------------------------------------------------------------------------------
ctl logs envmod
cp "$work/out" "$work/all.log"
ctl logs envmod --tail 2
[ $rc -eq 0 ] && [ "$(wc -l < "$work/all.log")" -gt 2 ] && diff -q <(tail -n 2 "$work/all.log") "$work/out" > /dev/null
check "logs --tail 2 gives the last two lines" [ $? -eq 0 ] || show_fail
ctl logs envmod --tail 1 --timestamps
[ $rc -eq 0 ] && [ "$(wc -l < "$work/out")" -eq 1 ] &&
	grep -qE "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z $(tail -n 1 "$work/all.log")\$" "$work/out"
check "logs --timestamps prefixes each line with its RFC 3339 time" [ $? -eq 0 ] || show_fail
# One executable throughout, so that the kernel's mode (in the VM) cannot
# stop a helper it runs.
module ticker /usr/bin/python3 -c \
	'import time; print("first", flush=True); time.sleep(2); print("second", flush=True); time.sleep(300)'
wait_status ticker running
"$ctl_bin" --config "$cfg" logs ticker --follow > "$work/follow" 2>&1 &
fpid=$!
sleep 1
first=$(cat "$work/follow")
sleep 2.5
second=$(cat "$work/follow")
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
[ "$first" = first ] && [ "$second" = "first"$'\n'"second" ]
check "logs --follow prints each line as it arrives" [ $? -eq 0 ] ||
	echo "# after 1 s: '$first'; after 3.5 s: '$second'"
ctl logs nope
[ $rc -eq 1 ] && grep -qx 'edgewardctl: edgewardd answered 404: module not found' "$work/err"
check "logs of an unknown module: the daemon's message, exit 1" [ $? -eq 0 ] || show_fail
ctl logs envmod --since 2262-01-01T00:00:00Z
[ $rc -eq 0 ] && [ ! -s "$work/out" ]
check "logs --since after every line: nothing" [ $? -eq 0 ] || show_fail

# --- permissions ------------------------------------------------------------------------
setpriv --reuid=65534 --regid=65534 --clear-groups "$ctl_bin" --mgmt-socket "$msock" \
	system status > "$work/out" 2> "$work/err"
rc=$?
[ $rc -eq 1 ] && grep -qx "edgewardctl: permission denied on $msock" "$work/err"
check "a caller the socket is closed to: permission denied on PATH" [ $? -eq 0 ] || show_fail

# --- check ---------------------------------------------------------------------------------
ctl check
ok_lines=$(grep -cE '^\[ ok \] (config|state-dir|keys|edge-ca|trust-bundle|workload-socket|management-socket): ' "$work/out")
[ $rc -eq 0 ] && [ "$ok_lines" -eq 7 ] && grep -q "^\[ ok \] config: $cfg is well-formed\$" "$work/out" &&
	grep -qE "^\[ ok \] edge-ca: $state/certs/edge-ca.pem is valid until " "$work/out"
check "check on a fresh state: ok for config, state, keys, CA, bundle, sockets" [ $? -eq 0 ] || show_fail
if [ "$kernel" = 1 ]; then
	grep -qE '^\[( ok |warn)\] kernel-module: loaded \(version ' "$work/out"
else
	grep -qx '\[warn\] kernel-module: not loaded (\[kernel\] required = false): edgewardd identifies callers by /proc/PID/cgroup and nothing is measured' "$work/out"
fi
check "check: the kernel module" [ $? -eq 0 ] || show_fail
! grep -q "$(base64 < "$state/keys/identity-master.key")" "$work/out"
check "check prints no key material" [ $? -eq 0 ]
ctl --json check
json "len(v) == 8 and all(set(c) == {'check', 'result', 'detail'} and c['result'] in ('ok', 'warn') for c in v)" < "$work/out"
check "check --json: {check, result, detail} each" [ $? -eq 0 ] || show_fail
chmod 0644 "$state/keys/identity-master.key"
ctl check
chmod 0600 "$state/keys/identity-master.key"
[ $rc -eq 1 ] && grep -qx "\[FAIL\] keys: $state/keys/identity-master.key has mode 0644: group or others may access it; it must be 0600" "$work/out"
check "a key file chmod 0644: FAIL, exit 1" [ $? -eq 0 ] || show_fail
ctl --json check
json "any(c['check'] == 'keys' and c['result'] == 'ok' for c in v)" < "$work/out" && [ $rc -eq 0 ]
check "back to 0600: ok again" [ $? -eq 0 ] || show_fail

# --- config check ------------------------------------------------------------------------
ctl_plain config check "$cfg"
[ $rc -eq 0 ] && [ "$(cat "$work/out")" = "$cfg: ok" ] && [ ! -s "$work/err" ]
check "config check of a good file: FILE: ok" [ $? -eq 0 ] || show_fail
printf 'hostname = "gw1"\n\n[kernel]\nmod = "enforce"\n' > "$work/bad.toml"
ctl_plain config check "$work/bad.toml"
[ $rc -eq 1 ] && [ ! -s "$work/out" ] &&
	[ "$(cat "$work/err")" = "$work/bad.toml:4:1: unknown key \"mod\" in table [kernel]" ]
check "config check of a broken file: the loader's FILE:LINE:COLUMN line, exit 1" [ $? -eq 0 ] || show_fail
ctl_plain --json config check "$work/bad.toml"
[ $rc -eq 1 ] && json "v['ok'] is False and v['error'] == '$work/bad.toml:4:1: unknown key \"mod\" in table [kernel]'" < "$work/out"
check "config check --json of a broken file" [ $? -eq 0 ] || show_fail
ctl_plain --config "$work/bad.toml" check
[ $rc -eq 1 ] && grep -qx "\[FAIL\] config: $work/bad.toml:4:1: unknown key \"mod\" in table \[kernel\] (the other checks need it)" "$work/out"
check "check with a broken configuration: FAIL" [ $? -eq 0 ] || show_fail

# --- the daemon stopped -------------------------------------------------------------------
cleanup_modules
stop_daemon
rm -f "$msock" "$wsock"
ctl system status
[ $rc -eq 1 ] && [ "$(cat "$work/err")" = "edgewardctl: edgewardd is not running (no socket at $msock)" ]
check "system status without the daemon: not running (no socket at PATH), exit 1" [ $? -eq 0 ] || show_fail
ctl module env envmod
[ $rc -eq 1 ] && grep -qx "edgewardctl: edgewardd is not running (no socket at $msock)" "$work/err"
check "module env without the daemon: exit 1" [ $? -eq 0 ] || show_fail
ctl logs envmod
[ $rc -eq 1 ] && grep -qx "edgewardctl: edgewardd is not running (no socket at $msock)" "$work/err"
check "logs without the daemon: exit 1" [ $? -eq 0 ] || show_fail
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$msock"
ctl system status
[ $rc -eq 1 ] && [ "$(cat "$work/err")" = "edgewardctl: edgewardd is not running (nothing listens on $msock)" ]
check "a socket left behind with nothing listening: not running (nothing listens on PATH)" [ $? -eq 0 ] || show_fail
rm -f "$msock"
ctl list
if [ "$kernel" = 1 ]; then
	[ $rc -eq 0 ] && grep -qx 'edgewardctl: edgewardd not reachable: kernel registrations only' "$work/err" &&
		head -n 1 "$work/out" | grep -qE '^CGROUP-ID +NAME +GEN-ID +DIGESTS +MODE +PATH +SIGNERS +FLAGS$'
	check "list without the daemon: the kernel's table as before, and a note" [ $? -eq 0 ] || show_fail
else
	[ $rc -eq 1 ] && grep -q 'edgeward kernel module not loaded' "$work/err" &&
		grep -qx "edgewardctl: edgewardd is not running (no socket at $msock)" "$work/err"
	check "list with neither daemon nor kernel module: both reasons, exit 1" [ $? -eq 0 ] || show_fail
fi
ctl check
[ $rc -eq 0 ] && grep -qx "\[warn\] management-socket: edgewardd is not running (no socket at $msock)" "$work/out" &&
	grep -qx "\[warn\] workload-socket: edgewardd is not running (no socket at $wsock)" "$work/out" &&
	grep -q '^\[ ok \] keys: ' "$work/out"
check "check without the daemon: the sockets warn, the rest still checked" [ $? -eq 0 ] || show_fail
if [ "$fail" -ne 0 ]; then
	echo "# daemon log (last 30 lines):"
	tail -30 "$work/daemon.log" | sed 's/^/#   /'
fi
finish

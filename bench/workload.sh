#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The workload API's cost, in one run:
#  - sign round trips over one keep-alive connection, made by a process
#    module (the caller is identified, its key derived, the HMAC computed),
#    against the same request to a bare libmicrohttpd echo server on the same
#    kind of socket (userspace/tools/http_echo): the floor of any HTTP
#    server. Target: our overhead (sign - echo) <= 1x the echo floor, i.e.
#    a ratio <= 2.
#  - edgewardd's resident memory with no module and with 50 process modules
#    running. Target: <= 8 MB (Azure's host daemons use about 55 MB).
# Runs on the host (root, cgroup v2) or in the VM with the module loaded.
#   make userspace bench && bench/workload.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
ub=$top/build/userspace
COUNT=${COUNT:-2000}
MODULES=${MODULES:-50}
api=2022-08-03

work=$(mktemp -d /tmp/ew-bench.XXXXXX)
chmod 0755 "$work"
cg=ew-bench-$$
dpid= epid=
cleanup() {
	[ -n "$epid" ] && kill "$epid" 2>/dev/null
	[ -n "$dpid" ] && kill "$dpid" 2>/dev/null && wait "$dpid" 2>/dev/null
	rm -rf "$work"
	mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	rmdir "$mnt/$cg/modules" "$mnt/$cg" 2>/dev/null || true
}
trap cleanup EXIT

cat > "$work/config.toml" <<EOC
[listen]
workload_uri = "unix://$work/workload.sock"
management_uri = "unix://$work/mgmt.sock"
[connect]
workload_uri = "unix://$work/workload.sock"
management_uri = "unix://$work/mgmt.sock"
[edgeward]
state_dir = "$work/state"
module_cgroup_base = "$cg"
log_level = "warn"
EOC
"$ub/edgewardd" -c "$work/config.toml" 2> "$work/daemon.log" &
dpid=$!
for _ in $(seq 1 100); do [ -S "$work/mgmt.sock" ] && break; sleep 0.1; done
mgmt() {
	curl -s --unix-socket "$work/mgmt.sock" -X "$1" ${3:+-d "$3"} \
		"http://x$2?api-version=$api"
}
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$dpid/status"; }
# Private memory: what the daemon itself adds (shared library pages are
# counted in RSS though every process mapping libcrypto shares them).
anon() { awk '/^RssAnon:/ { print $2 }' "/proc/$dpid/status"; }
rss0=$(rss) anon0=$(anon)

body='{"keyId":"primary","algo":"HMACSHA256","data":"aGVsbG8gd29ybGQ="}'
mgmt POST /modules "{\"name\":\"bench\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"$top/build/bench/http_rtt\",\"args\":[\"$work/workload.sock\",\"/modules/bench/genid/1/sign?api-version=$api\",$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))'),\"$COUNT\"]}}}" > /dev/null
mgmt POST /modules/bench/start > /dev/null
for _ in $(seq 1 600); do
	mgmt GET /modules/bench | grep -q '"status":"running"' || break
	sleep 0.1
done
sign=$(mgmt GET /modules/bench/logs)
case $sign in *status=200*) ;; *) echo "bench: sign failed: $sign" >&2; cat "$work/daemon.log" >&2; exit 1 ;; esac

"$ub/tools/http_echo" "$work/echo.sock" > /dev/null &
epid=$!
for _ in $(seq 1 100); do [ -S "$work/echo.sock" ] && break; sleep 0.1; done
echo_=$("$top/build/bench/http_rtt" "$work/echo.sock" "/modules/bench/genid/1/sign?api-version=$api" "$body" "$COUNT")

for i in $(seq 1 "$MODULES"); do
	mgmt POST /modules "{\"name\":\"m$i\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"/bin/sleep\",\"args\":[\"600\"]}}}" > /dev/null
	mgmt POST "/modules/m$i/start" > /dev/null
done
running=$(mgmt GET /modules | grep -o '"status":"running"' | wc -l)
rss50=$(rss) anon50=$(anon)

field() { echo "$1" | grep -o "$2=[0-9.]*" | cut -d= -f2; }
s_mean=$(field "$sign" mean_us) e_mean=$(field "$echo_" mean_us)
echo "echo  (floor)  $echo_"
echo "sign (module)  $sign"
awk -v s="$s_mean" -v e="$e_mean" 'BEGIN {
	printf "sign/echo round trip ratio: %.2f (overhead %.2fx the echo floor; target <= 1x)\n", s / e, (s - e) / e }'
echo "edgewardd RSS: ${rss0} kB with no module, ${rss50} kB with $running modules running (target <= 8192 kB)"
echo "edgewardd private (RssAnon): ${anon0} kB with no module, ${anon50} kB with $running modules running"

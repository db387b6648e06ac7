#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The workload API's cost, in one run:
#  - sign round trips over one keep-alive connection, made by a process
#    module (the caller is identified, its key derived, the HMAC computed),
#    against the same request to a bare libmicrohttpd echo server on the same
#    kind of socket (userspace/tools/http_echo), sent by another process
#    module: the floor of any HTTP server. Target: our overhead
#    (sign - echo) <= 1x the echo floor, i.e. a ratio <= 2.
#  - edgewardd's resident memory with no module and with 50 process modules
#    running. Target: <= 8 MB (Azure's host daemons use about 55 MB). PSS,
#    private memory and the largest mappings are printed beside it: most of
#    RSS is the file pages of shared libraries (libcrypto, and gnutls that
#    Debian's libmicrohttpd links), which every process using them shares.
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
# One CPU for the daemon, the echo server and every module (children
# inherit it): a round trip is then the two sides' work and two context
# switches, the same for both servers. Unpinned, the scheduler sometimes
# puts client and server on different CPUs, and a cross-CPU wakeup (an
# idle vCPU woken by an IPI) costs more than the whole request: the same
# echo measured 12 or 40 us from one run to the next. BENCH_CPU= unpins.
CPU=${BENCH_CPU-0}
pin=()
[ -n "$CPU" ] && pin=(taskset -c "$CPU")
"${pin[@]}" "$ub/edgewardd" -c "$work/config.toml" 2> "$work/daemon.log" &
dpid=$!
"${pin[@]}" "$ub/tools/http_echo" "$work/echo.sock" > /dev/null &
epid=$!
for _ in $(seq 1 100); do [ -S "$work/mgmt.sock" ] && [ -S "$work/echo.sock" ] && break; sleep 0.1; done
mgmt() {
	curl -s --unix-socket "$work/mgmt.sock" -X "$1" ${3:+-d "$3"} \
		"http://x$2?api-version=$api"
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }
rss0=$(kb "$dpid" VmRSS) anon0=$(kb "$dpid" RssAnon) pss0=$(pss "$dpid")

# Both clients are process modules started by the daemon (the same kind of
# caller in the same kind of cgroup), sending the same request.
body='{"keyId":"primary","algo":"HMACSHA256","data":"aGVsbG8gd29ybGQ="}'
jbody=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')
for m in echo sign; do
	sock=$work/workload.sock
	[ "$m" = echo ] && sock=$work/echo.sock
	mgmt POST /modules "{\"name\":\"$m\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"$top/build/bench/http_rtt\",\"args\":[\"$sock\",\"/modules/$m/genid/1/sign?api-version=$api\",$jbody,\"$COUNT\"]}}}" > /dev/null
done
# A run of module $1: its http_rtt line.
run() {
	mgmt POST "/modules/$1/start" > /dev/null
	for _ in $(seq 1 600); do
		mgmt GET "/modules/$1" | grep -q '"status":"running"' || break
		sleep 0.1
	done
	mgmt GET "/modules/$1/logs" | grep -o 'requests=[^"]*' | tail -1
}
field() { echo "$1" | grep -o "$2=[0-9.]*" | cut -d= -f2; }
# Alternating rounds; the median of each kind.
ROUNDS=${ROUNDS:-3}
e_means= s_means=
for _ in $(seq 1 "$ROUNDS"); do
	echo_=$(run echo)
	sign=$(run sign)
	case $sign in *status=200*) ;; *) echo "bench: sign failed: $sign" >&2; cat "$work/daemon.log" >&2; exit 1 ;; esac
	case $echo_ in *status=200*) ;; *) echo "bench: echo failed: $echo_" >&2; exit 1 ;; esac
	e_means="$e_means $(field "$echo_" mean_us)" s_means="$s_means $(field "$sign" mean_us)"
done
median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
e_mean=$(median "$e_means") s_mean=$(median "$s_means")

for i in $(seq 1 "$MODULES"); do
	mgmt POST /modules "{\"name\":\"m$i\",\"type\":\"process\",\"config\":{\"settings\":{\"exec\":\"/bin/sleep\",\"args\":[\"600\"]}}}" > /dev/null
	mgmt POST "/modules/m$i/start" > /dev/null
done
running=$(mgmt GET /modules | grep -o '"status":"running"' | wc -l)
rss50=$(kb "$dpid" VmRSS) anon50=$(kb "$dpid" RssAnon) pss50=$(pss "$dpid")
erss=$(kb "$epid" VmRSS)

echo "pinned to CPU: ${CPU:-none}; $ROUNDS rounds of $COUNT requests each"
echo "echo  (floor)  last: $echo_ (means: $e_means)"
echo "sign (module)  last: $sign (means: $s_means)"
awk -v s="$s_mean" -v e="$e_mean" 'BEGIN {
	printf "sign/echo round trip ratio: %.2f (overhead %.2fx the echo floor; target <= 1x)\n", s / e, (s - e) / e }'
echo "edgewardd RSS: ${rss0} kB with no module, ${rss50} kB with $running modules running (target <= 8192 kB)"
echo "edgewardd PSS: ${pss0} kB, ${pss50} kB; private (RssAnon): ${anon0} kB, ${anon50} kB"
echo "http_echo RSS (libmicrohttpd alone, the floor of the HTTP library): ${erss} kB"
# Where the resident pages are: the shared libraries' file pages count in
# RSS, though every process mapping the same library shares them.
echo "edgewardd resident by mapping (kB, the largest):"
awk '/^[0-9a-f]+-/ { n = $6 == "" ? "[anon]" : $6 } /^Rss:/ { r[n] += $2 }
     END { for (n in r) printf "  %6d %s\n", r[n], n }' "/proc/$dpid/smaps" | sort -rn | head -8

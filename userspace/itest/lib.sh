# SPDX-License-Identifier: GPL-2.0-only
# Shared by the daemon's integration tests: TAP counting, a scratch
# directory with its own configuration, sockets and cgroup base, a real
# edgewardd started and stopped, and the test's own view of its APIs
# (curl, independent of edgewardctl).
#
# A test sets $suite (the name of its summary line) and sources this; the
# caller's environment may set:
#   EW_BUILD   the user-space build (default: ../../build/userspace)
#   EW_KERNEL  1: the kernel module is loaded and must be used
#   EW_VALGRIND 1: edgewardd runs under valgrind; every run that ends by
#              SIGTERM must report no error and no leak (the suite's name
#              gets "-valgrind")

itest_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$itest_here/../.." && pwd)
build=${EW_BUILD:-$top/build/userspace}
daemon=$build/edgewardd
kernel=${EW_KERNEL:-0}
valgrind=${EW_VALGRIND:-0}
wrap=()
api=2022-08-03

pass=0 fail=0 skip=0 n=0
ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; }
skip() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"; }
# check DESCRIPTION COMMAND...: one result from the command's status, which
# it returns.
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; return 1; fi
}

# Whole-suite skip: nothing can run here.
skip_all() {
	echo "1..0 # SKIP $1"
	echo "$suite: 0 passed, 0 failed, 1 skipped"
	exit 0
}

# itest_setup PROGRAM...: skips unless they are built, we are root and
# cgroup v2 is mounted; makes the scratch directory.
itest_setup() {
	local f
	for f in "$daemon" "$@"; do
		[ -x "$f" ] || skip_all "$f not built"
	done
	cgmnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	if [ -z "$cgmnt" ] || [ "$(id -u)" -ne 0 ]; then
		skip_all "needs root and cgroup v2 (process modules run in cgroups)"
	fi
	if [ "$valgrind" = 1 ]; then
		suite=$suite-valgrind
		command -v valgrind > /dev/null || skip_all "valgrind not installed"
	fi
	work=$(mktemp -d "/tmp/ew-$suite.XXXXXX")
	chmod 0755 "$work"
	# Children forked to exec a module say nothing: only the daemon's runs.
	[ "$valgrind" = 1 ] && wrap=(valgrind --leak-check=full --child-silent-after-fork=yes
				     "--log-file=$work/vg.%p")
	cgbase=ew-$suite-$$
	state=$work/state
	run=$work/run
	wsock=$run/workload.sock
	msock=$run/mgmt.sock
	cfg=$work/config.toml
	dpid=
}

# write_config [LINES]: the test's config.toml; LINES go at the top level.
write_config() {
	cat > "$cfg" <<CONFIG
hostname = "gw1.example.net"
${1:-}

[provisioning]
source = "manual"
connection_string = "HostName=hub1.azure-devices.net;DeviceId=gw1;SharedAccessKey=$(head -c 32 /dev/urandom | base64)"

[connect]
workload_uri = "unix://$wsock"
management_uri = "unix://$msock"

[listen]
workload_uri = "unix://$wsock"
management_uri = "unix://$msock"

[kernel]
required = $([ "$kernel" = 1 ] && echo true || echo false)

[edgeward]
state_dir = "$state"
module_cgroup_base = "$cgbase"
log_level = "debug"
CONFIG
}

start_daemon() {
	"${wrap[@]}" "$daemon" -c "$cfg" >> "$work/daemon.log" 2>&1 &
	dpid=$!
	local _
	for _ in $(seq 1 100); do
		# Up means answering: a socket file may be a killed daemon's.
		[ -S "$msock" ] && [ "$(mgmt GET /systeminfo | head -n 1)" = 200 ] && return 0
		kill -0 "$dpid" 2>/dev/null || break
		sleep 0.1
	done
	echo "# edgewardd did not come up:"
	sed 's/^/#   /' "$work/daemon.log" | tail -20
	return 1
}

stop_daemon() {
	[ -n "$dpid" ] || return 0
	kill -TERM "$dpid" 2>/dev/null
	wait "$dpid" 2>/dev/null
	dpid=
}

# The daemon's modules (and so their cgroups) go.
cleanup_modules() {
	local m
	[ -n "$dpid" ] || return 0
	for m in $(mgmt GET /modules | tail -n 1 |
		   python3 -c 'import json,sys; print(" ".join(m["name"] for m in json.load(sys.stdin)["modules"]))' 2>/dev/null); do
		mgmt DELETE "/modules/$(urlenc "$m")" > /dev/null
	done
}

# One result for all the daemon's runs under valgrind that ended by
# SIGTERM (those killed with -9 leave no summary).
valgrind_verdict() {
	local ended bad f
	ended=$(grep -l 'ERROR SUMMARY' "$work"/vg.* 2>/dev/null | wc -l)
	bad=$(grep -lE 'ERROR SUMMARY: [1-9]|(definitely|indirectly|possibly) lost: [1-9]' \
		"$work"/vg.* 2>/dev/null)
	[ "$ended" -gt 0 ] && [ -z "$bad" ]
	check "valgrind: $ended daemon runs stopped by SIGTERM, no error and no leak" [ $? -eq 0 ]
	for f in $bad; do
		grep -v 'unhandled amd64-linux syscall\|You may be able\|README_MISSING\|Nevertheless\|bug_reports' \
			"$f" | head -80 | sed 's/^/# /'
	done
}

# finish: cleans up, prints the plan and the summary, exits.
finish() {
	cleanup_modules
	stop_daemon
	[ "$valgrind" = 1 ] && valgrind_verdict
	[ -n "${work:-}" ] && rm -rf "$work"
	rmdir "$cgmnt/$cgbase/modules" "$cgmnt/$cgbase" 2>/dev/null
	echo "1..$n"
	echo "$suite: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}

# http SOCKET METHOD PATH [BODY]: prints the status line "NNN" then the body.
http() {
	local out
	out=$(curl -s -m 30 --unix-socket "$1" -X "$2" -w '\n%{http_code}' \
		${4:+-H 'Content-Type: application/json' -d "$4"} "http://localhost$3")
	echo "${out##*$'\n'}"
	echo "${out%$'\n'*}"
}

# mgmt METHOD PATH [BODY]: the management API, api-version added.
mgmt() {
	http "$msock" "$1" "$2$([[ $2 == *\?* ]] && echo '&' || echo '?')api-version=$api" "${3:-}"
}

# workload METHOD PATH [BODY] from this (host) process, as given.
workload() {
	http "$wsock" "$@"
}

json() {
	/usr/bin/python3 -c "import json,sys; v=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"
}

urlenc() {
	python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

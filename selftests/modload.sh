#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Loads and unloads edgeward.ko 100 times with registrations present while
# another process keeps talking to it and a process of a registered cgroup
# keeps executing programs (judged, in audit mode, whenever the module is
# in); checks that every cycle succeeds, that nothing leaks, and that the
# "mode" parameter is honoured.
# (Oopses, WARNs and lockdep reports are caught by scripts/vmtest's log scan.)

. "$(dirname "$0")/lib.sh"

CYCLES=${CYCLES:-100}
REGS=20
ko=${EDGEWARD_KO:-}

ew_require_module
if [ -z "$ko" ] || [ ! -f "$ko" ]; then
	ktap_skip_all "EDGEWARD_KO does not name the module file"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4
trap ew_cg_cleanup EXIT

helper=$top/build/selftests/ew_helper
paths=()
for i in $(seq 1 $REGS); do
	paths+=("$(ew_cg_new "m$i")")
done

sunreclaim() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}

# rmmod fails with EBUSY while the hammer holds a dump open: retry.
unload() {
	local i
	for i in $(seq 1 50); do
		rmmod edgeward 2>/dev/null && return 0
		sleep 0.02
	done
	rmmod edgeward
}

cycle() {
	insmod "$ko" || return 1
	"$helper" register "${paths[@]}" || return 1
	unload
}

unload || ktap_exit_fail_msg "cannot unload the module to start"
cycle || ktap_exit_fail_msg "warm-up cycle failed"
sleep 1
before=$(sunreclaim)

"$helper" hammer &
hammer_pid=$!
/bin/busybox sh -c "echo \$\$ > ${paths[0]}/cgroup.procs; while :; do /bin/busybox true; done" &
execer_pid=$!
failed=0
for i in $(seq 1 "$CYCLES"); do
	if ! cycle; then
		failed=$i
		break
	fi
done
kill "$hammer_pid" "$execer_pid"
wait "$hammer_pid" "$execer_pid" 2>/dev/null

check "$CYCLES load/unload cycles with $REGS registrations each" [ "$failed" -eq 0 ]

# Each cycle allocates REGS registrations of about 2.5 KiB: a leak of them
# all would be ~${CYCLES}*${REGS}*4 KiB of unreclaimable slab.
sleep 2
after=$(sunreclaim)
growth=$((after - before))
ktap_print_msg "SUnreclaim grew by ${growth} kB over $CYCLES cycles"
check "no unreclaimable memory leaked (grew ${growth} kB, limit 1024 kB)" [ "$growth" -lt 1024 ]

insmod "$ko" mode=enforce
check "mode=enforce parameter sets the initial mode" \
	sh -c "'$EW_CTL' status | grep -q 'mode: *enforce'"
unload

if insmod "$ko" mode=bogus 2>/dev/null; then
	unload
	ktap_test_fail "mode=bogus is refused"
else
	ktap_test_pass "mode=bogus is refused"
fi

# Leave the module loaded for the tests that follow.
insmod "$ko"
ktap_finished

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Exec latency of a tiny static program, in one run: with edgeward unloaded
# (the baseline), loaded with the caller in an unregistered cgroup (while
# another cgroup is registered, so the gate does its lookup), and with the
# caller in a registered cgroup that allows the program (the measurement
# comes from the cache). Rounds alternate the three to even out drift; the
# figures are medians. Targets: <= 1.01x and <= 1.05x the baseline.
# Run in the VM: scripts/vmtest --no-module -- bench/exec.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build/bench
ctl=$top/build/userspace/edgewardctl
ko=${EDGEWARD_KO:-$top/build/kmod/$(uname -r)/edgeward.ko}
ROUNDS=${ROUNDS:-7}
COUNT=${COUNT:-2000}

cg=/sys/fs/cgroup/ew-bench
mkdir -p "$cg/registered" "$cg/free" "$cg/other"
digest=$(sha256sum "$b/tiny" | cut -d' ' -f1)

run() { # cgroup
	echo $$ > "$1/cgroup.procs"
	"$b/exec_bench" "$b/tiny" "$COUNT"
}

register() {
	"$ctl" register --name other --gen-id 1 --cgroup "$cg/other" >/dev/null
	"$ctl" register --name bench --gen-id 1 --cgroup "$cg/registered" --digest "$digest" >/dev/null
	"$ctl" mode enforce
}

base=() free=() reg=()
rmmod edgeward 2>/dev/null || true
for r in $(seq 1 "$ROUNDS"); do
	base+=("$(run "$cg/free")")
	insmod "$ko"
	register
	free+=("$(run "$cg/free")")
	run "$cg/registered" >/dev/null	# warm the cache
	reg+=("$(run "$cg/registered")")
	echo $$ > /sys/fs/cgroup/cgroup.procs
	rmmod edgeward
done
insmod "$ko"

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
m0=$(median "${base[@]}") m1=$(median "${free[@]}") m2=$(median "${reg[@]}")
echo "exec of a tiny static binary, median of $ROUNDS rounds of $COUNT:"
printf '  module unloaded (baseline):          %8d ns\n' "$m0"
printf '  loaded, caller unregistered:         %8d ns  %.3fx  (target <= 1.01x)\n' "$m1" "$(echo "$m1 / $m0" | bc -l)"
printf '  registered, allowed, cache warm:     %8d ns  %.3fx  (target <= 1.05x)\n' "$m2" "$(echo "$m2 / $m0" | bc -l)"

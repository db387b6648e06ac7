# SPDX-License-Identifier: GPL-2.0
# Shared by the shell selftests: KTAP output from the kernel's own helpers,
# paths of the built tools, and cgroups made for a test.

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
KSFT=${KSFT:-/usr/src/linux-source-6.12/tools/testing/selftests}
# shellcheck source=/dev/null
. "$KSFT/kselftest/ktap_helpers.sh"

EW_CTL=${EW_CTL:-$top/build/userspace/edgewardctl}
CGROOT=/sys/fs/cgroup
ew_cgs=()

# Skip everything (exit 4) unless the module is loaded and the tools built.
ew_require_module() {
	ktap_print_header
	if [ ! -d /sys/module/edgeward ]; then
		ktap_skip_all "edgeward module not loaded"
		exit "$KSFT_SKIP"
	fi
	if [ ! -x "$EW_CTL" ]; then
		ktap_skip_all "edgewardctl not built ($EW_CTL)"
		exit "$KSFT_SKIP"
	fi
}

# ew_cg_new TAG: makes a cgroup, prints its path.
ew_cg_new() {
	local p="$CGROOT/ew-sh-$$-$1"
	mkdir "$p" && ew_cgs+=("$p") && echo "$p"
}

ew_cg_cleanup() {
	local p
	for p in "${ew_cgs[@]}"; do
		"$EW_CTL" unregister --cgroup "$p" >/dev/null 2>&1
		rmdir "$p" 2>/dev/null
	done
	ew_cgs=()
}

# check DESCRIPTION COMMAND...: one KTAP result from a command's status.
check() {
	local d=$1
	shift
	if "$@"; then
		ktap_test_pass "$d"
	else
		ktap_test_fail "$d"
	fi
}

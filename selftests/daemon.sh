#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# edgewardd end to end with the kernel module: the daemon's integration
# tests (userspace/itest/daemon.sh) with callers attested by the kernel,
# the module registrations pushed before each module runs, and the checks
# that need the kernel's measurement (a module whose executable is not the
# registered one: 403 in audit mode, no start at all in enforce mode).
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d /sys/module/edgeward ]; then
	echo "1..0 # SKIP edgeward module not loaded"
	exit 4
fi
EW_KERNEL=1 exec "$here/../userspace/itest/daemon.sh"

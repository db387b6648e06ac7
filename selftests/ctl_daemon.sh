#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# edgewardctl's daemon commands with the kernel module: the CLI's
# integration tests (userspace/itest/ctl.sh) where `list` joins the daemon's
# modules with the kernel's registrations and verdicts, `system status` and
# `check` report the loaded module, and `list` falls back to the kernel's
# table when the daemon is down.
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -d /sys/module/edgeward ]; then
	echo "1..0 # SKIP edgeward module not loaded"
	exit 4
fi
EW_KERNEL=1 exec "$here/../userspace/itest/ctl.sh"

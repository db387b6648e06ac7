// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's log: one line per message on stderr with a syslog priority
 * prefix ("<4>"), which journald reads as the message's level; a terminal
 * gets the level as a word instead. The level threshold is the one piece
 * of process-wide state: every thread logs, and the level is set once at
 * start (and on SIGHUP) before or between the threads' work.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon/daemon.h"

static atomic_int log_level = LOG_INFO;

void ew_log_set_level(int priority)
{
	atomic_store(&log_level, priority);
}

void ew_log(int priority, const char *fmt, ...)
{
	static const char *const names[] = {
		"emerg", "alert", "crit", "error", "warning", "notice", "info", "debug"
	};
	char msg[1024];
	va_list ap;

	if (priority > atomic_load(&log_level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (isatty(STDERR_FILENO))
		fprintf(stderr, "edgewardd: %s: %s\n", names[priority & 7], msg);
	else
		fprintf(stderr, "<%d>%s\n", priority & 7, msg);
}

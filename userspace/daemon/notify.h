/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * systemd's readiness protocol (sd_notify(3)) without libsystemd: one
 * datagram to $NOTIFY_SOCKET. Without the variable it does nothing.
 */
#ifndef EW_DAEMON_NOTIFY_H
#define EW_DAEMON_NOTIFY_H

/* "READY=1", "STOPPING=1", "RELOADING=1", "STATUS=...". 0 or -errno. */
int ew_notify(const char *state);

#endif /* EW_DAEMON_NOTIFY_H */

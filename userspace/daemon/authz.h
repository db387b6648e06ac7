/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who is calling: the workload and management APIs identify the process at
 * the other end of each connection. With the kernel module, the kernel
 * attests the socket's peer (its registration by cgroup, the verdict on its
 * executable): race-free and pid-reuse proof. Without it, when the
 * configuration allows, the daemon reads /proc/PID/cgroup: weaker (a pid
 * can be reused between accept and the read; the pidfd taken at accept
 * narrows that where the kernel has SO_PEERPIDFD) and logged as such.
 */
#ifndef EW_DAEMON_AUTHZ_H
#define EW_DAEMON_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon/kernel.h"
#include "daemon/state.h"

enum ew_caller_kind {
	/* No module's registration governs it: a host process. */
	EW_CALLER_HOST = 1,
	/* A process of a registered module whose executable passed. */
	EW_CALLER_MODULE,
	/* A process of a registered module whose executable did not pass
	 * (denied, audited or unmeasured), or a caller that is gone. */
	EW_CALLER_REFUSED,
};

struct ew_caller {
	enum ew_caller_kind kind;
	char module[EW_MODULE_NAME_MAX + 1];	/* MODULE and REFUSED (if known) */
	uint32_t verdict;	/* enum edgeward_verdict; 0 in fallback mode */
	bool weak;		/* from /proc/PID/cgroup, not the kernel */
	uid_t uid;
	uint64_t epoch;		/* ew_kernel_epoch() when decided */
	char why[512];		/* for the log of a refusal */
};

struct ew_authz {
	struct ew_kernel *kernel;
	/* "/<base>/modules/" as /proc/PID/cgroup shows it, for the fallback. */
	char cgroup_prefix[EW_PATH_MAX + 16];
};

/*
 * Identifies the peer of the connected Unix socket @fd, whose credentials
 * were taken at accept (@pid, @uid; @pidfd or -1). Return: 0 with @out
 * filled, or a negative errno when neither the kernel nor the fallback
 * could tell (then refuse).
 */
int ew_authz_identify(const struct ew_authz *a, int fd, pid_t pid, uid_t uid,
		      int pidfd, struct ew_caller *out);

/* Whether a cached decision is still good (no kernel change since). */
bool ew_authz_fresh(const struct ew_authz *a, const struct ew_caller *c);

/*
 * Which verdicts let a module's process act as that module: allowed,
 * signed, and unjudged (the operator turned judging off for it).
 */
bool ew_authz_verdict_ok(uint32_t verdict);

/*
 * The module a /proc/PID/cgroup text puts its process in, given the
 * prefix: 1 with @module filled, 0 when in no module's cgroup, -EINVAL
 * for a text that is not cgroup v2's.
 */
int ew_authz_parse_proc_cgroup(const char *text, const char *prefix,
			       char module[EW_MODULE_NAME_MAX + 1]);

struct ew_daemon;
struct ew_http_req;

/*
 * The caller of an API request's connection: identified once, kept in the
 * connection's slot until the kernel announces a change. NULL when it
 * cannot be told (refuse).
 */
const struct ew_caller *ew_api_caller(struct ew_http_req *req, struct ew_daemon *d);

#endif /* EW_DAEMON_AUTHZ_H */

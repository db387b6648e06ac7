/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cgroup v2 side of process modules: where cgroup2 is mounted, the
 * daemon's base cgroup (<mount>/<base>/modules), one cgroup per module named
 * after it, and the operations the supervisor needs on a module's cgroup:
 * its id, its processes, killing them all, waiting until it is empty, and
 * removing it.
 *
 * A module's cgroup is handed around as an open directory fd: the kernel
 * module's registration API and clone3(CLONE_INTO_CGROUP) both take that
 * fd, so nothing can swap the directory between opening and use. Every
 * operation works relative to it.
 *
 * Errors: 0 or a negative errno, and a one-line message in the struct
 * ew_error when one is given (may be NULL).
 */
#ifndef EW_DAEMON_CGROUP_H
#define EW_DAEMON_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "edgeward.h"

/* A module's cgroup name: at most this many bytes (a single path component). */
#define EW_CGROUP_NAME_MAX 128	/* IoT Hub module ids, the kernel's names */

/* The daemon's base: <mnt>/<base> and <mnt>/<base>/modules. */
struct ew_cgroups {
	int base_fd;			/* <mnt>/<base> */
	int modules_fd;			/* <mnt>/<base>/modules */
	bool has_kill;			/* cgroup.kill exists (Linux 5.14+) */
	char mnt[EW_PATH_MAX];		/* where cgroup2 is mounted */
	char base[EW_PATH_MAX];		/* <base>, relative to mnt */
};

/* One module's cgroup, <mnt>/<base>/modules/<name>. */
struct ew_cgroup {
	int fd;				/* O_RDONLY | O_DIRECTORY, -1 when closed */
	uint64_t id;			/* the cgroup id (inode, file handle) */
	bool has_kill;
	char name[EW_CGROUP_NAME_MAX + 1];
	/* Allocated to their length: a daemon holds one per module. */
	char *path;			/* absolute */
	char *rel;			/* "/<base>/modules/<name>", as in /proc/PID/cgroup */
};

/*
 * The mount point of cgroup v2 from @mountinfo (NULL: /proc/self/mountinfo):
 * the first cgroup2 mount listed, octal escapes decoded. -ENOENT when there
 * is none (a cgroup v1 only system), -ENAMETOOLONG if it does not fit.
 */
int ew_cgroup_find_mount(const char *mountinfo, char *out, size_t outlen,
			 struct ew_error *e);

/*
 * Whether @name can name a module's cgroup: 1..EW_CGROUP_NAME_MAX characters
 * of the module id alphabet, not "." or "..", and not of the form
 * "<word>.<rest>" for a word the kernel uses for interface files (cgroup,
 * cpu, memory, io, pids, ...): such a directory would collide with a file
 * the kernel creates now or when a controller is enabled. -EINVAL with the
 * reason otherwise.
 */
int ew_cgroup_name_check(const char *name, struct ew_error *e);

/*
 * Opens (creating what is missing, mode 0755) <mnt>/<base>/modules. @mnt
 * NULL: found with ew_cgroup_find_mount(). @base: a relative path without
 * "." or ".." components; NULL: "edgeward". -EMEDIUMTYPE when @mnt is not
 * cgroup v2. @cgs is closed again on failure.
 */
int ew_cgroups_open(struct ew_cgroups *cgs, const char *mnt, const char *base,
		    struct ew_error *e);
void ew_cgroups_close(struct ew_cgroups *cgs);
/*
 * Removes <base>/modules and the last component of <base> if they hold no
 * cgroups any more (uninstall, tests), then closes @cgs. -EBUSY otherwise.
 */
int ew_cgroups_destroy(struct ew_cgroups *cgs, struct ew_error *e);

/*
 * The cgroup of module @name, created if missing (reusing one that exists is
 * no error), opened into @cg. On failure @cg->fd is -1.
 */
int ew_cgroup_create(struct ew_cgroups *cgs, const char *name,
		     struct ew_cgroup *cg, struct ew_error *e);
/* The same, but only an existing cgroup: -ENOENT otherwise. */
int ew_cgroup_open(struct ew_cgroups *cgs, const char *name,
		   struct ew_cgroup *cg, struct ew_error *e);
void ew_cgroup_close(struct ew_cgroup *cg);

/*
 * The processes in the cgroup itself (cgroup.procs, not its descendants),
 * in a malloc'd array the caller frees; *n may be 0 (then *pids is NULL).
 */
int ew_cgroup_pids(const struct ew_cgroup *cg, pid_t **pids, size_t *n,
		   struct ew_error *e);

/*
 * Whether any process runs in the cgroup or below ("populated" of
 * cgroup.events): 1, 0, or a negative errno.
 */
int ew_cgroup_populated(const struct ew_cgroup *cg);
/*
 * cgroup.events, opened for waiting: poll(2) reports POLLPRI (epoll:
 * EPOLLPRI) when it changes; ew_cgroup_events_read() reads it again (and
 * so re-arms the notification) and returns populated as 1/0/-errno.
 */
int ew_cgroup_events_open(const struct ew_cgroup *cg, struct ew_error *e);
int ew_cgroup_events_read(int events_fd);

/*
 * SIGKILL to every process of the cgroup and its descendants: one write to
 * cgroup.kill when the kernel has it (atomic, even against forks), else
 * ew_cgroup_kill_each(). Returns once the signals are sent, not when the
 * processes are gone (see ew_cgroup_wait_empty()).
 */
int ew_cgroup_kill(const struct ew_cgroup *cg, struct ew_error *e);
/*
 * The fallback for kernels without cgroup.kill: freezes the cgroup (when
 * cgroup.freeze exists) so nothing forks meanwhile, sends SIGKILL to every
 * pid of cgroup.procs here and below, and thaws it. Returns the number of
 * processes signalled, or a negative errno.
 */
int ew_cgroup_kill_each(const struct ew_cgroup *cg, struct ew_error *e);
/*
 * Waits up to @timeout_ms (< 0: forever) for the cgroup to be empty, with
 * poll(2) on cgroup.events. With @rekill, kills what is left on each wake
 * and every 50 ms (what the fallback needs against processes forked while
 * the first round of signals was on its way). -ETIMEDOUT if still populated.
 */
int ew_cgroup_wait_empty(const struct ew_cgroup *cg, int timeout_ms,
			 bool rekill, struct ew_error *e);

/*
 * Removes the cgroup of module @name (and any cgroups a module created
 * below it), retrying while the kernel still reports it busy (processes
 * that are exiting) for up to @timeout_ms. -ENOENT if it does not exist,
 * -EBUSY if it stays busy.
 */
int ew_cgroup_remove(struct ew_cgroups *cgs, const char *name, int timeout_ms,
		     struct ew_error *e);

#endif /* EW_DAEMON_CGROUP_H */

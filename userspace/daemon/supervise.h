/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The supervisor of process modules: host programs edgewardd starts, each
 * in its own cgroup v2 (see cgroup.h), with its stdout and stderr captured
 * (see logbuf.h).
 *
 * Starting a module: the pre_start callback runs first (the daemon pushes
 * the cgroup's registration to the kernel module there; if it fails nothing
 * starts). The process is then created directly inside the module's cgroup
 * with clone3(CLONE_INTO_CGROUP | CLONE_PIDFD); where clone3 is missing or
 * refuses (ENOSYS, E2BIG, EINVAL: kernels before 5.7, valgrind) it is forked
 * and the child moves itself into the cgroup (writes "0" to cgroup.procs)
 * before anything else. Either way no instruction of the module, and not the
 * execve() itself, runs outside the cgroup: the kernel module judges the
 * exec as the module's. The child gets stdin from /dev/null, stdout and
 * stderr to pipes, exactly the environment given, "/" as working directory,
 * a session of its own, default signal handling, and the given user's
 * uid, gid and groups. If anything in the child fails before the program
 * runs (a missing executable, EACCES, the kernel gate's EPERM), the errno
 * comes back over a close-on-exec pipe: start fails with the reason and the
 * module's status is "failed", never a bare exit status 127. Start waits
 * for that outcome (up to 2 s; an exec still unsettled then is judged at
 * exit). Some kernels (seen on 6.18) SIGKILL every clone3(CLONE_INTO_CGROUP)
 * child of a cgroup once cgroup.kill was written to it, before its first
 * instruction: the child's first report is missing then, and the supervisor
 * starts it again by the fork path, which it uses from then on.
 *
 * Watching: the pidfd of the main process tells its exit (without pidfds,
 * Linux < 5.3 or valgrind, it is looked for every 50 ms); then whatever is
 * left in the cgroup is killed and the exit is reported (status, on_exit)
 * once the cgroup is empty and the output pipes are drained, so a restart
 * never overlaps the previous run.
 *
 * Stopping: SIGTERM to the main process, then after the grace period
 * (default 10 s) SIGKILL to the whole cgroup. Stop returns at once; its
 * completion is reported like any exit, after every process of the cgroup
 * is gone.
 *
 * Statuses (ModuleDetails' runtimeStatus):
 *   running  the main process runs
 *   stopped  never started, exited with 0, or ended by a stop: by the
 *            SIGTERM (or exit code 143, 128 + SIGTERM, the shells' and the
 *            JVM's answer to it) or by the SIGKILL after the grace period
 *   failed   any other exit status or signal; a start that failed
 *   dead     failed, and on_exit said not to restart it any more
 *   unknown  processes of an earlier run of the daemon are in its cgroup
 *
 * The supervisor has no threads: it lives in the daemon's event loop
 * through one epoll fd (ew_supervisor_fd()) that becomes readable when
 * there is work, done by ew_supervisor_dispatch(). Callbacks run from
 * dispatch and may call any function here. It reaps only its own children
 * (waitid on their pidfds); the rest of the daemon must leave them alone:
 * no waitpid(-1) anywhere, and SIGCHLD not set to SIG_IGN.
 *
 * Errors: 0 or a negative errno, and a one-line message in the struct
 * ew_error when one is given (may be NULL).
 */
#ifndef EW_DAEMON_SUPERVISE_H
#define EW_DAEMON_SUPERVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "edgeward.h"
#include "daemon/cgroup.h"
#include "daemon/logbuf.h"

#define EW_SV_GRACE_DEFAULT_MS 10000u

enum ew_sv_state {
	EW_SV_STOPPED,
	EW_SV_RUNNING,
	EW_SV_FAILED,
	EW_SV_DEAD,
	EW_SV_UNKNOWN,
};

/* "stopped", "running", "failed", "dead", "unknown". */
const char *ew_sv_state_name(enum ew_sv_state s);

/* What to run; copied by ew_supervisor_add(). */
struct ew_sv_spec {
	const char *name;		/* the module; also its cgroup's name */
	const char *exec;		/* absolute path of the executable (argv[0]) */
	const char *const *args;	/* argv[1..], nargs of them */
	size_t nargs;
	const char *const *env;		/* the whole environment, "KEY=VALUE" */
	size_t nenv;
	const char *user;		/* user name or uid; NULL or "": the daemon's */
};

struct ew_sv_status {
	enum ew_sv_state state;
	char description[256];
	pid_t pid;		/* the main process while one runs, else 0 */
	int64_t start_ns;	/* CLOCK_REALTIME of the last start, 0 if never */
	bool exited;		/* exit_ns and exit_code are those of the last run */
	int64_t exit_ns;	/* CLOCK_REALTIME */
	int exit_code;		/* the exit status, or 128 + the signal */
	int exit_signal;	/* the signal that ended it, 0 if it exited */
	bool stopping;		/* a stop or restart is under way */
	bool stop_requested;	/* the last run ended because of stop or restart */
	unsigned starts;	/* processes started since the module was added */
};

/* What on_exit wants done after an exit nobody asked for. */
enum ew_sv_action {
	EW_SV_KEEP,		/* leave it stopped or failed */
	EW_SV_RESTART,		/* start it again after *delay_ms */
	EW_SV_GIVE_UP,		/* leave it, marked dead */
};

struct ew_supervisor_ops {
	/*
	 * Before every start, with the module's cgroup (an O_RDONLY directory
	 * fd, owned by the supervisor) and its id. Non-zero: the start fails
	 * with that error and e's message, and nothing runs.
	 */
	int (*pre_start)(void *arg, const char *name, int cgroup_fd, uint64_t cgroup_id,
			 struct ew_error *e);
	/*
	 * After every exit, once the cgroup is empty, and after a start that
	 * on_exit itself asked for failed. The return value counts only when
	 * the exit was not asked for (st->stop_requested false).
	 */
	enum ew_sv_action (*on_exit)(void *arg, const char *name,
				     const struct ew_sv_status *st, unsigned *delay_ms);
	/* New log entries of @name (for followers of its logs). */
	void (*on_log)(void *arg, const char *name);
	void *arg;
};

struct ew_supervisor_config {
	const char *cgroup_mount;	/* NULL: found in /proc/self/mountinfo */
	const char *cgroup_base;	/* below the mount; NULL: "edgeward" */
	const char *log_dir;		/* log files; NULL: logs in memory only */
	struct ew_logbuf_limits log_limits;	/* zeros: the defaults */
	unsigned grace_ms;		/* 0: EW_SV_GRACE_DEFAULT_MS */
	bool no_clone3;			/* always fork (tests of the fallback) */
	struct ew_supervisor_ops ops;
};

struct ew_supervisor;

/* Opens (creating) the cgroup base; everything else comes with modules. */
int ew_supervisor_new(struct ew_supervisor **out, const struct ew_supervisor_config *cfg,
		      struct ew_error *e);
/*
 * Frees the supervisor. Processes still running are left running (they
 * show as "unknown" to the next supervisor); stop them first to end them.
 */
void ew_supervisor_free(struct ew_supervisor *sv);

/*
 * Adds a module (status stopped): checks the spec (a valid cgroup name, an
 * absolute exec, "KEY=VALUE" env entries with unique keys), creates its
 * cgroup and opens its log. -EEXIST if the name is taken. A cgroup that
 * still holds processes makes the module "unknown" until they end or a
 * stop kills them.
 */
int ew_supervisor_add(struct ew_supervisor *sv, const struct ew_sv_spec *spec,
		      struct ew_error *e);
/*
 * Removes a module that is not running: its cgroup, and its log files with
 * @delete_logs. -EBUSY while a process runs or a stop is under way.
 */
int ew_supervisor_remove(struct ew_supervisor *sv, const char *name, bool delete_logs,
			 struct ew_error *e);

/* -EALREADY if it runs; -EBUSY while stopping or "unknown". */
int ew_supervisor_start(struct ew_supervisor *sv, const char *name, struct ew_error *e);
/*
 * Stops the module (see above); 0 at once if nothing runs. Also cancels a
 * pending restart, and kills an "unknown" module's leftovers.
 */
int ew_supervisor_stop(struct ew_supervisor *sv, const char *name, struct ew_error *e);
/* Stop, then start once the cgroup is empty; a start if nothing runs. */
int ew_supervisor_restart(struct ew_supervisor *sv, const char *name, struct ew_error *e);
/* Stops every module. */
void ew_supervisor_stop_all(struct ew_supervisor *sv);

/* -ENOENT for an unknown name. */
int ew_supervisor_status(struct ew_supervisor *sv, const char *name,
			 struct ew_sv_status *st);
/* The module's log and cgroup, NULL for an unknown name. */
struct ew_logbuf *ew_supervisor_logs(struct ew_supervisor *sv, const char *name);
const struct ew_cgroup *ew_supervisor_cgroup(struct ew_supervisor *sv, const char *name);
/* The base the module cgroups are in. */
const struct ew_cgroups *ew_supervisor_cgroups(struct ew_supervisor *sv);
/* The grace period of stops from now on (0: the default). */
void ew_supervisor_set_grace(struct ew_supervisor *sv, unsigned ms);

/* For the daemon's event loop: readable (EPOLLIN) when dispatch has work. */
int ew_supervisor_fd(struct ew_supervisor *sv);
/* Does what is due, without blocking. */
int ew_supervisor_dispatch(struct ew_supervisor *sv);
/* Blocks for @ms, dispatching (tests, shutdown). */
int ew_supervisor_run_for(struct ew_supervisor *sv, int ms);
/*
 * Blocks, dispatching, until module @name (NULL: every module) has no
 * process, no stop under way and no restart pending, or @ms pass
 * (-ETIMEDOUT).
 */
int ew_supervisor_wait(struct ew_supervisor *sv, const char *name, int ms);

#endif /* EW_DAEMON_SUPERVISE_H */

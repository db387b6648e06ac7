// SPDX-License-Identifier: GPL-2.0-only
/*
 * The process-module supervisor: spawning into a module's cgroup, watching
 * through pidfds and cgroup.events, stopping with a grace period, and the
 * statuses the management API reports. See supervise.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon/supervise.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define NSEC_PER_MSEC 1000000LL
#define NSEC_PER_SEC 1000000000LL
/* How long start waits for the child's exec to succeed or fail. */
#define EXEC_SETTLE_MS 2000
/* How long an exit waits for the rest of the cgroup to die. */
#define DRAIN_TIMEOUT_MS 5000
/* Without cgroup.kill, how often the stragglers are killed again. */
#define REKILL_MS 100
/* Without pidfds (Linux < 5.3, valgrind), how often an exit is looked for. */
#define EXIT_POLL_MS 50
#define READ_CHUNK 65536
/* Reads of one pipe per event, so one chatty module cannot starve the rest. */
#define READS_PER_EVENT 4
#define EVENTS_PER_DISPATCH 256

/* struct clone_args up to CLONE_ARGS_SIZE_VER2 (Linux 5.7, cgroup). */
struct clone_args_v2 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

/* What failed in the child before the program ran. */
enum child_step {
	STEP_ALIVE = 1,		/* not a failure: the child runs */
	STEP_CGROUP,
	STEP_SESSION,
	STEP_STDIO,
	STEP_USER,
	STEP_CHDIR,
	STEP_EXEC,
};

struct child_err {
	int32_t step;
	int32_t err;
};

/* Everything the child needs, prepared by the parent: the child only makes system calls. */
struct child_plan {
	const char *path;
	char *const *argv;
	char *const *envp;
	bool set_user;
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
	int null_fd, out_w, err_w, report_w;
	int procs_fd;		/* fork path: cgroup.procs to join; else -1 */
	int fd_max;		/* close_range fallback bound */
};

enum watch_kind {
	W_TIMER,
	W_PIDFD,
	W_OUT,
	W_ERR,
	W_EVENTS,
};

struct module;

struct watch {
	struct module *m;
	enum watch_kind kind;
};

enum phase {
	PH_IDLE,	/* nothing runs */
	PH_RUNNING,	/* the main process runs */
	PH_DRAINING,	/* it has exited; the rest of the cgroup is being killed */
	PH_ADOPTED,	/* processes of an earlier run are in the cgroup */
};

struct module {
	uint64_t id;		/* finds it again after a callback */
	char *name, *exec, *user;
	char **argv, **envp;	/* NULL-terminated */
	struct ew_cgroup cg;
	struct ew_logbuf *log;
	enum phase phase;
	struct ew_sv_status st;
	pid_t pid;		/* the main process, 0 when none */

	int pidfd, out_fd, err_fd, events_fd;
	int report_fd;		/* the child's error pipe, while the exec is unsettled */
	bool child_alive;	/* its first report came */
	struct watch w_pid, w_out, w_err, w_events;

	siginfo_t si;		/* of the main process' exit */
	bool reaped;		/* si is valid */
	int reap_err;		/* why waitid failed, else 0 */
	bool stop_requested;	/* SIGTERM sent by a stop */
	bool no_restart;	/* a stop came: on_exit's wish does not count */
	bool restart_after;	/* restart: start again once empty */
	bool killed_after_grace;
	unsigned grace_ms;	/* of the stop under way */
	int64_t term_deadline;	/* CLOCK_MONOTONIC ns, 0: none */
	int64_t drain_deadline;
	int64_t rekill_at;
	int64_t restart_at;	/* pending restart of on_exit */
	int64_t poll_at;	/* no pidfd: when to look for the exit next */
	bool leftovers;		/* the drain timed out */
};

struct ew_supervisor {
	struct ew_supervisor_ops ops;
	struct ew_logbuf_limits log_limits;
	char *log_dir;
	bool no_clone3;
	bool clone3_broken;	/* ENOSYS/E2BIG seen once: do not ask again */
	bool no_pidfd;		/* pidfd_open gave ENOSYS once */
	unsigned grace_ms;
	struct ew_cgroups cgs;
	int epfd, timerfd;
	struct watch w_timer;
	struct module **mods;
	size_t nmods, capmods;
	uint64_t next_id;
	char *buf;		/* READ_CHUNK */
};

static void __attribute__((format(printf, 2, 3)))
describe(struct module *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->st.description, sizeof(m->st.description), fmt, ap);
	va_end(ap);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

const char *ew_sv_state_name(enum ew_sv_state s)
{
	switch (s) {
	case EW_SV_STOPPED:
		return "stopped";
	case EW_SV_RUNNING:
		return "running";
	case EW_SV_FAILED:
		return "failed";
	case EW_SV_DEAD:
		return "dead";
	case EW_SV_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}

/* --- the child --------------------------------------------------------------- */

static void __attribute__((noreturn)) child_fail(const struct child_plan *p, int step)
{
	struct child_err ce = { .step = step, .err = errno };

	/* Atomic (< PIPE_BUF); if even this fails, 127 is all there is. */
	ssize_t n = write(p->report_w, &ce, sizeof(ce));

	(void)n;
	_exit(127);
}

/*
 * Runs in the new process, which may be a raw clone3() child of a
 * multi-threaded daemon: async-signal-safe calls only, credentials through
 * the raw system calls (glibc's setuid() would try to reach threads that
 * exist only in the parent).
 */
static void __attribute__((noreturn)) child_run(const struct child_plan *p)
{
	struct child_err alive = { .step = STEP_ALIVE };
	struct sigaction sa;
	sigset_t none;
	int sig, fd;

	if (write(p->report_w, &alive, sizeof(alive)) != sizeof(alive))
		_exit(127);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < _NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);	/* glibc's own signals refuse: fine */
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (p->procs_fd >= 0 && write(p->procs_fd, "0", 1) != 1)
		child_fail(p, STEP_CGROUP);
	if (setsid() < 0)
		child_fail(p, STEP_SESSION);
	if (dup2(p->null_fd, 0) < 0 || dup2(p->out_w, 1) < 0 || dup2(p->err_w, 2) < 0)
		child_fail(p, STEP_STDIO);
	/* Whatever the daemon left inheritable stays with the daemon. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		for (fd = 3; fd < p->fd_max; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (p->set_user) {
		if (syscall(SYS_setgroups, p->ngroups, p->groups) < 0 ||
		    syscall(SYS_setresgid, p->gid, p->gid, p->gid) < 0 ||
		    syscall(SYS_setresuid, p->uid, p->uid, p->uid) < 0)
			child_fail(p, STEP_USER);
	}
	if (chdir("/") < 0)
		child_fail(p, STEP_CHDIR);
	execve(p->path, p->argv, p->envp);
	child_fail(p, STEP_EXEC);
}

static pid_t spawn_clone3(const struct child_plan *p, int cgroup_fd, int *pidfd)
{
	struct clone_args_v2 args;
	long r;

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_PIDFD | CLONE_INTO_CGROUP;
	args.pidfd = (uint64_t)(uintptr_t)pidfd;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgroup_fd;
	/* No CLONE_VM and no stack: the child is a copy, as after fork(). */
	r = syscall(SYS_clone3, &args, sizeof(args));
	if (r == 0)
		child_run(p);
	return (pid_t)r;
}

static pid_t spawn_fork(const struct child_plan *p, bool *no_pidfd, int *pidfd, int *err)
{
	pid_t pid = fork();

	if (pid == 0)
		child_run(p);
	if (pid < 0) {
		*err = errno;
		return -1;
	}
	*err = 0;
	*pidfd = -1;
	if (*no_pidfd)
		return pid;
	*pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* ENOSYS: watched by polling instead (see EXIT_POLL_MS). */
	if (*pidfd < 0 && errno == ENOSYS)
		*no_pidfd = true;
	else if (*pidfd < 0)
		*err = errno;
	return pid;
}

/* --- the module table ---------------------------------------------------------- */

static struct module *find(struct ew_supervisor *sv, const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < sv->nmods; i++) {
		if (strcmp(sv->mods[i]->name, name) == 0)
			return sv->mods[i];
	}
	return NULL;
}

static struct module *find_id(struct ew_supervisor *sv, uint64_t id)
{
	size_t i;

	for (i = 0; i < sv->nmods; i++) {
		if (sv->mods[i]->id == id)
			return sv->mods[i];
	}
	return NULL;
}

static void watch_add(struct ew_supervisor *sv, int fd, uint32_t events, struct watch *w)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	epoll_ctl(sv->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void watch_del(struct ew_supervisor *sv, int *fd)
{
	if (*fd >= 0)
		epoll_ctl(sv->epfd, EPOLL_CTL_DEL, *fd, NULL);
	close_fd(fd);
}

static void free_strv(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static void module_free(struct ew_supervisor *sv, struct module *m)
{
	watch_del(sv, &m->pidfd);
	watch_del(sv, &m->out_fd);
	watch_del(sv, &m->err_fd);
	watch_del(sv, &m->events_fd);
	close_fd(&m->report_fd);
	if (m->log) {
		ew_logbuf_flush(m->log, real_ns());
		ew_logbuf_close(m->log);
	}
	ew_cgroup_close(&m->cg);
	free(m->name);
	free(m->exec);
	free(m->user);
	free_strv(m->argv);
	free_strv(m->envp);
	free(m);
}

/* --- the timer ------------------------------------------------------------------ */

static void deadline_min(int64_t *min, int64_t t)
{
	if (t && (!*min || t < *min))
		*min = t;
}

static void arm_timer(struct ew_supervisor *sv)
{
	struct itimerspec its;
	int64_t next = 0;
	size_t i;

	for (i = 0; i < sv->nmods; i++) {
		struct module *m = sv->mods[i];

		deadline_min(&next, m->term_deadline);
		deadline_min(&next, m->drain_deadline);
		deadline_min(&next, m->rekill_at);
		deadline_min(&next, m->restart_at);
		deadline_min(&next, m->poll_at);
	}
	memset(&its, 0, sizeof(its));
	if (next) {
		its.it_value.tv_sec = next / NSEC_PER_SEC;
		its.it_value.tv_nsec = next % NSEC_PER_SEC;
		if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
			its.it_value.tv_nsec = 1;
	}
	timerfd_settime(sv->timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* --- output ------------------------------------------------------------------- */

/* Reads what @fd has (up to @reads chunks); closes it at EOF. True if any. */
static bool read_output(struct ew_supervisor *sv, struct module *m, int *fd,
			enum ew_log_stream stream, int reads)
{
	bool any = false;
	ssize_t n;

	while (*fd >= 0 && reads-- > 0) {
		n = read(*fd, sv->buf, READ_CHUNK);
		if (n < 0 && errno == EINTR) {
			reads++;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			watch_del(sv, fd);
			break;
		}
		ew_logbuf_feed(m->log, stream, sv->buf, (size_t)n, real_ns());
		any = true;
	}
	return any;
}

/* Calls on_log; false if the callback removed the module. */
static bool notify_log(struct ew_supervisor *sv, struct module *m)
{
	uint64_t id = m->id;

	if (sv->ops.on_log)
		sv->ops.on_log(sv->ops.arg, m->name);
	return find_id(sv, id) == m;
}

/* --- start ------------------------------------------------------------------ */

static int fd_above_stdio(int *fd)
{
	int nfd;

	if (*fd > 2)
		return 0;
	nfd = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	if (nfd < 0)
		return -errno;
	close(*fd);
	*fd = nfd;
	return 0;
}

static int make_pipe(int fds[2])
{
	int r;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	r = fd_above_stdio(&fds[1]);
	if (r == 0)
		r = fd_above_stdio(&fds[0]);
	if (r == 0 && fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0)
		r = -errno;
	if (r < 0) {
		close(fds[0]);
		close(fds[1]);
	}
	return r;
}

struct creds {
	bool set;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

/* The user's uid, primary gid and groups, resolved in the parent. */
static int resolve_user(const char *user, struct creds *c, struct ew_error *e)
{
	struct passwd pw, *res = NULL;
	size_t buflen = 1024;
	char *buf = NULL, *nb, *end;
	gid_t *groups = NULL, *ng;
	int n = 16, r;
	unsigned long id;

	memset(c, 0, sizeof(*c));
	if (!user || !*user)
		return 0;
	for (;;) {
		nb = realloc(buf, buflen);
		if (!nb) {
			free(buf);
			return ew_err_set(e, -ENOMEM, "out of memory");
		}
		buf = nb;
		if (all_digits(user)) {
			errno = 0;
			id = strtoul(user, &end, 10);
			if (errno || id >= (uid_t)-1) {
				free(buf);
				return ew_err_set(e, -EINVAL, "user '%s': uid out of range", user);
			}
			r = getpwuid_r((uid_t)id, &pw, buf, buflen, &res);
		} else {
			r = getpwnam_r(user, &pw, buf, buflen, &res);
		}
		if (r != ERANGE || buflen >= (1u << 20))
			break;
		buflen *= 2;
	}
	if (r) {
		free(buf);
		return ew_err_set(e, -r, "user '%s': %s", user, strerror(r));
	}
	c->set = true;
	if (!res) {
		free(buf);
		if (!all_digits(user))
			return ew_err_set(e, -ENOENT, "unknown user '%s'", user);
		/* A bare uid without a passwd entry: its own group, no others. */
		c->uid = c->gid = (uid_t)strtoul(user, NULL, 10);
		c->groups = malloc(sizeof(gid_t));
		if (!c->groups)
			return ew_err_set(e, -ENOMEM, "out of memory");
		c->groups[0] = c->gid;
		c->ngroups = 1;
		return 0;
	}
	c->uid = pw.pw_uid;
	c->gid = pw.pw_gid;
	for (;;) {
		ng = realloc(groups, (size_t)n * sizeof(gid_t));
		if (!ng) {
			free(groups);
			free(buf);
			return ew_err_set(e, -ENOMEM, "out of memory");
		}
		groups = ng;
		if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) >= 0)
			break;
		if (n > 65536 || n <= 0) {
			free(groups);
			free(buf);
			return ew_err_set(e, -E2BIG, "user '%s': too many groups", user);
		}
	}
	free(buf);
	c->groups = groups;
	c->ngroups = (size_t)n;
	return 0;
}

static const char *step_what(int step)
{
	switch (step) {
	case STEP_CGROUP:
		return "joining the module's cgroup";
	case STEP_SESSION:
		return "setsid";
	case STEP_STDIO:
		return "redirecting stdin, stdout and stderr";
	case STEP_USER:
		return "switching user";
	case STEP_CHDIR:
		return "chdir /";
	default:
		return "exec";
	}
}

/* The failed status of a child that never ran the program. */
static void describe_child_err(struct module *m, const struct child_err *ce)
{
	const char *why = strerror(ce->err);

	if (ce->step == STEP_EXEC)
		describe(m, "exec %s: %s%s", m->exec, why,
			 ce->err == EPERM ? " (refused by the kernel, e.g. its exec gate)" : "");
	else if (ce->step == STEP_USER)
		describe(m, "switching to user '%s': %s", m->user, why);
	else
		describe(m, "%s: %s", step_what(ce->step), why);
}

/*
 * Reads the child's reports until it has run the program (EOF: the pipe
 * closed on exec) or failed: 0 and 1 (@ce filled) respectively; -ETIMEDOUT
 * if neither within @timeout_ms. *@alive tells whether the child ran at all
 * (its first report); EOF without it means it was killed before that.
 */
static int child_outcome(int fd, int timeout_ms, bool *alive, struct child_err *ce)
{
	int64_t deadline = mono_ns() + (int64_t)timeout_ms * NSEC_PER_MSEC, left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;

	for (;;) {
		left = deadline - mono_ns();
		r = poll(&pfd, 1, left > 0 ? (int)((left + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC) : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, ce, sizeof(*ce));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (n != (ssize_t)sizeof(*ce))
			return -EPROTO;
		if (ce->step != STEP_ALIVE)
			return 1;
		*alive = true;
	}
}

/* Reopens (recreating) the cgroup if it went away, e.g. removed by hand. */
static int refresh_cgroup(struct ew_supervisor *sv, struct module *m, struct ew_error *e)
{
	struct ew_cgroup cg;
	int r;

	r = ew_cgroup_create(&sv->cgs, m->name, &cg, e);
	if (r < 0)
		return r;
	if (cg.id == m->cg.id) {
		ew_cgroup_close(&cg);
		return 0;
	}
	ew_cgroup_close(&m->cg);
	m->cg = cg;
	return 0;
}

static void start_failed(struct module *m, int r, struct ew_error *e, const char *what)
{
	if (what)
		describe(m, "%s: %s", what, e && e->err ? e->msg : strerror(-r));
	else
		describe(m, "%s", e && e->err ? e->msg : strerror(-r));
	m->st.state = EW_SV_FAILED;
	m->st.pid = 0;
}

/* A started child: its pid, pidfd and the parent's ends of its pipes. */
struct spawned {
	pid_t pid;
	int pidfd, out_r, err_r, rep_r;
	bool via_clone3;
};

static void spawned_close(struct spawned *sp)
{
	close_fd(&sp->pidfd);
	close_fd(&sp->out_r);
	close_fd(&sp->err_r);
	close_fd(&sp->rep_r);
}

/* Ends a child that never ran the program (it has exited or is about to). */
static void spawned_reap(struct spawned *sp)
{
	while (waitpid(sp->pid, NULL, 0) < 0 && errno == EINTR)
		;
	spawned_close(sp);
}

/* Creates the child, by clone3 into the cgroup when @try_clone3, else by fork. */
static int spawn_child(struct ew_supervisor *sv, struct module *m, struct child_plan *plan,
		       bool try_clone3, struct spawned *sp, struct ew_error *e)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, rep[2] = { -1, -1 };
	int r, spawn_err = 0;
	pid_t pid = -1;

	memset(sp, 0, sizeof(*sp));
	sp->pidfd = sp->out_r = sp->err_r = sp->rep_r = -1;
	plan->null_fd = plan->procs_fd = -1;
	r = make_pipe(out);
	if (!r)
		r = make_pipe(err);
	if (!r)
		r = make_pipe(rep);
	if (!r) {
		plan->null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (plan->null_fd < 0 || fd_above_stdio(&plan->null_fd) < 0)
			r = -errno;
	}
	if (r < 0) {
		ew_err_set(e, r, "creating pipes: %s", strerror(-r));
		goto out;
	}
	plan->out_w = out[1];
	plan->err_w = err[1];
	plan->report_w = rep[1];

	if (try_clone3) {
		pid = spawn_clone3(plan, m->cg.fd, &sp->pidfd);
		if (pid < 0) {
			spawn_err = errno;
			if (spawn_err == ENOSYS || spawn_err == E2BIG)
				sv->clone3_broken = true;
			if (spawn_err != ENOSYS && spawn_err != E2BIG && spawn_err != EINVAL) {
				r = ew_err_set(e, -spawn_err, "clone3 into %s: %s", m->cg.path,
					 strerror(spawn_err));
				goto out;
			}
		} else {
			sp->via_clone3 = true;
		}
	}
	if (pid < 0) {
		plan->procs_fd = openat(m->cg.fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
		if (plan->procs_fd < 0 || fd_above_stdio(&plan->procs_fd) < 0) {
			r = ew_err_set(e, -errno, "%s/cgroup.procs: %s", m->cg.path, strerror(errno));
			goto out;
		}
		pid = spawn_fork(plan, &sv->no_pidfd, &sp->pidfd, &spawn_err);
		if (pid < 0) {
			r = ew_err_set(e, -spawn_err, "fork: %s", strerror(spawn_err));
			goto out;
		}
		if (spawn_err) {
			/* It could not be watched: end it now. */
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			r = ew_err_set(e, -spawn_err, "pidfd_open: %s", strerror(spawn_err));
			goto out;
		}
	}
	sp->pid = pid;
	sp->out_r = out[0];
	sp->err_r = err[0];
	sp->rep_r = rep[0];
	out[0] = err[0] = rep[0] = -1;
out:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&err[0]);
	close_fd(&err[1]);
	close_fd(&rep[0]);
	close_fd(&rep[1]);
	close_fd(&plan->null_fd);
	close_fd(&plan->procs_fd);
	return r;
}

static int do_start(struct ew_supervisor *sv, struct module *m, struct ew_error *e)
{
	struct child_plan plan;
	struct ew_error local;
	struct child_err ce;
	struct spawned sp;
	struct creds cr;
	struct rlimit rl;
	bool alive = false;
	int r, pop;

	if (!e)
		e = &local;
	memset(e, 0, sizeof(*e));
	memset(&plan, 0, sizeof(plan));
	m->restart_at = 0;

	r = refresh_cgroup(sv, m, e);
	if (r < 0) {
		start_failed(m, r, e, NULL);
		return r;
	}
	pop = ew_cgroup_populated(&m->cg);
	if (pop != 0) {
		r = pop < 0 ? pop : -EBUSY;
		ew_err_set(e, r, "cgroup %s: %s", m->cg.path,
		     pop < 0 ? strerror(-pop) : "still has processes");
		start_failed(m, r, e, NULL);
		return r;
	}
	r = resolve_user(m->user, &cr, e);
	if (r < 0) {
		start_failed(m, r, e, NULL);
		return r;
	}
	if (sv->ops.pre_start) {
		r = sv->ops.pre_start(sv->ops.arg, m->name, m->cg.fd, m->cg.id, e);
		if (r) {
			char why[sizeof(e->msg)];

			if (r > 0)
				r = -r;
			snprintf(why, sizeof(why), "%s",
				 e->err && e->msg[0] ? e->msg : strerror(-r));
			describe(m, "pre-start: %s", why);
			m->st.state = EW_SV_FAILED;
			m->st.pid = 0;
			ew_err_set(e, r, "pre-start: %s", why);
			free(cr.groups);
			return r;
		}
	}

	plan.path = m->exec;
	plan.argv = m->argv;
	plan.envp = m->envp;
	plan.set_user = cr.set;
	plan.uid = cr.uid;
	plan.gid = cr.gid;
	plan.groups = cr.groups;
	plan.ngroups = cr.ngroups;
	plan.fd_max = 65536;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536)
		plan.fd_max = (int)rl.rlim_cur;

	r = spawn_child(sv, m, &plan, !sv->no_clone3 && !sv->clone3_broken, &sp, e);
	if (r == 0) {
		r = child_outcome(sp.rep_r, EXEC_SETTLE_MS, &alive, &ce);
		if (r == 0 && !alive && sp.via_clone3) {
			/*
			 * Killed before its first instruction: kernels whose
			 * cgroup.kill bookkeeping (kill_seq) compares the target
			 * cgroup with the parent's kill every clone3() child
			 * into a cgroup once killed. Joining by cgroup.procs is
			 * not affected: fork from now on.
			 */
			spawned_reap(&sp);
			sv->clone3_broken = true;
			r = spawn_child(sv, m, &plan, false, &sp, e);
			if (r == 0)
				r = child_outcome(sp.rep_r, EXEC_SETTLE_MS, &alive, &ce);
		}
	}
	free(cr.groups);
	if (r < 0 && !sp.pid) {
		start_failed(m, r, e, NULL);
		return r;
	}
	if (r == 1 || (r == 0 && !alive)) {
		spawned_reap(&sp);
		if (r == 1) {
			describe_child_err(m, &ce);
			r = -ce.err;
		} else {
			describe(m, "killed before it ran %s", m->exec);
			r = -ECANCELED;
		}
		m->st.state = EW_SV_FAILED;
		m->st.pid = 0;
		return ew_err_set(e, r, "%s", m->st.description);
	}
	/* r == 0: it runs the program. Else unsettled yet: the report is read at exit. */
	if (r == 0)
		close_fd(&sp.rep_r);

	m->pid = sp.pid;
	m->pidfd = sp.pidfd;
	m->out_fd = sp.out_r;
	m->err_fd = sp.err_r;
	m->report_fd = sp.rep_r;
	m->child_alive = alive;
	m->reaped = false;
	m->reap_err = 0;
	m->stop_requested = m->no_restart = m->restart_after = false;
	m->killed_after_grace = m->leftovers = false;
	m->term_deadline = m->drain_deadline = m->rekill_at = 0;
	m->w_pid = (struct watch){ m, W_PIDFD };
	m->w_out = (struct watch){ m, W_OUT };
	m->w_err = (struct watch){ m, W_ERR };
	if (m->pidfd >= 0)
		watch_add(sv, m->pidfd, EPOLLIN, &m->w_pid);
	else
		m->poll_at = mono_ns() + EXIT_POLL_MS * NSEC_PER_MSEC;
	watch_add(sv, m->out_fd, EPOLLIN, &m->w_out);
	watch_add(sv, m->err_fd, EPOLLIN, &m->w_err);
	m->phase = PH_RUNNING;
	m->st.state = EW_SV_RUNNING;
	m->st.pid = sp.pid;
	m->st.start_ns = real_ns();
	m->st.stopping = false;
	m->st.starts++;
	describe(m, "running (pid %d)", (int)sp.pid);
	return 0;
}

/* --- exit ----------------------------------------------------------------- */

static void status_from_exit(struct module *m)
{
	struct ew_sv_status *st = &m->st;
	struct child_err ce;
	int code, sig, r;

	st->exited = false;
	st->exit_signal = 0;
	st->stop_requested = m->stop_requested;
	if (m->report_fd >= 0) {
		/* Exec was unsettled at start: the child is gone, its reports are all there. */
		r = child_outcome(m->report_fd, 0, &m->child_alive, &ce);
		if (r == 1 || (r == 0 && !m->child_alive)) {
			if (r == 1)
				describe_child_err(m, &ce);
			else
				describe(m, "killed before it ran %s", m->exec);
			st->state = EW_SV_FAILED;
			return;
		}
	}
	if (!m->reaped) {
		describe(m, "exit status lost: %s", strerror(m->reap_err));
		st->state = m->stop_requested ? EW_SV_STOPPED : EW_SV_FAILED;
		return;
	}
	st->exited = true;
	if (m->si.si_code == CLD_EXITED) {
		code = m->si.si_status;
		sig = 0;
	} else {
		sig = m->si.si_status;
		code = 128 + sig;
	}
	st->exit_code = code;
	st->exit_signal = sig;
	if (code == 0) {
		st->state = EW_SV_STOPPED;
		describe(m, "%sexited with code 0", m->stop_requested ? "stopped, " : "");
	} else if (m->stop_requested && sig == SIGTERM) {
		st->state = EW_SV_STOPPED;
		describe(m, "stopped by SIGTERM");
	} else if (m->stop_requested && !sig && code == 128 + SIGTERM) {
		st->state = EW_SV_STOPPED;
		describe(m, "stopped, exited with code %d after SIGTERM", code);
	} else if (m->stop_requested && sig == SIGKILL && m->killed_after_grace) {
		st->state = EW_SV_STOPPED;
		describe(m, "stopped, killed with SIGKILL after the %u ms grace period",
			 m->grace_ms);
	} else if (sig) {
		const char *abbr = sigabbrev_np(sig);

		st->state = EW_SV_FAILED;
		describe(m, "killed by signal %d (SIG%s)%s", sig, abbr ? abbr : "?",
			 m->si.si_code == CLD_DUMPED ? ", core dumped" : "");
	} else {
		st->state = EW_SV_FAILED;
		describe(m, "exited with code %d", code);
	}
}

/* What on_exit asked for, after an exit or a failed restart nobody asked for. */
static void apply_action(struct module *m, enum ew_sv_action act, unsigned delay_ms)
{
	size_t len;

	if (act == EW_SV_RESTART) {
		/* 0 means "none": a restart due right now is at 1 ns. */
		m->restart_at = mono_ns() + (int64_t)delay_ms * NSEC_PER_MSEC + 1;
	} else if (act == EW_SV_GIVE_UP) {
		m->st.state = EW_SV_DEAD;
		len = strlen(m->st.description);
		snprintf(m->st.description + len, sizeof(m->st.description) - len,
			 "; not restarted any more");
	}
}

static void finalize(struct ew_supervisor *sv, struct module *m)
{
	enum ew_sv_action act = EW_SV_KEEP;
	unsigned delay_ms = 0;
	bool wanted, restart, logged;
	uint64_t id = m->id;
	size_t len;

	watch_del(sv, &m->events_fd);
	/* Every writer is gone: what is left in the pipes ends with EOF. */
	logged = read_output(sv, m, &m->out_fd, EW_LOG_STDOUT, 64);
	logged |= read_output(sv, m, &m->err_fd, EW_LOG_STDERR, 64);
	watch_del(sv, &m->out_fd);
	watch_del(sv, &m->err_fd);
	ew_logbuf_flush(m->log, real_ns());
	status_from_exit(m);
	close_fd(&m->report_fd);
	if (m->leftovers) {
		len = strlen(m->st.description);
		snprintf(m->st.description + len, sizeof(m->st.description) - len,
			 "; processes left in %s would not die", m->cg.path);
	}
	m->phase = PH_IDLE;
	m->pid = 0;
	m->st.pid = 0;
	m->st.stopping = false;
	m->term_deadline = m->drain_deadline = m->rekill_at = m->poll_at = 0;
	wanted = m->stop_requested || m->no_restart;
	restart = m->restart_after;
	m->stop_requested = m->no_restart = m->restart_after = false;

	if (logged && !notify_log(sv, m))
		return;
	if (sv->ops.on_exit) {
		act = sv->ops.on_exit(sv->ops.arg, m->name, &m->st, &delay_ms);
		/* Removed, started or stopped from the callback: that wins. */
		if (find_id(sv, id) != m || m->phase != PH_IDLE)
			return;
	}
	if (restart) {
		do_start(sv, m, NULL);
		return;
	}
	if (!wanted)
		apply_action(m, act, delay_ms);
}

/* The main process has exited (or may have: pidfds also wake for nothing). */
static void on_main_exit(struct ew_supervisor *sv, struct module *m)
{
	siginfo_t si;
	int r, pop;

	memset(&si, 0, sizeof(si));
	r = -1;
	errno = EINVAL;
	if (m->pidfd >= 0) {
		do
			r = waitid(P_PIDFD, (id_t)m->pidfd, &si, WEXITED | WNOHANG);
		while (r < 0 && errno == EINTR);
	}
	/* No pidfd, or no P_PIDFD (Linux 5.4): the pid is ours until reaped. */
	if (r < 0 && errno == EINVAL) {
		do
			r = waitid(P_PID, (id_t)m->pid, &si, WEXITED | WNOHANG);
		while (r < 0 && errno == EINTR);
	}
	if (r == 0 && si.si_pid == 0)
		return;
	m->poll_at = 0;
	m->reaped = r == 0;
	m->reap_err = r < 0 ? errno : 0;
	m->si = si;
	m->st.exit_ns = real_ns();
	watch_del(sv, &m->pidfd);
	m->term_deadline = 0;
	m->phase = PH_DRAINING;

	/* Armed before reading, so an emptying in between is not missed. */
	m->events_fd = ew_cgroup_events_open(&m->cg, NULL);
	if (m->events_fd >= 0) {
		m->w_events = (struct watch){ m, W_EVENTS };
		watch_add(sv, m->events_fd, EPOLLPRI, &m->w_events);
		pop = ew_cgroup_events_read(m->events_fd);
	} else {
		pop = ew_cgroup_populated(&m->cg);
	}
	if (pop <= 0) {
		finalize(sv, m);
		return;
	}
	/* Nothing of the module outlives its main process. */
	ew_cgroup_kill(&m->cg, NULL);
	m->drain_deadline = mono_ns() + DRAIN_TIMEOUT_MS * NSEC_PER_MSEC;
	if (!m->cg.has_kill)
		m->rekill_at = mono_ns() + REKILL_MS * NSEC_PER_MSEC;
}

/* Processes of an earlier run have all ended. */
static void adopted_gone(struct ew_supervisor *sv, struct module *m)
{
	bool restart = m->restart_after;

	watch_del(sv, &m->events_fd);
	m->phase = PH_IDLE;
	m->st.state = EW_SV_STOPPED;
	m->st.stopping = false;
	describe(m, "%s", m->stop_requested ? "stopped the processes of an earlier run"
		 : "the processes of an earlier run have ended");
	m->drain_deadline = m->rekill_at = 0;
	m->stop_requested = m->no_restart = m->restart_after = false;
	if (restart)
		do_start(sv, m, NULL);
}

static void on_events(struct ew_supervisor *sv, struct module *m)
{
	int pop = ew_cgroup_events_read(m->events_fd);

	if (pop > 0)
		return;
	if (m->phase == PH_DRAINING)
		finalize(sv, m);
	else if (m->phase == PH_ADOPTED)
		adopted_gone(sv, m);
}

/* What is due on the clock, for every module. */
static void run_timers(struct ew_supervisor *sv)
{
	int64_t now = mono_ns();
	struct module *m;
	uint64_t id;
	size_t i;

	for (i = 0; i < sv->nmods; i++) {
		m = sv->mods[i];
		id = m->id;
		if (m->poll_at && now >= m->poll_at && m->phase == PH_RUNNING) {
			m->poll_at = now + EXIT_POLL_MS * NSEC_PER_MSEC;
			on_main_exit(sv, m);
			if (find_id(sv, id) != m) {
				i--;
				continue;
			}
		}
		if (m->term_deadline && now >= m->term_deadline) {
			m->term_deadline = 0;
			m->killed_after_grace = true;
			ew_cgroup_kill(&m->cg, NULL);
			if (!m->cg.has_kill)
				m->rekill_at = now + REKILL_MS * NSEC_PER_MSEC;
		}
		if (m->rekill_at && now >= m->rekill_at) {
			ew_cgroup_kill(&m->cg, NULL);
			m->rekill_at = now + REKILL_MS * NSEC_PER_MSEC;
		}
		if (m->drain_deadline && now >= m->drain_deadline) {
			m->drain_deadline = m->rekill_at = 0;
			if (m->phase == PH_DRAINING) {
				m->leftovers = true;
				finalize(sv, m);
			} else if (m->phase == PH_ADOPTED) {
				m->stop_requested = m->no_restart = m->restart_after = false;
				m->st.stopping = false;
				describe(m, "processes of an earlier run in %s would not die",
					 m->cg.path);
			}
		}
		if (find_id(sv, id) == m && m->restart_at && now >= m->restart_at &&
		    m->phase == PH_IDLE) {
			struct ew_error e;
			unsigned delay_ms = 0;
			enum ew_sv_action act;

			if (do_start(sv, m, &e) < 0 && sv->ops.on_exit) {
				/* A restart on_exit asked for failed: ask again. */
				act = sv->ops.on_exit(sv->ops.arg, m->name, &m->st, &delay_ms);
				if (find_id(sv, id) == m && m->phase == PH_IDLE)
					apply_action(m, act, delay_ms);
			}
		}
		/* A callback removed this module: visit the one now at its index. */
		if (i < sv->nmods && sv->mods[i] != m)
			i--;
	}
}

/* --- dispatch --------------------------------------------------------------- */

static void handle(struct ew_supervisor *sv, struct watch *w, uint32_t events)
{
	struct module *m = w->m;
	uint64_t expirations;
	bool logged;

	(void)events;
	switch (w->kind) {
	case W_TIMER:
		/* Only to clear it (EAGAIN: nothing to clear); run_timers does the work. */
		if (read(sv->timerfd, &expirations, sizeof(expirations)) < 0)
			expirations = 0;
		break;
	case W_PIDFD:
		on_main_exit(sv, m);
		break;
	case W_OUT:
	case W_ERR:
		logged = read_output(sv, m, w->kind == W_OUT ? &m->out_fd : &m->err_fd,
				     w->kind == W_OUT ? EW_LOG_STDOUT : EW_LOG_STDERR,
				     READS_PER_EVENT);
		if (logged)
			notify_log(sv, m);
		break;
	case W_EVENTS:
		on_events(sv, m);
		break;
	}
}

int ew_supervisor_dispatch(struct ew_supervisor *sv)
{
	struct epoll_event ev;
	int i, n, r = 0;

	run_timers(sv);
	/* One event per wait: a callback may free what a later event points to. */
	for (i = 0; i < EVENTS_PER_DISPATCH; i++) {
		n = epoll_wait(sv->epfd, &ev, 1, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		handle(sv, ev.data.ptr, ev.events);
	}
	run_timers(sv);
	arm_timer(sv);
	return r;
}

int ew_supervisor_fd(struct ew_supervisor *sv)
{
	return sv->epfd;
}

int ew_supervisor_run_for(struct ew_supervisor *sv, int ms)
{
	int64_t deadline = mono_ns() + (int64_t)ms * NSEC_PER_MSEC, left;
	struct pollfd pfd = { .fd = sv->epfd, .events = POLLIN };
	int r;

	for (;;) {
		r = ew_supervisor_dispatch(sv);
		if (r < 0)
			return r;
		left = deadline - mono_ns();
		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, (int)((left + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC)) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}

static bool settled(const struct module *m)
{
	if (m->phase == PH_ADOPTED)
		return !m->stop_requested;
	return m->phase == PH_IDLE && !m->restart_at;
}

int ew_supervisor_wait(struct ew_supervisor *sv, const char *name, int ms)
{
	int64_t deadline = mono_ns() + (int64_t)ms * NSEC_PER_MSEC, left;
	struct pollfd pfd = { .fd = sv->epfd, .events = POLLIN };
	struct module *m;
	bool all;
	size_t i;
	int r;

	for (;;) {
		r = ew_supervisor_dispatch(sv);
		if (r < 0)
			return r;
		if (name) {
			m = find(sv, name);
			if (!m)
				return -ENOENT;
			all = settled(m);
		} else {
			all = true;
			for (i = 0; i < sv->nmods; i++)
				all = all && settled(sv->mods[i]);
		}
		if (all)
			return 0;
		left = deadline - mono_ns();
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((left + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC)) < 0 &&
		    errno != EINTR)
			return -errno;
	}
}

/* --- the API ----------------------------------------------------------------- */

int ew_supervisor_new(struct ew_supervisor **out, const struct ew_supervisor_config *cfg,
		      struct ew_error *e)
{
	struct ew_supervisor *sv;
	int r;

	*out = NULL;
	sv = calloc(1, sizeof(*sv));
	if (!sv)
		return ew_err_set(e, -ENOMEM, "out of memory");
	sv->epfd = sv->timerfd = -1;
	sv->cgs.base_fd = sv->cgs.modules_fd = -1;
	sv->ops = cfg->ops;
	sv->log_limits = cfg->log_limits;
	sv->no_clone3 = cfg->no_clone3;
	sv->grace_ms = cfg->grace_ms ? cfg->grace_ms : EW_SV_GRACE_DEFAULT_MS;
	sv->buf = malloc(READ_CHUNK);
	if (!sv->buf || (cfg->log_dir && !(sv->log_dir = strdup(cfg->log_dir)))) {
		ew_supervisor_free(sv);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	r = ew_cgroups_open(&sv->cgs, cfg->cgroup_mount, cfg->cgroup_base, e);
	if (r < 0) {
		ew_supervisor_free(sv);
		return r;
	}
	sv->epfd = epoll_create1(EPOLL_CLOEXEC);
	sv->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (sv->epfd < 0 || sv->timerfd < 0) {
		r = -errno;
		ew_supervisor_free(sv);
		return ew_err_set(e, r, "epoll/timerfd: %s", strerror(-r));
	}
	sv->w_timer = (struct watch){ NULL, W_TIMER };
	watch_add(sv, sv->timerfd, EPOLLIN, &sv->w_timer);
	*out = sv;
	return 0;
}

void ew_supervisor_free(struct ew_supervisor *sv)
{
	size_t i;

	if (!sv)
		return;
	for (i = 0; i < sv->nmods; i++)
		module_free(sv, sv->mods[i]);
	free(sv->mods);
	close_fd(&sv->timerfd);
	close_fd(&sv->epfd);
	ew_cgroups_close(&sv->cgs);
	free(sv->log_dir);
	free(sv->buf);
	free(sv);
}

static int check_spec(const struct ew_sv_spec *spec, struct ew_error *e)
{
	size_t i, j, ki, kj;
	const char *eq;
	int r;

	r = ew_cgroup_name_check(spec->name, e);
	if (r < 0)
		return r;
	if (!spec->exec || spec->exec[0] != '/')
		return ew_err_set(e, -EINVAL, "exec must be an absolute path");
	if (strlen(spec->exec) >= PATH_MAX)
		return ew_err_set(e, -ENAMETOOLONG, "exec: path too long");
	if (spec->nargs && !spec->args)
		return ew_err_set(e, -EINVAL, "args missing");
	for (i = 0; i < spec->nargs; i++) {
		if (!spec->args[i])
			return ew_err_set(e, -EINVAL, "args[%zu] is missing", i);
	}
	if (spec->nenv && !spec->env)
		return ew_err_set(e, -EINVAL, "env missing");
	for (i = 0; i < spec->nenv; i++) {
		eq = spec->env[i] ? strchr(spec->env[i], '=') : NULL;
		if (!eq || eq == spec->env[i])
			return ew_err_set(e, -EINVAL, "env[%zu] is not KEY=VALUE", i);
		ki = (size_t)(eq - spec->env[i]);
		for (j = 0; j < i; j++) {
			kj = (size_t)(strchr(spec->env[j], '=') - spec->env[j]);
			if (ki == kj && memcmp(spec->env[i], spec->env[j], ki) == 0)
				return ew_err_set(e, -EINVAL, "env: duplicate key '%.*s'", (int)ki,
					    spec->env[i]);
		}
	}
	if (spec->user && strlen(spec->user) > LOGIN_NAME_MAX)
		return ew_err_set(e, -EINVAL, "user: name too long");
	return 0;
}

static char **strv_new(const char *first, const char *const *v, size_t n)
{
	size_t i, k = 0;
	char **out = calloc(n + 2, sizeof(*out));

	if (!out)
		return NULL;
	if (first && !(out[k++] = strdup(first)))
		goto oom;
	for (i = 0; i < n; i++) {
		if (!(out[k++] = strdup(v[i])))
			goto oom;
	}
	return out;
oom:
	free_strv(out);
	return NULL;
}

int ew_supervisor_add(struct ew_supervisor *sv, const struct ew_sv_spec *spec,
		      struct ew_error *e)
{
	struct module *m, **nm;
	int r, pop;

	r = check_spec(spec, e);
	if (r < 0)
		return r;
	if (find(sv, spec->name))
		return ew_err_set(e, -EEXIST, "module '%s' exists", spec->name);
	if (sv->nmods == sv->capmods) {
		size_t cap = sv->capmods ? sv->capmods * 2 : 8;

		nm = realloc(sv->mods, cap * sizeof(*nm));
		if (!nm)
			return ew_err_set(e, -ENOMEM, "out of memory");
		sv->mods = nm;
		sv->capmods = cap;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return ew_err_set(e, -ENOMEM, "out of memory");
	m->pidfd = m->out_fd = m->err_fd = m->events_fd = m->report_fd = -1;
	m->cg.fd = -1;
	m->id = ++sv->next_id;
	m->name = strdup(spec->name);
	m->exec = strdup(spec->exec);
	m->user = spec->user && *spec->user ? strdup(spec->user) : NULL;
	m->argv = strv_new(spec->exec, spec->args, spec->nargs);
	m->envp = strv_new(NULL, spec->env, spec->nenv);
	if (!m->name || !m->exec || (spec->user && *spec->user && !m->user) || !m->argv ||
	    !m->envp) {
		module_free(sv, m);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	r = ew_cgroup_create(&sv->cgs, m->name, &m->cg, e);
	if (r == 0)
		r = ew_logbuf_open(&m->log, sv->log_dir, m->name, &sv->log_limits, e);
	if (r < 0) {
		module_free(sv, m);
		return r;
	}
	m->st.state = EW_SV_STOPPED;
	describe(m, "not started");
	pop = ew_cgroup_populated(&m->cg);
	if (pop > 0) {
		m->events_fd = ew_cgroup_events_open(&m->cg, NULL);
		if (m->events_fd >= 0) {
			m->w_events = (struct watch){ m, W_EVENTS };
			watch_add(sv, m->events_fd, EPOLLPRI, &m->w_events);
			ew_cgroup_events_read(m->events_fd);
		}
		m->phase = PH_ADOPTED;
		m->st.state = EW_SV_UNKNOWN;
		describe(m, "processes of an earlier run are in %s", m->cg.path);
	}
	sv->mods[sv->nmods++] = m;
	return 0;
}

int ew_supervisor_remove(struct ew_supervisor *sv, const char *name, bool delete_logs,
			 struct ew_error *e)
{
	struct module *m = find(sv, name);
	size_t i;
	int r;

	if (!m)
		return ew_err_set(e, -ENOENT, "no module '%s'", name ? name : "");
	if (m->phase != PH_IDLE)
		return ew_err_set(e, -EBUSY, "module '%s' has processes; stop it first", name);
	r = ew_cgroup_remove(&sv->cgs, m->name, 1000, e);
	if (r < 0 && r != -ENOENT)
		return r;
	if (delete_logs && sv->log_dir) {
		r = ew_logbuf_unlink(sv->log_dir, m->name, sv->log_limits.files, e);
		if (r < 0)
			return r;
	}
	for (i = 0; i < sv->nmods; i++) {
		if (sv->mods[i] == m)
			break;
	}
	memmove(&sv->mods[i], &sv->mods[i + 1], (sv->nmods - i - 1) * sizeof(*sv->mods));
	sv->nmods--;
	module_free(sv, m);
	arm_timer(sv);
	return 0;
}

int ew_supervisor_start(struct ew_supervisor *sv, const char *name, struct ew_error *e)
{
	struct module *m = find(sv, name);
	int r;

	if (!m)
		return ew_err_set(e, -ENOENT, "no module '%s'", name ? name : "");
	switch (m->phase) {
	case PH_RUNNING:
		if (!m->stop_requested)
			return ew_err_set(e, -EALREADY, "module '%s' is running", name);
		/* fall through */
	case PH_DRAINING:
		return ew_err_set(e, -EBUSY, "module '%s' is stopping", name);
	case PH_ADOPTED:
		return ew_err_set(e, -EBUSY,
			    "processes of an earlier run of '%s' are still running; stop it first",
			    name);
	case PH_IDLE:
		break;
	}
	r = do_start(sv, m, e);
	arm_timer(sv);
	return r;
}

static int stop_module(struct ew_supervisor *sv, struct module *m, struct ew_error *e)
{
	int r;

	switch (m->phase) {
	case PH_IDLE:
		m->restart_at = 0;
		return 0;
	case PH_DRAINING:
		m->no_restart = true;
		m->st.stopping = true;
		return 0;
	case PH_ADOPTED:
		if (m->stop_requested)
			return 0;
		m->stop_requested = m->no_restart = true;
		m->st.stopping = true;
		r = ew_cgroup_kill(&m->cg, e);
		m->drain_deadline = mono_ns() + DRAIN_TIMEOUT_MS * NSEC_PER_MSEC;
		if (!m->cg.has_kill)
			m->rekill_at = mono_ns() + REKILL_MS * NSEC_PER_MSEC;
		return r;
	case PH_RUNNING:
		break;
	}
	if (m->stop_requested)
		return 0;
	m->stop_requested = m->no_restart = true;
	m->st.stopping = true;
	m->grace_ms = sv->grace_ms;
	if (m->pidfd < 0 || syscall(SYS_pidfd_send_signal, m->pidfd, SIGTERM, NULL, 0) < 0) {
		/* Unreaped, so the pid cannot have been reused. */
		if ((m->pidfd >= 0 && errno != ENOSYS) || kill(m->pid, SIGTERM) < 0) {
			if (errno != ESRCH)
				return ew_err_set(e, -errno, "SIGTERM to %d: %s", (int)m->pid,
					    strerror(errno));
		}
	}
	m->term_deadline = mono_ns() + (int64_t)m->grace_ms * NSEC_PER_MSEC;
	describe(m, "stopping (pid %d, SIGTERM sent)", (int)m->pid);
	return 0;
}

int ew_supervisor_stop(struct ew_supervisor *sv, const char *name, struct ew_error *e)
{
	struct module *m = find(sv, name);
	int r;

	if (!m)
		return ew_err_set(e, -ENOENT, "no module '%s'", name ? name : "");
	m->restart_after = false;
	r = stop_module(sv, m, e);
	arm_timer(sv);
	return r;
}

int ew_supervisor_restart(struct ew_supervisor *sv, const char *name, struct ew_error *e)
{
	struct module *m = find(sv, name);
	int r;

	if (!m)
		return ew_err_set(e, -ENOENT, "no module '%s'", name ? name : "");
	if (m->phase == PH_IDLE) {
		r = do_start(sv, m, e);
	} else {
		r = stop_module(sv, m, e);
		m->restart_after = true;
	}
	arm_timer(sv);
	return r;
}

void ew_supervisor_stop_all(struct ew_supervisor *sv)
{
	size_t i;

	for (i = 0; i < sv->nmods; i++) {
		sv->mods[i]->restart_after = false;
		stop_module(sv, sv->mods[i], NULL);
	}
	arm_timer(sv);
}

int ew_supervisor_status(struct ew_supervisor *sv, const char *name,
			 struct ew_sv_status *st)
{
	struct module *m = find(sv, name);

	if (!m)
		return -ENOENT;
	*st = m->st;
	return 0;
}

struct ew_logbuf *ew_supervisor_logs(struct ew_supervisor *sv, const char *name)
{
	struct module *m = find(sv, name);

	return m ? m->log : NULL;
}

const struct ew_cgroup *ew_supervisor_cgroup(struct ew_supervisor *sv, const char *name)
{
	struct module *m = find(sv, name);

	return m ? &m->cg : NULL;
}

const struct ew_cgroups *ew_supervisor_cgroups(struct ew_supervisor *sv)
{
	return &sv->cgs;
}

void ew_supervisor_set_grace(struct ew_supervisor *sv, unsigned ms)
{
	sv->grace_ms = ms ? ms : EW_SV_GRACE_DEFAULT_MS;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module cgroups on cgroup v2: finding the mount, the daemon's base, one
 * cgroup per module, and killing, waiting for and removing what is in one.
 * See cgroup.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "daemon/cgroup.h"

/* cgroup v2 nests at most this deep by default (cgroup.max.depth aside). */
#define NEST_MAX 64

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Decodes the \ooo escapes mountinfo uses for space, tab, newline, '\'. */
static int unescape_mountinfo(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	while (*in) {
		char c = *in;

		if (c == '\\' && in[1] >= '0' && in[1] <= '3' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			c = (char)((in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0'));
			in += 4;
		} else {
			in++;
		}
		if (o + 1 >= outlen)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/*
 * One mountinfo line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...]
 * - FSTYPE SOURCE SUPEROPTS". Returns the mount point (still escaped) if the
 * file system type is cgroup2, else NULL. Modifies line.
 */
static char *cgroup2_mountpoint(char *line)
{
	char *save = NULL, *tok, *mp = NULL;
	int field;

	for (field = 0, tok = strtok_r(line, " \n", &save); tok;
	     field++, tok = strtok_r(NULL, " \n", &save)) {
		if (field == 4) {
			mp = tok;
		} else if (field >= 6 && strcmp(tok, "-") == 0) {
			tok = strtok_r(NULL, " \n", &save);
			return tok && mp && strcmp(tok, "cgroup2") == 0 ? mp : NULL;
		}
	}
	return NULL;
}

int ew_cgroup_find_mount(const char *mountinfo, char *out, size_t outlen,
			 struct ew_error *e)
{
	const char *file = mountinfo ? mountinfo : "/proc/self/mountinfo";
	char *line = NULL, *mp;
	size_t cap = 0;
	int r = -ENOENT;
	FILE *f;

	f = fopen(file, "re");
	if (!f)
		return ew_err_set(e, -errno, "%s: %s", file, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		mp = cgroup2_mountpoint(line);
		if (!mp)
			continue;
		r = unescape_mountinfo(mp, out, outlen);
		if (r < 0)
			ew_err_set(e, r, "%s: cgroup2 mount point too long", file);
		break;
	}
	free(line);
	fclose(f);
	if (r == -ENOENT)
		ew_err_set(e, r, "no cgroup2 file system is mounted (%s)", file);
	return r;
}

int ew_cgroup_name_check(const char *name, struct ew_error *e)
{
	/* Prefixes of interface files, now or from controllers one may enable. */
	static const char *const reserved[] = {
		"cgroup", "cpu", "cpuset", "cpuacct", "io", "blkio", "memory",
		"hugetlb", "pids", "rdma", "misc", "dmem", "irq", "perf_event",
		"freezer", "devices", "net_cls", "net_prio",
	};
	const char *dot;
	size_t len, i;

	if (!name || !*name)
		return ew_err_set(e, -EINVAL, "module name is empty");
	len = strnlen(name, EW_CGROUP_NAME_MAX + 1);
	if (len > EW_CGROUP_NAME_MAX)
		return ew_err_set(e, -EINVAL, "module name longer than %d characters",
			    EW_CGROUP_NAME_MAX);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!ew_ident_char_valid(c))
			return ew_err_set(e, -EINVAL,
				    "module name: character 0x%02x at offset %zu is not allowed",
				    c, i);
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return ew_err_set(e, -EINVAL, "module name '%s' is not a directory name", name);
	dot = strchr(name, '.');
	if (dot) {
		for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
			if (strlen(reserved[i]) == (size_t)(dot - name) &&
			    strncmp(name, reserved[i], (size_t)(dot - name)) == 0)
				return ew_err_set(e, -EINVAL,
					    "module name '%s' would collide with the cgroup interface files '%s.*'",
					    name, reserved[i]);
		}
	}
	return 0;
}

static int check_cgroup2(int fd)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	return sfs.f_type == CGROUP2_SUPER_MAGIC ? 0 : -EMEDIUMTYPE;
}

/* Opens (creating it if missing) directory @name under @dirfd. */
static int open_dir(int dirfd, const char *name, bool create)
{
	int fd;

	if (create && mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	return fd < 0 ? -errno : fd;
}

void ew_cgroups_close(struct ew_cgroups *cgs)
{
	if (cgs->base_fd >= 0)
		close(cgs->base_fd);
	if (cgs->modules_fd >= 0)
		close(cgs->modules_fd);
	cgs->base_fd = cgs->modules_fd = -1;
}

/* Checks @base and creates it component by component under @mnt_fd. */
static int open_base(struct ew_cgroups *cgs, int mnt_fd, const char *base,
		     struct ew_error *e)
{
	char comp[NAME_MAX + 1];
	const char *p = base, *slash;
	int fd = mnt_fd, next;
	size_t len;

	if (!*base || *base == '/')
		return ew_err_set(e, -EINVAL, "cgroup base '%s' must be a relative path", base);
	while (*p) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || len > NAME_MAX ||
		    (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			if (fd != mnt_fd)
				close(fd);
			return ew_err_set(e, -EINVAL, "cgroup base '%s': bad path component", base);
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		next = open_dir(fd, comp, true);
		if (fd != mnt_fd)
			close(fd);
		if (next < 0)
			return ew_err_set(e, next, "cgroup %s/%s: %s", cgs->mnt, base, strerror(-next));
		fd = next;
		p += len;
		if (*p == '/')
			p++;
	}
	cgs->base_fd = fd;
	return 0;
}

int ew_cgroups_open(struct ew_cgroups *cgs, const char *mnt, const char *base,
		    struct ew_error *e)
{
	int mnt_fd, r;

	memset(cgs, 0, sizeof(*cgs));
	cgs->base_fd = cgs->modules_fd = -1;
	if (!base)
		base = "edgeward";
	if (mnt) {
		if (snprintf(cgs->mnt, sizeof(cgs->mnt), "%s", mnt) >= (int)sizeof(cgs->mnt))
			return ew_err_set(e, -ENAMETOOLONG, "cgroup mount point too long");
	} else {
		r = ew_cgroup_find_mount(NULL, cgs->mnt, sizeof(cgs->mnt), e);
		if (r < 0)
			return r;
	}
	if (snprintf(cgs->base, sizeof(cgs->base), "%s", base) >= (int)sizeof(cgs->base))
		return ew_err_set(e, -ENAMETOOLONG, "cgroup base too long");
	mnt_fd = open(cgs->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mnt_fd < 0)
		return ew_err_set(e, -errno, "%s: %s", cgs->mnt, strerror(errno));
	r = check_cgroup2(mnt_fd);
	if (r < 0) {
		close(mnt_fd);
		return ew_err_set(e, r, "%s: %s", cgs->mnt,
			    r == -EMEDIUMTYPE ? "not a cgroup v2 file system" : strerror(-r));
	}
	r = open_base(cgs, mnt_fd, base, e);
	close(mnt_fd);
	if (r < 0)
		return r;
	r = open_dir(cgs->base_fd, "modules", true);
	if (r < 0) {
		ew_cgroups_close(cgs);
		return ew_err_set(e, r, "cgroup %s/%s/modules: %s", cgs->mnt, base, strerror(-r));
	}
	cgs->modules_fd = r;
	/* Below the mount, a bind mount or symlink could lead elsewhere. */
	r = check_cgroup2(cgs->modules_fd);
	if (r < 0) {
		ew_cgroups_close(cgs);
		return ew_err_set(e, r, "cgroup %s/%s/modules: not on cgroup v2", cgs->mnt, base);
	}
	cgs->has_kill = faccessat(cgs->modules_fd, "cgroup.kill", F_OK, 0) == 0;
	return 0;
}

int ew_cgroups_destroy(struct ew_cgroups *cgs, struct ew_error *e)
{
	char parent[2 * EW_PATH_MAX + 2];
	const char *last = strrchr(cgs->base, '/');
	int pfd, r = 0;

	if (cgs->modules_fd < 0)
		return ew_err_set(e, -EBADF, "cgroup base not open");
	if (unlinkat(cgs->base_fd, "modules", AT_REMOVEDIR) < 0 && errno != ENOENT) {
		r = -errno;
		ew_err_set(e, r, "cgroup %s/%s/modules: %s", cgs->mnt, cgs->base, strerror(errno));
		goto out;
	}
	if (last)
		snprintf(parent, sizeof(parent), "%s/%.*s", cgs->mnt,
			 (int)(last - cgs->base), cgs->base);
	else
		snprintf(parent, sizeof(parent), "%s", cgs->mnt);
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		r = ew_err_set(e, -errno, "%s: %s", parent, strerror(errno));
		goto out;
	}
	if (unlinkat(pfd, last ? last + 1 : cgs->base, AT_REMOVEDIR) < 0 && errno != ENOENT) {
		r = -errno;
		ew_err_set(e, r, "cgroup %s/%s: %s", cgs->mnt, cgs->base, strerror(errno));
	}
	close(pfd);
out:
	ew_cgroups_close(cgs);
	return r;
}

static int cgroup_get(struct ew_cgroups *cgs, const char *name, bool create,
		      struct ew_cgroup *cg, struct ew_error *e)
{
	int r;

	memset(cg, 0, sizeof(*cg));
	cg->fd = -1;
	r = ew_cgroup_name_check(name, e);
	if (r < 0)
		return r;
	if (cgs->modules_fd < 0)
		return ew_err_set(e, -EBADF, "cgroup base not open");
	r = open_dir(cgs->modules_fd, name, create);
	if (r < 0)
		return ew_err_set(e, r, "cgroup %s/%s/modules/%s: %s", cgs->mnt, cgs->base,
			    name, strerror(-r));
	cg->fd = r;
	r = ew_cgroup_id_of_fd(cg->fd, &cg->id);
	if (r < 0) {
		ew_cgroup_close(cg);
		return ew_err_set(e, r, "cgroup %s: no cgroup id: %s", name, strerror(-r));
	}
	cg->has_kill = cgs->has_kill;
	snprintf(cg->name, sizeof(cg->name), "%s", name);
	if (asprintf(&cg->path, "%s/%s/modules/%s", cgs->mnt, cgs->base, name) < 0) {
		cg->path = NULL;
		ew_cgroup_close(cg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	if (asprintf(&cg->rel, "/%s/modules/%s", cgs->base, name) < 0) {
		cg->rel = NULL;
		ew_cgroup_close(cg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	return 0;
}

int ew_cgroup_create(struct ew_cgroups *cgs, const char *name,
		     struct ew_cgroup *cg, struct ew_error *e)
{
	return cgroup_get(cgs, name, true, cg, e);
}

int ew_cgroup_open(struct ew_cgroups *cgs, const char *name,
		   struct ew_cgroup *cg, struct ew_error *e)
{
	return cgroup_get(cgs, name, false, cg, e);
}

void ew_cgroup_close(struct ew_cgroup *cg)
{
	if (cg->fd >= 0)
		close(cg->fd);
	cg->fd = -1;
	free(cg->path);
	free(cg->rel);
	cg->path = cg->rel = NULL;
}

/* Reads all of @dirfd/@file into a malloc'd, NUL-terminated buffer. */
static int read_file_at(int dirfd, const char *file, char **out, size_t *outlen)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *nb;
	ssize_t n;
	int fd, r = 0;

	if (!buf)
		return -ENOMEM;
	fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	for (;;) {
		if (cap - len < 2) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*out = buf;
	if (outlen)
		*outlen = len;
	return 0;
}

static int write_file_at(int dirfd, const char *file, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, r = 0;

	fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	close(fd);
	return r;
}

/* The pids of cgroup.procs in @dirfd; *pids NULL when there are none. */
static int read_pids(int dirfd, pid_t **pids, size_t *n)
{
	pid_t *v = NULL, *nv;
	size_t cnt = 0, cap = 0;
	char *buf, *p, *end;
	long val;
	int r;

	r = read_file_at(dirfd, "cgroup.procs", &buf, NULL);
	if (r < 0)
		return r;
	for (p = buf; *p; p = end) {
		while (*p == '\n')
			p++;
		if (!*p)
			break;
		errno = 0;
		val = strtol(p, &end, 10);
		if (end == p || errno || val <= 0 || val > INT_MAX ||
		    (*end && *end != '\n')) {
			r = -EPROTO;
			break;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				r = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[cnt++] = (pid_t)val;
	}
	free(buf);
	if (r < 0) {
		free(v);
		return r;
	}
	*pids = v;
	*n = cnt;
	return 0;
}

int ew_cgroup_pids(const struct ew_cgroup *cg, pid_t **pids, size_t *n,
		   struct ew_error *e)
{
	int r;

	*pids = NULL;
	*n = 0;
	r = read_pids(cg->fd, pids, n);
	if (r < 0)
		return ew_err_set(e, r, "%s/cgroup.procs: %s", cg->path,
			    r == -EPROTO ? "unexpected contents" : strerror(-r));
	return 0;
}

/* "populated N" of a cgroup.events text: 1, 0 or -EPROTO. */
static int parse_populated(const char *text)
{
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, "populated ", 10) == 0) {
			if ((p[10] == '0' || p[10] == '1') && (p[11] == '\n' || !p[11]))
				return p[10] - '0';
			return -EPROTO;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -EPROTO;
}

int ew_cgroup_populated(const struct ew_cgroup *cg)
{
	char *buf;
	int r;

	r = read_file_at(cg->fd, "cgroup.events", &buf, NULL);
	if (r < 0)
		return r;
	r = parse_populated(buf);
	free(buf);
	return r;
}

int ew_cgroup_events_open(const struct ew_cgroup *cg, struct ew_error *e)
{
	int fd = openat(cg->fd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ew_err_set(e, -errno, "%s/cgroup.events: %s", cg->path, strerror(errno));
	return fd;
}

int ew_cgroup_events_read(int events_fd)
{
	char buf[256];
	ssize_t n;

	/* Reading from the start is what re-arms kernfs's notification. */
	do
		n = pread(events_fd, buf, sizeof(buf) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return parse_populated(buf);
}

int ew_cgroup_kill(const struct ew_cgroup *cg, struct ew_error *e)
{
	int r;

	if (cg->has_kill) {
		r = write_file_at(cg->fd, "cgroup.kill", "1");
		if (r != -ENOENT) {
			if (r < 0)
				return ew_err_set(e, r, "%s/cgroup.kill: %s", cg->path, strerror(-r));
			return 0;
		}
	}
	r = ew_cgroup_kill_each(cg, e);
	return r < 0 ? r : 0;
}

/* SIGKILL to every process in @dirfd and the cgroups below it. */
static int kill_tree(int dirfd, int depth)
{
	struct dirent *de;
	pid_t *pids = NULL;
	size_t n = 0, i;
	int count = 0, r, sub, dfd;
	DIR *d;

	r = read_pids(dirfd, &pids, &n);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++) {
		if (kill(pids[i], SIGKILL) == 0)
			count++;
	}
	free(pids);
	if (depth >= NEST_MAX)
		return count;
	dfd = dup(dirfd);
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = open_dir(dirfd, de->d_name, false);
		if (sub < 0)
			continue;	/* removed meanwhile */
		r = kill_tree(sub, depth + 1);
		close(sub);
		if (r > 0)
			count += r;
	}
	closedir(d);
	return count;
}

int ew_cgroup_kill_each(const struct ew_cgroup *cg, struct ew_error *e)
{
	bool frozen;
	int r;

	frozen = write_file_at(cg->fd, "cgroup.freeze", "1") == 0;
	r = kill_tree(cg->fd, 0);
	/* Left frozen, the next process started here would hang. */
	if (frozen)
		write_file_at(cg->fd, "cgroup.freeze", "0");
	if (r < 0)
		return ew_err_set(e, r, "%s: killing its processes: %s", cg->path, strerror(-r));
	return r;
}

int ew_cgroup_wait_empty(const struct ew_cgroup *cg, int timeout_ms,
			 bool rekill, struct ew_error *e)
{
	int64_t deadline = mono_ms() + timeout_ms, left;
	struct pollfd pfd;
	int r, wait;

	pfd.fd = ew_cgroup_events_open(cg, e);
	if (pfd.fd < 0)
		return pfd.fd;
	pfd.events = POLLPRI;
	for (;;) {
		r = ew_cgroup_events_read(pfd.fd);
		if (r < 0) {
			ew_err_set(e, r, "%s/cgroup.events: %s", cg->path,
			     r == -EPROTO ? "unexpected contents" : strerror(-r));
			break;
		}
		if (r == 0)
			break;
		if (rekill) {
			r = ew_cgroup_kill(cg, e);
			if (r < 0)
				break;
		}
		wait = -1;
		if (timeout_ms >= 0) {
			left = deadline - mono_ms();
			if (left <= 0) {
				r = ew_err_set(e, -ETIMEDOUT, "%s: processes still running after %d ms",
					 cg->path, timeout_ms);
				break;
			}
			wait = (int)(left > INT_MAX ? INT_MAX : left);
		}
		if (rekill && (wait < 0 || wait > 50))
			wait = 50;
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR) {
			r = ew_err_set(e, -errno, "%s/cgroup.events: %s", cg->path, strerror(errno));
			break;
		}
	}
	close(pfd.fd);
	return r;
}

/* rmdir of @name under @dirfd, its child cgroups first. */
static int remove_tree(int dirfd, const char *name, int64_t deadline, int depth)
{
	struct dirent *de;
	int fd, dfd, r = 0;
	DIR *d;

	fd = open_dir(dirfd, name, false);
	if (fd < 0)
		return fd;
	if (depth < NEST_MAX) {
		dfd = dup(fd);
		d = dfd >= 0 ? fdopendir(dfd) : NULL;
		if (!d) {
			r = -errno;
			if (dfd >= 0)
				close(dfd);
			close(fd);
			return r;
		}
		while ((de = readdir(d))) {
			if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			r = remove_tree(fd, de->d_name, deadline, depth + 1);
			if (r < 0 && r != -ENOENT)
				break;
			r = 0;
		}
		closedir(d);
	}
	close(fd);
	if (r < 0)
		return r;
	/* EBUSY while exiting processes still count as members. */
	while (unlinkat(dirfd, name, AT_REMOVEDIR) < 0) {
		if (errno != EBUSY || mono_ms() >= deadline)
			return -errno;
		sleep_ms(10);
	}
	return 0;
}

int ew_cgroup_remove(struct ew_cgroups *cgs, const char *name, int timeout_ms,
		     struct ew_error *e)
{
	int r;

	r = ew_cgroup_name_check(name, e);
	if (r < 0)
		return r;
	if (cgs->modules_fd < 0)
		return ew_err_set(e, -EBADF, "cgroup base not open");
	r = remove_tree(cgs->modules_fd, name, mono_ms() + (timeout_ms > 0 ? timeout_ms : 0), 0);
	if (r == -EBUSY)
		return ew_err_set(e, r, "cgroup %s/%s/modules/%s: still has processes",
			    cgs->mnt, cgs->base, name);
	if (r < 0)
		return ew_err_set(e, r, "cgroup %s/%s/modules/%s: %s", cgs->mnt, cgs->base,
			    name, strerror(-r));
	return 0;
}

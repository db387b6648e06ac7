// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the process-module supervisor: daemon/cgroup.c (cgroup v2
 * mount, names, create, kill, wait, remove), daemon/logbuf.c (lines, split,
 * ring bound, rotation, reload, queries, follow) and daemon/supervise.c
 * (spawning into the cgroup by clone3 and by the fork fallback, exit codes,
 * exec failures, the pre-start hook, users, environment, stop with a grace
 * period, restart and its policy, leftovers of an earlier run).
 *
 * The cgroup tests need a writable cgroup v2 (root in CI) and are skipped
 * with the reason otherwise. They work below a base of their own,
 * ewtest-<pid>-..., never the daemon's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "daemon/cgroup.h"
#include "daemon/logbuf.h"
#include "daemon/supervise.h"

#define SEC 1000000000LL

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* All a query gives, as one string (the caller frees it). */
static char *query_text(struct ew_logbuf *lb, const struct ew_log_query *q, size_t chunk)
{
	struct ew_log_cursor c;
	size_t len = 0, cap = 1024, n;
	char *s = malloc(cap), *ns;

	ew_logbuf_cursor(lb, q, &c);
	while (s && !c.done) {
		if (cap - len < chunk + 1) {
			cap = cap * 2 + chunk;
			ns = realloc(s, cap);
			if (!ns) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		n = ew_logbuf_read(lb, &c, s + len, chunk);
		len += n;
		if (!n && !c.done)
			break;
	}
	if (s)
		s[len] = '\0';
	return s;
}

static char *all_text(struct ew_logbuf *lb)
{
	struct ew_log_query q;

	ew_log_query_init(&q);
	return query_text(lb, &q, 4096);
}

/* Whether @lb has an entry of @stream (0: either) that is exactly @text. */
static bool has_line(struct ew_logbuf *lb, int stream, const char *text)
{
	struct ew_log_entry en;
	uint64_t s;

	if (!lb)
		return false;
	for (s = ew_logbuf_first_seq(lb); s < ew_logbuf_next_seq(lb); s++) {
		if (ew_logbuf_get(lb, s, &en) && (!stream || (int)en.stream == stream) &&
		    en.len == strlen(text) && memcmp(en.text, text, en.len) == 0)
			return true;
	}
	return false;
}

/*
 * What runs whose teardown never came left behind: the harness skips the
 * teardown of a TEST_F after a failed ASSERT (its `child` is clobbered by
 * the longjmp). Cgroup bases ewtest-<pid>-* and log directories
 * /tmp/ewsv-<pid>-* of processes that are gone: their processes are killed
 * and the rest removed.
 */
static void sweep_stale(void)
{
	char mnt[EW_PATH_MAX], path[EW_PATH_MAX + 300], fn[2 * NAME_MAX + 2];
	struct ew_cgroups cgs;
	struct ew_cgroup cg;
	struct dirent *de, *me;
	char tail[64];
	DIR *d, *md;
	int pid;

	if (ew_cgroup_find_mount(NULL, mnt, sizeof(mnt), NULL) == 0 && (d = opendir(mnt))) {
		while ((de = readdir(d))) {
			if (sscanf(de->d_name, "ewtest-%d-%63s", &pid, tail) != 2 || pid <= 0 ||
			    kill(pid, 0) == 0 || errno != ESRCH)
				continue;
			if (ew_cgroups_open(&cgs, mnt, de->d_name, NULL) < 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/modules", mnt, de->d_name);
			md = opendir(path);
			while (md && (me = readdir(md))) {
				if (me->d_type != DT_DIR || me->d_name[0] == '.' ||
				    ew_cgroup_open(&cgs, me->d_name, &cg, NULL) < 0)
					continue;
				ew_cgroup_kill(&cg, NULL);
				ew_cgroup_wait_empty(&cg, 1000, true, NULL);
				ew_cgroup_close(&cg);
				ew_cgroup_remove(&cgs, me->d_name, 1000, NULL);
			}
			if (md)
				closedir(md);
			ew_cgroups_destroy(&cgs, NULL);
		}
		closedir(d);
	}
	d = opendir("/tmp");
	while (d && (de = readdir(d))) {
		if (sscanf(de->d_name, "ewsv-%d-%63s", &pid, tail) != 2 || pid <= 0 ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		md = opendir(path);
		while (md && (me = readdir(md))) {
			if (me->d_name[0] == '.')
				continue;
			snprintf(fn, sizeof(fn), "%s/%s", de->d_name, me->d_name);
			unlinkat(dirfd(d), fn, 0);
		}
		if (md)
			closedir(md);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

/* --- cgroup: no cgroup file system needed --------------------------------- */

TEST(mount_from_mountinfo)
{
	static const struct {
		const char *text;
		int ret;
		const char *mnt;
	} cases[] = {
		/* Hybrid (the CI host). */
		{ "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
		  "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		  "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
		  0, "/sys/fs/cgroup/unified" },
		/* Unified, with optional fields. */
		{ "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw\n"
		  "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 master:2 - cgroup2 cgroup2 rw,nsdelegate\n",
		  0, "/sys/fs/cgroup" },
		/* Escaped space; "cgroup2" as a mount point or source is no cgroup2. */
		{ "40 1 0:40 / /cgroup2 rw - tmpfs cgroup2 rw\n"
		  "41 1 0:41 / /mnt/cg\\040two\\134x rw - cgroup2 none rw\n",
		  0, "/mnt/cg two\\x" },
		/* cgroup v1 only. */
		{ "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n",
		  -ENOENT, NULL },
		/* Truncated lines. */
		{ "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime -\n41 31\n", -ENOENT, NULL },
		{ "", -ENOENT, NULL },
	};
	char path[] = "/tmp/ewmi-XXXXXX", out[256];
	struct ew_error e;
	size_t i;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	close(fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ASSERT_EQ(0, write_text(path, cases[i].text));
		memset(out, 0, sizeof(out));
		EXPECT_EQ(cases[i].ret, ew_cgroup_find_mount(path, out, sizeof(out), &e))
			TH_LOG("case %zu", i);
		if (cases[i].mnt) {
			EXPECT_STREQ(cases[i].mnt, out);
		} else {
			EXPECT_NE(NULL, strstr(e.msg, "no cgroup2")) TH_LOG("%s", e.msg);
		}
	}
	/* Too long for the buffer. */
	ASSERT_EQ(0, write_text(path, "41 1 0:41 / /a/very/long/path rw - cgroup2 none rw\n"));
	EXPECT_EQ(-ENAMETOOLONG, ew_cgroup_find_mount(path, out, 8, &e));
	unlink(path);
	EXPECT_EQ(-ENOENT, ew_cgroup_find_mount(path, out, sizeof(out), &e));
}

TEST(names)
{
	static const char *const good[] = {
		"a", "edgeHub", "a$b", "x:y.z", "+%_#*?!(),=@$'", "Memory.max", "cgroupx.y",
		"mod-1", "..a", "a..", "...",
		/* 128 characters: as long as IoT Hub module ids and kernel names. */
		"0123456789012345678901234567890123456789012345678901234567890123"
		"0123456789012345678901234567890123456789012345678901234567890123",
	};
	static const char *const bad[] = {
		"", ".", "..", "a/b", "/", "a b", "a\n", "\xc3\xa4", "a\\b",
		"0123456789012345678901234567890123456789012345678901234567890123"
		"01234567890123456789012345678901234567890123456789012345678901234",
		"cgroup.procs", "cgroup.", "memory.max", "cpu.weight", "pids.x", "io.max",
		"irq.pressure", "cpuset.cpus",
	};
	struct ew_error e;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_EQ(0, ew_cgroup_name_check(good[i], &e)) TH_LOG("good[%zu]: %s", i, e.msg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&e, 0, sizeof(e));
		EXPECT_EQ(-EINVAL, ew_cgroup_name_check(bad[i], &e)) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(-EINVAL, e.err);
		EXPECT_NE(0, e.msg[0]);
	}
	EXPECT_EQ(-EINVAL, ew_cgroup_name_check(NULL, NULL));
	ew_cgroup_name_check("memory.max", &e);
	EXPECT_NE(NULL, strstr(e.msg, "interface files")) TH_LOG("%s", e.msg);
	ew_cgroup_name_check("a b", &e);
	EXPECT_NE(NULL, strstr(e.msg, "0x20")) TH_LOG("%s", e.msg);
}

/* --- cgroup: on cgroup v2 -------------------------------------------------- */

FIXTURE(cg) {
	struct ew_cgroups cgs;
	char base[64];
};

FIXTURE_SETUP(cg)
{
	struct ew_error e;

	sweep_stale();
	snprintf(self->base, sizeof(self->base), "ewtest-%d-cg", (int)getpid());
	if (ew_cgroups_open(&self->cgs, NULL, self->base, &e) < 0)
		SKIP(return, "cgroup v2 not writable: %s", e.msg);
}

FIXTURE_TEARDOWN(cg)
{
	struct ew_error e;

	EXPECT_EQ(0, ew_cgroups_destroy(&self->cgs, &e)) TH_LOG("%s", e.msg);
}

/*
 * A process in @cg (fork, join, exec @argv), as the fallback spawns them.
 * Not inlined: a fork next to the harness's setjmp upsets -Wclobbered.
 */
static pid_t __attribute__((noinline)) spawn_in(const char *cgpath, const char *const argv[])
{
	char procs[EW_PATH_MAX + 16];
	pid_t pid;
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgpath);
	pid = fork();
	if (pid != 0)
		return pid;
	fd = open(procs, O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(99);
	close(fd);
	execv(argv[0], (char *const *)argv);
	_exit(98);
}

/* Waits until @cg holds at least @n processes. */
static size_t wait_pids(const struct ew_cgroup *cg, size_t n, int ms)
{
	int64_t end = mono_ms() + ms;
	pid_t *pids;
	size_t cnt = 0;

	do {
		if (ew_cgroup_pids(cg, &pids, &cnt, NULL) == 0)
			free(pids);
		if (cnt >= n)
			break;
		usleep(5000);
	} while (mono_ms() < end);
	return cnt;
}

TEST_F(cg, create_open_remove)
{
	char want[3 * EW_PATH_MAX];
	struct ew_cgroup cg, again;
	struct ew_error e;
	struct stat st;
	uint64_t id;
	pid_t *pids;
	size_t n;

	ASSERT_EQ(0, ew_cgroup_create(&self->cgs, "m$1:x", &cg, &e)) TH_LOG("%s", e.msg);
	snprintf(want, sizeof(want), "/%s/modules/m$1:x", self->base);
	EXPECT_STREQ(want, cg.rel);
	snprintf(want, sizeof(want), "%s/%s/modules/m$1:x", self->cgs.mnt, self->base);
	EXPECT_STREQ(want, cg.path);
	ASSERT_EQ(0, stat(cg.path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	/* The id is the directory's inode number and its file handle. */
	EXPECT_EQ((uint64_t)st.st_ino, cg.id);
	ASSERT_EQ(0, ew_cgroup_id_of_path(cg.path, &id));
	EXPECT_EQ(id, cg.id);
	ASSERT_EQ(0, fstat(cg.fd, &st));
	EXPECT_EQ((uint64_t)st.st_ino, cg.id);

	/* Reused, not an error. */
	ASSERT_EQ(0, ew_cgroup_create(&self->cgs, "m$1:x", &again, &e));
	EXPECT_EQ(cg.id, again.id);
	ew_cgroup_close(&again);
	ASSERT_EQ(0, ew_cgroup_open(&self->cgs, "m$1:x", &again, &e));
	EXPECT_EQ(cg.id, again.id);
	ew_cgroup_close(&again);
	EXPECT_EQ(-ENOENT, ew_cgroup_open(&self->cgs, "absent", &again, &e));
	EXPECT_EQ(-1, again.fd);
	EXPECT_NE(NULL, strstr(e.msg, "absent")) TH_LOG("%s", e.msg);

	ASSERT_EQ(0, ew_cgroup_pids(&cg, &pids, &n, &e));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(NULL, pids);
	EXPECT_EQ(0, ew_cgroup_populated(&cg));

	/* Refused names never reach the file system. */
	EXPECT_EQ(-EINVAL, ew_cgroup_create(&self->cgs, "..", &again, &e));
	EXPECT_EQ(-1, again.fd);
	EXPECT_EQ(-EINVAL, ew_cgroup_create(&self->cgs, "a/b", &again, &e));
	EXPECT_EQ(-EINVAL, ew_cgroup_create(&self->cgs, "cgroup.procs", &again, &e));
	EXPECT_EQ(-EINVAL, ew_cgroup_remove(&self->cgs, "..", 0, &e));

	/* A cgroup the module made below its own goes too. */
	snprintf(want, sizeof(want), "%s/sub", cg.path);
	ASSERT_EQ(0, mkdir(want, 0755));
	ew_cgroup_close(&cg);
	EXPECT_EQ(0, ew_cgroup_remove(&self->cgs, "m$1:x", 1000, &e)) TH_LOG("%s", e.msg);
	snprintf(want, sizeof(want), "%s/%s/modules/m$1:x", self->cgs.mnt, self->base);
	EXPECT_EQ(-1, stat(want, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-ENOENT, ew_cgroup_remove(&self->cgs, "m$1:x", 0, &e));

	/* The base is kept while it holds modules. */
	ASSERT_EQ(0, ew_cgroup_create(&self->cgs, "keep", &cg, &e));
	ew_cgroup_close(&cg);
	{
		struct ew_cgroups other;

		ASSERT_EQ(0, ew_cgroups_open(&other, self->cgs.mnt, self->base, &e));
		EXPECT_EQ(-EBUSY, ew_cgroups_destroy(&other, &e));
		EXPECT_NE(NULL, strstr(e.msg, "modules")) TH_LOG("%s", e.msg);
	}
	EXPECT_EQ(0, ew_cgroup_remove(&self->cgs, "keep", 1000, &e));
}

TEST_F(cg, base_refusals)
{
	struct ew_cgroups other;
	struct ew_error e;

	EXPECT_EQ(-EINVAL, ew_cgroups_open(&other, self->cgs.mnt, "/abs", &e));
	EXPECT_EQ(-EINVAL, ew_cgroups_open(&other, self->cgs.mnt, "a/../b", &e));
	EXPECT_EQ(-EINVAL, ew_cgroups_open(&other, self->cgs.mnt, "a//b", &e));
	EXPECT_EQ(-EINVAL, ew_cgroups_open(&other, self->cgs.mnt, "", &e));
	EXPECT_NE(NULL, strstr(e.msg, "relative")) TH_LOG("%s", e.msg);
	/* Not a cgroup2 file system. */
	EXPECT_EQ(-EMEDIUMTYPE, ew_cgroups_open(&other, "/tmp", "x", &e));
	EXPECT_NE(NULL, strstr(e.msg, "not a cgroup v2")) TH_LOG("%s", e.msg);
	EXPECT_EQ(-1, other.modules_fd);
}

static void kill_and_wait(struct __test_metadata *_metadata, struct ew_cgroups *cgs,
			  bool each)
{
	const char *const sleeper[] = { "/bin/sleep", "100", NULL };
	const char *const forker[] = { "/bin/sh", "-c", "sleep 100 & sleep 100 & wait", NULL };
	char sub[EW_PATH_MAX + 16];
	struct ew_cgroup cg;
	struct ew_error e;
	pid_t a, b, c;
	int status;

	ASSERT_EQ(0, ew_cgroup_create(cgs, each ? "each" : "kill", &cg, &e));
	a = spawn_in(cg.path, sleeper);
	b = spawn_in(cg.path, forker);
	snprintf(sub, sizeof(sub), "%s/sub", cg.path);
	ASSERT_EQ(0, mkdir(sub, 0755));
	c = spawn_in(sub, sleeper);
	ASSERT_LT(0, a);
	ASSERT_LT(0, b);
	ASSERT_LT(0, c);
	EXPECT_EQ(4u, wait_pids(&cg, 4, 3000));
	EXPECT_EQ(1, ew_cgroup_populated(&cg));
	/* Not empty: the wait times out. */
	EXPECT_EQ(-ETIMEDOUT, ew_cgroup_wait_empty(&cg, 50, false, &e));
	EXPECT_NE(NULL, strstr(e.msg, "still running")) TH_LOG("%s", e.msg);

	if (each) {
		EXPECT_LE(4, ew_cgroup_kill_each(&cg, &e)) TH_LOG("%s", e.msg);
	} else {
		EXPECT_EQ(0, ew_cgroup_kill(&cg, &e)) TH_LOG("%s", e.msg);
	}
	EXPECT_EQ(0, ew_cgroup_wait_empty(&cg, 3000, each, &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(0, ew_cgroup_populated(&cg));
	EXPECT_EQ(a, waitpid(a, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(b, waitpid(b, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(c, waitpid(c, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	if (each) {
		/* Thawed again: a new process runs. */
		const char *const t[] = { "/bin/true", NULL };

		a = spawn_in(cg.path, t);
		EXPECT_EQ(a, waitpid(a, &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ew_cgroup_close(&cg);
	EXPECT_EQ(0, ew_cgroup_remove(cgs, each ? "each" : "kill", 1000, &e)) TH_LOG("%s", e.msg);
}

/*
 * Both ways: cgroup.kill (Linux 5.14+) and the fallback for older kernels.
 * A TEST, not a TEST_F: with so short a body, gcc warns (-Wclobbered) about
 * the harness's own setjmp in the TEST_F wrapper.
 */
TEST(cgroup_kill_everything_and_wait)
{
	struct ew_cgroups cgs;
	struct ew_error e;
	char base[64];

	snprintf(base, sizeof(base), "ewtest-%d-kill", (int)getpid());
	if (ew_cgroups_open(&cgs, NULL, base, &e) < 0)
		SKIP(return, "cgroup v2 not writable: %s", e.msg);
	kill_and_wait(_metadata, &cgs, true);
	if (cgs.has_kill)
		kill_and_wait(_metadata, &cgs, false);
	else
		TH_LOG("no cgroup.kill (Linux < 5.14): only the fallback tested");
	EXPECT_EQ(0, ew_cgroups_destroy(&cgs, &e)) TH_LOG("%s", e.msg);
}

/* --- logbuf ----------------------------------------------------------------- */

static void feed(struct ew_logbuf *lb, int stream, const char *s, int64_t ts)
{
	ew_logbuf_feed(lb, stream, s, strlen(s), ts);
}

TEST(log_lines_and_streams)
{
	struct ew_log_entry en;
	struct ew_logbuf *lb;
	struct ew_error e;
	char *s;

	ASSERT_EQ(0, ew_logbuf_open(&lb, NULL, "m", NULL, &e));
	feed(lb, EW_LOG_STDOUT, "hi\nsec", 10);
	feed(lb, EW_LOG_STDERR, "err\n", 11);
	feed(lb, EW_LOG_STDOUT, "ond\n\n", 12);
	ASSERT_EQ(4u, ew_logbuf_next_seq(lb));
	ASSERT_TRUE(ew_logbuf_get(lb, 0, &en));
	EXPECT_EQ(EW_LOG_STDOUT, (int)en.stream);
	EXPECT_EQ(10, en.ts_ns);
	EXPECT_EQ(2u, en.len);
	EXPECT_EQ(0, memcmp("hi", en.text, 2));
	ASSERT_TRUE(ew_logbuf_get(lb, 1, &en));
	EXPECT_EQ(EW_LOG_STDERR, (int)en.stream);
	ASSERT_TRUE(ew_logbuf_get(lb, 2, &en));
	EXPECT_EQ(EW_LOG_STDOUT, (int)en.stream);
	/* The time a line is complete. */
	EXPECT_EQ(12, en.ts_ns);
	EXPECT_EQ(0, memcmp("second", en.text, 6));
	ASSERT_TRUE(ew_logbuf_get(lb, 3, &en));
	EXPECT_EQ(0u, en.len);
	EXPECT_FALSE(ew_logbuf_get(lb, 4, &en));
	s = all_text(lb);
	EXPECT_STREQ("hi\nerr\nsecond\n\n", s);
	free(s);

	/* An incomplete line waits for the flush (at exit), per stream. */
	feed(lb, EW_LOG_STDOUT, "no newline", 20);
	feed(lb, EW_LOG_STDERR, "e", 20);
	EXPECT_EQ(4u, ew_logbuf_next_seq(lb));
	ew_logbuf_flush(lb, 21);
	EXPECT_EQ(6u, ew_logbuf_next_seq(lb));
	EXPECT_TRUE(has_line(lb, EW_LOG_STDOUT, "no newline"));
	EXPECT_TRUE(has_line(lb, EW_LOG_STDERR, "e"));
	ASSERT_TRUE(ew_logbuf_get(lb, 4, &en));
	EXPECT_FALSE(en.partial);
	ew_logbuf_flush(lb, 22);
	EXPECT_EQ(6u, ew_logbuf_next_seq(lb));
	/* Not a stream: ignored. */
	ew_logbuf_feed(lb, 3, "x\n", 2, 23);
	EXPECT_EQ(6u, ew_logbuf_next_seq(lb));
	ew_logbuf_close(lb);
}

TEST(log_long_lines_split)
{
	struct ew_logbuf_limits lim = { 0 };
	struct ew_log_entry en;
	struct ew_logbuf *lb;
	struct ew_error e;
	char *big;

	ASSERT_EQ(0, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	big = malloc(40 << 10);
	ASSERT_NE(NULL, big);
	memset(big, 'x', 40 << 10);
	ew_logbuf_feed(lb, EW_LOG_STDOUT, big, 40 << 10, 1);
	/* Two full pieces out already, the rest waits for more. */
	EXPECT_EQ(2u, ew_logbuf_next_seq(lb));
	ew_logbuf_feed(lb, EW_LOG_STDOUT, "\n", 1, 2);
	ASSERT_EQ(3u, ew_logbuf_next_seq(lb));
	ASSERT_TRUE(ew_logbuf_get(lb, 0, &en));
	EXPECT_EQ(16u << 10, en.len);
	EXPECT_TRUE(en.partial);
	ASSERT_TRUE(ew_logbuf_get(lb, 1, &en));
	EXPECT_EQ(16u << 10, en.len);
	EXPECT_TRUE(en.partial);
	ASSERT_TRUE(ew_logbuf_get(lb, 2, &en));
	EXPECT_EQ(8u << 10, en.len);
	EXPECT_FALSE(en.partial);

	/* Exactly two pieces long: no empty third piece. */
	ew_logbuf_feed(lb, EW_LOG_STDERR, big, 32 << 10, 3);
	ew_logbuf_feed(lb, EW_LOG_STDERR, "\n", 1, 3);
	ASSERT_EQ(5u, ew_logbuf_next_seq(lb));
	ASSERT_TRUE(ew_logbuf_get(lb, 3, &en));
	EXPECT_TRUE(en.partial);
	ASSERT_TRUE(ew_logbuf_get(lb, 4, &en));
	EXPECT_EQ(16u << 10, en.len);
	EXPECT_FALSE(en.partial);
	free(big);
	ew_logbuf_close(lb);
}

/* Lines in pieces of any size: the pending buffer grows, nothing is lost. */
TEST(log_pieces_reassembled)
{
	struct ew_logbuf_limits lim = { 0 };
	struct ew_log_entry en;
	struct ew_logbuf *lb;
	struct ew_error e;
	char line[3001];
	size_t i, n;
	char *s;

	ASSERT_EQ(0, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	feed(lb, EW_LOG_STDOUT, "ab", 1);
	feed(lb, EW_LOG_STDOUT, "c\nde", 2);
	feed(lb, EW_LOG_STDOUT, "f\ngh\n", 3);
	for (i = 0; i < sizeof(line) - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[sizeof(line) - 1] = '\n';
	for (i = 0; i < sizeof(line); i += n) {
		n = sizeof(line) - i < 7 ? sizeof(line) - i : 7;
		ew_logbuf_feed(lb, EW_LOG_STDERR, line + i, n, 4);
	}
	ASSERT_EQ(4u, ew_logbuf_next_seq(lb));
	s = all_text(lb);
	EXPECT_EQ(0, strncmp("abc\ndef\ngh\n", s, 11));
	free(s);
	ASSERT_TRUE(ew_logbuf_get(lb, 3, &en));
	EXPECT_EQ(EW_LOG_STDERR, (int)en.stream);
	EXPECT_FALSE(en.partial);
	ASSERT_EQ(sizeof(line) - 1, en.len);
	EXPECT_EQ(0, memcmp(line, en.text, en.len));
	ew_logbuf_close(lb);
}

TEST(log_ring_bound)
{
	struct ew_logbuf_limits lim = { .ring_bytes = 64 << 10, .line_max = 1024 };
	struct ew_log_entry en;
	struct ew_logbuf *lb;
	struct ew_error e;
	char line[128];
	uint64_t s;
	int i;

	ASSERT_EQ(0, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	for (i = 0; i < 5000; i++) {
		snprintf(line, sizeof(line), "line %04d %s\n", i,
			 "................................................................");
		feed(lb, i % 2 ? EW_LOG_STDERR : EW_LOG_STDOUT, line, i);
		ASSERT_GE(64u << 10, ew_logbuf_mem(lb));
	}
	EXPECT_EQ(5000u, ew_logbuf_next_seq(lb));
	EXPECT_LT(0u, ew_logbuf_first_seq(lb));
	/* Most of the bound in use: only the oldest went. */
	EXPECT_LT((48u << 10), ew_logbuf_mem(lb));
	EXPECT_FALSE(ew_logbuf_get(lb, ew_logbuf_first_seq(lb) - 1, &en));
	for (s = ew_logbuf_first_seq(lb); s < 5000; s++) {
		ASSERT_TRUE(ew_logbuf_get(lb, s, &en));
		snprintf(line, sizeof(line), "line %04d", (int)s);
		ASSERT_EQ(0, memcmp(line, en.text, strlen(line)));
		ASSERT_EQ((int64_t)s, en.ts_ns);
	}
	ew_logbuf_close(lb);

	/* Limits that do not fit together. */
	lim.ring_bytes = 1000;
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	EXPECT_EQ(NULL, lb);
	lim = (struct ew_logbuf_limits){ .file_bytes = 100 };
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	lim = (struct ew_logbuf_limits){ .files = 101 };
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "m", &lim, &e));
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "a/b", NULL, &e));
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "..", NULL, &e));
	EXPECT_EQ(-EINVAL, ew_logbuf_open(&lb, NULL, "", NULL, &e));
}

/* Lines of a whole file; *n of them. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

TEST(log_files_rotate_and_reload)
{
	struct ew_logbuf_limits lim = { .line_max = 1024, .file_bytes = 4096, .files = 2 };
	const char *last = "1970-01-01T00:24:59.000000499Z stdout F line 0499\n";
	char dir[] = "/tmp/ewlog-XXXXXX", path[64], line[64], *cur, *old, *s;
	size_t clen, olen, lines;
	struct ew_log_entry en;
	struct ew_logbuf *lb;
	struct ew_error e;
	struct stat st;
	uint64_t seq;
	int i;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, ew_logbuf_open(&lb, dir, "m$1", &lim, &e)) TH_LOG("%s", e.msg);
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof(line), "line %04d\n", i);
		feed(lb, i % 3 ? EW_LOG_STDOUT : EW_LOG_STDERR, line,
		     (int64_t)(1000 + i) * SEC + i);
	}
	EXPECT_STREQ("", ew_logbuf_file_error(lb));
	ew_logbuf_close(lb);

	snprintf(path, sizeof(path), "%s/m$1.log", dir);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600u, st.st_mode & 0777);
	EXPECT_GE(4096, st.st_size);
	cur = slurp(path, &clen);
	snprintf(path, sizeof(path), "%s/m$1.log.1", dir);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_GE(4096, st.st_size);
	/* Rotated when full, not before. */
	EXPECT_LT(4096 - 60, st.st_size);
	old = slurp(path, &olen);
	snprintf(path, sizeof(path), "%s/m$1.log.2", dir);
	EXPECT_EQ(-1, stat(path, &st));
	ASSERT_NE(NULL, cur);
	ASSERT_NE(NULL, old);
	/* CRI format, the newest line last. */
	EXPECT_NE(NULL, strstr(cur, "Z stdout F line 0499\n"));
	ASSERT_LT(strlen(last), clen);
	EXPECT_STREQ(last, cur + clen - strlen(last));
	EXPECT_NE(NULL, strstr(cur, "Z stderr F line 0498\n"));
	lines = count_lines(cur) + count_lines(old);

	/* Read back, in order, with times and streams. */
	ASSERT_EQ(0, ew_logbuf_open(&lb, dir, "m$1", &lim, &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(lines, ew_logbuf_next_seq(lb));
	for (seq = 0; seq < lines; seq++) {
		i = 500 - (int)lines + (int)seq;
		ASSERT_TRUE(ew_logbuf_get(lb, seq, &en));
		snprintf(line, sizeof(line), "line %04d", i);
		ASSERT_EQ(strlen(line), en.len);
		ASSERT_EQ(0, memcmp(line, en.text, en.len));
		ASSERT_EQ((int64_t)(1000 + i) * SEC + i, en.ts_ns);
		ASSERT_EQ(i % 3 ? EW_LOG_STDOUT : EW_LOG_STDERR, (int)en.stream);
	}
	/* Appends go on after what was there. */
	feed(lb, EW_LOG_STDOUT, "after\n", 5000 * SEC);
	ew_logbuf_close(lb);
	free(cur);
	snprintf(path, sizeof(path), "%s/m$1.log", dir);
	cur = slurp(path, &clen);
	ASSERT_NE(NULL, cur);
	EXPECT_NE(NULL, strstr(cur, "line 0499\n1970-01-01T01:23:20.000000000Z stdout F after\n"));

	/* A torn last line and garbage are skipped. */
	free(cur);
	free(old);
	ASSERT_EQ(0, write_text(path, "garbage\n"
				"1970-01-01T00:00:01Z stdout F one\n"
				"1970-01-01T00:00:02Z stdin F bad stream\n"
				"1970-01-01T00:00:03Z stdout X bad tag\n"
				"1970-01-01T00:00:04Z stderr P two\n"
				"1970-01-01T00:00:05Z stdout F torn"));
	snprintf(path, sizeof(path), "%s/m$1.log.1", dir);
	unlink(path);
	ASSERT_EQ(0, ew_logbuf_open(&lb, dir, "m$1", &lim, &e)) TH_LOG("%s", e.msg);
	s = all_text(lb);
	EXPECT_STREQ("one\ntwo\n", s);
	free(s);
	ASSERT_TRUE(ew_logbuf_get(lb, 1, &en));
	EXPECT_TRUE(en.partial);
	EXPECT_EQ(EW_LOG_STDERR, (int)en.stream);
	EXPECT_EQ(4 * SEC, en.ts_ns);
	ew_logbuf_close(lb);

	EXPECT_EQ(0, ew_logbuf_unlink(dir, "m$1", 2, &e));
	snprintf(path, sizeof(path), "%s/m$1.log", dir);
	EXPECT_EQ(-1, stat(path, &st));
	EXPECT_EQ(0, ew_logbuf_unlink(dir, "m$1", 2, &e));
	EXPECT_EQ(-EINVAL, ew_logbuf_unlink(dir, "../x", 2, &e));
	EXPECT_EQ(0, rmdir(dir));
}

TEST(log_time)
{
	static const struct {
		const char *s;
		int ret;
		int64_t ns;
	} cases[] = {
		{ "0", 0, 0 },
		{ "1714564800", 0, 1714564800 * SEC },
		{ "1714564800.5", 0, 1714564800 * SEC + 500000000 },
		{ "1714564800.000000001", 0, 1714564800 * SEC + 1 },
		{ "2024-05-01T12:00:00Z", 0, 1714564800 * SEC },
		{ "2024-05-01t12:00:00z", 0, 1714564800 * SEC },
		{ "2024-05-01 12:00:00Z", 0, 1714564800 * SEC },
		{ "2024-05-01T14:00:00+02:00", 0, 1714564800 * SEC },
		{ "2024-05-01T11:30:00-00:30", 0, 1714564800 * SEC },
		{ "2024-05-01T12:00:00.123456789Z", 0, 1714564800 * SEC + 123456789 },
		{ "2024-05-01T12:00:00.1234567891Z", 0, 1714564800 * SEC + 123456789 },
		{ "2024-02-29T00:00:00Z", 0, 1709164800 * SEC },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2262-04-11T23:47:16.854775807Z", 0, INT64_MAX },
		{ "2262-04-11T23:47:16.854775808Z", -ERANGE, 0 },
		{ "1969-12-31T23:59:59Z", -ERANGE, 0 },
		{ "1970-01-01T00:00:00+01:00", -ERANGE, 0 },
		{ "9223372037", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "1.", -EINVAL, 0 },
		{ "1.1234567891", -EINVAL, 0 },
		{ "1e9", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "2023-02-29T00:00:00Z", -EINVAL, 0 },
		{ "2024-13-01T00:00:00Z", -EINVAL, 0 },
		{ "2024-05-01T24:00:00Z", -EINVAL, 0 },
		{ "2024-05-01T12:00:00", -EINVAL, 0 },
		{ "2024-05-01T12:00:00+0200", -EINVAL, 0 },
		{ "2024-05-01T12:00:00.Z", -EINVAL, 0 },
		{ "2024-05-01", -EINVAL, 0 },
		{ "2024-05-01T12:00:00Zx", -EINVAL, 0 },
	};
	char out[EW_LOG_TIME_LEN];
	int64_t ns, back;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ns = -7;
		EXPECT_EQ(cases[i].ret, ew_log_time_parse(cases[i].s, &ns))
			TH_LOG("'%s'", cases[i].s);
		if (!cases[i].ret)
			EXPECT_EQ(cases[i].ns, ns) TH_LOG("'%s'", cases[i].s);
	}
	EXPECT_EQ(-EINVAL, ew_log_time_parse(NULL, &ns));
	ew_log_time_format(0, out);
	EXPECT_STREQ("1970-01-01T00:00:00.000000000Z", out);
	ew_log_time_format(1714564800 * SEC + 123456789, out);
	EXPECT_STREQ("2024-05-01T12:00:00.123456789Z", out);
	ew_log_time_format(INT64_MAX, out);
	EXPECT_STREQ("2262-04-11T23:47:16.854775807Z", out);
	for (ns = 1; ns < INT64_MAX / 7; ns = ns * 7 + 3) {
		ew_log_time_format(ns, out);
		ASSERT_EQ(0, ew_log_time_parse(out, &back));
		ASSERT_EQ(ns, back);
	}
}

TEST(log_query_parse)
{
	struct ew_log_query q, before;
	struct ew_error e;

	ew_log_query_init(&q);
	EXPECT_FALSE(q.follow);
	EXPECT_EQ(-1, q.tail);
	EXPECT_EQ(INT64_MIN, q.since_ns);
	EXPECT_EQ(INT64_MAX, q.until_ns);
	EXPECT_FALSE(q.timestamps);
	ASSERT_EQ(0, ew_log_query_parse(&q, NULL, NULL, NULL, NULL, NULL, &e));
	EXPECT_EQ(-1, q.tail);
	ASSERT_EQ(0, ew_log_query_parse(&q, "true", "25", "1714564800",
					"2024-05-01T12:00:01.5Z", "1", &e));
	EXPECT_TRUE(q.follow);
	EXPECT_EQ(25, q.tail);
	EXPECT_EQ(1714564800 * SEC, q.since_ns);
	EXPECT_EQ(1714564801 * SEC + 500000000, q.until_ns);
	EXPECT_TRUE(q.timestamps);
	ASSERT_EQ(0, ew_log_query_parse(&q, "0", "all", NULL, NULL, "false", &e));
	EXPECT_FALSE(q.follow);
	EXPECT_EQ(-1, q.tail);
	EXPECT_FALSE(q.timestamps);
	EXPECT_EQ(1714564800 * SEC, q.since_ns);

	before = q;
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, "yes", NULL, NULL, NULL, NULL, &e));
	EXPECT_NE(NULL, strstr(e.msg, "follow")) TH_LOG("%s", e.msg);
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, NULL, "-1", NULL, NULL, NULL, &e));
	EXPECT_NE(NULL, strstr(e.msg, "tail")) TH_LOG("%s", e.msg);
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, NULL, "", NULL, NULL, NULL, &e));
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, NULL, "10x", NULL, NULL, NULL, &e));
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, NULL, "99999999999999999999", NULL, NULL,
					      NULL, &e));
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, NULL, NULL, "yesterday", NULL, NULL, &e));
	EXPECT_NE(NULL, strstr(e.msg, "since")) TH_LOG("%s", e.msg);
	EXPECT_EQ(-ERANGE, ew_log_query_parse(&q, NULL, NULL, NULL, "1960-01-01T00:00:00Z",
					      NULL, &e));
	EXPECT_NE(NULL, strstr(e.msg, "until")) TH_LOG("%s", e.msg);
	EXPECT_EQ(-EINVAL, ew_log_query_parse(&q, "1", "2", "3", "4", "TRUE", &e));
	EXPECT_NE(NULL, strstr(e.msg, "timestamps")) TH_LOG("%s", e.msg);
	EXPECT_EQ(before.follow, q.follow);
	EXPECT_EQ(before.tail, q.tail);
	EXPECT_EQ(before.since_ns, q.since_ns);
	EXPECT_EQ(before.until_ns, q.until_ns);
	EXPECT_EQ(before.timestamps, q.timestamps);
}

/* Ten lines l0..l9 at 100..109 s, stdout and stderr alternating. */
static struct ew_logbuf *ten_lines(void)
{
	struct ew_logbuf *lb;
	char line[8];
	int i;

	if (ew_logbuf_open(&lb, NULL, "m", NULL, NULL) < 0)
		return NULL;
	for (i = 0; i < 10; i++) {
		snprintf(line, sizeof(line), "l%d\n", i);
		feed(lb, i % 2 ? EW_LOG_STDERR : EW_LOG_STDOUT, line, (100 + i) * SEC);
	}
	return lb;
}

TEST(log_query_tail_since_until)
{
	static const struct {
		const char *tail, *since, *until, *ts;
		const char *want;
	} cases[] = {
		{ NULL, NULL, NULL, NULL, "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n" },
		{ "3", NULL, NULL, NULL, "l7\nl8\nl9\n" },
		{ "0", NULL, NULL, NULL, "" },
		{ "100", NULL, NULL, NULL, "l0\nl1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n" },
		{ "all", "105", NULL, NULL, "l5\nl6\nl7\nl8\nl9\n" },
		{ NULL, NULL, "102", NULL, "l0\nl1\nl2\n" },
		{ NULL, "103", "105", NULL, "l3\nl4\nl5\n" },
		{ "2", "103", "105", NULL, "l4\nl5\n" },
		{ "2", "1970-01-01T00:01:43Z", "1970-01-01T00:01:45Z", NULL, "l4\nl5\n" },
		{ NULL, "104.5", "105.5", NULL, "l5\n" },
		{ NULL, "200", NULL, NULL, "" },
		{ NULL, "105", "104", NULL, "" },
		{ "2", NULL, NULL, "true",
		  "1970-01-01T00:01:48.000000000Z l8\n1970-01-01T00:01:49.000000000Z l9\n" },
	};
	struct ew_log_query q;
	struct ew_logbuf *lb = ten_lines();
	size_t i, chunk;
	char *s;

	ASSERT_NE(NULL, lb);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ew_log_query_init(&q);
		ASSERT_EQ(0, ew_log_query_parse(&q, NULL, cases[i].tail, cases[i].since,
						cases[i].until, cases[i].ts, NULL));
		/* Whole, and a few bytes at a time: the same text. */
		for (chunk = 1; chunk <= 4096; chunk *= 8) {
			s = query_text(lb, &q, chunk);
			ASSERT_NE(NULL, s);
			EXPECT_STREQ(cases[i].want, s) TH_LOG("case %zu, chunk %zu", i, chunk);
			free(s);
		}
	}
	ew_logbuf_close(lb);
}

TEST(log_follow_cursor)
{
	struct ew_logbuf_limits lim = { .ring_bytes = 4096, .line_max = 64 };
	struct ew_logbuf *lb = ten_lines();
	struct ew_log_cursor c;
	struct ew_log_query q;
	char buf[4096];
	size_t n;
	int i;

	ASSERT_NE(NULL, lb);
	ew_log_query_init(&q);
	q.follow = true;
	q.tail = 1;
	ew_logbuf_cursor(lb, &q, &c);
	n = ew_logbuf_read(lb, &c, buf, sizeof(buf));
	EXPECT_EQ(3u, n);
	EXPECT_EQ(0, memcmp("l9\n", buf, 3));
	EXPECT_FALSE(c.done);
	/* Nothing new yet. */
	EXPECT_EQ(0u, ew_logbuf_read(lb, &c, buf, sizeof(buf)));
	EXPECT_FALSE(c.done);
	feed(lb, EW_LOG_STDOUT, "new\n", 200 * SEC);
	feed(lb, EW_LOG_STDERR, "newer\n", 201 * SEC);
	n = ew_logbuf_read(lb, &c, buf, sizeof(buf));
	ASSERT_EQ(10u, n);
	EXPECT_EQ(0, memcmp("new\nnewer\n", buf, n));
	EXPECT_EQ(0u, ew_logbuf_read(lb, &c, buf, sizeof(buf)));

	/* Without follow, the end is where the cursor was made. */
	q.follow = false;
	q.tail = -1;
	ew_logbuf_cursor(lb, &q, &c);
	feed(lb, EW_LOG_STDOUT, "later\n", 202 * SEC);
	n = ew_logbuf_read(lb, &c, buf, sizeof(buf));
	EXPECT_TRUE(c.done);
	EXPECT_EQ(NULL, memmem(buf, n, "later", 5));
	EXPECT_NE(NULL, memmem(buf, n, "newer\n", 6));

	/* Following until a time: the first entry past it ends the stream. */
	q.follow = true;
	q.tail = 0;
	q.until_ns = 300 * SEC;
	ew_logbuf_cursor(lb, &q, &c);
	feed(lb, EW_LOG_STDOUT, "in time\n", 300 * SEC);
	feed(lb, EW_LOG_STDOUT, "too late\n", 301 * SEC);
	n = ew_logbuf_read(lb, &c, buf, sizeof(buf));
	EXPECT_EQ(8u, n);
	EXPECT_TRUE(c.done);
	/* ... and so does the clock, with nothing new. */
	ew_logbuf_cursor(lb, &q, &c);
	EXPECT_EQ(0u, ew_logbuf_read(lb, &c, buf, sizeof(buf)));
	EXPECT_TRUE(c.done);
	ew_logbuf_close(lb);

	/* A reader overtaken by the ring loses the oldest, and says so. */
	ASSERT_EQ(0, ew_logbuf_open(&lb, NULL, "m", &lim, NULL));
	q.until_ns = INT64_MAX;
	ew_logbuf_cursor(lb, &q, &c);
	feed(lb, EW_LOG_STDOUT, "first line\n", 1);
	n = ew_logbuf_read(lb, &c, buf, 5);
	EXPECT_EQ(5u, n);
	for (i = 0; i < 200; i++)
		feed(lb, EW_LOG_STDOUT, "filler filler filler\n", 2);
	n = ew_logbuf_read(lb, &c, buf, sizeof(buf));
	ASSERT_LT(1u, n);
	/* The cut line is ended, then the oldest kept follow. */
	EXPECT_EQ('\n', buf[0]);
	EXPECT_EQ(0, memcmp("filler", buf + 1, 6));
	EXPECT_LT(0u, c.lost);
	EXPECT_EQ(ew_logbuf_next_seq(lb), c.seq);
	ew_logbuf_close(lb);
}

/* --- the supervisor ---------------------------------------------------------- */

struct hooks {
	int pre_calls;
	int pre_ret;
	uint64_t pre_cgid;
	int exit_calls;
	struct ew_sv_status last;
	int restarts_left;	/* on_exit: restart this many times, then give up */
	int log_calls;
};

static int hook_pre(void *arg, const char *name, int cgfd, uint64_t cgid, struct ew_error *e)
{
	struct hooks *h = arg;
	uint64_t id = 0;

	(void)name;
	h->pre_calls++;
	/* The fd names the cgroup the id says. */
	if (ew_cgroup_id_of_fd(cgfd, &id) < 0 || id != cgid)
		return -EBADF;
	h->pre_cgid = cgid;
	if (h->pre_ret) {
		snprintf(e->msg, sizeof(e->msg), "registration refused");
		e->err = h->pre_ret;
		return h->pre_ret;
	}
	return 0;
}

static enum ew_sv_action hook_exit(void *arg, const char *name, const struct ew_sv_status *st,
				   unsigned *delay_ms)
{
	struct hooks *h = arg;

	(void)name;
	h->exit_calls++;
	h->last = *st;
	if (h->restarts_left < 0)
		return EW_SV_KEEP;
	if (h->restarts_left == 0)
		return EW_SV_GIVE_UP;
	h->restarts_left--;
	*delay_ms = 20;
	return EW_SV_RESTART;
}

static void hook_log(void *arg, const char *name)
{
	(void)name;
	((struct hooks *)arg)->log_calls++;
}

FIXTURE(sv) {
	struct ew_supervisor *sv;
	struct hooks h;
	char base[64];
	char logdir[48];
	const char *names[16];
	int nnames;
};

FIXTURE_VARIANT(sv) {
	bool no_clone3;
};

FIXTURE_VARIANT_ADD(sv, clone3) {
	.no_clone3 = false,
};

FIXTURE_VARIANT_ADD(sv, fork) {
	.no_clone3 = true,
};

static int new_sv(FIXTURE_DATA(sv) *self, const FIXTURE_VARIANT(sv) *variant,
		  struct ew_error *e)
{
	struct ew_supervisor_config cfg = {
		.cgroup_base = self->base,
		.log_dir = self->logdir,
		.grace_ms = 200,
		.no_clone3 = variant->no_clone3,
		.ops = {
			.pre_start = hook_pre,
			.on_exit = hook_exit,
			.on_log = hook_log,
			.arg = &self->h,
		},
	};

	return ew_supervisor_new(&self->sv, &cfg, e);
}

FIXTURE_SETUP(sv)
{
	struct ew_error e;

	memset(&self->h, 0, sizeof(self->h));
	self->h.restarts_left = -1;
	sweep_stale();
	snprintf(self->base, sizeof(self->base), "ewtest-%d-sv", (int)getpid());
	snprintf(self->logdir, sizeof(self->logdir), "/tmp/ewsv-%d-XXXXXX", (int)getpid());
	ASSERT_NE(NULL, mkdtemp(self->logdir));
	if (new_sv(self, variant, &e) < 0) {
		rmdir(self->logdir);
		SKIP(return, "cgroup v2 not writable: %s", e.msg);
	}
}

FIXTURE_TEARDOWN(sv)
{
	struct ew_cgroups cgs;
	struct ew_error e;
	int i;

	if (self->sv) {
		ew_supervisor_stop_all(self->sv);
		EXPECT_EQ(0, ew_supervisor_wait(self->sv, NULL, 5000));
		for (i = 0; i < self->nnames; i++)
			ew_supervisor_remove(self->sv, self->names[i], true, &e);
		ew_supervisor_free(self->sv);
	}
	if (ew_cgroups_open(&cgs, NULL, self->base, &e) == 0)
		EXPECT_EQ(0, ew_cgroups_destroy(&cgs, &e)) TH_LOG("%s", e.msg);
	for (i = 0; i < self->nnames; i++)
		ew_logbuf_unlink(self->logdir, self->names[i], 0, NULL);
	EXPECT_EQ(0, rmdir(self->logdir)) TH_LOG("%s: %s", self->logdir, strerror(errno));
}

/* Adds module @name running @argv[0] with @argv[1..] (NULL-terminated). */
static int add(FIXTURE_DATA(sv) *self, const char *name, const char *const argv[],
	       const char *const env[], const char *user, struct ew_error *e)
{
	struct ew_sv_spec spec = { .name = name, .exec = argv[0], .args = argv + 1, .user = user };
	int r;

	while (spec.args[spec.nargs])
		spec.nargs++;
	spec.env = env;
	while (env && env[spec.nenv])
		spec.nenv++;
	r = ew_supervisor_add(self->sv, &spec, e);
	if (r == 0 && self->nnames < 16)
		self->names[self->nnames++] = name;
	return r;
}

static struct ew_sv_status status_of(struct ew_supervisor *sv, const char *name)
{
	struct ew_sv_status st;

	memset(&st, 0, sizeof(st));
	st.state = (enum ew_sv_state)-1;
	ew_supervisor_status(sv, name, &st);
	return st;
}

/* Runs the loop until @name runs a process of start number @starts. */
static bool wait_running(struct ew_supervisor *sv, const char *name, unsigned starts, int ms)
{
	int64_t end = mono_ms() + ms;
	struct ew_sv_status st;

	while (mono_ms() < end) {
		st = status_of(sv, name);
		if (st.state == EW_SV_RUNNING && st.starts == starts && !st.stopping)
			return true;
		ew_supervisor_run_for(sv, 10);
	}
	return false;
}

/* Runs the loop until module @name logged @line (any stream). */
static bool wait_line(struct ew_supervisor *sv, const char *name, const char *line, int ms)
{
	int64_t end = mono_ms() + ms;

	while (mono_ms() < end) {
		if (has_line(ew_supervisor_logs(sv, name), 0, line))
			return true;
		ew_supervisor_run_for(sv, 10);
	}
	return false;
}

static const char *const no_env[] = { NULL };
static const char *const path_env[] = { "PATH=/usr/bin:/bin", NULL };

TEST_F(sv, exit_code_and_logs)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo hi; echo err >&2; exit 3", NULL };
	const struct ew_cgroup *cg;
	struct ew_sv_status st;
	struct ew_error e;
	int64_t before = real_ns();
	char *s;

	ASSERT_EQ(0, add(self, "exit3", argv, no_env, NULL, &e)) TH_LOG("%s", e.msg);
	st = status_of(self->sv, "exit3");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(0, st.start_ns);
	EXPECT_FALSE(st.exited);
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "exit3", &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(1, self->h.pre_calls);
	cg = ew_supervisor_cgroup(self->sv, "exit3");
	ASSERT_NE(NULL, cg);
	EXPECT_EQ(cg->id, self->h.pre_cgid);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "exit3", 5000));

	st = status_of(self->sv, "exit3");
	EXPECT_EQ(EW_SV_FAILED, (int)st.state);
	EXPECT_STREQ("failed", ew_sv_state_name(st.state));
	EXPECT_STREQ("exited with code 3", st.description);
	EXPECT_TRUE(st.exited);
	EXPECT_EQ(3, st.exit_code);
	EXPECT_EQ(0, st.exit_signal);
	EXPECT_EQ(0, st.pid);
	EXPECT_FALSE(st.stop_requested);
	EXPECT_EQ(1u, st.starts);
	EXPECT_LE(before, st.start_ns);
	EXPECT_LE(st.start_ns, st.exit_ns);
	EXPECT_GE(real_ns(), st.exit_ns);
	/* Reported once, after the fact. */
	EXPECT_EQ(1, self->h.exit_calls);
	EXPECT_EQ(3, self->h.last.exit_code);
	EXPECT_EQ(EW_SV_FAILED, (int)self->h.last.state);
	EXPECT_LT(0, self->h.log_calls);

	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "exit3"), EW_LOG_STDOUT, "hi"));
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "exit3"), EW_LOG_STDERR, "err"));
	s = all_text(ew_supervisor_logs(self->sv, "exit3"));
	EXPECT_TRUE(strcmp(s, "hi\nerr\n") == 0 || strcmp(s, "err\nhi\n") == 0) TH_LOG("%s", s);
	free(s);
	EXPECT_EQ(0, ew_cgroup_populated(cg));

	/* Started again: a second run, the same cgroup. */
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "exit3", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "exit3", 5000));
	st = status_of(self->sv, "exit3");
	EXPECT_EQ(2u, st.starts);
	EXPECT_EQ(3, st.exit_code);
	EXPECT_EQ(2, self->h.exit_calls);
	EXPECT_EQ(-ENOENT, ew_supervisor_start(self->sv, "nothing", &e));
	EXPECT_EQ(-ENOENT, ew_supervisor_status(self->sv, "nothing", &st));
	EXPECT_EQ(NULL, ew_supervisor_logs(self->sv, "nothing"));
}

TEST_F(sv, exit_statuses)
{
	const char *const by_signal[] = { "/bin/sh", "-c", "kill -USR1 $$", NULL };
	const char *const term_143[] = { "/bin/sh", "-c",
		"trap 'exit 143' TERM; echo ready; while :; do sleep 0.02; done", NULL };
	const char *const exit_0[] = { "/bin/true", NULL };
	struct ew_sv_status st;
	struct ew_error e;

	ASSERT_EQ(0, add(self, "usr1", by_signal, path_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "usr1", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "usr1", 5000));
	st = status_of(self->sv, "usr1");
	EXPECT_EQ(EW_SV_FAILED, (int)st.state);
	EXPECT_EQ(SIGUSR1, st.exit_signal);
	EXPECT_EQ(128 + SIGUSR1, st.exit_code);
	EXPECT_STREQ("killed by signal 10 (SIGUSR1)", st.description);

	/* Exit code 0 without a stop: stopped, not failed. */
	ASSERT_EQ(0, add(self, "zero", exit_0, no_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "zero", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "zero", 5000));
	st = status_of(self->sv, "zero");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_FALSE(st.stop_requested);
	EXPECT_STREQ("exited with code 0", st.description);

	/* 143 in answer to the stop's SIGTERM is a clean stop. */
	ew_supervisor_set_grace(self->sv, 5000);
	ASSERT_EQ(0, add(self, "t143", term_143, path_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "t143", &e)) TH_LOG("%s", e.msg);
	ASSERT_TRUE(wait_line(self->sv, "t143", "ready", 5000));
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "t143", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "t143", 4000));
	st = status_of(self->sv, "t143");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(143, st.exit_code);
	EXPECT_EQ(0, st.exit_signal);
	EXPECT_STREQ("stopped, exited with code 143 after SIGTERM", st.description);
}

TEST_F(sv, runs_inside_its_cgroup)
{
	const char *const argv[] = { "/bin/cat", "/proc/self/cgroup", NULL };
	const struct ew_cgroup *cg;
	char want[EW_PATH_MAX + 8];
	struct ew_error e;

	ASSERT_EQ(0, add(self, "cat$cg", argv, no_env, NULL, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "cat$cg", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "cat$cg", 5000));
	cg = ew_supervisor_cgroup(self->sv, "cat$cg");
	snprintf(want, sizeof(want), "0::%s", cg->rel);
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "cat$cg"), EW_LOG_STDOUT, want))
		TH_LOG("no line '%s'", want);
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "cat$cg").state);
	EXPECT_STREQ("exited with code 0", status_of(self->sv, "cat$cg").description);
}

TEST_F(sv, stop_after_grace_period)
{
	const char *const argv[] = { "/bin/sh", "-c", "trap '' TERM; echo ready; sleep 100", NULL };
	const struct ew_cgroup *cg;
	struct ew_sv_status st;
	struct ew_error e;
	int64_t t0, took;

	ASSERT_EQ(0, add(self, "stubborn", argv, path_env, NULL, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "stubborn", &e)) TH_LOG("%s", e.msg);
	ASSERT_TRUE(wait_line(self->sv, "stubborn", "ready", 5000));
	cg = ew_supervisor_cgroup(self->sv, "stubborn");
	EXPECT_EQ(1, ew_cgroup_populated(cg));
	st = status_of(self->sv, "stubborn");
	EXPECT_EQ(EW_SV_RUNNING, (int)st.state);
	EXPECT_LT(0, st.pid);
	EXPECT_EQ(-EALREADY, ew_supervisor_start(self->sv, "stubborn", &e));

	t0 = mono_ms();
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "stubborn", &e));
	st = status_of(self->sv, "stubborn");
	EXPECT_TRUE(st.stopping);
	EXPECT_EQ(EW_SV_RUNNING, (int)st.state);
	/* Twice is once. */
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "stubborn", &e));
	EXPECT_EQ(-EBUSY, ew_supervisor_start(self->sv, "stubborn", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "stubborn", 5000));
	took = mono_ms() - t0;
	EXPECT_LE(200, took);
	EXPECT_GT(3000, took);

	st = status_of(self->sv, "stubborn");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(SIGKILL, st.exit_signal);
	EXPECT_EQ(128 + SIGKILL, st.exit_code);
	EXPECT_TRUE(st.stop_requested);
	EXPECT_FALSE(st.stopping);
	EXPECT_NE(NULL, strstr(st.description, "200 ms grace")) TH_LOG("%s", st.description);
	EXPECT_EQ(0, ew_cgroup_populated(cg));
	EXPECT_TRUE(self->h.last.stop_requested);
}

/* Killed through its cgroup, a module starts again (see do_start on clone3). */
TEST_F(sv, starts_again_after_a_kill)
{
	const char *const argv[] = { "/bin/sh", "-c", "trap '' TERM; echo ready; sleep 100", NULL };
	struct ew_sv_status st;
	struct ew_error e;
	char *s;
	int run;

	ASSERT_EQ(0, add(self, "again", argv, path_env, NULL, &e));
	for (run = 1; run <= 2; run++) {
		ASSERT_EQ(0, ew_supervisor_start(self->sv, "again", &e)) TH_LOG("%s", e.msg);
		ASSERT_TRUE(wait_running(self->sv, "again", (unsigned)run, 3000));
		/* The trap is set once it says so. */
		while (ew_logbuf_next_seq(ew_supervisor_logs(self->sv, "again")) < (uint64_t)run)
			ASSERT_EQ(0, ew_supervisor_run_for(self->sv, 5));
		ASSERT_EQ(0, ew_supervisor_stop(self->sv, "again", &e));
		ASSERT_EQ(0, ew_supervisor_wait(self->sv, "again", 5000));
		st = status_of(self->sv, "again");
		EXPECT_EQ(SIGKILL, st.exit_signal) TH_LOG("run %d: %s", run, st.description);
		EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	}
	s = all_text(ew_supervisor_logs(self->sv, "again"));
	EXPECT_STREQ("ready\nready\n", s);
	free(s);
}

TEST_F(sv, stop_by_sigterm)
{
	const char *const argv[] = { "/bin/sleep", "100", NULL };
	struct ew_sv_status st;
	struct ew_error e;
	int64_t t0;

	ew_supervisor_set_grace(self->sv, 5000);
	ASSERT_EQ(0, add(self, "sleeper", argv, no_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "sleeper", &e)) TH_LOG("%s", e.msg);
	ew_supervisor_run_for(self->sv, 50);
	EXPECT_EQ(EW_SV_RUNNING, (int)status_of(self->sv, "sleeper").state);
	t0 = mono_ms();
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "sleeper", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "sleeper", 4000));
	/* Well before the grace period: SIGTERM did it. */
	EXPECT_GT(2000, mono_ms() - t0);
	st = status_of(self->sv, "sleeper");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(SIGTERM, st.exit_signal);
	EXPECT_STREQ("stopped by SIGTERM", st.description);
	/* A stopped module stops again for free, and a restart policy is not asked. */
	self->h.restarts_left = 3;
	EXPECT_EQ(0, ew_supervisor_stop(self->sv, "sleeper", &e));
	EXPECT_EQ(1, self->h.exit_calls);
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "sleeper").state);
}

TEST_F(sv, background_children_do_not_survive)
{
	const char *const bg_wait[] = { "/bin/sh", "-c", "sleep 100 & echo started; wait", NULL };
	const char *const bg_exit[] = { "/bin/sh", "-c", "sleep 100 & sleep 100 & exit 0", NULL };
	const struct ew_cgroup *cg;
	struct ew_sv_status st;
	struct ew_error e;
	pid_t *pids;
	size_t n;

	/* Stopped: the main process goes by SIGTERM, the rest with the cgroup. */
	ASSERT_EQ(0, add(self, "bgstop", bg_wait, path_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "bgstop", &e)) TH_LOG("%s", e.msg);
	ASSERT_TRUE(wait_line(self->sv, "bgstop", "started", 5000));
	cg = ew_supervisor_cgroup(self->sv, "bgstop");
	ASSERT_EQ(0, ew_cgroup_pids(cg, &pids, &n, &e));
	free(pids);
	EXPECT_EQ(2u, n);
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "bgstop", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "bgstop", 5000));
	EXPECT_EQ(0, ew_cgroup_populated(cg));
	ASSERT_EQ(0, ew_cgroup_pids(cg, &pids, &n, &e));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "bgstop").state);

	/* Exited on its own: what it left behind is killed before the report. */
	ASSERT_EQ(0, add(self, "bgexit", bg_exit, path_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "bgexit", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "bgexit", 5000));
	cg = ew_supervisor_cgroup(self->sv, "bgexit");
	EXPECT_EQ(0, ew_cgroup_populated(cg));
	st = status_of(self->sv, "bgexit");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(0, st.exit_code);
	EXPECT_EQ(EW_SV_STOPPED, (int)self->h.last.state);
}

TEST_F(sv, exec_failures_are_reported)
{
	const char *const missing[] = { "/nonexistent/prog", "x", NULL };
	const char *const noexec[] = { "/etc/passwd", NULL };
	struct ew_sv_status st;
	struct ew_error e;

	ASSERT_EQ(0, add(self, "missing", missing, no_env, NULL, &e));
	EXPECT_EQ(-ENOENT, ew_supervisor_start(self->sv, "missing", &e));
	EXPECT_NE(NULL, strstr(e.msg, "No such file or directory")) TH_LOG("%s", e.msg);
	EXPECT_NE(NULL, strstr(e.msg, "/nonexistent/prog")) TH_LOG("%s", e.msg);
	st = status_of(self->sv, "missing");
	EXPECT_EQ(EW_SV_FAILED, (int)st.state);
	EXPECT_STREQ("exec /nonexistent/prog: No such file or directory", st.description);
	EXPECT_FALSE(st.exited);
	EXPECT_EQ(0, st.pid);
	EXPECT_EQ(0u, st.starts);
	EXPECT_EQ(0, ew_cgroup_populated(ew_supervisor_cgroup(self->sv, "missing")));
	/* The caller heard it from start: no exit report. */
	ew_supervisor_run_for(self->sv, 20);
	EXPECT_EQ(0, self->h.exit_calls);

	ASSERT_EQ(0, add(self, "noexec", noexec, no_env, NULL, &e));
	EXPECT_EQ(-EACCES, ew_supervisor_start(self->sv, "noexec", &e));
	st = status_of(self->sv, "noexec");
	EXPECT_EQ(EW_SV_FAILED, (int)st.state);
	EXPECT_STREQ("exec /etc/passwd: Permission denied", st.description);
}

TEST_F(sv, pre_start_failure_starts_nothing)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo ran > \"$MARK\"", NULL };
	char mark[256], env0[300];
	const char *env[] = { env0, NULL };
	struct ew_sv_status st;
	struct ew_error e;
	struct stat sb;

	snprintf(mark, sizeof(mark), "%s/ran", self->logdir);
	snprintf(env0, sizeof(env0), "MARK=%s", mark);
	ASSERT_EQ(0, add(self, "gated", argv, env, NULL, &e));
	self->h.pre_ret = -EPERM;
	EXPECT_EQ(-EPERM, ew_supervisor_start(self->sv, "gated", &e));
	EXPECT_STREQ("pre-start: registration refused", e.msg);
	EXPECT_EQ(1, self->h.pre_calls);
	ew_supervisor_run_for(self->sv, 100);
	EXPECT_EQ(-1, stat(mark, &sb));
	st = status_of(self->sv, "gated");
	EXPECT_EQ(EW_SV_FAILED, (int)st.state);
	EXPECT_STREQ("pre-start: registration refused", st.description);
	EXPECT_EQ(0u, st.starts);
	EXPECT_EQ(0, self->h.exit_calls);

	/* Allowed, it runs. */
	self->h.pre_ret = 0;
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "gated", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "gated", 5000));
	EXPECT_EQ(0, stat(mark, &sb));
	unlink(mark);
}

TEST_F(sv, runs_as_user)
{
	const char *const argv[] = { "/usr/bin/id", NULL };
	struct ew_error e;

	if (geteuid() != 0)
		SKIP(return, "switching users needs root");
	ASSERT_EQ(0, add(self, "nobody", argv, no_env, "nobody", &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "nobody", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "nobody", 5000));
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "nobody"), EW_LOG_STDOUT,
			     "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)"));
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "nobody").state);

	/* By uid too. */
	ASSERT_EQ(0, add(self, "uid", argv, no_env, "65534", &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "uid", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "uid", 5000));
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "uid"), EW_LOG_STDOUT,
			     "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)"));

	ASSERT_EQ(0, add(self, "nouser", argv, no_env, "no-such-user-xyz", &e));
	EXPECT_EQ(-ENOENT, ew_supervisor_start(self->sv, "nouser", &e));
	EXPECT_STREQ("unknown user 'no-such-user-xyz'", e.msg);
	EXPECT_EQ(EW_SV_FAILED, (int)status_of(self->sv, "nouser").state);
	/* Refused before the pre-start hook. */
	EXPECT_EQ(2, self->h.pre_calls);
}

TEST_F(sv, environment_and_args_exact)
{
	const char *const env_argv[] = { "/usr/bin/env", NULL };
	const char *const env[] = { "A=1", "B=two words", "EMPTY=", "X=a=b", NULL };
	const char *const args[] = { "/bin/sh", "-c", "printf '[%s]' \"$@\"", "sh", "a b", "$X",
				     "", NULL };
	const char *const bad_dup[] = { "A=1", "B=2", "A=3", NULL };
	const char *const bad_noeq[] = { "A", NULL };
	const char *const bad_nokey[] = { "=v", NULL };
	const char *const rel[] = { "bin/sh", NULL };
	struct ew_error e;
	char *s;

	ASSERT_EQ(0, add(self, "env", env_argv, env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "env", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "env", 5000));
	s = all_text(ew_supervisor_logs(self->sv, "env"));
	EXPECT_STREQ("A=1\nB=two words\nEMPTY=\nX=a=b\n", s);
	free(s);

	ASSERT_EQ(0, add(self, "args", args, no_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "args", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "args", 5000));
	s = all_text(ew_supervisor_logs(self->sv, "args"));
	/* No trailing newline: flushed at exit all the same. */
	EXPECT_STREQ("[a b][$X][]\n", s);
	free(s);

	EXPECT_EQ(-EINVAL, add(self, "dup", env_argv, bad_dup, NULL, &e));
	EXPECT_STREQ("env: duplicate key 'A'", e.msg);
	EXPECT_EQ(-EINVAL, add(self, "noeq", env_argv, bad_noeq, NULL, &e));
	EXPECT_STREQ("env[0] is not KEY=VALUE", e.msg);
	EXPECT_EQ(-EINVAL, add(self, "nokey", env_argv, bad_nokey, NULL, &e));
	EXPECT_EQ(-EINVAL, add(self, "rel", rel, no_env, NULL, &e));
	EXPECT_STREQ("exec must be an absolute path", e.msg);
	EXPECT_EQ(-EINVAL, add(self, "..", env_argv, no_env, NULL, &e));
	EXPECT_EQ(-EINVAL, add(self, "a/b", env_argv, no_env, NULL, &e));
	EXPECT_EQ(-EINVAL, add(self, "memory.high", env_argv, no_env, NULL, &e));
	EXPECT_EQ(-EEXIST, add(self, "env", env_argv, no_env, NULL, &e));
	EXPECT_EQ(-ENOENT, ew_supervisor_status(self->sv, "dup", &(struct ew_sv_status){ 0 }));
}

TEST_F(sv, restart)
{
	const char *const argv[] = { "/bin/sleep", "100", NULL };
	struct ew_sv_status st;
	struct ew_error e;
	pid_t first;

	ASSERT_EQ(0, add(self, "re", argv, no_env, NULL, &e));
	/* Restart of a stopped module starts it. */
	ASSERT_EQ(0, ew_supervisor_restart(self->sv, "re", &e)) TH_LOG("%s", e.msg);
	ASSERT_TRUE(wait_running(self->sv, "re", 1, 2000));
	first = status_of(self->sv, "re").pid;
	ASSERT_EQ(0, ew_supervisor_restart(self->sv, "re", &e));
	ASSERT_TRUE(wait_running(self->sv, "re", 2, 3000));
	st = status_of(self->sv, "re");
	EXPECT_NE(first, st.pid);
	EXPECT_EQ(1, self->h.exit_calls);
	EXPECT_TRUE(self->h.last.stop_requested);
	EXPECT_EQ(2, self->h.pre_calls);
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "re", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "re", 3000));
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "re").state);
}

TEST_F(sv, restart_policy_then_dead)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo run; exit 1", NULL };
	struct ew_sv_status st;
	struct ew_error e;
	char *s;

	self->h.restarts_left = 2;
	ASSERT_EQ(0, add(self, "flaky", argv, no_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "flaky", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "flaky", 5000));
	st = status_of(self->sv, "flaky");
	EXPECT_EQ(3u, st.starts);
	EXPECT_EQ(3, self->h.exit_calls);
	EXPECT_EQ(EW_SV_DEAD, (int)st.state);
	EXPECT_STREQ("dead", ew_sv_state_name(st.state));
	EXPECT_STREQ("exited with code 1; not restarted any more", st.description);
	s = all_text(ew_supervisor_logs(self->sv, "flaky"));
	EXPECT_STREQ("run\nrun\nrun\n", s);
	free(s);

	/* A pending restart is cancelled by stop. */
	self->h.restarts_left = 1;
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "flaky", &e));
	while (self->h.exit_calls < 4)
		ASSERT_EQ(0, ew_supervisor_run_for(self->sv, 5));
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "flaky", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "flaky", 1000));
	ew_supervisor_run_for(self->sv, 60);
	EXPECT_EQ(4u, status_of(self->sv, "flaky").starts);
}

TEST_F(sv, remove)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo bye; exec sleep 100", NULL };
	char path[EW_PATH_MAX + 1], logf[256];
	struct ew_error e;
	struct stat sb;

	ASSERT_EQ(0, add(self, "gone", argv, path_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "gone", &e)) TH_LOG("%s", e.msg);
	ASSERT_TRUE(wait_line(self->sv, "gone", "bye", 5000));
	snprintf(path, sizeof(path), "%s", ew_supervisor_cgroup(self->sv, "gone")->path);
	EXPECT_EQ(-EBUSY, ew_supervisor_remove(self->sv, "gone", true, &e));
	EXPECT_NE(NULL, strstr(e.msg, "stop it first")) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "gone", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "gone", 5000));
	snprintf(logf, sizeof(logf), "%s/gone.log", self->logdir);
	EXPECT_EQ(0, stat(logf, &sb));
	ASSERT_EQ(0, ew_supervisor_remove(self->sv, "gone", true, &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(-1, stat(path, &sb));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, stat(logf, &sb));
	EXPECT_EQ(-ENOENT, ew_supervisor_remove(self->sv, "gone", true, &e));
	EXPECT_EQ(NULL, ew_supervisor_cgroup(self->sv, "gone"));
}

TEST_F(sv, logs_survive_the_supervisor)
{
	const char *const argv[] = { "/bin/sh", "-c", "echo persisted; echo warn >&2", NULL };
	struct ew_error e;
	char *s;

	ASSERT_EQ(0, add(self, "keep", argv, no_env, NULL, &e));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "keep", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "keep", 5000));
	ew_supervisor_free(self->sv);
	self->sv = NULL;
	self->nnames = 0;

	ASSERT_EQ(0, new_sv(self, variant, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, add(self, "keep", argv, no_env, NULL, &e));
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "keep").state);
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "keep"), EW_LOG_STDOUT, "persisted"));
	EXPECT_TRUE(has_line(ew_supervisor_logs(self->sv, "keep"), EW_LOG_STDERR, "warn"));
	s = all_text(ew_supervisor_logs(self->sv, "keep"));
	EXPECT_EQ(2u, count_lines(s));
	free(s);
}

/* A process in module @name's cgroup, there before the module is added. */
static pid_t __attribute__((noinline)) plant(struct ew_supervisor *sv, const char *name)
{
	const char *const sleeper[] = { "/bin/sleep", "100", NULL };
	const struct ew_cgroups *cgs = ew_supervisor_cgroups(sv);
	struct ew_cgroups mine;
	struct ew_cgroup cg;
	pid_t pid = -1;

	if (ew_cgroups_open(&mine, cgs->mnt, cgs->base, NULL) < 0)
		return -1;
	if (ew_cgroup_create(&mine, name, &cg, NULL) == 0) {
		pid = spawn_in(cg.path, sleeper);
		if (pid > 0 && wait_pids(&cg, 1, 3000) != 1)
			pid = -1;
		ew_cgroup_close(&cg);
	}
	ew_cgroups_close(&mine);
	return pid;
}

TEST_F(sv, leftovers_of_an_earlier_run)
{
	const char *const argv[] = { "/bin/true", NULL };
	struct ew_sv_status st;
	struct ew_error e;
	int status;
	pid_t pid;

	pid = plant(self->sv, "old");
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, add(self, "old", argv, no_env, NULL, &e));
	st = status_of(self->sv, "old");
	EXPECT_EQ(EW_SV_UNKNOWN, (int)st.state);
	EXPECT_STREQ("unknown", ew_sv_state_name(st.state));
	EXPECT_EQ(-EBUSY, ew_supervisor_start(self->sv, "old", &e));
	EXPECT_EQ(-EBUSY, ew_supervisor_remove(self->sv, "old", true, &e));
	EXPECT_EQ(0, ew_supervisor_wait(self->sv, "old", 100));

	ASSERT_EQ(0, ew_supervisor_stop(self->sv, "old", &e));
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "old", 3000));
	EXPECT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	st = status_of(self->sv, "old");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state);
	EXPECT_EQ(0, ew_cgroup_populated(ew_supervisor_cgroup(self->sv, "old")));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "old", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "old", 3000));
	st = status_of(self->sv, "old");
	EXPECT_EQ(EW_SV_STOPPED, (int)st.state) TH_LOG("%s", st.description);
	EXPECT_EQ(1u, st.starts);
}

TEST_F(sv, recreates_a_removed_cgroup)
{
	const char *const argv[] = { "/bin/true", NULL };
	struct ew_error e;
	uint64_t old;

	ASSERT_EQ(0, add(self, "rm", argv, no_env, NULL, &e));
	old = ew_supervisor_cgroup(self->sv, "rm")->id;
	ASSERT_EQ(0, rmdir(ew_supervisor_cgroup(self->sv, "rm")->path));
	ASSERT_EQ(0, ew_supervisor_start(self->sv, "rm", &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, ew_supervisor_wait(self->sv, "rm", 3000));
	EXPECT_NE(old, ew_supervisor_cgroup(self->sv, "rm")->id);
	/* The hook registered the new one. */
	EXPECT_EQ(ew_supervisor_cgroup(self->sv, "rm")->id, self->h.pre_cgid);
	EXPECT_EQ(EW_SV_STOPPED, (int)status_of(self->sv, "rm").state);
}

TEST_HARNESS_MAIN

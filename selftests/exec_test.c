// SPDX-License-Identifier: GPL-2.0
/*
 * The exec gate: what a registered module may run, proven by programs that
 * would leave a marker file if they executed a single instruction.
 */

#include <openssl/evp.h>

#include "ew_test.h"

#include "kselftest_harness.h"

#define BUSYBOX "/bin/busybox"

FIXTURE(gate) {
	struct ew_client *c;
	struct ew_error e;
	struct ew_cg cg;		/* registered */
	struct ew_cg sub;		/* a child of cg, not registered itself */
	struct ew_cg other;		/* not registered */
	char dir[64];			/* scratch files */
	char copy[128];			/* busybox with a byte appended: unlisted */
	char marker[128];
	uint8_t busybox[EDGEWARD_DIGEST_LEN];
	uint8_t copy_digest[EDGEWARD_DIGEST_LEN];
	uint32_t mode;
};

static int sha256_file(const char *path, uint8_t *out)
{
	unsigned char buf[65536];
	unsigned int len = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			EVP_DigestUpdate(ctx, buf, n);
		if (n == 0 && EVP_DigestFinal_ex(ctx, out, &len) && len == 32)
			ret = 0;
	}
	EVP_MD_CTX_free(ctx);
	close(fd);
	return ret;
}

static int copy_file(const char *from, const char *to, const char *extra)
{
	char buf[65536];
	ssize_t n;
	int in, out, ret = 0;

	in = open(from, O_RDONLY | O_CLOEXEC);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		ret = -1;
	while (!ret && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			ret = -1;
	if (!ret && extra && write(out, extra, strlen(extra)) < 0)
		ret = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}

static int write_script(const char *path, const char *interp, const char *marker)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "#!%s sh\n%s touch %s\n", interp, BUSYBOX, marker);
	fclose(f);
	return chmod(path, 0755);
}

/*
 * Runs path with argv in a child that first moves itself into cg. Returns the
 * errno of a failed execve(), 0 if the program ran (and exited 0), or -1.
 * argv[0] stays "busybox" for busybox's copies: it picks its applet by name.
 */
static int run_in(const struct ew_cg *cg, const char *path, char *const argv[])
{
	char procs[PATH_MAX + 32];
	int pfd[2], status, err = 0;
	pid_t pid;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->path);
	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(procs, O_WRONLY);

		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(120);
		close(fd);
		execv(path, argv);
		err = errno;
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(121);
		_exit(122);
	}
	close(pfd[1]);
	if (read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (err)
		return err;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int set_reg(struct ew_client *c, struct ew_cg *cg, uint32_t mode,
		   unsigned int n, const uint8_t (*digests)[EDGEWARD_DIGEST_LEN],
		   bool replace, struct ew_error *e)
{
	struct ew_reg_spec spec = {
		.cgroup = ew_by_id(cg->id),
		.name = "gated",
		.gen_id = "3",
		.n_digests = n,
		.digests = digests,
		.mode = mode,
	};

	return replace ? ew_reg_set(c, &spec, NULL, e) : ew_reg_new(c, &spec, NULL, e);
}

FIXTURE_SETUP(gate)
{
	struct ew_status st;
	char path[PATH_MAX];

	self->c = NULL;
	self->cg.fd = self->sub.fd = self->other.fd = -1;
	EW_SKIP_UNLESS_LOADED(self->c, self->e);
	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	self->mode = st.mode;
	ASSERT_EQ(0, ew_mode_set(self->c, EDGEWARD_MODE_ENFORCE, &self->e));

	ASSERT_EQ(0, ew_cg_create(&self->cg, "gate"));
	snprintf(path, sizeof(path), "%s/sub", self->cg.path);
	ASSERT_EQ(0, mkdir(path, 0755));
	strcpy(self->sub.path, path);
	ASSERT_EQ(0, ew_cgroup_id_of_path(path, &self->sub.id));
	ASSERT_EQ(0, ew_cg_create(&self->other, "free"));

	snprintf(self->dir, sizeof(self->dir), "/tmp/ew-exec-%d", getpid());
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	snprintf(self->copy, sizeof(self->copy), "%s/bb-copy", self->dir);
	snprintf(self->marker, sizeof(self->marker), "%s/marker", self->dir);
	ASSERT_EQ(0, copy_file(BUSYBOX, self->copy, "\n"));
	ASSERT_EQ(0, sha256_file(BUSYBOX, self->busybox));
	ASSERT_EQ(0, sha256_file(self->copy, self->copy_digest));
	ASSERT_NE(0, memcmp(self->busybox, self->copy_digest, 32));

	/* Only busybox is allowed, in enforce mode by default. */
	ASSERT_EQ(0, set_reg(self->c, &self->cg, 0, 1,
			     (const uint8_t (*)[32])self->busybox, false, &self->e))
		TH_LOG("%s", self->e.msg);
}

FIXTURE_TEARDOWN(gate)
{
	char cmd[PATH_MAX];
	struct ew_error e;

	if (self->c) {
		ew_reg_del(self->c, ew_by_id(self->cg.id), &e);
		ew_mode_set(self->c, self->mode, &e);
		ew_client_close(self->c);
	}
	rmdir(self->sub.path);
	ew_cg_destroy(&self->cg);
	ew_cg_destroy(&self->other);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (self->dir[0] && system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(gate, listed_binary_runs)
{
	char *argv[] = { "busybox", "touch", self->marker, NULL };

	EXPECT_EQ(0, run_in(&self->cg, BUSYBOX, argv));
	EXPECT_TRUE(exists(self->marker));
}

TEST_F(gate, unlisted_binary_denied_and_never_ran)
{
	char *argv[] = { "busybox", "touch", self->marker, NULL };

	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
	EXPECT_FALSE(exists(self->marker));
}

TEST_F(gate, sub_cgroup_is_covered)
{
	char *ok[] = { "busybox", "true", NULL };
	char *bad[] = { "busybox", "touch", self->marker, NULL };

	EXPECT_EQ(0, run_in(&self->sub, BUSYBOX, ok));
	EXPECT_EQ(EPERM, run_in(&self->sub, self->copy, bad));
	EXPECT_FALSE(exists(self->marker));
}

TEST_F(gate, unregistered_cgroup_untouched)
{
	char *argv[] = { "busybox", "touch", self->marker, NULL };

	EXPECT_EQ(0, run_in(&self->other, self->copy, argv));
	EXPECT_TRUE(exists(self->marker));
}

TEST_F(gate, script_needs_script_and_interpreter_listed)
{
	uint8_t d[3][EDGEWARD_DIGEST_LEN];
	char script[160], bad_interp[160];
	char *run_script[] = { script, NULL };
	char *run_bad[] = { bad_interp, NULL };

	snprintf(script, sizeof(script), "%s/good.sh", self->dir);
	snprintf(bad_interp, sizeof(bad_interp), "%s/bad-interp.sh", self->dir);
	ASSERT_EQ(0, write_script(script, BUSYBOX, self->marker));
	ASSERT_EQ(0, write_script(bad_interp, self->copy, self->marker));

	/* Interpreter listed, script not: denied. */
	EXPECT_EQ(EPERM, run_in(&self->cg, script, run_script));
	EXPECT_FALSE(exists(self->marker));

	/* Both listed: runs. */
	memcpy(d[0], self->busybox, 32);
	ASSERT_EQ(0, sha256_file(script, d[1]));
	ASSERT_EQ(0, sha256_file(bad_interp, d[2]));
	ASSERT_EQ(0, set_reg(self->c, &self->cg, 0, 3,
			     (const uint8_t (*)[32])d, true, &self->e));
	EXPECT_EQ(0, run_in(&self->cg, script, run_script));
	EXPECT_TRUE(exists(self->marker));
	unlink(self->marker);

	/* Script listed, its interpreter not: denied. */
	EXPECT_EQ(EPERM, run_in(&self->cg, bad_interp, run_bad));
	EXPECT_FALSE(exists(self->marker));
}

TEST_F(gate, interpreter_runs_unlisted_script_given_as_argument)
{
	char script[160];
	char *argv[] = { "busybox", "sh", script, NULL };

	/* Documented limit: only what execve() loads is judged. */
	snprintf(script, sizeof(script), "%s/arg.sh", self->dir);
	ASSERT_EQ(0, write_script(script, BUSYBOX, self->marker));
	EXPECT_EQ(0, run_in(&self->cg, BUSYBOX, argv));
	EXPECT_TRUE(exists(self->marker));
}

TEST_F(gate, changed_file_is_measured_again)
{
	uint8_t d[EDGEWARD_DIGEST_LEN];
	char *argv[] = { "busybox", "true", NULL };
	int fd;

	ASSERT_EQ(0, set_reg(self->c, &self->cg, 0, 1,
			     (const uint8_t (*)[32])self->copy_digest, true, &self->e));
	EXPECT_EQ(0, run_in(&self->cg, self->copy, argv));		/* measured, cached */
	EXPECT_EQ(0, run_in(&self->cg, self->copy, argv));		/* from the cache */

	fd = open(self->copy, O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	close(fd);
	ASSERT_EQ(0, sha256_file(self->copy, d));
	ASSERT_NE(0, memcmp(d, self->copy_digest, 32));
	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
}

TEST_F(gate, reg_set_takes_effect_at_once)
{
	uint8_t d[2][EDGEWARD_DIGEST_LEN];
	char *argv[] = { "busybox", "true", NULL };

	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
	memcpy(d[0], self->busybox, 32);
	memcpy(d[1], self->copy_digest, 32);
	ASSERT_EQ(0, set_reg(self->c, &self->cg, 0, 2,
			     (const uint8_t (*)[32])d, true, &self->e));
	EXPECT_EQ(0, run_in(&self->cg, self->copy, argv));
	ASSERT_EQ(0, set_reg(self->c, &self->cg, 0, 1,
			     (const uint8_t (*)[32])self->busybox, true, &self->e));
	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
}

TEST_F(gate, modes_decide_enforcement)
{
	char *argv[] = { "busybox", "touch", self->marker, NULL };
	const uint8_t (*bb)[32] = (const uint8_t (*)[32])self->busybox;

	/* Registration in audit under a global enforce: runs. */
	ASSERT_EQ(0, set_reg(self->c, &self->cg, EDGEWARD_MODE_AUDIT, 1, bb, true, &self->e));
	EXPECT_EQ(0, run_in(&self->cg, self->copy, argv));
	EXPECT_TRUE(exists(self->marker));
	unlink(self->marker);

	/* Registration in enforce under a global audit: denied. */
	ASSERT_EQ(0, ew_mode_set(self->c, EDGEWARD_MODE_AUDIT, &self->e));
	ASSERT_EQ(0, set_reg(self->c, &self->cg, EDGEWARD_MODE_ENFORCE, 1, bb, true, &self->e));
	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
	EXPECT_FALSE(exists(self->marker));

	/* Global off turns everything off. */
	ASSERT_EQ(0, ew_mode_set(self->c, EDGEWARD_MODE_OFF, &self->e));
	EXPECT_EQ(0, run_in(&self->cg, self->copy, argv));
	EXPECT_TRUE(exists(self->marker));
}

/* Reads events until one of kind EXEC arrives, or fails. */
static int next_exec(struct ew_events *ev, struct ew_event *out)
{
	struct ew_error e;
	int r;

	while ((r = ew_events_next(ev, out, 3000, &e)) == 1)
		if (out->cmd == EDGEWARD_CMD_EXEC_NTF)
			return 0;
	return -1;
}

TEST_F(gate, denial_and_audit_are_announced)
{
	char *argv[] = { "busybox", "true", NULL };
	const uint8_t (*bb)[32] = (const uint8_t (*)[32])self->busybox;
	struct ew_events *ev;
	struct ew_event out;

	ASSERT_EQ(0, ew_events_open(&ev, &self->e));

	EXPECT_EQ(EPERM, run_in(&self->cg, self->copy, argv));
	ASSERT_EQ(0, next_exec(ev, &out));
	EXPECT_EQ(EDGEWARD_VERDICT_DENIED, out.task.verdict);
	EXPECT_STREQ("gated", out.task.name);
	EXPECT_STREQ("3", out.task.gen_id);
	EXPECT_EQ(self->cg.id, out.task.reg_cgroup_id);
	EXPECT_EQ(self->cg.id, out.task.cgroup_id);
	EXPECT_STREQ(self->copy, out.task.path);
	ASSERT_TRUE(out.task.has_digest);
	EXPECT_EQ(0, memcmp(self->copy_digest, out.task.digest, 32));
	EXPECT_NE(0, out.task.pid);

	ASSERT_EQ(0, set_reg(self->c, &self->cg, EDGEWARD_MODE_AUDIT, 1, bb, true, &self->e));
	EXPECT_EQ(0, run_in(&self->sub, self->copy, argv));
	ASSERT_EQ(0, next_exec(ev, &out));
	EXPECT_EQ(EDGEWARD_VERDICT_AUDITED, out.task.verdict);
	EXPECT_EQ(self->sub.id, out.task.cgroup_id);
	EXPECT_EQ(self->cg.id, out.task.reg_cgroup_id);
	EXPECT_STREQ(self->copy, out.task.path);

	ew_events_close(ev);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Attestation: the peer of a Unix socket is named by the kernel, never
 * confused with another process, dead or alive.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include "ew_test.h"

#include "kselftest_harness.h"

FIXTURE(att) {
	struct ew_client *c;
	struct ew_error e;
	struct ew_cg cg;
	struct ew_cg other;
};

FIXTURE_SETUP(att)
{
	struct ew_reg_spec spec = { .name = "attested", .gen_id = "11" };

	self->c = NULL;
	self->cg.fd = self->other.fd = -1;
	EW_SKIP_UNLESS_LOADED(self->c, self->e);
	ASSERT_EQ(0, ew_cg_create(&self->cg, "att"));
	ASSERT_EQ(0, ew_cg_create(&self->other, "free"));
	spec.cgroup = ew_by_fd(&self->cg);
	ASSERT_EQ(0, ew_reg_new(self->c, &spec, NULL, &self->e)) TH_LOG("%s", self->e.msg);
}

FIXTURE_TEARDOWN(att)
{
	struct ew_error e;

	if (self->c) {
		ew_reg_del(self->c, ew_by_id(self->cg.id), &e);
		ew_client_close(self->c);
	}
	ew_cg_destroy(&self->cg);
	ew_cg_destroy(&self->other);
}

static int join(const struct ew_cg *cg)
{
	char procs[PATH_MAX + 32];
	int fd, ok;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg->path);
	fd = open(procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A child that joins cg and then connects to a listening socket; the
 * parent's accepted end names the child as its peer. The child waits for a
 * byte (or EOF) before exiting.
 */
static pid_t connected_peer(const struct ew_cg *cg, int *conn)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd, cfd;
	pid_t pid;
	char c;

	/* An abstract address, private to this test process. */
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "ew-attest-%d", getpid());
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(lfd);
		if (join(cg))
			_exit(1);
		cfd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (cfd < 0 || connect(cfd, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(2);
		/* Wait for the parent to say go (a byte or EOF). */
		if (read(cfd, &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	*conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	close(lfd);
	return *conn < 0 ? -1 : pid;
}

static void release(pid_t pid, int conn)
{
	if (write(conn, "x", 1) < 0)
		perror("write");
	close(conn);
	waitpid(pid, NULL, 0);
}

TEST_F(att, registered_peer_is_named)
{
	struct ew_task t;
	int conn;
	pid_t pid = connected_peer(&self->cg, &conn);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ew_attest_fd(self->c, conn, &t, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_STREQ("attested", t.name);
	EXPECT_STREQ("11", t.gen_id);
	EXPECT_EQ(self->cg.id, t.reg_cgroup_id);
	EXPECT_EQ(self->cg.id, t.cgroup_id);
	EXPECT_EQ(pid, t.pid);
	EXPECT_NE(0, t.start_time);
	/* The peer runs this very test binary, which is not listed. */
	EXPECT_TRUE(t.has_digest);
	EXPECT_NE(NULL, strstr(t.path, "attest_test"));
	release(pid, conn);
}

TEST_F(att, unregistered_peer_refused)
{
	struct ew_task t;
	int conn;
	pid_t pid = connected_peer(&self->other, &conn);

	ASSERT_LT(0, pid);
	EXPECT_EQ(-ENOENT, ew_attest_fd(self->c, conn, &t, &self->e));
	EXPECT_NE(NULL, strstr(self->e.msg, "not in a registered cgroup"));
	release(pid, conn);
}

TEST_F(att, dead_peer_refused_reaped_or_not)
{
	struct ew_task t;
	int conn, status;
	pid_t pid = connected_peer(&self->cg, &conn);

	ASSERT_LT(0, pid);
	ASSERT_EQ(1, write(conn, "x", 1));
	/* Exited, not yet reaped: a zombie is not a live module. */
	usleep(300000);
	EXPECT_EQ(-ESRCH, ew_attest_fd(self->c, conn, &t, &self->e));
	EXPECT_NE(NULL, strstr(self->e.msg, "exited"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(-ESRCH, ew_attest_fd(self->c, conn, &t, &self->e));
	close(conn);
}

/* Forks a child that gets pid want by setting ns_last_pid; it joins cg. */
static pid_t fork_with_pid(pid_t want, const struct ew_cg *cg, int *go)
{
	char buf[32];
	int fd, p[2];
	pid_t pid;
	char c;

	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || pipe(p))
		return -1;
	snprintf(buf, sizeof(buf), "%d", want - 1);
	if (write(fd, buf, strlen(buf)) < 0)
		return -1;
	close(fd);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (join(cg))
			_exit(1);
		if (read(p[0], &c, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

TEST_F(att, reused_pid_is_not_the_peer)
{
	struct ew_task t;
	int conn, go;
	pid_t pid = connected_peer(&self->cg, &conn), again;

	ASSERT_LT(0, pid);
	ASSERT_EQ(1, write(conn, "x", 1));
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));

	/* Another process, same number, same registered cgroup. */
	again = fork_with_pid(pid, &self->cg, &go);
	ASSERT_EQ(pid, again) TH_LOG("could not reuse pid %d", pid);
	usleep(100000);	/* let it join the cgroup */

	EXPECT_EQ(-ESRCH, ew_attest_fd(self->c, conn, &t, &self->e));
	/* By number it is found, and its start time tells it apart. */
	ASSERT_EQ(0, ew_attest_pid(self->c, pid, &t, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_EQ(pid, t.pid);
	EXPECT_STREQ("attested", t.name);

	close(go);
	waitpid(again, NULL, 0);
	close(conn);
}

TEST_F(att, by_pid)
{
	struct ew_task t1, t2;
	int conn;
	pid_t pid = connected_peer(&self->cg, &conn);

	ASSERT_LT(0, pid);
	ASSERT_EQ(0, ew_attest_pid(self->c, pid, &t1, &self->e)) TH_LOG("%s", self->e.msg);
	ASSERT_EQ(0, ew_attest_fd(self->c, conn, &t2, &self->e));
	EXPECT_EQ(t1.start_time, t2.start_time);
	EXPECT_STREQ("attested", t1.name);
	EXPECT_EQ(-ENOENT, ew_attest_pid(self->c, getpid(), &t1, &self->e));
	/* kthreadd is alive but no module's. */
	EXPECT_EQ(-ENOENT, ew_attest_pid(self->c, 2, &t1, &self->e));
	EXPECT_NE(NULL, strstr(self->e.msg, "kernel thread"));
	release(pid, conn);
	EXPECT_EQ(-ESRCH, ew_attest_pid(self->c, pid, &t1, &self->e));
}

TEST_F(att, unusable_sockets_refused)
{
	struct ew_task t;
	int fd, sv[2];

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTSOCK, ew_attest_fd(self->c, fd, &t, &self->e));
	close(fd);

	EXPECT_EQ(-EBADF, ew_attest_fd(self->c, 1000, &t, &self->e));

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EPROTOTYPE, ew_attest_fd(self->c, fd, &t, &self->e));
	close(fd);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOTCONN, ew_attest_fd(self->c, fd, &t, &self->e));
	close(fd);

	/* A socketpair's peer is this process, which is not registered. */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	EXPECT_EQ(-ENOENT, ew_attest_fd(self->c, sv[0], &t, &self->e));
	close(sv[0]);
	close(sv[1]);
}

TEST_F(att, request_needs_exactly_one_of_fd_and_pid)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_ATTEST, 0);

	ASSERT_NE(NULL, m);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EINVAL, self->e.err);
	EXPECT_NE(NULL, strstr(self->e.msg, "exactly one of sock-fd and pid"));

	m = ew_msg_new(self->c, EDGEWARD_CMD_ATTEST, 0);
	ASSERT_NE(NULL, m);
	nla_put_s32(m, EDGEWARD_A_TASK_SOCK_FD, 0);
	nla_put_u32(m, EDGEWARD_A_TASK_PID, 1);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EINVAL, self->e.err);

	m = ew_msg_new(self->c, EDGEWARD_CMD_ATTEST, 0);
	ASSERT_NE(NULL, m);
	nla_put_u32(m, EDGEWARD_A_TASK_PID, 0);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-ERANGE, self->e.err);
}

TEST_HARNESS_MAIN

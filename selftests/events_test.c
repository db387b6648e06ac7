// SPDX-License-Identifier: GPL-2.0
/*
 * The events group: one message per change, numbered without gaps, gaps when
 * messages are lost, nothing outside the initial network namespace.
 */

#include <poll.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "ew_test.h"

#include "kselftest_harness.h"

static const uint8_t digest[EDGEWARD_DIGEST_LEN] = { 0xde, 0xad, 0xbe, 0xef };

FIXTURE(ev) {
	struct ew_client *c;
	struct ew_events *ev;
	struct ew_error e;
	struct ew_cg cg;
	uint32_t mode;
};

FIXTURE_SETUP(ev)
{
	struct ew_status st;

	self->c = NULL;
	self->ev = NULL;
	self->cg.fd = -1;
	EW_SKIP_UNLESS_LOADED(self->c, self->e);
	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	self->mode = st.mode;
	ASSERT_EQ(0, ew_cg_create(&self->cg, "ev"));
	ASSERT_EQ(0, ew_events_open(&self->ev, &self->e)) TH_LOG("%s", self->e.msg);
}

FIXTURE_TEARDOWN(ev)
{
	struct ew_error e;

	if (self->ev)
		ew_events_close(self->ev);
	if (self->c) {
		ew_reg_del(self->c, ew_by_id(self->cg.id), &e);
		ew_mode_set(self->c, self->mode, &e);
		ew_client_close(self->c);
	}
	ew_cg_destroy(&self->cg);
}

static uint32_t other_mode(uint32_t mode)
{
	return mode == EDGEWARD_MODE_ENFORCE ? EDGEWARD_MODE_AUDIT :
					       EDGEWARD_MODE_ENFORCE;
}

TEST_F(ev, every_change_announced_in_order)
{
	const uint8_t (*digests)[EDGEWARD_DIGEST_LEN] =
		(const uint8_t (*)[EDGEWARD_DIGEST_LEN])digest;
	struct ew_reg_spec spec = {
		.cgroup = ew_by_fd(&self->cg),
		.name = "announced",
		.gen_id = "9",
		.n_digests = 1,
		.digests = digests,
	};
	uint32_t mode = other_mode(self->mode);
	struct ew_status st;
	struct ew_event ev;
	uint64_t base;

	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	base = st.event_seq;

	ASSERT_EQ(0, ew_reg_new(self->c, &spec, NULL, &self->e)) TH_LOG("%s", self->e.msg);
	ASSERT_EQ(0, ew_mode_set(self->c, mode, &self->e));
	ASSERT_EQ(0, ew_mode_set(self->c, mode, &self->e));	/* no change, no event */
	ASSERT_EQ(0, ew_reg_del(self->c, ew_by_fd(&self->cg), &self->e));

	ASSERT_EQ(1, ew_events_next(self->ev, &ev, 2000, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_EQ(EDGEWARD_CMD_REG_ADD_NTF, ev.cmd);
	EXPECT_EQ(base + 1, ev.seq);
	EXPECT_EQ(self->cg.id, ev.reg.cgroup_id);
	EXPECT_STREQ(self->cg.rel, ev.reg.cgroup_path);
	EXPECT_STREQ("announced", ev.reg.name);
	EXPECT_STREQ("9", ev.reg.gen_id);
	ASSERT_EQ(1, ev.reg.n_digests);
	EXPECT_EQ(0, memcmp(digest, ev.reg.digests[0], EDGEWARD_DIGEST_LEN));

	ASSERT_EQ(1, ew_events_next(self->ev, &ev, 2000, &self->e));
	EXPECT_EQ(EDGEWARD_CMD_MODE_CHANGE_NTF, ev.cmd);
	EXPECT_EQ(base + 2, ev.seq);
	EXPECT_EQ(mode, ev.mode);

	ASSERT_EQ(1, ew_events_next(self->ev, &ev, 2000, &self->e));
	EXPECT_EQ(EDGEWARD_CMD_REG_DEL_NTF, ev.cmd);
	EXPECT_EQ(base + 3, ev.seq);
	EXPECT_EQ(self->cg.id, ev.reg.cgroup_id);
	EXPECT_STREQ("announced", ev.reg.name);

	EXPECT_EQ(0, ew_events_next(self->ev, &ev, 200, &self->e));
	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	EXPECT_EQ(base + 3, st.event_seq);
}

TEST_F(ev, overflow_reported_then_accounted_for_by_numbers)
{
	const int changes = 200;
	int small = 1, i, r, received = 0, lost = 0;
	uint64_t base, prev, gaps = 0;
	uint32_t mode = self->mode;
	struct ew_status st;
	struct ew_event ev;

	ASSERT_EQ(0, setsockopt(ew_events_fd(self->ev), SOL_SOCKET, SO_RCVBUF,
				&small, sizeof(small)));
	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	base = prev = st.event_seq;
	for (i = 0; i < changes; i++) {
		mode = other_mode(mode);
		ASSERT_EQ(0, ew_mode_set(self->c, mode, &self->e));
	}

	/* Drain: ENOBUFS once the buffer overflowed, then what was kept. */
	while ((r = ew_events_next(self->ev, &ev, 500, &self->e)) != 0) {
		if (r == -ENOBUFS) {
			lost++;
			continue;
		}
		ASSERT_EQ(1, r) TH_LOG("%s", self->e.msg);
		ASSERT_EQ(EDGEWARD_CMD_MODE_CHANGE_NTF, ev.cmd);
		ASSERT_LT(prev, ev.seq);
		gaps += ev.seq - prev - 1;
		prev = ev.seq;
		received++;
	}

	/* One more change, read with room to spare, closes the account. */
	ASSERT_EQ(0, ew_mode_set(self->c, other_mode(mode), &self->e));
	ASSERT_EQ(1, ew_events_next(self->ev, &ev, 2000, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_EQ(base + changes + 1, ev.seq);
	gaps += ev.seq - prev - 1;

	EXPECT_LT(0, lost);
	EXPECT_LT(received, changes);
	/* Every event is either received or visible as part of a gap. */
	EXPECT_EQ(changes, received + gaps);
	TH_LOG("%d of %d events received, %llu accounted for by gaps",
	       received, changes, (unsigned long long)gaps);
}

struct netns_probe {
	int group;
	int ready[2];
	int go[2];
};

/* Joins the group by number from a fresh network namespace and listens. */
static int listen_from_other_netns(void *arg)
{
	struct netns_probe *p = arg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct pollfd pfd;
	char c = 0;
	int fd;

	if (unshare(CLONE_NEWNET))
		return 100;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return 101;
	/* Joining may be refused; either way nothing must arrive. */
	setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &p->group,
		   sizeof(p->group));
	if (write(p->ready[1], &c, 1) != 1 || read(p->go[0], &c, 1) != 1)
		return 102;
	pfd.fd = fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, 1000) != 0;
}

TEST_F(ev, nothing_reaches_other_netns)
{
	struct netns_probe p;
	struct ew_event ev;
	pid_t pid;
	char c = 0;
	int status;

	p.group = genl_ctrl_resolve_grp(ew_client_sock(self->c),
					EDGEWARD_FAMILY_NAME,
					EDGEWARD_MCGRP_EVENTS);
	ASSERT_LT(0, p.group);
	ASSERT_EQ(0, pipe(p.ready));
	ASSERT_EQ(0, pipe(p.go));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(listen_from_other_netns(&p));

	ASSERT_EQ(1, read(p.ready[0], &c, 1));
	ASSERT_EQ(0, ew_register(self->c, &self->cg, "private", &self->e));
	/* The initial namespace does hear it. */
	ASSERT_EQ(1, ew_events_next(self->ev, &ev, 2000, &self->e));
	ASSERT_EQ(1, write(p.go[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN

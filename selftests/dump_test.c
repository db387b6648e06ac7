// SPDX-License-Identifier: GPL-2.0
/*
 * Dumps of the registry: complete and ordered when nothing changes, and
 * flagged NLM_F_DUMP_INTR when the registry changes between two parts.
 */

#include <pthread.h>

#include "ew_test.h"

#include "kselftest_harness.h"

/* Enough registrations that a dump needs several messages. */
#define NR_STABLE 400
#define NR_CHURN 8

FIXTURE(dump) {
	struct ew_client *c;
	struct ew_error e;
	struct ew_cg *cgs;
	int n;
};

FIXTURE_SETUP(dump)
{
	char tag[16];
	int i;

	self->c = NULL;
	self->n = 0;
	self->cgs = calloc(NR_STABLE, sizeof(*self->cgs));
	ASSERT_NE(NULL, self->cgs);
	EW_SKIP_UNLESS_LOADED(self->c, self->e);
	for (i = 0; i < NR_STABLE; i++) {
		snprintf(tag, sizeof(tag), "s%d", i);
		ASSERT_EQ(0, ew_cg_create(&self->cgs[i], tag));
		self->n++;
		ASSERT_EQ(0, ew_register(self->c, &self->cgs[i], tag, &self->e))
			TH_LOG("%s", self->e.msg);
	}
}

FIXTURE_TEARDOWN(dump)
{
	struct ew_error e;
	int i;

	for (i = 0; i < self->n; i++) {
		if (self->c)
			ew_reg_del(self->c, ew_by_id(self->cgs[i].id), &e);
		ew_cg_destroy(&self->cgs[i]);
	}
	free(self->cgs);
	if (self->c)
		ew_client_close(self->c);
}

/* Counts the dump messages in one datagram; notes DONE and DUMP_INTR. */
static int scan_datagram(unsigned char *buf, int len, bool *done, bool *intr)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int msgs = 0;

	for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		if (h->nlmsg_type == NLMSG_DONE)
			*done = true;
		else if (h->nlmsg_type == NLMSG_ERROR)
			return -1;
		else
			msgs++;
	}
	return msgs;
}

TEST_F(dump, unchanged_registry_dumps_complete_and_ordered)
{
	struct ew_status st;
	struct ew_reg *regs;
	size_t n, i;
	int j, found = 0;

	ASSERT_EQ(0, ew_reg_list(self->c, &regs, &n, &self->e)) TH_LOG("%s", self->e.msg);
	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
	EXPECT_EQ(st.reg_count, n);
	for (i = 1; i < n; i++)
		EXPECT_LT(regs[i - 1].cgroup_id, regs[i].cgroup_id);
	for (j = 0; j < self->n; j++) {
		for (i = 0; i < n; i++) {
			if (regs[i].cgroup_id == self->cgs[j].id) {
				found++;
				break;
			}
		}
	}
	EXPECT_EQ(self->n, found);
	free(regs);
}

TEST_F(dump, change_between_parts_flags_interrupted)
{
	struct nl_sock *sk = ew_client_sock(self->c);
	struct ew_client *other;
	struct sockaddr_nl peer;
	struct ew_cg extra;
	unsigned char *buf;
	bool done = false, intr = false;
	int len, parts = 0;
	struct nl_msg *m;

	ASSERT_EQ(0, ew_client_open(&other, &self->e));
	ASSERT_EQ(0, ew_cg_create(&extra, "extra"));

	m = ew_msg_new(self->c, EDGEWARD_CMD_REG_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, m);
	ASSERT_LT(0, nl_send_auto(sk, m));
	nlmsg_free(m);

	/* The first part is built before anything changed. */
	len = nl_recv(sk, &peer, &buf, NULL);
	ASSERT_LT(0, len);
	ASSERT_LT(0, scan_datagram(buf, len, &done, &intr));
	free(buf);
	ASSERT_FALSE(done) TH_LOG("the dump fit one message: raise NR_STABLE");
	EXPECT_FALSE(intr);

	ASSERT_EQ(0, ew_register(other, &extra, "extra", &self->e));

	while (!done) {
		len = nl_recv(sk, &peer, &buf, NULL);
		ASSERT_LT(0, len);
		ASSERT_LE(0, scan_datagram(buf, len, &done, &intr));
		free(buf);
		parts++;
	}
	EXPECT_LT(0, parts);
	EXPECT_TRUE(intr);

	ew_reg_del(other, ew_by_id(extra.id), &self->e);
	ew_cg_destroy(&extra);
	ew_client_close(other);
}

struct churn {
	volatile bool stop;
	struct ew_cg cgs[NR_CHURN];
	unsigned long changes;
	int err;
};

static void *churn_thread(void *arg)
{
	struct churn *ch = arg;
	struct ew_client *c;
	struct ew_error e;
	int i;

	if (ew_client_open(&c, &e)) {
		ch->err = e.err;
		return NULL;
	}
	while (!ch->stop) {
		for (i = 0; i < NR_CHURN; i++) {
			if (ew_register(c, &ch->cgs[i], "churn", &e) ||
			    ew_reg_del(c, ew_by_id(ch->cgs[i].id), &e)) {
				ch->err = e.err;
				goto out;
			}
			ch->changes += 2;
		}
	}
out:
	ew_client_close(c);
	return NULL;
}

struct seen {
	uint64_t *ids;
	size_t n, cap;
};

static int collect_id(struct nl_msg *m, void *arg)
{
	struct seen *s = arg;
	struct ew_reg *r = malloc(sizeof(*r));

	if (!r)
		return NL_STOP;
	if (!ew_reg_parse(m, r, NULL) && s->n < s->cap)
		s->ids[s->n++] = r->cgroup_id;
	free(r);
	return NL_OK;
}

TEST_F(dump, concurrent_changes_never_corrupt_an_uninterrupted_dump)
{
	struct churn ch = { 0 };
	struct seen s = { 0 };
	int i, round, clean = 0, interrupted = 0;
	pthread_t t;

	for (i = 0; i < NR_CHURN; i++)
		ASSERT_EQ(0, ew_cg_create(&ch.cgs[i], "churn"));
	s.cap = NR_STABLE + NR_CHURN + 1024;
	s.ids = calloc(s.cap, sizeof(*s.ids));
	ASSERT_NE(NULL, s.ids);
	ASSERT_EQ(0, pthread_create(&t, NULL, churn_thread, &ch));

	for (round = 0; round < 60; round++) {
		bool intr = false;
		struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_GET, NLM_F_DUMP);
		size_t k;
		int j, hits;

		ASSERT_NE(NULL, m);
		s.n = 0;
		ASSERT_EQ(0, ew_transact(self->c, m, collect_id, &s, &intr, &self->e))
			TH_LOG("%s", self->e.msg);
		if (intr) {
			interrupted++;
			continue;
		}
		clean++;
		/* Ascending, hence no duplicates, and every stable one there. */
		for (k = 1; k < s.n; k++)
			ASSERT_LT(s.ids[k - 1], s.ids[k]);
		for (j = 0, hits = 0; j < self->n; j++) {
			for (k = 0; k < s.n; k++) {
				if (s.ids[k] == self->cgs[j].id) {
					hits++;
					break;
				}
			}
		}
		ASSERT_EQ(self->n, hits);
	}

	ch.stop = true;
	pthread_join(t, NULL);
	for (i = 0; i < NR_CHURN; i++) {
		ew_reg_del(self->c, ew_by_id(ch.cgs[i].id), &self->e);
		ew_cg_destroy(&ch.cgs[i]);
	}
	free(s.ids);
	EXPECT_EQ(0, ch.err);
	EXPECT_LT(0, ch.changes);
	TH_LOG("%d clean and %d interrupted dumps during %lu changes",
	       clean, interrupted, ch.changes);
}

TEST_HARNESS_MAIN

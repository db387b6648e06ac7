// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the renewal engine (certs/renew*.c): the policy arithmetic
 * at its exact boundaries, scheduling and retries, key rotation that never
 * leaves a certificate without its key (on success, on failure, and after
 * a crash at each step), certificates replaced by someone else, and
 * issuers renewed before what they issue. Times are passed in; the key
 * store is a real file store in a scratch directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "certs_util.h"

#define ERRLEN 512

#define EXPECT_MSG(want, err) \
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("'%s' lacks '%s'", err, want)
/* The enums are unsigned to the compiler; their constants are ints. */
#define EXPECT_STATE(want, st) \
	EXPECT_EQ((enum ew_renew_state)(want), (st).state) TH_LOG("%s", (st).message)

/* ------------------------------------------------------------------ */
/* The policy                                                         */
/* ------------------------------------------------------------------ */

TEST(policy_parse)
{
	static const struct {
		const char *s;
		enum ew_renew_unit unit;
		int64_t value;
	} good[] = {
		{ "80%", EW_RENEW_PERCENT, 80 },
		{ "4%", EW_RENEW_PERCENT, 4 },
		{ "1%", EW_RENEW_PERCENT, 1 },
		{ "99%", EW_RENEW_PERCENT, 99 },
		{ "90min", EW_RENEW_SECONDS, 90 * 60 },
		{ "2day", EW_RENEW_SECONDS, 2 * 86400 },
	};
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "", "empty" },
		{ "0%", "must be positive" },
		{ "100%", "less than 100" },
		{ "150%", "less than 100" },
		{ "-1%", "not a number" },
		{ "%", "not a number" },
		{ "abc", "not a number" },
		{ "5", "unit must be" },
		{ "5hours", "unit must be" },
		{ "5 min", "unit must be" },
		{ "5Min", "unit must be" },
		{ "0min", "must be positive" },
		{ "99999999999999999999day", "too large" },
		{ "999999999999999day", "too large" },
	};
	struct ew_renew_value v;
	struct ew_renew_policy p;
	char err[ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&v, 0, sizeof(v));
		ASSERT_EQ(0, ew_renew_value_parse(good[i].s, &v, err, ERRLEN))
			TH_LOG("'%s': %s", good[i].s, err);
		EXPECT_EQ(good[i].unit, v.unit);
		EXPECT_EQ(good[i].value, v.value);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v.unit = EW_RENEW_PERCENT;
		v.value = 42;
		EXPECT_GT(0, ew_renew_value_parse(bad[i].s, &v, err, ERRLEN))
			TH_LOG("'%s'", bad[i].s);
		EXPECT_MSG(bad[i].msg, err);
		EXPECT_EQ(42, v.value);
	}
	EXPECT_EQ(-EINVAL, ew_renew_value_parse(NULL, &v, err, ERRLEN));

	ew_renew_policy_default(&p);
	EXPECT_EQ((enum ew_renew_unit)EW_RENEW_PERCENT, p.threshold.unit);
	EXPECT_EQ(80, p.threshold.value);
	EXPECT_EQ((enum ew_renew_unit)EW_RENEW_PERCENT, p.retry.unit);
	EXPECT_EQ(4, p.retry.value);
	EXPECT_TRUE(ew_renew_policy_valid(&p));
	p.threshold.value = 100;
	EXPECT_FALSE(ew_renew_policy_valid(&p));
	p.threshold.unit = EW_RENEW_SECONDS;
	p.threshold.value = 0;
	EXPECT_FALSE(ew_renew_policy_valid(&p));
}

TEST(due_at_exact_boundaries)
{
	struct ew_renew_policy p;
	const int64_t nb = T0, na = T0 + 1000;

	ew_renew_policy_default(&p);
	/* 80% of 1000 s: due at 800, not at 799 (79.9%). */
	EXPECT_EQ(T0 + 800, ew_renew_due_at(&p, nb, na));
	EXPECT_FALSE(ew_renew_is_due(&p, nb, na, T0 + 799));
	EXPECT_TRUE(ew_renew_is_due(&p, nb, na, T0 + 800));
	EXPECT_TRUE(ew_renew_is_due(&p, nb, na, T0 + 999));
	/* 80% of 1001 s is 800.8: at 800 only 79.92% has passed. */
	EXPECT_EQ(T0 + 801, ew_renew_due_at(&p, nb, na + 1));
	EXPECT_FALSE(ew_renew_is_due(&p, nb, na + 1, T0 + 800));
	EXPECT_TRUE(ew_renew_is_due(&p, nb, na + 1, T0 + 801));
	/* A real lifetime: 90 days and a minute. */
	EXPECT_EQ(T0 - 60 + (90 * DAY + 60) * 4 / 5,
		  ew_renew_due_at(&p, T0 - 60, T0 + 90 * DAY));
	/* Before notBefore nothing is due; negative times work too. */
	EXPECT_FALSE(ew_renew_is_due(&p, nb, na, T0 - 5));
	EXPECT_EQ(-5 + 4, ew_renew_due_at(&p, -5, 0));

	/* A duration: due when that much or less is left. */
	p.threshold.unit = EW_RENEW_SECONDS;
	p.threshold.value = 100;
	EXPECT_EQ(na - 100, ew_renew_due_at(&p, nb, na));
	EXPECT_FALSE(ew_renew_is_due(&p, nb, na, na - 101));
	EXPECT_TRUE(ew_renew_is_due(&p, nb, na, na - 100));

	/* Expired, or an empty or inverted validity: always due. */
	p.threshold.value = 1;
	EXPECT_TRUE(ew_renew_is_due(&p, nb, na, na));
	EXPECT_TRUE(ew_renew_is_due(&p, nb, nb, T0 - DAY));
	EXPECT_TRUE(ew_renew_is_due(&p, na, nb, T0 - DAY));
	EXPECT_EQ(INT64_MIN, ew_renew_due_at(&p, INT64_MIN, INT64_MAX));
}

TEST(retry_interval)
{
	struct ew_renew_policy p;

	ew_renew_policy_default(&p);
	EXPECT_EQ(40, ew_renew_retry_interval(&p, T0, T0 + 1000));
	EXPECT_EQ(40, ew_renew_retry_interval(&p, T0, T0 + 1024));	/* 40.96 */
	EXPECT_EQ(1, ew_renew_retry_interval(&p, T0, T0 + 10));		/* never 0 */
	EXPECT_EQ(EW_RENEW_RETRY_NO_CERT, ew_renew_retry_interval(&p, 0, 0));
	p.retry.unit = EW_RENEW_SECONDS;
	p.retry.value = 300;
	EXPECT_EQ(300, ew_renew_retry_interval(&p, T0, T0 + 1000));
	EXPECT_EQ(300, ew_renew_retry_interval(&p, 0, 0));
}

/* ------------------------------------------------------------------ */
/* The engine                                                         */
/* ------------------------------------------------------------------ */

#define MAX_EVENTS 16

struct events {
	int n;
	char names[MAX_EVENTS][32];
	enum ew_renew_event ev[MAX_EVENTS];
	char msg[MAX_EVENTS][512];
};

static void record(void *ctx, const char *name, enum ew_renew_event ev,
		   const char *msg)
{
	struct events *e = ctx;

	if (e->n >= MAX_EVENTS)
		return;
	snprintf(e->names[e->n], sizeof(e->names[0]), "%s", name);
	snprintf(e->msg[e->n], sizeof(e->msg[0]), "%s", msg);
	e->ev[e->n++] = ev;
}

static int count(const struct events *e, enum ew_renew_event ev)
{
	int i, n = 0;

	for (i = 0; i < e->n; i++)
		n += e->ev[i] == ev;
	return n;
}

/* Wraps the edge CA's callbacks: counts calls, fails on demand. */
struct flaky {
	ew_renew_issue_fn inner;
	ew_renew_installed_fn inner_installed;
	void *inner_ctx;
	int calls;
	bool fail;
	EVP_PKEY *wrong_key;	/* certify this key instead of the job's */
	const char *overwrite;	/* replace this file while issuing */
};

static int flaky_issue(void *ctx, const struct ew_renew_job *job,
		       STACK_OF(X509) **chain, char *err, size_t errlen)
{
	struct flaky *f = ctx;
	struct ew_renew_job j = *job;
	EVP_PKEY *k;
	X509 *x;

	f->calls++;
	if (f->fail) {
		snprintf(err, errlen, "injected failure");
		return -EIO;
	}
	if (f->overwrite) {
		k = EVP_EC_gen("P-256");
		x = tu_cert(k, "intruder", NULL, NULL, job->now, job->now + DAY, true);
		tu_write_certs(f->overwrite, &x, 1);
		X509_free(x);
		EVP_PKEY_free(k);
	}
	if (f->wrong_key)
		j.key = f->wrong_key;
	return f->inner(f->inner_ctx, &j, chain, err, errlen);
}

static int flaky_installed(void *ctx, const char *name,
			   const STACK_OF(X509) *chain, char *err, size_t errlen)
{
	struct flaky *f = ctx;

	return f->inner_installed(f->inner_ctx, name, chain, err, errlen);
}

FIXTURE(eng) {
	struct tu t;
	struct ew_edge_ca *ca;
	struct ew_renew *r;
	struct events ev;
	struct flaky flaky;
	struct ew_renew_cert_config cfg;
	char path[256], next_path[300], record[300];
	int64_t nb, na, due;
};

FIXTURE_SETUP(eng)
{
	struct ew_edge_ca_config cfg = { 0 };
	char err[ERRLEN];

	ASSERT_EQ(0, tu_setup(&self->t));
	cfg.state_dir = self->t.state;
	cfg.expiry_days = 10;
	self->ca = ew_edge_ca_load(&cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, self->ca) TH_LOG("%s", err);
	memset(&self->ev, 0, sizeof(self->ev));
	self->r = ew_renew_new(self->t.ks, record, &self->ev);
	ASSERT_NE(NULL, self->r);
	ASSERT_EQ(0, ew_edge_ca_renew_config(self->ca, false, NULL, &self->cfg));
	memset(&self->flaky, 0, sizeof(self->flaky));
	self->flaky.inner = self->cfg.issue;
	self->flaky.inner_installed = self->cfg.installed;
	self->flaky.inner_ctx = self->cfg.ctx;
	self->cfg.issue = flaky_issue;
	self->cfg.installed = flaky_installed;
	self->cfg.ctx = &self->flaky;
	snprintf(self->path, sizeof(self->path), "%.160s/edge-ca.pem", self->t.certs);
	snprintf(self->next_path, sizeof(self->next_path), "%.250s.next", self->path);
	snprintf(self->record, sizeof(self->record), "%.250s.managed", self->path);
	self->nb = T0 - 60;
	self->na = T0 + 10 * DAY;
	/* 80% of 10 days and a minute (a whole number of seconds). */
	self->due = self->nb + (10 * DAY + 60) * 4 / 5;
}

FIXTURE_TEARDOWN(eng)
{
	ew_renew_free(self->r);
	ew_edge_ca_free(self->ca);
	tu_teardown(&self->t);
}

/* The public key of key @id, to compare across a rotation. */
static EVP_PKEY *key_of(struct tu *t, const char *id)
{
	return ew_key_pair_get(t->ks, id);
}

static int record_lines(const char *path)
{
	char *s = tu_read(path);
	int n = 0;
	char *p;

	if (!s)
		return -1;
	for (p = s; *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* Issues a server certificate and returns its PEM (malloc'd). */
static char *issue_server(struct ew_edge_ca *ca, int64_t now)
{
	struct ew_issue_request req = {
		.kind = EW_CERT_SERVER, .module = "$edgeHub",
		.common_name = "gw", .now = now,
	};
	struct ew_issued is;
	char err[ERRLEN], *pem;

	if (ew_edge_ca_issue(ca, &req, &is, err, ERRLEN))
		return NULL;
	pem = strdup(is.cert_pem);
	ew_issued_release(&is);
	return pem;
}

TEST_F(eng, renews_at_the_threshold_keeping_the_key)
{
	struct ew_renew_status st;
	char err[ERRLEN], before[65], after[65];
	EVP_PKEY *k1, *k2;
	STACK_OF(X509) *chain;
	char *old_leaf, *bundle;
	size_t len;

	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(self->due, ew_renew_next_wakeup(self->r, T0));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
	EXPECT_STREQ("ok", ew_renew_state_name(st.state));
	EXPECT_EQ(self->nb, st.not_before);
	EXPECT_EQ(self->na, st.not_after);
	tu_file_fp(self->path, before);
	EXPECT_STREQ(before, st.fingerprint);
	k1 = key_of(&self->t, "edge-ca");
	old_leaf = issue_server(self->ca, T0);
	ASSERT_NE(NULL, old_leaf);

	/* One second early: nothing. */
	EXPECT_EQ(0, ew_renew_run_due(self->r, self->due - 1));
	EXPECT_EQ(0, self->flaky.calls);
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);

	EXPECT_EQ(1, ew_renew_run_due(self->r, self->due));
	EXPECT_EQ(1, self->flaky.calls);
	EXPECT_EQ(1, count(&self->ev, EW_RENEW_EV_RENEWED));
	EXPECT_MSG("valid until", self->ev.msg[0]);
	tu_file_fp(self->path, after);
	EXPECT_STRNE(before, after);
	k2 = key_of(&self->t, "edge-ca");
	EXPECT_EQ(1, EVP_PKEY_eq(k1, k2));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	EXPECT_EQ(1, record_lines(self->record));

	/* The new CA is the one in use, and its schedule the next. */
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_EQ(self->due - 60, st.not_before);
	EXPECT_EQ(self->due + 10 * DAY, st.not_after);
	EXPECT_STREQ(after, st.fingerprint);
	/* (10 days + 60 s) * 80% is a whole number of seconds. */
	EXPECT_EQ(self->due - 60 + (10 * DAY + 60) * 4 / 5,
		  ew_renew_next_wakeup(self->r, self->due));
	chain = ew_edge_ca_chain(self->ca);
	tu_fp(sk_X509_value(chain, 0), before);
	EXPECT_STREQ(after, before);
	ew_chain_free(chain);

	/* The old CA stays in the bundle while what it issued is valid. */
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(self->ca, self->due, &bundle, &len));
	EXPECT_EQ(2, tu_count(bundle));
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, old_leaf, self->due,
				       X509_PURPOSE_SSL_SERVER));
	free(bundle);
	free(old_leaf);
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(self->ca, self->na, &bundle, &len));
	EXPECT_EQ(1, tu_count(bundle));
	free(bundle);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

TEST_F(eng, rotation_swaps_key_and_certificate_together)
{
	char err[ERRLEN], *bundle, *old_leaf, *new_leaf;
	EVP_PKEY *k1, *k2;
	struct ew_edge_ca *reloaded;
	struct ew_edge_ca_config cfg = { 0 };
	size_t len;

	self->cfg.rotate_key = true;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	k1 = key_of(&self->t, "edge-ca");
	old_leaf = issue_server(self->ca, T0);
	ASSERT_EQ(1, ew_renew_run_due(self->r, self->due));
	k2 = key_of(&self->t, "edge-ca");
	ASSERT_NE(NULL, k2);
	EXPECT_NE(1, EVP_PKEY_eq(k1, k2));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca-next"));
	EXPECT_FALSE(tu_exists(self->next_path));
	EXPECT_EQ(1, record_lines(self->record));

	/* Issuing goes on with the new key; old certificates still verify. */
	new_leaf = issue_server(self->ca, self->due);
	ASSERT_NE(NULL, new_leaf);
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(self->ca, self->due, &bundle, &len));
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, new_leaf, self->due, X509_PURPOSE_SSL_SERVER));
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, old_leaf, self->due, X509_PURPOSE_SSL_SERVER));
	free(bundle);

	/* A restart finds the same pair, and the previous CA. */
	cfg.state_dir = self->t.state;
	cfg.expiry_days = 10;
	reloaded = ew_edge_ca_load(&cfg, self->t.ks, self->due + 1, err, ERRLEN);
	ASSERT_NE(NULL, reloaded) TH_LOG("%s", err);
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(reloaded, self->due + 1, &bundle, &len));
	EXPECT_EQ(2, tu_count(bundle));
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, old_leaf, self->due + 1,
				       X509_PURPOSE_SSL_SERVER));
	free(bundle);
	ew_edge_ca_free(reloaded);
	free(old_leaf);
	free(new_leaf);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

TEST_F(eng, failed_rotation_keeps_the_old_pair_and_retries)
{
	struct ew_renew_status st;
	char err[ERRLEN], before[65], after[65];
	int64_t retry = (10 * DAY + 60) * 4 / 100, t;
	EVP_PKEY *k1, *k2;

	self->cfg.rotate_key = true;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	tu_file_fp(self->path, before);
	k1 = key_of(&self->t, "edge-ca");
	self->flaky.fail = true;

	EXPECT_EQ(0, ew_renew_run_due(self->r, self->due));
	EXPECT_EQ(1, self->flaky.calls);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_RETRYING, st);
	EXPECT_EQ(1u, st.failures);
	EXPECT_MSG("injected failure", st.message);
	EXPECT_EQ(self->due + retry, st.next_attempt);
	EXPECT_EQ(self->due + retry, ew_renew_next_wakeup(self->r, self->due));
	EXPECT_EQ(1, count(&self->ev, EW_RENEW_EV_FAILED));
	/* The old key and certificate, still a pair; no temporary left. */
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
	k2 = key_of(&self->t, "edge-ca");
	EXPECT_EQ(1, EVP_PKEY_eq(k1, k2));
	EVP_PKEY_free(k2);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca-next"));
	EXPECT_FALSE(tu_exists(self->next_path));

	/* Not before the retry interval has passed. */
	t = self->due + retry;
	EXPECT_EQ(0, ew_renew_run_due(self->r, t - 1));
	EXPECT_EQ(1, self->flaky.calls);
	EXPECT_EQ(0, ew_renew_run_due(self->r, t));
	EXPECT_EQ(2, self->flaky.calls);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_EQ(2u, st.failures);
	EXPECT_EQ(t + retry, st.next_attempt);

	/* Retries go on past expiry, then one succeeds. */
	self->flaky.fail = false;
	t = self->na + 5;
	EXPECT_EQ(1, ew_renew_run_due(self->r, t));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
	EXPECT_EQ(0u, st.failures);
	EXPECT_STREQ("", st.message);
	EXPECT_EQ(t + 10 * DAY, st.not_after);
	k2 = key_of(&self->t, "edge-ca");
	EXPECT_NE(1, EVP_PKEY_eq(k1, k2));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

TEST_F(eng, a_certificate_for_another_key_is_rejected)
{
	struct ew_renew_status st;
	char err[ERRLEN], before[65], after[65];

	self->cfg.rotate_key = true;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	tu_file_fp(self->path, before);
	self->flaky.wrong_key = EVP_EC_gen("P-256");
	EXPECT_EQ(0, ew_renew_run_due(self->r, self->due));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_RETRYING, st);
	EXPECT_MSG("not for our key", st.message);
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca-next"));
	EVP_PKEY_free(self->flaky.wrong_key);
}

TEST_F(eng, replaced_file_is_left_alone)
{
	struct ew_renew_status st;
	struct ew_renew *r2;
	struct events ev2 = { 0 };
	char err[ERRLEN], theirs[65], now_fp[65];
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x;

	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	x = tu_cert(k, "operator's CA", NULL, NULL, T0, T0 + 20 * DAY, true);
	ASSERT_EQ(0, tu_write_certs(self->path, &x, 1));
	tu_fp(x, theirs);

	/* Noticed on the next run, due or not. */
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0 + 1));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_UNMANAGED, st);
	EXPECT_STREQ("unmanaged", ew_renew_state_name(st.state));
	EXPECT_MSG("replaced externally", st.message);
	EXPECT_MSG(theirs, st.message);
	EXPECT_EQ(1, count(&self->ev, EW_RENEW_EV_REPLACED));
	EXPECT_EQ(INT64_MAX, ew_renew_next_wakeup(self->r, T0 + 1));
	/* Long past due: still not touched, nothing issued. */
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0 + 30 * DAY));
	EXPECT_EQ(0, self->flaky.calls);
	EXPECT_EQ(1, count(&self->ev, EW_RENEW_EV_REPLACED));
	tu_file_fp(self->path, now_fp);
	EXPECT_STREQ(theirs, now_fp);

	/* After a restart too. */
	r2 = ew_renew_new(self->t.ks, record, &ev2);
	ASSERT_EQ(0, ew_renew_add(r2, &self->cfg, T0 + 30 * DAY, err, ERRLEN));
	ASSERT_EQ(0, ew_renew_get_status(r2, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_UNMANAGED, st);
	EXPECT_EQ(0, ew_renew_run_due(r2, T0 + 30 * DAY));
	EXPECT_EQ(0, self->flaky.calls);
	tu_file_fp(self->path, now_fp);
	EXPECT_STREQ(theirs, now_fp);
	ew_renew_free(r2);
	X509_free(x);
	EVP_PKEY_free(k);
}

TEST_F(eng, replaced_while_issuing_is_not_overwritten)
{
	struct ew_renew_status st;
	char err[ERRLEN], before[65], after[65];

	self->cfg.rotate_key = true;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	tu_file_fp(self->path, before);
	self->flaky.overwrite = self->path;
	EXPECT_EQ(0, ew_renew_run_due(self->r, self->due));
	EXPECT_EQ(1, self->flaky.calls);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_UNMANAGED, st);
	tu_file_fp(self->path, after);
	EXPECT_STRNE(before, after);
	EXPECT_STRNE("", after);
	/* The intruder's file stays; our temporary key is gone. */
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca-next"));
	EXPECT_EQ(0, count(&self->ev, EW_RENEW_EV_RENEWED));
}

/* A dependent certificate signed by the edge CA with the job's key. */
struct dep {
	struct ew_edge_ca *ca;
	struct ew_keystore *ks;
	bool clip;
	X509 *seen_issuer;
};

static int dep_issue(void *ctx, const struct ew_renew_job *job,
		     STACK_OF(X509) **out, char *err, size_t errlen)
{
	struct dep *d = ctx;
	STACK_OF(X509) *chain = ew_edge_ca_chain(d->ca);
	EVP_PKEY *ca_key = ew_key_pair_get(d->ks, ew_edge_ca_key_id(d->ca));
	X509 *ca = sk_X509_value(chain, 0), *x;
	int64_t na = job->now + 30 * DAY;

	d->seen_issuer = job->issuer;
	if (d->clip && job->issuer && na > tu_unix(X509_get0_notAfter(job->issuer)))
		na = tu_unix(X509_get0_notAfter(job->issuer));
	x = tu_cert(job->key, "server", ca, ca_key, job->now - 60, na, false);
	EVP_PKEY_free(ca_key);
	ew_chain_free(chain);
	if (!x) {
		snprintf(err, errlen, "cannot sign");
		return -EIO;
	}
	*out = sk_X509_new_null();
	sk_X509_push(*out, x);
	return 0;
}

TEST_F(eng, issuer_is_renewed_first)
{
	struct dep d = { .ca = self->ca, .ks = self->t.ks, .clip = true };
	struct ew_renew_cert_config svc = { 0 };
	struct ew_renew_status st, ca_st;
	char err[ERRLEN], svc_path[1024], seen[65], *pem, *bundle;
	STACK_OF(X509) *ca_chain;
	size_t len;

	snprintf(svc_path, sizeof(svc_path), "%.160s/server.pem", self->t.certs);
	svc.name = "server";
	svc.cert_path = svc_path;
	svc.key_id = "server";
	svc.issuer = "edge-ca";
	ew_renew_policy_default(&svc.policy);
	svc.issue = dep_issue;
	svc.ctx = &d;
	/* What it names as issuer must be there first. */
	EXPECT_EQ(-ENOENT, ew_renew_add(self->r, &svc, T0, err, ERRLEN));
	EXPECT_MSG("must be added first", err);

	self->cfg.rotate_key = true;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	ASSERT_EQ(0, ew_renew_add(self->r, &svc, T0, err, ERRLEN)) TH_LOG("%s", err);
	/* No file yet: issued on the first run, clipped to the CA. */
	EXPECT_EQ(T0, ew_renew_next_wakeup(self->r, T0));
	EXPECT_EQ(1, ew_renew_run_due(self->r, T0));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "server", svc_path));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "server", &st));
	EXPECT_EQ(self->na, st.not_after);

	/* Both due at once: the CA goes first, the server gets the new CA. */
	self->ev.n = 0;
	EXPECT_EQ(2, ew_renew_run_due(self->r, self->due));
	ASSERT_EQ(2, self->ev.n);
	EXPECT_STREQ("edge-ca", self->ev.names[0]);
	EXPECT_STREQ("server", self->ev.names[1]);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &ca_st));
	ASSERT_NE(NULL, d.seen_issuer);
	tu_fp(d.seen_issuer, seen);
	EXPECT_STREQ(ca_st.fingerprint, seen);
	/* Clipped to the new CA: the old one would have ended it earlier. */
	ASSERT_EQ(0, ew_renew_get_status(self->r, "server", &st));
	EXPECT_EQ(self->due + 10 * DAY, st.not_after);
	/* Signed by the new CA alone (its key rotated). */
	pem = tu_read(svc_path);
	ca_chain = ew_edge_ca_chain(self->ca);
	ASSERT_EQ(0, ew_pem_chain_text(ca_chain, &bundle, &len));
	ew_chain_free(ca_chain);
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, pem, self->due, X509_PURPOSE_SSL_SERVER));
	free(bundle);
	free(pem);
}

TEST_F(eng, a_certificate_outliving_its_issuer_is_rejected)
{
	struct dep d = { .ca = self->ca, .ks = self->t.ks, .clip = false };
	struct ew_renew_cert_config svc = { 0 };
	struct ew_renew_status st;
	char err[ERRLEN], svc_path[1024];

	snprintf(svc_path, sizeof(svc_path), "%.160s/server.pem", self->t.certs);
	svc.name = "server";
	svc.cert_path = svc_path;
	svc.key_id = "server";
	svc.issuer = "edge-ca";
	ew_renew_policy_default(&svc.policy);
	svc.issue = dep_issue;
	svc.ctx = &d;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN));
	ASSERT_EQ(0, ew_renew_add(self->r, &svc, T0, err, ERRLEN));
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "server", &st));
	EXPECT_STATE(EW_RENEW_RETRYING, st);
	EXPECT_MSG("outlives its issuer \"edge-ca\"", st.message);
	EXPECT_FALSE(tu_exists(svc_path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "server"));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "server-next"));
	/* A missing certificate retries after a fixed wait. */
	EXPECT_EQ(T0 + EW_RENEW_RETRY_NO_CERT, st.next_attempt);
}

TEST_F(eng, deleted_file_is_issued_again)
{
	struct ew_renew_status st;
	char err[ERRLEN];

	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN));
	ASSERT_EQ(0, unlink(self->path));
	EXPECT_EQ(1, ew_renew_run_due(self->r, T0 + 100));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
	EXPECT_EQ(T0 + 100 - 60, st.not_before);
}

TEST_F(eng, threshold_beyond_the_lifetime_does_not_spin)
{
	struct ew_renew_status st;
	char err[ERRLEN];

	self->cfg.policy.threshold.unit = EW_RENEW_SECONDS;
	self->cfg.policy.threshold.value = 20 * DAY;
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN));
	EXPECT_EQ(T0, ew_renew_next_wakeup(self->r, T0));
	EXPECT_EQ(1, ew_renew_run_due(self->r, T0));
	EXPECT_EQ(1, count(&self->ev, EW_RENEW_EV_WARNING));
	EXPECT_MSG("already due", self->ev.msg[1]);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_EQ(T0 + (10 * DAY + 60) * 4 / 100, st.next_attempt);
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0 + 1));
}

TEST_F(eng, an_unreadable_file_is_retried_not_abandoned)
{
	struct ew_renew_status st;
	char err[ERRLEN], moved[1024];

	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	/* A symlink loop: an I/O error, not someone else's certificate. */
	snprintf(moved, sizeof(moved), "%.250s.moved", self->path);
	ASSERT_EQ(0, rename(self->path, moved));
	ASSERT_EQ(0, symlink(self->path, self->path));
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0 + 1));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
	EXPECT_EQ(0, ew_renew_run_due(self->r, self->due));
	EXPECT_EQ(0, self->flaky.calls);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_RETRYING, st);
	EXPECT_MSG("edge-ca.pem", st.message);
	EXPECT_GT(st.next_attempt, self->due);	/* no busy loop */
	/* Readable again: renewed at the next attempt. */
	ASSERT_EQ(0, unlink(self->path));
	ASSERT_EQ(0, rename(moved, self->path));
	EXPECT_EQ(1, ew_renew_run_due(self->r, st.next_attempt));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
}

TEST_F(eng, a_file_without_a_record_is_adopted)
{
	struct ew_renew_status st;
	char err[ERRLEN];
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x;

	ASSERT_EQ(0, unlink(self->record));
	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN)) TH_LOG("%s", err);
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_OK, st);
	EXPECT_EQ(1, record_lines(self->record));
	/* From then on a replacement is told apart. */
	x = tu_cert(k, "other", NULL, NULL, T0, T0 + DAY, true);
	ASSERT_EQ(0, tu_write_certs(self->path, &x, 1));
	EXPECT_EQ(0, ew_renew_run_due(self->r, T0 + 1));
	ASSERT_EQ(0, ew_renew_get_status(self->r, "edge-ca", &st));
	EXPECT_STATE(EW_RENEW_UNMANAGED, st);
	X509_free(x);
	EVP_PKEY_free(k);
}

TEST_F(eng, bad_entries_are_refused)
{
	struct ew_renew_cert_config c = self->cfg;
	struct ew_edge_ca_config pre = { 0 };
	struct ew_renew_cert_config out;
	char err[ERRLEN], long_id[EW_KEY_ID_MAX + 1], cert[1024], key[1024];
	struct ew_edge_ca *ca;
	EVP_PKEY *k;
	X509 *x;

	ASSERT_EQ(0, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN));
	EXPECT_EQ(-EEXIST, ew_renew_add(self->r, &self->cfg, T0, err, ERRLEN));
	c.name = "other";
	c.policy.threshold.value = 0;
	EXPECT_EQ(-EINVAL, ew_renew_add(self->r, &c, T0, err, ERRLEN));
	EXPECT_MSG("invalid renewal policy", err);
	ew_renew_policy_default(&c.policy);
	c.issue = NULL;
	EXPECT_EQ(-EINVAL, ew_renew_add(self->r, &c, T0, err, ERRLEN));
	c.issue = flaky_issue;
	memset(long_id, 'k', EW_KEY_ID_MAX);
	long_id[EW_KEY_ID_MAX] = '\0';
	c.key_id = long_id;
	EXPECT_EQ(-ENAMETOOLONG, ew_renew_add(self->r, &c, T0, err, ERRLEN));
	EXPECT_MSG("too long", err);
	c.key_id = "a/b";
	EXPECT_EQ(-EINVAL, ew_renew_add(self->r, &c, T0, err, ERRLEN));
	EXPECT_EQ(-ENOENT, ew_renew_get_status(self->r, "other", NULL));

	/* A preloaded CA is not edgeward's to renew. */
	k = EVP_EC_gen("P-256");
	x = tu_cert(k, "pre", NULL, NULL, T0 - DAY, T0 + DAY, true);
	snprintf(cert, sizeof(cert), "%.64s/pre.pem", self->t.dir);
	snprintf(key, sizeof(key), "%.64s/pre.key", self->t.dir);
	ASSERT_EQ(0, tu_write_certs(cert, &x, 1));
	ASSERT_EQ(0, tu_write_key(key, k));
	pre.cert = cert;
	pre.pk = key;
	pre.key_id = "pre";
	ca = ew_edge_ca_load(&pre, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	EXPECT_EQ(-EOPNOTSUPP, ew_edge_ca_renew_config(ca, false, NULL, &out));
	ew_edge_ca_free(ca);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* ------------------------------------------------------------------ */
/* Crash recovery of a rotation                                       */
/* ------------------------------------------------------------------ */

FIXTURE(crash) {
	struct tu t;
	char path[256], next_path[300];
	char old_fp[65], new_fp[65];
	STACK_OF(X509) *new_chain;
};

/* A pair "svc" on disk, and a renewal prepared up to step 1. */
FIXTURE_SETUP(crash)
{
	const uint8_t *fps[2];
	uint8_t a[EW_SHA256_LEN], b[EW_SHA256_LEN];
	char err[ERRLEN];
	STACK_OF(X509) *old = sk_X509_new_null();
	EVP_PKEY *k;
	X509 *x;

	ASSERT_EQ(0, tu_setup(&self->t));
	snprintf(self->path, sizeof(self->path), "%.64s/svc.pem", self->t.dir);
	snprintf(self->next_path, sizeof(self->next_path), "%.250s.next", self->path);
	ASSERT_EQ(0, ew_key_pair_create(self->t.ks, "svc", EW_KEY_EC_P256));
	k = ew_key_pair_get(self->t.ks, "svc");
	x = tu_cert(k, "old", NULL, NULL, T0, T0 + DAY, false);
	EVP_PKEY_free(k);
	tu_fp(x, self->old_fp);
	sk_X509_push(old, x);
	ASSERT_EQ(0, ew_pem_save_chain(self->path, old, err, ERRLEN));

	ASSERT_EQ(0, ew_key_pair_create(self->t.ks, "svc-next", EW_KEY_EC_P256));
	k = ew_key_pair_get(self->t.ks, "svc-next");
	x = tu_cert(k, "new", NULL, NULL, T0, T0 + DAY, false);
	EVP_PKEY_free(k);
	tu_fp(x, self->new_fp);
	self->new_chain = sk_X509_new_null();
	sk_X509_push(self->new_chain, x);
	ASSERT_EQ(0, ew_cert_fingerprint(sk_X509_value(old, 0), a));
	ASSERT_EQ(0, ew_cert_fingerprint(x, b));
	fps[0] = a;
	fps[1] = b;
	ASSERT_EQ(0, ew_managed_record(self->path, fps, 2, err, ERRLEN));
	ew_chain_free(old);
}

FIXTURE_TEARDOWN(crash)
{
	ew_chain_free(self->new_chain);
	tu_teardown(&self->t);
}

TEST_F(crash, before_anything_written_is_undone)
{
	char err[ERRLEN], fp[65];

	ASSERT_EQ(0, ew_renew_recover(self->t.ks, self->path, "svc", err, ERRLEN))
		TH_LOG("%s", err);
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "svc-next"));
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->old_fp, fp);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "svc", self->path));
}

TEST_F(crash, after_the_next_file_rolls_forward)
{
	char err[ERRLEN], fp[65];
	uint8_t raw[EW_SHA256_LEN];

	ASSERT_EQ(0, ew_pem_save_chain(self->next_path, self->new_chain, err, ERRLEN));
	ASSERT_EQ(0, ew_renew_recover(self->t.ks, self->path, "svc", err, ERRLEN))
		TH_LOG("%s", err);
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->new_fp, fp);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "svc", self->path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "svc-next"));
	EXPECT_FALSE(tu_exists(self->next_path));
	/* Still recognised as edgeward's own. */
	ASSERT_EQ(0, ew_cert_fingerprint(sk_X509_value(self->new_chain, 0), raw));
	EXPECT_EQ(1, ew_managed_check(self->path, raw, err, ERRLEN));
}

TEST_F(crash, after_the_key_rename_rolls_forward)
{
	char err[ERRLEN], fp[65];

	ASSERT_EQ(0, ew_pem_save_chain(self->next_path, self->new_chain, err, ERRLEN));
	ASSERT_EQ(0, ew_key_rename(self->t.ks, "svc-next", "svc"));
	/* The one moment the pair on disk disagrees ... */
	EXPECT_EQ(0, tu_key_matches_file(self->t.ks, "svc", self->path));
	/* ... is put right before anything uses it. */
	ASSERT_EQ(0, ew_renew_recover(self->t.ks, self->path, "svc", err, ERRLEN))
		TH_LOG("%s", err);
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->new_fp, fp);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "svc", self->path));
	EXPECT_FALSE(tu_exists(self->next_path));
}

TEST_F(crash, a_stray_next_file_is_removed)
{
	char err[ERRLEN], fp[65];
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = tu_cert(k, "stray", NULL, NULL, T0, T0 + DAY, false);

	ASSERT_EQ(0, tu_write_certs(self->next_path, &x, 1));
	ASSERT_EQ(0, ew_renew_recover(self->t.ks, self->path, "svc", err, ERRLEN));
	EXPECT_FALSE(tu_exists(self->next_path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "svc-next"));
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->old_fp, fp);
	ASSERT_EQ(0, tu_write(self->next_path, "garbage"));
	ASSERT_EQ(0, ew_renew_recover(self->t.ks, self->path, "svc", err, ERRLEN));
	EXPECT_FALSE(tu_exists(self->next_path));
	X509_free(x);
	EVP_PKEY_free(k);
}

TEST_F(crash, install_refuses_a_certificate_for_another_key)
{
	char err[ERRLEN], fp[65], rec[1024];

	/* The new chain is for svc-next, not for svc. */
	EXPECT_EQ(-EKEYREJECTED, ew_renew_install(self->t.ks, self->path, "svc", NULL,
						  self->new_chain, err, ERRLEN));
	EXPECT_MSG("not for key \"svc\"", err);
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->old_fp, fp);
	ASSERT_EQ(0, ew_renew_install(self->t.ks, self->path, "svc", "svc-next",
				      self->new_chain, err, ERRLEN)) TH_LOG("%s", err);
	tu_file_fp(self->path, fp);
	EXPECT_STREQ(self->new_fp, fp);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "svc", self->path));
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "svc-next"));
	EXPECT_FALSE(tu_exists(self->next_path));
	snprintf(rec, sizeof(rec), "%.250s.managed", self->path);
	EXPECT_EQ(1, record_lines(rec));
}

TEST(managed_record)
{
	uint8_t a[EW_SHA256_LEN], b[EW_SHA256_LEN];
	const uint8_t *fps[2] = { a, NULL };
	char err[ERRLEN], path[1024], rec[1024];
	struct tu t;

	ASSERT_EQ(0, tu_setup(&t));
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	snprintf(path, sizeof(path), "%.64s/c.pem", t.dir);
	snprintf(rec, sizeof(rec), "%.900s.managed", path);
	EXPECT_EQ(-ENOENT, ew_managed_check(path, a, err, ERRLEN));
	ASSERT_EQ(0, ew_managed_record(path, fps, 2, err, ERRLEN));
	EXPECT_EQ(1, ew_managed_check(path, a, err, ERRLEN));
	EXPECT_EQ(0, ew_managed_check(path, b, err, ERRLEN));
	fps[1] = b;
	ASSERT_EQ(0, ew_managed_record(path, fps, 2, err, ERRLEN));
	EXPECT_EQ(1, ew_managed_check(path, a, err, ERRLEN));
	EXPECT_EQ(1, ew_managed_check(path, b, err, ERRLEN));
	EXPECT_EQ(2, record_lines(rec));
	fps[0] = fps[1] = NULL;
	EXPECT_EQ(-EINVAL, ew_managed_record(path, fps, 2, err, ERRLEN));
	ASSERT_EQ(0, tu_write(rec, "not hex\n"));
	EXPECT_EQ(-EINVAL, ew_managed_check(path, a, err, ERRLEN));
	EXPECT_MSG("not a list of SHA-256 fingerprints", err);
	tu_teardown(&t);
}

TEST_HARNESS_MAIN

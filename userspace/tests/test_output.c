// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of edgewardctl's renderers (ctl/output.c): every JSON object is
 * rendered from a struct, printed, parsed back with cJSON and checked field
 * by field; the text forms are checked line by line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "kselftest_harness.h"

#include "daemon_view.h"
#include "edgeward.h"
#include "mgmt_client.h"
#include "output.h"

#define DIGEST_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define DIGEST_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

/* Prints j as edgewardctl would and parses the text back. */
static cJSON *round_trip(cJSON *j, bool pretty, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *back;

	if (!f)
		return NULL;
	if (ctl_json_print(f, j, pretty)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	cJSON_Delete(j);
	back = cJSON_Parse(buf);
	if (text)
		*text = buf;
	else
		free(buf);
	return back;
}

/* Renders with fn into a string (free it). */
#define CAPTURE(out, call) do {						\
	size_t _len = 0;						\
	FILE *f = open_memstream(&(out), &_len);			\
	ASSERT_NE(NULL, f);						\
	call;								\
	fclose(f);							\
} while (0)

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void fill_reg(struct ew_reg *r, uint64_t id, const char *path,
		     const char *name, const char *gen, unsigned int n)
{
	memset(r, 0, sizeof(*r));
	r->cgroup_id = id;
	snprintf(r->cgroup_path, sizeof(r->cgroup_path), "%s", path);
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->gen_id, sizeof(r->gen_id), "%s", gen);
	r->n_digests = n;
	if (n > 0)
		ew_digest_parse(DIGEST_A, r->digests[0]);
	if (n > 1)
		ew_digest_parse(DIGEST_B, r->digests[1]);
}

TEST(json_status)
{
	struct ew_status st = {
		.version = "0.3.1",
		.mode = EDGEWARD_MODE_ENFORCE,
		.reg_count = 3,
		.generation = 4000000000u,
		.event_seq = 12,
		.ima = EDGEWARD_IMA_STATE_AVAILABLE,
		.keyring = EDGEWARD_KEYRING_STATE_ABSENT,
	};
	cJSON *j = round_trip(ctl_json_status(&st), true, NULL);

	ASSERT_NE(NULL, j);
	ASSERT_TRUE(cJSON_IsObject(j));
	EXPECT_EQ(9, cJSON_GetArraySize(j));
	EXPECT_STREQ("0.3.1", str_of(j, "version"));
	EXPECT_STREQ("enforce", str_of(j, "mode"));
	EXPECT_EQ(3, num_of(j, "reg_count"));
	EXPECT_EQ(4000000000.0, num_of(j, "generation"));
	EXPECT_EQ(12, num_of(j, "event_seq"));
	EXPECT_STREQ("available", str_of(j, "ima"));
	EXPECT_STREQ("absent", str_of(j, "keyring"));
	EXPECT_EQ(0, num_of(j, "keyring_id"));
	/* A boolean, not 0/1. */
	EXPECT_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "locked")));
	cJSON_Delete(j);
}

TEST(json_status_keyring_and_lock)
{
	struct ew_status st = {
		.version = "0.3.1",
		.mode = EDGEWARD_MODE_ENFORCE,
		.keyring = EDGEWARD_KEYRING_STATE_TEST_KEYS,
		.keyring_id = 4294967295u,
		.locked = true,
	};
	char *text = NULL;
	cJSON *j = round_trip(ctl_json_status(&st), false, &text);

	ASSERT_NE(NULL, j);
	EXPECT_STREQ("test-keys", str_of(j, "keyring"));
	EXPECT_NE(NULL, strstr(text, "\"keyring_id\":4294967295"));
	EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "locked")));
	free(text);
	cJSON_Delete(j);
}

TEST(json_status_unknown_enums)
{
	struct ew_status st = { .version = "x", .mode = 9, .ima = 0, .keyring = 77 };
	cJSON *j = round_trip(ctl_json_status(&st), false, NULL);

	ASSERT_NE(NULL, j);
	EXPECT_STREQ("unknown", str_of(j, "mode"));
	EXPECT_STREQ("unknown", str_of(j, "ima"));
	EXPECT_STREQ("unknown", str_of(j, "keyring"));
	EXPECT_EQ(0, num_of(j, "event_seq"));
	cJSON_Delete(j);
}

TEST(json_u64_exact)
{
	struct ew_status st = { .event_seq = UINT64_MAX };
	char *text = NULL;
	cJSON *j = round_trip(ctl_json_status(&st), false, &text);

	ASSERT_NE(NULL, j);
	/* 2^64-1 is not a double: the text must carry every digit. */
	EXPECT_NE(NULL, strstr(text, "\"event_seq\":18446744073709551615"));
	EXPECT_TRUE(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "event_seq")));
	free(text);
	cJSON_Delete(j);
}

TEST(json_reg)
{
	struct ew_reg *r = malloc(sizeof(*r));
	const cJSON *digests;
	char *text = NULL;
	cJSON *j;

	ASSERT_NE(NULL, r);
	fill_reg(r, 9007199254740993ull, "/edge/\"mod\"\n1", "mod.1", "g(1)", 2);
	j = round_trip(ctl_json_reg(r), true, &text);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(8, cJSON_GetArraySize(j));
	EXPECT_NE(NULL, strstr(text, "9007199254740993"));	/* 2^53 + 1 */
	EXPECT_STREQ("/edge/\"mod\"\n1", str_of(j, "cgroup_path"));
	EXPECT_STREQ("mod.1", str_of(j, "name"));
	EXPECT_STREQ("g(1)", str_of(j, "gen_id"));
	digests = cJSON_GetObjectItemCaseSensitive(j, "digests");
	ASSERT_TRUE(cJSON_IsArray(digests));
	ASSERT_EQ(2, cJSON_GetArraySize(digests));
	EXPECT_STREQ(DIGEST_A, cJSON_GetArrayItem(digests, 0)->valuestring);
	EXPECT_STREQ(DIGEST_B, cJSON_GetArrayItem(digests, 1)->valuestring);
	/* Following the global mode is null, not a made-up name. */
	EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "mode")));
	/* No signers, no flags: empty arrays, so that consumers need no special case. */
	ASSERT_TRUE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "signers")));
	EXPECT_EQ(0, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "signers")));
	ASSERT_TRUE(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "flags")));
	EXPECT_EQ(0, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "flags")));
	free(text);
	cJSON_Delete(j);
	free(r);
}

/* The strings of a JSON array, joined by spaces, for comparison. */
static void join_array(const cJSON *arr, char *out, size_t size)
{
	const cJSON *item;
	size_t n = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(item, arr) {
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? " " : "",
				      cJSON_IsString(item) ? item->valuestring : "<not a string>");
		if (n >= size)
			break;
	}
}

TEST(json_reg_signers_and_flags)
{
	static const struct {
		uint32_t flags;
		const char *names;
	} flag_cases[] = {
		{ EDGEWARD_REG_FLAGS_AGENT, "agent" },
		{ EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST, "require-signed-manifest" },
		{ EW_REG_FLAGS_ALL, "agent require-signed-manifest" },
		/* Bits without a name (none reach here from the kernel) stay visible. */
		{ 0x11, "agent 0x10" },
	};
	struct ew_reg *r = malloc(sizeof(*r));
	char got[256];
	size_t i;
	cJSON *j;

	ASSERT_NE(NULL, r);
	fill_reg(r, 5, "/m", "m", "g", 1);
	r->n_signers = 3;
	r->signers[0] = 0xdeadbeef;
	r->signers[1] = 0x1;
	r->signers[2] = 0xABCDEF01;
	j = round_trip(ctl_json_reg(r), false, NULL);
	ASSERT_NE(NULL, j);
	/* Key ids as 8 lowercase hex digits, in the kernel's order. */
	join_array(cJSON_GetObjectItemCaseSensitive(j, "signers"), got, sizeof(got));
	EXPECT_STREQ("deadbeef 00000001 abcdef01", got);
	cJSON_Delete(j);
	for (i = 0; i < sizeof(flag_cases) / sizeof(flag_cases[0]); i++) {
		r->flags = flag_cases[i].flags;
		j = round_trip(ctl_json_reg(r), false, NULL);
		ASSERT_NE(NULL, j);
		join_array(cJSON_GetObjectItemCaseSensitive(j, "flags"), got, sizeof(got));
		EXPECT_STREQ(flag_cases[i].names, got) TH_LOG("flags 0x%x", flag_cases[i].flags);
		cJSON_Delete(j);
	}
	free(r);
}

TEST(json_reg_mode)
{
	static const struct {
		uint32_t mode;
		const char *name;
	} modes[] = {
		{ EDGEWARD_MODE_OFF, "off" },
		{ EDGEWARD_MODE_AUDIT, "audit" },
		{ EDGEWARD_MODE_ENFORCE, "enforce" },
	};
	struct ew_reg *r = malloc(sizeof(*r));
	size_t i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		cJSON *j;

		fill_reg(r, 1, "/m", "m", "g", 0);
		r->mode = modes[i].mode;
		j = round_trip(ctl_json_reg(r), false, NULL);
		ASSERT_NE(NULL, j);
		EXPECT_STREQ(modes[i].name, str_of(j, "mode"));
		cJSON_Delete(j);
	}
	free(r);
}

TEST(json_reg_no_digests)
{
	struct ew_reg *r = malloc(sizeof(*r));
	const cJSON *digests;
	cJSON *j;

	ASSERT_NE(NULL, r);
	fill_reg(r, 1, "/", "m", "g", 0);
	j = round_trip(ctl_json_reg(r), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(1, num_of(j, "cgroup_id"));
	EXPECT_STREQ("/", str_of(j, "cgroup_path"));
	digests = cJSON_GetObjectItemCaseSensitive(j, "digests");
	/* Always an array, so that consumers need no special case. */
	ASSERT_TRUE(cJSON_IsArray(digests));
	EXPECT_EQ(0, cJSON_GetArraySize(digests));
	cJSON_Delete(j);
	free(r);
}

TEST(json_regs)
{
	struct ew_reg *regs = calloc(3, sizeof(*regs));
	const cJSON *item;
	cJSON *j;
	int i = 0;

	ASSERT_NE(NULL, regs);
	fill_reg(&regs[0], 10, "/a", "a", "1", 1);
	fill_reg(&regs[1], 20, "/b", "b", "2", 2);
	fill_reg(&regs[2], 30, "/c", "c", "3", 0);
	j = round_trip(ctl_json_regs(regs, 3), true, NULL);
	ASSERT_NE(NULL, j);
	ASSERT_TRUE(cJSON_IsArray(j));
	ASSERT_EQ(3, cJSON_GetArraySize(j));
	cJSON_ArrayForEach(item, j) {
		EXPECT_EQ((double)regs[i].cgroup_id, num_of(item, "cgroup_id"));
		EXPECT_STREQ(regs[i].name, str_of(item, "name"));
		EXPECT_STREQ(regs[i].cgroup_path, str_of(item, "cgroup_path"));
		EXPECT_EQ((int)regs[i].n_digests,
			  cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(item, "digests")));
		i++;
	}
	cJSON_Delete(j);

	/* No registrations: an empty array, not null. */
	j = round_trip(ctl_json_regs(NULL, 0), true, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(cJSON_IsArray(j));
	EXPECT_EQ(0, cJSON_GetArraySize(j));
	cJSON_Delete(j);
	free(regs);
}

TEST(json_event_reg)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	char *text = NULL;
	cJSON *j;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_REG_DEL_NTF;
	ev->seq = 77;
	fill_reg(&ev->reg, 4242, "/edge/m", "m", "g", 1);
	j = round_trip(ctl_json_event(ev), false, &text);
	ASSERT_NE(NULL, j);
	/* One object per line. */
	EXPECT_EQ(strlen(text) - 1, strcspn(text, "\n"));
	EXPECT_STREQ("reg-del", str_of(j, "event"));
	EXPECT_EQ(77, num_of(j, "seq"));
	EXPECT_EQ(4242, num_of(j, "cgroup_id"));
	EXPECT_STREQ("/edge/m", str_of(j, "cgroup_path"));
	EXPECT_STREQ("m", str_of(j, "name"));
	EXPECT_STREQ("g", str_of(j, "gen_id"));
	EXPECT_STREQ(DIGEST_A, cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "digests"), 0)->valuestring);
	/* The registration's own mode: none. */
	EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "mode")));
	EXPECT_EQ(NULL, cJSON_GetObjectItemCaseSensitive(j, "verdict"));
	free(text);
	cJSON_Delete(j);

	ev->cmd = EDGEWARD_CMD_REG_ADD_NTF;
	j = round_trip(ctl_json_event(ev), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("reg-add", str_of(j, "event"));
	cJSON_Delete(j);

	/* A replacement: the new registration, with its own mode. */
	ev->cmd = EDGEWARD_CMD_REG_CHANGE_NTF;
	ev->reg.mode = EDGEWARD_MODE_ENFORCE;
	ev->reg.flags = EDGEWARD_REG_FLAGS_AGENT;
	ev->reg.n_signers = 1;
	ev->reg.signers[0] = 0x0badf00d;
	j = round_trip(ctl_json_event(ev), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(10, cJSON_GetArraySize(j));
	EXPECT_STREQ("0badf00d", cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "signers"), 0)->valuestring);
	EXPECT_STREQ("agent", cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "flags"), 0)->valuestring);
	EXPECT_STREQ("reg-change", str_of(j, "event"));
	EXPECT_EQ(77, num_of(j, "seq"));
	EXPECT_EQ(4242, num_of(j, "cgroup_id"));
	EXPECT_STREQ("enforce", str_of(j, "mode"));
	cJSON_Delete(j);
	free(ev);
}

static void fill_task(struct ew_task *t, uint32_t verdict, bool digest)
{
	memset(t, 0, sizeof(*t));
	t->verdict = verdict;
	t->pid = 4321;
	t->start_time = 9007199254740993ull;
	t->cgroup_id = 18446744073709551615ull;
	t->reg_cgroup_id = 77;
	snprintf(t->name, sizeof(t->name), "%s", "mod.1");
	snprintf(t->gen_id, sizeof(t->gen_id), "%s", "g(1)");
	t->has_digest = digest;
	if (digest)
		ew_digest_parse(DIGEST_A, t->digest);
	snprintf(t->path, sizeof(t->path), "%s", "/usr/bin/touch");
}

TEST(json_event_exec)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	char *text = NULL;
	cJSON *j;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_EXEC_NTF;
	ev->seq = 12;
	fill_task(&ev->task, EDGEWARD_VERDICT_DENIED, true);
	j = round_trip(ctl_json_event(ev), false, &text);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(strlen(text) - 1, strcspn(text, "\n"));
	EXPECT_EQ(10, cJSON_GetArraySize(j));
	EXPECT_STREQ("exec", str_of(j, "event"));
	EXPECT_EQ(12, num_of(j, "seq"));
	EXPECT_STREQ("denied", str_of(j, "verdict"));
	EXPECT_EQ(4321, num_of(j, "pid"));
	EXPECT_STREQ("mod.1", str_of(j, "name"));
	EXPECT_STREQ("g(1)", str_of(j, "gen_id"));
	EXPECT_NE(NULL, strstr(text, "\"cgroup_id\":18446744073709551615"));
	EXPECT_EQ(77, num_of(j, "reg_cgroup_id"));
	EXPECT_STREQ(DIGEST_A, str_of(j, "digest"));
	EXPECT_STREQ("/usr/bin/touch", str_of(j, "path"));
	/* The start time is not part of an event. */
	EXPECT_EQ(NULL, cJSON_GetObjectItemCaseSensitive(j, "start_time"));
	free(text);
	cJSON_Delete(j);

	/* Unmeasured: the digest is null; a path that is not UTF-8 is repaired. */
	fill_task(&ev->task, EDGEWARD_VERDICT_UNMEASURED, false);
	snprintf(ev->task.path, sizeof(ev->task.path), "%s", "/opt/a\xff");
	j = round_trip(ctl_json_event(ev), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("unmeasured", str_of(j, "verdict"));
	EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "digest")));
	EXPECT_STREQ("/opt/a\xef\xbf\xbd", str_of(j, "path"));
	cJSON_Delete(j);
	free(ev);
}

TEST(json_task)
{
	struct ew_task *t = malloc(sizeof(*t));
	char *text = NULL;
	cJSON *j;

	ASSERT_NE(NULL, t);
	fill_task(t, EDGEWARD_VERDICT_ALLOWED, true);
	j = round_trip(ctl_json_task(t), true, &text);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(9, cJSON_GetArraySize(j));
	EXPECT_STREQ("allowed", str_of(j, "verdict"));
	EXPECT_EQ(4321, num_of(j, "pid"));
	/* 2^53 + 1 nanoseconds: every digit kept. */
	EXPECT_NE(NULL, strstr(text, "9007199254740993"));
	EXPECT_NE(NULL, strstr(text, "18446744073709551615"));
	EXPECT_EQ(77, num_of(j, "reg_cgroup_id"));
	EXPECT_STREQ("mod.1", str_of(j, "name"));
	EXPECT_STREQ("g(1)", str_of(j, "gen_id"));
	EXPECT_STREQ(DIGEST_A, str_of(j, "digest"));
	EXPECT_STREQ("/usr/bin/touch", str_of(j, "path"));
	EXPECT_EQ(NULL, cJSON_GetObjectItemCaseSensitive(j, "event"));
	free(text);
	cJSON_Delete(j);

	/* Allowed by a signature. */
	fill_task(t, EDGEWARD_VERDICT_SIGNED, true);
	j = round_trip(ctl_json_task(t), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("signed", str_of(j, "verdict"));
	EXPECT_STREQ(DIGEST_A, str_of(j, "digest"));
	cJSON_Delete(j);

	fill_task(t, EDGEWARD_VERDICT_UNJUDGED, false);
	t->verdict = 99;
	j = round_trip(ctl_json_task(t), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("unknown", str_of(j, "verdict"));
	EXPECT_TRUE(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(j, "digest")));
	cJSON_Delete(j);
	free(t);
}

TEST(json_event_mode)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	cJSON *j;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_MODE_CHANGE_NTF;
	ev->seq = 1;
	ev->mode = EDGEWARD_MODE_AUDIT;
	j = round_trip(ctl_json_event(ev), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(3, cJSON_GetArraySize(j));
	EXPECT_STREQ("mode-change", str_of(j, "event"));
	EXPECT_EQ(1, num_of(j, "seq"));
	EXPECT_STREQ("audit", str_of(j, "mode"));
	EXPECT_EQ(NULL, cJSON_GetObjectItemCaseSensitive(j, "cgroup_id"));
	cJSON_Delete(j);
	free(ev);
}

TEST(json_event_lock)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	char *text = NULL;
	cJSON *j;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_LOCK_NTF;
	ev->seq = 9007199254740993ull;
	j = round_trip(ctl_json_event(ev), false, &text);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("{\"event\":\"lock\",\"seq\":9007199254740993}\n", text);
	EXPECT_EQ(2, cJSON_GetArraySize(j));
	free(text);
	cJSON_Delete(j);
	free(ev);
}

TEST(json_invalid_utf8_repaired)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80", NULL },	/* valid: kept */
		{ "/a\xff" "b", "/a\xef\xbf\xbd" "b" },			/* stray byte */
		{ "/\xc3", "/\xef\xbf\xbd" },				/* cut sequence */
		{ "/\xc0\xaf", "/\xef\xbf\xbd\xef\xbf\xbd" },		/* overlong '/' */
		{ "/\xed\xa0\x80", "/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },	/* surrogate */
		{ "/\xf4\x90\x80\x80", "/\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};
	struct ew_reg *r = malloc(sizeof(*r));
	size_t i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *j;

		fill_reg(r, 1, cases[i].in, "m", "g", 0);
		j = round_trip(ctl_json_reg(r), false, NULL);
		ASSERT_NE(NULL, j) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].out ? cases[i].out : cases[i].in,
			     str_of(j, "cgroup_path")) TH_LOG("case %zu", i);
		cJSON_Delete(j);
	}
	free(r);
}

TEST(json_mode)
{
	cJSON *j = round_trip(ctl_json_mode(EDGEWARD_MODE_OFF), true, NULL);

	ASSERT_NE(NULL, j);
	EXPECT_EQ(1, cJSON_GetArraySize(j));
	EXPECT_STREQ("off", str_of(j, "mode"));
	cJSON_Delete(j);
}

TEST(json_manifest_and_locked)
{
	static const char manifest[] =
		"edgeward-manifest-v1\nname=m\ngen_id=g\nmode=inherit\nflags=0\n";
	cJSON *j = round_trip(ctl_json_manifest(manifest), true, NULL);

	ASSERT_NE(NULL, j);
	EXPECT_EQ(1, cJSON_GetArraySize(j));
	/* The text itself, every newline kept. */
	EXPECT_STREQ(manifest, str_of(j, "manifest"));
	cJSON_Delete(j);

	j = round_trip(ctl_json_locked(true), true, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(1, cJSON_GetArraySize(j));
	EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "locked")));
	cJSON_Delete(j);
}

TEST(json_print_null)
{
	/* A renderer that ran out of memory yields NULL: reported, not printed. */
	EXPECT_EQ(-ENOMEM, ctl_json_print(stdout, NULL, true));
}

TEST(text_status)
{
	struct ew_status st = {
		.version = "1.2.3",
		.mode = EDGEWARD_MODE_AUDIT,
		.reg_count = 2,
		.generation = 5,
		.event_seq = 8,
		.ima = EDGEWARD_IMA_STATE_ABSENT,
		.keyring = EDGEWARD_KEYRING_STATE_AVAILABLE,
	};
	char *out = NULL;

	CAPTURE(out, ctl_text_status(f, &st));
	EXPECT_STREQ("version:       1.2.3\n"
		     "mode:          audit\n"
		     "registrations: 2\n"
		     "generation:    5\n"
		     "event seq:     8\n"
		     "ima:           absent\n"
		     "keyring:       available\n"
		     "keyring id:    0\n"
		     "locked:        no\n", out);
	free(out);

	st.keyring = EDGEWARD_KEYRING_STATE_TEST_KEYS;
	st.keyring_id = 912345678;
	st.locked = true;
	CAPTURE(out, ctl_text_status(f, &st));
	EXPECT_NE(NULL, strstr(out, "\nkeyring:       test-keys\n"
				    "keyring id:    912345678\n"
				    "locked:        yes\n"));
	free(out);
}

TEST(text_regs_table)
{
	struct ew_reg *regs = calloc(2, sizeof(*regs));
	char *out = NULL;

	ASSERT_NE(NULL, regs);
	fill_reg(&regs[0], 7, "/edge/a", "alpha-module", "1", 2);
	fill_reg(&regs[1], 123456, "/edge/b\tc", "b", "generation-22", 0);
	regs[1].mode = EDGEWARD_MODE_ENFORCE;
	CAPTURE(out, ctl_text_regs(f, regs, 2));
	EXPECT_STREQ("CGROUP-ID  NAME          GEN-ID         DIGESTS  MODE     PATH        SIGNERS  FLAGS\n"
		     "7          alpha-module  1              2        -        /edge/a     -        -\n"
		     "123456     b             generation-22  0        enforce  /edge/b\\tc  -        -\n", out);
	free(out);

	CAPTURE(out, ctl_text_regs(f, regs, 0));
	EXPECT_STREQ("CGROUP-ID  NAME  GEN-ID  DIGESTS  MODE     PATH  SIGNERS  FLAGS\n", out);
	free(out);
	free(regs);
}

TEST(text_regs_signers_and_flags)
{
	struct ew_reg *regs = calloc(3, sizeof(*regs));
	char *out = NULL;

	ASSERT_NE(NULL, regs);
	fill_reg(&regs[0], 7, "/edge/caf\xc3\xa9", "a", "1", 0);
	regs[0].n_signers = 2;
	regs[0].signers[0] = 0xdeadbeef;
	regs[0].signers[1] = 0x00000001;
	regs[0].flags = EW_REG_FLAGS_ALL;
	fill_reg(&regs[1], 8, "/edge/a-longer-path", "b", "2", 1);
	regs[1].flags = EDGEWARD_REG_FLAGS_AGENT;
	fill_reg(&regs[2], 9, "/e", "c", "3", 0);
	regs[2].n_signers = 1;
	regs[2].signers[0] = 0xc0ffee00;
	/*
	 * The columns of before stay where they were; the new ones follow
	 * PATH, which is padded by what a terminal shows (é is one column).
	 */
	CAPTURE(out, ctl_text_regs(f, regs, 3));
	EXPECT_STREQ("CGROUP-ID  NAME  GEN-ID  DIGESTS  MODE     PATH                 SIGNERS            FLAGS\n"
		     "7          a     1       0        -        /edge/caf\xc3\xa9           deadbeef,00000001  agent,require-signed-manifest\n"
		     "8          b     2       1        -        /edge/a-longer-path  -                  agent\n"
		     "9          c     3       0        -        /e                   c0ffee00           -\n", out);
	free(out);
	free(regs);
}

TEST(text_reg)
{
	struct ew_reg *r = calloc(1, sizeof(*r));
	char *out = NULL;

	ASSERT_NE(NULL, r);
	fill_reg(r, 99, "/m", "m", "g", 2);
	CAPTURE(out, ctl_text_reg(f, r));
	EXPECT_STREQ("cgroup id:     99\n"
		     "cgroup path:   /m\n"
		     "name:          m\n"
		     "gen id:        g\n"
		     "mode:          - (follows the global mode)\n"
		     "digests:       2\n"
		     "  " DIGEST_A "\n"
		     "  " DIGEST_B "\n"
		     "flags:         -\n"
		     "signers:       0\n", out);
	free(out);

	r->mode = EDGEWARD_MODE_AUDIT;
	r->n_digests = 0;
	CAPTURE(out, ctl_text_reg(f, r));
	EXPECT_STREQ("cgroup id:     99\n"
		     "cgroup path:   /m\n"
		     "name:          m\n"
		     "gen id:        g\n"
		     "mode:          audit\n"
		     "digests:       0\n"
		     "flags:         -\n"
		     "signers:       0\n", out);
	free(out);

	r->flags = EW_REG_FLAGS_ALL;
	r->n_signers = 2;
	r->signers[0] = 0xfeedface;
	r->signers[1] = 0x0000abcd;
	CAPTURE(out, ctl_text_reg(f, r));
	EXPECT_STREQ("cgroup id:     99\n"
		     "cgroup path:   /m\n"
		     "name:          m\n"
		     "gen id:        g\n"
		     "mode:          audit\n"
		     "digests:       0\n"
		     "flags:         agent,require-signed-manifest\n"
		     "signers:       2\n"
		     "  feedface\n"
		     "  0000abcd\n", out);
	free(out);
	free(r);
}

TEST(text_events)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	char *out = NULL;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_REG_ADD_NTF;
	ev->seq = 3;
	fill_reg(&ev->reg, 55, "/edge/x y", "x", "1", 1);
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_STREQ("seq=3 event=reg-add cgroup_id=55 name=x gen_id=1 digests=1 mode=- "
		     "signers=- flags=- path=/edge/x y\n", out);
	free(out);

	ev->cmd = EDGEWARD_CMD_REG_CHANGE_NTF;
	ev->reg.mode = EDGEWARD_MODE_OFF;
	ev->reg.flags = EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST;
	ev->reg.n_signers = 2;
	ev->reg.signers[0] = 0x12345678;
	ev->reg.signers[1] = 0x9abcdef0;
	CAPTURE(out, ctl_text_event(f, ev));
	/* The path, which may hold spaces, stays last. */
	EXPECT_STREQ("seq=3 event=reg-change cgroup_id=55 name=x gen_id=1 digests=1 mode=off "
		     "signers=12345678,9abcdef0 flags=require-signed-manifest path=/edge/x y\n", out);
	free(out);

	memset(ev, 0, sizeof(*ev));
	ev->cmd = EDGEWARD_CMD_LOCK_NTF;
	ev->seq = 4;
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_STREQ("seq=4 event=lock\n", out);
	free(out);

	memset(ev, 0, sizeof(*ev));
	ev->cmd = EDGEWARD_CMD_MODE_CHANGE_NTF;
	ev->seq = 18446744073709551615ull;
	ev->mode = EDGEWARD_MODE_ENFORCE;
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_STREQ("seq=18446744073709551615 event=mode-change mode=enforce\n", out);
	free(out);
	free(ev);
}

TEST(text_event_exec)
{
	struct ew_event *ev = calloc(1, sizeof(*ev));
	char *out = NULL;

	ASSERT_NE(NULL, ev);
	ev->cmd = EDGEWARD_CMD_EXEC_NTF;
	ev->seq = 41;
	fill_task(&ev->task, EDGEWARD_VERDICT_DENIED, true);
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_STREQ("seq=41 event=exec verdict=denied pid=4321 name=mod.1 gen_id=g(1) "
		     "cgroup_id=18446744073709551615 digest=" DIGEST_A
		     " path=/usr/bin/touch\n", out);
	free(out);

	/* Unmeasured: no digest; the path, last, is escaped and may be empty. */
	fill_task(&ev->task, EDGEWARD_VERDICT_UNMEASURED, false);
	snprintf(ev->task.path, sizeof(ev->task.path), "%s", "/tmp/a b\n\x1b[0m");
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_STREQ("seq=41 event=exec verdict=unmeasured pid=4321 name=mod.1 gen_id=g(1) "
		     "cgroup_id=18446744073709551615 digest=- path=/tmp/a b\\n\\x1b[0m\n", out);
	free(out);
	ev->task.path[0] = '\0';
	ev->task.verdict = EDGEWARD_VERDICT_AUDITED;
	CAPTURE(out, ctl_text_event(f, ev));
	EXPECT_NE(NULL, strstr(out, " verdict=audited "));
	EXPECT_EQ(0, strcmp(out + strlen(out) - strlen(" path=\n"), " path=\n"));
	free(out);
	free(ev);
}

TEST(text_task)
{
	struct ew_task *t = malloc(sizeof(*t));
	char *out = NULL;

	ASSERT_NE(NULL, t);
	fill_task(t, EDGEWARD_VERDICT_ALLOWED, true);
	CAPTURE(out, ctl_text_task(f, t));
	EXPECT_STREQ("verdict:       allowed\n"
		     "pid:           4321\n"
		     "start time:    9007199254740993\n"
		     "cgroup id:     18446744073709551615\n"
		     "reg cgroup id: 77\n"
		     "name:          mod.1\n"
		     "gen id:        g(1)\n"
		     "digest:        " DIGEST_A "\n"
		     "path:          /usr/bin/touch\n", out);
	free(out);

	fill_task(t, EDGEWARD_VERDICT_SIGNED, true);
	CAPTURE(out, ctl_text_task(f, t));
	EXPECT_EQ(0, strncmp(out, "verdict:       signed\n", 22));
	EXPECT_NE(NULL, strstr(out, "\ndigest:        " DIGEST_A "\n"));
	free(out);

	fill_task(t, EDGEWARD_VERDICT_UNMEASURED, false);
	snprintf(t->path, sizeof(t->path), "%s", "/x\ty");
	CAPTURE(out, ctl_text_task(f, t));
	EXPECT_EQ(0, strncmp(out, "verdict:       unmeasured\n", 26));
	EXPECT_NE(NULL, strstr(out, "\ndigest:        -\n"));
	EXPECT_NE(NULL, strstr(out, "\npath:          /x\\ty\n"));
	free(out);
	free(t);
}

TEST(text_escapes_control_characters)
{
	char *out = NULL;

	CAPTURE(out, ctl_fputs_safe("a\x1b[2Jb\\c\nd\x7f\xc3\xa9", f));
	/* Escape sequences are defused; UTF-8 is left alone. */
	EXPECT_STREQ("a\\x1b[2Jb\\\\c\\nd\\x7f\xc3\xa9", out);
	free(out);
}

/* --- edgewardd ------------------------------------------------------------- */

/* A ModuleList as edgewardd sends it, parsed into modules. */
static int parse_mods(const char *json, struct ctl_daemon_mod **mods, size_t *n,
		      char *err, size_t errlen)
{
	cJSON *j = cJSON_Parse(json);
	int r;

	if (!j)
		return -99;
	r = ctl_daemon_mods_parse(j, mods, n, err, errlen);
	cJSON_Delete(j);
	return r;
}

#define MOD(name, id, status) \
	"{\"id\":\"" id "\",\"name\":\"" name "\",\"type\":\"process\",\"config\":" \
	"{\"settings\":{},\"env\":[]},\"status\":{\"runtimeStatus\":{\"status\":\"" \
	status "\",\"description\":\"x\"}}}"

TEST(daemon_mods_parse)
{
	struct ctl_daemon_mod *mods = NULL;
	char err[256] = "";
	size_t n = 99;

	ASSERT_EQ(0, parse_mods("{\"modules\":[" MOD("edgeHub", "42", "running") ","
				MOD("$edgeAgent", "18446744073709551615", "stopped") ","
				MOD("new", "", "stopped") "," MOD("odd", "7", "paused") "]}",
				&mods, &n, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(4u, n);
	EXPECT_STREQ("edgeHub", mods[0].name);
	EXPECT_EQ(42u, mods[0].cgroup_id);
	EXPECT_EQ(CTL_MOD_RUNNING, (int)mods[0].status);
	EXPECT_STREQ("$edgeAgent", mods[1].name);
	EXPECT_EQ(UINT64_MAX, mods[1].cgroup_id);
	EXPECT_EQ(CTL_MOD_STOPPED, (int)mods[1].status);
	/* Never started: no cgroup yet. */
	EXPECT_EQ(0u, mods[2].cgroup_id);
	/* A status this edgewardctl does not know is "unknown", not an error. */
	EXPECT_EQ(CTL_MOD_UNKNOWN, (int)mods[3].status);
	free(mods);

	ASSERT_EQ(0, parse_mods("{\"modules\":[]}", &mods, &n, err, sizeof(err)));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(NULL, mods);

	EXPECT_EQ(-EPROTO, parse_mods("{\"mods\":[]}", &mods, &n, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's module list has no \"modules\" array", err);
	EXPECT_EQ(-EPROTO, parse_mods("{\"modules\":[1]}", &mods, &n, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's module list: item 0 is not an object", err);
	EXPECT_EQ(-EPROTO, parse_mods("{\"modules\":[" MOD("a b", "1", "running") "]}",
				      &mods, &n, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's module list: item 0 has no valid name", err);
	EXPECT_EQ(-EPROTO, parse_mods("{\"modules\":[" MOD("m", "1", "running") ","
				      MOD("x", "-1", "running") "]}", &mods, &n, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's module list: module x has no valid id", err);
	EXPECT_EQ(NULL, mods);
	EXPECT_EQ(0u, n);
	EXPECT_EQ(-EPROTO, parse_mods("{\"modules\":[" MOD("x", "18446744073709551616", "running")
				      "]}", &mods, &n, err, sizeof(err)));
	EXPECT_EQ(-EPROTO, parse_mods("{\"modules\":[{\"id\":\"1\",\"name\":\"x\",\"status\":{}}]}",
				      &mods, &n, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's module list: module x has no status.runtimeStatus.status", err);
}

/* Registrations 10 (a, module), 20 (b, no module) and a module c without one. */
struct joined {
	struct ew_reg regs[2];
	struct ctl_daemon_mod mods[3];
	struct ctl_mod_row *rows;
	size_t n;
};

static int make_joined(struct joined *jn)
{
	memset(jn, 0, sizeof(*jn));
	fill_reg(&jn->regs[0], 10, "/edgeward/modules/a", "a", "637", 1);
	fill_reg(&jn->regs[1], 20, "/other/b", "b", "g2", 2);
	jn->regs[1].mode = EDGEWARD_MODE_ENFORCE;
	jn->regs[1].flags = EDGEWARD_REG_FLAGS_AGENT;
	/* The daemon lists c first: the join keeps the kernel's order. */
	strcpy(jn->mods[0].name, "c");
	jn->mods[0].cgroup_id = 30;
	jn->mods[0].status = CTL_MOD_FAILED;
	strcpy(jn->mods[1].name, "a");
	jn->mods[1].cgroup_id = 10;
	jn->mods[1].status = CTL_MOD_RUNNING;
	strcpy(jn->mods[2].name, "new");
	jn->mods[2].status = CTL_MOD_STOPPED;
	return ctl_mods_join(jn->regs, 2, jn->mods, 3, &jn->rows, &jn->n);
}

TEST(mods_join)
{
	struct joined jn;

	ASSERT_EQ(0, make_joined(&jn));
	ASSERT_EQ(4u, jn.n);
	EXPECT_EQ(&jn.regs[0], jn.rows[0].reg);
	EXPECT_EQ(&jn.mods[1], jn.rows[0].mod);
	EXPECT_EQ(&jn.regs[1], jn.rows[1].reg);
	EXPECT_EQ(NULL, jn.rows[1].mod);
	EXPECT_EQ(NULL, jn.rows[2].reg);
	EXPECT_EQ(&jn.mods[0], jn.rows[2].mod);
	EXPECT_EQ(NULL, jn.rows[3].reg);
	EXPECT_EQ(&jn.mods[2], jn.rows[3].mod);
	EXPECT_FALSE(jn.rows[0].has_verdict);
	free(jn.rows);

	/* Nothing on either side: no rows, nothing allocated. */
	ASSERT_EQ(0, ctl_mods_join(NULL, 0, NULL, 0, &jn.rows, &jn.n));
	EXPECT_EQ(0u, jn.n);
	EXPECT_EQ(NULL, jn.rows);
}

static bool is_null(const cJSON *o, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, key));
}

static bool bool_of(const cJSON *o, const char *key, bool *v)
{
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, key);

	*v = cJSON_IsTrue(b);
	return cJSON_IsBool(b);
}

TEST(json_mods_joined)
{
	struct joined jn;
	const cJSON *row;
	char *text = NULL;
	bool managed;
	cJSON *j;

	ASSERT_EQ(0, make_joined(&jn));
	jn.rows[0].has_verdict = true;
	jn.rows[0].verdict = EDGEWARD_VERDICT_ALLOWED;
	jn.rows[1].has_verdict = true;
	jn.rows[1].verdict = EDGEWARD_VERDICT_DENIED;
	j = round_trip(ctl_json_mods(jn.rows, jn.n), true, &text);
	ASSERT_NE(NULL, j);
	ASSERT_TRUE(cJSON_IsArray(j));
	ASSERT_EQ(4, cJSON_GetArraySize(j));

	/* A registration and its module: every field of list --json, and ours. */
	row = cJSON_GetArrayItem(j, 0);
	EXPECT_EQ(11, cJSON_GetArraySize(row));
	EXPECT_EQ(10, num_of(row, "cgroup_id"));
	EXPECT_STREQ("/edgeward/modules/a", str_of(row, "cgroup_path"));
	EXPECT_STREQ("a", str_of(row, "name"));
	EXPECT_STREQ("637", str_of(row, "gen_id"));
	EXPECT_STREQ(DIGEST_A, cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(row, "digests"),
						  0)->valuestring);
	EXPECT_TRUE(is_null(row, "mode"));
	EXPECT_STREQ("running", str_of(row, "status"));
	EXPECT_STREQ("allowed", str_of(row, "verdict"));
	ASSERT_TRUE(bool_of(row, "managed", &managed));
	EXPECT_TRUE(managed);

	/* A registration no module owns. */
	row = cJSON_GetArrayItem(j, 1);
	EXPECT_EQ(20, num_of(row, "cgroup_id"));
	EXPECT_STREQ("enforce", str_of(row, "mode"));
	EXPECT_EQ(2, cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(row, "digests")));
	EXPECT_TRUE(is_null(row, "status"));
	EXPECT_STREQ("denied", str_of(row, "verdict"));
	ASSERT_TRUE(bool_of(row, "managed", &managed));
	EXPECT_FALSE(managed);

	/* A module the kernel has no registration for: null, not made up. */
	row = cJSON_GetArrayItem(j, 2);
	EXPECT_EQ(11, cJSON_GetArraySize(row));
	EXPECT_EQ(30, num_of(row, "cgroup_id"));
	EXPECT_STREQ("c", str_of(row, "name"));
	EXPECT_TRUE(is_null(row, "cgroup_path"));
	EXPECT_TRUE(is_null(row, "gen_id"));
	EXPECT_TRUE(is_null(row, "digests"));
	EXPECT_TRUE(is_null(row, "mode"));
	EXPECT_TRUE(is_null(row, "signers"));
	EXPECT_TRUE(is_null(row, "flags"));
	EXPECT_STREQ("failed", str_of(row, "status"));
	EXPECT_TRUE(is_null(row, "verdict"));
	ASSERT_TRUE(bool_of(row, "managed", &managed));
	EXPECT_TRUE(managed);
	/* Without a cgroup, no id either. */
	EXPECT_TRUE(is_null(cJSON_GetArrayItem(j, 3), "cgroup_id"));
	EXPECT_STREQ("stopped", str_of(cJSON_GetArrayItem(j, 3), "status"));
	free(text);
	cJSON_Delete(j);
	free(jn.rows);

	j = round_trip(ctl_json_mods(NULL, 0), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(cJSON_IsArray(j));
	EXPECT_EQ(0, cJSON_GetArraySize(j));
	cJSON_Delete(j);
}

TEST(text_mods_joined)
{
	struct joined jn;
	char *out = NULL;

	ASSERT_EQ(0, make_joined(&jn));
	jn.rows[0].has_verdict = true;
	jn.rows[0].verdict = EDGEWARD_VERDICT_UNMEASURED;
	CAPTURE(out, ctl_text_mods(f, jn.rows, jn.n));
	/* The kernel's columns where they always were; ours after FLAGS. */
	EXPECT_STREQ("CGROUP-ID  NAME  GEN-ID  DIGESTS  MODE     PATH                 SIGNERS  FLAGS  STATUS   VERDICT     MANAGED\n"
		     "10         a     637     1        -        /edgeward/modules/a  -        -      running  unmeasured  yes\n"
		     "20         b     g2      2        enforce  /other/b             -        agent  -        -           no\n"
		     "30         c     -       -        -        -                    -        -      failed   -           yes\n"
		     "-          new   -       -        -        -                    -        -      stopped  -           yes\n", out);
	free(out);
	free(jn.rows);

	CAPTURE(out, ctl_text_mods(f, NULL, 0));
	EXPECT_STREQ("CGROUP-ID  NAME  GEN-ID  DIGESTS  MODE     PATH  SIGNERS  FLAGS  STATUS   VERDICT  MANAGED\n", out);
	free(out);
}

TEST(mods_without_kernel_or_daemon)
{
	struct ctl_daemon_mod mods[1] = { { .name = "m", .cgroup_id = 5,
					    .status = CTL_MOD_RUNNING } };
	struct ew_reg *regs = calloc(1, sizeof(*regs));
	struct ctl_mod_row *rows;
	char *out = NULL;
	size_t n;
	cJSON *j;

	ASSERT_NE(NULL, regs);
	/* No kernel module: the daemon's modules, no verdicts. */
	ASSERT_EQ(0, ctl_mods_join(NULL, 0, mods, 1, &rows, &n));
	ASSERT_EQ(1u, n);
	CAPTURE(out, ctl_text_mods(f, rows, n));
	EXPECT_STREQ("CGROUP-ID  NAME  GEN-ID  DIGESTS  MODE     PATH  SIGNERS  FLAGS  STATUS   VERDICT  MANAGED\n"
		     "5          m     -       -        -        -     -        -      running  -        yes\n", out);
	free(out);
	j = round_trip(ctl_json_mods(rows, n), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(5, num_of(cJSON_GetArrayItem(j, 0), "cgroup_id"));
	EXPECT_TRUE(is_null(cJSON_GetArrayItem(j, 0), "verdict"));
	cJSON_Delete(j);
	free(rows);

	/* No daemon: the registrations alone, none managed. */
	fill_reg(&regs[0], 7, "/k", "k", "1", 0);
	ASSERT_EQ(0, ctl_mods_join(regs, 1, NULL, 0, &rows, &n));
	ASSERT_EQ(1u, n);
	j = round_trip(ctl_json_mods(rows, n), false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_STREQ("/k", str_of(cJSON_GetArrayItem(j, 0), "cgroup_path"));
	EXPECT_TRUE(is_null(cJSON_GetArrayItem(j, 0), "status"));
	EXPECT_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(j, 0),
								    "managed")));
	cJSON_Delete(j);
	free(rows);
	free(regs);
}

static const char sysinfo_json[] =
	"{\"osType\":\"Linux\",\"architecture\":\"x86_64\",\"version\":\"0.1.0\","
	"\"provisioning\":{\"type\":\"manual.connection_string\",\"dynamicReprovisioning\":false},"
	"\"kernel_module\":{\"loaded\":true,\"version\":\"0.3.1\",\"mode\":\"enforce\"}}";

TEST(sysinfo)
{
	struct ctl_daemon_mod mods[4] = {
		{ .name = "a", .status = CTL_MOD_RUNNING }, { .name = "b", .status = CTL_MOD_STOPPED },
		{ .name = "c", .status = CTL_MOD_RUNNING }, { .name = "d", .status = CTL_MOD_DEAD },
	};
	cJSON *info = cJSON_Parse(sysinfo_json), *j, *km, *counts;
	struct ctl_sysinfo si;
	char err[256], *out = NULL;

	ASSERT_NE(NULL, info);
	ASSERT_EQ(0, ctl_sysinfo_parse(info, mods, 4, &si, err, sizeof(err))) TH_LOG("%s", err);
	EXPECT_STREQ("0.1.0", si.version);
	EXPECT_STREQ("manual.connection_string", si.provisioning);
	EXPECT_TRUE(si.km_loaded);
	EXPECT_EQ(4u, si.n_modules);
	EXPECT_EQ(2u, si.by_status[CTL_MOD_RUNNING]);

	CAPTURE(out, ctl_text_sysinfo(f, &si));
	EXPECT_STREQ("version:       0.1.0\n"
		     "provisioning:  manual.connection_string\n"
		     "kernel module: loaded, version 0.3.1, mode enforce\n"
		     "modules:       4 (2 running, 1 stopped, 0 failed, 1 dead, 0 unknown)\n", out);
	free(out);

	j = round_trip(ctl_json_sysinfo(&si), true, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(4, cJSON_GetArraySize(j));
	EXPECT_STREQ("0.1.0", str_of(j, "version"));
	EXPECT_STREQ("manual.connection_string", str_of(j, "provisioning_type"));
	km = cJSON_GetObjectItemCaseSensitive(j, "kernel_module");
	EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(km, "loaded")));
	EXPECT_STREQ("0.3.1", str_of(km, "version"));
	EXPECT_STREQ("enforce", str_of(km, "mode"));
	counts = cJSON_GetObjectItemCaseSensitive(j, "modules");
	EXPECT_EQ(6, cJSON_GetArraySize(counts));
	EXPECT_EQ(4, num_of(counts, "total"));
	EXPECT_EQ(2, num_of(counts, "running"));
	EXPECT_EQ(1, num_of(counts, "stopped"));
	EXPECT_EQ(0, num_of(counts, "failed"));
	EXPECT_EQ(1, num_of(counts, "dead"));
	EXPECT_EQ(0, num_of(counts, "unknown"));
	cJSON_Delete(j);

	/* Not loaded: the daemon's "off" and "" are not shown as facts. */
	cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(info, "kernel_module"),
					       "loaded", cJSON_CreateFalse());
	ASSERT_EQ(0, ctl_sysinfo_parse(info, NULL, 0, &si, err, sizeof(err)));
	CAPTURE(out, ctl_text_sysinfo(f, &si));
	EXPECT_NE(NULL, strstr(out, "\nkernel module: not loaded\n"
				    "modules:       0 (0 running, 0 stopped, 0 failed, 0 dead, 0 unknown)\n"));
	free(out);
	j = round_trip(ctl_json_sysinfo(&si), false, NULL);
	ASSERT_NE(NULL, j);
	km = cJSON_GetObjectItemCaseSensitive(j, "kernel_module");
	EXPECT_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(km, "loaded")));
	EXPECT_TRUE(is_null(km, "version"));
	EXPECT_TRUE(is_null(km, "mode"));
	cJSON_Delete(j);

	cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(info, "kernel_module"),
						"loaded");
	EXPECT_EQ(-EPROTO, ctl_sysinfo_parse(info, NULL, 0, &si, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's SystemInfo has no boolean kernel_module.loaded", err);
	cJSON_DeleteItemFromObjectCaseSensitive(info, "provisioning");
	EXPECT_EQ(-EPROTO, ctl_sysinfo_parse(info, NULL, 0, &si, err, sizeof(err)));
	EXPECT_STREQ("edgewardd's SystemInfo has no string provisioning.type", err);
	cJSON_Delete(info);
}

TEST(identity_gen_id)
{
	cJSON *ids = cJSON_Parse("{\"identities\":[{\"moduleId\":\"a\",\"generationId\":\"1\"},"
				 "{\"moduleId\":\"$edgeHub\",\"managedBy\":\"IotEdge\","
				 "\"generationId\":\"637\",\"authType\":\"sas\"}]}");
	const char *gen = NULL;
	char err[256];

	ASSERT_NE(NULL, ids);
	ASSERT_EQ(0, ctl_identity_gen_id(ids, "$edgeHub", &gen, err, sizeof(err)));
	EXPECT_STREQ("637", gen);
	EXPECT_EQ(-ENOENT, ctl_identity_gen_id(ids, "edgeHub", &gen, err, sizeof(err)));
	EXPECT_STREQ("module edgeHub has no identity", err);
	cJSON_Delete(ids);
	ids = cJSON_Parse("{\"identities\":{}}");
	EXPECT_EQ(-EPROTO, ctl_identity_gen_id(ids, "a", &gen, err, sizeof(err)));
	cJSON_Delete(ids);
}

/* The environment of @name under the configuration text @toml. */
static int env_of(const char *toml, const char *name, struct ctl_env *env)
{
	struct ew_config cfg;
	char err[256];
	int r;

	if (toml) {
		r = ew_config_load_buffer("t.toml", toml, strlen(toml), &cfg, err, sizeof(err));
		if (r)
			return r;
	} else {
		ew_config_defaults(&cfg);
	}
	r = ctl_module_env(&cfg, name, "638000", env);
	ew_config_free(&cfg);
	return r;
}

TEST(module_env)
{
	struct ctl_env env;
	char host[256], *out = NULL, *want = NULL;
	cJSON *j;

	ASSERT_EQ(0, env_of("hostname = \"gw1.example.net\"\n"
			    "[provisioning]\nsource = \"manual\"\n"
			    "connection_string = \"HostName=hub1.azure-devices.net;DeviceId=dev1;"
			    "SharedAccessKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"\n"
			    "[connect]\nworkload_uri = \"unix:///tmp/w.sock\"\n"
			    "management_uri = \"unix:///tmp/m.sock\"\n", "tempSensor", &env));
	CAPTURE(out, ctl_text_env(f, &env));
	EXPECT_STREQ("IOTEDGE_WORKLOADURI=unix:///tmp/w.sock\n"
		     "IOTEDGE_MODULEID=tempSensor\n"
		     "IOTEDGE_MODULEGENERATIONID=638000\n"
		     "IOTEDGE_DEVICEID=dev1\n"
		     "IOTEDGE_IOTHUBHOSTNAME=hub1.azure-devices.net\n"
		     "IOTEDGE_GATEWAYHOSTNAME=gw1.example.net\n"
		     "IOTEDGE_APIVERSION=2022-08-03\n"
		     "IOTEDGE_AUTHSCHEME=sasToken\n", out);
	free(out);
	j = round_trip(ctl_json_env(&env), true, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_EQ(8, cJSON_GetArraySize(j));
	EXPECT_STREQ("unix:///tmp/w.sock", str_of(j, "IOTEDGE_WORKLOADURI"));
	EXPECT_STREQ("dev1", str_of(j, "IOTEDGE_DEVICEID"));
	EXPECT_STREQ("IOTEDGE_WORKLOADURI", cJSON_GetArrayItem(j, 0)->string);
	EXPECT_STREQ("IOTEDGE_AUTHSCHEME", cJSON_GetArrayItem(j, 7)->string);
	cJSON_Delete(j);
	ctl_env_free(&env);

	/* The embedded defaults: local mode, the host name on "localhost". */
	ASSERT_EQ(0, env_of(NULL, "edgeHub", &env));
	if (gethostname(host, sizeof(host)) || !host[0])
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	ASSERT_LE(0, asprintf(&want, "IOTEDGE_WORKLOADURI=unix:///run/edgeward/workload.sock\n"
			      "IOTEDGE_MODULEID=edgeHub\n"
			      "IOTEDGE_MODULEGENERATIONID=638000\n"
			      "IOTEDGE_DEVICEID=%s\n"
			      "IOTEDGE_IOTHUBHOSTNAME=localhost\n"
			      "IOTEDGE_GATEWAYHOSTNAME=%s\n"
			      "IOTEDGE_APIVERSION=2022-08-03\n"
			      "IOTEDGE_AUTHSCHEME=sasToken\n", host, host));
	CAPTURE(out, ctl_text_env(f, &env));
	EXPECT_STREQ(want, out);
	free(out);
	free(want);
	ctl_env_free(&env);

	/* The agent is also told where the management API is. */
	ASSERT_EQ(0, env_of("[agent]\nname = \"myAgent\"\n[agent.config]\nimage = \"x\"\n",
			    "myAgent", &env));
	ASSERT_EQ(9u, env.n);
	EXPECT_STREQ("IOTEDGE_MANAGEMENTURI", env.v[8].key);
	EXPECT_STREQ("unix:///run/edgeward/mgmt.sock", env.v[8].value);
	ctl_env_free(&env);
	ASSERT_EQ(0, env_of(NULL, "edgeAgent", &env));
	EXPECT_EQ(9u, env.n);
	ctl_env_free(&env);
}

TEST(checks)
{
	struct ctl_checks c = { 0 };
	char *out = NULL;
	cJSON *j;
	size_t i;

	ASSERT_EQ(0, ctl_check_add(&c, "config", CTL_CHECK_OK, "%s is well-formed", "/c.toml"));
	ASSERT_EQ(0, ctl_check_add(&c, "kernel-module", CTL_CHECK_WARN, "not loaded"));
	EXPECT_FALSE(ctl_checks_failed(&c));
	ASSERT_EQ(0, ctl_check_add(&c, "keys", CTL_CHECK_FAIL, "/s/keys/a.key has mode 0644\n"));
	EXPECT_TRUE(ctl_checks_failed(&c));
	CAPTURE(out, for (i = 0; i < c.n; i++) ctl_text_check(f, &c.v[i]));
	EXPECT_STREQ("[ ok ] config: /c.toml is well-formed\n"
		     "[warn] kernel-module: not loaded\n"
		     "[FAIL] keys: /s/keys/a.key has mode 0644\\n\n", out);
	free(out);
	j = round_trip(ctl_json_checks(&c), true, NULL);
	ASSERT_NE(NULL, j);
	ASSERT_EQ(3, cJSON_GetArraySize(j));
	EXPECT_EQ(3, cJSON_GetArraySize(cJSON_GetArrayItem(j, 0)));
	EXPECT_STREQ("config", str_of(cJSON_GetArrayItem(j, 0), "check"));
	EXPECT_STREQ("ok", str_of(cJSON_GetArrayItem(j, 0), "result"));
	EXPECT_STREQ("/c.toml is well-formed", str_of(cJSON_GetArrayItem(j, 0), "detail"));
	EXPECT_STREQ("warn", str_of(cJSON_GetArrayItem(j, 1), "result"));
	EXPECT_STREQ("fail", str_of(cJSON_GetArrayItem(j, 2), "result"));
	EXPECT_STREQ("/s/keys/a.key has mode 0644\n", str_of(cJSON_GetArrayItem(j, 2), "detail"));
	cJSON_Delete(j);
	/* Many lines: the array grows. */
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, ctl_check_add(&c, "keys", CTL_CHECK_OK, "%zu", i));
	EXPECT_EQ(103u, c.n);
	EXPECT_STREQ("99", c.v[102].detail);
	ctl_checks_free(&c);
	EXPECT_EQ(0u, c.n);
}

TEST(json_config_check)
{
	cJSON *j = round_trip(ctl_json_config_check("/c.toml", NULL), true, NULL);

	ASSERT_NE(NULL, j);
	EXPECT_STREQ("/c.toml", str_of(j, "file"));
	EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok")));
	EXPECT_TRUE(is_null(j, "error"));
	cJSON_Delete(j);
	j = round_trip(ctl_json_config_check("/c.toml", "/c.toml:3:1: unknown key \"x\""),
		       false, NULL);
	ASSERT_NE(NULL, j);
	EXPECT_TRUE(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "ok")));
	EXPECT_STREQ("/c.toml:3:1: unknown key \"x\"", str_of(j, "error"));
	cJSON_Delete(j);
}

TEST(mgmt_messages)
{
	static const char body[] = "{\"message\":\"module not found\"}";
	char msg[256], *t;
	const char *logs_params[] = {
		"follow", "true", "tail", NULL, "since", "2024-05-01T14:00:00+02:00", NULL,
	};

	ctl_mgmt_connect_error(ENOENT, "/run/edgeward/mgmt.sock", msg, sizeof(msg));
	EXPECT_STREQ("edgewardd is not running (no socket at /run/edgeward/mgmt.sock)", msg);
	ctl_mgmt_connect_error(ECONNREFUSED, "/s", msg, sizeof(msg));
	EXPECT_STREQ("edgewardd is not running (nothing listens on /s)", msg);
	ctl_mgmt_connect_error(EACCES, "/s", msg, sizeof(msg));
	EXPECT_STREQ("permission denied on /s", msg);
	ctl_mgmt_connect_error(EIO, "/s", msg, sizeof(msg));
	EXPECT_STREQ("cannot connect to /s: Input/output error", msg);
	EXPECT_TRUE(ctl_mgmt_not_running(-ENOENT));
	EXPECT_TRUE(ctl_mgmt_not_running(-ECONNREFUSED));
	EXPECT_FALSE(ctl_mgmt_not_running(-EACCES));

	/* The daemon's message as it was sent; its control characters defused. */
	ctl_mgmt_http_error(404, body, strlen(body), msg, sizeof(msg));
	EXPECT_STREQ("edgewardd answered 404: module not found", msg);
	ctl_mgmt_http_error(403, "{\"message\":\"a\\u001b[2Jb\"}", 25, msg, sizeof(msg));
	EXPECT_STREQ("edgewardd answered 403: a\\x1b[2Jb", msg);
	ctl_mgmt_http_error(502, "<html>", 6, msg, sizeof(msg));
	EXPECT_STREQ("edgewardd answered 502 without a message", msg);
	ctl_mgmt_http_error(500, NULL, 0, msg, sizeof(msg));
	EXPECT_STREQ("edgewardd answered 500 without a message", msg);
	/* Cut to the buffer, never past it. */
	ctl_mgmt_http_error(404, body, strlen(body), msg, 30);
	EXPECT_STREQ("edgewardd answered 404: modul", msg);

	t = ctl_mgmt_target("/modules", NULL);
	EXPECT_STREQ("/modules?api-version=2022-08-03", t);
	free(t);
	t = ctl_mgmt_target("/modules/m/logs", logs_params);
	EXPECT_STREQ("/modules/m/logs?follow=true&since=2024-05-01T14%3A00%3A00%2B02%3A00"
		     "&api-version=2022-08-03", t);
	free(t);
	t = ctl_mgmt_escape("$edge#Hub?%");
	EXPECT_STREQ("%24edge%23Hub%3F%25", t);
	free(t);
}

TEST_HARNESS_MAIN

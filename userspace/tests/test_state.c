// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of daemon/state.c: what is saved loads back the same, a
 * corrupted or hand-broken file is refused with a message naming the
 * place, generation ids only grow.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "daemon/state.h"
#include "util/atomic.h"

FIXTURE(st) {
	char path[64];
	int fd;
	struct ew_state st;
	char err[256];
};

FIXTURE_SETUP(st)
{
	strcpy(self->path, "/tmp/ew-state-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	self->fd = open(self->path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ew_state_load(&self->st, self->fd, self->err, sizeof(self->err)));
}

FIXTURE_TEARDOWN(st)
{
	char cmd[96];

	ew_state_free(&self->st);
	close(self->fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->path);
	if (system(cmd))
		TH_LOG("could not remove %s", self->path);
}

static void put(int fd, const char *text)
{
	if (ew_atomic_write_at(fd, EW_STATE_FILE, text, strlen(text), 0600))
		abort();
}

TEST_F(st, empty_then_round_trip)
{
	struct ew_identity *id, *again;
	struct ew_state st2;
	char gen[EW_GEN_ID_MAX + 1];

	EXPECT_EQ(0U, self->st.n_ids);
	ASSERT_EQ(0, ew_state_identity_ensure(&self->st, "$edgeHub", "IotEdge", &id));
	strcpy(gen, id->gen_id);
	ASSERT_EQ(0, ew_state_identity_ensure(&self->st, "$edgeHub", "other", &again));
	EXPECT_STREQ(gen, again->gen_id);
	EXPECT_STREQ("IotEdge", again->managed_by);
	ASSERT_EQ(0, ew_state_module_add(&self->st, "sensor", EW_MODULE_PROCESS,
					 cJSON_Parse("{\"name\":\"sensor\",\"type\":\"process\"}")));
	ew_state_module(&self->st, "sensor")->want_running = true;
	ASSERT_EQ(0, ew_state_save(&self->st, self->err, sizeof(self->err)));

	ASSERT_EQ(0, ew_state_load(&st2, self->fd, self->err, sizeof(self->err)));
	ASSERT_EQ(1U, st2.n_ids);
	EXPECT_STREQ("$edgeHub", st2.ids[0].module_id);
	EXPECT_STREQ(gen, st2.ids[0].gen_id);
	ASSERT_EQ(1U, st2.n_mods);
	EXPECT_STREQ("sensor", st2.mods[0].name);
	EXPECT_EQ((int)EW_MODULE_PROCESS, (int)st2.mods[0].type);
	EXPECT_TRUE(st2.mods[0].want_running);
	EXPECT_STREQ("process", cJSON_GetObjectItem(st2.mods[0].spec, "type")->valuestring);
	ew_state_free(&st2);
}

TEST_F(st, generation_ids_grow_and_look_like_ticks)
{
	char a[EW_GEN_ID_MAX + 1], b[EW_GEN_ID_MAX + 1];
	struct ew_identity *id;

	ew_state_new_gen_id(&self->st, a);
	ew_state_new_gen_id(&self->st, b);
	EXPECT_EQ(18U, strlen(a));	/* ticks of this century */
	EXPECT_LT(strtoull(a, NULL, 10), strtoull(b, NULL, 10));
	ASSERT_EQ(0, ew_state_identity_ensure(&self->st, "m", "", &id));
	strcpy(a, id->gen_id);
	ew_state_identity_rotate(&self->st, id);
	EXPECT_STRNE(a, id->gen_id);
}

TEST_F(st, loaded_ids_keep_the_clock_ahead)
{
	struct ew_state st2;
	char g[EW_GEN_ID_MAX + 1];

	put(self->fd, "{\"version\":1,\"identities\":[{\"moduleId\":\"m\",\"generationId\":\"999999999999999999\"}]}");
	ASSERT_EQ(0, ew_state_load(&st2, self->fd, self->err, sizeof(self->err)));
	ew_state_new_gen_id(&st2, g);
	EXPECT_STREQ("1000000000000000000", g);
	ew_state_free(&st2);
}

TEST_F(st, delete)
{
	struct ew_identity *id;

	ASSERT_EQ(0, ew_state_identity_ensure(&self->st, "a", "", &id));
	ASSERT_EQ(0, ew_state_identity_ensure(&self->st, "b", "", &id));
	EXPECT_EQ(0, ew_state_identity_delete(&self->st, "a"));
	EXPECT_EQ(-ENOENT, ew_state_identity_delete(&self->st, "a"));
	EXPECT_NE(NULL, ew_state_identity(&self->st, "b"));
	EXPECT_EQ(-ENOENT, ew_state_module_delete(&self->st, "x"));
	ASSERT_EQ(0, ew_state_module_add(&self->st, "x", EW_MODULE_DOCKER, cJSON_CreateObject()));
	EXPECT_EQ(-EEXIST, ew_state_module_add(&self->st, "x", EW_MODULE_DOCKER, NULL));
	EXPECT_EQ(0, ew_state_module_delete(&self->st, "x"));
	EXPECT_EQ(NULL, ew_state_module(&self->st, "x"));
}

TEST_F(st, bad_names_refused)
{
	struct ew_identity *id;

	EXPECT_EQ(-EINVAL, ew_state_identity_ensure(&self->st, "a/b", "", &id));
	EXPECT_EQ(-EINVAL, ew_state_identity_ensure(&self->st, "", "", &id));
	EXPECT_EQ(-EINVAL, ew_state_module_add(&self->st, "bad name", EW_MODULE_PROCESS, NULL));
}

static const struct {
	const char *text;
	const char *msg;
} broken[] = {
	{ "not json", "not a JSON object" },
	{ "[]", "not a JSON object" },
	{ "{\"version\":2}", "version must be 1" },
	{ "{\"version\":1,\"identities\":{}}", "\"identities\" must be an array" },
	{ "{\"version\":1,\"identities\":[1]}", "identities[0]: not an object" },
	{ "{\"version\":1,\"identities\":[{\"generationId\":\"1\"}]}", "identities[0]: \"moduleId\" missing" },
	{ "{\"version\":1,\"identities\":[{\"moduleId\":5,\"generationId\":\"1\"}]}", "\"moduleId\" must be a string" },
	{ "{\"version\":1,\"identities\":[{\"moduleId\":\"a\",\"generationId\":\"x1\"}]}", "invalid generationId" },
	{ "{\"version\":1,\"identities\":[{\"moduleId\":\"a b\",\"generationId\":\"1\"}]}", "invalid moduleId" },
	{ "{\"version\":1,\"identities\":[{\"moduleId\":\"a\",\"generationId\":\"1\"},{\"moduleId\":\"a\",\"generationId\":\"2\"}]}", "identity \"a\" twice" },
	{ "{\"version\":1,\"modules\":[{\"name\":\"a\",\"type\":\"vm\",\"spec\":{},\"wantRunning\":true}]}", "modules[0]: unknown type \"vm\"" },
	{ "{\"version\":1,\"modules\":[{\"name\":\"a\",\"type\":\"process\",\"spec\":[],\"wantRunning\":true}]}", "\"spec\" must be an object" },
	{ "{\"version\":1,\"modules\":[{\"name\":\"a\",\"type\":\"process\",\"spec\":{}}]}", "\"wantRunning\" must be a boolean" },
	{ "{\"version\":1,\"modules\":[{\"name\":\"a\",\"type\":\"process\",\"spec\":{},\"wantRunning\":true},{\"name\":\"a\",\"type\":\"process\",\"spec\":{},\"wantRunning\":true}]}", "module \"a\" twice" },
};

TEST_F(st, broken_files_refused_with_the_place)
{
	struct ew_state st2;
	size_t i;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		put(self->fd, broken[i].text);
		self->err[0] = '\0';
		EXPECT_EQ(-EINVAL, ew_state_load(&st2, self->fd, self->err, sizeof(self->err)));
		EXPECT_NE(NULL, strstr(self->err, broken[i].msg)) {
			TH_LOG("case %zu: got \"%s\"", i, self->err);
		}
		EXPECT_EQ(0U, st2.n_ids);
		EXPECT_EQ(0U, st2.n_mods);
	}
}

TEST_F(st, symlinked_state_refused)
{
	struct ew_state st2;

	ASSERT_EQ(0, symlinkat("/etc/passwd", self->fd, EW_STATE_FILE));
	EXPECT_EQ(-EINVAL, ew_state_load(&st2, self->fd, self->err, sizeof(self->err)));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of libedgeward's wire parsers: replies and events built here
 * as the kernel would send them (and as a broken kernel might), and
 * NLMSG_ERROR / NLMSG_DONE messages carrying extended ACKs.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "edgeward.h"
#include "internal.h"

#define FAMILY 0x1d

static const uint8_t digest_a[EDGEWARD_DIGEST_LEN] = { 0xde, 0xad, 0xbe, 0xef, [31] = 0x01 };

static struct nl_msg *genl_msg(uint8_t cmd)
{
	struct nl_msg *m = nlmsg_alloc_size(65536);

	if (m && !genlmsg_put(m, 0, 0, FAMILY, 0, 0, cmd, EDGEWARD_FAMILY_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* A complete, valid status reply, with a PAD and an attribute from the future. */
static struct nl_msg *status_msg(int skip_attr)
{
	struct nl_msg *m = genl_msg(EDGEWARD_CMD_STATUS_GET);

	if (!m)
		return NULL;
	if (skip_attr != EDGEWARD_A_STATUS_VERSION)
		nla_put_string(m, EDGEWARD_A_STATUS_VERSION, "0.1.0-test");
	if (skip_attr != EDGEWARD_A_STATUS_MODE)
		nla_put_u32(m, EDGEWARD_A_STATUS_MODE, EDGEWARD_MODE_AUDIT);
	if (skip_attr != EDGEWARD_A_STATUS_REG_COUNT)
		nla_put_u32(m, EDGEWARD_A_STATUS_REG_COUNT, 3);
	if (skip_attr != EDGEWARD_A_STATUS_GENERATION)
		nla_put_u32(m, EDGEWARD_A_STATUS_GENERATION, 17);
	nla_put(m, EDGEWARD_A_STATUS_PAD, 0, NULL);
	if (skip_attr != EDGEWARD_A_STATUS_EVENT_SEQ)
		nla_put_u64(m, EDGEWARD_A_STATUS_EVENT_SEQ, 0x100000001ull);
	if (skip_attr != EDGEWARD_A_STATUS_IMA)
		nla_put_u32(m, EDGEWARD_A_STATUS_IMA, EDGEWARD_IMA_STATE_AVAILABLE);
	if (skip_attr != EDGEWARD_A_STATUS_KEYRING)
		nla_put_u32(m, EDGEWARD_A_STATUS_KEYRING, EDGEWARD_KEYRING_STATE_TEST_KEYS);
	if (skip_attr != EDGEWARD_A_STATUS_KEYRING_ID)
		nla_put_u32(m, EDGEWARD_A_STATUS_KEYRING_ID, 0x2a3b4c5d);
	if (skip_attr != EDGEWARD_A_STATUS_LOCKED)
		nla_put_u32(m, EDGEWARD_A_STATUS_LOCKED, 1);
	nla_put_u32(m, EDGEWARD_A_STATUS_MAX + 5, 0xffffffff);
	return m;
}

TEST(status_parse_good)
{
	struct nl_msg *m = status_msg(0);
	struct ew_status st;

	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, ew_status_parse(m, &st));
	EXPECT_STREQ("0.1.0-test", st.version);
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_AUDIT, st.mode);
	EXPECT_EQ(3u, st.reg_count);
	EXPECT_EQ(17u, st.generation);
	EXPECT_EQ(0x100000001ull, st.event_seq);
	EXPECT_EQ((uint32_t)EDGEWARD_IMA_STATE_AVAILABLE, st.ima);
	EXPECT_EQ((uint32_t)EDGEWARD_KEYRING_STATE_TEST_KEYS, st.keyring);
	EXPECT_EQ(0x2a3b4c5du, st.keyring_id);
	EXPECT_TRUE(st.locked);
	nlmsg_free(m);
}

TEST(status_parse_keyring_and_lock)
{
	struct nl_msg *m;
	struct ew_status st;

	/* Not locked; no keyring (serial 0). */
	m = status_msg(EDGEWARD_A_STATUS_LOCKED);
	nla_put_u32(m, EDGEWARD_A_STATUS_LOCKED, 0);
	ASSERT_EQ(0, ew_status_parse(m, &st));
	EXPECT_FALSE(st.locked);
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_KEYRING_ID);
	nla_put_u32(m, EDGEWARD_A_STATUS_KEYRING_ID, 0);
	ASSERT_EQ(0, ew_status_parse(m, &st));
	EXPECT_EQ(0u, st.keyring_id);
	nlmsg_free(m);
	/* Locked is 0 or 1, a u32; the serial a u32. */
	m = status_msg(EDGEWARD_A_STATUS_LOCKED);
	nla_put_u32(m, EDGEWARD_A_STATUS_LOCKED, 2);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_LOCKED);
	nla_put_u8(m, EDGEWARD_A_STATUS_LOCKED, 1);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_KEYRING_ID);
	nla_put_u64(m, EDGEWARD_A_STATUS_KEYRING_ID, 7);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
}

TEST(status_parse_missing_attribute)
{
	struct ew_status st;
	int a;

	for (a = EDGEWARD_A_STATUS_VERSION; a <= EDGEWARD_A_STATUS_MAX; a++) {
		struct nl_msg *m = status_msg(a);

		ASSERT_NE(NULL, m);
		EXPECT_EQ(-EPROTO, ew_status_parse(m, &st)) TH_LOG("without %d", a);
		nlmsg_free(m);
	}
}

TEST(status_parse_bad_lengths)
{
	struct nl_msg *m;
	struct ew_status st;
	char long_version[100];

	/* A u32 sent as a u64, a u64 as a u32. */
	m = status_msg(EDGEWARD_A_STATUS_MODE);
	nla_put_u64(m, EDGEWARD_A_STATUS_MODE, 1);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_EVENT_SEQ);
	nla_put_u32(m, EDGEWARD_A_STATUS_EVENT_SEQ, 1);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	/* A string without its NUL, an empty one, one with a NUL inside. */
	m = status_msg(EDGEWARD_A_STATUS_VERSION);
	nla_put(m, EDGEWARD_A_STATUS_VERSION, 3, "1.0");
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_VERSION);
	nla_put(m, EDGEWARD_A_STATUS_VERSION, 0, NULL);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	m = status_msg(EDGEWARD_A_STATUS_VERSION);
	nla_put(m, EDGEWARD_A_STATUS_VERSION, 4, "1\0a");
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
	/* Longer than struct ew_status can hold. */
	memset(long_version, 'v', sizeof(long_version) - 1);
	long_version[sizeof(long_version) - 1] = '\0';
	m = status_msg(EDGEWARD_A_STATUS_VERSION);
	nla_put_string(m, EDGEWARD_A_STATUS_VERSION, long_version);
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
}

TEST(status_parse_truncated)
{
	struct nl_msg *m = status_msg(0);
	struct nlmsghdr *h;
	struct ew_status st;

	ASSERT_NE(NULL, m);
	/* Cut the last attribute in half: its length overruns the message. */
	h = nlmsg_hdr(m);
	h->nlmsg_len -= 4;
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	/* No room for the generic netlink header at all. */
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EPROTO, ew_status_parse(m, &st));
	nlmsg_free(m);
}

/* A registration; omit names an attribute to leave out. */
static struct nl_msg *reg_msg(uint8_t cmd, int omit, unsigned int n_digests)
{
	struct nl_msg *m = genl_msg(cmd);
	unsigned int i;

	if (!m)
		return NULL;
	nla_put(m, EDGEWARD_A_REG_PAD, 0, NULL);
	if (omit != EDGEWARD_A_REG_CGROUP_ID)
		nla_put_u64(m, EDGEWARD_A_REG_CGROUP_ID, 0xabcdef0123ull);
	if (omit != EDGEWARD_A_REG_CGROUP_PATH)
		nla_put_string(m, EDGEWARD_A_REG_CGROUP_PATH, "/edge/mod1");
	if (omit != EDGEWARD_A_REG_NAME)
		nla_put_string(m, EDGEWARD_A_REG_NAME, "mod1");
	if (omit != EDGEWARD_A_REG_GEN_ID)
		nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "gen'1");
	for (i = 0; i < n_digests; i++) {
		uint8_t d[EDGEWARD_DIGEST_LEN];

		memcpy(d, digest_a, sizeof(d));
		d[31] = (uint8_t)i;
		nla_put(m, EDGEWARD_A_REG_DIGEST, sizeof(d), d);
	}
	if (omit != EDGEWARD_A_REG_SEQ)
		nla_put_u64(m, EDGEWARD_A_REG_SEQ, 5);
	nla_put_string(m, EDGEWARD_A_REG_MAX + 1, "from a newer module");
	return m;
}

TEST(reg_parse_mode)
{
	struct ew_reg *r = malloc(sizeof(*r));
	struct nl_msg *m;
	uint32_t mode;

	ASSERT_NE(NULL, r);
	/* Absent: the registration follows the global mode. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ(0u, r->mode);
	nlmsg_free(m);
	for (mode = EDGEWARD_MODE_OFF; mode <= EDGEWARD_MODE_MAX; mode++) {
		m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 1);
		nla_put_u32(m, EDGEWARD_A_REG_MODE, mode);
		ASSERT_EQ(0, ew_reg_parse(m, r, NULL)) TH_LOG("mode %u", mode);
		EXPECT_EQ(mode, r->mode);
		EXPECT_EQ(1u, r->n_digests);
		nlmsg_free(m);
	}
	/* 0 would read as "follows the global mode"; past the enum is no mode. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_MODE, 0);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_MODE, EDGEWARD_MODE_MAX + 1);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u64(m, EDGEWARD_A_REG_MODE, EDGEWARD_MODE_AUDIT);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u16(m, EDGEWARD_A_REG_MODE, EDGEWARD_MODE_AUDIT);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	free(r);
}

TEST(reg_parse_signers)
{
	struct ew_reg *r = malloc(sizeof(*r));
	struct nl_msg *m;
	unsigned int i;

	ASSERT_NE(NULL, r);
	/* None: zero signers. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 1);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ(0u, r->n_signers);
	nlmsg_free(m);
	/* Kept in the kernel's order, interleaved with other attributes or not. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 1);
	nla_put_u32(m, EDGEWARD_A_REG_SIGNER, 0xdeadbeef);
	nla_put_u32(m, EDGEWARD_A_REG_MODE, EDGEWARD_MODE_AUDIT);
	nla_put_u32(m, EDGEWARD_A_REG_SIGNER, 0);
	nla_put_u32(m, EDGEWARD_A_REG_SIGNER, 0x00000001);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	ASSERT_EQ(3u, r->n_signers);
	EXPECT_EQ(0xdeadbeefu, r->signers[0]);
	EXPECT_EQ(0u, r->signers[1]);
	EXPECT_EQ(1u, r->signers[2]);
	EXPECT_EQ(1u, r->n_digests);
	nlmsg_free(m);
	/* Exactly EDGEWARD_SIGNERS_MAX fit, one more is a broken kernel. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	for (i = 0; i < EDGEWARD_SIGNERS_MAX; i++)
		nla_put_u32(m, EDGEWARD_A_REG_SIGNER, 0x1000 + i);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	ASSERT_EQ((unsigned int)EDGEWARD_SIGNERS_MAX, r->n_signers);
	EXPECT_EQ(0x1000u + EDGEWARD_SIGNERS_MAX - 1, r->signers[EDGEWARD_SIGNERS_MAX - 1]);
	nla_put_u32(m, EDGEWARD_A_REG_SIGNER, 0x2000);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	/* A key id is a u32. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u64(m, EDGEWARD_A_REG_SIGNER, 1);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u16(m, EDGEWARD_A_REG_SIGNER, 1);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	free(r);
}

TEST(reg_parse_flags)
{
	struct ew_reg *r = malloc(sizeof(*r));
	struct nl_msg *m;
	uint32_t flags;

	ASSERT_NE(NULL, r);
	/* Absent: none. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ(0u, r->flags);
	nlmsg_free(m);
	for (flags = 1; flags <= EW_REG_FLAGS_ALL; flags++) {
		m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
		nla_put_u32(m, EDGEWARD_A_REG_FLAGS, flags);
		ASSERT_EQ(0, ew_reg_parse(m, r, NULL)) TH_LOG("flags %u", flags);
		EXPECT_EQ(flags, r->flags);
		nlmsg_free(m);
	}
	/* Sent only when not 0; only the bits of the contract; a u32. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_FLAGS, 0);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_FLAGS, 4);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_FLAGS, 0x80000001);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put_u64(m, EDGEWARD_A_REG_FLAGS, EDGEWARD_REG_FLAGS_AGENT);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	/* A manifest signature belongs to requests: a reply's is skipped. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put(m, EDGEWARD_A_REG_MANIFEST_SIG, 3, "sig");
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ(0u, r->flags);
	EXPECT_EQ(0u, r->n_signers);
	nlmsg_free(m);
	free(r);
}

TEST(reg_parse_good)
{
	struct ew_reg *r = malloc(sizeof(*r));
	struct nl_msg *m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 2);
	uint64_t seq = 0;

	ASSERT_NE(NULL, r);
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, ew_reg_parse(m, r, &seq));
	EXPECT_EQ(0xabcdef0123ull, r->cgroup_id);
	EXPECT_STREQ("/edge/mod1", r->cgroup_path);
	EXPECT_STREQ("mod1", r->name);
	EXPECT_STREQ("gen'1", r->gen_id);
	ASSERT_EQ(2u, r->n_digests);
	EXPECT_EQ(0xde, r->digests[0][0]);
	EXPECT_EQ(0, r->digests[0][31]);
	EXPECT_EQ(1, r->digests[1][31]);
	EXPECT_EQ(5u, seq);
	/* A reply is read without a sequence number too. */
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	free(r);
}

TEST(reg_parse_digest_limits)
{
	struct ew_reg *r = malloc(sizeof(*r));
	struct nl_msg *m;

	ASSERT_NE(NULL, r);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ(0u, r->n_digests);
	nlmsg_free(m);

	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, EDGEWARD_DIGESTS_MAX);
	ASSERT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ((unsigned int)EDGEWARD_DIGESTS_MAX, r->n_digests);
	EXPECT_EQ(EDGEWARD_DIGESTS_MAX - 1, r->digests[EDGEWARD_DIGESTS_MAX - 1][31]);
	nlmsg_free(m);

	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, EDGEWARD_DIGESTS_MAX + 1);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);

	/* A truncated digest, and one too long. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 1);
	nla_put(m, EDGEWARD_A_REG_DIGEST, EDGEWARD_DIGEST_LEN - 1, digest_a);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, 0, 0);
	nla_put(m, EDGEWARD_A_REG_DIGEST, 0, NULL);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	free(r);
}

TEST(reg_parse_required)
{
	static const int required[] = {
		EDGEWARD_A_REG_CGROUP_ID, EDGEWARD_A_REG_CGROUP_PATH,
		EDGEWARD_A_REG_NAME, EDGEWARD_A_REG_GEN_ID,
	};
	struct ew_reg *r = malloc(sizeof(*r));
	uint64_t seq;
	size_t i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct nl_msg *m = reg_msg(EDGEWARD_CMD_REG_GET, required[i], 1);

		EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL)) TH_LOG("without %d", required[i]);
		nlmsg_free(m);
	}
	/* SEQ is optional in replies, required of notifications. */
	{
		struct nl_msg *m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_SEQ, 1);

		EXPECT_EQ(0, ew_reg_parse(m, r, NULL));
		EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, &seq));
		nlmsg_free(m);
	}
	free(r);
}

TEST(reg_parse_bad_values)
{
	struct ew_reg *r = malloc(sizeof(*r));
	char path[EW_PATH_MAX + 1];
	struct nl_msg *m;

	ASSERT_NE(NULL, r);
	/* A name outside the alphabet is a broken kernel. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_NAME, 0);
	nla_put_string(m, EDGEWARD_A_REG_NAME, "bad name");
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_GEN_ID, 0);
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "");
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	/* A cgroup id of the wrong width. */
	m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_CGROUP_ID, 0);
	nla_put_u32(m, EDGEWARD_A_REG_CGROUP_ID, 1);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	/* A path that cannot fit EW_PATH_MAX with its NUL. */
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[EW_PATH_MAX] = '\0';
	m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_CGROUP_PATH, 0);
	nla_put_string(m, EDGEWARD_A_REG_CGROUP_PATH, path);
	EXPECT_EQ(-EPROTO, ew_reg_parse(m, r, NULL));
	nlmsg_free(m);
	/* The longest path that fits is fine. */
	path[EW_PATH_MAX - 1] = '\0';
	m = reg_msg(EDGEWARD_CMD_REG_GET, EDGEWARD_A_REG_CGROUP_PATH, 0);
	nla_put_string(m, EDGEWARD_A_REG_CGROUP_PATH, path);
	EXPECT_EQ(0, ew_reg_parse(m, r, NULL));
	EXPECT_EQ((size_t)EW_PATH_MAX - 1, strlen(r->cgroup_path));
	nlmsg_free(m);
	free(r);
}

TEST(event_parse)
{
	struct ew_event *ev = malloc(sizeof(*ev));
	struct nl_msg *m;

	ASSERT_NE(NULL, ev);
	m = reg_msg(EDGEWARD_CMD_REG_ADD_NTF, 0, 1);
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ(EDGEWARD_CMD_REG_ADD_NTF, ev->cmd);
	EXPECT_EQ(5u, ev->seq);
	EXPECT_STREQ("mod1", ev->reg.name);
	EXPECT_EQ(1u, ev->reg.n_digests);
	nlmsg_free(m);

	m = reg_msg(EDGEWARD_CMD_REG_DEL_NTF, EDGEWARD_A_REG_SEQ, 0);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_MODE_CHANGE_NTF);
	nla_put(m, EDGEWARD_A_MODE_PAD, 0, NULL);
	nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 9);
	nla_put_u32(m, EDGEWARD_A_MODE_MODE, EDGEWARD_MODE_ENFORCE);
	nla_put_u32(m, EDGEWARD_A_MODE_MAX + 1, 0);
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ(EDGEWARD_CMD_MODE_CHANGE_NTF, ev->cmd);
	EXPECT_EQ(9u, ev->seq);
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_ENFORCE, ev->mode);
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_MODE_CHANGE_NTF);
	nla_put_u32(m, EDGEWARD_A_MODE_MODE, EDGEWARD_MODE_ENFORCE);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));	/* no SEQ */
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_MODE_CHANGE_NTF);
	nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 9);
	nla_put_u16(m, EDGEWARD_A_MODE_MODE, EDGEWARD_MODE_ENFORCE);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));	/* a u16 mode */
	nlmsg_free(m);

	/* The lock: only its place in the sequence. */
	m = genl_msg(EDGEWARD_CMD_LOCK_NTF);
	nla_put(m, EDGEWARD_A_MODE_PAD, 0, NULL);
	nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 10);
	nla_put_u32(m, EDGEWARD_A_MODE_MAX + 1, 0);
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ(EDGEWARD_CMD_LOCK_NTF, ev->cmd);
	EXPECT_EQ(10u, ev->seq);
	EXPECT_EQ(0u, ev->mode);
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_LOCK_NTF);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));	/* no SEQ */
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_LOCK_NTF);
	nla_put_u32(m, EDGEWARD_A_MODE_SEQ, 10);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));	/* a u32 SEQ */
	nlmsg_free(m);

	m = genl_msg(EDGEWARD_CMD_LOCK_NTF);
	nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 10);
	nlmsg_hdr(m)->nlmsg_len -= 4;
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));	/* truncated */
	nlmsg_free(m);

	/* Events of a newer module are recognisably skippable. */
	m = genl_msg(EDGEWARD_CMD_MAX + 1);
	EXPECT_EQ(-ENOMSG, ew_event_parse(m, ev));
	nlmsg_free(m);
	free(ev);
}

TEST(event_parse_reg_change)
{
	struct ew_event *ev = malloc(sizeof(*ev));
	struct nl_msg *m;

	ASSERT_NE(NULL, ev);
	m = reg_msg(EDGEWARD_CMD_REG_CHANGE_NTF, 0, 2);
	nla_put_u32(m, EDGEWARD_A_REG_MODE, EDGEWARD_MODE_ENFORCE);
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ(EDGEWARD_CMD_REG_CHANGE_NTF, ev->cmd);
	EXPECT_EQ(5u, ev->seq);
	EXPECT_EQ(0xabcdef0123ull, ev->reg.cgroup_id);
	EXPECT_STREQ("/edge/mod1", ev->reg.cgroup_path);
	EXPECT_STREQ("mod1", ev->reg.name);
	EXPECT_EQ(2u, ev->reg.n_digests);
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_ENFORCE, ev->reg.mode);
	nlmsg_free(m);

	/* The same checks as every registration: SEQ, names, mode. */
	m = reg_msg(EDGEWARD_CMD_REG_CHANGE_NTF, EDGEWARD_A_REG_SEQ, 0);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_CHANGE_NTF, EDGEWARD_A_REG_NAME, 0);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));
	nlmsg_free(m);
	m = reg_msg(EDGEWARD_CMD_REG_CHANGE_NTF, 0, 0);
	nla_put_u32(m, EDGEWARD_A_REG_MODE, 7);
	EXPECT_EQ(-EPROTO, ew_event_parse(m, ev));
	nlmsg_free(m);
	free(ev);
}

#define TASK_PID_NR	4242u
#define TASK_START_NS	0x123456789abcull
#define TASK_CGROUP	0x1000000002ull
#define TASK_REG_CGROUP	0x1000000001ull

/*
 * A message of the task attribute set: an exec event (cmd
 * EDGEWARD_CMD_EXEC_NTF, with SEQ) or an attest reply (START_TIME); omit
 * names an attribute to leave out, digest whether to send one.
 */
static struct nl_msg *task_msg(uint8_t cmd, int omit, uint32_t verdict,
			       bool digest)
{
	struct nl_msg *m = genl_msg(cmd);

	if (!m)
		return NULL;
	nla_put(m, EDGEWARD_A_TASK_PAD, 0, NULL);
	if (omit != EDGEWARD_A_TASK_VERDICT)
		nla_put_u32(m, EDGEWARD_A_TASK_VERDICT, verdict);
	if (omit != EDGEWARD_A_TASK_PID)
		nla_put_u32(m, EDGEWARD_A_TASK_PID, TASK_PID_NR);
	if (cmd == EDGEWARD_CMD_ATTEST && omit != EDGEWARD_A_TASK_START_TIME)
		nla_put_u64(m, EDGEWARD_A_TASK_START_TIME, TASK_START_NS);
	if (omit != EDGEWARD_A_TASK_CGROUP_ID)
		nla_put_u64(m, EDGEWARD_A_TASK_CGROUP_ID, TASK_CGROUP);
	if (omit != EDGEWARD_A_TASK_REG_CGROUP_ID)
		nla_put_u64(m, EDGEWARD_A_TASK_REG_CGROUP_ID, TASK_REG_CGROUP);
	if (omit != EDGEWARD_A_TASK_NAME)
		nla_put_string(m, EDGEWARD_A_TASK_NAME, "tempSensor");
	if (omit != EDGEWARD_A_TASK_GEN_ID)
		nla_put_string(m, EDGEWARD_A_TASK_GEN_ID, "637(2)");
	if (digest)
		nla_put(m, EDGEWARD_A_TASK_DIGEST, EDGEWARD_DIGEST_LEN, digest_a);
	if (omit != EDGEWARD_A_TASK_PATH)
		nla_put_string(m, EDGEWARD_A_TASK_PATH, "/usr/bin/touch");
	if (cmd == EDGEWARD_CMD_EXEC_NTF && omit != EDGEWARD_A_TASK_SEQ)
		nla_put_u64(m, EDGEWARD_A_TASK_SEQ, 0x200000003ull);
	nla_put_string(m, EDGEWARD_A_TASK_MAX + 1, "from a newer module");
	return m;
}

static struct nl_msg *exec_msg(int omit, uint32_t verdict, bool digest)
{
	return task_msg(EDGEWARD_CMD_EXEC_NTF, omit, verdict, digest);
}

static struct nl_msg *attest_msg(int omit, uint32_t verdict, bool digest)
{
	return task_msg(EDGEWARD_CMD_ATTEST, omit, verdict, digest);
}

TEST(exec_event_parse_good)
{
	struct ew_event *ev = malloc(sizeof(*ev));
	struct ew_task *t = malloc(sizeof(*t));
	struct nl_msg *m;
	uint64_t seq = 0;

	ASSERT_NE(NULL, ev);
	ASSERT_NE(NULL, t);
	m = exec_msg(0, EDGEWARD_VERDICT_DENIED, true);
	ASSERT_EQ(0, ew_task_parse(m, t, &seq));
	EXPECT_EQ(0x200000003ull, seq);
	EXPECT_EQ((uint32_t)EDGEWARD_VERDICT_DENIED, t->verdict);
	EXPECT_EQ(TASK_PID_NR, t->pid);
	EXPECT_EQ(0u, t->start_time);
	EXPECT_EQ(TASK_CGROUP, t->cgroup_id);
	EXPECT_EQ(TASK_REG_CGROUP, t->reg_cgroup_id);
	EXPECT_STREQ("tempSensor", t->name);
	EXPECT_STREQ("637(2)", t->gen_id);
	EXPECT_TRUE(t->has_digest);
	EXPECT_EQ(0, memcmp(digest_a, t->digest, EDGEWARD_DIGEST_LEN));
	EXPECT_STREQ("/usr/bin/touch", t->path);

	/* Through the event parser: the task and its place in the sequence. */
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ(EDGEWARD_CMD_EXEC_NTF, ev->cmd);
	EXPECT_EQ(0x200000003ull, ev->seq);
	EXPECT_EQ((uint32_t)EDGEWARD_VERDICT_DENIED, ev->task.verdict);
	EXPECT_STREQ("/usr/bin/touch", ev->task.path);
	nlmsg_free(m);

	/* Unmeasured: no digest. */
	m = exec_msg(0, EDGEWARD_VERDICT_UNMEASURED, false);
	ASSERT_EQ(0, ew_event_parse(m, ev));
	EXPECT_EQ((uint32_t)EDGEWARD_VERDICT_UNMEASURED, ev->task.verdict);
	EXPECT_FALSE(ev->task.has_digest);
	nlmsg_free(m);
	free(t);
	free(ev);
}

TEST(exec_event_parse_required)
{
	static const int required[] = {
		EDGEWARD_A_TASK_VERDICT, EDGEWARD_A_TASK_PID,
		EDGEWARD_A_TASK_CGROUP_ID, EDGEWARD_A_TASK_REG_CGROUP_ID,
		EDGEWARD_A_TASK_NAME, EDGEWARD_A_TASK_GEN_ID,
		EDGEWARD_A_TASK_PATH, EDGEWARD_A_TASK_SEQ,
	};
	struct ew_event *ev = malloc(sizeof(*ev));
	size_t i;

	ASSERT_NE(NULL, ev);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct nl_msg *m = exec_msg(required[i], EDGEWARD_VERDICT_AUDITED, true);

		EXPECT_EQ(-EPROTO, ew_event_parse(m, ev)) TH_LOG("without %d", required[i]);
		nlmsg_free(m);
	}
	free(ev);
}

TEST(attest_reply_parse_good)
{
	struct ew_task *t = malloc(sizeof(*t));
	struct nl_msg *m;

	ASSERT_NE(NULL, t);
	m = attest_msg(0, EDGEWARD_VERDICT_ALLOWED, true);
	ASSERT_EQ(0, ew_task_parse(m, t, NULL));
	EXPECT_EQ((uint32_t)EDGEWARD_VERDICT_ALLOWED, t->verdict);
	EXPECT_EQ(TASK_PID_NR, t->pid);
	EXPECT_EQ(TASK_START_NS, t->start_time);
	EXPECT_EQ(TASK_CGROUP, t->cgroup_id);
	EXPECT_EQ(TASK_REG_CGROUP, t->reg_cgroup_id);
	EXPECT_STREQ("tempSensor", t->name);
	EXPECT_STREQ("637(2)", t->gen_id);
	EXPECT_TRUE(t->has_digest);
	EXPECT_EQ(0, memcmp(digest_a, t->digest, EDGEWARD_DIGEST_LEN));
	EXPECT_STREQ("/usr/bin/touch", t->path);
	nlmsg_free(m);

	/* The start time is what tells a reused pid apart: required. */
	m = attest_msg(EDGEWARD_A_TASK_START_TIME, EDGEWARD_VERDICT_ALLOWED, true);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, NULL));
	nlmsg_free(m);
	/* An attestation has no place in the event sequence. */
	m = attest_msg(0, EDGEWARD_VERDICT_ALLOWED, true);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, (uint64_t[]){ 0 }));
	nlmsg_free(m);
	/* Not an event either. */
	m = attest_msg(0, EDGEWARD_VERDICT_ALLOWED, true);
	EXPECT_EQ(-ENOMSG, ew_event_parse(m, &(struct ew_event){ 0 }));
	nlmsg_free(m);

	/* A peer outside the caller's pid namespace has no number there. */
	m = attest_msg(EDGEWARD_A_TASK_PID, EDGEWARD_VERDICT_UNJUDGED, false);
	nla_put_u32(m, EDGEWARD_A_TASK_PID, 0);
	ASSERT_EQ(0, ew_task_parse(m, t, NULL));
	EXPECT_EQ(0u, t->pid);
	EXPECT_FALSE(t->has_digest);
	nlmsg_free(m);
	free(t);
}

TEST(attest_reply_parse_required)
{
	static const int required[] = {
		EDGEWARD_A_TASK_VERDICT, EDGEWARD_A_TASK_PID,
		EDGEWARD_A_TASK_START_TIME, EDGEWARD_A_TASK_CGROUP_ID,
		EDGEWARD_A_TASK_REG_CGROUP_ID, EDGEWARD_A_TASK_NAME,
		EDGEWARD_A_TASK_GEN_ID, EDGEWARD_A_TASK_PATH,
	};
	struct ew_task *t = malloc(sizeof(*t));
	size_t i;

	ASSERT_NE(NULL, t);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct nl_msg *m = attest_msg(required[i], EDGEWARD_VERDICT_ALLOWED, true);

		EXPECT_EQ(-EPROTO, ew_task_parse(m, t, NULL)) TH_LOG("without %d", required[i]);
		nlmsg_free(m);
	}
	free(t);
}

TEST(task_verdict_and_digest)
{
	static const struct {
		uint8_t cmd;
		uint32_t verdict;
		bool digest;
		int want;
	} cases[] = {
		/* Events announce what was not allowed, or not measured. */
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_DENIED, true, 0 },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_AUDITED, true, 0 },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_UNMEASURED, false, 0 },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_ALLOWED, true, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_UNJUDGED, false, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_UNJUDGED, true, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_DENIED, false, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_AUDITED, false, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_UNMEASURED, true, -EPROTO },
		/* Allowed by a signature: allowed, so not announced either. */
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_SIGNED, true, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_SIGNED, false, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, 0, true, -EPROTO },
		{ EDGEWARD_CMD_EXEC_NTF, EDGEWARD_VERDICT_MAX + 1, true, -EPROTO },
		/* An attestation may carry any verdict. */
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_ALLOWED, true, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_DENIED, true, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_AUDITED, true, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_UNMEASURED, false, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_UNJUDGED, false, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_UNJUDGED, true, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_SIGNED, true, 0 },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_SIGNED, false, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_ALLOWED, false, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_DENIED, false, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_UNMEASURED, true, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, 0, false, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, EDGEWARD_VERDICT_MAX + 1, true, -EPROTO },
		{ EDGEWARD_CMD_ATTEST, UINT32_MAX, true, -EPROTO },
	};
	struct ew_task *t = malloc(sizeof(*t));
	size_t i;

	ASSERT_NE(NULL, t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *m = task_msg(cases[i].cmd, 0, cases[i].verdict,
					    cases[i].digest);
		uint64_t seq;

		EXPECT_EQ(cases[i].want,
			  ew_task_parse(m, t, cases[i].cmd == EDGEWARD_CMD_EXEC_NTF ? &seq : NULL))
			TH_LOG("case %zu: %s verdict %u digest %d", i,
			       ew_cmd_name(cases[i].cmd), cases[i].verdict, cases[i].digest);
		nlmsg_free(m);
	}
	free(t);
}

TEST(task_parse_bad_values)
{
	struct ew_task *t = malloc(sizeof(*t));
	char path[EW_PATH_MAX + 1];
	struct nl_msg *m;
	uint64_t seq;

	ASSERT_NE(NULL, t);
	/* Names of a registration stay in the alphabet. */
	m = exec_msg(EDGEWARD_A_TASK_NAME, EDGEWARD_VERDICT_DENIED, true);
	nla_put_string(m, EDGEWARD_A_TASK_NAME, "a b");
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(EDGEWARD_A_TASK_GEN_ID, EDGEWARD_VERDICT_DENIED, true);
	nla_put_string(m, EDGEWARD_A_TASK_GEN_ID, "");
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	/* Cgroup ids are never 0, and 64 bits wide. */
	m = exec_msg(EDGEWARD_A_TASK_CGROUP_ID, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u64(m, EDGEWARD_A_TASK_CGROUP_ID, 0);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = attest_msg(EDGEWARD_A_TASK_REG_CGROUP_ID, EDGEWARD_VERDICT_ALLOWED, true);
	nla_put_u64(m, EDGEWARD_A_TASK_REG_CGROUP_ID, 0);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, NULL));
	nlmsg_free(m);
	m = exec_msg(EDGEWARD_A_TASK_REG_CGROUP_ID, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u32(m, EDGEWARD_A_TASK_REG_CGROUP_ID, 1);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	/* Widths of the other numbers. */
	m = exec_msg(EDGEWARD_A_TASK_PID, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u64(m, EDGEWARD_A_TASK_PID, 1);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(EDGEWARD_A_TASK_VERDICT, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u16(m, EDGEWARD_A_TASK_VERDICT, EDGEWARD_VERDICT_DENIED);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(EDGEWARD_A_TASK_SEQ, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u32(m, EDGEWARD_A_TASK_SEQ, 1);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = attest_msg(EDGEWARD_A_TASK_START_TIME, EDGEWARD_VERDICT_ALLOWED, true);
	nla_put_u32(m, EDGEWARD_A_TASK_START_TIME, 1);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, NULL));
	nlmsg_free(m);
	/* The process that executed is always visible in the initial namespace. */
	m = exec_msg(EDGEWARD_A_TASK_PID, EDGEWARD_VERDICT_DENIED, true);
	nla_put_u32(m, EDGEWARD_A_TASK_PID, 0);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	/* One digest of exactly EDGEWARD_DIGEST_LEN bytes. */
	m = exec_msg(0, EDGEWARD_VERDICT_DENIED, false);
	nla_put(m, EDGEWARD_A_TASK_DIGEST, EDGEWARD_DIGEST_LEN - 1, digest_a);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(0, EDGEWARD_VERDICT_DENIED, false);
	nla_put(m, EDGEWARD_A_TASK_DIGEST, 0, NULL);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(0, EDGEWARD_VERDICT_DENIED, true);
	nla_put(m, EDGEWARD_A_TASK_DIGEST, EDGEWARD_DIGEST_LEN, digest_a);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	/* A path: NUL-terminated, fitting EW_PATH_MAX; empty when unnamed. */
	m = exec_msg(EDGEWARD_A_TASK_PATH, EDGEWARD_VERDICT_DENIED, true);
	nla_put(m, EDGEWARD_A_TASK_PATH, 4, "/bin");
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	m = exec_msg(EDGEWARD_A_TASK_PATH, EDGEWARD_VERDICT_DENIED, true);
	nla_put_string(m, EDGEWARD_A_TASK_PATH, "");
	ASSERT_EQ(0, ew_task_parse(m, t, &seq));
	EXPECT_STREQ("", t->path);
	nlmsg_free(m);
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[EW_PATH_MAX] = '\0';
	m = exec_msg(EDGEWARD_A_TASK_PATH, EDGEWARD_VERDICT_DENIED, true);
	nla_put_string(m, EDGEWARD_A_TASK_PATH, path);
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	path[EW_PATH_MAX - 1] = '\0';
	m = exec_msg(EDGEWARD_A_TASK_PATH, EDGEWARD_VERDICT_DENIED, true);
	nla_put_string(m, EDGEWARD_A_TASK_PATH, path);
	ASSERT_EQ(0, ew_task_parse(m, t, &seq));
	EXPECT_EQ((size_t)EW_PATH_MAX - 1, strlen(t->path));
	nlmsg_free(m);
	free(t);
}

TEST(task_parse_truncated)
{
	struct nl_msg *m = exec_msg(0, EDGEWARD_VERDICT_DENIED, true);
	struct ew_task *t = malloc(sizeof(*t));
	struct nlmsghdr *h;
	uint64_t seq;

	ASSERT_NE(NULL, m);
	ASSERT_NE(NULL, t);
	h = nlmsg_hdr(m);
	h->nlmsg_len -= 4;
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	h->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EPROTO, ew_task_parse(m, t, &seq));
	nlmsg_free(m);
	free(t);
}

/* A well-formed event of each kind the contract defines, NULL for requests. */
static struct nl_msg *valid_event(uint8_t cmd)
{
	struct nl_msg *m;

	switch (cmd) {
	case EDGEWARD_CMD_REG_ADD_NTF:
	case EDGEWARD_CMD_REG_DEL_NTF:
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		return reg_msg(cmd, 0, 1);
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		m = genl_msg(cmd);
		nla_put_u32(m, EDGEWARD_A_MODE_MODE, EDGEWARD_MODE_AUDIT);
		nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 5);
		return m;
	case EDGEWARD_CMD_EXEC_NTF:
		return exec_msg(0, EDGEWARD_VERDICT_AUDITED, true);
	case EDGEWARD_CMD_LOCK_NTF:
		m = genl_msg(cmd);
		nla_put_u64(m, EDGEWARD_A_MODE_SEQ, 6);
		return m;
	default:
		return NULL;
	}
}

TEST(event_parse_every_kind)
{
	struct ew_event *ev = malloc(sizeof(*ev));
	unsigned int cmd, events = 0;

	ASSERT_NE(NULL, ev);
	/*
	 * Every event of the contract is parsed, so that it counts in the
	 * sequence: a skipped one would look like a lost one. Anything else
	 * (requests, commands of a newer module) is recognisably skipped.
	 */
	for (cmd = 0; cmd <= EDGEWARD_CMD_MAX + 1; cmd++) {
		struct nl_msg *m = valid_event((uint8_t)cmd);

		if (!m) {
			m = genl_msg((uint8_t)cmd);
			EXPECT_EQ(-ENOMSG, ew_event_parse(m, ev)) TH_LOG("command %u", cmd);
			EXPECT_STREQ("unknown", ew_event_name((uint8_t)cmd));
			nlmsg_free(m);
			continue;
		}
		events++;
		ASSERT_EQ(0, ew_event_parse(m, ev)) TH_LOG("command %u", cmd);
		EXPECT_EQ(cmd, ev->cmd);
		EXPECT_NE(0u, ev->seq);
		EXPECT_STRNE("unknown", ew_event_name((uint8_t)cmd));
		nlmsg_free(m);
	}
	EXPECT_EQ(6u, events);
	free(ev);
}

/* The attributes of a built request, by type (the last of each). */
struct request_view {
	uint8_t cmd;
	int count[EDGEWARD_A_REG_MAX + EDGEWARD_A_TASK_MAX + 2];
	const struct nlattr *attr[EDGEWARD_A_REG_MAX + EDGEWARD_A_TASK_MAX + 2];
};

static int view_request(struct nl_msg *msg, struct request_view *v)
{
	struct nlattr *head, *a;
	int len, rem, r;

	memset(v, 0, sizeof(*v));
	r = ew_genl_attrs(msg, &head, &len, &v->cmd);
	if (r)
		return r;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) >= (int)(sizeof(v->count) / sizeof(v->count[0])))
			return -ERANGE;
		v->count[nla_type(a)]++;
		v->attr[nla_type(a)] = a;
	}
	return rem ? -EPROTO : 0;
}

TEST(reg_request_mode)
{
	static const uint8_t digests[2][EDGEWARD_DIGEST_LEN] = { { 1 }, { 2 } };
	struct ew_client c = { .nl = { .family = FAMILY } };
	struct ew_reg_spec spec = {
		.cgroup = { .fd = -1, .id = 77 },
		.name = "m",
		.gen_id = "g",
		.n_digests = 2,
		.digests = digests,
	};
	struct request_view v;
	struct nl_msg *msg;
	struct ew_error e;
	uint32_t mode;
	uint64_t id;

	/* reg-new without a mode: the attribute is not sent at all. */
	ASSERT_EQ(0, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_REG_NEW, v.cmd);
	EXPECT_EQ(FAMILY, nlmsg_hdr(msg)->nlmsg_type);
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_MODE]);
	EXPECT_EQ(1, v.count[EDGEWARD_A_REG_CGROUP_ID]);
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_CGROUP_FD]);
	ASSERT_EQ(0, ew_attr_u64(v.attr[EDGEWARD_A_REG_CGROUP_ID], &id));
	EXPECT_EQ(77u, id);
	EXPECT_EQ(1, v.count[EDGEWARD_A_REG_NAME]);
	EXPECT_EQ(1, v.count[EDGEWARD_A_REG_GEN_ID]);
	EXPECT_EQ(2, v.count[EDGEWARD_A_REG_DIGEST]);
	nlmsg_free(msg);

	/* reg-set with one: the same request, another command, and the mode. */
	spec.mode = EDGEWARD_MODE_ENFORCE;
	spec.cgroup.fd = 9;
	ASSERT_EQ(0, ew_reg_request(&c, EDGEWARD_CMD_REG_SET, &spec, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_REG_SET, v.cmd);
	ASSERT_EQ(1, v.count[EDGEWARD_A_REG_MODE]);
	ASSERT_EQ(0, ew_attr_u32(v.attr[EDGEWARD_A_REG_MODE], &mode));
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_ENFORCE, mode);
	EXPECT_EQ(1, v.count[EDGEWARD_A_REG_CGROUP_FD]);
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_CGROUP_ID]);
	EXPECT_EQ(2, v.count[EDGEWARD_A_REG_DIGEST]);
	nlmsg_free(msg);

	/* A mode outside the enum never leaves the library. */
	spec.mode = EDGEWARD_MODE_MAX + 1;
	msg = (struct nl_msg *)&c;
	EXPECT_EQ(-EINVAL, ew_reg_request(&c, EDGEWARD_CMD_REG_SET, &spec, &msg, &e));
	EXPECT_EQ(NULL, msg);
	EXPECT_STREQ("invalid mode 4", e.msg);
	EXPECT_EQ(-EINVAL, ew_reg_set(&c, &spec, NULL, &e));
	EXPECT_EQ(-EINVAL, ew_reg_new(&c, &spec, NULL, &e));
	/* Nor do the other checks of reg-new stay behind for reg-set. */
	spec.mode = 0;
	spec.name = "bad name";
	EXPECT_EQ(-EINVAL, ew_reg_set(&c, &spec, NULL, &e));
	EXPECT_NE(NULL, strstr(e.msg, "invalid module name"));
	spec.name = "m";
	spec.cgroup.fd = -1;
	spec.cgroup.id = 0;
	EXPECT_EQ(-EINVAL, ew_reg_set(&c, &spec, NULL, &e));
}

/* The values of every attribute of type in a built request, in order. */
static unsigned int request_u32s(struct nl_msg *msg, int type, uint32_t *out,
				 unsigned int max)
{
	struct nlattr *head, *a;
	unsigned int n = 0;
	int len, rem;

	if (ew_genl_attrs(msg, &head, &len, NULL))
		return 0;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) == type && n < max && !ew_attr_u32(a, &out[n]))
			n++;
	}
	return n;
}

TEST(reg_request_signers_flags_sig)
{
	static const uint32_t signers[3] = { 0xdeadbeef, 0, 0x00c0ffee };
	static const uint8_t sig[5] = { 0x30, 0x82, 0x00, 0x01, 0xff };
	struct ew_client c = { .nl = { .family = FAMILY } };
	struct ew_reg_spec spec = {
		.cgroup = { .fd = -1, .id = 77 },
		.name = "m",
		.gen_id = "g",
	};
	struct request_view v;
	struct nl_msg *msg;
	struct ew_error e;
	uint32_t got[EDGEWARD_SIGNERS_MAX + 1], flags;

	/* None of them given: none sent. */
	ASSERT_EQ(0, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_SIGNER]);
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_FLAGS]);
	EXPECT_EQ(0, v.count[EDGEWARD_A_REG_MANIFEST_SIG]);
	nlmsg_free(msg);

	/* Signers in the spec's order (the manifest's), flags, the signature whole. */
	spec.n_signers = 3;
	spec.signers = signers;
	spec.flags = EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST;
	spec.manifest_sig = sig;
	spec.manifest_sig_len = sizeof(sig);
	ASSERT_EQ(0, ew_reg_request(&c, EDGEWARD_CMD_REG_SET, &spec, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_REG_SET, v.cmd);
	ASSERT_EQ(3u, request_u32s(msg, EDGEWARD_A_REG_SIGNER, got, EDGEWARD_SIGNERS_MAX + 1));
	EXPECT_EQ(0xdeadbeefu, got[0]);
	EXPECT_EQ(0u, got[1]);
	EXPECT_EQ(0x00c0ffeeu, got[2]);
	ASSERT_EQ(1, v.count[EDGEWARD_A_REG_FLAGS]);
	ASSERT_EQ(0, ew_attr_u32(v.attr[EDGEWARD_A_REG_FLAGS], &flags));
	EXPECT_EQ((uint32_t)EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST, flags);
	ASSERT_EQ(1, v.count[EDGEWARD_A_REG_MANIFEST_SIG]);
	ASSERT_EQ((int)sizeof(sig), nla_len(v.attr[EDGEWARD_A_REG_MANIFEST_SIG]));
	EXPECT_EQ(0, memcmp(sig, nla_data(v.attr[EDGEWARD_A_REG_MANIFEST_SIG]), sizeof(sig)));
	nlmsg_free(msg);

	/* What the kernel would refuse never leaves the library. */
	msg = (struct nl_msg *)&c;
	spec.flags = 4;
	EXPECT_EQ(-EINVAL, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	EXPECT_STREQ("invalid flags 0x4", e.msg);
	EXPECT_EQ(NULL, msg);
	spec.flags = EW_REG_FLAGS_ALL;
	spec.n_signers = EDGEWARD_SIGNERS_MAX + 1;
	EXPECT_EQ(-E2BIG, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	EXPECT_STREQ("too many signers: 17 (at most 16)", e.msg);
	spec.n_signers = 1;
	spec.signers = NULL;
	EXPECT_EQ(-EINVAL, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	EXPECT_STREQ("signers missing", e.msg);
	spec.signers = signers;
	spec.manifest_sig_len = EDGEWARD_MANIFEST_SIG_MAX + 1;
	EXPECT_EQ(-E2BIG, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	EXPECT_STREQ("manifest signature too long: 8193 bytes (at most 8192)", e.msg);
	EXPECT_EQ(-E2BIG, ew_reg_new(&c, &spec, NULL, &e));
	EXPECT_EQ(-E2BIG, ew_reg_set(&c, &spec, NULL, &e));
	spec.manifest_sig_len = 1;
	spec.manifest_sig = NULL;
	EXPECT_EQ(-EINVAL, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e));
	EXPECT_STREQ("manifest signature missing", e.msg);
	EXPECT_EQ(NULL, msg);
}

TEST(reg_request_largest)
{
	struct ew_client c = { .nl = { .family = FAMILY } };
	static uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	static uint8_t sig[EDGEWARD_MANIFEST_SIG_MAX];
	uint32_t signers[EDGEWARD_SIGNERS_MAX], got[EDGEWARD_SIGNERS_MAX];
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	struct ew_reg_spec spec = {
		.cgroup = { .fd = 3 },
		.name = name,
		.gen_id = name,
		.n_digests = EDGEWARD_DIGESTS_MAX,
		.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests,
		.mode = EDGEWARD_MODE_ENFORCE,
		.n_signers = EDGEWARD_SIGNERS_MAX,
		.signers = signers,
		.flags = EW_REG_FLAGS_ALL,
		.manifest_sig = sig,
		.manifest_sig_len = sizeof(sig),
	};
	struct request_view v;
	struct nl_msg *msg;
	struct ew_error e;
	unsigned int i;

	/* Everything at its limit still fits one request. */
	memset(name, 'n', EDGEWARD_NAME_MAX_LEN);
	name[EDGEWARD_NAME_MAX_LEN] = '\0';
	memset(sig, 0xa5, sizeof(sig));
	for (i = 0; i < EDGEWARD_SIGNERS_MAX; i++)
		signers[i] = 0xf0000000u + i;
	ASSERT_EQ(0, ew_reg_request(&c, EDGEWARD_CMD_REG_NEW, &spec, &msg, &e)) TH_LOG("%s", e.msg);
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_DIGESTS_MAX, v.count[EDGEWARD_A_REG_DIGEST]);
	EXPECT_EQ(EDGEWARD_SIGNERS_MAX, v.count[EDGEWARD_A_REG_SIGNER]);
	ASSERT_EQ(1, v.count[EDGEWARD_A_REG_MANIFEST_SIG]);
	EXPECT_EQ(EDGEWARD_MANIFEST_SIG_MAX, nla_len(v.attr[EDGEWARD_A_REG_MANIFEST_SIG]));
	ASSERT_EQ((unsigned int)EDGEWARD_SIGNERS_MAX,
		  request_u32s(msg, EDGEWARD_A_REG_SIGNER, got, EDGEWARD_SIGNERS_MAX));
	EXPECT_EQ(0, memcmp(signers, got, sizeof(got)));
	nlmsg_free(msg);
}

TEST(lock_request)
{
	struct ew_client c = { .nl = { .family = FAMILY } };
	struct request_view v;
	struct nl_msg *msg;
	struct ew_error e;

	/* The command alone: no attributes. */
	ASSERT_EQ(0, ew_lock_request(&c, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_LOCK, v.cmd);
	EXPECT_EQ(FAMILY, nlmsg_hdr(msg)->nlmsg_type);
	EXPECT_EQ((uint32_t)(NLMSG_HDRLEN + GENL_HDRLEN), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
}

TEST(attest_request)
{
	struct ew_client c = { .nl = { .family = FAMILY } };
	struct ew_task *t = malloc(sizeof(*t));
	struct request_view v;
	struct nl_msg *msg;
	struct ew_error e;
	uint32_t pid;

	ASSERT_NE(NULL, t);
	/* By socket: exactly SOCK_FD, an s32. */
	ASSERT_EQ(0, ew_attest_request(&c, 5, 0, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_ATTEST, v.cmd);
	EXPECT_EQ(1, v.count[EDGEWARD_A_TASK_SOCK_FD]);
	EXPECT_EQ(0, v.count[EDGEWARD_A_TASK_PID]);
	EXPECT_EQ(5, nla_get_s32((struct nlattr *)v.attr[EDGEWARD_A_TASK_SOCK_FD]));
	EXPECT_EQ(4, nla_len(v.attr[EDGEWARD_A_TASK_SOCK_FD]));
	nlmsg_free(msg);
	/* fd 0 is a file descriptor like any other. */
	ASSERT_EQ(0, ew_attest_request(&c, 0, 0, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(1, v.count[EDGEWARD_A_TASK_SOCK_FD]);
	nlmsg_free(msg);

	/* By pid: exactly PID. */
	ASSERT_EQ(0, ew_attest_request(&c, -1, INT_MAX, &msg, &e));
	ASSERT_EQ(0, view_request(msg, &v));
	EXPECT_EQ(EDGEWARD_CMD_ATTEST, v.cmd);
	EXPECT_EQ(0, v.count[EDGEWARD_A_TASK_SOCK_FD]);
	ASSERT_EQ(1, v.count[EDGEWARD_A_TASK_PID]);
	ASSERT_EQ(0, ew_attr_u32(v.attr[EDGEWARD_A_TASK_PID], &pid));
	EXPECT_EQ((uint32_t)INT_MAX, pid);
	nlmsg_free(msg);

	/* What is no process never leaves the library. */
	EXPECT_EQ(-EINVAL, ew_attest_request(&c, -1, 0, &msg, &e));
	EXPECT_EQ(NULL, msg);
	EXPECT_EQ(-EINVAL, ew_attest_request(&c, -1, (uint32_t)INT_MAX + 1, &msg, &e));
	EXPECT_EQ(-EINVAL, ew_attest_pid(&c, 0, t, &e));
	EXPECT_STREQ("invalid process id 0", e.msg);
	EXPECT_EQ(-EBADF, ew_attest_fd(&c, -1, t, &e));
	EXPECT_STREQ("invalid socket fd -1", e.msg);
	free(t);
}

/*
 * An NLMSG_ERROR as the kernel builds it: the echoed request (header only
 * when capped), then the extended ACK attributes.
 */
static struct nl_msg *error_msg(int error, bool capped, bool tlvs)
{
	struct nl_msg *m = nlmsg_alloc_size(4096);
	struct nlmsghdr *h;
	struct nlmsgerr err = { .error = error };
	uint8_t payload[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

	if (!m)
		return NULL;
	h = nlmsg_put(m, 0, 7, NLMSG_ERROR, 0, 0);
	err.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : sizeof(payload));
	err.msg.nlmsg_type = FAMILY;
	err.msg.nlmsg_seq = 7;
	nlmsg_append(m, &err, sizeof(err), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(m, payload, sizeof(payload), NLMSG_ALIGNTO);
	h->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	if (tlvs) {
		h->nlmsg_flags |= NLM_F_ACK_TLVS;
		nla_put_string(m, NLMSGERR_ATTR_MSG, "cgroup is already registered");
		nla_put_u32(m, NLMSGERR_ATTR_OFFS, 36);
		nla_put_u32(m, NLMSGERR_ATTR_MISS_TYPE, EDGEWARD_A_REG_NAME);
		nla_put_u32(m, 99, 0);		/* unknown: ignored */
	}
	return m;
}

TEST(nlmsgerr_extack_capped)
{
	struct nl_msg *m = error_msg(-EEXIST, true, true);
	struct ew_error e;

	ASSERT_NE(NULL, m);
	EXPECT_EQ(-EEXIST, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "registering"));
	EXPECT_EQ(-EEXIST, e.err);
	EXPECT_STREQ("cgroup is already registered", e.msg);
	EXPECT_EQ(36u, e.bad_attr_offset);
	EXPECT_EQ((uint32_t)EDGEWARD_A_REG_NAME, e.missing_attr);
	nlmsg_free(m);
}

TEST(nlmsgerr_extack_uncapped)
{
	struct nl_msg *m = error_msg(-EINVAL, false, true);
	struct ew_error e;

	ASSERT_NE(NULL, m);
	EXPECT_EQ(-EINVAL, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "registering"));
	/* The echoed request is stepped over to reach the attributes. */
	EXPECT_STREQ("cgroup is already registered", e.msg);
	EXPECT_EQ(36u, e.bad_attr_offset);
	nlmsg_free(m);
}

TEST(nlmsgerr_without_extack)
{
	struct nl_msg *m = error_msg(-ENOENT, true, false);
	struct ew_error e;

	ASSERT_NE(NULL, m);
	EXPECT_EQ(-ENOENT, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "removing the registration"));
	EXPECT_STREQ("removing the registration: No such file or directory", e.msg);
	EXPECT_EQ(0u, e.missing_attr);
	EXPECT_EQ(0u, e.bad_attr_offset);
	nlmsg_free(m);
}

TEST(nlmsgerr_eperm_messages)
{
	struct nl_msg *m = error_msg(-EPERM, true, false);
	struct ew_error e;

	/* Without a message from the kernel: the capability, the usual cause. */
	ASSERT_NE(NULL, m);
	EXPECT_EQ(-EPERM, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "x"));
	EXPECT_STREQ("permission denied: edgeward requires CAP_SYS_ADMIN", e.msg);
	nlmsg_free(m);

	/* With one, it says which cause: a locked module, a missing signature. */
	m = error_msg(-EPERM, true, false);
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_string(m, NLMSGERR_ATTR_MSG, "locked: the mode cannot be lowered");
	EXPECT_EQ(-EPERM, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "setting the mode"));
	EXPECT_STREQ("permission denied: locked: the mode cannot be lowered", e.msg);
	nlmsg_free(m);
	m = error_msg(-EPERM, false, false);
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put_string(m, NLMSGERR_ATTR_MSG, "edgeward requires CAP_SYS_ADMIN");
	EXPECT_EQ(-EPERM, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "x"));
	EXPECT_STREQ("permission denied: edgeward requires CAP_SYS_ADMIN", e.msg);
	nlmsg_free(m);
}

TEST(nlmsgerr_ack_and_malformed)
{
	struct nl_msg *m = error_msg(0, true, false);
	struct ew_error e = { .err = 1 };
	struct nlmsghdr *h;

	ASSERT_NE(NULL, m);
	EXPECT_EQ(0, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "x"));
	nlmsg_free(m);

	m = error_msg(-EINVAL, true, false);
	h = nlmsg_hdr(m);
	h->nlmsg_len = NLMSG_HDRLEN + 2;	/* no room for struct nlmsgerr */
	EXPECT_EQ(-EPROTO, ew_parse_nlmsgerr(h, &e, "x"));
	EXPECT_EQ(-EPROTO, e.err);
	nlmsg_free(m);

	m = error_msg(5, true, false);		/* errors are negative */
	EXPECT_EQ(-EPROTO, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "x"));
	nlmsg_free(m);

	/* A message attribute without its NUL is not trusted. */
	m = error_msg(-EINVAL, true, false);
	nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put(m, NLMSGERR_ATTR_MSG, 5, "bogus");
	EXPECT_EQ(-EINVAL, ew_parse_nlmsgerr(nlmsg_hdr(m), &e, "setting the mode"));
	EXPECT_STREQ("setting the mode: Invalid argument", e.msg);
	nlmsg_free(m);

	/* A NULL ew_error is allowed. */
	m = error_msg(-EEXIST, true, true);
	EXPECT_EQ(-EEXIST, ew_parse_nlmsgerr(nlmsg_hdr(m), NULL, "x"));
	nlmsg_free(m);
}

TEST(nlmsgdone_status)
{
	struct nl_msg *m = nlmsg_alloc_size(4096);
	struct ew_error e;
	int status = -EMSGSIZE;

	ASSERT_NE(NULL, m);
	nlmsg_put(m, 0, 7, NLMSG_DONE, 0, NLM_F_MULTI | NLM_F_ACK_TLVS);
	nlmsg_append(m, &status, sizeof(status), NLMSG_ALIGNTO);
	nla_put_string(m, NLMSGERR_ATTR_MSG, "dump failed");
	EXPECT_EQ(-EMSGSIZE, ew_parse_nlmsgdone(nlmsg_hdr(m), &e, "listing"));
	EXPECT_STREQ("dump failed", e.msg);
	nlmsg_free(m);

	m = nlmsg_alloc_size(4096);
	status = 0;
	nlmsg_put(m, 0, 7, NLMSG_DONE, 0, NLM_F_MULTI);
	nlmsg_append(m, &status, sizeof(status), NLMSG_ALIGNTO);
	EXPECT_EQ(0, ew_parse_nlmsgdone(nlmsg_hdr(m), &e, "listing"));
	nlmsg_free(m);

	/* An empty DONE (no status) ends a dump successfully. */
	m = nlmsg_alloc_size(4096);
	nlmsg_put(m, 0, 7, NLMSG_DONE, 0, NLM_F_MULTI);
	EXPECT_EQ(0, ew_parse_nlmsgdone(nlmsg_hdr(m), &e, "listing"));
	nlmsg_free(m);
}

TEST(error_helpers)
{
	struct ew_error e;

	EXPECT_EQ(-EIO, ew_err_set(&e, -EIO, "%s %d", "x", 3));
	EXPECT_EQ(-EIO, e.err);
	EXPECT_STREQ("x 3", e.msg);
	EXPECT_EQ(-EPERM, ew_err_errno(&e, -EPERM, "anything"));
	EXPECT_STREQ("permission denied: edgeward requires CAP_SYS_ADMIN", e.msg);
	EXPECT_EQ(-EBADF, ew_err_errno(&e, -EBADF, "registering the module"));
	EXPECT_STREQ("registering the module: Bad file descriptor", e.msg);
	ew_err_clear(&e);
	EXPECT_EQ(0, e.err);
	EXPECT_STREQ("", e.msg);
	/* NULL is accepted everywhere. */
	EXPECT_EQ(-EIO, ew_err_set(NULL, -EIO, "x"));
	EXPECT_EQ(-EIO, ew_err_errno(NULL, -EIO, "x"));
}

TEST(attr_readers)
{
	struct nl_msg *m = genl_msg(1);
	struct nlattr *head, *a;
	char buf[4];
	uint32_t v32;
	uint64_t v64;
	int len, rem, i = 0;

	ASSERT_NE(NULL, m);
	nla_put_u32(m, 1, 0x12345678);
	nla_put_u64(m, 2, 0x1122334455667788ull);
	nla_put_string(m, 3, "abc");
	nla_put_string(m, 4, "abcd");	/* one byte too long for buf */
	ASSERT_EQ(0, ew_genl_attrs(m, &head, &len, NULL));
	nla_for_each_attr(a, head, len, rem) {
		switch (i++) {
		case 0:
			EXPECT_EQ(0, ew_attr_u32(a, &v32));
			EXPECT_EQ(0x12345678u, v32);
			EXPECT_EQ(-EPROTO, ew_attr_u64(a, &v64));
			break;
		case 1:
			EXPECT_EQ(0, ew_attr_u64(a, &v64));
			EXPECT_EQ(0x1122334455667788ull, v64);
			EXPECT_EQ(-EPROTO, ew_attr_u32(a, &v32));
			break;
		case 2:
			EXPECT_EQ(0, ew_attr_str(a, buf, sizeof(buf)));
			EXPECT_STREQ("abc", buf);
			break;
		case 3:
			EXPECT_EQ(-EPROTO, ew_attr_str(a, buf, sizeof(buf)));
			break;
		}
	}
	EXPECT_EQ(4, i);
	nlmsg_free(m);
}

TEST(command_names)
{
	EXPECT_STREQ("reg-new", ew_cmd_name(EDGEWARD_CMD_REG_NEW));
	EXPECT_STREQ("mode-change-ntf", ew_cmd_name(EDGEWARD_CMD_MODE_CHANGE_NTF));
	EXPECT_STREQ("reg-set", ew_cmd_name(EDGEWARD_CMD_REG_SET));
	EXPECT_STREQ("reg-change-ntf", ew_cmd_name(EDGEWARD_CMD_REG_CHANGE_NTF));
	EXPECT_STREQ("exec-ntf", ew_cmd_name(EDGEWARD_CMD_EXEC_NTF));
	EXPECT_STREQ("attest", ew_cmd_name(EDGEWARD_CMD_ATTEST));
	EXPECT_STREQ("lock", ew_cmd_name(EDGEWARD_CMD_LOCK));
	EXPECT_STREQ("lock-ntf", ew_cmd_name(EDGEWARD_CMD_LOCK_NTF));
	EXPECT_STREQ("request", ew_cmd_name(EDGEWARD_CMD_MAX + 1));
	EXPECT_STREQ("request", ew_cmd_name(0));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of lib/names.c: enum names, digests, the module id alphabet
 * and cgroup ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "edgeward.h"

/* The alphabet of uapi/linux/edgeward.h, spelled out independently. */
static const char allowed[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	"-:.+%_#*?!(),=@$'";

static const char digest_hex[] =
	"000102030405060708090a0b0c0d0e0f"
	"f0e1d2c3b4a5968778695a4b3c2d1e0f";
static const uint8_t digest_bin[EDGEWARD_DIGEST_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
	0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f,
};

TEST(mode_names)
{
	EXPECT_STREQ("off", ew_mode_name(EDGEWARD_MODE_OFF));
	EXPECT_STREQ("audit", ew_mode_name(EDGEWARD_MODE_AUDIT));
	EXPECT_STREQ("enforce", ew_mode_name(EDGEWARD_MODE_ENFORCE));
	EXPECT_STREQ("unknown", ew_mode_name(0));
	EXPECT_STREQ("unknown", ew_mode_name(EDGEWARD_MODE_MAX + 1));
	EXPECT_STREQ("unknown", ew_mode_name(UINT32_MAX));
}

TEST(mode_round_trip)
{
	uint32_t m, parsed;

	for (m = EDGEWARD_MODE_OFF; m <= EDGEWARD_MODE_MAX; m++) {
		parsed = 0;
		ASSERT_EQ(0, ew_mode_parse(ew_mode_name(m), &parsed));
		EXPECT_EQ(m, parsed);
	}
}

TEST(mode_parse_rejects)
{
	static const char *const bad[] = {
		"", "OFF", "Audit", "enforce ", " off", "unknown", "0", "1",
		"of", "enforced", "audit\n",
	};
	uint32_t m = 42;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, ew_mode_parse(bad[i], &m)) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(42u, m);
	}
	EXPECT_EQ(-EINVAL, ew_mode_parse(NULL, &m));
}

TEST(state_names)
{
	EXPECT_STREQ("absent", ew_ima_state_name(EDGEWARD_IMA_STATE_ABSENT));
	EXPECT_STREQ("available", ew_ima_state_name(EDGEWARD_IMA_STATE_AVAILABLE));
	EXPECT_STREQ("not-configured",
		     ew_ima_state_name(EDGEWARD_IMA_STATE_NOT_CONFIGURED));
	EXPECT_STREQ("measuring", ew_ima_state_name(EDGEWARD_IMA_STATE_MEASURING));
	EXPECT_STREQ("unknown", ew_ima_state_name(0));
	EXPECT_STREQ("unknown", ew_ima_state_name(EDGEWARD_IMA_STATE_MAX + 1));
	EXPECT_STREQ("absent", ew_keyring_state_name(EDGEWARD_KEYRING_STATE_ABSENT));
	EXPECT_STREQ("available",
		     ew_keyring_state_name(EDGEWARD_KEYRING_STATE_AVAILABLE));
	EXPECT_STREQ("test-keys",
		     ew_keyring_state_name(EDGEWARD_KEYRING_STATE_TEST_KEYS));
	EXPECT_STREQ("unknown", ew_keyring_state_name(0));
	EXPECT_STREQ("unknown", ew_keyring_state_name(EDGEWARD_KEYRING_STATE_MAX + 1));
}

TEST(verdict_names)
{
	EXPECT_STREQ("allowed", ew_verdict_name(EDGEWARD_VERDICT_ALLOWED));
	EXPECT_STREQ("denied", ew_verdict_name(EDGEWARD_VERDICT_DENIED));
	EXPECT_STREQ("audited", ew_verdict_name(EDGEWARD_VERDICT_AUDITED));
	EXPECT_STREQ("unmeasured", ew_verdict_name(EDGEWARD_VERDICT_UNMEASURED));
	EXPECT_STREQ("unjudged", ew_verdict_name(EDGEWARD_VERDICT_UNJUDGED));
	EXPECT_STREQ("signed", ew_verdict_name(EDGEWARD_VERDICT_SIGNED));
	EXPECT_STREQ("unknown", ew_verdict_name(0));
	EXPECT_STREQ("unknown", ew_verdict_name(EDGEWARD_VERDICT_MAX + 1));
	EXPECT_STREQ("unknown", ew_verdict_name(UINT32_MAX));
}

TEST(event_names)
{
	EXPECT_STREQ("reg-add", ew_event_name(EDGEWARD_CMD_REG_ADD_NTF));
	EXPECT_STREQ("reg-del", ew_event_name(EDGEWARD_CMD_REG_DEL_NTF));
	EXPECT_STREQ("reg-change", ew_event_name(EDGEWARD_CMD_REG_CHANGE_NTF));
	EXPECT_STREQ("mode-change", ew_event_name(EDGEWARD_CMD_MODE_CHANGE_NTF));
	EXPECT_STREQ("exec", ew_event_name(EDGEWARD_CMD_EXEC_NTF));
	EXPECT_STREQ("lock", ew_event_name(EDGEWARD_CMD_LOCK_NTF));
	/* Requests are not events. */
	EXPECT_STREQ("unknown", ew_event_name(0));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_STATUS_GET));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_MODE_SET));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_REG_SET));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_ATTEST));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_LOCK));
	EXPECT_STREQ("unknown", ew_event_name(EDGEWARD_CMD_MAX + 1));
}

TEST(reg_flag_names)
{
	uint32_t bit;

	EXPECT_STREQ("agent", ew_reg_flag_name(EDGEWARD_REG_FLAGS_AGENT));
	EXPECT_STREQ("require-signed-manifest",
		     ew_reg_flag_name(EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST));
	/* One bit at a time, and only the contract's. */
	EXPECT_EQ(NULL, ew_reg_flag_name(0));
	EXPECT_EQ(NULL, ew_reg_flag_name(EW_REG_FLAGS_ALL));
	for (bit = 4; bit; bit <<= 1)
		EXPECT_EQ(NULL, ew_reg_flag_name(bit)) TH_LOG("0x%x", bit);
}

TEST(reg_flags_format)
{
	static const struct {
		uint32_t flags;
		const char *text;
	} cases[] = {
		{ 0, "" },
		{ 1, "agent" },
		{ 2, "require-signed-manifest" },
		{ 3, "agent,require-signed-manifest" },
		{ 4, "0x4" },
		{ 5, "agent,0x4" },
		{ 0xffffffff, "agent,require-signed-manifest,0xfffffffc" },
	};
	char out[EW_REG_FLAGS_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'X', sizeof(out));
		ew_reg_flags_format(cases[i].flags, out);
		EXPECT_STREQ(cases[i].text, out) TH_LOG("0x%x", cases[i].flags);
	}
}

TEST(reg_flags_parse)
{
	static const struct {
		const char *text;
		uint32_t flags;
	} good[] = {
		{ "", 0 },
		{ "agent", 1 },
		{ "require-signed-manifest", 2 },
		{ "agent,require-signed-manifest", 3 },
		{ "require-signed-manifest,agent", 3 },
	};
	static const char *const bad[] = {
		"agent,", ",agent", "agent,,require-signed-manifest", ",", "agent,agent",
		"Agent", "agent ", " agent", "agent, require-signed-manifest", "1",
		"0x1", "none", "require-signed", "agentx", "0x4", "agent;require-signed-manifest",
	};
	uint32_t flags, round;
	char text[EW_REG_FLAGS_STRLEN];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		flags = 0xdead;
		ASSERT_EQ(0, ew_reg_flags_parse(good[i].text, &flags)) TH_LOG("'%s'", good[i].text);
		EXPECT_EQ(good[i].flags, flags);
		/* Formatting gives it back (in bit order). */
		ew_reg_flags_format(flags, text);
		ASSERT_EQ(0, ew_reg_flags_parse(text, &round));
		EXPECT_EQ(flags, round);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		flags = 0xdead;
		EXPECT_EQ(-EINVAL, ew_reg_flags_parse(bad[i], &flags)) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(0xdeadu, flags);
	}
	EXPECT_EQ(-EINVAL, ew_reg_flags_parse(NULL, &flags));
}

TEST(signer_format_and_parse)
{
	static const struct {
		const char *hex;
		uint32_t id;
	} good[] = {
		{ "00000000", 0 },
		{ "00000001", 1 },
		{ "deadbeef", 0xdeadbeef },
		{ "DEADBEEF", 0xdeadbeef },
		{ "DeAdBeEf", 0xdeadbeef },
		{ "ffffffff", 0xffffffff },
		{ "0a1b2c3d", 0x0a1b2c3d },
	};
	static const char *const bad[] = {
		"", "0", "1234567", "123456789", "0x123456", "1234567g", " 1234567",
		"1234567 ", "-1234567", "+1234567", "deadbeef\n",
	};
	char out[9];
	uint32_t id;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		id = 42;
		ASSERT_EQ(0, ew_signer_parse(good[i].hex, &id)) TH_LOG("'%s'", good[i].hex);
		EXPECT_EQ(good[i].id, id);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id = 42;
		EXPECT_EQ(-EINVAL, ew_signer_parse(bad[i], &id)) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(42u, id);
	}
	EXPECT_EQ(-EINVAL, ew_signer_parse(NULL, &id));
	/* Always 8 lowercase digits, leading zeros kept. */
	ew_signer_format(0, out);
	EXPECT_STREQ("00000000", out);
	ew_signer_format(0xabc, out);
	EXPECT_STREQ("00000abc", out);
	ew_signer_format(0xDEADBEEF, out);
	EXPECT_STREQ("deadbeef", out);
	ew_signer_format(0xffffffff, out);
	EXPECT_STREQ("ffffffff", out);
}

TEST(digest_parse_good)
{
	uint8_t d[EDGEWARD_DIGEST_LEN];
	char hex[2 * EDGEWARD_DIGEST_LEN + 1];

	ASSERT_EQ(0, ew_digest_parse(digest_hex, d));
	EXPECT_EQ(0, memcmp(d, digest_bin, sizeof(d)));
	ew_digest_format(d, hex);
	EXPECT_STREQ(digest_hex, hex);
}

TEST(digest_parse_uppercase)
{
	char upper[sizeof(digest_hex)], mixed[sizeof(digest_hex)];
	char hex[2 * EDGEWARD_DIGEST_LEN + 1];
	uint8_t d[EDGEWARD_DIGEST_LEN];
	size_t i;

	for (i = 0; i < sizeof(digest_hex); i++) {
		upper[i] = (char)toupper((unsigned char)digest_hex[i]);
		mixed[i] = i % 2 ? upper[i] : digest_hex[i];
	}
	ASSERT_EQ(0, ew_digest_parse(upper, d));
	EXPECT_EQ(0, memcmp(d, digest_bin, sizeof(d)));
	/* Formatting is always lowercase. */
	ew_digest_format(d, hex);
	EXPECT_STREQ(digest_hex, hex);
	memset(d, 0, sizeof(d));
	ASSERT_EQ(0, ew_digest_parse(mixed, d));
	EXPECT_EQ(0, memcmp(d, digest_bin, sizeof(d)));
}

TEST(digest_parse_wrong_length)
{
	char buf[2 * EDGEWARD_DIGEST_LEN + 3];
	uint8_t d[EDGEWARD_DIGEST_LEN], before[EDGEWARD_DIGEST_LEN];
	size_t lens[] = { 0, 1, 2, 62, 63, 65, 66 };
	size_t i;

	memset(d, 0xa5, sizeof(d));
	memcpy(before, d, sizeof(d));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(buf, 'a', lens[i]);
		buf[lens[i]] = '\0';
		EXPECT_EQ(-EINVAL, ew_digest_parse(buf, d)) TH_LOG("length %zu", lens[i]);
	}
	EXPECT_EQ(-EINVAL, ew_digest_parse(NULL, d));
	/* A failed parse leaves the output alone. */
	EXPECT_EQ(0, memcmp(d, before, sizeof(d)));
}

TEST(digest_parse_non_hex)
{
	static const char bad[] = { 'g', 'G', 'x', ' ', '-', '+', ':', '\n', '\x80', '\xff' };
	size_t positions[] = { 0, 1, 31, 62, 63 };
	uint8_t d[EDGEWARD_DIGEST_LEN], before[EDGEWARD_DIGEST_LEN];
	char buf[sizeof(digest_hex)];
	size_t i, j;

	memset(d, 0x5a, sizeof(d));
	memcpy(before, d, sizeof(d));
	for (i = 0; i < sizeof(bad); i++) {
		for (j = 0; j < sizeof(positions) / sizeof(positions[0]); j++) {
			memcpy(buf, digest_hex, sizeof(buf));
			buf[positions[j]] = bad[i];
			EXPECT_EQ(-EINVAL, ew_digest_parse(buf, d))
				TH_LOG("0x%02x at %zu", (unsigned char)bad[i], positions[j]);
		}
	}
	/* "0x" prefixes and embedded NULs are not hex digits either. */
	EXPECT_EQ(-EINVAL, ew_digest_parse("0x000102030405060708090a0b0c0d0e0ff0e1d2c3b4a5968778695a4b3c2d1e", d));
	memcpy(buf, digest_hex, sizeof(buf));
	buf[10] = '\0';
	EXPECT_EQ(-EINVAL, ew_digest_parse(buf, d));
	EXPECT_EQ(0, memcmp(d, before, sizeof(d)));
}

TEST(digest_format_every_byte)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1], want[8];
	uint8_t d[EDGEWARD_DIGEST_LEN], back[EDGEWARD_DIGEST_LEN];
	unsigned int v, i;

	for (v = 0; v < 256; v += EDGEWARD_DIGEST_LEN) {
		for (i = 0; i < EDGEWARD_DIGEST_LEN; i++)
			d[i] = (uint8_t)(v + i);
		ew_digest_format(d, hex);
		ASSERT_EQ((size_t)(2 * EDGEWARD_DIGEST_LEN), strlen(hex));
		for (i = 0; i < EDGEWARD_DIGEST_LEN; i++) {
			snprintf(want, sizeof(want), "%02x", v + i);
			EXPECT_EQ(0, strncmp(want, hex + 2 * i, 2));
		}
		ASSERT_EQ(0, ew_digest_parse(hex, back));
		EXPECT_EQ(0, memcmp(d, back, sizeof(d)));
	}
}

TEST(ident_every_allowed_character)
{
	char s[2] = { 0 };
	size_t i;

	ASSERT_EQ((size_t)(26 + 26 + 10 + 17), strlen(allowed));
	for (i = 0; allowed[i]; i++) {
		s[0] = allowed[i];
		EXPECT_TRUE(ew_ident_valid(s)) TH_LOG("'%c'", allowed[i]);
		EXPECT_TRUE(ew_ident_char_valid((unsigned char)allowed[i]));
	}
	/* All of them at once (79 characters, within the limit). */
	EXPECT_TRUE(ew_ident_valid(allowed));
}

TEST(ident_every_other_character)
{
	char s[4] = { 'a', 0, 'b', 0 };
	int c;

	for (c = 1; c < 256; c++) {
		if (strchr(allowed, c))
			continue;
		s[1] = (char)c;
		EXPECT_FALSE(ew_ident_valid(s)) TH_LOG("0x%02x", c);
		EXPECT_FALSE(ew_ident_char_valid(c)) TH_LOG("0x%02x", c);
	}
	EXPECT_FALSE(ew_ident_char_valid('\0'));
}

TEST(ident_forbidden_samples)
{
	static const char *const bad[] = {
		"a b", "a/b", "a\nb", "a\"b", "a;b", "a\\b", "a~b", "a`b",
		"a<b", "a[b", "a{b", "a&b", "a^b", "a|b", "caf\xc3\xa9", "\xff",
		"a\tb", " ", "/",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_FALSE(ew_ident_valid(bad[i])) TH_LOG("#%zu", i);
}

TEST(ident_boundary_lengths)
{
	char s[EDGEWARD_NAME_MAX_LEN + 2];

	EXPECT_FALSE(ew_ident_valid(""));
	EXPECT_FALSE(ew_ident_valid(NULL));
	EXPECT_TRUE(ew_ident_valid("m"));
	memset(s, 'x', sizeof(s));
	s[EDGEWARD_NAME_MAX_LEN] = '\0';
	EXPECT_TRUE(ew_ident_valid(s));			/* 128 */
	s[EDGEWARD_NAME_MAX_LEN - 1] = '\'';		/* last character counts */
	EXPECT_TRUE(ew_ident_valid(s));
	s[EDGEWARD_NAME_MAX_LEN - 1] = ' ';
	EXPECT_FALSE(ew_ident_valid(s));
	s[EDGEWARD_NAME_MAX_LEN - 1] = 'x';
	s[EDGEWARD_NAME_MAX_LEN] = 'x';
	s[EDGEWARD_NAME_MAX_LEN + 1] = '\0';
	EXPECT_FALSE(ew_ident_valid(s));		/* 129 */
}

/* The first cgroup v2 mount, if this machine has one. */
static bool find_cgroup2(char *path, size_t size)
{
	struct mntent *m;
	bool found = false;
	FILE *f;

	f = setmntent("/proc/self/mounts", "r");
	if (!f)
		return false;
	while (!found && (m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(path, size, "%s", m->mnt_dir);
			found = true;
		}
	}
	endmntent(f);
	return found;
}

TEST(cgroup_id_of_cgroup2_dir)
{
	char path[PATH_MAX];
	struct stat st;
	uint64_t id = 0, id2 = 0;
	int fd;

	if (!find_cgroup2(path, sizeof(path)))
		SKIP(return, "no cgroup v2 mount");
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, ew_cgroup_id_of_path(path, &id));
	/* On 64-bit, a cgroup's id is its inode number in cgroupfs. */
	if (sizeof(ino_t) == sizeof(uint64_t))
		EXPECT_EQ((uint64_t)st.st_ino, id);
	EXPECT_NE(0u, id);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ew_cgroup_id_of_fd(fd, &id2));
	EXPECT_EQ(id, id2);
	close(fd);
}

TEST(cgroup_id_errors)
{
	char dir[] = "/tmp/ew-test-XXXXXX", file[PATH_MAX], path[PATH_MAX];
	uint64_t id = 7;
	struct stat st;
	int fd;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	fd = open(file, O_CREAT | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/missing", dir);

	EXPECT_EQ(-ENOENT, ew_cgroup_id_of_path(path, &id));
	EXPECT_EQ(-ENOTDIR, ew_cgroup_id_of_path(file, &id));
	/* A directory, but not in cgroup v2 (unless /tmp is cgroupfs...). */
	EXPECT_EQ(-EMEDIUMTYPE, ew_cgroup_id_of_path(dir, &id));
	EXPECT_EQ(7u, id);

	/* A cgroup v1 hierarchy is not accepted either. */
	if (stat("/sys/fs/cgroup/pids/tasks", &st) == 0)
		EXPECT_EQ(-EMEDIUMTYPE, ew_cgroup_id_of_path("/sys/fs/cgroup/pids", &id));

	unlink(file);
	rmdir(dir);
}

TEST_HARNESS_MAIN

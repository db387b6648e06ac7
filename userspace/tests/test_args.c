// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of edgewardctl's command line parser (ctl/args.c). */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "args.h"
#include "edgeward.h"

#define ERRLEN 512

#define DIGEST_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define DIGEST_B "FFEEDDCCBBAA99887766554433221100ffeeddccbbaa99887766554433221100"

/* Parses a NULL-terminated argument list after the program name. */
static int parse_list(struct ctl_args *a, char *err, char **args)
{
	char *argv[80] = { "edgewardctl" };
	int argc = 1;

	while (*args && argc < 79)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	return ctl_parse_args(argc, argv, a, err, ERRLEN);
}

#define PARSE(a, err, ...) parse_list(a, err, (char *[]){ __VA_ARGS__, NULL })

/* Expects a usage error whose message contains want. */
#define EXPECT_USAGE(want, ...) do {					\
	struct ctl_args _a;						\
	char _err[ERRLEN];						\
	EXPECT_EQ(-EINVAL, PARSE(&_a, _err, __VA_ARGS__));		\
	EXPECT_NE(NULL, strstr(_err, want))				\
		TH_LOG("message '%s' lacks '%s'", _err, want);	\
} while (0)

TEST(no_command)
{
	struct ctl_args a;
	char err[ERRLEN];
	char *argv[] = { "edgewardctl", NULL };

	EXPECT_EQ(-EINVAL, ctl_parse_args(1, argv, &a, err, sizeof(err)));
	EXPECT_STREQ("no command given", err);
	EXPECT_USAGE("no command given", "--json");
}

TEST(help_and_version)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "--help"));
	EXPECT_EQ(CTL_CMD_HELP, (int)a.cmd);
	ASSERT_EQ(0, PARSE(&a, err, "-h"));
	EXPECT_EQ(CTL_CMD_HELP, (int)a.cmd);
	/* Help after a command still means help, even if incomplete. */
	ASSERT_EQ(0, PARSE(&a, err, "register", "--help"));
	EXPECT_EQ(CTL_CMD_HELP, (int)a.cmd);
	ASSERT_EQ(0, PARSE(&a, err, "--version"));
	EXPECT_EQ(CTL_CMD_VERSION, (int)a.cmd);
	EXPECT_USAGE("--help takes no value", "--help=yes");
	EXPECT_USAGE("unknown option '-H'", "-H");
	EXPECT_USAGE("unknown option '-hh'", "-hh");
}

TEST(unknown_command_and_option)
{
	EXPECT_USAGE("unknown command 'stat'", "stat");
	EXPECT_USAGE("unknown command '-'", "-");
	EXPECT_USAGE("unknown option '--bogus'", "--bogus");
	EXPECT_USAGE("unknown option '--bogus'", "--bogus=1", "status");
	EXPECT_USAGE("unknown option '--'", "--", "status");
	EXPECT_USAGE("unexpected argument 'now'", "status", "now");
	EXPECT_USAGE("unexpected argument 'x'", "list", "x");
}

TEST(status_and_list)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "status"));
	EXPECT_EQ(CTL_CMD_STATUS, (int)a.cmd);
	EXPECT_FALSE(a.json);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "status"));
	EXPECT_EQ(CTL_CMD_STATUS, (int)a.cmd);
	EXPECT_TRUE(a.json);
	ASSERT_EQ(0, PARSE(&a, err, "list", "--json"));
	EXPECT_EQ(CTL_CMD_LIST, (int)a.cmd);
	EXPECT_TRUE(a.json);
	EXPECT_USAGE("--json takes no value", "--json=1", "list");
	EXPECT_USAGE("'status' takes no option --count", "status", "--count", "1");
	EXPECT_USAGE("'list' takes no option --name", "list", "--name", "x");
}

TEST(register_full)
{
	struct ctl_args a;
	char err[ERRLEN];
	uint8_t d[EDGEWARD_DIGEST_LEN];

	ASSERT_EQ(0, PARSE(&a, err, "register", "--name", "mod-1", "--gen-id",
			   "637:42", "--cgroup", "/sys/fs/cgroup/edge/m1",
			   "--digest", DIGEST_A, "--digest=" DIGEST_B))
		TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_REGISTER, (int)a.cmd);
	EXPECT_STREQ("mod-1", a.name);
	EXPECT_STREQ("637:42", a.gen_id);
	EXPECT_STREQ("/sys/fs/cgroup/edge/m1", a.cgroup_path);
	EXPECT_FALSE(a.has_cgroup_id);
	ASSERT_EQ(2u, a.n_digests);
	ASSERT_EQ(0, ew_digest_parse(DIGEST_A, d));
	EXPECT_EQ(0, memcmp(d, a.digests[0], sizeof(d)));
	ASSERT_EQ(0, ew_digest_parse(DIGEST_B, d));
	EXPECT_EQ(0, memcmp(d, a.digests[1], sizeof(d)));
	EXPECT_EQ(0xff, a.digests[1][0]);
	EXPECT_FALSE(a.json);
}

TEST(register_by_id_and_equals_forms)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "--json", "register", "--name=m",
			   "--gen-id=g", "--cgroup-id=18446744073709551615"))
		TH_LOG("%s", err);
	EXPECT_TRUE(a.json);
	EXPECT_STREQ("m", a.name);
	EXPECT_STREQ("g", a.gen_id);
	EXPECT_TRUE(a.has_cgroup_id);
	EXPECT_EQ(UINT64_MAX, a.cgroup_id);
	EXPECT_EQ(NULL, a.cgroup_path);
	EXPECT_EQ(0u, a.n_digests);
}

TEST(register_values_may_start_with_dash)
{
	struct ctl_args a;
	char err[ERRLEN];

	/* '-' is in the alphabet: "--name -x" names the module "-x". */
	ASSERT_EQ(0, PARSE(&a, err, "register", "--name", "-x", "--gen-id",
			   "--", "--cgroup-id", "7"))
		TH_LOG("%s", err);
	EXPECT_STREQ("-x", a.name);
	EXPECT_STREQ("--", a.gen_id);
	EXPECT_EQ(7u, a.cgroup_id);
}

TEST(register_required_options)
{
	EXPECT_USAGE("register: --name NAME is required",
		     "register", "--gen-id", "g", "--cgroup-id", "1");
	EXPECT_USAGE("register: --gen-id GENID is required",
		     "register", "--name", "n", "--cgroup-id", "1");
	EXPECT_USAGE("register: one of --cgroup PATH or --cgroup-id ID is required",
		     "register", "--name", "n", "--gen-id", "g");
	EXPECT_USAGE("register: give either --cgroup or --cgroup-id, not both",
		     "register", "--name", "n", "--gen-id", "g", "--cgroup", "/x",
		     "--cgroup-id", "1");
	EXPECT_USAGE("option --name requires a value", "register", "--name");
	EXPECT_USAGE("option --name must follow the command", "--name", "n", "register");
	EXPECT_USAGE("--name given twice", "register", "--name", "a", "--name", "b");
	EXPECT_USAGE("--gen-id given twice", "register", "--gen-id", "a", "--gen-id=b");
	EXPECT_USAGE("--cgroup given twice", "register", "--cgroup", "/a", "--cgroup", "/b");
	EXPECT_USAGE("--cgroup-id given twice", "register", "--cgroup-id", "1",
		     "--cgroup-id", "1");
	EXPECT_USAGE("--cgroup: empty path", "register", "--cgroup", "");
}

TEST(register_name_alphabet)
{
	char long_name[EDGEWARD_NAME_MAX_LEN + 2];
	struct ctl_args a;
	char err[ERRLEN];

	EXPECT_USAGE("--name: invalid character ' ' at position 2", "register", "--name", "a b");
	EXPECT_USAGE("--name: invalid character '/' at position 1", "register", "--name", "/x");
	EXPECT_USAGE("--gen-id: invalid character '\"' at position 3",
		     "register", "--gen-id", "ab\"");
	EXPECT_USAGE("--name: invalid character \\x0a at position 2", "register",
		     "--name", "a\nb");
	EXPECT_USAGE("--name: invalid character \\xc3 at position 4", "register",
		     "--name", "caf\xc3\xa9");
	EXPECT_USAGE("allowed: letters, digits and -:.+%_#*?!(),=@$'", "register",
		     "--name", "a;b");
	EXPECT_USAGE("--name: must not be empty", "register", "--name", "");
	EXPECT_USAGE("--gen-id: must not be empty", "register", "--gen-id=");

	memset(long_name, 'n', sizeof(long_name));
	long_name[EDGEWARD_NAME_MAX_LEN] = '\0';
	ASSERT_EQ(0, PARSE(&a, err, "register", "--name", long_name, "--gen-id",
			   long_name, "--cgroup-id", "1"));
	EXPECT_EQ((size_t)EDGEWARD_NAME_MAX_LEN, strlen(a.name));
	long_name[EDGEWARD_NAME_MAX_LEN] = 'n';
	long_name[EDGEWARD_NAME_MAX_LEN + 1] = '\0';
	EXPECT_USAGE("--name: too long (129 characters, at most 128)",
		     "register", "--name", long_name);
}

TEST(register_digests)
{
	char many[EDGEWARD_DIGESTS_MAX + 1][80];
	char *argv[2 * (EDGEWARD_DIGESTS_MAX + 1) + 10];
	struct ctl_args a;
	char err[ERRLEN];
	int argc = 0, i;

	EXPECT_USAGE("--digest: a SHA-256 digest is 64 hex digits, got 63 characters",
		     "register", "--digest",
		     "00010203040506070809a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	EXPECT_USAGE("got 65 characters", "register", "--digest", DIGEST_A "0");
	EXPECT_USAGE("got 0 characters", "register", "--digest", "");
	EXPECT_USAGE("--digest: 'g' at position 5 is not a hex digit", "register",
		     "--digest",
		     "0001g203040506070809a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0");
	EXPECT_USAGE("--digest: ' ' at position 64 is not a hex digit", "register",
		     "--digest",
		     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1 ");

	/* Exactly EDGEWARD_DIGESTS_MAX digests are fine, one more is not. */
	argv[argc++] = "edgewardctl";
	argv[argc++] = "register";
	argv[argc++] = "--name=n";
	argv[argc++] = "--gen-id=g";
	argv[argc++] = "--cgroup-id=3";
	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++) {
		snprintf(many[i], sizeof(many[i]), "%064x", i);
		argv[argc++] = "--digest";
		argv[argc++] = many[i];
	}
	argv[argc] = NULL;
	ASSERT_EQ(0, ctl_parse_args(argc, argv, &a, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ((unsigned int)EDGEWARD_DIGESTS_MAX, a.n_digests);
	EXPECT_EQ(EDGEWARD_DIGESTS_MAX - 1, a.digests[EDGEWARD_DIGESTS_MAX - 1][31]);
	EXPECT_EQ(0, a.digests[EDGEWARD_DIGESTS_MAX - 1][30]);

	snprintf(many[EDGEWARD_DIGESTS_MAX], sizeof(many[0]), "%064x", 99);
	argv[argc++] = "--digest";
	argv[argc++] = many[EDGEWARD_DIGESTS_MAX];
	argv[argc] = NULL;
	EXPECT_EQ(-EINVAL, ctl_parse_args(argc, argv, &a, err, sizeof(err)));
	EXPECT_STREQ("--digest: at most 64 digests", err);
}

TEST(register_mode)
{
	static const struct {
		const char *arg;
		uint32_t mode;
	} modes[] = {
		{ "off", EDGEWARD_MODE_OFF },
		{ "audit", EDGEWARD_MODE_AUDIT },
		{ "enforce", EDGEWARD_MODE_ENFORCE },
	};
	struct ctl_args a;
	char err[ERRLEN];
	size_t i;

	/* Without --mode the registration follows the global mode. */
	ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g", "--cgroup-id=1"));
	EXPECT_EQ(0u, a.reg_mode);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g",
				   "--mode", (char *)modes[i].arg, "--cgroup-id=1"))
			TH_LOG("%s", err);
		EXPECT_EQ(modes[i].mode, a.reg_mode);
		/* Not the global mode of the mode command. */
		EXPECT_FALSE(a.has_mode);
	}
	ASSERT_EQ(0, PARSE(&a, err, "register", "--mode=audit", "--name=n",
			   "--gen-id=g", "--cgroup=/x"));
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_AUDIT, a.reg_mode);
	EXPECT_USAGE("--mode: unknown mode 'Audit' (expected off, audit or enforce)",
		     "register", "--mode", "Audit");
	EXPECT_USAGE("--mode: unknown mode '' (expected", "register", "--mode=");
	EXPECT_USAGE("--mode given twice", "register", "--mode", "off", "--mode", "off");
	EXPECT_USAGE("option --mode requires a value", "register", "--mode");
	EXPECT_USAGE("option --mode must follow the command", "--mode", "off", "register");
	EXPECT_USAGE("'unregister' takes no option --mode", "unregister", "--mode", "off");
	EXPECT_USAGE("'mode' takes no option --mode", "mode", "--mode", "off");
	EXPECT_USAGE("'list' takes no option --mode", "list", "--mode=off");
}

TEST(update)
{
	struct ctl_args a;
	char err[ERRLEN];
	uint8_t d[EDGEWARD_DIGEST_LEN];

	/* The options of register, with the same checks. */
	ASSERT_EQ(0, PARSE(&a, err, "--json", "update", "--name", "mod-1", "--gen-id",
			   "43", "--cgroup", "/sys/fs/cgroup/edge/m1", "--digest",
			   DIGEST_B, "--mode", "enforce"))
		TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_UPDATE, (int)a.cmd);
	EXPECT_TRUE(a.json);
	EXPECT_STREQ("mod-1", a.name);
	EXPECT_STREQ("43", a.gen_id);
	EXPECT_STREQ("/sys/fs/cgroup/edge/m1", a.cgroup_path);
	ASSERT_EQ(1u, a.n_digests);
	ASSERT_EQ(0, ew_digest_parse(DIGEST_B, d));
	EXPECT_EQ(0, memcmp(d, a.digests[0], sizeof(d)));
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_ENFORCE, a.reg_mode);

	ASSERT_EQ(0, PARSE(&a, err, "update", "--name=m", "--gen-id=g",
			   "--cgroup-id=99"));
	EXPECT_TRUE(a.has_cgroup_id);
	EXPECT_EQ(99u, a.cgroup_id);
	EXPECT_EQ(0u, a.n_digests);
	EXPECT_EQ(0u, a.reg_mode);

	EXPECT_USAGE("update: --name NAME is required",
		     "update", "--gen-id", "g", "--cgroup-id", "1");
	EXPECT_USAGE("update: --gen-id GENID is required",
		     "update", "--name", "n", "--cgroup-id", "1");
	EXPECT_USAGE("update: one of --cgroup PATH or --cgroup-id ID is required",
		     "update", "--name", "n", "--gen-id", "g");
	EXPECT_USAGE("update: give either --cgroup or --cgroup-id, not both",
		     "update", "--name", "n", "--gen-id", "g", "--cgroup", "/x",
		     "--cgroup-id", "1");
	EXPECT_USAGE("--name: invalid character ' ' at position 2", "update", "--name", "a b");
	EXPECT_USAGE("--digest: a SHA-256 digest is 64 hex digits", "update", "--digest", "ab");
	EXPECT_USAGE("--mode: unknown mode 'strict'", "update", "--mode", "strict");
	EXPECT_USAGE("'update' takes no option --count", "update", "--count", "1");
	EXPECT_USAGE("unexpected argument 'now'", "update", "now");
}

TEST(register_signers)
{
	char many[EDGEWARD_SIGNERS_MAX + 1][16];
	char *argv[2 * (EDGEWARD_SIGNERS_MAX + 1) + 10];
	struct ctl_args a;
	char err[ERRLEN];
	int argc = 0, i;

	/* None: no signers. */
	ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g", "--cgroup-id=1"));
	EXPECT_EQ(0u, a.n_signers);
	/* In order, either case, repeats kept (the kernel decides). */
	ASSERT_EQ(0, PARSE(&a, err, "update", "--name=n", "--gen-id=g", "--cgroup-id=1",
			   "--signer", "DEADBEEF", "--signer=00000001", "--signer", "deadbeef"))
		TH_LOG("%s", err);
	ASSERT_EQ(3u, a.n_signers);
	EXPECT_EQ(0xdeadbeefu, a.signers[0]);
	EXPECT_EQ(1u, a.signers[1]);
	EXPECT_EQ(0xdeadbeefu, a.signers[2]);

	EXPECT_USAGE("--signer: a key id is 8 hex digits, got 7 characters",
		     "register", "--signer", "1234567");
	EXPECT_USAGE("--signer: a key id is 8 hex digits, got 10 characters",
		     "register", "--signer", "0x12345678");
	EXPECT_USAGE("--signer: a key id is 8 hex digits, got 0 characters",
		     "register", "--signer=");
	EXPECT_USAGE("--signer: 'g' at position 8 is not a hex digit",
		     "register", "--signer", "1234567g");
	EXPECT_USAGE("--signer: ' ' at position 1 is not a hex digit",
		     "register", "--signer", " 1234567");
	EXPECT_USAGE("option --signer requires a value", "register", "--signer");
	EXPECT_USAGE("'unregister' takes no option --signer", "unregister", "--signer", "00000000");
	EXPECT_USAGE("'status' takes no option --signer", "status", "--signer", "00000000");

	/* Exactly EDGEWARD_SIGNERS_MAX signers are fine, one more is not. */
	argv[argc++] = "edgewardctl";
	argv[argc++] = "register";
	argv[argc++] = "--name=n";
	argv[argc++] = "--gen-id=g";
	argv[argc++] = "--cgroup-id=3";
	for (i = 0; i < EDGEWARD_SIGNERS_MAX; i++) {
		snprintf(many[i], sizeof(many[i]), "%08x", 0xa0000000u + i);
		argv[argc++] = "--signer";
		argv[argc++] = many[i];
	}
	argv[argc] = NULL;
	ASSERT_EQ(0, ctl_parse_args(argc, argv, &a, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ((unsigned int)EDGEWARD_SIGNERS_MAX, a.n_signers);
	EXPECT_EQ(0xa0000000u + EDGEWARD_SIGNERS_MAX - 1, a.signers[EDGEWARD_SIGNERS_MAX - 1]);
	snprintf(many[EDGEWARD_SIGNERS_MAX], sizeof(many[0]), "%08x", 99);
	argv[argc++] = "--signer";
	argv[argc++] = many[EDGEWARD_SIGNERS_MAX];
	argv[argc] = NULL;
	EXPECT_EQ(-EINVAL, ctl_parse_args(argc, argv, &a, err, sizeof(err)));
	EXPECT_STREQ("--signer: at most 16 signers", err);
}

TEST(register_flags)
{
	static const struct {
		const char *arg;
		uint32_t flags;
	} good[] = {
		{ "", 0 },
		{ "agent", EDGEWARD_REG_FLAGS_AGENT },
		{ "require-signed-manifest", EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST },
		{ "agent,require-signed-manifest", EW_REG_FLAGS_ALL },
		{ "require-signed-manifest,agent", EW_REG_FLAGS_ALL },
	};
	struct ctl_args a;
	char err[ERRLEN];
	size_t i;

	ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g", "--cgroup-id=1"));
	EXPECT_FALSE(a.has_flags);
	EXPECT_EQ(0u, a.flags);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g",
				   "--cgroup-id=1", "--flags", (char *)good[i].arg))
			TH_LOG("'%s': %s", good[i].arg, err);
		EXPECT_TRUE(a.has_flags);
		EXPECT_EQ(good[i].flags, a.flags);
	}
	EXPECT_USAGE("--flags: unknown flag 'bogus' (expected agent, require-signed-manifest)",
		     "register", "--flags", "agent,bogus");
	EXPECT_USAGE("--flags: unknown flag 'Agent'", "register", "--flags", "Agent");
	EXPECT_USAGE("--flags: unknown flag ' agent'", "register", "--flags", "require-signed-manifest, agent");
	EXPECT_USAGE("--flags: unknown flag '3'", "register", "--flags", "3");
	EXPECT_USAGE("--flags: empty flag name in 'agent,'", "register", "--flags", "agent,");
	EXPECT_USAGE("--flags: empty flag name in ',agent'", "register", "--flags", ",agent");
	EXPECT_USAGE("--flags: empty flag name in 'agent,,require-signed-manifest'",
		     "register", "--flags", "agent,,require-signed-manifest");
	EXPECT_USAGE("--flags: 'agent' given twice", "register", "--flags", "agent,agent");
	EXPECT_USAGE("--flags given twice", "register", "--flags", "agent", "--flags=agent");
	EXPECT_USAGE("--flags given twice", "register", "--flags=", "--flags=");
	EXPECT_USAGE("'mode' takes no option --flags", "mode", "--flags", "agent");
}

TEST(register_manifest_sig)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g", "--cgroup-id=1"));
	EXPECT_EQ(NULL, a.manifest_sig_path);
	/* Only the path: the parser reads nothing. */
	ASSERT_EQ(0, PARSE(&a, err, "register", "--name=n", "--gen-id=g", "--cgroup-id=1",
			   "--manifest-sig", "/no/such/m.sig"));
	EXPECT_STREQ("/no/such/m.sig", a.manifest_sig_path);
	ASSERT_EQ(0, PARSE(&a, err, "update", "--manifest-sig=-x", "--name=n", "--gen-id=g",
			   "--cgroup=/c"));
	EXPECT_STREQ("-x", a.manifest_sig_path);
	EXPECT_USAGE("--manifest-sig: empty path", "register", "--manifest-sig", "");
	EXPECT_USAGE("--manifest-sig given twice", "register", "--manifest-sig", "a",
		     "--manifest-sig", "a");
	EXPECT_USAGE("option --manifest-sig requires a value", "update", "--manifest-sig");
	/* The manifest itself is not signed. */
	EXPECT_USAGE("'manifest' takes no option --manifest-sig", "manifest", "--manifest-sig", "x");
	EXPECT_USAGE("'unregister' takes no option --manifest-sig", "unregister",
		     "--manifest-sig", "x");
}

TEST(manifest)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "manifest", "--name", "mod-1", "--gen-id", "7",
			   "--digest", DIGEST_A, "--signer", "0000abcd", "--mode", "audit",
			   "--flags", "agent", "--digest", DIGEST_B))
		TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_MANIFEST, (int)a.cmd);
	EXPECT_STREQ("mod-1", a.name);
	EXPECT_STREQ("7", a.gen_id);
	EXPECT_EQ(2u, a.n_digests);
	EXPECT_EQ(1u, a.n_signers);
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_AUDIT, a.reg_mode);
	EXPECT_EQ((uint32_t)EDGEWARD_REG_FLAGS_AGENT, a.flags);
	/* No cgroup: a manifest names a module wherever it runs. */
	EXPECT_EQ(NULL, a.cgroup_path);
	EXPECT_FALSE(a.has_cgroup_id);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "manifest", "--name=m", "--gen-id=g"));
	EXPECT_TRUE(a.json);

	EXPECT_USAGE("manifest: --name NAME is required", "manifest", "--gen-id", "g");
	EXPECT_USAGE("manifest: --gen-id GENID is required", "manifest", "--name", "n");
	EXPECT_USAGE("'manifest' takes no option --cgroup", "manifest", "--name=n",
		     "--gen-id=g", "--cgroup", "/x");
	EXPECT_USAGE("'manifest' takes no option --cgroup-id", "manifest", "--cgroup-id", "1");
	EXPECT_USAGE("--name: invalid character ' ' at position 2", "manifest", "--name", "a b");
	EXPECT_USAGE("unexpected argument 'x'", "manifest", "--name=n", "--gen-id=g", "x");
}

TEST(lock)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "lock"));
	EXPECT_EQ(CTL_CMD_LOCK, (int)a.cmd);
	ASSERT_EQ(0, PARSE(&a, err, "lock", "--json"));
	EXPECT_TRUE(a.json);
	EXPECT_USAGE("unexpected argument 'now'", "lock", "now");
	EXPECT_USAGE("'lock' takes no option --mode", "lock", "--mode", "enforce");
	EXPECT_USAGE("'lock' takes no option --name", "lock", "--name", "n");
}

TEST(attest)
{
	struct ctl_args a;
	char err[ERRLEN];
	static const char *const bad[] = {
		"0", "+1", " 1", "1 ", "1a", "0x10", "2147483648", "99999999999999999999",
	};
	size_t i;

	ASSERT_EQ(0, PARSE(&a, err, "attest", "1"));
	EXPECT_EQ(CTL_CMD_ATTEST, (int)a.cmd);
	EXPECT_EQ(1u, a.pid);
	EXPECT_FALSE(a.json);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "attest", "2147483647"));
	EXPECT_EQ(2147483647u, a.pid);
	EXPECT_TRUE(a.json);
	ASSERT_EQ(0, PARSE(&a, err, "attest", "00123", "--json"));
	EXPECT_EQ(123u, a.pid);
	EXPECT_TRUE(a.json);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, PARSE(&a, err, "attest", (char *)bad[i])) TH_LOG("'%s'", bad[i]);
		EXPECT_NE(NULL, strstr(err, "is not a process id (a positive decimal integer)"))
			TH_LOG("'%s': %s", bad[i], err);
	}
	EXPECT_USAGE("attest: PID is required", "attest");
	EXPECT_USAGE("attest: PID is required", "--json", "attest");
	EXPECT_USAGE("unexpected argument '2'", "attest", "1", "2");
	EXPECT_USAGE("unknown option '-5'", "attest", "-5");
	EXPECT_USAGE("'attest' takes no option --cgroup", "attest", "--cgroup", "/x", "1");
	EXPECT_USAGE("'attest' takes no option --mode", "attest", "1", "--mode", "off");
	/* A pid only belongs to attest. */
	EXPECT_USAGE("unexpected argument '1'", "status", "1");
}

TEST(cgroup_id_values)
{
	struct ctl_args a;
	char err[ERRLEN];
	static const char *const bad[] = {
		"0", "-1", "+5", " 5", "5 ", "12a", "0x10", "", "18446744073709551616",
		"99999999999999999999",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, PARSE(&a, err, "unregister", "--cgroup-id", (char *)bad[i]))
			TH_LOG("'%s'", bad[i]);
		EXPECT_NE(NULL, strstr(err, "is not a cgroup id (a positive decimal integer)"));
	}
	ASSERT_EQ(0, PARSE(&a, err, "unregister", "--cgroup-id", "0042"));
	EXPECT_EQ(42u, a.cgroup_id);
}

TEST(unregister)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "unregister", "--cgroup", "/sys/fs/cgroup/m"));
	EXPECT_EQ(CTL_CMD_UNREGISTER, (int)a.cmd);
	EXPECT_STREQ("/sys/fs/cgroup/m", a.cgroup_path);
	EXPECT_FALSE(a.has_cgroup_id);
	ASSERT_EQ(0, PARSE(&a, err, "unregister", "--cgroup-id", "12345"));
	EXPECT_TRUE(a.has_cgroup_id);
	EXPECT_EQ(12345u, a.cgroup_id);
	EXPECT_EQ(NULL, a.cgroup_path);
	EXPECT_USAGE("unregister: one of --cgroup PATH or --cgroup-id ID is required",
		     "unregister");
	EXPECT_USAGE("unregister: give either --cgroup or --cgroup-id, not both",
		     "unregister", "--cgroup-id", "1", "--cgroup", "/x");
	EXPECT_USAGE("'unregister' takes no option --name", "unregister", "--name", "x");
	EXPECT_USAGE("'unregister' takes no option --digest", "unregister", "--digest", DIGEST_A);
}

TEST(mode)
{
	static const struct {
		const char *arg;
		uint32_t mode;
	} modes[] = {
		{ "off", EDGEWARD_MODE_OFF },
		{ "audit", EDGEWARD_MODE_AUDIT },
		{ "enforce", EDGEWARD_MODE_ENFORCE },
	};
	struct ctl_args a;
	char err[ERRLEN];
	size_t i;

	ASSERT_EQ(0, PARSE(&a, err, "mode"));
	EXPECT_EQ(CTL_CMD_MODE, (int)a.cmd);
	EXPECT_FALSE(a.has_mode);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, PARSE(&a, err, "mode", (char *)modes[i].arg));
		EXPECT_TRUE(a.has_mode);
		EXPECT_EQ(modes[i].mode, a.mode);
	}
	ASSERT_EQ(0, PARSE(&a, err, "--json", "mode"));
	EXPECT_TRUE(a.json);
	EXPECT_USAGE("unknown mode 'Enforce' (expected off, audit or enforce)",
		     "mode", "Enforce");
	EXPECT_USAGE("unexpected argument 'audit'", "mode", "off", "audit");
}

TEST(events)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "events"));
	EXPECT_EQ(CTL_CMD_EVENTS, (int)a.cmd);
	EXPECT_EQ(0ul, a.count);
	EXPECT_EQ(-1, a.timeout_s);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "events", "--count", "5", "--timeout=10"));
	EXPECT_EQ(5ul, a.count);
	EXPECT_EQ(10, a.timeout_s);
	EXPECT_TRUE(a.json);
	ASSERT_EQ(0, PARSE(&a, err, "events", "--timeout", "2147483"));
	EXPECT_EQ(CTL_TIMEOUT_MAX, a.timeout_s);
	EXPECT_USAGE("--count: '0' is not a positive integer", "events", "--count", "0");
	EXPECT_USAGE("--count: 'x' is not a positive integer", "events", "--count=x");
	EXPECT_USAGE("--count: '-3' is not a positive integer", "events", "--count", "-3");
	EXPECT_USAGE("--timeout: '0' is not a number of seconds from 1 to 2147483",
		     "events", "--timeout", "0");
	EXPECT_USAGE("--timeout: '2147484' is not a number", "events", "--timeout", "2147484");
	EXPECT_USAGE("--timeout: '1.5' is not", "events", "--timeout", "1.5");
	EXPECT_USAGE("--count given twice", "events", "--count", "1", "--count", "2");
	EXPECT_USAGE("--timeout given twice", "events", "--timeout", "1", "--timeout", "2");
	EXPECT_USAGE("option --timeout requires a value", "events", "--timeout");
	EXPECT_USAGE("'events' takes no option --cgroup", "events", "--cgroup", "/x");
}

TEST(system_status)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "system", "status")) TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_SYSTEM_STATUS, (int)a.cmd);
	EXPECT_FALSE(a.json);
	EXPECT_EQ(NULL, a.config_path);
	EXPECT_EQ(NULL, a.mgmt_socket);
	/* --json anywhere, even between the two words. */
	ASSERT_EQ(0, PARSE(&a, err, "system", "--json", "status"));
	EXPECT_EQ(CTL_CMD_SYSTEM_STATUS, (int)a.cmd);
	EXPECT_TRUE(a.json);
	EXPECT_USAGE("'system' needs a command (expected 'system status')", "system");
	EXPECT_USAGE("'system' needs a command (expected 'system status')", "--json", "system");
	EXPECT_USAGE("unknown command 'system stat' (expected 'system status')", "system", "stat");
	EXPECT_USAGE("unexpected argument 'now'", "system", "status", "now");
	EXPECT_USAGE("'system status' takes no option --count", "system", "status", "--count", "1");
	EXPECT_USAGE("'system status' takes no option --tail", "system", "status", "--tail", "1");
}

TEST(global_daemon_options)
{
	static const char *const daemon_cmds[][3] = {
		{ "system", "status", NULL }, { "list", NULL, NULL }, { "module", "env", "m" },
		{ "logs", "m", NULL }, { "check", NULL, NULL },
	};
	struct ctl_args a;
	char err[ERRLEN];
	size_t i;

	/* Before the command, after it, and in the --opt=VALUE form. */
	ASSERT_EQ(0, PARSE(&a, err, "--config", "/etc/x.toml", "list")) TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_LIST, (int)a.cmd);
	EXPECT_STREQ("/etc/x.toml", a.config_path);
	EXPECT_EQ(NULL, a.mgmt_socket);
	ASSERT_EQ(0, PARSE(&a, err, "list", "--mgmt-socket=/run/m.sock", "--config=c.toml"));
	EXPECT_STREQ("/run/m.sock", a.mgmt_socket);
	EXPECT_STREQ("c.toml", a.config_path);
	for (i = 0; i < sizeof(daemon_cmds) / sizeof(daemon_cmds[0]); i++) {
		char *argv[10] = { "edgewardctl", "--mgmt-socket", "/s" };
		int argc = 3, j;

		for (j = 0; j < 3 && daemon_cmds[i][j]; j++)
			argv[argc++] = (char *)daemon_cmds[i][j];
		argv[argc++] = "--config";
		argv[argc++] = "/c";
		argv[argc] = NULL;
		ASSERT_EQ(0, ctl_parse_args(argc, argv, &a, err, sizeof(err)))
			TH_LOG("%s: %s", daemon_cmds[i][0], err);
		EXPECT_STREQ("/s", a.mgmt_socket);
		EXPECT_STREQ("/c", a.config_path);
	}
	/* Commands of the kernel module alone, and config check (it names its file), take neither. */
	EXPECT_USAGE("'status' takes no option --config", "--config", "/c", "status");
	EXPECT_USAGE("'status' takes no option --mgmt-socket", "status", "--mgmt-socket", "/s");
	EXPECT_USAGE("'register' takes no option --mgmt-socket", "register", "--name=n",
		     "--gen-id=g", "--cgroup-id=1", "--mgmt-socket", "/s");
	EXPECT_USAGE("'events' takes no option --config", "events", "--config=/c");
	EXPECT_USAGE("'config check' takes no option --config", "config", "check", "f.toml",
		     "--config", "/c");
	EXPECT_USAGE("'config check' takes no option --mgmt-socket", "--mgmt-socket", "/s",
		     "config", "check", "f.toml");
	EXPECT_USAGE("--config: empty path", "list", "--config=");
	EXPECT_USAGE("--mgmt-socket: empty path", "list", "--mgmt-socket", "");
	EXPECT_USAGE("--config given twice", "--config", "a", "list", "--config", "a");
	EXPECT_USAGE("--mgmt-socket given twice", "list", "--mgmt-socket=a", "--mgmt-socket=b");
	EXPECT_USAGE("option --config requires a value", "list", "--config");
	EXPECT_USAGE("option --mgmt-socket requires a value", "--mgmt-socket");
	EXPECT_USAGE("unknown option '--mgmt'", "list", "--mgmt", "/s");
	/* A usage error in the command still comes first. */
	EXPECT_USAGE("no command given", "--config", "/c");
}

TEST(module_env)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "module", "env", "$edgeHub")) TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_MODULE_ENV, (int)a.cmd);
	EXPECT_STREQ("$edgeHub", a.module);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "module", "env", "tempSensor"));
	EXPECT_TRUE(a.json);
	EXPECT_STREQ("tempSensor", a.module);
	EXPECT_EQ(NULL, a.name);
	EXPECT_USAGE("module env: NAME is required", "module", "env");
	EXPECT_USAGE("module env: NAME is required", "module", "env", "--json");
	EXPECT_USAGE("'module' needs a command (expected 'module env')", "module");
	EXPECT_USAGE("unknown command 'module logs' (expected 'module env')", "module", "logs", "m");
	EXPECT_USAGE("module env: NAME: invalid character ' ' at position 2 (allowed: ",
		     "module", "env", "a b");
	EXPECT_USAGE("module env: NAME: invalid character '/' at position 1", "module", "env",
		     "/etc");
	EXPECT_USAGE("module env: NAME: must not be empty", "module", "env", "");
	EXPECT_USAGE("unexpected argument 'b'", "module", "env", "a", "b");
	EXPECT_USAGE("'module env' takes no option --name", "module", "env", "--name", "m");
	EXPECT_USAGE("'module env' takes no option --follow", "module", "env", "m", "--follow");
	EXPECT_USAGE("unknown option '--bogus'", "module", "env", "m", "--bogus");
}

TEST(logs)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "logs", "edgeHub")) TH_LOG("%s", err);
	EXPECT_EQ(CTL_CMD_LOGS, (int)a.cmd);
	EXPECT_STREQ("edgeHub", a.module);
	EXPECT_FALSE(a.follow);
	EXPECT_FALSE(a.timestamps);
	EXPECT_EQ(NULL, a.tail);
	EXPECT_EQ(NULL, a.since);
	EXPECT_EQ(NULL, a.until);

	ASSERT_EQ(0, PARSE(&a, err, "logs", "--follow", "--tail", "10", "m", "--since",
			   "1714564800", "--until=2024-05-01T14:00:00.25+02:00", "--timestamps"))
		TH_LOG("%s", err);
	EXPECT_STREQ("m", a.module);
	EXPECT_TRUE(a.follow);
	EXPECT_TRUE(a.timestamps);
	EXPECT_STREQ("10", a.tail);
	EXPECT_STREQ("1714564800", a.since);
	EXPECT_STREQ("2024-05-01T14:00:00.25+02:00", a.until);
	ASSERT_EQ(0, PARSE(&a, err, "logs", "m", "-f", "--tail=all")) TH_LOG("%s", err);
	EXPECT_TRUE(a.follow);
	EXPECT_STREQ("all", a.tail);
	ASSERT_EQ(0, PARSE(&a, err, "logs", "m", "--tail", "0"));
	EXPECT_STREQ("0", a.tail);

	EXPECT_USAGE("logs: NAME is required", "logs");
	EXPECT_USAGE("logs: NAME is required", "logs", "--tail", "5");
	EXPECT_USAGE("logs: NAME: invalid character '\"' at position 1", "logs", "\"x");
	EXPECT_USAGE("unexpected argument 'n'", "logs", "m", "n");
	EXPECT_USAGE("--tail: 'x' is not a number of lines or \"all\"", "logs", "m", "--tail", "x");
	EXPECT_USAGE("--tail: '-1' is not a number of lines or \"all\"", "logs", "m", "--tail=-1");
	EXPECT_USAGE("--tail: '5x' is not a number of lines", "logs", "m", "--tail", "5x");
	EXPECT_USAGE("--tail: '' is not a number of lines", "logs", "m", "--tail=");
	EXPECT_USAGE("--tail: 'ALL' is not a number of lines", "logs", "m", "--tail", "ALL");
	EXPECT_USAGE("--tail: '99999999999999999999' is not a number of lines", "logs", "m",
		     "--tail", "99999999999999999999");
	EXPECT_USAGE("--tail given twice", "logs", "m", "--tail", "1", "--tail", "1");
	EXPECT_USAGE("option --tail requires a value", "logs", "m", "--tail");
	EXPECT_USAGE("--since: 'yesterday' is not Unix seconds or an RFC 3339 time",
		     "logs", "m", "--since", "yesterday");
	EXPECT_USAGE("--until: '2024-13-01T00:00:00Z' is not Unix seconds", "logs", "m",
		     "--until", "2024-13-01T00:00:00Z");
	EXPECT_USAGE("--since: '99999999999' is before 1970 or after 2262", "logs", "m",
		     "--since", "99999999999");
	EXPECT_USAGE("--since given twice", "logs", "m", "--since", "1", "--since", "2");
	EXPECT_USAGE("--since 20 is after --until 10", "logs", "m", "--since", "20",
		     "--until", "10");
	EXPECT_USAGE("--follow takes no value", "logs", "m", "--follow=yes");
	EXPECT_USAGE("option --follow must follow the command", "-f", "logs", "m");
	EXPECT_USAGE("option --tail must follow the command", "--tail", "1", "logs", "m");
	EXPECT_USAGE("'list' takes no option --follow", "list", "-f");
	EXPECT_USAGE("'events' takes no option --since", "events", "--since", "1");
	EXPECT_USAGE("'status' takes no option --timestamps", "status", "--timestamps");
	/* Logs are the module's own text. */
	EXPECT_USAGE("'logs' takes no option --json", "--json", "logs", "m");
	EXPECT_USAGE("unknown option '--bogus'", "logs", "m", "--bogus");
}

TEST(check_and_config_check)
{
	struct ctl_args a;
	char err[ERRLEN];

	ASSERT_EQ(0, PARSE(&a, err, "check"));
	EXPECT_EQ(CTL_CMD_CHECK, (int)a.cmd);
	ASSERT_EQ(0, PARSE(&a, err, "check", "--json", "--config", "/c.toml"));
	EXPECT_TRUE(a.json);
	EXPECT_STREQ("/c.toml", a.config_path);
	EXPECT_USAGE("unexpected argument 'all'", "check", "all");

	ASSERT_EQ(0, PARSE(&a, err, "config", "check", "/etc/edgeward/config.toml"));
	EXPECT_EQ(CTL_CMD_CONFIG_CHECK, (int)a.cmd);
	EXPECT_STREQ("/etc/edgeward/config.toml", a.file);
	ASSERT_EQ(0, PARSE(&a, err, "--json", "config", "check", "-"));
	EXPECT_TRUE(a.json);
	EXPECT_STREQ("-", a.file);
	EXPECT_USAGE("config check: FILE is required", "config", "check");
	EXPECT_USAGE("config check: FILE must not be empty", "config", "check", "");
	EXPECT_USAGE("'config' needs a command (expected 'config check')", "config");
	EXPECT_USAGE("unknown command 'config show' (expected 'config check')", "config", "show");
	EXPECT_USAGE("unexpected argument 'b.toml'", "config", "check", "a.toml", "b.toml");
	EXPECT_USAGE("'config check' takes no option --tail", "config", "check", "a", "--tail", "1");
}

TEST(error_buffer_bounds)
{
	struct ctl_args a;
	char small[8];
	char *argv[] = { "edgewardctl", "unknown-command-name", NULL };

	memset(small, 'X', sizeof(small));
	EXPECT_EQ(-EINVAL, ctl_parse_args(2, argv, &a, small, sizeof(small)));
	EXPECT_EQ('\0', small[sizeof(small) - 1]);
	EXPECT_EQ(0, strncmp("unknown", small, 7));
	/* No buffer at all is allowed too. */
	EXPECT_EQ(-EINVAL, ctl_parse_args(2, argv, &a, NULL, 0));
}

TEST(command_names)
{
	EXPECT_STREQ("register", ctl_cmd_name(CTL_CMD_REGISTER));
	EXPECT_STREQ("events", ctl_cmd_name(CTL_CMD_EVENTS));
	EXPECT_STREQ("update", ctl_cmd_name(CTL_CMD_UPDATE));
	EXPECT_STREQ("attest", ctl_cmd_name(CTL_CMD_ATTEST));
	EXPECT_STREQ("manifest", ctl_cmd_name(CTL_CMD_MANIFEST));
	EXPECT_STREQ("lock", ctl_cmd_name(CTL_CMD_LOCK));
	EXPECT_STREQ("system", ctl_cmd_name(CTL_CMD_SYSTEM));
	EXPECT_STREQ("system status", ctl_cmd_name(CTL_CMD_SYSTEM_STATUS));
	EXPECT_STREQ("module env", ctl_cmd_name(CTL_CMD_MODULE_ENV));
	EXPECT_STREQ("logs", ctl_cmd_name(CTL_CMD_LOGS));
	EXPECT_STREQ("check", ctl_cmd_name(CTL_CMD_CHECK));
	EXPECT_STREQ("config check", ctl_cmd_name(CTL_CMD_CONFIG_CHECK));
	EXPECT_STREQ("?", ctl_cmd_name(CTL_CMD_NONE));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the canonical manifest (lib/manifest.c), byte for byte
 * against texts written out by hand from the "Signed manifests" section of
 * uapi/linux/edgeward.h, and of the registration edgewardctl's command line
 * describes (ctl/spec.c), which register, update and manifest share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "args.h"
#include "commands.h"
#include "edgeward.h"

#define DIGEST_A "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define DIGEST_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

/* Renders spec and compares it with want, every byte and the length. */
#define EXPECT_MANIFEST(want, spec) do {				\
	char *_text = (char *)1;					\
	size_t _len = 1;						\
	ASSERT_EQ(0, ew_manifest_text(spec, &_text, &_len));		\
	EXPECT_EQ(strlen(want), _len);					\
	EXPECT_EQ(0, memcmp(want, _text, _len < strlen(want) ? _len : strlen(want))) \
		TH_LOG("got:\n%s", _text);				\
	EXPECT_EQ('\0', _text[_len]);					\
	free(_text);							\
} while (0)

TEST(minimal)
{
	struct ew_reg_spec spec = { .name = "m", .gen_id = "g" };

	/* No mode of its own is "inherit"; no flags "0"; no digest, no signer line. */
	EXPECT_MANIFEST("edgeward-manifest-v1\n"
			"name=m\n"
			"gen_id=g\n"
			"mode=inherit\n"
			"flags=0\n", &spec);
}

TEST(modes)
{
	static const struct {
		uint32_t mode;
		const char *want;
	} cases[] = {
		{ 0, "edgeward-manifest-v1\nname=tempSensor\ngen_id=637\nmode=inherit\nflags=0\n" },
		{ EDGEWARD_MODE_OFF, "edgeward-manifest-v1\nname=tempSensor\ngen_id=637\nmode=off\nflags=0\n" },
		{ EDGEWARD_MODE_AUDIT, "edgeward-manifest-v1\nname=tempSensor\ngen_id=637\nmode=audit\nflags=0\n" },
		{ EDGEWARD_MODE_ENFORCE, "edgeward-manifest-v1\nname=tempSensor\ngen_id=637\nmode=enforce\nflags=0\n" },
	};
	struct ew_reg_spec spec = { .name = "tempSensor", .gen_id = "637" };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spec.mode = cases[i].mode;
		EXPECT_MANIFEST(cases[i].want, &spec);
	}
}

TEST(flags_in_decimal)
{
	struct ew_reg_spec spec = { .name = "edgeAgent", .gen_id = "1", .mode = EDGEWARD_MODE_ENFORCE };

	spec.flags = EDGEWARD_REG_FLAGS_AGENT;
	EXPECT_MANIFEST("edgeward-manifest-v1\nname=edgeAgent\ngen_id=1\nmode=enforce\nflags=1\n", &spec);
	spec.flags = EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST;
	EXPECT_MANIFEST("edgeward-manifest-v1\nname=edgeAgent\ngen_id=1\nmode=enforce\nflags=2\n", &spec);
	spec.flags = EDGEWARD_REG_FLAGS_AGENT | EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST;
	EXPECT_MANIFEST("edgeward-manifest-v1\nname=edgeAgent\ngen_id=1\nmode=enforce\nflags=3\n", &spec);
}

TEST(digests_and_signers_in_request_order)
{
	/* Deliberately not sorted: the order is the request's. */
	uint8_t digests[3][EDGEWARD_DIGEST_LEN];
	static const uint32_t signers[4] = { 0xdeadbeef, 0x00000001, 0xffffffff, 0x0000abcd };
	struct ew_reg_spec spec = {
		.cgroup = { .fd = 7, .id = 99 },
		.name = "mod.1",
		.gen_id = "g(2)",
		.mode = EDGEWARD_MODE_AUDIT,
		.n_digests = 3,
		.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests,
		.n_signers = 4,
		.signers = signers,
		.flags = EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST,
		.manifest_sig = (const uint8_t *)"\x30\x80",
		.manifest_sig_len = 2,
	};

	ASSERT_EQ(0, ew_digest_parse(DIGEST_B, digests[0]));
	ASSERT_EQ(0, ew_digest_parse(DIGEST_A, digests[1]));
	/* Upper case in, lower case out. */
	ASSERT_EQ(0, ew_digest_parse("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
				     digests[2]));
	EXPECT_MANIFEST("edgeward-manifest-v1\n"
			"name=mod.1\n"
			"gen_id=g(2)\n"
			"mode=audit\n"
			"flags=2\n"
			"digest=" DIGEST_B "\n"
			"digest=" DIGEST_A "\n"
			"digest=abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n"
			"signer=deadbeef\n"
			"signer=00000001\n"
			"signer=ffffffff\n"
			"signer=0000abcd\n", &spec);

	/* Signers without digests; the cgroup and the signature are not part of it. */
	spec.n_digests = 0;
	spec.n_signers = 1;
	spec.cgroup.fd = -1;
	spec.manifest_sig = NULL;
	spec.manifest_sig_len = 0;
	EXPECT_MANIFEST("edgeward-manifest-v1\nname=mod.1\ngen_id=g(2)\nmode=audit\nflags=2\n"
			"signer=deadbeef\n", &spec);
	/* Digests without signers. */
	spec.n_digests = 1;
	spec.n_signers = 0;
	EXPECT_MANIFEST("edgeward-manifest-v1\nname=mod.1\ngen_id=g(2)\nmode=audit\nflags=2\n"
			"digest=" DIGEST_B "\n", &spec);
}

TEST(identifiers_verbatim)
{
	/* '=' and the rest of the alphabet need no escaping: no newline can occur. */
	struct ew_reg_spec spec = { .name = "a=b:c", .gen_id = "-:.+%_#*?!(),=@$'" };

	EXPECT_MANIFEST("edgeward-manifest-v1\nname=a=b:c\ngen_id=-:.+%_#*?!(),=@$'\n"
			"mode=inherit\nflags=0\n", &spec);
}

TEST(largest)
{
	static uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	uint32_t signers[EDGEWARD_SIGNERS_MAX];
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	struct ew_reg_spec spec = {
		.name = name,
		.gen_id = name,
		.mode = EDGEWARD_MODE_ENFORCE,
		.n_digests = EDGEWARD_DIGESTS_MAX,
		.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests,
		.n_signers = EDGEWARD_SIGNERS_MAX,
		.signers = signers,
		.flags = EW_REG_FLAGS_ALL,
	};
	char *text, *want, *p;
	size_t len, i;

	memset(name, 'x', EDGEWARD_NAME_MAX_LEN);
	name[EDGEWARD_NAME_MAX_LEN] = '\0';
	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++)
		memset(digests[i], (int)(i * 3), EDGEWARD_DIGEST_LEN);
	for (i = 0; i < EDGEWARD_SIGNERS_MAX; i++)
		signers[i] = 0x11111111u * (uint32_t)(i % 16);
	/* Written out independently of the library. */
	want = malloc(16384);
	ASSERT_NE(NULL, want);
	p = want + sprintf(want, "edgeward-manifest-v1\nname=%s\ngen_id=%s\nmode=enforce\nflags=3\n",
			   name, name);
	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++) {
		size_t b;

		p += sprintf(p, "digest=");
		for (b = 0; b < EDGEWARD_DIGEST_LEN; b++)
			p += sprintf(p, "%02x", (unsigned int)(i * 3) & 0xff);
		p += sprintf(p, "\n");
	}
	for (i = 0; i < EDGEWARD_SIGNERS_MAX; i++)
		p += sprintf(p, "signer=%x%x%x%x%x%x%x%x\n", (unsigned int)i, (unsigned int)i,
			     (unsigned int)i, (unsigned int)i, (unsigned int)i, (unsigned int)i,
			     (unsigned int)i, (unsigned int)i);
	ASSERT_EQ(0, ew_manifest_text(&spec, &text, &len));
	EXPECT_EQ((size_t)(p - want), len);
	EXPECT_STREQ(want, text);
	free(text);
	free(want);
}

TEST(refused_like_the_kernel_would)
{
	static const uint32_t signers[EDGEWARD_SIGNERS_MAX + 1];
	struct ew_reg_spec good = { .name = "m", .gen_id = "g" }, spec;
	char *text = (char *)1;
	size_t len = 1;

	spec = good;
	spec.name = "bad name";
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	EXPECT_EQ(NULL, text);
	EXPECT_EQ(0u, len);
	spec = good;
	spec.name = NULL;
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.gen_id = "";
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.mode = EDGEWARD_MODE_MAX + 1;
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.flags = 4;
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.n_digests = EDGEWARD_DIGESTS_MAX + 1;
	spec.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])signers;
	EXPECT_EQ(-E2BIG, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.n_signers = EDGEWARD_SIGNERS_MAX + 1;
	spec.signers = signers;
	EXPECT_EQ(-E2BIG, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.n_signers = 1;
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	spec = good;
	spec.n_digests = 1;
	EXPECT_EQ(-EINVAL, ew_manifest_text(&spec, &text, &len));
	EXPECT_EQ(NULL, text);
	/* The cgroup is not its business: none given is fine. */
	spec = good;
	spec.cgroup.fd = -1;
	spec.cgroup.id = 0;
	ASSERT_EQ(0, ew_manifest_text(&spec, &text, &len));
	free(text);
}

/* Parses a NULL-terminated argument list after the program name. */
static int parse_list(struct ctl_args *a, char **args)
{
	char *argv[40] = { "edgewardctl" };
	char err[512];
	int argc = 1;

	while (*args && argc < 39)
		argv[argc++] = *args++;
	argv[argc] = NULL;
	return ctl_parse_args(argc, argv, a, err, sizeof(err));
}

#define PARSE(a, ...) parse_list(a, (char *[]){ __VA_ARGS__, NULL })

/* The manifest the command line in a describes, compared with want. */
#define EXPECT_CLI_MANIFEST(want, a) do {				\
	struct ew_reg_spec _spec;					\
	ctl_reg_spec(a, &_spec);					\
	EXPECT_MANIFEST(want, &_spec);					\
} while (0)

TEST(command_line_spec)
{
	static const char want[] =
		"edgeward-manifest-v1\n"
		"name=tempSensor\n"
		"gen_id=637(2)\n"
		"mode=enforce\n"
		"flags=3\n"
		"digest=" DIGEST_B "\n"
		"digest=" DIGEST_A "\n"
		"signer=c0ffee00\n"
		"signer=0000abcd\n";
	struct ctl_args a;
	struct ew_reg_spec spec;

	/* manifest, register and update with the same options: the same manifest. */
	ASSERT_EQ(0, PARSE(&a, "manifest", "--name", "tempSensor", "--gen-id", "637(2)",
			   "--digest", DIGEST_B, "--signer", "C0FFEE00", "--mode", "enforce",
			   "--digest", DIGEST_A, "--flags", "require-signed-manifest,agent",
			   "--signer", "0000abcd"));
	EXPECT_CLI_MANIFEST(want, &a);
	ASSERT_EQ(0, PARSE(&a, "register", "--cgroup", "/sys/fs/cgroup/m", "--name",
			   "tempSensor", "--gen-id", "637(2)", "--digest", DIGEST_B,
			   "--signer", "C0FFEE00", "--mode", "enforce", "--digest", DIGEST_A,
			   "--flags", "require-signed-manifest,agent", "--signer", "0000abcd",
			   "--manifest-sig", "m.sig"));
	EXPECT_CLI_MANIFEST(want, &a);
	/* What register sends: the same lists, in the same order. */
	ctl_reg_spec(&a, &spec);
	EXPECT_EQ(2u, spec.n_digests);
	EXPECT_TRUE(spec.digests == (const uint8_t (*)[EDGEWARD_DIGEST_LEN])a.digests);
	EXPECT_EQ(2u, spec.n_signers);
	EXPECT_EQ(0xc0ffee00u, spec.signers[0]);
	EXPECT_EQ(0x0000abcdu, spec.signers[1]);
	EXPECT_EQ((uint32_t)EW_REG_FLAGS_ALL, spec.flags);
	EXPECT_EQ((uint32_t)EDGEWARD_MODE_ENFORCE, spec.mode);
	/* The signature file is read by the command, not part of the spec. */
	EXPECT_EQ(NULL, spec.manifest_sig);
	EXPECT_EQ(0u, spec.manifest_sig_len);
	ASSERT_EQ(0, PARSE(&a, "update", "--cgroup-id", "42", "--name", "tempSensor",
			   "--gen-id", "637(2)", "--digest", DIGEST_B, "--signer", "c0ffee00",
			   "--mode=enforce", "--digest", DIGEST_A, "--flags=agent,require-signed-manifest",
			   "--signer", "0000ABCD"));
	EXPECT_CLI_MANIFEST(want, &a);
	ctl_reg_spec(&a, &spec);
	EXPECT_EQ(42u, spec.cgroup.id);
	EXPECT_EQ(-1, spec.cgroup.fd);

	/* Another order of the digests is another manifest. */
	ASSERT_EQ(0, PARSE(&a, "manifest", "--name", "m", "--gen-id", "1",
			   "--digest", DIGEST_A, "--digest", DIGEST_B));
	EXPECT_CLI_MANIFEST("edgeward-manifest-v1\nname=m\ngen_id=1\nmode=inherit\nflags=0\n"
			    "digest=" DIGEST_A "\ndigest=" DIGEST_B "\n", &a);
	/* An empty --flags is no flags. */
	ASSERT_EQ(0, PARSE(&a, "manifest", "--name", "m", "--gen-id", "1", "--flags", ""));
	EXPECT_CLI_MANIFEST("edgeward-manifest-v1\nname=m\ngen_id=1\nmode=inherit\nflags=0\n", &a);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * The edgeward generic netlink contract, command by command: every happy path
 * and every rejection, with its errno and extended ACK message.
 */

#include "ew_test.h"

#include "kselftest_harness.h"

#ifndef EW_EXPECTED_VERSION
#error "EW_EXPECTED_VERSION must come from kmod/version.h"
#endif

static const uint8_t digest_a[EDGEWARD_DIGEST_LEN] = { 0xaa, 1, 2, 3 };
static const uint8_t digest_b[EDGEWARD_DIGEST_LEN] = { 0xbb, 4, 5, 6 };

FIXTURE(nl) {
	struct ew_client *c;
	struct ew_error e;
	struct ew_cg cg;
};

FIXTURE_SETUP(nl)
{
	memset(&self->e, 0, sizeof(self->e));
	self->c = NULL;
	self->cg.fd = -1;
	EW_SKIP_UNLESS_LOADED(self->c, self->e);
	ASSERT_EQ(0, ew_cg_create(&self->cg, "nl"));
}

FIXTURE_TEARDOWN(nl)
{
	struct ew_error e;

	if (self->c) {
		ew_reg_del(self->c, ew_by_id(self->cg.id), &e);
		ew_client_close(self->c);
	}
	ew_cg_destroy(&self->cg);
}

/* A reg-new request with everything right, for tests to spoil. */
static struct nl_msg *reg_new_msg(struct ew_client *c, const struct ew_cg *cg)
{
	struct nl_msg *m = ew_msg_new(c, EDGEWARD_CMD_REG_NEW, 0);

	if (!m)
		return NULL;
	if (nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, cg->fd) ||
	    nla_put_string(m, EDGEWARD_A_REG_NAME, "mod") ||
	    nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1")) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

#define EXPECT_REJECTED(error, code, text)				\
	do {								\
		EXPECT_EQ(-(code), (error).err);			\
		EXPECT_NE(NULL, strstr((error).msg, (text)))		\
			TH_LOG("message: \"%s\", wanted \"%s\"",	\
			       (error).msg, (text));			\
	} while (0)

/* --- happy paths ------------------------------------------------------ */

TEST_F(nl, status_get)
{
	struct ew_status st;

	ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_STREQ(EW_EXPECTED_VERSION, st.version);
	EXPECT_GE(st.mode, EDGEWARD_MODE_OFF);
	EXPECT_LE(st.mode, EDGEWARD_MODE_MAX);
	EXPECT_NE(0, st.generation);
	/* Debian's kernels have IMA and the trusted keyrings built in. */
	EXPECT_NE(EDGEWARD_IMA_STATE_ABSENT, st.ima);
	EXPECT_LE(st.ima, EDGEWARD_IMA_STATE_MAX);
	EXPECT_EQ(EDGEWARD_KEYRING_STATE_AVAILABLE, st.keyring);
}

TEST_F(nl, reg_new_by_fd_replies_with_registration)
{
	const uint8_t (*digests)[EDGEWARD_DIGEST_LEN] =
		(const uint8_t (*)[EDGEWARD_DIGEST_LEN])digest_a;
	struct ew_reg_spec spec = {
		.cgroup = ew_by_fd(&self->cg),
		.name = "tempSensor",
		.gen_id = "638123456789",
		.n_digests = 1,
		.digests = digests,
	};
	struct ew_status before, after;
	struct ew_reg r;

	ASSERT_EQ(0, ew_status_get(self->c, &before, &self->e));
	ASSERT_EQ(0, ew_reg_new(self->c, &spec, &r, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_EQ(self->cg.id, r.cgroup_id);
	EXPECT_STREQ(self->cg.rel, r.cgroup_path);
	EXPECT_STREQ("tempSensor", r.name);
	EXPECT_STREQ("638123456789", r.gen_id);
	ASSERT_EQ(1, r.n_digests);
	EXPECT_EQ(0, memcmp(digest_a, r.digests[0], EDGEWARD_DIGEST_LEN));

	ASSERT_EQ(0, ew_status_get(self->c, &after, &self->e));
	EXPECT_EQ(before.reg_count + 1, after.reg_count);
	EXPECT_NE(before.generation, after.generation);
}

TEST_F(nl, reg_new_by_id_then_get_by_fd_and_id)
{
	struct ew_reg_spec spec = {
		.cgroup = ew_by_id(self->cg.id),
		.name = "by-id",
		.gen_id = "2",
	};
	struct ew_reg r;

	ASSERT_EQ(0, ew_reg_new(self->c, &spec, NULL, &self->e)) TH_LOG("%s", self->e.msg);

	ASSERT_EQ(0, ew_reg_get(self->c, ew_by_fd(&self->cg), &r, &self->e));
	EXPECT_STREQ("by-id", r.name);
	EXPECT_EQ(0, r.n_digests);

	memset(&r, 0, sizeof(r));
	ASSERT_EQ(0, ew_reg_get(self->c, ew_by_id(self->cg.id), &r, &self->e));
	EXPECT_STREQ("by-id", r.name);
	EXPECT_STREQ("2", r.gen_id);
	EXPECT_STREQ(self->cg.rel, r.cgroup_path);
}

TEST_F(nl, reg_dump_lists_registration)
{
	struct ew_reg *regs = NULL;
	size_t n = 0, i, found = 0;

	ASSERT_EQ(0, ew_register(self->c, &self->cg, "dumped", &self->e));
	ASSERT_EQ(0, ew_reg_list(self->c, &regs, &n, &self->e)) TH_LOG("%s", self->e.msg);
	for (i = 0; i < n; i++) {
		if (regs[i].cgroup_id == self->cg.id) {
			found++;
			EXPECT_STREQ("dumped", regs[i].name);
		}
		if (i)
			EXPECT_LT(regs[i - 1].cgroup_id, regs[i].cgroup_id);
	}
	free(regs);
	EXPECT_EQ(1, found);
}

TEST_F(nl, reg_del_by_fd_and_by_id)
{
	struct ew_reg r;

	ASSERT_EQ(0, ew_register(self->c, &self->cg, "gone", &self->e));
	ASSERT_EQ(0, ew_reg_del(self->c, ew_by_fd(&self->cg), &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_EQ(-ENOENT, ew_reg_get(self->c, ew_by_id(self->cg.id), &r, &self->e));

	ASSERT_EQ(0, ew_register(self->c, &self->cg, "gone", &self->e));
	ASSERT_EQ(0, ew_reg_del(self->c, ew_by_id(self->cg.id), &self->e));
	EXPECT_EQ(-ENOENT, ew_reg_get(self->c, ew_by_fd(&self->cg), &r, &self->e));
}

TEST_F(nl, reg_of_removed_cgroup_can_be_read_and_deleted_by_id)
{
	struct ew_reg r;

	ASSERT_EQ(0, ew_register(self->c, &self->cg, "orphan", &self->e));
	close(self->cg.fd);
	self->cg.fd = -1;
	ASSERT_EQ(0, rmdir(self->cg.path));

	ASSERT_EQ(0, ew_reg_get(self->c, ew_by_id(self->cg.id), &r, &self->e));
	EXPECT_STREQ("orphan", r.name);
	ASSERT_EQ(0, ew_reg_del(self->c, ew_by_id(self->cg.id), &self->e)) TH_LOG("%s", self->e.msg);
}

TEST_F(nl, reg_name_and_digest_limits_accepted)
{
	static uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	struct ew_reg_spec spec = {
		.cgroup = ew_by_fd(&self->cg),
		.name = name,
		.gen_id = "-:.+%_#*?!(),=@$'",
		.n_digests = EDGEWARD_DIGESTS_MAX,
		.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests,
	};
	struct ew_reg r;
	unsigned int i;

	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++)
		memset(digests[i], i, EDGEWARD_DIGEST_LEN);
	memset(name, 'A', EDGEWARD_NAME_MAX_LEN);
	name[EDGEWARD_NAME_MAX_LEN] = '\0';

	ASSERT_EQ(0, ew_reg_new(self->c, &spec, &r, &self->e)) TH_LOG("%s", self->e.msg);
	EXPECT_STREQ(name, r.name);
	EXPECT_STREQ("-:.+%_#*?!(),=@$'", r.gen_id);
	ASSERT_EQ(EDGEWARD_DIGESTS_MAX, r.n_digests);
	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++)
		EXPECT_EQ(i, r.digests[i][EDGEWARD_DIGEST_LEN - 1]);
}

TEST_F(nl, mode_set_each_mode)
{
	static const uint32_t modes[] = {
		EDGEWARD_MODE_ENFORCE, EDGEWARD_MODE_OFF, EDGEWARD_MODE_AUDIT,
	};
	struct ew_status st;
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, ew_mode_set(self->c, modes[i], &self->e)) TH_LOG("%s", self->e.msg);
		ASSERT_EQ(0, ew_status_get(self->c, &st, &self->e));
		EXPECT_EQ(modes[i], st.mode);
	}
}

/* --- rejections: validation ------------------------------------------- */

TEST_F(nl, reject_missing_name)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "missing attribute: name");
	EXPECT_EQ(EDGEWARD_A_REG_NAME, self->e.missing_attr);
}

TEST_F(nl, reject_missing_gen_id)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put_string(m, EDGEWARD_A_REG_NAME, "mod");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "missing attribute: gen-id");
	EXPECT_EQ(EDGEWARD_A_REG_GEN_ID, self->e.missing_attr);
}

TEST_F(nl, reject_missing_cgroup)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	nla_put_string(m, EDGEWARD_A_REG_NAME, "mod");
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "exactly one of cgroup-fd and cgroup-id");
}

TEST_F(nl, reject_both_cgroup_fd_and_id)
{
	struct nl_msg *m = reg_new_msg(self->c, &self->cg);

	ASSERT_NE(NULL, m);
	nla_put_u64(m, EDGEWARD_A_REG_CGROUP_ID, self->cg.id);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "exactly one of cgroup-fd and cgroup-id");
}

TEST_F(nl, reject_oversize_name)
{
	char name[EDGEWARD_NAME_MAX_LEN + 2];
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put_string(m, EDGEWARD_A_REG_NAME, name);
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "failed policy validation");
	EXPECT_NE(0, self->e.bad_attr_offset);
}

TEST_F(nl, reject_oversize_gen_id)
{
	char gen[EDGEWARD_NAME_MAX_LEN + 2];
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	memset(gen, '7', sizeof(gen) - 1);
	gen[sizeof(gen) - 1] = '\0';
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put_string(m, EDGEWARD_A_REG_NAME, "mod");
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, gen);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "failed policy validation");
}

TEST_F(nl, reject_unterminated_name)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put(m, EDGEWARD_A_REG_NAME, 3, "mod");	/* no NUL */
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "failed policy validation");
}

TEST_F(nl, reject_name_outside_alphabet)
{
	static const char *const bad[] = { "", "a/b", "a b", "caf\xc3\xa9", "tab\t", "semi;colon" };
	struct ew_reg_spec spec = {
		.cgroup = ew_by_fd(&self->cg),
		.gen_id = "1",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

		/* Raw, so that a client-side check cannot hide the kernel's. */
		ASSERT_NE(NULL, m);
		nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
		nla_put_string(m, EDGEWARD_A_REG_NAME, bad[i]);
		nla_put_string(m, EDGEWARD_A_REG_GEN_ID, spec.gen_id);
		ew_send(self->c, m, &self->e);
		EXPECT_REJECTED(self->e, EINVAL, "outside the module id alphabet");
	}
}

TEST_F(nl, reject_gen_id_outside_alphabet)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_NEW, 0);

	ASSERT_NE(NULL, m);
	nla_put_s32(m, EDGEWARD_A_REG_CGROUP_FD, self->cg.fd);
	nla_put_string(m, EDGEWARD_A_REG_NAME, "mod");
	nla_put_string(m, EDGEWARD_A_REG_GEN_ID, "1 2");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "gen-id is empty or has a character outside");
}

TEST_F(nl, reject_wrong_digest_length)
{
	static const int lens[] = { 0, 1, EDGEWARD_DIGEST_LEN - 1, EDGEWARD_DIGEST_LEN + 1, 64 };
	uint8_t buf[64] = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct nl_msg *m = reg_new_msg(self->c, &self->cg);

		ASSERT_NE(NULL, m);
		nla_put(m, EDGEWARD_A_REG_DIGEST, EDGEWARD_DIGEST_LEN, digest_a);
		nla_put(m, EDGEWARD_A_REG_DIGEST, lens[i], buf);
		ew_send(self->c, m, &self->e);
		EXPECT_REJECTED(self->e, ERANGE, "size out of range");
		EXPECT_NE(0, self->e.bad_attr_offset);
	}
}

TEST_F(nl, reject_too_many_digests)
{
	struct nl_msg *m = reg_new_msg(self->c, &self->cg);
	unsigned int i;

	ASSERT_NE(NULL, m);
	for (i = 0; i <= EDGEWARD_DIGESTS_MAX; i++)
		nla_put(m, EDGEWARD_A_REG_DIGEST, EDGEWARD_DIGEST_LEN, digest_b);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, E2BIG, "too many digests");
}

TEST_F(nl, reject_unknown_attribute)
{
	struct nl_msg *m = reg_new_msg(self->c, &self->cg);

	ASSERT_NE(NULL, m);
	nla_put_u32(m, EDGEWARD_A_REG_MAX + 1, 1);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "Unknown attribute type");
}

TEST_F(nl, reject_reply_only_attribute_in_request)
{
	struct nl_msg *m = reg_new_msg(self->c, &self->cg);

	ASSERT_NE(NULL, m);
	nla_put_string(m, EDGEWARD_A_REG_CGROUP_PATH, "/elsewhere");
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "Unsupported attribute");
}

TEST_F(nl, reject_wrong_attribute_type)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_GET, 0);

	ASSERT_NE(NULL, m);
	nla_put_u32(m, EDGEWARD_A_REG_CGROUP_ID, 1);	/* a u64 */
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EINVAL, self->e.err);
	EXPECT_NE(0, self->e.msg[0]);
}

TEST_F(nl, reject_attribute_on_status_get)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_STATUS_GET, 0);

	ASSERT_NE(NULL, m);
	nla_put_u32(m, EDGEWARD_A_STATUS_MODE, EDGEWARD_MODE_OFF);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EINVAL, self->e.err);
}

TEST_F(nl, reject_nonzero_reserved_header)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_STATUS_GET, 0);
	struct genlmsghdr *g;

	ASSERT_NE(NULL, m);
	g = nlmsg_data(nlmsg_hdr(m));
	g->reserved = 1;
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "reserved");
}

TEST_F(nl, reject_unknown_command)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_MAX + 1, 0);

	ASSERT_NE(NULL, m);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EOPNOTSUPP, self->e.err);
}

TEST_F(nl, reject_notification_command_as_request)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_ADD_NTF, 0);

	ASSERT_NE(NULL, m);
	ew_send(self->c, m, &self->e);
	EXPECT_EQ(-EOPNOTSUPP, self->e.err);
}

TEST_F(nl, reject_mode_out_of_range)
{
	static const uint32_t bad[] = { 0, EDGEWARD_MODE_MAX + 1, 0xffffffff };
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_MODE_SET, 0);

		ASSERT_NE(NULL, m);
		nla_put_u32(m, EDGEWARD_A_MODE_MODE, bad[i]);
		ew_send(self->c, m, &self->e);
		EXPECT_REJECTED(self->e, ERANGE, "out of range");
	}
}

TEST_F(nl, reject_mode_set_without_mode)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_MODE_SET, 0);

	ASSERT_NE(NULL, m);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "missing attribute: mode");
	EXPECT_EQ(EDGEWARD_A_MODE_MODE, self->e.missing_attr);
}

TEST_F(nl, reject_dump_with_attributes)
{
	struct nl_msg *m = ew_msg_new(self->c, EDGEWARD_CMD_REG_GET, NLM_F_DUMP);

	ASSERT_NE(NULL, m);
	nla_put_u64(m, EDGEWARD_A_REG_CGROUP_ID, self->cg.id);
	ew_send(self->c, m, &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "a dump takes no attributes");
}

/* --- rejections: state ------------------------------------------------ */

TEST_F(nl, reject_duplicate_registration)
{
	ASSERT_EQ(0, ew_register(self->c, &self->cg, "first", &self->e));
	ew_register(self->c, &self->cg, "second", &self->e);
	EXPECT_REJECTED(self->e, EEXIST, "already registered");
}

TEST_F(nl, reject_unknown_cgroup_id)
{
	struct ew_reg_spec spec = {
		.cgroup = ew_by_id(0x7fffffff00001234ull),
		.name = "mod",
		.gen_id = "1",
	};

	ew_reg_new(self->c, &spec, NULL, &self->e);
	EXPECT_REJECTED(self->e, ENOENT, "no such cgroup");
}

TEST_F(nl, reject_fd_that_is_not_a_cgroup)
{
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	struct ew_cg file = { .fd = fd };

	ASSERT_LE(0, fd);
	ew_register(self->c, &file, "mod", &self->e);
	EXPECT_REJECTED(self->e, EBADF, "not an open cgroup v2 directory");
	close(fd);

	file.fd = 1000;	/* not open */
	ew_register(self->c, &file, "mod", &self->e);
	EXPECT_REJECTED(self->e, EBADF, "not an open cgroup v2 directory");

	fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	file.fd = fd;
	ew_register(self->c, &file, "mod", &self->e);
	EXPECT_REJECTED(self->e, EBADF, "not an open cgroup v2 directory");
	close(fd);
}

TEST_F(nl, reject_deleted_cgroup_by_fd)
{
	ASSERT_EQ(0, rmdir(self->cg.path));	/* the fd stays open */
	ew_register(self->c, &self->cg, "mod", &self->e);
	EXPECT_REJECTED(self->e, ENOENT, "removed");
}

TEST_F(nl, reject_deleted_cgroup_by_id)
{
	struct ew_reg_spec spec = {
		.cgroup = ew_by_id(self->cg.id),
		.name = "mod",
		.gen_id = "1",
	};

	close(self->cg.fd);
	self->cg.fd = -1;
	ASSERT_EQ(0, rmdir(self->cg.path));
	ew_reg_new(self->c, &spec, NULL, &self->e);
	EXPECT_EQ(-ENOENT, self->e.err);
}

TEST_F(nl, reject_root_cgroup)
{
	struct ew_cg root = { .fd = open(EW_CGROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC) };

	ASSERT_LE(0, root.fd);
	ew_register(self->c, &root, "everything", &self->e);
	EXPECT_REJECTED(self->e, EINVAL, "the root cgroup cannot be registered");
	close(root.fd);
}

TEST_F(nl, reject_del_and_get_of_unregistered)
{
	struct ew_reg r;

	ew_reg_del(self->c, ew_by_fd(&self->cg), &self->e);
	EXPECT_REJECTED(self->e, ENOENT, "not registered");
	ew_reg_get(self->c, ew_by_id(self->cg.id), &r, &self->e);
	EXPECT_REJECTED(self->e, ENOENT, "not registered");
}

/* --- rejections: who may call ----------------------------------------- */

struct perm_case {
	int (*drop)(void);
	uint64_t cgroup_id;
};

/* Every command, the dump and the events group must say EPERM. */
static int all_commands_refused(void *arg)
{
	const struct perm_case *pc = arg;
	struct ew_reg_spec spec = {
		.cgroup = ew_by_id(pc->cgroup_id),
		.name = "mod",
		.gen_id = "1",
	};
	struct ew_client *c;
	struct ew_events *ev;
	struct ew_status st;
	struct ew_reg *regs;
	struct ew_error e;
	struct ew_reg r;
	size_t n;
	int fails = 0;

	if (pc->drop())
		return 100;
	if (ew_client_open(&c, &e))
		return 101;
	fails += ew_status_get(c, &st, &e) != -EPERM;
	fails += !strstr(e.msg, "CAP_SYS_ADMIN");
	fails += ew_reg_new(c, &spec, NULL, &e) != -EPERM;
	fails += ew_reg_get(c, spec.cgroup, &r, &e) != -EPERM;
	fails += ew_reg_del(c, spec.cgroup, &e) != -EPERM;
	fails += ew_reg_list(c, &regs, &n, &e) != -EPERM;
	fails += ew_mode_set(c, EDGEWARD_MODE_OFF, &e) != -EPERM;
	fails += ew_events_open(&ev, &e) != -EPERM;
	ew_client_close(c);
	return fails;
}

TEST_F(nl, reject_non_root_caller)
{
	struct perm_case pc = { ew_become_nobody, self->cg.id };

	EXPECT_EQ(0, ew_in_child(all_commands_refused, &pc));
}

TEST_F(nl, reject_root_without_cap_sys_admin)
{
	struct perm_case pc = { ew_drop_cap_sys_admin, self->cg.id };

	EXPECT_EQ(0, ew_in_child(all_commands_refused, &pc));
}

/* A socket opened with privilege is no use to a process without it. */
static int socket_from_privileged_opener(void *arg)
{
	struct ew_client *c = arg;
	struct ew_status st;
	struct ew_error e;

	if (ew_become_nobody())
		return 100;
	return ew_status_get(c, &st, &e) != -EPERM;
}

TEST_F(nl, reject_unprivileged_sender_on_privileged_socket)
{
	EXPECT_EQ(0, ew_in_child(socket_from_privileged_opener, self->c));
}

static int family_invisible_in_new_netns(void *arg)
{
	struct ew_client *c;
	struct ew_error e;

	(void)arg;
	if (unshare(CLONE_NEWNET))
		return 100;
	return ew_client_open(&c, &e) != -ENOENT;
}

TEST_F(nl, reject_caller_in_other_netns)
{
	EXPECT_EQ(0, ew_in_child(family_invisible_in_new_netns, NULL));
}

TEST_HARNESS_MAIN

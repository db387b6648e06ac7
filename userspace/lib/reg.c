// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Registrations: EDGEWARD_CMD_REG_NEW, _REG_SET, _REG_DEL and _REG_GET (do
 * and dump), and the parser of the reg attribute set shared with the
 * notifications.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

/* A dump that keeps racing with changes is given up after this many retries. */
#define EW_DUMP_RETRIES	10

/* Bits of the attributes every registration carries. */
#define REG_ID		(1u << 0)
#define REG_PATH	(1u << 1)
#define REG_NAME	(1u << 2)
#define REG_GEN_ID	(1u << 3)
#define REG_SEQ		(1u << 4)
#define REG_REQUIRED	(REG_ID | REG_PATH | REG_NAME | REG_GEN_ID)

static int reg_ident(const struct nlattr *a, char *buf, size_t size)
{
	int r = ew_attr_str(a, buf, size);

	/* The kernel only accepts the alphabet, so it must only send it. */
	if (!r && !ew_ident_valid(buf))
		r = -EPROTO;
	return r;
}

static int reg_digest(const struct nlattr *a, struct ew_reg *r)
{
	if (nla_len(a) != EDGEWARD_DIGEST_LEN)
		return -EPROTO;
	if (r->n_digests >= EDGEWARD_DIGESTS_MAX)
		return -EPROTO;
	memcpy(r->digests[r->n_digests++], nla_data(a), EDGEWARD_DIGEST_LEN);
	return 0;
}

static int reg_mode(const struct nlattr *a, struct ew_reg *r)
{
	int err = ew_attr_u32(a, &r->mode);

	/* Absent means "follows the global mode"; present, it is a mode. */
	if (!err && (r->mode < EDGEWARD_MODE_OFF || r->mode > EDGEWARD_MODE_MAX))
		err = -EPROTO;
	return err;
}

static int reg_signer(const struct nlattr *a, struct ew_reg *r)
{
	if (r->n_signers >= EDGEWARD_SIGNERS_MAX)
		return -EPROTO;
	return ew_attr_u32(a, &r->signers[r->n_signers++]);
}

static int reg_flags(const struct nlattr *a, struct ew_reg *r)
{
	int err = ew_attr_u32(a, &r->flags);

	/* Sent only when not 0, and only with the bits of the contract. */
	if (!err && (!r->flags || (r->flags & ~(uint32_t)EW_REG_FLAGS_ALL)))
		err = -EPROTO;
	return err;
}

static int reg_attr(const struct nlattr *a, struct ew_reg *r, uint64_t *seq,
		    unsigned int *seen)
{
	uint64_t dummy;

	switch (nla_type(a)) {
	case EDGEWARD_A_REG_CGROUP_ID:
		*seen |= REG_ID;
		return ew_attr_u64(a, &r->cgroup_id);
	case EDGEWARD_A_REG_CGROUP_PATH:
		*seen |= REG_PATH;
		return ew_attr_str(a, r->cgroup_path, sizeof(r->cgroup_path));
	case EDGEWARD_A_REG_NAME:
		*seen |= REG_NAME;
		return reg_ident(a, r->name, sizeof(r->name));
	case EDGEWARD_A_REG_GEN_ID:
		*seen |= REG_GEN_ID;
		return reg_ident(a, r->gen_id, sizeof(r->gen_id));
	case EDGEWARD_A_REG_DIGEST:
		return reg_digest(a, r);
	case EDGEWARD_A_REG_SEQ:
		*seen |= REG_SEQ;
		return ew_attr_u64(a, seq ? seq : &dummy);
	case EDGEWARD_A_REG_MODE:
		return reg_mode(a, r);
	case EDGEWARD_A_REG_SIGNER:
		return reg_signer(a, r);
	case EDGEWARD_A_REG_FLAGS:
		return reg_flags(a, r);
	default:
		/*
		 * PAD, CGROUP_FD and MANIFEST_SIG (requests only) and newer
		 * attributes.
		 */
		return 0;
	}
}

int ew_reg_parse(struct nl_msg *m, struct ew_reg *r, uint64_t *seq)
{
	struct nlattr *head, *a;
	unsigned int seen = 0;
	int len, rem, err;

	memset(r, 0, sizeof(*r));
	if (seq)
		*seq = 0;
	err = ew_genl_attrs(m, &head, &len, NULL);
	if (err)
		return err;
	nla_for_each_attr(a, head, len, rem) {
		err = reg_attr(a, r, seq, &seen);
		if (err)
			return err;
	}
	if (rem > 0 || (seen & REG_REQUIRED) != REG_REQUIRED)
		return -EPROTO;
	/* Notifications must say where they are in the event sequence. */
	if (seq && !(seen & REG_SEQ))
		return -EPROTO;
	return 0;
}

static int put_cgroup(struct nl_msg *msg, struct ew_cgroup_ref cg)
{
	if (cg.fd >= 0)
		return nla_put_s32(msg, EDGEWARD_A_REG_CGROUP_FD, cg.fd);
	return nla_put_u64(msg, EDGEWARD_A_REG_CGROUP_ID, cg.id);
}

static int check_cgroup(struct ew_cgroup_ref cg, struct ew_error *e)
{
	if (cg.fd < 0 && cg.id == 0)
		return ew_err_set(e, -EINVAL,
				  "no cgroup given (neither a directory fd nor an id)");
	return 0;
}

/* Builds in *out a request naming one cgroup. */
static int cgroup_request(struct ew_client *c, uint8_t cmd,
			  struct ew_cgroup_ref cg, struct nl_msg **out,
			  struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	*out = NULL;
	r = check_cgroup(cg, e);
	if (r)
		return r;
	msg = ew_msg_new(c, cmd, 0);
	if (!msg || put_cgroup(msg, cg) < 0) {
		nlmsg_free(msg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	*out = msg;
	return 0;
}

struct reg_reply {
	struct ew_reg *reg;	/* NULL: the reply is not wanted */
	bool got;
};

static int parse_reg_reply(struct nl_msg *m, void *arg)
{
	struct reg_reply *rep = arg;

	if (rep->got)
		return -EPROTO;		/* one registration only */
	rep->got = true;
	if (!rep->reg)
		return 0;
	return ew_reg_parse(m, rep->reg, NULL);
}

int ew_reg_spec_check(const struct ew_reg_spec *spec, struct ew_error *e)
{
	if (!spec->name || !ew_ident_valid(spec->name))
		return ew_err_set(e, -EINVAL,
				  "invalid module name: 1 to %d characters of letters, digits and -:.+%%_#*?!(),=@$'",
				  EDGEWARD_NAME_MAX_LEN);
	if (!spec->gen_id || !ew_ident_valid(spec->gen_id))
		return ew_err_set(e, -EINVAL,
				  "invalid generation id: 1 to %d characters of letters, digits and -:.+%%_#*?!(),=@$'",
				  EDGEWARD_NAME_MAX_LEN);
	if (spec->n_digests > EDGEWARD_DIGESTS_MAX)
		return ew_err_set(e, -E2BIG, "too many digests: %u (at most %d)",
				  spec->n_digests, EDGEWARD_DIGESTS_MAX);
	if (spec->n_digests && !spec->digests)
		return ew_err_set(e, -EINVAL, "digests missing");
	/* 0 is "no mode of its own": the attribute is not sent. */
	if (spec->mode > EDGEWARD_MODE_MAX)
		return ew_err_set(e, -EINVAL, "invalid mode %u", spec->mode);
	if (spec->n_signers > EDGEWARD_SIGNERS_MAX)
		return ew_err_set(e, -E2BIG, "too many signers: %u (at most %d)",
				  spec->n_signers, EDGEWARD_SIGNERS_MAX);
	if (spec->n_signers && !spec->signers)
		return ew_err_set(e, -EINVAL, "signers missing");
	if (spec->flags & ~(uint32_t)EW_REG_FLAGS_ALL)
		return ew_err_set(e, -EINVAL, "invalid flags 0x%x", spec->flags);
	return 0;
}

static int check_spec(const struct ew_reg_spec *spec, struct ew_error *e)
{
	int r = check_cgroup(spec->cgroup, e);

	if (!r)
		r = ew_reg_spec_check(spec, e);
	if (r)
		return r;
	if (spec->manifest_sig_len > EDGEWARD_MANIFEST_SIG_MAX)
		return ew_err_set(e, -E2BIG,
				  "manifest signature too long: %zu bytes (at most %d)",
				  spec->manifest_sig_len, EDGEWARD_MANIFEST_SIG_MAX);
	if (spec->manifest_sig_len && !spec->manifest_sig)
		return ew_err_set(e, -EINVAL, "manifest signature missing");
	return 0;
}

int ew_reg_request(struct ew_client *c, uint8_t cmd,
		   const struct ew_reg_spec *spec, struct nl_msg **out,
		   struct ew_error *e)
{
	struct nl_msg *msg;
	unsigned int i;
	int r;

	*out = NULL;
	r = check_spec(spec, e);
	if (r)
		return r;
	r = cgroup_request(c, cmd, spec->cgroup, &msg, e);
	if (r)
		return r;
	r = nla_put_string(msg, EDGEWARD_A_REG_NAME, spec->name);
	if (r >= 0)
		r = nla_put_string(msg, EDGEWARD_A_REG_GEN_ID, spec->gen_id);
	for (i = 0; r >= 0 && i < spec->n_digests; i++)
		r = nla_put(msg, EDGEWARD_A_REG_DIGEST, EDGEWARD_DIGEST_LEN,
			    spec->digests[i]);
	if (r >= 0 && spec->mode)
		r = nla_put_u32(msg, EDGEWARD_A_REG_MODE, spec->mode);
	/* In order: the kernel's manifest lists the signers as they come. */
	for (i = 0; r >= 0 && i < spec->n_signers; i++)
		r = nla_put_u32(msg, EDGEWARD_A_REG_SIGNER, spec->signers[i]);
	if (r >= 0 && spec->flags)
		r = nla_put_u32(msg, EDGEWARD_A_REG_FLAGS, spec->flags);
	if (r >= 0 && spec->manifest_sig_len)
		r = nla_put(msg, EDGEWARD_A_REG_MANIFEST_SIG,
			    (int)spec->manifest_sig_len, spec->manifest_sig);
	if (r < 0) {
		nlmsg_free(msg);
		return ew_err_set(e, -ENOMEM, "out of memory");
	}
	*out = msg;
	return 0;
}

/* EDGEWARD_CMD_REG_NEW and _REG_SET: the same request and reply. */
static int reg_publish(struct ew_client *c, uint8_t cmd,
		       const struct ew_reg_spec *spec, struct ew_reg *out,
		       struct ew_error *e)
{
	struct reg_reply rep = { .reg = out };
	struct nl_msg *msg;
	int r;

	r = ew_reg_request(c, cmd, spec, &msg, e);
	if (r)
		return r;
	r = ew_transact(c, msg, parse_reg_reply, &rep, NULL, e);
	if (r)
		return r;
	if (out && !rep.got)
		return ew_err_set(e, -EPROTO,
				  "%s: the kernel sent no registration",
				  cmd == EDGEWARD_CMD_REG_SET ?
				  "replacing the registration" :
				  "registering the module");
	return 0;
}

int ew_reg_new(struct ew_client *c, const struct ew_reg_spec *spec,
	       struct ew_reg *out, struct ew_error *e)
{
	return reg_publish(c, EDGEWARD_CMD_REG_NEW, spec, out, e);
}

int ew_reg_set(struct ew_client *c, const struct ew_reg_spec *spec,
	       struct ew_reg *out, struct ew_error *e)
{
	return reg_publish(c, EDGEWARD_CMD_REG_SET, spec, out, e);
}

int ew_reg_del(struct ew_client *c, struct ew_cgroup_ref cg, struct ew_error *e)
{
	struct nl_msg *msg;
	int r;

	r = cgroup_request(c, EDGEWARD_CMD_REG_DEL, cg, &msg, e);
	if (r)
		return r;
	return ew_transact(c, msg, NULL, NULL, NULL, e);
}

int ew_reg_get(struct ew_client *c, struct ew_cgroup_ref cg, struct ew_reg *out,
	       struct ew_error *e)
{
	struct reg_reply rep = { .reg = out };
	struct nl_msg *msg;
	int r;

	r = cgroup_request(c, EDGEWARD_CMD_REG_GET, cg, &msg, e);
	if (r)
		return r;
	r = ew_transact(c, msg, parse_reg_reply, &rep, NULL, e);
	if (r)
		return r;
	if (!rep.got)
		return ew_err_set(e, -EPROTO,
				  "reading the registration: the kernel sent no registration");
	return 0;
}

/* A growing array of registrations filled by a dump. */
struct reg_array {
	struct ew_reg *regs;
	size_t n, cap;
};

static int parse_dump_entry(struct nl_msg *m, void *arg)
{
	struct reg_array *arr = arg;

	if (arr->n == arr->cap) {
		size_t cap = arr->cap ? 2 * arr->cap : 16;
		struct ew_reg *p;

		/* The kernel holds at most EDGEWARD_REGS_MAX. */
		if (arr->n >= EDGEWARD_REGS_MAX)
			return -EPROTO;
		p = reallocarray(arr->regs, cap, sizeof(*p));
		if (!p)
			return -ENOMEM;
		arr->regs = p;
		arr->cap = cap;
	}
	return ew_reg_parse(m, &arr->regs[arr->n++], NULL);
}

/* One dump; *intr says whether it raced with a change. */
static int dump_once(struct ew_client *c, struct reg_array *arr, bool *intr,
		     struct ew_error *e)
{
	struct nl_msg *msg;

	msg = ew_msg_new(c, EDGEWARD_CMD_REG_GET, NLM_F_DUMP);
	if (!msg)
		return ew_err_set(e, -ENOMEM, "out of memory");
	return ew_transact(c, msg, parse_dump_entry, arr, intr, e);
}

int ew_reg_list(struct ew_client *c, struct ew_reg **regs, size_t *n,
		struct ew_error *e)
{
	struct reg_array arr = { 0 };
	bool intr = false;
	int attempt, r;

	*regs = NULL;
	*n = 0;
	for (attempt = 0; attempt <= EW_DUMP_RETRIES; attempt++) {
		arr.n = 0;
		r = dump_once(c, &arr, &intr, e);
		if (r || !intr)
			break;
	}
	if (!r && intr)
		r = ew_err_set(e, -EAGAIN,
			       "listing the registrations: the registry kept changing during %d dumps",
			       EW_DUMP_RETRIES + 1);
	if (r) {
		free(arr.regs);
		return r;
	}
	*regs = arr.regs;
	*n = arr.n;
	return 0;
}

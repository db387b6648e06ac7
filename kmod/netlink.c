// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The "edgeward" generic netlink family: policies, commands and replies. The
 * contract is documented in uapi/linux/edgeward.h.
 */

#include "netlink.h"
#include "attest.h"
#include "compat.h"
#include "events.h"
#include "imalog.h"
#include "keyring.h"
#include "manifest.h"
#include "mode.h"
#include "registry.h"
#include "version.h"

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/edgeward.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>

static const struct nla_policy ew_reg_new_policy[EDGEWARD_A_REG_MAX + 1] = {
	[EDGEWARD_A_REG_CGROUP_ID]	= { .type = NLA_U64 },
	[EDGEWARD_A_REG_CGROUP_FD]	= { .type = NLA_S32 },
	[EDGEWARD_A_REG_NAME]		= { .type = NLA_NUL_STRING,
					    .len = EDGEWARD_NAME_MAX_LEN },
	[EDGEWARD_A_REG_GEN_ID]		= { .type = NLA_NUL_STRING,
					    .len = EDGEWARD_NAME_MAX_LEN },
	[EDGEWARD_A_REG_DIGEST]		= NLA_POLICY_EXACT_LEN(EDGEWARD_DIGEST_LEN),
	[EDGEWARD_A_REG_MODE]		= NLA_POLICY_RANGE(NLA_U32,
							   EDGEWARD_MODE_OFF,
							   EDGEWARD_MODE_MAX),
	[EDGEWARD_A_REG_SIGNER]		= { .type = NLA_U32 },
	[EDGEWARD_A_REG_FLAGS]		= NLA_POLICY_MASK(NLA_U32,
			EDGEWARD_REG_FLAGS_AGENT |
			EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST),
	[EDGEWARD_A_REG_MANIFEST_SIG]	= NLA_POLICY_RANGE(NLA_BINARY, 1,
			EDGEWARD_MANIFEST_SIG_MAX),
};

/* Commands that only name a registration. */
static const struct nla_policy ew_reg_ref_policy[EDGEWARD_A_REG_MAX + 1] = {
	[EDGEWARD_A_REG_CGROUP_ID]	= { .type = NLA_U64 },
	[EDGEWARD_A_REG_CGROUP_FD]	= { .type = NLA_S32 },
};

static const struct nla_policy ew_mode_set_policy[EDGEWARD_A_MODE_MAX + 1] = {
	[EDGEWARD_A_MODE_MODE]		= NLA_POLICY_RANGE(NLA_U32,
							   EDGEWARD_MODE_OFF,
							   EDGEWARD_MODE_MAX),
};

static const struct nla_policy ew_attest_policy[EDGEWARD_A_TASK_MAX + 1] = {
	[EDGEWARD_A_TASK_SOCK_FD]	= { .type = NLA_S32 },
	[EDGEWARD_A_TASK_PID]		= NLA_POLICY_MIN(NLA_U32, 1),
};

/* Sets a message naming the attribute, which GENL_REQ_ATTR_CHECK() does not. */
#define EW_REQUIRE(info, attr, msg) ({					\
	struct genl_info *__info = (info);				\
	int __attr = (attr);						\
	bool __missing = !__info->attrs[__attr];			\
									\
	if (__missing) {						\
		NL_SET_ERR_MSG(__info->extack, msg);			\
		NL_SET_ERR_ATTR_MISS(__info->extack, NULL, __attr);	\
	}								\
	__missing;							\
})

static bool ew_allowed(struct sk_buff *skb, struct netlink_ext_ack *extack)
{
	/* Both the opener of the socket and the sender need the capability. */
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return true;
	NL_SET_ERR_MSG(extack, "edgeward requires CAP_SYS_ADMIN");
	return false;
}

static int ew_nl_pre_doit(const struct ew_genl_doit_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	return ew_allowed(skb, info->extack) ? 0 : -EPERM;
}

/* The IoT Hub module id alphabet, ASCII only. */
static bool ew_ident_valid(const char *s)
{
	static const char extra[] = "-:.+%_#*?!(),=@$'";

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isascii(*s) || (!isalnum(*s) && !strchr(extra, *s)))
			return false;
	}
	return true;
}

size_t ew_nl_reg_size(const struct ew_reg *reg)
{
	return nla_total_size_64bit(sizeof(u64)) +		/* CGROUP_ID */
	       nla_total_size(strlen(reg->path) + 1) +		/* CGROUP_PATH */
	       nla_total_size(strlen(reg->name) + 1) +		/* NAME */
	       nla_total_size(strlen(reg->gen_id) + 1) +	/* GEN_ID */
	       reg->n_digests * nla_total_size(EDGEWARD_DIGEST_LEN) +
	       reg->n_signers * nla_total_size(sizeof(u32)) +
	       nla_total_size(sizeof(u32)) +			/* MODE */
	       nla_total_size(sizeof(u32)) +			/* FLAGS */
	       nla_total_size_64bit(sizeof(u64));		/* SEQ, events */
}

int ew_nl_put_reg(struct sk_buff *skb, const struct ew_reg *reg)
{
	unsigned int i;

	if (nla_put_u64_64bit(skb, EDGEWARD_A_REG_CGROUP_ID, reg->cgroup_id,
			      EDGEWARD_A_REG_PAD) ||
	    nla_put_string(skb, EDGEWARD_A_REG_CGROUP_PATH, reg->path) ||
	    nla_put_string(skb, EDGEWARD_A_REG_NAME, reg->name) ||
	    nla_put_string(skb, EDGEWARD_A_REG_GEN_ID, reg->gen_id))
		return -EMSGSIZE;
	for (i = 0; i < reg->n_digests; i++) {
		if (nla_put(skb, EDGEWARD_A_REG_DIGEST, EDGEWARD_DIGEST_LEN,
			    reg->digests[i]))
			return -EMSGSIZE;
	}
	for (i = 0; i < reg->n_signers; i++) {
		if (nla_put_u32(skb, EDGEWARD_A_REG_SIGNER, reg->signers[i]))
			return -EMSGSIZE;
	}
	if (reg->mode && nla_put_u32(skb, EDGEWARD_A_REG_MODE, reg->mode))
		return -EMSGSIZE;
	if (reg->flags && nla_put_u32(skb, EDGEWARD_A_REG_FLAGS, reg->flags))
		return -EMSGSIZE;
	return 0;
}

/* A reply carrying one registration; called with the registry locked. */
static struct sk_buff *ew_nl_reg_reply(struct genl_info *info,
				       const struct ew_reg *reg)
{
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(ew_nl_reg_size(reg), GFP_KERNEL);
	if (!reply)
		return ERR_PTR(-ENOMEM);
	hdr = genlmsg_put_reply(reply, info, &ew_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || ew_nl_put_reg(reply, reg)) {
		nlmsg_free(reply);
		return ERR_PTR(-EMSGSIZE);
	}
	genlmsg_end(reply, hdr);
	return reply;
}

static bool ew_nl_one_cgroup(struct genl_info *info)
{
	if (!info->attrs[EDGEWARD_A_REG_CGROUP_FD] ==
	    !info->attrs[EDGEWARD_A_REG_CGROUP_ID]) {
		NL_SET_ERR_MSG(info->extack,
			       "exactly one of cgroup-fd and cgroup-id is required");
		return false;
	}
	return true;
}

/* Resolves the cgroup of a request to a reference on a live cgroup v2. */
static struct cgroup *ew_nl_cgroup_get(struct genl_info *info)
{
	struct nlattr *fd = info->attrs[EDGEWARD_A_REG_CGROUP_FD];
	struct nlattr *id = info->attrs[EDGEWARD_A_REG_CGROUP_ID];
	struct cgroup *cgrp;

	if (!ew_nl_one_cgroup(info))
		return ERR_PTR(-EINVAL);

	if (fd) {
		/* Looked up in current's file table: the sender's. */
		cgrp = cgroup_get_from_fd(nla_get_s32(fd));
		if (PTR_ERR_OR_ZERO(cgrp) == -ENOENT) {
			NL_SET_ERR_MSG_ATTR(info->extack, fd,
					    "cgroup has been removed");
			return cgrp;
		}
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(info->extack, fd,
					    "not an open cgroup v2 directory");
			return cgrp;
		}
	} else {
		cgrp = cgroup_get_from_id(nla_get_u64(id));
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(info->extack, id, "no such cgroup");
			return cgrp;
		}
	}

	/* Removal may still be under way; cgroup_is_dead() is internal. */
	if (!(READ_ONCE(cgrp->self.flags) & CSS_ONLINE)) {
		cgroup_put(cgrp);
		NL_SET_ERR_MSG_ATTR(info->extack, fd ?: id,
				    "cgroup has been removed");
		return ERR_PTR(-ENOENT);
	}
	return cgrp;
}

/*
 * The cgroup id a request names. Unlike ew_nl_cgroup_get(), an id is taken as
 * it is, so that the registration of a removed cgroup can still be read and
 * deleted.
 */
static int ew_nl_cgroup_id(struct genl_info *info, u64 *id)
{
	struct cgroup *cgrp;

	if (!ew_nl_one_cgroup(info))
		return -EINVAL;
	if (info->attrs[EDGEWARD_A_REG_CGROUP_ID]) {
		*id = nla_get_u64(info->attrs[EDGEWARD_A_REG_CGROUP_ID]);
		return 0;
	}
	cgrp = ew_nl_cgroup_get(info);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	*id = cgroup_id(cgrp);
	cgroup_put(cgrp);
	return 0;
}

/* How many times a repeatable attribute appears; the policy checked each. */
static int ew_nl_count(struct genl_info *info, int type)
{
	const struct nlattr *attr;
	int n = 0, rem;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == type)
			n++;
	}
	return n;
}

static void ew_nl_copy_lists(struct genl_info *info, struct ew_reg *reg)
{
	const struct nlattr *attr;
	unsigned int d = 0, s = 0;
	int rem;

	nlmsg_for_each_attr(attr, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(attr) == EDGEWARD_A_REG_DIGEST &&
		    !WARN_ON_ONCE(d >= reg->n_digests))
			memcpy(reg->digests[d++], nla_data(attr),
			       EDGEWARD_DIGEST_LEN);
		else if (nla_type(attr) == EDGEWARD_A_REG_SIGNER &&
			 !WARN_ON_ONCE(s >= reg->n_signers))
			reg->signers[s++] = nla_get_u32(attr);
	}
}

static int ew_nl_check_idents(struct genl_info *info)
{
	struct nlattr *name = info->attrs[EDGEWARD_A_REG_NAME];
	struct nlattr *gen_id = info->attrs[EDGEWARD_A_REG_GEN_ID];

	if (EW_REQUIRE(info, EDGEWARD_A_REG_NAME, "missing attribute: name") ||
	    EW_REQUIRE(info, EDGEWARD_A_REG_GEN_ID, "missing attribute: gen-id"))
		return -EINVAL;
	if (!ew_ident_valid(nla_data(name))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "name is empty or has a character outside the module id alphabet");
		return -EINVAL;
	}
	if (!ew_ident_valid(nla_data(gen_id))) {
		NL_SET_ERR_MSG_ATTR(info->extack, gen_id,
				    "gen-id is empty or has a character outside the module id alphabet");
		return -EINVAL;
	}
	return 0;
}

/* A registration built from a EDGEWARD_CMD_REG_NEW request, unpublished. */
static struct ew_reg *ew_nl_reg_build(struct genl_info *info)
{
	struct ew_reg *reg = ERR_PTR(-ENOMEM);
	struct cgroup *cgrp;
	int n, n_signers, len;
	char *path;

	n = ew_nl_check_idents(info);
	if (n)
		return ERR_PTR(n);
	n = ew_nl_count(info, EDGEWARD_A_REG_DIGEST);
	if (n > EDGEWARD_DIGESTS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many digests");
		return ERR_PTR(-E2BIG);
	}
	n_signers = ew_nl_count(info, EDGEWARD_A_REG_SIGNER);
	if (n_signers > EDGEWARD_SIGNERS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many signers");
		return ERR_PTR(-E2BIG);
	}

	cgrp = ew_nl_cgroup_get(info);
	if (IS_ERR(cgrp))
		return ERR_CAST(cgrp);
	if (cgrp->level >= EW_REG_LEVELS) {
		NL_SET_ERR_MSG(info->extack, "cgroup is nested too deep");
		reg = ERR_PTR(-EINVAL);
		goto out_put;
	}
	/* It holds every process, kernel helpers included. */
	if (!cgrp->level) {
		NL_SET_ERR_MSG(info->extack, "the root cgroup cannot be registered");
		reg = ERR_PTR(-EINVAL);
		goto out_put;
	}

	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		goto out_put;
	len = cgroup_path_ns(cgrp, path, PATH_MAX, current->nsproxy->cgroup_ns);
	if (len >= PATH_MAX)
		len = -ENAMETOOLONG;
	if (len < 0) {
		NL_SET_ERR_MSG(info->extack, "cannot resolve the cgroup's path");
		reg = ERR_PTR(len);
		goto out_free;
	}

	reg = ew_reg_alloc(n, path);
	if (!reg) {
		reg = ERR_PTR(-ENOMEM);
		goto out_free;
	}
	reg->cgroup_id = cgroup_id(cgrp);
	reg->level = cgrp->level;
	if (info->attrs[EDGEWARD_A_REG_MODE])
		reg->mode = nla_get_u32(info->attrs[EDGEWARD_A_REG_MODE]);
	if (info->attrs[EDGEWARD_A_REG_FLAGS])
		reg->flags = nla_get_u32(info->attrs[EDGEWARD_A_REG_FLAGS]);
	strscpy(reg->name, nla_data(info->attrs[EDGEWARD_A_REG_NAME]),
		sizeof(reg->name));
	strscpy(reg->gen_id, nla_data(info->attrs[EDGEWARD_A_REG_GEN_ID]),
		sizeof(reg->gen_id));
	reg->n_signers = n_signers;
	ew_nl_copy_lists(info, reg);

out_free:
	kfree(path);
out_put:
	cgroup_put(cgrp);
	return reg;
}

/*
 * Whether publishing @reg (replacing @old, if any) needs a signed manifest;
 * says why in @extack.
 */
static bool ew_nl_needs_manifest(const struct ew_reg *reg,
				 const struct ew_reg *old,
				 struct netlink_ext_ack *extack)
{
	if (ew_locked()) {
		NL_SET_ERR_MSG(extack, "locked: registrations must carry a signed manifest");
		return true;
	}
	if ((reg->flags | (old ? old->flags : 0)) &
	    EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST) {
		NL_SET_ERR_MSG(extack, "registration requires a signed manifest");
		return true;
	}
	return false;
}

/* Publishes the registration a request describes, new or replacing one. */
static int ew_nl_reg_publish(struct genl_info *info, bool replace)
{
	struct nlattr *sig = info->attrs[EDGEWARD_A_REG_MANIFEST_SIG];
	struct ew_reg *reg, *old = NULL;
	struct sk_buff *reply;
	int ret;

	reg = ew_nl_reg_build(info);
	if (IS_ERR(reg))
		return PTR_ERR(reg);

	/* Checked before the lock, whether needed or not: it takes time. */
	if (sig) {
		ret = ew_manifest_verify(reg, nla_data(sig), nla_len(sig),
					 info->extack);
		if (ret) {
			ew_reg_free(reg);
			return ret;
		}
	}

	/* Built before publishing, so that success is never half-reported. */
	reply = ew_nl_reg_reply(info, reg);
	if (IS_ERR(reply)) {
		ew_reg_free(reg);
		return PTR_ERR(reply);
	}

	ew_registry_lock();
	if (replace)
		old = ew_registry_find(reg->cgroup_id);
	if (replace && !old)
		ret = -ENOENT;
	else if (!sig && ew_nl_needs_manifest(reg, old, info->extack))
		ret = -EPERM;
	else if (replace)
		ret = ew_registry_replace(old, reg);
	else
		ret = ew_registry_add(reg);
	if (ret) {
		ew_registry_unlock();
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(info->extack, "cgroup is already registered");
		else if (ret == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "cgroup is not registered");
		else if (ret == -ENOSPC)
			NL_SET_ERR_MSG(info->extack, "registry is full");
		nlmsg_free(reply);
		ew_reg_free(reg);
		return ret;
	}
	ew_event_reg(replace ? EDGEWARD_CMD_REG_CHANGE_NTF :
			       EDGEWARD_CMD_REG_ADD_NTF, reg);
	ew_imalog_reg(replace ? "edgeward-reg-change" : "edgeward-reg-add", reg);
	ew_registry_unlock();

	return genlmsg_reply(reply, info);
}

static int ew_nl_reg_new(struct sk_buff *skb, struct genl_info *info)
{
	return ew_nl_reg_publish(info, false);
}

static int ew_nl_reg_set(struct sk_buff *skb, struct genl_info *info)
{
	return ew_nl_reg_publish(info, true);
}

static int ew_nl_reg_del(struct sk_buff *skb, struct genl_info *info)
{
	struct ew_reg *reg;
	u64 id;
	int ret;

	ret = ew_nl_cgroup_id(info, &id);
	if (ret)
		return ret;

	ew_registry_lock();
	reg = ew_registry_find(id);
	if (!reg) {
		ew_registry_unlock();
		NL_SET_ERR_MSG(info->extack, "cgroup is not registered");
		return -ENOENT;
	}
	ew_event_reg(EDGEWARD_CMD_REG_DEL_NTF, reg);
	ew_imalog_reg("edgeward-reg-del", reg);
	ew_registry_remove(reg);
	ew_registry_unlock();
	return 0;
}

static int ew_nl_reg_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	struct ew_reg *reg;
	u64 id;
	int ret;

	ret = ew_nl_cgroup_id(info, &id);
	if (ret)
		return ret;

	ew_registry_lock();
	reg = ew_registry_find(id);
	if (!reg) {
		ew_registry_unlock();
		NL_SET_ERR_MSG(info->extack, "cgroup is not registered");
		return -ENOENT;
	}
	reply = ew_nl_reg_reply(info, reg);
	ew_registry_unlock();
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	return genlmsg_reply(reply, info);
}

/* Where a dump resumes, or why it must fail; lives in cb->ctx. */
struct ew_dump_ctx {
	u64 last_id;
	bool started;
	int err;
	const char *msg;
};

static int ew_nl_reg_dump_check(struct netlink_callback *cb,
				struct netlink_ext_ack *extack)
{
	struct nlattr **attrs = ew_genl_dump_attrs(cb);

	if (!ew_allowed(cb->skb, extack))
		return -EPERM;
	if (attrs && (attrs[EDGEWARD_A_REG_CGROUP_FD] ||
		      attrs[EDGEWARD_A_REG_CGROUP_ID])) {
		NL_SET_ERR_MSG(extack, "a dump takes no attributes");
		return -EINVAL;
	}
	return 0;
}

static int ew_nl_reg_dump_start(struct netlink_callback *cb)
{
	struct ew_dump_ctx *ctx = (struct ew_dump_ctx *)cb->ctx;
	struct netlink_ext_ack local = {};
	int err;

	BUILD_BUG_ON(sizeof(struct ew_dump_ctx) > sizeof(cb->ctx));
	memset(ctx, 0, sizeof(*ctx));

	err = ew_nl_reg_dump_check(cb, cb->extack ?: &local);
	if (err && !cb->extack) {
		/*
		 * Before 6.2 start() gets no extended ACK and its message
		 * would be lost: fail from the first dump call instead, whose
		 * NLMSG_DONE carries both the error and the message.
		 */
		ctx->err = err;
		ctx->msg = local._msg;
		return 0;
	}
	return err;
}

static int ew_nl_reg_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ew_dump_ctx *ctx = (struct ew_dump_ctx *)cb->ctx;
	struct ew_reg *reg;
	void *hdr;
	int ret = 0;

	if (ctx->err) {
		if (cb->extack)
			cb->extack->_msg = ctx->msg;
		return ctx->err;
	}

	ew_registry_lock();
	/* A change between two parts of the dump flags the later parts. */
	cb->seq = ew_registry_generation();
	for (reg = ew_registry_next(ctx->last_id, !ctx->started); reg;
	     reg = ew_registry_next(reg->cgroup_id, false)) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ew_genl_family,
				  NLM_F_MULTI, EDGEWARD_CMD_REG_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		ret = ew_nl_put_reg(skb, reg);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		ctx->last_id = reg->cgroup_id;
		ctx->started = true;
	}
	ew_registry_unlock();

	/* Full: send what fits and come back; nothing fits: give up. */
	if (ret && skb->len)
		return skb->len;
	return ret;
}

static int ew_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	u32 generation;
	void *hdr;

	reply = genlmsg_new(GENLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &ew_genl_family, 0,
				EDGEWARD_CMD_STATUS_GET);
	if (!hdr)
		goto nospace;

	ew_registry_lock();
	generation = ew_registry_generation();
	ew_registry_unlock();

	if (nla_put_string(reply, EDGEWARD_A_STATUS_VERSION, EDGEWARD_VERSION) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_MODE, ew_mode_get()) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_REG_COUNT, ew_registry_count()) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_GENERATION, generation) ||
	    nla_put_u64_64bit(reply, EDGEWARD_A_STATUS_EVENT_SEQ,
			      ew_events_seq(), EDGEWARD_A_STATUS_PAD) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_IMA, ew_imalog_state()) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_KEYRING, ew_keyring_state()) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_KEYRING_ID,
			ew_keyring_serial()) ||
	    nla_put_u32(reply, EDGEWARD_A_STATUS_LOCKED, ew_locked()))
		goto nospace;

	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

nospace:
	nlmsg_free(reply);
	return -EMSGSIZE;
}

static int ew_nl_mode_set(struct sk_buff *skb, struct genl_info *info)
{
	if (EW_REQUIRE(info, EDGEWARD_A_MODE_MODE, "missing attribute: mode"))
		return -EINVAL;
	if (ew_mode_set(nla_get_u32(info->attrs[EDGEWARD_A_MODE_MODE]))) {
		NL_SET_ERR_MSG(info->extack, "locked: the mode cannot be lowered");
		return -EPERM;
	}
	return 0;
}

static int ew_nl_lock(struct sk_buff *skb, struct genl_info *info)
{
	ew_lock();
	return 0;
}

static int ew_nl_put_attestation(struct sk_buff *skb,
				 const struct ew_attestation *a)
{
	if (nla_put_u32(skb, EDGEWARD_A_TASK_VERDICT, a->verdict) ||
	    nla_put_u32(skb, EDGEWARD_A_TASK_PID, a->pid_nr) ||
	    nla_put_u64_64bit(skb, EDGEWARD_A_TASK_START_TIME, a->start_time,
			      EDGEWARD_A_TASK_PAD) ||
	    nla_put_u64_64bit(skb, EDGEWARD_A_TASK_CGROUP_ID, a->cgroup_id,
			      EDGEWARD_A_TASK_PAD) ||
	    nla_put_u64_64bit(skb, EDGEWARD_A_TASK_REG_CGROUP_ID,
			      a->reg->cgroup_id, EDGEWARD_A_TASK_PAD) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_NAME, a->reg->name) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_GEN_ID, a->reg->gen_id) ||
	    nla_put_string(skb, EDGEWARD_A_TASK_PATH, a->path))
		return -EMSGSIZE;
	if (a->has_digest &&
	    nla_put(skb, EDGEWARD_A_TASK_DIGEST, EDGEWARD_DIGEST_LEN, a->digest))
		return -EMSGSIZE;
	return 0;
}

static int ew_nl_attest(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fd = info->attrs[EDGEWARD_A_TASK_SOCK_FD];
	struct nlattr *nr = info->attrs[EDGEWARD_A_TASK_PID];
	struct ew_attestation a;
	struct sk_buff *reply;
	struct pid *pid;
	void *hdr;
	int ret;

	if (!fd == !nr) {
		NL_SET_ERR_MSG(info->extack,
			       "exactly one of sock-fd and pid is required");
		return -EINVAL;
	}
	if (fd) {
		pid = ew_attest_sock_peer(nla_get_s32(fd), info->extack);
		if (IS_ERR(pid))
			return PTR_ERR(pid);
	} else {
		pid = find_get_pid(nla_get_u32(nr));
		if (!pid) {
			NL_SET_ERR_MSG_ATTR(info->extack, nr, "no such process");
			return -ESRCH;
		}
	}
	ret = ew_attest(pid, &a, info->extack);
	put_pid(pid);
	if (ret)
		return ret;

	reply = genlmsg_new(GENLMSG_DEFAULT_SIZE + strlen(a.path), GFP_KERNEL);
	if (!reply) {
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(reply, info, &ew_genl_family, 0,
				EDGEWARD_CMD_ATTEST);
	if (!hdr || ew_nl_put_attestation(reply, &a)) {
		nlmsg_free(reply);
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(reply, hdr);
	ret = genlmsg_reply(reply, info);
out:
	ew_attestation_release(&a);
	return ret;
}

static const struct genl_ops ew_genl_ops[] = {
	{
		.cmd = EDGEWARD_CMD_STATUS_GET,
		.doit = ew_nl_status_get,
		/* No policy: the core rejects any attribute. */
	},
	{
		.cmd = EDGEWARD_CMD_REG_NEW,
		.doit = ew_nl_reg_new,
		.policy = ew_reg_new_policy,
		.maxattr = EDGEWARD_A_REG_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_REG_DEL,
		.doit = ew_nl_reg_del,
		.policy = ew_reg_ref_policy,
		.maxattr = EDGEWARD_A_REG_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_REG_GET,
		.doit = ew_nl_reg_get,
		.start = ew_nl_reg_dump_start,
		.dumpit = ew_nl_reg_dump,
		.policy = ew_reg_ref_policy,
		.maxattr = EDGEWARD_A_REG_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_MODE_SET,
		.doit = ew_nl_mode_set,
		.policy = ew_mode_set_policy,
		.maxattr = EDGEWARD_A_MODE_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_REG_SET,
		.doit = ew_nl_reg_set,
		.policy = ew_reg_new_policy,
		.maxattr = EDGEWARD_A_REG_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_ATTEST,
		.doit = ew_nl_attest,
		.policy = ew_attest_policy,
		.maxattr = EDGEWARD_A_TASK_MAX,
	},
	{
		.cmd = EDGEWARD_CMD_LOCK,
		.doit = ew_nl_lock,
		/* No policy: the core rejects any attribute. */
	},
};

static const struct genl_multicast_group ew_mcgrps[] = {
	[EW_MCGRP_EVENTS] = {
		.name = EDGEWARD_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_SYS_ADMIN,
	},
};

struct genl_family ew_genl_family __ro_after_init = {
	.name = EDGEWARD_FAMILY_NAME,
	.version = EDGEWARD_FAMILY_VERSION,
	.module = THIS_MODULE,
	/* Strict validation of every command, header included. */
	.resv_start_op = 0,
	/* Invisible outside the initial network namespace. */
	.netnsok = false,
	/* The registry has its own lock; do not hold the global genl one. */
	.parallel_ops = true,
	.pre_doit = ew_nl_pre_doit,
	.ops = ew_genl_ops,
	.n_ops = ARRAY_SIZE(ew_genl_ops),
	.mcgrps = ew_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ew_mcgrps),
};

int __init ew_netlink_init(void)
{
	return genl_register_family(&ew_genl_family);
}

void ew_netlink_exit(void)
{
	genl_unregister_family(&ew_genl_family);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The registry of modules, keyed by cgroup id.
 *
 * Two indexes over the same registrations: a hash table for lookups by cgroup
 * id, safe under RCU so that the paths that judge processes never take a lock,
 * and a list sorted by cgroup id so that a dump, which the netlink core
 * spreads over several calls, can resume after the last id it sent however
 * the registry changed in between. Writers and dumps serialise on one mutex;
 * every change bumps a generation counter that dumps use to flag themselves
 * interrupted.
 *
 * A process is governed by the registration of its nearest registered
 * ancestor cgroup. Rather than looking up every ancestor, the registry keeps
 * a mask of the cgroup levels that hold registrations: on a gateway whose
 * modules all sit at one depth, judging any process costs one lookup.
 */

#include "registry.h"

#include <linux/bitops.h>
#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

static DEFINE_MUTEX(ew_registry_mutex);
static struct rhashtable ew_registry_table;
static LIST_HEAD(ew_registry_list);
static unsigned int ew_registry_nr;
/* Registrations per cgroup level, and the levels that have any. */
static unsigned int ew_level_nr[EW_REG_LEVELS];
static u64 ew_level_mask;
/* Never 0: the netlink core ignores a dump sequence of 0. */
static u32 ew_registry_gen = 1;

static const struct rhashtable_params ew_reg_params = {
	.key_len = sizeof(u64),
	.key_offset = offsetof(struct ew_reg, cgroup_id),
	.head_offset = offsetof(struct ew_reg, node),
	.automatic_shrinking = true,
};

/**
 * ew_reg_alloc() - allocate an unpublished registration
 * @n_digests: number of digests it will hold, at most EDGEWARD_DIGESTS_MAX
 * @path: the cgroup's path, copied into the registration
 *
 * Return: a registration with @path set and everything else zeroed, or NULL.
 */
struct ew_reg *ew_reg_alloc(unsigned int n_digests, const char *path)
{
	size_t path_size = strlen(path) + 1;
	struct ew_reg *reg;
	char *tail;

	if (WARN_ON_ONCE(n_digests > EDGEWARD_DIGESTS_MAX))
		return NULL;
	reg = kzalloc(size_add(struct_size(reg, digests, n_digests), path_size),
		      GFP_KERNEL);
	if (!reg)
		return NULL;
	refcount_set(&reg->ref, 1);
	reg->n_digests = n_digests;
	tail = (char *)&reg->digests[n_digests];
	memcpy(tail, path, path_size);
	reg->path = tail;
	return reg;
}

/**
 * ew_reg_free() - free a registration that was never published
 * @reg: the registration, may be NULL
 */
void ew_reg_free(struct ew_reg *reg)
{
	kfree(reg);
}

/**
 * ew_reg_put() - drop a reference to a published registration
 * @reg: the registration
 */
void ew_reg_put(struct ew_reg *reg)
{
	if (refcount_dec_and_test(&reg->ref))
		kfree_rcu(reg, rcu);
}

/**
 * ew_reg_allows() - whether a digest is one of the registration's
 * @reg: the registration
 * @digest: EDGEWARD_DIGEST_LEN bytes
 *
 * Return: true if @digest is listed.
 */
bool ew_reg_allows(const struct ew_reg *reg, const u8 *digest)
{
	unsigned int i;

	for (i = 0; i < reg->n_digests; i++) {
		if (!memcmp(reg->digests[i], digest, EDGEWARD_DIGEST_LEN))
			return true;
	}
	return false;
}

/**
 * ew_registry_lookup() - the registration governing a cgroup
 * @cgrp: a cgroup v2, under rcu_read_lock()
 *
 * Return: the registration of @cgrp or of its nearest registered ancestor,
 * with a reference for the caller, or NULL.
 */
struct ew_reg *ew_registry_lookup(struct cgroup *cgrp)
{
	u64 mask = READ_ONCE(ew_level_mask);
	struct ew_reg *reg;
	u64 id;
	int level;

	if (cgrp->level < EW_REG_LEVELS - 1)
		mask &= GENMASK_ULL(cgrp->level, 0);
	while (mask) {
		level = fls64(mask) - 1;
		id = cgroup_id(cgrp->ancestors[level]);
		reg = rhashtable_lookup(&ew_registry_table, &id, ew_reg_params);
		if (reg && refcount_inc_not_zero(&reg->ref))
			return reg;
		mask &= ~BIT_ULL(level);
	}
	return NULL;
}

void ew_registry_lock(void)
{
	mutex_lock(&ew_registry_mutex);
}

void ew_registry_unlock(void)
{
	mutex_unlock(&ew_registry_mutex);
}

static void ew_registry_changed(void)
{
	if (++ew_registry_gen == 0)
		ew_registry_gen = 1;
}

static void ew_level_add(unsigned int level, int delta)
{
	ew_level_nr[level] += delta;
	if (ew_level_nr[level])
		WRITE_ONCE(ew_level_mask, ew_level_mask | BIT_ULL(level));
	else
		WRITE_ONCE(ew_level_mask, ew_level_mask & ~BIT_ULL(level));
}

/**
 * ew_registry_add() - publish a registration
 * @reg: the registration, with @reg->cgroup_id and @reg->level set
 *
 * On success the registry owns @reg (its reference).
 *
 * Return: 0, -EEXIST if the cgroup is registered already, -ENOSPC if the
 * registry is full, or -ENOMEM.
 */
int ew_registry_add(struct ew_reg *reg)
{
	struct ew_reg *pos;
	int ret;

	lockdep_assert_held(&ew_registry_mutex);

	if (WARN_ON_ONCE(reg->level >= EW_REG_LEVELS))
		return -EINVAL;
	if (ew_registry_nr >= EDGEWARD_REGS_MAX)
		return -ENOSPC;
	ret = rhashtable_lookup_insert_fast(&ew_registry_table, &reg->node,
					    ew_reg_params);
	if (ret)
		return ret;

	/* Keep the list sorted: insert before the first larger id. */
	list_for_each_entry(pos, &ew_registry_list, entry) {
		if (pos->cgroup_id > reg->cgroup_id)
			break;
	}
	list_add_tail(&reg->entry, &pos->entry);
	WRITE_ONCE(ew_registry_nr, ew_registry_nr + 1);
	ew_level_add(reg->level, 1);
	ew_registry_changed();
	return 0;
}

/**
 * ew_registry_remove() - unpublish a registration
 * @reg: a registration found under the same hold of the registry lock
 *
 * Drops the registry's reference: the memory goes once the judges using it
 * are done and the RCU readers that may still see it are gone.
 */
void ew_registry_remove(struct ew_reg *reg)
{
	lockdep_assert_held(&ew_registry_mutex);

	WARN_ON(rhashtable_remove_fast(&ew_registry_table, &reg->node,
				       ew_reg_params));
	list_del(&reg->entry);
	WRITE_ONCE(ew_registry_nr, ew_registry_nr - 1);
	ew_level_add(reg->level, -1);
	ew_registry_changed();
	ew_reg_put(reg);
}

/**
 * ew_registry_replace() - swap a registration for another in one step
 * @old: a registration found under the same hold of the registry lock
 * @reg: its replacement, unpublished, for the same cgroup
 *
 * A lookup finds either @old or @reg, never neither. On success the
 * registry's reference to @old is dropped and @reg's taken over.
 *
 * Return: 0, or a negative errno (nothing changed, @reg is still the
 * caller's).
 */
int ew_registry_replace(struct ew_reg *old, struct ew_reg *reg)
{
	int ret;

	lockdep_assert_held(&ew_registry_mutex);

	if (WARN_ON(old->cgroup_id != reg->cgroup_id))
		return -EINVAL;
	reg->level = old->level;
	ret = rhashtable_replace_fast(&ew_registry_table, &old->node,
				      &reg->node, ew_reg_params);
	if (WARN_ON(ret))
		return ret;
	list_replace(&old->entry, &reg->entry);
	ew_registry_changed();
	ew_reg_put(old);
	return 0;
}

struct ew_reg *ew_registry_find(u64 cgroup_id)
{
	lockdep_assert_held(&ew_registry_mutex);
	return rhashtable_lookup_fast(&ew_registry_table, &cgroup_id,
				      ew_reg_params);
}

/**
 * ew_registry_next() - iterate in ascending cgroup id order
 * @after: the cgroup id last seen
 * @first: start from the beginning, ignoring @after
 *
 * Return: the registration with the smallest cgroup id above @after, or NULL.
 */
struct ew_reg *ew_registry_next(u64 after, bool first)
{
	struct ew_reg *reg;

	lockdep_assert_held(&ew_registry_mutex);

	list_for_each_entry(reg, &ew_registry_list, entry) {
		if (first || reg->cgroup_id > after)
			return reg;
	}
	return NULL;
}

u32 ew_registry_generation(void)
{
	lockdep_assert_held(&ew_registry_mutex);
	return ew_registry_gen;
}

unsigned int ew_registry_count(void)
{
	return READ_ONCE(ew_registry_nr);
}

int ew_registry_init(void)
{
	return rhashtable_init(&ew_registry_table, &ew_reg_params);
}

/*
 * Called when nothing can reach the registry any more (the netlink family is
 * gone), so registrations are freed without waiting for readers.
 */
void ew_registry_exit(void)
{
	struct ew_reg *reg, *tmp;

	mutex_lock(&ew_registry_mutex);
	list_for_each_entry_safe(reg, tmp, &ew_registry_list, entry) {
		list_del(&reg->entry);
		ew_reg_free(reg);
	}
	ew_registry_nr = 0;
	memset(ew_level_nr, 0, sizeof(ew_level_nr));
	ew_level_mask = 0;
	mutex_unlock(&ew_registry_mutex);

	/* The table only points at the registrations freed above. */
	rhashtable_destroy(&ew_registry_table);
}

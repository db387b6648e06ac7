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
 */

#include "registry.h"

#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

static DEFINE_MUTEX(ew_registry_mutex);
static struct rhashtable ew_registry_table;
static LIST_HEAD(ew_registry_list);
static unsigned int ew_registry_nr;
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

/**
 * ew_registry_add() - publish a registration
 * @reg: the registration, with @reg->cgroup_id set
 *
 * On success the registry owns @reg.
 *
 * Return: 0, -EEXIST if the cgroup is registered already, -ENOSPC if the
 * registry is full, or -ENOMEM.
 */
int ew_registry_add(struct ew_reg *reg)
{
	struct ew_reg *pos;
	int ret;

	lockdep_assert_held(&ew_registry_mutex);

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
	ew_registry_changed();
	return 0;
}

/**
 * ew_registry_remove() - unpublish and free a registration
 * @reg: a registration found under the same hold of the registry lock
 *
 * The memory is freed once the RCU readers that may still see it are gone.
 */
void ew_registry_remove(struct ew_reg *reg)
{
	lockdep_assert_held(&ew_registry_mutex);

	WARN_ON(rhashtable_remove_fast(&ew_registry_table, &reg->node,
				       ew_reg_params));
	list_del(&reg->entry);
	WRITE_ONCE(ew_registry_nr, ew_registry_nr - 1);
	ew_registry_changed();
	kfree_rcu(reg, rcu);
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
	mutex_unlock(&ew_registry_mutex);

	/* The table only points at the registrations freed above. */
	rhashtable_destroy(&ew_registry_table);
}

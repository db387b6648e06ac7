/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_REGISTRY_H
#define _EW_REGISTRY_H

#include <linux/edgeward.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

struct cgroup;

/* Registrations live at cgroup levels below this; deeper ones are refused. */
#define EW_REG_LEVELS 64

/**
 * struct ew_reg - the registration of one module
 * @node: in the registry's hash table, keyed by @cgroup_id (RCU readers)
 * @entry: in the registry's list, sorted by @cgroup_id (dumps)
 * @rcu: frees the registration after its last RCU reader
 * @ref: one for the registry, one for each judge using it
 * @cgroup_id: id of the registered cgroup, the key; cgroup ids are never
 *	reused while the system runs, so no reference to the cgroup is kept
 * @level: depth of the cgroup in the hierarchy (the root is 0)
 * @mode: an enum edgeward_mode of its own, or 0 to follow the global mode
 * @flags: enum edgeward_reg_flags bits
 * @path: path of the cgroup as the registering process saw it (cgroup v2
 *	directories cannot be renamed); points into the same allocation
 * @name: module name, NUL-terminated
 * @gen_id: module generation id, NUL-terminated
 * @n_signers: number of entries in @signers
 * @signers: ids of the .edgeward keys whose IMA signatures the module may run
 * @n_digests: number of entries in @digests
 * @digests: SHA-256 digests of the executables the module may run
 *
 * Immutable once published: a change replaces the whole registration.
 */
struct ew_reg {
	struct rhash_head node;
	struct list_head entry;
	struct rcu_head rcu;
	refcount_t ref;
	u64 cgroup_id;
	unsigned int level;
	u32 mode;
	u32 flags;
	const char *path;
	char name[EDGEWARD_NAME_MAX_LEN + 1];
	char gen_id[EDGEWARD_NAME_MAX_LEN + 1];
	unsigned int n_signers;
	u32 signers[EDGEWARD_SIGNERS_MAX];
	unsigned int n_digests;
	u8 digests[][EDGEWARD_DIGEST_LEN];
};

struct ew_reg *ew_reg_alloc(unsigned int n_digests, const char *path);
void ew_reg_free(struct ew_reg *reg);
void ew_reg_put(struct ew_reg *reg);
bool ew_reg_allows(const struct ew_reg *reg, const u8 *digest);

/* Under rcu_read_lock(); returns a reference the caller puts. */
struct ew_reg *ew_registry_lookup(struct cgroup *cgrp);

int ew_registry_init(void);
void ew_registry_exit(void);

void ew_registry_lock(void);
void ew_registry_unlock(void);

/* The functions below need the registry lock. */
int ew_registry_add(struct ew_reg *reg);
void ew_registry_remove(struct ew_reg *reg);
int ew_registry_replace(struct ew_reg *old, struct ew_reg *reg);
struct ew_reg *ew_registry_find(u64 cgroup_id);
struct ew_reg *ew_registry_next(u64 after, bool first);
u32 ew_registry_generation(void);
unsigned int ew_registry_count(void);

#endif /* _EW_REGISTRY_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Measuring executables: the SHA-256 of a file's contents.
 *
 * IMA is asked first (it has the digest when its policy measured the file,
 * and computes one otherwise); when IMA is absent or uses another algorithm,
 * edgeward hashes the file itself. Either way the result is cached, keyed by
 * the inode's identity (device, inode number, generation) and checked against
 * what changes when the contents do (size, ctime and, where the filesystem
 * keeps one, i_version), so a warm exec does not hash again.
 *
 * The cache is a fixed array of slots, one entry each, read under RCU: its
 * memory is bounded, a collision only costs a re-hash, and readers never
 * wait.
 */

#include "measure.h"

#include <crypto/sha2.h>
#include <linux/edgeward.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/ima.h>
#include <linux/iversion.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <uapi/linux/hash_info.h>

#define EW_MCACHE_BITS 10
#define EW_HASH_CHUNK (64 * 1024)

/* What identifies a file's contents as long as they do not change. */
struct ew_mkey {
	dev_t dev;
	unsigned long ino;
	u32 generation;
	loff_t size;
	struct timespec64 ctime;
	u64 iversion;
};

struct ew_mentry {
	struct rcu_head rcu;
	struct ew_mkey key;
	u8 digest[EDGEWARD_DIGEST_LEN];
};

static struct ew_mentry __rcu *ew_mcache[1 << EW_MCACHE_BITS];
static DEFINE_SPINLOCK(ew_mcache_lock);

static void ew_mkey_of(struct inode *inode, struct ew_mkey *key)
{
	memset(key, 0, sizeof(*key));
	key->dev = inode->i_sb->s_dev;
	key->ino = inode->i_ino;
	key->generation = inode->i_generation;
	key->size = i_size_read(inode);
	key->ctime = inode_get_ctime(inode);
	if (IS_I_VERSION(inode))
		key->iversion = inode_peek_iversion(inode);
}

static bool ew_mkey_equal(const struct ew_mkey *a, const struct ew_mkey *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->generation == b->generation && a->size == b->size &&
	       timespec64_equal(&a->ctime, &b->ctime) &&
	       a->iversion == b->iversion;
}

static unsigned int ew_mslot(const struct ew_mkey *key)
{
	return hash_64((u64)key->dev << 32 ^ key->ino, EW_MCACHE_BITS);
}

static bool ew_mcache_get(const struct ew_mkey *key, u8 *digest)
{
	struct ew_mentry *e;
	bool hit = false;

	rcu_read_lock();
	e = rcu_dereference(ew_mcache[ew_mslot(key)]);
	if (e && ew_mkey_equal(&e->key, key)) {
		memcpy(digest, e->digest, EDGEWARD_DIGEST_LEN);
		hit = true;
	}
	rcu_read_unlock();
	return hit;
}

static void ew_mcache_put(const struct ew_mkey *key, const u8 *digest)
{
	struct ew_mentry *e, *old;
	unsigned int slot = ew_mslot(key);

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return;	/* only a cost: the next exec hashes again */
	e->key = *key;
	memcpy(e->digest, digest, EDGEWARD_DIGEST_LEN);

	spin_lock(&ew_mcache_lock);
	old = rcu_replace_pointer(ew_mcache[slot], e,
				  lockdep_is_held(&ew_mcache_lock));
	spin_unlock(&ew_mcache_lock);
	if (old)
		kfree_rcu(old, rcu);
}

static int ew_sha256_file(struct file *file, u8 *digest)
{
	struct sha256_state sctx;
	loff_t pos = 0;
	ssize_t n;
	void *buf;
	int ret = 0;

	buf = kmalloc(EW_HASH_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	sha256_init(&sctx);
	for (;;) {
		n = kernel_read(file, buf, EW_HASH_CHUNK, &pos);
		if (n <= 0) {
			ret = n;
			break;
		}
		sha256_update(&sctx, buf, n);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	sha256_final(&sctx, digest);
	kfree(buf);
	return ret;
}

static int ew_hash_file(struct file *file, u8 *digest)
{
	u8 ima[SHA512_DIGEST_SIZE];

	/* IMA hashes with its configured algorithm; only SHA-256 will do. */
	if (ima_file_hash(file, ima, sizeof(ima)) == HASH_ALGO_SHA256) {
		memcpy(digest, ima, EDGEWARD_DIGEST_LEN);
		return 0;
	}
	return ew_sha256_file(file, digest);
}

/**
 * ew_measure() - the SHA-256 digest of an open file
 * @file: open for reading; may sleep
 * @digest: EDGEWARD_DIGEST_LEN bytes out
 *
 * Return: 0, or a negative errno if the file could not be read.
 */
int ew_measure(struct file *file, u8 *digest)
{
	struct inode *inode = file_inode(file);
	struct ew_mkey before, after;
	int ret;

	ew_mkey_of(inode, &before);
	if (ew_mcache_get(&before, digest))
		return 0;

	ret = ew_hash_file(file, digest);
	if (ret)
		return ret;

	/* A file that changed while it was read is not worth remembering. */
	ew_mkey_of(inode, &after);
	if (ew_mkey_equal(&before, &after))
		ew_mcache_put(&before, digest);
	return 0;
}

/* Called when nothing can measure any more. */
void ew_measure_exit(void)
{
	struct ew_mentry *e;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ew_mcache); i++) {
		e = rcu_replace_pointer(ew_mcache[i], NULL, true);
		if (e)
			kfree_rcu(e, rcu);
	}
}

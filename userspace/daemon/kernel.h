/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's link to the edgeward kernel module: one netlink client
 * shared by the HTTP threads (serialised by a mutex), and an epoch that
 * moves whenever the kernel announces a registry or mode change, so that
 * cached authorization verdicts know when to ask again.
 */
#ifndef EW_DAEMON_KERNEL_H
#define EW_DAEMON_KERNEL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "edgeward.h"

struct ew_kernel {
	pthread_mutex_t lock;
	struct ew_client *client;	/* NULL: the module is not loaded */
	atomic_uint_fast64_t epoch;
};

/*
 * Opens the link. When the module is not loaded: -ENOENT if @required,
 * else 0 with no client (the daemon runs in its weaker fallback mode).
 */
int ew_kernel_open(struct ew_kernel *k, bool required, struct ew_error *e);
void ew_kernel_close(struct ew_kernel *k);

static inline bool ew_kernel_present(const struct ew_kernel *k)
{
	return k->client != NULL;
}

/* Who is at the other end of the connected Unix socket @fd. */
int ew_kernel_attest(struct ew_kernel *k, int fd, struct ew_task *t,
		     struct ew_error *e);

/*
 * Registers the cgroup open at @cgroup_fd for module @name, replacing a
 * registration it already has. Without digests the module follows the
 * mode of the kernel with an empty allow list (nothing may run): callers
 * pass the measured executable.
 */
int ew_kernel_register(struct ew_kernel *k, int cgroup_fd, const char *name,
		       const char *gen_id, const uint8_t (*digests)[EDGEWARD_DIGEST_LEN],
		       unsigned int n_digests, uint32_t flags, struct ew_error *e);
int ew_kernel_unregister(struct ew_kernel *k, uint64_t cgroup_id,
			 struct ew_error *e);
int ew_kernel_list(struct ew_kernel *k, struct ew_reg **regs, size_t *n,
		   struct ew_error *e);
int ew_kernel_status(struct ew_kernel *k, struct ew_status *st,
		     struct ew_error *e);

/* A change was announced (or events were lost): cached verdicts expire. */
static inline void ew_kernel_bump(struct ew_kernel *k)
{
	atomic_fetch_add(&k->epoch, 1);
}

static inline uint64_t ew_kernel_epoch(struct ew_kernel *k)
{
	return atomic_load(&k->epoch);
}

#endif /* EW_DAEMON_KERNEL_H */

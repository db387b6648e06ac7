// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon's link to the kernel module (see kernel.h).
 */
#include <errno.h>
#include <string.h>

#include "daemon/kernel.h"

int ew_kernel_open(struct ew_kernel *k, bool required, struct ew_error *e)
{
	int rc;

	memset(k, 0, sizeof(*k));
	pthread_mutex_init(&k->lock, NULL);
	atomic_init(&k->epoch, 1);
	rc = ew_client_open(&k->client, e);
	if (rc == -ENOENT && !required) {
		k->client = NULL;
		return 0;
	}
	return rc;
}

void ew_kernel_close(struct ew_kernel *k)
{
	if (k->client)
		ew_client_close(k->client);
	k->client = NULL;
	pthread_mutex_destroy(&k->lock);
}

static int absent(struct ew_error *e)
{
	if (e) {
		e->err = -ENOENT;
		strcpy(e->msg, "kernel module not loaded");
	}
	return -ENOENT;
}

int ew_kernel_attest(struct ew_kernel *k, int fd, struct ew_task *t,
		     struct ew_error *e)
{
	int rc;

	if (!k->client)
		return absent(e);
	pthread_mutex_lock(&k->lock);
	rc = ew_attest_fd(k->client, fd, t, e);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int ew_kernel_register(struct ew_kernel *k, int cgroup_fd, const char *name,
		       const char *gen_id, const uint8_t (*digests)[EDGEWARD_DIGEST_LEN],
		       unsigned int n_digests, uint32_t flags, struct ew_error *e)
{
	struct ew_reg_spec spec = {
		.cgroup = { .fd = cgroup_fd },
		.name = name,
		.gen_id = gen_id,
		.n_digests = n_digests,
		.digests = digests,
		.flags = flags,
	};
	int rc;

	if (!k->client)
		return absent(e);
	pthread_mutex_lock(&k->lock);
	rc = ew_reg_new(k->client, &spec, NULL, e);
	if (rc == -EEXIST)
		rc = ew_reg_set(k->client, &spec, NULL, e);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int ew_kernel_unregister(struct ew_kernel *k, uint64_t cgroup_id,
			 struct ew_error *e)
{
	struct ew_cgroup_ref cg = { .fd = -1, .id = cgroup_id };
	int rc;

	if (!k->client)
		return absent(e);
	pthread_mutex_lock(&k->lock);
	rc = ew_reg_del(k->client, cg, e);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int ew_kernel_list(struct ew_kernel *k, struct ew_reg **regs, size_t *n,
		   struct ew_error *e)
{
	int rc;

	if (!k->client)
		return absent(e);
	pthread_mutex_lock(&k->lock);
	rc = ew_reg_list(k->client, regs, n, e);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

int ew_kernel_status(struct ew_kernel *k, struct ew_status *st,
		     struct ew_error *e)
{
	int rc;

	if (!k->client)
		return absent(e);
	pthread_mutex_lock(&k->lock);
	rc = ew_status_get(k->client, st, e);
	pthread_mutex_unlock(&k->lock);
	return rc;
}

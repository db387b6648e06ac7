// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl register, update and unregister */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"

/*
 * Opens --cgroup for the kernel: a directory fd names the cgroup without a
 * race. Checking that it is cgroup v2 here gives a clearer message than the
 * kernel's EBADF.
 */
static int open_cgroup(const char *path, int *fd)
{
	uint64_t id;
	int r;

	*fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return ctl_error("--cgroup %s: %s", path, strerror(errno));
	r = ew_cgroup_id_of_fd(*fd, &id);
	if (r) {
		close(*fd);
		*fd = -1;
		if (r == -EMEDIUMTYPE)
			return ctl_error("--cgroup %s: not a cgroup v2 directory", path);
		return ctl_error("--cgroup %s: %s", path, strerror(-r));
	}
	return CTL_EXIT_OK;
}

/* The cgroup named on the command line; *fd is to be closed if >= 0. */
static int cgroup_ref(const struct ctl_args *a, struct ew_cgroup_ref *ref)
{
	ref->fd = -1;
	ref->id = a->cgroup_id;
	if (a->cgroup_path)
		return open_cgroup(a->cgroup_path, &ref->fd);
	return CTL_EXIT_OK;
}

/* reg-new for register, reg-set for update: the same request. */
static int do_publish(const struct ctl_args *a, struct ew_cgroup_ref ref,
		      const uint8_t *sig, size_t sig_len, struct ew_reg *out)
{
	struct ew_reg_spec spec;
	struct ew_client *c;
	struct ew_error e;
	int r;

	ctl_reg_spec(a, &spec);
	spec.cgroup = ref;
	spec.manifest_sig = sig;
	spec.manifest_sig_len = sig_len;
	r = ctl_open_client(&c);
	if (r)
		return r;
	if (a->cmd == CTL_CMD_UPDATE)
		r = ew_reg_set(c, &spec, out, &e);
	else
		r = ew_reg_new(c, &spec, out, &e);
	ew_client_close(c);
	if (r)
		return ctl_fail(&e);
	return CTL_EXIT_OK;
}

/* The --manifest-sig file, if one was given; *sig is to be freed. */
static int load_sig(const struct ctl_args *a, uint8_t **sig, size_t *len)
{
	char err[512];

	*sig = NULL;
	*len = 0;
	if (!a->manifest_sig_path)
		return CTL_EXIT_OK;
	if (ctl_load_manifest_sig(a->manifest_sig_path, sig, len, err, sizeof(err)))
		return ctl_error("%s", err);
	return CTL_EXIT_OK;
}

/* register and update: both print the registration the kernel now holds. */
static int publish(const struct ctl_args *a)
{
	struct ew_cgroup_ref ref = { .fd = -1 };
	struct ew_reg *out = NULL;
	uint8_t *sig;
	size_t sig_len;
	int r;

	r = load_sig(a, &sig, &sig_len);
	if (!r)
		r = cgroup_ref(a, &ref);
	/* A registration is several KiB: keep it off the stack. */
	if (!r) {
		out = malloc(sizeof(*out));
		r = out ? do_publish(a, ref, sig, sig_len, out) : ctl_error("out of memory");
	}
	free(sig);
	if (ref.fd >= 0)
		close(ref.fd);
	if (!r && a->json)
		r = ctl_emit_json(ctl_json_reg(out), true);
	else if (!r)
		ctl_text_reg(stdout, out);
	free(out);
	return r;
}

int ctl_cmd_register(const struct ctl_args *a)
{
	return publish(a);
}

int ctl_cmd_update(const struct ctl_args *a)
{
	return publish(a);
}

int ctl_cmd_unregister(const struct ctl_args *a)
{
	struct ew_cgroup_ref ref;
	struct ew_client *c;
	struct ew_error e;
	int r;

	r = cgroup_ref(a, &ref);
	if (r)
		return r;
	r = ctl_open_client(&c);
	if (!r) {
		if (ew_reg_del(c, ref, &e))
			r = ctl_fail(&e);
		ew_client_close(c);
	}
	if (ref.fd >= 0)
		close(ref.fd);
	return r;
}

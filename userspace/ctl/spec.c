// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registration a command line describes: one spec for register, update
 * and manifest, so that the manifest printed for signing is the one the
 * kernel rebuilds from the request those options send.
 */
#include "commands.h"

void ctl_reg_spec(const struct ctl_args *a, struct ew_reg_spec *spec)
{
	*spec = (struct ew_reg_spec){
		.cgroup = { .fd = -1, .id = a->cgroup_id },
		.name = a->name,
		.gen_id = a->gen_id,
		.n_digests = a->n_digests,
		.digests = a->digests,
		.mode = a->reg_mode,
		.n_signers = a->n_signers,
		.signers = a->signers,
		.flags = a->flags,
	};
}

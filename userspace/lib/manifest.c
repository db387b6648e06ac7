// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The canonical manifest of a registration: the text a manifest signature
 * (EDGEWARD_A_REG_MANIFEST_SIG) is made over, exactly as the "Signed
 * manifests" section of uapi/linux/edgeward.h specifies it. The kernel
 * rebuilds the same text from the request it receives, so what is printed
 * here for signing must match it byte for byte: every line ends with '\n',
 * digests and signers in the order the request carries them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MANIFEST_MAGIC	"edgeward-manifest-v1"

/* A registration's own mode as the manifest names it. */
static const char *manifest_mode(uint32_t mode)
{
	return mode ? ew_mode_name(mode) : "inherit";
}

int ew_manifest_text(const struct ew_reg_spec *spec, char **text, size_t *len)
{
	char hex[2 * EDGEWARD_DIGEST_LEN + 1], id[9];
	size_t size, n;
	unsigned int i;
	char *buf;
	int r;

	*text = NULL;
	*len = 0;
	r = ew_reg_spec_check(spec, NULL);
	if (r)
		return r;
	/* The fixed lines, the two identifiers, then one line per item. */
	size = sizeof(MANIFEST_MAGIC "\nname=\ngen_id=\nmode=inherit\nflags=4294967295\n") +
	       strlen(spec->name) + strlen(spec->gen_id) +
	       spec->n_digests * (sizeof("digest=\n") - 1 + 2 * EDGEWARD_DIGEST_LEN) +
	       spec->n_signers * (sizeof("signer=00000000\n") - 1);
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	n = (size_t)snprintf(buf, size,
			     MANIFEST_MAGIC "\nname=%s\ngen_id=%s\nmode=%s\nflags=%" PRIu32 "\n",
			     spec->name, spec->gen_id, manifest_mode(spec->mode),
			     spec->flags);
	for (i = 0; i < spec->n_digests; i++) {
		ew_digest_format(spec->digests[i], hex);
		n += (size_t)snprintf(buf + n, size - n, "digest=%s\n", hex);
	}
	for (i = 0; i < spec->n_signers; i++) {
		ew_signer_format(spec->signers[i], id);
		n += (size_t)snprintf(buf + n, size - n, "signer=%s\n", id);
	}
	*text = buf;
	*len = n;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Signed manifests: the canonical text of a registration, and the check of
 * a detached PKCS#7 signature over it against the .edgeward keyring.
 *
 * The text (specified in uapi/linux/edgeward.h) is rebuilt here from the
 * registration the request describes, never taken from the request, so what
 * was signed is exactly what will be enforced. The same text opens the
 * registration's records in the IMA log.
 */

#include "manifest.h"
#include "keyring.h"
#include "mode.h"
#include "registry.h"

#include <linux/edgeward.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/verification.h>
#include <net/netlink.h>

/**
 * ew_manifest_text() - the canonical manifest of a registration
 * @reg: the registration
 * @extra: bytes to leave free after the text, for the caller to append
 * @len: the length of the text, out
 *
 * Return: the text (kfree() it), or NULL without memory.
 */
char *ew_manifest_text(const struct ew_reg *reg, size_t extra, size_t *len)
{
	size_t size;
	unsigned int i;
	char *buf;

	size = 128 + strlen(reg->name) + strlen(reg->gen_id) +
	       reg->n_digests * (sizeof("digest=\n") + 2 * EDGEWARD_DIGEST_LEN) +
	       reg->n_signers * sizeof("signer=00000000\n") + extra;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return NULL;
	*len = scnprintf(buf, size,
			 "edgeward-manifest-v1\nname=%s\ngen_id=%s\nmode=%s\nflags=%u\n",
			 reg->name, reg->gen_id,
			 reg->mode ? ew_mode_name(reg->mode) : "inherit",
			 reg->flags);
	for (i = 0; i < reg->n_digests; i++)
		*len += scnprintf(buf + *len, size - *len, "digest=%*phN\n",
				  EDGEWARD_DIGEST_LEN, reg->digests[i]);
	for (i = 0; i < reg->n_signers; i++)
		*len += scnprintf(buf + *len, size - *len, "signer=%08x\n",
				  reg->signers[i]);
	return buf;
}

/**
 * ew_manifest_verify() - check a signature over a registration's manifest
 * @reg: the registration, as the request describes it
 * @sig: detached PKCS#7 or CMS signature, DER
 * @sig_len: its length
 * @extack: where to say why not
 *
 * Return: 0, -EKEYREJECTED if the signature does not verify against the
 * .edgeward keyring, or -ENOMEM.
 */
int ew_manifest_verify(const struct ew_reg *reg, const void *sig,
		       size_t sig_len, struct netlink_ext_ack *extack)
{
	struct key *keyring = ew_keyring_get();
	size_t len;
	char *text;
	int ret;

	if (!keyring) {
		NL_SET_ERR_MSG(extack, "no .edgeward keyring to verify the manifest");
		return -EKEYREJECTED;
	}
	text = ew_manifest_text(reg, 0, &len);
	if (!text)
		return -ENOMEM;
	ret = verify_pkcs7_signature(text, len, sig, sig_len, keyring,
				     VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
	kfree(text);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		NL_SET_ERR_MSG(extack,
			       "manifest signature does not verify against the .edgeward keyring");
		return -EKEYREJECTED;
	}
	return 0;
}

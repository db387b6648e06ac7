// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The .edgeward keyring and what is verified against it.
 *
 * Integrators sign their executables with IMA signatures ("evmctl ima_sign"
 * writes them to security.ima); a registration may then allow a signer instead
 * of listing every digest. The keys live in a keyring of the module's own,
 * restricted so that only certificates vouched for by the kernel's builtin or
 * secondary trusted keys can be added: whoever can add a key can allow code,
 * so the trust must come from the kernel's own roots. The restriction is set
 * with keyring_restrict() by name ("builtin_and_secondary_trusted"), as the
 * restrict functions are not exported. Test builds (EW_TEST_KEYS) add a
 * test_keys parameter that lifts it, for self-signed test certificates.
 */

#include "keyring.h"
#include "registry.h"

#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <linux/cred.h>
#include <linux/edgeward.h>
#include <linux/fs.h>
#include <linux/key.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/xattr.h>
#include <uapi/linux/hash_info.h>

static struct key *ew_keyring;

#ifdef EW_TEST_KEYS
static bool test_keys;
module_param(test_keys, bool, 0444);
MODULE_PARM_DESC(test_keys, "Test builds only: let the .edgeward keyring take any key");
#else
static const bool test_keys;
#endif

/*
 * security.ima holding a digital signature, version 2, as IMA and evmctl
 * define it: the signature is over the file's digest.
 */
struct ew_ima_sig {
	u8 type;
	u8 version;
	u8 hash_algo;
	__be32 keyid;
	__be16 sig_size;
	u8 sig[];
} __packed;

#define EW_IMA_XATTR_DIGSIG 3
#define EW_IMA_SIG_MAX 1024

int __init ew_keyring_init(void)
{
	struct key *keyring;
	int ret;

	if (!IS_ENABLED(CONFIG_SYSTEM_DATA_VERIFICATION))
		return 0;

	keyring = keyring_alloc(".edgeward", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(),
				(KEY_POS_ALL & ~KEY_POS_SETATTR) |
				KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
				KEY_USR_SEARCH,
				KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	if (IS_ERR(keyring))
		return PTR_ERR(keyring);
	if (!test_keys) {
		ret = keyring_restrict(make_key_ref(keyring, true), "asymmetric",
				       "builtin_and_secondary_trusted");
		if (ret) {
			key_put(keyring);
			return ret;
		}
	}
	ew_keyring = keyring;
	return 0;
}

void ew_keyring_exit(void)
{
	if (!ew_keyring)
		return;
	key_revoke(ew_keyring);
	key_put(ew_keyring);
	ew_keyring = NULL;
}

u32 ew_keyring_state(void)
{
	if (!ew_keyring)
		return EDGEWARD_KEYRING_STATE_ABSENT;
	return test_keys ? EDGEWARD_KEYRING_STATE_TEST_KEYS :
			   EDGEWARD_KEYRING_STATE_AVAILABLE;
}

u32 ew_keyring_serial(void)
{
	return ew_keyring ? ew_keyring->serial : 0;
}

/* The keyring, or NULL; it lives as long as the module. */
struct key *ew_keyring_get(void)
{
	return ew_keyring;
}

static bool ew_reg_has_signer(const struct ew_reg *reg, u32 keyid)
{
	unsigned int i;

	for (i = 0; i < reg->n_signers; i++) {
		if (reg->signers[i] == keyid)
			return true;
	}
	return false;
}

/* Verifies sig over a SHA-256 digest with the keyring's key keyid. */
static bool ew_keyring_verify(u32 keyid, const u8 *digest, u8 *sig,
			      u32 sig_size)
{
	struct public_key_signature pks = {};
	const struct public_key *pk;
	char name[12];
	key_ref_t kref;
	struct key *key;
	int ret = -ENOPKG;

	snprintf(name, sizeof(name), "id:%08x", keyid);
	kref = keyring_search(make_key_ref(ew_keyring, true),
			      &key_type_asymmetric, name, true);
	if (IS_ERR(kref))
		return false;
	key = key_ref_to_ptr(kref);

	/* The encodings IMA accepts for its signatures. */
	pk = asymmetric_key_public_key(key);
	if (!strcmp(pk->pkey_algo, "rsa"))
		pks.encoding = "pkcs1";
	else if (!strncmp(pk->pkey_algo, "ecdsa-", 6))
		pks.encoding = "x962";
	if (pks.encoding) {
		pks.pkey_algo = pk->pkey_algo;
		pks.hash_algo = "sha256";
		pks.digest = (u8 *)digest;
		pks.digest_size = EDGEWARD_DIGEST_LEN;
		pks.s = sig;
		pks.s_size = sig_size;
		ret = verify_signature(key, &pks);
	}
	key_put(key);
	return ret == 0;
}

/**
 * ew_keyring_ima_signed() - whether an executable is signed by a signer its
 * registration allows
 * @reg: the registration
 * @file: the executable
 * @digest: its SHA-256
 *
 * Only version 2 signatures over a SHA-256 digest count: that is the digest
 * edgeward has. Anything else, or no signature, is simply not signed.
 *
 * Return: true if security.ima holds a valid signature by an allowed key.
 */
bool ew_keyring_ima_signed(const struct ew_reg *reg, struct file *file,
			   const u8 *digest)
{
	struct ew_ima_sig *hdr;
	bool ok = false;
	ssize_t len;

	if (!ew_keyring || !reg->n_signers)
		return false;
	hdr = kmalloc(EW_IMA_SIG_MAX, GFP_KERNEL);
	if (!hdr)
		return false;
	/* Kernel-internal read: no permission check, no LSM hook. */
	len = __vfs_getxattr(file->f_path.dentry, file_inode(file),
			     XATTR_NAME_IMA, hdr, EW_IMA_SIG_MAX);
	if (len > (ssize_t)sizeof(*hdr) &&
	    hdr->type == EW_IMA_XATTR_DIGSIG && hdr->version == 2 &&
	    hdr->hash_algo == HASH_ALGO_SHA256 &&
	    be16_to_cpu(hdr->sig_size) == len - sizeof(*hdr) &&
	    ew_reg_has_signer(reg, be32_to_cpu(hdr->keyid)))
		ok = ew_keyring_verify(be32_to_cpu(hdr->keyid), digest,
				       hdr->sig, len - sizeof(*hdr));
	kfree(hdr);
	return ok;
}

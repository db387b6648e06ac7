/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the key store: what a backend (files now; PKCS#11 and TPM 2.0
 * later) provides behind the public functions of keystore.h. keystore.c
 * checks every argument (ids valid, pointers and lengths sane) and lays out
 * the workload API's blobs before it calls an operation, so a backend only
 * keeps keys and uses them.
 *
 * Operations return 0 or a negative errno and, on failure, say why with
 * ew_keystore_set_error(be->ks, ...). A backend is thread-safe on its own:
 * it locks what it needs, and need not hold a lock while it computes.
 */
#ifndef EW_KEYS_BACKEND_H
#define EW_KEYS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "keys/keystore.h"

struct ew_key_backend;

struct ew_key_backend_ops {
	const char *name;
	/* @value: EW_SYM_KEY_LEN bytes, or NULL for a random key. */
	int (*sym_create)(struct ew_key_backend *be, const char *id,
			  const uint8_t *value);
	/*
	 * 0 if @id is a usable symmetric key (loading it if the backend
	 * caches), -ENOENT if there is no key @id, -EINVAL if @id is a key
	 * pair.
	 */
	int (*sym_check)(struct ew_key_backend *be, const char *id);
	int (*hmac)(struct ew_key_backend *be, const char *id,
		    const void *data, size_t len, uint8_t mac[EW_HMAC_LEN]);
	/* AES-256-GCM; @ct and @pt are as long as each other. */
	int (*encrypt)(struct ew_key_backend *be, const char *id,
		       const uint8_t *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const void *pt, size_t ptlen,
		       uint8_t *ct, uint8_t tag[EW_GCM_TAG_LEN]);
	/* -EBADMSG when the tag does not match. */
	int (*decrypt)(struct ew_key_backend *be, const char *id,
		       const uint8_t *iv, size_t ivlen,
		       const void *aad, size_t aadlen,
		       const uint8_t *ct, size_t ctlen,
		       const uint8_t tag[EW_GCM_TAG_LEN], uint8_t *pt);
	int (*pair_create)(struct ew_key_backend *be, const char *id,
			   enum ew_key_alg alg);
	/* @pkey: a checked EC or RSA private key; replaces @id. */
	int (*pair_import)(struct ew_key_backend *be, const char *id,
			   EVP_PKEY *pkey);
	EVP_PKEY *(*pair_get)(struct ew_key_backend *be, const char *id);
	int (*exists)(struct ew_key_backend *be, const char *id);
	int (*remove)(struct ew_key_backend *be, const char *id);
	int (*rename)(struct ew_key_backend *be, const char *from,
		      const char *to);
	/* Where loaded symmetric keys live ("kernel keyring", "memory"). */
	const char *(*secret_holder)(const struct ew_key_backend *be);
	void (*close)(struct ew_key_backend *be);
};

/* Embedded first in each backend's own state. */
struct ew_key_backend {
	const struct ew_key_backend_ops *ops;
	struct ew_keystore *ks;		/* where messages go */
};

/* Sets the calling thread's message of @ks (see ew_keystore_error()). */
int ew_keystore_set_error(const struct ew_keystore *ks, int r,
			  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- the file backend -------------------------------------------------- */

/* Keep loaded symmetric keys in memory even where keyrings work. */
#define EW_KS_NO_KEYRING	0x1u

/*
 * ew_keystore_open_file() with @flags (EW_KS_*): for tests, and for a
 * configuration that rules the kernel keyring out.
 */
struct ew_keystore *ew_keystore_open_file_flags(const char *dir,
						unsigned int flags,
						char *err, size_t errlen);

/* The backend of ew_keystore_open_file_flags(), which owns @ks. */
struct ew_key_backend *ew_key_file_open(struct ew_keystore *ks,
					const char *dir, unsigned int flags,
					char *err, size_t errlen);

#endif /* EW_KEYS_BACKEND_H */

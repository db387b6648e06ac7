/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The key store: every key edgewardd uses, behind one interface, named by
 * an id. A backend (files now; PKCS#11 and TPM 2.0 later) keeps the key
 * material; callers hand it data and get results back, so a key never has
 * to leave its backend to be used. Asymmetric keys are handed out as an
 * EVP_PKEY, which for hardware backends is a provider-backed handle (the
 * private half stays in the token), and for the file backend holds the key
 * in memory.
 *
 * Errors: functions return 0 or a negative errno, and write a message for
 * humans into the store's last-error buffer (ew_keystore_error()). Secrets
 * never appear in messages.
 */
#ifndef EW_KEYSTORE_H
#define EW_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Ids: 1..64 characters of [A-Za-z0-9._-], not starting with '.'. */
#define EW_KEY_ID_MAX 64

#define EW_HMAC_LEN 32		/* HMAC-SHA256 */
#define EW_SYM_KEY_LEN 32	/* every symmetric key: 256 bits */
#define EW_GCM_TAG_LEN 16
/* The workload API's ciphertext blob: version 0x02 || ct || tag. */
#define EW_GCM_BLOB_V2 0x02
/* The legacy layout decrypt still accepts: 0x01 || tag || ct. */
#define EW_GCM_BLOB_V1 0x01

enum ew_key_alg {
	EW_KEY_EC_P256 = 1,	/* the default */
	EW_KEY_RSA_2048,
	EW_KEY_RSA_4096,
};

struct ew_keystore;

/**
 * ew_keystore_open_file() - the file backend
 * @dir: directory of the keys (created 0700 if missing; refused if it is
 *       not a directory owned by the caller with no group/other access)
 * @err: receives a message on failure (may be NULL)
 *
 * Symmetric keys are files of 32 raw bytes, key pairs PKCS#8 PEM; all
 * 0600, written atomically (temporary file, fsync, rename, fsync of the
 * directory). Loaded symmetric keys are kept in the kernel's keyring
 * (libkeyutils, a keyring private to this store) rather than re-read.
 *
 * Return: the store, or NULL.
 */
struct ew_keystore *ew_keystore_open_file(const char *dir, char *err,
					  size_t errlen);
void ew_keystore_close(struct ew_keystore *ks);
/*
 * The message of the last failed call the calling thread made on @ks ("" if
 * none): each thread has its own, so concurrent callers (the HTTP server's
 * threads) each read their own failure. Valid until that thread fails
 * another call on @ks, or until ew_keystore_close().
 */
const char *ew_keystore_error(const struct ew_keystore *ks);

bool ew_key_id_valid(const char *id);

/*
 * Where the store keeps the symmetric keys it has loaded: "kernel keyring"
 * (a keyring of this process private to the store) or "memory" (when the
 * kernel refuses keyrings, as seccomp profiles of containers do: a heap
 * buffer wiped on release).
 */
const char *ew_keystore_secret_holder(const struct ew_keystore *ks);

/* --- symmetric keys ---------------------------------------------------- */

/**
 * ew_key_sym_create() - create a 256-bit key with random bytes, or with
 * @value (EW_SYM_KEY_LEN bytes) when not NULL (imported keys: the SAS key
 * of a manual connection string). Return: 0, -EEXIST if @id exists.
 */
int ew_key_sym_create(struct ew_keystore *ks, const char *id,
		      const uint8_t *value);
/* Creates @id if it does not exist yet; 0 either way. */
int ew_key_sym_ensure(struct ew_keystore *ks, const char *id);

/* HMAC-SHA256 of @data under key @id into @mac. */
int ew_key_hmac(struct ew_keystore *ks, const char *id, const void *data,
		size_t len, uint8_t mac[EW_HMAC_LEN]);

/*
 * HMAC-SHA256 of @data under the key derived from @id as
 * HMAC-SHA256(key(@id), @derivation): the module keys of the workload API,
 * used without the derived key ever being stored or returned.
 */
int ew_key_hmac_derived(struct ew_keystore *ks, const char *id,
			const void *derivation, size_t dlen,
			const void *data, size_t len,
			uint8_t mac[EW_HMAC_LEN]);

/*
 * AES-256-GCM under key @id. ew_key_encrypt writes the v2 blob
 * (EW_GCM_BLOB_V2 || ct || tag) into a malloc'd *@out of *@outlen bytes.
 * ew_key_decrypt takes a v2 or v1 blob; a failed tag check is -EBADMSG,
 * a blob too short or of an unknown version -EINVAL. @iv: 1..64 bytes.
 */
int ew_key_encrypt(struct ew_keystore *ks, const char *id,
		   const uint8_t *iv, size_t ivlen,
		   const void *aad, size_t aadlen,
		   const void *pt, size_t ptlen,
		   uint8_t **out, size_t *outlen);
int ew_key_decrypt(struct ew_keystore *ks, const char *id,
		   const uint8_t *iv, size_t ivlen,
		   const void *aad, size_t aadlen,
		   const uint8_t *blob, size_t bloblen,
		   uint8_t **out, size_t *outlen);

/* --- key pairs --------------------------------------------------------- */

/* Generates a key pair. Return: 0, -EEXIST if @id exists. */
int ew_key_pair_create(struct ew_keystore *ks, const char *id,
		       enum ew_key_alg alg);
/*
 * Imports a private key (PEM, PKCS#8 or traditional) as @id, replacing
 * what was there: a preloaded edge CA key.
 */
int ew_key_pair_import(struct ew_keystore *ks, const char *id,
		       const char *pem, size_t len);
/*
 * The key pair @id, for signing (X509_sign, CSRs) and for its public half.
 * The caller frees it with EVP_PKEY_free. Return: NULL if absent or on
 * error (see ew_keystore_error()).
 */
EVP_PKEY *ew_key_pair_get(struct ew_keystore *ks, const char *id);

/* --- any key ----------------------------------------------------------- */

/* Return: 1 if @id exists (of either kind), 0 if not, or -errno. */
int ew_key_exists(struct ew_keystore *ks, const char *id);
/* Removes @id. Return: 0, -ENOENT if absent. */
int ew_key_delete(struct ew_keystore *ks, const char *id);
/*
 * Renames @from to @to atomically, replacing @to: how a renewed key taken
 * under a temporary id replaces the old one.
 */
int ew_key_rename(struct ew_keystore *ks, const char *from, const char *to);

#endif /* EW_KEYSTORE_H */

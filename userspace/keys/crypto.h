/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the key store: the software cryptography every backend that
 * holds key material in memory shares (HMAC-SHA256, AES-256-GCM and the
 * workload API's ciphertext blobs, key-pair generation and PEM), on
 * OpenSSL 3's EVP interfaces. Functions return 0 or a negative errno; where
 * OpenSSL had something to say, ew_crypto_ossl_reason() gives it.
 */
#ifndef EW_KEYS_CRYPTO_H
#define EW_KEYS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "keys/keystore.h"

/* IVs the workload API may hand us: 1..64 bytes. */
#define EW_GCM_IV_MAX 64
/* No PEM private key we accept comes near this (RSA-4096 is ~3.3 KiB). */
#define EW_PEM_MAX (64 * 1024)

/*
 * Takes the oldest error off OpenSSL's queue of this thread as text (or
 * "unknown error") and empties the queue, so the next caller starts clean.
 */
const char *ew_crypto_ossl_reason(char *buf, size_t len);

int ew_crypto_hmac(const uint8_t *key, size_t keylen, const void *data,
		   size_t len, uint8_t mac[EW_HMAC_LEN]);

/* @ct receives @ptlen bytes; -EIO if OpenSSL fails. */
int ew_crypto_gcm_encrypt(const uint8_t key[EW_SYM_KEY_LEN],
			  const uint8_t *iv, size_t ivlen,
			  const void *aad, size_t aadlen,
			  const void *pt, size_t ptlen,
			  uint8_t *ct, uint8_t tag[EW_GCM_TAG_LEN]);
/* @pt receives @ctlen bytes; -EBADMSG if the tag does not match. */
int ew_crypto_gcm_decrypt(const uint8_t key[EW_SYM_KEY_LEN],
			  const uint8_t *iv, size_t ivlen,
			  const void *aad, size_t aadlen,
			  const uint8_t *ct, size_t ctlen,
			  const uint8_t tag[EW_GCM_TAG_LEN], uint8_t *pt);

/*
 * The parts of a v2 or v1 blob, pointing into @blob. Return: 0, or -EINVAL
 * with @why saying what is wrong with it.
 */
int ew_crypto_blob_split(const uint8_t *blob, size_t len,
			 const uint8_t **ct, size_t *ctlen,
			 const uint8_t **tag, char *why, size_t whylen);

/* "EC P-256", ... or NULL for a value outside enum ew_key_alg. */
const char *ew_crypto_alg_name(enum ew_key_alg alg);
EVP_PKEY *ew_crypto_keygen(enum ew_key_alg alg);

/*
 * The private key @pkey as PKCS#8 PEM, in OpenSSL's secure heap (wiped on
 * release): release it with ew_crypto_pem_free().
 */
int ew_crypto_pem_encode(EVP_PKEY *pkey, char **pem, size_t *len);
void ew_crypto_pem_free(char *pem, size_t len);

/*
 * Parses a PEM private key (PKCS#8 or traditional; never prompts for a
 * passphrase) and accepts it only if it is an EC or RSA key, RSA of at
 * least 2048 bits. @pairwise: also prove that its halves belong together,
 * which is for keys from outside: it takes most of a second for RSA-4096
 * (OpenSSL tests the primes), too long for every use of a stored key.
 * Return: the key, or NULL with @why saying why not.
 */
EVP_PKEY *ew_crypto_pem_decode(const void *pem, size_t len, bool pairwise,
			       char *why, size_t whylen);

#endif /* EW_KEYS_CRYPTO_H */

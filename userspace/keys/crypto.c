// SPDX-License-Identifier: GPL-2.0-only
/*
 * The key store's software cryptography on OpenSSL 3's EVP interfaces:
 * HMAC-SHA256, AES-256-GCM with the workload API's blob layouts, key-pair
 * generation and the PEM forms of private keys.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include "keys/crypto.h"

/* EVP's update functions take int lengths: longer input goes in chunks. */
#define CHUNK_MAX (INT_MAX / 2)

const char *ew_crypto_ossl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "unknown error");
	ERR_clear_error();
	return buf;
}

int ew_crypto_hmac(const uint8_t *key, size_t keylen, const void *data,
		   size_t len, uint8_t mac[EW_HMAC_LEN])
{
	static const uint8_t nothing;
	size_t outlen = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen,
		       len ? data : &nothing, len, mac, EW_HMAC_LEN, &outlen) ||
	    outlen != EW_HMAC_LEN)
		return -EIO;
	return 0;
}

/*
 * A context set up for AES-256-GCM with @key and @iv. The IV length goes
 * in before the IV itself, so IVs other than 96 bits are taken whole.
 */
static EVP_CIPHER_CTX *gcm_start(const uint8_t *key, const uint8_t *iv,
				 size_t ivlen, int enc)
{
	OSSL_PARAM params[2];
	EVP_CIPHER_CTX *ctx;

	params[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN,
						&ivlen);
	params[1] = OSSL_PARAM_construct_end();
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return NULL;
	if (!EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), NULL, NULL, enc, params) ||
	    !EVP_CipherInit_ex2(ctx, NULL, key, iv, enc, NULL)) {
		EVP_CIPHER_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* Feeds @len bytes of @in (AAD when @out is NULL) through @ctx. */
static int gcm_feed(EVP_CIPHER_CTX *ctx, const uint8_t *in, size_t len,
		    uint8_t *out)
{
	int n, outl;

	while (len) {
		n = len > CHUNK_MAX ? CHUNK_MAX : (int)len;
		if (!EVP_CipherUpdate(ctx, out, &outl, in, n))
			return -EIO;
		/* GCM is a stream mode: every byte comes out at once. */
		if (out && outl != n)
			return -EIO;
		in += n;
		len -= (size_t)n;
		if (out)
			out += n;
	}
	return 0;
}

int ew_crypto_gcm_encrypt(const uint8_t key[EW_SYM_KEY_LEN],
			  const uint8_t *iv, size_t ivlen,
			  const void *aad, size_t aadlen,
			  const void *pt, size_t ptlen,
			  uint8_t *ct, uint8_t tag[EW_GCM_TAG_LEN])
{
	OSSL_PARAM params[2];
	EVP_CIPHER_CTX *ctx;
	uint8_t last[1];
	int r, outl = 0;

	ctx = gcm_start(key, iv, ivlen, 1);
	if (!ctx)
		return -EIO;
	r = gcm_feed(ctx, aad, aadlen, NULL);
	if (!r)
		r = gcm_feed(ctx, pt, ptlen, ct);
	if (!r && (!EVP_CipherFinal_ex(ctx, last, &outl) || outl != 0))
		r = -EIO;
	if (!r) {
		params[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
							      tag, EW_GCM_TAG_LEN);
		params[1] = OSSL_PARAM_construct_end();
		if (!EVP_CIPHER_CTX_get_params(ctx, params))
			r = -EIO;
	}
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

int ew_crypto_gcm_decrypt(const uint8_t key[EW_SYM_KEY_LEN],
			  const uint8_t *iv, size_t ivlen,
			  const void *aad, size_t aadlen,
			  const uint8_t *ct, size_t ctlen,
			  const uint8_t tag[EW_GCM_TAG_LEN], uint8_t *pt)
{
	uint8_t tagbuf[EW_GCM_TAG_LEN], last[1];
	OSSL_PARAM params[2];
	EVP_CIPHER_CTX *ctx;
	int r, outl = 0;

	ctx = gcm_start(key, iv, ivlen, 0);
	if (!ctx)
		return -EIO;
	/* The parameter is not const: give it a copy. */
	memcpy(tagbuf, tag, sizeof(tagbuf));
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
						      tagbuf, sizeof(tagbuf));
	params[1] = OSSL_PARAM_construct_end();
	r = EVP_CIPHER_CTX_set_params(ctx, params) ? 0 : -EIO;
	if (!r)
		r = gcm_feed(ctx, aad, aadlen, NULL);
	if (!r)
		r = gcm_feed(ctx, ct, ctlen, pt);
	/* The one failure Final reports here is the tag's. */
	if (!r && (!EVP_CipherFinal_ex(ctx, last, &outl) || outl != 0)) {
		r = -EBADMSG;
		ERR_clear_error();
	}
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

int ew_crypto_blob_split(const uint8_t *blob, size_t len,
			 const uint8_t **ct, size_t *ctlen,
			 const uint8_t **tag, char *why, size_t whylen)
{
	if (!len) {
		snprintf(why, whylen, "the ciphertext blob is empty");
		return -EINVAL;
	}
	if (blob[0] != EW_GCM_BLOB_V2 && blob[0] != EW_GCM_BLOB_V1) {
		snprintf(why, whylen,
			 "unknown ciphertext blob version 0x%02x (0x%02x or 0x%02x expected)",
			 blob[0], EW_GCM_BLOB_V2, EW_GCM_BLOB_V1);
		return -EINVAL;
	}
	if (len < 1 + EW_GCM_TAG_LEN) {
		snprintf(why, whylen,
			 "the ciphertext blob is %zu bytes, shorter than its version byte and %d-byte tag",
			 len, EW_GCM_TAG_LEN);
		return -EINVAL;
	}
	*ctlen = len - 1 - EW_GCM_TAG_LEN;
	if (blob[0] == EW_GCM_BLOB_V2) {
		*ct = blob + 1;
		*tag = blob + 1 + *ctlen;
	} else {
		*tag = blob + 1;
		*ct = blob + 1 + EW_GCM_TAG_LEN;
	}
	return 0;
}

const char *ew_crypto_alg_name(enum ew_key_alg alg)
{
	switch (alg) {
	case EW_KEY_EC_P256:
		return "EC P-256";
	case EW_KEY_RSA_2048:
		return "RSA-2048";
	case EW_KEY_RSA_4096:
		return "RSA-4096";
	}
	return NULL;
}

EVP_PKEY *ew_crypto_keygen(enum ew_key_alg alg)
{
	switch (alg) {
	case EW_KEY_EC_P256:
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	case EW_KEY_RSA_2048:
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	case EW_KEY_RSA_4096:
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	}
	return NULL;
}

int ew_crypto_pem_encode(EVP_PKEY *pkey, char **pem, size_t *len)
{
	char *data, *copy;
	long n;
	BIO *bio;
	int r = -EIO;

	*pem = NULL;
	*len = 0;
	/* A secure-heap buffer, wiped when the BIO goes. */
	bio = BIO_new(BIO_s_secmem());
	if (!bio)
		return -ENOMEM;
	/* PEM_write_bio_PrivateKey writes PKCS#8 ("PRIVATE KEY"). */
	if (!PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL))
		goto out;
	n = BIO_get_mem_data(bio, &data);
	if (n <= 0)
		goto out;
	copy = OPENSSL_secure_malloc((size_t)n + 1);
	if (!copy) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(copy, data, (size_t)n);
	copy[n] = '\0';
	*pem = copy;
	*len = (size_t)n;
	r = 0;
out:
	BIO_free(bio);
	return r;
}

void ew_crypto_pem_free(char *pem, size_t len)
{
	if (pem)
		OPENSSL_secure_clear_free(pem, len + 1);
}

/* Never prompt on a terminal for the passphrase of an encrypted key. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

EVP_PKEY *ew_crypto_pem_decode(const void *pem, size_t len, bool pairwise,
			       char *why, size_t whylen)
{
	char reason[256];
	EVP_PKEY_CTX *pctx;
	EVP_PKEY *pkey;
	BIO *bio;
	int bits;

	if (!pem || !len) {
		snprintf(why, whylen, "the PEM text is empty");
		return NULL;
	}
	if (len > EW_PEM_MAX) {
		snprintf(why, whylen, "the PEM text is %zu bytes, more than the %d a key can be",
			 len, EW_PEM_MAX);
		return NULL;
	}
	if (!memmem(pem, len, "-----BEGIN ", 11)) {
		snprintf(why, whylen, "no PEM block (\"-----BEGIN ...\") in the text");
		return NULL;
	}
	if (memmem(pem, len, "ENCRYPTED PRIVATE KEY-----", 26) ||
	    memmem(pem, len, "Proc-Type: 4,ENCRYPTED", 22)) {
		snprintf(why, whylen,
			 "the PEM private key is encrypted; import it decrypted (the store keeps it 0600)");
		return NULL;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	/*
	 * The decoders try format after format and may leave errors behind
	 * even when one succeeds: none of them is for the caller to see.
	 */
	ERR_set_mark();
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey) {
		snprintf(why, whylen, "not a PEM private key (%s)",
			 ew_crypto_ossl_reason(reason, sizeof(reason)));
		return NULL;
	}
	ERR_pop_to_mark();
	if (EVP_PKEY_is_a(pkey, "RSA")) {
		bits = EVP_PKEY_get_bits(pkey);
		if (bits < 2048) {
			snprintf(why, whylen,
				 "the RSA key has %d bits; at least 2048 are required", bits);
			goto fail;
		}
	} else if (!EVP_PKEY_is_a(pkey, "EC")) {
		snprintf(why, whylen,
			 "the private key is of type %s; only EC and RSA keys are supported",
			 EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "unknown");
		goto fail;
	}
	if (!pairwise)
		return pkey;
	/* The public half must belong to the private half. */
	pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!pctx || EVP_PKEY_pairwise_check(pctx) != 1) {
		EVP_PKEY_CTX_free(pctx);
		snprintf(why, whylen, "the private key is inconsistent (%s)",
			 ew_crypto_ossl_reason(reason, sizeof(reason)));
		goto fail;
	}
	EVP_PKEY_CTX_free(pctx);
	return pkey;
fail:
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return NULL;
}

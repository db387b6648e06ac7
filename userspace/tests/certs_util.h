/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the certificate tests (test_certs.c, test_renew.c): a scratch
 * directory with a real file key store, certificates made with OpenSSL
 * directly (not with the code under test), and verification through
 * X509_verify_cert against a trust bundle.
 */
#ifndef EW_TESTS_CERTS_UTIL_H
#define EW_TESTS_CERTS_UTIL_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/certs.h"
#include "keys/keystore.h"

/* 2026-12-26T14:00:00Z */
#define T0 1798293600LL
#define DAY 86400LL

struct tu {
	char dir[64];
	char keys[128];
	char state[128];
	char certs[160];	/* state/certs */
	struct ew_keystore *ks;
};

static inline int tu_rm_cb(const char *path, const struct stat *st, int flag,
			   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline int tu_setup(struct tu *t)
{
	char err[256];

	memset(t, 0, sizeof(*t));
	strcpy(t->dir, "/tmp/ew-certs-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	snprintf(t->keys, sizeof(t->keys), "%s/keys", t->dir);
	snprintf(t->state, sizeof(t->state), "%s/state", t->dir);
	snprintf(t->certs, sizeof(t->certs), "%s/state/certs", t->dir);
	if (mkdir(t->state, 0755))
		return -errno;
	t->ks = ew_keystore_open_file(t->keys, err, sizeof(err));
	if (!t->ks) {
		fprintf(stderr, "# key store: %s\n", err);
		return -EIO;
	}
	return 0;
}

static inline void tu_teardown(struct tu *t)
{
	if (t->ks)
		ew_keystore_close(t->ks);
	if (t->dir[0])
		nftw(t->dir, tu_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static inline int tu_write(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -errno;
	rc = fputs(data, f) < 0 ? -EIO : 0;
	if (fclose(f))
		rc = -EIO;
	return rc;
}

/* The whole file, malloc'd; NULL if unreadable. */
static inline char *tu_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &len, '\0', f);
	fclose(f);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static inline bool tu_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Every certificate of PEM text, read with plain OpenSSL. */
static inline STACK_OF(X509) *tu_parse(const char *pem)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x;

	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		sk_X509_push(sk, x);
	ERR_clear_error();
	BIO_free(bio);
	return sk;
}

static inline int tu_count(const char *pem)
{
	STACK_OF(X509) *sk = tu_parse(pem);
	int n = sk_X509_num(sk);

	sk_X509_pop_free(sk, X509_free);
	return n;
}

/*
 * Verifies the chain in @chain_pem (leaf first) against the CAs of
 * @bundle_pem at time @now for @purpose (X509_PURPOSE_SSL_CLIENT, ...).
 * Return: X509_V_OK or the verification error.
 */
static inline int tu_verify(const char *bundle_pem, const char *chain_pem,
			    int64_t now, int purpose)
{
	STACK_OF(X509) *trusted = tu_parse(bundle_pem);
	STACK_OF(X509) *chain = tu_parse(chain_pem);
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *leaf;
	int i, rc = -1;

	if (sk_X509_num(chain) < 1 || sk_X509_num(trusted) < 1)
		goto out;
	for (i = 0; i < sk_X509_num(trusted); i++)
		X509_STORE_add_cert(store, sk_X509_value(trusted, i));
	leaf = sk_X509_shift(chain);
	if (X509_STORE_CTX_init(ctx, store, leaf, chain) == 1) {
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx),
					   (time_t)now);
		X509_STORE_CTX_set_purpose(ctx, purpose);
		rc = X509_verify_cert(ctx) == 1 ? X509_V_OK :
			X509_STORE_CTX_get_error(ctx);
	}
	X509_free(leaf);
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	sk_X509_pop_free(trusted, X509_free);
	sk_X509_pop_free(chain, X509_free);
	return rc;
}

static inline int tu_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509_EXTENSION *ext;
	X509V3_CTX ctx;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/*
 * A certificate for @key named CN=@cn, valid @nb..@na, signed by @issuer
 * (NULL: self-signed with @key) and @issuer_key; a CA when @ca.
 */
static inline X509 *tu_cert(EVP_PKEY *key, const char *cn, X509 *issuer,
			    EVP_PKEY *issuer_key, int64_t nb, int64_t na, bool ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_get_subject_name(x);
	static long serial = 1000;

	X509_set_version(x, X509_VERSION_3);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb);
	ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na);
	X509_set_pubkey(x, key);
	tu_ext(x, issuer ? issuer : x, NID_basic_constraints,
	       ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	tu_ext(x, issuer ? issuer : x, NID_key_usage,
	       ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
	tu_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
	tu_ext(x, issuer ? issuer : x, NID_authority_key_identifier, "keyid:always");
	if (!X509_sign(x, issuer ? issuer_key : key, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/* Writes @n certificates as one PEM file. */
static inline int tu_write_certs(const char *path, X509 *const *certs, int n)
{
	BIO *bio = BIO_new_file(path, "w");
	int i, rc = 0;

	if (!bio)
		return -EIO;
	for (i = 0; i < n; i++)
		if (!PEM_write_bio_X509(bio, certs[i]))
			rc = -EIO;
	BIO_free(bio);
	return rc;
}

static inline int tu_write_key(const char *path, EVP_PKEY *key)
{
	BIO *bio = BIO_new_file(path, "w");
	int rc;

	if (!bio)
		return -EIO;
	rc = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) ? 0 : -EIO;
	BIO_free(bio);
	return rc;
}

/* SHA-256 of the DER encoding, in hex, computed here. */
static inline void tu_fp(X509 *x, char hex[65])
{
	unsigned char *der = NULL, md[32];
	int i, len = i2d_X509(x, &der);

	EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(), NULL);
	OPENSSL_free(der);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
}

/* Fingerprint of the first certificate in a PEM file ("" if none). */
static inline void tu_file_fp(const char *path, char hex[65])
{
	char *pem = tu_read(path);
	STACK_OF(X509) *sk = pem ? tu_parse(pem) : NULL;

	hex[0] = '\0';
	if (sk_X509_num(sk) > 0)
		tu_fp(sk_X509_value(sk, 0), hex);
	sk_X509_pop_free(sk, X509_free);
	free(pem);
}

/* 1 if key @id of @ks is the key of the first certificate in @path. */
static inline int tu_key_matches_file(struct ew_keystore *ks, const char *id,
				      const char *path)
{
	char *pem = tu_read(path);
	STACK_OF(X509) *sk = pem ? tu_parse(pem) : NULL;
	EVP_PKEY *k = ew_key_pair_get(ks, id);
	int r = 0;

	if (k && sk_X509_num(sk) > 0)
		r = EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(sk, 0)), k) == 1;
	EVP_PKEY_free(k);
	sk_X509_pop_free(sk, X509_free);
	free(pem);
	ERR_clear_error();
	return r;
}

static inline int64_t tu_unix(const ASN1_TIME *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	ASN1_TIME_to_tm(t, &tm);
	return (int64_t)timegm(&tm);
}

#endif /* EW_TESTS_CERTS_UTIL_H */

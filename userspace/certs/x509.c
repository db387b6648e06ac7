// SPDX-License-Identifier: GPL-2.0-only
/*
 * X.509 building blocks shared by the self-signed edge CA and the
 * certificates it issues: serials, validity, extensions, signing.
 * Extension values given as config strings are always constants here;
 * names that come from requests are encoded by the callers, never spliced
 * into such strings.
 */
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "certs/internal.h"

int ew_x509_set_random_serial(X509 *x)
{
	unsigned char b[16];
	ASN1_INTEGER *ai = NULL;
	BIGNUM *bn = NULL;
	int rc = -ENOMEM;

	if (RAND_bytes(b, sizeof(b)) != 1)
		return -EIO;
	/* Positive, and exactly 16 bytes long in DER (no leading zero). */
	b[0] = (unsigned char)((b[0] & 0x7f) | 0x40);
	bn = BN_bin2bn(b, sizeof(b), NULL);
	if (bn)
		ai = BN_to_ASN1_INTEGER(bn, NULL);
	if (ai && X509_set_serialNumber(x, ai))
		rc = 0;
	ASN1_INTEGER_free(ai);
	BN_free(bn);
	return rc;
}

int ew_x509_set_validity(X509 *x, int64_t not_before, int64_t not_after)
{
	if (!ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after))
		return -EINVAL;
	return 0;
}

int ew_x509_add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509_EXTENSION *ext;
	X509V3_CTX ctx;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (!ext)
		return -EINVAL;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -ENOMEM;
}

int ew_x509_add_key_ids(X509 *x, X509 *issuer)
{
	int rc;

	rc = ew_x509_add_ext(x, NULL, NID_subject_key_identifier, "hash");
	if (rc)
		return rc;
	if (!issuer)
		issuer = x;
	/* A preloaded CA may lack an SKI: name it by issuer and serial. */
	if (X509_get_ext_by_NID(issuer, NID_subject_key_identifier, -1) >= 0)
		return ew_x509_add_ext(x, issuer, NID_authority_key_identifier,
				       "keyid:always");
	return ew_x509_add_ext(x, issuer, NID_authority_key_identifier,
			       "issuer:always");
}

int ew_x509_sign(X509 *x, EVP_PKEY *key)
{
	const EVP_MD *md = EVP_sha256();

	if (EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448"))
		md = NULL;
	return X509_sign(x, key, md) > 0 ? 0 : -EINVAL;
}

int ew_x509_set_subject_cn(X509 *x, const char *cn)
{
	X509_NAME *name = X509_NAME_new();
	int rc = -ENOMEM;

	if (name &&
	    X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
				       (const unsigned char *)cn, -1, -1, 0) &&
	    X509_set_subject_name(x, name))
		rc = 0;
	X509_NAME_free(name);
	return rc;
}

bool ew_cert_text_valid(const char *s, size_t max, bool space)
{
	size_t n;

	if (!s)
		return false;
	for (n = 0; s[n]; n++) {
		if (n >= max)
			return false;
		if (s[n] == ' ' ? !space : (s[n] < 0x21 || s[n] > 0x7e))
			return false;
	}
	return n > 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module certificates, as the workload API hands them out: a fresh key
 * (returned to the module, never stored here) and a certificate for it
 * signed by the edge CA, either an identity certificate (clientAuth, SAN
 * URI azureiot://hub/devices/device/modules/name) or a server certificate
 * (serverAuth, SANs commonName and name). Requests are validated before
 * anything is generated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/internal.h"

/* RFC 1035: a host name is at most 253 characters in text. */
#define EW_HUB_MAX 253
/* IoT Hub device ids. */
#define EW_DEVICE_MAX 128

/* A segment of the azureiot:// URI must not add segments of its own. */
static bool uri_segment_valid(const char *s, size_t max)
{
	return ew_cert_text_valid(s, max, false) && !strchr(s, '/');
}

static int check_request(const struct ew_issue_request *req,
			 char *err, size_t errlen)
{
	if (req->kind != EW_CERT_IDENTITY && req->kind != EW_CERT_SERVER)
		return ew_errbuf(err, errlen, -EINVAL,
				    "invalid certificate kind %d", req->kind);
	/*
	 * Module ids may have 128 characters; a certificate carries the name in
	 * its commonName (64 at most, X.520) or as a DNS name (63 per label).
	 */
	if (req->module && strlen(req->module) > EW_CN_MAX)
		return ew_errbuf(err, errlen, -EINVAL,
				 "module name longer than %d characters: too long for a certificate",
				 EW_CN_MAX);
	if (!ew_cert_text_valid(req->module, EW_CN_MAX, false))
		return ew_errbuf(err, errlen, -EINVAL,
				    "invalid module name: 1 to %d printable ASCII characters without spaces",
				    EW_CN_MAX);
	if (req->kind == EW_CERT_IDENTITY) {
		if (strchr(req->module, '/'))
			return ew_errbuf(err, errlen, -EINVAL,
					    "invalid module name: contains '/'");
		if (!uri_segment_valid(req->hub, EW_HUB_MAX))
			return ew_errbuf(err, errlen, -EINVAL,
					    "invalid hub name: 1 to %d printable ASCII characters without spaces or '/'",
					    EW_HUB_MAX);
		if (!uri_segment_valid(req->device, EW_DEVICE_MAX))
			return ew_errbuf(err, errlen, -EINVAL,
					    "invalid device id: 1 to %d printable ASCII characters without spaces or '/'",
					    EW_DEVICE_MAX);
	} else if (!ew_cert_text_valid(req->common_name, EW_CN_MAX, false)) {
		return ew_errbuf(err, errlen, -EINVAL,
				    "invalid commonName: 1 to %d printable ASCII characters without spaces",
				    EW_CN_MAX);
	}
	if (req->alg && req->alg != EW_KEY_EC_P256 && req->alg != EW_KEY_RSA_2048)
		return ew_errbuf(err, errlen, -EINVAL,
				    "unsupported key type %d (EC P-256 or RSA 2048)",
				    req->alg);
	if (req->validity < 0)
		return ew_errbuf(err, errlen, -EINVAL, "negative validity");
	if (req->not_after && req->not_after <= req->now)
		return ew_errbuf(err, errlen, -EINVAL,
				    "requested expiration is not in the future");
	return 0;
}

static int push_name(GENERAL_NAMES *gens, int type, const void *v, size_t len)
{
	GENERAL_NAME *g = GENERAL_NAME_new();
	ASN1_STRING *s = type == GEN_IPADD ? ASN1_OCTET_STRING_new() :
					     ASN1_IA5STRING_new();

	if (!g || !s || !ASN1_STRING_set(s, v, (int)len))
		goto fail;
	GENERAL_NAME_set0_value(g, type, s);
	s = NULL;
	if (!sk_GENERAL_NAME_push(gens, g))
		goto fail;
	return 0;
fail:
	ASN1_STRING_free(s);
	GENERAL_NAME_free(g);
	return -ENOMEM;
}

static int add_sans(X509 *x, const struct ew_issue_request *req)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	unsigned char ip[16];
	const char *name;
	bool cn_is_dns = false;
	char *uri = NULL;
	int rc = -ENOMEM;

	if (!gens)
		return -ENOMEM;
	if (req->kind == EW_CERT_IDENTITY) {
		if (asprintf(&uri, "azureiot://%s/devices/%s/modules/%s",
			     req->hub, req->device, req->module) < 0) {
			uri = NULL;
			goto out;
		}
		if (push_name(gens, GEN_URI, uri, strlen(uri)))
			goto out;
	} else {
		if (inet_pton(AF_INET, req->common_name, ip) == 1)
			rc = push_name(gens, GEN_IPADD, ip, 4);
		else if (inet_pton(AF_INET6, req->common_name, ip) == 1)
			rc = push_name(gens, GEN_IPADD, ip, 16);
		else {
			cn_is_dns = true;
			rc = push_name(gens, GEN_DNS, req->common_name,
				       strlen(req->common_name));
		}
		if (rc)
			goto out;
		rc = -ENOMEM;
		name = req->module[0] == '$' ? req->module + 1 : req->module;
		/* DNS names compare case-insensitively. */
		if (*name && !(cn_is_dns && !strcasecmp(name, req->common_name)) &&
		    push_name(gens, GEN_DNS, name, strlen(name)))
			goto out;
	}
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
			      X509V3_ADD_DEFAULT) == 1)
		rc = 0;
out:
	free(uri);
	GENERAL_NAMES_free(gens);
	return rc;
}

static EVP_PKEY *generate_key(enum ew_key_alg alg)
{
	if (alg == EW_KEY_RSA_2048)
		return EVP_RSA_gen(2048);
	return EVP_EC_gen("P-256");
}

/* PKCS#8 PEM of @key, in memory that is wiped when freed. */
static int key_pem(EVP_PKEY *key, char **out, size_t *outlen)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	char *p;
	long n;
	int rc = -ENOMEM;

	if (!bio)
		return -ENOMEM;
	if (!PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))
		goto out;
	n = BIO_get_mem_data(bio, &p);
	*out = malloc((size_t)n + 1);
	if (!*out)
		goto out;
	memcpy(*out, p, (size_t)n);
	(*out)[n] = '\0';
	*outlen = (size_t)n;
	rc = 0;
out:
	BIO_free(bio);
	return rc;
}

/* The earliest notAfter in the chain: nothing may outlive any issuer. */
static int chain_not_after(const STACK_OF(X509) *chain, int64_t *out)
{
	int64_t nb, na;
	int i;

	*out = INT64_MAX;
	for (i = 0; i < sk_X509_num(chain); i++) {
		if (ew_cert_validity(sk_X509_value(chain, i), &nb, &na))
			return -EINVAL;
		if (na < *out)
			*out = na;
	}
	return 0;
}

static int build(X509 *x, X509 *issuer, EVP_PKEY *key,
		 const struct ew_issue_request *req, int64_t nb, int64_t na)
{
	const char *ku = req->alg == EW_KEY_RSA_2048 ?
		"critical,digitalSignature,keyEncipherment" :
		"critical,digitalSignature";
	const char *eku = req->kind == EW_CERT_IDENTITY ? "clientAuth" :
							  "serverAuth";
	const char *cn = req->kind == EW_CERT_IDENTITY ? req->module :
							 req->common_name;
	int rc;

	if (!X509_set_version(x, X509_VERSION_3) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(issuer)) ||
	    !X509_set_pubkey(x, key))
		return -ENOMEM;
	if ((rc = ew_x509_set_random_serial(x)) ||
	    (rc = ew_x509_set_subject_cn(x, cn)) ||
	    (rc = ew_x509_set_validity(x, nb, na)) ||
	    (rc = ew_x509_add_ext(x, issuer, NID_basic_constraints,
				  "critical,CA:FALSE")) ||
	    (rc = ew_x509_add_ext(x, issuer, NID_key_usage, ku)) ||
	    (rc = ew_x509_add_ext(x, issuer, NID_ext_key_usage, eku)) ||
	    (rc = ew_x509_add_key_ids(x, issuer)) ||
	    (rc = add_sans(x, req)))
		return rc;
	return 0;
}

int ew_cert_issue(const struct ew_issue_request *req,
		  const STACK_OF(X509) *issuer_chain, EVP_PKEY *issuer_key,
		  struct ew_issued *out, char *err, size_t errlen)
{
	char when[EW_RFC3339_LEN];
	STACK_OF(X509) *full = NULL;
	EVP_PKEY *key = NULL;
	int64_t nb, na, ca_na;
	X509 *issuer, *x = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = check_request(req, err, errlen);
	if (rc)
		return rc;
	if (!issuer_key || sk_X509_num(issuer_chain) <= 0)
		return ew_errbuf(err, errlen, -EINVAL, "no issuer");
	issuer = sk_X509_value(issuer_chain, 0);
	if (chain_not_after(issuer_chain, &ca_na))
		return ew_errbuf(err, errlen, -EINVAL,
				    "the issuer's validity is unreadable");
	if (ca_na <= req->now) {
		ew_time_rfc3339(ca_na, when);
		return ew_errbuf(err, errlen, -EKEYEXPIRED,
				    "the issuing CA expired at %s", when);
	}
	nb = req->now - EW_ISSUE_BACKDATE;
	na = req->not_after ? req->not_after :
	     req->now + (req->validity ? req->validity : EW_ISSUE_DEFAULT_VALIDITY);
	if (na > ca_na)
		na = ca_na;

	key = generate_key(req->alg);
	x = X509_new();
	if (!key || !x) {
		rc = ew_certs_err_ssl(err, errlen, -ENOMEM,
				      "cannot generate a key");
		goto out;
	}
	rc = build(x, issuer, key, req, nb, na);
	if (rc) {
		ew_certs_err_ssl(err, errlen, rc, "cannot build the certificate");
		goto out;
	}
	rc = ew_x509_sign(x, issuer_key);
	if (rc) {
		ew_certs_err_ssl(err, errlen, rc,
				 "cannot sign with the issuer's key");
		goto out;
	}
	full = ew_chain_dup(issuer_chain);
	if (!full || !sk_X509_insert(full, x, 0)) {
		rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	x = NULL;	/* now in full */
	if ((rc = ew_pem_chain_text(full, &out->cert_pem, &out->cert_len)) ||
	    (rc = key_pem(key, &out->key_pem, &out->key_len))) {
		ew_errbuf(err, errlen, rc, "out of memory");
		ew_issued_release(out);
		goto out;
	}
	out->not_after = na;
	ew_time_rfc3339(na, out->expiration);
	rc = 0;
out:
	ew_chain_free(full);
	X509_free(x);
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}

void ew_issued_release(struct ew_issued *out)
{
	if (out->key_pem) {
		OPENSSL_cleanse(out->key_pem, out->key_len);
		free(out->key_pem);
	}
	free(out->cert_pem);
	memset(out, 0, sizeof(*out));
}

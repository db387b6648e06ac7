// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of certs/: PEM parsing and its messages, files, fingerprints
 * and times; module certificates issued by the edge CA, checked field by
 * field and verified with X509_verify_cert against the trust bundle; the
 * quickstart and preloaded edge CA. Each test has its own directory and a
 * real file key store.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "kselftest_harness.h"

#include "certs_util.h"

#define ERRLEN 512

#define EXPECT_MSG(want, err) \
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("'%s' lacks '%s'", err, want)

static const char *bad_b64_pem =
	"-----BEGIN CERTIFICATE-----\n"
	"!!!!not base64!!!!\n"
	"-----END CERTIFICATE-----\n";
/* Valid base64 of 3 zero bytes: not DER of a certificate. */
static const char *not_der_pem =
	"-----BEGIN CERTIFICATE-----\n"
	"AAAA\n"
	"-----END CERTIFICATE-----\n";

/* ------------------------------------------------------------------ */
/* PEM, files, fingerprints, times                                    */
/* ------------------------------------------------------------------ */

FIXTURE(pem) {
	struct tu t;
	EVP_PKEY *key;
	X509 *a, *b;
	char *a_pem, *b_pem;
};

static char *cert_pem(X509 *x)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *out;
	long n;

	PEM_write_bio_X509(bio, x);
	n = BIO_get_mem_data(bio, &p);
	out = strndup(p, (size_t)n);
	BIO_free(bio);
	return out;
}

FIXTURE_SETUP(pem)
{
	ASSERT_EQ(0, tu_setup(&self->t));
	self->key = EVP_EC_gen("P-256");
	ASSERT_NE(NULL, self->key);
	self->a = tu_cert(self->key, "A", NULL, NULL, T0, T0 + DAY, true);
	self->b = tu_cert(self->key, "B", NULL, NULL, T0, T0 + DAY, true);
	ASSERT_NE(NULL, self->a);
	ASSERT_NE(NULL, self->b);
	self->a_pem = cert_pem(self->a);
	self->b_pem = cert_pem(self->b);
}

FIXTURE_TEARDOWN(pem)
{
	free(self->a_pem);
	free(self->b_pem);
	X509_free(self->a);
	X509_free(self->b);
	EVP_PKEY_free(self->key);
	tu_teardown(&self->t);
}

static int parse(const char *text, STACK_OF(X509) **out, char *err)
{
	return ew_pem_parse_chain(text, strlen(text), out, err, ERRLEN);
}

TEST_F(pem, parse_errors_are_precise)
{
	STACK_OF(X509) *sk = (STACK_OF(X509) *)1;
	char err[ERRLEN], *buf = malloc(8192);

	EXPECT_EQ(-EINVAL, parse("", &sk, err));
	EXPECT_MSG("empty", err);
	EXPECT_NULL(sk);
	EXPECT_EQ(-EINVAL, parse(" \n\t\r\n", &sk, err));
	EXPECT_MSG("empty", err);
	EXPECT_EQ(-EINVAL, ew_pem_parse_chain(NULL, 0, &sk, err, ERRLEN));
	EXPECT_MSG("empty", err);

	EXPECT_EQ(-EINVAL, parse("hello, world\n", &sk, err));
	EXPECT_MSG("not PEM", err);
	/* A BEGIN in the middle of a line is not one. */
	EXPECT_EQ(-EINVAL, parse("x -----BEGIN CERTIFICATE-----\n", &sk, err));
	EXPECT_MSG("not PEM", err);

	EXPECT_EQ(-EINVAL, parse("-----BEGIN PRIVATE KEY-----\nAAAA\n"
				 "-----END PRIVATE KEY-----\n", &sk, err));
	EXPECT_MSG("not a certificate: PEM block 1 is \"PRIVATE KEY\"", err);

	snprintf(buf, 8192, "%s-----BEGIN X509 CRL-----\nAAAA\n"
		 "-----END X509 CRL-----\n", self->a_pem);
	EXPECT_EQ(-EINVAL, parse(buf, &sk, err));
	EXPECT_MSG("PEM block 2 is \"X509 CRL\"", err);

	snprintf(buf, 8192, "%sgarbage\n", self->a_pem);
	EXPECT_EQ(-EINVAL, parse(buf, &sk, err));
	EXPECT_MSG("trailing data after certificate 1", err);

	snprintf(buf, 8192, "%s%sx", self->a_pem, self->b_pem);
	EXPECT_EQ(-EINVAL, parse(buf, &sk, err));
	EXPECT_MSG("trailing data after certificate 2", err);

	EXPECT_EQ(-EINVAL, parse(bad_b64_pem, &sk, err));
	EXPECT_MSG("PEM block 1 is malformed", err);

	EXPECT_EQ(-EINVAL, parse(not_der_pem, &sk, err));
	EXPECT_MSG("certificate 1 is not a valid X.509 certificate", err);

	/* The second certificate cut off before its END line. */
	snprintf(buf, 8192, "%s%.*s", self->a_pem,
		 (int)strlen(self->b_pem) - 30, self->b_pem);
	EXPECT_EQ(-EINVAL, parse(buf, &sk, err));
	EXPECT_MSG("PEM block 2 is malformed", err);
	EXPECT_NULL(sk);
	free(buf);
}

TEST_F(pem, parse_keeps_order_and_skips_explanatory_text)
{
	char err[ERRLEN], ha[65], hb[65], h[EW_FINGERPRINT_HEX_LEN];
	STACK_OF(X509) *sk = NULL;
	char *crlf, *p, *q, *buf = malloc(8192);

	tu_fp(self->a, ha);
	tu_fp(self->b, hb);
	/* As in public CA bundles: a title before each certificate. */
	snprintf(buf, 8192, "## bundle\nCA A\n====\n%s\nCA B\n%s\n\n",
		 self->a_pem, self->b_pem);
	ASSERT_EQ(0, parse(buf, &sk, err)) TH_LOG("%s", err);
	ASSERT_EQ(2, sk_X509_num(sk));
	ew_cert_fingerprint_hex(sk_X509_value(sk, 0), h);
	EXPECT_STREQ(ha, h);
	ew_cert_fingerprint_hex(sk_X509_value(sk, 1), h);
	EXPECT_STREQ(hb, h);
	ew_chain_free(sk);

	/* CRLF line ends. */
	crlf = malloc(2 * strlen(self->a_pem) + 1);
	for (p = self->a_pem, q = crlf; *p; p++) {
		if (*p == '\n')
			*q++ = '\r';
		*q++ = *p;
	}
	*q = '\0';
	EXPECT_EQ(0, parse(crlf, &sk, err)) TH_LOG("%s", err);
	EXPECT_EQ(1, sk_X509_num(sk));
	ew_chain_free(sk);
	free(crlf);
	free(buf);
}

TEST_F(pem, files_round_trip_atomically)
{
	char path[1024], err[ERRLEN], ha[65], h[EW_FINGERPRINT_HEX_LEN];
	STACK_OF(X509) *chain = sk_X509_new_null(), *back = NULL;
	struct stat st;
	DIR *d;
	struct dirent *de;
	int entries = 0;

	sk_X509_push(chain, self->a);
	sk_X509_push(chain, self->b);
	snprintf(path, sizeof(path), "%.64s/chain.pem", self->t.dir);
	umask(077);	/* the mode must not depend on it */
	ASSERT_EQ(0, ew_pem_save_chain(path, chain, err, ERRLEN)) TH_LOG("%s", err);
	umask(022);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644u, st.st_mode & 07777);
	ASSERT_EQ(0, ew_pem_load_chain(path, &back, err, ERRLEN)) TH_LOG("%s", err);
	ASSERT_EQ(2, sk_X509_num(back));
	tu_fp(self->a, ha);
	ew_cert_fingerprint_hex(sk_X509_value(back, 0), h);
	EXPECT_STREQ(ha, h);
	ew_chain_free(back);
	/* No temporary file left behind: keys/, state/, chain.pem. */
	d = opendir(self->t.dir);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' || strncmp(de->d_name, ".tmp", 4) == 0)
			entries++;
	closedir(d);
	EXPECT_EQ(3, entries);

	/* Replacing keeps the mode and the content whole. */
	sk_X509_pop(chain);
	ASSERT_EQ(0, ew_pem_save_chain(path, chain, err, ERRLEN));
	ASSERT_EQ(0, ew_pem_load_chain(path, &back, err, ERRLEN));
	EXPECT_EQ(1, sk_X509_num(back));
	ew_chain_free(back);

	/* An empty chain is refused and the file left as it was. */
	sk_X509_pop(chain);
	EXPECT_EQ(-EINVAL, ew_pem_save_chain(path, chain, err, ERRLEN));
	ASSERT_EQ(0, ew_pem_load_chain(path, &back, err, ERRLEN));
	EXPECT_EQ(1, sk_X509_num(back));
	ew_chain_free(back);
	sk_X509_free(chain);

	snprintf(path, sizeof(path), "%.64s/missing.pem", self->t.dir);
	EXPECT_EQ(-ENOENT, ew_pem_load_chain(path, &back, err, ERRLEN));
	EXPECT_MSG(path, err);
	EXPECT_EQ(-EINVAL, ew_pem_load_chain(self->t.dir, &back, err, ERRLEN));
	EXPECT_MSG("not a regular file", err);
	snprintf(path, sizeof(path), "%.64s/fifo", self->t.dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	EXPECT_EQ(-EINVAL, ew_pem_load_chain(path, &back, err, ERRLEN));
	EXPECT_MSG("not a regular file", err);
	snprintf(path, sizeof(path), "%.64s/bad.pem", self->t.dir);
	ASSERT_EQ(0, tu_write(path, "junk\n"));
	EXPECT_EQ(-EINVAL, ew_pem_load_chain(path, &back, err, ERRLEN));
	EXPECT_MSG("bad.pem: not PEM", err);
}

TEST_F(pem, fingerprint_and_times)
{
	char h[EW_FINGERPRINT_HEX_LEN], want[65], s[EW_RFC3339_LEN];
	uint8_t fp[EW_SHA256_LEN];
	ASN1_TIME *t;
	int64_t nb, na, u;

	tu_fp(self->a, want);
	ASSERT_EQ(0, ew_cert_fingerprint_hex(self->a, h));
	EXPECT_STREQ(want, h);
	EXPECT_EQ(64, (int)strlen(h));
	ASSERT_EQ(0, ew_cert_fingerprint(self->a, fp));
	EXPECT_EQ(strtoul((char[3]){ want[0], want[1], 0 }, NULL, 16), fp[0]);
	EXPECT_EQ(-EINVAL, ew_cert_fingerprint(NULL, fp));

	ASSERT_EQ(0, ew_time_rfc3339(T0, s));
	EXPECT_STREQ("2026-12-26T14:00:00Z", s);
	ASSERT_EQ(0, ew_time_rfc3339(0, s));
	EXPECT_STREQ("1970-01-01T00:00:00Z", s);
	EXPECT_EQ(-ERANGE, ew_time_rfc3339(253402300800LL, s));	/* year 10000 */

	ASSERT_EQ(0, ew_cert_validity(self->a, &nb, &na));
	EXPECT_EQ(T0, nb);
	EXPECT_EQ(T0 + DAY, na);
	ASSERT_EQ(0, ew_asn1_time_rfc3339(X509_get0_notAfter(self->a), s));
	EXPECT_STREQ("2026-12-27T14:00:00Z", s);

	/* After 2049 a certificate carries a GeneralizedTime. */
	t = ASN1_TIME_set(NULL, (time_t)2556144000LL);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(V_ASN1_GENERALIZEDTIME, ASN1_STRING_type(t));
	ASSERT_EQ(0, ew_asn1_time_unix(t, &u));
	EXPECT_EQ(2556144000LL, u);
	ASSERT_EQ(0, ew_asn1_time_rfc3339(t, s));
	EXPECT_STREQ("2051-01-01T00:00:00Z", s);
	ASN1_TIME_free(t);
}

/* ------------------------------------------------------------------ */
/* The quickstart edge CA and issuance                                */
/* ------------------------------------------------------------------ */

FIXTURE(ca) {
	struct tu t;
	struct ew_edge_ca_config cfg;
	struct ew_edge_ca *ca;
	char path[256];
	char *bundle;
};

FIXTURE_SETUP(ca)
{
	char err[ERRLEN];
	size_t len;

	ASSERT_EQ(0, tu_setup(&self->t));
	memset(&self->cfg, 0, sizeof(self->cfg));
	self->cfg.state_dir = self->t.state;
	snprintf(self->path, sizeof(self->path), "%.160s/edge-ca.pem", self->t.certs);
	self->ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, self->ca) TH_LOG("%s", err);
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(self->ca, T0, &self->bundle, &len));
}

FIXTURE_TEARDOWN(ca)
{
	free(self->bundle);
	ew_edge_ca_free(self->ca);
	tu_teardown(&self->t);
}

static struct ew_issue_request identity_req(void)
{
	struct ew_issue_request r = {
		.kind = EW_CERT_IDENTITY,
		.module = "$edgeHub",
		.hub = "myhub.azure-devices.net",
		.device = "gw-1",
		.now = T0,
	};
	return r;
}

static struct ew_issue_request server_req(const char *cn, const char *module)
{
	struct ew_issue_request r = {
		.kind = EW_CERT_SERVER,
		.module = module,
		.common_name = cn,
		.now = T0,
	};
	return r;
}

/* The leaf of an issued certificate's PEM. */
static X509 *leaf_of(const struct ew_issued *is)
{
	STACK_OF(X509) *sk = tu_parse(is->cert_pem);
	X509 *x = sk_X509_num(sk) > 0 ? sk_X509_shift(sk) : NULL;

	sk_X509_pop_free(sk, X509_free);
	return x;
}

static void cn_of(X509 *x, char *buf, int len)
{
	buf[0] = '\0';
	X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, len);
}

/* The SANs as "DNS:x", "IP:1.2.3.4", "URI:..." joined by ", ". */
static void sans_of(X509 *x, char *buf, size_t len)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char ip[INET6_ADDRSTRLEN];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const char *sep = i ? ", " : "";
		ASN1_STRING *s;

		switch (g->type) {
		case GEN_DNS:
		case GEN_URI:
			s = g->type == GEN_DNS ? g->d.dNSName : g->d.uniformResourceIdentifier;
			off += (size_t)snprintf(buf + off, len - off, "%s%s:%.*s", sep,
						g->type == GEN_DNS ? "DNS" : "URI",
						ASN1_STRING_length(s),
						(const char *)ASN1_STRING_get0_data(s));
			break;
		case GEN_IPADD:
			s = g->d.iPAddress;
			inet_ntop(ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6,
				  ASN1_STRING_get0_data(s), ip, sizeof(ip));
			off += (size_t)snprintf(buf + off, len - off, "%sIP:%s", sep, ip);
			break;
		default:
			off += (size_t)snprintf(buf + off, len - off, "%sother", sep);
		}
	}
	GENERAL_NAMES_free(gens);
}

/* The EKUs as "clientAuth", "serverAuth" joined by ",". */
static void ekus_of(X509 *x, char *buf, size_t len)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	int i;

	buf[0] = '\0';
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		if (i)
			strncat(buf, ",", len - strlen(buf) - 1);
		strncat(buf, OBJ_nid2sn(OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))),
			len - strlen(buf) - 1);
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
}

static bool ext_critical(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	return i >= 0 && X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

TEST_F(ca, quickstart_ca_fields)
{
	STACK_OF(X509) *chain = ew_edge_ca_chain(self->ca);
	const ASN1_OCTET_STRING *ski, *akid;
	BASIC_CONSTRAINTS *bc;
	char cn[128], host[256];
	struct stat st;
	X509 *ca;

	ASSERT_NE(NULL, chain);
	ASSERT_EQ(1, sk_X509_num(chain));
	ca = sk_X509_value(chain, 0);
	EXPECT_TRUE(ew_edge_ca_quickstart(self->ca));
	EXPECT_STREQ(self->path, ew_edge_ca_path(self->ca));
	EXPECT_STREQ("edge-ca", ew_edge_ca_key_id(self->ca));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0644u, st.st_mode & 07777);

	cn_of(ca, cn, sizeof(cn));
	gethostname(host, sizeof(host));
	EXPECT_EQ(0, strncmp(cn, "edgeward Edge CA ", 17)) TH_LOG("CN '%s'", cn);
	EXPECT_EQ(0, strncmp(cn + 17, host, strlen(cn) - 17));
	EXPECT_EQ(0, X509_NAME_cmp(X509_get_subject_name(ca), X509_get_issuer_name(ca)));
	EXPECT_EQ(T0 - 60, tu_unix(X509_get0_notBefore(ca)));
	EXPECT_EQ(T0 + 90 * DAY, tu_unix(X509_get0_notAfter(ca)));

	bc = X509_get_ext_d2i(ca, NID_basic_constraints, NULL, NULL);
	ASSERT_NE(NULL, bc);
	EXPECT_TRUE(bc->ca);
	BASIC_CONSTRAINTS_free(bc);
	EXPECT_TRUE(ext_critical(ca, NID_basic_constraints));
	EXPECT_TRUE(ext_critical(ca, NID_key_usage));
	EXPECT_EQ((uint32_t)(KU_KEY_CERT_SIGN | KU_CRL_SIGN | KU_DIGITAL_SIGNATURE),
		  X509_get_key_usage(ca));
	ski = X509_get0_subject_key_id(ca);
	akid = X509_get0_authority_key_id(ca);
	ASSERT_NE(NULL, ski);
	ASSERT_NE(NULL, akid);
	EXPECT_EQ(0, ASN1_OCTET_STRING_cmp(ski, akid));
	EXPECT_EQ(1, X509_verify(ca, X509_get0_pubkey(ca)));
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));

	/* The trust bundle is exactly the CA. */
	EXPECT_EQ(1, tu_count(self->bundle));
	ew_chain_free(chain);
}

TEST_F(ca, identity_certificate)
{
	struct ew_issue_request req = identity_req();
	const ASN1_INTEGER *serial;
	char err[ERRLEN], buf[512], ca_fp[65], fp[65];
	STACK_OF(X509) *sk;
	struct ew_issued is;
	BASIC_CONSTRAINTS *bc;
	EVP_PKEY *key;
	BIGNUM *bn;
	BIO *bio;
	X509 *leaf;

	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(X509_V_OK, tu_verify(self->bundle, is.cert_pem, T0,
				       X509_PURPOSE_SSL_CLIENT));
	/* clientAuth only: not good for a server. */
	EXPECT_EQ(X509_V_ERR_INVALID_PURPOSE,
		  tu_verify(self->bundle, is.cert_pem, T0, X509_PURPOSE_SSL_SERVER));

	/* Leaf then the edge CA. */
	sk = tu_parse(is.cert_pem);
	ASSERT_EQ(2, sk_X509_num(sk));
	tu_file_fp(self->path, ca_fp);
	tu_fp(sk_X509_value(sk, 1), fp);
	EXPECT_STREQ(ca_fp, fp);
	sk_X509_pop_free(sk, X509_free);

	leaf = leaf_of(&is);
	ASSERT_NE(NULL, leaf);
	cn_of(leaf, buf, sizeof(buf));
	EXPECT_STREQ("$edgeHub", buf);
	sans_of(leaf, buf, sizeof(buf));
	EXPECT_STREQ("URI:azureiot://myhub.azure-devices.net/devices/gw-1/modules/$edgeHub",
		     buf);
	ekus_of(leaf, buf, sizeof(buf));
	EXPECT_STREQ("clientAuth", buf);
	EXPECT_EQ((uint32_t)KU_DIGITAL_SIGNATURE, X509_get_key_usage(leaf));
	EXPECT_TRUE(ext_critical(leaf, NID_key_usage));
	EXPECT_TRUE(ext_critical(leaf, NID_basic_constraints));
	bc = X509_get_ext_d2i(leaf, NID_basic_constraints, NULL, NULL);
	ASSERT_NE(NULL, bc);
	EXPECT_FALSE(bc->ca);
	BASIC_CONSTRAINTS_free(bc);

	/* Validity: a minute back, 30 days ahead; the expiration says so. */
	EXPECT_EQ(T0 - 60, tu_unix(X509_get0_notBefore(leaf)));
	EXPECT_EQ(T0 + 30 * DAY, tu_unix(X509_get0_notAfter(leaf)));
	EXPECT_EQ(T0 + 30 * DAY, is.not_after);
	EXPECT_STREQ("2027-01-25T14:00:00Z", is.expiration);

	/* Serial: positive, 16 bytes. */
	serial = X509_get0_serialNumber(leaf);
	bn = ASN1_INTEGER_to_BN(serial, NULL);
	EXPECT_FALSE(BN_is_negative(bn));
	EXPECT_FALSE(BN_is_zero(bn));
	EXPECT_EQ(16, BN_num_bytes(bn));
	BN_free(bn);
	/* Tag, length, 16 bytes: no sign padding needed. */
	EXPECT_EQ(18, i2d_ASN1_INTEGER(serial, NULL));

	/* AKI is the CA's SKI. */
	sk = tu_parse(self->bundle);
	EXPECT_EQ(0, ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(leaf),
					   X509_get0_subject_key_id(sk_X509_value(sk, 0))));
	sk_X509_pop_free(sk, X509_free);

	/* The key: PKCS#8, EC P-256, the certificate's. */
	EXPECT_EQ(0, strncmp(is.key_pem, "-----BEGIN PRIVATE KEY-----\n", 28));
	EXPECT_EQ(strlen(is.key_pem), is.key_len);
	bio = BIO_new_mem_buf(is.key_pem, -1);
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ASSERT_NE(NULL, key);
	EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
	EXPECT_EQ(256, EVP_PKEY_get_bits(key));
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(leaf), key));
	EVP_PKEY_free(key);
	X509_free(leaf);
	ew_issued_release(&is);
	EXPECT_NULL(is.key_pem);
	EXPECT_NULL(is.cert_pem);
}

TEST_F(ca, server_certificate_sans)
{
	static const struct {
		const char *cn, *module, *sans;
	} cases[] = {
		{ "gateway.local", "$edgeHub", "DNS:gateway.local, DNS:edgeHub" },
		{ "192.168.1.10", "$edgeHub", "IP:192.168.1.10, DNS:edgeHub" },
		{ "fe80::1", "mymod", "IP:fe80::1, DNS:mymod" },
		/* No duplicates, compared as DNS names are. */
		{ "EdgeHub", "$edgeHub", "DNS:EdgeHub" },
		{ "mymod", "mymod", "DNS:mymod" },
		/* Not an address: a DNS name. */
		{ "1.2.3", "m", "DNS:1.2.3, DNS:m" },
	};
	char err[ERRLEN], buf[512];
	struct ew_issue_request req;
	struct ew_issued is;
	size_t i;
	X509 *leaf;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req = server_req(cases[i].cn, cases[i].module);
		ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN))
			TH_LOG("%s: %s", cases[i].cn, err);
		EXPECT_EQ(X509_V_OK, tu_verify(self->bundle, is.cert_pem, T0,
					       X509_PURPOSE_SSL_SERVER));
		EXPECT_EQ(X509_V_ERR_INVALID_PURPOSE,
			  tu_verify(self->bundle, is.cert_pem, T0,
				    X509_PURPOSE_SSL_CLIENT));
		leaf = leaf_of(&is);
		ASSERT_NE(NULL, leaf);
		cn_of(leaf, buf, sizeof(buf));
		EXPECT_STREQ(cases[i].cn, buf);
		sans_of(leaf, buf, sizeof(buf));
		EXPECT_STREQ(cases[i].sans, buf);
		ekus_of(leaf, buf, sizeof(buf));
		EXPECT_STREQ("serverAuth", buf);
		X509_free(leaf);
		ew_issued_release(&is);
	}

	/* What a TLS client checks. */
	req = server_req("gateway.local", "$edgeHub");
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	leaf = leaf_of(&is);
	EXPECT_EQ(1, X509_check_host(leaf, "gateway.local", 0, 0, NULL));
	EXPECT_EQ(1, X509_check_host(leaf, "edgehub", 0, 0, NULL));
	EXPECT_EQ(0, X509_check_host(leaf, "other.local", 0, 0, NULL));
	X509_free(leaf);
	ew_issued_release(&is);
	req = server_req("10.0.0.7", "$edgeHub");
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	leaf = leaf_of(&is);
	EXPECT_EQ(1, X509_check_ip_asc(leaf, "10.0.0.7", 0));
	EXPECT_EQ(0, X509_check_ip_asc(leaf, "10.0.0.8", 0));
	X509_free(leaf);
	ew_issued_release(&is);
}

/* RSA key generation takes its time, above all under valgrind. */
TEST_F_TIMEOUT(ca, rsa_keys_on_request, 300)
{
	struct ew_issue_request req = server_req("gw", "$edgeHub");
	char err[ERRLEN];
	struct ew_issued is;
	EVP_PKEY *key;
	BIO *bio;
	X509 *leaf;

	req.alg = EW_KEY_RSA_2048;
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(X509_V_OK, tu_verify(self->bundle, is.cert_pem, T0,
				       X509_PURPOSE_SSL_SERVER));
	leaf = leaf_of(&is);
	ASSERT_NE(NULL, leaf);
	EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(leaf), "RSA"));
	EXPECT_EQ(2048, EVP_PKEY_get_bits(X509_get0_pubkey(leaf)));
	EXPECT_EQ((uint32_t)(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT), X509_get_key_usage(leaf));
	EXPECT_EQ(0, strncmp(is.key_pem, "-----BEGIN PRIVATE KEY-----\n", 28));
	bio = BIO_new_mem_buf(is.key_pem, -1);
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ASSERT_NE(NULL, key);
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(leaf), key));
	EVP_PKEY_free(key);
	X509_free(leaf);
	ew_issued_release(&is);
}

TEST_F(ca, validity_requests_and_serials)
{
	struct ew_issue_request req = identity_req();
	char err[ERRLEN];
	struct ew_issued a, b;
	X509 *la, *lb;

	req.validity = 3600;
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &a, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(T0 + 3600, a.not_after);
	req.validity = 0;
	req.not_after = T0 + 7 * DAY;
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &b, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(T0 + 7 * DAY, b.not_after);
	EXPECT_STREQ("2027-01-02T14:00:00Z", b.expiration);
	la = leaf_of(&a);
	lb = leaf_of(&b);
	EXPECT_NE(0, ASN1_INTEGER_cmp(X509_get0_serialNumber(la),
				      X509_get0_serialNumber(lb)));
	X509_free(la);
	X509_free(lb);
	ew_issued_release(&a);
	ew_issued_release(&b);
}

TEST_F(ca, never_outlives_the_issuer)
{
	struct ew_issue_request req = server_req("gw", "$edgeHub");
	int64_t ca_na = T0 + 90 * DAY;
	char err[ERRLEN];
	struct ew_issued is;
	X509 *leaf;

	/* 20 days before the CA expires, a 30-day certificate is clipped. */
	req.now = ca_na - 20 * DAY;
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(ca_na, is.not_after);
	EXPECT_STREQ("2027-03-26T14:00:00Z", is.expiration);
	leaf = leaf_of(&is);
	EXPECT_EQ(ca_na, tu_unix(X509_get0_notAfter(leaf)));
	EXPECT_EQ(X509_V_OK, tu_verify(self->bundle, is.cert_pem, ca_na - 1,
				       X509_PURPOSE_SSL_SERVER));
	X509_free(leaf);
	ew_issued_release(&is);

	/* So is an explicit expiration past it. */
	req.now = T0;
	req.not_after = ca_na + 100 * DAY;
	ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	EXPECT_EQ(ca_na, is.not_after);
	ew_issued_release(&is);

	/* An expired CA issues nothing. */
	req.not_after = 0;
	req.now = ca_na;
	EXPECT_EQ(-EKEYEXPIRED, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	EXPECT_MSG("expired at 2027-03-26T14:00:00Z", err);
	EXPECT_NULL(is.cert_pem);
}

TEST_F(ca, invalid_requests_are_refused)
{
	char long_name[EW_CN_MAX + 2];
	static const struct {
		enum ew_cert_kind kind;
		const char *module, *cn, *hub, *device, *msg;
		int alg;
	} bad[] = {
		{ EW_CERT_IDENTITY, "", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, NULL, NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "a b", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "a\nb", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "a\x7f", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "caf\xc3\xa9", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "a/b", NULL, "h", "d", "invalid module name", 0 },
		{ EW_CERT_IDENTITY, "m", NULL, "", "d", "invalid hub name", 0 },
		{ EW_CERT_IDENTITY, "m", NULL, "h/x", "d", "invalid hub name", 0 },
		{ EW_CERT_IDENTITY, "m", NULL, "h", NULL, "invalid device id", 0 },
		{ EW_CERT_IDENTITY, "m", NULL, "h", "d\t", "invalid device id", 0 },
		{ EW_CERT_SERVER, "m", "", NULL, NULL, "invalid commonName", 0 },
		{ EW_CERT_SERVER, "m", NULL, NULL, NULL, "invalid commonName", 0 },
		{ EW_CERT_SERVER, "m", "a,DNS:evil", NULL, NULL, NULL, 0 },
		{ EW_CERT_SERVER, "m", "x y", NULL, NULL, "invalid commonName", 0 },
		{ EW_CERT_SERVER, "m", "gw", NULL, NULL, "unsupported key type",
		  EW_KEY_RSA_4096 },
		{ 0, "m", "gw", NULL, NULL, "invalid certificate kind", 0 },
	};
	struct ew_issue_request req;
	char err[ERRLEN], buf[256];
	struct ew_issued is;
	size_t i;
	X509 *leaf;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&req, 0, sizeof(req));
		req.kind = bad[i].kind;
		req.module = bad[i].module;
		req.common_name = bad[i].cn;
		req.hub = bad[i].hub;
		req.device = bad[i].device;
		req.alg = bad[i].alg;
		req.now = T0;
		if (!bad[i].msg) {
			/* Odd but harmless: a single DNS name, not two. */
			ASSERT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
			leaf = leaf_of(&is);
			sans_of(leaf, buf, sizeof(buf));
			EXPECT_STREQ("DNS:a,DNS:evil, DNS:m", buf);
			X509_free(leaf);
			ew_issued_release(&is);
			continue;
		}
		EXPECT_EQ(-EINVAL, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN))
			TH_LOG("case %zu", i);
		EXPECT_MSG(bad[i].msg, err);
		EXPECT_NULL(is.key_pem);
	}

	/* Lengths: 64 is the most a CN holds. */
	memset(long_name, 'a', sizeof(long_name));
	long_name[EW_CN_MAX] = '\0';
	req = server_req(long_name, long_name);
	EXPECT_EQ(0, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN)) TH_LOG("%s", err);
	ew_issued_release(&is);
	long_name[EW_CN_MAX] = 'a';
	long_name[EW_CN_MAX + 1] = '\0';
	req = server_req(long_name, "m");
	EXPECT_EQ(-EINVAL, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	EXPECT_MSG("invalid commonName", err);
	req = server_req("gw", long_name);
	EXPECT_EQ(-EINVAL, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	EXPECT_MSG("module name longer than 64 characters: too long for a certificate", err);

	req = identity_req();
	req.not_after = T0;
	EXPECT_EQ(-EINVAL, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
	EXPECT_MSG("not in the future", err);
	req = identity_req();
	req.validity = -1;
	EXPECT_EQ(-EINVAL, ew_edge_ca_issue(self->ca, &req, &is, err, ERRLEN));
}

TEST_F(ca, reload_keeps_the_same_ca)
{
	char err[ERRLEN], before[65], after[65];
	STACK_OF(X509) *chain;
	struct ew_edge_ca *again;

	tu_file_fp(self->path, before);
	again = ew_edge_ca_load(&self->cfg, self->t.ks, T0 + 10 * DAY, err, ERRLEN);
	ASSERT_NE(NULL, again) TH_LOG("%s", err);
	chain = ew_edge_ca_chain(again);
	tu_fp(sk_X509_value(chain, 0), after);
	EXPECT_STREQ(before, after);
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
	ew_chain_free(chain);
	ew_edge_ca_free(again);
}

TEST_F(ca, expired_quickstart_ca_is_recreated)
{
	char err[ERRLEN], before[65], after[65];
	int64_t later = T0 + 91 * DAY;
	struct ew_edge_ca *again;
	EVP_PKEY *k1, *k2;
	char *bundle;
	size_t len;

	tu_file_fp(self->path, before);
	k1 = ew_key_pair_get(self->t.ks, "edge-ca");
	again = ew_edge_ca_load(&self->cfg, self->t.ks, later, err, ERRLEN);
	ASSERT_NE(NULL, again) TH_LOG("%s", err);
	tu_file_fp(self->path, after);
	EXPECT_STRNE(before, after);
	k2 = ew_key_pair_get(self->t.ks, "edge-ca");
	EXPECT_EQ(1, EVP_PKEY_eq(k1, k2));	/* same key, new certificate */
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	/* The expired one is not kept in the bundle. */
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(again, later, &bundle, &len));
	EXPECT_EQ(1, tu_count(bundle));
	free(bundle);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	ew_edge_ca_free(again);
}

TEST_F(ca, mismatched_key_is_refused)
{
	char err[ERRLEN], before[65], after[65];

	tu_file_fp(self->path, before);
	ew_edge_ca_free(self->ca);
	self->ca = NULL;
	ASSERT_EQ(0, ew_key_delete(self->t.ks, "edge-ca"));
	ASSERT_EQ(0, ew_key_pair_create(self->t.ks, "edge-ca", EW_KEY_EC_P256));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("does not match key \"edge-ca\"", err);
	EXPECT_MSG(self->path, err);
	/* Nothing was overwritten. */
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
}

TEST_F(ca, missing_key_starts_over)
{
	char err[ERRLEN], before[65], after[65], *bundle;
	size_t len;

	tu_file_fp(self->path, before);
	ew_edge_ca_free(self->ca);
	ASSERT_EQ(0, ew_key_delete(self->t.ks, "edge-ca"));
	self->ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, self->ca) TH_LOG("%s", err);
	tu_file_fp(self->path, after);
	EXPECT_STRNE(before, after);
	EXPECT_EQ(1, tu_key_matches_file(self->t.ks, "edge-ca", self->path));
	/* What the lost CA issued is still trusted until it expires. */
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(self->ca, T0, &bundle, &len));
	EXPECT_EQ(2, tu_count(bundle));
	free(bundle);
}

TEST_F(ca, bad_state_file_is_refused)
{
	char err[ERRLEN];

	ew_edge_ca_free(self->ca);
	self->ca = NULL;
	ASSERT_EQ(0, tu_write(self->path, "not a certificate\n"));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("edge-ca.pem: not PEM", err);
	EXPECT_MSG("remove it", err);
	/* Left for the operator to look at. */
	EXPECT_TRUE(tu_exists(self->path));
}

TEST_F(ca, replaced_and_expired_is_refused_not_overwritten)
{
	char err[ERRLEN], before[65], after[65];
	EVP_PKEY *k = ew_key_pair_get(self->t.ks, "edge-ca");
	X509 *x;

	/* Someone else's CA with our key, expired: not ours to replace. */
	x = tu_cert(k, "someone else", NULL, NULL, T0, T0 + DAY, true);
	ASSERT_EQ(0, tu_write_certs(self->path, &x, 1));
	tu_fp(x, before);
	ew_edge_ca_free(self->ca);
	self->ca = NULL;
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0 + 2 * DAY, err, ERRLEN));
	EXPECT_MSG("replaced externally and expired", err);
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
	/* Still valid, it is used as it is. */
	self->ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0 + 1, err, ERRLEN);
	ASSERT_NE(NULL, self->ca) TH_LOG("%s", err);
	tu_file_fp(self->path, after);
	EXPECT_STREQ(before, after);
	X509_free(x);
	EVP_PKEY_free(k);
}

TEST_F_TIMEOUT(ca, configured_name_validity_and_key, 300)
{
	struct ew_edge_ca_config cfg = self->cfg;
	struct tu t2;
	char err[ERRLEN], cn[128];
	struct ew_edge_ca *ca;
	STACK_OF(X509) *chain;
	X509 *x;

	ASSERT_EQ(0, tu_setup(&t2));
	cfg.state_dir = t2.state;
	cfg.common_name = "My Gateway CA";
	cfg.expiry_days = 10;
	cfg.key_alg = EW_KEY_RSA_2048;
	cfg.key_id = "my-ca";
	ca = ew_edge_ca_load(&cfg, t2.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	chain = ew_edge_ca_chain(ca);
	x = sk_X509_value(chain, 0);
	cn_of(x, cn, sizeof(cn));
	EXPECT_STREQ("My Gateway CA", cn);
	EXPECT_EQ(T0 + 10 * DAY, tu_unix(X509_get0_notAfter(x)));
	EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(x), "RSA"));
	EXPECT_EQ(1, ew_key_exists(t2.ks, "my-ca"));
	EXPECT_EQ(0, ew_key_exists(t2.ks, "edge-ca"));
	ew_chain_free(chain);
	ew_edge_ca_free(ca);

	cfg.common_name = "";
	EXPECT_NULL(ew_edge_ca_load(&cfg, t2.ks, T0, err, ERRLEN));
	EXPECT_MSG("invalid common name", err);
	cfg.common_name = NULL;
	cfg.expiry_days = 40000;
	EXPECT_NULL(ew_edge_ca_load(&cfg, t2.ks, T0, err, ERRLEN));
	EXPECT_MSG("expiry_days", err);
	cfg.expiry_days = 0;
	cfg.key_id = "bad/id";
	EXPECT_NULL(ew_edge_ca_load(&cfg, t2.ks, T0, err, ERRLEN));
	EXPECT_MSG("invalid key id", err);
	tu_teardown(&t2);
}

TEST_F(ca, extra_trust_bundle)
{
	struct ew_edge_ca_config cfg = self->cfg;
	char err[ERRLEN], path[1024], fp_extra[65], fp0[65];
	EVP_PKEY *k = EVP_EC_gen("P-256");
	STACK_OF(X509) *sk;
	struct ew_edge_ca *ca;
	X509 *certs[2];
	char *bundle;
	size_t len;

	/* An extra root, and the edge CA itself again: listed once. */
	certs[0] = tu_cert(k, "Extra Root", NULL, NULL, T0 - DAY, T0 + 365 * DAY, true);
	sk = tu_parse(self->bundle);
	certs[1] = sk_X509_value(sk, 0);
	snprintf(path, sizeof(path), "%.64s/extra.pem", self->t.dir);
	ASSERT_EQ(0, tu_write_certs(path, certs, 2));
	cfg.trust_bundle_cert = path;
	ca = ew_edge_ca_load(&cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	ASSERT_EQ(0, ew_edge_ca_trust_bundle(ca, T0, &bundle, &len));
	EXPECT_EQ(strlen(bundle), len);
	sk_X509_pop_free(sk, X509_free);
	sk = tu_parse(bundle);
	ASSERT_EQ(2, sk_X509_num(sk));
	tu_fp(sk_X509_value(sk, 0), fp0);
	tu_file_fp(self->path, fp_extra);
	EXPECT_STREQ(fp_extra, fp0);	/* the edge CA first */
	tu_fp(certs[0], fp_extra);
	tu_fp(sk_X509_value(sk, 1), fp0);
	EXPECT_STREQ(fp_extra, fp0);
	sk_X509_pop_free(sk, X509_free);
	free(bundle);
	ew_edge_ca_free(ca);

	/* A bad bundle stops the load, with a message that says so. */
	ASSERT_EQ(0, tu_write(path, "-----BEGIN CERTIFICATE-----\nAAAA\n"));
	EXPECT_NULL(ew_edge_ca_load(&cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("trust bundle:", err);
	EXPECT_MSG("extra.pem", err);
	snprintf(path, sizeof(path), "%.64s/none.pem", self->t.dir);
	EXPECT_NULL(ew_edge_ca_load(&cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("trust bundle:", err);
	X509_free(certs[0]);
	EVP_PKEY_free(k);
}

/* ------------------------------------------------------------------ */
/* The preloaded edge CA                                              */
/* ------------------------------------------------------------------ */

FIXTURE(pre) {
	struct tu t;
	EVP_PKEY *root_key, *ca_key;
	X509 *root, *ca;
	char cert[256], pk[256];
	struct ew_edge_ca_config cfg;
};

FIXTURE_SETUP(pre)
{
	X509 *chain[2];

	ASSERT_EQ(0, tu_setup(&self->t));
	self->root_key = EVP_EC_gen("P-256");
	self->ca_key = EVP_EC_gen("P-256");
	self->root = tu_cert(self->root_key, "Test Root", NULL, NULL, T0 - DAY,
			     T0 + 365 * DAY, true);
	self->ca = tu_cert(self->ca_key, "Test Edge CA", self->root,
			   self->root_key, T0 - DAY, T0 + 60 * DAY, true);
	ASSERT_NE(NULL, self->ca);
	snprintf(self->cert, sizeof(self->cert), "%.64s/edge-ca-chain.pem", self->t.dir);
	snprintf(self->pk, sizeof(self->pk), "%.64s/edge-ca.key.pem", self->t.dir);
	chain[0] = self->ca;
	chain[1] = self->root;
	ASSERT_EQ(0, tu_write_certs(self->cert, chain, 2));
	ASSERT_EQ(0, tu_write_key(self->pk, self->ca_key));
	memset(&self->cfg, 0, sizeof(self->cfg));
	self->cfg.state_dir = self->t.state;
	self->cfg.cert = self->cert;
	self->cfg.pk = self->pk;
}

FIXTURE_TEARDOWN(pre)
{
	X509_free(self->root);
	X509_free(self->ca);
	EVP_PKEY_free(self->root_key);
	EVP_PKEY_free(self->ca_key);
	tu_teardown(&self->t);
}

TEST_F(pre, imported_and_issuing)
{
	struct ew_issue_request req = server_req("gw.example", "$edgeHub");
	char err[ERRLEN], uri_cfg[1024], path[1024], *root_pem;
	struct ew_edge_ca *ca;
	struct ew_issued is;
	EVP_PKEY *k;
	char *bundle;
	size_t len;

	ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	EXPECT_FALSE(ew_edge_ca_quickstart(ca));
	/* The key is in the store now, as "edge-ca". */
	k = ew_key_pair_get(self->t.ks, "edge-ca");
	ASSERT_NE(NULL, k);
	EXPECT_EQ(1, EVP_PKEY_eq(k, self->ca_key));
	EVP_PKEY_free(k);
	/* Nothing written to the state directory. */
	EXPECT_FALSE(tu_exists(self->t.certs));

	ASSERT_EQ(0, ew_edge_ca_trust_bundle(ca, T0, &bundle, &len));
	EXPECT_EQ(2, tu_count(bundle));
	ASSERT_EQ(0, ew_edge_ca_issue(ca, &req, &is, err, ERRLEN)) TH_LOG("%s", err);
	EXPECT_EQ(3, tu_count(is.cert_pem));	/* leaf, edge CA, root */
	EXPECT_EQ(X509_V_OK, tu_verify(bundle, is.cert_pem, T0, X509_PURPOSE_SSL_SERVER));
	/* Only the root trusted: the chain in the answer is enough. */
	snprintf(path, sizeof(path), "%.64s/root.pem", self->t.dir);
	ASSERT_EQ(0, tu_write_certs(path, &self->root, 1));
	root_pem = tu_read(path);
	EXPECT_EQ(X509_V_OK, tu_verify(root_pem, is.cert_pem, T0, X509_PURPOSE_SSL_SERVER));
	free(root_pem);
	/* Clipped to the edge CA, which expires before the root. */
	EXPECT_EQ(T0 + 30 * DAY, is.not_after);
	ew_issued_release(&is);
	req.now = T0 + 50 * DAY;
	ASSERT_EQ(0, ew_edge_ca_issue(ca, &req, &is, err, ERRLEN));
	EXPECT_EQ(T0 + 60 * DAY, is.not_after);
	ew_issued_release(&is);
	free(bundle);
	ew_edge_ca_free(ca);

	/* Again, with file:// URIs and the key already in the store. */
	snprintf(uri_cfg, sizeof(uri_cfg), "file://%.900s", self->pk);
	self->cfg.pk = uri_cfg;
	ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	ew_edge_ca_free(ca);
	/* And with no pk at all: the store's key is used. */
	self->cfg.pk = NULL;
	ca = ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN);
	ASSERT_NE(NULL, ca) TH_LOG("%s", err);
	ew_edge_ca_free(ca);
	/* A preloaded CA is not renewed by edgeward. */
}

TEST_F(pre, mismatched_key_is_refused)
{
	EVP_PKEY *other = EVP_EC_gen("P-256");
	char err[ERRLEN];

	ASSERT_EQ(0, tu_write_key(self->pk, other));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("does not match certificate", err);
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca"));	/* not imported */

	/* No pk and another key in the store. */
	ASSERT_EQ(0, ew_key_pair_create(self->t.ks, "edge-ca", EW_KEY_EC_P256));
	self->cfg.pk = NULL;
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("does not match key \"edge-ca\"", err);
	ASSERT_EQ(0, ew_key_delete(self->t.ks, "edge-ca"));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("not in the key store", err);

	self->cfg.pk = self->pk;
	ASSERT_EQ(0, tu_write(self->pk, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
				       "-----END ENCRYPTED PRIVATE KEY-----\n"));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("not an unencrypted PEM private key", err);
	EVP_PKEY_free(other);
}

TEST_F(pre, bad_chains_are_refused)
{
	char err[ERRLEN];
	X509 *leaf, *chain[2];

	/* Expired, and not yet valid. */
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0 + 60 * DAY, err, ERRLEN));
	EXPECT_MSG("expired at", err);
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0 - 2 * DAY, err, ERRLEN));
	EXPECT_MSG("not valid before", err);

	/* Root first. */
	chain[0] = self->root;
	chain[1] = self->ca;
	ASSERT_EQ(0, tu_write_certs(self->cert, chain, 2));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("certificate 2 did not issue certificate 1", err);

	/* Not a CA. */
	leaf = tu_cert(self->ca_key, "leaf", self->root, self->root_key,
		       T0 - DAY, T0 + DAY, false);
	ASSERT_EQ(0, tu_write_certs(self->cert, &leaf, 1));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("not a CA", err);
	X509_free(leaf);

	ASSERT_EQ(0, tu_write(self->cert, "hello\n"));
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("edge-ca-chain.pem: not PEM", err);

	self->cfg.cert = NULL;
	EXPECT_NULL(ew_edge_ca_load(&self->cfg, self->t.ks, T0, err, ERRLEN));
	EXPECT_MSG("without a certificate", err);
	EXPECT_EQ(0, ew_key_exists(self->t.ks, "edge-ca"));
}

TEST_HARNESS_MAIN

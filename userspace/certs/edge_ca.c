// SPDX-License-Identifier: GPL-2.0-only
/*
 * The edge CA: the CA that signs module certificates. Either quickstart (a
 * self-signed CA that edgeward creates in <state>/certs/edge-ca.pem with
 * key "edge-ca", and renews itself) or preloaded (a CA certificate chain
 * and key the operator provides; the key is imported into the key store).
 * Also the trust bundle handed to modules: the edge CA chain, the previous
 * edge CA while certificates it issued may still be in use, and an extra
 * bundle from the configuration.
 *
 * The workload API issues from several threads while the event loop may
 * renew the CA: the chains are swapped under a lock, and users take their
 * own references.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "certs/internal.h"

#define EW_EDGE_CA_MAX_DAYS 36500
#define CN_PREFIX "edgeward Edge CA"

struct ew_edge_ca {
	struct ew_keystore *ks;
	bool quickstart;
	char *path;		/* the edge CA chain's file */
	char *prev_path;	/* quickstart: the previous edge CA */
	char *key_id;
	char *common_name;	/* quickstart */
	unsigned int days;
	enum ew_key_alg alg;
	pthread_mutex_t lock;	/* guards chain and previous after loading */
	STACK_OF(X509) *chain;
	STACK_OF(X509) *previous;	/* NULL if none */
	STACK_OF(X509) *extra;		/* the extra trust bundle, or NULL */
};

void ew_edge_ca_free(struct ew_edge_ca *ca)
{
	if (!ca)
		return;
	pthread_mutex_destroy(&ca->lock);
	free(ca->path);
	free(ca->prev_path);
	free(ca->key_id);
	free(ca->common_name);
	ew_chain_free(ca->chain);
	ew_chain_free(ca->previous);
	ew_chain_free(ca->extra);
	free(ca);
}

bool ew_edge_ca_quickstart(const struct ew_edge_ca *ca)
{
	return ca->quickstart;
}

const char *ew_edge_ca_path(const struct ew_edge_ca *ca)
{
	return ca->path;
}

const char *ew_edge_ca_key_id(const struct ew_edge_ca *ca)
{
	return ca->key_id;
}

STACK_OF(X509) *ew_edge_ca_chain(struct ew_edge_ca *ca)
{
	STACK_OF(X509) *chain;

	pthread_mutex_lock(&ca->lock);
	chain = ew_chain_dup(ca->chain);
	pthread_mutex_unlock(&ca->lock);
	return chain;
}

/* "edgeward Edge CA <hostname>", cut to what a CN may hold. */
static char *default_cn(void)
{
	char host[256], *cn;
	size_t i;

	if (gethostname(host, sizeof(host)))
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	for (i = 0; host[i]; i++)
		if (host[i] < 0x21 || host[i] > 0x7e)
			host[i] = '-';
	if (asprintf(&cn, host[0] ? CN_PREFIX " %s" : CN_PREFIX, host) < 0)
		return NULL;
	if (strlen(cn) > EW_CN_MAX)
		cn[EW_CN_MAX] = '\0';
	return cn;
}

static int build_self_signed(X509 *x, const struct ew_edge_ca *ca,
			     EVP_PKEY *key, int64_t now)
{
	int rc;

	if (!X509_set_version(x, X509_VERSION_3) || !X509_set_pubkey(x, key))
		return -ENOMEM;
	if ((rc = ew_x509_set_random_serial(x)) ||
	    (rc = ew_x509_set_subject_cn(x, ca->common_name)))
		return rc;
	if (!X509_set_issuer_name(x, X509_get_subject_name(x)))
		return -ENOMEM;
	if ((rc = ew_x509_set_validity(x, now - EW_ISSUE_BACKDATE,
				       now + (int64_t)ca->days * 86400)) ||
	    (rc = ew_x509_add_ext(x, NULL, NID_basic_constraints,
				  "critical,CA:TRUE")) ||
	    (rc = ew_x509_add_ext(x, NULL, NID_key_usage,
				  "critical,keyCertSign,cRLSign,digitalSignature")) ||
	    (rc = ew_x509_add_key_ids(x, NULL)))
		return rc;
	return ew_x509_sign(x, key);
}

static STACK_OF(X509) *self_signed(const struct ew_edge_ca *ca, EVP_PKEY *key,
				   int64_t now, char *err, size_t errlen)
{
	STACK_OF(X509) *chain;
	X509 *x = X509_new();

	if (!x || build_self_signed(x, ca, key, now)) {
		ew_certs_err_ssl(err, errlen, -EINVAL,
				 "cannot create the edge CA certificate");
		X509_free(x);
		return NULL;
	}
	chain = sk_X509_new_null();
	if (!chain || !sk_X509_push(chain, x)) {
		sk_X509_free(chain);
		X509_free(x);
		ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		return NULL;
	}
	return chain;
}

/* Keeps @old (taken) as the previous edge CA, on disk and in memory. */
static int retire(struct ew_edge_ca *ca, STACK_OF(X509) *old,
		  char *err, size_t errlen)
{
	if (!old)
		return 0;
	ew_chain_free(ca->previous);
	ca->previous = old;
	return ew_pem_save_chain(ca->prev_path, old, err, errlen);
}

/*
 * A new self-signed edge CA, with the existing key or a new one. The chain
 * it replaces (@old, taken) is retired if it is still valid.
 */
static int create(struct ew_edge_ca *ca, STACK_OF(X509) *old, int64_t now,
		  char *err, size_t errlen)
{
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *key = NULL;
	int64_t nb, na;
	int rc;

	rc = ew_key_exists(ca->ks, ca->key_id);
	if (rc < 0) {
		ew_errbuf(err, errlen, rc, "key \"%s\": %s", ca->key_id,
			     ew_keystore_error(ca->ks));
		goto out;
	}
	if (!rc) {
		rc = ew_key_pair_create(ca->ks, ca->key_id, ca->alg);
		if (rc) {
			ew_errbuf(err, errlen, rc, "cannot create key \"%s\": %s",
				     ca->key_id, ew_keystore_error(ca->ks));
			goto out;
		}
	}
	key = ew_key_pair_get(ca->ks, ca->key_id);
	if (!key) {
		rc = ew_errbuf(err, errlen, -ENOKEY, "cannot load key \"%s\": %s",
				  ca->key_id, ew_keystore_error(ca->ks));
		goto out;
	}
	chain = self_signed(ca, key, now, err, errlen);
	if (!chain) {
		rc = -EINVAL;
		goto out;
	}
	rc = ew_renew_install(ca->ks, ca->path, ca->key_id, NULL, chain,
			      err, errlen);
	if (rc)
		goto out;
	ew_chain_free(ca->chain);
	ca->chain = chain;
	chain = NULL;
	if (old && !ew_cert_validity(sk_X509_value(old, 0), &nb, &na) && na > now) {
		rc = retire(ca, old, err, errlen);
		old = NULL;
	}
out:
	ew_chain_free(old);
	ew_chain_free(chain);
	EVP_PKEY_free(key);
	return rc;
}

/* 1 if key @id of the store is @cert's, 0 if another, -errno if absent. */
static int store_key_matches(struct ew_edge_ca *ca, X509 *cert,
			     char *err, size_t errlen)
{
	EVP_PKEY *key;
	int rc;

	rc = ew_key_exists(ca->ks, ca->key_id);
	if (rc < 0)
		return ew_errbuf(err, errlen, rc, "key \"%s\": %s", ca->key_id,
				    ew_keystore_error(ca->ks));
	if (!rc)
		return ew_errbuf(err, errlen, -ENOKEY,
				    "key \"%s\" is not in the key store", ca->key_id);
	key = ew_key_pair_get(ca->ks, ca->key_id);
	if (!key)
		return ew_errbuf(err, errlen, -ENOKEY, "cannot load key \"%s\": %s",
				    ca->key_id, ew_keystore_error(ca->ks));
	rc = EVP_PKEY_eq(X509_get0_pubkey(cert), key) == 1;
	EVP_PKEY_free(key);
	ERR_clear_error();
	return rc;
}

static int load_quickstart(struct ew_edge_ca *ca, int64_t now,
			   char *err, size_t errlen)
{
	uint8_t fp[EW_SHA256_LEN];
	const uint8_t *fps[1] = { fp };
	STACK_OF(X509) *chain = NULL;
	char msg[256], when[EW_RFC3339_LEN];
	int64_t nb, na;
	int rc, ours, match;
	X509 *leaf;

	rc = ew_renew_recover(ca->ks, ca->path, ca->key_id, err, errlen);
	if (rc)
		return rc;
	rc = ew_pem_load_chain(ca->path, &chain, msg, sizeof(msg));
	if (rc == -ENOENT)
		return create(ca, NULL, now, err, errlen);
	if (rc)
		return ew_errbuf(err, errlen, rc,
				    "edge CA: %s; remove it to let edgeward create a new edge CA",
				    msg);
	leaf = sk_X509_value(chain, 0);
	if (ew_cert_fingerprint(leaf, fp) || ew_cert_validity(leaf, &nb, &na)) {
		rc = ew_errbuf(err, errlen, -EINVAL,
				  "edge CA: %s: unreadable certificate", ca->path);
		goto fail;
	}
	ours = ew_managed_check(ca->path, fp, msg, sizeof(msg));
	if (ours < 0 && ours != -ENOENT) {
		rc = ew_errbuf(err, errlen, ours, "edge CA: %s", msg);
		goto fail;
	}
	rc = ew_key_exists(ca->ks, ca->key_id);
	if (rc < 0) {
		ew_errbuf(err, errlen, rc, "edge CA: key \"%s\": %s",
			     ca->key_id, ew_keystore_error(ca->ks));
		goto fail;
	}
	if (!rc) {
		if (!ours) {
			rc = ew_errbuf(err, errlen, -ENOKEY,
					  "edge CA: %s was replaced externally and key \"%s\" is missing",
					  ca->path, ca->key_id);
			goto fail;
		}
		/* Our certificate without its key is of no use: start over. */
		return create(ca, chain, now, err, errlen);
	}
	match = store_key_matches(ca, leaf, err, errlen);
	if (match <= 0) {
		rc = match ? match :
		     ew_errbuf(err, errlen, -EKEYREJECTED,
				  "edge CA: %s does not match key \"%s\"; remove the certificate to let edgeward create a new edge CA",
				  ca->path, ca->key_id);
		goto fail;
	}
	if (!X509_check_ca(leaf)) {
		rc = ew_errbuf(err, errlen, -EINVAL,
				  "edge CA: %s is not a CA certificate", ca->path);
		goto fail;
	}
	if (now >= na) {
		if (!ours) {
			ew_time_rfc3339(na, when);
			rc = ew_errbuf(err, errlen, -EKEYEXPIRED,
					  "edge CA: %s was replaced externally and expired at %s",
					  ca->path, when);
			goto fail;
		}
		return create(ca, chain, now, err, errlen);
	}
	if (ours == -ENOENT) {
		rc = ew_managed_record(ca->path, fps, 1, err, errlen);
		if (rc)
			goto fail;
	}
	ca->chain = chain;
	return 0;
fail:
	ew_chain_free(chain);
	return rc;
}

static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static const char *strip_file_uri(const char *s)
{
	return strncmp(s, "file://", 7) ? s : s + 7;
}

/* Checks the preloaded key file against @cert and imports it if needed. */
static int import_key(struct ew_edge_ca *ca, const char *pk_path, X509 *cert,
		      char *err, size_t errlen)
{
	EVP_PKEY *pk = NULL;
	size_t len = 0;
	char *pem = NULL;
	BIO *bio = NULL;
	int rc;

	rc = ew_file_read(pk_path, &pem, &len, err, errlen);
	if (rc)
		return rc;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio)
		pk = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
	if (!pk) {
		rc = ew_certs_err_ssl(err, errlen, -EINVAL,
				      "edge CA: %s: not an unencrypted PEM private key",
				      pk_path);
		goto out;
	}
	if (EVP_PKEY_eq(X509_get0_pubkey(cert), pk) != 1) {
		rc = ew_errbuf(err, errlen, -EKEYREJECTED,
				  "edge CA: key %s does not match certificate %s",
				  pk_path, ca->path);
		goto out;
	}
	rc = store_key_matches(ca, cert, NULL, 0);
	if (rc == 1) {
		rc = 0;		/* imported before */
		goto out;
	}
	rc = ew_key_pair_import(ca->ks, ca->key_id, pem, len);
	if (rc)
		ew_errbuf(err, errlen, rc, "edge CA: cannot import %s as key \"%s\": %s",
			     pk_path, ca->key_id, ew_keystore_error(ca->ks));
out:
	ERR_clear_error();
	BIO_free(bio);
	EVP_PKEY_free(pk);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

static int load_preloaded(struct ew_edge_ca *ca, const char *pk_path,
			  int64_t now, char *err, size_t errlen)
{
	char msg[256], when[EW_RFC3339_LEN];
	int64_t nb, na;
	X509 *leaf;
	int i, rc;

	rc = ew_pem_load_chain(ca->path, &ca->chain, msg, sizeof(msg));
	if (rc)
		return ew_errbuf(err, errlen, rc, "edge CA: %s", msg);
	leaf = sk_X509_value(ca->chain, 0);
	if (!X509_check_ca(leaf))
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: %s: the first certificate is not a CA (no basicConstraints CA:TRUE)",
				    ca->path);
	if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(leaf) & KU_KEY_CERT_SIGN))
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: %s: keyUsage lacks keyCertSign",
				    ca->path);
	for (i = 0; i + 1 < sk_X509_num(ca->chain); i++)
		if (X509_check_issued(sk_X509_value(ca->chain, i + 1),
				      sk_X509_value(ca->chain, i)) != X509_V_OK)
			return ew_errbuf(err, errlen, -EINVAL,
					    "edge CA: %s: certificate %d did not issue certificate %d (the chain goes from the edge CA to its root)",
					    ca->path, i + 2, i + 1);
	if (ew_cert_validity(leaf, &nb, &na))
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: %s: unreadable validity", ca->path);
	if (now >= na) {
		ew_time_rfc3339(na, when);
		return ew_errbuf(err, errlen, -EKEYEXPIRED,
				    "edge CA: %s expired at %s", ca->path, when);
	}
	if (now < nb) {
		ew_time_rfc3339(nb, when);
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: %s is not valid before %s (is the clock right?)",
				    ca->path, when);
	}
	if (pk_path)
		return import_key(ca, pk_path, leaf, err, errlen);
	rc = store_key_matches(ca, leaf, err, errlen);
	if (rc < 0)
		return rc;
	if (!rc)
		return ew_errbuf(err, errlen, -EKEYREJECTED,
				    "edge CA: %s does not match key \"%s\"",
				    ca->path, ca->key_id);
	return 0;
}

static int check_config(const struct ew_edge_ca_config *cfg, const char *key_id,
			char *err, size_t errlen)
{
	if (!ew_key_id_valid(key_id))
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: invalid key id \"%.64s\"", key_id);
	if (cfg->pk && !cfg->cert)
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: a key (pk) without a certificate (cert)");
	if (cfg->cert && !*cfg->cert)
		return ew_errbuf(err, errlen, -EINVAL, "edge CA: empty cert path");
	if (cfg->cert)
		return 0;
	if (!cfg->state_dir || !*cfg->state_dir)
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: no state directory");
	if (cfg->expiry_days > EW_EDGE_CA_MAX_DAYS)
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: auto_generated_edge_ca_expiry_days must be 1 to %d",
				    EW_EDGE_CA_MAX_DAYS);
	if (cfg->common_name && !ew_cert_text_valid(cfg->common_name, EW_CN_MAX, true))
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: invalid common name: 1 to %d printable ASCII characters",
				    EW_CN_MAX);
	if (cfg->key_alg && cfg->key_alg != EW_KEY_EC_P256 &&
	    cfg->key_alg != EW_KEY_RSA_2048 && cfg->key_alg != EW_KEY_RSA_4096)
		return ew_errbuf(err, errlen, -EINVAL,
				    "edge CA: unsupported key type %d", cfg->key_alg);
	return 0;
}

static int make_certs_dir(const char *state_dir, char *err, size_t errlen)
{
	struct stat st;
	char *dir;
	int rc = 0;

	if (asprintf(&dir, "%s/certs", state_dir) < 0)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	if (mkdir(dir, 0755) && errno != EEXIST)
		rc = ew_errbuf(err, errlen, -errno, "%s: %s", dir, strerror(errno));
	else if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		rc = ew_errbuf(err, errlen, -ENOTDIR, "%s: not a directory", dir);
	free(dir);
	return rc;
}

struct ew_edge_ca *ew_edge_ca_load(const struct ew_edge_ca_config *cfg,
				   struct ew_keystore *ks, int64_t now,
				   char *err, size_t errlen)
{
	const char *key_id = cfg->key_id ? cfg->key_id : EW_EDGE_CA_KEY_ID;
	struct ew_edge_ca *ca;
	char msg[256];
	int rc;

	if (!ks || check_config(cfg, key_id, err, errlen))
		return NULL;
	ca = calloc(1, sizeof(*ca));
	if (!ca)
		goto nomem;
	pthread_mutex_init(&ca->lock, NULL);
	ca->ks = ks;
	ca->quickstart = !cfg->cert;
	ca->days = cfg->expiry_days ? cfg->expiry_days : EW_EDGE_CA_DEFAULT_DAYS;
	ca->alg = cfg->key_alg ? cfg->key_alg : EW_KEY_EC_P256;
	ca->key_id = strdup(key_id);
	if (!ca->key_id)
		goto nomem;
	if (cfg->trust_bundle_cert) {
		rc = ew_pem_load_chain(strip_file_uri(cfg->trust_bundle_cert),
				       &ca->extra, msg, sizeof(msg));
		if (rc) {
			ew_errbuf(err, errlen, rc, "trust bundle: %s", msg);
			goto fail;
		}
	}
	if (!ca->quickstart) {
		ca->path = strdup(strip_file_uri(cfg->cert));
		if (!ca->path)
			goto nomem;
		if (load_preloaded(ca, cfg->pk ? strip_file_uri(cfg->pk) : NULL,
				   now, err, errlen))
			goto fail;
		return ca;
	}
	ca->common_name = cfg->common_name ? strdup(cfg->common_name) : default_cn();
	if (!ca->common_name)
		goto nomem;
	if (asprintf(&ca->path, "%s/certs/edge-ca.pem", cfg->state_dir) < 0) {
		ca->path = NULL;
		goto nomem;
	}
	if (asprintf(&ca->prev_path, "%s/certs/edge-ca-previous.pem",
		     cfg->state_dir) < 0) {
		ca->prev_path = NULL;
		goto nomem;
	}
	if (make_certs_dir(cfg->state_dir, err, errlen))
		goto fail;
	rc = ew_pem_load_chain(ca->prev_path, &ca->previous, msg, sizeof(msg));
	if (rc && rc != -ENOENT) {
		ew_errbuf(err, errlen, rc, "previous edge CA: %s", msg);
		goto fail;
	}
	if (load_quickstart(ca, now, err, errlen))
		goto fail;
	return ca;
nomem:
	ew_errbuf(err, errlen, -ENOMEM, "out of memory");
fail:
	ew_edge_ca_free(ca);
	return NULL;
}

static bool seen(STACK_OF(X509) *out, X509 *x)
{
	int i;

	for (i = 0; i < sk_X509_num(out); i++)
		if (!X509_cmp(sk_X509_value(out, i), x))
			return true;
	return false;
}

static int collect(STACK_OF(X509) *out, const STACK_OF(X509) *in,
		   bool valid_only, int64_t now)
{
	int64_t nb, na;
	X509 *x;
	int i;

	for (i = 0; i < sk_X509_num(in); i++) {
		x = sk_X509_value(in, i);
		if (valid_only && (ew_cert_validity(x, &nb, &na) || na <= now))
			continue;
		if (!seen(out, x) && !sk_X509_push(out, x))
			return -ENOMEM;
	}
	return 0;
}

int ew_edge_ca_trust_bundle(struct ew_edge_ca *ca, int64_t now,
			    char **pem, size_t *len)
{
	/* Borrowed certificates: freed with sk_X509_free, not pop_free. */
	STACK_OF(X509) *all = sk_X509_new_null();
	int rc = -ENOMEM;

	*pem = NULL;
	*len = 0;
	if (!all)
		return -ENOMEM;
	pthread_mutex_lock(&ca->lock);
	if (!collect(all, ca->chain, false, now) &&
	    !collect(all, ca->previous, true, now) &&
	    !collect(all, ca->extra, false, now))
		rc = ew_pem_chain_text(all, pem, len);
	pthread_mutex_unlock(&ca->lock);
	sk_X509_free(all);
	return rc;
}

int ew_edge_ca_issue(struct ew_edge_ca *ca, const struct ew_issue_request *req,
		     struct ew_issued *out, char *err, size_t errlen)
{
	STACK_OF(X509) *chain;
	EVP_PKEY *key;
	int rc;

	memset(out, 0, sizeof(*out));
	/*
	 * The chain before the key: during a rotation a new key with the old
	 * chain would sign certificates nobody can verify, while the old key
	 * (renamed away) simply fails, and the module asks again.
	 */
	chain = ew_edge_ca_chain(ca);
	if (!chain)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	key = ew_key_pair_get(ca->ks, ca->key_id);
	if (!key) {
		ew_chain_free(chain);
		return ew_errbuf(err, errlen, -ENOKEY,
				    "edge CA key \"%s\": %s", ca->key_id,
				    ew_keystore_error(ca->ks));
	}
	if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(chain, 0)), key) != 1) {
		ERR_clear_error();
		rc = ew_errbuf(err, errlen, -EAGAIN,
				  "the edge CA is being renewed; try again");
	} else {
		rc = ew_cert_issue(req, chain, key, out, err, errlen);
	}
	EVP_PKEY_free(key);
	ew_chain_free(chain);
	return rc;
}

static int renew_issue(void *ctx, const struct ew_renew_job *job,
		       STACK_OF(X509) **chain, char *err, size_t errlen)
{
	*chain = self_signed(ctx, job->key, job->now, err, errlen);
	return *chain ? 0 : -EINVAL;
}

static int renew_installed(void *ctx, const char *name,
			   const STACK_OF(X509) *chain, char *err, size_t errlen)
{
	struct ew_edge_ca *ca = ctx;
	STACK_OF(X509) *copy = ew_chain_dup(chain);
	int rc;

	(void)name;
	if (!copy)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	/* Certificates the old CA issued stay trusted until it expires. */
	pthread_mutex_lock(&ca->lock);
	rc = retire(ca, ca->chain, err, errlen);
	ca->chain = copy;
	pthread_mutex_unlock(&ca->lock);
	return rc;
}

int ew_edge_ca_renew_config(struct ew_edge_ca *ca, bool rotate_key,
			    const struct ew_renew_policy *policy,
			    struct ew_renew_cert_config *cfg)
{
	if (!ca->quickstart)
		return -EOPNOTSUPP;
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "edge-ca";
	cfg->cert_path = ca->path;
	cfg->key_id = ca->key_id;
	cfg->key_alg = ca->alg;
	cfg->rotate_key = rotate_key;
	if (policy)
		cfg->policy = *policy;
	else
		ew_renew_policy_default(&cfg->policy);
	cfg->issue = renew_issue;
	cfg->installed = renew_installed;
	cfg->ctx = ca;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Certificates: PEM chains on disk, the edge CA (the workload CA that
 * issues module certificates), issuance of module identity and server
 * certificates, and the renewal engine.
 *
 * Conventions: times are Unix seconds (int64_t) passed in by the caller, so
 * every decision is testable; functions return 0 (or a count) or a
 * negative errno and write a message for humans into @err (@errlen bytes,
 * may be NULL/0). Chains are OpenSSL stacks, leaf (or the CA itself) first.
 * Private keys handed back to modules never enter the key store.
 */
#ifndef EW_CERTS_H
#define EW_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/x509.h>

#include "keys/keystore.h"

#define EW_SHA256_LEN 32
#define EW_FINGERPRINT_HEX_LEN (2 * EW_SHA256_LEN + 1)
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define EW_RFC3339_LEN 21
/* X.509 ub-common-name. */
#define EW_CN_MAX 64
/* Largest PEM file read (a full public CA bundle is ~250 KiB). */
#define EW_PEM_FILE_MAX (4u << 20)

/* --- PEM chains, files, fingerprints, times (pem.c) -------------------- */

/*
 * Parses @len bytes of PEM text into certificates, in order. Text before a
 * BEGIN line is explanatory text (RFC 7468) and skipped; anything but
 * whitespace after the last certificate is an error ("trailing data"), as
 * is input that is empty, has no PEM block, has a block that is not a
 * CERTIFICATE, or a block whose content is not exactly one DER
 * certificate. Return: 0 and a new stack in *@out, or -EINVAL.
 */
int ew_pem_parse_chain(const char *pem, size_t len, STACK_OF(X509) **out,
		       char *err, size_t errlen);
/* The same, for the file @path (messages name the file). */
int ew_pem_load_chain(const char *path, STACK_OF(X509) **out,
		      char *err, size_t errlen);
/* Reads a whole file (at most EW_PEM_FILE_MAX bytes) into a NUL-ended
 * malloc'd buffer. Return: 0, -ENOENT, -EFBIG, or another -errno. */
int ew_file_read(const char *path, char **data, size_t *len,
		 char *err, size_t errlen);
/*
 * Writes @data to @path atomically (util/atomic.h: a temporary file in the
 * same directory, fsync, rename, fsync of the directory), with a message.
 */
int ew_file_write_atomic(const char *path, const void *data, size_t len,
			 mode_t mode, char *err, size_t errlen);
/* PEM text of @chain (each certificate in order), malloc'd, NUL-ended. */
int ew_pem_chain_text(const STACK_OF(X509) *chain, char **pem, size_t *len);
/* ew_pem_chain_text + ew_file_write_atomic with mode 0644. */
int ew_pem_save_chain(const char *path, const STACK_OF(X509) *chain,
		      char *err, size_t errlen);
/* SHA-256 of the DER certificate, raw and as lowercase hex. */
int ew_cert_fingerprint(const X509 *cert, uint8_t fp[EW_SHA256_LEN]);
int ew_cert_fingerprint_hex(const X509 *cert, char hex[EW_FINGERPRINT_HEX_LEN]);
/* An ASN1_TIME as Unix seconds, and Unix seconds in RFC 3339 UTC. */
int ew_asn1_time_unix(const ASN1_TIME *t, int64_t *out);
int ew_time_rfc3339(int64_t t, char out[EW_RFC3339_LEN]);
int ew_asn1_time_rfc3339(const ASN1_TIME *t, char out[EW_RFC3339_LEN]);
/* notBefore and notAfter of @cert in Unix seconds. */
int ew_cert_validity(const X509 *cert, int64_t *not_before,
		     int64_t *not_after);
/* Deep copy of a chain (certificates up-referenced) and its release. */
STACK_OF(X509) *ew_chain_dup(const STACK_OF(X509) *chain);
void ew_chain_free(STACK_OF(X509) *chain);

/* --- issuance (issue.c) ------------------------------------------------ */

enum ew_cert_kind {
	EW_CERT_IDENTITY = 1,	/* clientAuth, SAN URI azureiot://... */
	EW_CERT_SERVER,		/* serverAuth, SANs commonName and name */
};

#define EW_ISSUE_DEFAULT_VALIDITY (30 * 86400)
/* How far notBefore is set back, for clocks that lag the issuer's. */
#define EW_ISSUE_BACKDATE 60

struct ew_issue_request {
	enum ew_cert_kind kind;
	const char *module;		/* {name} of the path; may start with '$' */
	const char *hub;		/* identity: IoT hub host name */
	const char *device;		/* identity: device id */
	const char *common_name;	/* server: commonName */
	enum ew_key_alg alg;		/* 0 or EW_KEY_EC_P256, EW_KEY_RSA_2048 */
	int64_t now;
	int64_t not_after;		/* requested expiry; 0: now + validity */
	int64_t validity;		/* 0: EW_ISSUE_DEFAULT_VALIDITY */
};

struct ew_issued {
	char *key_pem;			/* PKCS#8 PEM, a secret */
	size_t key_len;
	char *cert_pem;			/* leaf then the issuer's chain */
	size_t cert_len;
	int64_t not_after;
	char expiration[EW_RFC3339_LEN];
};

/*
 * Validates @req (before any key is generated), generates a fresh key and
 * issues its certificate signed by @issuer_key for the CA @issuer_chain
 * (CA first). notAfter never passes the CA's. Return: 0, -EINVAL for an
 * invalid request (message says which field), -EKEYEXPIRED when the CA
 * has expired, or another -errno.
 */
int ew_cert_issue(const struct ew_issue_request *req,
		  const STACK_OF(X509) *issuer_chain, EVP_PKEY *issuer_key,
		  struct ew_issued *out, char *err, size_t errlen);
/* Frees what ew_cert_issue filled in (wiping the key). */
void ew_issued_release(struct ew_issued *out);

/* --- renewal policy (renew_policy.c, pure) ----------------------------- */

enum ew_renew_unit {
	EW_RENEW_PERCENT = 1,	/* of the certificate's lifetime, 1..99 */
	EW_RENEW_SECONDS,	/* threshold: before notAfter; retry: interval */
};

struct ew_renew_value {
	enum ew_renew_unit unit;
	int64_t value;
};

struct ew_renew_policy {
	struct ew_renew_value threshold;	/* default 80% */
	struct ew_renew_value retry;		/* default 4% */
};

void ew_renew_policy_default(struct ew_renew_policy *p);
/* Parses "N%" (1..99), "Nmin" or "Nday" (N > 0), as Azure's cert_renewal. */
int ew_renew_value_parse(const char *s, struct ew_renew_value *v,
			 char *err, size_t errlen);
bool ew_renew_policy_valid(const struct ew_renew_policy *p);
/*
 * When a certificate valid from @nb to @na falls due: with a percentage p,
 * nb + ceil(p% of the lifetime), so that "now >= due" is exactly
 * "p% of the lifetime has passed"; with a duration T, na - T. An empty or
 * inverted validity is due at once (INT64_MIN).
 */
int64_t ew_renew_due_at(const struct ew_renew_policy *p, int64_t nb,
			int64_t na);
bool ew_renew_is_due(const struct ew_renew_policy *p, int64_t nb, int64_t na,
		     int64_t now);
/* The wait after a failed attempt, at least 1 s. */
int64_t ew_renew_retry_interval(const struct ew_renew_policy *p, int64_t nb,
				int64_t na);
/* The retry wait used when there is no certificate to take a lifetime of. */
#define EW_RENEW_RETRY_NO_CERT 60

/* --- which files edgeward wrote (managed.c) ---------------------------- */

/*
 * "<cert>.managed" lists the fingerprints of what edgeward wrote to
 * <cert>: the current one, and during a replacement the next one too, so
 * that a crash between the two writes does not look like someone else's
 * work. ew_managed_check: 1 if @fp is listed, 0 if not (the file was
 * replaced externally), -ENOENT if there is no record.
 */
int ew_managed_check(const char *cert_path, const uint8_t fp[EW_SHA256_LEN],
		     char *err, size_t errlen);
/* Records @n fingerprints (1 or 2; NULL entries skipped) atomically. */
int ew_managed_record(const char *cert_path,
		      const uint8_t *const fps[], size_t n,
		      char *err, size_t errlen);

/* --- installing a certificate and its key (renew_install.c) ------------ */

/* Suffix of the temporary key id (and of "<cert>.next"). */
#define EW_RENEW_NEXT_SUFFIX "-next"

/*
 * Installs @chain as @cert_path for key @key_id. With @next_key_id (a key
 * created for this certificate), the chain is first written to
 * "<cert>.next", the key renamed over @key_id, and "<cert>.next" renamed
 * over @cert_path; ew_renew_recover() finishes or undoes what a crash
 * interrupted, so the pair on disk always matches once recovered.
 */
int ew_renew_install(struct ew_keystore *ks, const char *cert_path,
		     const char *key_id, const char *next_key_id,
		     const STACK_OF(X509) *chain, char *err, size_t errlen);
/* Run before using @cert_path/@key_id after a possible crash. */
int ew_renew_recover(struct ew_keystore *ks, const char *cert_path,
		     const char *key_id, char *err, size_t errlen);
/* "<key_id>-next", or -ENAMETOOLONG if that is not a valid key id. */
int ew_renew_next_key_id(const char *key_id, char *out, size_t outlen);

/* --- the renewal engine (renew.c) -------------------------------------- */

struct ew_renew;

struct ew_renew_job {
	const char *name;
	const char *key_id;	/* the key to certify (maybe a temporary id) */
	EVP_PKEY *key;		/* that key, from the key store */
	X509 *current;		/* the certificate renewed, NULL if none */
	X509 *issuer;		/* the issuer entry's certificate, or NULL */
	int64_t now;
};

/* Obtains a certificate for job->key: the chain, leaf first, in *@chain. */
typedef int (*ew_renew_issue_fn)(void *ctx, const struct ew_renew_job *job,
				 STACK_OF(X509) **chain,
				 char *err, size_t errlen);
/* Told after a new chain (and key) is in place. */
typedef int (*ew_renew_installed_fn)(void *ctx, const char *name,
				     const STACK_OF(X509) *chain,
				     char *err, size_t errlen);

struct ew_renew_cert_config {
	const char *name;		/* unique among the engine's entries */
	const char *cert_path;
	const char *key_id;
	enum ew_key_alg key_alg;	/* for new keys (0: EC P-256) */
	bool rotate_key;
	struct ew_renew_policy policy;
	const char *issuer;		/* an entry added earlier, or NULL */
	ew_renew_issue_fn issue;
	ew_renew_installed_fn installed;	/* optional */
	void *ctx;
};

enum ew_renew_state {
	EW_RENEW_OK = 1,	/* managed, waiting for the threshold */
	EW_RENEW_RETRYING,	/* the last attempt failed */
	EW_RENEW_UNMANAGED,	/* replaced externally: left alone */
};

enum ew_renew_event {
	EW_RENEW_EV_RENEWED = 1,
	EW_RENEW_EV_FAILED,
	EW_RENEW_EV_REPLACED,	/* someone else's file: no longer renewed */
	EW_RENEW_EV_WARNING,	/* renewed, but something needs attention */
};

typedef void (*ew_renew_notify_fn)(void *ctx, const char *name,
				   enum ew_renew_event ev, const char *msg);

struct ew_renew_status {
	enum ew_renew_state state;
	int64_t not_before;		/* 0 and 0 without a certificate */
	int64_t not_after;
	int64_t next_attempt;
	unsigned int failures;		/* consecutive */
	char fingerprint[EW_FINGERPRINT_HEX_LEN];	/* "" if none */
	char message[512];		/* the last failure or replacement */
};

struct ew_renew *ew_renew_new(struct ew_keystore *ks,
			      ew_renew_notify_fn notify, void *notify_ctx);
void ew_renew_free(struct ew_renew *r);
/*
 * Adds a certificate: recovers an interrupted installation, loads it
 * (a missing file is issued on the first run), and checks the record of
 * what edgeward wrote. Return: 0, -EEXIST, -ENOENT (unknown issuer),
 * -EINVAL.
 */
int ew_renew_add(struct ew_renew *r, const struct ew_renew_cert_config *cfg,
		 int64_t now, char *err, size_t errlen);
/* The earliest time run_due has work (never before @now), or INT64_MAX. */
int64_t ew_renew_next_wakeup(const struct ew_renew *r, int64_t now);
/*
 * Renews what is due at @now, issuers before what they issue. A file found
 * replaced externally is left alone from then on. Return: the number of
 * certificates renewed.
 */
int ew_renew_run_due(struct ew_renew *r, int64_t now);
int ew_renew_get_status(const struct ew_renew *r, const char *name,
			struct ew_renew_status *st);
const char *ew_renew_state_name(enum ew_renew_state s);

/* --- the edge CA (edge_ca.c) ------------------------------------------- */

#define EW_EDGE_CA_KEY_ID "edge-ca"
#define EW_EDGE_CA_DEFAULT_DAYS 90

struct ew_edge_ca_config {
	const char *state_dir;		/* quickstart: <state>/certs/edge-ca.pem */
	const char *key_id;		/* NULL: EW_EDGE_CA_KEY_ID */
	/* quickstart */
	const char *common_name;	/* NULL: "edgeward Edge CA <hostname>" */
	unsigned int expiry_days;	/* 0: EW_EDGE_CA_DEFAULT_DAYS */
	enum ew_key_alg key_alg;	/* 0: EC P-256 */
	/* preloaded: both set, or cert with a key already in the store */
	const char *cert;		/* PEM chain, the edge CA first */
	const char *pk;			/* private key PEM (path or file://) */
	/* both */
	const char *trust_bundle_cert;	/* extra trusted CAs (optional) */
};

struct ew_edge_ca;

/*
 * Quickstart: loads <state>/certs/edge-ca.pem with its key, or creates
 * them; an expired CA is re-created. Preloaded: checks and imports them.
 * Refuses (NULL, message) a certificate that does not match its key, a
 * preloaded CA that is expired or not a CA, a bad trust bundle.
 */
struct ew_edge_ca *ew_edge_ca_load(const struct ew_edge_ca_config *cfg,
				   struct ew_keystore *ks, int64_t now,
				   char *err, size_t errlen);
void ew_edge_ca_free(struct ew_edge_ca *ca);
bool ew_edge_ca_quickstart(const struct ew_edge_ca *ca);
const char *ew_edge_ca_path(const struct ew_edge_ca *ca);
const char *ew_edge_ca_key_id(const struct ew_edge_ca *ca);
/*
 * The chain, the edge CA first: new references (ew_chain_free), since a
 * renewal may replace it at any time. The edge CA is safe to use from
 * several threads; the renewal engine is not (the event loop's alone).
 */
STACK_OF(X509) *ew_edge_ca_chain(struct ew_edge_ca *ca);
/*
 * PEM text of every trusted CA: the edge CA chain, the previous edge CA
 * while it is still valid at @now (certificates it issued keep verifying
 * after a renewal), then the extra trust bundle; no duplicates.
 */
int ew_edge_ca_trust_bundle(struct ew_edge_ca *ca, int64_t now,
			    char **pem, size_t *len);
/*
 * ew_cert_issue() by the edge CA with its key from the store; -EAGAIN in
 * the instant a key rotation has renamed the key but not yet swapped the
 * chain.
 */
int ew_edge_ca_issue(struct ew_edge_ca *ca, const struct ew_issue_request *req,
		     struct ew_issued *out, char *err, size_t errlen);
/*
 * Fills @cfg (name "edge-ca") for the renewal engine: a quickstart CA
 * renews itself. Return: -EOPNOTSUPP for a preloaded CA.
 */
int ew_edge_ca_renew_config(struct ew_edge_ca *ca, bool rotate_key,
			    const struct ew_renew_policy *policy,
			    struct ew_renew_cert_config *cfg);

#endif /* EW_CERTS_H */

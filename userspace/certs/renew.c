// SPDX-License-Identifier: GPL-2.0-only
/*
 * The renewal engine: a list of certificate files with their keys, each
 * renewed by its own issue callback (the edge CA signs itself; EST and DPS
 * plug in the same way) when its policy says it is due, retried after a
 * failure, and left alone once someone else replaced the file. It has no
 * thread or timer: the daemon's event loop asks ew_renew_next_wakeup() when
 * to call ew_renew_run_due(), and passes the time in.
 *
 * Entries are kept in the order they were added, and an issuer must be
 * added before what it issues, so a single pass renews a due issuer before
 * the certificates it signs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "certs/internal.h"

struct entry {
	char *name;
	char *cert_path;
	char *key_id;
	char next_id[EW_KEY_ID_MAX + 1];
	enum ew_key_alg alg;
	bool rotate;
	struct ew_renew_policy policy;
	int issuer;			/* index, or -1 */
	ew_renew_issue_fn issue;
	ew_renew_installed_fn installed;
	void *ctx;

	X509 *cert;			/* what is on disk, NULL if nothing */
	uint8_t fp[EW_SHA256_LEN];
	int64_t nb, na;
	enum ew_renew_state state;
	int64_t next_attempt;
	unsigned int failures;
	char message[512];
};

struct ew_renew {
	struct ew_keystore *ks;
	ew_renew_notify_fn notify;
	void *notify_ctx;
	struct entry *v;
	size_t n;
};

const char *ew_renew_state_name(enum ew_renew_state s)
{
	switch (s) {
	case EW_RENEW_OK:
		return "ok";
	case EW_RENEW_RETRYING:
		return "retrying";
	case EW_RENEW_UNMANAGED:
		return "unmanaged";
	}
	return "unknown";
}

struct ew_renew *ew_renew_new(struct ew_keystore *ks,
			      ew_renew_notify_fn notify, void *notify_ctx)
{
	struct ew_renew *r;

	if (!ks)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->ks = ks;
	r->notify = notify;
	r->notify_ctx = notify_ctx;
	return r;
}

void ew_renew_free(struct ew_renew *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].cert_path);
		free(r->v[i].key_id);
		X509_free(r->v[i].cert);
	}
	free(r->v);
	free(r);
}

static void notify(struct ew_renew *r, struct entry *e,
		   enum ew_renew_event ev, const char *msg)
{
	if (r->notify)
		r->notify(r->notify_ctx, e->name, ev, msg);
}

static struct entry *find(const struct ew_renew *r, const char *name)
{
	size_t i;

	for (i = 0; name && i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	return NULL;
}

/* Takes @leaf (one reference) as the entry's certificate. */
static void set_cert(struct entry *e, X509 *leaf)
{
	X509_free(e->cert);
	e->cert = leaf;
	e->nb = e->na = 0;
	memset(e->fp, 0, sizeof(e->fp));
	if (leaf && (ew_cert_fingerprint(leaf, e->fp) ||
		     ew_cert_validity(leaf, &e->nb, &e->na)))
		e->nb = e->na = 0;	/* unreadable: due at once */
}

static void set_unmanaged(struct ew_renew *r, struct entry *e, const char *msg)
{
	e->state = EW_RENEW_UNMANAGED;
	ew_errbuf(e->message, sizeof(e->message), 0, "%s", msg);
	notify(r, e, EW_RENEW_EV_REPLACED, e->message);
}

/* The due time of what the entry holds (now if nothing usable). */
static int64_t due_time(struct ew_renew *r, struct entry *e, int64_t now)
{
	if (!e->cert || ew_key_exists(r->ks, e->key_id) != 1)
		return now;
	return ew_renew_due_at(&e->policy, e->nb, e->na);
}

/*
 * Reads the file back. Return: 1 if it still holds what the entry knows
 * (or is gone, which only means it must be issued again), 0 if someone
 * else replaced it (the entry is unmanaged from now on), -1 if it cannot
 * be told now (an I/O error: try again later).
 */
static int check_disk(struct ew_renew *r, struct entry *e, int64_t now)
{
	uint8_t fp[EW_SHA256_LEN];
	STACK_OF(X509) *chain;
	char msg[512], loaderr[256], hex[EW_FINGERPRINT_HEX_LEN];
	int rc;

	rc = ew_pem_load_chain(e->cert_path, &chain, loaderr, sizeof(loaderr));
	if (rc == -ENOENT) {
		if (e->cert) {
			set_cert(e, NULL);
			e->next_attempt = now;
		}
		return 1;
	}
	if (rc == -EINVAL || rc == -EFBIG) {
		/* Never written so by edgeward: its writes are atomic. */
		snprintf(msg, sizeof(msg),
			 "%s; it is not edgeward's any more and is no longer renewed",
			 loaderr);
		set_unmanaged(r, e, msg);
		return 0;
	}
	if (rc) {
		ew_errbuf(e->message, sizeof(e->message), 0, "%s", loaderr);
		return -1;
	}
	rc = ew_cert_fingerprint(sk_X509_value(chain, 0), fp);
	if (!rc && e->cert && !memcmp(fp, e->fp, sizeof(fp))) {
		ew_chain_free(chain);
		return 1;
	}
	/* Another certificate: one edgeward wrote (a recovery), or not. */
	if (!rc)
		rc = ew_managed_check(e->cert_path, fp, loaderr, sizeof(loaderr));
	if (rc == -ENOENT)
		rc = 0;		/* no record of ours: someone else's */
	if (rc == 1) {
		set_cert(e, X509_dup(sk_X509_value(chain, 0)));
		ew_chain_free(chain);
		if (e->state == EW_RENEW_OK)
			e->next_attempt = due_time(r, e, now);
		return 1;
	}
	if (rc < 0 && rc != -EINVAL) {
		ew_chain_free(chain);
		ew_errbuf(e->message, sizeof(e->message), 0, "%s", loaderr);
		return -1;
	}
	ew_cert_fingerprint_hex(sk_X509_value(chain, 0), hex);
	ew_chain_free(chain);
	if (rc < 0)
		snprintf(msg, sizeof(msg),
			 "%s: %s; the certificate (SHA-256 %s) is left alone",
			 e->cert_path, loaderr, hex);
	else
		snprintf(msg, sizeof(msg),
			 "%s was replaced externally (SHA-256 %s); it is no longer renewed",
			 e->cert_path, hex);
	set_unmanaged(r, e, msg);
	return 0;
}

static int check_config(const struct ew_renew *r,
			const struct ew_renew_cert_config *cfg,
			char *err, size_t errlen)
{
	if (!cfg->name || !*cfg->name)
		return ew_errbuf(err, errlen, -EINVAL, "renewal entry without a name");
	if (find(r, cfg->name))
		return ew_errbuf(err, errlen, -EEXIST, "%s: already added",
				    cfg->name);
	if (!cfg->cert_path || !*cfg->cert_path)
		return ew_errbuf(err, errlen, -EINVAL, "%s: no certificate path",
				    cfg->name);
	if (!cfg->key_id || !ew_key_id_valid(cfg->key_id))
		return ew_errbuf(err, errlen, -EINVAL, "%s: invalid key id",
				    cfg->name);
	if (!cfg->issue)
		return ew_errbuf(err, errlen, -EINVAL, "%s: no issue callback",
				    cfg->name);
	if (!ew_renew_policy_valid(&cfg->policy))
		return ew_errbuf(err, errlen, -EINVAL, "%s: invalid renewal policy",
				    cfg->name);
	if (cfg->issuer && !find(r, cfg->issuer))
		return ew_errbuf(err, errlen, -ENOENT,
				    "%s: issuer \"%s\" must be added first",
				    cfg->name, cfg->issuer);
	return 0;
}

int ew_renew_add(struct ew_renew *r, const struct ew_renew_cert_config *cfg,
		 int64_t now, char *err, size_t errlen)
{
	const uint8_t *fps[1];
	STACK_OF(X509) *chain = NULL;
	struct entry *v, *e;
	char msg[256];
	int rc;

	rc = check_config(r, cfg, err, errlen);
	if (rc)
		return rc;
	v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	r->v = v;
	e = &v[r->n];
	memset(e, 0, sizeof(*e));
	if (ew_renew_next_key_id(cfg->key_id, e->next_id, sizeof(e->next_id)))
		return ew_errbuf(err, errlen, -ENAMETOOLONG,
				    "%s: key id \"%s\" too long for a temporary \"%s" EW_RENEW_NEXT_SUFFIX "\"",
				    cfg->name, cfg->key_id, cfg->key_id);
	e->issuer = -1;
	if (cfg->issuer)
		e->issuer = (int)(find(r, cfg->issuer) - r->v);
	e->name = strdup(cfg->name);
	e->cert_path = strdup(cfg->cert_path);
	e->key_id = strdup(cfg->key_id);
	if (!e->name || !e->cert_path || !e->key_id) {
		rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	e->alg = cfg->key_alg ? cfg->key_alg : EW_KEY_EC_P256;
	e->rotate = cfg->rotate_key;
	e->policy = cfg->policy;
	e->issue = cfg->issue;
	e->installed = cfg->installed;
	e->ctx = cfg->ctx;
	e->state = EW_RENEW_OK;

	rc = ew_renew_recover(r->ks, e->cert_path, e->key_id, msg, sizeof(msg));
	if (rc) {
		ew_errbuf(err, errlen, rc, "%s: %s", e->name, msg);
		goto fail;
	}
	rc = ew_pem_load_chain(e->cert_path, &chain, msg, sizeof(msg));
	if (rc && rc != -ENOENT) {
		e->state = EW_RENEW_UNMANAGED;
		ew_errbuf(e->message, sizeof(e->message), 0,
			     "%s; it is left alone", msg);
	} else if (!rc) {
		set_cert(e, X509_dup(sk_X509_value(chain, 0)));
		fps[0] = e->fp;
		rc = ew_managed_check(e->cert_path, e->fp, msg, sizeof(msg));
		if (rc == -ENOENT) {
			/* First sight: ours from now on. */
			rc = ew_managed_record(e->cert_path, fps, 1, msg,
					       sizeof(msg));
			if (!rc)
				rc = 1;
		}
		if (rc != 1) {
			e->state = EW_RENEW_UNMANAGED;
			if (rc)
				ew_errbuf(e->message, sizeof(e->message), 0,
					     "%s; the certificate is left alone",
					     msg);
			else
				ew_errbuf(e->message, sizeof(e->message), 0,
					     "%s was replaced externally; it is not renewed",
					     e->cert_path);
		}
	}
	ew_chain_free(chain);
	e->next_attempt = due_time(r, e, now);
	r->n++;
	return 0;
fail:
	free(e->name);
	free(e->cert_path);
	free(e->key_id);
	X509_free(e->cert);
	return rc;
}

int64_t ew_renew_next_wakeup(const struct ew_renew *r, int64_t now)
{
	int64_t t = INT64_MAX;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].state != EW_RENEW_UNMANAGED && r->v[i].next_attempt < t)
			t = r->v[i].next_attempt;
	return t < now ? now : t;
}

/* What an issue callback returned, checked before it goes anywhere. */
static int check_result(struct ew_renew *r, struct entry *e,
			const STACK_OF(X509) *chain, EVP_PKEY *key, int64_t now,
			char *err, size_t errlen)
{
	char when[EW_RFC3339_LEN];
	int64_t nb, na;
	X509 *leaf;

	if (sk_X509_num(chain) <= 0)
		return ew_errbuf(err, errlen, -EINVAL, "no certificate issued");
	leaf = sk_X509_value(chain, 0);
	if (EVP_PKEY_eq(X509_get0_pubkey(leaf), key) != 1) {
		ERR_clear_error();
		return ew_errbuf(err, errlen, -EKEYREJECTED,
				    "the issued certificate is not for our key");
	}
	if (ew_cert_validity(leaf, &nb, &na))
		return ew_errbuf(err, errlen, -EINVAL,
				    "the issued certificate's validity is unreadable");
	if (na <= now || na <= nb)
		return ew_errbuf(err, errlen, -EINVAL,
				    "the issued certificate is already expired");
	if (e->issuer >= 0 && r->v[e->issuer].cert && na > r->v[e->issuer].na) {
		ew_time_rfc3339(r->v[e->issuer].na, when);
		return ew_errbuf(err, errlen, -EINVAL,
				    "the issued certificate outlives its issuer \"%s\" (%s)",
				    r->v[e->issuer].name, when);
	}
	return 0;
}

/* One renewal. Return: 0, or -errno with the reason in @err. */
static int renew_one(struct ew_renew *r, struct entry *e, int64_t now,
		     char *err, size_t errlen)
{
	STACK_OF(X509) *chain = NULL;
	struct ew_renew_job job;
	const char *kid = e->key_id;
	bool fresh_key;
	EVP_PKEY *key = NULL;
	char msg[256], when[EW_RFC3339_LEN];
	int rc;

	rc = ew_renew_recover(r->ks, e->cert_path, e->key_id, err, errlen);
	if (rc)
		return rc;
	fresh_key = e->rotate || !e->cert || ew_key_exists(r->ks, e->key_id) != 1;
	if (fresh_key) {
		kid = e->next_id;
		rc = ew_key_pair_create(r->ks, kid, e->alg);
		if (rc)
			return ew_errbuf(err, errlen, rc,
					    "cannot create key \"%s\": %s", kid,
					    ew_keystore_error(r->ks));
	}
	key = ew_key_pair_get(r->ks, kid);
	if (!key) {
		rc = ew_errbuf(err, errlen, -ENOKEY, "cannot load key \"%s\": %s",
				  kid, ew_keystore_error(r->ks));
		goto out;
	}
	memset(&job, 0, sizeof(job));
	job.name = e->name;
	job.key_id = kid;
	job.key = key;
	job.current = e->cert;
	job.issuer = e->issuer >= 0 ? r->v[e->issuer].cert : NULL;
	job.now = now;
	msg[0] = '\0';
	rc = e->issue(e->ctx, &job, &chain, msg, sizeof(msg));
	if (rc) {
		ew_errbuf(err, errlen, rc < 0 ? rc : -EIO, "%s",
			     msg[0] ? msg : "issuing failed");
		rc = rc < 0 ? rc : -EIO;
		goto out;
	}
	rc = check_result(r, e, chain, key, now, err, errlen);
	if (rc)
		goto out;
	/* The callback may have taken long: is the file still ours? */
	if (check_disk(r, e, now) != 1) {
		rc = ew_errbuf(err, errlen, -ESTALE, "%s", e->message);
		goto out;
	}
	rc = ew_renew_install(r->ks, e->cert_path, e->key_id,
			      fresh_key ? kid : NULL, chain, err, errlen);
	if (rc)
		goto out;
	fresh_key = false;	/* installed: nothing to clean up */
	if (!X509_up_ref(sk_X509_value(chain, 0))) {
		rc = ew_errbuf(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	set_cert(e, sk_X509_value(chain, 0));
	e->state = EW_RENEW_OK;
	e->failures = 0;
	e->message[0] = '\0';
	e->next_attempt = ew_renew_due_at(&e->policy, e->nb, e->na);
	ew_time_rfc3339(e->na, when);
	snprintf(msg, sizeof(msg), "renewed %s, valid until %s", e->cert_path,
		 when);
	notify(r, e, EW_RENEW_EV_RENEWED, msg);
	if (e->next_attempt <= now) {
		/* A threshold longer than what the issuer grants: no busy loop. */
		e->next_attempt = now + ew_renew_retry_interval(&e->policy,
								e->nb, e->na);
		snprintf(msg, sizeof(msg),
			 "the renewed certificate is already due (valid until %s)",
			 when);
		notify(r, e, EW_RENEW_EV_WARNING, msg);
	}
	if (e->installed && e->installed(e->ctx, e->name, chain, msg, sizeof(msg)))
		notify(r, e, EW_RENEW_EV_WARNING, msg);
	rc = 0;
out:
	if (fresh_key && ew_key_exists(r->ks, kid) == 1)
		ew_key_delete(r->ks, kid);
	if (rc && fresh_key)
		/* A failure after the key's rename is finished here. */
		ew_renew_recover(r->ks, e->cert_path, e->key_id, NULL, 0);
	EVP_PKEY_free(key);
	ew_chain_free(chain);
	return rc;
}

static void attempt_failed(struct ew_renew *r, struct entry *e, int64_t now,
			   const char *msg)
{
	e->state = EW_RENEW_RETRYING;
	e->failures++;
	ew_errbuf(e->message, sizeof(e->message), 0, "%s", msg);
	e->next_attempt = now + ew_renew_retry_interval(&e->policy, e->nb, e->na);
	notify(r, e, EW_RENEW_EV_FAILED, e->message);
}

int ew_renew_run_due(struct ew_renew *r, int64_t now)
{
	char msg[sizeof(((struct entry *)0)->message)];
	int renewed = 0, disk;
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct entry *e = &r->v[i];

		if (e->state == EW_RENEW_UNMANAGED)
			continue;
		disk = check_disk(r, e, now);
		if (!disk || now < e->next_attempt)
			continue;
		if (disk < 0) {
			/* Unreadable for now: counts as a failed attempt. */
			snprintf(msg, sizeof(msg), "%s", e->message);
			attempt_failed(r, e, now, msg);
		} else if (!renew_one(r, e, now, msg, sizeof(msg))) {
			renewed++;
		} else if (e->state != EW_RENEW_UNMANAGED) {
			attempt_failed(r, e, now, msg);
		}
	}
	return renewed;
}

int ew_renew_get_status(const struct ew_renew *r, const char *name,
			struct ew_renew_status *st)
{
	const struct entry *e = find(r, name);

	if (!e)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->state = e->state;
	st->not_before = e->nb;
	st->not_after = e->na;
	st->next_attempt = e->next_attempt;
	st->failures = e->failures;
	if (e->cert)
		ew_cert_fingerprint_hex(e->cert, st->fingerprint);
	snprintf(st->message, sizeof(st->message), "%s", e->message);
	return 0;
}

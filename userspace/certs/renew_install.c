// SPDX-License-Identifier: GPL-2.0-only
/*
 * Putting a renewed certificate (and, when the key rotates, its new key) in
 * place so that the pair on disk always matches. The key store and the
 * file system cannot change together, so a rotation is a short journal:
 *
 *   1. the new key exists as "<id>-next", the new chain is written to
 *      "<cert>.next" (atomically);
 *   2. the key store renames "<id>-next" over "<id>";
 *   3. "<cert>.next" is renamed over "<cert>".
 *
 * ew_renew_recover() looks at what a crash left behind: "<cert>.next" for
 * the current or the next key rolls forward, anything else is undone. The
 * record of what edgeward wrote (managed.c) lists both fingerprints while
 * this happens.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "certs/internal.h"

#define NEXT_FILE_SUFFIX ".next"

int ew_renew_next_key_id(const char *key_id, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s" EW_RENEW_NEXT_SUFFIX, key_id);

	if (n < 0 || (size_t)n >= outlen || !ew_key_id_valid(out)) {
		if (outlen)
			out[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

static char *next_path(const char *cert_path)
{
	char *p;

	if (asprintf(&p, "%s" NEXT_FILE_SUFFIX, cert_path) < 0)
		return NULL;
	return p;
}

/* 1 if the key @id certifies @cert's public key, 0 if not or absent. */
static int key_matches(struct ew_keystore *ks, const char *id, X509 *cert)
{
	EVP_PKEY *pk;
	int r;

	if (ew_key_exists(ks, id) != 1)
		return 0;
	pk = ew_key_pair_get(ks, id);
	if (!pk)
		return 0;
	r = EVP_PKEY_eq(X509_get0_pubkey(cert), pk) == 1;
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return r;
}

static int rename_into_place(const char *from, const char *to,
			     char *err, size_t errlen)
{
	int rc;

	if (rename(from, to))
		return ew_errbuf(err, errlen, -errno, "%s: cannot rename to %s: %s",
				    from, to, strerror(errno));
	rc = ew_certs_fsync_dir(to);
	if (rc)
		return ew_errbuf(err, errlen, rc, "%s: fsync of its directory: %s",
				    to, strerror(-rc));
	return 0;
}

int ew_renew_install(struct ew_keystore *ks, const char *cert_path,
		     const char *key_id, const char *next_key_id,
		     const STACK_OF(X509) *chain, char *err, size_t errlen)
{
	uint8_t fp_old[EW_SHA256_LEN], fp_new[EW_SHA256_LEN];
	const uint8_t *fps[2] = { NULL, fp_new };
	STACK_OF(X509) *old = NULL;
	char *npath = NULL;
	X509 *leaf;
	int rc;

	if (sk_X509_num(chain) <= 0)
		return ew_errbuf(err, errlen, -EINVAL, "empty chain");
	leaf = sk_X509_value(chain, 0);
	if (!key_matches(ks, next_key_id ? next_key_id : key_id, leaf))
		return ew_errbuf(err, errlen, -EKEYREJECTED,
				    "the new certificate is not for key \"%s\"",
				    next_key_id ? next_key_id : key_id);
	if (ew_cert_fingerprint(leaf, fp_new))
		return ew_errbuf(err, errlen, -EINVAL,
				    "cannot fingerprint the new certificate");
	if (!ew_pem_load_chain(cert_path, &old, NULL, 0) &&
	    !ew_cert_fingerprint(sk_X509_value(old, 0), fp_old))
		fps[0] = fp_old;
	ew_chain_free(old);
	rc = ew_managed_record(cert_path, fps, 2, err, errlen);
	if (rc)
		return rc;

	if (!next_key_id) {
		rc = ew_pem_save_chain(cert_path, chain, err, errlen);
		if (rc)
			return rc;
		goto done;
	}
	npath = next_path(cert_path);
	if (!npath)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	rc = ew_pem_save_chain(npath, chain, err, errlen);
	if (rc)
		goto out;
	rc = ew_key_rename(ks, next_key_id, key_id);
	if (rc) {
		ew_errbuf(err, errlen, rc, "cannot rename key \"%s\" to \"%s\": %s",
			     next_key_id, key_id, ew_keystore_error(ks));
		unlink(npath);
		goto out;
	}
	/* From here on the new key is in place: recovery rolls forward. */
	rc = rename_into_place(npath, cert_path, err, errlen);
	if (rc)
		goto out;
done:
	fps[0] = NULL;
	/* A stale second fingerprint is harmless: ignore a failure here. */
	ew_managed_record(cert_path, fps, 2, NULL, 0);
	rc = 0;
out:
	free(npath);
	return rc;
}

int ew_renew_recover(struct ew_keystore *ks, const char *cert_path,
		     const char *key_id, char *err, size_t errlen)
{
	char next_id[EW_KEY_ID_MAX + 1];
	STACK_OF(X509) *chain = NULL;
	char *npath;
	X509 *leaf;
	int rc = 0;

	if (ew_renew_next_key_id(key_id, next_id, sizeof(next_id)))
		return 0;	/* no temporary id possible: nothing to recover */
	npath = next_path(cert_path);
	if (!npath)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	if (access(npath, F_OK) && errno == ENOENT)
		goto drop_next_key;
	if (ew_pem_load_chain(npath, &chain, NULL, 0)) {
		/* Written atomically, so never half there: not ours. */
		unlink(npath);
		goto drop_next_key;
	}
	leaf = sk_X509_value(chain, 0);
	if (key_matches(ks, key_id, leaf)) {
		/* Interrupted after the key's rename. */
		rc = rename_into_place(npath, cert_path, err, errlen);
		if (rc)
			goto out;
	} else if (key_matches(ks, next_id, leaf)) {
		/* Interrupted before it: finish, the renewal succeeded. */
		rc = ew_key_rename(ks, next_id, key_id);
		if (rc) {
			ew_errbuf(err, errlen, rc,
				     "cannot rename key \"%s\" to \"%s\": %s",
				     next_id, key_id, ew_keystore_error(ks));
			goto out;
		}
		rc = rename_into_place(npath, cert_path, err, errlen);
		goto out;
	} else {
		unlink(npath);
	}
drop_next_key:
	if (ew_key_exists(ks, next_id) == 1 && ew_key_delete(ks, next_id))
		rc = ew_errbuf(err, errlen, -EIO, "cannot delete key \"%s\": %s",
				  next_id, ew_keystore_error(ks));
out:
	ew_chain_free(chain);
	free(npath);
	return rc;
}

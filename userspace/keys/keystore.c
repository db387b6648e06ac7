// SPDX-License-Identifier: GPL-2.0-only
/*
 * The public face of the key store: argument checks, the per-thread error
 * messages, the workload API's blob layout, and dispatch to the backend.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "keys/backend.h"
#include "keys/crypto.h"

#define EW_KS_ERR_LEN 512

/*
 * One thread's message. Each thread that fails a call gets one, found
 * through the store's pthread key; the store lists them all so that it can
 * free those of threads still alive when it closes.
 */
struct ew_ks_err {
	struct ew_keystore *ks;
	struct ew_ks_err *prev, *next;
	char msg[EW_KS_ERR_LEN];
};

struct ew_keystore {
	struct ew_key_backend *be;
	pthread_key_t err_key;
	/* Guards only the list of messages: backends lock for themselves. */
	pthread_mutex_t err_lock;
	struct ew_ks_err *errs;
};

static void err_unlink(struct ew_keystore *ks, struct ew_ks_err *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		ks->errs = e->next;
	if (e->next)
		e->next->prev = e->prev;
}

/* A thread that failed a call is exiting: its message goes with it. */
static void err_destroy(void *p)
{
	struct ew_ks_err *e = p;
	struct ew_keystore *ks = e->ks;

	pthread_mutex_lock(&ks->err_lock);
	err_unlink(ks, e);
	pthread_mutex_unlock(&ks->err_lock);
	free(e);
}

int ew_keystore_set_error(const struct ew_keystore *cks, int r,
			  const char *fmt, ...)
{
	/* The message list is not part of the store's logical state. */
	struct ew_keystore *ks = (struct ew_keystore *)cks;
	struct ew_ks_err *e;
	va_list ap;

	e = pthread_getspecific(ks->err_key);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return r;
		e->ks = ks;
		pthread_mutex_lock(&ks->err_lock);
		e->next = ks->errs;
		if (e->next)
			e->next->prev = e;
		ks->errs = e;
		pthread_mutex_unlock(&ks->err_lock);
		if (pthread_setspecific(ks->err_key, e)) {
			pthread_mutex_lock(&ks->err_lock);
			err_unlink(ks, e);
			pthread_mutex_unlock(&ks->err_lock);
			free(e);
			return r;
		}
	}
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return r;
}

const char *ew_keystore_error(const struct ew_keystore *ks)
{
	struct ew_ks_err *e;

	if (!ks)
		return "no key store";
	e = pthread_getspecific(ks->err_key);
	return e ? e->msg : "";
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

struct ew_keystore *ew_keystore_open_file_flags(const char *dir,
						unsigned int flags,
						char *err, size_t errlen)
{
	struct ew_keystore *ks;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!dir || !*dir) {
		set_err(err, errlen, "no key store directory given");
		return NULL;
	}
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	r = pthread_key_create(&ks->err_key, err_destroy);
	if (r) {
		set_err(err, errlen, "cannot create the key store's error slot: %s",
			strerror(r));
		free(ks);
		return NULL;
	}
	pthread_mutex_init(&ks->err_lock, NULL);
	ks->be = ew_key_file_open(ks, dir, flags, err, errlen);
	if (!ks->be) {
		ew_keystore_close(ks);
		return NULL;
	}
	return ks;
}

struct ew_keystore *ew_keystore_open_file(const char *dir, char *err,
					  size_t errlen)
{
	return ew_keystore_open_file_flags(dir, 0, err, errlen);
}

void ew_keystore_close(struct ew_keystore *ks)
{
	struct ew_ks_err *e, *next;

	if (!ks)
		return;
	if (ks->be)
		ks->be->ops->close(ks->be);
	/* No destructor runs after this: the messages left are ours to free. */
	pthread_key_delete(ks->err_key);
	for (e = ks->errs; e; e = next) {
		next = e->next;
		free(e);
	}
	pthread_mutex_destroy(&ks->err_lock);
	free(ks);
}

const char *ew_keystore_secret_holder(const struct ew_keystore *ks)
{
	if (!ks || !ks->be->ops->secret_holder)
		return "none";
	return ks->be->ops->secret_holder(ks->be);
}

/* Why @id is not a key id, or NULL if it is one. */
static const char *id_problem(const char *id, char *buf, size_t len)
{
	size_t i;

	if (!id)
		return "none given";
	if (!*id)
		return "it is empty";
	for (i = 0; id[i]; i++) {
		if (i == EW_KEY_ID_MAX) {
			snprintf(buf, len, "it is longer than %d characters", EW_KEY_ID_MAX);
			return buf;
		}
		if ((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '.' || id[i] == '_' ||
		    id[i] == '-')
			continue;
		/* Never echo the id: it may be anything a client sent. */
		snprintf(buf, len,
			 "byte 0x%02x at offset %zu; only A-Z a-z 0-9 . _ - are allowed",
			 (unsigned char)id[i], i);
		return buf;
	}
	if (id[0] == '.')
		return "it starts with '.'";
	return NULL;
}

bool ew_key_id_valid(const char *id)
{
	char buf[128];

	return !id_problem(id, buf, sizeof(buf));
}

static int check_id(struct ew_keystore *ks, const char *id)
{
	const char *why;
	char buf[128];

	why = id_problem(id, buf, sizeof(buf));
	if (why)
		return ew_keystore_set_error(ks, -EINVAL, "invalid key id: %s", why);
	return 0;
}

/* A NULL @p is only fine for zero bytes. */
static int check_buf(struct ew_keystore *ks, const void *p, size_t len,
		     const char *what)
{
	if (!p && len)
		return ew_keystore_set_error(ks, -EINVAL, "no %s given (%zu bytes announced)",
					     what, len);
	return 0;
}

/* The store and an id: what every call starts with. */
static int check_ks_id(struct ew_keystore *ks, const char *id)
{
	if (!ks)
		return -EINVAL;
	return check_id(ks, id);
}

int ew_key_sym_create(struct ew_keystore *ks, const char *id,
		      const uint8_t *value)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	return ks->be->ops->sym_create(ks->be, id, value);
}

int ew_key_sym_ensure(struct ew_keystore *ks, const char *id)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	r = ks->be->ops->sym_check(ks->be, id);
	if (r != -ENOENT)
		return r;
	r = ks->be->ops->sym_create(ks->be, id, NULL);
	/* Someone else created it in the meantime: use theirs. */
	if (r == -EEXIST)
		r = ks->be->ops->sym_check(ks->be, id);
	return r;
}

int ew_key_hmac(struct ew_keystore *ks, const char *id, const void *data,
		size_t len, uint8_t mac[EW_HMAC_LEN])
{
	int r = check_ks_id(ks, id);

	if (!r)
		r = check_buf(ks, data, len, "data");
	if (!r && !mac)
		r = ew_keystore_set_error(ks, -EINVAL, "no buffer for the HMAC given");
	if (r)
		return r;
	return ks->be->ops->hmac(ks->be, id, data, len, mac);
}

int ew_key_hmac_derived(struct ew_keystore *ks, const char *id,
			const void *derivation, size_t dlen,
			const void *data, size_t len,
			uint8_t mac[EW_HMAC_LEN])
{
	uint8_t derived[EW_HMAC_LEN];
	int r = check_ks_id(ks, id);

	if (!r)
		r = check_buf(ks, derivation, dlen, "derivation data");
	if (!r)
		r = check_buf(ks, data, len, "data");
	if (!r && !mac)
		r = ew_keystore_set_error(ks, -EINVAL, "no buffer for the HMAC given");
	if (r)
		return r;
	/* The backend derives; the derived key only lives in this frame. */
	r = ks->be->ops->hmac(ks->be, id, derivation, dlen, derived);
	if (!r) {
		r = ew_crypto_hmac(derived, sizeof(derived), data, len, mac);
		if (r)
			ew_keystore_set_error(ks, r,
					      "HMAC-SHA256 under the key derived from '%s' failed",
					      id);
	}
	OPENSSL_cleanse(derived, sizeof(derived));
	return r;
}

static int check_gcm_args(struct ew_keystore *ks, const char *id,
			  const uint8_t *iv, size_t ivlen, const void *aad,
			  size_t aadlen, uint8_t **out, size_t *outlen)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	if (!out || !outlen)
		return ew_keystore_set_error(ks, -EINVAL, "no place for the result given");
	*out = NULL;
	*outlen = 0;
	if (!iv || ivlen < 1 || ivlen > EW_GCM_IV_MAX)
		return ew_keystore_set_error(ks, -EINVAL,
					     "the IV is %zu bytes; it must be 1 to %d",
					     iv ? ivlen : 0, EW_GCM_IV_MAX);
	return check_buf(ks, aad, aadlen, "AAD");
}

int ew_key_encrypt(struct ew_keystore *ks, const char *id,
		   const uint8_t *iv, size_t ivlen,
		   const void *aad, size_t aadlen,
		   const void *pt, size_t ptlen,
		   uint8_t **out, size_t *outlen)
{
	size_t len;
	uint8_t *blob;
	int r;

	r = check_gcm_args(ks, id, iv, ivlen, aad, aadlen, out, outlen);
	if (!r)
		r = check_buf(ks, pt, ptlen, "plaintext");
	if (r)
		return r;
	if (ptlen > SIZE_MAX - 1 - EW_GCM_TAG_LEN)
		return ew_keystore_set_error(ks, -EINVAL, "the plaintext is too long");
	len = 1 + ptlen + EW_GCM_TAG_LEN;
	blob = malloc(len);
	if (!blob)
		return ew_keystore_set_error(ks, -ENOMEM,
					     "out of memory for %zu bytes of ciphertext", len);
	blob[0] = EW_GCM_BLOB_V2;
	r = ks->be->ops->encrypt(ks->be, id, iv, ivlen, aad, aadlen, pt, ptlen,
				 blob + 1, blob + 1 + ptlen);
	if (r) {
		free(blob);
		return r;
	}
	*out = blob;
	*outlen = len;
	return 0;
}

int ew_key_decrypt(struct ew_keystore *ks, const char *id,
		   const uint8_t *iv, size_t ivlen,
		   const void *aad, size_t aadlen,
		   const uint8_t *blob, size_t bloblen,
		   uint8_t **out, size_t *outlen)
{
	const uint8_t *ct, *tag;
	char why[160];
	size_t ctlen;
	uint8_t *pt;
	int r;

	r = check_gcm_args(ks, id, iv, ivlen, aad, aadlen, out, outlen);
	if (!r)
		r = check_buf(ks, blob, bloblen, "ciphertext blob");
	if (r)
		return r;
	r = ew_crypto_blob_split(blob, bloblen, &ct, &ctlen, &tag, why, sizeof(why));
	if (r)
		return ew_keystore_set_error(ks, r, "cannot decrypt: %s", why);
	/* One byte at least, so that an empty plaintext is not a NULL. */
	pt = malloc(ctlen ? ctlen : 1);
	if (!pt)
		return ew_keystore_set_error(ks, -ENOMEM,
					     "out of memory for %zu bytes of plaintext", ctlen);
	r = ks->be->ops->decrypt(ks->be, id, iv, ivlen, aad, aadlen, ct, ctlen, tag, pt);
	if (r) {
		/* Whatever came out before the tag check failed is not ours. */
		OPENSSL_cleanse(pt, ctlen);
		free(pt);
		return r;
	}
	*out = pt;
	*outlen = ctlen;
	return 0;
}

int ew_key_pair_create(struct ew_keystore *ks, const char *id,
		       enum ew_key_alg alg)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	if (!ew_crypto_alg_name(alg))
		return ew_keystore_set_error(ks, -EINVAL, "unknown key algorithm %d", (int)alg);
	return ks->be->ops->pair_create(ks->be, id, alg);
}

int ew_key_pair_import(struct ew_keystore *ks, const char *id,
		       const char *pem, size_t len)
{
	EVP_PKEY *pkey;
	char why[320];
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	pkey = ew_crypto_pem_decode(pem, len, true, why, sizeof(why));
	if (!pkey)
		return ew_keystore_set_error(ks, -EINVAL, "cannot import key '%s': %s", id, why);
	r = ks->be->ops->pair_import(ks->be, id, pkey);
	EVP_PKEY_free(pkey);
	return r;
}

EVP_PKEY *ew_key_pair_get(struct ew_keystore *ks, const char *id)
{
	if (check_ks_id(ks, id))
		return NULL;
	return ks->be->ops->pair_get(ks->be, id);
}

int ew_key_exists(struct ew_keystore *ks, const char *id)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	return ks->be->ops->exists(ks->be, id);
}

int ew_key_delete(struct ew_keystore *ks, const char *id)
{
	int r = check_ks_id(ks, id);

	if (r)
		return r;
	return ks->be->ops->remove(ks->be, id);
}

int ew_key_rename(struct ew_keystore *ks, const char *from, const char *to)
{
	int r = check_ks_id(ks, from);

	if (!r)
		r = check_id(ks, to);
	if (r)
		return r;
	return ks->be->ops->rename(ks->be, from, to);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file backend of the key store: one directory (0700, ours), a file per
 * key (0600, ours): <id>.key holds a symmetric key's 32 raw bytes, <id>.pem
 * a key pair as PKCS#8 PEM. Everything is opened relative to the directory
 * we checked at open time and without following symbolic links, and every
 * file is written whole or not at all: a temporary file, fsync, rename,
 * fsync of the directory. Temporary files are named ".tmp.*", which no id
 * can be, so a writer that died halfway leaves nothing a key could be read
 * from; the next open removes such leftovers once they are stale.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "keys/backend.h"
#include "keys/crypto.h"
#include "keys/keyring.h"
#include "util/atomic.h"

#define TMP_PREFIX ".tmp."
/*
 * A temporary file this old has no writer any more (a write takes
 * milliseconds); a younger one may belong to another process using the
 * same directory right now, so it is left alone.
 */
#define TMP_STALE_SEC 60
/* "<id>.pem" */
#define NAME_LEN (EW_KEY_ID_MAX + 5)
/* TMP_PREFIX "<id>.pem." and 12 hex digits */
#define TMP_NAME_LEN (sizeof(TMP_PREFIX) + NAME_LEN + 13)

enum kind {
	KIND_SYM,
	KIND_PAIR,
	KIND_COUNT,
};

static const char *const kind_ext[KIND_COUNT] = { ".key", ".pem" };
static const char *const kind_what[KIND_COUNT] = { "symmetric key", "key pair" };

struct ew_file_backend {
	struct ew_key_backend be;
	/*
	 * Held around every look at or change to the directory and the
	 * secrets, never while computing: a create checks "neither file
	 * exists" and writes as one step, and the secrets are no thread-safe
	 * structure.
	 */
	pthread_mutex_t lock;
	int dirfd;
	char *dir;
	uid_t owner;			/* the euid at open: owner of it all */
	struct ew_secrets *secrets;
};

static struct ew_file_backend *to_fb(struct ew_key_backend *be)
{
	return (struct ew_file_backend *)be;
}

static void file_name(char name[NAME_LEN + 1], const char *id, enum kind k)
{
	snprintf(name, NAME_LEN + 1, "%s%s", id, kind_ext[k]);
}

#define fb_err(fb, r, ...) ew_keystore_set_error((fb)->be.ks, (r), __VA_ARGS__)

static int fb_sys(struct ew_file_backend *fb, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * fb_err() for a failed system call, ending with strerror(-@r): not %m,
 * since recording the message may change errno before it is formatted.
 */
static int fb_sys(struct ew_file_backend *fb, int r, const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fb_err(fb, r, "%s: %s", what, strerror(-r));
}

/* Refuses what must not hold a key: @st is of DIR/@name, not followed. */
static int check_stat(struct ew_file_backend *fb, const char *name,
		      const struct stat *st, enum kind k)
{
	if (S_ISLNK(st->st_mode))
		return fb_err(fb, -ELOOP,
			      "%s/%s is a symbolic link; key files must be regular files",
			      fb->dir, name);
	if (!S_ISREG(st->st_mode))
		return fb_err(fb, -EINVAL, "%s/%s is not a regular file", fb->dir, name);
	if (st->st_uid != fb->owner)
		return fb_err(fb, -EPERM,
			      "%s/%s is owned by uid %u, not by uid %u that uses the store",
			      fb->dir, name, (unsigned int)st->st_uid, (unsigned int)fb->owner);
	if (st->st_mode & 077)
		return fb_err(fb, -EPERM,
			      "%s/%s has mode %04o: group or others may access it; it must be 0600",
			      fb->dir, name, (unsigned int)(st->st_mode & 07777));
	if (k == KIND_SYM && st->st_size != EW_SYM_KEY_LEN)
		return fb_err(fb, -EINVAL,
			      "%s/%s is %lld bytes; a symmetric key file is exactly %d",
			      fb->dir, name, (long long)st->st_size, EW_SYM_KEY_LEN);
	if (k == KIND_PAIR && (st->st_size <= 0 || st->st_size > EW_PEM_MAX))
		return fb_err(fb, -EINVAL, "%s/%s is %lld bytes; a key pair file is 1 to %d",
			      fb->dir, name, (long long)st->st_size, EW_PEM_MAX);
	return 0;
}

/* 0 if DIR/<id><ext> exists (whatever it is), -ENOENT if not, or -errno. */
static int stat_kind(struct ew_file_backend *fb, const char *id, enum kind k,
		     struct stat *st)
{
	char name[NAME_LEN + 1];

	file_name(name, id, k);
	if (!fstatat(fb->dirfd, name, st, AT_SYMLINK_NOFOLLOW))
		return 0;
	if (errno == ENOENT)
		return -ENOENT;
	return fb_sys(fb, -errno, "cannot look at %s/%s", fb->dir, name);
}

/* 1 if a file of either kind is there for @id, good or bad; 0 if none. */
static int present_any(struct ew_file_backend *fb, const char *id)
{
	struct stat st;
	int k, r;

	for (k = 0; k < KIND_COUNT; k++) {
		r = stat_kind(fb, id, k, &st);
		if (r != -ENOENT)
			return r ? r : 1;
	}
	return 0;
}

/* The message for "no @k named @id", which names the other kind if there. */
static int absent(struct ew_file_backend *fb, const char *id, enum kind k)
{
	struct stat st;
	int r;

	r = stat_kind(fb, id, !k, &st);
	if (!r)
		return fb_err(fb, -EINVAL, "key '%s' is a %s, not a %s", id, kind_what[!k],
			      kind_what[k]);
	if (r != -ENOENT)
		return r;
	return fb_err(fb, -ENOENT, "no %s '%s' in %s", kind_what[k], id, fb->dir);
}

/*
 * Opens the key file of @id for reading after checking it: -ENOENT (no
 * message) if absent. The check is made on the open file too, so what was
 * checked is what is read.
 */
static int open_kind(struct ew_file_backend *fb, const char *id, enum kind k,
		     int *fdp, struct stat *st)
{
	char name[NAME_LEN + 1];
	int fd, r;

	r = stat_kind(fb, id, k, st);
	if (r)
		return r;
	file_name(name, id, k);
	/* Refused before the open: opening a FIFO or a device does things. */
	r = check_stat(fb, name, st, k);
	if (r)
		return r;
	fd = openat(fb->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		if (errno == ELOOP)
			return fb_err(fb, -ELOOP,
				      "%s/%s is a symbolic link; key files must be regular files",
				      fb->dir, name);
		return fb_sys(fb, -errno, "cannot open %s/%s", fb->dir, name);
	}
	if (fstat(fd, st)) {
		r = fb_sys(fb, -errno, "cannot look at %s/%s", fb->dir, name);
		close(fd);
		return r;
	}
	r = check_stat(fb, name, st, k);
	if (r) {
		close(fd);
		return r;
	}
	*fdp = fd;
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int sync_dir(struct ew_file_backend *fb)
{
	if (fsync(fb->dirfd))
		return fb_sys(fb, -errno, "cannot sync the key store directory %s",
			      fb->dir);
	return 0;
}

/* Moves @tmp to @name, failing with -EEXIST rather than replacing. */
static int rename_noreplace(int dirfd, const char *tmp, const char *name)
{
	if (!renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	/* A file system without RENAME_NOREPLACE: link() never replaces. */
	if (linkat(dirfd, tmp, dirfd, name, 0))
		return -errno;
	unlinkat(dirfd, tmp, 0);
	return 0;
}

/*
 * Writes DIR/<id><ext> whole or not at all, 0600. @replace: whether an
 * existing file of that name is replaced or the write fails with -EEXIST.
 */
static int write_atomic(struct ew_file_backend *fb, const char *id, enum kind k,
			const void *data, size_t len, bool replace)
{
	char name[NAME_LEN + 1], tmp[TMP_NAME_LEN];
	uint8_t rnd[6];
	int fd, r;

	file_name(name, id, k);
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return fb_err(fb, -EIO, "cannot write %s/%s: the random generator failed",
			      fb->dir, name);
	snprintf(tmp, sizeof(tmp), TMP_PREFIX "%s.%02x%02x%02x%02x%02x%02x", name,
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
	fd = openat(fb->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (fd < 0)
		return fb_sys(fb, -errno, "cannot create %s/%s", fb->dir, tmp);
	/* The umask may have taken bits from 0600: put them back. */
	r = fchmod(fd, 0600) ? -errno : 0;
	if (!r)
		r = ew_write_all(fd, data, len);
	if (!r && fsync(fd))
		r = -errno;
	if (close(fd) && !r)
		r = -errno;
	if (r) {
		unlinkat(fb->dirfd, tmp, 0);
		return fb_sys(fb, r, "cannot write %s/%s", fb->dir, tmp);
	}
	if (replace)
		r = renameat(fb->dirfd, tmp, fb->dirfd, name) ? -errno : 0;
	else
		r = rename_noreplace(fb->dirfd, tmp, name);
	if (r) {
		unlinkat(fb->dirfd, tmp, 0);
		if (r == -EEXIST)
			return fb_err(fb, r, "key '%s' already exists (%s/%s)", id, fb->dir, name);
		return fb_sys(fb, r, "cannot rename %s/%s to %s", fb->dir, tmp, name);
	}
	return sync_dir(fb);
}

/* The secret of symmetric key @id: from the secrets, else from its file. */
static int sym_load(struct ew_file_backend *fb, const char *id,
		    uint8_t key[EW_SYM_KEY_LEN])
{
	char name[NAME_LEN + 1];
	struct stat st;
	int fd, r;

	if (!ew_secrets_get(fb->secrets, id, key))
		return 0;
	r = open_kind(fb, id, KIND_SYM, &fd, &st);
	if (r == -ENOENT)
		return absent(fb, id, KIND_SYM);
	if (r)
		return r;
	r = read_all(fd, key, EW_SYM_KEY_LEN);
	close(fd);
	if (r) {
		OPENSSL_cleanse(key, EW_SYM_KEY_LEN);
		file_name(name, id, KIND_SYM);
		return fb_err(fb, r, "cannot read %s/%s: %s", fb->dir, name,
			      r == -EIO ? "it became shorter while read" : strerror(-r));
	}
	/* A cache: without it (a full keyring quota) the file is read again. */
	ew_secrets_put(fb->secrets, id, key);
	return 0;
}

/* sym_load() under the lock. */
static int sym_get(struct ew_file_backend *fb, const char *id,
		   uint8_t key[EW_SYM_KEY_LEN])
{
	int r;

	pthread_mutex_lock(&fb->lock);
	r = sym_load(fb, id, key);
	pthread_mutex_unlock(&fb->lock);
	return r;
}

static int file_sym_create(struct ew_key_backend *be, const char *id,
			   const uint8_t *value)
{
	struct ew_file_backend *fb = to_fb(be);
	uint8_t key[EW_SYM_KEY_LEN];
	int r;

	if (value)
		memcpy(key, value, sizeof(key));
	else if (RAND_priv_bytes(key, sizeof(key)) != 1)
		return fb_err(fb, -EIO, "cannot create key '%s': the random generator failed", id);
	pthread_mutex_lock(&fb->lock);
	r = present_any(fb, id);
	if (r > 0)
		r = fb_err(fb, -EEXIST, "key '%s' already exists in %s", id, fb->dir);
	if (!r)
		r = write_atomic(fb, id, KIND_SYM, key, sizeof(key), false);
	if (!r)
		ew_secrets_put(fb->secrets, id, key);
	pthread_mutex_unlock(&fb->lock);
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

static int file_sym_check(struct ew_key_backend *be, const char *id)
{
	uint8_t key[EW_SYM_KEY_LEN];
	int r;

	r = sym_get(to_fb(be), id, key);
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

static int file_hmac(struct ew_key_backend *be, const char *id,
		     const void *data, size_t len, uint8_t mac[EW_HMAC_LEN])
{
	struct ew_file_backend *fb = to_fb(be);
	uint8_t key[EW_SYM_KEY_LEN];
	int r;

	r = sym_get(fb, id, key);
	if (!r) {
		r = ew_crypto_hmac(key, sizeof(key), data, len, mac);
		if (r)
			fb_err(fb, r, "HMAC-SHA256 with key '%s' failed", id);
	}
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

static int file_encrypt(struct ew_key_backend *be, const char *id,
			const uint8_t *iv, size_t ivlen,
			const void *aad, size_t aadlen,
			const void *pt, size_t ptlen,
			uint8_t *ct, uint8_t tag[EW_GCM_TAG_LEN])
{
	struct ew_file_backend *fb = to_fb(be);
	uint8_t key[EW_SYM_KEY_LEN];
	char reason[256];
	int r;

	r = sym_get(fb, id, key);
	if (!r) {
		r = ew_crypto_gcm_encrypt(key, iv, ivlen, aad, aadlen, pt, ptlen, ct, tag);
		if (r)
			fb_err(fb, r, "encryption with key '%s' failed: %s", id,
			       ew_crypto_ossl_reason(reason, sizeof(reason)));
	}
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

static int file_decrypt(struct ew_key_backend *be, const char *id,
			const uint8_t *iv, size_t ivlen,
			const void *aad, size_t aadlen,
			const uint8_t *ct, size_t ctlen,
			const uint8_t tag[EW_GCM_TAG_LEN], uint8_t *pt)
{
	struct ew_file_backend *fb = to_fb(be);
	uint8_t key[EW_SYM_KEY_LEN];
	char reason[256];
	int r;

	r = sym_get(fb, id, key);
	if (!r) {
		r = ew_crypto_gcm_decrypt(key, iv, ivlen, aad, aadlen, ct, ctlen, tag, pt);
		if (r == -EBADMSG)
			fb_err(fb, r,
			       "decryption with key '%s' failed: authentication tag mismatch (wrong key, IV or AAD, or a damaged ciphertext)",
			       id);
		else if (r)
			fb_err(fb, r, "decryption with key '%s' failed: %s", id,
			       ew_crypto_ossl_reason(reason, sizeof(reason)));
	}
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

/* Writes key pair @pkey as DIR/<id>.pem; the lock is held. */
static int pair_write(struct ew_file_backend *fb, const char *id, EVP_PKEY *pkey,
		      bool replace)
{
	size_t len;
	char *pem;
	int r;

	r = ew_crypto_pem_encode(pkey, &pem, &len);
	if (r)
		return fb_err(fb, r, "cannot encode key pair '%s' as PEM", id);
	r = write_atomic(fb, id, KIND_PAIR, pem, len, replace);
	ew_crypto_pem_free(pem, len);
	return r;
}

static int file_pair_create(struct ew_key_backend *be, const char *id,
			    enum ew_key_alg alg)
{
	struct ew_file_backend *fb = to_fb(be);
	char reason[256];
	EVP_PKEY *pkey;
	int r;

	/* Fail early: generating an RSA key takes long. */
	pthread_mutex_lock(&fb->lock);
	r = present_any(fb, id);
	pthread_mutex_unlock(&fb->lock);
	if (r > 0)
		return fb_err(fb, -EEXIST, "key '%s' already exists in %s", id, fb->dir);
	if (r)
		return r;
	/* Without the lock, so that the store goes on serving meanwhile. */
	pkey = ew_crypto_keygen(alg);
	if (!pkey)
		return fb_err(fb, -EIO, "generating an %s key for '%s' failed: %s",
			      ew_crypto_alg_name(alg), id,
			      ew_crypto_ossl_reason(reason, sizeof(reason)));
	pthread_mutex_lock(&fb->lock);
	r = present_any(fb, id);
	if (r > 0)
		r = fb_err(fb, -EEXIST, "key '%s' already exists in %s", id, fb->dir);
	if (!r)
		r = pair_write(fb, id, pkey, false);
	pthread_mutex_unlock(&fb->lock);
	EVP_PKEY_free(pkey);
	return r;
}

static int file_pair_import(struct ew_key_backend *be, const char *id,
			    EVP_PKEY *pkey)
{
	struct ew_file_backend *fb = to_fb(be);
	char name[NAME_LEN + 1];
	int r;

	pthread_mutex_lock(&fb->lock);
	r = pair_write(fb, id, pkey, true);
	if (!r) {
		/*
		 * A symmetric key of that id is replaced too (a crash before
		 * the unlink leaves both, each usable as its own kind).
		 */
		file_name(name, id, KIND_SYM);
		ew_secrets_drop(fb->secrets, id);
		if (!unlinkat(fb->dirfd, name, 0))
			r = sync_dir(fb);
		else if (errno != ENOENT)
			r = fb_sys(fb, -errno, "cannot remove %s/%s", fb->dir, name);
	}
	pthread_mutex_unlock(&fb->lock);
	return r;
}

static EVP_PKEY *file_pair_get(struct ew_key_backend *be, const char *id)
{
	struct ew_file_backend *fb = to_fb(be);
	char name[NAME_LEN + 1], why[320];
	EVP_PKEY *pkey = NULL;
	struct stat st;
	size_t len;
	char *pem;
	int fd, r;

	file_name(name, id, KIND_PAIR);
	pthread_mutex_lock(&fb->lock);
	r = open_kind(fb, id, KIND_PAIR, &fd, &st);
	if (r == -ENOENT)
		absent(fb, id, KIND_PAIR);
	if (r) {
		pthread_mutex_unlock(&fb->lock);
		return NULL;
	}
	len = (size_t)st.st_size;
	pem = OPENSSL_secure_malloc(len);
	r = pem ? read_all(fd, pem, len) : -ENOMEM;
	close(fd);
	pthread_mutex_unlock(&fb->lock);
	if (r) {
		fb_err(fb, r, "cannot read %s/%s: %s", fb->dir, name,
		       r == -EIO ? "it became shorter while read" : strerror(-r));
	} else {
		/* Checked whole when it came in: only parsed here. */
		pkey = ew_crypto_pem_decode(pem, len, false, why, sizeof(why));
		if (!pkey)
			fb_err(fb, -EINVAL, "key pair '%s' (%s/%s) is unusable: %s", id, fb->dir,
			       name, why);
	}
	if (pem)
		OPENSSL_secure_clear_free(pem, len);
	return pkey;
}

static int file_exists(struct ew_key_backend *be, const char *id)
{
	struct ew_file_backend *fb = to_fb(be);
	char name[NAME_LEN + 1];
	int k, r, found = 0;
	struct stat st;

	pthread_mutex_lock(&fb->lock);
	for (k = 0; k < KIND_COUNT; k++) {
		r = stat_kind(fb, id, k, &st);
		if (r == -ENOENT)
			continue;
		file_name(name, id, k);
		if (!r)
			r = check_stat(fb, name, &st, k);
		if (r) {
			found = r;
			break;
		}
		found = 1;
	}
	pthread_mutex_unlock(&fb->lock);
	return found;
}

static int file_remove(struct ew_key_backend *be, const char *id)
{
	struct ew_file_backend *fb = to_fb(be);
	char name[NAME_LEN + 1];
	int k, r = 0, removed = 0;

	pthread_mutex_lock(&fb->lock);
	ew_secrets_drop(fb->secrets, id);
	/* Whatever the files are (even refused ones): removing is the cure. */
	for (k = 0; k < KIND_COUNT && !r; k++) {
		file_name(name, id, k);
		if (!unlinkat(fb->dirfd, name, 0))
			removed++;
		else if (errno != ENOENT)
			r = fb_sys(fb, -errno, "cannot remove %s/%s", fb->dir, name);
	}
	if (removed) {
		k = sync_dir(fb);
		r = r ? r : k;
	} else if (!r) {
		r = fb_err(fb, -ENOENT, "no key '%s' in %s", id, fb->dir);
	}
	pthread_mutex_unlock(&fb->lock);
	return r;
}

static int file_rename(struct ew_key_backend *be, const char *from,
		       const char *to)
{
	struct ew_file_backend *fb = to_fb(be);
	char name[NAME_LEN + 1], dest[NAME_LEN + 1];
	bool has[KIND_COUNT] = { false, false };
	struct stat st;
	int k, r = 0;

	pthread_mutex_lock(&fb->lock);
	for (k = 0; k < KIND_COUNT && !r; k++) {
		r = stat_kind(fb, from, k, &st);
		if (r == -ENOENT) {
			r = 0;
			continue;
		}
		/* Refused keys are not given a new name to be used under. */
		file_name(name, from, k);
		if (!r)
			r = check_stat(fb, name, &st, k);
		has[k] = !r;
	}
	if (!r && !has[KIND_SYM] && !has[KIND_PAIR])
		r = fb_err(fb, -ENOENT, "no key '%s' in %s", from, fb->dir);
	if (r || !strcmp(from, to))
		goto out;
	/* Each file moves atomically, replacing what @to had of its kind... */
	for (k = 0; k < KIND_COUNT && !r; k++) {
		if (!has[k])
			continue;
		file_name(name, from, k);
		file_name(dest, to, k);
		if (renameat(fb->dirfd, name, fb->dirfd, dest))
			r = fb_sys(fb, -errno, "cannot rename %s/%s to %s", fb->dir, name, dest);
	}
	/*
	 * ...then what @to had of the other kind goes. Across kinds the
	 * rename is two steps: a crash between them leaves both files, each
	 * still usable as its own kind, and a delete removes both.
	 */
	for (k = 0; k < KIND_COUNT && !r; k++) {
		if (has[k])
			continue;
		file_name(dest, to, k);
		if (unlinkat(fb->dirfd, dest, 0) && errno != ENOENT)
			r = fb_sys(fb, -errno, "cannot remove %s/%s", fb->dir, dest);
	}
	if (r) {
		/* Halfway: what is loaded may not match the files any more. */
		ew_secrets_drop(fb->secrets, from);
		ew_secrets_drop(fb->secrets, to);
	} else if (has[KIND_SYM]) {
		ew_secrets_move(fb->secrets, from, to);
	} else {
		ew_secrets_drop(fb->secrets, to);
	}
	k = sync_dir(fb);
	r = r ? r : k;
out:
	pthread_mutex_unlock(&fb->lock);
	return r;
}

static const char *file_secret_holder(const struct ew_key_backend *be)
{
	return ew_secrets_holder(((const struct ew_file_backend *)be)->secrets);
}

static void file_close(struct ew_key_backend *be)
{
	struct ew_file_backend *fb = to_fb(be);

	ew_secrets_free(fb->secrets);
	if (fb->dirfd >= 0)
		close(fb->dirfd);
	pthread_mutex_destroy(&fb->lock);
	free(fb->dir);
	free(fb);
}

static const struct ew_key_backend_ops file_ops = {
	.name = "file",
	.sym_create = file_sym_create,
	.sym_check = file_sym_check,
	.hmac = file_hmac,
	.encrypt = file_encrypt,
	.decrypt = file_decrypt,
	.pair_create = file_pair_create,
	.pair_import = file_pair_import,
	.pair_get = file_pair_get,
	.exists = file_exists,
	.remove = file_remove,
	.rename = file_rename,
	.secret_holder = file_secret_holder,
	.close = file_close,
};

/* Removes the temporary files writers that died left behind. */
static void remove_stale_temps(struct ew_file_backend *fb)
{
	time_t now = time(NULL);
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd;

	/* A descriptor of its own: readdir moves the directory's offset. */
	fd = openat(fb->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, TMP_PREFIX, sizeof(TMP_PREFIX) - 1))
			continue;
		if (fstatat(fb->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
			continue;
		if (now - st.st_mtime < TMP_STALE_SEC)
			continue;
		unlinkat(fb->dirfd, de->d_name, 0);
	}
	closedir(d);
}

/* Opens (creating it if missing) and checks the store's directory. */
static int open_dir(const char *dir, uid_t owner, char *err, size_t errlen)
{
	bool created = false;
	struct stat st;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir(dir, 0700) && errno != EEXIST) {
			if (errno == ENOENT)
				snprintf(err, errlen,
					 "cannot create the key store directory %s: its parent directory does not exist",
					 dir);
			else
				snprintf(err, errlen,
					 "cannot create the key store directory %s: %m", dir);
			return -1;
		}
		created = true;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		int e = errno;

		if (!lstat(dir, &st) && S_ISLNK(st.st_mode))
			snprintf(err, errlen,
				 "the key store directory %s is a symbolic link; give the real directory",
				 dir);
		else if (e == ENOTDIR)
			snprintf(err, errlen, "the key store directory %s is not a directory", dir);
		else
			snprintf(err, errlen, "cannot open the key store directory %s: %s", dir,
				 strerror(e));
		return -1;
	}
	/* A directory we made is 0700 whatever the umask said. */
	if (created && fchmod(fd, 0700)) {
		snprintf(err, errlen, "cannot set the mode of %s: %m", dir);
		goto fail;
	}
	if (fstat(fd, &st)) {
		snprintf(err, errlen, "cannot look at the key store directory %s: %m", dir);
		goto fail;
	}
	if (st.st_uid != owner) {
		snprintf(err, errlen,
			 "the key store directory %s is owned by uid %u, not by uid %u that uses it",
			 dir, (unsigned int)st.st_uid, (unsigned int)owner);
		goto fail;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
			 "the key store directory %s has mode %04o: group or others may access it; it must be 0700",
			 dir, (unsigned int)(st.st_mode & 07777));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

struct ew_key_backend *ew_key_file_open(struct ew_keystore *ks,
					const char *dir, unsigned int flags,
					char *err, size_t errlen)
{
	struct ew_file_backend *fb;
	char dummy[1];

	/* Messages are made whether or not the caller wants them. */
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	fb = calloc(1, sizeof(*fb));
	if (!fb) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fb->be.ops = &file_ops;
	fb->be.ks = ks;
	fb->owner = geteuid();
	fb->dirfd = -1;
	pthread_mutex_init(&fb->lock, NULL);
	fb->dir = strdup(dir);
	if (!fb->dir) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	fb->dirfd = open_dir(dir, fb->owner, err, errlen);
	if (fb->dirfd < 0)
		goto fail;
	fb->secrets = ew_secrets_new(!(flags & EW_KS_NO_KEYRING));
	if (!fb->secrets) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	remove_stale_temps(fb);
	return &fb->be;
fail:
	file_close(&fb->be);
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the key store (keys/): ids, the store directory and the
 * checks on every key file, symmetric keys (the workload API's HMAC
 * known-answer test, AES-256-GCM against the published GCM test vectors and
 * both blob layouts), key pairs of every algorithm, import, delete, rename,
 * crash safety and concurrent use. Every store lives in a fresh directory
 * under /tmp; the symmetric-key tests run twice, with loaded keys in the
 * kernel keyring and in memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <keyutils.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <valgrind/valgrind.h>

#include "kselftest_harness.h"

#include "keys/backend.h"
#include "keys/keyring.h"
#include "keys/keystore.h"

/* The workload API's known answer: HMAC-SHA256(0x00..0x1f, KAT_DERIVATION). */
#define KAT_DERIVATION "edgeHub:637000000000000000:primary"
#define KAT_B64 "dejP5m18krKEqrGQofE65f6SDflHut8DrsKH0AzGRFM="

static void kat_master(uint8_t key[EW_SYM_KEY_LEN])
{
	int i;

	for (i = 0; i < EW_SYM_KEY_LEN; i++)
		key[i] = (uint8_t)i;
}

static void b64(const uint8_t *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;
	unsigned int b;

	for (; hex[0] && hex[1]; hex += 2) {
		sscanf(hex, "%2x", &b);
		out[n++] = (uint8_t)b;
	}
	return n;
}

/* HMAC-SHA256 by another door of OpenSSL than the one the store uses. */
static void ref_hmac(const uint8_t *key, size_t keylen, const void *data,
		     size_t len, uint8_t mac[EW_HMAC_LEN])
{
	unsigned int n = EW_HMAC_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, mac, &n);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	/* Made read-only or moved away by a test: take it back first. */
	chmod(path, 0700);
	remove(path);
	return 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	fchmod(fd, mode);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Entries of @dir whose name contains "tmp". */
static int count_temps(const char *dir)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strstr(de->d_name, "tmp"))
			n++;
	closedir(d);
	return n;
}

static bool kernel_keyring_usable(void)
{
	key_serial_t k = add_key("keyring", "ew-test-probe", NULL, 0,
				 KEY_SPEC_PROCESS_KEYRING);

	if (k < 0)
		return false;
	keyctl_unlink(k, KEY_SPEC_PROCESS_KEYRING);
	return true;
}

/* Signs and verifies a message with @pkey: 0 if both work. */
static int sign_verify(EVP_PKEY *pkey)
{
	static const char msg[] = "edgeward sign me";
	uint8_t sig[1024];
	size_t siglen = sizeof(sig);
	EVP_MD_CTX *md;
	int ok;

	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, pkey, NULL) == 1 &&
	     EVP_DigestSign(md, sig, &siglen, (const uint8_t *)msg, sizeof(msg)) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return -1;
	md = EVP_MD_CTX_new();
	ok = md && EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, pkey, NULL) == 1 &&
	     EVP_DigestVerify(md, sig, siglen, (const uint8_t *)msg, sizeof(msg)) == 1;
	/* A changed message must not verify. */
	if (ok) {
		EVP_MD_CTX_free(md);
		md = EVP_MD_CTX_new();
		ok = md && EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, pkey,
						   NULL) == 1 &&
		     EVP_DigestVerify(md, sig, siglen, (const uint8_t *)msg, sizeof(msg) - 1) != 1;
	}
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

enum pem_form { PEM_PKCS8, PEM_TRADITIONAL, PEM_PUBLIC, PEM_ENCRYPTED };

/* @pkey as PEM text (malloc'd, NUL-terminated). */
static char *pem_of(EVP_PKEY *pkey, enum pem_form form, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;
	int ok = 0;

	if (!bio)
		return NULL;
	switch (form) {
	case PEM_PKCS8:
		ok = PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
		break;
	case PEM_TRADITIONAL:
		ok = PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL);
		break;
	case PEM_PUBLIC:
		ok = PEM_write_bio_PUBKEY(bio, pkey);
		break;
	case PEM_ENCRYPTED:
		ok = PEM_write_bio_PKCS8PrivateKey(bio, pkey, EVP_aes_256_cbc(), "secret", 6,
						   NULL, NULL);
		break;
	}
	n = BIO_get_mem_data(bio, &data);
	if (ok && n > 0) {
		out = malloc((size_t)n + 1);
		if (out) {
			memcpy(out, data, (size_t)n);
			out[n] = '\0';
			*len = (size_t)n;
		}
	}
	BIO_free(bio);
	return out;
}

/* A P-256 private key whose public half is another key's, as PKCS#8 PEM. */
static char *mismatched_ec_pem(size_t *len)
{
	EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *mixed = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t pub[128];
	size_t publen = 0;
	BIGNUM *priv = NULL;
	char *pem = NULL;

	if (!a || !b || !bld ||
	    !EVP_PKEY_get_bn_param(a, OSSL_PKEY_PARAM_PRIV_KEY, &priv) ||
	    !EVP_PKEY_get_octet_string_param(b, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof(pub),
					     &publen) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, publen))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &mixed, EVP_PKEY_KEYPAIR, params) != 1)
		goto out;
	pem = pem_of(mixed, PEM_PKCS8, len);
out:
	EVP_PKEY_free(mixed);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	EVP_PKEY_free(b);
	EVP_PKEY_free(a);
	return pem;
}

/* --- ids and opening --------------------------------------------------- */

TEST(id_valid)
{
	static const char *const good[] = {
		"a", "Z", "0", "edgeHub", "module-1", "a.b", "a_b", "a-", "x..y",
		"aziot_identityd.master", "ca.key.renew-2",
		"0123456789012345678901234567890123456789012345678901234567890123",
	};
	static const char *const bad[] = {
		"", ".", "..", ".hidden", "a/b", "/abs", "../up", "a b", " a", "a ",
		"a\tb", "a\nb", "ä", "a:b", "a*", "a%2f", "a\\b",
		"01234567890123456789012345678901234567890123456789012345678901234",
	};
	size_t i;

	ASSERT_EQ(64u, strlen(good[sizeof(good) / sizeof(good[0]) - 1]));
	ASSERT_EQ(65u, strlen(bad[sizeof(bad) / sizeof(bad[0]) - 1]));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_TRUE(ew_key_id_valid(good[i])) TH_LOG("good %zu", i);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_FALSE(ew_key_id_valid(bad[i])) TH_LOG("bad %zu", i);
	EXPECT_FALSE(ew_key_id_valid(NULL));
}

FIXTURE(tmpdir)
{
	char tmp[32];
	char dir[64];
	char err[512];
};

FIXTURE_SETUP(tmpdir)
{
	snprintf(self->tmp, sizeof(self->tmp), "/tmp/ew-keys-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->tmp));
	snprintf(self->dir, sizeof(self->dir), "%s/store", self->tmp);
}

FIXTURE_TEARDOWN(tmpdir)
{
	rm_rf(self->tmp);
}

TEST_F(tmpdir, open_creates_0700)
{
	struct ew_keystore *ks;
	struct stat st;
	mode_t old = umask(0);

	ks = ew_keystore_open_file(self->dir, self->err, sizeof(self->err));
	umask(old);
	ASSERT_NE(NULL, ks) TH_LOG("%s", self->err);
	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0700u, st.st_mode & 07777);
	EXPECT_STREQ("", ew_keystore_error(ks));
	ew_keystore_close(ks);

	/* A umask that takes the owner's bits does not make it unusable. */
	rmdir(self->dir);
	old = umask(0777);
	ks = ew_keystore_open_file(self->dir, self->err, sizeof(self->err));
	umask(old);
	ASSERT_NE(NULL, ks) TH_LOG("%s", self->err);
	ASSERT_EQ(0, stat(self->dir, &st));
	EXPECT_EQ(0700u, st.st_mode & 07777);
	EXPECT_EQ(0, ew_key_sym_create(ks, "k", NULL)) TH_LOG("%s", ew_keystore_error(ks));
	ew_keystore_close(ks);
}

TEST_F(tmpdir, open_refusals)
{
	static const mode_t modes[] = { 0755, 0750, 0710, 0701, 0770, 0707, 0777 };
	char path[1024];
	size_t i;

	/* Nothing given. */
	EXPECT_EQ(NULL, ew_keystore_open_file(NULL, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "no key store directory"));
	EXPECT_EQ(NULL, ew_keystore_open_file("", self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "no key store directory"));

	/* The parent must exist: only the last level is created. */
	snprintf(path, sizeof(path), "%s/missing/store", self->tmp);
	EXPECT_EQ(NULL, ew_keystore_open_file(path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "parent directory does not exist"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(-1, access(path, F_OK));

	/* Group or other access of any kind. */
	ASSERT_EQ(0, mkdir(self->dir, 0700));
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, chmod(self->dir, modes[i]));
		self->err[0] = '\0';
		EXPECT_EQ(NULL, ew_keystore_open_file(self->dir, self->err, sizeof(self->err)))
			TH_LOG("mode %o", modes[i]);
		EXPECT_NE(NULL, strstr(self->err, "group or others")) TH_LOG("%s", self->err);
		EXPECT_NE(NULL, strstr(self->err, "0700"));
	}
	/* The refusal needs no error buffer. */
	EXPECT_EQ(NULL, ew_keystore_open_file(self->dir, NULL, 0));
	ASSERT_EQ(0, chmod(self->dir, 0700));

	/* Not a directory. */
	snprintf(path, sizeof(path), "%s/file", self->tmp);
	ASSERT_EQ(0, write_file(path, "x", 1, 0600));
	EXPECT_EQ(NULL, ew_keystore_open_file(path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "not a directory")) TH_LOG("%s", self->err);

	/* A symbolic link, even to a good directory. */
	snprintf(path, sizeof(path), "%s/link", self->tmp);
	ASSERT_EQ(0, symlink(self->dir, path));
	EXPECT_EQ(NULL, ew_keystore_open_file(path, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "symbolic link")) TH_LOG("%s", self->err);
}

TEST_F(tmpdir, open_refuses_other_owner)
{
	if (geteuid() != 0)
		SKIP(return, "changing a directory's owner needs root");
	ASSERT_EQ(0, mkdir(self->dir, 0700));
	ASSERT_EQ(0, chown(self->dir, 4242, 4242));
	EXPECT_EQ(NULL, ew_keystore_open_file(self->dir, self->err, sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "owned by uid 4242")) TH_LOG("%s", self->err);
}

/* --- the holders of loaded secrets ------------------------------------- */

static void secrets_exercise(struct __test_metadata *_metadata,
			     struct ew_secrets *s)
{
	uint8_t a[EW_SYM_KEY_LEN], b[EW_SYM_KEY_LEN], out[EW_SYM_KEY_LEN];

	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	EXPECT_EQ(-ENOENT, ew_secrets_get(s, "a", out));
	ASSERT_EQ(0, ew_secrets_put(s, "a", a));
	ASSERT_EQ(0, ew_secrets_get(s, "a", out));
	EXPECT_EQ(0, memcmp(a, out, sizeof(a)));
	/* Replacing. */
	ASSERT_EQ(0, ew_secrets_put(s, "a", b));
	ASSERT_EQ(0, ew_secrets_get(s, "a", out));
	EXPECT_EQ(0, memcmp(b, out, sizeof(b)));
	/* Moving over another and from nothing. */
	ASSERT_EQ(0, ew_secrets_put(s, "c", a));
	ew_secrets_move(s, "a", "c");
	EXPECT_EQ(-ENOENT, ew_secrets_get(s, "a", out));
	ASSERT_EQ(0, ew_secrets_get(s, "c", out));
	EXPECT_EQ(0, memcmp(b, out, sizeof(b)));
	ew_secrets_move(s, "absent", "c");
	EXPECT_EQ(-ENOENT, ew_secrets_get(s, "c", out));
	/* Dropping. */
	ASSERT_EQ(0, ew_secrets_put(s, "d", a));
	ew_secrets_drop(s, "d");
	ew_secrets_drop(s, "never");
	EXPECT_EQ(-ENOENT, ew_secrets_get(s, "d", out));
	/* Many, then freed with some still held (valgrind checks the rest). */
	for (int i = 0; i < 40; i++) {
		char id[16];

		snprintf(id, sizeof(id), "k%d", i);
		a[0] = (uint8_t)i;
		ASSERT_EQ(0, ew_secrets_put(s, id, a));
	}
	ASSERT_EQ(0, ew_secrets_get(s, "k37", out));
	EXPECT_EQ(37, out[0]);
}

TEST(secrets_memory)
{
	struct ew_secrets *s = ew_secrets_new(false);

	ASSERT_NE(NULL, s);
	EXPECT_STREQ("memory", ew_secrets_holder(s));
	secrets_exercise(_metadata, s);
	ew_secrets_free(s);
}

TEST(secrets_kernel)
{
	uint8_t key[EW_SYM_KEY_LEN], out[EW_SYM_KEY_LEN];
	struct ew_secrets *s;
	key_serial_t k;

	if (!kernel_keyring_usable())
		SKIP(return, "no kernel keyring here (keyctl refused)");
	s = ew_secrets_new(true);
	ASSERT_NE(NULL, s);
	ASSERT_STREQ("kernel keyring", ew_secrets_holder(s));
	secrets_exercise(_metadata, s);
	/* Held by the kernel: a "user" key reachable from our process keyring. */
	memset(key, 0x5c, sizeof(key));
	ASSERT_EQ(0, ew_secrets_put(s, "probe", key));
	k = keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "probe", 0);
	ASSERT_LT(0, k);
	ASSERT_EQ(EW_SYM_KEY_LEN, keyctl_read(k, (char *)out, sizeof(out)));
	EXPECT_EQ(0, memcmp(key, out, sizeof(key)));
	/* Read by its remembered serial; a key destroyed behind the holder's
	 * back is searched for again, not read from a stale serial. */
	ASSERT_EQ(0, ew_secrets_get(s, "probe", out));
	ASSERT_EQ(0, keyctl_invalidate(k));
	EXPECT_EQ(-ENOENT, ew_secrets_get(s, "probe", out));
	ASSERT_EQ(0, ew_secrets_put(s, "probe", key));
	ASSERT_EQ(0, ew_secrets_get(s, "probe", out));
	EXPECT_EQ(0, memcmp(key, out, sizeof(key)));
	ew_secrets_free(s);
	/* Gone with the holder. */
	EXPECT_EQ(-1, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "probe", 0));
}

/* --- symmetric keys, in both holders ----------------------------------- */

FIXTURE(ks)
{
	char tmp[32];
	char dir[64];
	char err[512];
	struct ew_keystore *ks;
};

FIXTURE_VARIANT(ks)
{
	unsigned int flags;
};

FIXTURE_VARIANT_ADD(ks, keyring)
{
	.flags = 0,
};

FIXTURE_VARIANT_ADD(ks, memory)
{
	.flags = EW_KS_NO_KEYRING,
};

FIXTURE_SETUP(ks)
{
	snprintf(self->tmp, sizeof(self->tmp), "/tmp/ew-keys-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->tmp));
	snprintf(self->dir, sizeof(self->dir), "%s/store", self->tmp);
	self->ks = ew_keystore_open_file_flags(self->dir, variant->flags, self->err,
					       sizeof(self->err));
	ASSERT_NE(NULL, self->ks) TH_LOG("%s", self->err);
}

FIXTURE_TEARDOWN(ks)
{
	ew_keystore_close(self->ks);
	rm_rf(self->tmp);
}

/* Closes and opens the fixture's store again: nothing loaded any more. */
static int reopen(FIXTURE_DATA(ks) *self, const FIXTURE_VARIANT(ks) *variant)
{
	ew_keystore_close(self->ks);
	self->ks = ew_keystore_open_file_flags(self->dir, variant->flags, self->err,
					       sizeof(self->err));
	return self->ks ? 0 : -1;
}

static void path_of(FIXTURE_DATA(ks) *self, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", self->dir, name);
}

TEST_F(ks, secret_holder)
{
	const char *expect = "memory";

	if (!(variant->flags & EW_KS_NO_KEYRING) && kernel_keyring_usable())
		expect = "kernel keyring";
	EXPECT_STREQ(expect, ew_keystore_secret_holder(self->ks));
	EXPECT_STREQ("none", ew_keystore_secret_holder(NULL));
}

TEST_F(ks, keyring_holds_loaded_keys)
{
	uint8_t value[EW_SYM_KEY_LEN], out[EW_SYM_KEY_LEN], mac[EW_HMAC_LEN];
	bool kernel = !strcmp(ew_keystore_secret_holder(self->ks), "kernel keyring");
	key_serial_t k;

	memset(value, 0x42, sizeof(value));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k1", value));
	k = keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k1", 0);
	if (!kernel) {
		/* Memory means memory: nothing went to the kernel. */
		EXPECT_EQ(-1, k);
		return;
	}
	ASSERT_LT(0, k);
	ASSERT_EQ(EW_SYM_KEY_LEN, keyctl_read(k, (char *)out, sizeof(out)));
	EXPECT_EQ(0, memcmp(value, out, sizeof(out)));
	/* Renamed with its key, deleted with its key. */
	ASSERT_EQ(0, ew_key_rename(self->ks, "k1", "k2"));
	EXPECT_EQ(-1, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k1", 0));
	EXPECT_LT(0, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k2", 0));
	ASSERT_EQ(0, ew_key_delete(self->ks, "k2"));
	EXPECT_EQ(-1, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k2", 0));
	/* Loaded on first use after an open; forgotten at close. */
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k3", value));
	ASSERT_EQ(0, reopen(self, variant));
	EXPECT_EQ(-1, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k3", 0));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k3", "x", 1, mac));
	EXPECT_LT(0, keyctl_search(KEY_SPEC_PROCESS_KEYRING, "user", "k3", 0));
}

TEST_F(ks, sym_create_random)
{
	uint8_t a[EW_SYM_KEY_LEN], b[EW_SYM_KEY_LEN], zero[EW_SYM_KEY_LEN] = { 0 };
	char path[1024];
	struct stat st;
	int fd;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "a", NULL))
		TH_LOG("%s", ew_keystore_error(self->ks));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "b", NULL));
	EXPECT_EQ(1, ew_key_exists(self->ks, "a"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "c"));

	path_of(self, "a.key", path, sizeof(path));
	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0600u, st.st_mode & 07777);
	EXPECT_EQ(geteuid(), st.st_uid);
	EXPECT_EQ(EW_SYM_KEY_LEN, st.st_size);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(EW_SYM_KEY_LEN, read(fd, a, sizeof(a)));
	close(fd);
	path_of(self, "b.key", path, sizeof(path));
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(EW_SYM_KEY_LEN, read(fd, b, sizeof(b)));
	close(fd);
	EXPECT_NE(0, memcmp(a, b, sizeof(a)));
	EXPECT_NE(0, memcmp(a, zero, sizeof(a)));

	/* Either kind of file under that id is in the way. */
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "a", NULL));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "already exists"));
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "a", zero));
	EXPECT_EQ(-EEXIST, ew_key_pair_create(self->ks, "a", EW_KEY_EC_P256));
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p", EW_KEY_EC_P256));
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "p", NULL));
	EXPECT_EQ(0, access(path, F_OK));
	/* The refused create changed nothing. */
	path_of(self, "a.key", path, sizeof(path));
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(EW_SYM_KEY_LEN, read(fd, b, sizeof(b)));
	close(fd);
	EXPECT_EQ(0, memcmp(a, b, sizeof(a)));
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_F(ks, hmac_known_answer)
{
	uint8_t master[EW_SYM_KEY_LEN], mac[EW_HMAC_LEN], ref[EW_HMAC_LEN];
	char text[64];

	kat_master(master);
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "master", master));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "master", KAT_DERIVATION,
				 strlen(KAT_DERIVATION), mac))
		TH_LOG("%s", ew_keystore_error(self->ks));
	b64(mac, sizeof(mac), text);
	EXPECT_STREQ(KAT_B64, text);

	/* The same from the file, once nothing is loaded. */
	ASSERT_EQ(0, reopen(self, variant));
	memset(mac, 0, sizeof(mac));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "master", KAT_DERIVATION,
				 strlen(KAT_DERIVATION), mac));
	b64(mac, sizeof(mac), text);
	EXPECT_STREQ(KAT_B64, text);

	/* Empty data: NULL is fine for none. */
	ASSERT_EQ(0, ew_key_hmac(self->ks, "master", NULL, 0, mac));
	ref_hmac(master, sizeof(master), "", 0, ref);
	EXPECT_EQ(0, memcmp(ref, mac, sizeof(mac)));
}

TEST_F(ks, hmac_derived_known_answer)
{
	static const char data[] = "workload-signing-request:2024-01-01T00:00:00Z";
	uint8_t master[EW_SYM_KEY_LEN], derived[EW_HMAC_LEN], mac[EW_HMAC_LEN];
	uint8_t ref[EW_HMAC_LEN];
	char text[64];

	kat_master(master);
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "master", master));
	/* K = HMAC(master, derivation) is the known answer... */
	ref_hmac(master, sizeof(master), KAT_DERIVATION, strlen(KAT_DERIVATION), derived);
	b64(derived, sizeof(derived), text);
	ASSERT_STREQ(KAT_B64, text);
	/* ...and the result is HMAC(K, data). */
	ref_hmac(derived, sizeof(derived), data, strlen(data), ref);
	ASSERT_EQ(0, ew_key_hmac_derived(self->ks, "master", KAT_DERIVATION,
					 strlen(KAT_DERIVATION), data, strlen(data), mac))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(0, memcmp(ref, mac, sizeof(mac)));
	/* Not the plain HMAC of the data. */
	ref_hmac(master, sizeof(master), data, strlen(data), derived);
	EXPECT_NE(0, memcmp(derived, mac, sizeof(mac)));

	/* Empty data and empty derivation are values like any. */
	ref_hmac(master, sizeof(master), "", 0, derived);
	ref_hmac(derived, sizeof(derived), "", 0, ref);
	ASSERT_EQ(0, ew_key_hmac_derived(self->ks, "master", NULL, 0, NULL, 0, mac));
	EXPECT_EQ(0, memcmp(ref, mac, sizeof(mac)));

	/* Errors. */
	EXPECT_EQ(-ENOENT, ew_key_hmac_derived(self->ks, "absent", "d", 1, "x", 1, mac));
	EXPECT_EQ(-EINVAL, ew_key_hmac_derived(self->ks, "master", NULL, 3, "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "derivation"));
	EXPECT_EQ(-EINVAL, ew_key_hmac_derived(self->ks, "master", "d", 1, NULL, 3, mac));
	EXPECT_EQ(-EINVAL, ew_key_hmac_derived(self->ks, "master", "d", 1, "x", 1, NULL));
	EXPECT_EQ(-EINVAL, ew_key_hmac_derived(self->ks, "../master", "d", 1, "x", 1, mac));
	EXPECT_EQ(-EINVAL, ew_key_hmac_derived(NULL, "master", "d", 1, "x", 1, mac));
}

TEST_F(ks, hmac_errors)
{
	uint8_t mac[EW_HMAC_LEN];

	EXPECT_EQ(-ENOENT, ew_key_hmac(self->ks, "absent", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "no symmetric key 'absent'"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "k", "x", 1, NULL));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "k", NULL, 1, mac));
	EXPECT_EQ(-EINVAL, ew_key_hmac(NULL, "k", "x", 1, mac));
	/* A key pair is no HMAC key. */
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "pair", EW_KEY_EC_P256));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "pair", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "is a key pair, not a symmetric key"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(-EINVAL, ew_key_sym_ensure(self->ks, "pair"));
}

TEST_F(ks, bad_ids)
{
	static const char *const bad[] = {
		"", "..", ".", ".k", "a/b", "/etc/passwd", "../k", "k ", " k", "a b",
		"01234567890123456789012345678901234567890123456789012345678901234",
	};
	uint8_t mac[EW_HMAC_LEN], iv[12] = { 0 }, *out = (uint8_t *)1;
	size_t i, outlen = 7;
	char pem[] = "-----BEGIN PRIVATE KEY-----\n";

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *id = bad[i];

		EXPECT_EQ(-EINVAL, ew_key_sym_create(self->ks, id, NULL)) TH_LOG("'%s'", id);
		EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "invalid key id"));
		EXPECT_EQ(-EINVAL, ew_key_sym_ensure(self->ks, id));
		EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, id, "x", 1, mac));
		EXPECT_EQ(-EINVAL, ew_key_hmac_derived(self->ks, id, "d", 1, "x", 1, mac));
		EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, id, iv, sizeof(iv), NULL, 0, "x", 1,
						  &out, &outlen));
		EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, id, iv, sizeof(iv), NULL, 0,
						  (const uint8_t *)"\x02", 1, &out, &outlen));
		EXPECT_EQ(-EINVAL, ew_key_pair_create(self->ks, id, EW_KEY_EC_P256));
		EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, id, pem, sizeof(pem)));
		EXPECT_EQ(NULL, ew_key_pair_get(self->ks, id));
		EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, id));
		EXPECT_EQ(-EINVAL, ew_key_delete(self->ks, id));
		EXPECT_EQ(-EINVAL, ew_key_rename(self->ks, id, "good"));
		EXPECT_EQ(-EINVAL, ew_key_rename(self->ks, "good", id));
	}
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, NULL));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "invalid key id: none given"));
	/* The message names the offending byte, never echoes the id. */
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, "abc/secret"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "byte 0x2f at offset 3"));
	EXPECT_EQ(NULL, strstr(ew_keystore_error(self->ks), "secret"));
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, ".hidden"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "starts with '.'"));
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, ""));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "empty"));
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, bad[sizeof(bad) / sizeof(bad[0]) - 1]));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "longer than 64"));
	/* Nothing came into being. */
	EXPECT_EQ(0, count_temps(self->dir));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "good", NULL));
	EXPECT_EQ(1, ew_key_exists(self->ks, "good"));
}

TEST_F(ks, persistence)
{
	static const uint8_t iv[12] = { 1, 2, 3 };
	uint8_t mac1[EW_HMAC_LEN], mac2[EW_HMAC_LEN], *blob, *pt;
	size_t bloblen, ptlen;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k", "data", 4, mac1));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), "aad", 3, "secret", 6,
				    &blob, &bloblen));
	ASSERT_EQ(0, reopen(self, variant)) TH_LOG("%s", self->err);
	ASSERT_EQ(1, ew_key_exists(self->ks, "k"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k", "data", 4, mac2));
	EXPECT_EQ(0, memcmp(mac1, mac2, sizeof(mac1)));
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), "aad", 3, blob, bloblen,
				    &pt, &ptlen)) TH_LOG("%s", ew_keystore_error(self->ks));
	ASSERT_EQ(6u, ptlen);
	EXPECT_EQ(0, memcmp("secret", pt, 6));
	free(pt);
	free(blob);
}

TEST_F(ks, ensure)
{
	uint8_t mac1[EW_HMAC_LEN], mac2[EW_HMAC_LEN];
	char path[1024];

	EXPECT_EQ(0, ew_key_exists(self->ks, "e"));
	ASSERT_EQ(0, ew_key_sym_ensure(self->ks, "e")) TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(1, ew_key_exists(self->ks, "e"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "e", "x", 1, mac1));
	/* Once there, it stays what it is. */
	ASSERT_EQ(0, ew_key_sym_ensure(self->ks, "e"));
	ASSERT_EQ(0, reopen(self, variant));
	ASSERT_EQ(0, ew_key_sym_ensure(self->ks, "e"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "e", "x", 1, mac2));
	EXPECT_EQ(0, memcmp(mac1, mac2, sizeof(mac1)));
	/* A file it must not use is reported, not replaced. */
	ASSERT_EQ(0, reopen(self, variant));
	path_of(self, "e.key", path, sizeof(path));
	ASSERT_EQ(0, chmod(path, 0640));
	EXPECT_EQ(-EPERM, ew_key_sym_ensure(self->ks, "e"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "mode 0640"));
	EXPECT_EQ(-EINVAL, ew_key_sym_ensure(NULL, "e"));
}

TEST_F(ks, file_mode_refused)
{
	uint8_t mac[EW_HMAC_LEN], iv[12] = { 0 }, *out;
	char path[1024];
	size_t outlen;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, reopen(self, variant));
	path_of(self, "k.key", path, sizeof(path));
	ASSERT_EQ(0, chmod(path, 0644));
	EXPECT_EQ(-EPERM, ew_key_hmac(self->ks, "k", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "mode 0644"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "k.key"));
	EXPECT_EQ(-EPERM, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, "x", 1, &out,
					 &outlen));
	EXPECT_EQ(NULL, out);
	EXPECT_EQ(-EPERM, ew_key_exists(self->ks, "k"));
	EXPECT_EQ(-EPERM, ew_key_rename(self->ks, "k", "k2"));
	EXPECT_EQ(0, access(path, F_OK));
	/* Even group-writable only. */
	ASSERT_EQ(0, chmod(path, 0620));
	EXPECT_EQ(-EPERM, ew_key_hmac(self->ks, "k", "x", 1, mac));
	ASSERT_EQ(0, chmod(path, 0604));
	EXPECT_EQ(-EPERM, ew_key_hmac(self->ks, "k", "x", 1, mac));
	/* Deleting is how to be rid of it. */
	EXPECT_EQ(0, ew_key_delete(self->ks, "k"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "k"));
	/* 0400 is fine: the owner only. */
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "r", NULL));
	ASSERT_EQ(0, reopen(self, variant));
	path_of(self, "r.key", path, sizeof(path));
	ASSERT_EQ(0, chmod(path, 0400));
	EXPECT_EQ(0, ew_key_hmac(self->ks, "r", "x", 1, mac))
		TH_LOG("%s", ew_keystore_error(self->ks));
}

TEST_F(ks, symlink_refused)
{
	uint8_t value[EW_SYM_KEY_LEN], mac[EW_HMAC_LEN];
	char target[1024], link[1024];

	memset(value, 7, sizeof(value));
	snprintf(target, sizeof(target), "%s/elsewhere.key", self->tmp);
	ASSERT_EQ(0, write_file(target, value, sizeof(value), 0600));
	path_of(self, "ln.key", link, sizeof(link));
	ASSERT_EQ(0, symlink(target, link));

	EXPECT_EQ(-ELOOP, ew_key_hmac(self->ks, "ln", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "symbolic link"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(-ELOOP, ew_key_exists(self->ks, "ln"));
	EXPECT_EQ(-ELOOP, ew_key_sym_ensure(self->ks, "ln"));
	EXPECT_EQ(-ELOOP, ew_key_rename(self->ks, "ln", "other"));
	/* Something is there: no create over it. */
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "ln", NULL));
	/* A dangling link too. */
	path_of(self, "dangling.key", link, sizeof(link));
	ASSERT_EQ(0, symlink("/nonexistent/key", link));
	EXPECT_EQ(-ELOOP, ew_key_hmac(self->ks, "dangling", "x", 1, mac));
	/* Delete removes the link, not what it points to. */
	EXPECT_EQ(0, ew_key_delete(self->ks, "ln"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "ln"));
	EXPECT_EQ(0, access(target, F_OK));
}

TEST_F(ks, bad_files_refused)
{
	uint8_t buf[64] = { 0 }, mac[EW_HMAC_LEN];
	char path[1024];

	path_of(self, "short.key", path, sizeof(path));
	ASSERT_EQ(0, write_file(path, buf, 31, 0600));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "short", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "31 bytes"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	path_of(self, "long.key", path, sizeof(path));
	ASSERT_EQ(0, write_file(path, buf, 33, 0600));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "long", "x", 1, mac));
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, "long"));
	path_of(self, "empty.key", path, sizeof(path));
	ASSERT_EQ(0, write_file(path, buf, 0, 0600));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "empty", "x", 1, mac));

	/* A FIFO is refused without blocking on it, a directory too. */
	path_of(self, "fifo.key", path, sizeof(path));
	ASSERT_EQ(0, mkfifo(path, 0600));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "fifo", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "not a regular file"));
	path_of(self, "dir.key", path, sizeof(path));
	ASSERT_EQ(0, mkdir(path, 0700));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "dir", "x", 1, mac));
	EXPECT_EQ(-EINVAL, ew_key_exists(self->ks, "dir"));
}

TEST_F(ks, other_owner_refused)
{
	uint8_t mac[EW_HMAC_LEN];
	char path[1024];

	if (geteuid() != 0)
		SKIP(return, "changing a file's owner needs root");
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, reopen(self, variant));
	path_of(self, "k.key", path, sizeof(path));
	ASSERT_EQ(0, chown(path, 4242, 4242));
	EXPECT_EQ(-EPERM, ew_key_hmac(self->ks, "k", "x", 1, mac));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "owned by uid 4242"))
		TH_LOG("%s", ew_keystore_error(self->ks));
}

/* McGrew and Viega, "The Galois/Counter Mode of Operation", test cases 16-18. */
#define GCM_KEY "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
#define GCM_PT "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
	       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define GCM_AAD "feedfacedeadbeeffeedfacedeadbeefabaddad2"

static const struct {
	const char *iv, *ct, *tag;
} gcm_vectors[] = {
	{ "cafebabefacedbaddecaf888",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
	{ "cafebabefacedbad",
	  "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0"
	  "feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
	  "3a337dbf46a792c45e454913fe2ea8f2" },
	{ "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"
	  "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b",
	  "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4"
	  "0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
	  "a44a8266ee1c8eb0c8b5d4cf5ae9f19a" },
};

TEST_F(ks, gcm_test_vectors)
{
	uint8_t key[32], pt[64], aad[32], iv[64], ct[64], tag[16], *blob, *back;
	size_t ptlen, aadlen, ivlen, bloblen, backlen, i;

	ASSERT_EQ(32u, unhex(GCM_KEY, key));
	ptlen = unhex(GCM_PT, pt);
	aadlen = unhex(GCM_AAD, aad);
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "gcm", key));
	for (i = 0; i < sizeof(gcm_vectors) / sizeof(gcm_vectors[0]); i++) {
		ivlen = unhex(gcm_vectors[i].iv, iv);
		ASSERT_EQ(ptlen, unhex(gcm_vectors[i].ct, ct));
		ASSERT_EQ(16u, unhex(gcm_vectors[i].tag, tag));
		ASSERT_EQ(0, ew_key_encrypt(self->ks, "gcm", iv, ivlen, aad, aadlen, pt, ptlen,
					    &blob, &bloblen))
			TH_LOG("%s", ew_keystore_error(self->ks));
		/* The v2 layout: version, ciphertext, tag. */
		ASSERT_EQ(1 + ptlen + 16, bloblen);
		EXPECT_EQ(EW_GCM_BLOB_V2, blob[0]);
		EXPECT_EQ(0, memcmp(ct, blob + 1, ptlen))
			TH_LOG("vector %zu (IV %zu bytes)", i, ivlen);
		EXPECT_EQ(0, memcmp(tag, blob + 1 + ptlen, 16)) TH_LOG("vector %zu", i);
		ASSERT_EQ(0, ew_key_decrypt(self->ks, "gcm", iv, ivlen, aad, aadlen, blob, bloblen,
					    &back, &backlen));
		ASSERT_EQ(ptlen, backlen);
		EXPECT_EQ(0, memcmp(pt, back, ptlen));
		free(back);
		free(blob);
	}
}

TEST_F(ks, gcm_round_trip)
{
	static const size_t lens[] = { 0, 1, 15, 16, 17, 1000, 70000 };
	uint8_t iv[12], *pt, *blob, *back;
	size_t i, j, bloblen, backlen;

	memset(iv, 0x11, sizeof(iv));
	pt = malloc(70000);
	ASSERT_NE(NULL, pt);
	for (j = 0; j < 70000; j++)
		pt[j] = (uint8_t)(j * 7);
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		/* With and without AAD. */
		for (j = 0; j < 2; j++) {
			const char *aad = j ? "header" : NULL;
			size_t aadlen = j ? 6 : 0;

			ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), aad, aadlen,
						    lens[i] ? pt : NULL, lens[i], &blob, &bloblen));
			ASSERT_EQ(1 + lens[i] + 16, bloblen);
			EXPECT_EQ(EW_GCM_BLOB_V2, blob[0]);
			if (lens[i] >= 16)
				EXPECT_NE(0, memcmp(pt, blob + 1, 16));
			backlen = 99;
			ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), aad, aadlen,
						    blob, bloblen, &back, &backlen))
				TH_LOG("%zu bytes: %s", lens[i], ew_keystore_error(self->ks));
			ASSERT_EQ(lens[i], backlen);
			ASSERT_NE(NULL, back);
			EXPECT_EQ(0, memcmp(pt, back, lens[i]));
			free(back);
			free(blob);
		}
	}
	free(pt);
}

TEST_F(ks, gcm_aad_and_iv_separation)
{
	uint8_t iv[64], *blob, *back = (uint8_t *)1;
	size_t bloblen, backlen = 5, i;

	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (uint8_t)i;
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "other", NULL));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, 12, "aad-1", 5, "plain", 5, &blob,
				    &bloblen));
	/* Another AAD, no AAD, another IV, another key: all the tag's. */
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, 12, "aad-2", 5, blob, bloblen,
					   &back, &backlen));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "authentication tag mismatch"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(NULL, back);
	EXPECT_EQ(0u, backlen);
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, 12, NULL, 0, blob, bloblen,
					   &back, &backlen));
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv + 1, 12, "aad-1", 5, blob,
					   bloblen, &back, &backlen));
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, 11, "aad-1", 5, blob,
					   bloblen, &back, &backlen));
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "other", iv, 12, "aad-1", 5, blob,
					   bloblen, &back, &backlen));
	/* A flipped bit anywhere. */
	for (i = 1; i < bloblen; i++) {
		blob[i] ^= 0x01;
		EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, 12, "aad-1", 5, blob,
						   bloblen, &back, &backlen)) TH_LOG("byte %zu", i);
		blob[i] ^= 0x01;
	}
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, 12, "aad-1", 5, blob, bloblen, &back,
				    &backlen));
	EXPECT_EQ(5u, backlen);
	free(back);
	free(blob);

	/* IVs of 1 and 64 bytes work; 0, 65 and none do not. */
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, 1, NULL, 0, "p", 1, &blob, &bloblen));
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, 1, NULL, 0, blob, bloblen, &back,
				    &backlen));
	free(back);
	free(blob);
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, 64, NULL, 0, "p", 1, &blob, &bloblen));
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, 64, NULL, 0, blob, bloblen, &back,
				    &backlen));
	free(back);
	/* The 64-byte IV is used whole: its last byte matters. */
	iv[63] ^= 1;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, 64, NULL, 0, blob, bloblen, &back,
					   &backlen));
	iv[63] ^= 1;
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, 0, NULL, 0, blob, bloblen, &back,
					  &backlen));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "IV is 0 bytes"));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, 65, NULL, 0, blob, bloblen, &back,
					  &backlen));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", NULL, 12, NULL, 0, blob, bloblen, &back,
					  &backlen));
	free(blob);
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, 0, NULL, 0, "p", 1, &blob, &bloblen));
	EXPECT_EQ(NULL, blob);
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, 65, NULL, 0, "p", 1, &blob,
					  &bloblen));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "IV is 65 bytes"));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", NULL, 12, NULL, 0, "p", 1, &blob,
					  &bloblen));
}

TEST_F(ks, gcm_v1_layout)
{
	uint8_t iv[12] = { 9 }, *v2, *v1, *back;
	size_t len, ctlen, backlen;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), "a", 1, "legacy text", 11,
				    &v2, &len));
	/* v1 is 0x01 || tag || ct: the same parts, the tag first. */
	ctlen = len - 17;
	v1 = malloc(len);
	ASSERT_NE(NULL, v1);
	v1[0] = EW_GCM_BLOB_V1;
	memcpy(v1 + 1, v2 + 1 + ctlen, 16);
	memcpy(v1 + 17, v2 + 1, ctlen);
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), "a", 1, v1, len, &back,
				    &backlen)) TH_LOG("%s", ew_keystore_error(self->ks));
	ASSERT_EQ(11u, backlen);
	EXPECT_EQ(0, memcmp("legacy text", back, 11));
	free(back);
	/* Each layout read as the other fails the tag. */
	v1[0] = EW_GCM_BLOB_V2;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), "a", 1, v1, len,
					   &back, &backlen));
	v2[0] = EW_GCM_BLOB_V1;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), "a", 1, v2, len,
					   &back, &backlen));
	/* A damaged v1 tag. */
	v1[0] = EW_GCM_BLOB_V1;
	v1[1] ^= 0x80;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), "a", 1, v1, len,
					   &back, &backlen));
	free(v1);
	free(v2);
}

TEST_F(ks, gcm_malformed_blobs)
{
	uint8_t iv[12] = { 0 }, *blob, *back = (uint8_t *)1, junk[17];
	size_t len, cut, backlen = 3;
	int v;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, "0123456789", 10,
				    &blob, &len));
	/* Too short to hold the version and tag: -EINVAL, whatever the version. */
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob, 0,
					  &back, &backlen));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "empty"));
	EXPECT_EQ(NULL, back);
	for (cut = 1; cut <= 16; cut++) {
		EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob,
						  cut, &back, &backlen)) TH_LOG("%zu bytes", cut);
		EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "shorter"));
	}
	/* Long enough but cut: the tag fails. */
	for (cut = 17; cut < len; cut++)
		EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob,
						   cut, &back, &backlen)) TH_LOG("%zu bytes", cut);
	/* Unknown versions. */
	for (v = 0; v < 256; v++) {
		if (v == EW_GCM_BLOB_V1 || v == EW_GCM_BLOB_V2)
			continue;
		blob[0] = (uint8_t)v;
		EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob,
						  len, &back, &backlen));
	}
	blob[0] = 0x03;
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob, len,
					  &back, &backlen));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "unknown ciphertext blob version 0x03"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(NULL, back);
	free(blob);
	/* An empty plaintext's blob is 17 bytes; a made-up tag fails. */
	memset(junk, 0, sizeof(junk));
	junk[0] = EW_GCM_BLOB_V2;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, junk,
					   sizeof(junk), &back, &backlen));
	junk[0] = EW_GCM_BLOB_V1;
	EXPECT_EQ(-EBADMSG, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, junk,
					   sizeof(junk), &back, &backlen));
	/* Missing arguments. */
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, NULL, 20,
					  &back, &backlen));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 5, junk,
					  sizeof(junk), &back, &backlen));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, junk,
					  sizeof(junk), NULL, &backlen));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, junk,
					  sizeof(junk), &back, NULL));
	EXPECT_EQ(-EINVAL, ew_key_decrypt(NULL, "k", iv, sizeof(iv), NULL, 0, junk,
					  sizeof(junk), &back, &backlen));
}

TEST_F(ks, gcm_empty_plaintext_and_errors)
{
	uint8_t iv[12] = { 4 }, *blob = (uint8_t *)1, *back;
	size_t len = 9, backlen = 9;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, NULL, 0, &blob, &len));
	ASSERT_EQ(17u, len);
	EXPECT_EQ(EW_GCM_BLOB_V2, blob[0]);
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, blob, len, &back,
				    &backlen));
	EXPECT_EQ(0u, backlen);
	EXPECT_NE(NULL, back);
	free(back);
	free(blob);

	EXPECT_EQ(-ENOENT, ew_key_encrypt(self->ks, "absent", iv, sizeof(iv), NULL, 0, "p", 1,
					  &blob, &len));
	EXPECT_EQ(NULL, blob);
	EXPECT_EQ(0u, len);
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, NULL, 4,
					  &blob, &len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "plaintext"));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 4, "p", 1,
					  &blob, &len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "AAD"));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, "p", 1,
					  NULL, &len));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "k", iv, sizeof(iv), NULL, 0, "p", 1,
					  &blob, NULL));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(NULL, "k", iv, sizeof(iv), NULL, 0, "p", 1, &blob,
					  &len));
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "pair", EW_KEY_EC_P256));
	EXPECT_EQ(-EINVAL, ew_key_encrypt(self->ks, "pair", iv, sizeof(iv), NULL, 0, "p", 1,
					  &blob, &len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "is a key pair"));
}

TEST_F(ks, delete)
{
	uint8_t mac[EW_HMAC_LEN];
	char path[1024];

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	/* Loaded, then deleted: the loaded copy goes too. */
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k", "x", 1, mac));
	ASSERT_EQ(0, ew_key_delete(self->ks, "k")) TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(0, ew_key_exists(self->ks, "k"));
	EXPECT_EQ(-ENOENT, ew_key_hmac(self->ks, "k", "x", 1, mac));
	path_of(self, "k.key", path, sizeof(path));
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(-ENOENT, ew_key_delete(self->ks, "k"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "no key 'k'"));
	/* A new key of the old name is a new key. */
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k", NULL));
	EXPECT_EQ(1, ew_key_exists(self->ks, "k"));

	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p", EW_KEY_EC_P256));
	EXPECT_EQ(1, ew_key_exists(self->ks, "p"));
	ASSERT_EQ(0, ew_key_delete(self->ks, "p"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "p"));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "p"));
	EXPECT_EQ(-EINVAL, ew_key_delete(NULL, "p"));
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_F(ks, rename_sym_replaces)
{
	uint8_t ma[EW_HMAC_LEN], mb[EW_HMAC_LEN], m[EW_HMAC_LEN];

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "a", NULL));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "b", NULL));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "a", "x", 1, ma));
	/* b is loaded: the rename must not leave the old b in use. */
	ASSERT_EQ(0, ew_key_hmac(self->ks, "b", "x", 1, mb));
	ASSERT_NE(0, memcmp(ma, mb, sizeof(ma)));
	ASSERT_EQ(0, ew_key_rename(self->ks, "a", "b")) TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(0, ew_key_exists(self->ks, "a"));
	EXPECT_EQ(1, ew_key_exists(self->ks, "b"));
	EXPECT_EQ(-ENOENT, ew_key_hmac(self->ks, "a", "x", 1, m));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "b", "x", 1, m));
	EXPECT_EQ(0, memcmp(ma, m, sizeof(m)));
	/* And on disk. */
	ASSERT_EQ(0, reopen(self, variant));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "b", "x", 1, m));
	EXPECT_EQ(0, memcmp(ma, m, sizeof(m)));
	/* To a new name, not loaded before. */
	ASSERT_EQ(0, ew_key_rename(self->ks, "b", "c"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "c", "x", 1, m));
	EXPECT_EQ(0, memcmp(ma, m, sizeof(m)));
	/* To itself: nothing changes. */
	ASSERT_EQ(0, ew_key_rename(self->ks, "c", "c"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "c", "x", 1, m));
	EXPECT_EQ(0, memcmp(ma, m, sizeof(m)));
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_F(ks, rename_across_kinds)
{
	uint8_t ms[EW_HMAC_LEN], m[EW_HMAC_LEN];
	EVP_PKEY *p2, *got;
	char path[1024];

	/* A symmetric key over a key pair. */
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p1", EW_KEY_EC_P256));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "s1", NULL));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "s1", "x", 1, ms));
	ASSERT_EQ(0, ew_key_rename(self->ks, "s1", "p1"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "p1", "x", 1, m));
	EXPECT_EQ(0, memcmp(ms, m, sizeof(m)));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "p1"));
	path_of(self, "p1.pem", path, sizeof(path));
	EXPECT_EQ(-1, access(path, F_OK));

	/* A key pair over a loaded symmetric key. */
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p2", EW_KEY_EC_P256));
	p2 = ew_key_pair_get(self->ks, "p2");
	ASSERT_NE(NULL, p2);
	ASSERT_EQ(0, ew_key_rename(self->ks, "p2", "p1"));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "p1", "x", 1, m));
	got = ew_key_pair_get(self->ks, "p1");
	ASSERT_NE(NULL, got) TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(1, EVP_PKEY_eq(p2, got));
	EVP_PKEY_free(got);
	EVP_PKEY_free(p2);
	path_of(self, "p1.key", path, sizeof(path));
	EXPECT_EQ(-1, access(path, F_OK));
	EXPECT_EQ(0, ew_key_exists(self->ks, "p2"));
}

TEST_F(ks, rename_errors)
{
	uint8_t m[EW_HMAC_LEN];

	EXPECT_EQ(-ENOENT, ew_key_rename(self->ks, "absent", "b"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "no key 'absent'"));
	EXPECT_EQ(-ENOENT, ew_key_rename(self->ks, "absent", "absent"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "b"));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "a", NULL));
	EXPECT_EQ(-EINVAL, ew_key_rename(self->ks, "a", "../b"));
	EXPECT_EQ(-EINVAL, ew_key_rename(self->ks, "a", ""));
	EXPECT_EQ(-EINVAL, ew_key_rename(NULL, "a", "b"));
	/* The failed renames moved nothing. */
	EXPECT_EQ(0, ew_key_hmac(self->ks, "a", "x", 1, m));
}

TEST_F(ks, no_temp_files_left)
{
	uint8_t iv[12] = { 0 }, *blob, *pt;
	size_t len, ptlen;
	struct dirent *de;
	int n = 0;
	DIR *d;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "s1", NULL));
	ASSERT_EQ(0, ew_key_sym_ensure(self->ks, "s2"));
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p1", EW_KEY_EC_P256));
	ASSERT_EQ(0, ew_key_rename(self->ks, "s2", "s3"));
	ASSERT_EQ(0, ew_key_encrypt(self->ks, "s1", iv, sizeof(iv), NULL, 0, "x", 1, &blob, &len));
	ASSERT_EQ(0, ew_key_decrypt(self->ks, "s1", iv, sizeof(iv), NULL, 0, blob, len, &pt,
				    &ptlen));
	free(pt);
	free(blob);
	/* Failures leave nothing either. */
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "s1", NULL));
	EXPECT_EQ(-EEXIST, ew_key_pair_create(self->ks, "p1", EW_KEY_EC_P256));
	d = opendir(self->dir);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		EXPECT_TRUE(!strcmp(de->d_name, "s1.key") || !strcmp(de->d_name, "s3.key") ||
			    !strcmp(de->d_name, "p1.pem")) TH_LOG("left: %s", de->d_name);
	}
	closedir(d);
	EXPECT_EQ(3, n);
}

TEST_F(ks, crashed_writer)
{
	uint8_t value[EW_SYM_KEY_LEN], mac[EW_HMAC_LEN];
	struct timespec old[2] = { { .tv_sec = 1000 }, { .tv_sec = 1000 } };
	char fresh[1024], stale[1024], odd[1024];

	/* What a writer that died before its rename leaves. */
	memset(value, 3, sizeof(value));
	path_of(self, ".tmp.k1.key.0123456789ab", fresh, sizeof(fresh));
	ASSERT_EQ(0, write_file(fresh, value, sizeof(value), 0600));
	path_of(self, ".tmp.p1.pem.ba9876543210", stale, sizeof(stale));
	ASSERT_EQ(0, write_file(stale, "-----BEGIN PRIV", 15, 0600));
	path_of(self, "k1.key.tmp", odd, sizeof(odd));
	ASSERT_EQ(0, write_file(odd, value, sizeof(value), 0600));

	/* None of them is a key. */
	EXPECT_EQ(0, ew_key_exists(self->ks, "k1"));
	EXPECT_EQ(0, ew_key_exists(self->ks, "p1"));
	EXPECT_EQ(-ENOENT, ew_key_hmac(self->ks, "k1", "x", 1, mac));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "p1"));
	/* And none is in the way. */
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "k1", NULL));
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "p1", EW_KEY_EC_P256));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k1", "x", 1, mac));

	/* Opening removes the stale leftovers, not what may be in flight. */
	ASSERT_EQ(0, utimensat(AT_FDCWD, stale, old, AT_SYMLINK_NOFOLLOW));
	ASSERT_EQ(0, reopen(self, variant));
	EXPECT_EQ(-1, access(stale, F_OK));
	EXPECT_EQ(0, access(fresh, F_OK));
	/* Not ours by name: never touched. */
	EXPECT_EQ(0, access(odd, F_OK));
	EXPECT_EQ(1, ew_key_exists(self->ks, "k1"));
	EXPECT_EQ(1, ew_key_exists(self->ks, "p1"));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "k1", "x", 1, mac));
}

struct hammer {
	struct ew_keystore *ks;
	int index;
	uint8_t expect[EW_HMAC_LEN];
	int failures;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	uint8_t mac[EW_HMAC_LEN];
	char missing[32], text[64];
	int i;

	snprintf(missing, sizeof(missing), "missing-%d", h->index);
	snprintf(text, sizeof(text), "'%s'", missing);
	if (ew_key_hmac(h->ks, missing, "x", 1, mac) != -ENOENT)
		h->failures++;
	for (i = 0; i < 200; i++) {
		if (ew_key_hmac(h->ks, "shared", "data", 4, mac) ||
		    memcmp(mac, h->expect, sizeof(mac)))
			h->failures++;
	}
	/* Every thread still reads its own failure. */
	if (!strstr(ew_keystore_error(h->ks), text))
		h->failures++;
	return NULL;
}

TEST_F(ks, threads)
{
	struct hammer h[8];
	pthread_t t[8];
	uint8_t expect[EW_HMAC_LEN];
	char id[16];
	int i;

	ASSERT_EQ(0, ew_key_sym_create(self->ks, "shared", NULL));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "shared", "data", 4, expect));
	ASSERT_EQ(0, reopen(self, variant));
	for (i = 0; i < 8; i++) {
		h[i].ks = self->ks;
		h[i].index = i;
		h[i].failures = 0;
		memcpy(h[i].expect, expect, sizeof(expect));
		ASSERT_EQ(0, pthread_create(&t[i], NULL, hammer_run, &h[i]));
	}
	/* Meanwhile other keys come and go. */
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "churn-%d", i);
		EXPECT_EQ(0, ew_key_sym_create(self->ks, id, NULL));
		EXPECT_EQ(0, ew_key_rename(self->ks, id, "churned"));
	}
	EXPECT_EQ(-ENOENT, ew_key_delete(self->ks, "main-missing"));
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, h[i].failures) TH_LOG("thread %d", i);
	}
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "main-missing"));
	EXPECT_EQ(1, ew_key_exists(self->ks, "churned"));
	EXPECT_EQ(0, count_temps(self->dir));
}

/* --- key pairs --------------------------------------------------------- */

FIXTURE(pairs)
{
	char tmp[32];
	char dir[64];
	char err[512];
	struct ew_keystore *ks;
};

FIXTURE_SETUP(pairs)
{
	snprintf(self->tmp, sizeof(self->tmp), "/tmp/ew-keys-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->tmp));
	snprintf(self->dir, sizeof(self->dir), "%s/store", self->tmp);
	self->ks = ew_keystore_open_file(self->dir, self->err, sizeof(self->err));
	ASSERT_NE(NULL, self->ks) TH_LOG("%s", self->err);
}

FIXTURE_TEARDOWN(pairs)
{
	ew_keystore_close(self->ks);
	rm_rf(self->tmp);
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

FIXTURE(pair_alg)
{
	char tmp[32];
	char dir[64];
	char err[512];
	struct ew_keystore *ks;
};

FIXTURE_VARIANT(pair_alg)
{
	enum ew_key_alg alg;
	const char *type;
	int bits;
};

FIXTURE_VARIANT_ADD(pair_alg, ec_p256)
{
	.alg = EW_KEY_EC_P256,
	.type = "EC",
	.bits = 256,
};

FIXTURE_VARIANT_ADD(pair_alg, rsa_2048)
{
	.alg = EW_KEY_RSA_2048,
	.type = "RSA",
	.bits = 2048,
};

FIXTURE_VARIANT_ADD(pair_alg, rsa_4096)
{
	.alg = EW_KEY_RSA_4096,
	.type = "RSA",
	.bits = 4096,
};

FIXTURE_SETUP(pair_alg)
{
	snprintf(self->tmp, sizeof(self->tmp), "/tmp/ew-keys-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->tmp));
	snprintf(self->dir, sizeof(self->dir), "%s/store", self->tmp);
	self->ks = ew_keystore_open_file(self->dir, self->err, sizeof(self->err));
	ASSERT_NE(NULL, self->ks) TH_LOG("%s", self->err);
}

FIXTURE_TEARDOWN(pair_alg)
{
	ew_keystore_close(self->ks);
	rm_rf(self->tmp);
}

/* RSA generation takes its time, above all under valgrind. */
TEST_F_TIMEOUT(pair_alg, create, 600)
{
	char path[1024], text[64], curve[32];
	EVP_PKEY *a, *b;
	struct stat st;

	/*
	 * Minutes under valgrind, for the code RSA-2048 runs through too:
	 * only the size differs.
	 */
	if (variant->alg == EW_KEY_RSA_4096 && RUNNING_ON_VALGRIND)
		SKIP(return, "RSA-4096 generation under valgrind: run natively or with ASan");

	ASSERT_EQ(0, ew_key_pair_create(self->ks, "kp", variant->alg))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(1, ew_key_exists(self->ks, "kp"));
	snprintf(path, sizeof(path), "%s/kp.pem", self->dir);
	ASSERT_EQ(0, lstat(path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0600u, st.st_mode & 07777);
	ASSERT_EQ(0, read_text(path, text, sizeof(text)));
	EXPECT_EQ(0, strncmp(text, "-----BEGIN PRIVATE KEY-----\n", 28)) TH_LOG("%.40s", text);

	a = ew_key_pair_get(self->ks, "kp");
	ASSERT_NE(NULL, a) TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_TRUE(EVP_PKEY_is_a(a, variant->type));
	EXPECT_EQ(variant->bits, EVP_PKEY_get_bits(a));
	EXPECT_EQ(0, sign_verify(a));
	if (variant->alg == EW_KEY_EC_P256) {
		ASSERT_EQ(1, EVP_PKEY_get_utf8_string_param(a, OSSL_PKEY_PARAM_GROUP_NAME, curve,
							    sizeof(curve), NULL));
		EXPECT_STREQ("prime256v1", curve);
	}
	/* The same key every time, also after a reopen. */
	b = ew_key_pair_get(self->ks, "kp");
	ASSERT_NE(NULL, b);
	EXPECT_EQ(1, EVP_PKEY_eq(a, b));
	EVP_PKEY_free(b);
	ew_keystore_close(self->ks);
	self->ks = ew_keystore_open_file(self->dir, self->err, sizeof(self->err));
	ASSERT_NE(NULL, self->ks);
	b = ew_key_pair_get(self->ks, "kp");
	ASSERT_NE(NULL, b);
	EXPECT_EQ(1, EVP_PKEY_eq(a, b));
	EVP_PKEY_free(b);
	EVP_PKEY_free(a);
	EXPECT_EQ(-EEXIST, ew_key_pair_create(self->ks, "kp", variant->alg));
	EXPECT_EQ(-EEXIST, ew_key_sym_create(self->ks, "kp", NULL));
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_F(pairs, create_errors)
{
	EXPECT_EQ(-EINVAL, ew_key_pair_create(self->ks, "k", 0));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "unknown key algorithm 0"));
	EXPECT_EQ(-EINVAL, ew_key_pair_create(self->ks, "k", EW_KEY_RSA_4096 + 1));
	EXPECT_EQ(-EINVAL, ew_key_pair_create(NULL, "k", EW_KEY_EC_P256));
	EXPECT_EQ(0, ew_key_exists(self->ks, "k"));
}

TEST_F(pairs, get_errors)
{
	char path[1024];

	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "absent"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "no key pair 'absent'"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "sym", NULL));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "sym"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "is a symmetric key, not a key pair"));
	EXPECT_EQ(NULL, ew_key_pair_get(NULL, "sym"));

	/* Garbage on disk. */
	snprintf(path, sizeof(path), "%s/junk.pem", self->dir);
	ASSERT_EQ(0, write_file(path, "not a key\n", 10, 0600));
	EXPECT_EQ(1, ew_key_exists(self->ks, "junk"));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "junk"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "is unusable"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	/* A readable one, a linked one. */
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "open", EW_KEY_EC_P256));
	snprintf(path, sizeof(path), "%s/open.pem", self->dir);
	ASSERT_EQ(0, chmod(path, 0644));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "open"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "mode 0644"));
	EXPECT_EQ(-EPERM, ew_key_exists(self->ks, "open"));
	snprintf(path, sizeof(path), "%s/ln.pem", self->dir);
	ASSERT_EQ(0, symlink("open.pem", path));
	EXPECT_EQ(NULL, ew_key_pair_get(self->ks, "ln"));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "symbolic link"));
}

/* RSA generation under valgrind takes a while. */
TEST_F_TIMEOUT(pairs, import, 300)
{
	static const struct {
		const char *type;
		enum pem_form form;
	} cases[] = {
		{ "EC", PEM_PKCS8 },
		{ "EC", PEM_TRADITIONAL },
		{ "RSA", PEM_PKCS8 },
		{ "RSA", PEM_TRADITIONAL },
	};
	char path[1024], text[64], id[16];
	EVP_PKEY *ec, *rsa, *pk, *got;
	size_t i, len;
	char *pem;

	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	ASSERT_NE(NULL, ec);
	rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ASSERT_NE(NULL, rsa);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pk = strcmp(cases[i].type, "EC") ? rsa : ec;
		pem = pem_of(pk, cases[i].form, &len);
		ASSERT_NE(NULL, pem);
		snprintf(id, sizeof(id), "imp%zu", i);
		ASSERT_EQ(0, ew_key_pair_import(self->ks, id, pem, len))
			TH_LOG("case %zu: %s", i, ew_keystore_error(self->ks));
		got = ew_key_pair_get(self->ks, id);
		ASSERT_NE(NULL, got) TH_LOG("%s", ew_keystore_error(self->ks));
		EXPECT_EQ(1, EVP_PKEY_eq(pk, got));
		EXPECT_EQ(0, sign_verify(got));
		/* Whatever came in, PKCS#8 is stored. */
		snprintf(path, sizeof(path), "%s/%s.pem", self->dir, id);
		ASSERT_EQ(0, read_text(path, text, sizeof(text)));
		EXPECT_EQ(0, strncmp(text, "-----BEGIN PRIVATE KEY-----\n", 28));
		EVP_PKEY_free(got);
		free(pem);
	}
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_F_TIMEOUT(pairs, import_replaces, 120)
{
	uint8_t mac[EW_HMAC_LEN];
	EVP_PKEY *pk, *got, *old;
	char path[1024];
	size_t len;
	char *pem;

	pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ASSERT_NE(NULL, pk);
	pem = pem_of(pk, PEM_PKCS8, &len);
	ASSERT_NE(NULL, pem);
	/* A key pair... */
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "ca", EW_KEY_EC_P256));
	old = ew_key_pair_get(self->ks, "ca");
	ASSERT_NE(NULL, old);
	ASSERT_EQ(0, ew_key_pair_import(self->ks, "ca", pem, len));
	got = ew_key_pair_get(self->ks, "ca");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(1, EVP_PKEY_eq(pk, got));
	EXPECT_NE(1, EVP_PKEY_eq(old, got));
	EVP_PKEY_free(got);
	EVP_PKEY_free(old);
	/* ...and a loaded symmetric key. */
	ASSERT_EQ(0, ew_key_sym_create(self->ks, "s", NULL));
	ASSERT_EQ(0, ew_key_hmac(self->ks, "s", "x", 1, mac));
	ASSERT_EQ(0, ew_key_pair_import(self->ks, "s", pem, len));
	EXPECT_EQ(-EINVAL, ew_key_hmac(self->ks, "s", "x", 1, mac));
	snprintf(path, sizeof(path), "%s/s.key", self->dir);
	EXPECT_EQ(-1, access(path, F_OK));
	got = ew_key_pair_get(self->ks, "s");
	ASSERT_NE(NULL, got);
	EXPECT_EQ(1, EVP_PKEY_eq(pk, got));
	EVP_PKEY_free(got);
	EVP_PKEY_free(pk);
	free(pem);
}

TEST_F_TIMEOUT(pairs, import_refusals, 120)
{
	static const char garbage[] = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n"
				      "-----END PRIVATE KEY-----\n";
	EVP_PKEY *ec, *rsa1024, *ed;
	char *pem, *big;
	size_t len;

	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", "hello", 5));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "no PEM block"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", garbage, sizeof(garbage) - 1));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "not a PEM private key"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", "", 0));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "empty"));
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", NULL, 100));
	big = malloc(70000);
	ASSERT_NE(NULL, big);
	memset(big, 'A', 70000);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", big, 70000));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "70000 bytes"));
	free(big);

	ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ASSERT_NE(NULL, ec);
	/* The public half only. */
	pem = pem_of(ec, PEM_PUBLIC, &len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len));
	free(pem);
	/* Encrypted: refused, without asking anyone for a passphrase. */
	pem = pem_of(ec, PEM_ENCRYPTED, &len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "encrypted"));
	free(pem);
	/* Cut short. */
	pem = pem_of(ec, PEM_PKCS8, &len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len / 2));
	free(pem);
	EVP_PKEY_free(ec);
	/* Too weak, or not a type the store does. */
	rsa1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	ASSERT_NE(NULL, rsa1024);
	pem = pem_of(rsa1024, PEM_PKCS8, &len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "1024 bits"));
	free(pem);
	EVP_PKEY_free(rsa1024);
	ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	ASSERT_NE(NULL, ed);
	pem = pem_of(ed, PEM_PKCS8, &len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "only EC and RSA"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	free(pem);
	EVP_PKEY_free(ed);

	/* A private key with another key's public half. */
	pem = mismatched_ec_pem(&len);
	ASSERT_NE(NULL, pem);
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", pem, len));
	EXPECT_NE(NULL, strstr(ew_keystore_error(self->ks), "inconsistent"))
		TH_LOG("%s", ew_keystore_error(self->ks));
	free(pem);

	/* Nothing was written, and an existing key survives a refusal. */
	EXPECT_EQ(0, ew_key_exists(self->ks, "k"));
	ASSERT_EQ(0, ew_key_pair_create(self->ks, "k", EW_KEY_EC_P256));
	EXPECT_EQ(-EINVAL, ew_key_pair_import(self->ks, "k", "hello", 5));
	ec = ew_key_pair_get(self->ks, "k");
	EXPECT_NE(NULL, ec);
	EVP_PKEY_free(ec);
	EXPECT_EQ(0, count_temps(self->dir));
}

TEST_HARNESS_MAIN

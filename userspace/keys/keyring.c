// SPDX-License-Identifier: GPL-2.0-only
/*
 * The holder of loaded symmetric keys: a kernel keyring private to one
 * store, or wiped secure-heap memory where the kernel refuses keyrings
 * (seccomp filters of containers answer add_key with EPERM or ENOSYS).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <keyutils.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "keys/keyring.h"

/*
 * A key held: in memory, its bytes; in the keyring, its serial, so that a
 * use reads it without searching. Our keys die only through
 * ew_secrets_drop(), which forgets the entry first, so a remembered serial
 * is never another key's.
 */
struct ew_held {
	char id[EW_KEY_ID_MAX + 1];
	uint8_t *key;			/* EW_SYM_KEY_LEN bytes, secure heap */
	key_serial_t serial;
};

struct ew_secrets {
	/* The store's keyring, or 0 when the secrets are in memory. */
	key_serial_t keyring;
	struct ew_held *held;
	size_t n, cap;
};

/*
 * A keyring of our own, linked to the process keyring (created on demand
 * by the kernel). Only its possessor, this process, may see it: the
 * permission change is also the probe that keyctl() works at all.
 */
static key_serial_t keyring_create(void)
{
	uint8_t nonce[8];
	char desc[64];
	key_serial_t k;

	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return 0;
	snprintf(desc, sizeof(desc), "edgeward-keystore:%ld:%02x%02x%02x%02x%02x%02x%02x%02x",
		 (long)getpid(), nonce[0], nonce[1], nonce[2], nonce[3], nonce[4],
		 nonce[5], nonce[6], nonce[7]);
	k = add_key("keyring", desc, NULL, 0, KEY_SPEC_PROCESS_KEYRING);
	if (k < 0)
		return 0;
	if (keyctl_setperm(k, KEY_POS_ALL) < 0) {
		keyctl_unlink(k, KEY_SPEC_PROCESS_KEYRING);
		return 0;
	}
	return k;
}

struct ew_secrets *ew_secrets_new(bool kernel)
{
	struct ew_secrets *s = calloc(1, sizeof(*s));

	if (s && kernel)
		s->keyring = keyring_create();
	return s;
}

static void held_release(struct ew_held *h)
{
	if (h->key)
		OPENSSL_secure_clear_free(h->key, EW_SYM_KEY_LEN);
	h->key = NULL;
}

void ew_secrets_free(struct ew_secrets *s)
{
	size_t i;

	if (!s)
		return;
	if (s->keyring) {
		/* Unlinked keys are destroyed (and their payloads wiped). */
		keyctl_clear(s->keyring);
		if (keyctl_invalidate(s->keyring) < 0)
			keyctl_unlink(s->keyring, KEY_SPEC_PROCESS_KEYRING);
	}
	for (i = 0; i < s->n; i++)
		held_release(&s->held[i]);
	free(s->held);
	free(s);
}

const char *ew_secrets_holder(const struct ew_secrets *s)
{
	return s->keyring ? "kernel keyring" : "memory";
}

static struct ew_held *held_find(struct ew_secrets *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->held[i].id, id))
			return &s->held[i];
	return NULL;
}

/* The entry of @id, added (empty) if there is none. */
static struct ew_held *held_get(struct ew_secrets *s, const char *id)
{
	struct ew_held *h = held_find(s, id), *grown;
	size_t cap;

	if (h)
		return h;
	if (strlen(id) > EW_KEY_ID_MAX)
		return NULL;
	if (s->n == s->cap) {
		cap = s->cap ? 2 * s->cap : 8;
		grown = realloc(s->held, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		s->held = grown;
		s->cap = cap;
	}
	h = &s->held[s->n++];
	memset(h, 0, sizeof(*h));
	strcpy(h->id, id);
	return h;
}

static void held_forget(struct ew_secrets *s, const char *id)
{
	struct ew_held *h = held_find(s, id);

	if (!h)
		return;
	held_release(h);
	*h = s->held[--s->n];
}

static int mem_put(struct ew_secrets *s, const char *id,
		   const uint8_t key[EW_SYM_KEY_LEN])
{
	struct ew_held *h;

	if (strlen(id) > EW_KEY_ID_MAX)
		return -EINVAL;
	h = held_get(s, id);
	if (!h)
		return -ENOMEM;
	if (!h->key)
		h->key = OPENSSL_secure_malloc(EW_SYM_KEY_LEN);
	if (!h->key) {
		held_forget(s, id);
		return -ENOMEM;
	}
	memcpy(h->key, key, EW_SYM_KEY_LEN);
	return 0;
}

/* Best effort: without a remembered serial, the key is searched for. */
static void serial_remember(struct ew_secrets *s, const char *id, key_serial_t k)
{
	struct ew_held *h = held_get(s, id);

	if (h)
		h->serial = k;
}

int ew_secrets_put(struct ew_secrets *s, const char *id,
		   const uint8_t key[EW_SYM_KEY_LEN])
{
	key_serial_t k;

	if (!s->keyring)
		return mem_put(s, id, key);
	/* add_key() replaces a "user" key of the same description. */
	k = add_key("user", id, key, EW_SYM_KEY_LEN, s->keyring);
	if (k < 0) {
		held_forget(s, id);
		return -errno;
	}
	serial_remember(s, id, k);
	return 0;
}

int ew_secrets_get(struct ew_secrets *s, const char *id,
		   uint8_t key[EW_SYM_KEY_LEN])
{
	struct ew_held *h = held_find(s, id);
	key_serial_t k;
	long n;

	if (!s->keyring) {
		if (!h)
			return -ENOENT;
		memcpy(key, h->key, EW_SYM_KEY_LEN);
		return 0;
	}
	if (h) {
		n = keyctl_read(h->serial, (char *)key, EW_SYM_KEY_LEN);
		if (n == EW_SYM_KEY_LEN)
			return 0;
		held_forget(s, id);
	}
	k = keyctl_search(s->keyring, "user", id, 0);
	if (k < 0)
		return -ENOENT;
	n = keyctl_read(k, (char *)key, EW_SYM_KEY_LEN);
	if (n == EW_SYM_KEY_LEN)
		serial_remember(s, id, k);
	if (n != EW_SYM_KEY_LEN) {
		/* Not what we put there: forget it, the file is the truth. */
		OPENSSL_cleanse(key, EW_SYM_KEY_LEN);
		keyctl_invalidate(k);
		return -ENOENT;
	}
	return 0;
}

void ew_secrets_drop(struct ew_secrets *s, const char *id)
{
	key_serial_t k;

	held_forget(s, id);
	if (!s->keyring)
		return;
	k = keyctl_search(s->keyring, "user", id, 0);
	if (k < 0)
		return;
	/* Invalidation destroys the key now; unlinking leaves it to GC. */
	if (keyctl_invalidate(k) < 0)
		keyctl_unlink(k, s->keyring);
}

void ew_secrets_move(struct ew_secrets *s, const char *from, const char *to)
{
	uint8_t key[EW_SYM_KEY_LEN];
	int held;

	if (!strcmp(from, to))
		return;
	held = ew_secrets_get(s, from, key) == 0;
	ew_secrets_drop(s, from);
	ew_secrets_drop(s, to);
	if (held)
		ew_secrets_put(s, to, key);
	OPENSSL_cleanse(key, sizeof(key));
}

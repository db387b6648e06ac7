/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the key store: where a backend keeps the symmetric keys it has
 * loaded, by id. The kernel's keyring when this process may use it (a
 * keyring of our own linked to the process keyring: its "user" keys can be
 * read by this process only, and a forked child does not inherit it), else
 * memory from OpenSSL's secure heap, wiped when released.
 *
 * A cache, not the store: losing an entry (a full keyring quota, say) only
 * means the backend reads the key again. Not thread-safe: the backend holds
 * its lock around every call.
 */
#ifndef EW_KEYS_KEYRING_H
#define EW_KEYS_KEYRING_H

#include <stdbool.h>
#include <stdint.h>

#include "keys/keystore.h"

struct ew_secrets;

/* @kernel: try the kernel keyring first. Return: NULL if out of memory. */
struct ew_secrets *ew_secrets_new(bool kernel);
/* Forgets (and wipes) every secret. */
void ew_secrets_free(struct ew_secrets *s);
/* "kernel keyring" or "memory". */
const char *ew_secrets_holder(const struct ew_secrets *s);

/* Holds @key as @id, replacing what @id held. Return: 0 or -errno. */
int ew_secrets_put(struct ew_secrets *s, const char *id,
		   const uint8_t key[EW_SYM_KEY_LEN]);
/* Copies the secret of @id into @key. Return: 0, -ENOENT if not held. */
int ew_secrets_get(struct ew_secrets *s, const char *id,
		   uint8_t key[EW_SYM_KEY_LEN]);
void ew_secrets_drop(struct ew_secrets *s, const char *id);
/* What @from held, @to holds now (nothing if @from held nothing). */
void ew_secrets_move(struct ew_secrets *s, const char *from, const char *to);

#endif /* EW_KEYS_KEYRING_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hash of table keys: SipHash-1-3 under a random key per document, so
 * that a file can not be written to make every key collide and turn the
 * duplicate checks quadratic.
 */
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "internal.h"

static inline uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND						\
	do {							\
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0;		\
		v0 = rotl(v0, 32);				\
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2;		\
		v2 = rotl(v2, 32);				\
	} while (0)

static uint64_t load_le64(const unsigned char *s)
{
	uint64_t m = 0;
	int i;

	for (i = 7; i >= 0; i--)
		m = (m << 8) | s[i];
	return m;
}

uint64_t ew_toml_hash(const uint64_t key[2], const void *data, size_t len)
{
	const unsigned char *s = data;
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = key[1] ^ 0x7465646279746573ULL;
	uint64_t m;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = load_le64(s + i);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	m = (uint64_t)len << 56;
	while (left--)
		m |= (uint64_t)s[i + left] << (8 * left);
	v3 ^= m;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void ew_toml_hash_key(uint64_t key[2])
{
	struct timespec ts;

	if (getrandom(key, 2 * sizeof(key[0]), GRND_NONBLOCK) == 2 * sizeof(key[0]))
		return;
	/* No entropy yet (early boot): weaker, but still not known ahead. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	key[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)key;
	key[1] = (uint64_t)ts.tv_sec * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)(uintptr_t)&ts;
}

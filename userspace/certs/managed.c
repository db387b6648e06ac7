// SPDX-License-Identifier: GPL-2.0-only
/*
 * The record of which certificates edgeward itself wrote to a file, kept
 * next to it as "<cert>.managed" (one SHA-256 fingerprint in hex per
 * line). A certificate file whose fingerprint is not listed was put there
 * by someone else, and edgeward must leave it alone; the record survives
 * restarts, so a replacement made while edgewardd was stopped is noticed
 * too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs/internal.h"

#define RECORD_SUFFIX ".managed"
#define RECORD_MAX 4

static char *record_path(const char *cert_path)
{
	char *p;

	if (asprintf(&p, "%s" RECORD_SUFFIX, cert_path) < 0)
		return NULL;
	return p;
}

static void to_hex(const uint8_t *fp, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < EW_SHA256_LEN; i++) {
		hex[2 * i] = digits[fp[i] >> 4];
		hex[2 * i + 1] = digits[fp[i] & 0xf];
	}
}

static bool line_is_hex(const char *p)
{
	int i;

	for (i = 0; i < 2 * EW_SHA256_LEN; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return p[2 * EW_SHA256_LEN] == '\n';
}

int ew_managed_check(const char *cert_path, const uint8_t fp[EW_SHA256_LEN],
		     char *err, size_t errlen)
{
	char want[2 * EW_SHA256_LEN], *path, *data, *p;
	const size_t line = 2 * EW_SHA256_LEN + 1;
	size_t len, off;
	int rc, found = 0;

	path = record_path(cert_path);
	if (!path)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	rc = ew_file_read(path, &data, &len, err, errlen);
	if (rc) {
		free(path);
		return rc;
	}
	to_hex(fp, want);
	for (off = 0, p = data; off < len; off += line, p += line) {
		if (len - off < line || !line_is_hex(p)) {
			rc = ew_errbuf(err, errlen, -EINVAL,
					  "%s: not a list of SHA-256 fingerprints",
					  path);
			goto out;
		}
		if (!memcmp(p, want, sizeof(want)))
			found = 1;
	}
	if (!len)
		rc = ew_errbuf(err, errlen, -EINVAL, "%s: empty", path);
	else
		rc = found;
out:
	free(data);
	free(path);
	return rc;
}

int ew_managed_record(const char *cert_path, const uint8_t *const fps[],
		      size_t n, char *err, size_t errlen)
{
	char text[RECORD_MAX * (2 * EW_SHA256_LEN + 1)];
	size_t i, len = 0;
	char *path;
	int rc;

	for (i = 0; i < n; i++) {
		if (!fps[i])
			continue;
		if (len + 2 * EW_SHA256_LEN + 1 > sizeof(text))
			return ew_errbuf(err, errlen, -E2BIG,
					    "too many fingerprints to record");
		to_hex(fps[i], text + len);
		len += 2 * EW_SHA256_LEN;
		text[len++] = '\n';
	}
	if (!len)
		return ew_errbuf(err, errlen, -EINVAL,
				    "no fingerprint to record");
	path = record_path(cert_path);
	if (!path)
		return ew_errbuf(err, errlen, -ENOMEM, "out of memory");
	rc = ew_file_write_atomic(path, text, len, 0644, err, errlen);
	free(path);
	return rc;
}

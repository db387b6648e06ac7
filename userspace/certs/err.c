// SPDX-License-Identifier: GPL-2.0-only
/*
 * Error messages of libewcerts: into the caller's buffer, with OpenSSL's
 * reason appended where OpenSSL failed (its queue is cleared so that a
 * stale error never shows up in a later, unrelated message).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "certs/internal.h"

int ew_certs_err_ssl(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	va_list ap;
	size_t n;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		n = strlen(err);
		if (reason && n < errlen)
			snprintf(err + n, errlen - n, ": %s", reason);
	}
	ERR_clear_error();
	return rc;
}

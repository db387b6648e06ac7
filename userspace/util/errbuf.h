/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Messages into a caller's buffer: the error style of the daemon's
 * libraries (a return code, and a human-readable line in err[errlen]).
 */
#ifndef EW_UTIL_ERRBUF_H
#define EW_UTIL_ERRBUF_H

#include <stddef.h>

/* Formats into @err (if not NULL and @errlen > 0); returns @rc. */
int ew_errbuf(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* EW_UTIL_ERRBUF_H */

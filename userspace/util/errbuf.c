// SPDX-License-Identifier: GPL-2.0-only
/* Messages into a caller's buffer (see errbuf.h). */
#include <stdarg.h>
#include <stdio.h>

#include "util/errbuf.h"

int ew_errbuf(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

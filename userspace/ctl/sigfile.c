// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading --manifest-sig: a detached signature in DER, read whole (a pipe
 * or process substitution will do) and refused when it cannot be one:
 * empty, longer than the kernel takes, or PEM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"

#define PEM_BEGIN "-----BEGIN"

/* Reads up to max + 1 bytes of fd into buf; returns the count or -errno. */
static long read_upto(int fd, uint8_t *buf, size_t max)
{
	size_t n = 0;
	ssize_t r;

	while (n <= max) {
		r = read(fd, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	return (long)n;
}

int ctl_load_manifest_sig(const char *path, uint8_t **data, size_t *len,
			  char *err, size_t errlen)
{
	const size_t max = EDGEWARD_MANIFEST_SIG_MAX;
	uint8_t *buf;
	long n;
	int fd;

	*data = NULL;
	*len = 0;
	/* One byte more than allowed tells "too long" from "exactly max". */
	buf = malloc(max + 1);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -errno : read_upto(fd, buf, max);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		snprintf(err, errlen, "--manifest-sig %s: %s", path, strerror((int)-n));
	else if (n == 0)
		snprintf(err, errlen, "--manifest-sig %s: empty file", path);
	else if ((size_t)n > max)
		snprintf(err, errlen, "--manifest-sig %s: longer than %zu bytes, not a manifest signature",
			 path, max);
	else if ((size_t)n >= strlen(PEM_BEGIN) && !memcmp(buf, PEM_BEGIN, strlen(PEM_BEGIN)))
		snprintf(err, errlen, "--manifest-sig %s: PEM, the kernel takes DER (openssl cms -sign ... -outform DER)",
			 path);
	else {
		*data = buf;
		*len = (size_t)n;
		return 0;
	}
	free(buf);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENODATA;
	return (size_t)n > max ? -EFBIG : -EINVAL;
}

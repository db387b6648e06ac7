// SPDX-License-Identifier: GPL-2.0-only
/*
 * systemd socket activation: the LISTEN_PID / LISTEN_FDS / LISTEN_FDNAMES
 * protocol of sd_listen_fds(3), spoken without libsystemd. The parser takes
 * the variables' values as arguments so it can be tested without touching
 * the environment or file descriptors 3 and up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http.h"

#define ERR(...) do { if (err) snprintf(err, errlen, __VA_ARGS__); } while (0)

/* Plain decimal: digits only, no sign, no blanks, at most @max. */
static int parse_decimal(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

int ew_listen_fds_parse(const char *listen_pid, const char *listen_fds,
			const char *listen_fdnames, pid_t self,
			struct ew_listen_fds *out, char *err, size_t errlen)
{
	unsigned long pid, n, i;
	const char *s;

	memset(out, 0, sizeof(*out));
	if (!listen_pid)
		return 0;
	if (parse_decimal(listen_pid, 0x7fffffffUL, &pid) || pid == 0) {
		ERR("LISTEN_PID=\"%.32s\" is not a process id", listen_pid);
		return -EINVAL;
	}
	/* Meant for another process (one we were forked from, say). */
	if ((pid_t)pid != self)
		return 0;
	if (!listen_fds)
		return 0;
	if (parse_decimal(listen_fds, 0x7fffffffUL, &n)) {
		ERR("LISTEN_FDS=\"%.32s\" is not a number", listen_fds);
		return -EINVAL;
	}
	if (n > EW_LISTEN_FDS_MAX) {
		ERR("LISTEN_FDS=%lu: more sockets than the %d taken", n,
		    EW_LISTEN_FDS_MAX);
		return -EINVAL;
	}
	s = listen_fdnames;
	for (i = 0; i < n; i++) {
		const char *end;
		size_t len, j;

		out->fds[i].fd = EW_LISTEN_FDS_START + (int)i;
		if (!listen_fdnames) {
			strcpy(out->fds[i].name, "unknown");
			continue;
		}
		if (!s) {
			ERR("LISTEN_FDNAMES has %lu names for %lu sockets", i, n);
			return -EINVAL;
		}
		end = strchr(s, ':');
		len = end ? (size_t)(end - s) : strlen(s);
		if (len > EW_LISTEN_FDNAME_MAX) {
			ERR("LISTEN_FDNAMES: name %lu is longer than %d bytes",
			    i + 1, EW_LISTEN_FDNAME_MAX);
			return -EINVAL;
		}
		for (j = 0; j < len; j++)
			if ((unsigned char)s[j] < 0x20 || (unsigned char)s[j] > 0x7e) {
				ERR("LISTEN_FDNAMES: name %lu has a control "
				    "or non-ASCII byte", i + 1);
				return -EINVAL;
			}
		memcpy(out->fds[i].name, s, len);
		out->fds[i].name[len] = '\0';
		s = end ? end + 1 : NULL;
	}
	if (listen_fdnames && (n == 0 ? listen_fdnames[0] != '\0' : s != NULL)) {
		ERR("LISTEN_FDNAMES has more names than the %lu sockets", n);
		return -EINVAL;
	}
	out->n = (unsigned int)n;
	return (int)n;
}

static int check_listener(int fd, const char *name, char *err, size_t errlen)
{
	int v, flags;
	socklen_t len;

	flags = fcntl(fd, F_GETFD);
	if (flags < 0) {
		ERR("LISTEN_FDS: fd %d (\"%s\") is not open", fd, name);
		return -EBADF;
	}
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len)) {
		ERR("LISTEN_FDS: fd %d (\"%s\") is not a socket", fd, name);
		return -ENOTSOCK;
	}
	if (v != AF_UNIX) {
		ERR("LISTEN_FDS: fd %d (\"%s\") is not an AF_UNIX socket "
		    "(family %d)", fd, name, v);
		return -EINVAL;
	}
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) || v != SOCK_STREAM) {
		ERR("LISTEN_FDS: fd %d (\"%s\") is not a stream socket", fd, name);
		return -EINVAL;
	}
	len = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) || !v) {
		ERR("LISTEN_FDS: fd %d (\"%s\") is not listening "
		    "(Accept=yes units are not supported)", fd, name);
		return -EINVAL;
	}
	if (!(flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags | FD_CLOEXEC)) {
		ERR("LISTEN_FDS: fd %d: cannot set close-on-exec: %s", fd,
		    strerror(errno));
		return -errno;
	}
	return 0;
}

int ew_listen_fds_from_env(struct ew_listen_fds *out, char *err, size_t errlen)
{
	unsigned int i;
	int ret;

	ret = ew_listen_fds_parse(getenv("LISTEN_PID"), getenv("LISTEN_FDS"),
				  getenv("LISTEN_FDNAMES"), getpid(), out,
				  err, errlen);
	/* As sd_listen_fds(1): children must not take them for theirs. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (ret <= 0)
		return ret;
	for (i = 0; i < out->n; i++) {
		int r = check_listener(out->fds[i].fd, out->fds[i].name, err,
				       errlen);
		if (r)
			return r;
	}
	return ret;
}

int ew_listen_fds_take(struct ew_listen_fds *set, const char *name)
{
	unsigned int i;
	int fd;

	for (i = 0; i < set->n; i++) {
		if (set->fds[i].fd < 0 || strcmp(set->fds[i].name, name))
			continue;
		fd = set->fds[i].fd;
		set->fds[i].fd = -1;
		return fd;
	}
	return -ENOENT;
}

void ew_listen_fds_close_rest(struct ew_listen_fds *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		if (set->fds[i].fd >= 0)
			close(set->fds[i].fd);
		set->fds[i].fd = -1;
	}
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binding the API sockets ourselves, when systemd did not hand them over:
 * the path is inspected without following links, a stale socket replaced,
 * a live one left alone, and the new socket never has more permissions than
 * asked for, not even for an instant.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "http/http.h"

#define ERR(...) do { if (err) snprintf(err, errlen, __VA_ARGS__); } while (0)

/*
 * Whether a server still accepts on the socket at @sa: 1 yes, 0 no (stale
 * or gone), negative errno when we cannot tell.
 */
static int socket_in_use(const struct sockaddr_un *sa)
{
	int s, ret;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		ret = 1;
	else if (errno == EAGAIN)	/* a listener with a full backlog */
		ret = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		ret = 0;
	else
		ret = -errno;
	close(s);
	return ret;
}

int ew_http_listen_unix(const char *path, mode_t mode, gid_t group,
			char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	size_t len;
	int fd, ret;

	if (!path || !path[0]) {
		ERR("empty socket path");
		return -EINVAL;
	}
	len = strlen(path);
	if (len >= sizeof(sa.sun_path)) {
		ERR("socket path %s is too long (at most %zu bytes)", path,
		    sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	if (mode & ~(mode_t)0777) {
		ERR("socket %s: bad mode %o", path, (unsigned int)mode);
		return -EINVAL;
	}
	memcpy(sa.sun_path, path, len + 1);

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			ERR("%s is a symbolic link; refusing to follow it "
			    "(remove it, or configure the real path)", path);
			return -ELOOP;
		}
		if (!S_ISSOCK(st.st_mode)) {
			ERR("%s exists and is not a socket; refusing to replace it",
			    path);
			return -EEXIST;
		}
		ret = socket_in_use(&sa);
		if (ret > 0) {
			ERR("%s: another server is accepting on this socket", path);
			return -EADDRINUSE;
		}
		if (ret < 0) {
			ERR("%s: cannot tell whether the socket is in use: %s",
			    path, strerror(-ret));
			return ret;
		}
		if (unlink(path) && errno != ENOENT) {
			ret = -errno;
			ERR("cannot remove stale socket %s: %s", path, strerror(-ret));
			return ret;
		}
	} else if (errno != ENOENT) {
		ret = -errno;
		ERR("%s: %s", path, strerror(-ret));
		return ret;
	}

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		ERR("socket: %s", strerror(-ret));
		return ret;
	}
	/*
	 * bind() creates the file with the socket inode's mode less the
	 * umask: setting @mode first means the file never has more than that,
	 * whatever the umask (which is per process, so not ours to change).
	 */
	if (fchmod(fd, mode)) {
		ret = -errno;
		ERR("socket %s: fchmod: %s", path, strerror(-ret));
		goto out_close;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		if (ret == -EADDRINUSE)
			ERR("%s appeared while binding it", path);
		else
			ERR("cannot bind %s: %s", path, strerror(-ret));
		goto out_close;
	}
	/* The umask may have taken bits away: now set exactly @mode (and the
	 * group), never through a link someone swapped in meanwhile. */
	if (group != (gid_t)-1 &&
	    fchownat(AT_FDCWD, path, (uid_t)-1, group, AT_SYMLINK_NOFOLLOW)) {
		ret = -errno;
		ERR("cannot give %s to group %u: %s", path, (unsigned int)group,
		    strerror(-ret));
		goto out_unlink;
	}
	if (fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW)) {
		ret = -errno;
		ERR("cannot chmod %s to %o: %s", path, (unsigned int)mode,
		    strerror(-ret));
		goto out_unlink;
	}
	if (listen(fd, SOMAXCONN)) {
		ret = -errno;
		ERR("cannot listen on %s: %s", path, strerror(-ret));
		goto out_unlink;
	}
	return fd;

out_unlink:
	unlink(path);
out_close:
	close(fd);
	return ret;
}

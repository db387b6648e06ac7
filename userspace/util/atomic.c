// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomic replacement of files: see atomic.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/atomic.h"

int ew_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int open_tmp(int dirfd, const char *name, char *tmp, size_t tmplen)
{
	unsigned int i;

	for (i = 0; i < 100; i++) {
		int fd;

		snprintf(tmp, tmplen, EW_ATOMIC_TMP_PREFIX "%.200s.%d.%u", name,
			 (int)getpid(), i);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
			    O_NOFOLLOW, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd < 0 ? -errno : fd;
	}
	return -EEXIST;
}

int ew_atomic_write_at(int dirfd, const char *name, const void *data,
		       size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	int fd, err;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	fd = open_tmp(dirfd, name, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	err = ew_write_all(fd, data, len);
	if (!err && fchmod(fd, mode))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && renameat(dirfd, tmp, dirfd, name))
		err = -errno;
	if (err) {
		unlinkat(dirfd, tmp, 0);
		return err;
	}
	return fsync(dirfd) ? -errno : 0;
}

int ew_atomic_write(const char *path, const void *data, size_t len,
		    mode_t mode)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	int dirfd, err;

	if (slash) {
		size_t n = slash == path ? 1 : (size_t)(slash - path);

		if (n >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	} else {
		strcpy(dir, ".");
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	err = ew_atomic_write_at(dirfd, name, data, len, mode);
	close(dirfd);
	return err;
}

int ew_atomic_sweep_at(int dirfd)
{
	struct dirent *de;
	int fd, n = 0;
	DIR *d;

	fd = dup(dirfd);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, EW_ATOMIC_TMP_PREFIX,
			    strlen(EW_ATOMIC_TMP_PREFIX)))
			continue;
		if (!unlinkat(dirfd, de->d_name, 0))
			n++;
	}
	closedir(d);
	return n;
}

int ew_read_file_at(int dirfd, const char *name, size_t max, char **data,
		    size_t *len)
{
	struct stat st;
	size_t off = 0;
	char *buf;
	int fd, err = 0;

	*data = NULL;
	*len = 0;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ELOOP ? -EINVAL : -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if ((size_t)st.st_size > max) {
		err = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			free(buf);
			goto out;
		}
		off += (size_t)n;
	}
	buf[off] = '\0';
	*data = buf;
	*len = off;
out:
	close(fd);
	return err;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing state to disk so that a crash at any instant leaves either the
 * old file or the new one, never a partial file: a temporary file in the
 * same directory, written, fsync'd, renamed over the target, and the
 * directory fsync'd so the rename itself is durable.
 */
#ifndef EW_UTIL_ATOMIC_H
#define EW_UTIL_ATOMIC_H

#include <stddef.h>
#include <sys/types.h>

/* Prefix of temporary files: loaders skip names starting with it. */
#define EW_ATOMIC_TMP_PREFIX ".tmp-"

/* Writes all @len bytes to @fd, through EINTR and short writes: 0 or -errno. */
int ew_write_all(int fd, const void *data, size_t len);

/**
 * ew_atomic_write_at() - replace @dirfd/@name with @len bytes of @data
 * @dirfd: directory (O_DIRECTORY) the file lives in
 * @name: a single path component
 * @mode: permission bits of the new file (applied with fchmod, so the
 *        umask does not widen or narrow them)
 *
 * Return: 0 or a negative errno; on failure the old file is untouched and
 * no temporary file is left behind.
 */
int ew_atomic_write_at(int dirfd, const char *name, const void *data,
		       size_t len, mode_t mode);

/* The same with a path: its directory is opened for the call. */
int ew_atomic_write(const char *path, const void *data, size_t len,
		    mode_t mode);

/*
 * Removes temporary files a crashed writer left in @dirfd.
 * Return: how many were removed, or a negative errno.
 */
int ew_atomic_sweep_at(int dirfd);

/*
 * Reads all of @dirfd/@name (not following a symlink, a regular file of at
 * most @max bytes) into a malloc'd, NUL-terminated buffer.
 * Return: 0, -ENOENT, -EFBIG over @max, -EINVAL not a regular file, or
 * another negative errno.
 */
int ew_read_file_at(int dirfd, const char *name, size_t max, char **data,
		    size_t *len);

#endif /* EW_UTIL_ATOMIC_H */

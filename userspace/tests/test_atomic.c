// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of util/atomic.c: replacement is whole or nothing, modes are
 * exact, leftovers of a crashed writer are swept, reads are bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "util/atomic.h"

FIXTURE(dir) {
	char path[64];
	int fd;
};

FIXTURE_SETUP(dir)
{
	strcpy(self->path, "/tmp/ew-atomic-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	self->fd = open(self->path, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(dir)
{
	char cmd[96];

	close(self->fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->path);
	if (system(cmd))
		TH_LOG("could not remove %s", self->path);
}

static int count_entries(int dirfd)
{
	int n = -2;	/* . and .. */
	char cmd[64];
	FILE *p;
	char line[256];

	snprintf(cmd, sizeof(cmd), "ls -a /proc/self/fd/%d", dirfd);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		n++;
	pclose(p);
	return n;
}

TEST_F(dir, write_replaces_and_reads_back)
{
	struct stat st;
	char *data;
	size_t len;

	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "one", 3, 0600));
	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "second", 6, 0644));
	ASSERT_EQ(0, ew_read_file_at(self->fd, "f", 100, &data, &len));
	EXPECT_EQ(6U, len);
	EXPECT_STREQ("second", data);
	free(data);
	ASSERT_EQ(0, fstatat(self->fd, "f", &st, 0));
	EXPECT_EQ(0644U, st.st_mode & 07777U);
	/* Nothing but the file itself is left. */
	EXPECT_EQ(1, count_entries(self->fd));
}

TEST_F(dir, mode_is_exact_whatever_the_umask)
{
	struct stat st;
	mode_t old = umask(0077);

	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "x", 1, 0644));
	umask(old);
	ASSERT_EQ(0, fstatat(self->fd, "f", &st, 0));
	EXPECT_EQ(0644U, st.st_mode & 07777U);
}

TEST_F(dir, by_path)
{
	char path[96], *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/g", self->path);
	ASSERT_EQ(0, ew_atomic_write(path, "abc", 3, 0600));
	ASSERT_EQ(0, ew_read_file_at(self->fd, "g", 3, &data, &len));
	EXPECT_STREQ("abc", data);
	free(data);
	EXPECT_EQ(-ENOENT, ew_atomic_write("/nonexistent-dir/x", "a", 1, 0600));
}

TEST_F(dir, bad_names_refused)
{
	EXPECT_EQ(-EINVAL, ew_atomic_write_at(self->fd, "", "a", 1, 0600));
	EXPECT_EQ(-EINVAL, ew_atomic_write_at(self->fd, "a/b", "a", 1, 0600));
	EXPECT_EQ(-EINVAL, ew_atomic_write_at(self->fd, "..", "a", 1, 0600));
	EXPECT_EQ(0, count_entries(self->fd));
}

TEST_F(dir, failed_write_keeps_the_old_file)
{
	char *data;
	size_t len;

	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "old", 3, 0600));
	/* A directory in the way of the rename: the write fails as a whole. */
	ASSERT_EQ(0, mkdirat(self->fd, "d", 0700));
	EXPECT_NE(0, ew_atomic_write_at(self->fd, "d", "new", 3, 0600));
	ASSERT_EQ(0, ew_read_file_at(self->fd, "f", 10, &data, &len));
	EXPECT_STREQ("old", data);
	free(data);
	EXPECT_EQ(2, count_entries(self->fd));
}

TEST_F(dir, sweep_removes_leftovers_only)
{
	int fd = openat(self->fd, EW_ATOMIC_TMP_PREFIX "f.1.0", O_CREAT | O_WRONLY, 0600);

	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "x", 1, 0600));
	EXPECT_EQ(1, ew_atomic_sweep_at(self->fd));
	EXPECT_EQ(1, count_entries(self->fd));
	EXPECT_EQ(0, ew_atomic_sweep_at(self->fd));
}

TEST_F(dir, read_is_bounded_and_refuses_odd_files)
{
	char *data;
	size_t len;

	ASSERT_EQ(0, ew_atomic_write_at(self->fd, "f", "12345", 5, 0600));
	EXPECT_EQ(-EFBIG, ew_read_file_at(self->fd, "f", 4, &data, &len));
	EXPECT_EQ(NULL, data);
	EXPECT_EQ(-ENOENT, ew_read_file_at(self->fd, "none", 4, &data, &len));
	ASSERT_EQ(0, symlinkat("f", self->fd, "link"));
	EXPECT_EQ(-EINVAL, ew_read_file_at(self->fd, "link", 10, &data, &len));
	ASSERT_EQ(0, mkdirat(self->fd, "d", 0700));
	EXPECT_EQ(-EINVAL, ew_read_file_at(self->fd, "d", 10, &data, &len));
}

TEST_HARNESS_MAIN

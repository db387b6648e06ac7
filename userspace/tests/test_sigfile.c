// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of reading --manifest-sig (ctl/sigfile.c): files made here of
 * every size that matters, and what cannot be a DER signature.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "commands.h"
#include "edgeward.h"

FIXTURE(sigfile)
{
	char dir[32];
	char path[64];
	char err[512];
};

FIXTURE_SETUP(sigfile)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/ew-sig-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/m.sig", self->dir);
}

FIXTURE_TEARDOWN(sigfile)
{
	unlink(self->path);
	rmdir(self->dir);
}

/* Writes len bytes of a DER-looking pattern (a SEQUENCE, then counting). */
static int write_sig(const char *path, size_t len)
{
	uint8_t *buf = malloc(len + 1);
	FILE *f;
	size_t i, n;

	if (!buf)
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = i == 0 ? 0x30 : (uint8_t)i;
	f = fopen(path, "wb");
	n = f ? fwrite(buf, 1, len, f) : 0;
	if (f)
		fclose(f);
	free(buf);
	return f && n == len ? 0 : -1;
}

TEST_F(sigfile, sizes)
{
	static const size_t good[] = { 1, 2, 4095, 4096, 4097, EDGEWARD_MANIFEST_SIG_MAX };
	uint8_t *data;
	size_t len, i, b;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ASSERT_EQ(0, write_sig(self->path, good[i]));
		ASSERT_EQ(0, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						   sizeof(self->err)))
			TH_LOG("%zu bytes: %s", good[i], self->err);
		/* Whole and intact. */
		ASSERT_EQ(good[i], len);
		EXPECT_EQ(0x30, data[0]);
		for (b = 1; b < len; b++)
			if (data[b] != (uint8_t)b)
				break;
		EXPECT_EQ(len, b);
		free(data);
	}
}

TEST_F(sigfile, too_long)
{
	uint8_t *data = (uint8_t *)1;
	size_t len = 1;
	char want[1024];

	ASSERT_EQ(0, write_sig(self->path, EDGEWARD_MANIFEST_SIG_MAX + 1));
	EXPECT_EQ(-EFBIG, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						sizeof(self->err)));
	EXPECT_EQ(NULL, data);
	EXPECT_EQ(0u, len);
	snprintf(want, sizeof(want),
		 "--manifest-sig %s: longer than 8192 bytes, not a manifest signature",
		 self->path);
	EXPECT_STREQ(want, self->err);
	/* Far longer: read no further than needed to tell. */
	ASSERT_EQ(0, write_sig(self->path, 1 << 20));
	EXPECT_EQ(-EFBIG, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						sizeof(self->err)));
}

TEST_F(sigfile, empty)
{
	uint8_t *data;
	size_t len;
	char want[1024];

	ASSERT_EQ(0, write_sig(self->path, 0));
	EXPECT_EQ(-ENODATA, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						  sizeof(self->err)));
	snprintf(want, sizeof(want), "--manifest-sig %s: empty file", self->path);
	EXPECT_STREQ(want, self->err);
	EXPECT_EQ(NULL, data);
}

TEST_F(sigfile, pem_refused)
{
	static const char pem[] = "-----BEGIN CMS-----\nMIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZIhvcNAQcB\n";
	uint8_t *data;
	size_t len;
	FILE *f;

	f = fopen(self->path, "w");
	ASSERT_NE(NULL, f);
	fputs(pem, f);
	fclose(f);
	EXPECT_EQ(-EINVAL, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						 sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, ": PEM, the kernel takes DER (openssl cms -sign ... -outform DER)"));
	EXPECT_EQ(NULL, data);
}

TEST_F(sigfile, unreadable)
{
	uint8_t *data;
	size_t len;
	char want[1024];

	/* Missing: the file system's own words. */
	EXPECT_EQ(-ENOENT, ctl_load_manifest_sig(self->path, &data, &len, self->err,
						 sizeof(self->err)));
	snprintf(want, sizeof(want), "--manifest-sig %s: No such file or directory", self->path);
	EXPECT_STREQ(want, self->err);
	/* A directory cannot be read. */
	EXPECT_EQ(-EISDIR, ctl_load_manifest_sig(self->dir, &data, &len, self->err,
						 sizeof(self->err)));
	snprintf(want, sizeof(want), "--manifest-sig %s: Is a directory", self->dir);
	EXPECT_STREQ(want, self->err);
	EXPECT_EQ(NULL, data);
}

TEST_F(sigfile, from_a_pipe)
{
	static const uint8_t sig[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	char path[64];
	uint8_t *data;
	size_t len;
	int fds[2];

	/* As process substitution passes it: /dev/fd/N of a pipe, read to EOF. */
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ((ssize_t)sizeof(sig), write(fds[1], sig, sizeof(sig)));
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	ASSERT_EQ(0, ctl_load_manifest_sig(path, &data, &len, self->err, sizeof(self->err)))
		TH_LOG("%s", self->err);
	ASSERT_EQ(sizeof(sig), len);
	EXPECT_EQ(0, memcmp(sig, data, len));
	free(data);
	close(fds[0]);
}

TEST_HARNESS_MAIN

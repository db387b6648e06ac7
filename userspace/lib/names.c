// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names and formats of the edgeward contract: enum names, registration
 * flags, digests and signers in hex, the module id alphabet, and cgroup ids. Pure functions but for
 * ew_cgroup_id_of_path, which asks the file system.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "internal.h"
#include "util/hex.h"

static const char *const mode_names[] = {
	[EDGEWARD_MODE_OFF] = "off",
	[EDGEWARD_MODE_AUDIT] = "audit",
	[EDGEWARD_MODE_ENFORCE] = "enforce",
};

const char *ew_mode_name(uint32_t mode)
{
	if (mode >= EDGEWARD_MODE_OFF && mode <= EDGEWARD_MODE_MAX)
		return mode_names[mode];
	return "unknown";
}

int ew_mode_parse(const char *s, uint32_t *mode)
{
	uint32_t m;

	for (m = EDGEWARD_MODE_OFF; s && m <= EDGEWARD_MODE_MAX; m++) {
		if (!strcmp(s, mode_names[m])) {
			*mode = m;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ew_ima_state_name(uint32_t state)
{
	switch (state) {
	case EDGEWARD_IMA_STATE_ABSENT:
		return "absent";
	case EDGEWARD_IMA_STATE_AVAILABLE:
		return "available";
	case EDGEWARD_IMA_STATE_NOT_CONFIGURED:
		return "not-configured";
	case EDGEWARD_IMA_STATE_MEASURING:
		return "measuring";
	default:
		return "unknown";
	}
}

const char *ew_keyring_state_name(uint32_t state)
{
	switch (state) {
	case EDGEWARD_KEYRING_STATE_ABSENT:
		return "absent";
	case EDGEWARD_KEYRING_STATE_AVAILABLE:
		return "available";
	case EDGEWARD_KEYRING_STATE_TEST_KEYS:
		return "test-keys";
	default:
		return "unknown";
	}
}

const char *ew_verdict_name(uint32_t verdict)
{
	switch (verdict) {
	case EDGEWARD_VERDICT_ALLOWED:
		return "allowed";
	case EDGEWARD_VERDICT_DENIED:
		return "denied";
	case EDGEWARD_VERDICT_AUDITED:
		return "audited";
	case EDGEWARD_VERDICT_UNMEASURED:
		return "unmeasured";
	case EDGEWARD_VERDICT_UNJUDGED:
		return "unjudged";
	case EDGEWARD_VERDICT_SIGNED:
		return "signed";
	default:
		return "unknown";
	}
}

const char *ew_event_name(uint8_t cmd)
{
	switch (cmd) {
	case EDGEWARD_CMD_REG_ADD_NTF:
		return "reg-add";
	case EDGEWARD_CMD_REG_DEL_NTF:
		return "reg-del";
	case EDGEWARD_CMD_REG_CHANGE_NTF:
		return "reg-change";
	case EDGEWARD_CMD_MODE_CHANGE_NTF:
		return "mode-change";
	case EDGEWARD_CMD_EXEC_NTF:
		return "exec";
	case EDGEWARD_CMD_LOCK_NTF:
		return "lock";
	default:
		return "unknown";
	}
}

const char *ew_reg_flag_name(uint32_t flag)
{
	switch (flag) {
	case EDGEWARD_REG_FLAGS_AGENT:
		return "agent";
	case EDGEWARD_REG_FLAGS_REQUIRE_SIGNED_MANIFEST:
		return "require-signed-manifest";
	default:
		return NULL;
	}
}

void ew_reg_flags_format(uint32_t flags, char out[EW_REG_FLAGS_STRLEN])
{
	uint32_t bit, unknown = flags & ~(uint32_t)EW_REG_FLAGS_ALL;
	size_t n = 0;

	out[0] = '\0';
	for (bit = 1; bit & EW_REG_FLAGS_ALL; bit <<= 1) {
		if (flags & bit)
			n += (size_t)snprintf(out + n, EW_REG_FLAGS_STRLEN - n, "%s%s",
					      n ? "," : "", ew_reg_flag_name(bit));
	}
	/* Every name and "0xffffffff" fit: nothing is ever cut. */
	if (unknown)
		snprintf(out + n, EW_REG_FLAGS_STRLEN - n, "%s0x%" PRIx32,
			 n ? "," : "", unknown);
}

/* The flag named by the len bytes at s, 0 if none. */
static uint32_t flag_by_name(const char *s, size_t len)
{
	uint32_t bit;

	for (bit = 1; bit & EW_REG_FLAGS_ALL; bit <<= 1) {
		const char *name = ew_reg_flag_name(bit);

		if (strlen(name) == len && !strncmp(s, name, len))
			return bit;
	}
	return 0;
}

int ew_reg_flags_parse(const char *s, uint32_t *flags)
{
	uint32_t v = 0, bit;
	size_t len;

	if (!s)
		return -EINVAL;
	if (!*s) {
		*flags = 0;
		return 0;
	}
	for (;;) {
		len = strcspn(s, ",");
		bit = flag_by_name(s, len);
		if (!bit || (v & bit))
			return -EINVAL;
		v |= bit;
		if (!s[len])
			break;
		s += len + 1;
	}
	*flags = v;
	return 0;
}

int ew_digest_parse(const char *hex, uint8_t out[EDGEWARD_DIGEST_LEN])
{
	uint8_t d[EDGEWARD_DIGEST_LEN];
	size_t i;

	if (!hex || strlen(hex) != 2 * EDGEWARD_DIGEST_LEN)
		return -EINVAL;
	for (i = 0; i < EDGEWARD_DIGEST_LEN; i++) {
		int hi = ew_hex_digit(hex[2 * i]), lo = ew_hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		d[i] = (uint8_t)(hi << 4 | lo);
	}
	/* out is only written once the whole string is known good. */
	memcpy(out, d, sizeof(d));
	return 0;
}

void ew_digest_format(const uint8_t d[EDGEWARD_DIGEST_LEN],
		      char out[2 * EDGEWARD_DIGEST_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < EDGEWARD_DIGEST_LEN; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 0xf];
	}
	out[2 * EDGEWARD_DIGEST_LEN] = '\0';
}

void ew_signer_format(uint32_t id, char out[9])
{
	snprintf(out, 9, "%08" PRIx32, id);
}

int ew_signer_parse(const char *hex, uint32_t *id)
{
	uint32_t v = 0;
	size_t i;

	if (!hex || strlen(hex) != 8)
		return -EINVAL;
	for (i = 0; i < 8; i++) {
		int d = ew_hex_digit(hex[i]);

		if (d < 0)
			return -EINVAL;
		v = v << 4 | (uint32_t)d;
	}
	*id = v;
	return 0;
}

bool ew_ident_char_valid(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	/* strchr would also match the terminating NUL. */
	return c != '\0' && strchr("-:.+%_#*?!(),=@$'", c) != NULL;
}

bool ew_ident_valid(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++) {
		if (i >= EDGEWARD_NAME_MAX_LEN || !ew_ident_char_valid((unsigned char)s[i]))
			return false;
	}
	return i >= 1;
}

int ew_cgroup_id_of_fd(int fd, uint64_t *id)
{
	/* Room for the handle: cgroupfs (kernfs) uses 8 bytes, the id. */
	union {
		struct file_handle fh;
		char space[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	struct statfs sfs;
	struct stat st;
	int mount_id;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (fstatfs(fd, &sfs) < 0)
		return -errno;
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -EMEDIUMTYPE;
	h.fh.handle_bytes = sizeof(uint64_t);
	if (name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) < 0)
		return -errno;
	if (h.fh.handle_bytes != sizeof(*id))
		return -EPROTO;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

int ew_cgroup_id_of_path(const char *path, uint64_t *id)
{
	int fd, r;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = ew_cgroup_id_of_fd(fd, id);
	close(fd);
	return r;
}

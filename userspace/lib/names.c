// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names and formats of the edgeward contract: enum names, digests in hex,
 * the module id alphabet, and cgroup ids. Pure functions but for
 * ew_cgroup_id_of_path, which asks the file system.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "internal.h"

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
	default:
		return "unknown";
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ew_digest_parse(const char *hex, uint8_t out[EDGEWARD_DIGEST_LEN])
{
	uint8_t d[EDGEWARD_DIGEST_LEN];
	size_t i;

	if (!hex || strlen(hex) != 2 * EDGEWARD_DIGEST_LEN)
		return -EINVAL;
	for (i = 0; i < EDGEWARD_DIGEST_LEN; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

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

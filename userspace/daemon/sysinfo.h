/* SPDX-License-Identifier: GPL-2.0-only */
/* SystemInfo and SystemResources of the management API, read off the host. */
#ifndef EW_DAEMON_SYSINFO_H
#define EW_DAEMON_SYSINFO_H

#include <cjson/cJSON.h>

struct ew_daemon;

cJSON *ew_sysinfo_json(struct ew_daemon *d);
cJSON *ew_sysinfo_resources_json(struct ew_daemon *d);

/* PRETTY_NAME of an os-release text, into @out ("" if none). */
void ew_sysinfo_os_name(const char *os_release, char *out, size_t outlen);

#endif /* EW_DAEMON_SYSINFO_H */

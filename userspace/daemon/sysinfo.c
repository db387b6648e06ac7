// SPDX-License-Identifier: GPL-2.0-only
/*
 * SystemInfo and SystemResources (management-api.md), from uname, sysinfo,
 * /etc/os-release, /proc and statvfs.
 */
#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "daemon/daemon.h"
#include "daemon/sysinfo.h"
#include "edgeward.h"

void ew_sysinfo_os_name(const char *text, char *out, size_t outlen)
{
	const char *p = text;
	size_t n;

	out[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, "PRETTY_NAME=", 12)) {
			p += 12;
			n = strcspn(p, "\n");
			if (n >= 2 && (*p == '"' || *p == '\'') && p[n - 1] == *p) {
				p++;
				n -= 2;
			}
			snprintf(out, outlen, "%.*s", (int)n, p);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* "yes" when the CPU says it runs under a hypervisor. */
static const char *virtualized(void)
{
	char line[4096];
	FILE *f = fopen("/proc/cpuinfo", "re");
	const char *v = "unknown";

	if (!f)
		return v;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		v = strstr(line, " hypervisor") ? "yes" : "no";
		break;
	}
	fclose(f);
	return v;
}

cJSON *ew_sysinfo_json(struct ew_daemon *d)
{
	cJSON *o = cJSON_CreateObject(), *prov, *km;
	struct ew_error e = { 0 };
	struct ew_status st;
	struct utsname u;
	struct sysinfo si;
	char osr[4096], os[256];
	bool loaded;

	uname(&u);
	sysinfo(&si);
	read_text("/etc/os-release", osr, sizeof(osr));
	ew_sysinfo_os_name(osr, os, sizeof(os));
	loaded = ew_kernel_present(&d->kernel) && !ew_kernel_status(&d->kernel, &st, &e);
	prov = cJSON_CreateObject();
	km = cJSON_CreateObject();
	if (!o || !prov || !km ||
	    !cJSON_AddStringToObject(o, "osType", "Linux") ||
	    !cJSON_AddStringToObject(o, "architecture", u.machine) ||
	    !cJSON_AddNumberToObject(o, "cpus", (double)sysconf(_SC_NPROCESSORS_ONLN)) ||
	    !cJSON_AddStringToObject(o, "virtualized", virtualized()) ||
	    !cJSON_AddStringToObject(o, "version", EW_VERSION) ||
	    !cJSON_AddStringToObject(prov, "type", ew_config_provisioning_type(&d->cfg)) ||
	    !cJSON_AddBoolToObject(prov, "dynamicReprovisioning",
				   ew_config_dynamic_reprovisioning(&d->cfg)) ||
	    !cJSON_AddBoolToObject(prov, "alwaysReprovisionOnStartup",
				   ew_config_always_reprovision(&d->cfg)) ||
	    !cJSON_AddItemToObject(o, "provisioning", prov))
		goto fail;
	prov = NULL;
	if (!cJSON_AddStringToObject(o, "kernel_release", u.release) ||
	    !cJSON_AddStringToObject(o, "kernel_version", u.version) ||
	    !cJSON_AddStringToObject(o, "operating_system", os) ||
	    !cJSON_AddNumberToObject(o, "total_memory", (double)si.totalram * si.mem_unit) ||
	    !cJSON_AddBoolToObject(km, "loaded", loaded) ||
	    !cJSON_AddStringToObject(km, "version", loaded ? st.version : "") ||
	    !cJSON_AddStringToObject(km, "mode", loaded ? ew_mode_name(st.mode) : "off") ||
	    !cJSON_AddItemToObject(o, "kernel_module", km))
		goto fail;
	return o;
fail:
	cJSON_Delete(prov);
	cJSON_Delete(km);
	cJSON_Delete(o);
	return NULL;
}

/* Busy share of all CPUs over a tenth of a second, in percent. */
static double cpu_used(void)
{
	unsigned long long a[2][8] = { { 0 } };
	double busy, total;
	int i, k;

	for (i = 0; i < 2; i++) {
		FILE *f = fopen("/proc/stat", "re");

		if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
				 &a[i][0], &a[i][1], &a[i][2], &a[i][3], &a[i][4],
				 &a[i][5], &a[i][6], &a[i][7]) != 8) {
			if (f)
				fclose(f);
			return 0;
		}
		fclose(f);
		if (!i)
			usleep(100000);
	}
	for (total = 0, k = 0; k < 8; k++)
		total += (double)(a[1][k] - a[0][k]);
	busy = total - (double)(a[1][3] - a[0][3]) - (double)(a[1][4] - a[0][4]);
	return total > 0 ? 100.0 * busy / total : 0;
}

static unsigned long long meminfo(const char *key)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtoull(line + n + 1, NULL, 10) * 1024;
			break;
		}
	fclose(f);
	return v;
}

static bool real_fs(const char *type)
{
	static const char *const types[] = {
		"ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "f2fs", "zfs", "overlay", NULL
	};
	int i;

	for (i = 0; types[i]; i++)
		if (!strcmp(type, types[i]))
			return true;
	return false;
}

static cJSON *disks(void)
{
	cJSON *arr = cJSON_CreateArray(), *dsk;
	FILE *f = setmntent("/proc/self/mounts", "re");
	struct mntent *m;
	struct statvfs sv;

	if (!arr || !f) {
		if (f)
			endmntent(f);
		return arr;
	}
	while ((m = getmntent(f))) {
		if (!real_fs(m->mnt_type) || statvfs(m->mnt_dir, &sv))
			continue;
		dsk = cJSON_CreateObject();
		if (!dsk || !cJSON_AddStringToObject(dsk, "name", m->mnt_fsname) ||
		    !cJSON_AddNumberToObject(dsk, "available_space",
					     (double)sv.f_bavail * sv.f_frsize) ||
		    !cJSON_AddNumberToObject(dsk, "total_space",
					     (double)sv.f_blocks * sv.f_frsize) ||
		    !cJSON_AddStringToObject(dsk, "file_system", m->mnt_type) ||
		    !cJSON_AddStringToObject(dsk, "file_type", "Unknown") ||
		    !cJSON_AddItemToArray(arr, dsk)) {
			cJSON_Delete(dsk);
			break;
		}
	}
	endmntent(f);
	return arr;
}

cJSON *ew_sysinfo_resources_json(struct ew_daemon *d)
{
	cJSON *o = cJSON_CreateObject(), *dk = disks();
	unsigned long long total = meminfo("MemTotal"), avail = meminfo("MemAvailable");
	struct sysinfo si;

	sysinfo(&si);
	if (!o || !dk ||
	    !cJSON_AddNumberToObject(o, "host_uptime", (double)si.uptime) ||
	    !cJSON_AddNumberToObject(o, "process_uptime", (double)(time(NULL) - d->started)) ||
	    !cJSON_AddNumberToObject(o, "used_cpu", cpu_used()) ||
	    !cJSON_AddNumberToObject(o, "used_ram", (double)(total - avail)) ||
	    !cJSON_AddNumberToObject(o, "total_ram", (double)total) ||
	    !cJSON_AddItemToObject(o, "disks", dk)) {
		cJSON_Delete(dk);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

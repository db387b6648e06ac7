// SPDX-License-Identifier: GPL-2.0-only
/*
 * Identifying API callers: kernel attestation, or the /proc fallback (see
 * authz.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon/authz.h"
#include "daemon/daemon.h"
#include "http/http.h"

bool ew_authz_verdict_ok(uint32_t verdict)
{
	return verdict == EDGEWARD_VERDICT_ALLOWED ||
	       verdict == EDGEWARD_VERDICT_SIGNED ||
	       verdict == EDGEWARD_VERDICT_UNJUDGED;
}

bool ew_authz_fresh(const struct ew_authz *a, const struct ew_caller *c)
{
	return c->weak || c->epoch == ew_kernel_epoch(a->kernel);
}

static int from_kernel(const struct ew_authz *a, int fd, struct ew_caller *out)
{
	struct ew_error e = { 0 };
	struct ew_task t;
	int rc;

	rc = ew_kernel_attest(a->kernel, fd, &t, &e);
	if (rc == -ENOENT) {
		out->kind = EW_CALLER_HOST;
		return 0;
	}
	if (rc == -ESRCH) {
		out->kind = EW_CALLER_REFUSED;
		snprintf(out->why, sizeof(out->why), "the caller has exited");
		return 0;
	}
	if (rc)
		return rc;
	snprintf(out->module, sizeof(out->module), "%s", t.name);
	out->verdict = t.verdict;
	if (ew_authz_verdict_ok(t.verdict)) {
		out->kind = EW_CALLER_MODULE;
	} else {
		out->kind = EW_CALLER_REFUSED;
		snprintf(out->why, sizeof(out->why),
			 "executable %.300s of module %.128s: %s",
			 t.path[0] ? t.path : "(unnamed)", t.name,
			 ew_verdict_name(t.verdict));
	}
	return 0;
}

int ew_authz_parse_proc_cgroup(const char *text, const char *prefix,
			       char module[EW_MODULE_NAME_MAX + 1])
{
	const char *line = text, *path, *end;
	size_t plen = strlen(prefix), n;

	/* cgroup v2: the single line "0::/path"; v1 lines come first on
	 * hybrid systems. */
	while (line && *line) {
		if (!strncmp(line, "0::", 3))
			break;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line || !*line)
		return -EINVAL;
	path = line + 3;
	end = strchr(path, '\n');
	n = end ? (size_t)(end - path) : strlen(path);
	if (n <= plen || strncmp(path, prefix, plen))
		return 0;
	path += plen;
	n -= plen;
	end = memchr(path, '/', n);
	if (end)
		n = (size_t)(end - path);
	if (!n || n > EW_MODULE_NAME_MAX)
		return 0;
	memcpy(module, path, n);
	module[n] = '\0';
	return 1;
}

static int from_proc(const struct ew_authz *a, pid_t pid, int pidfd,
		     struct ew_caller *out)
{
	char path[64], buf[8192];
	size_t len;
	FILE *f;
	int rc;

	out->weak = true;
	if (pid <= 0)
		return -ESRCH;
	/* procfs reports no size: read what fits, a cgroup file is small. */
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	rc = ew_authz_parse_proc_cgroup(buf, a->cgroup_prefix, out->module);
	if (rc < 0)
		return rc;
	/* The pid may have been reused since accept: the pidfd taken then
	 * still names the original process, dead or alive. Only its death
	 * counts (a kernel or emulator without the call has nothing to say). */
	if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) &&
	    errno == ESRCH) {
		out->kind = EW_CALLER_REFUSED;
		snprintf(out->why, sizeof(out->why), "the caller has exited");
		return 0;
	}
	out->kind = rc ? EW_CALLER_MODULE : EW_CALLER_HOST;
	return 0;
}

int ew_authz_identify(const struct ew_authz *a, int fd, pid_t pid, uid_t uid,
		      int pidfd, struct ew_caller *out)
{
	memset(out, 0, sizeof(*out));
	out->uid = uid;
	out->epoch = ew_kernel_epoch(a->kernel);
	if (ew_kernel_present(a->kernel))
		return from_kernel(a, fd, out);
	return from_proc(a, pid, pidfd, out);
}

const struct ew_caller *ew_api_caller(struct ew_http_req *req, struct ew_daemon *d)
{
	struct ew_caller *c = ew_http_conn_data(req);
	const struct ew_http_peer *p = ew_http_peer(req);

	if (c && ew_authz_fresh(&d->authz, c))
		return c;
	c = malloc(sizeof(*c));
	if (!c)
		return NULL;
	if (ew_authz_identify(&d->authz, ew_http_conn_fd(req), p->pid, p->uid,
			      p->pidfd, c)) {
		free(c);
		return NULL;
	}
	if (c->weak)
		ew_log(LOG_DEBUG, "pid %d identified from /proc (no kernel module)", (int)p->pid);
	ew_http_conn_set_data(req, c, free);
	return c;
}

// SPDX-License-Identifier: GPL-2.0-only
/* What edgewardctl's commands share: reporting failures, the client. */
#include <stdarg.h>
#include <stdio.h>

#include "commands.h"
#include "output.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "edgewardctl: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int ctl_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return CTL_EXIT_FAIL;
}

void ctl_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

int ctl_fail(const struct ew_error *e)
{
	/* The library never leaves msg empty on failure; be safe anyway. */
	if (e->msg[0])
		return ctl_error("%s", e->msg);
	return ctl_error("operation failed (error %d)", e->err);
}

int ctl_open_client(struct ew_client **c)
{
	struct ew_error e;

	if (ew_client_open(c, &e))
		return ctl_fail(&e);
	return CTL_EXIT_OK;
}

int ctl_read_status(struct ew_status *st)
{
	struct ew_client *c;
	struct ew_error e;
	int r;

	r = ctl_open_client(&c);
	if (r)
		return r;
	r = ew_status_get(c, st, &e);
	ew_client_close(c);
	return r ? ctl_fail(&e) : CTL_EXIT_OK;
}

int ctl_emit_json(struct cJSON *j, bool pretty)
{
	int r = ctl_json_print(stdout, j, pretty);

	cJSON_Delete(j);
	if (r)
		return ctl_error("out of memory");
	return CTL_EXIT_OK;
}

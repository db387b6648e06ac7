// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardctl list and module env: the modules as the kernel and edgewardd
 * see them together, and the environment edgewardd gives a module.
 *
 * list asks both and shows what it gets. The kernel's registrations are
 * the ground truth of what is governed; edgewardd adds which module owns a
 * cgroup and whether it runs; the kernel is asked once more per
 * registration for the verdict on the first process in its cgroup (the
 * management API names no pids). Without edgewardd the output is the
 * kernel's table as it always was; without the kernel module, edgewardd's
 * modules with no verdicts.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "daemon/cgroup.h"
#include "mgmt_client.h"
#include "output.h"

/* edgewardd's modules; 0, or a negative errno with the line in @err. */
static int daemon_modules(const struct ctl_args *a, struct ctl_daemon_mod **mods,
			  size_t *n, char *err, size_t errlen)
{
	struct ctl_daemon d;
	cJSON *list = NULL;
	int r;

	*mods = NULL;
	*n = 0;
	r = ctl_daemon_open(a, false, &d, err, errlen);
	if (r)
		return r;
	r = ctl_daemon_get(&d, "/modules", &list, err, errlen);
	if (!r)
		r = ctl_daemon_mods_parse(list, mods, n, err, errlen);
	cJSON_Delete(list);
	ctl_daemon_close(&d);
	return r;
}

/* The first pid in @dir/cgroup.procs, 0 if there is none or it cannot be read. */
static uint32_t first_pid(const char *mnt, const char *cgroup_path)
{
	char path[PATH_MAX + EW_PATH_MAX], buf[32];
	unsigned long pid;
	ssize_t got;
	char *end;
	int fd;

	if (snprintf(path, sizeof(path), "%s%s/cgroup.procs", mnt, cgroup_path) >=
	    (int)sizeof(path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return 0;
	buf[got] = '\0';
	errno = 0;
	pid = strtoul(buf, &end, 10);
	if (errno || end == buf || *end != '\n' || !pid || pid > INT_MAX)
		return 0;
	return (uint32_t)pid;
}

/*
 * The verdict on the first process of each registered cgroup. A process
 * that exits meanwhile, or one the kernel places elsewhere, gets none.
 */
static void attest_rows(struct ew_client *c, struct ctl_mod_row *rows, size_t n)
{
	char mnt[PATH_MAX];
	struct ew_error e;
	struct ew_task *t;
	uint32_t pid;
	size_t i;

	if (ew_cgroup_find_mount(NULL, mnt, sizeof(mnt), &e) < 0)
		return;
	/* A task carries a path of EW_PATH_MAX: keep it off the stack. */
	t = malloc(sizeof(*t));
	if (!t)
		return;
	for (i = 0; i < n; i++) {
		if (!rows[i].reg)
			continue;
		pid = first_pid(mnt, rows[i].reg->cgroup_path);
		if (!pid || ew_attest_pid(c, pid, t, &e) ||
		    t->reg_cgroup_id != rows[i].reg->cgroup_id)
			continue;
		rows[i].has_verdict = true;
		rows[i].verdict = t->verdict;
	}
	free(t);
}

/* The kernel's table, as list printed it before there was a daemon. */
static int print_regs(const struct ctl_args *a, const struct ew_reg *regs, size_t n)
{
	if (a->json)
		return ctl_emit_json(ctl_json_regs(regs, n), true);
	ctl_text_regs(stdout, regs, n);
	return CTL_EXIT_OK;
}

static int print_joined(const struct ctl_args *a, struct ew_client *c,
			const struct ew_reg *regs, size_t nregs,
			const struct ctl_daemon_mod *mods, size_t nmods)
{
	struct ctl_mod_row *rows;
	size_t n;
	int r;

	if (ctl_mods_join(regs, nregs, mods, nmods, &rows, &n))
		return ctl_error("out of memory");
	if (c)
		attest_rows(c, rows, n);
	if (a->json) {
		r = ctl_emit_json(ctl_json_mods(rows, n), true);
	} else {
		ctl_text_mods(stdout, rows, n);
		r = CTL_EXIT_OK;
	}
	free(rows);
	return r;
}

int ctl_cmd_list(const struct ctl_args *a)
{
	struct ctl_daemon_mod *mods = NULL;
	struct ew_client *c = NULL;
	struct ew_reg *regs = NULL;
	size_t nregs = 0, nmods = 0;
	struct ew_error ke;
	char derr[1024];
	int kr, dr, r;

	kr = ew_client_open(&c, &ke);
	if (kr)
		c = NULL;
	else
		kr = ew_reg_list(c, &regs, &nregs, &ke);
	dr = daemon_modules(a, &mods, &nmods, derr, sizeof(derr));
	if (dr) {
		if (kr) {
			r = ctl_fail(&ke);
			ctl_error("%s", derr);
		} else {
			if (ctl_mgmt_not_running(dr))
				ctl_error("edgewardd not reachable: kernel registrations only");
			else
				ctl_error("%s: kernel registrations only", derr);
			r = print_regs(a, regs, nregs);
		}
	} else {
		if (kr == -ENOENT)
			ctl_error("edgeward kernel module not loaded: edgewardd's modules only");
		else if (kr)
			ctl_error("%s: edgewardd's modules only", ke.msg);
		r = print_joined(a, kr ? NULL : c, regs, nregs, mods, nmods);
	}
	if (c)
		ew_client_close(c);
	free(regs);
	free(mods);
	return r;
}

int ctl_cmd_module_env(const struct ctl_args *a)
{
	struct ctl_env env = { 0 };
	struct ctl_daemon d;
	cJSON *ids = NULL;
	const char *gen;
	char err[1024];
	int r;

	r = ctl_daemon_open(a, true, &d, err, sizeof(err));
	if (r)
		return ctl_error("%s", err);
	r = ctl_daemon_get(&d, "/identities", &ids, err, sizeof(err));
	if (!r)
		r = ctl_identity_gen_id(ids, a->module, &gen, err, sizeof(err));
	if (!r && ctl_module_env(&d.cfg, a->module, gen, &env)) {
		snprintf(err, sizeof(err), "out of memory");
		r = -ENOMEM;
	}
	cJSON_Delete(ids);
	ctl_daemon_close(&d);
	if (r) {
		ctl_env_free(&env);
		return ctl_error("%s", err);
	}
	if (a->json)
		r = ctl_emit_json(ctl_json_env(&env), true);
	else
		ctl_text_env(stdout, &env);
	ctl_env_free(&env);
	return r;
}

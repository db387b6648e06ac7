/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * edgewardctl's command line, parsed by a pure function so that the unit
 * tests can check every accepted and rejected form.
 */
#ifndef EDGEWARDCTL_ARGS_H
#define EDGEWARDCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/edgeward.h>

/* Exit codes. */
#define CTL_EXIT_OK	0
#define CTL_EXIT_FAIL	1	/* the operation failed */
#define CTL_EXIT_USAGE	2	/* the command line is wrong */

/* Longest --timeout, in seconds: its milliseconds must fit an int. */
#define CTL_TIMEOUT_MAX	2147483

enum ctl_cmd {
	CTL_CMD_NONE,
	CTL_CMD_HELP,
	CTL_CMD_VERSION,
	CTL_CMD_STATUS,
	CTL_CMD_LIST,
	CTL_CMD_REGISTER,
	CTL_CMD_UNREGISTER,
	CTL_CMD_MODE,
	CTL_CMD_EVENTS,
	CTL_CMD_UPDATE,
	CTL_CMD_ATTEST,
	CTL_CMD_MANIFEST,
	CTL_CMD_LOCK,
	/* edgewardd's commands; the first three only until their subcommand */
	CTL_CMD_SYSTEM,
	CTL_CMD_MODULE,
	CTL_CMD_CONFIG,
	CTL_CMD_SYSTEM_STATUS,
	CTL_CMD_MODULE_ENV,
	CTL_CMD_LOGS,
	CTL_CMD_CHECK,
	CTL_CMD_CONFIG_CHECK,
};

struct ctl_args {
	enum ctl_cmd cmd;
	bool json;

	/*
	 * register, update, unregister: exactly one of cgroup_path and
	 * cgroup_id; register, update, manifest: what the registration says
	 */
	const char *name;
	const char *gen_id;
	const char *cgroup_path;
	bool has_cgroup_id;
	uint64_t cgroup_id;
	unsigned int n_digests;
	uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	uint32_t reg_mode;	/* register, update: --mode; 0 follows the global mode */
	unsigned int n_signers;
	uint32_t signers[EDGEWARD_SIGNERS_MAX];
	bool has_flags;		/* --flags given (possibly empty: no flags) */
	uint32_t flags;
	const char *manifest_sig_path;	/* register, update: --manifest-sig FILE */

	/* mode: has_mode false prints the mode */
	bool has_mode;
	uint32_t mode;

	/* events */
	unsigned long count;	/* 0: no limit */
	int timeout_s;		/* -1: none */

	/* attest: the process id, 0 until given */
	uint32_t pid;

	/*
	 * The commands that read edgewardd's configuration or call it
	 * (system status, list, module env, logs, check): --config FILE,
	 * NULL for EW_CONFIG_PATH (the embedded defaults when it does not
	 * exist); --mgmt-socket PATH, NULL for the configuration's
	 * [connect] management_uri.
	 */
	const char *config_path;
	const char *mgmt_socket;
	/* module env, logs: NAME; config check: FILE */
	const char *module;
	const char *file;

	/*
	 * logs: the query, each as the daemon reads it (checked here with
	 * the daemon's own parser); NULL when not given
	 */
	bool follow;
	bool timestamps;
	const char *tail;	/* a number of lines or "all" */
	const char *since;	/* Unix seconds or an RFC 3339 time */
	const char *until;
};

/*
 * Parses argv into a (pointers into argv are kept). Returns 0, or -EINVAL
 * with a one-line explanation in err. Reads nothing but its arguments.
 */
int ctl_parse_args(int argc, char *const argv[], struct ctl_args *a,
		   char *err, size_t errlen);

/* The command's name as typed ("register"), "?" for none. */
const char *ctl_cmd_name(enum ctl_cmd c);

void ctl_usage(FILE *f);

#endif /* EDGEWARDCTL_ARGS_H */

// SPDX-License-Identifier: GPL-2.0-only
/* edgewardctl: command line client of the edgeward kernel module and edgewardd. */
#include <stdio.h>

#include <curl/curl.h>

#include "args.h"
#include "commands.h"

#ifndef EW_VERSION
#define EW_VERSION "unknown"
#endif

static int run(const struct ctl_args *a)
{
	switch (a->cmd) {
	case CTL_CMD_HELP:
		ctl_usage(stdout);
		return CTL_EXIT_OK;
	case CTL_CMD_VERSION:
		printf("edgewardctl %s (netlink family \"%s\" version %d)\n",
		       EW_VERSION, EDGEWARD_FAMILY_NAME, EDGEWARD_FAMILY_VERSION);
		return CTL_EXIT_OK;
	case CTL_CMD_STATUS:
		return ctl_cmd_status(a);
	case CTL_CMD_LIST:
		return ctl_cmd_list(a);
	case CTL_CMD_REGISTER:
		return ctl_cmd_register(a);
	case CTL_CMD_UPDATE:
		return ctl_cmd_update(a);
	case CTL_CMD_UNREGISTER:
		return ctl_cmd_unregister(a);
	case CTL_CMD_MODE:
		return ctl_cmd_mode(a);
	case CTL_CMD_EVENTS:
		return ctl_cmd_events(a);
	case CTL_CMD_ATTEST:
		return ctl_cmd_attest(a);
	case CTL_CMD_MANIFEST:
		return ctl_cmd_manifest(a);
	case CTL_CMD_LOCK:
		return ctl_cmd_lock(a);
	case CTL_CMD_SYSTEM_STATUS:
		return ctl_cmd_system_status(a);
	case CTL_CMD_MODULE_ENV:
		return ctl_cmd_module_env(a);
	case CTL_CMD_LOGS:
		return ctl_cmd_logs(a);
	case CTL_CMD_CHECK:
		return ctl_cmd_check(a);
	case CTL_CMD_CONFIG_CHECK:
		return ctl_cmd_config_check(a);
	case CTL_CMD_SYSTEM:
	case CTL_CMD_MODULE:
	case CTL_CMD_CONFIG:
	case CTL_CMD_NONE:
		break;
	}
	return CTL_EXIT_USAGE;
}

int main(int argc, char *argv[])
{
	struct ctl_args a;
	char err[512];
	int r;

	if (ctl_parse_args(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "edgewardctl: %s\n"
			"Try 'edgewardctl --help' for more information.\n", err);
		return CTL_EXIT_USAGE;
	}
	/* Before any thread, as libcurl asks; undone at the end for valgrind. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		fprintf(stderr, "edgewardctl: cannot initialise libcurl\n");
		return CTL_EXIT_FAIL;
	}
	r = run(&a);
	curl_global_cleanup();
	/* Output that could not be written is a failure, not a success. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "edgewardctl: cannot write the output\n");
		return CTL_EXIT_FAIL;
	}
	return r;
}

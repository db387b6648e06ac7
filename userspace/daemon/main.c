// SPDX-License-Identifier: GPL-2.0-only
/*
 * edgewardd: the user-space half of edgeward's security manager.
 *
 *   edgewardd [-c FILE] [--state-dir DIR] [--check]
 *
 * Without -c it reads /etc/edgeward/config.toml, or runs on the embedded
 * defaults when there is none. --check loads the configuration, says what
 * is wrong with it, and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/run.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: edgewardd [-c FILE] [--state-dir DIR] [--check] [--version]\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "check", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *config = NULL, *state_dir = NULL;
	struct ew_daemon d = { 0 };
	bool check = false, explicit_config;
	char err[1024];
	int c, rc;

	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			state_dir = optarg;
			break;
		case 'k':
			check = true;
			break;
		case 'V':
			printf("edgewardd %s\n", EW_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	explicit_config = config != NULL;
	if (!config)
		config = EW_CONFIG_PATH;
	rc = ew_config_load_file(config, &d.cfg, err, sizeof(err));
	if (rc == -ENOENT && !explicit_config) {
		ew_config_defaults(&d.cfg);
		config = NULL;
	} else if (rc) {
		fprintf(stderr, "edgewardd: %s\n", err);
		return 1;
	}
	if (check) {
		for (size_t i = 0; i < d.cfg.n_warnings; i++)
			fprintf(stderr, "warning: %s\n", d.cfg.warnings[i]);
		printf("%s: ok\n", config ? config : "embedded defaults");
		ew_config_free(&d.cfg);
		return 0;
	}
	if (state_dir)
		d.cfg.edgeward.state_dir = state_dir;
	ew_log_set_level(d.cfg.edgeward.log_level);
	for (size_t i = 0; i < d.cfg.n_warnings; i++)
		ew_log(LOG_WARNING, "%s", d.cfg.warnings[i]);
	if (!config)
		ew_log(LOG_INFO, "no %s: running on the embedded defaults", EW_CONFIG_PATH);
	rc = ew_daemon_start(&d, err, sizeof(err));
	if (rc) {
		ew_log(LOG_ERR, "%s", err);
		ew_daemon_stop(&d);
		return 1;
	}
	rc = ew_daemon_loop(&d, config);
	ew_log(LOG_INFO, "stopping");
	ew_daemon_stop(&d);
	return rc ? 1 : 0;
}

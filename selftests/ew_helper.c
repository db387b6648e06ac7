// SPDX-License-Identifier: GPL-2.0
/*
 * Helper of the shell selftests, so that a load/unload cycle costs one
 * process and not one per registration:
 *   ew_helper register PATH...   register each cgroup with 64 digests
 *   ew_helper hammer             query status and dump until killed,
 *                                reopening when the module goes away
 */

#include "ew_test.h"

static int do_register(int argc, char **argv)
{
	static uint8_t digests[EDGEWARD_DIGESTS_MAX][EDGEWARD_DIGEST_LEN];
	struct ew_client *c;
	struct ew_error e;
	int i, ret = 0;

	for (i = 0; i < EDGEWARD_DIGESTS_MAX; i++)
		memset(digests[i], i + 1, EDGEWARD_DIGEST_LEN);
	if (ew_client_open(&c, &e)) {
		fprintf(stderr, "ew_helper: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		struct ew_reg_spec spec = {
			.cgroup = { .fd = open(argv[i], O_RDONLY | O_DIRECTORY) },
			.name = "cycled",
			.gen_id = "1",
			.n_digests = EDGEWARD_DIGESTS_MAX,
			.digests = (const uint8_t (*)[EDGEWARD_DIGEST_LEN])digests,
		};

		if (spec.cgroup.fd < 0 || ew_reg_new(c, &spec, NULL, &e)) {
			fprintf(stderr, "ew_helper: %s: %s\n", argv[i],
				spec.cgroup.fd < 0 ? strerror(errno) : e.msg);
			ret = 1;
		}
		if (spec.cgroup.fd >= 0)
			close(spec.cgroup.fd);
	}
	ew_client_close(c);
	return ret;
}

static void __attribute__((noreturn)) do_hammer(void)
{
	for (;;) {
		struct ew_client *c;
		struct ew_status st;
		struct ew_reg *regs;
		struct ew_error e;
		size_t n;

		if (ew_client_open(&c, &e)) {
			usleep(1000);
			continue;
		}
		while (!ew_status_get(c, &st, &e) &&
		       !ew_reg_list(c, &regs, &n, &e))
			free(regs);
		ew_client_close(c);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "register"))
		return do_register(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "hammer"))
		do_hammer();
	fprintf(stderr, "usage: ew_helper register PATH... | ew_helper hammer\n");
	return 2;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Round trip of EDGEWARD_CMD_STATUS_GET against the cheapest generic netlink
 * request there is, nlctrl's CTRL_CMD_GETFAMILY, measured in the same run on
 * the same kind of socket: the ratio is edgeward's cost over the netlink
 * floor. Also a dump of N registrations per registration. Prints figures;
 * asserts nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "edgeward.h"

#define ROUNDS 20000
#define REGS 500

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int getfamily(struct nl_sock *sk)
{
	/* genl_ctrl_resolve() is one CTRL_CMD_GETFAMILY request and reply. */
	return genl_ctrl_resolve(sk, EDGEWARD_FAMILY_NAME) < 0 ? -1 : 0;
}

int main(void)
{
	struct ew_client *c;
	struct nl_sock *ctrl;
	struct ew_status st;
	struct ew_error e;
	struct ew_reg *regs;
	char path[128];
	double t, base, ours, dump;
	size_t n;
	int i;

	if (ew_client_open(&c, &e)) {
		fprintf(stderr, "netlink_rtt: %s\n", e.msg);
		return e.err == -ENOENT ? 4 : 1;
	}
	ctrl = nl_socket_alloc();
	if (!ctrl || genl_connect(ctrl))
		return 1;

	for (i = 0; i < 1000; i++) {	/* warm up both paths */
		getfamily(ctrl);
		ew_status_get(c, &st, &e);
	}
	t = now();
	for (i = 0; i < ROUNDS; i++)
		if (getfamily(ctrl))
			return 1;
	base = (now() - t) / ROUNDS;
	t = now();
	for (i = 0; i < ROUNDS; i++)
		if (ew_status_get(c, &st, &e))
			return 1;
	ours = (now() - t) / ROUNDS;

	for (i = 0; i < REGS; i++) {
		struct ew_reg_spec spec = { .cgroup = { .fd = -1 }, .name = "bench", .gen_id = "1" };
		uint64_t id;

		snprintf(path, sizeof(path), "/sys/fs/cgroup/ew-bench-%d", i);
		if ((mkdir(path, 0755) && errno != EEXIST) || ew_cgroup_id_of_path(path, &id))
			return 1;
		spec.cgroup.id = id;
		ew_reg_new(c, &spec, NULL, &e);
	}
	t = now();
	for (i = 0; i < 100; i++) {
		if (ew_reg_list(c, &regs, &n, &e))
			return 1;
		free(regs);
	}
	dump = (now() - t) / 100 / (n ? n : 1);
	for (i = 0; i < REGS; i++) {
		uint64_t id;

		snprintf(path, sizeof(path), "/sys/fs/cgroup/ew-bench-%d", i);
		if (!ew_cgroup_id_of_path(path, &id))
			ew_reg_del(c, (struct ew_cgroup_ref){ .fd = -1, .id = id }, &e);
		rmdir(path);
	}

	printf("nlctrl getfamily round trip:   %8.2f us (baseline)\n", base * 1e6);
	printf("edgeward status-get round trip: %8.2f us (%.2fx baseline)\n",
	       ours * 1e6, ours / base);
	printf("edgeward dump, per registration: %7.3f us (%zu registrations)\n",
	       dump * 1e6, n);
	nl_socket_free(ctrl);
	ew_client_close(c);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Round trip of EDGEWARD_CMD_STATUS_GET against the cheapest generic netlink
 * request there is, nlctrl's CTRL_CMD_GETFAMILY, measured in the same run on
 * the same kind of socket: the ratio is edgeward's cost over the netlink
 * floor. Also the attestation of a socket's peer per call (the daemon's cost
 * per workload API connection), and a dump of N registrations per
 * registration. Prints figures; asserts nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

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

/*
 * A child in a registered cgroup connected to us; returns our end of the
 * connection (the child exits when it closes) and the child's pid.
 */
static int attested_peer(struct ew_client *c, pid_t *child)
{
	struct ew_reg_spec spec = { .cgroup = { .fd = -1 }, .name = "peer", .gen_id = "1" };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *cg = "/sys/fs/cgroup/ew-bench-peer";
	struct ew_error e;
	int lfd, fd;
	char byte;

	if ((mkdir(cg, 0755) && errno != EEXIST) ||
	    ew_cgroup_id_of_path(cg, &spec.cgroup.id))
		return -1;
	ew_reg_new(c, &spec, NULL, &e);
	snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "ew-bench-%d", getpid());
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1))
		return -1;
	*child = fork();
	if (*child == 0) {
		FILE *f = fopen("/sys/fs/cgroup/ew-bench-peer/cgroup.procs", "w");

		if (!f || fprintf(f, "0") < 0 || fclose(f))
			_exit(1);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			_exit(1);
		_exit(read(fd, &byte, 1) < 0);
	}
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	return fd;
}

int main(void)
{
	struct ew_client *c;
	struct nl_sock *ctrl;
	struct ew_status st;
	struct ew_error e;
	struct ew_reg *regs;
	char path[128];
	double t, base, ours, dump, attest;
	struct ew_task task;
	pid_t child;
	int peer;
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

	peer = attested_peer(c, &child);
	if (peer < 0 || ew_attest_fd(c, peer, &task, &e)) {
		fprintf(stderr, "netlink_rtt: no peer to attest: %s\n", e.msg);
		return 1;
	}
	t = now();
	for (i = 0; i < ROUNDS; i++)
		if (ew_attest_fd(c, peer, &task, &e))
			return 1;
	attest = (now() - t) / ROUNDS;
	close(peer);
	waitpid(child, NULL, 0);

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
	printf("edgeward attest of a socket peer: %7.2f us (%.2fx baseline)\n",
	       attest * 1e6, attest / base);
	printf("edgeward dump, per registration: %7.3f us (%zu registrations)\n",
	       dump * 1e6, n);
	nl_socket_free(ctrl);
	ew_client_close(c);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_ATTEST_H
#define _EW_ATTEST_H

#include <linux/edgeward.h>
#include <linux/types.h>

struct ew_reg;
struct netlink_ext_ack;
struct pid;

/**
 * struct ew_attestation - who a process is
 * @reg: the registration governing it (a reference)
 * @verdict: an enum edgeward_verdict on its executable
 * @pid_nr: its process id in the caller's pid namespace
 * @start_time: when it started, nanoseconds since boot
 * @cgroup_id: its cgroup
 * @has_digest: whether @digest is set
 * @digest: its executable's SHA-256
 * @path: its executable's path (points into @buf)
 * @buf: PATH_MAX bytes, allocated
 */
struct ew_attestation {
	struct ew_reg *reg;
	u32 verdict;
	u32 pid_nr;
	u64 start_time;
	u64 cgroup_id;
	bool has_digest;
	u8 digest[EDGEWARD_DIGEST_LEN];
	const char *path;
	char *buf;
};

struct pid *ew_attest_sock_peer(int fd, struct netlink_ext_ack *extack);
int ew_attest(struct pid *pid, struct ew_attestation *a,
	      struct netlink_ext_ack *extack);
void ew_attestation_release(struct ew_attestation *a);

#endif /* _EW_ATTEST_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * Attestation: telling the daemon which module a process belongs to, without
 * trusting a process id.
 *
 * A connected Unix socket records its peer as a struct pid (sk_peer_pid),
 * which stays the identity of that one process for as long as the socket
 * holds it: if the process exits and its number is reused, the struct pid of
 * the new process is another one, and the old one has no task any more. So
 * attesting the peer of a socket names the process that connected, or fails;
 * it never names a stranger. Attesting a pid number is for diagnostics and
 * says so (the reply carries the start time to compare).
 */

#include "attest.h"
#include "compat.h"
#include "gate.h"
#include "registry.h"

#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/sock.h>

/**
 * ew_attest_sock_peer() - the peer of a connected Unix socket
 * @fd: the socket, in the caller's file table
 * @extack: where to say why not
 *
 * Return: a reference to the peer's struct pid, or an ERR_PTR.
 */
struct pid *ew_attest_sock_peer(int fd, struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct file *file;
	struct pid *pid;

	file = fget(fd);
	if (!file) {
		NL_SET_ERR_MSG(extack, "sock-fd is not an open file descriptor");
		return ERR_PTR(-EBADF);
	}
	sock = sock_from_file(file);
	if (!sock || !sock->sk) {
		fput(file);
		NL_SET_ERR_MSG(extack, "sock-fd is not a socket");
		return ERR_PTR(-ENOTSOCK);
	}
	if (sock->sk->sk_family != AF_UNIX) {
		fput(file);
		NL_SET_ERR_MSG(extack, "sock-fd is not a Unix socket");
		return ERR_PTR(-EPROTOTYPE);
	}
	spin_lock(&sock->sk->sk_peer_lock);
	pid = get_pid(sock->sk->sk_peer_pid);
	spin_unlock(&sock->sk->sk_peer_lock);
	fput(file);
	if (!pid) {
		NL_SET_ERR_MSG(extack, "sock-fd has no peer (not connected)");
		return ERR_PTR(-ENOTCONN);
	}
	return pid;
}

/* The executable of a live process, or NULL if it has exited. */
static struct file *ew_task_exe(struct task_struct *task)
{
	struct mm_struct *mm = get_task_mm(task);
	struct file *exe;

	if (!mm)
		return NULL;
	exe = ew_mm_exe_file(mm);
	mmput(mm);
	return exe;
}

/**
 * ew_attest() - who a process is
 * @pid: the process (its thread group's struct pid)
 * @a: filled in; release with ew_attestation_release() on success
 * @extack: where to say why not
 *
 * Return: 0, -ESRCH if the process has exited, -ENOENT if no registration
 * governs it (or it is a kernel thread), or -ENOMEM.
 */
int ew_attest(struct pid *pid, struct ew_attestation *a,
	      struct netlink_ext_ack *extack)
{
	struct task_struct *task;
	struct cgroup *cgrp;
	struct file *exe;
	int ret;

	memset(a, 0, sizeof(*a));
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (task && (task->flags & PF_KTHREAD)) {
		NL_SET_ERR_MSG(extack, "process is a kernel thread, no module");
		put_task_struct(task);
		return -ENOENT;
	}
	exe = task ? ew_task_exe(task) : NULL;
	if (!exe) {
		NL_SET_ERR_MSG(extack, "process has exited");
		ret = -ESRCH;
		goto out_task;
	}

	rcu_read_lock();
	cgrp = task_dfl_cgroup(task);
	a->cgroup_id = cgroup_id(cgrp);
	a->reg = ew_registry_lookup(cgrp);
	rcu_read_unlock();
	if (!a->reg) {
		NL_SET_ERR_MSG(extack, "process is not in a registered cgroup");
		ret = -ENOENT;
		goto out_exe;
	}

	a->buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!a->buf) {
		ew_reg_put(a->reg);
		ret = -ENOMEM;
		goto out_exe;
	}
	a->path = d_path(&exe->f_path, a->buf, PATH_MAX);
	if (IS_ERR(a->path))
		a->path = "";
	a->verdict = ew_judge(a->reg, exe, a->digest);
	a->has_digest = a->verdict != EDGEWARD_VERDICT_UNMEASURED &&
			a->verdict != EDGEWARD_VERDICT_UNJUDGED;
	a->pid_nr = pid_vnr(pid);
	a->start_time = task->start_boottime;
	ret = 0;

out_exe:
	if (exe)
		fput(exe);
out_task:
	if (task)
		put_task_struct(task);
	return ret;
}

void ew_attestation_release(struct ew_attestation *a)
{
	ew_reg_put(a->reg);
	kfree(a->buf);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the edgeward selftests: cgroups to register, raw requests
 * to send what libedgeward never would, and ways to lose privilege.
 *
 * The tests need the edgeward module loaded and a cgroup v2 hierarchy at
 * EW_CGROOT; they skip (exit 4) otherwise.
 */
#ifndef EW_TEST_H
#define EW_TEST_H

#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "edgeward.h"

#define EW_CGROOT "/sys/fs/cgroup"

/* A cgroup made for one test, removed by ew_cg_destroy(). */
struct ew_cg {
	char path[PATH_MAX];
	char rel[256];		/* path inside the hierarchy, as the kernel reports it */
	uint64_t id;
	int fd;
};

static inline int ew_cg_create(struct ew_cg *cg, const char *tag)
{
	static unsigned int serial;

	snprintf(cg->rel, sizeof(cg->rel), "/ew-test-%d-%u-%s", getpid(),
		 serial++, tag);
	snprintf(cg->path, sizeof(cg->path), EW_CGROOT "%s", cg->rel);
	cg->fd = -1;
	if (mkdir(cg->path, 0755))
		return -errno;
	cg->fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->fd < 0)
		return -errno;
	return ew_cgroup_id_of_path(cg->path, &cg->id);
}

static inline void ew_cg_destroy(struct ew_cg *cg)
{
	if (cg->fd >= 0)
		close(cg->fd);
	cg->fd = -1;
	rmdir(cg->path);
}

static inline struct ew_cgroup_ref ew_by_fd(const struct ew_cg *cg)
{
	return (struct ew_cgroup_ref){ .fd = cg->fd };
}

static inline struct ew_cgroup_ref ew_by_id(uint64_t id)
{
	return (struct ew_cgroup_ref){ .fd = -1, .id = id };
}

static inline int ew_register(struct ew_client *c, const struct ew_cg *cg,
			      const char *name, struct ew_error *e)
{
	struct ew_reg_spec spec = {
		.cgroup = ew_by_fd(cg),
		.name = name,
		.gen_id = "1",
	};

	return ew_reg_new(c, &spec, NULL, e);
}

/* Sends a request built by the caller; returns what the kernel answered. */
static inline int ew_send(struct ew_client *c, struct nl_msg *m,
			  struct ew_error *e)
{
	return ew_transact(c, m, NULL, NULL, NULL, e);
}

/*
 * Runs fn in a child process and returns its exit status (or -1). Children
 * report through their exit status: 0 for "as expected".
 */
static inline int ew_in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Becomes nobody, which drops every capability. */
static inline int ew_become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	return 0;
}

/* Stays root but gives up CAP_SYS_ADMIN (and only it) from every set. */
static inline int ew_drop_cap_sys_admin(void)
{
	/* capability.h would pull in libcap; the raw syscall is enough. */
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522, 0 };	/* _LINUX_CAPABILITY_VERSION_3 */
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];
	const unsigned int cap = 21;	/* CAP_SYS_ADMIN */

	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
		return -errno;
	if (syscall(__NR_capget, &hdr, data))
		return -errno;
	data[0].effective &= ~(1u << cap);
	data[0].permitted &= ~(1u << cap);
	data[0].inheritable &= ~(1u << cap);
	if (syscall(__NR_capset, &hdr, data))
		return -errno;
	return 0;
}

#define EW_SKIP_UNLESS_LOADED(client, err)				\
	do {								\
		int __r = ew_client_open(&(client), &(err));		\
		if (__r == -ENOENT)					\
			SKIP(return, "edgeward module not loaded");	\
		ASSERT_EQ(0, __r) TH_LOG("%s", (err).msg);		\
	} while (0)

#endif /* EW_TEST_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * The one place that knows how the supported kernels (Debian's 6.1 and 6.12)
 * differ. The EW_HAVE_* macros come from the feature probes in Kbuild.
 */
#ifndef _EW_COMPAT_H
#define _EW_COMPAT_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

/*
 * Since 6.2 the family's pre_doit hook receives the split (do-only) view of
 * an operation; before, the full struct genl_ops.
 */
#ifdef EW_HAVE_GENL_SPLIT_OPS
#define ew_genl_doit_ops genl_split_ops
#else
#define ew_genl_doit_ops genl_ops
#endif

/* Attributes of a dump request, parsed by the genetlink core before start(). */
static inline struct nlattr **ew_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef EW_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * A reference to a process's executable. get_mm_exe_file() is not exported;
 * since 6.7 get_file_rcu() takes the RCU-protected pointer itself.
 */
static inline struct file *ew_mm_exe_file(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#ifdef EW_HAVE_GET_FILE_RCU_PTR
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	return exe;
}

#endif /* _EW_COMPAT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_EVENTS_H
#define _EW_EVENTS_H

#include <linux/types.h>

struct ew_reg;
struct file;

int ew_event_reg(u8 cmd, const struct ew_reg *reg);
int ew_event_exec(u32 verdict, const struct ew_reg *reg, u64 cgroup_id,
		  const u8 *digest, struct file *file);
int ew_event_mode(u32 mode);
int ew_event_lock(void);
u64 ew_events_seq(void);

#endif /* _EW_EVENTS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_IMALOG_H
#define _EW_IMALOG_H

#include <linux/types.h>

struct ew_reg;
struct file;

void ew_imalog_reg(const char *event, const struct ew_reg *reg);
void ew_imalog_mode(u32 mode);
void ew_imalog_lock(void);
void ew_imalog_exec_denied(const struct ew_reg *reg, u64 cgroup_id,
			   const u8 *digest, struct file *file);
u32 ew_imalog_state(void);

#endif /* _EW_IMALOG_H */

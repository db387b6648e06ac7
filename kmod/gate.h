/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_GATE_H
#define _EW_GATE_H

#include <linux/types.h>

struct ew_reg;
struct file;

u32 ew_reg_effective_mode(const struct ew_reg *reg);
u32 ew_judge(const struct ew_reg *reg, struct file *file, u8 *digest);
void ew_gate_init(void);
void ew_gate_exit(void);

#endif /* _EW_GATE_H */

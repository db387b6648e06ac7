/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_MODE_H
#define _EW_MODE_H

#include <linux/types.h>

u32 ew_mode_get(void);
int ew_mode_set(u32 mode);
bool ew_locked(void);
void ew_lock(void);
const char *ew_mode_name(u32 mode);

#endif /* _EW_MODE_H */

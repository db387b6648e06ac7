/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_KEYRING_H
#define _EW_KEYRING_H

#include <linux/types.h>

struct ew_reg;
struct file;

int ew_keyring_init(void);
void ew_keyring_exit(void);
u32 ew_keyring_state(void);
u32 ew_keyring_serial(void);
struct key *ew_keyring_get(void);
bool ew_keyring_ima_signed(const struct ew_reg *reg, struct file *file,
			   const u8 *digest);

#endif /* _EW_KEYRING_H */

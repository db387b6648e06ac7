/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_MEASURE_H
#define _EW_MEASURE_H

#include <linux/types.h>

struct file;

int ew_measure(struct file *file, u8 *digest);
void ew_measure_exit(void);

#endif /* _EW_MEASURE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_MANIFEST_H
#define _EW_MANIFEST_H

#include <linux/types.h>

struct ew_reg;
struct netlink_ext_ack;

char *ew_manifest_text(const struct ew_reg *reg, size_t extra, size_t *len);
int ew_manifest_verify(const struct ew_reg *reg, const void *sig,
		       size_t sig_len, struct netlink_ext_ack *extack);

#endif /* _EW_MANIFEST_H */

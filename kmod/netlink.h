/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The edgeward authors.
 */
#ifndef _EW_NETLINK_H
#define _EW_NETLINK_H

#include <net/genetlink.h>

struct ew_reg;

/* Indexes of the family's multicast groups. */
enum ew_mcgrp {
	EW_MCGRP_EVENTS,
};

extern struct genl_family ew_genl_family;

size_t ew_nl_reg_size(const struct ew_reg *reg);
int ew_nl_put_reg(struct sk_buff *skb, const struct ew_reg *reg);

int ew_netlink_init(void);
void ew_netlink_exit(void);

#endif /* _EW_NETLINK_H */

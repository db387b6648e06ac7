// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The edgeward authors.
 *
 * edgeward: a registry of edge modules keyed by cgroup v2, driven by the
 * edgewardd daemon over generic netlink, and a gate that measures and judges
 * every program their processes execute.
 */

#include "gate.h"
#include "keyring.h"
#include "measure.h"
#include "mode.h"
#include "netlink.h"
#include "registry.h"
#include "version.h"

#include <linux/init.h>
#include <linux/module.h>

static int __init ew_init(void)
{
	int ret;

	ret = ew_registry_init();
	if (ret)
		return ret;
	ret = ew_keyring_init();
	if (ret)
		goto err_registry;
	ret = ew_netlink_init();
	if (ret)
		goto err_keyring;
	/* Last: the gate sends events through the family. */
	ew_gate_init();

	pr_info("edgeward " EDGEWARD_VERSION " loaded, mode %s\n",
		ew_mode_name(ew_mode_get()));
	return 0;

err_keyring:
	ew_keyring_exit();
err_registry:
	ew_registry_exit();
	return ret;
}

static void __exit ew_exit(void)
{
	ew_gate_exit();
	/* Waits for commands under way; dumps hold a module reference. */
	ew_netlink_exit();
	ew_measure_exit();
	ew_keyring_exit();
	ew_registry_exit();
}

module_init(ew_init);
module_exit(ew_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("edgeward: kernel-assisted security manager for edge gateways");
MODULE_AUTHOR("The edgeward authors");
MODULE_VERSION(EDGEWARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(EDGEWARD_FAMILY_NAME);

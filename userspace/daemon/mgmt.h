/* SPDX-License-Identifier: GPL-2.0-only */
/* The management API's routes (mgmt.c); their context is the daemon. */
#ifndef EW_DAEMON_MGMT_H
#define EW_DAEMON_MGMT_H

#include "http/http.h"

const struct ew_http_route *ew_mgmt_routes(void);

#endif /* EW_DAEMON_MGMT_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/* The workload API's routes (workload.c); their context is the daemon. */
#ifndef EW_DAEMON_WORKLOAD_H
#define EW_DAEMON_WORKLOAD_H

#include "http/http.h"

const struct ew_http_route *ew_workload_routes(void);

#endif /* EW_DAEMON_WORKLOAD_H */

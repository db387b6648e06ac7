/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _EW_VERSION_H
#define _EW_VERSION_H

#define EDGEWARD_VERSION "0.1.0"

#endif /* _EW_VERSION_H */

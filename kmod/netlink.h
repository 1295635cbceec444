/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: the "clipper" generic netlink family (netlink.c).
 *
 * What the features need of it: the family, for their dumps and events;
 * the protocol check of a request; the event of a table that refused an
 * entry.  And its registration, for main.c.
 */
#ifndef _CLIPPER_NETLINK_H
#define _CLIPPER_NETLINK_H

#include <linux/gfp.h>
#include <linux/types.h>

#include "clipper.h"	/* uapi: kmod/uapi/clipper.h */

struct clipper_net;
struct genl_family;
struct genl_info;

extern struct genl_family clipper_family;

int clipper_check_protocol(struct genl_info *info);
void clipper_limit_event(struct clipper_net *cn,
			 enum clipper_limit_table table, u32 max, gfp_t gfp);

int clipper_genl_init(void);
void clipper_genl_exit(void);

#endif /* _CLIPPER_NETLINK_H */

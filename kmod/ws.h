/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: --ws-count, WebSocket accounting (ws.c).
 *
 * The per-namespace state that struct clipper_net embeds, its settings
 * (defaults and the limits netlink.c checks), and what the rest of the
 * module calls: the per-packet entry for the target, the rule count, the
 * settings and the flow dump for the netlink commands.
 */
#ifndef _CLIPPER_WS_H
#define _CLIPPER_WS_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct clipper_net;
struct netlink_callback;
struct nlattr;
struct sk_buff;

/* the settings: defaults, and what CLIPPER_CMD_CONFIG_SET takes */
#define CLIPPER_WS_MAX_DEFAULT		16384
#define CLIPPER_WS_MAX_LIMIT		1048576
#define CLIPPER_WS_TIMEOUT_DEFAULT	3600000		/* ms */
#define CLIPPER_WS_TIMEOUT_MIN		1000		/* ms */
#define CLIPPER_WS_TIMEOUT_MAX		604800000	/* ms: a week */

/* --ws-count state of one namespace; see ws.c */
struct clipper_ws {
	struct rhashtable		conns;
	struct list_head		list;		/* every flow, RCU */
	spinlock_t			lock;		/* table writers */
	u32				count;
	u32				pending;	/* of count: no payload yet */
	atomic_t			active;		/* upgraded flows */
	u32				max;
	u32				timeout_ms;
	u32				generation;	/* for NLM_F_DUMP_INTR */
	atomic_t			held;		/* bytes held back */
	bool				gc_on;		/* under cn->lock */
	struct delayed_work		gc;
};

int clipper_ws_module_init(void);
void clipper_ws_module_exit(void);
int clipper_ws_init(struct clipper_net *cn);
void clipper_ws_exit(struct clipper_net *cn);
void clipper_ws_rule_get(struct clipper_net *cn);
void clipper_ws(struct clipper_net *cn, struct sk_buff *skb, u8 family,
		unsigned int thoff);
int clipper_ws_config_fill(struct sk_buff *msg, struct clipper_net *cn);
void clipper_ws_config_set(struct clipper_net *cn, struct nlattr **tb);
int clipper_ws_dump(struct clipper_net *cn, struct sk_buff *skb,
		    struct netlink_callback *cb, long *pos);

#endif /* _CLIPPER_WS_H */

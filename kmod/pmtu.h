/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: --clamp-mss and --pmtu-guard (pmtu*.c).
 *
 * The per-namespace state that struct clipper_net embeds, its settings
 * (defaults and the limits netlink.c checks), and what the rest of the
 * module calls: the per-packet entry and the rule counts for the target,
 * the settings, the flush and the path table's dump for the netlink
 * commands.  What the pmtu*.c files share among themselves is in
 * pmtu_int.h.
 */
#ifndef _CLIPPER_PMTU_H
#define _CLIPPER_PMTU_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct clipper_net;
struct netlink_callback;
struct nlattr;
struct xt_action_param;
struct xt_clipper_tginfo;

/* the settings: defaults, and what CLIPPER_CMD_CONFIG_SET takes */
#define CLIPPER_PMTU_MAX_DEFAULT	4096
#define CLIPPER_PMTU_MAX_LIMIT		1048576
#define CLIPPER_PMTU_TIMEOUT_DEFAULT	600000		/* ms */
#define CLIPPER_PMTU_TIMEOUT_MIN	1000		/* ms */
#define CLIPPER_PMTU_TIMEOUT_MAX	86400000	/* ms: a day */
#define CLIPPER_PMTU_WINDOW_MIN		100		/* ms */
#define CLIPPER_PMTU_WINDOW_MAX		600000		/* ms */
#define CLIPPER_PMTU_RETRANS_MIN	1
#define CLIPPER_PMTU_RETRANS_MAX	10

struct clipper_suspect_slot;
struct clipper_rx_slot;
struct clipper_rx_watch;
struct clipper_rx_act;

/* --clamp-mss / --pmtu-guard state of one namespace; see pmtu*.c */
struct clipper_pmtu {
	struct rhashtable		paths;
	struct list_head		list;		/* every path, RCU */
	/* path table and suspect writers, from any context */
	spinlock_t			lock;
	u32				count;
	u32				max;
	u32				timeout_ms;
	u32				window_ms;
	u8				retrans;
	bool				hooks;		/* under cn->lock */
	u32				rules;		/* under cn->lock */
	u32				guards;		/* of rules: --pmtu-guard */
	u32				generation;	/* for NLM_F_DUMP_INTR */
	u32				seed;
	atomic_t			nsuspects;
	atomic_t			nwant;		/* copies to make */
	atomic_t			nsplit;		/* flows split */
	struct clipper_suspect_slot	*suspects;
	struct delayed_work		gc;
	/* probe copies, sent after the packet that made them (pmtu_guard.c) */
	struct sk_buff_head		probes;
	struct delayed_work		probe_work;
	/*
	 * the rest of each copied segment, held until its copy is answered
	 * (pmtu_guard.c); under probes.lock, as are rest_at and dying
	 */
	struct sk_buff_head		rests;
	struct delayed_work		rest_work;
	unsigned long			rest_at;	/* jiffies: its run */
	bool				dying;
	unsigned long			icmp_at;	/* jiffies, no path */
	/* the receiving side (pmtu_rx.c): episodes, under lock */
	struct clipper_rx_slot		*rx;
	atomic_t			nrx;
	struct clipper_rx_watch		*watch;		/* CLIPPER_RX_SLOTS */
	atomic_t			nwatch;
	struct clipper_rx_act		*rx_act;	/* the work's */
	unsigned long			rx_quiet_at;	/* jiffies, lock */
	unsigned long			rx_icmp_at;	/* jiffies, lock */
	struct delayed_work		rx_work;
};

/* pmtu.c */
int clipper_pmtu_init(struct clipper_net *cn);
void clipper_pmtu_exit(struct clipper_net *cn);
int clipper_pmtu_rule_get(struct clipper_net *cn,
			  const struct xt_clipper_tginfo *info);
void clipper_pmtu_rule_put(struct clipper_net *cn,
			   const struct xt_clipper_tginfo *info);
void clipper_pmtu(struct clipper_net *cn, struct sk_buff *skb,
		  const struct xt_action_param *par,
		  const struct xt_clipper_tginfo *info, unsigned int thoff);
int clipper_pmtu_config_fill(struct sk_buff *msg, struct clipper_net *cn);
void clipper_pmtu_config_set(struct clipper_net *cn, struct nlattr **tb);

/* pmtu_path.c */
void clipper_pmtu_flush(struct clipper_net *cn);
int clipper_pmtu_dump(struct clipper_net *cn, struct sk_buff *skb,
		      struct netlink_callback *cb, long *pos);

#endif /* _CLIPPER_PMTU_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: --classify, flow classification by MAC (classify.c).
 *
 * The per-namespace state that struct clipper_net embeds, and what the
 * rest of the module calls: the per-packet entry for the target, the
 * MAC table's writes and dump for the netlink commands, the --mark-mask
 * bookkeeping for the rules.
 */
#ifndef _CLIPPER_CLASSIFY_H
#define _CLIPPER_CLASSIFY_H

#include <linux/if_ether.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include "clipper.h"	/* uapi: kmod/uapi/clipper.h */

struct clipper_net;
struct netlink_callback;
struct netlink_ext_ack;
struct sk_buff;

struct clipper_mac_pcpu {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	struct u64_stats_sync	syncp;
};

struct clipper_class_conf {
	u32	mark;		/* DD-WRT's by default */
	u32	priority;	/* or CLIPPER_PRIORITY_UNCHANGED */
	u8	dscp;		/* or CLIPPER_DSCP_UNCHANGED */
};

/* the highest DSCP a class may set (6 bits), but CLIPPER_DSCP_UNCHANGED */
#define CLIPPER_DSCP_MAX	63

/* distinct --mark-mask values of --classify rules in one namespace */
#define CLIPPER_MASKS_MAX	8

/* --classify state of one namespace; see classify.c */
struct clipper_classify {
	struct rhashtable		macs;
	struct list_head		list;		/* every entry; cn->lock */
	u64				plen_bits;	/* prefix lengths in use */
	u32				plen_count[49];
	u32				mac_count;
	u32				mac_max;
	u32				generation;	/* for NLM_F_DUMP_INTR */
	u8				default_class;
	u8				random_class;
	bool				mac_counters;	/* per-packet MAC counts */
	struct clipper_class_conf	classes[CLIPPER_CLASS_MAX + 1];
	/* --mark-mask values of the --classify rules, for reclassify */
	struct {
		u32	mask;
		u32	refs;
	}				masks[CLIPPER_MASKS_MAX];
};

/* What a MAC table dump reports of one entry. */
struct clipper_mac_info {
	u8		addr[ETH_ALEN];
	u8		plen;
	u8		class;
	bool		random;
	const char	*comment;
	u64		packets, bytes, flows;
};

static inline void clipper_mac_count(struct clipper_mac_pcpu __percpu *stats,
				     u64 packets, u64 bytes)
{
	struct clipper_mac_pcpu *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->packets, packets);
	u64_stats_add(&s->bytes, bytes);
	u64_stats_update_end(&s->syncp);
}

int clipper_classify_init(struct clipper_net *cn);
void clipper_classify_exit(struct clipper_net *cn);
void clipper_classify(struct clipper_net *cn, struct sk_buff *skb,
		      u8 family, u32 mask);
int clipper_mac_add(struct clipper_net *cn, const u8 *addr, u8 plen,
		    u8 class, const char *comment, bool replace,
		    struct netlink_ext_ack *extack);
int clipper_mac_del(struct clipper_net *cn, const u8 *addr, u8 plen,
		    bool reclassify, struct netlink_ext_ack *extack);
void clipper_mac_flush(struct clipper_net *cn, bool reclassify);
int clipper_mac_counters_prepare(struct clipper_net *cn);
int clipper_classify_module_init(void);
void clipper_classify_module_exit(void);
int clipper_classify_mask_get(struct clipper_net *cn, u32 mask);
void clipper_classify_mask_put(struct clipper_net *cn, u32 mask);
int clipper_mac_dump(struct clipper_net *cn, struct sk_buff *skb,
		     struct netlink_callback *cb, long *pos,
		     int (*fill)(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 const struct clipper_mac_info *info));

#endif /* _CLIPPER_CLASSIFY_H */

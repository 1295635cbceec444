/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: state shared by the module's parts.
 *
 * The fast path (target.c) only reads per-netns state under RCU and bumps
 * per-CPU counters; the control plane (netlink.c) changes state under the
 * per-netns mutex.
 */
#ifndef _CLIPPER_CORE_H
#define _CLIPPER_CORE_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "clipper.h"	/* uapi: kmod/uapi/clipper.h */

/* Options of CLIPPER rules, for the per-netns rule counts. */
enum clipper_rule_kind {
	CLIPPER_RULE_TOTAL,
	CLIPPER_RULE_CLASSIFY,
	CLIPPER_RULE_CLAMP_MSS,
	CLIPPER_RULE_PMTU_GUARD,
	CLIPPER_RULE_WS_COUNT,
	CLIPPER_RULE_MAX
};

/*
 * Every counter the module keeps.  Each belongs to one section of the
 * CLIPPER_A_STATS reply and is sent as one enum clipper_ctr attribute
 * (the table in stats.c).
 */
enum clipper_stat {
	CLIPPER_ST_TARGET_PACKETS,
	CLIPPER_ST_TARGET_BYTES,
	CLIPPER_ST_CLASSIFY_PACKETS,
	CLIPPER_ST_CLASSIFY_BYTES,
	CLIPPER_ST_PMTU_PACKETS,
	CLIPPER_ST_PMTU_BYTES,
	CLIPPER_ST_WS_PACKETS,
	CLIPPER_ST_WS_BYTES,
	CLIPPER_ST_MAX
};

struct clipper_pcpu_stats {
	u64_stats_t		v[CLIPPER_ST_MAX];
	struct u64_stats_sync	syncp;
};

struct clipper_net {
	struct net			*net;
	/* serialises control-plane writes in this namespace */
	struct mutex			lock;
	atomic_t			rules[CLIPPER_RULE_MAX];
	struct clipper_pcpu_stats __percpu *stats;
	/* "stats reset" keeps what the counters read then; under lock */
	u64				stats_base[CLIPPER_ST_MAX];
};

extern unsigned int clipper_net_id;

static inline struct clipper_net *clipper_pernet(const struct net *net)
{
	return net_generic(net, clipper_net_id);
}

/* stats.c */
int clipper_stats_init(struct clipper_net *cn);
void clipper_stats_exit(struct clipper_net *cn);
void clipper_stats_read(struct clipper_net *cn, u64 out[CLIPPER_ST_MAX]);
void clipper_stats_reset(struct clipper_net *cn);
int clipper_stats_fill(struct sk_buff *msg, struct clipper_net *cn,
		       bool target_only);

/* Fast path: the caller has BHs off (netfilter hooks do). */
static inline void clipper_stats_add2(struct clipper_net *cn,
				      enum clipper_stat a, u64 va,
				      enum clipper_stat b, u64 vb)
{
	struct clipper_pcpu_stats *s = this_cpu_ptr(cn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->v[a], va);
	u64_stats_add(&s->v[b], vb);
	u64_stats_update_end(&s->syncp);
}

/* target.c */
int clipper_target_init(void);
void clipper_target_exit(void);

/* netlink.c */
int clipper_genl_init(void);
void clipper_genl_exit(void);

#endif /* _CLIPPER_CORE_H */

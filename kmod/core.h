/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: state shared by the module's parts.
 *
 * The fast path (target.c) only reads per-netns state under RCU and bumps
 * per-CPU counters; the control plane (netlink.c) changes state under the
 * per-netns mutex.
 *
 * Here: struct clipper_net, which embeds each feature's per-namespace
 * state (classify.h, pmtu.h, ws.h), its accessors, and the counters
 * (stats.c).  Each feature's API is in its own header.
 */
#ifndef _CLIPPER_CORE_H
#define _CLIPPER_CORE_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <net/checksum.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "clipper.h"	/* uapi: kmod/uapi/clipper.h */
#include "classify.h"
#include "pmtu.h"
#include "ws.h"

/* Options of CLIPPER rules, for the per-netns rule counts. */
enum clipper_rule_kind {
	CLIPPER_RULE_TOTAL,
	CLIPPER_RULE_CLASSIFY,
	CLIPPER_RULE_CLAMP_MSS,
	CLIPPER_RULE_PMTU_GUARD,
	CLIPPER_RULE_WS_COUNT,
	CLIPPER_RULE_MAX
};

/* counters of a WebSocket direction: the 7 frame classes, then bytes */
#define CLIPPER_WS_NCTR		9
#define CLIPPER_WS_CTR_PAYLOAD	7
#define CLIPPER_WS_CTR_HEADER	8

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
	CLIPPER_ST_CLASSIFY_FLOWS,
	CLIPPER_ST_CLASSIFY_MATCHED,
	CLIPPER_ST_CLASSIFY_DEFAULTED,
	CLIPPER_ST_CLASSIFY_RANDOM,
	CLIPPER_ST_CLASSIFY_NO_MAC,
	CLIPPER_ST_CLASSIFY_NO_CT,
	CLIPPER_ST_CLASSIFY_UNWRITABLE,
	CLIPPER_ST_CLASSIFY_RECLASSIFIED,
	CLIPPER_ST_PMTU_SYN,
	CLIPPER_ST_PMTU_MSS_CLAMPED,
	CLIPPER_ST_PMTU_MSS_ADDED,
	CLIPPER_ST_PMTU_MALFORMED,
	CLIPPER_ST_PMTU_UNWRITABLE,
	CLIPPER_ST_PMTU_RETRANS,
	CLIPPER_ST_PMTU_SUSPECT,
	CLIPPER_ST_PMTU_BLACKHOLE,
	CLIPPER_ST_PMTU_REPAIRED,
	CLIPPER_ST_PMTU_ICMP_SEEN,
	CLIPPER_ST_PMTU_ICMP_SENT,
	CLIPPER_ST_PMTU_DF_CLEARED,
	CLIPPER_ST_PMTU_TABLE_FULL,
	CLIPPER_ST_PMTU_SACKED,
	CLIPPER_ST_PMTU_ICMP_UNRELATED,
	CLIPPER_ST_PMTU_PROBES,
	CLIPPER_ST_PMTU_PROBE_PASSED,
	CLIPPER_ST_PMTU_OUTAGE,
	CLIPPER_ST_PMTU_REPLAYED,
	CLIPPER_ST_PMTU_STUCK,
	CLIPPER_ST_PMTU_RAISED,
	CLIPPER_ST_PMTU_FLOW_FIXED,
	CLIPPER_ST_PMTU_RX_GAPS,
	CLIPPER_ST_PMTU_RX_PROBES,
	CLIPPER_ST_PMTU_RX_ANSWERS,
	CLIPPER_ST_PMTU_RX_OUTAGE,
	CLIPPER_ST_PMTU_UNREPAIRED,
	CLIPPER_ST_WS_TRACKED,
	CLIPPER_ST_WS_FLOWS,
	CLIPPER_ST_WS_NOT_WS,
	CLIPPER_ST_WS_DESYNC,
	CLIPPER_ST_WS_MALFORMED,
	CLIPPER_ST_WS_TABLE_FULL,
	CLIPPER_ST_WS_EXPIRED,
	CLIPPER_ST_WS_NO_CT,
	CLIPPER_ST_WS_HELD,
	/* per direction: frames per class, payload bytes, header bytes */
	CLIPPER_ST_WS_C2S,
	CLIPPER_ST_WS_S2C = CLIPPER_ST_WS_C2S + CLIPPER_WS_NCTR,
	/* per class: packets, bytes, flows (class list, not a section) */
	CLIPPER_ST_CLASS_BASE = CLIPPER_ST_WS_S2C + CLIPPER_WS_NCTR,
	CLIPPER_ST_MAX = CLIPPER_ST_CLASS_BASE + 3 * (CLIPPER_CLASS_MAX + 1)
};

#define CLIPPER_ST_CLASS_PACKETS(c)	(CLIPPER_ST_CLASS_BASE + 3 * (c))
#define CLIPPER_ST_CLASS_BYTES(c)	(CLIPPER_ST_CLASS_BASE + 3 * (c) + 1)
#define CLIPPER_ST_CLASS_FLOWS(c)	(CLIPPER_ST_CLASS_BASE + 3 * (c) + 2)

struct clipper_pcpu_stats {
	u64_stats_t		v[CLIPPER_ST_MAX];
	struct u64_stats_sync	syncp;
};

struct clipper_net {
	struct net			*net;
	/* serialises control-plane writes in this namespace */
	struct mutex			lock;
	atomic_t			rules[CLIPPER_RULE_MAX];
	/* CLIPPER rules that hold conntrack, IPv4 [0] and IPv6 [1] */
	atomic_t			ct_rules[2];
	struct clipper_pcpu_stats __percpu *stats;
	/* "stats reset" keeps what the counters read then; under lock */
	u64				stats_base[CLIPPER_ST_MAX];
	struct clipper_classify		cls;
	struct clipper_pmtu		pmtu;
	struct clipper_ws		ws;
	/* jiffies of the last limit event, per enum clipper_limit_table */
	unsigned long			limit_event[CLIPPER_LIMIT_WS + 1];
};

extern unsigned int clipper_net_id;

/*
 * A 16-bit word at an even offset of the packet's header changed from old
 * to new, where no checksum of the packet covers it (IPv6's header): a
 * CHECKSUM_COMPLETE sum, which covers it, follows the change.
 */
static inline void clipper_csum_complete_replace2(struct sk_buff *skb,
						  __be16 old, __be16 new)
{
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->csum = csum_add(csum_sub(skb->csum, (__force __wsum)old),
				     (__force __wsum)new);
}

static inline struct clipper_net *clipper_pernet(const struct net *net)
{
	return net_generic(net, clipper_net_id);
}

/*
 * The same for the fast path, which netfilter already runs inside an RCU
 * read-side section: net_generic()'s own rcu_read_lock() is two calls per
 * packet on a kernel with PREEMPT_RCU (Debian's).
 */
static inline struct clipper_net *clipper_pernet_rcu(const struct net *net)
{
	return rcu_dereference(net->gen)->ptr[clipper_net_id];
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

/* One counter. */
static inline void clipper_stats_add(struct clipper_net *cn,
				     enum clipper_stat a, u64 va)
{
	struct clipper_pcpu_stats *s = this_cpu_ptr(cn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->v[a], va);
	u64_stats_update_end(&s->syncp);
}

/* The same from process context. */
static inline void clipper_stats_add_slow(struct clipper_net *cn,
					  enum clipper_stat a, u64 va)
{
	local_bh_disable();
	clipper_stats_add(cn, a, va);
	local_bh_enable();
}

#endif /* _CLIPPER_CORE_H */

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
#include <linux/rhashtable-types.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
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

/* --clamp-mss / --pmtu-guard state of one namespace; see pmtu.c */
#define CLIPPER_PMTU_MAX_DEFAULT	4096
#define CLIPPER_PMTU_MAX_LIMIT		1048576
#define CLIPPER_PMTU_TIMEOUT_DEFAULT	600000		/* ms */
#define CLIPPER_PMTU_TIMEOUT_MIN	1000		/* ms */
#define CLIPPER_PMTU_TIMEOUT_MAX	86400000	/* ms: a day */
#define CLIPPER_PMTU_WINDOW_MIN		100		/* ms */
#define CLIPPER_PMTU_WINDOW_MAX		600000		/* ms */
#define CLIPPER_PMTU_RETRANS_MIN	1
#define CLIPPER_PMTU_RETRANS_MAX	10
#define CLIPPER_PMTU_GC_INTERVAL	(2 * HZ)
#define CLIPPER_SUSPECT_SLOTS		1024		/* a power of 2 */
#define CLIPPER_PROBE_QLEN		64		/* copies waiting */
#define CLIPPER_REST_QLEN		128		/* rest pieces held */
#define CLIPPER_GC_BATCH		256		/* entries a lock hold */
#define CLIPPER_RX_SLOTS		256		/* a power of 2 */

struct clipper_suspect_slot;
struct clipper_rx_slot;
struct clipper_rx_watch;
struct clipper_rx_act;

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
	/* probe copies, sent after the packet that made them (pmtu.c) */
	struct sk_buff_head		probes;
	struct delayed_work		probe_work;
	/*
	 * the rest of each copied segment, held until its copy is answered
	 * (pmtu.c); under probes.lock, as are rest_at and dying
	 */
	struct sk_buff_head		rests;
	struct delayed_work		rest_work;
	unsigned long			rest_at;	/* jiffies: its run */
	bool				dying;
	unsigned long			icmp_at;	/* jiffies, no path */
	/* the receiving side (pmtu.c): episodes, under lock */
	struct clipper_rx_slot		*rx;
	atomic_t			nrx;
	struct clipper_rx_watch		*watch;		/* CLIPPER_RX_SLOTS */
	atomic_t			nwatch;
	struct clipper_rx_act		*rx_act;	/* the work's */
	unsigned long			rx_quiet_at;	/* jiffies, lock */
	unsigned long			rx_icmp_at;	/* jiffies, lock */
	struct delayed_work		rx_work;
};

/* --ws-count state of one namespace; see ws.c */
#define CLIPPER_WS_MAX_DEFAULT		16384
#define CLIPPER_WS_MAX_LIMIT		1048576
#define CLIPPER_WS_TIMEOUT_DEFAULT	3600000		/* ms */
#define CLIPPER_WS_TIMEOUT_MIN		1000		/* ms */
#define CLIPPER_WS_TIMEOUT_MAX		604800000	/* ms: a week */

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

/* What a MAC table dump reports of one entry. */
struct clipper_mac_info {
	u8		addr[ETH_ALEN];
	u8		plen;
	u8		class;
	bool		random;
	const char	*comment;
	u64		packets, bytes, flows;
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

static inline void clipper_mac_count(struct clipper_mac_pcpu __percpu *stats,
				     u64 packets, u64 bytes)
{
	struct clipper_mac_pcpu *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->packets, packets);
	u64_stats_add(&s->bytes, bytes);
	u64_stats_update_end(&s->syncp);
}

/* classify.c */
struct netlink_callback;
struct netlink_ext_ack;
struct nlattr;
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

/* pmtu.c */
struct xt_action_param;
struct xt_clipper_tginfo;
int clipper_pmtu_init(struct clipper_net *cn);
void clipper_pmtu_exit(struct clipper_net *cn);
int clipper_pmtu_rule_get(struct clipper_net *cn,
			  const struct xt_clipper_tginfo *info);
void clipper_pmtu_rule_put(struct clipper_net *cn,
			   const struct xt_clipper_tginfo *info);
void clipper_pmtu(struct clipper_net *cn, struct sk_buff *skb,
		  const struct xt_action_param *par,
		  const struct xt_clipper_tginfo *info, unsigned int thoff);
void clipper_pmtu_flush(struct clipper_net *cn);
int clipper_pmtu_dump(struct clipper_net *cn, struct sk_buff *skb,
		      struct netlink_callback *cb, long *pos);
int clipper_pmtu_config_fill(struct sk_buff *msg, struct clipper_net *cn);
void clipper_pmtu_config_set(struct clipper_net *cn, struct nlattr **tb);

/* ws.c */
int clipper_ws_module_init(void);
void clipper_ws_module_exit(void);
int clipper_ws_init(struct clipper_net *cn);
void clipper_ws_exit(struct clipper_net *cn);
void clipper_ws_rule_get(struct clipper_net *cn);
void clipper_ws(struct clipper_net *cn, struct sk_buff *skb, u8 family,
		unsigned int thoff);
int clipper_ws_dump(struct clipper_net *cn, struct sk_buff *skb,
		    struct netlink_callback *cb, long *pos);
int clipper_ws_config_fill(struct sk_buff *msg, struct clipper_net *cn);
void clipper_ws_config_set(struct clipper_net *cn, struct nlattr **tb);

/* netlink.c */
struct genl_info;
void clipper_limit_event(struct clipper_net *cn,
			 enum clipper_limit_table table, u32 max, gfp_t gfp);
extern struct genl_family clipper_family;
int clipper_check_protocol(struct genl_info *info);

/* target.c */
int clipper_target_init(void);
void clipper_target_exit(void);

/* netlink.c */
int clipper_genl_init(void);
void clipper_genl_exit(void);

#endif /* _CLIPPER_CORE_H */

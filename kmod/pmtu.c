// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --clamp-mss and --pmtu-guard.
 *
 * --clamp-mss lowers the MSS option of SYNs and SYN/ACKs to fit the route
 * MTU (both ways, as TCPMSS does), a path MTU learned here, or a value.
 *
 * --pmtu-guard finds PMTU black holes by experiment (bhole.h says how):
 * when a segment of a flow is sent again, a small copy of its first bytes
 * goes to the receiver right behind it, and a copy acknowledged while the
 * resend is not, pmtu-retrans times in a row, is a black hole.  Conntrack's
 * window tracking says whether a segment is sent again, so a flow costs
 * nothing until that happens; then a small direct-mapped table of suspects
 * (one slot per flow and direction, no allocation) follows it.  The fixes
 * of the rule repair the flow: an ICMP to the sender, DF cleared; the path
 * table learns what applies to other flows (later SYNs clamped, DF) only
 * on the word of more than one sender, or of this host.
 *
 * The path table is per namespace, bounded (pmtu-max), and forgets a path
 * that has not changed for pmtu-timeout.  It learns from the frag-needed /
 * PTB messages that pass, through hooks registered with the first rule.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/tcp.h>

#include "core.h"
#include "netlink.h"
#include "xt_CLIPPER.h"

/* the pure parts, also built by the unit tests */
#define CLIPPER_CSUM_REPLACE2(ctx, sum, from, to, pseudo)		\
	inet_proto_csum_replace2((__sum16 *)(sum), (ctx),		\
				 htons((u16)(from)),			\
				 htons((u16)(to)), (pseudo))
#define CLIPPER_CSUM_REPLACE4(ctx, sum, from, to, pseudo)		\
	inet_proto_csum_replace4((__sum16 *)(sum), (ctx),		\
				 htonl((u32)(from)),			\
				 htonl((u32)(to)), (pseudo))
#include "tcpmss.h"
#include "bhole.h"
#include "bhole_rx.h"

struct clipper_path_key {
	u8		family;		/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8		pad[3];
	union nf_inet_addr addr;
};

struct clipper_path {
	struct rhash_head	node;
	struct clipper_path_key	key;
	struct list_head	list;		/* pm->list, RCU */
	struct clipper_bh_path	st;		/* under pm->lock */
	u32			fixes;		/* XT_CLIPPER_FIX_* applied */
	u32			detections;
	u32			icmp_sent;
	u32			df_cleared;
	u32			mss_clamped;
	unsigned long		icmp_at;	/* jiffies: our last ICMP */
	bool			dead;		/* unlinked, under pm->lock */
	struct rcu_head		rcu;
};

static const struct rhashtable_params clipper_path_params = {
	.head_offset		= offsetof(struct clipper_path, node),
	.key_offset		= offsetof(struct clipper_path, key),
	.key_len		= sizeof(struct clipper_path_key),
	.automatic_shrinking	= true,
};

/* One flow direction with a resent full-size segment. */
struct clipper_suspect_slot {
	/* compared, never dereferenced: NULL, free */
	const struct nf_conn		*ct;
	/* the rule that follows its resends: compared, never dereferenced */
	const struct xt_clipper_tginfo	*rule;
	/* nf_ct_get_id(): conntrack entries are reused at once */
	u32				ctid;
	/* a copy of [want_seq, + want_m) to make when the resend leaves */
	u32				want_seq;
	u16				want_m;
	u16				want_plen;	/* its IP length */
	bool				want;
	/* confirmed by the rest's wait: the next segment declares */
	bool				declare;
	/* confirmed once: its other resends are delivered in pieces */
	bool				split;
	u8				splits;		/* ... so many so far */
	/* ktime_get_ns(): the copy made, its answer (for the rest's wait) */
	u64				copy_ns;
	u64				answered_ns;
	struct clipper_bh_suspect	s;
};

/*
 * A forwarded flow direction whose data passes here (S's: the reply
 * direction of a flow R opened), watched: hi, the end of S's furthest
 * data here, is what a pure ACK of S (its snd_nxt) or a probe's answer is
 * compared with, and its going quiet in the middle (every segment
 * vanishing before it comes here) is seen: a probe asks S then.  Taken,
 * given back and dropped under pm->lock, published with a release store
 * of ct; written by the fast path of its own flow without a lock (hi at
 * every segment that advances it, the rest at most once a millisecond).
 */
struct clipper_rx_watch {
	struct nf_conn			*ct;	/* a reference; NULL: free */
	u32				hi;	/* end of S's furthest data */
	/* the first byte missing here: hi, or where a gap before hi began */
	u32				lo;
	u32				base;	/* ms: when what ends at lo passed */
	u32				hi_at;	/* ms: hi last advanced */
	u32				last;	/* ms: S's latest data */
	u32				s_ack;	/* ... its ACK */
	/*
	 * the probe's timestamps: R's latest TSval (S's ts_recent is no
	 * later: PAWS passes, Linux 6.14 and later drop an old ACK that
	 * fails it unanswered) and S's latest TSval
	 */
	u32				tsval;
	u32				tsecr;
	u32				r_at;	/* ms: R's TSval last read */
	u16				big;	/* longest IP length of S's */
	u16				mtu;	/* of the device toward R */
	u8				dir;	/* S's conntrack direction */
	u8				fixes;
	u8				ts;
	u8				probed;	/* this quiet spell */
	u8				closed;	/* R's FIN, an RST: not probed */
};

#define CLIPPER_RX_QUIET_MS	1000	/* quiet this long: a probe */
#define CLIPPER_RX_ACTS		16	/* actions of one rx work run */
#define CLIPPER_RX_WATCH_MS	10000	/* quiet this long: forgotten */

/* What the rx work does outside the lock, for one slot. */
struct clipper_rx_act {
	enum clipper_rx_verdict		verdict;
	u8				family;
	u8				fixes;
	u8				confirms;
	u8				icmps;
	bool				ts;
	bool				stuck;
	__be16				sport;
	__be16				dport;
	u16				win;
	u16				len;
	u16				mtu;
	u16				idx;	/* the slot */
	u32				ctid;
	u32				lo;
	u32				s_ack;
	u32				tsval;
	u32				tsecr;
	union nf_inet_addr		saddr;
	union nf_inet_addr		daddr;
	union nf_inet_addr		raddr;
};

/* A flow direction whose segments vanish before they come here. */
struct clipper_rx_slot {
	/* compared, never dereferenced: NULL, free */
	const struct nf_conn		*ct;
	u32				ctid;
	u8				dir;	/* S's conntrack direction */
	u8				family;
	u8				fixes;	/* the rule's XT_CLIPPER_FIX_* */
	__be16				sport;	/* S's port */
	__be16				dport;	/* R's, as S sends to it */
	union nf_inet_addr		saddr;	/* S */
	union nf_inet_addr		daddr;	/* R, as S sends to it (NAT) */
	union nf_inet_addr		raddr;	/* R, as FORWARD sees it */
	struct clipper_rx_suspect	s;
};

/*
 * Set while this CPU sends a packet of ours (a frag-needed / PTB, a probe
 * copy): our own hooks and rules leave it alone, it is not news.
 */
static DEFINE_PER_CPU(bool, clipper_sending);

/* The copies go out this long after the packet they copy, at least. */
#define CLIPPER_PROBE_DELAY_NS	(1 * NSEC_PER_MSEC)
/* and a flow direction gets one this often at most */
#define CLIPPER_PROBE_GAP_NS	(20 * NSEC_PER_MSEC)
/* resends of a flow split in pieces, at most, until its declaration */
#define CLIPPER_SPLIT_MAX	32

/* Under pm->lock (or before it is shared): the slot is ct's. */
static bool clipper_slot_is(const struct clipper_suspect_slot *slot,
			    const struct nf_conn *ct)
{
	return slot->ct == ct && slot->ctid == nf_ct_get_id(ct);
}

static struct clipper_suspect_slot *
clipper_suspect_slot(struct clipper_pmtu *pm, const struct nf_conn *ct,
		     unsigned int dir)
{
	u32 h = jhash_2words((u32)(unsigned long)ct, dir, pm->seed);

	return &pm->suspects[h & (CLIPPER_SUSPECT_SLOTS - 1)];
}

/* Under pm->lock: no copy to make for the slot after all. */
static void clipper_slot_unwant(struct clipper_pmtu *pm,
				struct clipper_suspect_slot *slot)
{
	if (slot->want) {
		WRITE_ONCE(slot->want, false);
		atomic_dec(&pm->nwant);
	}
}

/* Under pm->lock: the flow's resends are split (or no longer). */
static void clipper_slot_split(struct clipper_pmtu *pm,
			       struct clipper_suspect_slot *slot, bool on)
{
	if (slot->split != on) {
		WRITE_ONCE(slot->split, on);
		slot->splits = 0;
		if (on)
			atomic_inc(&pm->nsplit);
		else
			atomic_dec(&pm->nsplit);
	}
}

/* Under pm->lock: nothing more to do for the slot's flow. */
static void clipper_slot_idle(struct clipper_pmtu *pm,
			      struct clipper_suspect_slot *slot)
{
	clipper_slot_unwant(pm, slot);
	clipper_slot_split(pm, slot, false);
}

static void clipper_slot_take(struct clipper_pmtu *pm,
			      struct clipper_suspect_slot *slot,
			      const struct nf_conn *ct)
{
	if (!slot->ct)
		atomic_inc(&pm->nsuspects);
	WRITE_ONCE(slot->ct, ct);
	slot->ctid = nf_ct_get_id(ct);
	clipper_slot_idle(pm, slot);
	slot->declare = false;
	slot->copy_ns = 0;
	slot->answered_ns = 0;
	memset(&slot->s, 0, sizeof(slot->s));
}

/* Under pm->lock: how long the slot's answered copy waits (its rest). */
static u32 clipper_slot_hold_ms(const struct clipper_suspect_slot *slot)
{
	return clipper_bh_hold_ms(div_u64(slot->answered_ns - slot->copy_ns,
					  NSEC_PER_MSEC));
}

static u32 clipper_now_ms(void)
{
	return jiffies_to_msecs(jiffies);
}

/* ---- the path table ---------------------------------------------------- */

static void clipper_path_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct clipper_path, rcu));
}

static void clipper_path_key_init(struct clipper_path_key *k, u8 family,
				  const union nf_inet_addr *addr)
{
	memset(k, 0, sizeof(*k));
	k->family = family;
	if (family == NFPROTO_IPV4)
		k->addr.ip = addr->ip;
	else
		k->addr.in6 = addr->in6;
}

/* RCU read side. */
static noinline struct clipper_path *
__clipper_path_find(struct clipper_pmtu *pm, u8 family,
		    const union nf_inet_addr *addr)
{
	struct clipper_path_key k;

	clipper_path_key_init(&k, family, addr);
	return rhashtable_lookup(&pm->paths, &k, clipper_path_params);
}

/* Inline, so that an empty table costs no call and no key to clear. */
static inline struct clipper_path *
clipper_path_find(struct clipper_pmtu *pm, u8 family,
		  const union nf_inet_addr *addr)
{
	if (!READ_ONCE(pm->count))
		return NULL;
	return __clipper_path_find(pm, family, addr);
}

/*
 * The path to addr, made if there is none (GFP_ATOMIC: this runs on the
 * rare packets that need it).  NULL when the table is full.  RCU read side.
 */
static struct clipper_path *clipper_path_get(struct clipper_net *cn,
					     u8 family,
					     const union nf_inet_addr *addr)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_path *p, *old;

	p = clipper_path_find(pm, family, addr);
	if (p)
		return p;
	if (READ_ONCE(pm->count) >= READ_ONCE(pm->max))
		goto full;
	p = kzalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		goto full;
	clipper_path_key_init(&p->key, family, addr);
	p->st.changed = clipper_now_ms();
	p->st.learned_at = p->st.changed;
	/* never sent: time_after() must hold at once, also on 32 bits */
	p->icmp_at = jiffies - HZ;

	spin_lock_bh(&pm->lock);
	if (pm->count >= pm->max) {
		spin_unlock_bh(&pm->lock);
		kfree(p);
		goto full;
	}
	old = rhashtable_lookup_get_insert_fast(&pm->paths, &p->node,
						clipper_path_params);
	if (old) {
		spin_unlock_bh(&pm->lock);
		kfree(p);
		return IS_ERR(old) ? NULL : old;
	}
	list_add_tail_rcu(&p->list, &pm->list);
	WRITE_ONCE(pm->count, pm->count + 1);
	pm->generation++;
	spin_unlock_bh(&pm->lock);
	return p;

full:
	clipper_stats_add(cn, CLIPPER_ST_PMTU_TABLE_FULL, 1);
	clipper_limit_event(cn, CLIPPER_LIMIT_PMTU, READ_ONCE(pm->max),
			    GFP_ATOMIC);
	return NULL;
}

/*
 * Note a fix done for the path: several CPUs may note one at once, and
 * none may be lost (clipper_guard_df() reads the DF one without a lock).
 */
static void clipper_path_fix(struct clipper_pmtu *pm, struct clipper_path *p,
			     u8 fix)
{
	if (READ_ONCE(p->fixes) & fix)
		return;
	spin_lock_bh(&pm->lock);
	WRITE_ONCE(p->fixes, p->fixes | fix);
	spin_unlock_bh(&pm->lock);
}

/* pm->lock held */
static void clipper_path_unlink(struct clipper_pmtu *pm, struct clipper_path *p)
{
	p->dead = true;
	rhashtable_remove_fast(&pm->paths, &p->node, clipper_path_params);
	list_del_rcu(&p->list);
	WRITE_ONCE(pm->count, pm->count - 1);
	pm->generation++;
	call_rcu(&p->rcu, clipper_path_free_rcu);
}

/* Process context: the lock is taken for a batch of paths at a time. */
void clipper_pmtu_flush(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_path *p;
	unsigned int n;

	do {
		spin_lock_bh(&pm->lock);
		for (n = 0; n < CLIPPER_GC_BATCH; n++) {
			p = list_first_entry_or_null(&pm->list,
						     struct clipper_path, list);
			if (!p)
				break;
			clipper_path_unlink(pm, p);
		}
		spin_unlock_bh(&pm->lock);
		cond_resched();
	} while (n == CLIPPER_GC_BATCH);

	spin_lock_bh(&pm->lock);
	if (pm->suspects)
		memset(pm->suspects, 0,
		       sizeof(*pm->suspects) * CLIPPER_SUSPECT_SLOTS);
	atomic_set(&pm->nsuspects, 0);
	atomic_set(&pm->nwant, 0);
	atomic_set(&pm->nsplit, 0);
	if (pm->rx)
		memset(pm->rx, 0, sizeof(*pm->rx) * CLIPPER_RX_SLOTS);
	atomic_set(&pm->nrx, 0);
	spin_unlock_bh(&pm->lock);
}

/*
 * Forget paths that did not change for pmtu-timeout (re-probe upward), and
 * suspects of flows that went quiet or away.  A table can be large: the
 * walk takes the lock for one entry or one batch of slots at a time, and
 * lets others run between batches.
 */
static void clipper_pmtu_gc(struct work_struct *work)
{
	struct clipper_pmtu *pm = container_of(to_delayed_work(work),
					       struct clipper_pmtu, gc);
	struct rhashtable_iter iter;
	struct clipper_path *p;
	unsigned int i, n = 0;
	u32 now = clipper_now_ms();

	rhashtable_walk_enter(&pm->paths, &iter);
	rhashtable_walk_start(&iter);
	while ((p = rhashtable_walk_next(&iter))) {
		if (IS_ERR(p))
			continue;	/* -EAGAIN: a resize, go on */
		if (clipper_path_expired(&p->st, now,
					 READ_ONCE(pm->timeout_ms),
					 READ_ONCE(pm->window_ms))) {
			spin_lock_bh(&pm->lock);
			/* still there, and still old: not flushed meanwhile */
			if (!p->dead &&
			    clipper_path_expired(&p->st, now, pm->timeout_ms,
						 pm->window_ms))
				clipper_path_unlink(pm, p);
			spin_unlock_bh(&pm->lock);
		}
		if (++n % CLIPPER_GC_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);

	for (i = 0; i < CLIPPER_SUSPECT_SLOTS; i += CLIPPER_GC_BATCH) {
		unsigned int j;

		spin_lock_bh(&pm->lock);
		for (j = i; pm->suspects && j < i + CLIPPER_GC_BATCH; j++) {
			struct clipper_suspect_slot *slot = &pm->suspects[j];

			if (slot->ct &&
			    (s32)(now - slot->s.last) > (s32)pm->window_ms) {
				clipper_slot_idle(pm, slot);
				WRITE_ONCE(slot->ct, NULL);
				atomic_dec(&pm->nsuspects);
			}
		}
		spin_unlock_bh(&pm->lock);
		cond_resched();
	}
	queue_delayed_work(system_power_efficient_wq, &pm->gc,
			   CLIPPER_PMTU_GC_INTERVAL);
}

/* ---- events -------------------------------------------------------------- */

static int clipper_path_fill(struct sk_buff *msg, const struct clipper_path *p,
			     u32 now)
{
	const struct clipper_bh_path *st = &p->st;
	struct nlattr *nest;

	nest = nla_nest_start(msg, CLIPPER_A_PMTU);
	if (!nest ||
	    nla_put_u8(msg, CLIPPER_PMTU_A_FAMILY,
		       p->key.family == NFPROTO_IPV4 ? AF_INET : AF_INET6) ||
	    nla_put(msg, CLIPPER_PMTU_A_DST,
		    p->key.family == NFPROTO_IPV4 ? 4 : 16, &p->key.addr) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_MTU, READ_ONCE(st->mtu)) ||
	    nla_put_u8(msg, CLIPPER_PMTU_A_STATE, READ_ONCE(st->state)) ||
	    (p->detections &&
	     nla_put_u64_64bit(msg, CLIPPER_PMTU_A_DETECTED,
			       (u32)(now - READ_ONCE(st->detected)),
			       CLIPPER_PMTU_A_PAD)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_FIXES, READ_ONCE(p->fixes)) ||
	    nla_put_u64_64bit(msg, CLIPPER_PMTU_A_AGE,
			      (u32)(now - READ_ONCE(st->changed)),
			      CLIPPER_PMTU_A_PAD) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_DETECTIONS, READ_ONCE(p->detections)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_ICMP_SENT, READ_ONCE(p->icmp_sent)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_DF_CLEARED, READ_ONCE(p->df_cleared)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_MSS_CLAMPED,
			READ_ONCE(p->mss_clamped)) ||
	    nla_put_u8(msg, CLIPPER_PMTU_A_SCOPE, READ_ONCE(st->scope)) ||
	    nla_put_u8(msg, CLIPPER_PMTU_A_LEARNED, READ_ONCE(st->learned)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_SENDERS, READ_ONCE(st->senders)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_PASSED, READ_ONCE(st->passed)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_OUTAGES, READ_ONCE(st->outages)) ||
	    nla_put_u8(msg, CLIPPER_PMTU_A_SIDE, READ_ONCE(st->side)) ||
	    nla_put_u32(msg, CLIPPER_PMTU_A_UNREPAIRED,
			READ_ONCE(st->unrepaired)) ||
	    (READ_ONCE(st->state) == CLIPPER_PATH_STUCK &&
	     (nla_put_u32(msg, CLIPPER_PMTU_A_STUCK_LEN,
			  READ_ONCE(st->stuck_len)) ||
	      nla_put_u32(msg, CLIPPER_PMTU_A_STUCK_RESENDS,
			  READ_ONCE(st->stuck_resends))))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* A path turned blackhole, or back to ok: tell the monitor group. */
static void clipper_path_event(struct clipper_net *cn,
			       const struct clipper_path *p)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&clipper_family, cn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &clipper_family, 0, CLIPPER_CMD_PMTU_EVENT);
	if (!hdr || nla_put_u32(msg, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL) ||
	    clipper_path_fill(msg, p, clipper_now_ms())) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&clipper_family, cn->net, msg, 0, 0, GFP_ATOMIC);
}

/* ---- ICMP frag-needed / packet-too-big that pass ------------------------- */

/*
 * Whether an ICMP error may teach a path MTU: only when conntrack relates
 * it to a TCP flow it tracks (here or on the way out: the OUTPUT hook runs
 * after conntrack's), and the segment it quotes is one the flow has in
 * flight (seq within what conntrack's window tracking allows for it).  A
 * forged frag-needed would otherwise fill the table with paths to
 * anywhere, or, guessing a flow's addresses and ports, lower the MSS of
 * every later SYN to a host.  Without a conntrack entry (INVALID,
 * untracked, or conntrack not running: --clamp-mss rules alone do not load
 * it) it never may.
 */
static bool clipper_icmp_trusted(const struct sk_buff *skb, u32 seq, bool fwd)
{
	const struct ip_ct_tcp_state *snd, *rcv;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	unsigned int qdir;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_protonum(ct) != IPPROTO_TCP ||
	    (ctinfo != IP_CT_RELATED && ctinfo != IP_CT_RELATED_REPLY))
		return false;
	/*
	 * About another host's flow: one conntrack saw answered both ways
	 * (assured), not a SYN its own sender made up to have an error quote
	 * it.
	 */
	if (fwd && !test_bit(IPS_ASSURED_BIT, &ct->status))
		return false;
	/* the quoted segment went the other way than the error */
	qdir = ctinfo == IP_CT_RELATED ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	snd = &ct->proto.tcp.seen[qdir];
	rcv = &ct->proto.tcp.seen[!qdir];
	/* what is in flight: not acknowledged yet, as the sender checks */
	if (READ_ONCE(rcv->flags) & IP_CT_TCP_FLAG_MAXACK_SET &&
	    before(seq, READ_ONCE(rcv->td_maxack)))
		return false;
	return !after(seq, READ_ONCE(snd->td_end)) &&
	       after(seq, READ_ONCE(snd->td_end) -
			  max(READ_ONCE(rcv->td_maxwin), 1U) - 1);
}

/* A sender's network, as a path remembers it: a hash, never 0. */
static u32 clipper_sender_of(const struct clipper_pmtu *pm,
			     const union nf_inet_addr *a, bool v6)
{
	u32 h;

	/*
	 * Its network, not its address: one party has many addresses in its
	 * /48 (IPv6) or /24 (IPv4), and must not count as several senders.
	 */
	if (v6)
		h = jhash(&a->in6, 6, pm->seed);
	else
		h = jhash_1word((__force u32)(a->ip & htonl(0xffffff00)),
				pm->seed);
	return h ?: 1;
}

/* An address, as the clamp toward one sender compares it: not 0. */
static u32 clipper_addr_id(const struct clipper_pmtu *pm,
			   const union nf_inet_addr *a, bool v6)
{
	u32 h;

	if (v6)
		h = jhash(&a->in6, sizeof(a->in6), pm->seed ^ 0x6164);
	else
		h = jhash_1word((__force u32)a->ip, pm->seed ^ 0x6164);
	return h ?: 1;
}

/*
 * src -> dst: the segment the ICMP quotes.  fwd: it is forwarded, about a
 * flow of another host, whose word it is (clipper_path_icmp_fwd());
 * otherwise this host sends it or is the flow's sender, and acts on it
 * itself anyway.
 */
static void __clipper_pmtu_learn(struct clipper_net *cn,
				 const struct sk_buff *skb, u8 family,
				 const union nf_inet_addr *src,
				 const union nf_inet_addr *dst, u32 mtu,
				 u32 qlen, u8 proto, u32 seq, bool fwd)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	bool v6 = family == NFPROTO_IPV6;
	struct clipper_path *p;
	u32 sender = 0;

	/* ours, on the way out or back in through loopback */
	if (__this_cpu_read(clipper_sending))
		return;

	clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_SEEN, 1);
	/* a next hop's MTU is below the length of what it could not pass */
	if (proto != IPPROTO_TCP || (mtu && mtu >= qlen) ||
	    !clipper_icmp_trusted(skb, seq, fwd)) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_UNRELATED, 1);
		return;
	}
	if (fwd)
		sender = clipper_sender_of(pm, src, v6);
	p = clipper_path_get(cn, family, dst);
	if (!p)
		return;
	spin_lock_bh(&pm->lock);
	if (fwd)
		clipper_path_icmp_fwd(&p->st, mtu, v6, sender, clipper_now_ms(),
				      pm->timeout_ms);
	else
		clipper_path_icmp(&p->st, mtu, v6, clipper_now_ms());
	spin_unlock_bh(&pm->lock);
}

/*
 * An ICMP frag-needed / packet-too-big for dst passed a hook.  OUTPUT
 * runs in the sending process's context, preemptible: the per-CPU flag
 * and counters need BHs off (the other hooks run in softirq, where this
 * costs an increment of the preempt count, for a rare packet).
 */
static void clipper_pmtu_learn(struct clipper_net *cn,
			       const struct sk_buff *skb, u8 family,
			       const union nf_inet_addr *src,
			       const union nf_inet_addr *dst, u32 mtu, u32 qlen,
			       u8 proto, u32 seq, bool fwd)
{
	local_bh_disable();
	rcu_read_lock();
	__clipper_pmtu_learn(cn, skb, family, src, dst, mtu, qlen, proto, seq,
			     fwd);
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * The hooks see every packet forwarded or received: what is not ICMP
 * leaves before the slow part's stack frame (and canary) is set up.
 */
static noinline unsigned int clipper_icmp4_slow(struct sk_buff *skb,
						const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb), *inner;
	struct {
		struct icmphdr	icmp;
		struct iphdr	ip;
	} _h;
	const typeof(_h) *h;
	union nf_inet_addr src = {}, dst = {};
	__be32 _seq, *seq = NULL;

	if (ip_is_fragment(iph) ||
	    (state->in && state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	h = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_h), &_h);
	if (!h || h->icmp.type != ICMP_DEST_UNREACH ||
	    h->icmp.code != ICMP_FRAG_NEEDED)
		return NF_ACCEPT;
	inner = &h->ip;
	src.ip = inner->saddr;
	dst.ip = inner->daddr;
	/* the quoted TCP header's sequence number */
	if (inner->protocol == IPPROTO_TCP && inner->ihl >= 5)
		seq = skb_header_pointer(skb, ip_hdrlen(skb) +
					 sizeof(struct icmphdr) +
					 inner->ihl * 4 + 4, sizeof(_seq),
					 &_seq);
	clipper_pmtu_learn(clipper_pernet(state->net), skb, NFPROTO_IPV4,
			   &src, &dst, ntohs(h->icmp.un.frag.mtu),
			   ntohs(inner->tot_len),
			   seq ? IPPROTO_TCP : inner->protocol,
			   seq ? ntohl(*seq) : 0,
			   state->hook == NF_INET_FORWARD);
	return NF_ACCEPT;
}

static unsigned int clipper_icmp4_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	if (likely(ip_hdr(skb)->protocol != IPPROTO_ICMP))
		return NF_ACCEPT;
	return clipper_icmp4_slow(skb, state);
}

static noinline unsigned int clipper_icmp6_slow(struct sk_buff *skb,
						const struct nf_hook_state *state)
{
	struct {
		struct icmp6hdr	icmp;
		struct ipv6hdr	ip;
	} _h;
	const typeof(_h) *h;
	union nf_inet_addr src = {}, dst = {};
	__be32 _seq, *seq = NULL;
	__be16 frag_off;
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	int off;

	if (state->in && state->in->flags & IFF_LOOPBACK)
		return NF_ACCEPT;
	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
			       &frag_off);
	if (off < 0 || nexthdr != IPPROTO_ICMPV6 || (frag_off & htons(~0x7)))
		return NF_ACCEPT;
	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || h->icmp.icmp6_type != ICMPV6_PKT_TOOBIG)
		return NF_ACCEPT;
	src.in6 = h->ip.saddr;
	dst.in6 = h->ip.daddr;
	/* the quoted TCP header's sequence number, right after the header */
	if (h->ip.nexthdr == IPPROTO_TCP)
		seq = skb_header_pointer(skb, off + sizeof(_h) + 4,
					 sizeof(_seq), &_seq);
	clipper_pmtu_learn(clipper_pernet(state->net), skb, NFPROTO_IPV6,
			   &src, &dst, ntohl(h->icmp.icmp6_mtu),
			   ntohs(h->ip.payload_len) + sizeof(struct ipv6hdr),
			   seq ? IPPROTO_TCP : 0, seq ? ntohl(*seq) : 0,
			   state->hook == NF_INET_FORWARD);
	return NF_ACCEPT;
}

static unsigned int clipper_icmp6_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	/* most packets: TCP or UDP right after the fixed header */
	if (likely(nexthdr != IPPROTO_ICMPV6 && !ipv6_ext_hdr(nexthdr)))
		return NF_ACCEPT;
	return clipper_icmp6_slow(skb, state);
}

static bool clipper_probe_queue(struct clipper_net *cn, struct sk_buff *skb,
				const struct nf_conn *ct, unsigned int dir,
				unsigned int thoff, unsigned int hlen,
				unsigned int m, unsigned int seglen, bool v6);
static unsigned int clipper_split_queue(struct clipper_net *cn,
					struct sk_buff *skb,
					unsigned int thoff, unsigned int hlen,
					unsigned int piece, unsigned int paylen,
					bool v6);

/*
 * A segment [seq, end) of the direction dir sent before: conntrack has
 * already taken it into account, its end is below the highest end seen
 * in this direction, or it is the same segment as the last one
 * (conntrack's retrans).
 */
static bool clipper_seen_before(const struct nf_conn *ct, unsigned int dir,
				u32 seq, u32 end)
{
	return before(end, READ_ONCE(ct->proto.tcp.seen[dir].td_end)) ||
	       (READ_ONCE(ct->proto.tcp.retrans) &&
		READ_ONCE(ct->proto.tcp.last_seq) == seq);
}

/* Resends of data the receiver acknowledged already: replays. */
static bool clipper_acked_already(const struct nf_conn *ct, unsigned int dir,
				  u32 end)
{
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!dir];

	return READ_ONCE(r->flags) & IP_CT_TCP_FLAG_MAXACK_SET &&
	       !after(end, READ_ONCE(r->td_maxack));
}

/* Sent before and not all acknowledged: a resend, as clipper_guard() says. */
static bool clipper_resent(const struct nf_conn *ct, unsigned int dir,
			   u32 seq, u32 end)
{
	return clipper_seen_before(ct, dir, seq, end) &&
	       !clipper_acked_already(ct, dir, end);
}

/*
 * A segment leaving: if the guard wants a copy of it, the copy is made
 * now, after every rule that could still have dropped it and after NAT,
 * from the packet as it goes.
 */
static noinline unsigned int clipper_post_slow(struct clipper_net *cn,
					       struct sk_buff *skb, bool v6)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int thoff, hlen, m = 0, dir, seglen = 0, paylen, seg;
	unsigned int piece = 0, split;
	struct clipper_suspect_slot *slot;
	enum ip_conntrack_info ctinfo;
	u32 seq, own_hi = 0, probe_len = 0;
	const struct tcphdr *th;
	struct tcphdr _th;
	struct nf_conn *ct;
	u64 copy_ns = 0;
	bool plain;

	ct = nf_ct_get(skb, &ctinfo);
	/* an ICMP error about the flow has its entry too: not a segment */
	if (!ct || nf_ct_protonum(ct) != IPPROTO_TCP ||
	    ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY ||
	    !READ_ONCE(pm->suspects))
		return NF_ACCEPT;
	if (v6) {
		if (ipv6_hdr(skb)->nexthdr != IPPROTO_TCP)
			return NF_ACCEPT;
		thoff = sizeof(struct ipv6hdr);
	} else {
		if (ip_hdr(skb)->protocol != IPPROTO_TCP ||
		    ip_hdr(skb)->ihl != 5 || ip_is_fragment(ip_hdr(skb)))
			return NF_ACCEPT;
		thoff = sizeof(struct iphdr);
	}
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff < 5)
		return NF_ACCEPT;
	dir = CTINFO2DIR(ctinfo);
	seq = ntohl(th->seq);
	hlen = thoff + th->doff * 4;
	if (skb->len <= hlen)
		return NF_ACCEPT;	/* no payload: nothing to copy */
	slot = clipper_suspect_slot(pm, ct, dir);
	if (READ_ONCE(slot->ct) != ct ||
	    (!READ_ONCE(slot->want) && !READ_ONCE(slot->split)))
		return NF_ACCEPT;
	paylen = skb->len - hlen;
	seg = paylen;
	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_size < paylen)
		seg = skb_shinfo(skb)->gso_size;
	/* what a split resend may be: not urgent, not a RST, DF kept */
	plain = !th->urg && !th->syn && !th->rst &&
		(v6 || ip_hdr(skb)->frag_off & htons(IP_DF));

	local_bh_disable();
	spin_lock(&pm->lock);
	if (clipper_slot_is(slot, ct) && slot->s.dir == dir && slot->want &&
	    slot->want_seq == seq) {
		m = slot->want_m;
		seglen = slot->s.end - seq;
		/* as they were, should no copy go out after all */
		copy_ns = slot->copy_ns;
		own_hi = slot->s.own_hi;
		probe_len = slot->s.probe_len;
		slot->copy_ns = ktime_get_ns();
		/* sent from now on: only now can an ACK answer it */
		clipper_bh_probe_sent(&slot->s, seq + m, slot->want_plen);
		clipper_slot_unwant(pm, slot);
	} else if (clipper_slot_is(slot, ct) && slot->s.dir == dir &&
		   slot->split && slot->s.count && slot->s.confirms &&
		   slot->splits < CLIPPER_SPLIT_MAX &&
		   plain && slot->s.probe_len > hlen &&
		   hlen + seg > slot->s.probe_len &&
		   clipper_resent(ct, dir, seq, seq + paylen)) {
		piece = slot->s.probe_len - hlen;
		slot->splits++;
	}
	spin_unlock(&pm->lock);
	if (piece) {
		split = clipper_split_queue(cn, skb, thoff, hlen, piece, paylen,
					    v6);
		if (split) {
			clipper_stats_add(cn, CLIPPER_ST_PMTU_PROBES, 1);
			/* what clipper delivers: R's SACK of it proves nothing */
			spin_lock(&pm->lock);
			if (clipper_slot_is(slot, ct) && slot->s.dir == dir &&
			    slot->s.count)
				clipper_bh_own_range(&slot->s, seq, seq + split);
			spin_unlock(&pm->lock);
		}
	}
	if (m && skb->len > hlen + m && seglen <= skb->len - hlen &&
	    clipper_probe_queue(cn, skb, ct, dir, thoff, hlen, m, seglen,
				v6)) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_PROBES, 1);
	} else if (m) {
		/* none went out: none to wait for an answer to */
		spin_lock(&pm->lock);
		if (clipper_slot_is(slot, ct) && slot->s.dir == dir &&
		    slot->s.seq == seq && slot->s.probe == CLIPPER_PROBE_SENT &&
		    slot->s.probe_end == seq + m) {
			slot->s.probe = CLIPPER_PROBE_NONE;
			slot->s.own_hi = own_hi;
			slot->s.probe_len = probe_len;
			slot->copy_ns = copy_ns;
		}
		spin_unlock(&pm->lock);
	}
	local_bh_enable();
	return NF_ACCEPT;
}

static unsigned int clipper_post4_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct clipper_net *cn = clipper_pernet(state->net);

	if (likely(!atomic_read(&cn->pmtu.nwant) &&
		   !atomic_read(&cn->pmtu.nsplit)))
		return NF_ACCEPT;
	return clipper_post_slow(cn, skb, false);
}

static unsigned int clipper_post6_hook(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct clipper_net *cn = clipper_pernet(state->net);

	if (likely(!atomic_read(&cn->pmtu.nwant) &&
		   !atomic_read(&cn->pmtu.nsplit)))
		return NF_ACCEPT;
	return clipper_post_slow(cn, skb, true);
}

/*
 * frag-needed / PTB that we forward, that arrive for us and that we send.
 * FORWARD rather than PREROUTING: a forwarded packet passes FORWARD's
 * hooks anyway when the namespace has rules there, so this one costs an
 * entry in a list that is walked already, not a hook of its own.
 */
static const struct nf_hook_ops clipper_icmp_ops[] = {
	{
		.hook		= clipper_icmp4_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= clipper_icmp4_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		/* after conntrack: it relates what this host sends */
		.hook		= clipper_icmp4_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_CONNTRACK + 1,
	},
	{
		/* after the rules and SNAT, before conntrack confirms */
		.hook		= clipper_post4_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP_PRI_NAT_SRC + 1,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook		= clipper_icmp6_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP6_PRI_FIRST,
	},
	{
		.hook		= clipper_icmp6_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FIRST,
	},
	{
		.hook		= clipper_icmp6_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_CONNTRACK + 1,
	},
	{
		.hook		= clipper_post6_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_POST_ROUTING,
		.priority	= NF_IP6_PRI_NAT_SRC + 1,
	},
#endif
};

/*
 * A --clamp-mss or --pmtu-guard rule comes (checkentry) or goes (destroy),
 * process context.  The first one registers the ICMP hooks and allocates
 * the suspect slots and starts the table's aging; the hooks go with the
 * last one, so that a namespace whose rules went pays nothing per packet.
 * The slots and the path table stay until the namespace goes: a rule put
 * back finds what was learned.
 */
int clipper_pmtu_rule_get(struct clipper_net *cn,
			  const struct xt_clipper_tginfo *info)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slots;
	int ret = 0;

	mutex_lock(&cn->lock);
	if (pm->hooks)
		goto out;
	if (!pm->suspects) {
		slots = kvcalloc(CLIPPER_SUSPECT_SLOTS, sizeof(*slots),
				 GFP_KERNEL_ACCOUNT);
		if (!slots) {
			ret = -ENOMEM;
			goto unlock;
		}
		spin_lock_bh(&pm->lock);
		pm->suspects = slots;
		spin_unlock_bh(&pm->lock);
	}
	if (!pm->rx) {
		struct clipper_rx_slot *rx;

		rx = kvcalloc(CLIPPER_RX_SLOTS, sizeof(*rx), GFP_KERNEL_ACCOUNT);
		if (!rx) {
			ret = -ENOMEM;
			goto unlock;
		}
		pm->rx_act = kcalloc(CLIPPER_RX_ACTS, sizeof(*pm->rx_act),
				     GFP_KERNEL_ACCOUNT);
		if (!pm->rx_act) {
			kvfree(rx);
			ret = -ENOMEM;
			goto unlock;
		}
		spin_lock_bh(&pm->lock);
		WRITE_ONCE(pm->rx, rx);
		spin_unlock_bh(&pm->lock);
	}
	if (!pm->watch) {
		struct clipper_rx_watch *watch;

		watch = kvcalloc(CLIPPER_RX_SLOTS, sizeof(*watch),
				 GFP_KERNEL_ACCOUNT);
		if (!watch) {
			ret = -ENOMEM;
			goto unlock;
		}
		spin_lock_bh(&pm->lock);
		WRITE_ONCE(pm->watch, watch);
		spin_unlock_bh(&pm->lock);
	}
	ret = nf_register_net_hooks(cn->net, clipper_icmp_ops,
				    ARRAY_SIZE(clipper_icmp_ops));
	if (ret)
		goto unlock;
	pm->hooks = true;
	/* a namespace without such rules has no table to age */
	queue_delayed_work(system_power_efficient_wq, &pm->gc,
			   CLIPPER_PMTU_GC_INTERVAL);
out:
	pm->rules++;
	if (info->flags & XT_CLIPPER_PMTU_GUARD)
		WRITE_ONCE(pm->guards, pm->guards + 1);
unlock:
	mutex_unlock(&cn->lock);
	return ret;
}

/*
 * The rule info goes.  The suspects it was counting are free for the other
 * --pmtu-guard rules to take up (a rule put back in its place, say), not
 * skipped by them until they idle out.
 */
void clipper_pmtu_rule_put(struct clipper_net *cn,
			   const struct xt_clipper_tginfo *info)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int i;

	spin_lock_bh(&pm->lock);
	for (i = 0; pm->suspects && i < CLIPPER_SUSPECT_SLOTS; i++)
		if (pm->suspects[i].rule == info)
			pm->suspects[i].rule = NULL;
	spin_unlock_bh(&pm->lock);

	mutex_lock(&cn->lock);
	if (info->flags & XT_CLIPPER_PMTU_GUARD && !WARN_ON_ONCE(!pm->guards))
		WRITE_ONCE(pm->guards, pm->guards - 1);
	if (!WARN_ON_ONCE(!pm->rules) && !--pm->rules && pm->hooks) {
		nf_unregister_net_hooks(cn->net, clipper_icmp_ops,
					ARRAY_SIZE(clipper_icmp_ops));
		pm->hooks = false;
	}
	mutex_unlock(&cn->lock);
}

/* ---- --clamp-mss ------------------------------------------------------------ */

/* The MTU of the route back to the packet's source (as TCPMSS). */
static u32 clipper_reverse_mtu(struct net *net, const struct sk_buff *skb,
			       u8 family)
{
	struct dst_entry *dst = NULL;
	struct flowi fl;
	u32 mtu = 0;

	memset(&fl, 0, sizeof(fl));
	if (family == NFPROTO_IPV4)
		fl.u.ip4.daddr = ip_hdr(skb)->saddr;
	else
		fl.u.ip6.daddr = ipv6_hdr(skb)->saddr;
	nf_route(net, &dst, &fl, false, family);
	if (dst) {
		mtu = dst_mtu(dst);
		dst_release(dst);
	}
	return mtu;
}

/*
 * The path learned for the packet's source, if any.  Out of line: the
 * address it builds would cost every SYN's path a stack canary.
 */
static noinline struct clipper_path *
clipper_path_of_src(struct clipper_pmtu *pm, const struct sk_buff *skb,
		    u8 family)
{
	union nf_inet_addr src = {};

	if (family == NFPROTO_IPV6)
		src.in6 = ipv6_hdr(skb)->saddr;
	else
		src.ip = ip_hdr(skb)->saddr;
	return __clipper_path_find(pm, family, &src);
}

/*
 * A path of scope flow that clamps the SYNs of its receiver to the one
 * sender whose flows found it (the receiving side): this SYN is to it.
 */
static noinline bool clipper_clamp_to(const struct clipper_pmtu *pm,
				      const struct clipper_path *p,
				      const struct sk_buff *skb, u8 family)
{
	u32 to = READ_ONCE(p->st.clamp_to);
	union nf_inet_addr dst = {};

	if (!to)
		return false;
	if (family == NFPROTO_IPV6)
		dst.in6 = ipv6_hdr(skb)->daddr;
	else
		dst.ip = ip_hdr(skb)->daddr;
	return clipper_addr_id(pm, &dst, family == NFPROTO_IPV6) == to;
}

/*
 * The MSS a SYN of this packet's source may announce: what the rule says,
 * lowered to a path MTU learned for the source (the path its peer's
 * segments take) when the rule may use it.  Inlined, so that pathp is no
 * address taken: that would cost the caller a stack canary.
 */
static __always_inline u32
clipper_mss_target(struct clipper_net *cn, struct sk_buff *skb,
		   const struct xt_action_param *par,
		   const struct xt_clipper_tginfo *info,
		   struct clipper_path **pathp)
{
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6;
	u32 mtu = U32_MAX, mss = U32_MAX, m;

	if (info->flags & XT_CLIPPER_CLAMP_MSS) {
		if (info->clamp_mss != XT_CLIPPER_MSS_PMTU) {
			mss = info->clamp_mss;
		} else {
			if (skb_dst(skb))
				mtu = dst_mtu(skb_dst(skb));
			m = clipper_reverse_mtu(xt_net(par), skb, family);
			if (m && m < mtu)
				mtu = m;
		}
	}
	/* only when the table has paths to look in */
	if (((info->flags & XT_CLIPPER_CLAMP_MSS &&
	      info->clamp_mss == XT_CLIPPER_MSS_PMTU) ||
	     (info->flags & XT_CLIPPER_PMTU_GUARD &&
	      info->pmtu_fix & XT_CLIPPER_FIX_MSS)) &&
	    READ_ONCE(cn->pmtu.count)) {
		struct clipper_path *p = clipper_path_of_src(&cn->pmtu, skb,
							     family);

		m = 0;
		if (p && READ_ONCE(p->st.scope) == CLIPPER_SCOPE_PATH)
			m = READ_ONCE(p->st.mtu);
		else if (p && clipper_clamp_to(&cn->pmtu, p, skb, family))
			m = READ_ONCE(p->st.clamp_mtu);
		if (p) {
			if (m && m < mtu) {
				mtu = m;
				*pathp = p;
			}
		}
	}
	if (mtu != U32_MAX) {
		m = clipper_mss_for_mtu(mtu, v6);
		if (m < mss)
			mss = m;
	}
	return mss;
}

/* Inlined in clipper_pmtu_syn(), out of a data segment's path. */
static __always_inline void
clipper_clamp_syn(struct clipper_net *cn, struct sk_buff *skb,
		  const struct xt_action_param *par,
		  const struct xt_clipper_tginfo *info, unsigned int thoff,
		  const struct tcphdr *th)
{
	bool v6 = xt_family(par) == NFPROTO_IPV6;
	struct clipper_mss_result res = {};
	struct clipper_path *path = NULL;
	unsigned int tcplen, thlen, room = 0, absent, iplen;
	const u8 *hdr;
	u32 mss;
	int off;

	clipper_stats_add(cn, CLIPPER_ST_PMTU_SYN, 1);
	tcplen = skb->len - thoff;
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || thlen > tcplen)
		goto malformed;

	mss = clipper_mss_target(cn, skb, par, info, &path);
	if (mss == U32_MAX || mss > 0xffff)
		return;

	/*
	 * Nothing to write unless an option is too big or one can be added.
	 * The header is read in place, pulled into the linear part first if
	 * it is not there (rare): a copy would cost every SYN a buffer that
	 * INIT_STACK_ALL_ZERO kernels clear first.
	 */
	if (!pskb_may_pull(skb, thoff + thlen))
		goto unwritable;
	hdr = skb->data + thoff;
	off = clipper_tcp_mss_locate(hdr, thlen);
	if (off == CLIPPER_MSS_BAD)
		goto malformed;
	absent = v6 ? CLIPPER_MSS_ABSENT_V6 : CLIPPER_MSS_ABSENT_V4;
	/*
	 * An option added must leave the IP length within its 16 bits: a SYN
	 * reassembled from fragments can be as large as IP allows.
	 */
	iplen = skb->len - (v6 ? sizeof(struct ipv6hdr) : 0);
	if (off >= 0 ? (hdr[off + 2] << 8 | hdr[off + 3]) <= mss :
		       mss >= absent || thlen >= CLIPPER_TCP_HLEN_MAX ||
		       iplen > 0xffff - CLIPPER_TCPOLEN_MSS)
		return;

	if (skb_ensure_writable(skb, skb->len))
		goto unwritable;
	if (off < 0 && skb_tailroom(skb) < 4 &&
	    pskb_expand_head(skb, 0, 4 - skb_tailroom(skb), GFP_ATOMIC))
		goto unwritable;
	if (off < 0)
		room = 4;

	/* the same bytes, now writable: the option is where it was */
	clipper_tcp_mss_clamp_at(skb, skb->data + thoff, tcplen, thlen, off,
				 room, mss, absent, &res);
	if (res.added) {
		__skb_put(skb, res.added);
		if (v6) {
			struct ipv6hdr *ip6h = ipv6_hdr(skb);
			__be16 old = ip6h->payload_len;

			ip6h->payload_len = htons(ntohs(old) + res.added);
			clipper_csum_complete_replace2(skb, old,
						       ip6h->payload_len);
		} else {
			struct iphdr *iph = ip_hdr(skb);
			__be16 old = iph->tot_len;

			iph->tot_len = htons(ntohs(old) + res.added);
			csum_replace2(&iph->check, old, iph->tot_len);
		}
		clipper_stats_add(cn, CLIPPER_ST_PMTU_MSS_ADDED, 1);
	} else if (res.changed) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_MSS_CLAMPED, 1);
	}
	if (path && (res.added || res.changed)) {
		WRITE_ONCE(path->mss_clamped, path->mss_clamped + 1);
		clipper_path_fix(&cn->pmtu, path, XT_CLIPPER_FIX_MSS);
	}
	return;

malformed:
	clipper_stats_add(cn, CLIPPER_ST_PMTU_MALFORMED, 1);
	return;
unwritable:
	clipper_stats_add(cn, CLIPPER_ST_PMTU_UNWRITABLE, 1);
}

/* ---- --pmtu-guard ----------------------------------------------------------- */

/*
 * A packet of ours goes out from inside a rule traversal (an ICMP sent
 * synchronously): as TEE does, so that a legacy ip(6)tables traversal it
 * re-enters takes the second half of the jump stack, which every
 * --pmtu-guard rule keeps in use (xt_tee_enabled), and not the one the
 * outer traversal returns through.  False when already inside such a
 * packet's traversal: not a third level.  BHs off.
 */
static bool clipper_send_begin(void)
{
	if (clipper_nf_dup_active())
		return false;
	clipper_nf_dup_enter();
	__this_cpu_write(clipper_sending, true);
	return true;
}

static void clipper_send_end(void)
{
	__this_cpu_write(clipper_sending, false);
	clipper_nf_dup_exit();
}

#if IS_ENABLED(CONFIG_IPV6)
static void clipper_send_ptb(struct sk_buff *skb, u32 mtu)
{
	/*
	 * In OUTPUT, ip6_xmit() has not set skb->dev yet, and icmp6_send()
	 * sends nothing without one: lend it the device the packet is routed
	 * to, which it gets next.
	 */
	struct net_device *dev = skb->dev;

	if (!dev)
		skb->dev = skb_dst(skb)->dev;
	icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	skb->dev = dev;
}
#endif

/* Send the sender of skb a frag-needed / packet-too-big for mtu. */
static bool clipper_send_too_big(struct sk_buff *skb, u8 family, u32 mtu)
{
	bool sent = false;

	if (!skb_dst(skb))
		return false;	/* PREROUTING: no route to answer with yet */
	local_bh_disable();
	if (clipper_send_begin()) {
		if (family == NFPROTO_IPV4)
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				  htonl(mtu));
#if IS_ENABLED(CONFIG_IPV6)
		else
			clipper_send_ptb(skb, mtu);
#endif
		clipper_send_end();
		sent = true;
	}
	local_bh_enable();
	return sent;
}

/*
 * A fresh IP ID for a packet that may be fragmented (a GSO packet's
 * segments count up from it).  Random (RFC 6864 allows any), not from the
 * host's shared ID counters, whose collisions would tell one forwarded
 * flow's IDs to another.
 */
static void clipper_ip_id(struct iphdr *iph)
{
	iph->id = htons((u16)get_random_u32());
}

/*
 * Clear DF.  The packet may now be fragmented: it gets an IP ID of its
 * own (RFC 6864: a sender may give every DF packet the same ID, and a GSO
 * packet of FIXEDID segments would make many fragments of one ID), and a
 * GSO packet's segments get consecutive ones.  The header may move: the
 * caller reads nothing through pointers it had before.
 */
static bool clipper_clear_df(struct clipper_net *cn, struct sk_buff *skb,
			     struct clipper_path *p)
{
	struct iphdr *iph;

	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (skb_ensure_writable(skb, sizeof(*iph))) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_UNWRITABLE, 1);
		return false;
	}
	/*
	 * the segments count up from the ID, not all the same; the shared
	 * info may still be a clone's (a header writable in place)
	 */
	if (skb_is_gso(skb) &&
	    skb_shinfo(skb)->gso_type & SKB_GSO_TCP_FIXEDID) {
		if (skb_unclone(skb, GFP_ATOMIC)) {
			clipper_stats_add(cn, CLIPPER_ST_PMTU_UNWRITABLE, 1);
			return false;
		}
		skb_shinfo(skb)->gso_type &= ~SKB_GSO_TCP_FIXEDID;
	}
	iph = ip_hdr(skb);
	iph->frag_off &= ~htons(IP_DF);
	clipper_ip_id(iph);
	ip_send_check(iph);
	if (p)
		WRITE_ONCE(p->df_cleared, p->df_cleared + 1);
	clipper_stats_add(cn, CLIPPER_ST_PMTU_DF_CLEARED, 1);
	return true;
}

/* ---- the probe: a copy of a resend's first bytes ------------------------- */

/*
 * The TCP checksum of a segment, checked where nobody did (a forwarded
 * segment, with nf_conntrack_checksum off): CHECKSUM_UNNECESSARY was
 * checked by the device, CHECKSUM_PARTIAL is this host's own and still to
 * be filled in.  No side effect on the skb.
 */
static bool clipper_tcp_csum_ok(const struct sk_buff *skb, u8 family,
				unsigned int thoff)
{
	unsigned int len = skb->len - thoff;
	__wsum sum;

	if (skb->ip_summed == CHECKSUM_UNNECESSARY ||
	    skb->ip_summed == CHECKSUM_PARTIAL || skb->csum_valid)
		return true;
	sum = skb_checksum(skb, thoff, len, 0);
	if (family == NFPROTO_IPV4)
		return !csum_tcpudp_magic(ip_hdr(skb)->saddr,
					  ip_hdr(skb)->daddr, len,
					  IPPROTO_TCP, sum);
	return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
				len, IPPROTO_TCP, sum);
}

/*
 * What a queued copy keeps in its cb until it is sent; a held rest also
 * whose rest it is (ct and ctid compared, never dereferenced: the flow
 * may be gone by then).
 */
struct clipper_probe_cb {
	u64			queued;		/* ktime_get_ns() */
	const struct nf_conn	*ct;
	u32			ctid;
	u32			seq;		/* of the segment followed */
	u32			probe_end;	/* of its copy */
	u32			rest_end;	/* of the rest */
	u8			dir;
};

#define CLIPPER_PROBE_CB(skb) ((struct clipper_probe_cb *)(skb)->cb)

/* A held rest is dropped this long after it was made, answered or not. */
#define CLIPPER_REST_MAX_MS	1500

/*
 * Whether a copy of this flow's segments can be right: not when conntrack
 * adjusts its sequence numbers (SYNPROXY, helpers: the untracked copy
 * would miss that), when it is bridged (br_netfilter's fake route), when
 * its destination was rewritten on this host's way out (the route at
 * hand is the one before), when a helper may rewrite its payload, when
 * its options sign the segment (TCP-MD5, TCP-AO: the copy would fail, a
 * hole would pass for an outage), when it is urgent (the copy would move
 * the urgent byte in-band) or, above all, when its checksum is wrong: the
 * receiver drops the segment, and a copy with a checksum of its own would
 * hand it bytes nobody sent.
 */
static bool clipper_probe_possible(struct sk_buff *skb,
				   const struct nf_conn *ct,
				   const struct xt_action_param *par,
				   unsigned int thoff, unsigned int hlen)
{
	u8 _opt[MAX_TCP_OPTION_SPACE];
	unsigned int optlen = hlen - thoff - sizeof(struct tcphdr), i = 0;
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + thoff);
	const u8 *opt;

	if (th->urg || th->rst)
		return false;
	if (!clipper_tcp_csum_ok(skb, xt_family(par), thoff))
		return false;
	if (test_bit(IPS_SEQ_ADJUST_BIT, &ct->status) || nfct_help(ct) ||
	    skb_dst(skb)->flags & DST_FAKE_RTABLE ||
	    (xt_hooknum(par) == NF_INET_LOCAL_OUT &&
	     test_bit(IPS_DST_NAT_BIT, &ct->status)))
		return false;
	if (!optlen)
		return true;
	opt = skb_header_pointer(skb, thoff + sizeof(struct tcphdr), optlen,
				 _opt);
	if (!opt)
		return false;
	while (i < optlen && opt[i] != TCPOPT_EOL) {
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (opt[i] == TCPOPT_MD5SIG || opt[i] == 29 /* TCP-AO */)
			return false;
		if (i + 1 >= optlen || opt[i + 1] < 2 ||
		    i + opt[i + 1] > optlen)
			return false;
		i += opt[i + 1];
	}
	return true;
}

/*
 * A copy of the payload bytes [off, off + m) of skb, a segment leaving
 * this box (POSTROUTING, after NAT) whose IP and TCP headers are hlen
 * bytes, the TCP header at thoff: the same addresses, ports, ACK, window
 * and options, the sequence number moved on by off, FIN, PSH and URG
 * cleared, a fresh IP ID, checksums computed, untracked, on the packet's
 * own route.  NULL when there is no memory or the route is going away.
 */
static struct sk_buff *clipper_probe_copy(struct sk_buff *skb,
					  unsigned int thoff,
					  unsigned int hlen, unsigned int off,
					  unsigned int m, bool v6)
{
	unsigned int tcplen = hlen - thoff + m;
	struct dst_entry *dst = skb_dst(skb);
	struct sk_buff *nskb;
	struct tcphdr *th;
	u8 *data;

	if (!dst)
		return NULL;
	nskb = alloc_skb(LL_RESERVED_SPACE(dst->dev) + hlen + m, GFP_ATOMIC);
	if (!nskb)
		return NULL;
	skb_reserve(nskb, LL_RESERVED_SPACE(dst->dev));
	skb_reset_network_header(nskb);
	data = skb_put(nskb, hlen + m);
	if (skb_copy_bits(skb, skb_network_offset(skb), data, hlen) ||
	    skb_copy_bits(skb, skb_network_offset(skb) + hlen + off,
			  data + hlen, m))
		goto free;
	skb_set_transport_header(nskb, thoff);
	th = tcp_hdr(nskb);
	th->seq = htonl(ntohl(th->seq) + off);
	th->fin = 0;
	th->psh = 0;
	th->urg = 0;
	th->urg_ptr = 0;
	th->check = 0;
	if (!v6) {
		struct iphdr *iph = ip_hdr(nskb);

		iph->tot_len = htons(nskb->len);
		iph->frag_off &= htons(IP_DF);
		clipper_ip_id(iph);
		ip_send_check(iph);
		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
		nskb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(nskb);

		ip6h->payload_len = htons(nskb->len - sizeof(*ip6h));
		th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, tcplen,
					    IPPROTO_TCP,
					    csum_partial(th, tcplen, 0));
		nskb->protocol = htons(ETH_P_IPV6);
	}
	nskb->ip_summed = CHECKSUM_NONE;
	nskb->mark = skb->mark;
	nskb->priority = skb->priority;
	/* the same transmit queue as the packet, where there are several */
	skb_copy_hash(nskb, skb);
	/* the packet's own route: a forwarded one holds no reference */
	if (!dst_hold_safe(dst))
		goto free;
	skb_dst_set(nskb, dst);
	nf_ct_set(nskb, NULL, IP_CT_UNTRACKED);
	return nskb;
free:
	kfree_skb(nskb);
	return NULL;
}

/*
 * Copies of skb's payload bytes [off, end) in pieces of at most piece
 * bytes, each with the cb *cb, appended to q (empty before): all of them
 * (true), or none.
 */
static bool clipper_probe_pieces(struct sk_buff *skb, unsigned int thoff,
				 unsigned int hlen, unsigned int off,
				 unsigned int end, unsigned int piece, bool v6,
				 const struct clipper_probe_cb *cb,
				 struct sk_buff_head *q)
{
	struct sk_buff *p;
	unsigned int n;

	for (; off < end; off += n) {
		n = min(piece, end - off);
		p = clipper_probe_copy(skb, thoff, hlen, off, n, v6);
		if (!p) {
			__skb_queue_purge(q);
			return false;
		}
		*CLIPPER_PROBE_CB(p) = *cb;
		__skb_queue_tail(q, p);
	}
	return true;
}

/* Under probes.lock: copies were queued (a no-op while the work is pending). */
static void clipper_probe_kick(struct clipper_pmtu *pm)
{
	queue_delayed_work(system_highpri_wq, &pm->probe_work,
			   nsecs_to_jiffies(CLIPPER_PROBE_DELAY_NS) ?: 1);
}

/* Under probes.lock: the rests are looked at again at jiffies at, or sooner. */
static void clipper_rest_arm(struct clipper_pmtu *pm, unsigned long at)
{
	unsigned long now = jiffies;

	if (pm->dying)
		return;
	if (delayed_work_pending(&pm->rest_work) &&
	    !time_before(at, pm->rest_at))
		return;
	pm->rest_at = at;
	mod_delayed_work(system_highpri_wq, &pm->rest_work,
			 time_after(at, now) ? at - now : 0);
}

/*
 * The copy of the first m payload bytes of skb, queued to be sent at
 * least CLIPPER_PROBE_DELAY_NS later, by clipper_probe_work(): in front
 * of the packet, R would answer the copy before the large segment could
 * arrive, whatever became of it.
 *
 * And the rest of the packet, [m, its payload), in pieces of at most m
 * bytes (at most CLIPPER_REST_PIECES of them; else the rest of the
 * segment followed, [m, seglen), if that takes no more), held back with
 * what they belong to: clipper_rest_work() sends them once the copy is
 * answered and its wait is over (clipper_bh_rest_due()), and drops them
 * otherwise.  A rest that cannot be made is only a later repair: S
 * resends the rest itself after its next timeout.
 */
#define CLIPPER_REST_PIECES	8

static bool clipper_probe_queue(struct clipper_net *cn, struct sk_buff *skb,
				const struct nf_conn *ct, unsigned int dir,
				unsigned int thoff, unsigned int hlen,
				unsigned int m, unsigned int seglen, bool v6)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int paylen = skb->len - hlen;
	struct sk_buff_head rest, stale;
	struct sk_buff *nskb, *p, *tmp;
	unsigned long flags;
	bool queued = false;
	u64 now;

	/*
	 * the leaving packet, which may not be the one the rule saw (another
	 * of the same sequence number): its checksum, again
	 */
	if (skb_queue_len_lockless(&pm->probes) >= CLIPPER_PROBE_QLEN ||
	    !clipper_tcp_csum_ok(skb, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, thoff))
		return false;
	nskb = clipper_probe_copy(skb, thoff, hlen, 0, m, v6);
	if (!nskb)
		return false;
	now = ktime_get_ns();
	CLIPPER_PROBE_CB(nskb)->queued = now;

	__skb_queue_head_init(&rest);
	__skb_queue_head_init(&stale);
	/* a GSO resend: all of it, when that is not too many pieces */
	if (paylen > m && DIV_ROUND_UP(paylen - m, m) <= CLIPPER_REST_PIECES)
		seglen = paylen;
	if (seglen > m && DIV_ROUND_UP(seglen - m, m) <= CLIPPER_REST_PIECES &&
	    skb_queue_len_lockless(&pm->rests) < CLIPPER_REST_QLEN) {
		u32 seq = ntohl(tcp_hdr(nskb)->seq);
		const struct clipper_probe_cb cb = {
			.queued = now,
			.ct = ct,
			.ctid = nf_ct_get_id(ct),
			.seq = seq,
			.probe_end = seq + m,
			.rest_end = seq + seglen,
			.dir = dir,
		};

		clipper_probe_pieces(skb, thoff, hlen, m, seglen, m, v6, &cb,
				     &rest);
	}

	spin_lock_irqsave(&pm->probes.lock, flags);
	if (!pm->dying && skb_queue_len(&pm->probes) < CLIPPER_PROBE_QLEN) {
		__skb_queue_tail(&pm->probes, nskb);
		queued = true;
		clipper_probe_kick(pm);
		if (!skb_queue_empty(&rest) &&
		    skb_queue_len(&pm->rests) < CLIPPER_REST_QLEN) {
			/* a newer copy of the flow's: the older rest is stale */
			skb_queue_walk_safe(&pm->rests, p, tmp) {
				if (CLIPPER_PROBE_CB(p)->ct == ct &&
				    CLIPPER_PROBE_CB(p)->dir == dir) {
					__skb_unlink(p, &pm->rests);
					__skb_queue_tail(&stale, p);
				}
			}
			skb_queue_splice_tail_init(&rest, &pm->rests);
			/* dropped then at the latest, answered or not */
			clipper_rest_arm(pm, jiffies + 1 +
					 msecs_to_jiffies(CLIPPER_REST_MAX_MS));
		}
	}
	spin_unlock_irqrestore(&pm->probes.lock, flags);
	/* freed after the lock: what did not go, and what a newer rest replaced */
	__skb_queue_purge(&rest);
	__skb_queue_purge(&stale);
	if (queued)
		return true;
	kfree_skb(nskb);
	return false;
}

/*
 * A resend of a flow confirmed once (slot->split), longer than its copy
 * was: the whole of it, paylen bytes, in pieces of at most piece bytes
 * (CLIPPER_SPLIT_PIECES at most), queued as copies are.  The copy that
 * the flow's record follows tells whether the large one vanished; the
 * other segments that S resends in the same burst, large too, would each
 * wait for another of its timeouts.  Its checksum is checked first: a
 * piece must not hand R bytes that nobody sent.  Pieces take at most
 * half of the queue, all of them or none: the other half is for every
 * flow's copies.  The bytes queued, 0: none.
 */
#define CLIPPER_SPLIT_PIECES	16

static unsigned int clipper_split_queue(struct clipper_net *cn,
					struct sk_buff *skb,
					unsigned int thoff, unsigned int hlen,
					unsigned int piece, unsigned int paylen,
					bool v6)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_probe_cb cb = {};
	struct sk_buff_head q;
	unsigned int npieces;
	unsigned long flags;
	bool queued = false;

	npieces = DIV_ROUND_UP(paylen, piece);
	if (npieces > CLIPPER_SPLIT_PIECES ||
	    skb_queue_len_lockless(&pm->probes) + npieces >
	    CLIPPER_PROBE_QLEN / 2 ||
	    !clipper_tcp_csum_ok(skb, v6 ? NFPROTO_IPV6 : NFPROTO_IPV4, thoff))
		return 0;
	__skb_queue_head_init(&q);
	cb.queued = ktime_get_ns();
	if (!clipper_probe_pieces(skb, thoff, hlen, 0, paylen, piece, v6, &cb,
				  &q))
		return 0;
	spin_lock_irqsave(&pm->probes.lock, flags);
	if (!pm->dying &&
	    skb_queue_len(&pm->probes) + npieces <= CLIPPER_PROBE_QLEN / 2) {
		skb_queue_splice_tail_init(&q, &pm->probes);
		queued = true;
		clipper_probe_kick(pm);
	}
	spin_unlock_irqrestore(&pm->probes.lock, flags);
	__skb_queue_purge(&q);
	return queued ? paylen : 0;
}

/* Send a copy or a piece of a rest: process context, see below. */
static void clipper_probe_xmit(struct clipper_net *cn, struct sk_buff *nskb)
{
	memset(nskb->cb, 0, sizeof(nskb->cb));
	local_bh_disable();
	__this_cpu_write(clipper_sending, true);
	if (nskb->protocol == htons(ETH_P_IP))
		ip_local_out(cn->net, NULL, nskb);
#if IS_ENABLED(CONFIG_IPV6)
	else
		ip6_local_out(cn->net, NULL, nskb);
#else
	else
		kfree_skb(nskb);
#endif
	__this_cpu_write(clipper_sending, false);
	local_bh_enable();
}

/*
 * Send the copies that waited long enough; the others a tick later.
 * Process context: no rule traversal is under way on this CPU, and the
 * per-CPU flag tells our own OUTPUT rules and ICMP hooks that these are
 * ours.  A copy leaves as a locally generated packet on the route of the
 * packet it copies, its source the flow's sender, as TEE's copies keep
 * theirs.
 */
static void clipper_probe_work(struct work_struct *work)
{
	struct clipper_pmtu *pm = container_of(to_delayed_work(work),
					       struct clipper_pmtu,
					       probe_work);
	struct clipper_net *cn = container_of(pm, struct clipper_net, pmtu);
	struct sk_buff *nskb;
	unsigned long flags;
	u64 now = ktime_get_ns();

	for (;;) {
		spin_lock_irqsave(&pm->probes.lock, flags);
		nskb = skb_peek(&pm->probes);
		/* signed: a copy queued since now was read is younger */
		if (nskb && (s64)(now - CLIPPER_PROBE_CB(nskb)->queued) <
			    (s64)CLIPPER_PROBE_DELAY_NS) {
			if (!pm->dying)
				queue_delayed_work(system_highpri_wq,
						   &pm->probe_work, 1);
			nskb = NULL;
		} else if (nskb) {
			__skb_unlink(nskb, &pm->probes);
		}
		spin_unlock_irqrestore(&pm->probes.lock, flags);
		if (!nskb)
			break;
		clipper_probe_xmit(cn, nskb);
		cond_resched();
	}
}

/*
 * The held rests: each whose copy was answered and whose wait is over is
 * a confirmation (clipper_bh_rest_due()), and is sent, every piece of
 * it; each still waiting for its copy's answer or for its wait to end is
 * kept; every other is dropped (the whole segment was acknowledged, S
 * sent the rest itself, the record moved on, or it is too old).
 */
static void clipper_rest_work(struct work_struct *work)
{
	struct clipper_pmtu *pm = container_of(to_delayed_work(work),
					       struct clipper_pmtu, rest_work);
	struct clipper_net *cn = container_of(pm, struct clipper_net, pmtu);
	struct clipper_bh_params bp = {};
	struct sk_buff_head todo, keep, send, drop;
	const struct nf_conn *sent_ct = NULL;
	u64 now, wake = U64_MAX;
	u32 sent_seq = 0, confirms = 0;
	unsigned long flags;
	struct sk_buff *p;

	bp.retrans = READ_ONCE(pm->retrans);
	__skb_queue_head_init(&todo);
	__skb_queue_head_init(&keep);
	__skb_queue_head_init(&send);
	__skb_queue_head_init(&drop);
	spin_lock_irqsave(&pm->probes.lock, flags);
	skb_queue_splice_init(&pm->rests, &todo);
	spin_unlock_irqrestore(&pm->probes.lock, flags);
	/* after the splice: every rest taken was queued before now */
	now = ktime_get_ns();

	spin_lock_bh(&pm->lock);
	while ((p = __skb_dequeue(&todo))) {
		struct clipper_probe_cb *cb = CLIPPER_PROBE_CB(p);
		struct clipper_suspect_slot *slot;
		u64 due;

		slot = pm->suspects ?
		       clipper_suspect_slot(pm, cb->ct, cb->dir) : NULL;
		if (!slot || slot->ct != cb->ct || slot->ctid != cb->ctid ||
		    slot->s.dir != cb->dir || slot->s.seq != cb->seq ||
		    (s64)(now - cb->queued) >
		    (s64)CLIPPER_REST_MAX_MS * NSEC_PER_MSEC) {
			__skb_queue_tail(&drop, p);
			continue;
		}
		/* another piece of a rest just sent */
		if (sent_ct == cb->ct && sent_seq == cb->seq &&
		    slot->s.probe == CLIPPER_PROBE_LOST) {
			__skb_queue_tail(&send, p);
			continue;
		}
		if (slot->s.probe == CLIPPER_PROBE_SENT &&
		    slot->s.probe_end == cb->probe_end) {
			/* no answer yet: looked at again when it is too old */
			wake = min(wake, cb->queued +
				   CLIPPER_REST_MAX_MS * NSEC_PER_MSEC);
			__skb_queue_tail(&keep, p);
			continue;
		}
		if (slot->s.probe != CLIPPER_PROBE_ANSWERED ||
		    slot->s.probe_end != cb->probe_end) {
			__skb_queue_tail(&drop, p);
			continue;
		}
		due = slot->answered_ns +
		      (u64)clipper_slot_hold_ms(slot) * NSEC_PER_MSEC;
		if (now < due) {
			wake = min(wake, due);
			__skb_queue_tail(&keep, p);
			continue;
		}
		if (!clipper_bh_rest_due(&slot->s, cb->seq, cb->probe_end,
					 cb->rest_end)) {
			__skb_queue_tail(&drop, p);
			continue;
		}
		confirms++;
		clipper_slot_split(pm, slot, true);
		if (clipper_bh_declared(&slot->s, &bp))
			slot->declare = true;
		sent_ct = cb->ct;
		sent_seq = cb->seq;
		__skb_queue_tail(&send, p);
	}
	spin_unlock_bh(&pm->lock);

	spin_lock_irqsave(&pm->probes.lock, flags);
	if (pm->dying) {
		skb_queue_splice_tail_init(&keep, &drop);
		skb_queue_splice_tail_init(&send, &drop);
	} else {
		/* in front of any made meanwhile: the order of the pieces */
		skb_queue_splice(&keep, &pm->rests);
		if (wake != U64_MAX)
			clipper_rest_arm(pm, jiffies + 1 +
					 nsecs_to_jiffies(wake - now));
	}
	spin_unlock_irqrestore(&pm->probes.lock, flags);

	/* expected: a rest that was not needed, or is too old */
	while ((p = __skb_dequeue(&drop)))
		consume_skb(p);
	if (confirms)
		clipper_stats_add_slow(cn, CLIPPER_ST_PMTU_PROBE_PASSED,
				       confirms);
	while ((p = __skb_dequeue(&send))) {
		clipper_probe_xmit(cn, p);
		cond_resched();
	}
}

/* ---- declarations ---------------------------------------------------------- */

/* The sender of skb, as a path remembers it: a hash, never 0. */
static u32 clipper_sender_id(struct clipper_pmtu *pm, const struct sk_buff *skb,
			     bool v6)
{
	union nf_inet_addr a = {};

	if (v6)
		a.in6 = ipv6_hdr(skb)->saddr;
	else
		a.ip = ip_hdr(skb)->saddr;
	return clipper_sender_of(pm, &a, v6);
}

/*
 * A flow of the rule's direction dir was confirmed a black hole (or a
 * stuck segment): its resends of IP length iplen vanished while copies of
 * probe_len passed.  skb is a segment of the flow from its sender, inside
 * the sender's window (the resend, or the first one past the copy): the
 * ICMP quotes it.  The flow is repaired as the rule says; the path learns
 * what applies to other flows only as clipper_path_confirm() allows.
 */
static noinline void clipper_guard_declare(struct clipper_net *cn,
					   struct sk_buff *skb,
					   const struct xt_action_param *par,
					   const struct xt_clipper_tginfo *info,
					   const struct nf_conn *ct,
					   unsigned int iplen,
					   unsigned int probe_len, bool stuck,
					   u8 count, bool first)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6, event = false, applies = false;
	union nf_inet_addr dst = {};
	unsigned long *icmp_at;
	struct clipper_path *p;
	u32 sender, now = clipper_now_ms();
	/* the size that passed, or the least that every link takes */
	unsigned int mtu = max(probe_len, clipper_pmtu_floor(v6));

	/*
	 * Behind NAT, the sender lowers its MTU for an address others share
	 * (a home router's, a carrier's): one receiver's word must not cost
	 * them more than the size every IPv6 link takes.
	 */
	if (ct->status & IPS_NAT_MASK)
		mtu = max(mtu, (unsigned int)CLIPPER_PMTU_PROBE);

	if (v6)
		dst.in6 = ipv6_hdr(skb)->daddr;
	else
		dst.ip = ip_hdr(skb)->daddr;
	sender = clipper_sender_id(pm, skb, v6);

	/* an ICMP for the path passed lately: the sender has been told */
	p = clipper_path_find(pm, family, &dst);
	if (p && clipper_path_icmp_recent(&p->st, now,
					  READ_ONCE(pm->window_ms), sender))
		return;

	if (first)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_FLOW_FIXED, 1);
	p = clipper_path_get(cn, family, &dst);
	if (p) {
		spin_lock_bh(&pm->lock);
		event = clipper_path_confirm(&p->st, iplen, probe_len, v6,
					     stuck, sender,
					     xt_hooknum(par) == NF_INET_LOCAL_OUT,
					     count, now, pm->timeout_ms,
					     &applies);
		stuck = p->st.state == CLIPPER_PATH_STUCK;
		if (event)
			p->detections++;
		spin_unlock_bh(&pm->lock);
		if (event)
			clipper_stats_add(cn, stuck ? CLIPPER_ST_PMTU_STUCK :
					  CLIPPER_ST_PMTU_BLACKHOLE, 1);
	}

	/*
	 * The kernel does not rate-limit frag-needed / PTB (they are
	 * exempt): at most one a tenth of a second per path, or per
	 * namespace when the table has no room for the path.
	 */
	icmp_at = p ? &p->icmp_at : &pm->icmp_at;
	if (info->pmtu_fix & XT_CLIPPER_FIX_ICMP &&
	    time_after(jiffies, READ_ONCE(*icmp_at) + HZ / 10) &&
	    clipper_send_too_big(skb, family, mtu)) {
		WRITE_ONCE(*icmp_at, jiffies);
		clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_SENT, 1);
		if (p) {
			WRITE_ONCE(p->icmp_sent, p->icmp_sent + 1);
			clipper_path_fix(pm, p, XT_CLIPPER_FIX_ICMP);
		}
	}
	if (info->pmtu_fix & XT_CLIPPER_FIX_DF && !v6) {
		/* every flow to the path: only on the path's own word */
		if (p && applies)
			clipper_path_fix(pm, p, XT_CLIPPER_FIX_DF);
		clipper_clear_df(cn, skb, p);
	}
	if (event)
		clipper_path_event(cn, p);
}

/*
 * A data segment [seq, end) of IP length iplen of a flow direction with a
 * record in the table: maybe the settling of a probe (S moving on past
 * its copy), maybe the declaration, and the flow's own DF fix.  True when
 * it declared (and sent what that sends) or cleared DF: the packet needs
 * nothing more.
 */
static noinline bool clipper_guard_data(struct clipper_net *cn,
					struct sk_buff *skb,
					const struct xt_action_param *par,
					const struct xt_clipper_tginfo *info,
					const struct nf_conn *ct,
					unsigned int dir, u32 seq, u32 end,
					unsigned int iplen)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slot;
	struct clipper_bh_params bp;
	bool settled = false, declared = false, stuck = false, first = false;
	unsigned int len = 0, probe_len = 0;
	u8 fixed = 0, count = 0;

	slot = clipper_suspect_slot(pm, ct, dir);
	if (READ_ONCE(slot->ct) != ct)
		return false;
	/* a note of an earlier episode, nothing going on: no lock taken */
	if (!READ_ONCE(slot->s.count) && !READ_ONCE(slot->s.fixed))
		return false;
	bp.window_ms = READ_ONCE(pm->window_ms);
	bp.retrans = READ_ONCE(pm->retrans);
	spin_lock_bh(&pm->lock);
	if (clipper_slot_is(slot, ct) && slot->s.dir == dir) {
		settled = clipper_bh_data(&slot->s, seq, end,
					  min(iplen, 0xffffU));
		if (settled)
			clipper_slot_split(pm, slot, true);
		/* or confirmed meanwhile, by the wait of a rest */
		if ((settled || slot->declare) &&
		    clipper_bh_declared(&slot->s, &bp)) {
			slot->declare = false;
			/* S is told: what it resends now is small */
			clipper_slot_split(pm, slot, false);
			declared = true;
			first = !slot->s.fixed;
			slot->s.fixed |= info->pmtu_fix &
					 (XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_DF);
			len = slot->s.len;
			probe_len = slot->s.probe_len;
			count = slot->s.count;
			stuck = clipper_bh_is_stuck(&slot->s);
		}
		fixed = slot->s.fixed;
		if (fixed)
			slot->s.last = clipper_now_ms();
	}
	spin_unlock_bh(&pm->lock);
	if (settled)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_PROBE_PASSED, 1);
	if (declared) {
		clipper_guard_declare(cn, skb, par, info, ct, len, probe_len,
				      stuck, count, first);
		return true;
	}
	/* a packet that may now be fragmented tells nothing of its size */
	return fixed & XT_CLIPPER_FIX_DF && xt_family(par) == NFPROTO_IPV4 &&
	       clipper_clear_df(cn, skb, NULL);
}

/* R acknowledged data past seq: part of a resend from seq is a replay. */
static bool clipper_acked_inside(const struct nf_conn *ct, unsigned int dir,
				 u32 seq)
{
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!dir];

	return READ_ONCE(r->flags) & IP_CT_TCP_FLAG_MAXACK_SET &&
	       after(READ_ONCE(r->td_maxack), seq);
}

/*
 * A segment [seq, end) of IP length len sent again: follow it, send a
 * probe, maybe declare.  hlen: the IP and TCP headers' length, thoff of
 * it the IP header's.
 */
static noinline void clipper_guard_resend(struct clipper_net *cn,
					  struct sk_buff *skb,
					  const struct xt_action_param *par,
					  const struct xt_clipper_tginfo *info,
					  const struct nf_conn *ct,
					  unsigned int dir, u32 seq, u32 end,
					  unsigned int len, unsigned int thoff,
					  unsigned int hlen)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_bh_params bp;
	struct clipper_suspect_slot *slot;
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6, sacked = false;
	union nf_inet_addr dst = {};
	enum clipper_bh_verdict v;
	struct clipper_path *p;
	unsigned int plen = 0, passed = 0, m = 0;
	u32 now = clipper_now_ms();
	bool stuck = false, mine, first = false;
	u8 count = 0;

	bp.window_ms = READ_ONCE(pm->window_ms);
	bp.retrans = READ_ONCE(pm->retrans);
	if (v6)
		dst.in6 = ipv6_hdr(skb)->daddr;
	else
		dst.ip = ip_hdr(skb)->daddr;
	p = clipper_path_find(pm, family, &dst);
	if (p)
		passed = READ_ONCE(p->st.passed);
	/* a resend R acknowledged in part: R's ACKs are no answer to a copy */
	if (clipper_acked_inside(ct, dir, seq))
		return;
	if (!hlen || !clipper_probe_possible(skb, ct, par, thoff, hlen))
		hlen = 0;	/* no copy of this one */

	spin_lock_bh(&pm->lock);
	if (!pm->suspects) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	slot = clipper_suspect_slot(pm, ct, dir);
	/*
	 * Another --pmtu-guard rule on the flow's path (mangle and filter
	 * FORWARD, say) follows its resends already: one resend is one, and
	 * one probe is enough.  Should that rule go, it gives the slot up
	 * (clipper_pmtu_rule_put()).
	 */
	mine = clipper_slot_is(slot, ct) && slot->s.dir == dir;
	if (mine && slot->s.count && slot->rule && slot->rule != info) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	/*
	 * A repaired flow keeps its slot (its DF fix), and one with
	 * confirmations its evidence, until it idles out: a flood of other
	 * flows' resends must not wipe them.
	 */
	if (!mine && slot->ct && (slot->s.fixed || slot->s.confirms) &&
	    !clipper_after(now, slot->s.last + bp.window_ms)) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	clipper_stats_add(cn, CLIPPER_ST_PMTU_RETRANS, 1);
	if (!mine) {
		clipper_slot_take(pm, slot, ct);
		slot->s.dir = dir;
	} else if (slot->want) {
		/* its resend never left: no copy went out to be answered */
		clipper_slot_unwant(pm, slot);
		if (slot->s.probe == CLIPPER_PROBE_SENT)
			slot->s.probe = CLIPPER_PROBE_NONE;
	}
	slot->rule = info;
	v = clipper_bh_retransmit(&slot->s, seq, end, len, dir, now, &bp);
	if (v != CLIPPER_BH_NONE &&
	    clipper_bh_sack_proves(&slot->s, now, bp.window_ms)) {
		/* data as large got through behind it: a loss */
		clipper_bh_reset(&slot->s);
		clipper_slot_split(pm, slot, false);
		v = CLIPPER_BH_NONE;
		sacked = true;
	}
	if (v != CLIPPER_BH_NONE) {
		plen = clipper_bh_probe_len(len, passed);
		/*
		 * One copy per CLIPPER_PROBE_GAP_NS at most: a sender that
		 * resends faster than any timeout would otherwise fill the
		 * queue that every flow's copies share.
		 */
		if (hlen && plen > hlen && plen - hlen < end - seq &&
		    ktime_get_ns() - slot->copy_ns >= CLIPPER_PROBE_GAP_NS) {
			m = plen - hlen;
			/* made when the resend leaves, if it does */
			slot->want_seq = seq;
			slot->want_m = m;
			slot->want_plen = plen;
			WRITE_ONCE(slot->want, true);
			atomic_inc(&pm->nwant);
		}
		count = slot->s.count;
		stuck = clipper_bh_is_stuck(&slot->s);
		if (v == CLIPPER_BH_BLACKHOLE) {
			slot->declare = false;
			clipper_slot_split(pm, slot, false);
			first = !slot->s.fixed;
			slot->s.fixed |= info->pmtu_fix &
					 (XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_DF);
			plen = slot->s.probe_len;
		}
	}
	spin_unlock_bh(&pm->lock);
	if (sacked)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_SACKED, 1);
	if (v == CLIPPER_BH_NONE)
		return;

	if (v == CLIPPER_BH_BLACKHOLE) {
		if (plen)
			clipper_guard_declare(cn, skb, par, info, ct, len,
					      plen, stuck, count, first);
		return;
	}
	/*
	 * A path already known is marked suspect; none is made for it: any
	 * sender can make its segments look lost, and must not fill the
	 * table with paths to anywhere.
	 */
	p = clipper_path_find(pm, family, &dst);
	if (!p)
		return;
	spin_lock_bh(&pm->lock);
	if (clipper_path_suspect(&p->st, now))
		clipper_stats_add(cn, CLIPPER_ST_PMTU_SUSPECT, 1);
	spin_unlock_bh(&pm->lock);
}

/*
 * An ACK of the other direction.  Past a resent segment: it arrived, the
 * path works (for now), the record starts over; the end of a copy: the
 * copy arrived first.  With a SACK block: noted in the record of the flow
 * direction it acknowledges (taking a free or idle slot), for the resends
 * to come; a resent segment it proves lost starts over.
 */
static noinline void clipper_guard_ack_slow(struct clipper_net *cn,
					    struct sk_buff *skb, u8 family,
					    bool local,
					    const struct nf_conn *ct,
					    unsigned int dir,
					    const struct tcphdr *th,
					    unsigned int thoff)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slot;
	unsigned int optlen = th->doff * 4 - sizeof(*th), passed = 0;
	u32 ack = ntohl(th->ack_seq), now, left = 0, right = 0;
	u8 _opt[MAX_TCP_OPTION_SPACE];
	const u8 *opt = NULL;
	struct clipper_path *p;
	bool event = false, progress = false, sacked = false, sack = false;
	bool outage = false, raised = false;
	unsigned long flags;
	u32 hold = 0;

	/* 12 option bytes hold one SACK block, or the timestamps alone */
	if (optlen >= 12)
		opt = skb_header_pointer(skb, thoff + sizeof(*th), optlen,
					 _opt);
	if (opt)
		sack = clipper_bh_sack_block(opt, optlen, ack, &left, &right);
	if (!sack && !atomic_read(&pm->nsuspects))
		return;		/* the usual case */
	slot = clipper_suspect_slot(pm, ct, !dir);
	if (!sack && READ_ONCE(slot->ct) != ct)
		return;		/* no lock taken either */

	now = clipper_now_ms();
	spin_lock_bh(&pm->lock);
	if (clipper_slot_is(slot, ct) && slot->s.dir == !dir) {
		enum clipper_bh_ack_verdict av = clipper_bh_ack(&slot->s, ack);

		if (av == CLIPPER_BH_ACK_PASSED) {
			progress = true;
			/* a size that passed as it was sent, whole */
			if (slot->s.probe != CLIPPER_PROBE_LOST &&
			    !slot->s.shrunk)
				passed = slot->s.len;
			outage = slot->s.unanswered;
			if (passed)
				clipper_bh_passed(&slot->s, passed);
			clipper_slot_idle(pm, slot);
			slot->declare = false;
			if (slot->s.fixed || slot->s.passed_len) {
				/*
				 * the flow's DF fix stays, and what size it
				 * carries (a stuck segment is shorter)
				 */
				clipper_bh_reset(&slot->s);
			} else {
				WRITE_ONCE(slot->ct, NULL);
				atomic_dec(&pm->nsuspects);
			}
		} else if (av == CLIPPER_BH_ACK_ANSWERED) {
			/* the rest goes when no ACK of the whole comes */
			slot->answered_ns = ktime_get_ns();
			hold = clipper_slot_hold_ms(slot);
		} else if (av == CLIPPER_BH_ACK_NONE && sack) {
			clipper_bh_sack_note(&slot->s, left, right, now);
			if (clipper_bh_sack_proves(&slot->s, now,
						   READ_ONCE(pm->window_ms))) {
				clipper_bh_reset(&slot->s);
				clipper_slot_split(pm, slot, false);
				progress = true;
				sacked = true;
			}
		}
	} else if (sack && (!slot->ct ||
			    (!slot->s.count && !slot->s.fixed) ||
			    clipper_after(now, slot->s.last +
					  READ_ONCE(pm->window_ms)))) {
		/* free, only a note, or idle: this flow's now */
		clipper_slot_take(pm, slot, ct);
		slot->s.dir = !dir;
		clipper_bh_sack_note(&slot->s, left, right, now);
	}
	spin_unlock_bh(&pm->lock);
	if (hold) {
		spin_lock_irqsave(&pm->probes.lock, flags);
		clipper_rest_arm(pm, jiffies + 1 + msecs_to_jiffies(hold));
		spin_unlock_irqrestore(&pm->probes.lock, flags);
	}
	if (!progress)
		return;
	if (sacked)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_SACKED, 1);
	if (outage)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_OUTAGE, 1);

	/* the path is the one to the receiver, who sends this ACK */
	if (!READ_ONCE(pm->count))
		return;
	p = clipper_path_of_src(pm, skb, family);
	if (!p)
		return;
	spin_lock_bh(&pm->lock);
	event = clipper_path_progress(&p->st, now);
	if (passed && local)
		raised = clipper_path_passed(&p->st, passed, now);
	if (outage)
		p->st.outages++;
	spin_unlock_bh(&pm->lock);
	if (event)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_REPAIRED, 1);
	if (raised)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_RAISED, 1);
	if (event || raised)
		clipper_path_event(cn, p);
}

/*
 * Every segment with an ACK passes here.  The usual one leaves at once:
 * no resend is on record, and its options cannot hold a SACK block (fewer
 * than 12 bytes, or 12 that a timestamp fills as Linux sends it).
 */
static inline void clipper_guard_ack(struct clipper_net *cn,
				     struct sk_buff *skb, u8 family, bool local,
				     const struct nf_conn *ct, unsigned int dir,
				     const struct tcphdr *th, unsigned int thoff)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int optlen = th->doff * 4 - sizeof(*th);

	if (!READ_ONCE(pm->suspects))
		return;
	/* the first option bytes, when linear (th may be a copy) */
	if (!atomic_read(&pm->nsuspects) &&
	    clipper_bh_no_sack(optlen, skb_headlen(skb) >= thoff + 24 ?
			       skb->data + thoff + sizeof(*th) : NULL))
		return;
	clipper_guard_ack_slow(cn, skb, family, local, ct, dir, th, thoff);
}

/* ---- the receiving side (issue 25) ---------------------------------------- */

/*
 * On the receiver's gateway the sender's full-size segments, and their
 * resends, vanish before they reach this host: kmod/bhole_rx.h has the
 * evidence and the state machine.  Here: the watch table of forwarded
 * flows (hi, and whether they went quiet), one slot per flow direction
 * with an episode, the probes that make the sender tell its snd_nxt (a
 * segment "from R" below the sender's window: it answers with a pure
 * ACK, RFC 9293 3.10.7.4), and the frag-needed / packet-too-big built for
 * the sender, quoting a segment of its own flow at lo.  Forwarded flows
 * that R opened (S: the reply direction), conntrack-assured, established
 * (S may have sent its FIN), R not closing, with no helper, sequence
 * adjustment or offload.
 */

#define CLIPPER_RX_TICK		(HZ / 10)
/* quiet probes of a namespace: one each 50 ms at most */
#define CLIPPER_RX_QUIET_GAP	(HZ / 20 ?: 1)
/* frag-needed / packet-too-big of a namespace: one each 10 ms at most */
#define CLIPPER_RX_ICMP_GAP	(HZ / 100 ?: 1)

static struct clipper_rx_slot *clipper_rx_slot(struct clipper_pmtu *pm,
					       const struct nf_conn *ct,
					       unsigned int dir)
{
	u32 h = jhash_2words((u32)(unsigned long)ct, dir, pm->seed ^ 0x7278);

	return &pm->rx[h & (CLIPPER_RX_SLOTS - 1)];
}

static struct clipper_rx_watch *clipper_rx_watch_of(struct clipper_pmtu *pm,
						    const struct nf_conn *ct)
{
	u32 h = jhash_1word((u32)(unsigned long)ct, pm->seed ^ 0x7761);

	return &pm->watch[h & (CLIPPER_RX_SLOTS - 1)];
}

/* Under pm->lock. */
static void clipper_rx_free(struct clipper_pmtu *pm,
			    struct clipper_rx_slot *slot)
{
	if (!slot->ct)
		return;
	WRITE_ONCE(slot->ct, NULL);
	slot->s.state = CLIPPER_RX_FREE;
	atomic_dec(&pm->nrx);
}

/*
 * Under pm->lock: the slot holds an episode of ct's direction dir.  One
 * left by a conntrack entry since freed and reused is freed.
 */
static bool clipper_rx_slot_is(struct clipper_pmtu *pm,
			       struct clipper_rx_slot *slot,
			       const struct nf_conn *ct, unsigned int dir,
			       u32 ctid)
{
	if (slot->ct != ct || slot->dir != dir)
		return false;
	if (slot->ctid != ctid || slot->s.state == CLIPPER_RX_FREE) {
		clipper_rx_free(pm, slot);
		return false;
	}
	return true;
}

/* From any context; never once the namespace is going (pm->dying). */
static void clipper_rx_arm(struct clipper_pmtu *pm, unsigned long delay)
{
	unsigned long flags;

	spin_lock_irqsave(&pm->probes.lock, flags);
	if (!pm->dying)
		mod_delayed_work(system_power_efficient_wq, &pm->rx_work,
				 delay);
	spin_unlock_irqrestore(&pm->probes.lock, flags);
}

/*
 * The segment's IP length on the wire: a GRO packet counts as its
 * segments.
 */
static unsigned int clipper_rx_iplen(const struct sk_buff *skb,
				     unsigned int hlen)
{
	unsigned int payload = skb->len - hlen;

	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_size < payload)
		payload = skb_shinfo(skb)->gso_size;
	return min(hlen + payload, 0xffffU);
}

/*
 * A flow whose reply direction (sdir) the receiving side may follow and
 * probe: one that R opened, established, R not closing first, and none
 * whose sequence numbers something else rewrites (a helper, SEQADJ) or
 * that bypasses the rules (a flowtable's offload).  S may have sent its
 * FIN: a server that answers and closes (HTTP/1.0, a short response)
 * sends it right after its last data, and R may still miss what came
 * before.  Conntrack's state table does not ask who sent a FIN or what an
 * ACK covers: after S's FIN it says FIN_WAIT, CLOSE_WAIT after any ACK,
 * LAST_ACK after a FIN again (S's resent one too), TIME_WAIT after an
 * ACK then.  R's FIN after S's sets no flag of R's: clipper_rx() ends the
 * watch when it sees it (w->closed), as for an RST conntrack took.
 */
static bool clipper_rx_flow_ok(const struct nf_conn *ct, unsigned int sdir)
{
	u8 state = READ_ONCE(ct->proto.tcp.state);

	return sdir == IP_CT_DIR_REPLY &&
	       (state == TCP_CONNTRACK_ESTABLISHED ||
		state == TCP_CONNTRACK_FIN_WAIT ||
		state == TCP_CONNTRACK_CLOSE_WAIT ||
		state == TCP_CONNTRACK_LAST_ACK ||
		state == TCP_CONNTRACK_TIME_WAIT) &&
	       !(READ_ONCE(ct->proto.tcp.seen[!sdir].flags) &
		 IP_CT_TCP_FLAG_CLOSE_INIT) &&
	       !test_bit(IPS_SEQ_ADJUST_BIT, &ct->status) &&
	       !test_bit(IPS_OFFLOAD_BIT, &ct->status) && !nfct_help(ct);
}

/* Bit 3 of clipper_rx_seg_opts(): the options could not be read. */
#define CLIPPER_RX_OPTS_UNREAD	8

/*
 * A segment's TCP options, read where they are (or copied out of a
 * paged skb), as clipper_rx_opts() reports them: the timestamps (bit 1)
 * and a signature (bit 2); CLIPPER_RX_OPTS_UNREAD when they cannot be
 * read.
 */
static unsigned int clipper_rx_seg_opts(const struct sk_buff *skb,
					const struct tcphdr *th,
					unsigned int thoff, u32 *tsval,
					u32 *tsecr)
{
	unsigned int optlen = th->doff * 4 - sizeof(*th);
	u32 left = 0;
	const u8 *o;
	u8 opt[40];

	if (!optlen)
		return 0;
	o = skb_header_pointer(skb, thoff + sizeof(*th), optlen, opt);
	if (!o)
		return CLIPPER_RX_OPTS_UNREAD;
	return clipper_rx_opts(o, optlen, ntohl(th->ack_seq), &left, tsval,
			       tsecr);
}

/*
 * What R acknowledged of S's direction sdir is past lo: lo is not the
 * first byte missing (R cannot acknowledge what did not pass here, so a
 * segment this rule did not see moved it): nothing to follow from it.
 */
static bool clipper_rx_acked_past(const struct nf_conn *ct, unsigned int sdir,
				  u32 lo)
{
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!sdir];

	return READ_ONCE(r->flags) & IP_CT_TCP_FLAG_MAXACK_SET &&
	       clipper_after(READ_ONCE(r->td_maxack), lo);
}

/*
 * Under pm->lock: R acknowledged past the watch's lo, so a segment this
 * rule did not see filled the gap: lo is hi again, as when one it sees
 * does.
 */
static void clipper_rx_watch_resync(struct clipper_rx_watch *w)
{
	WRITE_ONCE(w->lo, READ_ONCE(w->hi));
	WRITE_ONCE(w->base, READ_ONCE(w->hi_at));
}

/*
 * What S acknowledged of R, as conntrack tracked it: no segment that it
 * ignored (a forged one) makes the probe's sequence number.
 */
static u32 clipper_rx_s_ack(const struct nf_conn *ct, unsigned int sdir,
			    u32 ack)
{
	const struct ip_ct_tcp_state *st = &ct->proto.tcp.seen[sdir];
	u32 max = READ_ONCE(st->td_maxack);

	if (!(READ_ONCE(st->flags) & IP_CT_TCP_FLAG_MAXACK_SET))
		return ack;
	return clipper_after(ack, max) ? max : ack;
}

/*
 * Under pm->lock: an episode for S's direction sdir of ct, bytes from lo
 * on missing (quiet: maybe) in segments of IP length len at most; base:
 * when hi last advanced.
 */
static struct clipper_rx_slot *
clipper_rx_open_slot(struct clipper_net *cn, const struct clipper_rx_watch *w,
		     const struct nf_conn *ct, u32 ctid, u32 lo, u32 s_ack,
		     unsigned int len, bool quiet, u32 now)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int sdir = w->dir;
	const struct nf_conntrack_tuple *st = &ct->tuplehash[sdir].tuple;
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!sdir];
	struct clipper_rx_slot *slot = clipper_rx_slot(pm, ct, sdir);

	/* a live episode of another flow keeps its slot */
	if (slot->ct && slot->s.state != CLIPPER_RX_FREE &&
	    !clipper_after(now, slot->s.opened + CLIPPER_RX_LIFE_MS))
		return NULL;
	if (!slot->ct)
		atomic_inc(&pm->nrx);
	WRITE_ONCE(slot->ct, ct);
	slot->ctid = ctid;
	slot->dir = sdir;
	slot->family = nf_ct_l3num(ct);
	slot->fixes = w->fixes;
	slot->saddr = st->src.u3;
	slot->sport = st->src.u.tcp.port;
	slot->daddr = st->dst.u3;
	slot->dport = st->dst.u.tcp.port;
	slot->raddr = ct->tuplehash[!sdir].tuple.src.u3;
	if (quiet)
		clipper_rx_open_quiet(&slot->s, lo, s_ack, len,
				      READ_ONCE(w->base), now);
	else
		clipper_rx_open(&slot->s, lo, s_ack, len, READ_ONCE(w->base),
				now);
	slot->s.flow_big = READ_ONCE(w->big);
	/* R's window, as it announces it */
	slot->s.win = min(READ_ONCE(r->td_maxwin) >> READ_ONCE(r->td_scale),
			  0xffffU);
	if (READ_ONCE(w->ts)) {
		slot->s.ts = 1;
		slot->s.tsval = READ_ONCE(w->tsval);
		slot->s.tsecr = READ_ONCE(w->tsecr);
	}
	return slot;
}

/*
 * A segment of a flow with an episode, or a pure ACK of S telling a
 * snd_nxt beyond hi (w: its watch entry, to open one).
 */
static noinline void clipper_rx_slow(struct clipper_net *cn,
				     struct sk_buff *skb,
				     const struct xt_action_param *par,
				     const struct nf_conn *ct, unsigned int dir,
				     const struct tcphdr *th, unsigned int thoff,
				     struct clipper_rx_watch *w)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int hlen = thoff + th->doff * 4, found, len;
	u32 seq = ntohl(th->seq), ack = ntohl(th->ack_seq), lo;
	u32 tsval = 0, tsecr = 0, now = clipper_now_ms();
	u32 ctid = nf_ct_get_id(ct);
	bool data = skb->len > hlen, kick = false, repaired = false;
	enum clipper_rx_verdict v = CLIPPER_RX_NONE;
	struct clipper_rx_slot *slot;
	union nf_inet_addr raddr;
	u8 family = xt_family(par);

	found = clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr);

	spin_lock_bh(&pm->lock);
	if (!pm->rx)
		goto unlock;
	slot = clipper_rx_slot(pm, ct, IP_CT_DIR_REPLY);
	if (dir == IP_CT_DIR_REPLY &&
	    clipper_rx_slot_is(pm, slot, ct, dir, ctid)) {
		/* a segment of S */
		if (slot->s.state == CLIPPER_RX_OPEN &&
		    clipper_rx_acked_past(ct, dir, slot->s.lo)) {
			clipper_rx_free(pm, slot);
			goto unlock;
		}
		if (found & 2) {
			slot->s.tsecr = tsval;	/* S's TSval */
			slot->s.ts = 1;
		}
		v = clipper_rx_from_s(&slot->s, seq, seq + skb->len - hlen,
				      clipper_rx_s_ack(ct, dir, ack),
				      clipper_rx_iplen(skb, hlen), data,
				      pm->retrans, now);
		if (v == CLIPPER_RX_ENDED)
			clipper_rx_free(pm, slot);
		else if (v == CLIPPER_RX_CONFIRM || v == CLIPPER_RX_DECLARE)
			clipper_stats_add(cn, CLIPPER_ST_PMTU_RX_ANSWERS, 1);
		kick = v == CLIPPER_RX_DECLARE;
		goto unlock;
	}
	if (dir != IP_CT_DIR_REPLY &&
	    clipper_rx_slot_is(pm, slot, ct, IP_CT_DIR_REPLY, ctid)) {
		/* a segment of R: its TSval, the latest */
		if (found & 2 && (!slot->s.ts ||
				  clipper_after(tsval, slot->s.tsval))) {
			slot->s.tsval = tsval;
			slot->s.ts = 1;
		}
		v = clipper_rx_from_r(&slot->s, ack);
		if (v == CLIPPER_RX_REPAIRED) {
			repaired = true;
			raddr = slot->raddr;
		}
		if (v == CLIPPER_RX_ENDED || v == CLIPPER_RX_REPAIRED)
			clipper_rx_free(pm, slot);
		goto unlock;
	}
	if (!w || READ_ONCE(w->ct) != ct || found & 4 || READ_ONCE(w->closed))
		goto unlock;

	/* S's snd_nxt beyond what passed here: bytes missing */
	lo = READ_ONCE(w->lo);
	/* a FIN's sequence number too is S's snd_nxt (before the FIN) */
	if (data || !clipper_after(seq, lo + CLIPPER_RX_GAP_MIN) ||
	    !clipper_rx_flow_ok(ct, dir))
		goto unlock;
	if (clipper_rx_acked_past(ct, dir, lo)) {
		clipper_rx_watch_resync(w);
		lo = READ_ONCE(w->lo);
		if (!clipper_after(seq, lo + CLIPPER_RX_GAP_MIN) ||
		    clipper_rx_acked_past(ct, dir, lo))
			goto unlock;
	}
	len = min(seq - lo + hlen, (u32)READ_ONCE(w->mtu));
	if (len <= CLIPPER_RX_MTU_MIN)
		goto unlock;
	slot = clipper_rx_open_slot(cn, w, ct, ctid, lo,
				    clipper_rx_s_ack(ct, dir, ack), len, false,
				    now);
	if (slot) {
		if (found & 2 && slot->s.ts)
			slot->s.tsecr = tsval;	/* S's TSval */
		clipper_stats_add(cn, CLIPPER_ST_PMTU_RX_GAPS, 1);
		kick = !delayed_work_pending(&pm->rx_work);
	}
unlock:
	spin_unlock_bh(&pm->lock);
	if (kick)
		clipper_rx_arm(pm, v == CLIPPER_RX_DECLARE ? 0 : CLIPPER_RX_TICK);
	if (repaired) {
		struct clipper_path *p = clipper_path_find(pm, family, &raddr);
		bool event = false;

		clipper_stats_add(cn, CLIPPER_ST_PMTU_REPAIRED, 1);
		if (p) {
			spin_lock_bh(&pm->lock);
			event = clipper_path_progress(&p->st, now);
			spin_unlock_bh(&pm->lock);
		}
		if (event)
			clipper_path_event(cn, p);
	}
}

/* Once a millisecond at most: S's timestamps, for a probe. */
static noinline void clipper_rx_watch_opts(struct clipper_rx_watch *w,
					   const struct sk_buff *skb,
					   const struct tcphdr *th,
					   unsigned int thoff)
{
	u32 tsval = 0, tsecr = 0;

	if (clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) & 2) {
		/* S's TSval; and S's TSecr, R's, until R's own is read */
		WRITE_ONCE(w->tsecr, tsval);
		if (!READ_ONCE(w->ts) || clipper_after(tsecr, READ_ONCE(w->tsval)))
			WRITE_ONCE(w->tsval, tsecr);
		WRITE_ONCE(w->ts, 1);
	}
}

/* A segment of R of a watched flow: R's latest TSval, for the probes. */
static noinline void clipper_rx_watch_r(struct clipper_rx_watch *w,
					const struct sk_buff *skb,
					const struct tcphdr *th,
					unsigned int thoff, u32 now)
{
	u32 tsval = 0, tsecr = 0;

	WRITE_ONCE(w->r_at, now);
	if (clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) & 2 &&
	    READ_ONCE(w->ts) && clipper_after(tsval, READ_ONCE(w->tsval)))
		WRITE_ONCE(w->tsval, tsval);
}

/*
 * The watch entry w may be taken by another flow: its own is gone, or
 * closed a tick ago (its last writes are done), or quiet for
 * CLIPPER_RX_WATCH_MS, and has no episode going (pm->lock, or a first
 * look without it).
 */
static bool clipper_rx_watch_free(struct clipper_pmtu *pm,
				  const struct clipper_rx_watch *w, u32 now)
{
	const struct nf_conn *ct = READ_ONCE(w->ct);
	const struct clipper_rx_slot *slot;
	u32 last = READ_ONCE(w->last);

	if (!ct)
		return true;
	if (nf_ct_is_dying(ct))
		return true;
	slot = clipper_rx_slot(pm, ct, IP_CT_DIR_REPLY);
	if (READ_ONCE(slot->ct) == ct)
		return false;
	if (READ_ONCE(w->closed))
		return clipper_after(now, last + CLIPPER_RX_QUIET_MS / 10);
	return clipper_after(now, last + CLIPPER_RX_WATCH_MS);
}

/* The segment carries TCP-MD5 or TCP-AO: not one to watch or probe. */
static bool clipper_rx_signed(const struct sk_buff *skb,
			      const struct tcphdr *th, unsigned int thoff)
{
	u32 tsval = 0, tsecr = 0;

	if (th->doff * 4 - sizeof(*th) <= TCPOLEN_TSTAMP_ALIGNED)
		return false;	/* no room for a signature beside */
	return clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) &
	       (4 | CLIPPER_RX_OPTS_UNREAD);
}

/*
 * A data segment of S [seq, end) of IP length iplen with no watch entry:
 * it takes w when w is free, closed, or holds a flow quiet for longer
 * than CLIPPER_RX_WATCH_MS.  A busy entry is seen without the lock.
 *
 * What R has not acknowledged below seq did not pass here while the entry
 * watched: when that is more than a small segment, the entry starts with
 * a gap from R's ACK to seq.  That is how a flow's first flight looks when
 * its full-size segments vanished and only the small one after them came
 * (a TLS server's certificates, then the rest of the record): a gap that
 * no segment of the entry's would ever show.  Bytes that did pass and are
 * only on their way to R (a slow Wi-Fi's queue) end the gap as soon as R
 * acknowledges them, long before any confirmation.
 */
static noinline void clipper_rx_watch_take(struct clipper_net *cn,
					   struct clipper_rx_watch *w,
					   const struct xt_action_param *par,
					   const struct xt_clipper_tginfo *info,
					   struct nf_conn *ct, unsigned int dir,
					   const struct sk_buff *skb,
					   const struct tcphdr *th,
					   unsigned int thoff, u32 seq, u32 end,
					   unsigned int iplen)
{
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!dir];
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int mtu = xt_out(par) ? READ_ONCE(xt_out(par)->mtu) : 0xffff;
	struct nf_conn *old;
	u32 now = clipper_now_ms();
	u32 lo = end, ack;
	bool arm;

	old = READ_ONCE(w->ct);
	if ((old && !clipper_rx_watch_free(pm, w, now)) ||
	    !clipper_rx_flow_ok(ct, dir) ||
	    /*
	     * Both sides' FINs seen, or S's twice: R may have closed (its
	     * FIN after S's is known only to an entry that saw it)
	     */
	    READ_ONCE(ct->proto.tcp.state) == TCP_CONNTRACK_LAST_ACK ||
	    READ_ONCE(ct->proto.tcp.state) == TCP_CONNTRACK_TIME_WAIT ||
	    /* an old segment (or one conntrack ignored) starts nothing */
	    clipper_rx_acked_past(ct, dir, end - 1) ||
	    clipper_rx_signed(skb, th, thoff))
		return;

	spin_lock_bh(&pm->lock);
	old = w->ct;
	if (!pm->watch || old == ct ||
	    (old && !clipper_rx_watch_free(pm, w, now))) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	if (READ_ONCE(r->flags) & IP_CT_TCP_FLAG_MAXACK_SET) {
		ack = READ_ONCE(r->td_maxack);
		if (clipper_after(seq, ack + CLIPPER_RX_GAP_MIN))
			lo = ack;
	}
	if (!old)
		atomic_inc(&pm->nwatch);
	nf_conntrack_get(&ct->ct_general);
	WRITE_ONCE(w->dir, dir);
	WRITE_ONCE(w->fixes, info->pmtu_fix);
	WRITE_ONCE(w->mtu, min(mtu, 0xffffU));
	WRITE_ONCE(w->hi, end);
	WRITE_ONCE(w->lo, lo);
	/*
	 * A gap from R's ACK: its bytes went out before this segment, maybe
	 * a timeout before (this one a tail loss probe): the confirmations'
	 * clock starts a first timeout earlier, so never before S resent.
	 */
	WRITE_ONCE(w->base, lo == end ? now : now - CLIPPER_RX_RTO_MS);
	WRITE_ONCE(w->hi_at, now);
	WRITE_ONCE(w->r_at, 0);
	WRITE_ONCE(w->last, now);
	WRITE_ONCE(w->s_ack, ntohl(th->ack_seq));
	WRITE_ONCE(w->big, iplen);
	WRITE_ONCE(w->ts, 0);
	WRITE_ONCE(w->probed, 0);
	WRITE_ONCE(w->closed, 0);
	clipper_rx_watch_opts(w, skb, th, thoff);
	/* the fields above, before the flow's fast path may read them */
	smp_store_release(&w->ct, ct);
	arm = !delayed_work_pending(&pm->rx_work);
	spin_unlock_bh(&pm->lock);
	if (old)
		nf_ct_put(old);
	if (arm)
		clipper_rx_arm(pm, CLIPPER_RX_TICK);
}

/* R's FIN or an RST: the flow's watch entry and its episodes are over. */
static noinline void clipper_rx_close(struct clipper_net *cn,
				      const struct nf_conn *ct)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_rx_watch *w = clipper_rx_watch_of(pm, ct);
	struct clipper_rx_slot *slot;

	if (READ_ONCE(w->ct) != ct && !atomic_read(&pm->nrx))
		return;
	spin_lock_bh(&pm->lock);
	if (w->ct == ct) {
		WRITE_ONCE(w->closed, 1);
		/* free a tick from now: a writer that saw it open is done */
		WRITE_ONCE(w->last, clipper_now_ms());
	}
	if (pm->rx) {
		slot = clipper_rx_slot(pm, ct, IP_CT_DIR_REPLY);
		if (slot->ct == ct)
			clipper_rx_free(pm, slot);
	}
	spin_unlock_bh(&pm->lock);
}

/*
 * S's data [seq, end) passed: hi moves on; lo with it, but for a gap
 * (data that begins more than a small segment beyond hi: what is before
 * it did not pass, reordered, lost or vanished), where lo stays until a
 * segment covers it, or R acknowledges past it (filled where this rule
 * did not see it: a gap from R's ACK, taken with the entry, that was only
 * in flight to R).  One gap is followed at a time.
 */
static inline void clipper_rx_watch_seq(struct clipper_rx_watch *w,
					const struct nf_conn *ct,
					unsigned int dir, u32 seq, u32 end,
					u32 now)
{
	u32 hi = READ_ONCE(w->hi), lo = READ_ONCE(w->lo);
	u32 hi_at = READ_ONCE(w->hi_at);

	if (clipper_after(end, hi)) {
		WRITE_ONCE(w->hi, end);
		if (hi_at != now)
			WRITE_ONCE(w->hi_at, now);
	}
	if (lo != hi) {
		/* a gap: filled when lo passes; what ends at hi passed then */
		if (!clipper_after(seq, lo) && clipper_after(end, lo)) {
			WRITE_ONCE(w->lo, clipper_after(end, hi) ? end : hi);
			WRITE_ONCE(w->base, clipper_after(end, hi) ? now : hi_at);
			return;
		}
		if (!clipper_rx_acked_past(ct, dir, lo))
			return;
		/* filled elsewhere: as if closed at hi, then as below */
		WRITE_ONCE(w->lo, hi);
		WRITE_ONCE(w->base, hi_at);
	}
	if (!clipper_after(end, hi) ||
	    clipper_after(seq, hi + CLIPPER_RX_GAP_MIN))
		return;		/* old, or a gap opens: lo stays */
	WRITE_ONCE(w->lo, end);
	if (READ_ONCE(w->base) != now)
		WRITE_ONCE(w->base, now);
}

/* Every segment of a forwarded, assured TCP flow through the rule. */
static inline void clipper_rx(struct clipper_net *cn, struct sk_buff *skb,
			      const struct xt_action_param *par,
			      const struct xt_clipper_tginfo *info,
			      struct nf_conn *ct, unsigned int dir,
			      const struct tcphdr *th, unsigned int thoff)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	unsigned int hlen = thoff + th->doff * 4;
	struct clipper_rx_watch *w;
	unsigned int iplen;
	u32 seq, end, now;
	bool ep;

	if (!READ_ONCE(pm->watch) || !READ_ONCE(pm->rx) || th->syn ||
	    !READ_ONCE(pm->retrans) || !test_bit(IPS_ASSURED_BIT, &ct->status))
		return;
	if (unlikely(th->fin || th->rst)) {
		/*
		 * An RST conntrack took ends the flow (in ESTABLISHED one it
		 * ignored closes nothing; once closing, conntrack takes any
		 * RST).  R's FIN ends it once conntrack is past ESTABLISHED
		 * (it took this FIN, or S's before it).  S's FIN ends
		 * nothing: it and its data are followed below.
		 */
		if (!clipper_rx_flow_ok(ct, IP_CT_DIR_REPLY) ||
		    (th->fin && dir != IP_CT_DIR_REPLY &&
		     READ_ONCE(ct->proto.tcp.state) !=
		     TCP_CONNTRACK_ESTABLISHED)) {
			clipper_rx_close(cn, ct);
			return;
		}
		if (th->rst || dir != IP_CT_DIR_REPLY)
			return;
	}
	if (!th->ack)
		return;
	/* an episode of the flow: every segment of it, both ways */
	ep = atomic_read(&pm->nrx) &&
	     READ_ONCE(clipper_rx_slot(pm, ct, IP_CT_DIR_REPLY)->ct) == ct;
	if (ep)
		clipper_rx_slow(cn, skb, par, ct, dir, th, thoff, NULL);
	w = clipper_rx_watch_of(pm, ct);
	if (dir != IP_CT_DIR_REPLY) {
		/* R's: its TSval, once a millisecond, for the probes */
		now = clipper_now_ms();
		/* as below: the entry is this flow's, its fields filled */
		if (smp_load_acquire(&w->ct) == ct &&
		    READ_ONCE(w->r_at) != now)
			clipper_rx_watch_r(w, skb, th, thoff, now);
		return;
	}

	seq = ntohl(th->seq);
	end = seq + skb->len - hlen;
	/* pairs with clipper_rx_watch_take()'s: its fields are filled */
	if (smp_load_acquire(&w->ct) != ct) {
		if (skb->len > hlen)
			clipper_rx_watch_take(cn, w, par, info, ct, dir, skb, th,
					      thoff, seq, end,
					      clipper_rx_iplen(skb, hlen));
		return;
	}
	if (skb->len == hlen) {
		/* a pure ACK: S's snd_nxt beyond what passed here? */
		if (!ep &&
		    clipper_after(seq, READ_ONCE(w->lo) + CLIPPER_RX_GAP_MIN) &&
		    !READ_ONCE(w->closed))
			clipper_rx_slow(cn, skb, par, ct, dir, th, thoff, w);
		return;
	}
	if (READ_ONCE(w->closed))
		return;		/* maybe another flow's by now */
	now = clipper_now_ms();
	clipper_rx_watch_seq(w, ct, dir, seq, end, now);
	if (READ_ONCE(w->last) != now) {
		WRITE_ONCE(w->last, now);
		WRITE_ONCE(w->s_ack, ntohl(th->ack_seq));
		WRITE_ONCE(w->probed, 0);
		clipper_rx_watch_opts(w, skb, th, thoff);
	}
	iplen = clipper_rx_iplen(skb, hlen);
	if (iplen > READ_ONCE(w->big))
		WRITE_ONCE(w->big, iplen);
}

/* The probe: "from R", one byte below what S has of R, no data. */
static struct sk_buff *clipper_rx_probe_skb(const struct clipper_rx_act *a)
{
	unsigned int tcplen = sizeof(struct tcphdr) +
			      (a->ts ? TCPOLEN_TSTAMP_ALIGNED : 0);
	bool v6 = a->family == NFPROTO_IPV6;
	unsigned int nhlen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	struct sk_buff *skb;
	struct tcphdr *th;
	__be32 *o;

	skb = alloc_skb(LL_MAX_HEADER + nhlen + tcplen, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER + nhlen);
	skb_reset_transport_header(skb);
	th = skb_put_zero(skb, tcplen);
	th->source = a->dport;
	th->dest = a->sport;
	th->seq = htonl(a->s_ack - 1);
	th->ack_seq = htonl(a->lo);
	th->doff = tcplen / 4;
	th->ack = 1;
	th->window = htons(a->win);
	if (a->ts) {
		o = (__be32 *)(th + 1);
		o[0] = htonl(TCPOPT_NOP << 24 | TCPOPT_NOP << 16 |
			     TCPOPT_TIMESTAMP << 8 | TCPOLEN_TIMESTAMP);
		o[1] = htonl(a->tsval);
		o[2] = htonl(a->tsecr);
	}
	skb_push(skb, nhlen);
	skb_reset_network_header(skb);
	if (v6) {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(tcplen);
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->saddr = a->daddr.in6;
		ip6h->daddr = a->saddr.in6;
		th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, tcplen,
					    IPPROTO_TCP,
					    csum_partial(th, tcplen, 0));
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		struct iphdr *iph = ip_hdr(skb);

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(nhlen + tcplen);
		iph->frag_off = htons(IP_DF);
		iph->ttl = 64;
		iph->protocol = IPPROTO_TCP;
		iph->saddr = a->daddr.ip;
		iph->daddr = a->saddr.ip;
		clipper_ip_id(iph);
		ip_send_check(iph);
		th->check = tcp_v4_check(tcplen, iph->saddr, iph->daddr,
					 csum_partial(th, tcplen, 0));
		skb->protocol = htons(ETH_P_IP);
	}
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/*
 * The frag-needed / packet-too-big for S: from this host, quoting the IP
 * and TCP headers of a segment of S's flow of IP length len, at lo, the
 * first byte missing here (inside S's unacknowledged window: S cannot
 * have had more acknowledged than passed here, nor sent less).
 */
static struct sk_buff *clipper_rx_icmp_skb(const struct clipper_rx_act *a,
					   const union nf_inet_addr *src)
{
	bool v6 = a->family == NFPROTO_IPV6;
	unsigned int nhlen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	unsigned int qlen = nhlen + sizeof(struct tcphdr);
	unsigned int ilen = 8 + qlen;
	struct sk_buff *skb;
	struct tcphdr *th;
	u8 *icmp;

	skb = alloc_skb(LL_MAX_HEADER + nhlen + ilen, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER + nhlen);
	skb_reset_transport_header(skb);
	icmp = skb_put_zero(skb, ilen);
	th = (struct tcphdr *)(icmp + 8 + nhlen);
	th->source = a->sport;
	th->dest = a->dport;
	th->seq = htonl(a->lo);
	th->ack_seq = htonl(a->s_ack);
	th->doff = sizeof(*th) / 4;
	th->ack = 1;
	skb_push(skb, nhlen);
	skb_reset_network_header(skb);
	if (v6) {
		struct ipv6hdr *q = (struct ipv6hdr *)(icmp + 8);
		struct icmp6hdr *ih = (struct icmp6hdr *)icmp;
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6_flow_hdr(q, 0, 0);
		q->payload_len = htons(a->len - sizeof(*q));
		q->nexthdr = IPPROTO_TCP;
		q->hop_limit = 64;
		q->saddr = a->saddr.in6;
		q->daddr = a->daddr.in6;
		ih->icmp6_type = ICMPV6_PKT_TOOBIG;
		ih->icmp6_mtu = htonl(a->mtu);
		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(ilen);
		ip6h->nexthdr = IPPROTO_ICMPV6;
		ip6h->hop_limit = 64;
		ip6h->saddr = src->in6;
		ip6h->daddr = a->saddr.in6;
		ih->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						  ilen, IPPROTO_ICMPV6,
						  csum_partial(icmp, ilen, 0));
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		struct iphdr *q = (struct iphdr *)(icmp + 8);
		struct icmphdr *ih = (struct icmphdr *)icmp;
		struct iphdr *iph = ip_hdr(skb);

		q->version = 4;
		q->ihl = 5;
		q->tot_len = htons(a->len);
		q->frag_off = htons(IP_DF);
		q->ttl = 64;
		q->protocol = IPPROTO_TCP;
		q->saddr = a->saddr.ip;
		q->daddr = a->daddr.ip;
		ip_send_check(q);
		ih->type = ICMP_DEST_UNREACH;
		ih->code = ICMP_FRAG_NEEDED;
		ih->un.frag.mtu = htons(a->mtu);
		ih->checksum = ip_compute_csum(icmp, ilen);
		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = IPTOS_PREC_INTERNETCONTROL;
		iph->tot_len = htons(nhlen + ilen);
		iph->ttl = 64;
		iph->protocol = IPPROTO_ICMP;
		iph->saddr = src->ip;
		iph->daddr = a->saddr.ip;
		clipper_ip_id(iph);
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	}
	skb->ip_summed = CHECKSUM_NONE;
	return skb;
}

/*
 * Route and send a packet of ours toward S: untracked (conntrack and NAT
 * leave it as built), marked ours (our rules and hooks do not take it for
 * news).  icmp: from this host's address on the route (chosen here);
 * otherwise the source in the header is R's (a probe), which need not be
 * this host's.  Process context.  True when it left.
 */
static bool clipper_rx_xmit(struct clipper_net *cn,
			    const struct clipper_rx_act *a, bool icmp)
{
	struct net *net = cn->net;
	union nf_inet_addr src = {};
	struct sk_buff *skb = NULL;
	struct dst_entry *dst;
	int err = NET_XMIT_DROP;

	if (a->family == NFPROTO_IPV4) {
		struct flowi4 fl4 = {
			.daddr = a->saddr.ip,
			.saddr = a->daddr.ip,
			.flowi4_proto = icmp ? IPPROTO_ICMP : IPPROTO_TCP,
			.flowi4_flags = FLOWI_FLAG_ANYSRC,
		};
		struct rtable *rt;

		/*
		 * The ICMP comes from this host: from the flow's own address
		 * toward S when it is this host's (MASQUERADE), else from
		 * the address the route chooses.
		 */
		if (icmp && inet_addr_type(net, a->daddr.ip) != RTN_LOCAL) {
			fl4.saddr = 0;
			fl4.flowi4_flags = 0;
		}
		rt = ip_route_output_key(net, &fl4);
		if (IS_ERR(rt))
			return false;
		dst = &rt->dst;
		src.ip = fl4.saddr;
#if IS_ENABLED(CONFIG_IPV6)
	} else {
		struct flowi6 fl6 = {
			.daddr = a->saddr.in6,
			.flowi6_proto = icmp ? IPPROTO_ICMPV6 : IPPROTO_TCP,
		};

		if (!icmp)
			fl6.saddr = a->daddr.in6;
		/*
		 * The ICMP's source is chosen with the route, and the route
		 * looked up again with it (source-specific routes), and
		 * through the IPsec policy.
		 */
		dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
		if (IS_ERR(dst))
			return false;
		src.in6 = fl6.saddr;
#else
	} else {
		return false;
#endif
	}
	skb = icmp ? clipper_rx_icmp_skb(a, &src) : clipper_rx_probe_skb(a);
	if (!skb) {
		dst_release(dst);
		return false;
	}
	skb_dst_set(skb, dst);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	local_bh_disable();
	__this_cpu_write(clipper_sending, true);
	if (a->family == NFPROTO_IPV4)
		err = ip_local_out(net, NULL, skb);
#if IS_ENABLED(CONFIG_IPV6)
	else
		err = ip6_local_out(net, NULL, skb);
#endif
	__this_cpu_write(clipper_sending, false);
	local_bh_enable();
	return !net_xmit_eval(err);
}

/*
 * The declaration and its frag-needed / PTB (and the second one), or the
 * report that S did not take them.  Process context.
 */
static void clipper_rx_tell(struct clipper_net *cn,
			    const struct clipper_rx_act *a)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	bool v6 = a->family == NFPROTO_IPV6, event = false, sent = false;
	struct clipper_rx_slot *slot;
	u32 now = clipper_now_ms();
	struct clipper_path *p;

	if (a->verdict == CLIPPER_RX_ICMP && a->fixes & XT_CLIPPER_FIX_ICMP) {
		/*
		 * The kernel does not rate-limit frag-needed / PTB: at most
		 * one each 10 ms a namespace.  One that must wait is not
		 * counted as sent: the slot tries again a tick later.
		 */
		spin_lock_bh(&pm->lock);
		if (time_after_eq(jiffies, pm->rx_icmp_at)) {
			pm->rx_icmp_at = jiffies + CLIPPER_RX_ICMP_GAP;
			sent = true;
		} else if (pm->rx) {
			slot = &pm->rx[a->idx];
			if (slot->ct && slot->ctid == a->ctid &&
			    slot->s.state == CLIPPER_RX_DECLARED &&
			    slot->s.icmps) {
				slot->s.icmps--;
				slot->s.icmp_at = now - clipper_rx_wait(&slot->s);
			}
		}
		spin_unlock_bh(&pm->lock);
		if (!sent)
			return;
		sent = clipper_rx_xmit(cn, a, true);
	}

	local_bh_disable();
	rcu_read_lock();
	/* a report makes no path: only a declaration does */
	if (a->verdict == CLIPPER_RX_UNREPAIRED)
		p = clipper_path_find(pm, a->family, &a->raddr);
	else
		p = clipper_path_get(cn, a->family, &a->raddr);
	if (a->verdict == CLIPPER_RX_UNREPAIRED) {
		/* no frag-needed was the rule's to send: none failed */
		if (!(a->fixes & XT_CLIPPER_FIX_ICMP))
			p = NULL;
		else
			clipper_stats_add(cn, CLIPPER_ST_PMTU_UNREPAIRED, 1);
		if (p) {
			spin_lock_bh(&pm->lock);
			p->st.unrepaired++;
			event = clipper_path_changed(&p->st, now);
			spin_unlock_bh(&pm->lock);
		}
	} else if (a->icmps == 1 && p) {
		/* the first: the declaration */
		spin_lock_bh(&pm->lock);
		event = clipper_path_confirm_rx(&p->st, a->len, a->mtu,
						a->stuck,
						clipper_addr_id(pm, &a->saddr,
								v6),
						now);
		if (event)
			p->detections++;
		spin_unlock_bh(&pm->lock);
		if (event)
			clipper_stats_add(cn, a->stuck ? CLIPPER_ST_PMTU_STUCK :
					  CLIPPER_ST_PMTU_BLACKHOLE, 1);
	}
	if (sent) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_SENT, 1);
		if (a->icmps == 1)
			clipper_stats_add(cn, CLIPPER_ST_PMTU_FLOW_FIXED, 1);
		if (p) {
			WRITE_ONCE(p->icmp_sent, p->icmp_sent + 1);
			WRITE_ONCE(p->icmp_at, jiffies);
			clipper_path_fix(pm, p, XT_CLIPPER_FIX_ICMP);
		}
	}
	if (event && p)
		clipper_path_event(cn, p);
	rcu_read_unlock();
	local_bh_enable();
}

/* The action's copy of what the slot knows. */
static void clipper_rx_act_fill(struct clipper_pmtu *pm,
				struct clipper_rx_act *a,
				const struct clipper_rx_slot *slot,
				enum clipper_rx_verdict v)
{
	memset(a, 0, sizeof(*a));
	a->verdict = v;
	a->family = slot->family;
	a->fixes = slot->fixes;
	a->confirms = slot->s.confirms;
	a->icmps = slot->s.icmps;
	a->ts = slot->s.ts;
	a->stuck = slot->s.stuck;
	a->sport = slot->sport;
	a->dport = slot->dport;
	a->win = slot->s.win;
	a->len = slot->s.len;
	a->mtu = clipper_rx_mtu(&slot->s);
	a->idx = slot - pm->rx;
	a->ctid = slot->ctid;
	a->lo = slot->s.lo;
	a->s_ack = slot->s.s_ack;
	a->tsval = slot->s.tsval;
	a->tsecr = slot->s.tsecr;
	a->saddr = slot->saddr;
	a->daddr = slot->daddr;
	a->raddr = slot->raddr;
}

/*
 * Under pm->lock: the watched flow of w went quiet.  An episode opens on
 * it, not knowing yet whether anything is missing, with a probe now (a):
 * S's answer tells.  False when there is nothing to ask.
 */
static bool clipper_rx_quiet(struct clipper_net *cn, struct clipper_rx_watch *w,
			     u32 now, struct clipper_rx_act *a)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	const struct nf_conn *ct = w->ct;
	u32 ctid = nf_ct_get_id(ct);
	struct clipper_rx_slot *slot;
	/* what S sends at most: what passed, or what the last hop takes */
	unsigned int len = max(READ_ONCE(w->big), w->mtu);

	if (len <= CLIPPER_RX_MTU_MIN || !clipper_rx_flow_ok(ct, w->dir))
		return false;
	if (clipper_rx_acked_past(ct, w->dir, READ_ONCE(w->lo))) {
		clipper_rx_watch_resync(w);
		if (clipper_rx_acked_past(ct, w->dir, READ_ONCE(w->lo)))
			return false;
	}
	slot = clipper_rx_slot(pm, ct, w->dir);
	if (clipper_rx_slot_is(pm, slot, ct, w->dir, ctid))
		return false;
	slot = clipper_rx_open_slot(cn, w, ct, ctid, READ_ONCE(w->lo),
				    clipper_rx_s_ack(ct, w->dir,
						     READ_ONCE(w->s_ack)),
				    len, true, now);
	if (!slot)
		return false;
	clipper_rx_act_fill(pm, a, slot, CLIPPER_RX_PROBE);
	return true;
}

/*
 * Under pm->lock: every episode and watched flow forgotten (no rule is
 * left, or the namespace goes); the references to put are returned, from
 * *i on, at most n: true when more are left.
 */
static bool clipper_rx_drop(struct clipper_pmtu *pm, unsigned int *i,
			    struct nf_conn **put, unsigned int n,
			    unsigned int *nput)
{
	struct clipper_rx_watch *w;

	if (pm->rx)
		memset(pm->rx, 0, sizeof(*pm->rx) * CLIPPER_RX_SLOTS);
	atomic_set(&pm->nrx, 0);
	for (; pm->watch && *i < CLIPPER_RX_SLOTS; (*i)++) {
		w = &pm->watch[*i];
		if (!w->ct)
			continue;
		if (*nput == n)
			return true;
		put[(*nput)++] = w->ct;
		WRITE_ONCE(w->ct, NULL);
		atomic_dec(&pm->nwatch);
	}
	return false;
}

static void clipper_rx_work(struct work_struct *work)
{
	struct clipper_pmtu *pm = container_of(to_delayed_work(work),
					       struct clipper_pmtu, rx_work);
	struct clipper_net *cn = container_of(pm, struct clipper_net, pmtu);
	unsigned int i, n = 0, nput = 0;
	struct clipper_rx_act *act, *a;
	enum clipper_rx_verdict v;
	struct clipper_rx_slot *slot;
	struct clipper_rx_watch *w;
	struct nf_conn *put[16];
	u32 now = clipper_now_ms(), last;
	bool more = false;

	/* no --pmtu-guard rule left: nothing is followed, nothing sent */
	if (!READ_ONCE(pm->guards)) {
		i = 0;
		do {
			nput = 0;
			spin_lock_bh(&pm->lock);
			more = clipper_rx_drop(pm, &i, put, ARRAY_SIZE(put),
					       &nput);
			spin_unlock_bh(&pm->lock);
			while (nput)
				nf_ct_put(put[--nput]);
		} while (more);
		return;
	}

	act = pm->rx_act;
	spin_lock_bh(&pm->lock);
	for (i = 0; pm->rx && i < CLIPPER_RX_SLOTS; i++) {
		slot = &pm->rx[i];
		if (!slot->ct)
			continue;
		if (n == CLIPPER_RX_ACTS) {
			more = true;
			break;
		}
		/*
		 * The flow is still watched (its entry holds the reference
		 * that lets it be read), alive and as it was: else its
		 * episode is over, nothing more is sent for it.
		 */
		w = clipper_rx_watch_of(pm, slot->ct);
		if (w->ct != slot->ct || nf_ct_is_dying(w->ct) ||
		    nf_ct_get_id(w->ct) != slot->ctid || READ_ONCE(w->closed) ||
		    !clipper_rx_flow_ok(w->ct, IP_CT_DIR_REPLY)) {
			clipper_rx_free(pm, slot);
			continue;
		}
		v = clipper_rx_tick(&slot->s, now);
		if (v == CLIPPER_RX_NONE)
			continue;
		if (v == CLIPPER_RX_OUTAGE)
			clipper_stats_add(cn, CLIPPER_ST_PMTU_RX_OUTAGE, 1);
		if (slot->s.state == CLIPPER_RX_FREE)
			clipper_rx_free(pm, slot);
		if (v == CLIPPER_RX_ENDED || v == CLIPPER_RX_OUTAGE)
			continue;
		clipper_rx_act_fill(pm, &act[n++], slot, v);
	}
	/* the watched flows: gone, closed, or quiet */
	for (i = 0; pm->watch && i < CLIPPER_RX_SLOTS; i++) {
		w = &pm->watch[i];
		if (!w->ct)
			continue;
		last = READ_ONCE(w->last);
		if (clipper_rx_watch_free(pm, w, now) &&
		    (nf_ct_is_dying(w->ct) ||
		     clipper_after(now, last + CLIPPER_RX_WATCH_MS))) {
			if (nput == ARRAY_SIZE(put)) {
				more = true;
				continue;
			}
			/* its episode goes with it: a slot holds no reference */
			slot = clipper_rx_slot(pm, w->ct, w->dir);
			if (slot->ct == w->ct)
				clipper_rx_free(pm, slot);
			put[nput++] = w->ct;
			WRITE_ONCE(w->ct, NULL);
			atomic_dec(&pm->nwatch);
			continue;
		}
		if (READ_ONCE(w->probed) || READ_ONCE(w->closed) ||
		    clipper_after(last + CLIPPER_RX_QUIET_MS, now) ||
		    n == CLIPPER_RX_ACTS ||
		    time_before(jiffies, pm->rx_quiet_at))
			continue;
		WRITE_ONCE(w->probed, 1);
		if (clipper_rx_quiet(cn, w, now, &act[n])) {
			n++;
			pm->rx_quiet_at = jiffies + CLIPPER_RX_QUIET_GAP;
		}
	}
	spin_unlock_bh(&pm->lock);
	while (nput)
		nf_ct_put(put[--nput]);

	for (i = 0; i < n; i++) {
		a = &act[i];
		if (a->verdict == CLIPPER_RX_PROBE) {
			if (clipper_rx_xmit(cn, a, false)) {
				local_bh_disable();
				clipper_stats_add(cn, CLIPPER_ST_PMTU_RX_PROBES,
						  1);
				local_bh_enable();
			}
		} else {
			clipper_rx_tell(cn, a);
		}
		cond_resched();
	}
	if (more || atomic_read(&pm->nrx) || atomic_read(&pm->nwatch))
		clipper_rx_arm(pm, more ? 1 : CLIPPER_RX_TICK);
}

/*
 * DF cleared on the way to a path that asked for it, when what it learned
 * applies to every flow to it (clipper_guard).  True when it cleared it.
 */
static noinline bool clipper_guard_df(struct clipper_net *cn,
				      struct sk_buff *skb)
{
	union nf_inet_addr dst = { .ip = ip_hdr(skb)->daddr };
	struct clipper_path *p = clipper_path_find(&cn->pmtu, NFPROTO_IPV4,
						   &dst);

	return p && READ_ONCE(p->fixes) & XT_CLIPPER_FIX_DF &&
	       READ_ONCE(p->st.scope) == CLIPPER_SCOPE_PATH &&
	       clipper_clear_df(cn, skb, p);
}

#define CLIPPER_GUARD_HOOKS (BIT(NF_INET_FORWARD) | BIT(NF_INET_LOCAL_OUT))

static void clipper_guard(struct clipper_net *cn, struct sk_buff *skb,
			  const struct xt_action_param *par,
			  const struct xt_clipper_tginfo *info,
			  unsigned int thoff, const struct tcphdr *th)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6;
	enum ip_conntrack_info ctinfo;
	unsigned int dir, len, payload, hlen, seg;
	struct nf_conn *ct;
	u32 seq, end;
	bool plain;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_protonum(ct) != IPPROTO_TCP ||
	    th->doff * 4 < sizeof(*th))
		return;
	dir = CTINFO2DIR(ctinfo);

	/* what vanished before it came here: the receiving side */
	if (xt_hooknum(par) == NF_INET_FORWARD)
		clipper_rx(cn, skb, par, info, ct, dir, th, thoff);

	if (th->ack)
		/* an ACK that comes in here: the data was this host's */
		clipper_guard_ack(cn, skb, family,
				  xt_hooknum(par) == NF_INET_LOCAL_IN, ct, dir,
				  th, thoff);

	/*
	 * Resends are followed where the packet is about to leave for the
	 * receiver, with its route: forwarded, or sent from here.  Elsewhere
	 * (INPUT, PREROUTING, POSTROUTING after NAT) only the ACKs count.
	 */
	if (!(BIT(xt_hooknum(par)) & CLIPPER_GUARD_HOOKS))
		return;

	/* all that is read of the header: it may move below */
	hlen = thoff + th->doff * 4;
	seq = ntohl(th->seq);
	if (skb->len <= hlen || th->syn)
		return;		/* no payload, or a SYN's: not ours to copy */
	payload = skb->len - hlen;
	end = seq + payload;
	/*
	 * The size on the wire: a GSO packet is cut into gso_size segments,
	 * and the segment followed is its first one, [seq, seg_end).
	 */
	seg = payload;
	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_size < payload)
		seg = skb_shinfo(skb)->gso_size;
	len = min(hlen + seg, 0xffffU);	/* loopback's 64k MTU and TSO */

	if (atomic_read(&pm->nsuspects) &&
	    clipper_guard_data(cn, skb, par, info, ct, dir, seq, seq + seg,
			       len))
		return;
	if (len < CLIPPER_PMTU_RESEND_MIN ||
	    (!v6 && !(ip_hdr(skb)->frag_off & htons(IP_DF))))
		return;

	/*
	 * DF cleared on the way to a black hole that asked for it, also once
	 * repaired: the hole is still there.  Whatever the size: a packet
	 * that fits passes unfragmented anyway.
	 */
	if (!v6 && info->pmtu_fix & XT_CLIPPER_FIX_DF && READ_ONCE(pm->count) &&
	    clipper_guard_df(cn, skb))
		return;	/* it may now be fragmented: it tells nothing */

	if (!clipper_seen_before(ct, dir, seq, end))
		return;
	if (clipper_acked_already(ct, dir, end)) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_REPLAYED, 1);
		return;
	}
	/* copies only of plain headers: no IPv4 options, no extensions */
	plain = thoff == (v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr));
	clipper_guard_resend(cn, skb, par, info, ct, dir, seq, seq + seg, len,
			     thoff, plain ? hlen : 0);
}

/* ---- the target's entry ---------------------------------------------------- */

/* A SYN (not RST): clamped, then guarded like any segment. */
static noinline void clipper_pmtu_syn(struct clipper_net *cn,
				      struct sk_buff *skb,
				      const struct xt_action_param *par,
				      const struct xt_clipper_tginfo *info,
				      unsigned int thoff,
				      const struct tcphdr *th)
{
	clipper_clamp_syn(cn, skb, par, info, thoff, th);
	if (!(info->flags & XT_CLIPPER_PMTU_GUARD))
		return;
	/* it may have moved the header (still in the linear part): again */
	th = (const struct tcphdr *)(skb->data + thoff);
	clipper_guard(cn, skb, par, info, thoff, th);
}

/* A segment whose TCP header is in the linear part: read in place. */
static inline void clipper_pmtu_tcp(struct clipper_net *cn,
				    struct sk_buff *skb,
				    const struct xt_action_param *par,
				    const struct xt_clipper_tginfo *info,
				    unsigned int thoff)
{
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + thoff);

	if (th->syn && !th->rst)
		clipper_pmtu_syn(cn, skb, par, info, thoff, th);
	else if (info->flags & XT_CLIPPER_PMTU_GUARD)
		clipper_guard(cn, skb, par, info, thoff, th);
}

/*
 * The rare TCP header not all in the linear part: pulled there first.  Out
 * of line, so that the usual segment's path keeps nothing for the call.
 */
static noinline void clipper_pmtu_pull(struct clipper_net *cn,
				       struct sk_buff *skb,
				       const struct xt_action_param *par,
				       const struct xt_clipper_tginfo *info,
				       unsigned int thoff)
{
	if (pskb_may_pull(skb, thoff + sizeof(struct tcphdr)))
		clipper_pmtu_tcp(cn, skb, par, info, thoff);
}

/* The TCP header is read in place: no copy, no buffer on the stack. */
void clipper_pmtu(struct clipper_net *cn, struct sk_buff *skb,
		  const struct xt_action_param *par,
		  const struct xt_clipper_tginfo *info, unsigned int thoff)
{
	/* a probe copy of ours, or anything an ICMP of ours made */
	if (unlikely(__this_cpu_read(clipper_sending)))
		return;
	if (unlikely(skb_headlen(skb) < thoff + sizeof(struct tcphdr)))
		clipper_pmtu_pull(cn, skb, par, info, thoff);
	else
		clipper_pmtu_tcp(cn, skb, par, info, thoff);
}

/* ---- per namespace ---------------------------------------------------------- */

int clipper_pmtu_init(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	int ret;

	spin_lock_init(&pm->lock);
	INIT_LIST_HEAD(&pm->list);
	atomic_set(&pm->nsuspects, 0);
	pm->max = CLIPPER_PMTU_MAX_DEFAULT;
	pm->timeout_ms = CLIPPER_PMTU_TIMEOUT_DEFAULT;
	pm->window_ms = CLIPPER_BH_WINDOW_MS;
	pm->retrans = CLIPPER_BH_RETRANS;
	pm->seed = get_random_u32();
	pm->icmp_at = jiffies - HZ;
	BUILD_BUG_ON(sizeof(struct clipper_probe_cb) >
		     sizeof_field(struct sk_buff, cb));
	skb_queue_head_init(&pm->probes);
	INIT_DELAYED_WORK(&pm->probe_work, clipper_probe_work);
	skb_queue_head_init(&pm->rests);
	atomic_set(&pm->nsplit, 0);
	INIT_DELAYED_WORK(&pm->rest_work, clipper_rest_work);
	atomic_set(&pm->nrx, 0);
	atomic_set(&pm->nwatch, 0);
	pm->rx_quiet_at = jiffies;
	pm->rx_icmp_at = jiffies;
	INIT_DELAYED_WORK(&pm->rx_work, clipper_rx_work);
	ret = rhashtable_init(&pm->paths, &clipper_path_params);
	if (ret)
		return ret;
	INIT_DELAYED_WORK(&pm->gc, clipper_pmtu_gc);
	return 0;
}

/* Namespace going away: no rule, no packet left in it. */
void clipper_pmtu_exit(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slots;
	struct clipper_path *p, *tmp;
	struct clipper_rx_watch *watch;
	struct clipper_rx_slot *rx;
	unsigned int i;

	cancel_delayed_work_sync(&pm->gc);
	spin_lock_irq(&pm->probes.lock);
	pm->dying = true;
	spin_unlock_irq(&pm->probes.lock);
	cancel_delayed_work_sync(&pm->probe_work);
	cancel_delayed_work_sync(&pm->rest_work);
	cancel_delayed_work_sync(&pm->rx_work);
	skb_queue_purge(&pm->probes);
	__skb_queue_purge(&pm->rests);
	mutex_lock(&cn->lock);
	if (pm->hooks)
		nf_unregister_net_hooks(cn->net, clipper_icmp_ops,
					ARRAY_SIZE(clipper_icmp_ops));
	/* rules destroyed after this (their tables go later) find none */
	pm->hooks = false;
	mutex_unlock(&cn->lock);
	rhashtable_destroy(&pm->paths);
	list_for_each_entry_safe(p, tmp, &pm->list, list)
		kfree(p);
	spin_lock_bh(&pm->lock);
	slots = pm->suspects;
	pm->suspects = NULL;
	rx = pm->rx;
	WRITE_ONCE(pm->rx, NULL);
	watch = pm->watch;
	WRITE_ONCE(pm->watch, NULL);
	spin_unlock_bh(&pm->lock);
	kvfree(slots);
	kvfree(rx);
	kfree(pm->rx_act);
	/*
	 * The references the watched flows held.  Put before conntrack's own
	 * exit for the namespace waits for its entries to go: clipper's
	 * pernet operations are registered after nf_conntrack's, and a
	 * namespace's exits run in the reverse order.
	 */
	for (i = 0; watch && i < CLIPPER_RX_SLOTS; i++)
		if (watch[i].ct)
			nf_ct_put(watch[i].ct);
	kvfree(watch);
}

/* ---- settings --------------------------------------------------------------- */

/* The settings and the table's fill, for CLIPPER_CMD_CONFIG_GET. */
int clipper_pmtu_config_fill(struct sk_buff *msg, struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;

	if (nla_put_u32(msg, CLIPPER_CONFIG_A_PMTU_MAX, READ_ONCE(pm->max)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_PMTU_COUNT, READ_ONCE(pm->count)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_PMTU_TIMEOUT,
			READ_ONCE(pm->timeout_ms)) ||
	    nla_put_u8(msg, CLIPPER_CONFIG_A_PMTU_RETRANS, READ_ONCE(pm->retrans)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_PMTU_WINDOW,
			READ_ONCE(pm->window_ms)))
		return -EMSGSIZE;
	return 0;
}

/*
 * The settings of CLIPPER_CMD_CONFIG_SET that are given (tb: the nested
 * CLIPPER_A_CONFIG, checked by netlink.c).  Under cn->lock.
 */
void clipper_pmtu_config_set(struct clipper_net *cn, struct nlattr **tb)
{
	struct clipper_pmtu *pm = &cn->pmtu;

	lockdep_assert_held(&cn->lock);
	/* a lower pmtu-max lets the table shrink by expiry */
	if (tb[CLIPPER_CONFIG_A_PMTU_MAX])
		WRITE_ONCE(pm->max, nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_MAX]));
	if (tb[CLIPPER_CONFIG_A_PMTU_TIMEOUT])
		WRITE_ONCE(pm->timeout_ms,
			   nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_TIMEOUT]));
	if (tb[CLIPPER_CONFIG_A_PMTU_RETRANS])
		WRITE_ONCE(pm->retrans,
			   nla_get_u8(tb[CLIPPER_CONFIG_A_PMTU_RETRANS]));
	if (tb[CLIPPER_CONFIG_A_PMTU_WINDOW])
		WRITE_ONCE(pm->window_ms,
			   nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_WINDOW]));
}

/*
 * Dump helper, like clipper_mac_dump(): entries from *pos on; 0 when done,
 * -EMSGSIZE when the message is full.
 */
int clipper_pmtu_dump(struct clipper_net *cn, struct sk_buff *skb,
		      struct netlink_callback *cb, long *pos)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_path *p;
	u32 now = clipper_now_ms();
	long i = 0;
	void *hdr;
	int ret = 0;

	rcu_read_lock();
	cb->seq = READ_ONCE(pm->generation);
	list_for_each_entry_rcu(p, &pm->list, list) {
		if (i++ < *pos)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &clipper_family,
				  NLM_F_MULTI, CLIPPER_CMD_PMTU_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (clipper_path_fill(skb, p, now)) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		(*pos)++;
	}
	rcu_read_unlock();
	return ret;
}

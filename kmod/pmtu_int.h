/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: what the pmtu*.c files share, and the rest of the module does
 * not see (its API is pmtu.h).
 *
 * The path table's entries, the sending side's suspect slots and the
 * receiving side's watch entries and episodes; the per-CPU flag of the
 * packets clipper sends; the helpers that more than one part calls, and
 * the functions each part offers the others.  What runs for every packet
 * stays inline here, as it was in one file: the path lookup of an empty
 * table, and the receiving side's per-segment work (clipper_rx()), which
 * the guard (pmtu_guard.c) calls for every forwarded segment.
 */
#ifndef _CLIPPER_PMTU_INT_H
#define _CLIPPER_PMTU_INT_H

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/tcp.h>

#include "core.h"
#include "xt_CLIPPER.h"
#include "bhole.h"
#include "bhole_rx.h"

#define CLIPPER_PMTU_GC_INTERVAL	(2 * HZ)
#define CLIPPER_SUSPECT_SLOTS		1024		/* a power of 2 */
#define CLIPPER_PROBE_QLEN		64		/* copies waiting */
#define CLIPPER_REST_QLEN		128		/* rest pieces held */
#define CLIPPER_GC_BATCH		256		/* entries a lock hold */
#define CLIPPER_RX_SLOTS		256		/* a power of 2 */

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
 * every segment that advances it, R's TSval at every segment of R with
 * options, the rest at most once a jiffy).
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
 * copy): our own hooks and rules leave it alone, it is not news (pmtu.c).
 */
DECLARE_PER_CPU(bool, clipper_sending);

static inline u32 clipper_now_ms(void)
{
	return jiffies_to_msecs(jiffies);
}

/* A sender's network, as a path remembers it: a hash, never 0. */
static inline u32 clipper_sender_of(const struct clipper_pmtu *pm,
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
static inline u32 clipper_addr_id(const struct clipper_pmtu *pm,
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
 * A fresh IP ID for a packet that may be fragmented (a GSO packet's
 * segments count up from it).  Random (RFC 6864 allows any), not from the
 * host's shared ID counters, whose collisions would tell one forwarded
 * flow's IDs to another.
 */
static inline void clipper_ip_id(struct iphdr *iph)
{
	iph->id = htons((u16)get_random_u32());
}

/* ---- pmtu_path.c: the path table, its events, the ICMP hooks ----------- */

int clipper_paths_init(struct clipper_pmtu *pm);
void clipper_paths_destroy(struct clipper_pmtu *pm);
struct clipper_path *clipper_path_lookup(struct clipper_pmtu *pm, u8 family,
					 const union nf_inet_addr *addr);

/* Inline, so that an empty table costs no call and no key to clear. */
static inline struct clipper_path *
clipper_path_find(struct clipper_pmtu *pm, u8 family,
		  const union nf_inet_addr *addr)
{
	if (!READ_ONCE(pm->count))
		return NULL;
	return clipper_path_lookup(pm, family, addr);
}

struct clipper_path *clipper_path_get(struct clipper_net *cn, u8 family,
				      const union nf_inet_addr *addr);
struct clipper_path *clipper_path_of_src(struct clipper_pmtu *pm,
					 const struct sk_buff *skb, u8 family);

/*
 * Note a fix done for the path: several CPUs may note one at once, and
 * none may be lost (clipper_guard_df() reads the DF one without a lock).
 */
static inline void clipper_path_fix(struct clipper_pmtu *pm,
				    struct clipper_path *p, u8 fix)
{
	if (READ_ONCE(p->fixes) & fix)
		return;
	spin_lock_bh(&pm->lock);
	WRITE_ONCE(p->fixes, p->fixes | fix);
	spin_unlock_bh(&pm->lock);
}

void clipper_path_event(struct clipper_net *cn, const struct clipper_path *p);
unsigned int clipper_icmp4_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);
unsigned int clipper_icmp6_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);

/* ---- pmtu_clamp.c: --clamp-mss ------------------------------------------- */

void clipper_pmtu_syn(struct clipper_net *cn, struct sk_buff *skb,
		      const struct xt_action_param *par,
		      const struct xt_clipper_tginfo *info, unsigned int thoff,
		      const struct tcphdr *th);

/* ---- pmtu_guard.c: --pmtu-guard, the sending side ------------------------ */

void clipper_guard(struct clipper_net *cn, struct sk_buff *skb,
		   const struct xt_action_param *par,
		   const struct xt_clipper_tginfo *info,
		   unsigned int thoff, const struct tcphdr *th);
void clipper_guard_gc(struct clipper_pmtu *pm, u32 now);
unsigned int clipper_post4_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);
unsigned int clipper_post6_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state);
void clipper_probe_work(struct work_struct *work);
void clipper_rest_work(struct work_struct *work);

/* ---- pmtu_rx.c: --pmtu-guard, the receiving side ------------------------- */

void clipper_rx_slow(struct clipper_net *cn, struct sk_buff *skb,
		     const struct xt_action_param *par,
		     const struct nf_conn *ct, unsigned int dir,
		     const struct tcphdr *th, unsigned int thoff,
		     struct clipper_rx_watch *w);
void clipper_rx_watch_opts(struct clipper_rx_watch *w,
			   const struct sk_buff *skb, const struct tcphdr *th,
			   unsigned int thoff);
void clipper_rx_watch_r(struct clipper_rx_watch *w, const struct sk_buff *skb,
			const struct tcphdr *th, unsigned int thoff);
void clipper_rx_watch_take(struct clipper_net *cn, struct clipper_rx_watch *w,
			   const struct xt_action_param *par,
			   const struct xt_clipper_tginfo *info,
			   struct nf_conn *ct, unsigned int dir,
			   const struct sk_buff *skb, const struct tcphdr *th,
			   unsigned int thoff, u32 seq, u32 end,
			   unsigned int iplen);
void clipper_rx_close(struct clipper_net *cn, const struct nf_conn *ct);
void clipper_rx_work(struct work_struct *work);

static inline struct clipper_rx_slot *clipper_rx_slot(struct clipper_pmtu *pm,
						      const struct nf_conn *ct,
						      unsigned int dir)
{
	u32 h = jhash_2words((u32)(unsigned long)ct, dir, pm->seed ^ 0x7278);

	return &pm->rx[h & (CLIPPER_RX_SLOTS - 1)];
}

static inline struct clipper_rx_watch *
clipper_rx_watch_of(struct clipper_pmtu *pm, const struct nf_conn *ct)
{
	u32 h = jhash_1word((u32)(unsigned long)ct, pm->seed ^ 0x7761);

	return &pm->watch[h & (CLIPPER_RX_SLOTS - 1)];
}

/*
 * The segment's IP length on the wire: a GRO packet counts as its
 * segments.
 */
static inline unsigned int clipper_rx_iplen(const struct sk_buff *skb,
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
static inline bool clipper_rx_flow_ok(const struct nf_conn *ct,
				      unsigned int sdir)
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

/*
 * What R acknowledged of S's direction sdir is past lo: lo is not the
 * first byte missing (R cannot acknowledge what did not pass here, so a
 * segment this rule did not see moved it): nothing to follow from it.
 */
static inline bool clipper_rx_acked_past(const struct nf_conn *ct,
					 unsigned int sdir, u32 lo)
{
	const struct ip_ct_tcp_state *r = &ct->proto.tcp.seen[!sdir];

	return READ_ONCE(r->flags) & IP_CT_TCP_FLAG_MAXACK_SET &&
	       after(READ_ONCE(r->td_maxack), lo);
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

	if (after(end, hi)) {
		WRITE_ONCE(w->hi, end);
		if (hi_at != now)
			WRITE_ONCE(w->hi_at, now);
	}
	if (lo != hi) {
		/* a gap: filled when lo passes; what ends at hi passed then */
		if (!after(seq, lo) && after(end, lo)) {
			WRITE_ONCE(w->lo, after(end, hi) ? end : hi);
			WRITE_ONCE(w->base, after(end, hi) ? now : hi_at);
			return;
		}
		if (!clipper_rx_acked_past(ct, dir, lo))
			return;
		/* filled elsewhere: as if closed at hi, then as below */
		WRITE_ONCE(w->lo, hi);
		WRITE_ONCE(w->base, hi_at);
	}
	if (!after(end, hi) ||
	    after(seq, hi + CLIPPER_RX_GAP_MIN))
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
		/*
		 * R's: its TSval, for the probes, from every segment that
		 * has options (a jiffy is up to 10 ms: R's TSval moves on
		 * within one, and a probe with an older one fails PAWS);
		 * not once R closed (no probe is sent then, and the entry
		 * may be taken by another flow a tick later)
		 */
		if (th->doff <= sizeof(*th) / 4)
			return;
		/* pairs with clipper_rx_watch_take()'s: its fields are filled */
		if (smp_load_acquire(&w->ct) == ct && !READ_ONCE(w->closed))
			clipper_rx_watch_r(w, skb, th, thoff);
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
		    after(seq, READ_ONCE(w->lo) + CLIPPER_RX_GAP_MIN) &&
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

#endif /* _CLIPPER_PMTU_INT_H */

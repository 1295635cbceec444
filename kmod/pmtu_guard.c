// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --pmtu-guard, the sending side.
 *
 * Finds PMTU black holes by experiment (bhole.h says how): when a segment
 * of a flow is sent again, a small copy of its first bytes goes to the
 * receiver right behind it, and a copy acknowledged while the resend is
 * not, pmtu-retrans times in a row, is a black hole.  Conntrack's window
 * tracking says whether a segment is sent again, so a flow costs nothing
 * until that happens; then a small direct-mapped table of suspects (one
 * slot per flow and direction, no allocation) follows it.  Here: the
 * suspect slots, the copies and the held rests (made in POSTROUTING, sent
 * by work items), the declaration and its fixes (an ICMP to the sender,
 * DF cleared), and clipper_guard(), the per-segment entry, which also
 * hands forwarded segments to the receiving side (pmtu_rx.c).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <net/tcp.h>

#include "pmtu_int.h"

/* The copies go out this long after the packet they copy, at least. */
#define CLIPPER_PROBE_DELAY_NS	(1 * NSEC_PER_MSEC)
/* and a flow direction gets one this often at most */
#define CLIPPER_PROBE_GAP_NS	(20 * NSEC_PER_MSEC)
/* resends of a flow split in pieces, at most, until its declaration */
#define CLIPPER_SPLIT_MAX	32

/* ---- the suspect slots --------------------------------------------------- */

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

/* ---- the fixes: an ICMP to the sender, DF cleared ------------------------ */

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
static_assert(sizeof(struct clipper_probe_cb) <=
	      sizeof_field(struct sk_buff, cb));

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
	unsigned int optlen = hlen - thoff - sizeof(struct tcphdr);
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + thoff);
	struct clipper_tcp_opts o;
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
	/* signed, or options that do not parse (no SACK block wanted) */
	return !(clipper_tcp_opts_parse(opt, optlen, 0, 0, &o) &
		 (CLIPPER_OPT_SIGNED | CLIPPER_OPT_MALFORMED));
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
void clipper_probe_work(struct work_struct *work)
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
void clipper_rest_work(struct work_struct *work)
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

/* ---- the copies, made as the segments leave (POSTROUTING) ---------------- */

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

/*
 * Data of direction dir up to end that the receiver acknowledged, as far
 * as conntrack checked its ACKs against the window: a resend of it is a
 * replay.
 */
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

unsigned int clipper_post4_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct clipper_net *cn = clipper_pernet(state->net);

	if (likely(!atomic_read(&cn->pmtu.nwant) &&
		   !atomic_read(&cn->pmtu.nsplit)))
		return NF_ACCEPT;
	return clipper_post_slow(cn, skb, false);
}

unsigned int clipper_post6_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct clipper_net *cn = clipper_pernet(state->net);

	if (likely(!atomic_read(&cn->pmtu.nwant) &&
		   !atomic_read(&cn->pmtu.nsplit)))
		return NF_ACCEPT;
	return clipper_post_slow(cn, skb, true);
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
	    !after(now, slot->s.last + bp.window_ms)) {
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
 * Whether conntrack accepts the packets of direction dir whatever their
 * window: an entry picked up mid-stream, or the namespace's
 * nf_conntrack_tcp_be_liberal.
 */
static bool clipper_ct_liberal(const struct nf_conn *ct, unsigned int dir)
{
	return READ_ONCE(ct->proto.tcp.seen[dir].flags) &
	       IP_CT_TCP_FLAG_BE_LIBERAL ||
	       READ_ONCE(nf_tcp_pernet(nf_ct_net(ct))->tcp_be_liberal);
}

/*
 * How far a SACK block of an ACK acknowledging ack may reach: to the end
 * of what the data's sender (direction sdir) sent, as conntrack saw it.
 * Where conntrack accepts S's packets whatever their window, or has no
 * window of S yet, td_end may lag behind what was sent, and a real block
 * passed over would let a loss look like a hole: there, any block under
 * 2^31 past the ACK counts.
 */
static u32 clipper_sack_bound(const struct nf_conn *ct, unsigned int sdir,
			      u32 ack)
{
	if (clipper_ct_liberal(ct, sdir) ||
	    !READ_ONCE(ct->proto.tcp.seen[sdir].td_maxwin))
		return ack + 0x7fffffff;
	return READ_ONCE(ct->proto.tcp.seen[sdir].td_end);
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
	u32 ack = ntohl(th->ack_seq), now, sent;
	struct clipper_tcp_opts o = {};
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
	if (opt) {
		sent = clipper_sack_bound(ct, !dir, ack);
		sack = clipper_tcp_opts_parse(opt, optlen, ack, sent, &o) &
		       CLIPPER_OPT_SACK;
	}
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
			clipper_bh_sack_note(&slot->s, o.sack_left,
					     o.sack_right, now);
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
			    after(now, slot->s.last +
					  READ_ONCE(pm->window_ms)))) {
		/* free, only a note, or idle: this flow's now */
		clipper_slot_take(pm, slot, ct);
		slot->s.dir = !dir;
		clipper_bh_sack_note(&slot->s, o.sack_left, o.sack_right,
				     now);
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
	/*
	 * The path goes up only on an ACK conntrack checked against the
	 * window (its td_maxack reached ack: it moves only then; one let
	 * pass unchecked, on a liberal entry or since 6.1 with a sequence
	 * number below the window, may be anybody's): the flow's own record
	 * may take the size (a forger gives it only the resend's), the path
	 * of every flow to the receiver may not.
	 */
	if (passed && local && clipper_acked_already(ct, !dir, ack))
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

/* ---- the per-segment entry ----------------------------------------------- */

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

void clipper_guard(struct clipper_net *cn, struct sk_buff *skb,
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

/* ---- aging --------------------------------------------------------------- */

/*
 * The aging's part of the suspects (clipper_pmtu_gc()): the slots of
 * flows that went quiet or away are freed, a batch of slots a lock hold.
 */
void clipper_guard_gc(struct clipper_pmtu *pm, u32 now)
{
	unsigned int i;

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
}

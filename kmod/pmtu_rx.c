// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --pmtu-guard, the receiving side (issue 25).
 *
 * On the receiver's gateway, what vanishes before it comes here: the
 * watch entries of forwarded flows and their episodes, followed under
 * pm->lock from the per-segment path (clipper_rx(), inline in
 * pmtu_int.h, and the slow parts here), and the work that probes the
 * sender and sends it the frag-needed / packet-too-big (clipper_rx_work()).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/route.h>
#include <net/tcp.h>

#include "pmtu_int.h"

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
 * clipper_rx_seg_opts(): the options could not be read; a bit above every
 * CLIPPER_OPT_* that clipper_tcp_opts_parse() returns
 */
#define CLIPPER_RX_OPTS_UNREAD	(CLIPPER_OPT_MALFORMED << 1)

/*
 * A segment's TCP options, read where they are (or copied out of a
 * paged skb): the CLIPPER_OPT_* bits clipper_tcp_opts_parse() returns,
 * the timestamps with CLIPPER_OPT_TS; CLIPPER_RX_OPTS_UNREAD when they
 * cannot be read.
 */
static unsigned int clipper_rx_seg_opts(const struct sk_buff *skb,
					const struct tcphdr *th,
					unsigned int thoff, u32 *tsval,
					u32 *tsecr)
{
	unsigned int optlen = th->doff * 4 - sizeof(*th), found;
	struct clipper_tcp_opts to;
	const u8 *o;
	u8 opt[40];

	if (!optlen)
		return 0;
	o = skb_header_pointer(skb, thoff + sizeof(*th), optlen, opt);
	if (!o)
		return CLIPPER_RX_OPTS_UNREAD;
	/* no SACK wanted: what passed here tells the hole, not R's blocks */
	found = clipper_tcp_opts_parse(o, optlen, ntohl(th->ack_seq),
				       ntohl(th->ack_seq), &to);
	if (found & CLIPPER_OPT_TS) {
		*tsval = to.tsval;
		*tsecr = to.tsecr;
	}
	return found;
}

/*
 * The probe's TSval: the latest of R's, from R's segments on one CPU and
 * S's echoes of them on another; never moved back, or a probe would fail
 * S's PAWS check (and Linux 6.14 and later drop such an old ACK without
 * the duplicate ACK that answers the probe).
 */
static void clipper_rx_ts_advance(u32 *latest, u32 ts)
{
	u32 old = READ_ONCE(*latest), seen;

	while (after(ts, old)) {
		seen = cmpxchg(latest, old, ts);
		if (seen == old)
			break;
		old = seen;
	}
}

/*
 * Under pm->lock, a segment of S of an episode with timestamps: S's TSval
 * for the probe's TSecr, and S's TSecr (R's TSval as S holds it: the
 * least a probe's TSval may be).
 */
static void clipper_rx_slot_ts(struct clipper_rx_slot *slot, u32 tsval,
			       u32 tsecr)
{
	slot->s.tsecr = tsval;
	if (!slot->s.ts || after(tsecr, slot->s.tsval))
		slot->s.tsval = tsecr;
	slot->s.ts = 1;
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
	return after(ack, max) ? max : ack;
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
	    !after(now, slot->s.opened + CLIPPER_RX_LIFE_MS))
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
void clipper_rx_slow(struct clipper_net *cn,
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
		if (found & CLIPPER_OPT_TS)
			clipper_rx_slot_ts(slot, tsval, tsecr);
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
		if (found & CLIPPER_OPT_TS &&
		    (!slot->s.ts || after(tsval, slot->s.tsval))) {
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
	if (!w || READ_ONCE(w->ct) != ct || found & CLIPPER_OPT_SIGNED ||
	    READ_ONCE(w->closed))
		goto unlock;

	/* S's snd_nxt beyond what passed here: bytes missing */
	lo = READ_ONCE(w->lo);
	/* a FIN's sequence number too is S's snd_nxt (before the FIN) */
	if (data || !after(seq, lo + CLIPPER_RX_GAP_MIN) ||
	    !clipper_rx_flow_ok(ct, dir))
		goto unlock;
	if (clipper_rx_acked_past(ct, dir, lo)) {
		clipper_rx_watch_resync(w);
		lo = READ_ONCE(w->lo);
		if (!after(seq, lo + CLIPPER_RX_GAP_MIN) ||
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
		if (found & CLIPPER_OPT_TS)
			clipper_rx_slot_ts(slot, tsval, tsecr);
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

/* Once a jiffy at most: S's timestamps, for a probe. */
void clipper_rx_watch_opts(struct clipper_rx_watch *w,
			   const struct sk_buff *skb,
			   const struct tcphdr *th,
			   unsigned int thoff)
{
	u32 tsval = 0, tsecr = 0;

	if (clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) &
	    CLIPPER_OPT_TS) {
		/* S's TSval; and S's TSecr: R's TSval as S holds it */
		WRITE_ONCE(w->tsecr, tsval);
		if (!READ_ONCE(w->ts))
			WRITE_ONCE(w->tsval, tsecr);
		else
			clipper_rx_ts_advance(&w->tsval, tsecr);
		WRITE_ONCE(w->ts, 1);
	}
}

/* A segment of R of a watched flow: R's latest TSval, for the probes. */
void clipper_rx_watch_r(struct clipper_rx_watch *w,
			const struct sk_buff *skb,
			const struct tcphdr *th,
			unsigned int thoff)
{
	u32 tsval = 0, tsecr = 0;

	if (READ_ONCE(w->ts) &&
	    clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) &
	    CLIPPER_OPT_TS)
		clipper_rx_ts_advance(&w->tsval, tsval);
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
		return after(now, last + CLIPPER_RX_QUIET_MS / 10);
	return after(now, last + CLIPPER_RX_WATCH_MS);
}

/* The segment carries TCP-MD5 or TCP-AO: not one to watch or probe. */
static bool clipper_rx_signed(const struct sk_buff *skb,
			      const struct tcphdr *th, unsigned int thoff)
{
	u32 tsval = 0, tsecr = 0;

	if (th->doff * 4 - sizeof(*th) <= TCPOLEN_TSTAMP_ALIGNED)
		return false;	/* no room for a signature beside */
	return clipper_rx_seg_opts(skb, th, thoff, &tsval, &tsecr) &
	       (CLIPPER_OPT_SIGNED | CLIPPER_RX_OPTS_UNREAD);
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
void clipper_rx_watch_take(struct clipper_net *cn,
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
		if (after(seq, ack + CLIPPER_RX_GAP_MIN))
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
void clipper_rx_close(struct clipper_net *cn,
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

void clipper_rx_work(struct work_struct *work)
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
		     after(now, last + CLIPPER_RX_WATCH_MS))) {
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
		    after(last + CLIPPER_RX_QUIET_MS, now) ||
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

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the path table of --clamp-mss and --pmtu-guard.
 *
 * The paths learned (per namespace, bounded by pmtu-max, forgotten after
 * pmtu-timeout without a change), their aging, their flush, the events
 * of a path that turned black hole or back to ok, the table's dump; and
 * the hooks that learn from the frag-needed / packet-too-big messages
 * that pass, registered with the first rule (pmtu.c).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "pmtu_int.h"
#include "netlink.h"

static const struct rhashtable_params clipper_path_params = {
	.head_offset		= offsetof(struct clipper_path, node),
	.key_offset		= offsetof(struct clipper_path, key),
	.key_len		= sizeof(struct clipper_path_key),
	.automatic_shrinking	= true,
};

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

/* RCU read side; clipper_path_find() is the inline entry. */
struct clipper_path *clipper_path_lookup(struct clipper_pmtu *pm, u8 family,
					 const union nf_inet_addr *addr)
{
	struct clipper_path_key k;

	clipper_path_key_init(&k, family, addr);
	return rhashtable_lookup(&pm->paths, &k, clipper_path_params);
}

/*
 * The path to addr, made if there is none (GFP_ATOMIC: this runs on the
 * rare packets that need it).  NULL when the table is full.  RCU read side.
 */
struct clipper_path *clipper_path_get(struct clipper_net *cn, u8 family,
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
	unsigned int n = 0;
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

	clipper_guard_gc(pm, now);
	queue_delayed_work(system_power_efficient_wq, &pm->gc,
			   CLIPPER_PMTU_GC_INTERVAL);
}

/* The table, and its aging (started with the first rule). */
int clipper_paths_init(struct clipper_pmtu *pm)
{
	int ret;

	ret = rhashtable_init(&pm->paths, &clipper_path_params);
	if (ret)
		return ret;
	INIT_DELAYED_WORK(&pm->gc, clipper_pmtu_gc);
	return 0;
}

/* Namespace going away: no rule, no packet, no aging left in it. */
void clipper_paths_destroy(struct clipper_pmtu *pm)
{
	struct clipper_path *p, *tmp;

	rhashtable_destroy(&pm->paths);
	list_for_each_entry_safe(p, tmp, &pm->list, list)
		kfree(p);
}

/*
 * The path learned for the packet's source, if any.  Out of line: the
 * address it builds would cost every SYN's path a stack canary.
 */
struct clipper_path *clipper_path_of_src(struct clipper_pmtu *pm,
					 const struct sk_buff *skb, u8 family)
{
	union nf_inet_addr src = {};

	if (family == NFPROTO_IPV6)
		src.in6 = ipv6_hdr(skb)->saddr;
	else
		src.ip = ip_hdr(skb)->saddr;
	return clipper_path_lookup(pm, family, &src);
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
void clipper_path_event(struct clipper_net *cn, const struct clipper_path *p)
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

unsigned int clipper_icmp4_hook(void *priv, struct sk_buff *skb,
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

unsigned int clipper_icmp6_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	/* most packets: TCP or UDP right after the fixed header */
	if (likely(nexthdr != IPPROTO_ICMPV6 && !ipv6_ext_hdr(nexthdr)))
		return NF_ACCEPT;
	return clipper_icmp6_slow(skb, state);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --clamp-mss and --pmtu-guard.
 *
 * --clamp-mss lowers the MSS option of SYNs and SYN/ACKs to fit the route
 * MTU (both ways, as TCPMSS does), a path MTU learned here, or a value.
 *
 * --pmtu-guard looks for the PMTU black-hole signature: the same full-size
 * segment of a flow sent again and again, no ACK past it, and no ICMP
 * frag-needed / packet-too-big for its destination.  Conntrack's window
 * tracking says whether a segment is sent again, so a flow costs nothing
 * until that happens; then a small direct-mapped table of suspects (one
 * slot per flow and direction, no allocation) counts the resends.  A black
 * hole puts its destination in the path table with an estimated MTU, and
 * the fixes of the rule repair it: an ICMP to the sender, DF cleared, later
 * SYNs clamped.
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
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "core.h"
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
	const struct nf_conn		*ct;	/* NULL: free */
	/* the rule that counts its resends: compared, never dereferenced */
	const struct xt_clipper_tginfo	*rule;
	struct clipper_bh_suspect	s;
};

/* set while this CPU sends a frag-needed / PTB of ours: not news */
static DEFINE_PER_CPU(bool, clipper_sending);

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

/* pm->lock held */
static void clipper_path_unlink(struct clipper_pmtu *pm, struct clipper_path *p)
{
	rhashtable_remove_fast(&pm->paths, &p->node, clipper_path_params);
	list_del_rcu(&p->list);
	WRITE_ONCE(pm->count, pm->count - 1);
	pm->generation++;
	call_rcu(&p->rcu, clipper_path_free_rcu);
}

void clipper_pmtu_flush(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_path *p, *tmp;

	spin_lock_bh(&pm->lock);
	list_for_each_entry_safe(p, tmp, &pm->list, list)
		clipper_path_unlink(pm, p);
	if (pm->suspects)
		memset(pm->suspects, 0,
		       sizeof(*pm->suspects) * CLIPPER_SUSPECT_SLOTS);
	atomic_set(&pm->nsuspects, 0);
	spin_unlock_bh(&pm->lock);
}

/* Forget paths that did not change for pmtu-timeout (re-probe upward). */
static void clipper_pmtu_gc(struct work_struct *work)
{
	struct clipper_pmtu *pm = container_of(to_delayed_work(work),
					       struct clipper_pmtu, gc);
	struct clipper_path *p, *tmp;
	u32 now = clipper_now_ms();

	unsigned int i;

	spin_lock_bh(&pm->lock);
	list_for_each_entry_safe(p, tmp, &pm->list, list)
		if (clipper_path_expired(&p->st, now, pm->timeout_ms,
					 pm->window_ms))
			clipper_path_unlink(pm, p);
	/* suspects of flows that went quiet or away */
	for (i = 0; pm->suspects && i < CLIPPER_SUSPECT_SLOTS; i++) {
		struct clipper_suspect_slot *slot = &pm->suspects[i];

		if (slot->ct && (s32)(now - slot->s.last) > (s32)pm->window_ms) {
			WRITE_ONCE(slot->ct, NULL);
			atomic_dec(&pm->nsuspects);
		}
	}
	spin_unlock_bh(&pm->lock);
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
			READ_ONCE(p->mss_clamped))) {
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
 * Whether an ICMP error may teach a path MTU.  One this host sends
 * (OUTPUT) may.  One that arrives or passes (INPUT, FORWARD: conntrack has
 * seen it) only when conntrack relates it to a flow it tracks: a forged
 * frag-needed about no flow would otherwise fill the table with paths to
 * anywhere and lower the MSS of later SYNs to them.  Without a conntrack
 * entry it may only when no rule of ours has conntrack run for the
 * family (--clamp-mss rules alone), where nothing can be related.
 */
static bool clipper_icmp_trusted(struct clipper_net *cn,
				 const struct sk_buff *skb,
				 const struct nf_hook_state *state, u8 family)
{
	enum ip_conntrack_info ctinfo;

	if (state->hook == NF_INET_LOCAL_OUT)
		return true;
	if (nf_ct_get(skb, &ctinfo))
		return ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY;
	return !atomic_read(&cn->ct_rules[family == NFPROTO_IPV6]);
}

static void __clipper_pmtu_learn(struct clipper_net *cn,
				 const struct sk_buff *skb,
				 const struct nf_hook_state *state, u8 family,
				 const union nf_inet_addr *dst, u32 mtu)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_path *p;

	/* ours, on the way out or back in through loopback */
	if (__this_cpu_read(clipper_sending))
		return;

	clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_SEEN, 1);
	if (!clipper_icmp_trusted(cn, skb, state, family)) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_UNRELATED, 1);
		return;
	}
	p = clipper_path_get(cn, family, dst);
	if (!p)
		return;
	spin_lock_bh(&pm->lock);
	clipper_path_icmp(&p->st, mtu, family == NFPROTO_IPV6,
			  clipper_now_ms());
	spin_unlock_bh(&pm->lock);
}

/*
 * An ICMP frag-needed / packet-too-big for dst passed a hook.  OUTPUT
 * runs in the sending process's context, preemptible: the per-CPU flag
 * and counters need BHs off (the other hooks run in softirq, where this
 * costs an increment of the preempt count, for a rare packet).
 */
static void clipper_pmtu_learn(struct clipper_net *cn,
			       const struct sk_buff *skb,
			       const struct nf_hook_state *state, u8 family,
			       const union nf_inet_addr *dst, u32 mtu)
{
	local_bh_disable();
	rcu_read_lock();
	__clipper_pmtu_learn(cn, skb, state, family, dst, mtu);
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
	union nf_inet_addr dst = {};

	if (ip_is_fragment(iph) ||
	    (state->in && state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	h = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_h), &_h);
	if (!h || h->icmp.type != ICMP_DEST_UNREACH ||
	    h->icmp.code != ICMP_FRAG_NEEDED)
		return NF_ACCEPT;
	inner = &h->ip;
	dst.ip = inner->daddr;
	clipper_pmtu_learn(clipper_pernet(state->net), skb, state,
			   NFPROTO_IPV4, &dst, ntohs(h->icmp.un.frag.mtu));
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
	union nf_inet_addr dst = {};
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
	dst.in6 = h->ip.daddr;
	clipper_pmtu_learn(clipper_pernet(state->net), skb, state,
			   NFPROTO_IPV6, &dst, ntohl(h->icmp.icmp6_mtu));
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
		.hook		= clipper_icmp4_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FIRST,
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
		.priority	= NF_IP6_PRI_FIRST,
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
int clipper_pmtu_rule_get(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slots;
	int ret = 0;

	mutex_lock(&cn->lock);
	if (pm->hooks)
		goto out;
	if (!pm->suspects) {
		slots = kvcalloc(CLIPPER_SUSPECT_SLOTS, sizeof(*slots),
				 GFP_KERNEL);
		if (!slots) {
			ret = -ENOMEM;
			goto unlock;
		}
		spin_lock_bh(&pm->lock);
		pm->suspects = slots;
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

		if (p) {
			m = READ_ONCE(p->st.mtu);
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
			ipv6_hdr(skb)->payload_len =
				htons(ntohs(ipv6_hdr(skb)->payload_len) +
				      res.added);
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
		if (!(READ_ONCE(path->fixes) & XT_CLIPPER_FIX_MSS))
			WRITE_ONCE(path->fixes, path->fixes | XT_CLIPPER_FIX_MSS);
	}
	return;

malformed:
	clipper_stats_add(cn, CLIPPER_ST_PMTU_MALFORMED, 1);
	return;
unwritable:
	clipper_stats_add(cn, CLIPPER_ST_PMTU_UNWRITABLE, 1);
}

/* ---- --pmtu-guard ----------------------------------------------------------- */

static struct clipper_suspect_slot *
clipper_suspect_slot(struct clipper_pmtu *pm, const struct nf_conn *ct,
		     unsigned int dir)
{
	u32 h = jhash_2words((u32)(unsigned long)ct, dir, pm->seed);

	return &pm->suspects[h & (CLIPPER_SUSPECT_SLOTS - 1)];
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
	if (!skb_dst(skb))
		return false;	/* PREROUTING: no route to answer with yet */
	local_bh_disable();
	__this_cpu_write(clipper_sending, true);
	if (family == NFPROTO_IPV4)
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
#if IS_ENABLED(CONFIG_IPV6)
	else
		clipper_send_ptb(skb, mtu);
#endif
	__this_cpu_write(clipper_sending, false);
	local_bh_enable();
	return true;
}

static void clipper_clear_df(struct clipper_net *cn, struct sk_buff *skb,
			     struct clipper_path *p)
{
	struct iphdr *iph;
	__be16 old;

	if (skb_ensure_writable(skb, sizeof(*iph))) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_UNWRITABLE, 1);
		return;
	}
	iph = ip_hdr(skb);
	old = iph->frag_off;
	iph->frag_off &= ~htons(IP_DF);
	csum_replace2(&iph->check, old, iph->frag_off);
	WRITE_ONCE(p->df_cleared, p->df_cleared + 1);
	clipper_stats_add(cn, CLIPPER_ST_PMTU_DF_CLEARED, 1);
}

/* A full-size segment sent again: count it, maybe declare a black hole. */
static noinline void clipper_guard_resend(struct clipper_net *cn,
					  struct sk_buff *skb,
					  const struct xt_action_param *par,
					  const struct xt_clipper_tginfo *info,
					  const struct nf_conn *ct,
					  unsigned int dir, u32 seq,
					  unsigned int len,
					  unsigned int payload, bool tail)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_bh_params bp;
	struct clipper_suspect_slot *slot;
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6;
	union nf_inet_addr dst = {};
	enum clipper_bh_verdict v;
	struct clipper_path *p;
	bool event = false, sacked = false;
	u32 now = clipper_now_ms(), mtu;

	bp.window_ms = READ_ONCE(pm->window_ms);
	bp.retrans = READ_ONCE(pm->retrans);

	spin_lock_bh(&pm->lock);
	if (!pm->suspects) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	slot = clipper_suspect_slot(pm, ct, dir);
	/*
	 * Another --pmtu-guard rule on the flow's path (mangle and filter
	 * FORWARD, say) counts its resends already: one resend is one, or a
	 * single resend would make a black hole of pmtu-retrans 2.  Should
	 * that rule go, it gives the slot up (clipper_pmtu_rule_put()).
	 */
	if (slot->ct == ct && slot->s.dir == dir && slot->s.count &&
	    slot->rule && slot->rule != info) {
		spin_unlock_bh(&pm->lock);
		return;
	}
	clipper_stats_add(cn, CLIPPER_ST_PMTU_RETRANS, 1);
	if (slot->ct != ct || slot->s.dir != dir) {
		if (!slot->ct)
			atomic_inc(&pm->nsuspects);
		WRITE_ONCE(slot->ct, ct);
		memset(&slot->s, 0, sizeof(slot->s));
	}
	slot->rule = info;
	v = clipper_bh_retransmit(&slot->s, seq, len, dir, now, &bp);
	if (slot->s.seq == seq)
		slot->s.payload = payload;
	if (v != CLIPPER_BH_NONE &&
	    clipper_bh_sack_proves(&slot->s, now, bp.window_ms)) {
		/* data as large got through behind it: a loss */
		slot->s.count = 0;
		v = CLIPPER_BH_NONE;
		sacked = true;
	} else if (v == CLIPPER_BH_BLACKHOLE && tail &&
		   clipper_bh_tail_waits(&slot->s, &bp)) {
		v = CLIPPER_BH_SUSPECT;
	}
	spin_unlock_bh(&pm->lock);
	if (sacked)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_SACKED, 1);
	if (v == CLIPPER_BH_NONE)
		return;

	if (v6)
		dst.in6 = ipv6_hdr(skb)->daddr;
	else
		dst.ip = ip_hdr(skb)->daddr;
	p = clipper_path_get(cn, family, &dst);
	if (!p)
		return;

	spin_lock_bh(&pm->lock);
	if (v == CLIPPER_BH_SUSPECT) {
		if (clipper_path_suspect(&p->st, now))
			clipper_stats_add(cn, CLIPPER_ST_PMTU_SUSPECT, 1);
	} else {
		event = clipper_path_blackhole(&p->st, len, v6, now,
					       READ_ONCE(pm->window_ms));
		if (event)
			p->detections++;
	}
	mtu = p->st.mtu;
	spin_unlock_bh(&pm->lock);
	if (!event)
		return;

	clipper_stats_add(cn, CLIPPER_ST_PMTU_BLACKHOLE, 1);
	if (info->pmtu_fix & XT_CLIPPER_FIX_ICMP &&
	    clipper_send_too_big(skb, family, mtu)) {
		WRITE_ONCE(p->icmp_sent, p->icmp_sent + 1);
		WRITE_ONCE(p->fixes, p->fixes | XT_CLIPPER_FIX_ICMP);
		clipper_stats_add(cn, CLIPPER_ST_PMTU_ICMP_SENT, 1);
	}
	if (info->pmtu_fix & XT_CLIPPER_FIX_DF && !v6)
		WRITE_ONCE(p->fixes, p->fixes | XT_CLIPPER_FIX_DF);
	clipper_path_event(cn, p);
}

/*
 * An ACK of the other direction.  Past a resent segment: the path works,
 * the record goes.  With a SACK block: noted in the record of the flow
 * direction it acknowledges (taking a free or idle slot), for the resends
 * to come; a resent segment it proves lost stops counting.
 */
static noinline void clipper_guard_ack_slow(struct clipper_net *cn,
					    struct sk_buff *skb, u8 family,
					    const struct nf_conn *ct,
					    unsigned int dir,
					    const struct tcphdr *th,
					    unsigned int thoff)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slot;
	unsigned int optlen = th->doff * 4 - sizeof(*th);
	u32 ack = ntohl(th->ack_seq), now, left = 0, right = 0;
	u8 _opt[MAX_TCP_OPTION_SPACE];
	const u8 *opt = NULL;
	struct clipper_path *p;
	bool event = false, progress = false, sacked = false, sack = false;

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
	if (slot->ct == ct && slot->s.dir == !dir) {
		if (slot->s.count && clipper_bh_ack(&slot->s, ack)) {
			progress = true;
			WRITE_ONCE(slot->ct, NULL);
			atomic_dec(&pm->nsuspects);
		} else if (sack) {
			clipper_bh_sack_note(&slot->s, left, right, now);
			if (clipper_bh_sack_proves(&slot->s, now,
						   READ_ONCE(pm->window_ms))) {
				slot->s.count = 0;
				progress = true;
				sacked = true;
			}
		}
	} else if (sack && (!slot->ct || !slot->s.count ||
			    clipper_after(now, slot->s.last +
					  READ_ONCE(pm->window_ms)))) {
		/* free, only a note, or idle: this flow's now */
		if (!slot->ct)
			atomic_inc(&pm->nsuspects);
		WRITE_ONCE(slot->ct, ct);
		memset(&slot->s, 0, sizeof(slot->s));
		slot->s.dir = !dir;
		clipper_bh_sack_note(&slot->s, left, right, now);
	}
	spin_unlock_bh(&pm->lock);
	if (!progress)
		return;
	if (sacked)
		clipper_stats_add(cn, CLIPPER_ST_PMTU_SACKED, 1);

	/* the path is the one to the receiver, who sends this ACK */
	if (!READ_ONCE(pm->count))
		return;
	p = clipper_path_of_src(pm, skb, family);
	if (!p)
		return;
	spin_lock_bh(&pm->lock);
	event = clipper_path_progress(&p->st, now);
	spin_unlock_bh(&pm->lock);
	if (event) {
		clipper_stats_add(cn, CLIPPER_ST_PMTU_REPAIRED, 1);
		clipper_path_event(cn, p);
	}
}

/*
 * Every segment with an ACK passes here.  The usual one leaves at once:
 * no resend is on record, and its options cannot hold a SACK block (fewer
 * than 12 bytes, or 12 that a timestamp fills as Linux sends it).
 */
static inline void clipper_guard_ack(struct clipper_net *cn,
				     struct sk_buff *skb, u8 family,
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
	clipper_guard_ack_slow(cn, skb, family, ct, dir, th, thoff);
}

/* DF cleared on the way to a path that asked for it (clipper_guard). */
static noinline void clipper_guard_df(struct clipper_net *cn,
				      struct sk_buff *skb)
{
	union nf_inet_addr dst = { .ip = ip_hdr(skb)->daddr };
	struct clipper_path *p = clipper_path_find(&cn->pmtu, NFPROTO_IPV4,
						   &dst);

	if (p && READ_ONCE(p->fixes) & XT_CLIPPER_FIX_DF)
		clipper_clear_df(cn, skb, p);
}

static void clipper_guard(struct clipper_net *cn, struct sk_buff *skb,
			  const struct xt_action_param *par,
			  const struct xt_clipper_tginfo *info,
			  unsigned int thoff, const struct tcphdr *th)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	u8 family = xt_family(par);
	bool v6 = family == NFPROTO_IPV6;
	enum ip_conntrack_info ctinfo;
	unsigned int dir, len, payload;
	struct nf_conn *ct;
	u32 seq, end, td_end;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_protonum(ct) != IPPROTO_TCP ||
	    th->doff * 4 < sizeof(*th))
		return;
	dir = CTINFO2DIR(ctinfo);

	if (th->ack)
		clipper_guard_ack(cn, skb, family, ct, dir, th, thoff);

	if (skb->len <= thoff + th->doff * 4)
		return;		/* no payload */
	payload = skb->len - thoff - th->doff * 4;
	/* the size on the wire: a GSO packet is cut into gso_size segments */
	len = thoff + th->doff * 4 +
	      (skb_is_gso(skb) ? skb_shinfo(skb)->gso_size : payload);
	if (len < clipper_pmtu_full_size_min(v6) ||
	    (!v6 && !(ip_hdr(skb)->frag_off & htons(IP_DF))))
		return;

	/*
	 * DF cleared on the way to a black hole that asked for it, also once
	 * repaired: the hole is still there.  Whatever the size above the
	 * floor: the MTU learned is the step below a size that vanished, a
	 * guess that may still be above the narrow link's, and a segment
	 * between the two would vanish until it made a detection of its own
	 * (a flow's last, smaller segment needs one resend more, each after
	 * a longer timeout).  A packet that fits passes unfragmented anyway.
	 */
	if (!v6 && info->pmtu_fix & XT_CLIPPER_FIX_DF && READ_ONCE(pm->count))
		clipper_guard_df(cn, skb);

	/*
	 * Sent before?  Conntrack has already taken this segment into
	 * account: its end is below the highest end seen in this direction,
	 * or it is the same segment as the last one (conntrack's retrans).
	 */
	seq = ntohl(th->seq);
	end = seq + payload;
	td_end = READ_ONCE(ct->proto.tcp.seen[dir].td_end);
	if (before(end, td_end) ||
	    (READ_ONCE(ct->proto.tcp.retrans) &&
	     READ_ONCE(ct->proto.tcp.last_seq) == seq))
		clipper_guard_resend(cn, skb, par, info, ct, dir, seq, len,
				     len - thoff - th->doff * 4,
				     !before(end, td_end));
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

	cancel_delayed_work_sync(&pm->gc);
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
	spin_unlock_bh(&pm->lock);
	kvfree(slots);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --clamp-mss and --pmtu-guard, the target's side.
 *
 * --clamp-mss lowers the MSS option of SYNs and SYN/ACKs to fit the route
 * MTU (both ways, as TCPMSS does), a path MTU learned here, or a value
 * (pmtu_clamp.c).  --pmtu-guard finds PMTU black holes by experiment and
 * repairs the flows: the sending side (pmtu_guard.c) and the receiving
 * side (pmtu_rx.c).  The path table (pmtu_path.c) learns what applies to
 * other flows.
 *
 * Here: the target's entry, clipper_pmtu(); the hooks that the first rule
 * registers and the last one removes; the per-namespace state's setup,
 * settings and teardown.
 */
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "pmtu_int.h"

/*
 * Set while this CPU sends a packet of ours (a frag-needed / PTB, a probe
 * copy): our own hooks and rules leave it alone, it is not news.
 */
DEFINE_PER_CPU(bool, clipper_sending);

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

/* ---- the target's entry ---------------------------------------------------- */

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

	spin_lock_init(&pm->lock);
	INIT_LIST_HEAD(&pm->list);
	atomic_set(&pm->nsuspects, 0);
	pm->max = CLIPPER_PMTU_MAX_DEFAULT;
	pm->timeout_ms = CLIPPER_PMTU_TIMEOUT_DEFAULT;
	pm->window_ms = CLIPPER_BH_WINDOW_MS;
	pm->retrans = CLIPPER_BH_RETRANS;
	pm->seed = get_random_u32();
	pm->icmp_at = jiffies - HZ;
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
	return clipper_paths_init(pm);
}

/* Namespace going away: no rule, no packet left in it. */
void clipper_pmtu_exit(struct clipper_net *cn)
{
	struct clipper_pmtu *pm = &cn->pmtu;
	struct clipper_suspect_slot *slots;
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
	clipper_paths_destroy(pm);
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

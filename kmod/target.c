// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the CLIPPER xtables target, for iptables and ip6tables.
 *
 * The target never drops and never accepts: every path returns
 * XT_CONTINUE so a CLIPPER rule composes with the rules around it.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "core.h"
#include "target.h"
#include "xt_CLIPPER.h"

/* Hooks where a packet still carries the sender's MAC header. */
#define CLIPPER_MAC_HOOKS ((1 << NF_INET_PRE_ROUTING) | \
			   (1 << NF_INET_LOCAL_IN) | \
			   (1 << NF_INET_FORWARD))

/* Hooks where a packet has its route. */
#define CLIPPER_ROUTED_HOOKS ((1 << NF_INET_FORWARD) | \
			      (1 << NF_INET_LOCAL_OUT) | \
			      (1 << NF_INET_POST_ROUTING))

#define CLIPPER_NEEDS_CT (XT_CLIPPER_CLASSIFY | XT_CLIPPER_PMTU_GUARD | \
			  XT_CLIPPER_WS_COUNT)

#define CLIPPER_NEEDS_TCP (XT_CLIPPER_CLAMP_MSS | XT_CLIPPER_PMTU_GUARD | \
			   XT_CLIPPER_WS_COUNT)

/*
 * clipper_tcp_offset() for IPv6, past any extension headers.  A packet
 * with a fragment header is left alone, the first fragment too: an option
 * added to it would change the length of a packet that is reassembled
 * from its fragments elsewhere.
 */
static noinline unsigned int clipper_tcp6_offset(const struct sk_buff *skb)
{
	unsigned int off = 0;
	int flags = 0;

	if (ipv6_find_hdr(skb, &off, IPPROTO_TCP, NULL, &flags) !=
	    IPPROTO_TCP || flags & IP6_FH_F_FRAG)
		return 0;
	return off;
}

/*
 * Offset of the TCP header of a packet that is TCP and not a fragment
 * after the first; 0 otherwise.  IPv6 out of line: its locals would cost
 * clipper_tg() a stack canary on every packet.
 */
static unsigned int clipper_tcp_offset(const struct sk_buff *skb, u8 family)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (family != NFPROTO_IPV4)
		return clipper_tcp6_offset(skb);
	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return 0;
	return ip_hdrlen(skb);
}

static unsigned int clipper_tg(struct sk_buff *skb,
			       const struct xt_action_param *par)
{
	const struct xt_clipper_tginfo *info = par->targinfo;
	struct clipper_net *cn = clipper_pernet_rcu(xt_net(par));
	unsigned int thoff = 0;
	u64 len = skb->len;
	bool bh;

	/*
	 * The per-CPU counters and the per-flow locks need BHs off.  They
	 * are for forwarded and received packets (softirq) and with the
	 * legacy backend; the nft backend (nft_compat) runs OUTPUT with
	 * them on.
	 */
	bh = !in_softirq();
	if (bh)
		local_bh_disable();
	clipper_stats_add2(cn, CLIPPER_ST_TARGET_PACKETS, 1,
			   CLIPPER_ST_TARGET_BYTES, len);
	if (info->flags & XT_CLIPPER_CLASSIFY) {
		clipper_stats_add2(cn, CLIPPER_ST_CLASSIFY_PACKETS, 1,
				   CLIPPER_ST_CLASSIFY_BYTES, len);
		clipper_classify(cn, skb, xt_family(par), info->mark_mask);
	}
	if (info->flags & CLIPPER_NEEDS_TCP)
		thoff = clipper_tcp_offset(skb, xt_family(par));
	if (info->flags & (XT_CLIPPER_CLAMP_MSS | XT_CLIPPER_PMTU_GUARD)) {
		clipper_stats_add2(cn, CLIPPER_ST_PMTU_PACKETS, 1,
				   CLIPPER_ST_PMTU_BYTES, len);
		if (thoff)
			clipper_pmtu(cn, skb, par, info, thoff);
	}
	if (info->flags & XT_CLIPPER_WS_COUNT) {
		clipper_stats_add2(cn, CLIPPER_ST_WS_PACKETS, 1,
				   CLIPPER_ST_WS_BYTES, len);
		if (thoff)
			clipper_ws(cn, skb, xt_family(par), thoff);
	}
	if (bh)
		local_bh_enable();

	return XT_CONTINUE;
}

/*
 * Refuse anything this module does not understand.  iptables' extension
 * checks the same things first, so these messages are for other writers of
 * the structure (an older or newer libxt_CLIPPER, nft_compat users).
 */
static int clipper_tg_validate(const struct xt_tgchk_param *par)
{
	const struct xt_clipper_tginfo *info = par->targinfo;
	u32 f = info->flags;

	if (f & ~XT_CLIPPER_FLAGS_ALL) {
		pr_info_ratelimited("unknown option flags 0x%x: the iptables extension is newer than this module\n",
				    f & ~XT_CLIPPER_FLAGS_ALL);
		return -EINVAL;
	}
	if (memchr_inv(info->reserved, 0, sizeof(info->reserved))) {
		pr_info_ratelimited("reserved fields are not zero: the iptables extension is newer than this module\n");
		return -EINVAL;
	}
	if (!(f & (XT_CLIPPER_CLASSIFY | XT_CLIPPER_CLAMP_MSS |
		   XT_CLIPPER_PMTU_GUARD | XT_CLIPPER_WS_COUNT))) {
		pr_info_ratelimited("needs at least one of --classify, --clamp-mss, --pmtu-guard, --ws-count\n");
		return -EINVAL;
	}

	if (f & XT_CLIPPER_CLASSIFY) {
		if (!info->mark_mask) {
			pr_info_ratelimited("--mark-mask must not be 0\n");
			return -EINVAL;
		}
		if (par->hook_mask & ~CLIPPER_MAC_HOOKS) {
			pr_info_ratelimited("--classify needs the source MAC: only in PREROUTING, INPUT and FORWARD\n");
			return -EINVAL;
		}
	} else if (info->mark_mask || (f & XT_CLIPPER_MARK_MASK)) {
		pr_info_ratelimited("--mark-mask needs --classify\n");
		return -EINVAL;
	}

	if (f & XT_CLIPPER_CLAMP_MSS) {
		if (info->clamp_mss == XT_CLIPPER_MSS_PMTU &&
		    par->hook_mask & ~CLIPPER_ROUTED_HOOKS) {
			pr_info_ratelimited("--clamp-mss pmtu needs the route: only in FORWARD, OUTPUT and POSTROUTING\n");
			return -EINVAL;
		}
		if (info->clamp_mss != XT_CLIPPER_MSS_PMTU &&
		    info->clamp_mss < XT_CLIPPER_MSS_MIN) {
			pr_info_ratelimited("--clamp-mss %u is below the minimum of %u\n",
					    info->clamp_mss, XT_CLIPPER_MSS_MIN);
			return -EINVAL;
		}
	} else if (info->clamp_mss) {
		pr_info_ratelimited("MSS value set without --clamp-mss\n");
		return -EINVAL;
	}

	if (f & XT_CLIPPER_PMTU_GUARD) {
		if (!info->pmtu_fix || (info->pmtu_fix & ~XT_CLIPPER_FIX_ALL)) {
			pr_info_ratelimited("--pmtu-fix must name some of icmp, df, mss\n");
			return -EINVAL;
		}
	} else if (info->pmtu_fix) {
		pr_info_ratelimited("--pmtu-fix needs --pmtu-guard\n");
		return -EINVAL;
	}
	return 0;
}

static void clipper_rules_account(struct net *net, u32 flags, int delta)
{
	struct clipper_net *cn = clipper_pernet(net);

	atomic_add(delta, &cn->rules[CLIPPER_RULE_TOTAL]);
	if (flags & XT_CLIPPER_CLASSIFY)
		atomic_add(delta, &cn->rules[CLIPPER_RULE_CLASSIFY]);
	if (flags & XT_CLIPPER_CLAMP_MSS)
		atomic_add(delta, &cn->rules[CLIPPER_RULE_CLAMP_MSS]);
	if (flags & XT_CLIPPER_PMTU_GUARD)
		atomic_add(delta, &cn->rules[CLIPPER_RULE_PMTU_GUARD]);
	if (flags & XT_CLIPPER_WS_COUNT)
		atomic_add(delta, &cn->rules[CLIPPER_RULE_WS_COUNT]);
}

static int clipper_tg_check(const struct xt_tgchk_param *par)
{
	const struct xt_clipper_tginfo *info = par->targinfo;
	struct clipper_net *cn = clipper_pernet(par->net);
	int ret;

	ret = clipper_tg_validate(par);
	if (ret)
		return ret;

	if (info->flags & XT_CLIPPER_CLASSIFY) {
		ret = clipper_classify_mask_get(cn, info->mark_mask);
		if (ret) {
			pr_info_ratelimited("at most %d different --mark-mask values in a namespace\n",
					    CLIPPER_MASKS_MAX);
			return -EINVAL;
		}
	}
	if (info->flags & (XT_CLIPPER_CLAMP_MSS | XT_CLIPPER_PMTU_GUARD)) {
		ret = clipper_pmtu_rule_get(cn, info);
		if (ret) {
			pr_info_ratelimited("cannot set up --clamp-mss / --pmtu-guard\n");
			goto err_mask;
		}
	}
	if (info->flags & CLIPPER_NEEDS_CT) {
		ret = nf_ct_netns_get(par->net, par->family);
		if (ret < 0) {
			pr_info_ratelimited("cannot load conntrack for family %u\n",
					    par->family);
			goto err_pmtu;
		}
		atomic_inc(&cn->ct_rules[par->family == NFPROTO_IPV6]);
	}
	if (info->flags & XT_CLIPPER_WS_COUNT)
		clipper_ws_rule_get(cn);
	/*
	 * --pmtu-guard sends ICMP from inside the rule traversal, as TEE
	 * sends its copies: the legacy tables then need their second jump
	 * stack, which they use while this key is on.
	 */
	if (info->flags & XT_CLIPPER_PMTU_GUARD)
		static_key_slow_inc(&xt_tee_enabled);
	clipper_rules_account(par->net, info->flags, 1);
	return 0;

err_pmtu:
	if (info->flags & (XT_CLIPPER_CLAMP_MSS | XT_CLIPPER_PMTU_GUARD))
		clipper_pmtu_rule_put(cn, info);
err_mask:
	if (info->flags & XT_CLIPPER_CLASSIFY)
		clipper_classify_mask_put(cn, info->mark_mask);
	return ret;
}

static void clipper_tg_destroy(const struct xt_tgdtor_param *par)
{
	const struct xt_clipper_tginfo *info = par->targinfo;

	clipper_rules_account(par->net, info->flags, -1);
	if (info->flags & XT_CLIPPER_PMTU_GUARD)
		static_key_slow_dec(&xt_tee_enabled);
	if (info->flags & XT_CLIPPER_CLASSIFY)
		clipper_classify_mask_put(clipper_pernet(par->net),
					  info->mark_mask);
	if (info->flags & (XT_CLIPPER_CLAMP_MSS | XT_CLIPPER_PMTU_GUARD))
		clipper_pmtu_rule_put(clipper_pernet(par->net), info);
	if (info->flags & CLIPPER_NEEDS_CT) {
		atomic_dec(&clipper_pernet(par->net)->ct_rules[par->family ==
							       NFPROTO_IPV6]);
		nf_ct_netns_put(par->net, par->family);
	}
}

static struct xt_target clipper_tg_reg[] __read_mostly = {
	{
		.name		= "CLIPPER",
		.revision	= 0,
		.family		= NFPROTO_IPV4,
		.target		= clipper_tg,
		.targetsize	= sizeof(struct xt_clipper_tginfo),
		.checkentry	= clipper_tg_check,
		.destroy	= clipper_tg_destroy,
		.me		= THIS_MODULE,
	},
#if IS_ENABLED(CONFIG_IP6_NF_IPTABLES)
	{
		.name		= "CLIPPER",
		.revision	= 0,
		.family		= NFPROTO_IPV6,
		.target		= clipper_tg,
		.targetsize	= sizeof(struct xt_clipper_tginfo),
		.checkentry	= clipper_tg_check,
		.destroy	= clipper_tg_destroy,
		.me		= THIS_MODULE,
	},
#endif
};

int clipper_target_init(void)
{
	return xt_register_targets(clipper_tg_reg, ARRAY_SIZE(clipper_tg_reg));
}

void clipper_target_exit(void)
{
	xt_unregister_targets(clipper_tg_reg, ARRAY_SIZE(clipper_tg_reg));
}

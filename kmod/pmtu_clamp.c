// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --clamp-mss.
 *
 * Lowers the MSS option of SYNs and SYN/ACKs to fit the route MTU (both
 * ways, as TCPMSS does), a path MTU learned in the path table
 * (pmtu_path.c), or a value; adds one where a SYN has none.  A SYN of a
 * --pmtu-guard rule is then guarded like any segment (pmtu_guard.c).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "pmtu_int.h"

/* the pure parts, also built by the unit tests */
#include "tcpmss.h"

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
	if (off >= 0 ? get_unaligned_be16(hdr + off + 2) <= mss :
		       mss >= absent || thlen >= CLIPPER_TCP_HLEN_MAX ||
		       iplen > 0xffff - TCPOLEN_MSS)
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

/*
 * A SYN (not RST): clamped, then guarded like any segment.  Out of the
 * target's entry (pmtu.c), so that a data segment's path keeps nothing
 * for it.
 */
void clipper_pmtu_syn(struct clipper_net *cn, struct sk_buff *skb,
		      const struct xt_action_param *par,
		      const struct xt_clipper_tginfo *info, unsigned int thoff,
		      const struct tcphdr *th)
{
	clipper_clamp_syn(cn, skb, par, info, thoff, th);
	if (!(info->flags & XT_CLIPPER_PMTU_GUARD))
		return;
	/* it may have moved the header (still in the linear part): again */
	th = (const struct tcphdr *)(skb->data + thoff);
	clipper_guard(cn, skb, par, info, thoff, th);
}

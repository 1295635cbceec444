/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: the Internet checksum helpers of <net/checksum.h> that the
 * pure-logic headers call, with the kernel's semantics on any host.
 *
 * A __wsum is a 32-bit one's complement sum of 16-bit words as loaded
 * from memory (host order: a one's complement sum commutes with byte
 * swapping, so the bytes come out right either way); a __sum16 is a
 * checksum field as it is in memory.  csum_fold() folds a sum to 16 bits
 * and complements it; the field of a packet whose checksum is complete
 * (CHECKSUM_NONE, _UNNECESSARY, _COMPLETE) holds the complemented sum of
 * pseudo-header and segment, and an update of it is RFC 1624's eqn. 3,
 * HC' = ~(~HC + ~m + m').  Under CHECKSUM_PARTIAL the field holds the
 * folded sum of the pseudo-header alone, not complemented, for the
 * device to finish: only pseudo-header changes touch it.  Under
 * CHECKSUM_COMPLETE a pseudo-header change updates skb->csum as well.
 */
#ifndef _SHIM_NET_CHECKSUM_H
#define _SHIM_NET_CHECKSUM_H

#include <linux/types.h>
#include <linux/skbuff.h>

static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u64 s = (u64)csum + addend;

	return (__wsum)(s + (s >> 32));		/* the carry goes around */
}

static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, ~addend);
}

static inline __sum16 csum_fold(__wsum csum)
{
	u32 s = csum;

	s = (s >> 16) + (s & 0xffff);
	s = (s >> 16) + (s & 0xffff);
	return (__sum16)~s;
}

static inline __wsum csum_unfold(__sum16 n)
{
	return (__wsum)n;
}

static inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	*sum = csum_fold(csum_add(csum_sub(~csum_unfold(*sum), from), to));
}

static inline void __shim_proto_csum_replace(__sum16 *sum,
					     struct sk_buff *skb,
					     __be32 from, __be32 to,
					     bool pseudohdr)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		if (pseudohdr)
			*sum = ~csum_fold(csum_add(csum_sub(csum_unfold(*sum),
							    from), to));
		return;
	}
	csum_replace4(sum, from, to);
	if (skb->ip_summed == CHECKSUM_COMPLETE && pseudohdr)
		skb->csum = ~csum_add(csum_sub(~skb->csum, from), to);
}

static inline void inet_proto_csum_replace4(__sum16 *sum, struct sk_buff *skb,
					    __be32 from, __be32 to,
					    bool pseudohdr)
{
	skb->csum_words += 2;
	__shim_proto_csum_replace(sum, skb, from, to, pseudohdr);
}

/* a 16-bit word: the same, the word widened to 32 bits */
static inline void inet_proto_csum_replace2(__sum16 *sum, struct sk_buff *skb,
					    __be16 from, __be16 to,
					    bool pseudohdr)
{
	skb->csum_words += 1;
	__shim_proto_csum_replace(sum, skb, (__be32)from, (__be32)to,
				  pseudohdr);
}

#endif /* _SHIM_NET_CHECKSUM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: the TCP MSS option of a SYN, pure logic on a raw TCP header.
 *
 * Used by the module and, unchanged, by the userspace unit tests
 * (kmod/tests/, whose shim headers supply the kernel helpers called here).
 * The packet is read and written through the unaligned helpers: no
 * alignment is assumed.
 *
 * The TCP checksum follows every change through the kernel's
 * inet_proto_csum_replace2() and inet_proto_csum_replace4(), given the
 * changed bytes as they are in memory (16 or 32 bits at an even offset
 * from th: the one's complement words of the checksum, even when the MSS
 * option itself starts at an odd offset) and, for the pseudo-header's
 * TCP length, its low 16 bits (the whole of IPv4's field, the low word of
 * IPv6's 32-bit one).  So CHECKSUM_PARTIAL and CHECKSUM_COMPLETE packets
 * come out right as well.
 */
#ifndef _CLIPPER_TCPMSS_H
#define _CLIPPER_TCPMSS_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <asm/byteorder.h>
#include <net/checksum.h>
#include <net/tcp.h>

#define CLIPPER_TCP_HLEN	20	/* the fixed header */
#define CLIPPER_TCP_HLEN_MAX	60	/* doff 15 */

/* the MSS a peer that sends no MSS option is assumed to use (RFC 9293) */
#define CLIPPER_MSS_ABSENT_V4	536
#define CLIPPER_MSS_ABSENT_V6	1220

/* clipper_mss_for_mtu() never goes below these MTUs: see there */
#define CLIPPER_MSS_MTU_FLOOR_V4	552
#define CLIPPER_MSS_MTU_FLOOR_V6	1280

/* negative results of clipper_tcp_mss_find() and clipper_tcp_mss_clamp() */
#define CLIPPER_MSS_NONE	(-1)	/* no MSS option */
#define CLIPPER_MSS_BAD		(-2)	/* malformed header or options */

struct clipper_mss_result {
	u16	old_mss;	/* the SYN's MSS option, 0: it had none */
	u16	new_mss;	/* its MSS option now, 0: still none */
	u8	added;		/* bytes added after th + tcplen: 0 or 4 */
	bool	changed;	/* an MSS option was lowered */
	bool	inserted;	/* an MSS option was added */
};

/*
 * The offset from th of the kind byte of the MSS option, among the options
 * between byte 20 and thlen (doff * 4; thlen bytes are readable, 20 <= thlen
 * <= 60).  CLIPPER_MSS_NONE when there is none before the end or an EOL;
 * CLIPPER_MSS_BAD when an option has no length byte, a length below 2, runs
 * past thlen, or is an MSS option of length other than 4, or when there are
 * two MSS options.  The whole list is checked, also after the MSS option.
 * Nothing past th + thlen is read.
 */
static inline int clipper_tcp_mss_find(const u8 *th, unsigned int thlen)
{
	unsigned int i = CLIPPER_TCP_HLEN, len;
	int found = CLIPPER_MSS_NONE;

	while (i < thlen) {
		u8 kind = th[i];

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= thlen)
			return CLIPPER_MSS_BAD;
		len = th[i + 1];
		if (len < 2 || len > thlen - i)
			return CLIPPER_MSS_BAD;
		if (kind == TCPOPT_MSS) {
			if (len != TCPOLEN_MSS || found >= 0)
				return CLIPPER_MSS_BAD;
			found = i;
		}
		i += len;
	}
	return found;
}

/*
 * The usual SYN's case, found without a walk: options (thlen bytes of
 * header, 20 <= thlen) that start with an MSS option of length 4.  Its
 * offset, CLIPPER_TCP_HLEN, or CLIPPER_MSS_NONE for anything else, which
 * clipper_tcp_mss_find() looks at.  As TCPMSS, the caller then reads and
 * checks nothing further: the option is lowered or left as it is, and a
 * bad option later in the list goes unseen.  So does a second MSS option:
 * a receiver that takes the last one (Linux does) then sends the SYN's
 * sender segments of the size that sender asked for, which hurts nobody
 * else.
 */
static inline int clipper_tcp_mss_first(const u8 *th, unsigned int thlen)
{
	if (thlen >= CLIPPER_TCP_HLEN + TCPOLEN_MSS &&
	    th[CLIPPER_TCP_HLEN] == TCPOPT_MSS &&
	    th[CLIPPER_TCP_HLEN + 1] == TCPOLEN_MSS)
		return CLIPPER_TCP_HLEN;
	return CLIPPER_MSS_NONE;
}

/*
 * Where --clamp-mss looks for a SYN's MSS option: clipper_tcp_mss_first(),
 * else clipper_tcp_mss_find() and its checks.  clipper_tcp_mss_find()'s
 * results, except for options that start with an MSS option: its offset,
 * whatever follows.
 */
static inline int clipper_tcp_mss_locate(const u8 *th, unsigned int thlen)
{
	int off = clipper_tcp_mss_first(th, thlen);

	return off < 0 ? clipper_tcp_mss_find(th, thlen) : off;
}

/*
 * clipper_tcp_mss_clamp() (below) for a caller that has checked the header
 * and found the option already: thlen is doff * 4 (20..tcplen), off what
 * clipper_tcp_mss_locate() or clipper_tcp_mss_find() returned (not
 * CLIPPER_MSS_BAD).  res must be zeroed.  Returns 0.
 */
static inline int clipper_tcp_mss_clamp_at(struct sk_buff *skb, u8 *th,
					   unsigned int tcplen,
					   unsigned int thlen, int off,
					   unsigned int room, u16 newmss,
					   u16 absent_mss,
					   struct clipper_mss_result *res)
{
	__sum16 *check = (__sum16 *)(th + 16);
	unsigned int w;
	__be16 oldflags;
	__be32 oldw;
	u16 old;

	if (off >= 0) {
		old = get_unaligned_be16(th + off + 2);
		res->old_mss = old;
		res->new_mss = old;
		if (!newmss || old <= newmss)
			return 0;
		/*
		 * The 4 bytes from the even offset at or just after the
		 * option hold its value: off..off+3, or off+1..off+4 when off
		 * is odd (then off + 4 < thlen, thlen being a multiple of 4).
		 */
		w = (off + 1) & ~1U;
		oldw = get_unaligned((__be32 *)(th + w));
		put_unaligned_be16(newmss, th + off + 2);
		inet_proto_csum_replace4(check, skb, oldw,
					 get_unaligned((__be32 *)(th + w)),
					 false);
		res->new_mss = newmss;
		res->changed = true;
		return 0;
	}

	if (!newmss || newmss >= absent_mss || thlen >= CLIPPER_TCP_HLEN_MAX ||
	    room < TCPOLEN_MSS || tcplen > U16_MAX - TCPOLEN_MSS)
		return 0;

	memmove(th + CLIPPER_TCP_HLEN + TCPOLEN_MSS,
		th + CLIPPER_TCP_HLEN, tcplen - CLIPPER_TCP_HLEN);
	th[CLIPPER_TCP_HLEN] = TCPOPT_MSS;
	th[CLIPPER_TCP_HLEN + 1] = TCPOLEN_MSS;
	put_unaligned_be16(newmss, th + CLIPPER_TCP_HLEN + 2);

	oldflags = get_unaligned((__be16 *)(th + 12));
	th[12] += 1 << 4;

	/* moved by an even count, the old words keep their sum */
	inet_proto_csum_replace2(check, skb, oldflags,
				 get_unaligned((__be16 *)(th + 12)), false);
	inet_proto_csum_replace4(check, skb, 0,
				 get_unaligned((__be32 *)(th + CLIPPER_TCP_HLEN)),
				 false);
	inet_proto_csum_replace2(check, skb, cpu_to_be16((u16)tcplen),
				 cpu_to_be16((u16)(tcplen + TCPOLEN_MSS)),
				 true);

	res->new_mss = newmss;
	res->added = TCPOLEN_MSS;
	res->inserted = true;
	return 0;
}

/*
 * Lower the MSS option of a SYN or SYN/ACK, or add one.
 *
 * th: the TCP header; tcplen: the TCP header and payload bytes present (a
 * SYN may carry TFO data); room: the writable bytes after th + tcplen.
 *
 * An MSS option above newmss is set to newmss; one at or below it is left
 * alone (never raised).  Without an option the peer is taken to use
 * absent_mss (CLIPPER_MSS_ABSENT_V4 or _V6); if newmss is below it, an
 * option of newmss is put right after the fixed header, the options and
 * payload moving 4 bytes on, when doff < 15, room >= 4 and the new TCP
 * length still fits 16 bits.  The caller then adds res->added to the IP
 * length (and the IPv4 header checksum).  newmss 0 does nothing.
 *
 * The TCP checksum follows (see the top of this file): for an insertion,
 * the doff word, the option's two words and the pseudo-header length.
 *
 * Returns 0, also when there was nothing to do, or CLIPPER_MSS_BAD when
 * doff * 4 is below 20 or above tcplen or the options are malformed; the
 * packet is then untouched.
 */
static inline int clipper_tcp_mss_clamp(struct sk_buff *skb, u8 *th,
					unsigned int tcplen,
					unsigned int room, u16 newmss,
					u16 absent_mss,
					struct clipper_mss_result *res)
{
	unsigned int thlen;
	int off;

	res->old_mss = 0;
	res->new_mss = 0;
	res->added = 0;
	res->changed = false;
	res->inserted = false;

	if (tcplen < CLIPPER_TCP_HLEN)
		return CLIPPER_MSS_BAD;
	thlen = (th[12] >> 4) * 4;
	if (thlen < CLIPPER_TCP_HLEN || thlen > tcplen)
		return CLIPPER_MSS_BAD;
	off = clipper_tcp_mss_find(th, thlen);
	if (off == CLIPPER_MSS_BAD)
		return CLIPPER_MSS_BAD;
	return clipper_tcp_mss_clamp_at(skb, th, tcplen, thlen, off, room,
					newmss, absent_mss, res);
}

/*
 * The MSS that fits an MTU: mtu - 40 (IPv4) or mtu - 60 (IPv6), the
 * headers without options.  The MTU is first raised to a floor, so that a
 * bogus or forged small MTU cannot make peers send tiny segments:
 * CLIPPER_MSS_MTU_FLOOR_V4, 552 (the kernel's default min_pmtu: MSS 512),
 * and CLIPPER_MSS_MTU_FLOOR_V6, 1280 (the IPv6 minimum MTU: MSS 1220).
 * The result is capped at 65535.
 */
static inline u16 clipper_mss_for_mtu(unsigned int mtu, bool ipv6)
{
	unsigned int lo = ipv6 ? CLIPPER_MSS_MTU_FLOOR_V6 :
				 CLIPPER_MSS_MTU_FLOOR_V4;
	unsigned int hdrs = ipv6 ? 60 : 40;

	mtu = max(mtu, lo);
	return min_t(unsigned int, mtu - hdrs, U16_MAX);
}

#endif /* _CLIPPER_TCPMSS_H */

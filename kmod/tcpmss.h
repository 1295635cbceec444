/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: the TCP MSS option of a SYN, pure logic on a raw TCP header.
 *
 * Used by the module and, unchanged, by the userspace unit tests
 * (kmod/tests/), which provide u8/u16/u32 and bool.  Only byte loads and
 * stores touch the packet: no alignment or host byte order is assumed.
 *
 * Checksum updates go through two macros the includer defines first:
 *
 *   CLIPPER_CSUM_REPLACE2(ctx, sum, from, to, pseudo)
 *   CLIPPER_CSUM_REPLACE4(ctx, sum, from, to, pseudo)
 *
 *   ctx     the void *ctx given to clipper_tcp_mss_clamp() (the skb).
 *   sum     u8 *: the 2-byte TCP checksum field (th + 16).
 *   from/to u16 (REPLACE2) or u32 (REPLACE4) holding the old and new
 *           contents of the changed bytes as host-order numbers read
 *           big-endian: bytes b0 b1 give (b0 << 8 | b1), bytes b0..b3
 *           give (b0 << 24 | b1 << 16 | b2 << 8 | b3).  Always the
 *           16-bit words at an even offset from th (REPLACE4: two such
 *           words), so a plain one's complement word update is right,
 *           even when the MSS option itself starts at an odd offset.
 *   pseudo  true for a change of the pseudo-header (the TCP length),
 *           false for bytes of the segment.  The TCP length is passed
 *           to REPLACE2 as its numeric value: it is the low 16-bit word
 *           of the IPv4 (16-bit) and IPv6 (32-bit) pseudo-header length.
 *
 * So the kernel maps them with htons()/htonl(), which give the __be16 /
 * __be32 whose memory bytes are the packet's, as inet_proto_csum_replace2/4
 * expect:
 *
 *   #define CLIPPER_CSUM_REPLACE2(ctx, sum, from, to, pseudo) \
 *	inet_proto_csum_replace2((__sum16 *)(sum), (ctx), htons(from), \
 *				 htons(to), (pseudo))
 *   #define CLIPPER_CSUM_REPLACE4(ctx, sum, from, to, pseudo) \
 *	inet_proto_csum_replace4((__sum16 *)(sum), (ctx), htonl(from), \
 *				 htonl(to), (pseudo))
 *
 * and a test applies RFC 1624 (HC' = ~(~HC + ~m + m')) to the big-endian
 * checksum field, 16 bits at a time.
 */
#ifndef _CLIPPER_TCPMSS_H
#define _CLIPPER_TCPMSS_H

#define CLIPPER_TCPOPT_EOL	0
#define CLIPPER_TCPOPT_NOP	1
#define CLIPPER_TCPOPT_MSS	2
#define CLIPPER_TCPOLEN_MSS	4

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

#ifndef CLIPPER_CSUM_REPLACE2
#error "define CLIPPER_CSUM_REPLACE2 and CLIPPER_CSUM_REPLACE4 first"
#endif
#ifndef CLIPPER_CSUM_REPLACE4
#error "define CLIPPER_CSUM_REPLACE2 and CLIPPER_CSUM_REPLACE4 first"
#endif

struct clipper_mss_result {
	u16	old_mss;	/* the SYN's MSS option, 0: it had none */
	u16	new_mss;	/* its MSS option now, 0: still none */
	u8	added;		/* bytes added after th + tcplen: 0 or 4 */
	bool	changed;	/* an MSS option was lowered */
	bool	inserted;	/* an MSS option was added */
};

static inline u16 clipper_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline u32 clipper_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void clipper_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

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

		if (kind == CLIPPER_TCPOPT_EOL)
			break;
		if (kind == CLIPPER_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= thlen)
			return CLIPPER_MSS_BAD;
		len = th[i + 1];
		if (len < 2 || len > thlen - i)
			return CLIPPER_MSS_BAD;
		if (kind == CLIPPER_TCPOPT_MSS) {
			if (len != CLIPPER_TCPOLEN_MSS || found >= 0)
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
	if (thlen >= CLIPPER_TCP_HLEN + CLIPPER_TCPOLEN_MSS &&
	    th[CLIPPER_TCP_HLEN] == CLIPPER_TCPOPT_MSS &&
	    th[CLIPPER_TCP_HLEN + 1] == CLIPPER_TCPOLEN_MSS)
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
static inline int clipper_tcp_mss_clamp_at(void *ctx, u8 *th,
					   unsigned int tcplen,
					   unsigned int thlen, int off,
					   unsigned int room, u16 newmss,
					   u16 absent_mss,
					   struct clipper_mss_result *res)
{
	unsigned int w;
	u32 oldw, neww;
	u16 old, newflags, oldflags;

	if (off >= 0) {
		old = clipper_get_be16(th + off + 2);
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
		oldw = clipper_get_be32(th + w);
		clipper_put_be16(th + off + 2, newmss);
		neww = clipper_get_be32(th + w);
		CLIPPER_CSUM_REPLACE4(ctx, th + 16, oldw, neww, false);
		res->new_mss = newmss;
		res->changed = true;
		return 0;
	}

	if (!newmss || newmss >= absent_mss || thlen >= CLIPPER_TCP_HLEN_MAX ||
	    room < CLIPPER_TCPOLEN_MSS ||
	    tcplen > 0xffff - CLIPPER_TCPOLEN_MSS)
		return 0;

	memmove(th + CLIPPER_TCP_HLEN + CLIPPER_TCPOLEN_MSS,
		th + CLIPPER_TCP_HLEN, tcplen - CLIPPER_TCP_HLEN);
	th[CLIPPER_TCP_HLEN] = CLIPPER_TCPOPT_MSS;
	th[CLIPPER_TCP_HLEN + 1] = CLIPPER_TCPOLEN_MSS;
	clipper_put_be16(th + CLIPPER_TCP_HLEN + 2, newmss);

	oldflags = clipper_get_be16(th + 12);
	th[12] += 1 << 4;
	newflags = clipper_get_be16(th + 12);

	/* moved by an even count, the old words keep their sum */
	CLIPPER_CSUM_REPLACE2(ctx, th + 16, oldflags, newflags, false);
	CLIPPER_CSUM_REPLACE4(ctx, th + 16, 0,
			      clipper_get_be32(th + CLIPPER_TCP_HLEN), false);
	CLIPPER_CSUM_REPLACE2(ctx, th + 16, (u16)tcplen,
			      (u16)(tcplen + CLIPPER_TCPOLEN_MSS), true);

	res->new_mss = newmss;
	res->added = CLIPPER_TCPOLEN_MSS;
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
 * The TCP checksum is updated through CLIPPER_CSUM_REPLACE2/4 (see the top
 * of this file): for an insertion, the doff word, the option's two words
 * and the pseudo-header length.
 *
 * Returns 0, also when there was nothing to do, or CLIPPER_MSS_BAD when
 * doff * 4 is below 20 or above tcplen or the options are malformed; the
 * packet is then untouched.
 */
static inline int clipper_tcp_mss_clamp(void *ctx, u8 *th, unsigned int tcplen,
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
	return clipper_tcp_mss_clamp_at(ctx, th, tcplen, thlen, off, room,
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

	if (mtu < lo)
		mtu = lo;
	if (mtu - hdrs > 0xffff)
		return 0xffff;
	return mtu - hdrs;
}

#endif /* _CLIPPER_TCPMSS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/tcpmss.h, the same code the module runs: the
 * MSS option search, the clamp (lower, never raise, insert), malformed
 * options, and the incremental checksum, checked against a checksum
 * computed from scratch over IPv4 and IPv6 pseudo-headers on random SYNs.
 *
 * Buffers are malloc'd to their exact size, so that AddressSanitizer (the
 * Makefile builds this with it when the compiler has it) catches a read or
 * write past the header or the room.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpmss.h"

/*
 * The checksum: the kernel's inet_proto_csum_replace2/4() (the shim's,
 * kmod/tests/shim/net/checksum.h).  The field holds the full checksum (as
 * after CHECKSUM_NONE / UNNECESSARY), updated for every change; or, under
 * CHECKSUM_PARTIAL, the folded pseudo-header sum, which only pseudo-header
 * changes touch.  Either way it is checked against one computed from
 * scratch.  skb.csum_words counts the 16-bit words of the changes made.
 */
static struct sk_buff skb_of(bool partial)
{
	return (struct sk_buff){
		.ip_summed = partial ? CHECKSUM_PARTIAL : CHECKSUM_NONE,
	};
}

#include "tap.h"

/* ---- the reference checksum ----------------------------------------------- */

struct addrs {
	bool	v6;
	u8	src[16];
	u8	dst[16];
};

static u32 sum_bytes(u32 s, const u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		s += (u32)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (u32)p[len - 1] << 8;
	return s;
}

static u16 fold(u32 s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)s;
}

static u32 sum_pseudo(const struct addrs *a, unsigned int tcplen)
{
	u8 ph[40];
	unsigned int alen = a->v6 ? 16 : 4, l;

	memcpy(ph, a->src, alen);
	memcpy(ph + alen, a->dst, alen);
	l = 2 * alen;
	if (a->v6) {
		ph[l++] = tcplen >> 24;
		ph[l++] = (tcplen >> 16) & 0xff;
		ph[l++] = (tcplen >> 8) & 0xff;
		ph[l++] = tcplen & 0xff;
		ph[l++] = 0;
		ph[l++] = 0;
		ph[l++] = 0;
		ph[l++] = 6;
	} else {
		ph[l++] = 0;
		ph[l++] = 6;
		ph[l++] = (tcplen >> 8) & 0xff;
		ph[l++] = tcplen & 0xff;
	}
	return sum_bytes(0, ph, l);
}

/* the full checksum of th[0..tcplen), its own field taken as 0 */
static u16 csum_full(const struct addrs *a, const u8 *th, unsigned int tcplen)
{
	u32 s = sum_pseudo(a, tcplen);

	s = sum_bytes(s, th, 16);
	s = sum_bytes(s, th + 18, tcplen - 18);
	return (u16)~fold(s);
}

static void csum_set(const struct addrs *a, u8 *th, unsigned int tcplen,
		     bool partial)
{
	u16 c = partial ? fold(sum_pseudo(a, tcplen)) : csum_full(a, th, tcplen);

	th[16] = c >> 8;
	th[17] = c & 0xff;
}

static bool csum_ok(const struct addrs *a, const u8 *th, unsigned int tcplen,
		    bool partial)
{
	u16 c = partial ? fold(sum_pseudo(a, tcplen)) : csum_full(a, th, tcplen);

	return th[16] == c >> 8 && th[17] == (c & 0xff);
}

/* ---- the reference option parser ------------------------------------------ */

/* written from RFC 9293 independently of tcpmss.h */
static int ref_find(const u8 *th, unsigned int thlen)
{
	int mss = -1;
	unsigned int i = 20;

	while (i < thlen) {
		if (th[i] == 0)
			return mss;
		if (th[i] == 1) {
			i++;
			continue;
		}
		if (thlen - i < 2 || th[i + 1] < 2 || th[i + 1] > thlen - i)
			return -2;
		if (th[i] == 2) {
			if (th[i + 1] != 4 || mss >= 0)
				return -2;
			mss = (int)i;
		}
		i += th[i + 1];
	}
	return mss;
}

/* ---- packets --------------------------------------------------------------- */

static void rnd_addrs(struct addrs *a, bool v6)
{
	a->v6 = v6;
	for (int i = 0; i < 16; i++) {
		a->src[i] = rand() & 0xff;
		a->dst[i] = rand() & 0xff;
	}
}

/*
 * A SYN in a buffer of exactly tcplen + room bytes: the fixed header, opts
 * (optlen, a multiple of 4), paylen payload bytes.
 */
static u8 *mk_syn(const u8 *opts, unsigned int optlen, const u8 *payload,
		  unsigned int paylen, unsigned int room)
{
	unsigned int tcplen = 20 + optlen + paylen;
	u8 *th = malloc(tcplen + room);

	if (!th)
		abort();
	for (unsigned int i = 0; i < 20; i++)
		th[i] = rand() & 0xff;
	th[12] = (u8)((5 + optlen / 4) << 4 | (th[12] & 0x0f));
	th[13] = 0x02 | (rand() & 1 ? 0x10 : 0);	/* SYN, maybe ACK */
	if (optlen)
		memcpy(th + 20, opts, optlen);
	if (paylen)
		memcpy(th + 20 + optlen, payload, paylen);
	for (unsigned int i = 0; i < room; i++)
		th[tcplen + i] = 0xee;
	return th;
}

static struct addrs a4 = { .v6 = false, .src = { 192, 0, 2, 1 },
			   .dst = { 198, 51, 100, 7 } };
static struct addrs a6 = { .v6 = true,
			   .src = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
			   .dst = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 } };

/* find on a copy in an exact buffer */
static int find_exact(const u8 *opts, unsigned int optlen)
{
	u8 *th = mk_syn(opts, optlen, NULL, 0, 0);
	int r = clipper_tcp_mss_find(th, 20 + optlen);

	free(th);
	return r;
}

/*
 * What clipper_clamp_syn() does with a SYN's header: the header's length
 * checked, clipper_tcp_mss_locate(), then the clamp.
 */
static int module_clamp(struct sk_buff *skb, u8 *th, unsigned int tcplen,
			unsigned int room, u16 newmss, u16 absent_mss,
			struct clipper_mss_result *res)
{
	unsigned int thlen = (th[12] >> 4) * 4;
	int off;

	memset(res, 0, sizeof(*res));
	if (thlen < 20 || thlen > tcplen)
		return CLIPPER_MSS_BAD;
	off = clipper_tcp_mss_locate(th, thlen);
	if (off == CLIPPER_MSS_BAD)
		return CLIPPER_MSS_BAD;
	return clipper_tcp_mss_clamp_at(skb, th, tcplen, thlen, off, room,
					newmss, absent_mss, res);
}

/*
 * The module's way with a copy of orig, against what
 * clipper_tcp_mss_clamp() made of it (th, r, res): the same wherever the
 * walk found the list sound; where it did not, a list that starts with an
 * MSS option has just that option lowered, checksum right, and any other
 * is left untouched.
 */
static bool module_same(const struct addrs *a, bool partial, const u8 *orig,
			unsigned int tcplen, unsigned int room, u16 newmss,
			int want, const u8 *th, int r,
			const struct clipper_mss_result *res)
{
	struct sk_buff skb = skb_of(partial);
	struct clipper_mss_result mres;
	u8 *mth = malloc(tcplen + room);
	bool same = true;
	int mr;
	u16 was, now;

	if (!mth)
		abort();
	memcpy(mth, orig, tcplen + room);
	mr = module_clamp(&skb, mth, tcplen, room, newmss,
			  a->v6 ? 1220 : 536, &mres);
	if (want != CLIPPER_MSS_BAD) {
		same = mr == r && !memcmp(mth, th, tcplen + room) &&
		       !memcmp(&mres, res, sizeof(mres));
	} else if (orig[20] == 2 && orig[21] == 4 && (orig[12] >> 4) >= 6 &&
		   (orig[12] >> 4) * 4 <= tcplen) {
		was = orig[22] << 8 | orig[23];
		now = mth[22] << 8 | mth[23];
		same = mr == 0 && now == (was > newmss ? newmss : was) &&
		       !mres.added && mres.changed == (was > newmss) &&
		       !memcmp(mth, orig, 16) &&
		       !memcmp(mth + 18, orig + 18, 4) &&
		       !memcmp(mth + 24, orig + 24, tcplen + room - 24) &&
		       csum_ok(a, mth, tcplen, partial);
	} else {
		same = mr == CLIPPER_MSS_BAD &&
		       !memcmp(mth, orig, tcplen + room);
	}
	free(mth);
	return same;
}

/*
 * Clamp a SYN with these options and payload; true when it returned want,
 * the checksum is right (both ways), and the result matches.
 */
struct clamp_case {
	const char	*name;
	const u8	*opts;
	unsigned int	optlen;
	unsigned int	paylen;
	unsigned int	room;
	u16		newmss;
	u16		absent;
	int		ret;
	u16		old_mss;	/* expected */
	u16		new_mss;
	u8		added;
	bool		changed;
};

static void clamp_one(const struct clamp_case *c)
{
	unsigned int tcplen = 20 + c->optlen + c->paylen;
	u8 payload[64], *th, *orig;
	bool good = true;

	for (unsigned int i = 0; i < c->paylen; i++)
		payload[i] = rand() & 0xff;
	for (int partial = 0; partial < 2; partial++) {
		const struct addrs *a = partial ? &a6 : &a4;
		struct sk_buff skb = skb_of(partial);
		struct clipper_mss_result res;
		int r, off;

		th = mk_syn(c->opts, c->optlen, payload, c->paylen, c->room);
		csum_set(a, th, tcplen, partial);
		orig = malloc(tcplen + c->room);
		memcpy(orig, th, tcplen + c->room);
		r = clipper_tcp_mss_clamp(&skb, th, tcplen, c->room, c->newmss,
					  c->absent, &res);
		if (r != c->ret)
			good = false;
		if (r < 0 || (!res.changed && !res.added)) {
			if (memcmp(th, orig, tcplen + c->room) || skb.csum_words)
				good = false;
		}
		if (r == 0 &&
		    (res.old_mss != c->old_mss || res.new_mss != c->new_mss ||
		     res.added != c->added || res.changed != c->changed ||
		     res.inserted != !!c->added ||
		     !csum_ok(a, th, tcplen + res.added, partial)))
			good = false;
		if (r == 0 && res.added) {
			/* the option first, then the old options and payload */
			if ((th[12] >> 4) != (orig[12] >> 4) + 1 ||
			    (th[12] & 0x0f) != (orig[12] & 0x0f) ||
			    th[20] != 2 || th[21] != 4 ||
			    (th[22] << 8 | th[23]) != c->newmss ||
			    memcmp(th + 24, orig + 20, tcplen - 20) ||
			    memcmp(th, orig, 12) || memcmp(th + 13, orig + 13, 3))
				good = false;
		}
		if (r == 0) {
			off = clipper_tcp_mss_find(th, (th[12] >> 4) * 4);
			if (c->new_mss ? off < 0 ||
			    (th[off + 2] << 8 | th[off + 3]) != c->new_mss :
			    off != -1)
				good = false;
		}
		free(orig);
		free(th);
	}
	ok(good, "clamp: %s", c->name);
}

/* ---- random SYNs ------------------------------------------------------------- */

/* random valid options, MSS at most once; returns the length (<= 40) */
static unsigned int rnd_opts(u8 *o, bool with_mss, u16 *mss)
{
	unsigned int l = 0, mss_at = with_mss ? rand() % 6 : 99, k;

	for (k = 0; k < 8; k++) {
		if (k == mss_at) {
			if (l + 4 > 40)
				break;
			*mss = rand() % 3 ? 536 + rand() % 9000 : rand() & 0xffff;
			o[l++] = 2;
			o[l++] = 4;
			o[l++] = *mss >> 8;
			o[l++] = *mss & 0xff;
			continue;
		}
		switch (rand() % 7) {
		case 0:
			if (l + 1 <= 40)
				o[l++] = 1;
			break;
		case 1:			/* SACK permitted */
			if (l + 2 <= 40) {
				o[l++] = 4;
				o[l++] = 2;
			}
			break;
		case 2:			/* timestamps */
			if (l + 10 <= 40) {
				o[l++] = 8;
				o[l++] = 10;
				for (int i = 0; i < 8; i++)
					o[l++] = rand() & 0xff;
			}
			break;
		case 3:			/* window scale */
			if (l + 3 <= 40) {
				o[l++] = 3;
				o[l++] = 3;
				o[l++] = rand() % 15;
			}
			break;
		case 4:			/* TFO cookie */
		case 5: {		/* something unknown */
			unsigned int len = 2 + rand() % 17;

			if (l + len <= 40) {
				o[l++] = rand() % 2 ? 34 : 200 + rand() % 50;
				o[l++] = len;
				for (unsigned int i = 2; i < len; i++)
					o[l++] = rand() & 0xff;
			}
			break;
		}
		default:
			break;
		}
	}
	/* pad with EOL (or NOPs) to a multiple of 4 */
	while (l % 4)
		o[l++] = rand() % 2 ? 0 : 1;
	return l;
}

static bool random_syns(int rounds, bool v6)
{
	bool good = true;

	for (int round = 0; round < rounds; round++) {
		struct addrs a;
		bool partial = rand() % 4 == 0;
		struct sk_buff skb = skb_of(partial);
		struct clipper_mss_result res;
		u8 opts[40], payload[200], *th, *orig;
		u16 mss = 0, newmss, absent = v6 ? 1220 : 536;
		bool with_mss = rand() % 3 != 0;
		unsigned int optlen, paylen, room, tcplen, thlen;
		int r;

		rnd_addrs(&a, v6);
		optlen = rnd_opts(opts, with_mss, &mss);
		paylen = rand() % 3 ? 0 : rand() % 200;
		for (unsigned int i = 0; i < paylen; i++)
			payload[i] = rand() & 0xff;
		room = rand() % 3 ? 4 + rand() % 4 : rand() % 4;
		newmss = rand() % 2 ? 300 + rand() % 1400 : rand() & 0xffff;
		th = mk_syn(opts, optlen, payload, paylen, room);
		tcplen = 20 + optlen + paylen;
		thlen = 20 + optlen;
		csum_set(&a, th, tcplen, partial);
		orig = malloc(tcplen + room);
		memcpy(orig, th, tcplen + room);

		r = clipper_tcp_mss_clamp(&skb, th, tcplen, room, newmss,
					  absent, &res);
		mss = 0;
		if (ref_find(orig, thlen) >= 0)
			mss = orig[ref_find(orig, thlen) + 2] << 8 |
			      orig[ref_find(orig, thlen) + 3];
		if (r != 0 || res.old_mss != mss)
			good = false;
		if (!csum_ok(&a, th, tcplen + res.added, partial))
			good = false;
		if (mss) {
			u16 want = mss > newmss && newmss ? newmss : mss;
			int off = ref_find(orig, thlen);

			if (res.added || res.new_mss != want ||
			    res.changed != (want != mss) ||
			    (th[off + 2] << 8 | th[off + 3]) != want ||
			    memcmp(th, orig, 16) ||
			    memcmp(th + 18, orig + 18, off + 2 - 18) ||
			    memcmp(th + off + 4, orig + off + 4,
				   tcplen + room - off - 4))
				good = false;
		} else {
			bool ins = newmss && newmss < absent && thlen < 60 &&
				   room >= 4;

			if (res.inserted != ins || res.added != (ins ? 4 : 0) ||
			    res.new_mss != (ins ? newmss : 0) || res.changed)
				good = false;
			if (ins && (memcmp(th + 24, orig + 20, tcplen - 20) ||
				    th[20] != 2 || th[21] != 4 ||
				    (th[22] << 8 | th[23]) != newmss ||
				    th[12] != orig[12] + 0x10))
				good = false;
			if (!ins && memcmp(th, orig, tcplen + room))
				good = false;
		}
		free(orig);
		free(th);
	}
	return good;
}

/*
 * random option bytes: -2 and untouched, or 0 and a valid packet; and the
 * module's way (module_same()).  With mss_first, every list starts with
 * an MSS option, the module's shortcut.
 */
static bool fuzz(int rounds, bool mss_first, int *bad, int *fine)
{
	bool good = true;

	for (int round = 0; round < rounds; round++) {
		struct addrs a;
		bool partial = rand() % 4 == 0;
		struct sk_buff skb = skb_of(partial);
		struct clipper_mss_result res = {};
		unsigned int optlen = mss_first ? 4 * (1 + rand() % 10) :
						  4 * (rand() % 11);
		unsigned int room = rand() % 8;
		unsigned int paylen = rand() % 4 ? 0 : rand() % 30;
		unsigned int tcplen = 20 + optlen + paylen;
		u16 newmss = 200 + rand() % 1400;
		u8 opts[40], payload[30], *th, *orig;
		int r, want, f;

		rnd_addrs(&a, rand() & 1);
		for (unsigned int i = 0; i < optlen; i++)
			opts[i] = rand() % 3 ? rand() % 6 : rand() & 0xff;
		if (mss_first) {
			opts[0] = TCPOPT_MSS;
			opts[1] = TCPOLEN_MSS;
		}
		for (unsigned int i = 0; i < paylen; i++)
			payload[i] = rand() & 0xff;
		th = mk_syn(opts, optlen, payload, paylen, room);
		csum_set(&a, th, tcplen, partial);
		orig = malloc(tcplen + room);
		memcpy(orig, th, tcplen + room);
		want = ref_find(orig, 20 + optlen);

		f = find_exact(opts, optlen);
		if (f != want)
			good = false;
		r = clipper_tcp_mss_clamp(&skb, th, tcplen, room, newmss,
					  a.v6 ? 1220 : 536, &res);
		/* the module's shortcut for an MSS option first */
		if (!module_same(&a, partial, orig, tcplen, room, newmss,
				 want, th, r, &res)) {
			if (good)
				printf("# fuzz round %d: the module's way differs (want %d)\n",
				       round, want);
			good = false;
		}
		if (r == -2) {
			(*bad)++;
			if (want != -2 || memcmp(th, orig, tcplen + room))
				good = false;
		} else {
			unsigned int l = tcplen + res.added;
			int off = clipper_tcp_mss_find(th, (th[12] >> 4) * 4);
			u16 was = want >= 0 ? orig[want + 2] << 8 | orig[want + 3] : 0;
			u16 now = off >= 0 ? th[off + 2] << 8 | th[off + 3] : 0;

			(*fine)++;
			if (r != 0 || want == -2 ||
			    !csum_ok(&a, th, l, partial) ||
			    res.old_mss != was || res.new_mss != now ||
			    (want >= 0 && (off != want ||
					   now != (was > newmss ? newmss : was))) ||
			    (want < 0 && (off >= 0) != !!res.added) ||
			    (res.added && (off != 20 || now != newmss))) {
				if (good)
					printf("# fuzz round %d: r %d want %d off %d was %u now %u res %u/%u/%u\n",
					       round, r, want, off, was, now,
					       res.old_mss, res.new_mss, res.added);
				good = false;
			}
		}
		free(orig);
		free(th);
	}
	return good;
}

int main(void)
{
	static const u8 o_first[] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
				      1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7 };
	static const u8 o_nops[] = { 1, 1, 1, 2, 4, 0x05, 0xb4, 0 };
	static const u8 o_nop1[] = { 1, 2, 4, 0x05, 0xb4, 1, 1, 0 };
	static const u8 o_after[] = { 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				      1, 3, 3, 7, 2, 4, 0x05, 0xb4 };
	static const u8 o_last[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				     1, 1, 4, 2, 1, 3, 3, 7, 1, 1, 1, 1,
				     2, 4, 0x23, 0x28 };
	static const u8 o_none[] = { 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				     1, 3, 3, 7 };
	static const u8 o_eol[] = { 1, 0, 0, 0, 2, 4, 0x05, 0xb4 };
	static const u8 o_full[] = { 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				     8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				     8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
				     8, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 o_len0[] = { 1, 1, 3, 0, 2, 4, 0x05, 0xb4 };
	static const u8 o_len1[] = { 2, 4, 0x05, 0xb4, 3, 1, 7, 0 };
	static const u8 o_past[] = { 2, 4, 0x05, 0xb4, 1, 1, 8, 10 };
	static const u8 o_past2[] = { 1, 1, 1, 1, 1, 34, 4, 0 };
	static const u8 o_mss3[] = { 2, 3, 0x05, 1, 1, 1, 1, 1 };
	static const u8 o_mss5[] = { 2, 5, 0x05, 0xb4, 0, 0, 0, 0 };
	static const u8 o_mss_end[] = { 1, 1, 1, 1, 1, 1, 2, 4 };
	static const u8 o_kind_end[] = { 2, 4, 0x05, 0xb4, 1, 1, 1, 3 };
	static const u8 o_dup[] = { 2, 4, 0x05, 0xb4, 2, 4, 0x05, 0x78 };
	struct clamp_case cases[] = {
		{ "MSS first, lowered 1460 -> 1400", o_first, sizeof(o_first),
		  0, 0, 1400, 536, 0, 1460, 1400, 0, true },
		{ "MSS after NOPs (odd offset), lowered", o_nops,
		  sizeof(o_nops), 0, 0, 1380, 536, 0, 1460, 1380, 0, true },
		{ "MSS after one NOP (odd offset), lowered", o_nop1,
		  sizeof(o_nop1), 7, 0, 1000, 536, 0, 1460, 1000, 0, true },
		{ "MSS after SACK-perm, timestamps, wscale, lowered", o_after,
		  sizeof(o_after), 0, 0, 1200, 1220, 0, 1460, 1200, 0, true },
		{ "MSS last (8920 -> 1452)", o_last, sizeof(o_last), 0, 0,
		  1452, 1220, 0, 9000, 1452, 0, true },
		{ "never raised (1460, newmss 8000)", o_first, sizeof(o_first),
		  0, 4, 8000, 536, 0, 1460, 1460, 0, false },
		{ "left alone when equal", o_nops, sizeof(o_nops), 0, 4, 1460,
		  536, 0, 1460, 1460, 0, false },
		{ "newmss 0 does nothing", o_first, sizeof(o_first), 0, 4, 0,
		  536, 0, 1460, 1460, 0, false },
		{ "TFO SYN with an MSS: payload intact", o_after,
		  sizeof(o_after), 37, 4, 1300, 1220, 0, 1460, 1300, 0, true },
		{ "no MSS: inserted (IPv4, 500 < 536)", o_none, sizeof(o_none),
		  0, 4, 500, 536, 0, 0, 500, 4, false },
		{ "no MSS: inserted (IPv6, 1200 < 1220)", o_none,
		  sizeof(o_none), 0, 4, 1200, 1220, 0, 0, 1200, 4, false },
		{ "no options at all: inserted", NULL, 0, 0, 4, 500, 536, 0, 0,
		  500, 4, false },
		{ "no MSS, TFO payload of 33 moved intact", o_none,
		  sizeof(o_none), 33, 5, 1000, 1220, 0, 0, 1000, 4, false },
		{ "no MSS, odd TFO payload, no options", NULL, 0, 1, 4, 1000,
		  1220, 0, 0, 1000, 4, false },
		{ "MSS after EOL ignored, one inserted", o_eol, sizeof(o_eol),
		  0, 4, 400, 536, 0, 0, 400, 4, false },
		{ "no MSS, newmss = absent: not inserted", o_none,
		  sizeof(o_none), 0, 4, 536, 536, 0, 0, 0, 0, false },
		{ "no MSS, newmss > absent: not inserted", o_none,
		  sizeof(o_none), 0, 4, 1400, 1220, 0, 0, 0, 0, false },
		{ "no MSS, doff 15: not inserted", o_full, sizeof(o_full), 0,
		  4, 500, 536, 0, 0, 0, 0, false },
		{ "no MSS, room 3: not inserted", o_none, sizeof(o_none), 0,
		  3, 500, 536, 0, 0, 0, 0, false },
		{ "no MSS, room 0, TFO: not inserted", o_none, sizeof(o_none),
		  10, 0, 500, 536, 0, 0, 0, 0, false },
		{ "malformed: length 0", o_len0, sizeof(o_len0), 0, 4, 500,
		  536, -2, 0, 0, 0, false },
		{ "malformed: length 1 after the MSS", o_len1, sizeof(o_len1),
		  0, 4, 500, 536, -2, 0, 0, 0, false },
		{ "malformed: timestamps past the header", o_past,
		  sizeof(o_past), 0, 4, 500, 536, -2, 0, 0, 0, false },
		{ "malformed: option past the header, payload after", o_past2,
		  sizeof(o_past2), 20, 4, 500, 536, -2, 0, 0, 0, false },
		{ "malformed: MSS length 3", o_mss3, sizeof(o_mss3), 0, 4, 500,
		  536, -2, 0, 0, 0, false },
		{ "malformed: MSS length 5", o_mss5, sizeof(o_mss5), 0, 4, 500,
		  536, -2, 0, 0, 0, false },
		{ "malformed: MSS cut by the end of the header", o_mss_end,
		  sizeof(o_mss_end), 4, 4, 500, 536, -2, 0, 0, 0, false },
		{ "malformed: a kind with no length byte at the end",
		  o_kind_end, sizeof(o_kind_end), 0, 4, 500, 536, -2, 0, 0, 0,
		  false },
		{ "malformed: two MSS options", o_dup, sizeof(o_dup), 0, 4,
		  500, 536, -2, 0, 0, 0, false },
	};
	int bad = 0, fine = 0, first_bad = 0, first_fine = 0;
	bool good;

	srand(1);

	/* the search */
	ok(find_exact(o_first, sizeof(o_first)) == 20, "find: MSS first at 20");
	ok(find_exact(o_nops, sizeof(o_nops)) == 23, "find: MSS after 3 NOPs at 23");
	ok(find_exact(o_after, sizeof(o_after)) == 36,
	   "find: MSS after SACK-perm, timestamps, NOP, wscale at 36");
	ok(find_exact(o_last, sizeof(o_last)) == 44, "find: MSS last at 44");
	ok(find_exact(o_none, sizeof(o_none)) == -1, "find: no MSS option: -1");
	ok(find_exact(NULL, 0) == -1, "find: no options: -1");
	ok(find_exact(o_eol, sizeof(o_eol)) == -1, "find: EOL ends the walk: -1");
	ok(find_exact(o_full, sizeof(o_full)) == -1, "find: 40 bytes, no MSS: -1");
	ok(find_exact(o_len0, sizeof(o_len0)) == -2, "find: length 0: -2");
	ok(find_exact(o_len1, sizeof(o_len1)) == -2, "find: length 1 (after MSS): -2");
	ok(find_exact(o_past, sizeof(o_past)) == -2, "find: option past thlen: -2");
	ok(find_exact(o_mss3, sizeof(o_mss3)) == -2, "find: MSS length 3: -2");
	ok(find_exact(o_mss5, sizeof(o_mss5)) == -2, "find: MSS length 5: -2");
	ok(find_exact(o_mss_end, sizeof(o_mss_end)) == -2,
	   "find: MSS cut at thlen: -2");
	ok(find_exact(o_kind_end, sizeof(o_kind_end)) == -2,
	   "find: kind as the last byte, no length: -2");
	ok(find_exact(o_dup, sizeof(o_dup)) == -2, "find: two MSS options: -2");

	/* the shortcut for the usual SYN: an MSS option first */
	{
		u8 *th = mk_syn(o_first, sizeof(o_first), NULL, 0, 0);
		u8 *tn = mk_syn(o_nops, sizeof(o_nops), NULL, 0, 0);
		u8 *t5 = mk_syn(o_mss5, sizeof(o_mss5), NULL, 0, 0);
		unsigned int l = 20 + sizeof(o_first);

		ok(clipper_tcp_mss_first(th, l) == 20,
		   "first: MSS 1460 first is at 20");
		ok(clipper_tcp_mss_first(th, 23) == -1 &&
		   clipper_tcp_mss_first(th, 20) == -1,
		   "first: not when the option would pass thlen");
		ok(clipper_tcp_mss_first(tn, 20 + sizeof(o_nops)) == -1 &&
		   clipper_tcp_mss_first(t5, 20 + sizeof(o_mss5)) == -1,
		   "first: not after NOPs, not with length 5");
		free(th);
		free(tn);
		free(t5);
	}

	/*
	 * The module's way with a list that starts with an MSS option and
	 * goes wrong later: the option lowered, the rest unread, as TCPMSS.
	 */
	{
		static const struct {
			const u8	*opts;
			unsigned int	len;
		} later[] = {
			{ o_len1, sizeof(o_len1) },
			{ o_past, sizeof(o_past) },
			{ o_kind_end, sizeof(o_kind_end) },
			{ o_dup, sizeof(o_dup) },
		};
		bool lowered = true, kept = true;

		for (unsigned int i = 0; i < sizeof(later) / sizeof(later[0]); i++) {
			struct sk_buff skb = skb_of(false);
			struct clipper_mss_result res;
			unsigned int l = 20 + later[i].len;
			u8 *th = mk_syn(later[i].opts, later[i].len, NULL, 0, 0);
			u8 *orig = malloc(l);

			if (!orig)
				abort();
			csum_set(&a4, th, l, false);
			memcpy(orig, th, l);
			if (find_exact(later[i].opts, later[i].len) != -2 ||
			    module_clamp(&skb, th, l, 0, 1400, 536, &res) ||
			    !res.changed || res.old_mss != 1460 ||
			    res.new_mss != 1400 || th[22] != 0x05 ||
			    th[23] != 0x78 || memcmp(th + 24, orig + 24, l - 24) ||
			    !csum_ok(&a4, th, l, false))
				lowered = false;
			memcpy(th, orig, l);
			if (module_clamp(&skb, th, l, 0, 1460, 536, &res) ||
			    res.changed || memcmp(th, orig, l))
				kept = false;
			free(orig);
			free(th);
		}
		ok(lowered, "module: MSS first then a bad option or a second MSS: the first lowered, the rest as it was");
		ok(kept, "module: ... and left alone when low enough");
	}

	/* random lists that start with an MSS option: the module's way */
	good = fuzz(20000, true, &first_bad, &first_fine);
	ok(good && first_bad > 1000 && first_fine > 1000,
	   "module: 20000 random lists with an MSS option first, %d of them bad later: the walk's result where sound, the first lowered where not",
	   first_bad);

	/* every one-option layout of a 4..40 byte list: the MSS anywhere */
	{
		good = true;

		for (unsigned int optlen = 4; optlen <= 40; optlen += 4)
			for (unsigned int at = 0; at + 4 <= optlen; at++) {
				u8 o[40];

				memset(o, 1, sizeof(o));
				o[at] = 2;
				o[at + 1] = 4;
				o[at + 2] = 0x05;
				o[at + 3] = 0xb4;
				if (find_exact(o, optlen) != (int)(20 + at))
					good = false;
			}
		ok(good, "find: an MSS among NOPs at every offset (4..40 bytes)");
	}

	/* the clamp */
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		clamp_one(&cases[i]);

	/* every offset of the MSS, both parities: the checksum word split */
	{
		good = true;

		for (unsigned int optlen = 4; optlen <= 40; optlen += 4)
			for (unsigned int at = 0; at + 4 <= optlen; at++) {
				u8 o[40], *th;
				struct sk_buff skb = skb_of(false);
				struct clipper_mss_result res;
				unsigned int tcplen = 20 + optlen + at % 3;

				memset(o, 1, sizeof(o));
				o[at] = 2;
				o[at + 1] = 4;
				o[at + 2] = rand() & 0xff;
				o[at + 3] = rand() & 0xff;
				o[at + 2] |= 0x80;
				th = mk_syn(o, optlen, (const u8 *)"xyz", at % 3, 0);
				csum_set(&a4, th, tcplen, false);
				if (clipper_tcp_mss_clamp(&skb, th, tcplen, 0,
							  1000 + at, 536, &res) ||
				    !res.changed || res.new_mss != 1000 + at ||
				    !csum_ok(&a4, th, tcplen, false))
					good = false;
				free(th);
			}
		ok(good, "clamp: the checksum is right for an MSS at every offset");
	}

	/* the header checks */
	{
		struct sk_buff skb = skb_of(false);
		struct clipper_mss_result res;
		u8 *th = mk_syn(o_first, sizeof(o_first), NULL, 0, 4), *orig;
		unsigned int tcplen = 20 + sizeof(o_first);
		good = true;

		orig = malloc(tcplen + 4);
		memcpy(orig, th, tcplen + 4);
		th[12] = 4 << 4;
		orig[12] = th[12];
		good = clipper_tcp_mss_clamp(&skb, th, tcplen, 4, 1000, 536,
					     &res) == -2 &&
		       !memcmp(th, orig, tcplen + 4);
		ok(good, "clamp: doff 4 is refused, untouched");
		th[12] = 11 << 4;	/* 44 > 40 bytes present */
		orig[12] = th[12];
		good = clipper_tcp_mss_clamp(&skb, th, tcplen, 4, 1000, 536,
					     &res) == -2 &&
		       !memcmp(th, orig, tcplen + 4);
		ok(good, "clamp: doff * 4 past tcplen is refused, untouched");
		ok(clipper_tcp_mss_clamp(&skb, th, 19, 4, 1000, 536, &res) == -2,
		   "clamp: tcplen 19 is refused");
		ok(skb.csum_words == 0, "clamp: no checksum update on a refusal");
		free(orig);
		free(th);
	}

	/* an insertion must leave the TCP length within 16 bits */
	{
		struct sk_buff skb = skb_of(false);
		struct clipper_mss_result res;
		static u8 big[65535 - 20];
		u8 *th;

		th = mk_syn(NULL, 0, big, 65531 - 20, 4);
		csum_set(&a4, th, 65531, false);
		ok(!clipper_tcp_mss_clamp(&skb, th, 65531, 4, 500, 536, &res) &&
		   res.added == 4 && csum_ok(&a4, th, 65535, false),
		   "clamp: inserted when the TCP length becomes 65535");
		free(th);
		th = mk_syn(NULL, 0, big, 65532 - 20, 4);
		ok(!clipper_tcp_mss_clamp(&skb, th, 65532, 4, 500, 536, &res) &&
		   !res.added && skb.csum_words == 4,
		   "clamp: not inserted when it would pass 65535");
		free(th);
	}

	/* random SYNs, the checksum from scratch */
	ok(random_syns(5000, false),
	   "clamp: 5000 random IPv4 SYNs: result and checksum from scratch");
	ok(random_syns(5000, true),
	   "clamp: 5000 random IPv6 SYNs: result and checksum from scratch");
	good = fuzz(20000, false, &bad, &fine);
	ok(good && bad > 1000 && fine > 1000,
	   "fuzz: 20000 random option bytes, %d refused untouched, %d valid",
	   bad, fine);

	/* the MSS of an MTU */
	ok(clipper_mss_for_mtu(1500, false) == 1460, "mss_for_mtu: 1500 IPv4 -> 1460");
	ok(clipper_mss_for_mtu(1500, true) == 1440, "mss_for_mtu: 1500 IPv6 -> 1440");
	ok(clipper_mss_for_mtu(1492, false) == 1452, "mss_for_mtu: 1492 IPv4 -> 1452");
	ok(clipper_mss_for_mtu(1280, true) == 1220, "mss_for_mtu: 1280 IPv6 -> 1220");
	ok(clipper_mss_for_mtu(1000, true) == 1220,
	   "mss_for_mtu: IPv6 below 1280 is floored: 1220");
	ok(clipper_mss_for_mtu(576, false) == 536, "mss_for_mtu: 576 IPv4 -> 536");
	ok(clipper_mss_for_mtu(300, false) == 512 &&
	   clipper_mss_for_mtu(0, false) == 512 &&
	   clipper_mss_for_mtu(68, false) == 512,
	   "mss_for_mtu: IPv4 below 552 is floored: 512");
	ok(clipper_mss_for_mtu(9000, false) == 8960, "mss_for_mtu: 9000 IPv4 -> 8960");
	ok(clipper_mss_for_mtu(65536, false) == 65496 &&
	   clipper_mss_for_mtu(65575, false) == 65535 &&
	   clipper_mss_for_mtu(0xffffffffU, true) == 65535,
	   "mss_for_mtu: capped at 65535");

	return tap_done();
}

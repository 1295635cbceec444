// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/wsparse.h, the WebSocket frame counter.
 *
 * Input: an 8-byte control header, then the bytes of both directions:
 *
 *   0..3  seed (LE) for the split points and the initial sequence numbers
 *   4..5  L1 (LE): bytes the client sends first (the request)
 *   6..7  L2 (LE): bytes the server sends (response and frames)
 *   8..   L1 client bytes, L2 server bytes, then the client's frames
 *
 * L1 and L2 are clipped to what there is.  The three parts are fed in
 * that order, as one segment each, then cut at random points, then with
 * retransmitted and overlapping segments, then with one hole delivered
 * late.  The cut and retransmitted runs must end in exactly the state of
 * the one-segment run; the run with a hole must too, unless it flagged a
 * desync (or gave up the handshake).  Any violation, or a get() out of
 * range, traps.  Segments of odd length try clipper_ws_feed_skip(), the
 * module's shortcut, before clipper_ws_feed(); segments have a linear
 * part of varying length (src.data).  Seeds: "./test_ws --corpus
 * corpus/ws".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wsparse.h"
#include "ws_same.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct seg {
	const u8 *base;
	unsigned int len;
};

static const u8 *seg_get(void *ctx, unsigned int off, unsigned int len,
			 u8 *buf)
{
	struct seg *s = ctx;

	if (!len || off >= s->len || len > s->len - off)
		__builtin_trap();
	/* answer both ways skb_header_pointer() does */
	if ((off ^ len) & 1) {
		memcpy(buf, s->base + off, len);
		return buf;
	}
	return s->base + off;
}

struct input {
	const u8 *c2s, *s2c;
	unsigned int c2s_len, part1, s2c_len;
	u32 isn_c, isn_s;
};

static void feed(struct clipper_ws_flow *f, const struct input *in, bool c2s,
		 unsigned int a, unsigned int b)
{
	struct seg sg = { .base = (c2s ? in->c2s : in->s2c) + a, .len = b - a };
	struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c, was = *d;
	u64 tot[CLIPPER_WS_NCLASS + 2] = { 0 };
	struct clipper_ws_src src = {
		.get = seg_get, .ctx = &sg, .len = b - a, .tot = tot,
	};
	u32 seq = (c2s ? in->isn_c : in->isn_s) + a;
	unsigned int used;

	/* a linear part (read without get()) of some length */
	src.nlinear = (a * 7 + b) % (b - a + 1);
	src.data = sg.base;

	/* half the segments try the module's shortcuts first */
	if ((a ^ b) & 1) {
		if (clipper_ws_feed_skip(f, c2s, seq, b - a)) {
			tot[CLIPPER_WS_T_PAYLOAD] += b - a;
			goto out;
		}
		used = clipper_ws_feed_frames(f, c2s, seq, src.data,
					      src.nlinear, tot);
		sg.base += used;
		sg.len -= used;
		src.len -= used;
		src.nlinear -= used;
		src.data += used;
		seq += used;
		if (!src.len)
			goto out;
	}
	clipper_ws_feed(f, c2s, seq, &src);
out:
	/* what the counters gained went to the totals too */
	if (!tot_same(&was, d, tot))
		__builtin_trap();
}

static u32 rs;

static u32 rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

/* the parts, in feeding order */
static void part(const struct input *in, int p, bool *c2s, unsigned int *lo,
		 unsigned int *hi)
{
	*c2s = p != 1;
	*lo = p == 2 ? in->part1 : 0;
	*hi = p == 0 ? in->part1 : p == 1 ? in->s2c_len : in->c2s_len;
}

/* a segment size: byte by byte, small, or MSS-like */
static unsigned int seg_size(u32 mode)
{
	switch (mode % 3) {
	case 0:
		return 1 + rnd() % 3;
	case 1:
		return 1 + rnd() % 64;
	}
	return 1 + rnd() % 1500;
}

static void run_split(struct clipper_ws_flow *f, const struct input *in)
{
	u32 mode = rnd();
	unsigned int lo, hi, b;
	bool c2s;
	int p;

	memset(f, 0, sizeof(*f));
	for (p = 0; p < 3; p++) {
		part(in, p, &c2s, &lo, &hi);
		while (lo < hi) {
			b = lo + seg_size(mode);
			if (b > hi)
				b = hi;
			feed(f, in, c2s, lo, b);
			lo = b;
			mode = rnd() % 8 ? mode : rnd();
		}
	}
}

static void run_retrans(struct clipper_ws_flow *f, const struct input *in)
{
	unsigned int lo, hi, pos, a, b;
	bool c2s;
	int p;

	memset(f, 0, sizeof(*f));
	for (p = 0; p < 3; p++) {
		part(in, p, &c2s, &lo, &hi);
		pos = lo;
		while (pos < hi) {
			a = pos ? pos - rnd() % (pos < 64 ? pos + 1 : 64) : 0;
			b = pos + seg_size(rnd());
			if (b > hi)
				b = hi;
			feed(f, in, c2s, a, b);
			if (rnd() % 4 == 0) {
				a = rnd() % b;
				feed(f, in, c2s, a, a + 1 + rnd() % (b - a));
			}
			pos = b;
		}
	}
}

/* one hole [a, b) in part hp, delivered after the rest of that part */
static void run_hole(struct clipper_ws_flow *f, const struct input *in,
		     int *hp)
{
	unsigned int lo, hi, a = 0, b = 0;
	bool c2s;
	int p;

	*hp = rnd() % 3;
	memset(f, 0, sizeof(*f));
	for (p = 0; p < 3; p++) {
		part(in, p, &c2s, &lo, &hi);
		if (p != *hp || hi - lo < 3) {
			if (lo < hi)
				feed(f, in, c2s, lo, hi);
			continue;
		}
		a = lo + 1 + rnd() % (hi - lo - 2);
		b = a + 1 + rnd() % (hi - a - 1);
		feed(f, in, c2s, lo, a);
		feed(f, in, c2s, b, hi);
		feed(f, in, c2s, a, b);
	}
}


/* a stopped direction never counts again */
static void check_stopped(const struct clipper_ws_dir *d)
{
	if (d->flags && d->st != CLIPPER_WS_ST_STOP)
		__builtin_trap();
	if (d->st == CLIPPER_WS_ST_STOP && !d->flags)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct clipper_ws_flow base, f;
	struct input in;
	unsigned int l1, l2, blen;
	u8 *c2s;
	u32 seed;
	int hp, i;

	if (size < 8 || size > 1 << 20)
		return 0;
	seed = data[0] | data[1] << 8 | data[2] << 16 | (u32)data[3] << 24;
	l1 = data[4] | data[5] << 8;
	l2 = data[6] | data[7] << 8;
	data += 8;
	blen = size - 8;
	if (l1 > blen)
		l1 = blen;
	if (l2 > blen - l1)
		l2 = blen - l1;

	/* the client's stream in one piece */
	c2s = malloc(blen - l2 + 1);
	if (!c2s)
		return 0;
	memcpy(c2s, data, l1);
	memcpy(c2s + l1, data + l1 + l2, blen - l1 - l2);
	in.c2s = c2s;
	in.c2s_len = blen - l2;
	in.part1 = l1;
	in.s2c = data + l1;
	in.s2c_len = l2;
	in.isn_c = seed * 2654435761u;
	in.isn_s = seed & 1 ? 0u - (seed >> 1 & 0xfff) : ~seed;
	rs = seed | 1;

	memset(&base, 0, sizeof(base));
	for (i = 0; i < 3; i++) {
		bool dir;
		unsigned int lo, hi;

		part(&in, i, &dir, &lo, &hi);
		if (lo < hi)
			feed(&base, &in, dir, lo, hi);
	}
	check_stopped(&base.c2s);
	check_stopped(&base.s2c);

	for (i = 0; i < 2; i++) {
		run_split(&f, &in);
		if (!same(&f, &base))
			__builtin_trap();
	}
	run_retrans(&f, &in);
	if (!same(&f, &base))
		__builtin_trap();

	run_hole(&f, &in, &hp);
	if (f.phase != CLIPPER_WS_NOT_WS &&
	    !((hp == 1 ? f.s2c.flags : f.c2s.flags) & CLIPPER_WS_DESYNC) &&
	    !same(&f, &base))
		__builtin_trap();

	free(c2s);
	return 0;
}

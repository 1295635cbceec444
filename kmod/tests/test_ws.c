// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/wsparse.h, the WebSocket frame counter the
 * module runs.  Hand-made handshakes and frames for RFC 6455, hixie-76
 * and hixie-75, each checked against the counts the stream builder
 * expects, then fed again:
 *
 *   - cut at every single boundary, and at many random sets of
 *     boundaries: the counts must not change;
 *   - with retransmitted and overlapping segments: no change;
 *   - with one segment held back and delivered late: exact counts when
 *     the hole lies inside skipped payload, desync (or not_ws in the
 *     handshake) otherwise;
 *   - recording what get() was asked for: no RFC 6455 payload byte is
 *     ever fetched (but for the handshake scanner's last chunk).
 *
 * "./test_ws --corpus DIR" writes the streams as seed inputs for
 * fuzz_ws.c instead.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsparse.h"
#include "ws_same.h"

#include "tap.h"

/* a flow's protocol by name, for the messages */
static const char *proto_name(u8 proto)
{
	switch (proto) {
	case CLIPPER_WS_PROTO_RFC6455:
		return "rfc6455";
	case CLIPPER_WS_PROTO_HIXIE76:
		return "hixie-76";
	case CLIPPER_WS_PROTO_HIXIE75:
		return "hixie-75";
	}
	return "none";
}

static bool is_upgraded(const struct clipper_ws_flow *f)
{
	return f->phase == CLIPPER_WS_OPEN;
}

/* xorshift: reproducible runs */
static u32 rs = 2463534242u;

static u32 rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

static const char *cls_name[CLIPPER_WS_NCLASS] = {
	"text", "binary", "cont", "close", "ping", "pong", "other",
};

/* ---- streams and what they should count ------------------------------ */

#define MAXSPAN 64

struct span {
	unsigned int a, b;		/* [a, b) */
};

struct exp {
	u32 frames[CLIPPER_WS_NCLASS];
	u64 payload, header;
	u8 flags;
};

/* one direction's byte stream as built, with what it should count */
struct dbuf {
	u8 *b;
	unsigned int len, cap;
	unsigned int part1;		/* c2s: bytes fed before the s2c */
	unsigned int http_end;		/* end of the header block */
	struct span skip[MAXSPAN];	/* skipped spans (gaps allowed) */
	int nskip;
	struct span rfcpay[MAXSPAN];	/* RFC 6455 payloads */
	int nrfcpay;
	struct exp e;
};

struct stream {
	const char *name;
	struct dbuf c2s, s2c;
	u8 phase, proto;
	bool valid;			/* no stop expected: gap tests apply */
};

static void put(struct dbuf *d, const void *p, unsigned int len)
{
	if (d->len + len > d->cap) {
		d->cap = (d->len + len) * 2 + 64;
		d->b = realloc(d->b, d->cap);
		if (!d->b)
			abort();
	}
	memcpy(d->b + d->len, p, len);
	d->len += len;
}

static void puts_(struct dbuf *d, const char *s)
{
	put(d, s, strlen(s));
}

static void put8(struct dbuf *d, u8 c)
{
	put(d, &c, 1);
}

static void add_span(struct span *sp, int *nsp, unsigned int a,
		     unsigned int b)
{
	if (a == b)
		return;
	if (*nsp >= MAXSPAN)
		abort();
	sp[*nsp].a = a;
	sp[*nsp].b = b;
	(*nsp)++;
}

/* payload bytes: a pattern with 0x00 and 0xff in it */
static void put_payload(struct dbuf *d, u64 len)
{
	u8 chunk[4096];
	unsigned int i;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (u8)(i * 37 + 11);
	while (len) {
		unsigned int k = len > sizeof(chunk) ? sizeof(chunk) : len;

		put(d, chunk, k);
		len -= k;
	}
}

static void http_end(struct dbuf *d)
{
	d->http_end = d->len;
}

static void raw_skip(struct dbuf *d, unsigned int len)
{
	unsigned int a = d->len;

	put_payload(d, len);
	add_span(d->skip, &d->nskip, a, d->len);
}

static unsigned int ws_class(unsigned int op)
{
	return clipper_ws_class(op);
}

/*
 * An RFC 6455 frame: b0 is FIN|RSV|opcode; enc 0 encodes the length
 * minimally, 7, 16 or 64 forces the field.  count: the frame is valid
 * and adds to the expected counters.
 */
static void ws_frame_x(struct dbuf *d, u8 b0, bool masked, u64 len, int enc,
		       bool count)
{
	unsigned int hlen = 2, a;
	u8 mb = masked ? 0x80 : 0;
	int i;

	if (!enc)
		enc = len < 126 ? 7 : len < 65536 ? 16 : 64;
	put8(d, b0);
	if (enc == 7) {
		put8(d, mb | (u8)len);
	} else if (enc == 16) {
		put8(d, mb | 126);
		put8(d, len >> 8);
		put8(d, len);
		hlen += 2;
	} else {
		put8(d, mb | 127);
		for (i = 7; i >= 0; i--)
			put8(d, len >> (8 * i));
		hlen += 8;
	}
	if (masked) {
		put(d, "\x37\xfa\x21\x3d", 4);
		hlen += 4;
	}
	a = d->len;
	put_payload(d, len);
	add_span(d->skip, &d->nskip, a, d->len);
	add_span(d->rfcpay, &d->nrfcpay, a, d->len);
	if (count) {
		d->e.frames[ws_class(b0 & 0x0f)]++;
		d->e.header += hlen;
		d->e.payload += len;
	}
}

static void ws_frame(struct dbuf *d, u8 b0, bool masked, u64 len, int enc)
{
	ws_frame_x(d, b0, masked, len, enc, true);
}

/* hixie sentinel frame: type (0x00 text) ... 0xff */
static void hx_text(struct dbuf *d, u8 type, const char *s)
{
	put8(d, type);
	puts_(d, s);
	put8(d, 0xff);
	d->e.frames[type ? CLIPPER_WS_OTHER : CLIPPER_WS_TEXT]++;
	d->e.header += 2;
	d->e.payload += strlen(s);
}

/* hixie length-prefixed frame; pad adds leading zero digits */
static void hx_bin(struct dbuf *d, u8 type, u64 len, int pad, unsigned int cls)
{
	u8 dig[16];
	int nd = 0, i;
	unsigned int a;
	u64 v = len;

	do {
		dig[nd++] = v & 0x7f;
		v >>= 7;
	} while (v);
	while (pad-- > 0)
		dig[nd++] = 0;
	put8(d, type);
	for (i = nd - 1; i >= 0; i--)
		put8(d, dig[i] | (i ? 0x80 : 0));
	a = d->len;
	put_payload(d, len);
	add_span(d->skip, &d->nskip, a, d->len);
	d->e.frames[cls]++;
	d->e.header += 1 + nd;
	d->e.payload += len;
}

static const char req6455[] =
	"GET /chat HTTP/1.1\r\n"
	"Host: server.example.com\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	"Origin: http://example.com\r\n"
	"Sec-WebSocket-Protocol: chat, superchat\r\n"
	"Sec-WebSocket-Version: 13\r\n"
	"\r\n";

static const char resp6455[] =
	"HTTP/1.1 101 Switching Protocols\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
	"Sec-WebSocket-Protocol: chat\r\n"
	"\r\n";

static const char resp6455_deflate[] =
	"HTTP/1.1 101 Switching Protocols\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
	"Sec-WebSocket-Extensions: permessage-deflate; "
	"client_max_window_bits=15\r\n"
	"\r\n";

static const char req76[] =
	"GET /demo HTTP/1.1\r\n"
	"Host: example.com\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\n"
	"Sec-WebSocket-Protocol: sample\r\n"
	"Upgrade: WebSocket\r\n"
	"Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\n"
	"Origin: http://example.com\r\n"
	"\r\n";

static const char resp76[] =
	"HTTP/1.1 101 WebSocket Protocol Handshake\r\n"
	"Upgrade: WebSocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Origin: http://example.com\r\n"
	"Sec-WebSocket-Location: ws://example.com/demo\r\n"
	"Sec-WebSocket-Protocol: sample\r\n"
	"\r\n";

static const char req75[] =
	"GET /demo HTTP/1.1\r\n"
	"Upgrade: WebSocket\r\n"
	"Connection: Upgrade\r\n"
	"Host: example.com\r\n"
	"Origin: http://example.com\r\n"
	"\r\n";

static const char resp75[] =
	"HTTP/1.1 101 Web Socket Protocol Handshake\r\n"
	"Upgrade: WebSocket\r\n"
	"Connection: Upgrade\r\n"
	"WebSocket-Origin: http://example.com\r\n"
	"WebSocket-Location: ws://example.com/demo\r\n"
	"\r\n";

static void st_init(struct stream *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->valid = true;
	s->phase = CLIPPER_WS_OPEN;
}

/* request, then key3 for hixie-76; the c2s frames come after the s2c */
static void st_request(struct stream *s, const char *req, u8 proto)
{
	puts_(&s->c2s, req);
	http_end(&s->c2s);
	if (proto == CLIPPER_WS_PROTO_HIXIE76)
		raw_skip(&s->c2s, 8);
	s->c2s.part1 = s->c2s.len;
	s->proto = proto;
}

static void st_response(struct stream *s, const char *resp)
{
	puts_(&s->s2c, resp);
	http_end(&s->s2c);
	if (s->proto == CLIPPER_WS_PROTO_HIXIE76)
		raw_skip(&s->s2c, 16);
}

static void st_free(struct stream *s)
{
	free(s->c2s.b);
	free(s->s2c.b);
}

/* ---- feeding ----------------------------------------------------------- */

struct seg {
	const u8 *base;		/* the segment's first byte */
	unsigned int len;
	unsigned int abs;	/* its offset in the stream */
	u8 *touched;		/* per stream byte: fetched by get() */
};

static int get_errors;
static unsigned long get_calls;

static const u8 *seg_get(void *ctx, unsigned int off, unsigned int len,
			 u8 *buf)
{
	struct seg *s = ctx;
	unsigned int i;

	get_calls++;
	if (!len || off >= s->len || len > s->len - off) {
		get_errors++;
		return NULL;
	}
	if (s->touched)
		for (i = 0; i < len; i++)
			s->touched[s->abs + off + i] = 1;
	/* both ways skb_header_pointer() answers */
	if ((off + len) & 1) {
		memcpy(buf, s->base + off, len);
		return buf;
	}
	return s->base + off;
}

struct run {
	u32 isn[2];		/* [1]: c2s */
	u8 *touched[2];
	bool skip;		/* try clipper_ws_feed_skip() first, and
				 * with linear, clipper_ws_feed_frames() */
	bool linear;		/* segments have a linear part (src.data) */
	bool all_linear;	/* with linear: all of the segment is */
	unsigned long skipped;	/* segments clipper_ws_feed_skip() took */
	unsigned long framed;	/* segments clipper_ws_feed_frames() began */
};

/* feeds whose totals differ from what the counters gained */
static int tot_errors;

static void feed(struct clipper_ws_flow *f, struct run *r, const struct dbuf *d,
		 bool c2s, unsigned int a, unsigned int b)
{
	struct seg sg = {
		.base = d->b + a, .len = b - a, .abs = a,
		.touched = r->touched[c2s],
	};
	struct clipper_ws_dir *dir = c2s ? &f->c2s : &f->s2c, was = *dir;
	u64 tot[CLIPPER_WS_NCLASS + 2] = { 0 };
	struct clipper_ws_src src = {
		.get = seg_get, .ctx = &sg, .len = b - a, .tot = tot,
	};
	unsigned int used = 0;
	u8 *lin = NULL;

	/*
	 * A linear part of random length, read without get(), when asked:
	 * a copy of its own size, for ASan to see any read beyond it.
	 */
	if (r->linear) {
		src.nlinear = r->all_linear ? b - a : rnd() % (b - a + 1);
		lin = malloc(src.nlinear ? src.nlinear : 1);
		if (!lin)
			abort();
		memcpy(lin, d->b + a, src.nlinear);
		src.data = lin;
	}
	/*
	 * The module's shortcuts, when asked: for segments inside a payload,
	 * then for the linear part, what clipper_ws_tcp() does.
	 */
	if (r->skip && clipper_ws_feed_skip(f, c2s, r->isn[c2s] + a, b - a)) {
		r->skipped++;
		tot[CLIPPER_WS_T_PAYLOAD] += b - a;
		goto out;
	}
	if (r->skip && src.nlinear) {
		used = clipper_ws_feed_frames(f, c2s, r->isn[c2s] + a, src.data,
					      src.nlinear, tot);
		r->framed += used > 0;
		if (used == b - a)
			goto out;
		/* the rest as a segment of its own, after what was used */
		sg.base += used;
		sg.len -= used;
		sg.abs += used;
		src.len -= used;
		src.nlinear -= used;
		src.data += used;
	}
	clipper_ws_feed(f, c2s, r->isn[c2s] + a + used, &src);
out:
	if (!tot_same(&was, dir, tot))
		tot_errors++;
	free(lin);
}

/* feed [a, b) of d in segments ending at the sorted cuts inside it */
static void feed_cut(struct clipper_ws_flow *f, struct run *r,
		     const struct dbuf *d, bool c2s, unsigned int a,
		     unsigned int b, const unsigned int *cut, int ncut)
{
	unsigned int p = a;
	int i;

	for (i = 0; i < ncut; i++) {
		if (cut[i] <= p || cut[i] >= b)
			continue;
		feed(f, r, d, c2s, p, cut[i]);
		p = cut[i];
	}
	if (p < b)
		feed(f, r, d, c2s, p, b);
}

/* the three parts: c2s request, s2c, c2s frames; cuts per stream */
static void run_cuts(struct clipper_ws_flow *f, struct run *r,
		     const struct stream *s, const unsigned int *cc, int ncc,
		     const unsigned int *sc, int nsc)
{
	memset(f, 0, sizeof(*f));
	feed_cut(f, r, &s->c2s, true, 0, s->c2s.part1, cc, ncc);
	feed_cut(f, r, &s->s2c, false, 0, s->s2c.len, sc, nsc);
	feed_cut(f, r, &s->c2s, true, s->c2s.part1, s->c2s.len, cc, ncc);
}

static void run_whole(struct clipper_ws_flow *f, struct run *r,
		      const struct stream *s)
{
	run_cuts(f, r, s, NULL, 0, NULL, 0);
}

/*
 * Same state, but for next_seq once the direction or the flow has
 * stopped: it is no longer kept up to date then.
 */

static void show_dir(const char *what, const struct clipper_ws_dir *d)
{
	int i;

	printf("#   %s:", what);
	for (i = 0; i < CLIPPER_WS_NCLASS; i++)
		printf(" %s=%u", cls_name[i], d->frames[i]);
	printf(" payload=%llu header=%llu flags=%#x st=%u rem=%llu hpos=%u seq=%u\n",
	       (unsigned long long)d->payload_bytes,
	       (unsigned long long)d->header_bytes, d->flags, d->st,
	       (unsigned long long)d->rem, d->hpos, d->next_seq);
}

static void show(const struct clipper_ws_flow *f)
{
	printf("#   phase=%u proto=%s rsv_ok=%#x\n", f->phase,
	       proto_name(f->proto), f->rsv_ok);
	show_dir("c2s", &f->c2s);
	show_dir("s2c", &f->s2c);
}

static bool dir_expected(const struct clipper_ws_dir *d, const struct exp *e)
{
	return !memcmp(d->frames, e->frames, sizeof(e->frames)) &&
	       d->payload_bytes == e->payload && d->header_bytes == e->header &&
	       d->flags == e->flags;
}

static bool expected(const struct clipper_ws_flow *f, const struct stream *s)
{
	if (f->phase != s->phase)
		return false;
	if (s->phase != CLIPPER_WS_OPEN)
		return true;
	return f->proto == s->proto && dir_expected(&f->c2s, &s->c2s.e) &&
	       dir_expected(&f->s2c, &s->s2c.e);
}

static void rnd_isn(struct run *r)
{
	/* now and then right before the wrap */
	r->isn[0] = rnd() % 3 ? rnd() : 0u - (rnd() % 4096);
	r->isn[1] = rnd() % 3 ? rnd() : 0u - (rnd() % 4096);
}

static void norm(struct clipper_ws_flow *f, const struct run *r)
{
	f->c2s.next_seq -= r->isn[1];
	f->s2c.next_seq -= r->isn[0];
}

/* payload bytes fetched outside the handshake scanner's last chunk */
static unsigned int pay_fetched(const struct dbuf *d, const u8 *touched)
{
	unsigned int bad = 0, i;
	int k;

	for (k = 0; k < d->nrfcpay; k++)
		for (i = d->rfcpay[k].a; i < d->rfcpay[k].b; i++)
			if (touched[i] && i >= d->http_end + CLIPPER_WS_CHUNK)
				bad++;
	return bad;
}

static bool in_skip(const struct dbuf *d, unsigned int a, unsigned int b)
{
	int k;

	for (k = 0; k < d->nskip; k++)
		if (d->skip[k].a <= a && a < d->skip[k].b && b <= d->skip[k].b)
			return true;
	return false;
}

/* feed [lo, hi) of d, but with [a, b) held back and delivered last */
static void feed_hole(struct clipper_ws_flow *f, struct run *r,
		      const struct dbuf *d, bool c2s, unsigned int lo,
		      unsigned int hi, unsigned int a, unsigned int b)
{
	if (a >= hi || b <= lo) {
		feed(f, r, d, c2s, lo, hi);
		return;
	}
	if (a > lo)
		feed(f, r, d, c2s, lo, a);
	if (b < hi)
		feed(f, r, d, c2s, b, hi);
	feed(f, r, d, c2s, a, b);
}

/*
 * The module's way with reordering: [b, hi) arrives before [a, b).  If
 * clipper_ws_ahead() says so it is held back and fed once [a, b) is in;
 * otherwise it is fed at once.  *ahead says what it said.
 */
static void feed_held(struct clipper_ws_flow *f, struct run *r,
		      const struct dbuf *d, bool c2s, unsigned int lo,
		      unsigned int hi, unsigned int a, unsigned int b,
		      int *ahead)
{
	bool held;

	if (a >= hi || b <= lo || b >= hi) {
		feed_hole(f, r, d, c2s, lo, hi, a, b);
		return;
	}
	if (a > lo)
		feed(f, r, d, c2s, lo, a);
	held = clipper_ws_ahead(f, c2s, r->isn[c2s] + b);
	*ahead = held;
	if (!held)
		feed(f, r, d, c2s, b, hi);
	feed(f, r, d, c2s, a, b);
	if (held)
		feed(f, r, d, c2s, b, hi);
}

/*
 * Parse the stream with [a, b) of one direction delivered after what
 * follows it: plainly, or (hold) the module's way with what
 * clipper_ws_ahead() flags held back, after clipper_ws_expect() from the
 * SYNs.  False when there is no such hole (holes across the c2s parts
 * are not tried).
 */
static bool run_hole(const struct stream *s, bool c2s, unsigned int a,
		     unsigned int b, bool hold, struct clipper_ws_flow *f,
		     int *ahead)
{
	const struct dbuf *d = c2s ? &s->c2s : &s->s2c;
	unsigned int p1 = s->c2s.part1, ca = 0, cb = 0, sa = 0, sb = 0;
	struct run r = { };

	if (a >= b || b > d->len || (c2s && a < p1 && b > p1))
		return false;
	if (c2s) {
		ca = a;
		cb = b;
	} else {
		sa = a;
		sb = b;
	}
	rnd_isn(&r);
	memset(f, 0, sizeof(*f));
	*ahead = -1;
	if (hold) {
		clipper_ws_expect(f, true, r.isn[1]);
		clipper_ws_expect(f, false, r.isn[0]);
		feed_held(f, &r, &s->c2s, true, 0, p1, ca, cb, ahead);
		feed_held(f, &r, &s->s2c, false, 0, s->s2c.len, sa, sb, ahead);
		feed_held(f, &r, &s->c2s, true, p1, s->c2s.len, ca, cb, ahead);
	} else {
		feed_hole(f, &r, &s->c2s, true, 0, p1, ca, cb);
		feed_hole(f, &r, &s->s2c, false, 0, s->s2c.len, sa, sb);
		feed_hole(f, &r, &s->c2s, true, p1, s->c2s.len, ca, cb);
	}
	norm(f, &r);
	return true;
}

/*
 * Hold [a, b) of one direction back and deliver it last.  Exact counts
 * when it lies in a skipped span; else desync, or not_ws when it is in
 * the handshake.
 */
static bool gap_ok(const struct stream *s, const struct clipper_ws_flow *base,
		   bool c2s, unsigned int a, unsigned int b)
{
	const struct dbuf *d = c2s ? &s->c2s : &s->s2c;
	struct clipper_ws_flow f;
	int ahead;

	if (!run_hole(s, c2s, a, b, false, &f, &ahead))
		return true;
	/* nothing after the hole: it is no hole */
	if (in_skip(d, a, b) || b == (c2s && a < s->c2s.part1 ?
				      s->c2s.part1 : d->len))
		return same(&f, base);
	if (a < d->http_end)
		return f.phase == CLIPPER_WS_NOT_WS;
	return (c2s ? f.c2s.flags : f.s2c.flags) & CLIPPER_WS_DESYNC;
}

/*
 * The same hole the module's way: the result must equal the whole-stream
 * parse always, and ahead must be false exactly where the parser can
 * follow the gap by itself.
 */
static bool hold_ok(const struct stream *s, const struct clipper_ws_flow *base,
		    bool c2s, unsigned int a, unsigned int b)
{
	const struct dbuf *d = c2s ? &s->c2s : &s->s2c;
	struct clipper_ws_flow f;
	int ahead;

	if (!run_hole(s, c2s, a, b, true, &f, &ahead))
		return true;
	if (!same(&f, base))
		return false;
	return ahead == -1 || ahead == !in_skip(d, a, b);
}

/* baseline with isn 0 on both sides, for comparisons */
static void baseline(struct clipper_ws_flow *f, const struct stream *s)
{
	struct run r = { };

	run_whole(f, &r, s);
}

#define NRANDOM 300

typedef bool (*hole_fn)(const struct stream *s,
			const struct clipper_ws_flow *base, bool c2s,
			unsigned int a, unsigned int b);

/* fn for holes around every skipped span of each direction, and random */
static bool holes_ok(const struct stream *s, const struct clipper_ws_flow *base,
		     hole_fn fn, const char *what)
{
	bool good = true;
	int k;

	for (k = 0; k < 2 && good; k++) {
		const struct dbuf *d = k ? &s->c2s : &s->s2c;
		int j;

		for (j = 0; j < d->nskip && good; j++) {
			unsigned int a = d->skip[j].a, b = d->skip[j].b;

			good = fn(s, base, k, a, b) &&
			       fn(s, base, k, a, a + 1) &&
			       fn(s, base, k, b - 1, b) &&
			       fn(s, base, k, a + (b - a) / 2, b) &&
			       fn(s, base, k, a, b + 1) &&
			       fn(s, base, k, b, b + 1) &&
			       fn(s, base, k, a - 1, a);
			if (!good)
				printf("# %s%s span [%u, %u)\n", what,
				       k ? "c2s" : "s2c", a, b);
		}
		for (j = 0; j < NRANDOM && good && d->len > 1; j++) {
			unsigned int a = rnd() % (d->len - 1), b;

			b = a + 1 + rnd() % (rnd() % 2 ? 4 : 5000);
			if (k && a < d->part1 && b > d->part1)
				b = d->part1;
			if (b > d->len)
				b = d->len;
			good = fn(s, base, k, a, b);
			if (!good)
				printf("# %s%s hole [%u, %u)\n", what,
				       k ? "c2s" : "s2c", a, b);
		}
	}
	return good;
}


static void gen_cuts(unsigned int *cut, int *ncut, unsigned int len, int max)
{
	int i, j;

	*ncut = len > 1 ? rnd() % (max + 1) : 0;
	for (i = 0; i < *ncut; i++)
		cut[i] = 1 + rnd() % (len - 1);
	/* insertion sort */
	for (i = 1; i < *ncut; i++)
		for (j = i; j > 0 && cut[j - 1] > cut[j]; j--) {
			unsigned int t = cut[j];

			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}
}

/* the property checks every stream goes through */
static void check_stream(struct stream *s)
{
	struct clipper_ws_flow base, f;
	unsigned int cut[64], cut2[64], i, bad;
	u8 *tc = calloc(s->c2s.len + 1, 1), *ts = calloc(s->s2c.len + 1, 1);
	int nc, ns, k;
	bool good;
	struct run r = { };

	if (!tc || !ts)
		abort();
	get_errors = 0;
	r.touched[1] = tc;
	r.touched[0] = ts;
	run_whole(&base, &r, s);
	ok(expected(&base, s), "%s: counts as expected", s->name);
	if (!expected(&base, s)) {
		show(&base);
		printf("#   expected phase=%u\n", s->phase);
	}

	/* every single cut, in each direction */
	good = true;
	for (i = 1; i < s->c2s.len && good; i++) {
		rnd_isn(&r);
		run_cuts(&f, &r, s, &i, 1, NULL, 0);
		norm(&f, &r);
		if (!same(&f, &base)) {
			good = false;
			printf("# c2s cut at %u\n", i);
			show(&f);
		}
	}
	for (i = 1; i < s->s2c.len && good; i++) {
		rnd_isn(&r);
		run_cuts(&f, &r, s, NULL, 0, &i, 1);
		norm(&f, &r);
		if (!same(&f, &base)) {
			good = false;
			printf("# s2c cut at %u\n", i);
			show(&f);
		}
	}
	ok(good, "%s: same counts cut at every single boundary", s->name);

	/* a quarter of the runs through the module's shortcuts */
	good = true;
	tot_errors = 0;
	for (k = 0; k < NRANDOM && good; k++) {
		rnd_isn(&r);
		r.skip = r.linear = k % 4 == 3;
		gen_cuts(cut, &nc, s->c2s.len, k % 2 ? 60 : 8);
		gen_cuts(cut2, &ns, s->s2c.len, k % 2 ? 60 : 8);
		run_cuts(&f, &r, s, cut, nc, cut2, ns);
		norm(&f, &r);
		good = same(&f, &base) && !tot_errors;
	}
	r.skip = r.linear = false;
	ok(good, "%s: same counts cut at %d random sets of boundaries",
	   s->name, NRANDOM);

	bad = pay_fetched(&s->c2s, tc) + pay_fetched(&s->s2c, ts);
	ok(!bad && !get_errors,
	   "%s: no RFC 6455 payload byte fetched, get() always in range",
	   s->name);
	free(tc);
	free(ts);
	r.touched[0] = NULL;
	r.touched[1] = NULL;

	/* retransmits: segments that overlap what came before */
	good = true;
	for (k = 0; k < NRANDOM / 3 && good; k++) {
		const struct dbuf *parts[3] = { &s->c2s, &s->s2c, &s->c2s };
		const bool dirs[3] = { true, false, true };
		unsigned int from[3] = { 0, 0, s->c2s.part1 };
		unsigned int to[3] = { s->c2s.part1, s->s2c.len, s->c2s.len };
		int p;

		rnd_isn(&r);
		memset(&f, 0, sizeof(f));
		for (p = 0; p < 3; p++) {
			unsigned int pos = from[p];

			while (pos < to[p]) {
				unsigned int a, b;

				/* start at or before what was fed */
				a = pos - (pos ? rnd() % (pos + 1) : 0);
				if (a < from[p] && rnd() % 2)
					a = from[p];
				b = pos + 1 + rnd() % 40;
				if (b > to[p])
					b = to[p];
				feed(&f, &r, parts[p], dirs[p], a, b);
				/* and a pure duplicate now and then */
				if (rnd() % 4 == 0 && b > 1) {
					unsigned int x = rnd() % b;

					feed(&f, &r, parts[p], dirs[p], x,
					     x + 1 + rnd() % (b - x));
				}
				pos = b;
			}
		}
		norm(&f, &r);
		good = same(&f, &base);
	}
	ok(good, "%s: retransmits and overlaps change nothing", s->name);

	if (!s->valid)
		return;
	/* holes: around every skipped span, and random ones */
	baseline(&base, s);
	ok(holes_ok(s, &base, gap_ok, ""),
	   "%s: a hole in skipped payload is exact, elsewhere desync", s->name);
	/* the same holes, with what clipper_ws_ahead() flags held back */
	ok(holes_ok(s, &base, hold_ok, "held: "),
	   "%s: a segment ahead of a hole, held back as the module does, counts exactly",
	   s->name);
}

/* ---- the streams ------------------------------------------------------- */

#define FIN	0x80
#define RSV1	0x40
#define RSV2	0x20
#define RSV3	0x10

/* one of each kind of frame, masked or not; big: 16 and 64-bit lengths */
static void all_frames(struct dbuf *d, bool m, bool big)
{
	ws_frame(d, FIN | 1, m, 5, 0);
	ws_frame(d, FIN | 1, m, 0, 0);
	ws_frame(d, FIN | 2, m, 125, 0);
	ws_frame(d, FIN | 2, m, 126, 0);
	if (big) {
		ws_frame(d, FIN | 2, m, 65535, 0);
		ws_frame(d, FIN | 2, m, 65536, 0);
	}
	ws_frame(d, FIN | 9, m, 0, 0);
	ws_frame(d, FIN | 10, m, 125, 0);
	ws_frame(d, 1, m, 10, 0);		/* fragmented text */
	ws_frame(d, FIN | 9, m, 3, 0);		/* ping in between */
	ws_frame(d, 0, m, 10, 0);
	ws_frame(d, FIN | 0, m, 300, 0);
	ws_frame(d, FIN | 3, m, 4, 0);		/* reserved data opcodes */
	ws_frame(d, FIN | 7, m, 0, 0);
	ws_frame(d, FIN | 11, m, 1, 0);		/* reserved control */
	ws_frame(d, FIN | 15, m, 0, 0);
	ws_frame(d, FIN | 1, m, 5, 16);		/* not minimally encoded */
	ws_frame(d, FIN | 2, m, 100, 64);
	ws_frame(d, FIN | 2, m, 0, 64);
	ws_frame(d, FIN | 9, m, 5, 16);
	ws_frame(d, FIN | 10, m, 125, 64);
	ws_frame(d, FIN | 8, m, 2, 0);
}

static void rfc_stream(struct stream *s, const char *name, const char *resp)
{
	st_init(s, name);
	st_request(s, req6455, CLIPPER_WS_PROTO_RFC6455);
	st_response(s, resp);
}

/* a malformed frame: raw bytes, no count, the direction stops */
static void bad(struct stream *s, struct dbuf *d, const void *p,
		unsigned int len)
{
	put(d, p, len);
	d->e.flags |= CLIPPER_WS_MALFORMED;
	s->valid = false;
}

static void not_ws(struct stream *s, const char *name, const char *req,
		   const char *resp)
{
	st_init(s, name);
	puts_(&s->c2s, req);
	s->c2s.part1 = s->c2s.len;
	puts_(&s->s2c, resp);
	s->phase = CLIPPER_WS_NOT_WS;
	s->valid = false;
}

#define NSTREAM 40

static struct stream streams[NSTREAM];
static int nstreams;

static struct stream *new_stream(void)
{
	if (nstreams >= NSTREAM)
		abort();
	return &streams[nstreams++];
}

static void build_streams(void)
{
	struct stream *s;
	char *big;
	int i;

	s = new_stream();
	rfc_stream(s, "rfc6455 every opcode and length encoding", resp6455);
	all_frames(&s->s2c, false, true);
	all_frames(&s->c2s, true, true);

	s = new_stream();
	rfc_stream(s, "rfc6455 every opcode, short frames", resp6455);
	all_frames(&s->s2c, false, false);
	all_frames(&s->c2s, true, false);

	s = new_stream();
	rfc_stream(s, "rfc6455 frames pipelined after the 101", resp6455);
	ws_frame(&s->s2c, FIN | 1, false, 2, 0);
	ws_frame(&s->s2c, FIN | 9, false, 0, 0);

	s = new_stream();
	rfc_stream(s, "rfc6455 permessage-deflate allows RSV1",
		   resp6455_deflate);
	ws_frame(&s->s2c, FIN | RSV1 | 1, false, 30, 0);
	ws_frame(&s->s2c, RSV1 | 2, false, 300, 0);
	ws_frame(&s->s2c, FIN | 0, false, 3, 0);
	ws_frame(&s->c2s, FIN | RSV1 | 1, true, 70000, 0);
	ws_frame(&s->c2s, FIN | 1, true, 7, 0);

	s = new_stream();
	rfc_stream(s, "rfc6455 permessage-deflate: RSV2 is malformed",
		   resp6455_deflate);
	ws_frame(&s->s2c, FIN | RSV1 | 1, false, 30, 0);
	bad(s, &s->s2c, "\xa1\x01x", 3);
	ws_frame_x(&s->s2c, FIN | 1, false, 3, 0, false);
	ws_frame(&s->c2s, FIN | RSV1 | 1, true, 7, 0);

	s = new_stream();
	rfc_stream(s, "rfc6455 RSV1 without an extension is malformed",
		   resp6455);
	ws_frame(&s->s2c, FIN | 1, false, 3, 0);
	ws_frame(&s->c2s, FIN | 2, true, 200, 0);
	bad(s, &s->c2s, "\xc1\x81", 2);
	ws_frame_x(&s->c2s, FIN | 1, true, 3, 0, false);

	s = new_stream();
	rfc_stream(s, "rfc6455 unknown extension allows RSV1-3",
		   "HTTP/1.1 101 Switching Protocols\r\n"
		   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
		   "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
		   "Sec-WebSocket-Extensions: permessage-deflate, "
		   "x-webkit-deflate-frame\r\n\r\n");
	ws_frame(&s->s2c, FIN | RSV1 | RSV2 | RSV3 | 1, false, 3, 0);
	ws_frame(&s->c2s, FIN | RSV3 | 2, true, 3, 0);

	s = new_stream();
	rfc_stream(s, "rfc6455 ping longer than 125 is malformed", resp6455);
	ws_frame(&s->s2c, FIN | 9, false, 125, 0);
	bad(s, &s->s2c, "\x89\x7e\x00\x7e", 4);
	put_payload(&s->s2c, 126);
	ws_frame(&s->c2s, FIN | 10, true, 125, 0);
	bad(s, &s->c2s, "\x88\xff\x00\x00\x00\x00\x00\x00\x01\x00", 10);

	s = new_stream();
	rfc_stream(s, "rfc6455 fragmented control frame is malformed",
		   resp6455);
	ws_frame(&s->s2c, 1, false, 4, 0);
	bad(s, &s->s2c, "\x09\x00", 2);
	bad(s, &s->c2s, "\x0a\x80\x01\x02\x03\x04", 6);

	s = new_stream();
	rfc_stream(s, "rfc6455 continuation with no message open is malformed",
		   resp6455);
	ws_frame(&s->s2c, FIN | 1, false, 2, 0);
	ws_frame(&s->s2c, 2, false, 2, 0);
	ws_frame(&s->s2c, FIN | 0, false, 2, 0);
	bad(s, &s->s2c, "\x80\x00", 2);
	ws_frame(&s->c2s, FIN | 2, true, 1, 0);
	bad(s, &s->c2s, "\x00\x80\x01\x02\x03\x04", 6);

	s = new_stream();
	rfc_stream(s, "rfc6455 a new message inside an open one is malformed",
		   resp6455);
	ws_frame(&s->s2c, 1, false, 2, 0);
	ws_frame(&s->s2c, FIN | 10, false, 0, 0);
	bad(s, &s->s2c, "\x81\x00", 2);
	ws_frame(&s->c2s, 2, true, 1, 0);
	ws_frame(&s->c2s, FIN | 9, true, 1, 0);	/* control frames may interleave */
	bad(s, &s->c2s, "\x82\x80\x01\x02\x03\x04", 6);

	s = new_stream();
	rfc_stream(s, "rfc6455 64-bit length with the top bit is malformed",
		   resp6455);
	ws_frame(&s->s2c, FIN | 2, false, 1, 0);
	bad(s, &s->s2c, "\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x01", 10);
	ws_frame(&s->c2s, FIN | 2, true, 1, 0);
	bad(s, &s->c2s, "\x82\xff\xff\xff\xff\xff\xff\xff\xff\xff", 10);

	s = new_stream();
	rfc_stream(s, "rfc6455 large binary frames are skipped unread",
		   resp6455);
	ws_frame(&s->s2c, FIN | 2, false, 300000, 0);
	ws_frame(&s->s2c, FIN | 1, false, 3, 0);
	ws_frame(&s->c2s, FIN | 2, true, 200000, 64);
	ws_frame(&s->c2s, FIN | 8, true, 0, 0);

	s = new_stream();
	st_init(s, "rfc6455 LF line ends, odd case, lists");
	st_request(s, "GET /x HTTP/1.1\nhost: a\nuPgRaDe:foo/2,  WebSocket \n"
		   "upgrade\nSEC-WEBSOCKET-KEY:k\n\n",
		   CLIPPER_WS_PROTO_RFC6455);
	st_response(s, "HTTP/1.0 101\nsec-websocket-accept:a\n"
		    "Sec-WebSocket-Extensions:PerMessage-Deflate\n\n");
	ws_frame(&s->s2c, FIN | RSV1 | 2, false, 9, 0);
	ws_frame(&s->c2s, FIN | RSV1 | 1, true, 9, 0);

	s = new_stream();
	st_init(s, "hixie-76 handshake, key3, challenge and frames");
	st_request(s, req76, CLIPPER_WS_PROTO_HIXIE76);
	st_response(s, resp76);
	hx_text(&s->s2c, 0, "hello");
	hx_bin(&s->s2c, 0x80, 200, 0, CLIPPER_WS_BINARY);
	hx_text(&s->s2c, 0x01, "odd type");
	hx_text(&s->s2c, 0, "");
	hx_bin(&s->s2c, 0x80, 0, 0, CLIPPER_WS_BINARY);
	hx_bin(&s->s2c, 0x9f, 5, 2, CLIPPER_WS_BINARY);
	hx_bin(&s->s2c, 0xff, 0, 0, CLIPPER_WS_CLOSE);
	hx_text(&s->c2s, 0, "hi there, a somewhat longer message "
		"that spans more than one scanning chunk");
	hx_bin(&s->c2s, 0x81, 20000, 0, CLIPPER_WS_BINARY);
	hx_bin(&s->c2s, 0xff, 0, 0, CLIPPER_WS_CLOSE);

	s = new_stream();
	st_init(s, "hixie-75 handshake and frames");
	st_request(s, req75, CLIPPER_WS_PROTO_HIXIE75);
	st_response(s, resp75);
	hx_text(&s->s2c, 0, "hello");
	hx_bin(&s->s2c, 0x80, 3, 0, CLIPPER_WS_BINARY);
	hx_bin(&s->s2c, 0xff, 0, 0, CLIPPER_WS_BINARY);
	hx_text(&s->c2s, 0, "x");
	hx_bin(&s->c2s, 0x80, 130, 0, CLIPPER_WS_BINARY);

	s = new_stream();
	st_init(s, "hixie length of 2^63 is malformed");
	st_request(s, req75, CLIPPER_WS_PROTO_HIXIE75);
	st_response(s, resp75);
	hx_text(&s->s2c, 0, "ok");
	bad(s, &s->s2c, "\x80\x81\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11);

	s = new_stream();
	st_init(s, "client data before the 101 is a desync");
	puts_(&s->c2s, req6455);
	http_end(&s->c2s);
	ws_frame_x(&s->c2s, FIN | 1, true, 3, 0, false);
	s->c2s.part1 = s->c2s.len;
	s->proto = CLIPPER_WS_PROTO_RFC6455;
	s->c2s.e.flags = CLIPPER_WS_DESYNC;
	s->valid = false;
	st_response(s, resp6455);
	ws_frame(&s->s2c, FIN | 1, false, 3, 0);
	ws_frame_x(&s->c2s, FIN | 1, true, 3, 0, false);

	s = new_stream();
	not_ws(s, "plain GET is not a WebSocket",
	       "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	       "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
	s = new_stream();
	not_ws(s, "POST upgrade is not a WebSocket",
	       "POST /chat HTTP/1.1\r\nUpgrade: websocket\r\n"
	       "Sec-WebSocket-Key: a\r\n\r\n",
	       "HTTP/1.1 101 Switching Protocols\r\n"
	       "Sec-WebSocket-Accept: a\r\n\r\n\x81\x00");
	s = new_stream();
	not_ws(s, "Upgrade: websockets is not a WebSocket",
	       "GET / HTTP/1.1\r\nUpgrade: websockets\r\n"
	       "Sec-WebSocket-Key: a\r\n\r\n",
	       "HTTP/1.1 101 Switching Protocols\r\n"
	       "Sec-WebSocket-Accept: a\r\n\r\n\x81\x00");
	s = new_stream();
	not_ws(s, "404 to an upgrade request", req6455,
	       "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	s = new_stream();
	not_ws(s, "status 1010 is not 101", req6455,
	       "HTTP/1.1 1010 Switching Protocols\r\n"
	       "Sec-WebSocket-Accept: a\r\n\r\n");
	s = new_stream();
	not_ws(s, "request line cut short", "GET\r\nUpgrade: websocket\r\n"
	       "Sec-WebSocket-Key: a\r\n\r\n", resp6455);
	s = new_stream();
	not_ws(s, "status line cut short", req6455,
	       "HTTP/1.1\r\nSec-WebSocket-Accept: a\r\n\r\n");
	s = new_stream();
	not_ws(s, "101 without Sec-WebSocket-Accept", req6455,
	       "HTTP/1.1 101 Switching Protocols\r\n"
	       "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00");
	s = new_stream();
	not_ws(s, "hixie-75 answer to an RFC 6455 request", req6455, resp75);
	s = new_stream();
	not_ws(s, "Key1 without Key2",
	       "GET / HTTP/1.1\r\nUpgrade: WebSocket\r\n"
	       "Sec-WebSocket-Key1: 1\r\n\r\n12345678", resp76);
	s = new_stream();
	not_ws(s, "server talks before the request is complete",
	       "GET /chat HTTP/1.1\r\nUpgrade: websocket\r\n", resp6455);
	puts_(&s->c2s, "Sec-WebSocket-Key: a\r\n\r\n");

	/* the header block limit: 4096 bytes with the blank line */
	big = malloc(CLIPPER_WS_HTTP_MAX + 2);
	for (i = 0; i < 2; i++) {
		const char *head = "GET / HTTP/1.1\r\nUpgrade: websocket\r\n"
				   "Sec-WebSocket-Key: a\r\nX-Pad: ";
		unsigned int len = CLIPPER_WS_HTTP_MAX + i, pad;

		pad = len - strlen(head) - 4;
		strcpy(big, head);
		memset(big + strlen(big), 'p', pad);
		strcpy(big + strlen(head) + pad, "\r\n\r\n");
		s = new_stream();
		if (i) {
			not_ws(s, "request of 4097 bytes is given up", big,
			       resp6455);
		} else {
			st_init(s, "request of 4096 bytes is read");
			st_request(s, big, CLIPPER_WS_PROTO_RFC6455);
			st_response(s, resp6455);
			ws_frame(&s->s2c, FIN | 1, false, 1, 0);
		}
	}
	free(big);
}

/* ---- random streams ---------------------------------------------------- */

/* bytes that look like frames more often than uniform noise does */
static void noise(struct dbuf *d, unsigned int len)
{
	while (len--) {
		u32 x = rnd();

		switch (x % 8) {
		case 0:
			put8(d, x >> 8 & 0x8f);
			break;
		case 1:
			put8(d, x >> 8 & 0x87);
			break;
		case 2:
			put8(d, x % 2 ? 0xff : 0x00);
			break;
		case 3:
			put8(d, 0x7e + (x >> 8) % 2);
			break;
		default:
			put8(d, x >> 8);
			break;
		}
	}
}

/*
 * Small frames one or a few to a segment, all in the linear part, as
 * a browser's or a game's: clipper_ws_feed_frames() takes every segment
 * whole, and counts what clipper_ws_feed() counts.
 */
static void small_frames(void)
{
	struct clipper_ws_flow base, f;
	unsigned int cut[2][MAXSPAN], i, n;
	int nc[2] = { 0, 0 }, k;
	struct run r = { .skip = true, .linear = true, .all_linear = true };
	struct stream s;
	struct dbuf *d;
	bool good;

	rfc_stream(&s, "small frames", resp6455);
	for (k = 0; k < 2; k++) {
		d = k ? &s.c2s : &s.s2c;
		for (i = 0; i < MAXSPAN - 4; i++) {
			/* one frame, or two in a segment */
			if (i % 3 != 1 && d->len > (k ? d->part1 : 0))
				cut[k][nc[k]++] = d->len;
			n = rnd() % 4;
			ws_frame(d, n == 3 ? FIN | 9 : n == 2 ? FIN | 1 :
				 FIN | 2, k, i % 7 ? 10 : i % 5 + 120, 0);
		}
	}
	baseline(&base, &s);
	tot_errors = 0;
	rnd_isn(&r);
	memset(&f, 0, sizeof(f));
	feed(&f, &r, &s.c2s, true, 0, s.c2s.part1);
	feed_cut(&f, &r, &s.s2c, false, 0, s.s2c.len, cut[0], nc[0]);
	feed_cut(&f, &r, &s.c2s, true, s.c2s.part1, s.c2s.len, cut[1], nc[1]);
	norm(&f, &r);
	good = same(&f, &base) && expected(&base, &s);
	if (!good) {
		show(&base);
		show(&f);
	}
	/* s2c's first segment is the 101, c2s's frames start a segment */
	ok(good && !tot_errors && r.framed == (unsigned long)nc[0] + nc[1] + 1,
	   "small frames: clipper_ws_feed_frames() took all %lu segments of %d frames whole",
	   r.framed, 2 * (MAXSPAN - 4));
	st_free(&s);
}

static void random_streams(void)
{
	struct clipper_ws_flow base, f;
	unsigned int cut[64], cut2[64];
	int k, v, nc, ns, upgraded = 0;
	bool good = true;
	struct run r = { };

	get_errors = 0;
	tot_errors = 0;
	for (k = 0; k < 3000; k++) {
		struct stream s;
		u8 proto = 1 + k % 3;

		st_init(&s, "random");
		st_request(&s, proto == CLIPPER_WS_PROTO_RFC6455 ? req6455 :
			   proto == CLIPPER_WS_PROTO_HIXIE76 ? req76 : req75,
			   proto);
		st_response(&s, proto == CLIPPER_WS_PROTO_RFC6455 ?
			    (k % 2 ? resp6455 : resp6455_deflate) :
			    proto == CLIPPER_WS_PROTO_HIXIE76 ? resp76 :
			    resp75);
		noise(&s.s2c, rnd() % 400);
		noise(&s.c2s, rnd() % 400);
		baseline(&base, &s);
		upgraded += is_upgraded(&base);
		for (v = 0; v < 4 && good; v++) {
			rnd_isn(&r);
			r.skip = v & 1;
			r.linear = v & 2;
			gen_cuts(cut, &nc, s.c2s.len, 40);
			gen_cuts(cut2, &ns, s.s2c.len, 40);
			run_cuts(&f, &r, &s, cut, nc, cut2, ns);
			norm(&f, &r);
			good = same(&f, &base);
			if (!good) {
				printf("# random stream %d\n", k);
				show(&base);
				show(&f);
			}
		}
		st_free(&s);
	}
	ok(good && !get_errors && upgraded == 3000,
	   "3000 random frame streams after an upgrade: in range, cut-invariant");
	ok(good && r.skipped > 1000 && r.framed > 100,
	   "the same through clipper_ws_feed_skip() and clipper_ws_feed_frames() first (%lu segments inside payloads, %lu begun with whole frames), and with linear parts",
	   r.skipped, r.framed);
	ok(!tot_errors,
	   "what each segment added to the counters went to the totals too (%d differ)",
	   tot_errors);
}

/*
 * Every first and second header byte, with extended lengths of each kind
 * (small, 125, 126, the top bit set), each RSV permission and with and
 * without an open message: a header fed in one segment (decoded in one
 * pass) ends in the same state as the same bytes fed one at a time.
 */
static void whole_headers(void)
{
	static const u8 ext[][8] = {
		{ 0, 5, 0, 0, 0, 0, 0, 5 },
		{ 0, 125, 0, 0, 0, 0, 0, 125 },
		{ 0, 126, 0, 0, 0, 0, 1, 0 },
		{ 0x80, 0, 0, 0, 0, 0, 0, 0 },
		{ 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	static const u8 rsv[] = { 0, 0x40, 0x70 };
	struct clipper_ws_flow init, one, bytes;
	unsigned int b0, b1, e, r, fr, i, hlen, n = 0, bad = 0;
	u8 h[20];
	struct run run = { };
	struct dbuf d = { .b = h };

	for (r = 0; r < sizeof(rsv); r++)
	for (fr = 0; fr < 2; fr++)
	for (e = 0; e < sizeof(ext) / sizeof(ext[0]); e++)
	for (b0 = 0; b0 < 256; b0++)
	for (b1 = 0; b1 < 256; b1++) {
		hlen = clipper_ws_hlen(b1);
		h[0] = b0;
		h[1] = b1;
		memcpy(h + 2, ext[e] + 8 - clipper_ws_extlen(b1),
		       clipper_ws_extlen(b1));
		memset(h + 2 + clipper_ws_extlen(b1), 0xa5, 4);	/* the key */
		h[hlen] = 0x81;		/* a payload byte or the next header */
		d.len = hlen + 1;
		memset(&init, 0, sizeof(init));
		init.phase = CLIPPER_WS_OPEN;
		init.proto = CLIPPER_WS_PROTO_RFC6455;
		init.rsv_ok = rsv[r];
		init.s2c.st = CLIPPER_WS_ST_HDR;
		init.s2c.frag = fr;
		one = init;
		bytes = init;
		feed(&one, &run, &d, false, 0, hlen);
		for (i = 0; i < hlen; i++)
			feed(&bytes, &run, &d, false, i, i + 1);
		n++;
		if (!same(&one, &bytes) || one.s2c.b0 != bytes.s2c.b0 ||
		    one.s2c.b1 != bytes.s2c.b1 ||
		    one.s2c.frag != bytes.s2c.frag) {
			if (!bad++) {
				printf("# b0 %02x b1 %02x ext %u rsv %02x frag %u\n",
				       b0, b1, e, rsv[r], fr);
				show(&one);
				show(&bytes);
			}
		}
	}
	ok(!bad, "%u frame headers decoded whole equal them byte by byte (%u differ)",
	   n, bad);
}

/* get() finding nothing, which skb_header_pointer() never does in range */
static const u8 *null_get(void *ctx, unsigned int off, unsigned int len,
			  u8 *buf)
{
	(void)ctx;
	(void)off;
	(void)len;
	(void)buf;
	return NULL;
}

static void get_fails(void)
{
	struct clipper_ws_src nul = { .get = null_get, .len = 10 };
	struct seg sg = { .base = (const u8 *)"", .len = 1 };
	struct clipper_ws_src zero = { .get = seg_get, .ctx = &sg, .len = 1 };
	struct clipper_ws_flow f;
	bool good;
	int i, k;

	memset(&f, 0, sizeof(f));
	clipper_ws_feed(&f, true, 0, &nul);
	good = f.phase == CLIPPER_WS_NOT_WS;

	/* in each frame state: the direction stops with a desync */
	for (i = 0; i < nstreams; i++) {
		if (!streams[i].valid)
			continue;
		for (k = 0; k < 2; k++) {
			baseline(&f, &streams[i]);
			/* hixie: also inside a text frame (0x00 opens one) */
			if (k && f.s2c.st == CLIPPER_WS_ST_HXTYPE) {
				clipper_ws_feed(&f, false, f.s2c.next_seq, &zero);
				good &= f.s2c.st == CLIPPER_WS_ST_HXTEXT;
			}
			clipper_ws_feed(&f, false, f.s2c.next_seq, &nul);
			good &= f.s2c.st == CLIPPER_WS_ST_STOP &&
				f.s2c.flags == CLIPPER_WS_DESYNC &&
				f.phase == CLIPPER_WS_OPEN;
		}
	}
	ok(good, "get() finding nothing stops the direction (or the handshake)");
}

/* ---- fuzzer seeds ------------------------------------------------------ */

static int write_corpus(const char *dir)
{
	char path[512];
	int i;

	for (i = 0; i < nstreams; i++) {
		struct stream *s = &streams[i];
		unsigned int l1 = s->c2s.part1, l2 = s->s2c.len;
		u8 hdr[8] = { i, i * 7, 3, 1, l1, l1 >> 8, l2, l2 >> 8 };
		FILE *fp;

		if (s->c2s.len > 16384 || s->s2c.len > 16384)
			continue;
		snprintf(path, sizeof(path), "%s/seed-%02d", dir, i);
		fp = fopen(path, "wb");
		if (!fp) {
			perror(path);
			return 1;
		}
		fwrite(hdr, 1, sizeof(hdr), fp);
		fwrite(s->c2s.b, 1, l1, fp);
		fwrite(s->s2c.b, 1, l2, fp);
		fwrite(s->c2s.b + l1, 1, s->c2s.len - l1, fp);
		fclose(fp);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct clipper_ws_flow f;
	int i;

	build_streams();
	if (argc == 3 && !strcmp(argv[1], "--corpus"))
		return write_corpus(argv[2]);

	printf("# struct clipper_ws_flow: %zu bytes (dir %zu, hs %zu)\n",
	       sizeof(struct clipper_ws_flow), sizeof(struct clipper_ws_dir),
	       sizeof(struct clipper_ws_hs));
	ok(sizeof(struct clipper_ws_flow) <= 144,
	   "flow state is 144 bytes at most");
	ok(!strcmp(proto_name(CLIPPER_WS_PROTO_RFC6455), "rfc6455") &&
	   !strcmp(proto_name(CLIPPER_WS_PROTO_HIXIE76), "hixie-76") &&
	   !strcmp(proto_name(CLIPPER_WS_PROTO_HIXIE75), "hixie-75") &&
	   !strcmp(proto_name(CLIPPER_WS_PROTO_NONE), "none"),
	   "protocol names");

	for (i = 0; i < nstreams; i++)
		check_stream(&streams[i]);

	/* not_ws is final and costs nothing more */
	memset(&f, 0, sizeof(f));
	{
		struct run r = { };

		get_calls = 0;
		feed(&f, &r, &streams[nstreams - 1].c2s, true, 0,
		     streams[nstreams - 1].c2s.len);
		feed(&f, &r, &streams[0].c2s, true, 0, streams[0].c2s.len);
		feed(&f, &r, &streams[0].s2c, false, 0, streams[0].s2c.len);
		ok(f.phase == CLIPPER_WS_NOT_WS && !f.c2s.frames[0] &&
		   get_calls <= CLIPPER_WS_HTTP_MAX / CLIPPER_WS_CHUNK + 1,
		   "not_ws is final: later segments are not looked at");
	}

	get_fails();
	whole_headers();
	small_frames();
	random_streams();

	for (i = 0; i < nstreams; i++)
		st_free(&streams[i]);
	return tap_done();
}

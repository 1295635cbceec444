/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: WebSocket frame counting, pure logic.
 *
 * Follows one TCP connection's two byte streams, recognises the HTTP
 * Upgrade handshake of RFC 6455 and of the older hixie-76 and hixie-75
 * drafts, then counts frames per opcode class, frame header bytes and
 * payload bytes in each direction.
 *
 * Used by the module and, unchanged, by the userspace unit tests and the
 * fuzzer (kmod/tests/, whose shim headers supply the kernel helpers used
 * here).  The parser asks a clipper_ws_src for the few bytes it needs
 * (skb_header_pointer() in the module, unless they are in the linear
 * part); only the shortcut for small frames, clipper_ws_feed_frames(), is
 * given the bytes themselves.
 *
 * What is read.  An RFC 6455 frame header is fetched in at most two
 * pieces (its first two bytes, then the extended length and masking key,
 * 12 bytes at most) and its payload is skipped by arithmetic, never
 * read.  A header whole in one segment is decoded in one pass, any other
 * a byte at a time.  The HTTP handshake and hixie sentinel frames
 * (0x00 ... 0xff) are scanned in chunks of up to CLIPPER_WS_CHUNK bytes,
 * so the last chunk of the handshake or of such a frame may fetch, and
 * ignore, a few bytes that follow it.  Hixie length digits are fetched
 * one at a time.  A fetch from the segment's linear part (src->data) is
 * a pointer, without a call.
 *
 * Counting rule.  A frame is counted, and its header bytes added, when
 * its header is complete: after the masking key (RFC 6455), after the
 * last length digit (hixie length-prefixed frames) or at the type byte
 * (hixie sentinel frames, whose closing 0xff adds one more header byte
 * when seen).  Payload bytes are added as they go by, read or skipped,
 * including those of a gap that is skipped (below).  So a frame counts
 * once its header has been seen even if its payload never completes,
 * and the final counters depend only on the bytes of each stream, never
 * on where the segments were cut.
 *
 * TCP.  Each direction keeps the sequence number of the next byte it
 * expects, set by clipper_ws_expect() from the SYN, or else by the first
 * segment carrying payload.  Bytes before it
 * are retransmits and are ignored; a segment that overlaps it is parsed
 * from it on.  A segment that starts beyond it (loss or reordering in
 * front of us) is followed only when the whole gap falls inside payload
 * that is being skipped anyway: the gap is skipped, and the missing
 * segment, when it comes, lies before the expected point.  Any other gap
 * stops that direction with CLIPPER_WS_DESYNC (during the handshake: the
 * flow is given up as not WebSocket).  Invalid framing stops it with
 * CLIPPER_WS_MALFORMED.  A stopped direction is never counted further.
 *
 * Handshake.  The client's first payload must be a "GET " request whose
 * header block carries "Upgrade: websocket" and then either Sec-WebSocket-Key (RFC 6455),
 * Sec-WebSocket-Key1 and -Key2 (hixie-76; 8 bytes of key3 follow the
 * blank line) or no key (hixie-75).  The server's reply must be
 * "HTTP/1.x 101" with Sec-WebSocket-Accept (RFC 6455), with
 * Sec-WebSocket-Origin or -Location (hixie-76; a 16-byte challenge
 * response follows the blank line) or with WebSocket-Origin or
 * -Location (hixie-75).  Header names and the values compared are case
 * insensitive, lines may end in CRLF or LF, and headers are matched one
 * byte at a time with a few bytes of state, across segment boundaries.
 * Each header block is looked at for CLIPPER_WS_HTTP_MAX bytes at most,
 * blank line included.  Anything else, including server data before the request is complete,
 * makes the flow CLIPPER_WS_NOT_WS, after which clipper_ws_feed() returns
 * at once.  Frames may follow the 101 header block in the same segment.
 * The client must not send after its request until the 101 has been seen
 * (RFC 6455 section 4.1); data that does is a desync of that direction.
 *
 * RFC 6455 framing checks: RSV bits without an extension that may use
 * them (permessage-deflate in the server's Sec-WebSocket-Extensions
 * allows RSV1; an extension we do not know allows all three), control
 * frames (opcode 8 and up) fragmented or longer than 125 bytes, a
 * continuation frame with no fragmented message open, a text or binary
 * frame while one is open, and a 64-bit length with its top bit set are
 * malformed.  Lengths that are
 * not minimally encoded are accepted.  Opcodes 3-7 and 11-15 count as
 * "other".
 *
 * Hixie framing: a type byte with the high bit clear starts a frame that
 * runs to the next 0xff (type 0x00 is text, others count as "other");
 * with the high bit set, a base-128 length (high bit: more digits)
 * follows and that many bytes are skipped (binary), except that 0xff
 * 0x00 is hixie-76's closing frame (close).
 *
 * Totals.  Whatever the parser adds to a direction's counters it also
 * adds to the caller's totals, through clipper_ws_add(tot, ctr, n), which
 * the includer defines: tot is the pointer given in clipper_ws_src.tot (or
 * to clipper_ws_feed_frames()), ctr a frame class or CLIPPER_WS_T_PAYLOAD
 * or CLIPPER_WS_T_HEADER, n what is added.  The module adds to its per-CPU
 * totals so (ws.c), with no difference of the counters to take
 * afterwards.  Only clipper_ws_feed_skip() leaves it to its caller: the
 * len it took is payload.
 *
 * The caller zeroes a clipper_ws_flow to start and serialises the calls
 * for one flow.  On 64-bit it is 144 bytes: per direction 64 (seven u32
 * frame counters, u64 payload and header bytes, the u64 length still to
 * skip, the next sequence number, six bytes of parser state), and 16
 * for the handshake and the flow.
 */
#ifndef _CLIPPER_WSPARSE_H
#define _CLIPPER_WSPARSE_H

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

/* frame classes: index of clipper_ws_dir.frames */
enum {
	CLIPPER_WS_TEXT,
	CLIPPER_WS_BINARY,
	CLIPPER_WS_CONT,
	CLIPPER_WS_CLOSE,
	CLIPPER_WS_PING,
	CLIPPER_WS_PONG,
	CLIPPER_WS_OTHER,
	CLIPPER_WS_NCLASS
};

/* clipper_ws_flow.proto */
enum {
	CLIPPER_WS_PROTO_NONE,
	CLIPPER_WS_PROTO_RFC6455,
	CLIPPER_WS_PROTO_HIXIE76,
	CLIPPER_WS_PROTO_HIXIE75,
};

/* clipper_ws_flow.phase */
enum {
	CLIPPER_WS_REQUEST,	/* reading the client's request (initial) */
	CLIPPER_WS_RESPONSE,	/* request done, reading the server's reply */
	CLIPPER_WS_OPEN,	/* 101 seen: upgraded, frames are counted */
	CLIPPER_WS_NOT_WS,	/* not a WebSocket: nothing more is done */
};

/* clipper_ws_dir.flags */
#define CLIPPER_WS_DESYNC	0x01	/* lost the byte stream */
#define CLIPPER_WS_MALFORMED	0x02	/* invalid framing */

/* clipper_ws_dir.st: where the parser is in that direction's stream */
enum {
	CLIPPER_WS_ST_IDLE,	/* no payload seen yet (initial) */
	CLIPPER_WS_ST_HTTP,	/* in the request or response header block */
	CLIPPER_WS_ST_SKIPHS,	/* skipping hixie-76 key3 / challenge: rem */
	CLIPPER_WS_ST_WAIT,	/* client: request sent, 101 not seen yet */
	CLIPPER_WS_ST_HDR,	/* RFC 6455 frame header, hpos bytes in */
	CLIPPER_WS_ST_PAY,	/* skipping payload: rem bytes left */
	CLIPPER_WS_ST_HXTYPE,	/* hixie: next byte is a frame type */
	CLIPPER_WS_ST_HXLEN,	/* hixie: length digits, hpos bytes in */
	CLIPPER_WS_ST_HXTEXT,	/* hixie: sentinel frame, up to 0xff */
	CLIPPER_WS_ST_STOP,	/* desync or malformed: see flags */
};

/* the indexes of clipper_ws_add() after the frame classes */
#define CLIPPER_WS_T_PAYLOAD	CLIPPER_WS_NCLASS
#define CLIPPER_WS_T_HEADER	(CLIPPER_WS_NCLASS + 1)

/*
 * Add n to counter ctr of the caller's totals tot (see the top of this
 * file).  Defined by the includer: the module's ws.c, the tests.
 */
void clipper_ws_add(void *tot, unsigned int ctr, u64 n);

#define CLIPPER_WS_HTTP_MAX	4096	/* longest header block looked at */
#define CLIPPER_WS_CHUNK	32	/* scanning chunk */
#define CLIPPER_WS_HXLEN_MAX	16	/* hixie: longest length, in bytes */

/*
 * One segment's payload, seen through get(): a pointer to len bytes at
 * off, either into the segment or copied into buf (which has room for
 * len bytes), or NULL when out of range.  len is the payload length.
 * The first nlinear bytes may also be at data, contiguous (an skb's
 * linear part): those are read there, without a call.  tot is for
 * clipper_ws_add().
 */
struct clipper_ws_src {
	const u8 *(*get)(void *ctx, unsigned int off, unsigned int len,
			 u8 *buf);
	void *ctx;
	unsigned int len;
	unsigned int nlinear;
	const u8 *data;
	void *tot;
};

static inline const u8 *clipper_ws_get(const struct clipper_ws_src *src,
				       unsigned int off, unsigned int len,
				       u8 *buf)
{
	if (off < src->nlinear && len <= src->nlinear - off)
		return src->data + off;
	return src->get(src->ctx, off, len, buf);
}

/* One direction: counters, then the parser's position. */
struct clipper_ws_dir {
	u64	payload_bytes;
	u64	header_bytes;
	u64	rem;		/* payload to skip; length being decoded */
	u32	frames[CLIPPER_WS_NCLASS];
	u32	next_seq;	/* sequence number of the next byte */
	u8	st;		/* CLIPPER_WS_ST_* */
	u8	flags;		/* CLIPPER_WS_DESYNC, CLIPPER_WS_MALFORMED */
	u8	hpos;		/* header bytes seen of the current frame */
	u8	b0;		/* first byte of the current frame */
	u8	b1;		/* RFC 6455: second byte of the frame */
	u8	frag;		/* RFC 6455: a fragmented message is open */
};

/* The header block being read, one byte at a time. */
struct clipper_ws_hs {
	u16	nbytes;		/* bytes of the block so far */
	u16	cand;		/* header names still matching */
	u16	seen;		/* CLIPPER_WS_H_* bits seen */
	u8	lst;		/* line state */
	u8	lpos;		/* position in the name or value token */
	u8	hdr;		/* header whose value is being read */
};

/* Per flow.  All zero is the initial state. */
struct clipper_ws_flow {
	struct clipper_ws_dir	c2s;
	struct clipper_ws_dir	s2c;
	struct clipper_ws_hs	hs;
	u8			phase;	/* CLIPPER_WS_REQUEST... */
	u8			proto;	/* CLIPPER_WS_PROTO_* */
	u8			rsv_ok;	/* RSV bits the extensions allow */
};

/* Header names looked for, lower case, and their bits in hs.seen. */
enum {
	CLIPPER_WS_H_UPGRADE,
	CLIPPER_WS_H_KEY,
	CLIPPER_WS_H_KEY1,
	CLIPPER_WS_H_KEY2,
	CLIPPER_WS_H_ACCEPT,
	CLIPPER_WS_H_SORIGIN,
	CLIPPER_WS_H_SLOCATION,
	CLIPPER_WS_H_ORIGIN,
	CLIPPER_WS_H_LOCATION,
	CLIPPER_WS_H_EXT,
	CLIPPER_WS_H_NAMES,
	/* values found, also in hs.seen */
	CLIPPER_WS_H_WEBSOCKET = CLIPPER_WS_H_NAMES,	/* Upgrade: websocket */
	CLIPPER_WS_H_DEFLATE,		/* permessage-deflate extension */
	CLIPPER_WS_H_EXT_OTHER,		/* another extension */
};

#define CLIPPER_WS_REQ_NAMES	0x000f	/* upgrade, key, key1, key2 */
#define CLIPPER_WS_RESP_NAMES	0x03f1	/* upgrade, accept ... extensions */

static inline const char *clipper_ws_hname(unsigned int h)
{
	static const char * const names[CLIPPER_WS_H_NAMES] = {
		"upgrade",
		"sec-websocket-key",
		"sec-websocket-key1",
		"sec-websocket-key2",
		"sec-websocket-accept",
		"sec-websocket-origin",
		"sec-websocket-location",
		"websocket-origin",
		"websocket-location",
		"sec-websocket-extensions",
	};

	return names[h];
}

/* hs.lst */
enum {
	CLIPPER_WS_L_FIRST,	/* request or status line (initial) */
	CLIPPER_WS_L_NAME,	/* header name, lpos bytes in */
	CLIPPER_WS_L_SKIP,	/* rest of the line does not matter */
	CLIPPER_WS_L_VSTART,	/* value list: before an element */
	CLIPPER_WS_L_VTOK,	/* value list: element, lpos bytes matched */
	CLIPPER_WS_L_VREST,	/* value list: rest of the element */
};

static inline void clipper_ws_not_ws(struct clipper_ws_flow *f)
{
	f->phase = CLIPPER_WS_NOT_WS;
}

static inline void clipper_ws_stop(struct clipper_ws_dir *d, u8 why)
{
	d->st = CLIPPER_WS_ST_STOP;
	d->flags |= why;
}

/* the state in which the next frame of an open flow starts */
static inline void clipper_ws_frame_start(struct clipper_ws_flow *f,
					  struct clipper_ws_dir *d)
{
	d->st = f->proto == CLIPPER_WS_PROTO_RFC6455 ?
		CLIPPER_WS_ST_HDR : CLIPPER_WS_ST_HXTYPE;
	d->hpos = 0;
}

/* A frame of class cls whose header, hlen bytes, is complete. */
static inline void clipper_ws_count_frame(struct clipper_ws_dir *d, void *tot,
					  unsigned int cls, unsigned int hlen)
{
	d->frames[cls]++;
	d->header_bytes += hlen;
	clipper_ws_add(tot, cls, 1);
	clipper_ws_add(tot, CLIPPER_WS_T_HEADER, hlen);
}

static inline void clipper_ws_count_header(struct clipper_ws_dir *d, void *tot,
					   unsigned int n)
{
	d->header_bytes += n;
	clipper_ws_add(tot, CLIPPER_WS_T_HEADER, n);
}

static inline void clipper_ws_count_payload(struct clipper_ws_dir *d,
					    void *tot, u64 n)
{
	d->payload_bytes += n;
	clipper_ws_add(tot, CLIPPER_WS_T_PAYLOAD, n);
}

/* the token looked for in the value of hs.hdr */
static inline const char *clipper_ws_vtok(const struct clipper_ws_hs *hs)
{
	return hs->hdr == CLIPPER_WS_H_UPGRADE ?
	       "websocket" : "permessage-deflate";
}

/* a value list element of hs.hdr ended: did it match the token? */
static inline void clipper_ws_velem(struct clipper_ws_hs *hs, bool match)
{
	if (hs->hdr == CLIPPER_WS_H_UPGRADE) {
		if (match)
			hs->seen |= 1U << CLIPPER_WS_H_WEBSOCKET;
	} else {
		hs->seen |= 1U << (match ? CLIPPER_WS_H_DEFLATE :
				   CLIPPER_WS_H_EXT_OTHER);
	}
}

/* one byte of a header value list (Upgrade, Sec-WebSocket-Extensions) */
static inline void clipper_ws_vbyte(struct clipper_ws_hs *hs, u8 c)
{
	const char *tok = clipper_ws_vtok(hs);
	unsigned int tlen = strlen(tok);

	if (hs->lst == CLIPPER_WS_L_VSTART) {
		if (c == ' ' || c == '\t' || c == ',')
			return;
		hs->lst = CLIPPER_WS_L_VTOK;
		hs->lpos = 0;
	}
	if (hs->lst == CLIPPER_WS_L_VTOK) {
		if (hs->lpos < tlen && tolower(c) == (u8)tok[hs->lpos]) {
			hs->lpos++;
			return;
		}
		clipper_ws_velem(hs, hs->lpos == tlen &&
				 (c == ' ' || c == '\t' || c == ';' ||
				  c == ','));
		hs->lst = CLIPPER_WS_L_VREST;
	}
	if (c == ',')
		hs->lst = CLIPPER_WS_L_VSTART;
}

/* a name ended with ':': which header is it, if any */
static inline void clipper_ws_colon(struct clipper_ws_hs *hs)
{
	unsigned int h;

	hs->lst = CLIPPER_WS_L_SKIP;
	for (h = 0; h < CLIPPER_WS_H_NAMES; h++) {
		if (!(hs->cand & (1U << h)) ||
		    strlen(clipper_ws_hname(h)) != hs->lpos)
			continue;
		hs->hdr = h;
		if (h == CLIPPER_WS_H_UPGRADE || h == CLIPPER_WS_H_EXT)
			hs->lst = CLIPPER_WS_L_VSTART;
		else
			hs->seen |= 1U << h;
		return;
	}
}

/* one byte of a header name */
static inline void clipper_ws_nbyte(struct clipper_ws_hs *hs, u8 c)
{
	unsigned int h;
	const char *name;

	if (c == ':') {
		clipper_ws_colon(hs);
		return;
	}
	c = tolower(c);
	for (h = 0; h < CLIPPER_WS_H_NAMES; h++) {
		if (!(hs->cand & (1U << h)))
			continue;
		name = clipper_ws_hname(h);
		if (hs->lpos >= strlen(name) ||
		    (u8)name[hs->lpos] != c)
			hs->cand &= ~(1U << h);
	}
	hs->lpos++;
	if (!hs->cand)
		hs->lst = CLIPPER_WS_L_SKIP;
}

/* one byte of the request or status line; false: not a WebSocket */
static inline const char *clipper_ws_fpat(bool c2s)
{
	return c2s ? "GET " : "HTTP/1.? 101";
}

static inline bool clipper_ws_fbyte(struct clipper_ws_hs *hs, bool c2s,
				    u8 c)
{
	const char *pat = clipper_ws_fpat(c2s);
	unsigned int plen = strlen(pat);

	if (hs->lpos < plen) {
		if (pat[hs->lpos] != '?' && (u8)pat[hs->lpos] != c)
			return false;
		hs->lpos++;
		return true;
	}
	/* "HTTP/1.1 101" must not go on as "1010" */
	if (!c2s && c != ' ')
		return false;
	hs->lst = CLIPPER_WS_L_SKIP;
	return true;
}

/* the request's header block is complete */
static inline void clipper_ws_request_done(struct clipper_ws_flow *f)
{
	struct clipper_ws_hs *hs = &f->hs;
	u16 s = hs->seen;
	bool k1 = s & (1U << CLIPPER_WS_H_KEY1);
	bool k2 = s & (1U << CLIPPER_WS_H_KEY2);

	if (!(s & (1U << CLIPPER_WS_H_WEBSOCKET))) {
		clipper_ws_not_ws(f);
		return;
	}
	if (s & (1U << CLIPPER_WS_H_KEY)) {
		f->proto = CLIPPER_WS_PROTO_RFC6455;
	} else if (k1 && k2) {
		f->proto = CLIPPER_WS_PROTO_HIXIE76;
	} else if (!k1 && !k2) {
		f->proto = CLIPPER_WS_PROTO_HIXIE75;
	} else {
		clipper_ws_not_ws(f);
		return;
	}
	f->phase = CLIPPER_WS_RESPONSE;
	if (f->proto == CLIPPER_WS_PROTO_HIXIE76) {
		f->c2s.st = CLIPPER_WS_ST_SKIPHS;
		f->c2s.rem = 8;
	} else {
		f->c2s.st = CLIPPER_WS_ST_WAIT;
	}
	*hs = (struct clipper_ws_hs){ };
}

/* the 101's header block is complete */
static inline void clipper_ws_response_done(struct clipper_ws_flow *f)
{
	u16 s = f->hs.seen;
	u16 need;

	switch (f->proto) {
	case CLIPPER_WS_PROTO_RFC6455:
		need = 1U << CLIPPER_WS_H_ACCEPT;
		break;
	case CLIPPER_WS_PROTO_HIXIE76:
		need = 1U << CLIPPER_WS_H_SORIGIN | 1U << CLIPPER_WS_H_SLOCATION;
		break;
	default:
		need = 1U << CLIPPER_WS_H_ORIGIN | 1U << CLIPPER_WS_H_LOCATION;
		break;
	}
	if (!(s & need)) {
		clipper_ws_not_ws(f);
		return;
	}
	f->phase = CLIPPER_WS_OPEN;
	if (f->proto == CLIPPER_WS_PROTO_RFC6455) {
		if (s & (1U << CLIPPER_WS_H_EXT_OTHER))
			f->rsv_ok = 0x70;
		else if (s & (1U << CLIPPER_WS_H_DEFLATE))
			f->rsv_ok = 0x40;
	}
	if (f->proto == CLIPPER_WS_PROTO_HIXIE76) {
		f->s2c.st = CLIPPER_WS_ST_SKIPHS;
		f->s2c.rem = 16;
	} else {
		clipper_ws_frame_start(f, &f->s2c);
	}
	if (f->c2s.st == CLIPPER_WS_ST_WAIT)
		clipper_ws_frame_start(f, &f->c2s);
}

/*
 * Header block bytes from off: returns how many were used, up to and
 * including the blank line's LF.  May end the phase or the flow.
 */
static inline unsigned int clipper_ws_http(struct clipper_ws_flow *f,
					   bool c2s,
					   const struct clipper_ws_src *src,
					   unsigned int off)
{
	struct clipper_ws_hs *hs = &f->hs;
	u8 buf[CLIPPER_WS_CHUNK];
	unsigned int n = min_t(unsigned int, src->len - off, CLIPPER_WS_CHUNK);
	const u8 *p;
	unsigned int i;

	p = clipper_ws_get(src, off, n, buf);
	if (!p) {
		clipper_ws_not_ws(f);
		return n;
	}
	for (i = 0; i < n; i++) {
		u8 c = p[i];

		if (++hs->nbytes > CLIPPER_WS_HTTP_MAX) {
			clipper_ws_not_ws(f);
			return n;
		}
		if (c == '\r')
			continue;
		if (c != '\n') {
			switch (hs->lst) {
			case CLIPPER_WS_L_FIRST:
				if (!clipper_ws_fbyte(hs, c2s, c)) {
					clipper_ws_not_ws(f);
					return n;
				}
				break;
			case CLIPPER_WS_L_NAME:
				clipper_ws_nbyte(hs, c);
				break;
			case CLIPPER_WS_L_SKIP:
				break;
			default:
				clipper_ws_vbyte(hs, c);
				break;
			}
			continue;
		}
		/* end of a line */
		switch (hs->lst) {
		case CLIPPER_WS_L_FIRST:
			/* the request or status line cut short */
			if (hs->lpos < strlen(clipper_ws_fpat(c2s))) {
				clipper_ws_not_ws(f);
				return n;
			}
			break;
		case CLIPPER_WS_L_NAME:
			if (hs->lpos)
				break;
			/* the blank line */
			if (c2s)
				clipper_ws_request_done(f);
			else
				clipper_ws_response_done(f);
			return i + 1;
		case CLIPPER_WS_L_VTOK:
			clipper_ws_velem(hs, hs->lpos ==
					 strlen(clipper_ws_vtok(hs)));
			break;
		}
		hs->lst = CLIPPER_WS_L_NAME;
		hs->lpos = 0;
		hs->cand = c2s ? CLIPPER_WS_REQ_NAMES : CLIPPER_WS_RESP_NAMES;
	}
	return n;
}

/* RFC 6455: header length from the frame's second byte */
static inline unsigned int clipper_ws_extlen(u8 b1)
{
	switch (b1 & 0x7f) {
	case 126:
		return 2;
	case 127:
		return 8;
	}
	return 0;
}

static inline unsigned int clipper_ws_hlen(u8 b1)
{
	return 2 + clipper_ws_extlen(b1) + (b1 & 0x80 ? 4 : 0);
}

/* the class of an RFC 6455 opcode (0..15): one load, not a chain of tests */
static inline unsigned int clipper_ws_class(u8 opcode)
{
	static const u8 cls[16] = {
		[0] = CLIPPER_WS_CONT,
		[1] = CLIPPER_WS_TEXT,
		[2] = CLIPPER_WS_BINARY,
		[3 ... 7] = CLIPPER_WS_OTHER,
		[8] = CLIPPER_WS_CLOSE,
		[9] = CLIPPER_WS_PING,
		[10] = CLIPPER_WS_PONG,
		[11 ... 15] = CLIPPER_WS_OTHER,
	};

	return cls[opcode & 0x0f];
}

/* RFC 6455: one header byte; false when the frame is malformed */
static inline bool clipper_ws_hbyte(const struct clipper_ws_flow *f,
				    struct clipper_ws_dir *d, u8 c)
{
	unsigned int ext;
	bool ctl = d->b0 & 0x08;

	switch (d->hpos) {
	case 0:
		d->b0 = c;
		d->hpos = 1;
		if (c & 0x70 & ~f->rsv_ok)
			return false;
		/* control frames must not be fragmented */
		if (c & 0x08)
			return c & 0x80;
		/*
		 * A continuation continues an open message; a text or
		 * binary frame must not find one open.
		 */
		switch (c & 0x0f) {
		case 0:
			if (!d->frag)
				return false;
			break;
		case 1:
		case 2:
			if (d->frag)
				return false;
			break;
		default:
			return true;	/* reserved: not ours to judge */
		}
		d->frag = !(c & 0x80);
		return true;
	case 1:
		d->b1 = c;
		d->hpos = 2;
		d->rem = (c & 0x7f) < 126 ? c & 0x7f : 0;
		return true;
	}
	ext = clipper_ws_extlen(d->b1);
	if (d->hpos < 2 + ext) {
		d->rem = d->rem << 8 | c;
		if (++d->hpos < 2 + ext)
			return true;
		if (d->rem >> 63)
			return false;
		return !ctl || d->rem <= 125;
	}
	d->hpos++;		/* masking key */
	return true;
}

/*
 * RFC 6455: a frame header whose first two bytes are b0 and b1 and whose
 * extended length and masking key are at p (hlen - 2 bytes), all of it
 * in the segment.  The common case in one pass: a valid header, its
 * length minimally encoded or not, control frames with a 7-bit length.
 * Returns true once it is counted, false (nothing changed) for anything
 * else: a header that is malformed, or unusual, is left to
 * clipper_ws_hbyte(), one byte at a time, as is one cut by the end of a
 * segment, so that where a stream was cut never shows.
 */
static inline bool clipper_ws_rfc_whole(struct clipper_ws_flow *f,
					struct clipper_ws_dir *d, u8 b0, u8 b1,
					const u8 *p, unsigned int hlen,
					void *tot)
{
	bool frag = d->frag;
	unsigned int i;
	u64 rem;

	if (b0 & 0x70 & ~f->rsv_ok)
		return false;
	if (b0 & 0x08) {
		/* control: not fragmented, at most 125 bytes */
		if (!(b0 & 0x80) || (b1 & 0x7f) > 125)
			return false;
	} else if ((b0 & 0x0f) <= 2) {
		/* a continuation needs an open message, text or binary none */
		if (!(b0 & 0x0f) != frag)
			return false;
		frag = !(b0 & 0x80);
	}
	rem = b1 & 0x7f;
	if (rem >= 126) {
		rem = 0;
		for (i = 0; i < clipper_ws_extlen(b1); i++)
			rem = rem << 8 | p[i];
		if (rem >> 63)
			return false;
	}
	d->b0 = b0;
	d->b1 = b1;
	d->frag = frag;
	d->rem = rem;
	clipper_ws_count_frame(d, tot, clipper_ws_class(b0 & 0x0f), hlen);
	if (rem)
		d->st = CLIPPER_WS_ST_PAY;
	return true;
}

/* RFC 6455: bytes of a frame header from off; returns how many used */
static inline unsigned int clipper_ws_rfc_hdr(struct clipper_ws_flow *f,
					      struct clipper_ws_dir *d,
					      const struct clipper_ws_src *src,
					      unsigned int off)
{
	unsigned int n, i, hlen, used = 0;
	void *tot = src->tot;
	const u8 *p;
	u8 buf[14];

	/*
	 * A header that starts here and is whole in the segment: its first
	 * two bytes, the rest they announce, and one pass.
	 */
	n = src->len - off;
	if (!d->hpos && n >= 2) {
		p = clipper_ws_get(src, off, 2, buf);
		if (p) {
			u8 b0 = p[0], b1 = p[1];

			hlen = clipper_ws_hlen(b1);
			if (hlen == 2 &&
			    clipper_ws_rfc_whole(f, d, b0, b1, NULL, 2, tot))
				return 2;
			if (hlen > 2 && hlen <= n) {
				p = clipper_ws_get(src, off + 2, hlen - 2, buf);
				if (p && clipper_ws_rfc_whole(f, d, b0, b1, p,
							      hlen, tot))
					return hlen;
			}
		}
	}
	/*
	 * The first two bytes, then the rest that they announce: never a
	 * byte of the payload.
	 */
	do {
		if (d->hpos < 2)
			n = 2 - d->hpos;
		else
			n = clipper_ws_hlen(d->b1) - d->hpos;
		if (n > src->len - off - used)
			n = src->len - off - used;
		p = clipper_ws_get(src, off + used, n, buf);
		if (!p) {
			clipper_ws_stop(d, CLIPPER_WS_DESYNC);
			return used + n;
		}
		for (i = 0; i < n; i++) {
			if (!clipper_ws_hbyte(f, d, p[i])) {
				clipper_ws_stop(d, CLIPPER_WS_MALFORMED);
				return used + n;
			}
		}
		used += n;
		if (d->hpos < 2)
			return used;
		hlen = clipper_ws_hlen(d->b1);
	} while (d->hpos < hlen && used < src->len - off);
	if (d->hpos < hlen)
		return used;
	clipper_ws_count_frame(d, tot, clipper_ws_class(d->b0 & 0x0f), hlen);
	d->hpos = 0;
	if (d->rem)
		d->st = CLIPPER_WS_ST_PAY;
	return used;
}

/* hixie: one byte from off (a type byte or a length digit) */
static inline unsigned int clipper_ws_hx_byte(struct clipper_ws_flow *f,
					      struct clipper_ws_dir *d,
					      const struct clipper_ws_src *src,
					      unsigned int off)
{
	unsigned int cls;
	const u8 *p;
	u8 buf[1];
	u8 c;

	p = clipper_ws_get(src, off, 1, buf);
	if (!p) {
		clipper_ws_stop(d, CLIPPER_WS_DESYNC);
		return 1;
	}
	c = *p;
	if (d->st == CLIPPER_WS_ST_HXTYPE) {
		if (c & 0x80) {
			d->b0 = c;
			d->rem = 0;
			d->hpos = 1;
			d->st = CLIPPER_WS_ST_HXLEN;
			return 1;
		}
		clipper_ws_count_frame(d, src->tot,
				       c ? CLIPPER_WS_OTHER : CLIPPER_WS_TEXT, 1);
		d->st = CLIPPER_WS_ST_HXTEXT;
		return 1;
	}
	/* a length digit: the length must stay below 2^63 */
	if (d->rem >> 56 || d->hpos >= CLIPPER_WS_HXLEN_MAX) {
		clipper_ws_stop(d, CLIPPER_WS_MALFORMED);
		return 1;
	}
	d->rem = d->rem << 7 | (c & 0x7f);
	d->hpos++;
	if (c & 0x80)
		return 1;
	if (d->b0 == 0xff && !d->rem && f->proto == CLIPPER_WS_PROTO_HIXIE76)
		cls = CLIPPER_WS_CLOSE;
	else
		cls = CLIPPER_WS_BINARY;
	clipper_ws_count_frame(d, src->tot, cls, d->hpos);
	d->hpos = 0;
	d->st = d->rem ? CLIPPER_WS_ST_PAY : CLIPPER_WS_ST_HXTYPE;
	return 1;
}

/* hixie: sentinel frame bytes from off, up to and including the 0xff */
static inline unsigned int clipper_ws_hx_text(struct clipper_ws_dir *d,
					      const struct clipper_ws_src *src,
					      unsigned int off)
{
	u8 buf[CLIPPER_WS_CHUNK];
	unsigned int n = min_t(unsigned int, src->len - off, CLIPPER_WS_CHUNK);
	const u8 *p;
	unsigned int i;

	p = clipper_ws_get(src, off, n, buf);
	if (!p) {
		clipper_ws_stop(d, CLIPPER_WS_DESYNC);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == 0xff) {
			clipper_ws_count_payload(d, src->tot, i);
			clipper_ws_count_header(d, src->tot, 1);
			d->st = CLIPPER_WS_ST_HXTYPE;
			return i + 1;
		}
	}
	clipper_ws_count_payload(d, src->tot, n);
	return n;
}

/* a skip (payload or hixie-76 handshake bytes) has ended */
static inline void clipper_ws_skip_done(struct clipper_ws_flow *f,
					struct clipper_ws_dir *d)
{
	if (f->phase == CLIPPER_WS_OPEN)
		clipper_ws_frame_start(f, d);
	else
		d->st = CLIPPER_WS_ST_WAIT;	/* key3 sent, 101 not seen */
}

/* skip n bytes (n <= d->rem) in a skipping state */
static inline void clipper_ws_skip(struct clipper_ws_flow *f,
				   struct clipper_ws_dir *d, u64 n, void *tot)
{
	d->rem -= n;
	if (d->st == CLIPPER_WS_ST_PAY)
		clipper_ws_count_payload(d, tot, n);
	if (!d->rem)
		clipper_ws_skip_done(f, d);
}

/*
 * A segment starts gap bytes after the expected one: follow it if the
 * gap lies inside what is skipped anyway, else lose the direction.
 */
static inline bool clipper_ws_gap(struct clipper_ws_flow *f,
				  struct clipper_ws_dir *d, u32 gap, void *tot)
{
	if ((d->st == CLIPPER_WS_ST_PAY || d->st == CLIPPER_WS_ST_SKIPHS) &&
	    d->rem >= gap) {
		clipper_ws_skip(f, d, gap, tot);
		d->next_seq += gap;
		return true;
	}
	if (d->st == CLIPPER_WS_ST_HTTP)
		clipper_ws_not_ws(f);
	else
		clipper_ws_stop(d, CLIPPER_WS_DESYNC);
	return false;
}

/*
 * A direction's first payload byte will be seq (its SYN's sequence number
 * plus one): then a first segment that arrives after the second is known
 * for what it is.  Without it, the first payload seen starts the stream.
 */
static inline void clipper_ws_expect(struct clipper_ws_flow *f, bool c2s,
				     u32 seq)
{
	struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c;

	if (d->st != CLIPPER_WS_ST_IDLE)
		return;
	d->st = CLIPPER_WS_ST_HTTP;
	d->next_seq = seq;
}

/*
 * Would a segment starting at seq lose the stream if fed now?  True when
 * it starts beyond the next expected byte and the gap is not inside a
 * payload being skipped: the caller may hold it back until the bytes in
 * front of it have come (reordering), and feed it then.
 */
static inline bool clipper_ws_ahead(const struct clipper_ws_flow *f, bool c2s,
				    u32 seq)
{
	const struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c;
	u32 gap = seq - d->next_seq;

	if (f->phase == CLIPPER_WS_NOT_WS || d->st == CLIPPER_WS_ST_IDLE ||
	    d->st == CLIPPER_WS_ST_STOP || (s32)gap <= 0)
		return false;
	return !((d->st == CLIPPER_WS_ST_PAY || d->st == CLIPPER_WS_ST_SKIPHS) &&
		 d->rem >= gap);
}

/* The sequence number of the next byte a direction expects. */
static inline u32 clipper_ws_next_seq(const struct clipper_ws_flow *f,
				      bool c2s)
{
	return c2s ? f->c2s.next_seq : f->s2c.next_seq;
}

/*
 * A segment of len bytes at seq that lies wholly inside a payload being
 * skipped, in order: most segments of large frames.  Does what
 * clipper_ws_feed() would, without looking at the segment, and returns
 * true; false, having changed nothing, for any other segment, which then
 * goes to clipper_ws_feed().  The caller adds len to its payload total.
 */
static inline bool clipper_ws_feed_skip(struct clipper_ws_flow *f, bool c2s,
					u32 seq, unsigned int len)
{
	struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c;

	if (f->phase != CLIPPER_WS_OPEN || d->st != CLIPPER_WS_ST_PAY ||
	    seq != d->next_seq || !len || len >= d->rem)
		return false;
	d->rem -= len;
	d->payload_bytes += len;
	d->next_seq = seq + len;
	return true;
}

/*
 * RFC 6455 frames of an open flow whose headers are whole in p[0, len),
 * bytes of a segment at seq, in order: most segments of small frames.
 * Each header is decoded in one pass and its payload skipped, as
 * clipper_ws_feed() would, directly from p.  Returns how many bytes it
 * took, from 0 (not such a segment; nothing changed) to len: it stops at
 * anything else (a header cut by len, one that is malformed or unusual),
 * where clipper_ws_feed() takes the rest, from seq plus what was taken.
 */
static inline unsigned int clipper_ws_feed_frames(struct clipper_ws_flow *f,
						  bool c2s, u32 seq,
						  const u8 *p,
						  unsigned int len, void *tot)
{
	struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c;
	unsigned int off = 0, hlen;
	u64 n;

	if (f->phase != CLIPPER_WS_OPEN || seq != d->next_seq)
		return 0;
	while (d->st == CLIPPER_WS_ST_HDR && !d->hpos && len - off >= 2) {
		hlen = clipper_ws_hlen(p[off + 1]);
		if (hlen > len - off ||
		    !clipper_ws_rfc_whole(f, d, p[off], p[off + 1],
					  p + off + 2, hlen, tot))
			break;
		off += hlen;
		if (d->st == CLIPPER_WS_ST_PAY) {
			n = min_t(u64, len - off, d->rem);
			clipper_ws_skip(f, d, n, tot);
			off += n;
		}
	}
	d->next_seq = seq + off;
	return off;
}

/*
 * Feed one TCP segment: c2s for the client's direction, seq the sequence
 * number of its first payload byte, src its payload.
 */
static inline void clipper_ws_feed(struct clipper_ws_flow *f, bool c2s,
				   u32 seq, const struct clipper_ws_src *src)
{
	struct clipper_ws_dir *d = c2s ? &f->c2s : &f->s2c;
	unsigned int len = src->len, off = 0, n;
	u32 behind;

	if (f->phase == CLIPPER_WS_NOT_WS || !len ||
	    d->st == CLIPPER_WS_ST_STOP)
		return;
	/* the server does not answer a request it has not read */
	if (!c2s && f->phase == CLIPPER_WS_REQUEST) {
		clipper_ws_not_ws(f);
		return;
	}
	if (d->st == CLIPPER_WS_ST_IDLE) {
		d->st = CLIPPER_WS_ST_HTTP;
		d->next_seq = seq;
	}
	behind = d->next_seq - seq;
	if ((s32)behind > 0) {
		if (behind >= len)
			return;		/* all retransmitted */
		off = behind;
	} else if (behind && !clipper_ws_gap(f, d, -behind, src->tot)) {
		return;
	}
	while (off < len) {
		switch (d->st) {
		case CLIPPER_WS_ST_HTTP:
			n = clipper_ws_http(f, c2s, src, off);
			if (f->phase == CLIPPER_WS_NOT_WS)
				return;
			break;
		case CLIPPER_WS_ST_HDR:
			n = clipper_ws_rfc_hdr(f, d, src, off);
			break;
		case CLIPPER_WS_ST_PAY:
		case CLIPPER_WS_ST_SKIPHS:
			n = min_t(u64, len - off, d->rem);
			clipper_ws_skip(f, d, n, src->tot);
			break;
		case CLIPPER_WS_ST_HXTYPE:
		case CLIPPER_WS_ST_HXLEN:
			n = clipper_ws_hx_byte(f, d, src, off);
			break;
		case CLIPPER_WS_ST_HXTEXT:
			n = clipper_ws_hx_text(d, src, off);
			break;
		case CLIPPER_WS_ST_WAIT:
			/* client data before the 101 */
			clipper_ws_stop(d, CLIPPER_WS_DESYNC);
			return;
		default:
			return;
		}
		off += n;
		if (d->st == CLIPPER_WS_ST_STOP)
			return;
	}
	d->next_seq = seq + len;
}

#endif /* _CLIPPER_WSPARSE_H */

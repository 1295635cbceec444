// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a generic netlink fuzzer for the "clipper" family (selftests).
 *
 *   nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-j PROCS] [-r | -u] [-v]
 *
 * Each process sends COUNT requests (or as many as fit in SECONDS): every
 * command number, known and unknown, as a do and as a dump; requests
 * built from the family's YNL spec (nlfuzz-spec.h, generated from
 * Documentation/netlink/specs/clipper.yaml by "make gen": the commands,
 * the attributes, their types and checks) with valid and invalid
 * values, wrong attribute types and lengths, missing and repeated
 * attributes, nested garbage, oversize strings; then some of
 * them mutated: bytes flipped, nlmsghdr and genlmsghdr truncated, several
 * requests in one datagram, bad flags (dump on a do-only command, replace
 * and create on anything).  Dumps are also started on a fresh socket, read
 * part of the way or not at all, and the socket closed.  With -j, PROCS
 * processes do this at once, each seeded SEED + its index.
 *
 * Every reply is read (a request is handled while it is sent, so its
 * answers are queued when sendmsg returns) and checked to be well-formed;
 * the ACKs are counted by errno and printed as a histogram.
 *
 *   -r  refused only: every request to a command that changes state is
 *       made invalid on purpose (a newer protocol, an unknown attribute, a
 *       value out of range, a class mark in use, an entry that exists or
 *       does not, ...) and must be refused: one accepted is an error.
 *   -u  unprivileged: every well-formed request to a command that changes
 *       state must be refused with EPERM, none may be accepted.
 *
 * Exit status: 0, 1 when a check failed (a malformed reply, or -r / -u
 * broken), 2 on a usage or socket error, 4 when the family is not there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "clipper.h"
#include "nlfuzz-spec.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK	12
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

#define __aligned(n)	__attribute__((aligned(n)))	/* as the kernel has it */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BUF_SIZE	(64 * 1024)
#define MAX_PROCS	16
#define MAX_ERRNO	200
#define NCMD		256
#define MAX_INFLIGHT	8

/* Counters of one process, in memory shared with the parent. */
struct hist {
	uint64_t sent;			/* requests */
	uint64_t datagrams;
	uint64_t err[MAX_ERRNO + 1];	/* ACKs by errno (0: accepted) */
	uint64_t err_other;		/* errno beyond MAX_ERRNO */
	uint64_t replies;		/* data messages (do replies, dump parts) */
	uint64_t dumps_done;		/* NLMSG_DONE */
	uint64_t dump_intr;		/* NLM_F_DUMP_INTR seen */
	uint64_t silent;		/* requests without an answer */
	uint64_t not_request;		/* no NLM_F_REQUEST: skipped */
	uint64_t damaged_ok;		/* accepted with damaged headers */
	uint64_t abandoned;		/* dumps closed midway */
	uint64_t enobufs;		/* recv: replies dropped */
	uint64_t send_err[MAX_ERRNO + 1];	/* sendmsg refused, by errno */
	uint64_t cmd_sent[NCMD];
	uint64_t cmd_ok[NCMD];
	uint64_t malformed;		/* replies that do not parse: bug */
	uint64_t violations;		/* -r / -u broken: bug */
	int done;
};

static struct hist *hists;
static struct hist *H;
static int verbose;
static enum { MODE_ANY, MODE_REFUSED, MODE_UNPRIV } mode;
static uint16_t family_id;
static volatile sig_atomic_t stop;

/* ---- random numbers: xorshift64*, one stream per process ------------- */

static uint64_t rng;

static uint64_t rnd64(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd(uint32_t n)		/* 0..n-1 */
{
	return n ? (uint32_t)((rnd64() >> 32) % n) : 0;
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

/* A u32 that is interesting: limits, their neighbours, anything. */
static uint32_t rnd_u32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 99, 100, 999, 1000, 1001, 4096, 65535, 65536,
		600000, 600001, 1048576, 1048577, 16777216, 16777217,
		86400000, 86400001, 604800000, 604800001, 0x7fffffff,
		0x80000000, 0xfffffffe, 0xffffffff,
	};

	if (chance(60))
		return v[rnd(ARRAY_SIZE(v))];
	return (uint32_t)rnd64();
}

static uint8_t rnd_u8(void)
{
	static const uint8_t v[] = { 0, 1, 2, 5, 6, 10, 11, 47, 48, 49, 63,
				     64, 127, 128, 254, 255 };

	return chance(60) ? v[rnd(ARRAY_SIZE(v))] : (uint8_t)rnd(256);
}

/* ---- message building ----------------------------------------------- */

struct msg {
	char *buf;
	size_t len;		/* bytes written */
	size_t cap;
	size_t nest[8];		/* offsets of open nests */
	int depth;
};

static bool room(struct msg *m, size_t n)
{
	return m->len + NLMSG_ALIGN(n) <= m->cap;
}

static void put_attr(struct msg *m, uint16_t type, const void *data,
		     size_t len)
{
	struct nlattr *a;

	if (!room(m, NLA_HDRLEN + len) || NLA_HDRLEN + len > 0xffff)
		return;
	a = (struct nlattr *)(m->buf + m->len);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(m->buf + m->len + NLA_HDRLEN, data, len);
	memset(m->buf + m->len + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - (NLA_HDRLEN + len));
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v)
{
	put_attr(m, t, &v, 1);
}

static void put_u32(struct msg *m, uint16_t t, uint32_t v)
{
	put_attr(m, t, &v, 4);
}

static void nest_start(struct msg *m, uint16_t type)
{
	if (m->depth >= 8 || !room(m, NLA_HDRLEN)) {
		m->nest[m->depth < 8 ? m->depth : 7] = (size_t)-1;
		m->depth++;
		return;
	}
	m->nest[m->depth++] = m->len;
	put_attr(m, type | (chance(90) ? NLA_F_NESTED : 0), NULL, 0);
}

static void nest_end(struct msg *m)
{
	size_t off;

	if (!m->depth)
		return;
	off = m->nest[--m->depth > 7 ? 7 : m->depth];
	if (off == (size_t)-1)
		return;
	((struct nlattr *)(m->buf + off))->nla_len =
		m->len - off > 0xffff ? 0xffff : m->len - off;
}

/* Random bytes, sometimes printable (a string), sometimes NUL-terminated. */
static void rnd_bytes(char *p, size_t n, bool text)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = text ? (char)(' ' + rnd(95)) : (char)rnd(256);
}

/* An attribute of any type with any payload (wrong type, wrong length). */
static void put_garbage_attr(struct msg *m, uint16_t maxtype)
{
	static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 63,
				       64, 65, 200, 1000 };
	char data[1000];
	size_t len = lens[rnd(ARRAY_SIZE(lens))];
	uint16_t type = chance(80) ? rnd(maxtype + 3) : (uint16_t)rnd(0x10000);

	rnd_bytes(data, len, chance(30));
	if (len && chance(30))
		data[len - 1] = '\0';
	put_attr(m, type, data, len);
}

/* A nest full of garbage attributes, or of raw bytes that are none. */
static void put_garbage_nest(struct msg *m, uint16_t type, uint16_t maxtype)
{
	char raw[64];
	int i, n = rnd(5);

	if (chance(20)) {
		size_t len = rnd(sizeof(raw));

		rnd_bytes(raw, len, false);
		put_attr(m, type | (chance(50) ? NLA_F_NESTED : 0), raw, len);
		return;
	}
	nest_start(m, type);
	for (i = 0; i < n; i++) {
		if (chance(15))
			put_garbage_nest(m, rnd(maxtype + 2), maxtype);
		else
			put_garbage_attr(m, maxtype);
	}
	nest_end(m);
}

/* ---- the family, as its spec has it (nlfuzz-spec.h) ------------------ */

/* Attribute t of set, or NULL if the spec has no such attribute. */
static const struct spec_attr *spec_attr(enum spec_set_id set, uint16_t t)
{
	const struct spec_set *s = &spec_sets[set];

	return t <= s->max && s->attr[t].name ? &s->attr[t] : NULL;
}

static bool spec_scalar(const struct spec_attr *a)
{
	return a && (a->type == SPEC_U8 || a->type == SPEC_U16 ||
		     a->type == SPEC_U32 || a->type == SPEC_U64);
}

/* The payload length of a scalar type. */
static size_t spec_width(enum spec_type type)
{
	switch (type) {
	case SPEC_U8:
		return 1;
	case SPEC_U16:
		return 2;
	case SPEC_U64:
		return 8;
	default:
		return 4;
	}
}

static uint64_t spec_type_max(enum spec_type type)
{
	size_t w = spec_width(type);

	return w == 8 ? UINT64_MAX : (1ULL << (8 * w)) - 1;
}

enum pick { PICK_REQUEST, PICK_REPLY_ONLY, PICK_ANY };

/*
 * An attribute of set at random, 0 when there is none: one a request may
 * carry, one only replies carry, or any (but unused and pad ones).
 */
static uint16_t pick_attr(enum spec_set_id set, enum pick how)
{
	const struct spec_set *s = &spec_sets[set];
	unsigned int n = 0;
	uint16_t t, pick = 0;

	for (t = 0; t <= s->max; t++) {
		const struct spec_attr *a = &s->attr[t];

		if (!a->name || a->type == SPEC_UNUSED || a->type == SPEC_PAD)
			continue;
		if (how == PICK_REQUEST && !a->request)
			continue;
		if (how == PICK_REPLY_ONLY && a->request)
			continue;
		if (!rnd(++n))
			pick = t;
	}
	return pick;
}

/* A value that the attribute's checks accept. */
static uint64_t rnd_in_range(const struct spec_attr *a)
{
	uint64_t lo = a->has_min ? a->min : 0;
	uint64_t hi = a->has_max ? a->max : spec_type_max(a->type);

	return hi - lo == UINT64_MAX ? rnd64() : lo + rnd64() % (hi - lo + 1);
}

/* A value that the attribute's checks refuse; false if they refuse none. */
static bool rnd_out_of_range(const struct spec_attr *a, uint64_t *v)
{
	uint64_t top = spec_type_max(a->type);
	bool below = a->has_min && a->min > 0;
	bool above = a->has_max && a->max < top;

	if (below && (!above || chance(50))) {
		*v = chance(50) ? a->min - 1 : rnd64() % a->min;
		return true;
	}
	if (above) {
		*v = chance(50) ? a->max + 1 :
		     a->max + 1 + rnd64() % (top - a->max);
		return true;
	}
	return false;
}

/*
 * v as attribute t of set, in the spec's type: a scalar of its width, or
 * a flag (an attribute of another type, or unknown, goes as a u32).
 */
static void put_val(struct msg *m, enum spec_set_id set, uint16_t t, uint64_t v)
{
	const struct spec_attr *a = spec_attr(set, t);
	uint8_t b[8];
	size_t w;

	if (a && a->type == SPEC_FLAG) {
		put_attr(m, t, NULL, 0);
		return;
	}
	w = spec_width(spec_scalar(a) ? a->type : SPEC_U32);
	/* host order, as the kernel reads it */
	if (w == 1) {
		b[0] = v;
	} else if (w == 2) {
		uint16_t x = v;

		memcpy(b, &x, 2);
	} else if (w == 4) {
		uint32_t x = v;

		memcpy(b, &x, 4);
	} else {
		memcpy(b, &v, 8);
	}
	put_attr(m, t, b, w);
}

/* A scalar of set, sometimes as another width, or empty or cut short. */
static void put_val_maybe_bad(struct msg *m, enum spec_set_id set, uint16_t t,
			      uint64_t v)
{
	const struct spec_attr *a = spec_attr(set, t);
	size_t w = spec_width(spec_scalar(a) ? a->type : SPEC_U32);

	if (chance(w == 1 ? 90 : 92)) {
		put_val(m, set, t, v);
	} else if (chance(50)) {
		/* a u8 as a u32, a u32 as a u64, a u64 as a u32 ... */
		if (w < 4) {
			uint32_t x = v;

			put_attr(m, t, &x, 4);
		} else if (w == 4) {
			put_attr(m, t, &v, 8);
		} else {
			uint32_t x = v;

			put_attr(m, t, &x, 4);
		}
	} else {
		put_attr(m, t, &v, rnd(w));	/* 0 .. w - 1 bytes */
	}
}

/*
 * Attribute t of set in its own type, any value: a scalar, a flag, a
 * string, bytes of the length the spec has, an empty nest.
 */
static void put_typed(struct msg *m, enum spec_set_id set, uint16_t t)
{
	const struct spec_attr *a = spec_attr(set, t);
	char b[64];
	size_t len;

	switch (a ? a->type : SPEC_U32) {
	case SPEC_STRING:
		put_attr(m, t, "nlfuzz", 7);
		break;
	case SPEC_BINARY:
		len = a->exact_len ? a->exact_len : 1 + rnd(16);
		len = len < sizeof(b) ? len : sizeof(b);
		rnd_bytes(b, len, false);
		put_attr(m, t, b, len);
		break;
	case SPEC_NEST:
		nest_start(m, t);
		nest_end(m);
		break;
	default:
		put_val(m, set, t, spec_scalar(a) && chance(50) ?
			rnd_in_range(a) : rnd64());
		break;
	}
}

/* An attribute that only replies carry: in its type, or as a u32. */
static void put_reply_only(struct msg *m, enum spec_set_id set)
{
	uint16_t t = pick_attr(set, PICK_REPLY_ONLY);

	if (!t)
		return;
	if (chance(50))
		put_typed(m, set, t);
	else
		put_u32(m, t, rnd_u32());
}

/*
 * An attribute of set that a request may carry, with a value or a length
 * that its checks refuse; false if set has none.
 */
static bool put_out_of_range(struct msg *m, enum spec_set_id set)
{
	const struct spec_set *s = &spec_sets[set];
	const struct spec_attr *a;
	unsigned int n = 0;
	uint16_t t, pick = 0;
	char b[300];
	uint64_t v;
	size_t len;

	for (t = 0; t <= s->max; t++) {
		a = &s->attr[t];
		if (!a->name || !a->request)
			continue;
		if (a->exact_len || (a->type == SPEC_STRING && a->max_len) ||
		    (spec_scalar(a) && rnd_out_of_range(a, &v)))
			if (!rnd(++n))
				pick = t;
	}
	if (!pick)
		return false;
	a = &s->attr[pick];
	if (a->exact_len) {
		len = chance(50) ? rnd(a->exact_len) :
		      a->exact_len + 1 + rnd(8);
		rnd_bytes(b, len, false);
		put_attr(m, pick, b, len);
	} else if (a->type == SPEC_STRING) {
		/* too long, with its NUL */
		len = a->max_len + 1 + rnd(40);
		len = len < sizeof(b) - 1 ? len : sizeof(b) - 1;
		rnd_bytes(b, len, true);
		b[len] = '\0';
		put_attr(m, pick, b, len + 1);
	} else {
		rnd_out_of_range(a, &v);
		put_val(m, set, pick, v);
	}
	return true;
}

/* v as attribute t of a mac, class or config nest, in the spec's type. */
static void put_mac(struct msg *m, uint16_t t, uint64_t v)
{
	put_val(m, SPEC_SET_MAC, t, v);
}

static void put_class(struct msg *m, uint16_t t, uint64_t v)
{
	put_val(m, SPEC_SET_CLASS, t, v);
}

static void put_config(struct msg *m, uint16_t t, uint64_t v)
{
	put_val(m, SPEC_SET_CONFIG, t, v);
}

/* ---- what the fuzzer knows of the state (read at the start) --------- */

static uint32_t known_marks[CLIPPER_CLASS_MAX + 1];
static uint32_t known_mac_count;
static uint8_t known_mac[6];
static uint8_t known_mac_plen;
static bool have_known_mac;

/* A MAC: one of a few (so that add, del and replace meet), or any. */
static void rnd_mac(uint8_t *a)
{
	if (have_known_mac && chance(10)) {
		memcpy(a, known_mac, 6);
		return;
	}
	if (chance(70)) {
		/* 02:00:5e:10:xx:yy, a small space */
		a[0] = 0x02; a[1] = 0x00; a[2] = 0x5e; a[3] = 0x10;
		a[4] = rnd(4);
		a[5] = rnd(64);
		return;
	}
	rnd_bytes((char *)a, 6, false);
}

/*
 * The length of the MAC address attribute: the spec's exact-len (6), in
 * a buffer of MAC_BUF bytes.
 */
#define MAC_BUF		16

static size_t mac_attr_len(void)
{
	const struct spec_attr *a = spec_attr(SPEC_SET_MAC, CLIPPER_MAC_A_ADDR);
	size_t len = a && a->exact_len ? a->exact_len : 6;

	return len < MAC_BUF - 4 ? len : MAC_BUF - 4;
}

static void put_mac_nest(struct msg *m, bool need_class)
{
	size_t alen = mac_attr_len();
	uint8_t mac[MAC_BUF] = { 0 };
	char comment[300];
	int i, n;

	nest_start(m, CLIPPER_A_MAC);
	n = 1 + (chance(10) ? rnd(3) : 0);	/* sometimes repeated */
	for (i = 0; i < n; i++) {
		if (chance(95)) {
			rnd_mac(mac);
			if (chance(90)) {
				put_attr(m, CLIPPER_MAC_A_ADDR, mac, alen);
			} else {
				mac[alen] = rnd(256);
				put_attr(m, CLIPPER_MAC_A_ADDR, mac, rnd(alen + 3));
			}
		}
		if (chance(40)) {
			const struct spec_attr *a =
				spec_attr(SPEC_SET_MAC, CLIPPER_MAC_A_PREFIX);

			put_val_maybe_bad(m, SPEC_SET_MAC, CLIPPER_MAC_A_PREFIX,
					  chance(70) && a ? rnd_in_range(a) :
					  rnd_u8());
		}
		if (need_class ? chance(95) : chance(20)) {
			const struct spec_attr *a =
				spec_attr(SPEC_SET_MAC, CLIPPER_MAC_A_CLASS);

			put_val_maybe_bad(m, SPEC_SET_MAC, CLIPPER_MAC_A_CLASS,
					  chance(80) && a ? rnd_in_range(a) :
					  rnd_u8());
		}
		if (chance(30)) {
			const struct spec_attr *a =
				spec_attr(SPEC_SET_MAC, CLIPPER_MAC_A_COMMENT);
			/* mostly what the check takes, with room for the NUL */
			size_t max = a && a->max_len ? a->max_len : 63;
			size_t len = chance(70) ? rnd(max + 1) :
				     rnd(sizeof(comment));

			rnd_bytes(comment, len, chance(90));
			if (chance(90)) {
				comment[len] = '\0';
				len++;
			}
			put_attr(m, CLIPPER_MAC_A_COMMENT, comment, len);
		}
		if (chance(25)) {
			if (chance(90))
				put_mac(m, CLIPPER_MAC_A_RECLASSIFY, 1);
			else	/* a flag with a payload */
				put_u8(m, CLIPPER_MAC_A_RECLASSIFY, 1);
		}
		if (chance(5))
			put_reply_only(m, SPEC_SET_MAC);
		if (chance(5))
			put_garbage_attr(m, CLIPPER_MAC_A_MAX);
	}
	nest_end(m);
}

static void put_class_nest(struct msg *m)
{
	const struct spec_attr *id = spec_attr(SPEC_SET_CLASS,
					       CLIPPER_CLASS_A_ID);

	nest_start(m, CLIPPER_A_CLASS);
	if (chance(95))
		put_val_maybe_bad(m, SPEC_SET_CLASS, CLIPPER_CLASS_A_ID,
				  chance(85) && id ? rnd_in_range(id) :
				  rnd_u8());
	if (chance(50)) {
		uint32_t mark = chance(30) ? known_marks[rnd(6)] :
				chance(50) ? 0x7f000000 + rnd(16) : rnd_u32();

		put_val_maybe_bad(m, SPEC_SET_CLASS, CLIPPER_CLASS_A_MARK,
				  mark);
	}
	if (chance(50))
		put_val_maybe_bad(m, SPEC_SET_CLASS, CLIPPER_CLASS_A_PRIORITY,
				  chance(30) ? CLIPPER_PRIORITY_UNCHANGED :
				  rnd_u32());
	/* 0..63: the handler's range, which the spec's checks do not have */
	if (chance(50))
		put_val_maybe_bad(m, SPEC_SET_CLASS, CLIPPER_CLASS_A_DSCP,
				  chance(70) ? rnd(64) : rnd_u8());
	if (chance(5))
		put_reply_only(m, SPEC_SET_CLASS);
	if (chance(5))
		put_garbage_attr(m, CLIPPER_CLASS_A_MAX);
	nest_end(m);
}

/* The table limits, whose values are sizes rather than times. */
static bool config_is_limit(uint16_t t)
{
	return t == CLIPPER_CONFIG_A_MAC_MAX || t == CLIPPER_CONFIG_A_PMTU_MAX ||
	       t == CLIPPER_CONFIG_A_WS_MAX;
}

static void put_config_nest(struct msg *m)
{
	int i, n = rnd(6);

	nest_start(m, CLIPPER_A_CONFIG);
	for (i = 0; i < n; i++) {
		/* the settings, sometimes what only replies carry */
		uint16_t t = pick_attr(SPEC_SET_CONFIG, chance(90) ?
				       PICK_REQUEST : PICK_ANY);
		const struct spec_attr *a = spec_attr(SPEC_SET_CONFIG, t);
		uint64_t v;

		if (!a || chance(4)) {
			put_garbage_attr(m, CLIPPER_CONFIG_A_MAX);
			continue;
		}
		if (!spec_scalar(a)) {
			put_typed(m, SPEC_SET_CONFIG, t);
			continue;
		}
		if (a->type == SPEC_U8) {
			v = chance(60) ? rnd_in_range(a) : rnd_u8();
		} else {
			/* values the limits and the times accept, mostly */
			v = rnd_u32();
			if (chance(50) && config_is_limit(t))
				v = 4096 + rnd(100000);
			else if (chance(50))
				v = 1000 + rnd(500000);
		}
		put_val_maybe_bad(m, SPEC_SET_CONFIG, t, v);
	}
	nest_end(m);
}

/*
 * A nest that a request may carry, of a set nlfuzz has no builder of its
 * own for: its attributes at random, in their types, sometimes wrong.
 */
static void put_spec_nest(struct msg *m, uint16_t type, enum spec_set_id set)
{
	int i, n = rnd(6);

	nest_start(m, type);
	for (i = 0; i < n; i++) {
		uint16_t t = pick_attr(set, chance(90) ? PICK_REQUEST : PICK_ANY);
		const struct spec_attr *a = spec_attr(set, t);

		if (!a || chance(4))
			put_garbage_attr(m, spec_sets[set].max);
		else if (spec_scalar(a))
			put_val_maybe_bad(m, set, t, chance(60) ?
					  rnd_in_range(a) : rnd64());
		else
			put_typed(m, set, t);
	}
	nest_end(m);
}

/* The nest of top-level attribute t, for command cmd. */
static void put_request_nest(struct msg *m, uint16_t t, uint8_t cmd)
{
	switch (t) {
	case CLIPPER_A_MAC:
		put_mac_nest(m, cmd == CLIPPER_CMD_MAC_ADD);
		break;
	case CLIPPER_A_CLASS:
		put_class_nest(m);
		break;
	case CLIPPER_A_CONFIG:
		put_config_nest(m);
		break;
	default:
		put_spec_nest(m, t, spec_clipper_attrs[t].nest);
		break;
	}
}

/* ---- the commands -------------------------------------------------- */

static const struct spec_op *spec_op(uint8_t cmd)
{
	return cmd <= CLIPPER_CMD_MAX && spec_ops[cmd].name ?
	       &spec_ops[cmd] : NULL;
}

/* A command that changes state: a do with admin-perm. */
static bool cmd_is_admin(uint8_t cmd)
{
	const struct spec_op *op = spec_op(cmd);

	return op && op->admin && op->do_;
}

static bool cmd_is_dump(uint8_t cmd)
{
	const struct spec_op *op = spec_op(cmd);

	return op && op->dump;
}

/* The top-level attributes of a request for cmd, a bit each. */
static uint64_t cmd_request(uint8_t cmd)
{
	const struct spec_op *op = spec_op(cmd);

	return op ? op->request : 0;
}

/* A dump command at random. */
static uint8_t rnd_dump_cmd(void)
{
	unsigned int c, n = 0;
	uint8_t pick = CLIPPER_CMD_MAC_GET;

	for (c = 0; c <= CLIPPER_CMD_MAX; c++)
		if (cmd_is_dump(c) && !rnd(++n))
			pick = c;
	return pick;
}

/*
 * The nest that a request for cmd carries (and its set), else any nest
 * that a request carries.
 */
static uint16_t request_nest(uint8_t cmd, enum spec_set_id *set)
{
	uint64_t req = cmd_request(cmd);
	unsigned int n = 0;
	uint16_t t, pick = CLIPPER_A_MAC;

	for (t = 0; t <= CLIPPER_A_MAX; t++) {
		const struct spec_attr *a = &spec_clipper_attrs[t];

		if (!a->name || a->type != SPEC_NEST || !a->request)
			continue;
		if (req & 1ULL << t) {
			pick = t;
			break;
		}
		if (!rnd(++n))
			pick = t;
	}
	*set = spec_clipper_attrs[pick].nest;
	return pick;
}

/* What was sent under each sequence number of the current datagram. */
struct sent {
	uint32_t seq;
	uint8_t cmd;
	bool admin;
	bool intact;		/* the headers are as built */
	bool dump;
	bool ack;		/* NLM_F_ACK asked */
	bool request;		/* NLM_F_REQUEST: else skipped, ACKed with 0 */
	bool answered;
	uint16_t off;		/* where it is in the datagram */
	uint16_t len;
};

static const char *out_buf;

static struct sent inflight[MAX_INFLIGHT];
static int ninflight;
static uint32_t seq = 1;

/* The poison of -r: an addition that the kernel must refuse. */
static void put_poison(struct msg *m, uint8_t cmd)
{
	uint8_t mac[MAC_BUF] = { 0 };
	const struct spec_attr *a;
	enum spec_set_id set;
	uint64_t req = cmd_request(cmd);
	unsigned int n = 0;
	uint16_t t, pick = 0;

	switch (rnd(6)) {
	case 0:
		put_val(m, SPEC_SET_CLIPPER, CLIPPER_A_PROTOCOL,
			CLIPPER_PROTOCOL + 1 + rnd(5));
		break;
	case 1:		/* below the check's min */
		a = spec_attr(SPEC_SET_CLIPPER, CLIPPER_A_PROTOCOL);
		put_val(m, SPEC_SET_CLIPPER, CLIPPER_A_PROTOCOL,
			a && a->has_min && a->min ? rnd64() % a->min : 0);
		break;
	case 2:
		put_u32(m, CLIPPER_A_MAX + 1 + rnd(50), 1);
		break;
	case 3:		/* a known attribute the command does not take */
		for (t = 0; t <= CLIPPER_A_MAX; t++) {
			a = &spec_clipper_attrs[t];
			if (a->name && a->type != SPEC_UNUSED &&
			    a->type != SPEC_PAD && !(req & 1ULL << t) &&
			    !rnd(++n))
				pick = t;
		}
		if (chance(50))
			put_typed(m, SPEC_SET_CLIPPER, pick);
		else
			put_u32(m, pick, 0);
		break;
	case 4:		/* a nest with an attribute it does not take */
		t = request_nest(cmd, &set);
		nest_start(m, t);
		pick = pick_attr(set, PICK_REPLY_ONLY);
		if (pick && chance(50))
			put_typed(m, set, pick);
		else
			put_u32(m, spec_sets[set].max + 1 + rnd(20), 0);
		nest_end(m);
		break;
	default:	/* a value or a length out of the policy's range */
		t = request_nest(cmd, &set);
		nest_start(m, t);
		if (set == SPEC_SET_MAC) {
			rnd_mac(mac);
			put_attr(m, CLIPPER_MAC_A_ADDR, mac, mac_attr_len());
		}
		if (!put_out_of_range(m, set))
			put_u32(m, spec_sets[set].max + 1 + rnd(20), 0);
		nest_end(m);
		break;
	}
}

/*
 * A whole request that gets past the policies and is refused deep in the
 * handler (-r, and often otherwise): a MAC with bits beyond its prefix,
 * an entry that exists or does not, a DSCP out of range, a mark another
 * class has, settings out of range together with valid ones (all or
 * nothing), a MAC table limit below its size.
 */
static uint8_t build_deep_refusal(struct msg *m)
{
	uint8_t mac[MAC_BUF] = { 0x02, 0x00, 0x5e, 0x7f, 0x00, 0x01 };
	uint8_t cmd;
	int c;

	switch (rnd(7)) {
	case 0:
		cmd = chance(50) ? CLIPPER_CMD_MAC_ADD : CLIPPER_CMD_MAC_DEL;
		nest_start(m, CLIPPER_A_MAC);
		mac[5] = rnd(256) | 1;	/* bit 47: beyond any prefix < 48 */
		put_attr(m, CLIPPER_MAC_A_ADDR, mac, mac_attr_len());
		/* bit 47 set */
		put_mac(m, CLIPPER_MAC_A_PREFIX, 24 + rnd(24));
		put_mac(m, CLIPPER_MAC_A_CLASS, 1 + rnd(5));
		nest_end(m);
		return cmd;
	case 1:		/* an entry that is not there */
		nest_start(m, CLIPPER_A_MAC);
		mac[4] = 0xfe;
		mac[5] = rnd(256);
		put_attr(m, CLIPPER_MAC_A_ADDR, mac, mac_attr_len());
		if (chance(50))
			put_mac(m, CLIPPER_MAC_A_RECLASSIFY, 1);
		nest_end(m);
		return CLIPPER_CMD_MAC_DEL;
	case 2:		/* an entry that is there, without NLM_F_REPLACE */
		if (!have_known_mac)
			return build_deep_refusal(m);
		nest_start(m, CLIPPER_A_MAC);
		memcpy(mac, known_mac, sizeof(known_mac));
		put_attr(m, CLIPPER_MAC_A_ADDR, mac, mac_attr_len());
		put_mac(m, CLIPPER_MAC_A_PREFIX, known_mac_plen);
		put_mac(m, CLIPPER_MAC_A_CLASS, 1 + rnd(5));
		put_attr(m, CLIPPER_MAC_A_COMMENT, "nlfuzz", 7);
		nest_end(m);
		return CLIPPER_CMD_MAC_ADD;
	case 3:		/* DSCP 64..254, with a priority that must not stick */
		nest_start(m, CLIPPER_A_CLASS);
		put_class(m, CLIPPER_CLASS_A_ID, 1 + rnd(5));
		put_class(m, CLIPPER_CLASS_A_PRIORITY, rnd_u32());
		put_class(m, CLIPPER_CLASS_A_DSCP, 64 + rnd(191));
		nest_end(m);
		return CLIPPER_CMD_CLASS_SET;
	case 4:		/* the mark of another class, with other settings */
		c = 1 + rnd(5);
		nest_start(m, CLIPPER_A_CLASS);
		put_class(m, CLIPPER_CLASS_A_ID, c);
		put_class(m, CLIPPER_CLASS_A_PRIORITY, rnd_u32());
		put_class(m, CLIPPER_CLASS_A_DSCP, rnd(64));
		put_class(m, CLIPPER_CLASS_A_MARK, known_marks[c % 5 + 1]);
		nest_end(m);
		return CLIPPER_CMD_CLASS_SET;
	case 5:		/* valid settings, then one out of range */
		nest_start(m, CLIPPER_A_CONFIG);
		put_config(m, CLIPPER_CONFIG_A_DEFAULT_CLASS, 1 + rnd(5));
		put_config(m, CLIPPER_CONFIG_A_MAC_COUNTERS, rnd(2));
		put_config(m, CLIPPER_CONFIG_A_PMTU_MAX, 1 + rnd(1000));
		put_config(m, CLIPPER_CONFIG_A_WS_TIMEOUT, 1000 + rnd(100000));
		switch (rnd(6)) {
		case 0:
			put_config(m, CLIPPER_CONFIG_A_MAC_MAX, 16777217 + rnd(1000));
			break;
		case 1:
			put_config(m, CLIPPER_CONFIG_A_PMTU_MAX, 1048577 + rnd(1000));
			break;
		case 2:
			put_config(m, CLIPPER_CONFIG_A_PMTU_TIMEOUT, 86400001 + rnd(1000));
			break;
		case 3:
			put_config(m, CLIPPER_CONFIG_A_PMTU_WINDOW, 600001 + rnd(1000));
			break;
		case 4:
			put_config(m, CLIPPER_CONFIG_A_WS_MAX, 1048577 + rnd(1000));
			break;
		default:
			put_config(m, CLIPPER_CONFIG_A_WS_TIMEOUT, 604800001 + rnd(1000));
			break;
		}
		nest_end(m);
		return CLIPPER_CMD_CONFIG_SET;
	default:	/* a MAC table limit below the entries it holds */
		if (known_mac_count < 2)
			return build_deep_refusal(m);
		nest_start(m, CLIPPER_A_CONFIG);
		put_config(m, CLIPPER_CONFIG_A_RANDOM_CLASS, 1 + rnd(5));
		put_config(m, CLIPPER_CONFIG_A_MAC_MAX, 1 + rnd(known_mac_count - 1));
		put_config(m, CLIPPER_CONFIG_A_PMTU_RETRANS, 1 + rnd(10));
		nest_end(m);
		return CLIPPER_CMD_CONFIG_SET;
	}
}

/* The attributes of a request for cmd. */
static void build_attrs(struct msg *m, uint8_t cmd)
{
	uint64_t req = cmd_request(cmd);
	uint16_t t;
	int i, n;

	if (chance(30))
		put_val_maybe_bad(m, SPEC_SET_CLIPPER, CLIPPER_A_PROTOCOL,
				  chance(70) ? CLIPPER_PROTOCOL : rnd_u32());

	/* the others the command takes; mac-flush's nest is optional */
	for (t = 0; t <= CLIPPER_A_MAX; t++) {
		if (t == CLIPPER_A_PROTOCOL || !(req & 1ULL << t) ||
		    !chance(cmd == CLIPPER_CMD_MAC_FLUSH ? 30 : 95))
			continue;
		if (spec_clipper_attrs[t].type == SPEC_NEST)
			put_request_nest(m, t, cmd);
		else
			put_typed(m, SPEC_SET_CLIPPER, t);
	}

	/* extras: other commands' nests, garbage, repeats */
	n = chance(20) ? 1 + rnd(3) : 0;
	for (i = 0; i < n; i++) {
		switch (rnd(6)) {
		case 0:
			put_mac_nest(m, chance(50));
			break;
		case 1:
			put_class_nest(m);
			break;
		case 2:
			put_config_nest(m);
			break;
		case 3:
			put_garbage_nest(m, rnd(CLIPPER_A_MAX + 3), 20);
			break;
		default:
			put_garbage_attr(m, CLIPPER_A_MAX);
			break;
		}
	}
}

static uint8_t pick_cmd(void)
{
	if (chance(85))
		return 1 + rnd(CLIPPER_CMD_MAX);
	if (chance(50))
		return chance(30) ? 0 : CLIPPER_CMD_MAX + 1 + rnd(3);
	return rnd(256);
}

/*
 * One request appended to the datagram in m; its sequence number is
 * recorded.  mutate: whether to damage it after building it.
 */
static void build_request(struct msg *m, bool mutate)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	size_t start = m->len, end, i, n;
	bool deep = false, intact = true, cut = false;
	uint16_t flags;
	uint8_t cmd;

	if (!room(m, 4096) || ninflight >= MAX_INFLIGHT)
		return;
	nlh = (struct nlmsghdr *)(m->buf + start);
	m->len += NLMSG_HDRLEN + GENL_HDRLEN;
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	g = (struct genlmsghdr *)(m->buf + start + NLMSG_HDRLEN);

	if (chance(mode == MODE_REFUSED ? 25 : 8)) {
		deep = true;
		cmd = build_deep_refusal(m);
	} else {
		cmd = pick_cmd();
		build_attrs(m, cmd);
	}

	flags = NLM_F_REQUEST;
	if (chance(90))
		flags |= NLM_F_ACK;
	if (cmd_is_dump(cmd) ? chance(80) : chance(8))
		flags |= NLM_F_DUMP;
	if (chance(10))
		flags |= NLM_F_REPLACE;
	if (chance(10))
		flags |= NLM_F_CREATE | (chance(50) ? NLM_F_EXCL : 0);
	if (chance(3))
		flags ^= 1u << rnd(16);		/* anything, even no REQUEST */
	if (deep && chance(90))
		flags &= ~(NLM_F_REPLACE | NLM_F_DUMP);
	if (mode == MODE_REFUSED && deep)
		flags = NLM_F_REQUEST | NLM_F_ACK;

	/* -r: whatever else it carries, an admin request must fail */
	if (mode == MODE_REFUSED && cmd_is_admin(cmd) && !deep)
		put_poison(m, cmd);

	nlh->nlmsg_len = m->len - start;
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = chance(95) ? CLIPPER_GENL_VERSION : rnd(256);
	g->reserved = chance(95) ? 0 : rnd(65536);
	end = m->len;

	if (mutate) {
		bool safe = mode != MODE_REFUSED;

		switch (rnd(6)) {
		case 0:		/* flip bytes of the attributes */
			if (!safe && cmd_is_admin(cmd))
				break;
			n = 1 + rnd(4);
			for (i = 0; i < n && end > start + NLMSG_HDRLEN + GENL_HDRLEN; i++)
				m->buf[start + NLMSG_HDRLEN + GENL_HDRLEN +
				       rnd(end - start - NLMSG_HDRLEN - GENL_HDRLEN)] ^=
					1 << rnd(8);
			break;
		case 1:		/* flip bytes anywhere, headers too */
			if (!safe)
				break;
			n = 1 + rnd(3);
			for (i = 0; i < n; i++) {
				size_t off = rnd(end - start);

				/*
				 * not the type (no other family's commands),
				 * nor the sequence number (a reply must find
				 * its request, not a neighbour's)
				 */
				if (off != 4 && off != 5 && (off < 8 || off > 11))
					m->buf[start + off] = rnd(256);
			}
			/*
			 * the flags and the command as sent are what the
			 * replies are judged by: a write flipped into a read
			 * has its data reply
			 */
			flags = nlh->nlmsg_flags;
			if (end - start >= NLMSG_HDRLEN + GENL_HDRLEN)
				cmd = g->cmd;
			intact = false;
			break;
		case 2:		/* cut the datagram, the length says more */
			m->len = start + rnd(end - start);
			intact = false;
			cut = true;
			break;
		case 3:		/* a shorter length: the rest is a "message" */
			if (!safe)
				break;
			nlh->nlmsg_len = rnd(end - start);
			intact = false;
			break;
		case 4:		/* a genlmsghdr cut short, consistently */
			if (!safe && cmd_is_admin(cmd))
				break;
			m->len = start + NLMSG_HDRLEN + rnd(GENL_HDRLEN);
			nlh->nlmsg_len = m->len - start;
			intact = false;
			break;
		default:	/* a longer length than there is */
			nlh->nlmsg_len += 4 + rnd(64);
			intact = false;
			break;
		}
		end = m->len;
	}
	if (cut) {
		/*
		 * The datagram ends here, unaligned: padding would make the
		 * length right again, with the last bytes zeroed (a valid
		 * request: 16777217 becomes 1).  Nothing may follow it.
		 */
		m->cap = m->len;
	} else {
		m->len = start + NLMSG_ALIGN(end - start);
		if (m->len > end)
			memset(m->buf + end, 0, m->len - end);
	}

	inflight[ninflight].seq = seq;
	inflight[ninflight].cmd = cmd;
	/* without NLM_F_REQUEST the kernel skips it (and ACKs it with 0) */
	inflight[ninflight].admin = cmd_is_admin(cmd) &&
				    (flags & NLM_F_REQUEST);
	inflight[ninflight].ack = flags & NLM_F_ACK;
	inflight[ninflight].request = flags & NLM_F_REQUEST;
	inflight[ninflight].intact = intact;
	inflight[ninflight].dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	inflight[ninflight].answered = false;
	inflight[ninflight].off = start;
	inflight[ninflight].len = m->len - start;
	ninflight++;
	seq++;
	H->sent++;
	H->cmd_sent[cmd]++;
}

/* ---- sockets and replies -------------------------------------------- */

static int nl_open(bool options)
{
	int fd, one = 1, size = 1 << 20;
	struct timeval tv = { .tv_sec = 2 };

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (options) {
		int v;

		v = chance(70);
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &v, sizeof(v));
		v = chance(50);
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &v, sizeof(v));
		v = chance(30);
		setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &v, sizeof(v));
	} else {
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	}
	return fd;
}

static struct sent *find_sent(uint32_t s)
{
	int i;

	for (i = 0; i < ninflight; i++)
		if (inflight[i].seq == s)
			return &inflight[i];
	return NULL;
}

static void violation(const char *what, const struct sent *s, int err)
{
	unsigned int i;

	H->violations++;
	fprintf(stderr, "nlfuzz: %s: cmd %u%s seq %u: %s (%d); the request:",
		what, s->cmd, s->dump ? " (dump)" : "", s->seq,
		err ? strerror(err) : "accepted", err);
	for (i = 0; out_buf && i < s->len; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ",
			(unsigned char)out_buf[s->off + i]);
	fputc('\n', stderr);
}

/* Attributes of a reply lie within it: nla_len >= 4, nothing past the end. */
static bool attrs_ok(const char *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, step = NLA_ALIGN(alen);

		if (alen < NLA_HDRLEN || alen > len)
			return false;
		if ((a->nla_type & NLA_F_NESTED) && depth < 4 &&
		    !attrs_ok(p + NLA_HDRLEN, alen - NLA_HDRLEN, depth + 1))
			return false;
		if (step >= len)
			return true;
		p += step;
		len -= step;
	}
	return len == 0;
}

/* An ACK or NLMSG_DONE for s with error code err (<= 0). */
static void account_ack(struct sent *s, int code, bool done)
{
	int e = -code;

	if (code > 0 || code < -4095) {
		H->malformed++;
		fprintf(stderr, "nlfuzz: error code %d in an ACK\n", code);
		return;
	}
	if (done)
		H->dumps_done++;
	if (e <= MAX_ERRNO)
		H->err[e]++;
	else
		H->err_other++;
	if (!s)
		return;
	/* -r: nothing may get through, headers damaged (cut) or not */
	if (mode == MODE_REFUSED && s->admin && !e && !done)
		violation("-r: a request that changes state was accepted", s, e);
	if (!s->intact) {	/* another command, other flags, maybe */
		H->damaged_ok += !e;
		return;
	}
	if (!s->request) {
		H->not_request++;
		return;
	}
	if (!e)
		H->cmd_ok[s->cmd]++;
	if (mode == MODE_UNPRIV && s->admin && !e)
		violation("-u: accepted without CAP_NET_ADMIN", s, e);
	/* 6.12 looks the dump up first: EOPNOTSUPP before EPERM */
	if (mode == MODE_UNPRIV && s->admin && e && e != EPERM &&
	    !(s->dump && e == EOPNOTSUPP))
		violation("-u: refused, but not with EPERM", s, e);
}

/* Reads every reply queued on fd; returns false on a socket error. */
static bool drain(int fd, char *buf, int limit_parts)
{
	int parts = 0;

	for (;;) {
		ssize_t r = recv(fd, buf, BUF_SIZE, MSG_DONTWAIT);
		struct nlmsghdr *nlh;
		int rem;

		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == ENOBUFS) {
				H->enobufs++;
				continue;
			}
			if (errno == EINTR)
				continue;
			perror("nlfuzz: recv");
			return false;
		}
		if (r == 0)
			return true;
		rem = r;
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, rem);
		     nlh = NLMSG_NEXT(nlh, rem)) {
			struct sent *s = find_sent(nlh->nlmsg_seq);
			size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
			const char *pl = NLMSG_DATA(nlh);

			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				H->dump_intr++;
			if (s)
				s->answered = true;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = (const void *)pl;

				if (plen < sizeof(*e)) {
					H->malformed++;
					fprintf(stderr, "nlfuzz: short NLMSG_ERROR\n");
					continue;
				}
				account_ack(s, e->error, false);
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				int code = 0;

				if (plen >= sizeof(int))
					memcpy(&code, pl, sizeof(int));
				account_ack(s, code, true);
			} else if (nlh->nlmsg_type == family_id) {
				H->replies++;
				if (plen < GENL_HDRLEN ||
				    !attrs_ok(pl + GENL_HDRLEN,
					      plen - GENL_HDRLEN, 0)) {
					H->malformed++;
					fprintf(stderr,
						"nlfuzz: malformed reply, cmd %u, %zu bytes\n",
						plen >= 1 ? (unsigned char)pl[0] : 0,
						plen);
				}
				if (s && s->admin && mode != MODE_ANY)
					violation("a reply with data to a write", s, 0);
			} else if (nlh->nlmsg_type != NLMSG_NOOP) {
				H->malformed++;
				fprintf(stderr, "nlfuzz: reply of type %u\n",
					nlh->nlmsg_type);
			}
		}
		if (rem > 0 && rem >= (int)NLMSG_HDRLEN) {
			H->malformed++;
			fprintf(stderr, "nlfuzz: %d bytes left in a datagram\n",
				rem);
		}
		if (limit_parts && ++parts >= limit_parts)
			return true;
	}
}

/* A request for cmd with no attributes, as a dump (for abandon, learn). */
static size_t simple_request(char *buf, uint8_t cmd, uint16_t flags,
			     uint32_t s)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = s;
	g->cmd = cmd;
	g->version = CLIPPER_GENL_VERSION;
	return nlh->nlmsg_len;
}

/* Start a dump on a fresh socket, read a part of it or none, close. */
static void abandon_dump(char *buf)
{
	/* the MAC table, the largest, more often */
	uint8_t cmd = chance(20) ? CLIPPER_CMD_MAC_GET : rnd_dump_cmd();
	int fd = nl_open(true), size;
	size_t len;

	if (fd < 0)
		return;
	if (chance(30)) {	/* a small buffer: many small parts */
		size = 1 + rnd(8192);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	len = simple_request(buf, cmd, NLM_F_REQUEST | NLM_F_DUMP |
			     (chance(50) ? NLM_F_ACK : 0), seq++);
	if (send(fd, buf, len, 0) >= 0 && chance(70)) {
		/* one or a few parts of it */
		ninflight = 0;
		drain(fd, buf, 1 + rnd(3));
	}
	H->abandoned++;
	close(fd);
}

/* The value of scalar attribute b of set, if it has the spec's width. */
static bool get_val(enum spec_set_id set, const struct nlattr *b, uint64_t *v)
{
	const struct spec_attr *a = spec_attr(set, b->nla_type & NLA_TYPE_MASK);
	const char *d = (const char *)b + NLA_HDRLEN;
	size_t w;

	if (!spec_scalar(a))
		return false;
	w = spec_width(a->type);
	if (b->nla_len != NLA_HDRLEN + w)
		return false;
	if (w == 1) {
		*v = *(const uint8_t *)d;
	} else if (w == 2) {
		uint16_t x;

		memcpy(&x, d, 2);
		*v = x;
	} else if (w == 4) {
		uint32_t x;

		memcpy(&x, d, 4);
		*v = x;
	} else {
		memcpy(v, d, 8);
	}
	return true;
}

/* One attribute b inside a reply's top-level nest at. */
static void learn_attr(uint16_t at, const struct nlattr *b, uint8_t *id)
{
	uint16_t t = b->nla_type & NLA_TYPE_MASK;
	uint64_t v;

	switch (at) {
	case CLIPPER_A_CLASS:
		if (!get_val(SPEC_SET_CLASS, b, &v))
			break;
		if (t == CLIPPER_CLASS_A_ID)
			*id = v;
		else if (t == CLIPPER_CLASS_A_MARK && *id <= CLIPPER_CLASS_MAX)
			known_marks[*id] = v;
		break;
	case CLIPPER_A_CONFIG:
		if (t == CLIPPER_CONFIG_A_MAC_COUNT &&
		    get_val(SPEC_SET_CONFIG, b, &v))
			known_mac_count = v;
		break;
	case CLIPPER_A_MAC:
		if (have_known_mac)
			break;
		if (t == CLIPPER_MAC_A_ADDR &&
		    b->nla_len == NLA_HDRLEN + sizeof(known_mac)) {
			memcpy(known_mac, (const char *)b + NLA_HDRLEN,
			       sizeof(known_mac));
			known_mac_plen = 48;
		} else if (t == CLIPPER_MAC_A_PREFIX &&
			   get_val(SPEC_SET_MAC, b, &v)) {
			known_mac_plen = v;
		}
		break;
	}
}

/* A reply: each top-level nest, and what is inside it. */
static void learn_msg(const struct nlmsghdr *nlh)
{
	const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int alen = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

	while (alen >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		uint16_t at = a->nla_type & NLA_TYPE_MASK;
		const char *q = p + NLA_HDRLEN;
		int qlen = a->nla_len - NLA_HDRLEN;
		uint8_t id = 0;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > alen)
			return;
		while (qlen >= NLA_HDRLEN) {
			const struct nlattr *b = (const void *)q;

			if (b->nla_len < NLA_HDRLEN || b->nla_len > qlen)
				break;
			learn_attr(at, b, &id);
			q += NLA_ALIGN(b->nla_len);
			qlen -= NLA_ALIGN(b->nla_len);
		}
		if (at == CLIPPER_A_MAC)
			have_known_mac = true;
		p += NLA_ALIGN(a->nla_len);
		alen -= NLA_ALIGN(a->nla_len);
	}
}

/* Read the classes' marks, the MAC count and one entry, for refusals. */
static void learn(int fd, char *buf)
{
	static const uint8_t cmds[] = {
		CLIPPER_CMD_CLASS_GET, CLIPPER_CMD_CONFIG_GET,
		CLIPPER_CMD_MAC_GET,
	};
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(cmds); k++) {
		uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
		bool done = false;
		size_t len;

		if (cmd_is_dump(cmds[k]))
			flags |= NLM_F_DUMP;
		len = simple_request(buf, cmds[k], flags, 0);
		if (send(fd, buf, len, 0) < 0)
			return;
		while (!done) {
			ssize_t r = recv(fd, buf, BUF_SIZE, 0);
			struct nlmsghdr *nlh;
			int rem;

			if (r <= 0)
				return;
			rem = r;
			for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, rem);
			     nlh = NLMSG_NEXT(nlh, rem)) {
				if (nlh->nlmsg_type == NLMSG_ERROR ||
				    nlh->nlmsg_type == NLMSG_DONE) {
					done = true;
					break;
				}
				learn_msg(nlh);
			}
		}
	}
}

/* ---- family id ------------------------------------------------------- */

static int resolve_family(int fd, const char *name)
{
	char buf[8192] __aligned(4);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct msg m = { .buf = buf, .cap = sizeof(buf) };
	ssize_t r;
	int rem;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m.len = NLMSG_HDRLEN + GENL_HDRLEN;
	put_attr(&m, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	nlh->nlmsg_len = m.len;
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	if (send(fd, buf, m.len, 0) < 0)
		return -errno;
	r = recv(fd, buf, sizeof(buf), 0);
	if (r < 0)
		return -errno;
	rem = r;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, rem);
	     nlh = NLMSG_NEXT(nlh, rem)) {
		const char *p = (const char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
		int alen = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		if (nlh->nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
		while (alen >= NLA_HDRLEN) {
			const struct nlattr *a = (const void *)p;

			if (a->nla_len < NLA_HDRLEN || a->nla_len > alen)
				break;
			if (a->nla_type == CTRL_ATTR_FAMILY_ID &&
			    a->nla_len >= NLA_HDRLEN + 2)
				return *(const uint16_t *)(p + NLA_HDRLEN);
			p += NLA_ALIGN(a->nla_len);
			alen -= NLA_ALIGN(a->nla_len);
		}
	}
	return -ENOENT;
}

/* ---- one process ----------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

static int worker(uint64_t seed, unsigned long count, double deadline)
{
	static char out[BUF_SIZE] __aligned(8);
	static char in[BUF_SIZE] __aligned(8);
	struct msg m = { .buf = out, .cap = sizeof(out) };
	unsigned long i = 0;
	int fd;

	out_buf = out;
	rng = seed ? seed : 1;
	rnd64();
	fd = nl_open(true);
	if (fd < 0) {
		perror("nlfuzz: socket");
		return 2;
	}
	learn(fd, in);

	while ((!count || i < count) && !stop) {
		int k, n;

		if ((i & 63) == 0 && deadline && now_s() >= deadline)
			break;
		if (chance(2)) {
			abandon_dump(in);
			i++;
			continue;
		}
		if (chance(1)) {	/* a new socket, new options */
			close(fd);
			fd = nl_open(true);
			if (fd < 0)
				return 2;
			if (chance(20))
				learn(fd, in);
		}
		m.len = 0;
		m.depth = 0;
		m.cap = sizeof(out);
		ninflight = 0;
		n = chance(10) ? 2 + rnd(4) : 1;
		/* -r: a damaged request may swallow the next one's bytes */
		for (k = 0; k < n; k++)
			build_request(&m, chance(25) &&
				      (mode != MODE_REFUSED || n == 1));
		if (!m.len)
			continue;
		if (chance(1))	/* the shortest datagrams */
			m.len = rnd(NLMSG_HDRLEN + 1);
		H->datagrams++;
		if (send(fd, out, m.len, 0) < 0) {
			if (errno == EBADF || errno == ENOTSOCK ||
			    errno == EFAULT) {
				perror("nlfuzz: send");
				return 2;
			}
			/* an empty datagram: ENODATA, from the netlink core */
			if (m.len && (verbose ||
				      H->send_err[errno <= MAX_ERRNO ? errno : 0] < 2))
				fprintf(stderr, "nlfuzz: sendmsg of %zu bytes (type %u cmd %u len %u): %s\n",
					m.len, m.len >= 6 ? *(uint16_t *)(out + 4) : 0,
					m.len > 16 ? (unsigned char)out[16] : 0,
					m.len >= 4 ? *(uint32_t *)out : 0,
					strerror(errno));
			H->send_err[errno <= MAX_ERRNO ? errno : 0]++;
		}
		if (!drain(fd, in, 0))
			return 2;
		for (k = 0; k < ninflight; k++)
			if (!inflight[k].answered && inflight[k].ack &&
			    inflight[k].intact)
				H->silent++;
		i += n;
	}
	close(fd);
	return 0;
}

/* ---- report ---------------------------------------------------------- */

static const char *cmd_name(unsigned int c)
{
	return c <= CLIPPER_CMD_MAX ? spec_ops[c].name : NULL;
}

static void report(struct hist *t, int procs, uint64_t seed, double secs)
{
	unsigned int e, c;
	uint64_t unknown_sent = 0, unknown_ok = 0;

	printf("seed %" PRIu64 ", %d process%s, %" PRIu64 " requests in %" PRIu64
	       " datagrams, %.1f s (%.0f/s)\n", seed, procs,
	       procs > 1 ? "es" : "", t->sent, t->datagrams, secs,
	       secs > 0 ? t->sent / secs : 0.0);
	printf("answers by errno:\n");
	for (e = 0; e <= MAX_ERRNO; e++) {
		if (!t->err[e])
			continue;
		printf("  %-16s %8" PRIu64 "  %s\n",
		       e ? strerrorname_np(e) ? strerrorname_np(e) : "?" : "OK",
		       t->err[e], e ? strerror(e) : "accepted");
	}
	if (t->err_other)
		printf("  %-16s %8" PRIu64 "\n", "other", t->err_other);
	for (e = 0; e <= MAX_ERRNO; e++)
		if (t->send_err[e])
			printf("  sendmsg failed: %-16s %8" PRIu64 "\n",
			       e && strerrorname_np(e) ? strerrorname_np(e) : "?",
			       t->send_err[e]);
	printf("messages without NLM_F_REQUEST (skipped by the kernel, ACKed with 0) %" PRIu64
	       ", accepted with damaged headers %" PRIu64 "\n",
	       t->not_request, t->damaged_ok);
	printf("data replies %" PRIu64 ", dumps done %" PRIu64
	       ", interrupted dump parts %" PRIu64 ", dumps abandoned %" PRIu64
	       "\nrequests without an answer %" PRIu64
	       " (no ACK asked, or dropped), recv ENOBUFS %" PRIu64 "\n",
	       t->replies, t->dumps_done, t->dump_intr, t->abandoned,
	       t->silent, t->enobufs);
	printf("per command (sent / accepted, headers intact):\n");
	for (c = 0; c < NCMD; c++) {
		if (!cmd_name(c)) {
			unknown_sent += t->cmd_sent[c];
			unknown_ok += t->cmd_ok[c];
			continue;
		}
		if (t->cmd_sent[c])
			printf("  %-12s %7" PRIu64 " / %" PRIu64 "\n",
			       cmd_name(c), t->cmd_sent[c], t->cmd_ok[c]);
	}
	printf("  %-12s %7" PRIu64 " / %" PRIu64 "\n", "unknown",
	       unknown_sent, unknown_ok);
	printf("malformed replies %" PRIu64 ", violations %" PRIu64 "\n",
	       t->malformed, t->violations);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [-s SEED] [-n COUNT] [-t SECONDS] [-j PROCS] [-r | -u] [-v]\n"
		"  -s SEED     random seed (default: from the clock; printed)\n"
		"  -n COUNT    requests per process (default 20000; 0: no limit)\n"
		"  -t SECONDS  stop after this long (default: no limit)\n"
		"  -j PROCS    processes sending at once (default 1, at most 16)\n"
		"  -r          refused only: requests that change state must fail\n"
		"  -u          unprivileged: they must fail with EPERM\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long count = 20000;
	double secs = 0, start, deadline = 0;
	uint64_t seed = 0;
	struct hist total;
	int procs = 1, opt, fd, id, p, rc = 0;
	pid_t pids[MAX_PROCS];

	while ((opt = getopt(argc, argv, "s:n:t:j:ruvh")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 't':
			secs = strtod(optarg, NULL);
			break;
		case 'j':
			procs = atoi(optarg);
			if (procs < 1 || procs > MAX_PROCS)
				usage();
			break;
		case 'r':
			mode = MODE_REFUSED;
			break;
		case 'u':
			mode = MODE_UNPRIV;
			break;
		case 'v':
			verbose++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (!count && !secs))
		usage();
	if (!seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000003) ^ ts.tv_nsec ^ getpid();
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0) {
		perror("nlfuzz: socket");
		return 2;
	}
	id = resolve_family(fd, CLIPPER_GENL_NAME);
	close(fd);
	if (id < 0) {
		fprintf(stderr, "nlfuzz: no \"%s\" generic netlink family: %s (module not loaded?)\n",
			CLIPPER_GENL_NAME, strerror(-id));
		return 4;
	}
	family_id = id;
	printf("nlfuzz: family \"%s\" id %u, seed %" PRIu64 ", mode %s\n",
	       CLIPPER_GENL_NAME, family_id, seed,
	       mode == MODE_REFUSED ? "refused-only" :
	       mode == MODE_UNPRIV ? "unprivileged" : "any");

	hists = mmap(NULL, sizeof(*hists) * procs, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hists == MAP_FAILED) {
		perror("nlfuzz: mmap");
		return 2;
	}
	memset(hists, 0, sizeof(*hists) * procs);
	signal(SIGALRM, on_alarm);
	start = now_s();
	if (secs)
		deadline = start + secs;

	for (p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("nlfuzz: fork");
			return 2;
		}
		if (!pids[p]) {
			H = &hists[p];
			if (secs)
				alarm((unsigned int)secs + 30);
			rc = worker(seed + p, count, deadline);
			H->done = 1;
			fflush(NULL);
			_exit(rc);
		}
	}
	for (p = 0; p < procs; p++) {
		int st;

		if (waitpid(pids[p], &st, 0) < 0 || !WIFEXITED(st)) {
			fprintf(stderr, "nlfuzz: process %d died\n", p);
			rc = 2;
		} else if (WEXITSTATUS(st) && !rc) {
			rc = WEXITSTATUS(st);
		}
	}

	memset(&total, 0, sizeof(total));
	for (p = 0; p < procs; p++) {
		uint64_t *d = (uint64_t *)&total, *s = (uint64_t *)&hists[p];
		size_t k;

		for (k = 0; k < offsetof(struct hist, done) / sizeof(uint64_t); k++)
			d[k] += s[k];
	}
	report(&total, procs, seed, now_s() - start);
	if (!rc && (total.malformed || total.violations))
		rc = 1;
	return rc;
}

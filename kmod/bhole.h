/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: PMTU black-hole detection, pure logic.
 *
 * Used by the module and, unchanged, by the userspace unit tests
 * (kmod/tests/), which provide u8/u16/u32/s32 and bool.  Nothing here
 * allocates or reads a clock: callers pass now, a u32 count of
 * milliseconds that may wrap, and all time comparisons are wrap-safe.
 *
 * A black hole: a router on the path drops packets above its MTU without
 * sending the ICMP frag-needed / packet-too-big that would let the sender
 * lower its PMTU.  Its signature is the same full-size segment of a flow
 * sent again and again, no ACK past it, and no ICMP for the destination.
 *
 * Per flow direction, a suspect record counts the resends of one segment
 * (clipper_bh_retransmit); an ACK past it clears the record
 * (clipper_bh_ack), and SACK blocks behind it prove a loss
 * (clipper_bh_sack_proves).  Per destination, a path state (struct clipper_bh_path)
 * goes suspect -> blackhole -> ok and carries the MTU learned, from the
 * step-down table below or from an ICMP that passed.
 */
#ifndef _CLIPPER_BHOLE_H
#define _CLIPPER_BHOLE_H

/* the defaults of pmtu-window and pmtu-retrans */
#define CLIPPER_BH_WINDOW_MS	10000
#define CLIPPER_BH_RETRANS	2

/* the lowest MTU a path is given: the IPv6 minimum, IPv4's 576 */
#define CLIPPER_PMTU_FLOOR_V4	576
#define CLIPPER_PMTU_FLOOR_V6	1280

/* the lowest MTU an ICMP frag-needed / packet-too-big may announce */
#define CLIPPER_PMTU_ICMP_MIN_V4	68
#define CLIPPER_PMTU_ICMP_MIN_V6	1280
/*
 * and the lowest IPv4 MTU it teaches, as the kernel's min_pmtu: a forged
 * frag-needed must not make every later SYN to a host carry a tiny MSS
 */
#define CLIPPER_PMTU_LEARN_MIN_V4	552

/* wrap-safe comparisons of u32 millisecond times (and TCP sequences) */
static inline bool clipper_after(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

static inline bool clipper_after_eq(u32 a, u32 b)
{
	return (s32)(a - b) >= 0;
}

/* ---- one flow direction: resends of a full-size segment ---------------- */

struct clipper_bh_suspect {
	u32	seq;		/* the segment resent */
	u32	first;		/* ms: its first resend counted */
	u32	last;		/* ms: its latest resend or SACK note */
	u32	sack_left;	/* the latest SACK block noted */
	u32	sack_right;
	u32	sack_at;	/* ms: when, 0: never */
	u16	len;		/* IP length of the latest resend */
	u16	payload;	/* its TCP payload, set by the caller */
	u8	count;		/* resends counted, 0: a fresh record */
	u8	dir;		/* the conntrack direction */
};

struct clipper_bh_params {
	u32	window_ms;	/* the resends must fall within this */
	u8	retrans;	/* resends that make a black hole, 0: off */
};

enum clipper_bh_verdict {
	CLIPPER_BH_NONE,
	CLIPPER_BH_SUSPECT,	/* resent, fewer than retrans times */
	CLIPPER_BH_BLACKHOLE,	/* resent retrans times within the window */
};

/*
 * A full-size segment (IP length iplen) of direction dir was sent again.
 *
 * The record follows the first segment the receiver is missing: a fresh
 * record, another direction, an earlier segment, or a window past since
 * the first resend counted start the count again at 1.  A later segment
 * resent behind the one counted changes nothing (CLIPPER_BH_NONE): after a
 * loss the sender resends all it had in flight, and only the first one
 * tells whether the path takes the size.  The same segment at another
 * length (the sender obeyed an ICMP and cut it down) starts the count
 * again too: the first resend at the new size goes out at once, and only
 * its loss, a resend after a timeout, says that the new size is too big as
 * well.  Without that, every ICMP would make the next step within a round
 * trip, before the ACK of a size that passes could come back.
 *
 * Every resend from the retrans-th on, within the window, answers
 * CLIPPER_BH_BLACKHOLE; CLIPPER_BH_NONE also when retrans is 0 (off).
 */
static inline enum clipper_bh_verdict
clipper_bh_retransmit(struct clipper_bh_suspect *s, u32 seq, u16 iplen,
		      u8 dir, u32 now, const struct clipper_bh_params *p)
{
	if (s->count && s->dir == dir && clipper_after(seq, s->seq) &&
	    !clipper_after(now, s->first + p->window_ms))
		return CLIPPER_BH_NONE;
	if (!s->count || s->seq != seq || s->dir != dir || s->len != iplen ||
	    clipper_after(now, s->first + p->window_ms)) {
		s->seq = seq;
		s->dir = dir;
		s->first = now;
		s->count = 1;
	} else if (s->count < 0xff) {
		s->count++;
	}
	s->len = iplen;
	s->last = now;

	if (!p->retrans)
		return CLIPPER_BH_NONE;
	if (s->count >= p->retrans)
		return CLIPPER_BH_BLACKHOLE;
	return CLIPPER_BH_SUSPECT;
}

/*
 * An ACK of the other direction: true when it is past the segment resent,
 * so the path works (for now); the caller drops the record.
 */
static inline bool clipper_bh_ack(const struct clipper_bh_suspect *s, u32 ack)
{
	return clipper_after(ack, s->seq);
}

/*
 * SACK: the evidence that tells a lossy link from a black hole.  A lossy
 * link delivers the segments sent behind a lost one, and the receiver
 * reports them in SACK blocks, before the lost segment is resent (they
 * make the sender's fast retransmit) and after.  A black hole delivers
 * nothing of that size.  So the record keeps the largest block of the
 * latest ACK that had one (clipper_bh_sack_note), and a resent segment
 * with a block as large as itself behind it is a loss, not a hole
 * (clipper_bh_sack_proves).  Peers without SACK give no such evidence
 * and are judged on resends alone.
 */

/*
 * The largest SACK block of TCP options opt (optlen bytes) that starts
 * after ack, the ACK's cumulative acknowledgment (D-SACK blocks, at or
 * below it, report duplicates).  False when there is none or the options
 * do not parse.
 */
static inline bool clipper_bh_sack_block(const u8 *opt, unsigned int optlen,
					 u32 ack, u32 *left, u32 *right)
{
	unsigned int i = 0, len, b;
	bool found = false;

	while (i < optlen) {
		if (opt[i] == 0)		/* end of options */
			break;
		if (opt[i] == 1) {		/* NOP */
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return false;
		len = opt[i + 1];
		if (len < 2 || i + len > optlen)
			return false;		/* malformed: no evidence */
		if (opt[i] == 5 && len >= 10 && (len - 2) % 8 == 0) {
			for (b = i + 2; b + 8 <= i + len; b += 8) {
				u32 l = (u32)opt[b] << 24 | (u32)opt[b + 1] << 16 |
					(u32)opt[b + 2] << 8 | opt[b + 3];
				u32 r = (u32)opt[b + 4] << 24 |
					(u32)opt[b + 5] << 16 |
					(u32)opt[b + 6] << 8 | opt[b + 7];

				if (!clipper_after(l, ack) ||
				    !clipper_after(r, l))
					continue;
				if (!found || r - l > *right - *left) {
					*left = l;
					*right = r;
					found = true;
				}
			}
		}
		i += len;
	}
	return found;
}

/*
 * True when optlen bytes of TCP options cannot hold a SACK block, so an
 * ACK needs no parse: fewer than 12 (two NOPs and a 10-byte block are the
 * least a stack sends), or 12 that begin NOP, NOP, timestamp, the layout
 * Linux and most stacks send on every segment, which the timestamp fills.
 * opt: the first four option bytes, or NULL when they are not at hand.
 */
static inline bool clipper_bh_no_sack(unsigned int optlen, const u8 *opt)
{
	if (optlen < 12)
		return true;
	return optlen == 12 && opt && opt[0] == 1 && opt[1] == 1 &&
	       opt[2] == 8 && opt[3] == 10;
}

/*
 * An ACK of the other direction, not past the resent segment, with SACK
 * block [left, right): remembered for the next resends (a record with no
 * resend counted yet, count 0, holds just this).
 */
static inline void clipper_bh_sack_note(struct clipper_bh_suspect *s,
					u32 left, u32 right, u32 now)
{
	s->sack_left = left;
	s->sack_right = right;
	s->sack_at = now ? now : 1;	/* 0 means never */
	s->last = now;
}

/*
 * The resent segment of the record (its payload set) has behind it a SACK
 * block of at least its size, seen at most window_ms before now: the
 * segment was lost, the path takes the size.
 */
static inline bool clipper_bh_sack_proves(const struct clipper_bh_suspect *s,
					  u32 now, u32 window_ms)
{
	return s->count && s->payload && s->sack_at &&
	       !clipper_after(s->sack_at, now) &&
	       !clipper_after(now, s->sack_at + window_ms) &&
	       clipper_after(s->sack_left, s->seq) &&
	       s->sack_right - s->sack_left >= s->payload;
}

/*
 * A black hole by count, for a segment that was the last one sent (its end
 * is the highest sequence of the flow direction): true while it should
 * wait for one resend more.  Behind the last segment nothing can arrive to
 * be SACKed, so a lossy link that loses it and its tail-loss probe looks
 * like a hole; one resend more makes that as rare again as the loss rate.
 * A black hole costs the wait only when all the sender had was one
 * segment.
 */
static inline bool clipper_bh_tail_waits(const struct clipper_bh_suspect *s,
					 const struct clipper_bh_params *p)
{
	return s->count < p->retrans + 1;
}

/* ---- the MTU step-down table -------------------------------------------- */

static inline unsigned int clipper_pmtu_floor(bool ipv6)
{
	return ipv6 ? CLIPPER_PMTU_FLOOR_V6 : CLIPPER_PMTU_FLOOR_V4;
}

/*
 * The largest MTU of the table below len, 0 when len is at the floor.  The
 * table: common MTUs, Ethernet down through PPPoE and the usual tunnels to
 * the IPv6 minimum, then for IPv4 only the old X.25 / SLIP sizes.
 */
static inline unsigned int clipper_pmtu_step_below(unsigned int len, bool ipv6)
{
	static const u16 steps[] = {
		1500, 1492, 1480, 1460, 1420, 1400, 1380, 1280, 1006, 576, 0
	};
	unsigned int lo = clipper_pmtu_floor(ipv6), i;

	for (i = 0; steps[i] >= lo; i++)
		if (steps[i] < len)
			return steps[i];
	return 0;
}

/* The smallest IP length a PMTU black hole can swallow: above the floor. */
static inline unsigned int clipper_pmtu_full_size_min(bool ipv6)
{
	return clipper_pmtu_floor(ipv6) + 1;
}

/* ---- one path (a destination) ------------------------------------------- */

/*
 * The states of a path.  The same values as enum clipper_pmtu_state of
 * uapi/clipper.h (CLIPPER_PMTU_*), which is to replace them.
 */
enum clipper_path_state {
	CLIPPER_PATH_NONE	= 0,	/* new */
	CLIPPER_PATH_SUSPECT	= 1,	/* a full-size segment was resent */
	CLIPPER_PATH_BLACKHOLE	= 2,	/* the signature: being repaired */
	CLIPPER_PATH_OK		= 3,	/* learned (ICMP), repaired, cleared */
};

struct clipper_bh_path {
	u32	detected;	/* ms: the last turn into blackhole */
	u32	changed;	/* ms: the last change of state or mtu */
	u32	icmp_seen;	/* ms: the last ICMP for it, 0: none */
	u16	mtu;		/* learned path MTU, 0: none */
	u8	state;		/* enum clipper_path_state */
	u8	fixes;		/* for the caller */
	u32	events;		/* changes reported (functions returning true) */
};

static inline bool clipper_path_report(struct clipper_bh_path *path, u32 now)
{
	path->changed = now;
	path->events++;
	return true;
}

/*
 * A full-size segment to this path was resent: a new or ok path becomes
 * suspect.  True on that change (worth a counter, not an event).
 */
static inline bool clipper_path_suspect(struct clipper_bh_path *path, u32 now)
{
	if (path->state != CLIPPER_PATH_NONE && path->state != CLIPPER_PATH_OK)
		return false;
	path->state = CLIPPER_PATH_SUSPECT;
	return clipper_path_report(path, now);
}

/* An ICMP for the path was seen at most window_ms before now. */
static inline bool
clipper_path_icmp_recent(const struct clipper_bh_path *path, u32 now,
			 u32 window_ms)
{
	return path->icmp_seen && !clipper_after(path->icmp_seen, now) &&
	       !clipper_after(now, path->icmp_seen + window_ms);
}

/*
 * The resends of a full-size segment of IP length iplen to this path made
 * a black hole.  Unless an ICMP for the path was seen within
 * icmp_window_ms (the sender has been told: false, nothing changes), the
 * path gets the MTU of the table below iplen, or below the MTU already
 * learned if smaller, but not below the floor, and turns blackhole
 * (detected = now on the turn).  While blackhole, the sender's smaller
 * resends were lost too: the next step skips two entries of the table
 * (1500, 1492, 1420, 1280, then IPv4's 576), as every step costs the
 * sender a retransmission timeout, each twice the one before, but never
 * past 1280, which IPv6 links all carry and tunnels aim at.  True on the
 * turn and on every further step; false once at the floor.
 */
static inline bool clipper_path_blackhole(struct clipper_bh_path *path,
					  unsigned int iplen, bool ipv6,
					  u32 now, u32 icmp_window_ms)
{
	unsigned int base = iplen, mtu, next, stop, skip;

	if (clipper_path_icmp_recent(path, now, icmp_window_ms))
		return false;
	if (path->mtu && path->mtu < base)
		base = path->mtu;
	mtu = clipper_pmtu_step_below(base, ipv6);
	/* skips stop at 1280 when coming from above it */
	stop = base > CLIPPER_PMTU_FLOOR_V6 ? CLIPPER_PMTU_FLOOR_V6 : 1;
	if (path->state == CLIPPER_PATH_BLACKHOLE)
		for (skip = 0; skip < 2 && mtu > stop; skip++) {
			next = clipper_pmtu_step_below(mtu, ipv6);
			if (next < stop)
				break;
			mtu = next;
		}
	if (!mtu)
		mtu = clipper_pmtu_floor(ipv6);
	if (path->state == CLIPPER_PATH_BLACKHOLE && path->mtu == mtu)
		return false;
	if (path->state != CLIPPER_PATH_BLACKHOLE) {
		path->state = CLIPPER_PATH_BLACKHOLE;
		path->detected = now;
	}
	path->mtu = mtu;
	return clipper_path_report(path, now);
}

/*
 * An ACK past a resent segment of this path: a suspect or blackhole path is
 * ok.  True only for blackhole -> ok (repaired); suspect -> ok was a lost
 * segment, no event, false.  The learned MTU is kept.
 */
static inline bool clipper_path_progress(struct clipper_bh_path *path, u32 now)
{
	if (path->state == CLIPPER_PATH_SUSPECT) {
		path->state = CLIPPER_PATH_OK;
		path->changed = now;
		return false;
	}
	if (path->state != CLIPPER_PATH_BLACKHOLE)
		return false;
	path->state = CLIPPER_PATH_OK;
	return clipper_path_report(path, now);
}

/*
 * An ICMP frag-needed / packet-too-big for this path passed, announcing mtu
 * (0 from old routers).  It is remembered for clipper_path_blackhole(); an
 * mtu at least CLIPPER_PMTU_ICMP_MIN_V4 / _V6, at most 65535, below the
 * one learned (or with none learned) is learned, an IPv4 one raised to
 * CLIPPER_PMTU_LEARN_MIN_V4 first.  A path not blackhole becomes ok.  True
 * when the MTU or the state changed.
 */
static inline bool clipper_path_icmp(struct clipper_bh_path *path,
				     unsigned int mtu, bool ipv6, u32 now)
{
	unsigned int lo = ipv6 ? CLIPPER_PMTU_ICMP_MIN_V6 :
				 CLIPPER_PMTU_ICMP_MIN_V4;
	bool change = false;

	path->icmp_seen = now ? now : 1;	/* 0 means never */
	if (!ipv6 && mtu >= lo && mtu < CLIPPER_PMTU_LEARN_MIN_V4)
		mtu = CLIPPER_PMTU_LEARN_MIN_V4;
	if (mtu >= lo && mtu <= 0xffff && (!path->mtu || mtu < path->mtu)) {
		path->mtu = mtu;
		change = true;
	}
	if (path->state != CLIPPER_PATH_BLACKHOLE &&
	    path->state != CLIPPER_PATH_OK) {
		path->state = CLIPPER_PATH_OK;
		change = true;
	}
	return change && clipper_path_report(path, now);
}

/*
 * No change for timeout_ms: the caller forgets the path and its MTU, so
 * that a larger MTU is tried again, as PMTU discovery does.
 */
/*
 * Forget a path: one that did not change for timeout_ms, or, sooner, one
 * that learned no MTU and is no black hole once window_ms has passed (a
 * resend that made it suspect and then nothing: ordinary loss, which on a
 * busy router would otherwise fill the table for timeout_ms).
 */
static inline bool clipper_path_expired(const struct clipper_bh_path *path,
					u32 now, u32 timeout_ms,
					u32 window_ms)
{
	if (!path->mtu && path->state != CLIPPER_PATH_BLACKHOLE &&
	    window_ms < timeout_ms)
		timeout_ms = window_ms;
	return clipper_after_eq(now, path->changed + timeout_ms);
}

static inline const char *clipper_path_state_name(u8 state)
{
	switch (state) {
	case CLIPPER_PATH_SUSPECT:
		return "suspect";
	case CLIPPER_PATH_BLACKHOLE:
		return "blackhole";
	case CLIPPER_PATH_OK:
		return "ok";
	default:
		return "unknown";
	}
}

#endif /* _CLIPPER_BHOLE_H */

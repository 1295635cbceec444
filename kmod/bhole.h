/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: PMTU black-hole detection, pure logic.
 *
 * Used by the module and, unchanged, by the userspace unit tests
 * (kmod/tests/, whose shim headers supply the kernel helpers used here).
 * Nothing here allocates or reads a clock: callers pass now, a u32 count
 * of milliseconds that may wrap, and all time comparisons are wrap-safe:
 * before() and after() of net/tcp.h, as for sequence numbers.
 *
 * A black hole: a router on the path drops packets above its MTU without
 * sending the ICMP frag-needed / packet-too-big that would let the sender
 * lower its PMTU.  A segment that vanishes and is sent again is not
 * evidence of one by itself: a link that is down for a while, a lossy
 * link and a black hole all make it.  What tells a black hole apart is
 * that small packets still pass while large ones vanish, and clipper
 * makes that experiment itself:
 *
 * S sends R a segment [seq, end) again.  Right after it, clipper sends R
 * a copy of the segment's first bytes, small enough to pass a narrow link
 * (a probe).  R answers the copy with an ACK of exactly its end only if
 * the large segment did not arrive before it (else R acknowledges the
 * whole segment).  Then, when no ACK of the whole segment came for a
 * while after that (twice the copy's round trip, at least
 * CLIPPER_BH_HOLD_MIN_MS: a resend that was only overtaken arrives in
 * that time), or when S moves on past the copy (its answer to that ACK)
 * first, the large segment vanished while the small copy passed: one
 * confirmation.  Clipper then sends R the rest of the segment, in pieces
 * no larger than the copy, so that R acknowledges it whole and S goes on
 * at once instead of after its next timeout.  An ACK of the whole
 * segment before that means it did arrive: no black hole, the record
 * starts over.  A copy that gets no answer before S sends the same segment again
 * means that nothing passes: an outage, the record's confirmations start
 * over.  pmtu-retrans confirmations in a row, with no full-size segment
 * acknowledged in between, make a black hole.
 *
 * Resends of data that R already acknowledged (replays) never get here
 * (the caller compares them with conntrack's highest ACK of R), and SACK
 * blocks behind a resend, as large as it, prove a loss.  The copies carry
 * S's own bytes, so R can only ever receive correct data, and they keep
 * the flow moving before anything is decided.
 *
 * Per destination, a path state (struct clipper_bh_path) says what was
 * found and whether it applies to the flows of one sender only (scope
 * flow: a hostile sender can make its own segments vanish) or to every
 * flow to the destination (scope path: confirmed by a second sender, by a
 * sender on this host, or taught by an ICMP that conntrack related).
 */
#ifndef _CLIPPER_BHOLE_H
#define _CLIPPER_BHOLE_H

#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <net/tcp.h>

/* the defaults of pmtu-window and pmtu-retrans (confirmations in a row) */
#define CLIPPER_BH_WINDOW_MS	10000
#define CLIPPER_BH_RETRANS	3

/* the lowest MTU a path is given: the IPv6 minimum, IPv4's min_pmtu */
#define CLIPPER_PMTU_FLOOR_V4	552
#define CLIPPER_PMTU_FLOOR_V6	1280

/* the lowest MTU an ICMP frag-needed / packet-too-big may announce */
#define CLIPPER_PMTU_ICMP_MIN_V4	68
#define CLIPPER_PMTU_ICMP_MIN_V6	1280
/*
 * and the lowest IPv4 MTU it teaches, as the kernel's min_pmtu: a forged
 * frag-needed must not make every later SYN to a host carry a tiny MSS
 */
#define CLIPPER_PMTU_LEARN_MIN_V4	552

/* the probe's IP length when no larger size is known to pass */
#define CLIPPER_PMTU_PROBE		1280
/*
 * How long an answered copy waits for an ACK of the whole segment before
 * the segment counts as vanished and the rest is sent: twice the copy's
 * round trip, within these bounds (ms).  Beyond the upper one S has
 * resent the segment itself (its timeout is at least 200 ms).
 */
#define CLIPPER_BH_HOLD_MIN_MS		20
#define CLIPPER_BH_HOLD_MAX_MS		250
/* a SACK block noted before a resend proves a loss this long (ms) */
#define CLIPPER_BH_SACK_FRESH_MS	250
/* resends shorter than this are not looked at */
#define CLIPPER_PMTU_RESEND_MIN		577
/* and no probe is shorter than this */
#define CLIPPER_PMTU_PROBE_MIN		288

/* ---- one flow direction: the resent segment and its probe ------------- */

enum clipper_bh_probe {
	CLIPPER_PROBE_NONE,	/* none outstanding: the next resend sends one */
	CLIPPER_PROBE_SENT,	/* a copy of [seq, probe_end) went out */
	CLIPPER_PROBE_ANSWERED,	/* R acknowledged exactly probe_end */
	CLIPPER_PROBE_LOST,	/* S moved on first: the large one vanished */
};

struct clipper_bh_suspect {
	u32	seq;		/* the segment followed: [seq, end) */
	u32	end;
	u32	last;		/* ms: its latest resend or SACK note */
	u32	sack_left;	/* the latest SACK block noted */
	u32	sack_right;
	u32	sack_at;	/* ms: when, 0: never */
	u32	sack_high;	/* the highest right edge of a block noted */
	/* ... when the episode began: only what arrived since is evidence */
	u32	sack_base;
	u32	probe_end;	/* the copy covered [seq, probe_end) */
	/*
	 * [own_lo, own_hi): what clipper itself delivered to R in this
	 * episode (copies, rests): R's SACK blocks of it are no evidence
	 */
	u32	own_lo;
	u32	own_hi;
	u32	big_end;	/* settled: the end of a segment watched since */
	u16	len;		/* IP length of the latest resend */
	u16	probe_len;	/* IP length of the copy */
	u16	big_len;	/* ... its IP length, 0: none */
	u16	stuck_len;	/* maybe stuck: the length that vanished */
	/* the longest resend R acknowledged whole as sent, kept */
	u16	passed_len;
	u8	count;		/* resends of this segment, 0: a fresh record */
	u8	confirms;	/* probes in a row that passed, resends not */
	u8	unanswered;	/* probes of this episode nothing answered */
	u8	fixed;		/* for the caller: XT_CLIPPER_FIX_* done */
	u8	dir:1,		/* the conntrack direction */
		probe:2,	/* enum clipper_bh_probe */
		stuck:1,	/* a longer segment passed after one vanished */
		shrunk:1,	/* S sent it shorter since: no size to credit */
		sack_seen:1;	/* sack_high is set */
};

struct clipper_bh_params {
	u32	window_ms;	/* an episode idle this long is over */
	u8	retrans;	/* confirmations that make a black hole, 0: off */
};

enum clipper_bh_verdict {
	CLIPPER_BH_NONE,
	CLIPPER_BH_PROBE,	/* send a copy of the resend's head now */
	CLIPPER_BH_BLACKHOLE,	/* confirmed: repair the flow (and probe) */
};

static inline void clipper_bh_follow(struct clipper_bh_suspect *s, u32 seq,
				     u32 end, u16 iplen)
{
	/* an episode's first segment: nothing of ours delivered yet */
	if (!s->count) {
		s->own_lo = seq;
		s->own_hi = seq;
		s->sack_base = s->sack_seen ? s->sack_high : seq;
	}
	s->shrunk = 0;
	s->seq = seq;
	s->end = end;
	s->len = iplen;
	s->count = 1;
	s->probe = CLIPPER_PROBE_NONE;
}

/* The episode starts over: nothing confirmed, nothing outstanding. */
static inline void clipper_bh_reset(struct clipper_bh_suspect *s)
{
	s->count = 0;
	s->confirms = 0;
	s->unanswered = 0;
	s->probe = CLIPPER_PROBE_NONE;
	s->probe_len = 0;
	s->stuck = 0;
	s->shrunk = 0;
}

/*
 * A segment [seq, end) of IP length iplen, direction dir, was sent again.
 *
 * The record follows the first segment R is missing: a fresh record,
 * another direction, or an episode idle for window_ms start over with
 * it; an earlier segment starts over too (R misses more than thought).
 * A later segment resent behind the one followed changes nothing (after a
 * timeout the sender resends all it had in flight, and only the first
 * tells anything), unless the one followed was settled (its copy passed,
 * it vanished): then the record moves on to it, keeping its
 * confirmations, unless it is just the rest the copy left of that one
 * (or another length, once the record is maybe stuck: it starts over).
 * The same segment again while its copy had no answer means that nothing
 * passes: the confirmations start over, and another copy is sent.
 * Within an episode, a resend no longer than a copy that went out is not
 * followed (and marks the record shrunk): it is the sender obeying an
 * ICMP, ours or another's, or a size the experiment says nothing about,
 * and probing it again would walk the MTU down.
 *
 * CLIPPER_BH_BLACKHOLE once retrans confirmations are in, else
 * CLIPPER_BH_PROBE when no copy is outstanding, else CLIPPER_BH_NONE
 * (also when retrans is 0: off).
 */
static inline enum clipper_bh_verdict
clipper_bh_retransmit(struct clipper_bh_suspect *s, u32 seq, u32 end,
		      u16 iplen, u8 dir, u32 now,
		      const struct clipper_bh_params *p)
{
	if (!s->count || s->dir != dir ||
	    after(now, s->last + p->window_ms)) {
		if (s->dir != dir)
			s->passed_len = 0;
		/*
		 * A SACK block from before the episode is evidence only when
		 * it is news of just now (the dupACKs of a fast retransmit),
		 * not what R learned before a timeout.
		 */
		if (s->sack_at &&
		    after(now, s->sack_at + CLIPPER_BH_SACK_FRESH_MS))
			s->sack_at = 0;
		clipper_bh_reset(s);
		s->dir = dir;
		clipper_bh_follow(s, seq, end, iplen);
	} else if (s->probe_len && iplen <= s->probe_len) {
		s->shrunk = 1;
		return CLIPPER_BH_NONE;
	} else if (seq == s->seq) {
		if (s->count < 0xff)
			s->count++;
		if (s->probe == CLIPPER_PROBE_SENT) {
			/* a whole timeout and no answer: nothing passes */
			if (s->unanswered < 0xff)
				s->unanswered++;
			s->confirms = 0;
		}
		s->probe = CLIPPER_PROBE_NONE;
		s->end = end;
		s->len = iplen;
	} else if (after(seq, s->seq)) {
		/*
		 * Behind the one followed; or, once that one is settled, the
		 * rest of it that the copy left (S's own answer to the copy's
		 * ACK, not a segment that vanished on its own); or what
		 * clipper delivered already (a rest that held more segments):
		 * S catching up, R has it.
		 */
		if (s->probe != CLIPPER_PROBE_LOST ||
		    !after(end, s->end) ||
		    after(s->own_hi, seq))
			return CLIPPER_BH_NONE;
		/* a stuck segment is one length: another starts over */
		if (s->stuck && iplen != s->stuck_len) {
			s->stuck = 0;
			s->confirms = 0;
		}
		clipper_bh_follow(s, seq, end, iplen);
	} else {
		s->confirms = 0;
		clipper_bh_follow(s, seq, end, iplen);
	}
	s->last = now;

	if (!p->retrans)
		return CLIPPER_BH_NONE;
	if (s->confirms >= p->retrans)
		return CLIPPER_BH_BLACKHOLE;
	return s->probe == CLIPPER_PROBE_NONE ? CLIPPER_BH_PROBE :
						CLIPPER_BH_NONE;
}

/*
 * The IP length of the probe for a resend of IP length iplen: passed (the
 * largest size acknowledged on the path, 0: none known) or
 * CLIPPER_PMTU_PROBE, whichever is larger, when that is below iplen; half
 * of iplen otherwise (a stuck segment shorter than that), but not below
 * CLIPPER_PMTU_PROBE_MIN.  0: no probe (iplen too short for one).
 */
static inline unsigned int clipper_bh_probe_len(unsigned int iplen,
						unsigned int passed)
{
	unsigned int m = max_t(unsigned int, passed, CLIPPER_PMTU_PROBE);

	if (m < iplen)
		return m;
	m = iplen / 2;
	return m >= CLIPPER_PMTU_PROBE_MIN ? m : 0;
}

/* Clipper delivered R the bytes up to end itself (a copy, a rest). */
static inline void clipper_bh_own(struct clipper_bh_suspect *s, u32 end)
{
	if (after(end, s->own_hi))
		s->own_hi = end;
}

/*
 * [lo, hi) delivered by clipper too (a resend split in pieces).  The span
 * [own_lo, own_hi) covers all that clipper delivered in the episode, and
 * what lies between (a span, not the exact runs: see pmtu.rst).
 */
static inline void clipper_bh_own_range(struct clipper_bh_suspect *s, u32 lo,
					u32 hi)
{
	if (after(s->own_lo, lo))
		s->own_lo = lo;
	clipper_bh_own(s, hi);
}

/* [a, b) lies in the span of what clipper delivered itself */
static inline bool clipper_bh_owned(const struct clipper_bh_suspect *s, u32 a,
				    u32 b)
{
	return !before(a, s->own_lo) &&
	       !before(s->own_hi, b) && s->own_lo != s->own_hi;
}

/*
 * A SACK block [*l, *r) less clipper's run [lo, hi): the longer part left
 * of it (empty when all of it is clipper's).
 */
static inline void clipper_bh_cut(u32 *l, u32 *r, u32 lo, u32 hi)
{
	u32 below, beyond;

	if (lo == hi || !after(*r, lo) || !after(hi, *l))
		return;
	below = after(lo, *l) ? lo - *l : 0;
	beyond = after(*r, hi) ? *r - hi : 0;
	if (below > beyond)
		*r = lo;
	else if (beyond)
		*l = hi;
	else
		*r = *l;
}

/* The caller sent a copy of [s->seq, probe_end), IP length probe_len. */
static inline void clipper_bh_probe_sent(struct clipper_bh_suspect *s,
					 u32 probe_end, u16 probe_len)
{
	clipper_bh_own(s, probe_end);
	s->probe = CLIPPER_PROBE_SENT;
	s->probe_end = probe_end;
	s->probe_len = probe_len;
}

enum clipper_bh_ack_verdict {
	CLIPPER_BH_ACK_NONE,
	CLIPPER_BH_ACK_ANSWERED,	/* the copy arrived, the resend not yet */
	CLIPPER_BH_ACK_PASSED,		/* the whole segment arrived: no hole */
	CLIPPER_BH_ACK_STUCK,		/* a longer one than the vanished passed */
};

/*
 * An ACK of the other direction.  Past the whole segment followed: it
 * arrived (the caller drops the record; an episode with unanswered probes
 * was an outage).  Exactly the end of an outstanding copy: the copy
 * arrived and the large segment had not, when the copy got there.
 *
 * Once settled (LOST), an ACK a full segment past the one followed means
 * that more passed since.  If that includes a segment longer than the one
 * that vanished, the segment did not vanish for its size: maybe a stuck
 * segment (STUCK: the record keeps its confirmations).  Otherwise a
 * full-size segment passed: the confirmations are worth nothing and the
 * record starts over (PASSED).  After STUCK, the record watches the
 * segments of the vanished one's very length: one of them acknowledged
 * means that the length passes, and the record starts over (PASSED); a
 * stuck length never passes, a length lost at random mostly does.
 */
static inline enum clipper_bh_ack_verdict
clipper_bh_ack(struct clipper_bh_suspect *s, u32 ack)
{
	/* past what the record and clipper delivered */
	u32 base = after(s->own_hi, s->end) ? s->own_hi : s->end;

	if (!s->count)
		return CLIPPER_BH_ACK_NONE;
	if (s->probe == CLIPPER_PROBE_LOST) {
		if (s->stuck)
			return s->big_len && !before(ack, s->big_end) ?
			       CLIPPER_BH_ACK_PASSED : CLIPPER_BH_ACK_NONE;
		/* a segment more */
		if (before(ack, base + (s->end - s->seq)))
			return CLIPPER_BH_ACK_NONE;
		if (s->big_len > s->len && !before(ack, s->big_end)) {
			s->stuck = 1;
			s->stuck_len = s->len;
			s->big_len = 0;
			return CLIPPER_BH_ACK_STUCK;
		}
		return CLIPPER_BH_ACK_PASSED;
	}
	if (!before(ack, s->end)) {
		/*
		 * Clipper delivered the segment itself (a rest or pieces of a
		 * resend that held it): that R has it says nothing of its
		 * size.  The record moves on as if settled, no confirmation
		 * more, none lost.
		 */
		if (s->confirms && clipper_bh_owned(s, s->seq, s->end)) {
			s->probe = CLIPPER_PROBE_LOST;
			s->big_len = 0;
			return CLIPPER_BH_ACK_NONE;
		}
		return CLIPPER_BH_ACK_PASSED;
	}
	if (s->probe == CLIPPER_PROBE_SENT && ack == s->probe_end) {
		s->probe = CLIPPER_PROBE_ANSWERED;
		return CLIPPER_BH_ACK_ANSWERED;
	}
	return CLIPPER_BH_ACK_NONE;
}

/* The copy passed, the large segment vanished: one confirmation. */
static inline void clipper_bh_settle(struct clipper_bh_suspect *s)
{
	s->probe = CLIPPER_PROBE_LOST;
	s->big_len = 0;
	if (s->confirms < 0xff)
		s->confirms++;
}

/*
 * A data segment [seq, end) of IP length iplen of the followed direction.
 * After the copy was answered, S starting inside the rest of the segment
 * [probe_end, end) is S acting on the copy's ACK: no ACK of the whole
 * segment came first, so the large segment vanished while the copy
 * passed.  True on that confirmation; the caller then asks
 * clipper_bh_declared() whether it is the retrans-th.  Once settled, the
 * segments sent since are watched for clipper_bh_ack(): the longest, and
 * once the record is maybe stuck, the latest of the vanished length.
 */
static inline bool clipper_bh_data(struct clipper_bh_suspect *s, u32 seq,
				   u32 end, u16 iplen)
{
	if (!s->count)
		return false;
	/* the followed segment, sent again shorter (S obeyed an ICMP) */
	if (iplen < s->len && seq == s->seq)
		s->shrunk = 1;
	if (s->probe == CLIPPER_PROBE_LOST) {
		/* the longest since; once maybe stuck, the latest as long */
		if (s->stuck ? iplen == s->stuck_len : iplen > s->big_len) {
			s->big_len = iplen;
			s->big_end = end;
		}
		return false;
	}
	if (s->probe != CLIPPER_PROBE_ANSWERED ||
	    before(seq, s->probe_end) ||
	    !after(s->end, seq))
		return false;
	clipper_bh_settle(s);
	return true;
}

/*
 * The answered copy of [seq, probe_end) waited its time and no ACK of the
 * whole segment came: the large segment vanished while the copy passed,
 * one confirmation, and the caller sends the rest.  False when the record
 * has moved on meanwhile (an ACK of the whole segment, S's own answer,
 * another segment): then the rest is not sent.
 */
static inline bool clipper_bh_rest_due(struct clipper_bh_suspect *s, u32 seq,
				       u32 probe_end, u32 rest_end)
{
	if (!s->count || s->probe != CLIPPER_PROBE_ANSWERED ||
	    s->seq != seq || s->probe_end != probe_end)
		return false;
	clipper_bh_settle(s);
	/*
	 * The rest may cover more than the segment followed (the rest of a
	 * GSO resend): what it delivers is no sign that a segment passed.
	 */
	clipper_bh_own(s, rest_end);
	return true;
}

/*
 * How long an answered copy waits (clipper_bh_rest_due()): rtt_ms, the
 * time from the copy leaving to its answer.
 */
static inline u32 clipper_bh_hold_ms(u32 rtt_ms)
{
	/* the round trip capped first: twice it must not wrap */
	u32 ms = 2 * min_t(u32, rtt_ms, CLIPPER_BH_HOLD_MAX_MS);

	return clamp_t(u32, ms, CLIPPER_BH_HOLD_MIN_MS, CLIPPER_BH_HOLD_MAX_MS);
}

/*
 * A segment of the flow that R acknowledged whole, of IP length iplen, as
 * it was sent (not a segment settled as vanished, nor one S sent shorter
 * since): the flow carries that size.
 */
static inline void clipper_bh_passed(struct clipper_bh_suspect *s,
				     u16 iplen)
{
	if (iplen > s->passed_len)
		s->passed_len = iplen;
}

/*
 * The record's vanished segment is a stuck one, not too big for the path:
 * a longer segment of the flow passed after it vanished (stuck), or
 * before, in an earlier episode (passed_len).
 */
static inline bool clipper_bh_is_stuck(const struct clipper_bh_suspect *s)
{
	return s->stuck || s->passed_len > s->len;
}

static inline bool clipper_bh_declared(const struct clipper_bh_suspect *s,
				       const struct clipper_bh_params *p)
{
	return p->retrans && s->confirms >= p->retrans;
}

/* ---- a segment's TCP options ------------------------------------------- */

/* TCP-AO's option kind: net/tcp.h has it from 6.7 on */
#ifndef TCPOPT_AO
#define TCPOPT_AO	29
#endif

/* What clipper_tcp_opts_parse() found: the bits it returns */
#define CLIPPER_OPT_SACK	1	/* a SACK block of data sent above ack */
#define CLIPPER_OPT_TS		2	/* the timestamps */
#define CLIPPER_OPT_SIGNED	4	/* TCP-MD5 or TCP-AO */
#define CLIPPER_OPT_MALFORMED	8	/* an option that does not parse */

/* ... and what goes with them */
struct clipper_tcp_opts {
	u32	sack_left;	/* CLIPPER_OPT_SACK: the largest block, */
	u32	sack_right;	/* [sack_left, sack_right) */
	u32	tsval;		/* CLIPPER_OPT_TS */
	u32	tsecr;
};

/*
 * The TCP options opt (optlen bytes) of a segment acknowledging ack, its
 * peer's data sent up to snd_end (conntrack's td_end of the peer's
 * direction).  Returns the CLIPPER_OPT_* bits found; the fields of *o
 * that go with a bit returned are set (others may be written too):
 *
 * CLIPPER_OPT_SACK: SACK blocks [l, r) with ack < l < r <= snd_end, in
 * sequence space from ack on (snd_end less than 2^31 past it): the
 * largest (the first of equals).  A block at or below ack is a D-SACK
 * (duplicates), one with r not after l empty; one that reaches past
 * snd_end, or wraps, tells of data the peer never sent: a forged ACK's
 * (conntrack checks only the furthest right edge, and that not on every
 * flow).  They are passed over.  So snd_end at ack, or before it, takes
 * no block at all: the receiving side's way of asking for none.
 *
 * CLIPPER_OPT_TS: a timestamps option of its length.
 *
 * CLIPPER_OPT_SIGNED: a TCP-MD5 or TCP-AO option, of any length.
 *
 * CLIPPER_OPT_MALFORMED: an option's length below 2, or past optlen.  No
 * bit read before it is returned but CLIPPER_OPT_SIGNED: what was written
 * is not to be read, and a segment that says it is signed stays so.
 */
static inline unsigned int
clipper_tcp_opts_parse(const u8 *opt, unsigned int optlen, u32 ack,
		       u32 snd_end, struct clipper_tcp_opts *o)
{
	/* what was sent beyond ack, where a block must lie: under 2^31 */
	u32 room = (s32)(snd_end - ack) > 0 ? snd_end - ack : 0;
	unsigned int i = 0, len, b, found = 0;

	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		len = i + 1 < optlen ? opt[i + 1] : 0;
		if (len < 2 || i + len > optlen)
			return (found & CLIPPER_OPT_SIGNED) |
			       CLIPPER_OPT_MALFORMED;
		if (opt[i] == TCPOPT_MD5SIG || opt[i] == TCPOPT_AO) {
			found |= CLIPPER_OPT_SIGNED;
		} else if (opt[i] == TCPOPT_TIMESTAMP &&
			   len == TCPOLEN_TIMESTAMP) {
			o->tsval = get_unaligned_be32(opt + i + 2);
			o->tsecr = get_unaligned_be32(opt + i + 6);
			found |= CLIPPER_OPT_TS;
		} else if (opt[i] == TCPOPT_SACK &&
			   len >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
			   !((len - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (b = i + TCPOLEN_SACK_BASE;
			     b + TCPOLEN_SACK_PERBLOCK <= i + len;
			     b += TCPOLEN_SACK_PERBLOCK) {
				u32 l = get_unaligned_be32(opt + b);
				u32 r = get_unaligned_be32(opt + b + 4);

				/*
				 * Counted from ack, 0 < l < r <= room; else a
				 * D-SACK, empty, or not all of it sent.  Not
				 * after(): [ack + 2^31, ack) has each edge
				 * after the one before it.
				 */
				if (l == ack || r - ack <= l - ack ||
				    r - ack > room)
					continue;
				if (!(found & CLIPPER_OPT_SACK) ||
				    r - l > o->sack_right - o->sack_left) {
					o->sack_left = l;
					o->sack_right = r;
				}
				found |= CLIPPER_OPT_SACK;
			}
		}
		i += len;
	}
	return found;
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
 * and are judged on resends alone.  Only a block of data that S sent
 * counts (clipper_tcp_opts_parse(), against conntrack's td_end of S): an
 * ACK anyone can forge must not end an episode with a block of data that
 * never was.
 */

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
	return optlen == 12 && opt && opt[0] == TCPOPT_NOP &&
	       opt[1] == TCPOPT_NOP && opt[2] == TCPOPT_TIMESTAMP &&
	       opt[3] == TCPOLEN_TIMESTAMP;
}

/*
 * An ACK of the other direction, not past the resent segment, with SACK
 * block [left, right): remembered for the next resends (a record with no
 * resend counted yet, count 0, holds just this).
 */
static inline void clipper_bh_sack_note(struct clipper_bh_suspect *s,
					u32 left, u32 right, u32 now)
{
	/*
	 * R repeats its blocks in every ACK until the hole is filled: only
	 * one that grew is news.
	 */
	if (s->sack_seen && !after(right, s->sack_high))
		return;
	s->sack_high = right;
	s->sack_seen = 1;
	if (s->count) {
		/*
		 * Only what arrived since the episode began is evidence: R
		 * repeats its blocks in every ACK until the hole is filled,
		 * and what passed before (a path that narrowed since) proves
		 * nothing now.
		 */
		if (after(s->sack_base, left))
			left = s->sack_base;
		/*
		 * Nor does what clipper delivered itself: a copy and its
		 * rest, or S's own rest, landing behind a hole make a block
		 * as long as a segment.  What lies before or beyond it counts,
		 * the longer part.
		 */
		clipper_bh_cut(&left, &right, s->own_lo, s->own_hi);
	}
	if (!after(right, left))
		return;
	s->sack_left = left;
	s->sack_right = right;
	s->sack_at = now ? now : 1;	/* 0 means never */
	s->last = now;
}

/*
 * The resent segment of the record has behind it a SACK
 * block of at least its size, seen at most window_ms before now: the
 * segment was lost, the path takes the size.
 */
static inline bool clipper_bh_sack_proves(const struct clipper_bh_suspect *s,
					  u32 now, u32 window_ms)
{
	return s->count && s->end != s->seq && s->sack_at &&
	       !after(s->sack_at, now) &&
	       !after(now, s->sack_at + window_ms) &&
	       after(s->sack_left, s->seq) &&
	       s->sack_right - s->sack_left >= s->end - s->seq;
}

/* ---- one path (a destination) ------------------------------------------- */

static inline unsigned int clipper_pmtu_floor(bool ipv6)
{
	return ipv6 ? CLIPPER_PMTU_FLOOR_V6 : CLIPPER_PMTU_FLOOR_V4;
}

/*
 * The states of a path.  The same values as enum clipper_pmtu_state of
 * uapi/clipper.h (CLIPPER_PMTU_*).
 */
enum clipper_path_state {
	CLIPPER_PATH_NONE	= 0,	/* new */
	CLIPPER_PATH_SUSPECT	= 1,	/* a flow to it is being probed */
	CLIPPER_PATH_BLACKHOLE	= 2,	/* confirmed: being repaired */
	CLIPPER_PATH_OK		= 3,	/* learned (ICMP), repaired, cleared */
	CLIPPER_PATH_STUCK	= 4,	/* one length vanishes, not the MTU */
};

/* enum clipper_pmtu_scope and enum clipper_pmtu_learned, uapi/clipper.h */
#define CLIPPER_SCOPE_FLOW	0
#define CLIPPER_SCOPE_PATH	1
#define CLIPPER_LEARNED_NONE	0
#define CLIPPER_LEARNED_ICMP	1
#define CLIPPER_LEARNED_PROBE	2
#define CLIPPER_LEARNED_STUCK	3
#define CLIPPER_LEARNED_ACKED	4

struct clipper_bh_path {
	u32	detected;	/* ms: the last declaration */
	u32	changed;	/* ms: the last change of state or mtu */
	u32	icmp_seen;	/* ms: the last ICMP for it, 0: none */
	u32	sender;		/* the first sender that confirmed, 0: none */
	u32	sender_at;	/* ms: when */
	u32	stuck_resends;	/* resends of the stuck segment */
	u32	outages;	/* episodes that were outages */
	u32	events;		/* changes reported (functions returning true) */
	u32	learned_at;	/* ms: mtu or state last learned (expiry) */
	u32	icmp_sender;	/* whom the last ICMP was about, 0: the path */
	/*
	 * scope flow: the sender (a hash of its address, not 0) whose flows
	 * from the receiver are clamped, 0: none
	 */
	u32	clamp_to;
	u32	unrepaired;	/* flows the ICMP did not repair */
	u16	sender_mtu;	/* the first sender network's ICMP MTU */
	u16	mtu;		/* learned path MTU, 0: none */
	u16	passed;		/* largest IP length acknowledged, 0: none */
	u16	stuck_len;	/* IP length of the stuck segment */
	u16	clamp_mtu;	/* ... and the MTU clamp_to's flows get */
	u8	state;		/* enum clipper_path_state */
	u8	fixes;		/* for the caller */
	u8	scope;		/* CLIPPER_SCOPE_*: whom mtu applies to */
	u8	learned;	/* CLIPPER_LEARNED_*: how */
	u8	senders;	/* senders that confirmed: 0, 1 or 2 (or more) */
	u8	side;		/* enum clipper_pmtu_side (uapi) */
};

/* A change worth reporting, nothing learned: the expiry runs on. */
static inline bool clipper_path_changed(struct clipper_bh_path *path, u32 now)
{
	path->changed = now;
	path->events++;
	return true;
}

/* What changed was learned, not only seen: the expiry starts over. */
static inline bool clipper_path_report(struct clipper_bh_path *path, u32 now)
{
	path->learned_at = now;
	return clipper_path_changed(path, now);
}

/* The MTU of the path applies to every flow to it. */
static inline bool clipper_path_applies(const struct clipper_bh_path *path)
{
	return path->mtu && path->scope == CLIPPER_SCOPE_PATH;
}

/*
 * A flow to this path is being probed: a new or ok path becomes suspect.
 * True on that change (worth a counter, not an event).
 */
static inline bool clipper_path_suspect(struct clipper_bh_path *path, u32 now)
{
	if (path->state != CLIPPER_PATH_NONE && path->state != CLIPPER_PATH_OK)
		return false;
	path->state = CLIPPER_PATH_SUSPECT;
	path->changed = now;
	return true;
}

/* An ICMP for the path was seen at most window_ms before now. */
static inline bool
clipper_path_icmp_recent(const struct clipper_bh_path *path, u32 now,
			 u32 window_ms, u32 sender)
{
	return path->icmp_seen && !after(path->icmp_seen, now) &&
	       !after(now, path->icmp_seen + window_ms) &&
	       (!path->icmp_sender || path->icmp_sender == sender);
}

/*
 * A sender (a hash of its network, not 0) confirms something of the path;
 * local: the sender is this host.  True when that speaks for the whole
 * path: the sender is this host, or a second network's sender confirmed
 * within timeout_ms of the first (noted as senders 2).  Otherwise the
 * sender is noted as the first.
 */
static inline bool clipper_path_sender(struct clipper_bh_path *path,
				       u32 sender, bool local, u32 now,
				       u32 timeout_ms)
{
	if (!local && path->sender && path->sender != sender &&
	    !after(now, path->sender_at + timeout_ms)) {
		if (path->senders < 2)
			path->senders = 2;
		return true;
	}
	if (!path->sender || path->sender == sender ||
	    after(now, path->sender_at + timeout_ms)) {
		path->sender = sender;
		path->sender_at = now;
		if (!path->senders)
			path->senders = 1;
	}
	if (local && !path->senders)
		path->senders = 1;
	return local;
}

/*
 * A flow to this path was confirmed a black hole: its resends of IP
 * length iplen vanished while copies of probe_len passed, count resends
 * of the last one.  sender identifies the flow's sender (a hash of its
 * address, not 0); local: the sender is this host.
 *
 * It is a stuck segment, not a path MTU problem, when the flow saw a
 * longer segment pass after one vanished (stuck), or, on IPv6, when iplen
 * is not above the minimum MTU every link carries.  A stuck segment is a
 * diagnosis only: the flow is repaired, the path's MTU stays as it was.
 * A black hole teaches the path probe_len, never below the floor nor
 * below a size acknowledged on it (passed), and, when it speaks for the
 * whole path, not below CLIPPER_PMTU_PROBE: what a few senders can stage
 * must not cost every flow more than that.
 *
 * What it teaches applies to other flows to the path (scope path) only
 * when the sender is this host, or a second sender confirmed it within
 * timeout_ms of the first.  So one sender's flows, which it can make
 * vanish on purpose, change no other flow: a path already of scope path
 * (an ICMP taught it, or other senders) is not changed by one sender's
 * word, which is only noted.  *applies: this confirmation speaks for the
 * whole path.  True when anything reported changed.
 */
static inline bool clipper_path_confirm(struct clipper_bh_path *path,
					unsigned int iplen,
					unsigned int probe_len, bool ipv6,
					bool stuck, u32 sender, bool local,
					u8 count, u32 now, u32 timeout_ms,
					bool *applies)
{
	unsigned int mtu = probe_len, floor = clipper_pmtu_floor(ipv6);
	bool wide, change = false;
	u8 state;

	stuck = stuck || (ipv6 && iplen <= CLIPPER_PMTU_FLOOR_V6);
	state = stuck ? CLIPPER_PATH_STUCK : CLIPPER_PATH_BLACKHOLE;
	mtu = max(mtu, floor);
	/* a size that passed, if below the one that vanished now */
	if (mtu < path->passed && path->passed < iplen)
		mtu = path->passed;
	mtu = min_t(unsigned int, mtu, U16_MAX);

	wide = clipper_path_sender(path, sender, local, now, timeout_ms);
	*applies = wide;
	if (!wide && path->scope == CLIPPER_SCOPE_PATH)
		return false;	/* one sender's word against the path's */

	if (path->state != state)
		change = true;
	path->state = state;
	path->detected = now;
	path->side = 0;		/* CLIPPER_PMTU_SIDE_TX */
	if (stuck) {
		path->stuck_len = iplen;
		path->stuck_resends = count;
	} else {
		if (wide && mtu < CLIPPER_PMTU_PROBE)
			mtu = CLIPPER_PMTU_PROBE;
		if (path->mtu != mtu || path->scope != wide)
			change = true;
		path->mtu = mtu;
		path->learned = CLIPPER_LEARNED_PROBE;
		if (wide)
			path->scope = CLIPPER_SCOPE_PATH;
	}
	return change && clipper_path_report(path, now);
}

/*
 * A flow was confirmed a black hole from the receiving side (its sender's
 * segments vanish before they come here): segments of IP length iplen
 * vanished, mtu is what the sender is told.  That is one sender's word,
 * staged at will by a sender for its own flows, and cheap to stage: it
 * never widens a path's scope.  A path of scope path (an ICMP, this
 * host's own flows or two networks' on the sending side taught it) is
 * not changed (false).  Otherwise the path is marked blackhole (or stuck,
 * diagnosis only) found from the receiving side, and the receiver's later
 * SYNs to that one sender (clamp_id, a hash of its address, not 0) are
 * clamped to mtu: the first sender that confirms keeps the clamp until
 * the path expires, so that another cannot undo or change it.  True when
 * anything reported changed.
 */
static inline bool clipper_path_confirm_rx(struct clipper_bh_path *path,
					   unsigned int iplen,
					   unsigned int mtu, bool stuck,
					   u32 clamp_id, u32 now)
{
	u8 state = stuck ? CLIPPER_PATH_STUCK : CLIPPER_PATH_BLACKHOLE;
	bool change = path->state != state;

	if (path->scope == CLIPPER_SCOPE_PATH && path->mtu)
		return false;
	path->state = state;
	path->detected = now;
	path->side = 1;		/* CLIPPER_PMTU_SIDE_RX */
	if (!path->senders)
		path->senders = 1;
	if (stuck) {
		path->stuck_len = iplen;
	} else if (!path->clamp_to || !path->mtu) {
		mtu = clamp_t(unsigned int, mtu, CLIPPER_PMTU_PROBE, U16_MAX);
		path->clamp_to = clamp_id;
		path->clamp_mtu = mtu;
		path->mtu = mtu;
		path->scope = CLIPPER_SCOPE_FLOW;
		path->learned = CLIPPER_LEARNED_PROBE;
		change = true;
	}
	return change && clipper_path_report(path, now);
}

/*
 * The flow confirmed a black hole made progress (an ACK past the resent
 * segment): blackhole or stuck -> ok (repaired, true); suspect -> ok was
 * no black hole (false).  The learned MTU and its scope are kept.
 */
static inline bool clipper_path_progress(struct clipper_bh_path *path, u32 now)
{
	if (path->state == CLIPPER_PATH_SUSPECT) {
		path->state = CLIPPER_PATH_OK;
		path->changed = now;
		return false;
	}
	if (path->state != CLIPPER_PATH_BLACKHOLE &&
	    path->state != CLIPPER_PATH_STUCK)
		return false;
	path->state = CLIPPER_PATH_OK;
	return clipper_path_changed(path, now);
}

/*
 * A resend of IP length iplen was acknowledged whole: the path takes that
 * size.  It is remembered as passed, and a learned MTU below it is raised
 * to it (learned "acked"): true then.  Only on a sender's word that speaks
 * for the path (this host): a remote sender can deliver its data in
 * pieces the router does not follow and have a size credited that never
 * passed, lifting the clamp of every flow to the path.
 */
static inline bool clipper_path_passed(struct clipper_bh_path *path,
				       unsigned int iplen, u32 now)
{
	iplen = min_t(unsigned int, iplen, U16_MAX);
	if (iplen > path->passed)
		path->passed = iplen;
	if (!path->mtu || iplen <= path->mtu)
		return false;
	path->mtu = iplen;
	path->learned = CLIPPER_LEARNED_ACKED;
	if (path->state == CLIPPER_PATH_BLACKHOLE ||
	    path->state == CLIPPER_PATH_SUSPECT)
		path->state = CLIPPER_PATH_OK;
	return clipper_path_report(path, now);
}

/*
 * An ICMP frag-needed / packet-too-big for this path passed, announcing mtu
 * (0 from old routers), and conntrack related it to a flow.  It is
 * remembered; an mtu at least CLIPPER_PMTU_ICMP_MIN_V4 / _V6, at most
 * 65535, below the one learned (or with none learned) is learned with
 * scope path, an IPv4 one raised to CLIPPER_PMTU_LEARN_MIN_V4 first.  A
 * path not blackhole becomes ok.  True when the MTU or the state changed.
 */
static inline bool clipper_path_icmp(struct clipper_bh_path *path,
				     unsigned int mtu, bool ipv6, u32 now)
{
	unsigned int lo = ipv6 ? CLIPPER_PMTU_ICMP_MIN_V6 :
				 CLIPPER_PMTU_ICMP_MIN_V4;
	bool change = false, learned = false;

	path->icmp_seen = now ? now : 1;	/* 0 means never */
	path->icmp_sender = 0;			/* the path's word */
	if (!ipv6 && mtu >= lo && mtu < CLIPPER_PMTU_LEARN_MIN_V4)
		mtu = CLIPPER_PMTU_LEARN_MIN_V4;
	if (mtu >= lo && mtu <= 0xffff && (!path->mtu || mtu < path->mtu ||
					   path->scope != CLIPPER_SCOPE_PATH)) {
		path->mtu = mtu;
		path->scope = CLIPPER_SCOPE_PATH;
		path->learned = CLIPPER_LEARNED_ICMP;
		learned = true;
	}
	if (path->state != CLIPPER_PATH_BLACKHOLE &&
	    path->state != CLIPPER_PATH_STUCK &&
	    path->state != CLIPPER_PATH_OK) {
		path->state = CLIPPER_PATH_OK;
		change = true;
	}
	if (learned)
		return clipper_path_report(path, now);
	return change && clipper_path_changed(path, now);
}

/*
 * An ICMP frag-needed / packet-too-big about a flow this host forwards,
 * from sender (a hash of its network, not 0), conntrack related to it.
 * The flow's own sender can stage that (it knows its sequence numbers),
 * so it speaks for the path only as a black-hole confirmation does: once
 * a second network's sender confirmed within timeout_ms, and then not
 * below CLIPPER_PMTU_PROBE (clipper_path_icmp()).  Until then it is the
 * sender's word about its own flows: the MTU is shown with scope flow
 * (unless the path has one of scope path), and it holds off clipper's
 * own repair of that sender's flows for a while (it has been told).
 */
static inline bool clipper_path_icmp_fwd(struct clipper_bh_path *path,
					 unsigned int mtu, bool ipv6,
					 u32 sender, u32 now, u32 timeout_ms)
{
	unsigned int lo = ipv6 ? CLIPPER_PMTU_ICMP_MIN_V6 :
				 CLIPPER_PMTU_ICMP_MIN_V4;
	bool change = false;

	if (clipper_path_sender(path, sender, false, now, timeout_ms)) {
		/* the larger of the two networks' words, and never below */
		if (mtu < path->sender_mtu)
			mtu = path->sender_mtu;
		if (mtu >= lo && mtu < CLIPPER_PMTU_PROBE)
			mtu = CLIPPER_PMTU_PROBE;
		change = clipper_path_icmp(path, mtu, ipv6, now);
		/* what it holds off: that sender's flows, as before */
		path->icmp_sender = sender;
		return change;
	}
	if (path->sender == sender && mtu <= 0xffff)
		path->sender_mtu = mtu;
	path->icmp_seen = now ? now : 1;
	path->icmp_sender = sender;
	if (!ipv6 && mtu >= lo && mtu < CLIPPER_PMTU_LEARN_MIN_V4)
		mtu = CLIPPER_PMTU_LEARN_MIN_V4;
	if (path->scope != CLIPPER_SCOPE_PATH && mtu >= lo && mtu <= 0xffff &&
	    (!path->mtu || mtu < path->mtu)) {
		path->mtu = mtu;
		path->scope = CLIPPER_SCOPE_FLOW;
		path->learned = CLIPPER_LEARNED_ICMP;
		change = true;
	}
	if (path->state == CLIPPER_PATH_NONE ||
	    path->state == CLIPPER_PATH_SUSPECT) {
		path->state = CLIPPER_PATH_OK;
		change = true;
	}
	return change && clipper_path_report(path, now);
}

/*
 * Forget a path: one that did not change for timeout_ms (so that a larger
 * MTU is tried again, as PMTU discovery does), or, sooner, one that
 * learned no MTU and is no black hole once window_ms has passed (a resend
 * that made it suspect and then nothing: ordinary loss, which on a busy
 * router would otherwise fill the table for timeout_ms).
 */
static inline bool clipper_path_expired(const struct clipper_bh_path *path,
					u32 now, u32 timeout_ms,
					u32 window_ms)
{
	if (!path->mtu && path->state != CLIPPER_PATH_BLACKHOLE &&
	    path->state != CLIPPER_PATH_STUCK) {
		if (window_ms < timeout_ms)
			timeout_ms = window_ms;
		return !before(now, path->changed + timeout_ms);
	}
	/*
	 * What it learned, from when it was learned: suspects and repairs
	 * of the path since (anyone's resends) do not keep it.
	 */
	return !before(now, path->learned_at + timeout_ms);
}

#endif /* _CLIPPER_BHOLE_H */

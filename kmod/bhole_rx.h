/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PMTU black hole seen from the receiving side (issue 25): the pure
 * state machine of one episode, built in the kernel and in userspace
 * (kmod/tests/test_bhole_rx.c, with the kernel helpers of
 * kmod/tests/shim/).  Words as in Documentation/pmtu.rst: S sends the
 * large segments, R receives them, G (this host) forwards between them
 * and sees what is left of S's segments after the narrow link: the
 * resends that vanish never reach G.
 *
 * G keeps, per watched flow direction, hi: the end of the furthest data
 * of S that passed here, and when it last advanced (base).  Bytes of S
 * from hi on are missing here when S says it sent them: a pure ACK of S
 * (its sequence number is S's snd_nxt) beyond hi, or a data segment of S
 * beyond hi (a gap).  An episode opens on such a pure ACK, or on a
 * watched flow whose data stopped (quiet: a probe asks S).  It ends,
 * nothing learned, as soon as the first missing byte passes G in any
 * size, or a segment of S as long as the missing ones passes (the path
 * carries that size: what vanished was lost), or R acknowledges past it,
 * or S says that no full segment is missing.
 *
 * A confirmation is an answer of S (a probe G sends makes S send a pure
 * ACK; any small segment of S) to a probe sent when S has provably
 * resent the missing segment since the previous confirmation, or since
 * the bytes were known missing (disc).  S sent the missing segment first
 * at t, after the data that ended at hi (base) and before disc, so no
 * earlier than base - RTO0 (S's own send time of what passed at base);
 * it resends after RTO0 and then backs off by doubling, so its next
 * resend after any moment p comes before t + 2 (p - t) + RTO0.  So the
 * first probe that confirms goes out RTO0 after disc, each next one at
 * t + 2 (p - t) + RTO0, p the previous one, t = base - RTO0.  RTO0 is 1 s
 * (RFC 6298's least first timeout; Linux's is 200 ms), or 4 round trips
 * and 200 ms when longer.  A probe that nothing answers is an outage:
 * with no confirmation yet the episode is over (a slot is not held by a
 * flow whose sender answers nothing), else the count starts over and the
 * next confirmation waits for a resend after it.  The first sending
 * vanished too (the gap shows it), so pmtu-retrans sendings that
 * vanished, pmtu-retrans - 1 confirmations, declare; then G tells S with
 * a frag-needed / packet-too-big it builds, twice at most, and reports
 * the flow as not repaired when R's ACKs still do not move.  At least
 * one confirmation, whatever pmtu-retrans says.
 */
#ifndef _CLIPPER_BHOLE_RX_H
#define _CLIPPER_BHOLE_RX_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <net/tcp.h>

#include "bhole.h"

#define CLIPPER_RX_RTO_MS	1000	/* S's first timeout, at most */
#define CLIPPER_RX_PROBE_GAP_MS	1000	/* S answers one per 500 ms */
#define CLIPPER_RX_PROBES	12	/* probes of an episode, at most */
#define CLIPPER_RX_ICMPS	2	/* frag-needed of an episode */
#define CLIPPER_RX_LIFE_MS	60000	/* not declared by then: over */
#define CLIPPER_RX_MTU_MIN	1280	/* the least MTU G tells S */
/* missing: more than this beyond hi (less is a small segment's loss) */
#define CLIPPER_RX_GAP_MIN	(CLIPPER_PMTU_RESEND_MIN - 1)

enum clipper_rx_state {
	CLIPPER_RX_FREE,
	CLIPPER_RX_OPEN,	/* bytes missing, or asked: probing */
	CLIPPER_RX_DECLARED,	/* confirmed: S is being told */
};

enum clipper_rx_verdict {
	CLIPPER_RX_NONE,
	CLIPPER_RX_PROBE,	/* send S a probe now */
	CLIPPER_RX_CONFIRM,	/* an answer confirmed (not yet enough) */
	CLIPPER_RX_DECLARE,	/* confirmed enough: tell S */
	CLIPPER_RX_ICMP,	/* tell S (again) */
	CLIPPER_RX_OUTAGE,	/* a probe nothing answered */
	CLIPPER_RX_ENDED,	/* no black hole after all: the slot is free */
	CLIPPER_RX_REPAIRED,	/* R acknowledged past it after the ICMP */
	CLIPPER_RX_UNREPAIRED,	/* ... never: S did not take the ICMP */
};

struct clipper_rx_suspect {
	u32	lo;		/* the first byte missing (the watch's lo) */
	u32	s_ack;		/* S's latest ACK: R's snd_nxt as S knows it */
	u32	tsval;		/* the probe's timestamps, when ts */
	u32	tsecr;
	u32	opened;		/* ms */
	u32	base;		/* ms: when hi last advanced */
	u32	disc;		/* ms: bytes known missing since, 0: not yet */
	u32	next_conf;	/* ms: a probe sent from then on confirms */
	u32	conf_at;	/* ms: the latest probe that confirmed */
	u32	probe_at;	/* ms: the latest probe, 0: none */
	u32	icmp_at;	/* ms: the latest frag-needed / PTB */
	u16	len;		/* IP length of the missing segments */
	u16	big;		/* longest IP length of S's since it opened */
	u16	rtt;		/* ms: a probe to its answer, 0: unknown */
	u16	win;		/* the probe's window field */
	u16	flow_big;	/* longest IP length of S's before it opened */
	u8	state;		/* enum clipper_rx_state */
	u8	confirms;
	u8	probes;
	u8	icmps;
	u8	answered:1,	/* the latest probe was answered */
		ts:1,		/* the flow carries timestamps */
		outage:1,	/* a probe went unanswered */
		stuck:1;	/* what vanished is shorter than what passed */
};

static inline u32 clipper_rx_rto(const struct clipper_rx_suspect *s)
{
	return max_t(u32, 4 * (u32)s->rtt + 200, CLIPPER_RX_RTO_MS);
}

/* How long an answer to a probe (or the ICMP's effect) is waited for. */
static inline u32 clipper_rx_wait(const struct clipper_rx_suspect *s)
{
	return max_t(u32, 4 * (u32)s->rtt, CLIPPER_RX_RTO_MS);
}

/* After a probe (or a moment) at p: S resent since, by this time. */
static inline u32 clipper_rx_next(const struct clipper_rx_suspect *s, u32 p)
{
	u32 rto = clipper_rx_rto(s), t = s->base - rto;

	return t + 2 * (p - t) + rto;
}

/*
 * When the next probe may confirm: RTO0 after disc, next_conf, and after
 * the latest confirmation with RTO0 as the round trip measured now makes
 * it.
 */
static inline u32 clipper_rx_due(const struct clipper_rx_suspect *s)
{
	u32 d = s->disc + clipper_rx_rto(s), n;

	if (after(s->next_conf, d))
		d = s->next_conf;
	if (s->confirms) {
		n = clipper_rx_next(s, s->conf_at);
		if (after(n, d))
			d = n;
	}
	return d;
}

/*
 * Bytes from lo (hi) on are missing at G, in segments of IP length len at
 * most: a pure ACK of S said so now.  base: when hi last advanced; s_ack:
 * S's latest ACK.
 */
static inline void clipper_rx_open(struct clipper_rx_suspect *s, u32 lo,
				   u32 s_ack, unsigned int len, u32 base,
				   u32 now)
{
	memset(s, 0, sizeof(*s));
	s->state = CLIPPER_RX_OPEN;
	s->lo = lo;
	s->s_ack = s_ack;
	s->len = min_t(unsigned int, len, U16_MAX);
	s->opened = now;
	s->base = base;
	s->disc = now ?: 1;
	s->next_conf = now;
}

/*
 * A flow whose data from S stopped (at hi, lo here, at base): whether
 * bytes are missing is not known yet, a probe sent now asks S.  An answer
 * that says so makes it an episode like any other, known from then on
 * (disc): its first confirmation comes RTO0 later.  An answer that says
 * nothing is missing ends it; no answer ends it too (a peer that drops
 * what is below its window tells nothing, and costs one probe a quiet
 * spell).
 */
static inline void clipper_rx_open_quiet(struct clipper_rx_suspect *s,
					 u32 lo, u32 s_ack, unsigned int len,
					 u32 base, u32 now)
{
	clipper_rx_open(s, lo, s_ack, len, base, now);
	s->disc = 0;
	s->probe_at = now ?: 1;
	s->probes = 1;
}

/*
 * The MTU to tell S: the longest segment of S that arrived in the episode
 * when it is shorter than the missing ones and not below 1280, else 1280
 * (every IPv6 link carries it; an IPv4 sender behind a shared address
 * must not be taught less either).
 */
static inline unsigned int clipper_rx_mtu(const struct clipper_rx_suspect *s)
{
	if (s->big >= CLIPPER_RX_MTU_MIN && s->big < s->len)
		return s->big;
	return CLIPPER_RX_MTU_MIN;
}

static inline enum clipper_rx_verdict
clipper_rx_end(struct clipper_rx_suspect *s)
{
	s->state = CLIPPER_RX_FREE;
	return CLIPPER_RX_ENDED;
}

/*
 * A segment of S passed G: [seq, end) of IP length iplen, acknowledging
 * ack; data: it carries some (a pure ACK's seq is S's snd_nxt).  A probe
 * outstanding is answered by it.
 */
static inline enum clipper_rx_verdict
clipper_rx_from_s(struct clipper_rx_suspect *s, u32 seq, u32 end, u32 ack,
		  unsigned int iplen, bool data, u32 retrans, u32 now)
{
	bool missing;

	if (s->state == CLIPPER_RX_FREE)
		return CLIPPER_RX_NONE;
	if (after(ack, s->s_ack))
		s->s_ack = ack;
	if (data) {
		/* the first missing byte, or a segment that long, passed */
		if ((!after(seq, s->lo) && after(end, s->lo)) ||
		    iplen >= s->len) {
			if (s->state == CLIPPER_RX_DECLARED)
				return CLIPPER_RX_NONE;	/* R's ACK says */
			return clipper_rx_end(s);
		}
		if (iplen > s->big)
			s->big = iplen;
		/* beyond the first missing byte: a gap */
		missing = after(seq, s->lo);
	} else {
		missing = after(seq, s->lo + CLIPPER_RX_GAP_MIN);
		if (s->state != CLIPPER_RX_OPEN)
			return CLIPPER_RX_NONE;
		/* S's snd_nxt: no full segment of it is missing */
		if (!missing)
			return clipper_rx_end(s);
		/*
		 * All S has in flight is shorter than a segment: that is
		 * the length that vanishes (iplen: S's headers).  Shorter
		 * than one that passed on the flow: a stuck segment, not
		 * the path's MTU.  As long as one that passed in the
		 * episode: the path carries it.  No size G may tell S
		 * helps one of 1280 bytes or less.
		 */
		if (iplen < s->len && seq - s->lo < s->len - iplen) {
			s->len = seq - s->lo + iplen;
			if (s->len <= s->big || s->len <= CLIPPER_RX_MTU_MIN)
				return clipper_rx_end(s);
		}
	}
	if (s->state != CLIPPER_RX_OPEN)
		return CLIPPER_RX_NONE;
	if (missing && !s->disc) {
		s->disc = now ?: 1;	/* known now: not a confirmation */
		if (s->probe_at && !s->answered) {
			s->answered = 1;
			s->rtt = min_t(u32, now - s->probe_at, U16_MAX);
		}
		return CLIPPER_RX_NONE;
	}
	if (!s->probe_at || s->answered || !s->disc)
		return CLIPPER_RX_NONE;
	/* small packets of S pass now, and the missing bytes did not */
	s->answered = 1;
	s->rtt = min_t(u32, now - s->probe_at, U16_MAX);
	/* the round trip measured now may make RTO0 longer than assumed */
	if (after(clipper_rx_due(s), s->probe_at))
		return CLIPPER_RX_NONE;
	s->confirms++;
	s->conf_at = s->probe_at;
	s->next_conf = clipper_rx_next(s, s->probe_at);
	/* the first sending vanished too: the gap showed it */
	if (s->confirms + 1U < max_t(u32, retrans, 2))
		return CLIPPER_RX_CONFIRM;
	s->state = CLIPPER_RX_DECLARED;
	s->stuck = s->len < s->flow_big;
	s->icmp_at = 0;
	return CLIPPER_RX_DECLARE;
}

/* R's segment passed G, acknowledging ack. */
static inline enum clipper_rx_verdict
clipper_rx_from_r(struct clipper_rx_suspect *s, u32 ack)
{
	if (s->state == CLIPPER_RX_FREE || !after(ack, s->lo))
		return CLIPPER_RX_NONE;
	if (s->state == CLIPPER_RX_DECLARED) {
		s->state = CLIPPER_RX_FREE;
		return CLIPPER_RX_REPAIRED;
	}
	return clipper_rx_end(s);
}

/* Time passed: what G does now for the episode. */
static inline enum clipper_rx_verdict
clipper_rx_tick(struct clipper_rx_suspect *s, u32 now)
{
	switch (s->state) {
	case CLIPPER_RX_OPEN:
		if (after(now, s->opened + CLIPPER_RX_LIFE_MS))
			break;
		if (s->probe_at && !s->answered) {
			if (after(s->probe_at + clipper_rx_wait(s), now))
				return CLIPPER_RX_NONE;
			/*
			 * Nothing answered.  Nothing known yet (a quiet
			 * flow), or nothing confirmed yet: over, a slot is
			 * not held by a flow whose sender answers nothing.
			 * Else an outage: the count starts over, and what
			 * vanished in it is no evidence: the next
			 * confirmation waits for a resend after it.
			 */
			if (!s->disc)
				break;
			if (!s->confirms) {
				s->state = CLIPPER_RX_FREE;
				return CLIPPER_RX_OUTAGE;
			}
			s->answered = 1;
			s->confirms = 0;
			s->outage = 1;
			s->next_conf = clipper_rx_next(s, now);
			return CLIPPER_RX_OUTAGE;
		}
		if (!s->disc || s->probes >= CLIPPER_RX_PROBES)
			break;
		if (s->probe_at &&
		    after(s->probe_at + CLIPPER_RX_PROBE_GAP_MS, now))
			return CLIPPER_RX_NONE;
		if (after(clipper_rx_due(s), now))
			return CLIPPER_RX_NONE;
		s->probe_at = now ?: 1;
		s->answered = 0;
		s->probes++;
		return CLIPPER_RX_PROBE;
	case CLIPPER_RX_DECLARED:
		if (s->icmps &&
		    after(s->icmp_at + clipper_rx_wait(s), now))
			return CLIPPER_RX_NONE;
		if (s->icmps < CLIPPER_RX_ICMPS) {
			s->icmps++;
			s->icmp_at = now;
			return CLIPPER_RX_ICMP;
		}
		s->state = CLIPPER_RX_FREE;
		return CLIPPER_RX_UNREPAIRED;
	default:
		return CLIPPER_RX_NONE;
	}
	return clipper_rx_end(s);
}

#endif /* _CLIPPER_BHOLE_RX_H */

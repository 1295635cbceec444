// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/bhole.h, the same code the module runs: the
 * probe/confirmation state machine of one flow direction (the resend, its
 * smaller copy, R's ACK of exactly the copy's end, S moving on past it),
 * the SACK evidence, the probe length, and the path states (scope flow or
 * path, stuck segments, ICMP learning, MTUs raised by what was
 * acknowledged, expiry).  The simulations play the router's view event
 * by event, with a millisecond clock and sequence numbers that wrap: a
 * black hole, an outage, random loss (a fixed-seed PRNG), reordering, a
 * segment shorter than the ones after it, a length that always vanishes
 * (stuck).
 *
 * Tests marked "current behaviour" pin down what the code does where it
 * departs from the design (/tmp/design-pmtu2.md and the comments of
 * kmod/bhole.h, which prevail, at the time of writing): they pass today
 * and are meant to be changed with the code.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clipper.h"
#include "bhole.h"

#include "tap.h"

/* a path state by name, as the CLI shows it (cli/obj_pmtu.c) */
static const char *state_name(u8 state)
{
	switch (state) {
	case CLIPPER_PATH_SUSPECT:
		return "suspect";
	case CLIPPER_PATH_BLACKHOLE:
		return "blackhole";
	case CLIPPER_PATH_OK:
		return "ok";
	case CLIPPER_PATH_STUCK:
		return "stuck";
	default:
		return "unknown";
	}
}

/* the segments of the simulations: IPv4, TCP with timestamps, 1500 bytes */
#define HDR	52
#define MSS	1448
#define FULL	(MSS + HDR)
/* pmtu-timeout, and two senders' hashes */
#define TMO	600000
#define SND_A	0x1111aaaau
#define SND_B	0x2222bbbbu

static const struct clipper_bh_params defp = {
	.window_ms = CLIPPER_BH_WINDOW_MS,
	.retrans = CLIPPER_BH_RETRANS,
};

/* the copy's end for a resend of FULL bytes from x, no size known to pass */
static u32 probe_end_of(u32 x)
{
	return x + clipper_bh_probe_len(FULL, 0) - HDR;
}

/* S's data segment [seq, end) as the router sees it, its IP length HDR more */
static bool bh_data(struct clipper_bh_suspect *s, u32 seq, u32 end)
{
	return clipper_bh_data(s, seq, end, (u16)(end - seq + HDR));
}

/* a full-size one from seq */
static bool data_full(struct clipper_bh_suspect *s, u32 seq)
{
	return bh_data(s, seq, seq + MSS);
}

/* the caller's probe: what the module does on PROBE or BLACKHOLE */
static u32 send_probe(struct clipper_bh_suspect *s, u32 x)
{
	unsigned int m = clipper_bh_probe_len(FULL, 0);

	clipper_bh_probe_sent(s, x + m - HDR, (u16)m);
	return x + m - HDR;
}

/* ---- a fixed-seed PRNG (xorshift32) ------------------------------------ */

static u32 rng_state;

static u32 rnd(void)
{
	return tap_xorshift32(&rng_state);
}

/* ---- the black hole, event by event ---------------------------------- */

/*
 * S sends [x, x + MSS) again at its timeout; the router (clipper) sees it,
 * sends the copy of its head, and forwards it; beyond the router the large
 * resend vanishes, the copy passes, R acknowledges exactly the copy's end,
 * and S moves on from there.  How S moves on:
 *   style 0: Linux trims the acknowledged head and sends the rest
 *            [probe_end, x + MSS), a small segment the caller does not
 *            look at as a resend; R acknowledges it; S's next segment,
 *            sent before and lost too, is resent at its timeout;
 *   style 1: S sends a full-size segment from probe_end, data sent before:
 *            the caller (as pmtu_guard.c) calls clipper_bh_data() and then
 *            clipper_bh_retransmit() on it, which follows it at once
 *            (pmtu_guard.c skips the latter once declared; here it is called
 *            anyway, and says BLACKHOLE);
 *   style 2: the same segment, the caller the other way round: the resend
 *            is ignored (the copy is answered, not settled yet), the data
 *            settles it, and S's timeout resends that segment.
 * rounds resends.  Returns the confirmation at which clipper_bh_declared()
 * turned true (0: never); *good false on any unexpected verdict.
 */
static unsigned int hole_run(const struct clipper_bh_params *p, int style,
			     u32 now, u32 x, unsigned int rounds, bool *good,
			     struct clipper_bh_suspect *out)
{
	struct clipper_bh_suspect s;
	enum clipper_bh_verdict v = CLIPPER_BH_NONE;
	unsigned int k, declared_at = 0;
	bool chained = false;

	memset(&s, 0, sizeof(s));
	for (k = 1; k <= rounds; k++) {
		enum clipper_bh_verdict want;
		u32 pe;

		/* k - 1 confirmations are in */
		want = k - 1 >= p->retrans ? CLIPPER_BH_BLACKHOLE :
					     CLIPPER_BH_PROBE;
		if (!chained) {
			now += 200 + k * 37;	/* S's timeout */
			v = clipper_bh_retransmit(&s, x, x + MSS, FULL, 1, now,
						  p);
		}
		if (v != want || s.seq != x || s.end != x + MSS ||
		    s.count != 1 || s.probe != CLIPPER_PROBE_NONE ||
		    s.confirms != k - 1 || s.unanswered)
			*good = false;
		pe = send_probe(&s, x);

		/* the resend vanished, the copy arrived: R's ACK */
		now += 25;
		if (clipper_bh_ack(&s, pe) != CLIPPER_BH_ACK_ANSWERED ||
		    s.probe != CLIPPER_PROBE_ANSWERED)
			*good = false;
		if (clipper_bh_declared(&s, p) != (k - 1 >= p->retrans))
			*good = false;

		/* S acts on it */
		now += 25;
		if (style == 2) {
			if (clipper_bh_retransmit(&s, pe, pe + MSS, FULL, 1, now,
						  p) != CLIPPER_BH_NONE ||
			    s.seq != x || s.probe != CLIPPER_PROBE_ANSWERED)
				*good = false;
		}
		if (!bh_data(&s, pe, style ? pe + MSS : x + MSS) ||
		    s.probe != CLIPPER_PROBE_LOST ||
		    s.confirms != k)
			*good = false;
		if (clipper_bh_declared(&s, p)) {
			if (!declared_at)
				declared_at = k;
		}
		if (style == 0) {
			/* the rest passes: R acknowledges x + MSS */
			now += 25;
			if (clipper_bh_ack(&s, x + MSS) != CLIPPER_BH_ACK_NONE ||
			    s.probe != CLIPPER_PROBE_LOST)
				*good = false;
			/* S's next segment, sent before: not a settling */
			x += MSS;
			if (data_full(&s, x) || s.confirms != k)
				*good = false;
			chained = false;
		} else if (style == 1) {
			x = pe;
			v = clipper_bh_retransmit(&s, x, x + MSS, FULL, 1, now, p);
			chained = true;
		} else {
			x = pe;
			chained = false;
		}
	}
	if (out)
		*out = s;
	return declared_at;
}

/* ---- the random simulation -------------------------------------------- */

/*
 * One flow S -> R through the router, stop and wait: S sends a segment of
 * up to mss bytes from una, and when no ACK moves una it resends it at its
 * timeout (200 ms, doubled up to 6.4 s, reset by progress).  Every packet
 * beyond the router (the copies too) is lost with loss / 1000, and those
 * above hole vanish; an ACK is lost before the router with loss / 2000,
 * after it (the router saw it, S not) with as much.  The router plays the
 * caller in pmtu_guard.c: replays ignored, data then resend (not once the data
 * declared), the record dropped on PASSED.  A declaration has the flow
 * repaired: S sends segments of the probe's size from then on (it obeyed
 * the ICMP), not below IPv4's min_pmtu.  short_every: every n-th segment
 * carries 1000 bytes (a response's last segment, say); stuck_len: packets
 * of that very IP length vanish (a stuck segment), all others pass.
 */
struct sim {
	struct clipper_bh_suspect s;
	struct clipper_bh_params p;
	u32	now;
	u32	una;		/* S: the first byte not acknowledged */
	u32	snd_max;	/* S: the highest end sent */
	u32	seg_end;	/* S: the end of the segment at una */
	u32	rcv_nxt;	/* R */
	u32	maxack;		/* the router: the highest ACK of R seen */
	unsigned int loss;	/* permille */
	unsigned int hole;	/* IP lengths above vanish, 0: none */
	unsigned int mss;
	unsigned int short_every;	/* every n-th segment 1000 bytes, 0: none */
	unsigned int stuck_len;	/* this IP length always vanishes, 0: none */
	u32	rtt;
	unsigned long segments, sends, resends, replayed, probes, answered;
	unsigned long confirms, passes, outages, declared, bh_verdicts;
	unsigned long declared_stuck, acks_stuck;
	unsigned long first_declared;	/* segment number, 0: none */
	unsigned int max_confirms;
};

static bool sim_drop(struct sim *m, unsigned int iplen)
{
	if (m->hole && iplen > m->hole)
		return true;
	if (m->stuck_len && iplen == m->stuck_len)
		return true;
	return rnd() % 1000 < m->loss;
}

static void sim_declare(struct sim *m)
{
	if (!m->declared++)
		m->first_declared = m->segments + 1;
	if (m->s.stuck)
		m->declared_stuck++;
	/* S obeys the ICMP, as far as IPv4's min_pmtu lets it */
	if (m->s.probe_len)
		m->mss = (m->s.probe_len > 552 ? m->s.probe_len : 552) - HDR;
}

/* the router sees R's ACK */
static void sim_router_ack(struct sim *m, u32 ack)
{
	if (after(ack, m->maxack))
		m->maxack = ack;
	switch (clipper_bh_ack(&m->s, ack)) {
	case CLIPPER_BH_ACK_ANSWERED:
		m->answered++;
		break;
	case CLIPPER_BH_ACK_STUCK:
		m->acks_stuck++;
		break;
	case CLIPPER_BH_ACK_PASSED:
		m->passes++;
		if (m->s.unanswered)
			m->outages++;
		m->s.count = 0;		/* the caller drops the record */
		break;
	default:
		break;
	}
}

/* R got [seq, end) and answers with its cumulative ACK */
static void sim_r(struct sim *m, u32 seq, u32 end)
{
	u32 r;

	if (!after(seq, m->rcv_nxt) && after(end, m->rcv_nxt))
		m->rcv_nxt = end;
	r = rnd() % 2000;
	if (r < m->loss)
		return;			/* lost before the router */
	sim_router_ack(m, m->rcv_nxt);
	if (r < 2 * m->loss)
		return;			/* lost after it */
	if (after(m->rcv_nxt, m->una))
		m->una = m->rcv_nxt;
}

/* S sends [seq, end); resend: conntrack saw its data before */
static void sim_send(struct sim *m, u32 seq, u32 end, bool resend)
{
	unsigned int iplen = end - seq + HDR, plen = 0;
	u32 pe = seq;

	m->sends++;
	if (clipper_bh_data(&m->s, seq, end, (u16)iplen)) {
		m->confirms++;
		if (m->s.confirms > m->max_confirms)
			m->max_confirms = m->s.confirms;
		if (clipper_bh_declared(&m->s, &m->p)) {
			sim_declare(m);
			resend = false;	/* pmtu_guard.c: the packet needs no more */
		}
	}
	if (resend && iplen >= CLIPPER_PMTU_RESEND_MIN) {
		m->resends++;
		if (!after(end, m->maxack)) {
			m->replayed++;
		} else {
			enum clipper_bh_verdict v;

			v = clipper_bh_retransmit(&m->s, seq, end, (u16)iplen, 0,
						  m->now, &m->p);
			if (v != CLIPPER_BH_NONE) {
				plen = clipper_bh_probe_len(iplen, 0);
				if (plen) {
					pe = seq + plen - HDR;
					clipper_bh_probe_sent(&m->s, pe, (u16)plen);
					m->probes++;
				}
			}
			if (v == CLIPPER_BH_BLACKHOLE) {
				m->bh_verdicts++;
				sim_declare(m);
			}
		}
	}
	/* the copy leaves first, then the resend */
	if (plen && !sim_drop(m, plen))
		sim_r(m, seq, pe);
	if (!sim_drop(m, iplen))
		sim_r(m, seq, end);
}

/* Run until n segments are acknowledged; false if it never gets there. */
static bool sim_run(struct sim *m, unsigned long n)
{
	unsigned long steps = 0;
	u32 rto = 200;

	while (m->segments < n) {
		u32 una = m->una, end;

		if (++steps > 100 * n)
			return false;
		if (!after(m->seg_end, m->una))	/* a new segment */
			m->seg_end = m->una +
				     (m->short_every && m->mss > 1000 &&
				      m->segments % m->short_every ==
				      m->short_every - 1 ? 1000 : m->mss);
		end = m->seg_end;
		if (after(end, m->una + m->mss))
			end = m->una + m->mss;		/* cut to a new MSS */
		sim_send(m, m->una, end, after(m->snd_max, m->una));
		if (after(end, m->snd_max))
			m->snd_max = end;
		if (after(m->una, una)) {
			m->now += m->rtt;
			rto = 200;
			if (!after(m->seg_end, m->una))
				m->segments++;
		} else {
			m->now += rto;
			if (rto < 6400)
				rto *= 2;
		}
	}
	return true;
}

static void sim_init(struct sim *m, u32 seq, u32 now, unsigned int loss,
		     unsigned int hole)
{
	memset(m, 0, sizeof(*m));
	m->p = defp;
	m->now = now;
	m->una = m->snd_max = m->seg_end = m->rcv_nxt = m->maxack = seq;
	m->loss = loss;
	m->hole = hole;
	m->mss = MSS;
	m->rtt = 40;
}

/* ---- the sections ------------------------------------------------------ */

static void test_constants(void)
{
	/* a slot per flow direction of every suspect flow */
	ok(sizeof(struct clipper_bh_suspect) <= 72,
	   "struct clipper_bh_suspect is %zu <= 72 bytes",
	   sizeof(struct clipper_bh_suspect));
	/* and one per destination, up to pmtu-max */
	ok(sizeof(struct clipper_bh_path) <= 64,
	   "struct clipper_bh_path is %zu <= 64 bytes",
	   sizeof(struct clipper_bh_path));
	ok((int)CLIPPER_PATH_NONE == (int)CLIPPER_PMTU_NONE &&
	   (int)CLIPPER_PATH_SUSPECT == (int)CLIPPER_PMTU_SUSPECT &&
	   (int)CLIPPER_PATH_BLACKHOLE == (int)CLIPPER_PMTU_BLACKHOLE &&
	   (int)CLIPPER_PATH_OK == (int)CLIPPER_PMTU_OK &&
	   (int)CLIPPER_PATH_STUCK == (int)CLIPPER_PMTU_STUCK &&
	   CLIPPER_PATH_SUSPECT == 1 && CLIPPER_PATH_BLACKHOLE == 2 &&
	   CLIPPER_PATH_OK == 3 && CLIPPER_PATH_STUCK == 4,
	   "path states 0..4, the uapi's CLIPPER_PMTU_* values (STUCK == 4)");
	ok(CLIPPER_SCOPE_FLOW == (int)CLIPPER_PMTU_SCOPE_FLOW &&
	   CLIPPER_SCOPE_PATH == (int)CLIPPER_PMTU_SCOPE_PATH &&
	   CLIPPER_SCOPE_FLOW == 0 && CLIPPER_SCOPE_PATH == 1,
	   "scopes: the uapi's CLIPPER_PMTU_SCOPE_* (flow 0, path 1)");
	ok(CLIPPER_LEARNED_NONE == (int)CLIPPER_PMTU_LEARNED_NONE &&
	   CLIPPER_LEARNED_ICMP == (int)CLIPPER_PMTU_LEARNED_ICMP &&
	   CLIPPER_LEARNED_PROBE == (int)CLIPPER_PMTU_LEARNED_PROBE &&
	   CLIPPER_LEARNED_STUCK == (int)CLIPPER_PMTU_LEARNED_STUCK &&
	   CLIPPER_LEARNED_ACKED == (int)CLIPPER_PMTU_LEARNED_ACKED &&
	   CLIPPER_LEARNED_ACKED == 4,
	   "learned: the uapi's CLIPPER_PMTU_LEARNED_* (none 0 .. acked 4)");
	ok(CLIPPER_BH_WINDOW_MS == 10000 && CLIPPER_BH_RETRANS == 3,
	   "defaults: window 10000 ms, 3 confirmations");
	ok(CLIPPER_PMTU_FLOOR_V4 == 552 && CLIPPER_PMTU_FLOOR_V6 == 1280 &&
	   clipper_pmtu_floor(false) == 552 && clipper_pmtu_floor(true) == 1280,
	   "floors: 552 (IPv4), 1280 (IPv6)");

	/*
	 * wrap-safe comparisons: net/tcp.h's (the shim's here); of two
	 * numbers 2^31 apart each is after the other
	 */
	ok(after(1, 0) && !after(0, 0) && !after(0, 1) &&
	   after(0x10, 0xfffffff0) && !after(0xfffffff0, 0x10) &&
	   after(0x7fffffff, 0) && !after(0, 0x7fffffff) &&
	   after(0x80000000, 0) && after(0, 0x80000000),
	   "after(): wrap-safe, half the space ahead");
	ok(!before(0, 0) && !before(0x10, 0xfffffff0) &&
	   before(0xfffffff0, 0x10) &&
	   !before(0xffffffff, 0xffffffff),
	   "!before(): wrap-safe, equal included");
}

static void test_probe_len(void)
{
	bool good = true;

	ok(clipper_bh_probe_len(1500, 0) == 1280,
	   "probe length: 1500, nothing known -> 1280");
	ok(clipper_bh_probe_len(1500, 1400) == 1400,
	   "probe length: 1500, 1400 passed -> 1400");
	ok(clipper_bh_probe_len(1500, 1000) == 1280,
	   "probe length: 1500, 1000 passed -> 1280 (the larger)");
	ok(clipper_bh_probe_len(9000, 1500) == 1500 &&
	   clipper_bh_probe_len(1281, 0) == 1280,
	   "probe length: 9000 with 1500 passed -> 1500; 1281 -> 1280");
	ok(clipper_bh_probe_len(1000, 0) == 500 &&
	   clipper_bh_probe_len(1280, 0) == 640 &&
	   clipper_bh_probe_len(1500, 1500) == 750 &&
	   clipper_bh_probe_len(1500, 9000) == 750,
	   "probe length: stuck 1000 -> 500, 1280 -> 640, 1500 with 1500 passed -> 750");
	ok(clipper_bh_probe_len(576, 0) == 288 &&
	   clipper_bh_probe_len(575, 0) == 0 &&
	   clipper_bh_probe_len(100, 0) == 0 &&
	   clipper_bh_probe_len(0, 0) == 0,
	   "probe length: 576 -> 288 (the least), 575, 100, 0 -> 0 (none)");
	for (unsigned int len = 0; len < 20000 && good; len++)
		for (unsigned int passed = 0; passed < 10000; passed += 97) {
			unsigned int m = clipper_bh_probe_len(len, passed);

			if (m && (m >= len || m < CLIPPER_PMTU_PROBE_MIN))
				good = false;
			if (!m && len >= 2 * CLIPPER_PMTU_PROBE_MIN)
				good = false;
			if (len > CLIPPER_PMTU_PROBE && len > passed &&
			    m != (passed > CLIPPER_PMTU_PROBE ? passed :
				  CLIPPER_PMTU_PROBE))
				good = false;
		}
	ok(good, "probe length: below the resend, at least 288, max(passed, 1280) when below (0..19999)");
}

static void test_retransmit(void)
{
	struct clipper_bh_params p;
	struct clipper_bh_suspect s;
	bool good;
	u32 pe, x;

	/* a fresh record */
	memset(&s, 0, sizeof(s));
	ok(clipper_bh_retransmit(&s, 1000, 1000 + MSS, FULL, 1, 5000, &defp) ==
	   CLIPPER_BH_PROBE && s.count == 1 && s.seq == 1000 &&
	   s.end == 1000 + MSS && s.len == FULL && s.dir == 1 &&
	   s.last == 5000 && s.probe == CLIPPER_PROBE_NONE &&
	   !s.confirms && !s.unanswered,
	   "a resend: PROBE, the record follows [seq, end)");
	pe = send_probe(&s, 1000);
	ok(s.probe == CLIPPER_PROBE_SENT && s.probe_end == 1000 + 1280 - HDR &&
	   s.probe_len == 1280 && pe == s.probe_end,
	   "probe sent: SENT, its end and length kept");

	/* the same segment, the copy unanswered: nothing passes */
	ok(clipper_bh_retransmit(&s, 1000, 1000 + MSS, FULL, 1, 5400, &defp) ==
	   CLIPPER_BH_PROBE && s.count == 2 && s.unanswered == 1 &&
	   !s.confirms && s.probe == CLIPPER_PROBE_NONE && s.last == 5400,
	   "the same segment again, the copy unanswered: unanswered 1, PROBE again");
	ok(clipper_bh_retransmit(&s, 1000, 1000 + MSS, FULL, 1, 5500, &defp) ==
	   CLIPPER_BH_PROBE && s.count == 3 && s.unanswered == 1,
	   "... again with no copy sent (probe NONE): not counted unanswered");
	/* the same seq, cut down to the MTU S was told: not followed */
	send_probe(&s, 1000);
	ok(clipper_bh_retransmit(&s, 1000, 1000 + 1228, 1280, 1, 5600, &defp) ==
	   CLIPPER_BH_NONE && s.end == 1000 + MSS && s.len == FULL &&
	   s.count == 3 && s.unanswered == 1 && s.last == 5500 &&
	   s.probe == CLIPPER_PROBE_SENT,
	   "the same seq no longer than the copy (1280): NONE, nothing changes");
	ok(clipper_bh_retransmit(&s, 1000, 1000 + 1229, 1281, 1, 5700, &defp) ==
	   CLIPPER_BH_PROBE && s.end == 1000 + 1229 && s.len == 1281 &&
	   s.count == 4 && s.unanswered == 2,
	   "the same seq, shorter but longer than the copy (1281): followed, the new end and length");
	ok(clipper_bh_retransmit(&s, 1000 + MSS, 1000 + MSS + 500, 552, 1, 5800,
				 &defp) == CLIPPER_BH_NONE &&
	   clipper_bh_retransmit(&s, 10, 10 + 1000, 1052, 1, 5800, &defp) ==
	   CLIPPER_BH_NONE && s.seq == 1000 && s.count == 4,
	   "a later or an earlier resend no longer than the copy: NONE, nothing changes");
	ok(clipper_bh_retransmit(&s, 10, 10 + 1000, 1052, 0, 5900, &defp) ==
	   CLIPPER_BH_PROBE && s.seq == 10 && s.len == 1052 &&
	   !s.probe_len && s.count == 1,
	   "... but in another direction (a new episode): followed, the copy's length forgotten");
	s.probe_len = 1280;
	ok(clipper_bh_retransmit(&s, 10, 10 + 1000, 1052, 0, 5900 + 10001,
				 &defp) == CLIPPER_BH_PROBE && !s.probe_len,
	   "... and after the window: a new episode, followed");

	/* later segments behind the one followed */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 1, 1 + MSS, FULL, 0, 100, &defp);
	send_probe(&s, 1);
	good = true;
	for (u32 seq = 1 + MSS; seq < 20 * MSS; seq += MSS)
		if (clipper_bh_retransmit(&s, seq, seq + MSS, FULL, 0, 110,
					  &defp) != CLIPPER_BH_NONE)
			good = false;
	ok(good && s.seq == 1 && s.count == 1 &&
	   s.last == 100 && s.probe == CLIPPER_PROBE_SENT,
	   "later segments resent behind the one followed (copy SENT): NONE, nothing changes");
	clipper_bh_ack(&s, probe_end_of(1));
	ok(clipper_bh_retransmit(&s, 1 + MSS, 1 + 2 * MSS, FULL, 0, 120, &defp) ==
	   CLIPPER_BH_NONE && s.seq == 1 && s.probe == CLIPPER_PROBE_ANSWERED,
	   "... and with the copy ANSWERED (not settled): NONE, nothing changes");
	data_full(&s, probe_end_of(1));
	ok(s.probe == CLIPPER_PROBE_LOST && s.confirms == 1 &&
	   clipper_bh_retransmit(&s, 1 + MSS, 1 + 2 * MSS, FULL, 0, 130, &defp) ==
	   CLIPPER_BH_PROBE && s.seq == 1 + MSS && s.end == 1 + 2 * MSS &&
	   s.count == 1 && s.confirms == 1 && s.probe == CLIPPER_PROBE_NONE &&
	   s.last == 130,
	   "once LOST, a later segment is followed, its confirmation kept: PROBE");

	/* an earlier segment: R misses more than thought */
	send_probe(&s, 1 + MSS);
	clipper_bh_ack(&s, probe_end_of(1 + MSS));
	data_full(&s, probe_end_of(1 + MSS));
	ok(s.confirms == 2 && s.probe == CLIPPER_PROBE_LOST &&
	   clipper_bh_retransmit(&s, 1, 1 + MSS, FULL, 0, 140, &defp) ==
	   CLIPPER_BH_PROBE && s.seq == 1 && s.end == 1 + MSS && s.count == 1 &&
	   s.confirms == 0 && s.probe == CLIPPER_PROBE_NONE,
	   "an earlier segment (2 confirmations in): followed, confirms 0, PROBE");
	send_probe(&s, 1);
	ok(clipper_bh_retransmit(&s, 0xfffffff0, 0xfffffff0 + MSS, FULL, 0, 150,
				 &defp) == CLIPPER_BH_PROBE &&
	   s.seq == 0xfffffff0 && !s.confirms && s.probe == CLIPPER_PROBE_NONE,
	   "an earlier segment across the sequence wrap (0xfffffff0 before 1): followed");

	/*
	 * The rest of a settled segment, resent: S's answer to the copy's
	 * ACK, not a segment that vanished on its own.  A 1052 resend (a
	 * 526 copy) leaves a 578-byte rest, longer than the copy, across the
	 * sequence wrap.
	 */
	memset(&s, 0, sizeof(s));
	x = 0xffffff00;
	clipper_bh_retransmit(&s, x, x + 1000, 1052, 0, 200, &defp);
	pe = x + 526 - HDR;
	clipper_bh_probe_sent(&s, pe, 526);
	clipper_bh_ack(&s, pe);
	good = bh_data(&s, pe, x + 1000) && s.probe == CLIPPER_PROBE_LOST &&
	       s.confirms == 1 && pe < x;
	ok(good && clipper_bh_retransmit(&s, pe, x + 1000, 578, 0, 250, &defp) ==
	   CLIPPER_BH_NONE && s.seq == x && s.end == x + 1000 &&
	   s.len == 1052 && s.count == 1 && s.confirms == 1 &&
	   s.probe == CLIPPER_PROBE_LOST && s.probe_len == 526 && s.last == 200,
	   "settled, the 578-byte rest resent (longer than the copy): NONE, not followed, nothing changes");
	ok(clipper_bh_retransmit(&s, x + 1, x + 1000, 1051, 0, 260, &defp) ==
	   CLIPPER_BH_NONE &&
	   clipper_bh_retransmit(&s, x + 999, x + 1000, 577, 0, 260, &defp) ==
	   CLIPPER_BH_NONE && s.seq == x && s.last == 200,
	   "... any resend inside the settled segment, ending at its end: NONE");
	/* the rest coalesced with what follows: a segment of its own */
	ok(clipper_bh_retransmit(&s, pe, x + 1001, 579, 0, 270, &defp) ==
	   CLIPPER_BH_PROBE && s.seq == pe && s.end == x + 1001 &&
	   s.len == 579 && s.count == 1 && s.confirms == 1 &&
	   s.probe == CLIPPER_PROBE_NONE && s.last == 270,
	   "... one ending a byte past it: followed, its confirmation kept, PROBE");
	/* an ignored rest does not keep the episode alive */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + 1000, 1052, 0, 1000, &defp);
	clipper_bh_probe_sent(&s, pe, 526);
	clipper_bh_ack(&s, pe);
	bh_data(&s, pe, x + 1000);
	clipper_bh_retransmit(&s, pe, x + 1000, 578, 0, 9000, &defp);
	ok(clipper_bh_retransmit(&s, x + 1000, x + 1000 + MSS, FULL, 0, 11001,
				 &defp) == CLIPPER_BH_PROBE && !s.confirms &&
	   s.count == 1 && !s.probe_len,
	   "... and does not extend the window: the next resend 10001 ms after the followed one starts over");
	/* a jumbo segment: 9052, a 1500 copy (1500 passed), a 7552 rest */
	memset(&s, 0, sizeof(s));
	x = 77;
	clipper_bh_retransmit(&s, x, x + 9000, 9052, 0, 300, &defp);
	pe = x + clipper_bh_probe_len(9052, 1500) - HDR;
	clipper_bh_probe_sent(&s, pe, (u16)clipper_bh_probe_len(9052, 1500));
	clipper_bh_ack(&s, pe);
	good = bh_data(&s, pe, pe + 8948) && s.confirms == 1 &&
	       s.probe_len == 1500;
	ok(good && clipper_bh_retransmit(&s, pe, x + 9000,
					 (u16)(x + 9000 - pe + HDR), 0, 350,
					 &defp) == CLIPPER_BH_NONE &&
	   s.seq == x && s.probe == CLIPPER_PROBE_LOST &&
	   clipper_bh_retransmit(&s, pe, pe + 8948, 9000, 0, 360, &defp) ==
	   CLIPPER_BH_PROBE && s.seq == pe && s.confirms == 1,
	   "jumbo: the 7552-byte rest of a 9052 resend NONE; a 9000 resend from the copy's end followed");

	/* another direction starts over */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 5 + MSS, FULL, 0, 1000, &defp);
	s.confirms = 2;
	s.unanswered = 3;
	ok(clipper_bh_retransmit(&s, 5, 5 + MSS, FULL, 1, 1100, &defp) ==
	   CLIPPER_BH_PROBE && s.dir == 1 && s.count == 1 && !s.confirms &&
	   !s.unanswered,
	   "the same seq in the other direction starts over");

	/* the window: exactly window ms after the last resend still counts */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 5 + MSS, FULL, 0, 20000, &defp);
	s.confirms = 2;
	s.probe = CLIPPER_PROBE_LOST;
	ok(clipper_bh_retransmit(&s, 5 + MSS, 5 + 2 * MSS, FULL, 0, 30000,
				 &defp) == CLIPPER_BH_PROBE &&
	   s.confirms == 2 && s.last == 30000,
	   "a resend exactly window ms after the last: the episode goes on");
	s.probe = CLIPPER_PROBE_LOST;
	s.unanswered = 1;
	ok(clipper_bh_retransmit(&s, 5 + 2 * MSS, 5 + 3 * MSS, FULL, 0, 40001,
				 &defp) == CLIPPER_BH_PROBE &&
	   !s.confirms && !s.unanswered && s.count == 1 &&
	   s.seq == 5 + 2 * MSS,
	   "window + 1 ms after the last: the episode starts over, confirms 0");
	/* ... and the same with the same segment, across the clock's wrap */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 0xffffff00, &defp);
	s.confirms = 2;
	ok(clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 0x1000, &defp) ==
	   CLIPPER_BH_PROBE && s.confirms == 2 && s.count == 2,
	   "resends at 0xffffff00 and 0x1000 (clock wrapped): the same episode");
	ok(clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 0x1000 + 10001,
				 &defp) == CLIPPER_BH_PROBE &&
	   s.confirms == 0 && s.count == 1,
	   "and 10001 ms later: over, counted again from 1");
	/* ignored later segments do not keep an episode alive */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 1000, &defp);
	send_probe(&s, 9);
	clipper_bh_retransmit(&s, 9 + MSS, 9 + 2 * MSS, FULL, 0, 9000, &defp);
	s.confirms = 1;
	ok(clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 11001, &defp) ==
	   CLIPPER_BH_PROBE && !s.confirms &&
	   !s.unanswered,
	   "an ignored later resend does not extend the window");

	/* retrans 0: off */
	p.window_ms = 10000;
	p.retrans = 0;
	memset(&s, 0, sizeof(s));
	good = clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 1, &p) ==
	       CLIPPER_BH_NONE;
	clipper_bh_probe_sent(&s, probe_end_of(9), 1280);
	good = good && clipper_bh_ack(&s, probe_end_of(9)) ==
		       CLIPPER_BH_ACK_ANSWERED &&
	       data_full(&s, probe_end_of(9)) && s.confirms == 1;
	s.confirms = 200;
	ok(good && !clipper_bh_declared(&s, &p) &&
	   clipper_bh_retransmit(&s, 9 + MSS, 9 + 2 * MSS, FULL, 0, 2, &p) ==
	   CLIPPER_BH_NONE,
	   "retrans 0: detection off, NONE, never declared (200 confirmations)");

	/* the counters saturate */
	memset(&s, 0, sizeof(s));
	good = true;
	for (int i = 0; i < 600; i++) {
		if (clipper_bh_retransmit(&s, 9, 9 + MSS, FULL, 0, 1000 + i,
					  &defp) != CLIPPER_BH_PROBE)
			good = false;
		send_probe(&s, 9);
	}
	ok(good && s.count == 255 && s.unanswered == 255 && s.last == 1599,
	   "600 resends with unanswered copies: count and unanswered stop at 255");
	s.probe = CLIPPER_PROBE_ANSWERED;
	s.confirms = 255;
	ok(data_full(&s, probe_end_of(9)) && s.confirms == 255,
	   "confirms stop at 255");
}

static void test_ack_data(void)
{
	struct clipper_bh_suspect s;
	u32 x, pe;

	memset(&s, 0, sizeof(s));
	ok(clipper_bh_ack(&s, 12345) == CLIPPER_BH_ACK_NONE &&
	   !data_full(&s, 12345),
	   "no record (count 0): ACK and data NONE/false");

	/* probe NONE: only the whole segment counts */
	x = 1000;
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 10, &defp);
	ok(clipper_bh_ack(&s, probe_end_of(x)) == CLIPPER_BH_ACK_NONE &&
	   s.probe == CLIPPER_PROBE_NONE,
	   "no copy out: an ACK of some probe end is nothing");
	ok(clipper_bh_ack(&s, x) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x - 500) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + MSS - 1) == CLIPPER_BH_ACK_NONE,
	   "ACKs of the start, older, one short of the end: NONE");
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	   clipper_bh_ack(&s, x + 5 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "an ACK of the end or past it: PASSED");

	/* SENT */
	pe = send_probe(&s, x);
	ok(!data_full(&s, pe) && s.probe == CLIPPER_PROBE_SENT,
	   "data at the copy's end before the copy's ACK: not a settling");
	ok(clipper_bh_ack(&s, pe - 1) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, pe + 1) == CLIPPER_BH_ACK_NONE &&
	   s.probe == CLIPPER_PROBE_SENT,
	   "ACKs around the copy's end, not exactly it: NONE");
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED,
	   "SENT, an ACK of the whole segment: PASSED (it arrived)");
	ok(clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   s.probe == CLIPPER_PROBE_ANSWERED,
	   "SENT, an ACK of exactly the copy's end: ANSWERED");
	ok(clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_NONE &&
	   s.probe == CLIPPER_PROBE_ANSWERED,
	   "a duplicate of it: NONE");

	/* ANSWERED: the data that settles it */
	ok(!data_full(&s, pe - 1) && !data_full(&s, x) &&
	   !data_full(&s, x + MSS) && !data_full(&s, x + 7 * MSS) &&
	   s.probe == CLIPPER_PROBE_ANSWERED && !s.confirms,
	   "data before the copy's end, at the end, new data past it: no settling");
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	   s.probe == CLIPPER_PROBE_ANSWERED,
	   "ANSWERED, an ACK of the whole segment: PASSED");
	ok(data_full(&s, x + MSS - 1) && s.probe == CLIPPER_PROBE_LOST &&
	   s.confirms == 1,
	   "data starting at the segment's last byte: settled, one confirmation");
	ok(!data_full(&s, pe) && s.confirms == 1,
	   "LOST: more data settles nothing");

	/* LOST: only an ACK a full segment past counts */
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + 2 * MSS - 1) == CLIPPER_BH_ACK_NONE &&
	   s.probe == CLIPPER_PROBE_LOST,
	   "LOST: an ACK of the segment's end (its rest passed), or one short of a segment more: NONE");
	ok(clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "LOST: an ACK a full segment past: PASSED");

	/* across the sequence wrap */
	memset(&s, 0, sizeof(s));
	x = 0xfffffc00;
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 10, &defp);
	pe = send_probe(&s, x);
	ok(pe < x && clipper_bh_ack(&s, 0xfffffff0) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	   clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED,
	   "segment 0xfffffc00 + 1448, copy end 0x%x (wrapped): PASSED and ANSWERED",
	   pe);
	ok(!data_full(&s, 0xfffffff0) && !data_full(&s, x + MSS) &&
	   data_full(&s, pe),
	   "data across the wrap: before the copy's end and at the segment's end not, at the copy's end yes");
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "LOST across the wrap: a full segment past");
}

static void test_black_hole(void)
{
	struct clipper_bh_params p;
	struct clipper_bh_suspect s;
	unsigned int at;
	bool good;

	/* the default: declared at the third confirmation */
	good = true;
	at = hole_run(&defp, 0, 0xfffffd00, 0xfffff800, 5, &good, &s);
	ok(good && at == CLIPPER_BH_RETRANS && s.confirms == 5,
	   "black hole (S trims the head): declared at confirmation %u of %d, BLACKHOLE verdicts after, clock and seq wrapping",
	   at, CLIPPER_BH_RETRANS);

	/* every number of confirmations, every way S moves on */
	for (int style = 0; style < 3; style++) {
		good = true;
		for (unsigned int r = 1; r <= 8; r++) {
			p.window_ms = 10000;
			p.retrans = (u8)r;
			at = hole_run(&p, style, 0xffffff00 - r * 300,
				      0xffffffff - r * 1000, r + 3, &good, &s);
			if (at != r || s.confirms != r + 3)
				good = false;
		}
		ok(good, "black hole, S moving on %s: declared exactly at the retrans-th confirmation (retrans 1..8)",
		   style == 0 ? "with the trimmed rest" :
		   style == 1 ? "full-size (data, then resend)" :
				"full-size (resend first, ignored)");
	}

	/* step by step with the default, to see nothing comes earlier */
	{
		enum clipper_bh_verdict v[4];
		bool d[3];
		u32 x = 0xffffffff - MSS, now = 0xffffff80, pe;

		memset(&s, 0, sizeof(s));
		for (int k = 0; k < 3; k++) {
			v[k] = clipper_bh_retransmit(&s, x, x + MSS, FULL, 0,
						     now += 300, &defp);
			pe = send_probe(&s, x);
			clipper_bh_ack(&s, pe);
			data_full(&s, pe);
			d[k] = clipper_bh_declared(&s, &defp);
			x += MSS;
		}
		v[3] = clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now += 300,
					     &defp);
		ok(v[0] == CLIPPER_BH_PROBE && v[1] == CLIPPER_BH_PROBE &&
		   v[2] == CLIPPER_BH_PROBE && !d[0] && !d[1] && d[2] &&
		   v[3] == CLIPPER_BH_BLACKHOLE,
		   "step by step: PROBE, PROBE, PROBE; declared after the 3rd, not the 1st or 2nd; then BLACKHOLE");
	}

	/* F-RTO: S sends new data first, the copy's end later */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 100, 100 + MSS, FULL, 0, 10, &defp);
	send_probe(&s, 100);
	clipper_bh_ack(&s, probe_end_of(100));
	good = !data_full(&s, 100 + 10 * MSS) &&
	       !data_full(&s, 100 + 11 * MSS) &&
	       clipper_bh_ack(&s, probe_end_of(100)) == CLIPPER_BH_ACK_NONE &&
	       s.probe == CLIPPER_PROBE_ANSWERED;
	ok(good && data_full(&s, probe_end_of(100)) && s.confirms == 1,
	   "new data past the segment (F-RTO), R's duplicate ACKs: still answered, then settled by the rest");

	/* an outage in the middle of a black hole starts the count over */
	{
		u32 x = 0xfffff000, now = 0xfffffff0, pe;
		bool early = false;
		int k;

		memset(&s, 0, sizeof(s));
		for (k = 0; k < 2; k++) {
			clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now += 300,
					      &defp);
			pe = send_probe(&s, x);
			clipper_bh_ack(&s, pe);
			data_full(&s, pe);
			x += MSS;
		}
		good = s.confirms == 2;
		/* the next resend and its copy vanish */
		clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now += 300, &defp);
		send_probe(&s, x);
		good = good && s.confirms == 2 &&
		       clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now += 600,
					     &defp) == CLIPPER_BH_PROBE &&
		       s.confirms == 0 && s.unanswered == 1;
		ok(good, "black hole, then a copy unanswered before the same resend: confirms 2 -> 0");
		/* the hole goes on: three more needed */
		for (k = 1; k <= 3; k++) {
			if (k > 1)
				clipper_bh_retransmit(&s, x, x + MSS, FULL, 0,
						      now += 300, &defp);
			pe = send_probe(&s, x);
			clipper_bh_ack(&s, pe);
			data_full(&s, pe);
			if (k < 3 && clipper_bh_declared(&s, &defp))
				early = true;
			x += MSS;
		}
		ok(!early && clipper_bh_declared(&s, &defp) && s.confirms == 3 &&
		   s.unanswered == 1,
		   "... and declared at the third confirmation after it, not before");
	}
}

static void test_outage(void)
{
	struct clipper_bh_suspect s;
	u32 now = 0xffffc000, x = 0xfffffa00, rto = 200, pe = 0;
	bool good = true;
	int i;

	memset(&s, 0, sizeof(s));
	/* everything vanishes: 6 resends (200 ms .. 6.4 s apart), no ACK */
	for (i = 0; i < 6; i++) {
		now += rto;
		rto *= 2;
		if (clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now, &defp) !=
		    CLIPPER_BH_PROBE || s.confirms ||
		    s.unanswered != i || s.count != i + 1 ||
		    clipper_bh_declared(&s, &defp))
			good = false;
		pe = send_probe(&s, x);
	}
	ok(good, "outage: every resend probes again, unanswered 0..5, no confirmation");
	/* back: the next resend at 6.4 s and its copy pass */
	now += 6400;
	good = clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now, &defp) ==
	       CLIPPER_BH_PROBE && s.unanswered == 6 && s.count == 7;
	pe = send_probe(&s, x);
	ok(good && clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	   s.unanswered == 6 && !s.confirms && !clipper_bh_declared(&s, &defp),
	   "outage over: the copy, then the whole segment acknowledged: PASSED, 6 unanswered (an outage), never declared");

	/* an outage past the window: the record starts over, unanswered too */
	memset(&s, 0, sizeof(s));
	now = 0xfffff000;
	rto = 1600;
	good = true;
	for (i = 0; i < 5; i++) {
		now += rto;
		rto *= 2;
		if (clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now, &defp) !=
		    CLIPPER_BH_PROBE)
			good = false;
		send_probe(&s, x);
	}
	/* 1.6, 3.2, 6.4 s, then 12.8 s > window: over; then 25.6 s: over */
	ok(good && s.count == 1 && s.unanswered == 0,
	   "resends 12.8 and 25.6 s apart (past the window): the episode starts over each time");
	pe = send_probe(&s, x);
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED && !s.unanswered,
	   "... so the ACK past it finds unanswered 0 (the outage is not counted)");

	/* the random outage: resends and copies vanish, more or less */
	{
		unsigned long declared = 0, passes = 0, unanswered = 0;

		rng_state = 12345;
		now = 0xfff00000;
		x = 0xffff0000;
		for (int ep = 0; ep < 2000; ep++) {
			int down = 1 + (int)(rnd() % 5);	/* resends lost */

			memset(&s, 0, sizeof(s));
			rto = 200;
			for (i = 0; i <= down; i++) {
				now += rto;
				rto *= 2;
				if (clipper_bh_retransmit(&s, x, x + MSS, FULL, 0,
							  now, &defp) ==
				    CLIPPER_BH_BLACKHOLE)
					declared++;
				pe = send_probe(&s, x);
				if (i < down)
					continue;
				/* back: the copy's ACK may be lost */
				if (rnd() & 1)
					clipper_bh_ack(&s, pe);
				if (clipper_bh_declared(&s, &defp))
					declared++;
				if (clipper_bh_ack(&s, x + MSS) ==
				    CLIPPER_BH_ACK_PASSED)
					passes++;
				if (s.unanswered == (unsigned int)down)
					unanswered++;
			}
			x += 17 * MSS;
		}
		ok(!declared && passes == 2000 && unanswered == 2000,
		   "2000 outages of 1..5 resends: never declared, each PASSED with its unanswered copies counted");
	}
}

static void test_random_loss(void)
{
	struct clipper_bh_suspect s;
	struct sim m;
	u32 x = 0xfffffe00, pe;
	bool good;

	/* one full-size resend lost, its copy passed: one confirmation */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 0xfffffff0, &defp);
	pe = send_probe(&s, x);
	good = clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	       data_full(&s, pe) && s.confirms == 1 &&
	       clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_NONE;
	/* the next segment, new, passes */
	good = good && !data_full(&s, x + MSS);
	ok(good && clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "random loss: one confirmation, then a full-size segment acknowledged: PASSED in LOST");
	s.count = 0;	/* the caller drops the record */
	ok(clipper_bh_retransmit(&s, x + 5 * MSS, x + 6 * MSS, FULL, 0, 100,
				 &defp) == CLIPPER_BH_PROBE &&
	   !s.confirms && s.count == 1,
	   "... the next loss starts from 0 confirmations");

	/* a second loss right behind it: the confirmation is kept */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 1000, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	data_full(&s, pe);
	/* the next segment lost, resent, and this time the resend passes */
	good = clipper_bh_retransmit(&s, x + MSS, x + 2 * MSS, FULL, 0, 1300,
				     &defp) == CLIPPER_BH_PROBE &&
	       s.confirms == 1;
	pe = send_probe(&s, x + MSS);
	ok(good && clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "two losses in a row, the second resend passing: PASSED (confirms 1 dropped with the record)");

	/* the long run: 5% loss of every packet, 100000 segments */
	rng_state = 0x9e3779b9;
	sim_init(&m, 0xfff00000, 0xffff0000, 50, 0);
	good = sim_run(&m, 100000);
	ok(good && m.declared == 0 && m.bh_verdicts == 0 &&
	   m.max_confirms < CLIPPER_BH_RETRANS && m.mss == MSS,
	   "5%% random loss, 100000 segments: never declared (%lu confirmations, at most %u in a row)",
	   m.confirms, m.max_confirms);
	printf("# 5%% loss: %lu sends, %lu resends, %lu replayed, %lu probes, %lu answered, %lu confirmations, %lu passed, %lu outages, clock at 0x%x, seq at 0x%x\n",
	       m.sends, m.resends, m.replayed, m.probes, m.answered,
	       m.confirms, m.passes, m.outages, m.now, m.una);
	ok(m.confirms > 0 && m.probes > m.confirms && m.passes > 0 &&
	   m.outages > 0 && m.replayed > 0,
	   "... the run went through confirmations, passes, outages and replays");

	/* the same, 10% */
	rng_state = 0x2545f491;
	sim_init(&m, 0x12345678, 0xfff00000, 100, 0);
	good = sim_run(&m, 100000);
	ok(good && m.declared == 0 && m.max_confirms < CLIPPER_BH_RETRANS,
	   "10%% random loss, 100000 segments: never declared (%lu confirmations, at most %u in a row)",
	   m.confirms, m.max_confirms);

	/*
	 * Segments of mixed sizes, every third 1000 bytes, 5% loss: the
	 * random loss of a 1000-byte segment and then a full-size one
	 * acknowledged makes ACK_STUCK, and the next 1000-byte segment
	 * acknowledged mostly clears it (PASSED).  Never a black hole.
	 * Current behaviour: with this seed one false stuck declaration
	 * remains, the record having moved on from the 1000-byte segment to
	 * full-size ones and watching their length instead (see
	 * test_stuck_flow, "lengths mixed").
	 */
	rng_state = 7 * 0x9e3779b9u;
	sim_init(&m, 0xfff00000, 0xffff0000, 50, 0);
	m.short_every = 3;
	good = sim_run(&m, 100000);
	ok(good && m.declared == 0 && m.declared_stuck == 0 &&
	   m.acks_stuck > 0,
	   "5%% loss, every third segment 1000 bytes, 100000 segments: nothing declared (%lu confirmations, %lu ACK_STUCK, %lu stuck declarations)",
	   m.confirms, m.acks_stuck, m.declared_stuck);

	/*
	 * The same over 40 seeds: the first version of the stuck logic made
	 * 11 false stuck declarations in 40 x 100000 segments, random losses
	 * of one length adding up to a stuck one.  Now a length that passes
	 * clears the record.  Current behaviour: 1 remains (seed 7, the
	 * run above, lengths mixed); 0 wanted.
	 */
	{
		unsigned long bh = 0, stuck = 0, acks = 0, confirms = 0;
		unsigned int seeds = 0;

		good = true;
		for (u32 seed = 1; seed <= 40; seed++) {
			rng_state = seed * 0x9e3779b9u;
			sim_init(&m, seed * 0x10000001u, 0xffff0000 - seed * 77,
				 50, 0);
			m.short_every = 3;
			if (!sim_run(&m, 100000))
				good = false;
			bh += m.declared - m.declared_stuck;
			stuck += m.declared_stuck;
			acks += m.acks_stuck;
			confirms += m.confirms;
			seeds++;
		}
		ok(good && seeds == 40 && !bh && !stuck && acks > 40,
		   "5%% loss, every third segment 1000 bytes, 40 seeds x 100000 segments: no black hole, %lu false stuck declaration (current behaviour: 11 before the fix, 0 wanted; %lu confirmations, %lu ACK_STUCK)",
		   stuck, confirms, acks);
	}

	/*
	 * A stuck segment: every 1052-byte packet vanishes, all others pass
	 * (the rest of it, its 526 copy, full-size segments): declared a
	 * stuck segment at the third 1000-byte segment, repaired to IPv4's
	 * min_pmtu (the copy is 526).
	 */
	rng_state = 99;
	sim_init(&m, 0xfffff000, 0xfffff000, 0, 0);
	m.short_every = 3;
	m.stuck_len = 1052;
	good = sim_run(&m, 1000);
	ok(good && m.declared == 1 && m.declared_stuck == 1 &&
	   m.first_declared == 9 && m.acks_stuck == 1 && m.confirms == 3 &&
	   m.mss == 552 - HDR && !m.outages,
	   "a stuck length (1052), no loss: declared stuck at segment %lu (%lu ACK_STUCK, %lu confirmations), repaired (MSS %u)",
	   m.first_declared, m.acks_stuck, m.confirms, m.mss);
	rng_state = 0x5eed;
	sim_init(&m, 0x7ffff000, 0x7ffff000, 50, 0);
	m.short_every = 3;
	m.stuck_len = 1052;
	good = sim_run(&m, 2000);
	ok(good && m.declared > 0 && m.declared == m.declared_stuck &&
	   m.mss == 552 - HDR,
	   "a stuck length (1052) and 5%% loss: declared stuck (at segment %lu), repaired, 2000 segments through",
	   m.first_declared);

	/* a black hole at 1400 with 5% loss on top: declared, repaired */
	rng_state = 0xdeadbeef;
	sim_init(&m, 0xffffd000, 0xfffff000, 50, 1400);
	good = sim_run(&m, 1000);
	ok(good && m.declared > 0 && m.first_declared &&
	   m.first_declared <= 20 && m.mss == 1280 - HDR,
	   "black hole at 1400 and 5%% loss: declared at segment %lu, repaired (MSS %u), 1000 segments through",
	   m.first_declared, m.mss);
	/* and without loss: at the third segment */
	rng_state = 1;
	sim_init(&m, 0xfffff000, 0xfffff000, 0, 1400);
	good = sim_run(&m, 100);
	ok(good && m.first_declared == 3 && m.confirms >= 3 &&
	   m.mss == 1280 - HDR && !m.outages,
	   "black hole at 1400, no loss: declared at segment %lu, 100 segments through",
	   m.first_declared);
}

/*
 * Lengths: after a settled segment, a longer one acknowledged says that
 * the one that vanished did not vanish for its size (ACK_STUCK), and the
 * record is maybe stuck from then on: it watches the segments of the
 * vanished one's very length, and one of them acknowledged says that the
 * length passes (PASSED).  Before that, one as long as the vanished one
 * acknowledged says a full-size segment passed (PASSED).
 */

/*
 * A maybe stuck record: a 1052 resend at x vanishes, its 526 copy passes,
 * S sends the 578-byte rest (data, then the resend the caller sees: not
 * followed), then a 1500 segment that R acknowledges: ACK_STUCK, one
 * confirmation.  Returns the end of the 1500 one; *good false on any
 * unexpected verdict.
 */
static u32 stuck_record(struct clipper_bh_suspect *s, u32 x, u32 now,
			bool *good)
{
	u32 pe = x + 526 - HDR;

	memset(s, 0, sizeof(*s));
	if (clipper_bh_retransmit(s, x, x + 1000, 1052, 0, now, &defp) !=
	    CLIPPER_BH_PROBE)
		*good = false;
	clipper_bh_probe_sent(s, pe, 526);
	if (clipper_bh_ack(s, pe) != CLIPPER_BH_ACK_ANSWERED ||
	    !bh_data(s, pe, x + 1000) ||
	    clipper_bh_retransmit(s, pe, x + 1000, 578, 0, now + 50, &defp) !=
	    CLIPPER_BH_NONE ||
	    clipper_bh_ack(s, x + 1000) != CLIPPER_BH_ACK_NONE ||
	    bh_data(s, x + 1000, x + 1000 + MSS) ||
	    clipper_bh_ack(s, x + 1000 + MSS) != CLIPPER_BH_ACK_STUCK ||
	    !s->stuck || s->confirms != 1 || s->len != 1052 || s->big_len)
		*good = false;
	return x + 1000 + MSS;
}

/*
 * A maybe stuck record, a segment [z, z + len - HDR) of IP length len:
 * sent, it vanishes (R's ACKs stay at z); resent at now, followed; its
 * copy (half of it) passes, the resend not; S sends the rest.  True when
 * that is one more confirmation and nothing else changed.
 */
static bool stuck_loss(struct clipper_bh_suspect *s, u32 z, u16 len, u32 now)
{
	u8 confirms = s->confirms;
	u16 plen = (u16)clipper_bh_probe_len(len, 0);
	u32 end = z + len - HDR, pe = z + plen - HDR;
	bool good;

	good = !bh_data(s, z, end) &&
	       clipper_bh_ack(s, z) == CLIPPER_BH_ACK_NONE &&
	       clipper_bh_retransmit(s, z, end, len, 0, now, &defp) ==
	       CLIPPER_BH_PROBE && s->seq == z && s->len == len &&
	       s->confirms == confirms && s->stuck;
	clipper_bh_probe_sent(s, pe, plen);
	return good && clipper_bh_ack(s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	       bh_data(s, pe, end) && s->confirms == confirms + 1 &&
	       clipper_bh_retransmit(s, pe, end, (u16)(end - pe + HDR), 0,
				     now + 50, &defp) == CLIPPER_BH_NONE &&
	       s->seq == z && s->stuck && !s->big_len &&
	       s->probe == CLIPPER_PROBE_LOST;
}

/*
 * A full-size segment [z, z + MSS) vanishes, is resent at now and
 * followed; its copy passes, the resend not; S sends the rest.  True when
 * that is one confirmation more and the record is not (or no longer)
 * maybe stuck: a stuck segment is one length.
 */
static bool full_loss(struct clipper_bh_suspect *s, u32 z, u32 now)
{
	u8 confirms = s->stuck ? 0 : s->confirms;
	u16 plen = (u16)clipper_bh_probe_len(FULL, 0);
	u32 end = z + MSS, pe = z + plen - HDR;
	bool good;

	good = clipper_bh_retransmit(s, z, end, FULL, 0, now, &defp) ==
	       CLIPPER_BH_PROBE && s->seq == z && !s->stuck &&
	       s->confirms == confirms;
	clipper_bh_probe_sent(s, pe, plen);
	return good && clipper_bh_ack(s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	       bh_data(s, pe, end) && s->confirms == confirms + 1;
}

static void test_stuck_flow(void)
{
	struct clipper_bh_path path;
	struct clipper_bh_suspect s;
	u32 x = 0xfffffc00, pe, y, z, z2;
	bool good, wide;

	/* a 1000-byte segment vanishes, its copy (526) passes */
	memset(&s, 0, sizeof(s));
	ok(clipper_bh_retransmit(&s, x, x + 1000, 1052, 0, 100, &defp) ==
	   CLIPPER_BH_PROBE && clipper_bh_probe_len(1052, 0) == 526,
	   "stuck: a 1052 resend, PROBE with a 526 copy");
	pe = x + 526 - HDR;
	clipper_bh_probe_sent(&s, pe, 526);
	clipper_bh_ack(&s, pe);
	ok(bh_data(&s, pe, x + 1000) && s.probe == CLIPPER_PROBE_LOST &&
	   s.confirms == 1 && s.big_len == 0,
	   "stuck: the rest settles it, nothing longer seen yet");
	ok(!bh_data(&s, x + 1000, x + 1000 + MSS) && s.big_len == FULL &&
	   s.big_end == x + 1000 + MSS,
	   "stuck: a 1500 segment after it is remembered (big_len, big_end, across the wrap)");
	ok(!bh_data(&s, x + 1000 + MSS, x + 1500 + MSS) && s.big_len == FULL &&
	   s.big_end == x + 1000 + MSS && s.confirms == 1,
	   "stuck: a shorter one after that does not replace it");
	ok(clipper_bh_ack(&s, x + 1000) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + 1999) == CLIPPER_BH_ACK_NONE,
	   "stuck: ACKs short of a segment more: NONE");
	ok(clipper_bh_ack(&s, x + 2000) == CLIPPER_BH_ACK_PASSED && !s.stuck,
	   "stuck: an ACK a segment more, short of the longer one's end: PASSED");
	ok(clipper_bh_ack(&s, x + 1000 + MSS) == CLIPPER_BH_ACK_STUCK &&
	   s.stuck && s.confirms == 1 && s.probe == CLIPPER_PROBE_LOST &&
	   !s.big_len && s.len == 1052,
	   "stuck: the longer one acknowledged: ACK_STUCK, confirmations kept, nothing watched yet");
	ok(clipper_bh_ack(&s, x + 1000 + MSS) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + 1000 * MSS) == CLIPPER_BH_ACK_NONE &&
	   s.confirms == 1 && s.stuck,
	   "stuck: from then on no ACK passes it while no segment of the vanished length was sent");

	/* after ACK_STUCK: the segments of the vanished length (1052) */
	y = x + 1000 + 2 * MSS;
	ok(!bh_data(&s, y, y + MSS) && !bh_data(&s, y + MSS, y + MSS + 999) &&
	   !bh_data(&s, y + MSS + 999, y + MSS + 2000) && !s.big_len &&
	   clipper_bh_ack(&s, y + MSS + 2000) == CLIPPER_BH_ACK_NONE,
	   "stuck: segments of other lengths (1500, 1051, 1053) are not watched, their ACK is NONE");
	z = y + MSS + 2000;
	ok(!bh_data(&s, z, z + 1000) && s.big_len == 1052 &&
	   s.big_end == z + 1000 && s.confirms == 1 && s.stuck,
	   "stuck: a 1052 segment is watched (big_len, big_end)");
	z2 = z + 1000 + MSS;
	ok(!bh_data(&s, z + 1000, z2) && s.big_end == z + 1000 &&
	   !bh_data(&s, z2, z2 + 1000) && s.big_end == z2 + 1000 &&
	   s.big_len == 1052,
	   "stuck: a longer one does not replace it, the latest 1052 one does");
	ok(clipper_bh_ack(&s, z + 1000) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, z2 + 999) == CLIPPER_BH_ACK_NONE && s.stuck,
	   "stuck: ACKs short of the latest 1052 one's end: NONE");
	ok(clipper_bh_ack(&s, z2 + 1000) == CLIPPER_BH_ACK_PASSED &&
	   clipper_bh_ack(&s, z2 + 5000) == CLIPPER_BH_ACK_PASSED &&
	   s.stuck && s.confirms == 1,
	   "stuck: an ACK at or past its end: PASSED (the length passes; the caller resets)");
	clipper_bh_reset(&s);
	ok(!s.stuck && !s.count && !s.confirms,
	   "... and the caller's reset clears the record");

	/* across the wrap, from a fresh stuck record */
	good = true;
	y = stuck_record(&s, 0xfffffe00 - 1000 - MSS, 100, &good);
	ok(good && !bh_data(&s, y, y + 1000) && s.big_end == y + 1000 &&
	   y + 1000 < y &&
	   clipper_bh_ack(&s, y + 999) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, y + 1000) == CLIPPER_BH_ACK_PASSED,
	   "stuck: a 1052 segment across the sequence wrap, acknowledged: PASSED");

	/* the record goes on: a later resend is followed, stuck kept */
	good = true;
	stuck_record(&s, x, 100, &good);
	y = x + 50 * MSS;
	ok(good && clipper_bh_retransmit(&s, y, y + MSS, FULL, 0, 2000, &defp) ==
	   CLIPPER_BH_PROBE && !s.stuck && s.confirms == 0 && s.seq == y,
	   "stuck (1052): a later 1500 resend is followed, stuck and the confirmation dropped (another length)");
	pe = send_probe(&s, y);
	ok(clipper_bh_ack(&s, y + MSS) == CLIPPER_BH_ACK_PASSED,
	   "stuck: that resend acknowledged whole: PASSED");
	/* reset forgets it all */
	clipper_bh_reset(&s);
	ok(!s.stuck && !s.probe_len && !s.count && !s.confirms,
	   "reset: stuck and the copy's length cleared");
	/* an idle record starts over */
	s.count = 1;
	s.stuck = 1;
	s.confirms = 2;
	s.probe_len = 526;
	s.last = 2000;
	ok(clipper_bh_retransmit(&s, y, y + MSS, FULL, 0, 12001, &defp) ==
	   CLIPPER_BH_PROBE && !s.stuck && !s.confirms && !s.probe_len,
	   "stuck: a record idle past the window starts over, not stuck");

	/* the same length passing is a full-size segment: PASSED */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	bh_data(&s, pe, x + MSS);
	bh_data(&s, x + MSS, x + 2 * MSS);
	ok(s.big_len == FULL && clipper_bh_ack(&s, x + 2 * MSS) ==
	   CLIPPER_BH_ACK_PASSED && !s.stuck,
	   "as long as the vanished one (1500 after 1500): PASSED, not stuck");

	/*
	 * A stuck segment: every 1052 segment vanishes, everything else
	 * passes.  The vanished length never passes, so its losses add up:
	 * the third declares a stuck segment.  It is a diagnosis only: the
	 * path's MTU stays as it was.
	 */
	good = true;
	y = stuck_record(&s, x, 100, &good);
	good = good && stuck_loss(&s, y, 1052, 400) && s.confirms == 2 &&
	       !clipper_bh_declared(&s, &defp);
	/* more full-size segments pass, nothing of 1052 */
	y += 1000;
	for (int k = 0; k < 10; k++, y += MSS)
		if (bh_data(&s, y, y + MSS) ||
		    clipper_bh_ack(&s, y + MSS) != CLIPPER_BH_ACK_NONE)
			good = false;
	ok(good && stuck_loss(&s, y, 1052, 800) && s.confirms == 3 &&
	   clipper_bh_declared(&s, &defp) && s.stuck && s.len == 1052 &&
	   s.probe_len == 526,
	   "stuck length 1052: it vanishes three times, full-size segments pass: declared, stuck, copy 526");
	memset(&path, 0, sizeof(path));
	wide = true;
	ok(clipper_path_confirm(&path, s.len, s.probe_len, false, s.stuck,
				SND_A, false, s.count, 900, TMO, &wide) &&
	   path.state == CLIPPER_PATH_STUCK && path.stuck_len == 1052 &&
	   path.stuck_resends == 1 && path.mtu == 0 &&
	   path.learned == CLIPPER_LEARNED_NONE && !wide &&
	   !clipper_path_applies(&path),
	   "... the path: stuck, length 1052, 1 resend, no MTU learned (a diagnosis only), not path-wide");

	/*
	 * Random loss: a 1052 segment lost (its resend too, its copy passed),
	 * the rest of it S sends not followed (not a loss of its own); full-
	 * size segments pass: ACK_STUCK, then the next 1052 segment passes:
	 * PASSED, the record dropped.  A full-size segment lost 5 s later
	 * starts from 0 confirmations.
	 */
	memset(&s, 0, sizeof(s));
	x = 0xffffff00;
	clipper_bh_retransmit(&s, x, x + 1000, 1052, 0, 100, &defp);
	pe = x + 526 - HDR;
	clipper_bh_probe_sent(&s, pe, 526);
	clipper_bh_ack(&s, pe);
	good = bh_data(&s, pe, x + 1000) && s.confirms == 1 &&
	       clipper_bh_retransmit(&s, pe, x + 1000, 578, 0, 150, &defp) ==
	       CLIPPER_BH_NONE && s.seq == x && s.len == 1052 &&
	       s.probe == CLIPPER_PROBE_LOST && s.probe_len == 526;
	ok(good, "random loss of a 1052 segment: the 578-byte rest, sent before, settles it (1 confirmation) and is not followed (NONE)");
	for (y = x + 1000; y != x + 1000 + 100 * MSS; y += MSS)
		bh_data(&s, y, y + MSS);
	ok(clipper_bh_ack(&s, x + 1000 + MSS) == CLIPPER_BH_ACK_STUCK &&
	   clipper_bh_ack(&s, x + 1000 + 100 * MSS) == CLIPPER_BH_ACK_NONE &&
	   s.confirms == 1 && s.stuck,
	   "... then 100 full-size segments acknowledged: ACK_STUCK, then NONE (no 1052 one sent yet)");
	ok(!bh_data(&s, y, y + 1000) &&
	   clipper_bh_ack(&s, y + 1000) == CLIPPER_BH_ACK_PASSED,
	   "... then a 1052 segment acknowledged: PASSED (the length passes)");
	s.count = 0;		/* the caller drops the record */
	y += 1000;
	clipper_bh_retransmit(&s, y, y + MSS, FULL, 0, 5150, &defp);
	pe = send_probe(&s, y);
	clipper_bh_ack(&s, pe);
	ok(bh_data(&s, pe, y + MSS) && s.confirms == 1 && !s.stuck &&
	   !clipper_bh_declared(&s, &defp),
	   "... and one full-size segment lost twice 5 s later: 1 confirmation, not declared");
	/* the same, no 1052 segment in between: the full-size length passes */
	good = true;
	y = stuck_record(&s, x, 100, &good);
	good = good && full_loss(&s, y, 5150) && s.confirms == 1;
	y += MSS;
	ok(good && !bh_data(&s, y, y + MSS) && s.big_len == FULL &&
	   clipper_bh_ack(&s, y + MSS) == CLIPPER_BH_ACK_PASSED &&
	   !clipper_bh_declared(&s, &defp),
	   "... or, a full-size resend lost while stuck at 1052 (starts over: 1 confirmation), then a full-size segment acknowledged: PASSED");

	/*
	 * Lengths mixed (once the false stuck declaration of the random
	 * simulation): a 1052 segment lost at random (one confirmation), a
	 * 1500 one acknowledged (ACK_STUCK), then 1500 segments lost at
	 * random, a 1052 one acknowledged between them.  A stuck segment is
	 * one length: following a 1500 resend drops the stuck diagnosis and
	 * its confirmations, so the confirmations never add up across
	 * lengths and nothing is declared.
	 */
	good = true;
	y = stuck_record(&s, x, 100, &good);
	good = good && full_loss(&s, y, 400) && s.confirms == 1;
	z = y + MSS;
	ok(good && !bh_data(&s, z, z + 1000),
	   "lengths mixed: 1052 lost (ACK_STUCK), 1500 lost: stuck dropped, 1 confirmation");
	ok(full_loss(&s, z + 1000, 700) && s.confirms == 2 &&
	   !clipper_bh_declared(&s, &defp) && !s.stuck,
	   "... then another 1500 lost: 2 confirmations of 1500, none of them stuck, not declared");
}

static void test_reordering(void)
{
	struct clipper_bh_suspect s;
	u32 x = 0xffffff00, pe;

	/* the large resend overtakes the copy: R acknowledges the whole */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	   !s.confirms && s.probe == CLIPPER_PROBE_SENT,
	   "the copy overtaken: R's ACK of the whole segment is PASSED, no confirmation");
	s.count = 0;
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_NONE &&
	   !data_full(&s, pe),
	   "the copy's duplicate ACK after the record is dropped: nothing");

	/* the copy first, the large one right behind it */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	ok(clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED && !s.confirms,
	   "the copy, then the large one: ANSWERED, then PASSED, no confirmation");

	/* with confirmations from before: R's ACK of the whole ends them */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	s.confirms = 2;
	pe = send_probe(&s, x);
	ok(clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   clipper_bh_ack(&s, x + 3 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "2 confirmations in, then the resend acknowledged (with what R held): PASSED");
}

/* ---- a segment's TCP options: clipper_tcp_opts_parse() ----------------- */

/*
 * The guard's view of an ACK's options (pmtu_guard.c), S having sent up
 * to snd_end: the largest SACK block of that, none from options that do
 * not parse.
 */
static bool sack_block_sent(const u8 *opt, unsigned int optlen, u32 ack,
			    u32 snd_end, u32 *l, u32 *r)
{
	struct clipper_tcp_opts o;

	if (!(clipper_tcp_opts_parse(opt, optlen, ack, snd_end, &o) &
	      CLIPPER_OPT_SACK))
		return false;
	*l = o.sack_left;
	*r = o.sack_right;
	return true;
}

/* ... S having sent all it could: 2^31 - 1 past ack */
static bool sack_block(const u8 *opt, unsigned int optlen, u32 ack, u32 *l,
		       u32 *r)
{
	return sack_block_sent(opt, optlen, ack, ack + 0x7fffffffu, l, r);
}

/*
 * A SACK block [l, r) of an ACK of ack is of data sent up to snd_end:
 * counted from ack, 0 < l < r <= snd_end < 2^31 (the walker's bound,
 * written another way).
 */
static bool sent_block(u32 l, u32 r, u32 ack, u32 snd_end)
{
	u32 dl = l - ack, dr = r - ack, ds = snd_end - ack;

	return ds < 0x80000000u && dl && dl < dr && dr <= ds;
}

/*
 * The two walkers that clipper_tcp_opts_parse() replaced, as they were,
 * bhole.h's clipper_bh_sack_block() (the guard's) and bhole_rx.h's
 * clipper_rx_opts() (the receiving side's), but for the bound of what S
 * sent (sent_block()): what each caller got from them, it gets from the
 * one, less the blocks of data never sent.  The lowest left edge that
 * clipper_rx_opts() found is no longer asked of the one (no caller read
 * it): it is found here as it was, and not compared.
 */
static bool old_sack_block(const u8 *opt, unsigned int optlen, u32 ack,
			   u32 snd_end, u32 *left, u32 *right)
{
	unsigned int i = 0, len, b;
	bool found = false;

	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return false;
		len = opt[i + 1];
		if (len < 2 || i + len > optlen)
			return false;		/* malformed: no evidence */
		if (opt[i] == TCPOPT_SACK &&
		    len >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((len - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (b = i + TCPOLEN_SACK_BASE;
			     b + TCPOLEN_SACK_PERBLOCK <= i + len;
			     b += TCPOLEN_SACK_PERBLOCK) {
				u32 l = get_unaligned_be32(opt + b);
				u32 r = get_unaligned_be32(opt + b + 4);

				if (!after(l, ack) || !after(r, l) ||
				    !sent_block(l, r, ack, snd_end))
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

static unsigned int old_rx_opts(const u8 *opt, unsigned int optlen, u32 ack,
				u32 snd_end, u32 *left, u32 *tsval,
				u32 *tsecr)
{
	unsigned int i = 0, len, b, found = 0;

	while (i < optlen) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		/* malformed: nothing read, but a signature seen stays */
		if (i + 1 >= optlen)
			return found & 4;
		len = opt[i + 1];
		if (len < 2 || i + len > optlen)
			return found & 4;
		if (opt[i] == TCPOPT_MD5SIG || opt[i] == TCPOPT_AO) {
			found |= 4;	/* TCP-MD5, TCP-AO: signed */
		} else if (opt[i] == TCPOPT_TIMESTAMP &&
			   len == TCPOLEN_TIMESTAMP) {
			*tsval = get_unaligned_be32(opt + i + 2);
			*tsecr = get_unaligned_be32(opt + i + 6);
			found |= 2;
		} else if (opt[i] == TCPOPT_SACK &&
			   len >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
			   !((len - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (b = i + TCPOLEN_SACK_BASE;
			     b + TCPOLEN_SACK_PERBLOCK <= i + len;
			     b += TCPOLEN_SACK_PERBLOCK) {
				u32 l = get_unaligned_be32(opt + b);
				u32 r = get_unaligned_be32(opt + b + 4);

				/* D-SACK, or empty */
				if (!after(l, ack) || !after(r, l) ||
				    !sent_block(l, r, ack, snd_end))
					continue;
				if (!(found & 1) || after(*left, l))
					*left = l;
				found |= 1;
			}
		}
		i += len;
	}
	return found;
}

/* Options that do not parse: a length below 2 or past the end, before EOL. */
static bool malformed(const u8 *opt, unsigned int optlen)
{
	unsigned int i = 0;

	while (i < optlen && opt[i] != TCPOPT_EOL) {
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen || opt[i + 1] < 2 || i + opt[i + 1] > optlen)
			return true;
		i += opt[i + 1];
	}
	return false;
}

static u32 walk_state = 0x9e3779b9u;

static u32 walk_rnd(void)
{
	return tap_xorshift32(&walk_state);
}

/*
 * a sequence number near ack: below it (D-SACK), above, about 2^31 past
 * it (where after() turns), or anywhere
 */
static u32 near(u32 ack)
{
	switch (walk_rnd() % 8) {
	case 0:
		return walk_rnd();
	case 1:
		return ack - walk_rnd() % 3000;
	case 2:
		return ack + 0x7fffffffu + walk_rnd() % 3;
	default:
		return ack + walk_rnd() % 20000;
	}
}

/*
 * Random options of at most 40 bytes (one a call, in the order written:
 * the same layouts with any compiler), biased to what the walker reads:
 * NOPs, timestamps, SACK blocks about ack (D-SACK, empty and inverted
 * ones too, ones ending at ack, left edges 2^31 past it), TCP-MD5,
 * TCP-AO, other kinds, EOL with bytes after it, options whose length is
 * wrong, and a byte flipped now and then.
 */
static unsigned int random_opts(u8 *o, u32 ack)
{
	unsigned int len = 0, room, nb, k, kind, olen;
	u32 l, r;

	while (len < 40) {
		room = 40 - len;
		kind = walk_rnd() % 16;
		if (kind < 3) {
			o[len++] = TCPOPT_NOP;
		} else if (kind == 3) {
			if (walk_rnd() % 3)
				continue;
			o[len++] = TCPOPT_EOL;
		} else if (kind < 6) {
			if (room < 10)
				continue;
			o[len] = TCPOPT_TIMESTAMP;
			o[len + 1] = walk_rnd() % 8 ? 10 : 2 + walk_rnd() % 9;
			put_unaligned_be32(walk_rnd(), o + len + 2);
			put_unaligned_be32(walk_rnd(), o + len + 6);
			len += 10;
		} else if (kind < 10) {
			nb = 1 + walk_rnd() % 4;
			if (2 + 8 * nb > room)
				nb = (room - 2) / 8;
			if (!nb || room < 10)
				continue;
			o[len] = TCPOPT_SACK;
			o[len + 1] = 2 + 8 * nb;
			for (k = 0; k < nb; k++) {
				l = near(ack);
				put_unaligned_be32(l, o + len + 2 + 8 * k);
				switch (walk_rnd() % 16) {
				case 0:
				case 1:
					r = l - walk_rnd() % 100;
					break;
				case 2:
					r = ack;
					break;
				default:
					r = l + walk_rnd() % 4000;
				}
				put_unaligned_be32(r, o + len + 6 + 8 * k);
			}
			len += 2 + 8 * nb;
		} else if (kind < 12) {
			olen = kind == 10 ? 18 : 4 + walk_rnd() % 17;
			if (olen > room)
				continue;
			o[len] = kind == 10 ? TCPOPT_MD5SIG : TCPOPT_AO;
			o[len + 1] = olen;
			for (k = 2; k < olen; k++)
				o[len + k] = walk_rnd();
			len += olen;
		} else if (kind < 14) {
			/* another kind: MSS, WS, SACK-permitted, or any */
			olen = 2 + walk_rnd() % 8;
			if (olen > room)
				continue;
			o[len] = kind == 12 ? 2 + walk_rnd() % 3 : walk_rnd();
			o[len + 1] = olen;
			for (k = 2; k < olen; k++)
				o[len + k] = walk_rnd();
			len += olen;
		} else if (kind == 14) {
			/* a length of 0 or 1, or past the end */
			o[len] = walk_rnd() % 2 ? TCPOPT_SACK : walk_rnd();
			if (room > 1)
				o[len + 1] = walk_rnd() % 2 ? walk_rnd() % 2 :
					     room + 1 + walk_rnd() % 8;
			len += room > 1 ? 2 : 1;
		} else {
			break;
		}
	}
	if (len && !(walk_rnd() % 8))
		o[walk_rnd() % len] = walk_rnd();
	return len;
}

/* what S sent: mostly a little past ack, sometimes all, none, or before */
static u32 sent_end(u32 ack)
{
	switch (walk_rnd() % 8) {
	case 0:
		return ack + 0x7fffffffu;
	case 1:
		return walk_rnd() % 2 ? ack : ack - walk_rnd() % 3000;
	case 2:
		return walk_rnd();
	default:
		return ack + walk_rnd() % 24000;
	}
}

/*
 * The one walker against the two it replaced, on random options in a
 * buffer of their exact size (ASan sees a read past it), S having sent
 * data up to a random end about ack: the guard gets the same largest
 * block, or none; the receiving side the same bits (0 to 2) and
 * timestamps; and malformed options say so, with nothing but the
 * signature bit besides.
 */
static void test_opts_same(void)
{
	unsigned int i, len, f, fr, bad = 0, sack = 0, ts = 0, sig = 0;
	unsigned int bent = 0, dsack = 0, unsent = 0;
	struct clipper_tcp_opts t;
	u32 ack, end, l = 0, r = 0, left = 0, tsval = 0, tsecr = 0;
	u8 o[40], *copy;
	bool s;

	for (i = 0; i < 300000; i++) {
		ack = i % 4 ? walk_rnd() : (u32)-(walk_rnd() % 5000);
		end = sent_end(ack);
		len = random_opts(o, ack);
		copy = malloc(len ?: 1);
		if (!copy)
			exit(2);
		memcpy(copy, o, len);
		memset(&t, 0xa5, sizeof(t));
		f = clipper_tcp_opts_parse(copy, len, ack, end, &t);
		s = old_sack_block(copy, len, ack, end, &l, &r);
		fr = old_rx_opts(copy, len, ack, end, &left, &tsval, &tsecr);
		if (!!(f & CLIPPER_OPT_SACK) != s ||
		    (s && (t.sack_left != l || t.sack_right != r)) ||
		    (f & 7) != fr ||
		    (fr & 2 && (t.tsval != tsval || t.tsecr != tsecr)) ||
		    !!(f & CLIPPER_OPT_MALFORMED) != malformed(copy, len) ||
		    (f & CLIPPER_OPT_MALFORMED &&
		     f & ~(CLIPPER_OPT_SIGNED | CLIPPER_OPT_MALFORMED))) {
			if (!bad++)
				printf("# ack %#x, sent %#x, %u bytes: %#x, old %d %#x\n",
				       ack, end, len, f, s, fr);
		}
		/* as many again that only the bound passed over */
		unsent += !(f & (CLIPPER_OPT_SACK | CLIPPER_OPT_MALFORMED)) &&
			  old_sack_block(copy, len, ack, ack + 0x7fffffffu,
					 &l, &r);
		sack += !!(f & CLIPPER_OPT_SACK);
		ts += !!(f & CLIPPER_OPT_TS);
		sig += !!(f & CLIPPER_OPT_SIGNED);
		bent += !!(f & CLIPPER_OPT_MALFORMED);
		/* a SACK option there, and no block of it counted */
		dsack += !(f & (CLIPPER_OPT_SACK | CLIPPER_OPT_MALFORMED)) &&
			 memchr(copy, TCPOPT_SACK, len);
		free(copy);
	}
	ok(!bad && sack > 30000 && ts > 30000 && sig > 30000 &&
	   bent > 30000 && dsack > 3000 && unsent > 3000,
	   "opts: as the guard's and the receiving side's walkers, bounded by what was sent, on %u random options (%u SACK, %u TS, %u signed, %u malformed, %u with no block counted, %u of them blocks never sent): %u differ",
	   i, sack, ts, sig, bent, dsack, unsent, bad);
}

/*
 * Options as a sender writes them, each option's start and what it tells
 * (a CLIPPER_OPT_* bit, or 0); nothing is read past an EOL.
 */
struct layout {
	const char *name;
	u8 b[40];
	unsigned int len, n;
	struct {
		unsigned int at;
		unsigned int bit;
	} opt[12];
};

static void lay(struct layout *y, const u8 *p, unsigned int n,
		unsigned int bit)
{
	y->opt[y->n].at = y->len;
	y->opt[y->n].bit = bit;
	y->n++;
	memcpy(y->b + y->len, p, n);
	y->len += n;
}

static void lay_nops(struct layout *y, unsigned int n)
{
	static const u8 nop = TCPOPT_NOP;

	while (n--)
		lay(y, &nop, 1, 0);
}

static void lay_ts(struct layout *y, u32 tsval, u32 tsecr)
{
	u8 p[10] = { TCPOPT_TIMESTAMP, 10 };

	put_unaligned_be32(tsval, p + 2);
	put_unaligned_be32(tsecr, p + 6);
	lay(y, p, sizeof(p), CLIPPER_OPT_TS);
}

static void lay_sack(struct layout *y, const u32 (*b)[2], unsigned int nb)
{
	u8 p[34] = { TCPOPT_SACK, 2 + 8 * nb };
	unsigned int k;

	for (k = 0; k < nb; k++) {
		put_unaligned_be32(b[k][0], p + 2 + 8 * k);
		put_unaligned_be32(b[k][1], p + 6 + 8 * k);
	}
	lay(y, p, 2 + 8 * nb, CLIPPER_OPT_SACK);
}

static void lay_sig(struct layout *y, u8 kind, unsigned int n)
{
	u8 p[18] = { kind, n };

	memset(p + 2, 0xab, n - 2);
	lay(y, p, n, CLIPPER_OPT_SIGNED);
}

/*
 * clipper_tcp_opts_parse() of y's first cut bytes, placed at offset off
 * of a buffer that ends with them (ASan sees a read past it; any
 * alignment of the 32-bit fields).
 */
static unsigned int parse_at(const struct layout *y, unsigned int cut,
			     unsigned int off, u32 ack,
			     struct clipper_tcp_opts *t)
{
	u8 *buf = malloc(off + cut + !(off + cut));
	unsigned int f;

	if (!buf)
		exit(2);
	memcpy(buf + off, y->b, cut);
	memset(t, 0xa5, sizeof(*t));
	f = clipper_tcp_opts_parse(buf + off, cut, ack, ack + 0x100000, t);
	free(buf);
	return f;
}

/*
 * Every layout cut at every byte, at every alignment: the options whole
 * before the cut are read, one cut in two is malformed (its signature
 * bit only, if one came before); and each layout whole with a malformed
 * option after each of its options.
 */
static void test_opts_cut(void)
{
	const u32 ack = 0xffffe000u;	/* the blocks wrap past 0 */
	const u32 b3[3][2] = {
		{ ack + 2896, ack + 4344 },
		{ ack + 7240, ack + 10136 },	/* the largest */
		{ ack + 1448, ack + 2000 },	/* the lowest, the smallest */
	};
	const u32 b1[1][2] = { { ack + 1448, ack + 2896 } };
	static const u8 bad[][3] = {
		{ TCPOPT_TIMESTAMP, 0 },	/* length 0 */
		{ TCPOPT_MD5SIG, 1 },		/* a signature, length 1 */
		{ TCPOPT_SACK, 40 },		/* past the end */
		{ TCPOPT_AO },			/* a kind, no length */
	};
	static const u8 eol_junk[] = { TCPOPT_EOL, TCPOPT_TIMESTAMP };
	struct layout y[3];
	struct clipper_tcp_opts t;
	unsigned int i, k, cut, off, f, want, sig, good, cuts, bent;
	bool whole, stop;
	u32 l = 0, r = 0;

	memset(y, 0, sizeof(y));
	/* Linux's: NOP NOP TS, NOP NOP SACK of 3 blocks: 40 bytes */
	y[0].name = "NOP NOP TS NOP NOP SACK(3)";
	lay_nops(&y[0], 2);
	lay_ts(&y[0], 0x01020304u, 0xa0b0c0d0u);
	lay_nops(&y[0], 2);
	lay_sack(&y[0], b3, 3);
	/* a TCP-MD5 flow's: NOP NOP MD5, NOP NOP SACK: 32 bytes */
	y[1].name = "NOP NOP MD5 NOP NOP SACK(1)";
	lay_nops(&y[1], 2);
	lay_sig(&y[1], TCPOPT_MD5SIG, 18);
	lay_nops(&y[1], 2);
	lay_sack(&y[1], b1, 1);
	/* TS, TCP-AO, NOP NOP SACK, EOL and a byte after it: 40 bytes */
	y[2].name = "TS AO NOP NOP SACK(1) EOL junk";
	lay_ts(&y[2], 7, 9);
	lay_sig(&y[2], TCPOPT_AO, 16);
	lay_nops(&y[2], 2);
	lay_sack(&y[2], b1, 1);
	y[2].opt[y[2].n].at = y[2].len;		/* EOL: the end */
	y[2].opt[y[2].n++].bit = 0;
	memcpy(y[2].b + y[2].len, eol_junk, sizeof(eol_junk));
	y[2].len += sizeof(eol_junk);

	for (i = 0; i < 3; i++) {
		good = 1;
		cuts = bent = 0;
		for (cut = 0; cut <= y[i].len; cut++) {
			/* what the options before the cut say */
			want = 0;
			sig = 0;
			stop = false;
			for (k = 0; k < y[i].n && !stop; k++) {
				unsigned int end = k + 1 < y[i].n ?
						   y[i].opt[k + 1].at :
						   y[i].len;

				if (y[i].opt[k].at >= cut)
					break;
				if (i == 2 && k == y[i].n - 1)
					break;		/* EOL */
				if (end > cut) {
					want = sig | CLIPPER_OPT_MALFORMED;
					stop = true;
					break;
				}
				want |= y[i].opt[k].bit;
				if (y[i].opt[k].bit == CLIPPER_OPT_SIGNED)
					sig = CLIPPER_OPT_SIGNED;
			}
			cuts++;
			bent += !!(want & CLIPPER_OPT_MALFORMED);
			for (off = 0; off < 8; off++) {
				f = parse_at(&y[i], cut, off, ack, &t);
				if (f != want ||
				    (f & CLIPPER_OPT_TS &&
				     (t.tsval != (i ? 7u : 0x01020304u) ||
				      t.tsecr != (i ? 9u : 0xa0b0c0d0u))) ||
				    (f & CLIPPER_OPT_SACK &&
				     (t.sack_left != (i ? b1[0][0] : b3[1][0]) ||
				      t.sack_right != (i ? b1[0][1] : b3[1][1])))) {
					if (good)
						printf("# %s cut at %u, at +%u: %#x, want %#x\n",
						       y[i].name, cut, off, f,
						       want);
					good = 0;
				}
			}
		}
		ok(good && bent > 0,
		   "opts: %s cut at each of %u bytes, 8 alignments: what is whole before the cut, %u cuts malformed",
		   y[i].name, y[i].len + 1, bent);
	}

	/* the guard: a malformed option after a SACK block, no evidence */
	whole = true;
	good = 1;
	for (i = 0; i < 3; i++) {
		/* in place of each option (of the EOL too), or after all */
		for (k = 0; k <= y[i].n; k++) {
			for (unsigned int j = 0; j < 4; j++) {
				struct layout z = y[i];
				unsigned int at = k < z.n ? z.opt[k].at : z.len;
				unsigned int m;

				if (i == 2 && k == z.n)
					continue;	/* after EOL: not read */
				sig = 0;
				for (m = 0; m < k; m++)
					if (z.opt[m].bit == CLIPPER_OPT_SIGNED)
						sig = CLIPPER_OPT_SIGNED;
				/* the options before, then the bad one */
				m = j == 3 ? 1 : 2;
				if (at + m > sizeof(z.b))
					continue;
				memcpy(z.b + at, bad[j], m);
				z.len = at + m;
				f = parse_at(&z, z.len, k % 4, ack, &t);
				if (f != (sig | CLIPPER_OPT_MALFORMED) ||
				    sack_block(z.b, z.len, ack, &l, &r)) {
					if (good)
						printf("# %s, bad option %u after option %u: %#x\n",
						       y[i].name, j, k, f);
					good = 0;
				}
			}
		}
		/* and whole: the guard's block is the largest */
		whole = whole && sack_block(y[i].b, y[i].len, ack, &l, &r) &&
			l == (i ? b1[0][0] : b3[1][0]) &&
			r == (i ? b1[0][1] : b3[1][1]);
	}
	ok(good, "opts: a malformed option after any option of the three: the signature bit alone (if one came before), the guard no block");
	ok(whole, "opts: the three whole: the guard gets the largest block, across the wrap");
}

/* NOP NOP SACK of nb blocks b: 4 + 8 nb bytes */
static unsigned int sack_opts(u8 *o, const u32 (*b)[2], unsigned int nb)
{
	unsigned int k;

	o[0] = TCPOPT_NOP;
	o[1] = TCPOPT_NOP;
	o[2] = TCPOPT_SACK;
	o[3] = 2 + 8 * nb;
	for (k = 0; k < nb; k++) {
		put_unaligned_be32(b[k][0], o + 4 + 8 * k);
		put_unaligned_be32(b[k][1], o + 8 + 8 * k);
	}
	return 4 + 8 * nb;
}

/*
 * The bound: a SACK block counts only when S sent all of it (its right
 * edge at most snd_end, conntrack's td_end of S); one that reaches
 * further is passed over, the rest of the options read as ever.
 */
static void test_opts_sent(void)
{
	const u32 x = 1000;	/* R's ACK, the resend's seq */
	struct clipper_tcp_opts t;
	struct clipper_bh_suspect q;
	u32 b[4][2], l = 0, r = 0, ack;
	unsigned int len, f;
	bool good;
	u8 o[40];

	b[0][0] = x + MSS;
	b[0][1] = x + 3 * MSS;
	len = sack_opts(o, b, 1);
	ok(sack_block_sent(o, len, x, x + 3 * MSS, &l, &r) &&
	   l == x + MSS && r == x + 3 * MSS,
	   "sent: a block ending exactly where S's data ends counts");
	ok(!sack_block_sent(o, len, x, x + 3 * MSS - 1, &l, &r),
	   "sent: a block one byte past S's data is passed over");
	ok(!sack_block_sent(o, len, x, x, &l, &r) &&
	   !sack_block_sent(o, len, x, x - 100, &l, &r) &&
	   !sack_block_sent(o, len, x, x + 0x80000000u, &l, &r),
	   "sent: nothing sent beyond the ACK (td_end at it, before it, or 2^31 away): no block");

	/* a forged block, larger, beside a real one: the real one */
	b[1][0] = x + MSS;
	b[1][1] = x + 40 * MSS;
	b[2][0] = x + 2 * MSS;
	b[2][1] = x + 3 * MSS + 1;	/* a byte too far */
	len = sack_opts(o, b, 3);
	ok(sack_block_sent(o, len, x, x + 3 * MSS, &l, &r) &&
	   l == x + MSS && r == x + 3 * MSS,
	   "sent: of a real block and two that reach past S's data, the real one, though smaller");

	/* the same in sequence space that wraps */
	ack = 0xfffff000u;
	b[0][0] = 0xfffff800u;
	b[0][1] = 0x800;
	len = sack_opts(o, b, 1);
	ok(sack_block_sent(o, len, ack, 0x800, &l, &r) &&
	   l == 0xfffff800u && r == 0x800,
	   "sent: ack %#x, S's data to 0x800: a block [%#x, 0x800) across 0 counts",
	   ack, 0xfffff800u);
	ok(!sack_block_sent(o, len, ack, 0x7ff, &l, &r) &&
	   !sack_block_sent(o, len, ack, 0xfffffff0u, &l, &r),
	   "sent: ... not when S's data ends at 0x7ff, nor before 0");
	b[0][0] = 0x10;
	b[0][1] = 0x900;
	len = sack_opts(o, b, 1);
	ok(!sack_block_sent(o, len, ack, 0x800, &l, &r) &&
	   sack_block_sent(o, len, ack, 0x900, &l, &r),
	   "sent: a block [0x10, 0x900) past 0 passed over with S's data to 0x800, counted to 0x900");

	/*
	 * Blocks whose edges are each after the one before (ack < l, l < r)
	 * but that wrap, r 2^31 or more past ack: conntrack's furthest edge
	 * never sees them (r is not after ack), and they are as large as one
	 * likes.
	 */
	good = true;
	b[0][0] = 0x70000000u;
	b[0][1] = 0xa0000000u;
	len = sack_opts(o, b, 1);
	good = good && after(b[0][0], 0) && after(b[0][1], b[0][0]) &&
	       !sack_block_sent(o, len, 0, 100000, &l, &r) &&
	       !sack_block_sent(o, len, 0, 0x7fffffffu, &l, &r);
	b[0][0] = 10;
	b[0][1] = 0x80000000u;
	len = sack_opts(o, b, 1);
	good = good && after(b[0][1], b[0][0]) &&
	       !sack_block_sent(o, len, 0, 0x7fffffffu, &l, &r) &&
	       !sack_block_sent(o, len, 0, 0x80000000u, &l, &r);
	b[0][1] = 0x7fffffffu;
	len = sack_opts(o, b, 1);
	good = good && sack_block_sent(o, len, 0, 0x7fffffffu, &l, &r);
	ok(good, "sent: blocks that wrap past 2^31 from the ACK are passed over, whatever S sent; one ending at ack + 2^31 - 1 counts");

	/* passed over, not refused: the rest is read as ever */
	b[0][0] = x + MSS;
	b[0][1] = x + 3 * MSS;
	o[0] = TCPOPT_NOP;
	o[1] = TCPOPT_NOP;
	o[2] = TCPOPT_TIMESTAMP;
	o[3] = 10;
	put_unaligned_be32(77, o + 4);
	put_unaligned_be32(88, o + 8);
	len = 12 + sack_opts(o + 12, b, 1);
	o[len++] = TCPOPT_MD5SIG;
	o[len++] = 2;
	f = clipper_tcp_opts_parse(o, len, x, x + MSS, &t);
	ok(f == (CLIPPER_OPT_TS | CLIPPER_OPT_SIGNED) && t.tsval == 77 &&
	   t.tsecr == 88,
	   "sent: a block never sent beside TS and TCP-MD5: those read (%#x)",
	   f);

	/*
	 * The guard: a resend of [x, x + MSS).  An ACK of x with a block
	 * of the two segments after it proves the resend lost, when S sent
	 * them; when S sent nothing more, the block is forged and proves
	 * nothing, and the episode goes on.
	 */
	b[0][0] = x + MSS;
	b[0][1] = x + 3 * MSS;
	len = sack_opts(o, b, 1);
	memset(&q, 0, sizeof(q));
	clipper_bh_retransmit(&q, x, x + MSS, FULL, 0, 100, &defp);
	if (sack_block_sent(o, len, x, x + MSS, &l, &r))
		clipper_bh_sack_note(&q, l, r, 110);
	ok(!q.sack_seen && !clipper_bh_sack_proves(&q, 110, 10000) &&
	   q.count == 1,
	   "sent: the guard: a forged ACK's block of data S never sent is not noted, proves nothing");
	if (sack_block_sent(o, len, x, x + 3 * MSS, &l, &r))
		clipper_bh_sack_note(&q, l, r, 120);
	ok(q.sack_seen && clipper_bh_sack_proves(&q, 120, 10000),
	   "sent: ... and the same block once S sent that data proves the resend lost");
}

/*
 * Which blocks count, and which is the largest, block by block: what the
 * receiving side's tests (test_bhole_rx.c) asked of the lowest left edge
 * before the receiving side stopped reading blocks, asked of the block
 * the guard keeps.
 */
static void test_opts_blocks(void)
{
	const u32 ack = 0x40000000u;
	static const u8 perm[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	struct clipper_bh_suspect q;
	u32 b[4][2], l = 0, r = 0, w;
	unsigned int len, i;
	bool good;
	u8 o[40];

	/* D-SACK: a block at or below ack, however large */
	b[0][0] = ack - 5000;
	b[0][1] = ack;
	b[1][0] = ack + 2896;
	b[1][1] = ack + 3896;
	len = sack_opts(o, b, 2);
	good = sack_block(o, len, ack, &l, &r);
	ok(good && l == ack + 2896 && r == ack + 3896,
	   "blocks: a larger D-SACK below ack first: passed over, the block after it (+%u)",
	   l - ack);
	b[0][0] = ack;
	b[0][1] = ack + 5000;
	len = sack_opts(o, b, 1);
	ok(!sack_block(o, len, ack, &l, &r),
	   "blocks: a block whose left edge is ack: a D-SACK, none");
	b[0][0] = ack + 1;
	len = sack_opts(o, b, 1);
	ok(sack_block(o, len, ack, &l, &r) && l == ack + 1 &&
	   r == ack + 5000,
	   "blocks: left edge ack + 1: counts");

	/* empty and inverted blocks */
	b[0][0] = ack + 500;
	b[0][1] = ack + 500;
	len = sack_opts(o, b, 1);
	good = !sack_block(o, len, ack, &l, &r);
	b[0][1] = ack + 499;
	len = sack_opts(o, b, 1);
	good = good && !sack_block(o, len, ack, &l, &r);
	ok(good, "blocks: right == left, right before left: none");
	b[0][1] = ack + 501;
	len = sack_opts(o, b, 1);
	ok(sack_block(o, len, ack, &l, &r) && l == ack + 500 &&
	   r == ack + 501,
	   "blocks: a block of one byte counts");
	/* r - l of the inverted one, unsigned, is 2^32 - 50 */
	b[0][0] = ack + 500;
	b[0][1] = ack + 500;
	b[1][0] = ack + 3000;
	b[1][1] = ack + 4000;
	b[2][0] = ack + 100;
	b[2][1] = ack + 50;
	len = sack_opts(o, b, 3);
	good = sack_block(o, len, ack, &l, &r);
	ok(good && l == ack + 3000 && r == ack + 4000,
	   "blocks: empty and inverted ones beside a real one: the real one (+%u)",
	   l - ack);

	/* the largest, in every order; the first of equals */
	good = true;
	for (i = 0; i < 6; i++) {
		const u32 v[3][2] = {
			{ ack + 1000, ack + 1500 },
			{ ack + 2000, ack + 4000 },	/* the largest */
			{ ack + 5000, ack + 6000 },
		};
		unsigned int k;

		for (k = 0; k < 3; k++) {
			b[k][0] = v[perm[i][k]][0];
			b[k][1] = v[perm[i][k]][1];
		}
		len = sack_opts(o, b, 3);
		good = good && sack_block(o, len, ack, &l, &r) &&
		       l == ack + 2000 && r == ack + 4000;
		/* all three 1000 bytes: the first */
		for (k = 0; k < 3; k++)
			b[k][1] = b[k][0] + 1000;
		len = sack_opts(o, b, 3);
		good = good && sack_block(o, len, ack, &l, &r) &&
		       l == b[0][0] && r == b[0][0] + 1000;
	}
	ok(good, "blocks: 3 blocks in all 6 orders: the largest; of equals, the first");
	b[0][0] = ack + 9000;
	b[0][1] = ack + 10000;
	b[1][0] = ack + 7000;
	b[1][1] = ack + 8500;
	b[2][0] = ack - 5;
	b[2][1] = ack + 6000;	/* a D-SACK, the largest */
	b[3][0] = ack + 600;
	b[3][1] = ack + 1600;
	len = sack_opts(o, b, 4);
	good = sack_block(o, len, ack, &l, &r);
	ok(good && len == 36 && l == ack + 7000 && r == ack + 8500,
	   "blocks: 4 blocks (36 bytes), a larger D-SACK among them: the largest of the others (+%u)",
	   l - ack);

	/* wraparound of ack and the edges */
	w = 0xfffffff0u;
	b[0][0] = 0xfffffff8u;
	b[0][1] = 0x8;
	len = sack_opts(o, b, 1);
	ok(sack_block(o, len, w, &l, &r) && l == 0xfffffff8u && r == 0x8,
	   "blocks: ack %#x, a block [%#x, 0x8) across 0 counts", w,
	   0xfffffff8u);
	b[0][0] = 0x10;
	b[0][1] = 0xfffffff8u;
	len = sack_opts(o, b, 1);
	ok(!sack_block(o, len, w, &l, &r),
	   "blocks: ack %#x, a block [0x10, %#x), right before left across 0: none",
	   w, 0xfffffff8u);
	b[0][0] = 0xfffffff8u;
	b[0][1] = 0x8;
	b[1][0] = 0x10;
	b[1][1] = 0x410;	/* the largest */
	b[2][0] = 0xffffff00u;	/* before ack: a D-SACK, larger */
	b[2][1] = 0x800;
	len = sack_opts(o, b, 3);
	ok(sack_block(o, len, w, &l, &r) && l == 0x10 && r == 0x410,
	   "blocks: ack %#x, blocks at %#x, 0x10, %#x (D-SACK): [0x10, 0x410)",
	   w, 0xfffffff8u, 0xffffff00u);
	/* ... bounded by what S sent, on either side of 0 */
	b[0][0] = 0x10;
	b[0][1] = 0x400;
	b[1][0] = 0xfffffff8u;
	b[1][1] = 0x20;
	len = sack_opts(o, b, 2);
	ok(sack_block_sent(o, len, w, 0x400, &l, &r) && l == 0x10 &&
	   r == 0x400,
	   "blocks: ack %#x, S's data to 0x400: both blocks count, [0x10, 0x400) the largest",
	   w);
	ok(sack_block_sent(o, len, w, 0x3ff, &l, &r) && l == 0xfffffff8u &&
	   r == 0x20,
	   "blocks: ... to 0x3ff: [0x10, 0x400) passed over, [%#x, 0x20) counts",
	   0xfffffff8u);
	ok(!sack_block_sent(o, len, w, 0x1f, &l, &r),
	   "blocks: ... to 0x1f: both passed over");

	/*
	 * Edges 2^31 apart: [ack + 2^31, ack) has each edge after the one
	 * before it, and its right edge not past anything S sent.  It tells
	 * of no data at all; counted, it would be a block of 2^31 bytes.
	 */
	good = true;
	for (i = 0; i < 4; i++) {
		const u32 a[4] = { ack, 0, 0x80000000u, 0xfffffff0u };

		b[0][0] = a[i] + 0x80000000u;
		b[0][1] = a[i];
		len = sack_opts(o, b, 1);
		good = good && after(b[0][0], a[i]) &&
		       after(b[0][1], b[0][0]) &&
		       !sack_block(o, len, a[i], &l, &r) &&
		       !sack_block_sent(o, len, a[i], a[i], &l, &r) &&
		       !sack_block_sent(o, len, a[i], a[i] + 3 * MSS, &l, &r);
		b[0][0] = a[i] + 0x7fffffffu;
		len = sack_opts(o, b, 1);
		good = good && !sack_block(o, len, a[i], &l, &r);
		b[0][0] = a[i] + 0x80000001u;
		len = sack_opts(o, b, 1);
		good = good && !sack_block(o, len, a[i], &l, &r);
	}
	ok(good, "blocks: [ack + 2^31, ack), and ack + 2^31 +- 1 for a left edge: none, whatever S sent");
	/* ... before a resend of [ack, ack + MSS), from a forged ACK */
	b[0][0] = ack + 0x80000000u;
	b[0][1] = ack;
	len = sack_opts(o, b, 1);
	memset(&q, 0, sizeof(q));
	if (sack_block_sent(o, len, ack, ack + 3 * MSS, &l, &r))
		clipper_bh_sack_note(&q, l, r, 50);
	clipper_bh_retransmit(&q, ack, ack + MSS, FULL, 0, 60, &defp);
	ok(!q.sack_seen && !clipper_bh_sack_proves(&q, 60, 10000),
	   "blocks: the guard: [ack + 2^31, ack) of a forged ACK is not noted, proves no loss");
}

static void test_sack(void)
{
	/* NOP NOP SACK [1000+1448*2, 1000+1448*3) */
	u8 one[] = { 1, 1, 5, 10, 0, 0, 0x0f, 0x38, 0, 0, 0x14, 0xe0 };
	/* a block of 1000 bytes only: small data got through */
	u8 small[] = { 1, 1, 5, 10, 0, 0, 0x0f, 0x38, 0, 0, 0x13, 0x20 };
	/* two blocks, the second one larger; then EOL */
	u8 two[] = { 1, 1, 5, 18, 0, 0, 0x0f, 0x58, 0, 0, 0x10, 0x00,
		     0, 0, 0x20, 0x00, 0, 0, 0x30, 0x00, 0 };
	/* timestamps first, then a D-SACK block, at the ACK */
	u8 dsack[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8,
		       1, 1, 5, 10, 0, 0, 0, 0, 0, 0, 0x03, 0xe8 };
	/* a length running past the end: no evidence */
	u8 cut[] = { 5, 18, 0, 0, 0x0f, 0x38, 0, 0, 0x14, 0xe0 };
	/* a zero length would loop: no evidence */
	u8 zero[] = { 8, 0, 5, 10, 0, 0, 0x0f, 0x38, 0, 0, 0x14, 0xe0 };
	u8 ts[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct clipper_bh_suspect q;
	u32 l = 0, r = 0;
	bool good;

	ok(sack_block(one, sizeof(one), 1000, &l, &r) &&
	   l == 1000 + 2 * 1448 && r == 1000 + 3 * 1448,
	   "SACK block: parsed after NOPs");
	ok(sack_block(two, sizeof(two), 1000, &l, &r) &&
	   l == 0x2000 && r == 0x3000,
	   "SACK block: the largest of two, EOL ends the options");
	ok(!sack_block(dsack, sizeof(dsack), 1000, &l, &r),
	   "SACK block: a D-SACK block at or below the ACK is none (timestamps skipped)");
	ok(!sack_block(cut, sizeof(cut), 1000, &l, &r) &&
	   !sack_block(zero, sizeof(zero), 1000, &l, &r) &&
	   !sack_block(one, 0, 1000, &l, &r) &&
	   !sack_block(one, 3, 1000, &l, &r),
	   "SACK block: cut or malformed options are none");
	ok(sack_block(one, sizeof(one), 0xfffffff0, &l, &r),
	   "SACK block: wrap-safe against the ACK");
	for (unsigned int len = 0; len < 64; len++) {
		u8 *buf = malloc(len ? len : 1);	/* exact: ASan sees overreads */

		for (unsigned int k = 0; k < len; k++)
			buf[k] = (u8)(k * 37 + len);
		(void)sack_block(buf, len, 0, &l, &r);
		free(buf);
	}
	ok(true, "SACK block: arbitrary option bytes are read within bounds");

	{
		u8 buf[40];
		unsigned int seed = 1, skipped = 0;

		ok(clipper_bh_no_sack(0, NULL) && clipper_bh_no_sack(8, one) &&
		   clipper_bh_no_sack(sizeof(ts), ts) &&
		   !clipper_bh_no_sack(sizeof(ts), NULL) &&
		   !clipper_bh_no_sack(sizeof(one), one) &&
		   !clipper_bh_no_sack(sizeof(dsack), dsack),
		   "no SACK: short options and Linux's timestamps are skipped, a SACK is not");
		/* never skips options that hold a block */
		good = true;
		for (unsigned int i = 0; i < 200000; i++) {
			unsigned int len = (i % 11) * 4;

			for (unsigned int k = 0; k < len; k++) {
				seed = seed * 1103515245 + 12345;
				buf[k] = (u8)(seed >> 16);
				/* bias towards NOP, TS and SACK kinds */
				if (k < 4 && (seed >> 8 & 3))
					buf[k] = ts[k];
				else if (k >= 2 && (seed >> 10 & 7) == 0)
					buf[k] = (u8)(k == 2 ? 5 : 10);
			}
			if (!clipper_bh_no_sack(len, buf))
				continue;
			skipped++;
			if (sack_block(buf, len, 0, &l, &r) ||
			    sack_block(buf, len, 0x80000000, &l, &r))
				good = false;
		}
		ok(good && skipped > 20000,
		   "no SACK: never true of options that hold a block (%u skipped)",
		   skipped);
	}

	/* the fast retransmit: SACKs first, then the resend */
	memset(&q, 0, sizeof(q));
	sack_block(one, sizeof(one), 1000, &l, &r);
	clipper_bh_sack_note(&q, l, r, 50);
	ok(q.count == 0 && q.last == 50 && q.sack_at == 50 &&
	   q.sack_left == l && q.sack_right == r,
	   "SACK note: a record with no resend, its time set");
	ok(!clipper_bh_sack_proves(&q, 50, 10000),
	   "a record with no resend proves nothing");
	clipper_bh_retransmit(&q, 1000, 1000, 52, 0, 60, &defp);
	ok(!clipper_bh_sack_proves(&q, 60, 10000),
	   "SACK proves nothing for a segment without payload");
	ok(clipper_bh_retransmit(&q, 1000, 1000 + MSS, FULL, 0, 60, &defp) ==
	   CLIPPER_BH_PROBE && q.sack_at == 50 &&
	   clipper_bh_sack_proves(&q, 60, 10000),
	   "SACK noted before the resend proves a loss (the note survives the record's start)");
	ok(clipper_bh_sack_proves(&q, 10050, 10000) &&
	   !clipper_bh_sack_proves(&q, 10051, 10000),
	   "... for window ms, not once the window has passed");
	ok(!clipper_bh_sack_proves(&q, 49, 10000),
	   "... nor from a note in the future");
	sack_block(small, sizeof(small), 1000, &l, &r);
	/* each a first block (not one R repeats) */
	q.sack_seen = 0;
	q.sack_at = 0;
	clipper_bh_sack_note(&q, l, r, 70);
	ok(!clipper_bh_sack_proves(&q, 70, 10000),
	   "a block smaller than the segment proves nothing (small data passes a hole)");
	/* each a first block (not one R repeats) */
	q.sack_seen = 0;
	q.sack_at = 0;
	clipper_bh_sack_note(&q, 500, 500 + 1448, 80);
	ok(!clipper_bh_sack_proves(&q, 80, 10000),
	   "a block before the segment proves nothing");
	/* each a first block (not one R repeats) */
	q.sack_seen = 0;
	q.sack_at = 0;
	clipper_bh_sack_note(&q, 1000, 1000 + 1448, 80);
	ok(!clipper_bh_sack_proves(&q, 80, 10000),
	   "a block at the segment's own start proves nothing");
	q.seq = 0xfffffff0;
	q.end = 0xfffffff0 + 1448;
	q.sack_base = q.seq;	/* as an episode starting there sets it */
	q.own_lo = q.seq;
	q.own_hi = q.seq;
	/* each a first block (not one R repeats) */
	q.sack_seen = 0;
	q.sack_at = 0;
	clipper_bh_sack_note(&q, 0x10, 0x10 + 1448, 90);
	ok(clipper_bh_sack_proves(&q, 90, 10000),
	   "SACK proof is wrap-safe (segment at 0xfffffff0, block at 0x10)");
	/* each a first block (not one R repeats) */
	q.sack_seen = 0;
	q.sack_at = 0;
	clipper_bh_sack_note(&q, 0x10, 0x10 + 1448, 0);
	ok(q.sack_at == 1 && q.last == 0 && clipper_bh_sack_proves(&q, 1, 10000),
	   "a note at time 0 is kept as 1 (0 means never)");
	q.count = 0;
	ok(!clipper_bh_sack_proves(&q, 90, 10000),
	   "a record with no resend counted proves nothing");
	/* the caller's reset on a SACK proof keeps the note, drops the rest */
	q.count = 3;
	q.confirms = 2;
	q.unanswered = 1;
	q.probe = CLIPPER_PROBE_LOST;
	clipper_bh_reset(&q);
	ok(!q.count && !q.confirms && !q.unanswered &&
	   q.probe == CLIPPER_PROBE_NONE && q.sack_at == 1,
	   "reset: count, confirms, unanswered and the probe cleared");
}

static void test_path_scope(void)
{
	struct clipper_bh_path path;
	bool good, wide;
	u32 now;

	memset(&path, 0, sizeof(path));
	ok(clipper_path_suspect(&path, 100) && path.state == CLIPPER_PATH_SUSPECT &&
	   path.changed == 100 && path.events == 0,
	   "suspect: new -> suspect (true), no event");
	ok(!clipper_path_suspect(&path, 150) && path.changed == 100,
	   "already suspect: false");
	wide = true;
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false,
				1, 200, TMO, &wide) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == 1280 &&
	   path.scope == CLIPPER_SCOPE_FLOW &&
	   path.learned == CLIPPER_LEARNED_PROBE && path.senders == 1 &&
	   path.sender == SND_A && path.sender_at == 200 &&
	   path.detected == 200 && path.changed == 200 && path.events == 1 &&
	   !wide && !clipper_path_applies(&path),
	   "first confirmation: blackhole, mtu 1280, learned probe, scope flow, not path-wide, does not apply");
	ok(!clipper_path_suspect(&path, 250) && path.state == CLIPPER_PATH_BLACKHOLE,
	   "suspect while blackhole: false, unchanged");
	good = true;
	for (now = 1000; now < 1000 + 100 * 60000; now += 60000) {
		wide = true;
		if (clipper_path_confirm(&path, FULL, 1280, false, false, SND_A,
					 false, 2, now, TMO, &wide) || wide ||
		    path.scope != CLIPPER_SCOPE_FLOW || path.senders != 1 ||
		    path.sender_at != now || clipper_path_applies(&path))
			good = false;
	}
	ok(good && path.events == 1 && path.changed == 200,
	   "the same sender, 100 times more over 100 min: scope flow, senders 1, not path-wide, no event");
	now -= 60000;
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false,
				1, now + TMO, TMO, &wide) &&
	   wide && path.scope == CLIPPER_SCOPE_PATH && path.senders == 2 &&
	   path.sender == SND_A && clipper_path_applies(&path) &&
	   path.events == 2 && path.detected == now + TMO,
	   "a second sender exactly timeout after the first's last: path-wide, scope path, senders 2, applies (an event)");

	/* a path of scope path: one sender's word is noted, nothing else */
	wide = true;
	ok(!clipper_path_confirm(&path, FULL, 1000, false, false, SND_A, false,
				 1, now + 10 * TMO, TMO, &wide) && !wide &&
	   path.scope == CLIPPER_SCOPE_PATH && path.mtu == 1280 &&
	   path.state == CLIPPER_PATH_BLACKHOLE &&
	   path.learned == CLIPPER_LEARNED_PROBE &&
	   path.detected == now + TMO && path.events == 2 &&
	   path.changed == now + TMO,
	   "scope path, then one sender (its claim expired) with a 1000 copy: false, not path-wide, mtu 1280 and all else unchanged");
	ok(path.sender == SND_A && path.sender_at == now + 10 * TMO &&
	   path.senders == 2,
	   "... only the sender noted (A, now), senders 2 kept");
	ok(!clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 4,
				 now + 10 * TMO + 10, TMO, &wide) && !wide &&
	   path.state == CLIPPER_PATH_BLACKHOLE && !path.stuck_len &&
	   !path.stuck_resends && path.mtu == 1280,
	   "... nor by its stuck segment: still blackhole, no stuck fields");
	path.state = CLIPPER_PATH_OK;
	ok(!clipper_path_confirm(&path, FULL, 1000, false, false, SND_A, false,
				 1, now + 10 * TMO + 20, TMO, &wide) && !wide &&
	   path.state == CLIPPER_PATH_OK && path.mtu == 1280,
	   "... nor an ok path made blackhole again");
	ok(clipper_path_confirm(&path, FULL, 1000, false, false, SND_B, false,
				1, now + 10 * TMO + 30, TMO, &wide) && wide &&
	   path.mtu == 1280 && path.state == CLIPPER_PATH_BLACKHOLE &&
	   path.scope == CLIPPER_SCOPE_PATH && path.senders == 2 &&
	   path.detected == now + 10 * TMO + 30 && path.events == 3,
	   "... but a second sender within timeout of that word: path-wide, blackhole (true), its 1000 copy taught as 1280 (path-wide, never below CLIPPER_PMTU_PROBE)");

	/* the first sender's claim expires */
	memset(&path, 0, sizeof(path));
	now = 0xfffff000;
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 1,
			     now, TMO, &wide);
	wide = true;
	ok(!clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false,
				 1, now + TMO + 1, TMO, &wide) && !wide &&
	   path.scope == CLIPPER_SCOPE_FLOW && path.sender == SND_B &&
	   path.sender_at == now + TMO + 1 && path.senders == 1 &&
	   !clipper_path_applies(&path),
	   "a second sender timeout + 1 ms after the first (clock wrapping): the first's claim expired, B's now, scope flow");
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false,
				1, now + TMO + 5000, TMO, &wide) && wide &&
	   path.scope == CLIPPER_SCOPE_PATH && path.senders == 2,
	   "then A within timeout of B: path-wide, scope path");

	/* a local sender: path at once */
	memset(&path, 0, sizeof(path));
	wide = false;
	ok(clipper_path_confirm(&path, FULL, 1280, true, false, SND_A, true, 1,
				10, TMO, &wide) && wide &&
	   path.scope == CLIPPER_SCOPE_PATH && clipper_path_applies(&path) &&
	   path.mtu == 1280 && path.state == CLIPPER_PATH_BLACKHOLE,
	   "a sender on this host: path-wide, scope path at once, applies");
	ok(path.senders == 1 && path.sender == SND_A && path.sender_at == 10,
	   "... and remembered as a sender (senders 1)");
	wide = false;
	ok(!clipper_path_confirm(&path, FULL, 1200, true, false, SND_A, true, 1,
				 10 + 10 * TMO, TMO, &wide) && wide &&
	   path.mtu == 1280 && path.senders == 1 &&
	   path.sender_at == 10 + 10 * TMO &&
	   path.detected == 10 + 10 * TMO && path.events == 1,
	   "... again, on its own path of scope path: path-wide, a 1200 copy raised to the IPv6 floor 1280, nothing changed (false, detected set)");
	wide = false;
	ok(!clipper_path_confirm(&path, FULL, 1280, true, false, SND_B, false, 1,
				 20 + 10 * TMO, TMO, &wide) && wide &&
	   path.senders == 2 && path.sender == SND_A,
	   "... then another sender within timeout: path-wide, senders 2");
	/* path-wide: never below CLIPPER_PMTU_PROBE, IPv4 too */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1000, false, false, SND_B, false, 1,
			     10, TMO, &wide);
	good = path.mtu == 1000 && path.scope == CLIPPER_SCOPE_FLOW;
	memset(&path, 0, sizeof(path));
	ok(good && clipper_path_confirm(&path, FULL, 1000, false, false, SND_A,
					true, 1, 10, TMO, &wide) && wide &&
	   path.mtu == 1280 && path.scope == CLIPPER_SCOPE_PATH &&
	   path.learned == CLIPPER_LEARNED_PROBE,
	   "IPv4, a 1000 copy: one remote sender's mtu 1000 (scope flow), a local sender's 1280 (path-wide, never below CLIPPER_PMTU_PROBE)");
	/* a local sender after a remote one */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false, 1,
			     10, TMO, &wide);
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, true, 1,
				20, TMO, &wide) && wide &&
	   path.scope == CLIPPER_SCOPE_PATH && path.sender == SND_B &&
	   path.sender_at == 10,
	   "a remote sender, then one on this host: path-wide, the first sender's claim kept");
	ok(path.senders == 1,
	   "... senders %u (current behaviour: the local one is not counted a second sender)",
	   path.senders);

	/* mtu 0 never applies */
	memset(&path, 0, sizeof(path));
	path.scope = CLIPPER_SCOPE_PATH;
	ok(!clipper_path_applies(&path), "scope path without an MTU: does not apply");

	/* a second flow of the same sender is the same sender */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 1,
			     10, TMO, &wide);
	clipper_path_confirm(&path, 1400, 1280, false, false, SND_A, false, 1,
			     20, TMO, &wide);
	ok(path.scope == CLIPPER_SCOPE_FLOW && path.senders == 1 && !wide,
	   "two flows of one sender (1500 and 1400 resends): still scope flow");
}

static void test_path_stuck(void)
{
	struct clipper_bh_path path;
	bool wide;

	/* the flow saw a longer one pass: a stuck segment, a diagnosis only */
	memset(&path, 0, sizeof(path));
	path.passed = FULL;
	wide = true;
	ok(clipper_path_confirm(&path, FULL, clipper_bh_probe_len(FULL, FULL),
				false, true, SND_A, false, 5, 100, TMO,
				&wide) &&
	   path.state == CLIPPER_PATH_STUCK && path.stuck_len == FULL &&
	   path.stuck_resends == 5 && path.scope == CLIPPER_SCOPE_FLOW &&
	   path.detected == 100 && path.events == 1 && !wide,
	   "1500 confirmed stuck by the flow (1500 passed): stuck, length 1500, 5 resends (an event)");
	ok(path.mtu == 0 && path.learned == CLIPPER_LEARNED_NONE &&
	   !clipper_path_applies(&path),
	   "... the MTU not changed (none learned, not passed's 1500; the copy was 750), learned none");
	ok(!strcmp(state_name(path.state), "stuck"),
	   "state name: stuck");
	ok(clipper_path_progress(&path, 200) && path.state == CLIPPER_PATH_OK &&
	   path.mtu == 0 && path.changed == 200,
	   "stuck -> ok on progress (true), still no MTU");

	/* a stuck segment on a path with an MTU keeps it */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
			     100, TMO, &wide);
	ok(clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 4,
				200, TMO, &wide) && !wide &&
	   path.state == CLIPPER_PATH_STUCK && path.mtu == 1280 &&
	   path.learned == CLIPPER_LEARNED_PROBE && path.stuck_len == FULL &&
	   path.stuck_resends == 4 && path.events == 2 &&
	   path.scope == CLIPPER_SCOPE_FLOW,
	   "blackhole at 1280, then the flow's stuck segment (a 750 copy): stuck, mtu 1280 and learned probe kept");
	ok(!clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 6,
				 300, TMO, &wide) &&
	   path.stuck_resends == 6 && path.detected == 300 &&
	   path.events == 2 && path.mtu == 1280,
	   "... the same again: no change reported, its resends and time noted");

	/* a black hole: never below what passed */
	memset(&path, 0, sizeof(path));
	path.passed = FULL - 1;
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false,
				5, 100, TMO, &wide) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == FULL - 1 &&
	   path.learned == CLIPPER_LEARNED_PROBE &&
	   path.stuck_len == 0 && path.stuck_resends == 0,
	   "1500 confirmed with 1499 passed (a 1280 copy): blackhole, mtu 1499 (not below passed), no stuck fields");
	memset(&path, 0, sizeof(path));
	path.passed = 1000;
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false,
				5, 100, TMO, &wide) && path.mtu == 1280,
	   "1500 confirmed with 1000 passed: the copy's 1280");
	memset(&path, 0, sizeof(path));
	path.passed = FULL;
	ok(clipper_path_confirm(&path, FULL, 750, false, false, SND_A, false,
				5, 100, TMO, &wide) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == 750 &&
	   path.stuck_len == 0 && path.stuck_resends == 0,
	   "1500 confirmed with 1500 passed, the flow saw nothing stuck: blackhole, not stuck (passed is no evidence of it), mtu the copy's 750 (a passed size not below the vanished one is stale)");

	/* IPv6: at most 1280 is stuck */
	memset(&path, 0, sizeof(path));
	ok(clipper_path_confirm(&path, 1280, 640, true, false, SND_A, false, 3,
				100, TMO, &wide) &&
	   path.state == CLIPPER_PATH_STUCK && path.stuck_len == 1280 &&
	   path.stuck_resends == 3 && path.mtu == 0,
	   "IPv6 1280 confirmed: stuck (every IPv6 link carries it), no MTU");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_confirm(&path, 1281, 1280, true, false, SND_A, false, 3,
				100, TMO, &wide) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == 1280,
	   "IPv6 1281 confirmed, nothing passed: blackhole, mtu 1280");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_confirm(&path, 1280, 640, false, false, SND_A, false, 3,
				100, TMO, &wide) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == 640,
	   "IPv4 1280 confirmed, nothing passed: blackhole (no IPv6 rule), mtu 640");

	/* the floors */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, 600, clipper_bh_probe_len(600, 0), false,
			     false, SND_A, false, 3, 100, TMO, &wide);
	ok(path.mtu == 552 && path.state == CLIPPER_PATH_BLACKHOLE,
	   "IPv4 600 confirmed with a 300 copy: mtu raised to the floor 552");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_confirm(&path, 1400, 700, true, false, SND_A, false, 3,
				100, TMO, &wide) &&
	   path.mtu == 1280 && path.state == CLIPPER_PATH_BLACKHOLE,
	   "IPv6 1400 confirmed with a 700 copy, nothing passed: blackhole, mtu raised to the floor 1280");
	memset(&path, 0, sizeof(path));
	path.passed = 1400;
	clipper_path_confirm(&path, 1400, clipper_bh_probe_len(1400, 1400),
			     true, true, SND_A, false, 3, 100, TMO, &wide);
	ok(path.mtu == 0 && path.state == CLIPPER_PATH_STUCK &&
	   path.stuck_len == 1400,
	   "IPv6 1400 stuck by the flow (1400 passed) with a 700 copy: no MTU at all (not the floor, not passed)");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_confirm(&path, 70000, 70000, false, false, SND_A, false,
				3, 100, TMO, &wide) && path.mtu == 65535,
	   "a copy of 70000: mtu 65535");

	/* a local sender's stuck segment at or below the IPv6 floor */
	memset(&path, 0, sizeof(path));
	wide = false;
	clipper_path_confirm(&path, 1000, clipper_bh_probe_len(1000, 0), true,
			     false, SND_A, true, 3, 100, TMO, &wide);
	ok(path.mtu == 0 && path.state == CLIPPER_PATH_STUCK &&
	   path.stuck_len == 1000 && wide && path.senders == 1 &&
	   !clipper_path_applies(&path),
	   "IPv6 1000 stuck, local sender: path-wide, but no MTU (not the copy's 500), applies to no flow");
	/* a stuck segment teaches nothing: the scope stays as it was */
	ok(path.scope == CLIPPER_SCOPE_FLOW,
	   "... scope %u: flow, a stuck segment changes no scope", path.scope);
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false, 3,
			     100, TMO, &wide);
	ok(!clipper_path_applies(&path) &&
	   clipper_path_confirm(&path, FULL, 750, false, true, SND_A, true, 3,
				200, TMO, &wide) &&
	   path.state == CLIPPER_PATH_STUCK && path.mtu == 1280 &&
	   path.learned == CLIPPER_LEARNED_PROBE &&
	   path.scope == CLIPPER_SCOPE_FLOW && !clipper_path_applies(&path),
	   "one remote sender's blackhole at 1280 (scope flow), then a local sender's stuck segment: the 1280 still applies to no other flow");
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false, 3,
			     100, TMO, &wide);
	ok(clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 3,
				200, TMO, &wide) && wide &&
	   path.state == CLIPPER_PATH_STUCK && path.mtu == 1280 &&
	   !clipper_path_applies(&path),
	   "... or a second remote sender's stuck segment (the flow's evidence): the same");
}

static void test_path_passed(void)
{
	struct clipper_bh_path path;
	bool wide;

	memset(&path, 0, sizeof(path));
	ok(!clipper_path_passed(&path, 1400, 10) && path.passed == 1400 &&
	   path.mtu == 0 && path.events == 0,
	   "passed 1400 with no MTU: remembered, false");
	ok(!clipper_path_passed(&path, 1300, 20) && path.passed == 1400,
	   "passed 1300 after 1400: passed kept at 1400");
	ok(clipper_bh_probe_len(FULL, path.passed) == 1400,
	   "the next probe for 1500 is 1400");

	clipper_path_confirm(&path, FULL, 1400, false, false, SND_A, false, 3,
			     30, TMO, &wide);
	ok(path.mtu == 1400 && path.state == CLIPPER_PATH_BLACKHOLE &&
	   path.events == 1,
	   "confirmed with a 1400 copy: mtu 1400");
	ok(!clipper_path_passed(&path, 1400, 40) && path.mtu == 1400 &&
	   path.learned == CLIPPER_LEARNED_PROBE &&
	   path.state == CLIPPER_PATH_BLACKHOLE,
	   "passed 1400 = mtu: nothing raised");
	ok(clipper_path_passed(&path, 1480, 50) && path.mtu == 1480 &&
	   path.passed == 1480 && path.learned == CLIPPER_LEARNED_ACKED &&
	   path.state == CLIPPER_PATH_OK && path.events == 2 &&
	   path.changed == 50,
	   "passed 1480: mtu raised to 1480, learned acked, blackhole -> ok (true)");
	ok(!clipper_path_passed(&path, 1300, 60) && path.mtu == 1480 &&
	   path.passed == 1480,
	   "passed 1300: never lowers the MTU or passed");
	ok(clipper_path_passed(&path, 70000, 70) && path.passed == 65535 &&
	   path.mtu == 65535,
	   "passed 70000: 65535");

	/* suspect -> ok on a raise; stuck stays stuck */
	memset(&path, 0, sizeof(path));
	path.mtu = 1280;
	path.state = CLIPPER_PATH_SUSPECT;
	ok(clipper_path_passed(&path, FULL, 10) && path.state == CLIPPER_PATH_OK,
	   "a raise while suspect: ok");
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
			     10, TMO, &wide);
	clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 3,
			     15, TMO, &wide);
	ok(path.state == CLIPPER_PATH_STUCK && path.mtu == 1280 &&
	   clipper_path_passed(&path, 1400, 20) && path.mtu == 1400 &&
	   path.learned == CLIPPER_LEARNED_ACKED &&
	   path.state == CLIPPER_PATH_STUCK && path.passed == 1400,
	   "stuck, the black hole's 1280 kept: 1400 acknowledged raises the MTU, the state stays stuck");
	memset(&path, 0, sizeof(path));
	path.passed = FULL;
	clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 3,
			     10, TMO, &wide);
	ok(path.state == CLIPPER_PATH_STUCK &&
	   !clipper_path_passed(&path, 1000, 20) && path.mtu == 0 &&
	   path.passed == FULL && path.state == CLIPPER_PATH_STUCK,
	   "stuck with no MTU: 1000 acknowledged teaches none (false)");

	/* progress */
	memset(&path, 0, sizeof(path));
	ok(!clipper_path_progress(&path, 10) && path.state == CLIPPER_PATH_NONE &&
	   path.events == 0,
	   "progress on a new path: nothing");
	clipper_path_suspect(&path, 20);
	ok(!clipper_path_progress(&path, 30) && path.state == CLIPPER_PATH_OK &&
	   path.changed == 30 && path.events == 0,
	   "progress while suspect: ok, no event (false)");
	ok(clipper_path_suspect(&path, 40) && path.state == CLIPPER_PATH_SUSPECT,
	   "ok -> suspect again (true)");
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
			     50, TMO, &wide);
	ok(clipper_path_progress(&path, 60) && path.state == CLIPPER_PATH_OK &&
	   path.mtu == 1280 && path.scope == CLIPPER_SCOPE_FLOW &&
	   path.events == 2 && path.changed == 60,
	   "progress while blackhole: ok, an event, MTU and scope kept");
	ok(!clipper_path_progress(&path, 70), "progress when ok: false");
}

static void test_path_icmp(void)
{
	struct clipper_bh_path path;
	bool wide;

	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 0, false, 50000) && path.icmp_seen == 50000 &&
	   path.mtu == 0 && path.state == CLIPPER_PATH_OK &&
	   path.learned == CLIPPER_LEARNED_NONE,
	   "ICMP with mtu 0: remembered, nothing learned, new -> ok (true)");
	ok(clipper_path_icmp_recent(&path, 50000, 10000, SND_A) &&
	   clipper_path_icmp_recent(&path, 60000, 10000, SND_A) &&
	   !clipper_path_icmp_recent(&path, 60001, 10000, SND_A) &&
	   !clipper_path_icmp_recent(&path, 49999, 10000, SND_A),
	   "ICMP recent: for window ms, not before it was seen");

	memset(&path, 0, sizeof(path));
	clipper_path_suspect(&path, 10);
	ok(clipper_path_icmp(&path, 1400, false, 20) && path.mtu == 1400 &&
	   path.state == CLIPPER_PATH_OK && path.scope == CLIPPER_SCOPE_PATH &&
	   path.learned == CLIPPER_LEARNED_ICMP && clipper_path_applies(&path),
	   "ICMP 1400: learned, scope path, learned icmp, suspect -> ok, applies");
	ok(!clipper_path_icmp(&path, 1450, false, 30) && path.mtu == 1400,
	   "ICMP 1450 over 1400 learned: ignored");
	ok(!clipper_path_icmp(&path, 1400, false, 35) && path.mtu == 1400,
	   "ICMP 1400 again: nothing new");
	ok(clipper_path_icmp(&path, 1300, false, 40) && path.mtu == 1300,
	   "ICMP 1300: learned");
	ok(!clipper_path_icmp(&path, 67, false, 50) && path.mtu == 1300 &&
	   clipper_path_icmp(&path, 68, false, 60) && path.mtu == 552 &&
	   !clipper_path_icmp(&path, 300, false, 70) && path.mtu == 552,
	   "IPv4: ICMP 67 ignored, 68 teaches 552 (min_pmtu), 300 nothing new");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 1279, true, 50) && path.mtu == 0 &&
	   path.state == CLIPPER_PATH_OK && path.scope == CLIPPER_SCOPE_FLOW,
	   "IPv6: PTB 1279 not learned (new -> ok: true)");
	ok(!clipper_path_icmp(&path, 70000, true, 60) && path.mtu == 0,
	   "PTB 70000 ignored");
	ok(clipper_path_icmp(&path, 1280, true, 70) && path.mtu == 1280 &&
	   path.scope == CLIPPER_SCOPE_PATH,
	   "PTB 1280 learned");

	/* while blackhole, scope flow: learned, scope path, stays blackhole */
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, true, false, SND_A, false, 3,
			     100, TMO, &wide);
	ok(clipper_path_icmp(&path, 1400, true, 200) && path.mtu == 1400 &&
	   path.scope == CLIPPER_SCOPE_PATH &&
	   path.learned == CLIPPER_LEARNED_ICMP &&
	   path.state == CLIPPER_PATH_BLACKHOLE,
	   "PTB 1400 on a flow-scope blackhole at 1280: learned (scope path), stays blackhole");
	ok(!clipper_path_icmp(&path, 1450, true, 300) && path.mtu == 1400,
	   "then PTB 1450 on scope path 1400: ignored");
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 3,
			     100, TMO, &wide);
	ok(!clipper_path_icmp(&path, 0, false, 200) &&
	   path.state == CLIPPER_PATH_STUCK,
	   "an ICMP (mtu 0) on a stuck path: stays stuck, false");

	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 0, true, 0) && path.icmp_seen != 0,
	   "an ICMP at time 0 is remembered");

	/*
	 * A path an ICMP taught (scope path): one non-local sender's word,
	 * a black hole or a stuck segment, changes nothing; a second sender
	 * or a local one does.
	 */
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, 100);
	wide = true;
	ok(!clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false,
				 3, 200, TMO, &wide) && !wide &&
	   path.mtu == 1400 && path.learned == CLIPPER_LEARNED_ICMP &&
	   path.scope == CLIPPER_SCOPE_PATH &&
	   path.state == CLIPPER_PATH_OK && path.events == 1 &&
	   path.changed == 100 && path.detected == 0 &&
	   clipper_path_applies(&path),
	   "ICMP 1400 (scope path), then one sender's confirmation (a 1280 copy): false, not path-wide, mtu 1400, learned icmp, ok");
	ok(path.sender == SND_A && path.sender_at == 200 && path.senders == 1,
	   "... the sender noted");
	path.passed = 1200;
	ok(!clipper_path_confirm(&path, 1104, clipper_bh_probe_len(1104, 1200),
				 false, true, SND_A, false, 3, 250, TMO,
				 &wide) && !wide &&
	   path.mtu == 1400 && path.state == CLIPPER_PATH_OK &&
	   !path.stuck_len && path.events == 1,
	   "... and its stuck 1104 (1200 passed): false, nothing changed either");
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_B, false,
				3, 300, TMO, &wide) && wide &&
	   path.mtu == 1280 && path.learned == CLIPPER_LEARNED_PROBE &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.senders == 2 &&
	   path.events == 2 && clipper_path_applies(&path),
	   "... then a second sender's confirmation: path-wide, mtu 1280, blackhole (true)");
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, 100);
	ok(clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, true, 3,
				200, TMO, &wide) && wide &&
	   path.mtu == 1280 && path.state == CLIPPER_PATH_BLACKHOLE,
	   "ICMP 1400, then a local sender's confirmation: path-wide, mtu 1280");
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, 100);
	path.passed = 1200;
	ok(clipper_path_confirm(&path, 1104, clipper_bh_probe_len(1104, 1200),
				false, true, SND_A, true, 3, 200, TMO,
				&wide) && wide &&
	   path.state == CLIPPER_PATH_STUCK && path.stuck_len == 1104 &&
	   path.mtu == 1400 && path.learned == CLIPPER_LEARNED_ICMP,
	   "ICMP 1400, then a local sender's stuck 1104: stuck, the ICMP's 1400 kept");
}

/* ICMP about flows this host forwards: the flow's sender's word */
static void test_path_icmp_fwd(void)
{
	struct clipper_bh_path path;

	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp_fwd(&path, 68, false, SND_A, 100, TMO) &&
	   path.mtu == 552 && path.scope == CLIPPER_SCOPE_FLOW &&
	   path.learned == CLIPPER_LEARNED_ICMP && path.state == CLIPPER_PATH_OK &&
	   !clipper_path_applies(&path),
	   "forwarded ICMP 68, one sender: 552 of scope flow, applies to no other flow");
	ok(clipper_path_icmp_recent(&path, 200, 10000, SND_A) &&
	   !clipper_path_icmp_recent(&path, 200, 10000, SND_B),
	   "forwarded ICMP: holds off repairs of its sender's flows only");
	ok(!clipper_path_icmp_fwd(&path, 68, false, SND_A, 300, TMO) &&
	   path.scope == CLIPPER_SCOPE_FLOW && path.senders == 1,
	   "the same sender again: still scope flow");
	ok(clipper_path_icmp_fwd(&path, 600, false, SND_B, 400, TMO) &&
	   path.mtu == 1280 && path.scope == CLIPPER_SCOPE_PATH &&
	   path.senders == 2 && clipper_path_applies(&path) &&
	   clipper_path_icmp_recent(&path, 500, 10000, SND_B) &&
	   !clipper_path_icmp_recent(&path, 500, 10000, SND_A + 7),
	   "a second network's ICMP: scope path, not below 1280, holds off that network's flows only");
	memset(&path, 0, sizeof(path));
	clipper_path_icmp_fwd(&path, 1492, false, SND_A, 100, TMO);
	ok(clipper_path_icmp_fwd(&path, 68, false, SND_B, 200, TMO) &&
	   path.mtu == 1492 && path.scope == CLIPPER_SCOPE_PATH,
	   "an honest 1492, then another network's 68: the path takes the larger, 1492");

	memset(&path, 0, sizeof(path));
	clipper_path_icmp_fwd(&path, 1400, true, SND_A, 100, TMO);
	ok(clipper_path_icmp_fwd(&path, 1400, true, SND_B, 100 + TMO + 1, TMO) ==
	   false && path.scope == CLIPPER_SCOPE_FLOW && path.sender == SND_B,
	   "a second network after pmtu-timeout: the first is forgotten, scope flow");

	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, 100);
	ok(!clipper_path_icmp_fwd(&path, 1300, false, SND_A, 200, TMO) &&
	   path.mtu == 1400 && path.scope == CLIPPER_SCOPE_PATH &&
	   path.icmp_sender == SND_A,
	   "a path of scope path: one sender's forwarded ICMP changes nothing of it");
	ok(clipper_path_icmp(&path, 1400, false, 300) == false &&
	   path.icmp_sender == 0,
	   "this host's own ICMP speaks for the path again");

	/* an ICMP that only moves the state keeps what was learned ageing */
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, 100);
	clipper_path_suspect(&path, 5000);
	ok(clipper_path_icmp(&path, 0, false, 6000) &&
	   path.state == CLIPPER_PATH_OK && path.learned_at == 100 &&
	   clipper_path_expired(&path, 100 + TMO, TMO, 10000),
	   "suspect -> ok by an ICMP teaching nothing: learned_at kept, it expires on time");
}

static void test_path_expiry(void)
{
	struct clipper_bh_path path;
	bool wide;
	u32 now = 0xffffff00;

	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3, now,
			     TMO, &wide);
	ok(!clipper_path_expired(&path, now + TMO - 1, TMO, 10000) &&
	   clipper_path_expired(&path, now + TMO, TMO, 10000) &&
	   clipper_path_expired(&path, now + TMO + 100000, TMO, 10000),
	   "expiry across the wrap: kept until timeout, then expired");
	ok(!clipper_path_expired(&path, now + 0x100, TMO, 10000),
	   "at 0x0 (just wrapped): not expired");
	clipper_path_progress(&path, now + 500000);
	clipper_path_suspect(&path, now + 550000);
	clipper_path_progress(&path, now + 560000);
	ok(!clipper_path_expired(&path, now + TMO - 1, TMO, 10000) &&
	   clipper_path_expired(&path, now + TMO, TMO, 10000),
	   "a repair, suspects and their ends do not keep what was learned past its timeout");
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
			     now + 500000, TMO, &wide);
	ok(!clipper_path_expired(&path, now + 700000, TMO, 10000) &&
	   clipper_path_expired(&path, now + 1100000, TMO, 10000),
	   "a new confirmation restarts the timeout");
	clipper_path_progress(&path, now + 900000);
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
			     now + 1000000, TMO, &wide);
	ok(path.changed == now + 1000000 &&
	   !clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3,
				 now + 1500000, TMO, &wide) &&
	   path.changed == now + 1000000 && path.detected == now + 1500000 &&
	   clipper_path_expired(&path, now + 1600000, TMO, 10000),
	   "a confirmation that changes nothing does not extend it (detected set)");

	memset(&path, 0, sizeof(path));
	clipper_path_suspect(&path, now);
	ok(!clipper_path_expired(&path, now + 9999, TMO, 10000) &&
	   clipper_path_expired(&path, now + 10000, TMO, 10000),
	   "a suspect that learned no MTU: forgotten after the window");
	ok(!clipper_path_expired(&path, now + 9999, 10000, 20000) &&
	   clipper_path_expired(&path, now + 10000, 10000, 20000),
	   "... the timeout when it is shorter than the window");
	clipper_path_progress(&path, now + 5000);
	ok(path.state == CLIPPER_PATH_OK && !path.mtu &&
	   !clipper_path_expired(&path, now + 14999, TMO, 10000) &&
	   clipper_path_expired(&path, now + 15000, TMO, 10000),
	   "ok without an MTU: the window too");
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 1280, false, false, SND_A, false, 3, now,
			     TMO, &wide);
	path.mtu = 0;
	ok(!clipper_path_expired(&path, now + 10000, TMO, 10000),
	   "a black hole is kept for the timeout, MTU or not");
	memset(&path, 0, sizeof(path));
	clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 3, now,
			     TMO, &wide);
	path.mtu = 0;
	ok(!clipper_path_expired(&path, now + 10000, TMO, 10000) &&
	   clipper_path_expired(&path, now + TMO, TMO, 10000),
	   "a stuck path too");
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, now);
	ok(!clipper_path_expired(&path, now + 10000, TMO, 10000) &&
	   clipper_path_expired(&path, now + TMO, TMO, 10000),
	   "a learned MTU is kept for the timeout");

	ok(!strcmp(state_name(CLIPPER_PATH_SUSPECT), "suspect") &&
	   !strcmp(state_name(CLIPPER_PATH_BLACKHOLE), "blackhole") &&
	   !strcmp(state_name(CLIPPER_PATH_OK), "ok") &&
	   !strcmp(state_name(CLIPPER_PATH_STUCK), "stuck") &&
	   !strcmp(state_name(0), "unknown") &&
	   !strcmp(state_name(200), "unknown"),
	   "state names: suspect, blackhole, ok, stuck, unknown");
}

/*
 * The whole story, as the module plays it: a flow's resends make the path
 * suspect, its confirmations declare it (scope flow), S obeys the ICMP
 * and its smaller resend is acknowledged (the path repaired), a second
 * sender's flow makes it path-wide, and a full size acknowledged later
 * raises it again.
 */
static void test_story(void)
{
	struct clipper_bh_suspect s;
	struct clipper_bh_path path;
	u32 now = 0xfffff000, x = 0xfffffa00, pe;
	bool declared = false, good = true, wide = true;
	int k;

	memset(&s, 0, sizeof(s));
	memset(&path, 0, sizeof(path));
	for (k = 0; k < 3 && !declared; k++) {
		now += 300;
		if (clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now, &defp) !=
		    CLIPPER_BH_PROBE)
			good = false;
		if (clipper_path_suspect(&path, now) != (k == 0))
			good = false;
		pe = send_probe(&s, x);
		clipper_bh_ack(&s, pe);
		if (data_full(&s, pe) && clipper_bh_declared(&s, &defp)) {
			declared = true;
			if (!clipper_path_confirm(&path, s.len, s.probe_len,
						  false, false, SND_A, false, s.count,
						  now, TMO, &wide))
				good = false;
		}
		x += MSS;
	}
	ok(good && declared && k == 3 && path.state == CLIPPER_PATH_BLACKHOLE &&
	   path.mtu == 1280 && path.scope == CLIPPER_SCOPE_FLOW && !wide &&
	   !clipper_path_applies(&path),
	   "story: suspect, 3 confirmations, blackhole at 1280 of scope flow (not path-wide)");
	/* S obeys: its next segments are 1228 bytes and pass */
	now += 50;
	ok(!data_full(&s, x) &&
	   clipper_bh_ack(&s, x + 1228) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_ack(&s, x + 2 * 1228) == CLIPPER_BH_ACK_PASSED &&
	   clipper_path_progress(&path, now) && path.state == CLIPPER_PATH_OK,
	   "story: S's smaller segments acknowledged a full segment past: PASSED, the path repaired");
	/* another sender's flow, the same hole */
	memset(&s, 0, sizeof(s));
	x = 77;
	declared = false;
	wide = false;
	for (k = 0; k < 3; k++) {
		now += 300;
		clipper_bh_retransmit(&s, x, x + MSS, FULL, 1, now, &defp);
		pe = send_probe(&s, x);
		clipper_bh_ack(&s, pe);
		if (data_full(&s, pe) && clipper_bh_declared(&s, &defp))
			declared = clipper_path_confirm(&path, s.len,
							s.probe_len, false, false,
							SND_B, false, s.count,
							now, TMO, &wide);
		x += MSS;
	}
	ok(declared && wide && path.scope == CLIPPER_SCOPE_PATH &&
	   path.senders == 2 && path.state == CLIPPER_PATH_BLACKHOLE &&
	   clipper_path_applies(&path),
	   "story: a second sender confirms: path-wide, scope path, applies to every flow");
	/* the hole is gone: a full-size resend acknowledged whole */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, now + 1000, &defp);
	pe = send_probe(&s, x);
	good = clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	       clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED &&
	       s.probe != CLIPPER_PROBE_LOST;
	ok(good && clipper_path_progress(&path, now + 1100) &&
	   clipper_path_passed(&path, s.len, now + 1100) &&
	   path.mtu == FULL && path.passed == FULL &&
	   path.learned == CLIPPER_LEARNED_ACKED && path.state == CLIPPER_PATH_OK,
	   "story: a 1500 resend acknowledged whole: repaired, then raised to 1500 (learned acked)");
	ok(clipper_bh_probe_len(FULL, path.passed) == 750 &&
	   clipper_bh_probe_len(9000, path.passed) == FULL,
	   "story: the next probes: 750 for a 1500 resend (stuck), 1500 for a 9000 one");
	/* a lone sender's stuck 1500 much later: its word only, noted */
	wide = true;
	ok(!clipper_path_confirm(&path, FULL, 750, false, true, SND_A, false, 2,
				 now + 2 * TMO, TMO, &wide) && !wide &&
	   path.state == CLIPPER_PATH_OK && path.mtu == FULL &&
	   !path.stuck_len && path.sender == SND_A &&
	   path.sender_at == now + 2 * TMO,
	   "story: a lone sender's stuck 1500 later: the path of scope path unchanged, the sender noted");
}

/*
 * The rest of an answered copy (pmtu_guard.c's held pieces): the wait, the
 * confirmation it makes, and when it makes none.
 */
static void test_rest(void)
{
	struct clipper_bh_suspect s;
	enum clipper_bh_verdict v = CLIPPER_BH_NONE;
	u32 x = 0xfffff000, pe = 0, y;
	unsigned int k;

	ok(clipper_bh_hold_ms(0) == CLIPPER_BH_HOLD_MIN_MS &&
	   clipper_bh_hold_ms(5) == CLIPPER_BH_HOLD_MIN_MS &&
	   clipper_bh_hold_ms(50) == 100 &&
	   clipper_bh_hold_ms(200) == CLIPPER_BH_HOLD_MAX_MS &&
	   clipper_bh_hold_ms(0xffffffffu) == CLIPPER_BH_HOLD_MAX_MS,
	   "rest: the wait is twice the copy's round trip, 20 to 250 ms");

	/* answered, the wait over: one confirmation, once */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	ok(!clipper_bh_rest_due(&s, x, pe, x + MSS) && s.probe == CLIPPER_PROBE_SENT,
	   "rest: not due while the copy has no answer");
	ok(clipper_bh_ack(&s, pe) == CLIPPER_BH_ACK_ANSWERED &&
	   !clipper_bh_rest_due(&s, x + 1, pe, x + 1 + MSS) &&
	   !clipper_bh_rest_due(&s, x, pe + 1, x + MSS),
	   "rest: not due for another segment or another copy");
	ok(clipper_bh_rest_due(&s, x, pe, x + MSS) && s.probe == CLIPPER_PROBE_LOST &&
	   s.confirms == 1 && !clipper_bh_rest_due(&s, x, pe, x + MSS) &&
	   s.confirms == 1,
	   "rest: due once answered and waited: LOST, one confirmation, only once");
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_NONE && s.confirms == 1,
	   "rest: R's ACK of the segment the rest completed: nothing");
	ok(!bh_data(&s, pe, x + MSS) && s.confirms == 1,
	   "rest: S sending the rest itself after that: no second confirmation");

	/* the whole segment acknowledged within the wait: overtaken */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	ok(clipper_bh_ack(&s, x + MSS) == CLIPPER_BH_ACK_PASSED,
	   "rest: the resend arrives within the wait: PASSED");
	s.count = 0;	/* pmtu_guard.c resets or drops the record */
	ok(!clipper_bh_rest_due(&s, x, pe, x + MSS) && !s.confirms,
	   "rest: then not due, no confirmation");

	/* S answered first: its own rest settles, ours is not due */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	ok(bh_data(&s, pe, x + MSS) && !clipper_bh_rest_due(&s, x, pe, x + MSS) &&
	   s.confirms == 1,
	   "rest: S sends the rest first: its confirmation, the held rest not due");

	/*
	 * A black hole at the pace of round trips: each segment's copy
	 * answered, its rest sent, R's ACK of it, S resending the next one
	 * (which it sent before, lost too): the next resend after the
	 * pmtu-retrans-th confirmation declares.
	 */
	memset(&s, 0, sizeof(s));
	for (k = 0; k < CLIPPER_BH_RETRANS + 1; k++) {
		y = x + k * MSS;
		v = clipper_bh_retransmit(&s, y, y + MSS, FULL, 0, 100 + k,
					  &defp);
		if (v != CLIPPER_BH_PROBE)
			break;
		pe = send_probe(&s, y);
		if (clipper_bh_ack(&s, pe) != CLIPPER_BH_ACK_ANSWERED ||
		    !clipper_bh_rest_due(&s, y, pe, y + MSS) ||
		    clipper_bh_ack(&s, y + MSS) != CLIPPER_BH_ACK_NONE)
			break;
	}
	ok(k == CLIPPER_BH_RETRANS && v == CLIPPER_BH_BLACKHOLE &&
	   clipper_bh_declared(&s, &defp),
	   "rest: pmtu-retrans segments confirmed by their rests, the next resend: BLACKHOLE");

	/* a GSO resend of two segments: the rest delivers both */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	ok(clipper_bh_rest_due(&s, x, pe, x + 2 * MSS) && s.own_hi == x + 2 * MSS &&
	   clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_NONE &&
	   clipper_bh_retransmit(&s, x + 2 * MSS, x + 3 * MSS, FULL, 0, 110,
				 &defp) == CLIPPER_BH_PROBE &&
	   s.seq == x + 2 * MSS && s.confirms == 1,
	   "rest: a two-segment GSO resend's rest: both delivered, no PASSED, the next one followed");

	/*
	 * SACK blocks of what clipper delivered itself, behind a hole R
	 * still has (the record followed a later segment): no evidence;
	 * a block reaching a segment beyond it is
	 */
	memset(&s, 0, sizeof(s));
	y = x + 4 * MSS;
	clipper_bh_retransmit(&s, y, y + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, y);
	clipper_bh_ack(&s, pe);
	clipper_bh_rest_due(&s, y, pe, y + 2 * MSS);
	clipper_bh_sack_note(&s, y, y + 2 * MSS, 120);
	ok(!clipper_bh_sack_proves(&s, 130, 10000),
	   "sack: a block of our own copy and rest (two segments): no proof");
	clipper_bh_sack_note(&s, y, y + 3 * MSS, 125);
	ok(clipper_bh_sack_proves(&s, 130, 10000) &&
	   s.sack_left == y + 2 * MSS,
	   "sack: the block grown by a full segment beyond ours: proof, of that segment");

	/* a resend split by clipper before the followed one: ours too */
	clipper_bh_own_range(&s, y - MSS, y);
	s.sack_at = 0;		/* no block noted before */
	clipper_bh_sack_note(&s, y - MSS, y + 2 * MSS, 126);
	ok(s.own_lo == y - MSS && !clipper_bh_sack_proves(&s, 130, 10000),
	   "sack: a block of a split resend before it and our rest: no proof");

	/*
	 * A path that narrowed after data behind the hole passed: R repeats
	 * that old block in every ACK; it is no news, and proves nothing
	 * at a resend one timeout later, nor in the episode.
	 */
	memset(&s, 0, sizeof(s));
	clipper_bh_sack_note(&s, x + 4 * MSS, x + 40 * MSS, 100);
	ok(clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100 + 400, &defp) ==
	   CLIPPER_BH_PROBE && !clipper_bh_sack_proves(&s, 500, 10000),
	   "sack: a block from before a timeout proves nothing at the resend");
	pe = send_probe(&s, x);
	clipper_bh_sack_note(&s, x + 4 * MSS, x + 40 * MSS, 510);
	ok(!clipper_bh_sack_proves(&s, 510, 10000) && s.sack_at == 0,
	   "sack: the same block repeated: no news, no proof");
	clipper_bh_sack_note(&s, x + 4 * MSS, x + 41 * MSS, 520);
	ok(clipper_bh_sack_proves(&s, 520, 10000) &&
	   s.sack_left == x + 40 * MSS,
	   "sack: the block grown by a full segment: proof, of what is new");
	memset(&s, 0, sizeof(s));
	clipper_bh_sack_note(&s, x + 4 * MSS, x + 40 * MSS, 100);
	ok(clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100 + 200, &defp) ==
	   CLIPPER_BH_PROBE && clipper_bh_sack_proves(&s, 300, 10000),
	   "sack: a block of just before the resend (a fast retransmit): proof");

	/*
	 * The segment followed, delivered already by clipper (the rest of
	 * an earlier GSO resend that held it): R's ACK of it is no news of
	 * its size; the record moves on, its confirmations kept.
	 */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	clipper_bh_rest_due(&s, x, pe, x + MSS);
	s.confirms = 2;
	clipper_bh_retransmit(&s, x + MSS, x + 2 * MSS, FULL, 0, 110, &defp);
	clipper_bh_own(&s, x + 3 * MSS);	/* pieces of a resend */
	ok(clipper_bh_ack(&s, x + 2 * MSS) == CLIPPER_BH_ACK_NONE &&
	   s.probe == CLIPPER_PROBE_LOST && s.confirms == 2,
	   "rest: the segment followed delivered by clipper, acknowledged: settled, no confirmation won or lost");
	ok(clipper_bh_ack(&s, x + 5 * MSS) == CLIPPER_BH_ACK_PASSED,
	   "rest: ... then a segment past all that clipper delivered: PASSED");

	/* a block around ours: the longer part outside it counts */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x + 2 * MSS, x + 3 * MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x + 2 * MSS);
	clipper_bh_own_range(&s, x + 2 * MSS, x + 4 * MSS);
	clipper_bh_sack_note(&s, x + 2 * MSS - 300, x + 4 * MSS + 200, 110);
	ok(!clipper_bh_sack_proves(&s, 110, 10000),
	   "sack: small tails around our own delivery: no proof");
	clipper_bh_sack_note(&s, x + 2 * MSS - 300, x + 5 * MSS + 10, 120);
	ok(clipper_bh_sack_proves(&s, 120, 10000) &&
	   s.sack_left == x + 4 * MSS && s.sack_right == x + 5 * MSS + 10,
	   "sack: a full segment beyond ours: proof, of that part");

	/* resends of what clipper delivered already are not followed */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100, &defp);
	pe = send_probe(&s, x);
	clipper_bh_ack(&s, pe);
	clipper_bh_rest_due(&s, x, pe, x + 3 * MSS);
	ok(clipper_bh_retransmit(&s, x + MSS, x + 2 * MSS, FULL, 0, 110, &defp) ==
	   CLIPPER_BH_NONE && s.seq == x &&
	   clipper_bh_retransmit(&s, x + 3 * MSS, x + 4 * MSS, FULL, 0, 120,
				 &defp) == CLIPPER_BH_PROBE && s.seq == x + 3 * MSS &&
	   s.confirms == 1,
	   "rest: S resending what the rest delivered: not followed; past it: followed");

	/* an outage: no copy answered, no rest due, nothing confirmed */
	memset(&s, 0, sizeof(s));
	for (k = 0; k < 5; k++) {
		clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 100 + k * 200,
				      &defp);
		pe = send_probe(&s, x);
		if (clipper_bh_rest_due(&s, x, pe, x + MSS))
			break;
	}
	ok(k == 5 && !s.confirms && s.unanswered == 4,
	   "rest: an outage: never due, no confirmation, 4 copies unanswered");

	/* what the flow carried makes a shorter vanished segment stuck */
	memset(&s, 0, sizeof(s));
	clipper_bh_passed(&s, FULL);
	clipper_bh_passed(&s, 1052);
	ok(s.passed_len == FULL, "passed: the longest acknowledged whole is kept");
	clipper_bh_retransmit(&s, x, x + 1000, 1052, 0, 100, &defp);
	clipper_bh_probe_sent(&s, x + 526 - HDR, 526);
	clipper_bh_ack(&s, x + 526 - HDR);
	ok(clipper_bh_rest_due(&s, x, x + 526 - HDR, x + 1000) &&
	   clipper_bh_is_stuck(&s) && !s.stuck,
	   "passed: a 1052 segment vanishing after 1500 passed: stuck (is_stuck)");
	clipper_bh_reset(&s);
	ok(s.passed_len == FULL, "passed: kept across a reset of the record");
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 0, 200, &defp);
	ok(!clipper_bh_is_stuck(&s),
	   "passed: a vanished segment as long as what passed: not stuck");
	clipper_bh_retransmit(&s, x, x + MSS, FULL, 1, 300, &defp);
	ok(!s.passed_len, "passed: forgotten when the record changes direction");
}

int main(void)
{
	test_constants();
	test_probe_len();
	test_retransmit();
	test_ack_data();
	test_black_hole();
	test_outage();
	test_random_loss();
	test_reordering();
	test_rest();
	test_stuck_flow();
	test_opts_same();
	test_opts_cut();
	test_opts_sent();
	test_opts_blocks();
	test_sack();
	test_path_scope();
	test_path_stuck();
	test_path_passed();
	test_path_icmp();
	test_path_icmp_fwd();
	test_path_expiry();
	test_story();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/bhole_rx.h, the same code the module runs:
 * the receiving side's PMTU black-hole episode (issue 25).  G, this host,
 * keeps hi, the end of S's furthest data that passed, and base, when hi
 * last advanced.  A pure ACK of S beyond hi + 576 opens an episode on
 * lo = hi, the bytes known missing from then on (disc); a quiet flow
 * opens one with a probe asking S, disc unknown (0) until an answer
 * tells bytes missing, and that answer is no confirmation.  G probes S
 * and counts an answer as a confirmation when its probe went out at or
 * after clipper_rx_due(): RTO0 after disc (with the round trip the
 * answer just measured) and next_conf, t + 2 (p - t) + RTO0 after the
 * previous confirming probe p, t = base - RTO0 (2p - base + 2 RTO0).
 * pmtu-retrans - 1 confirmations since the open or the latest outage
 * declare; G tells S with ICMPs and waits for R's ACK.  A probe nothing
 * answers ends the episode while nothing is confirmed, else starts the
 * count over.
 *
 * The comments of kmod/bhole_rx.h are the spec.  Every check asserts
 * exact values: the state, the verdict, the times, the counters.  The
 * episodes run with a millisecond clock and sequence numbers that wrap,
 * and a fixed-seed random walk checks every step against the test's own
 * model of an episode, and invariants, over many episodes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clipper.h"
#include "bhole.h"
#include "bhole_rx.h"

#include "tap.h"

/* IPv4 and TCP headers with timestamps: the IP length of a pure ACK */
#define HDR	52
/* the IP length of the missing segments */
#define LEN	1500
/* hi (lo of an episode), S's ACK (R's snd_nxt), an episode's opening time */
#define LO	0x10000000u
#define SACK	0x70000000u
#define T0	100000u
/*
 * S's snd_nxt in its answers: two full segments beyond lo (a pure ACK
 * telling less than one segment in flight makes len shorter)
 */
#define NXT(lo)	((u32)((lo) + 3000))
/* the sequence number past which a pure ACK of S says bytes are missing */
#define EDGE(lo) ((u32)((lo) + CLIPPER_RX_GAP_MIN))

static const char *vname(enum clipper_rx_verdict v)
{
	static const char *const names[] = {
		"NONE", "PROBE", "CONFIRM", "DECLARE", "ICMP", "OUTAGE",
		"ENDED", "REPAIRED", "UNREPAIRED",
	};

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ?
	       names[v] : "?";
}

/* the test's own time order (not net/tcp.h's before()): a before b */
static bool earlier(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* the later of a and b */
static u32 later(u32 a, u32 b)
{
	return earlier(a, b) ? b : a;
}

/* RTO0 and the wait as the spec says: max(1000, 4 rtt + 200), 4 rtt */
static u32 want_rto(u32 rtt)
{
	return 4 * rtt + 200 > 1000 ? 4 * rtt + 200 : 1000;
}

static u32 want_wait(u32 rtt)
{
	return 4 * rtt > 1000 ? 4 * rtt : 1000;
}

/* ---- S's segments and R's ACKs as G sees them ------------------------- */

/* a pure ACK of S, its snd_nxt seq */
static enum clipper_rx_verdict s_ack(struct clipper_rx_suspect *s, u32 seq,
				     u32 retrans, u32 now)
{
	return clipper_rx_from_s(s, seq, seq, SACK, HDR, false, retrans, now);
}

/* a pure ACK of S of IP length iplen (iplen >= len: len stays as it is) */
static enum clipper_rx_verdict s_ack_len(struct clipper_rx_suspect *s,
					 u32 seq, unsigned int iplen,
					 u32 retrans, u32 now)
{
	return clipper_rx_from_s(s, seq, seq, SACK, iplen, false, retrans,
				 now);
}

/* a data segment of S, [seq, end), of IP length HDR more */
static enum clipper_rx_verdict s_data(struct clipper_rx_suspect *s, u32 seq,
				      u32 end, u32 retrans, u32 now)
{
	return clipper_rx_from_s(s, seq, end, SACK, end - seq + HDR, true,
				 retrans, now);
}

/*
 * A fresh episode on a struct full of junk (open must clear all of it):
 * hi last advanced at base, the pure ACK telling the gap came at now.
 */
static void open_base(struct clipper_rx_suspect *s, u32 lo, u32 base,
		      u32 now)
{
	memset(s, 0xa5, sizeof(*s));
	clipper_rx_open(s, lo, SACK, LEN, base, now);
}

/* ... hi advanced just as the gap showed (base = now) */
static void open_at(struct clipper_rx_suspect *s, u32 lo, u32 now)
{
	open_base(s, lo, now, now);
}

/* a quiet flow asked at now, hi last advanced at base */
static void open_quiet(struct clipper_rx_suspect *s, u32 lo, u32 base,
		       u32 now)
{
	memset(s, 0xa5, sizeof(*s));
	clipper_rx_open_quiet(s, lo, SACK, LEN, base, now);
}

/* tick from "from" to "to" (inclusive) every step ms: all NONE? */
static bool no_verdict(struct clipper_rx_suspect *s, u32 from, u32 to,
			u32 step)
{
	u32 t;

	for (t = from; !before(to, t); t += step)
		if (clipper_rx_tick(s, t) != CLIPPER_RX_NONE)
			return false;
	return clipper_rx_tick(s, to) == CLIPPER_RX_NONE;
}

/*
 * A probe due at p: no verdict the ms before, PROBE at p, then S's pure
 * ACK telling NXT(lo) answers it rtt ms later: the answer's verdict
 * (NONE and a "#" line when the probe did not go as said).
 */
static enum clipper_rx_verdict probe_answer(struct clipper_rx_suspect *s,
					    u32 p, u32 rtt, u32 retrans)
{
	enum clipper_rx_verdict v;

	v = clipper_rx_tick(s, p - 1);
	if (v != CLIPPER_RX_NONE) {
		printf("# at %u, a ms before the probe: %s\n", p - 1, vname(v));
		return CLIPPER_RX_NONE;
	}
	v = clipper_rx_tick(s, p);
	if (v != CLIPPER_RX_PROBE || s->probe_at != (p ?: 1)) {
		printf("# at %u: %s, not PROBE (probe_at %u)\n", p, vname(v),
		       s->probe_at);
		return CLIPPER_RX_NONE;
	}
	return s_ack(s, NXT(s->lo), retrans, p + rtt);
}

/* ---- constants, the initial states, the helpers ------------------------ */

static void test_constants(void)
{
	struct clipper_rx_suspect s, zero;

	ok(CLIPPER_RX_RTO_MS == 1000 && CLIPPER_RX_PROBE_GAP_MS == 1000 &&
	   CLIPPER_RX_PROBES == 12 && CLIPPER_RX_ICMPS == 2 &&
	   CLIPPER_RX_LIFE_MS == 60000 && CLIPPER_RX_MTU_MIN == 1280,
	   "constants: RTO0 1000, probe gap 1000, 12 probes, 2 ICMPs, "
	   "life 60000, MTU floor 1280");
	ok(CLIPPER_PMTU_RESEND_MIN == 577 && CLIPPER_RX_GAP_MIN == 576,
	   "a pure ACK must tell more than 576 bytes missing (GAP_MIN %u, "
	   "RESEND_MIN - 1)", CLIPPER_RX_GAP_MIN);
	ok(CLIPPER_RX_FREE == 0 && CLIPPER_RX_OPEN == 1 &&
	   CLIPPER_RX_DECLARED == 2,
	   "states: FREE 0 (a zeroed slot is free), OPEN 1, DECLARED 2");
	ok(CLIPPER_RX_NONE == 0 && CLIPPER_RX_PROBE == 1 &&
	   CLIPPER_RX_CONFIRM == 2 && CLIPPER_RX_DECLARE == 3 &&
	   CLIPPER_RX_ICMP == 4 && CLIPPER_RX_OUTAGE == 5 &&
	   CLIPPER_RX_ENDED == 6 && CLIPPER_RX_REPAIRED == 7 &&
	   CLIPPER_RX_UNREPAIRED == 8,
	   "verdicts NONE..UNREPAIRED are 0..8, NONE 0");

	/* a zeroed slot is free: nothing happens to it */
	memset(&s, 0, sizeof(s));
	memset(&zero, 0, sizeof(zero));
	ok(clipper_rx_tick(&s, T0) == CLIPPER_RX_NONE &&
	   s_ack(&s, NXT(0), 3, T0) == CLIPPER_RX_NONE &&
	   s_data(&s, 0, 100, 3, T0) == CLIPPER_RX_NONE &&
	   s_data(&s, 5000, 5100, 3, T0) == CLIPPER_RX_NONE &&
	   clipper_rx_from_r(&s, 5000) == CLIPPER_RX_NONE &&
	   !memcmp(&s, &zero, sizeof(s)),
	   "a zeroed (FREE) slot: tick, from_s, from_r say NONE, touch "
	   "nothing");
}

static void test_open(void)
{
	struct clipper_rx_suspect s;

	open_base(&s, LO, T0 - 300, T0);
	ok(s.state == CLIPPER_RX_OPEN && s.lo == LO && s.s_ack == SACK &&
	   s.len == LEN && s.opened == T0 && s.base == T0 - 300,
	   "open: OPEN, lo, s_ack, len, opened now, base as given (state %u "
	   "lo %#x s_ack %#x len %u opened %u base %u)", s.state, s.lo,
	   s.s_ack, s.len, s.opened, s.base);
	ok(s.disc == T0 && s.next_conf == T0,
	   "open: bytes known missing now (disc %u), next_conf now (%u)",
	   s.disc, s.next_conf);
	ok(s.tsval == 0 && s.tsecr == 0 && s.probe_at == 0 &&
	   s.icmp_at == 0 && s.big == 0 && s.rtt == 0 && s.win == 0 &&
	   s.confirms == 0 && s.probes == 0 && s.icmps == 0 &&
	   s.flow_big == 0 && !s.answered && !s.ts && !s.outage && !s.stuck,
	   "open clears the rest of a junk-filled struct");
	ok(clipper_rx_rto(&s) == 1000 && clipper_rx_wait(&s) == 1000 &&
	   clipper_rx_due(&s) == T0 + 1000,
	   "open: rtt unknown, rto %u wait %u (1000 each), due disc + 1000 "
	   "(+%u)", clipper_rx_rto(&s), clipper_rx_wait(&s),
	   clipper_rx_due(&s) - T0);

	memset(&s, 0xa5, sizeof(s));
	clipper_rx_open(&s, LO, SACK, 70000, T0, T0);
	ok(s.len == 0xffff, "open: a length above 65535 is kept as 65535 "
	   "(%u)", s.len);
	clipper_rx_open(&s, LO, SACK, 0xffff, T0, T0);
	ok(s.len == 0xffff, "open: 65535 stays (%u)", s.len);
	clipper_rx_open(&s, LO, SACK, 1281, 0xfffffc00u, 0xfffffc18u);
	ok(s.len == 1281 && s.opened == 0xfffffc18u &&
	   s.disc == 0xfffffc18u && s.next_conf == 0xfffffc18u &&
	   clipper_rx_due(&s) == 0,
	   "open near the clock's wrap: due disc + 1000 wraps to 0 (%u)",
	   clipper_rx_due(&s));
	clipper_rx_open(&s, LO, SACK, LEN, 0xfffffe00u, 0);
	ok(s.opened == 0 && s.disc == 1 && s.next_conf == 0 &&
	   s.base == 0xfffffe00u && clipper_rx_due(&s) == 1001,
	   "open at now 0: disc 1 (0 means unknown), due 1001 (disc %u, due "
	   "%u)", s.disc, clipper_rx_due(&s));
}

static void test_open_quiet(void)
{
	struct clipper_rx_suspect s;

	open_quiet(&s, LO, T0 - 5000, T0);
	ok(s.state == CLIPPER_RX_OPEN && s.lo == LO && s.s_ack == SACK &&
	   s.len == LEN && s.opened == T0 && s.base == T0 - 5000 &&
	   s.next_conf == T0,
	   "open_quiet: OPEN, opened now, base as given, next_conf now "
	   "(opened %u base %u next_conf %u)", s.opened, s.base,
	   s.next_conf);
	ok(s.disc == 0 && s.probe_at == T0 && s.probes == 1 && !s.answered,
	   "open_quiet: nothing known missing (disc %u), its probe sent now "
	   "(probe_at %u, probes %u), unanswered", s.disc, s.probe_at,
	   s.probes);
	ok(s.confirms == 0 && !s.outage && s.icmps == 0 && s.big == 0 &&
	   s.rtt == 0 && s.flow_big == 0 && !s.stuck && s.win == 0 &&
	   s.tsval == 0 && s.icmp_at == 0 && !s.ts,
	   "open_quiet: the rest cleared");

	open_quiet(&s, LO, 0xfffff000u, 0);
	ok(s.probe_at == 1 && s.opened == 0 && s.disc == 0 &&
	   s.next_conf == 0,
	   "open_quiet at now 0: probe_at 1 (0 means none), disc 0 "
	   "(probe_at %u, disc %u)", s.probe_at, s.disc);
}

static void test_rto_wait(void)
{
	static const struct {
		u16 rtt;
		u32 rto, wait;
	} c[] = {
		{ 0, 1000, 1000 },
		{ 50, 1000, 1000 },
		{ 200, 1000, 1000 },	/* 4 * 200 + 200: exactly 1000 */
		{ 201, 1004, 1000 },
		{ 250, 1200, 1000 },	/* 4 * 250: exactly 1000 */
		{ 251, 1204, 1004 },
		{ 300, 1400, 1200 },
		{ 600, 2600, 2400 },
		{ 1000, 4200, 4000 },
		{ 0xffff, 262340, 262140 },
	};
	struct clipper_rx_suspect s;
	unsigned int i;
	bool good = true;

	open_at(&s, LO, T0);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s.rtt = c[i].rtt;
		if (clipper_rx_rto(&s) != c[i].rto ||
		    clipper_rx_wait(&s) != c[i].wait ||
		    want_rto(c[i].rtt) != c[i].rto ||
		    want_wait(c[i].rtt) != c[i].wait) {
			printf("# rtt %u: rto %u (want %u), wait %u (want %u)\n",
			       c[i].rtt, clipper_rx_rto(&s), c[i].rto,
			       clipper_rx_wait(&s), c[i].wait);
			good = false;
		}
	}
	ok(good, "rto = max(1000, 4 rtt + 200), wait = max(1000, 4 rtt): "
	   "rtt 0, 50, 200, 201, 250, 251, 300, 600, 1000, 65535");
}

static void test_next(void)
{
	struct clipper_rx_suspect s;

	/* t = base - rto: t + 2 (p - t) + rto = 2p - base + 2 rto */
	open_at(&s, LO, 5000);
	ok(clipper_rx_next(&s, 6000) == 9000,
	   "next: base 5000, p 6000, rtt 0: 2p - base + 2000 = 9000 (%u)",
	   clipper_rx_next(&s, 6000));
	ok(clipper_rx_next(&s, 5000) == 7000,
	   "next: p at base: base + 2 rto = 7000 (%u)",
	   clipper_rx_next(&s, 5000));
	s.rtt = 500;	/* rto 2200 */
	ok(clipper_rx_next(&s, 6000) == 11400,
	   "next: rtt 500 (rto 2200): 12000 - 5000 + 4400 = 11400 (%u)",
	   clipper_rx_next(&s, 6000));

	/* base, not opened nor disc: hi stopped long before the gap showed */
	open_base(&s, LO, 0, 20000);
	ok(clipper_rx_next(&s, 21000) == 44000,
	   "next: base 0 (t = -1000), opened 20000, p 21000: t + 2 (p - t) "
	   "+ 1000 = 44000 (%u)", clipper_rx_next(&s, 21000));
	ok(clipper_rx_next(&s, 44000) == 90000,
	   "next: base 0, p 44000: -1000 + 90000 + 1000 = 90000 (%u)",
	   clipper_rx_next(&s, 44000));
	s.opened = 777;
	s.disc = 888;
	s.next_conf = 999;
	ok(clipper_rx_next(&s, 21000) == 44000,
	   "next: opened, disc, next_conf do not count, base does (%u)",
	   clipper_rx_next(&s, 21000));
	s.base = 19800;
	ok(clipper_rx_next(&s, 21000) == 24200,
	   "next: base 19800, p 21000: 42000 - 19800 + 2000 = 24200 (%u)",
	   clipper_rx_next(&s, 21000));

	s.rtt = 0;
	s.base = 0xfffff000u;
	ok(clipper_rx_next(&s, 0xfffff3e8u) == 0xfffff000u + 4000,
	   "next: across the clock's wrap, base %#x, p base + 1000: base + "
	   "4000 = %#x (%#x)", s.base, 0xfffff000u + 4000,
	   clipper_rx_next(&s, 0xfffff3e8u));
	ok(clipper_rx_next(&s, 0x100) == 0x200u + 0x1000u + 2000,
	   "next: p past the wrap (0x100), base %#x: %#x (%#x)", s.base,
	   0x200u + 0x1000u + 2000, clipper_rx_next(&s, 0x100));
}

static void test_due(void)
{
	struct clipper_rx_suspect s;

	open_at(&s, LO, T0);
	ok(clipper_rx_due(&s) == T0 + 1000,
	   "due: opened (disc, next_conf) at T0: disc + 1000 (+%u)",
	   clipper_rx_due(&s) - T0);
	s.next_conf = T0 + 999;
	ok(clipper_rx_due(&s) == T0 + 1000,
	   "due: next_conf disc + 999: disc + 1000 (+%u)",
	   clipper_rx_due(&s) - T0);
	s.next_conf = T0 + 1000;
	ok(clipper_rx_due(&s) == T0 + 1000, "due: both disc + 1000 (+%u)",
	   clipper_rx_due(&s) - T0);
	s.next_conf = T0 + 1001;
	ok(clipper_rx_due(&s) == T0 + 1001,
	   "due: next_conf disc + 1001: next_conf (+%u)",
	   clipper_rx_due(&s) - T0);
	s.rtt = 600;	/* rto 2600 */
	ok(clipper_rx_due(&s) == T0 + 2600,
	   "due: rtt 600: disc + RTO0 2600, after next_conf (+%u)",
	   clipper_rx_due(&s) - T0);
	s.next_conf = T0 + 2601;
	ok(clipper_rx_due(&s) == T0 + 2601, "due: rtt 600, next_conf later: "
	   "next_conf (+%u)", clipper_rx_due(&s) - T0);
	/* the clock's wrap: the later in after() order */
	s.rtt = 0;
	s.disc = 0xfffffe00u;
	s.next_conf = 0xfffffff0u;
	ok(clipper_rx_due(&s) == 0x1e8,
	   "due: disc %#x, next_conf %#x: disc + 1000 = 0x1e8 past 0 (%#x)",
	   s.disc, s.next_conf, clipper_rx_due(&s));
	s.next_conf = 0x200;
	ok(clipper_rx_due(&s) == 0x200,
	   "due: disc %#x, next_conf 0x200: 0x200 (%#x)", s.disc,
	   clipper_rx_due(&s));
}

static void test_mtu(void)
{
	static const struct {
		u16 len, big;
		unsigned int mtu;
	} c[] = {
		{ 1500, 0, 1280 },
		{ 1500, 600, 1280 },
		{ 1500, 1279, 1280 },
		{ 1500, 1280, 1280 },
		{ 1500, 1281, 1281 },
		{ 1500, 1400, 1400 },
		{ 1500, 1499, 1499 },
		{ 1500, 1500, 1280 },	/* not shorter than the missing ones */
		{ 1500, 1600, 1280 },
		{ 1281, 1280, 1280 },
		{ 9000, 8192, 8192 },
		{ 0xffff, 0xfffe, 0xfffe },
	};
	struct clipper_rx_suspect s;
	unsigned int i;
	bool good = true;

	open_at(&s, LO, T0);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s.len = c[i].len;
		s.big = c[i].big;
		if (clipper_rx_mtu(&s) != c[i].mtu) {
			printf("# len %u big %u: mtu %u, want %u\n", c[i].len,
			       c[i].big, clipper_rx_mtu(&s), c[i].mtu);
			good = false;
		}
	}
	ok(good, "mtu: big when 1280 <= big < len, else 1280 (12 cases)");

	/* big as the segments of S set it */
	open_at(&s, LO, T0);
	s_data(&s, LO + 3000, LO + 3000 + 1348, 3, T0 + 10);	/* 1400 */
	s_data(&s, LO + 5000, LO + 5000 + 548, 3, T0 + 20);	/* 600 */
	ok(s.state == CLIPPER_RX_OPEN && s.big == 1400 &&
	   clipper_rx_mtu(&s) == 1400,
	   "mtu: the longest segment of S in the episode, 1400 (big %u mtu "
	   "%u)", s.big, clipper_rx_mtu(&s));
}

/* ---- the path to a declaration ----------------------------------------- */

/*
 * An episode opened at t0 on lo, hi last advanced at base, every probe
 * answered after rtt ms with a pure ACK of S telling NXT(lo), until it
 * declares.  The test reckons itself when each probe goes (the gap after
 * the previous one; RTO0 after t0 with the round trip known so far; the
 * latest confirmation's next_conf, 2p - base + 2 RTO0) and which answers
 * confirm (a probe at or after RTO0 after t0 with the round trip just
 * measured, and at or after next_conf), and checks each verdict and
 * time; *n_probes: the probes it took.  Returns whether all was as
 * expected; the episode is left DECLARED.
 */
static bool declare_run(struct clipper_rx_suspect *s, u32 lo, u32 base,
			u32 t0, u32 retrans, u32 rtt, unsigned int *n_probes)
{
	u32 rto_known = 1000, next_conf = t0, prev = 0, p, pp, from;
	unsigned int confirms = 0;
	enum clipper_rx_verdict v, want;
	bool good = true, conf;

	open_base(s, lo, base, t0);
	*n_probes = 0;
	for (;;) {
		p = later(t0 + rto_known, next_conf);
		if (*n_probes)
			p = later(p, prev + CLIPPER_RX_PROBE_GAP_MS);
		/* nothing until the probe is due */
		from = *n_probes ? prev + rtt + 1 : t0;
		if (earlier(from, p) && !no_verdict(s, from, p - 1, 97)) {
			printf("# a verdict before the probe at %u\n", p);
			good = false;
		}
		v = clipper_rx_tick(s, p);
		pp = p ?: 1;
		if (v != CLIPPER_RX_PROBE || s->probe_at != pp ||
		    s->answered || s->probes != *n_probes + 1) {
			printf("# at %u: %s, probe_at %u probes %u\n", p,
			       vname(v), s->probe_at, s->probes);
			return false;
		}
		(*n_probes)++;
		/* outstanding: nothing more, and nothing lost yet */
		if (clipper_rx_tick(s, p + rtt / 2) != CLIPPER_RX_NONE)
			good = false;
		rto_known = want_rto(rtt);
		conf = !earlier(pp, t0 + rto_known) && !earlier(pp, next_conf);
		if (conf) {
			confirms++;
			next_conf = 2 * pp - base + 2 * rto_known;
		}
		want = !conf ? CLIPPER_RX_NONE :
		       confirms + 1 < retrans ? CLIPPER_RX_CONFIRM :
						CLIPPER_RX_DECLARE;
		v = s_ack(s, NXT(lo), retrans, p + rtt);
		if (v != want || s->confirms != confirms || !s->answered ||
		    s->rtt != rtt || s->next_conf != next_conf ||
		    s->disc != (t0 ?: 1)) {
			printf("# answer at %u: %s (want %s) confirms %u rtt %u "
			       "next_conf %u (want %u)\n", p + rtt, vname(v),
			       vname(want), s->confirms, s->rtt,
			       s->next_conf, next_conf);
			return false;
		}
		/* a second answer is no answer */
		if (want != CLIPPER_RX_DECLARE &&
		    (s_ack(s, NXT(lo) + 5, retrans, p + rtt + 1) !=
		     CLIPPER_RX_NONE || s->confirms != confirms))
			good = false;
		if (want == CLIPPER_RX_DECLARE)
			break;
		prev = p;
		if (*n_probes > CLIPPER_RX_PROBES) {
			printf("# %u probes, never declared\n", *n_probes);
			return false;
		}
	}
	if (s->state != CLIPPER_RX_DECLARED || s->icmp_at != 0 ||
	    s->icmps != 0 || s->outage)
		good = false;
	return good;
}

static void test_declare(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;
	unsigned int np;
	bool ran;
	u32 r;

	/* retrans 3, step by step; hi last advanced 200 ms before the gap */
	open_base(&s, LO, T0 - 200, T0);
	ok(clipper_rx_tick(&s, T0) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 500) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 999) == CLIPPER_RX_NONE && s.probes == 0,
	   "retrans 3: no probe before disc + 1000");
	v = clipper_rx_tick(&s, T0 + 1000);
	ok(v == CLIPPER_RX_PROBE && s.probe_at == T0 + 1000 &&
	   s.probes == 1 && !s.answered && s.state == CLIPPER_RX_OPEN,
	   "retrans 3: PROBE at disc + 1000 (%s, probe_at +%u, probes %u)",
	   vname(v), s.probe_at - T0, s.probes);
	ok(clipper_rx_tick(&s, T0 + 1000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 1999) == CLIPPER_RX_NONE &&
	   s.probes == 1 && !s.answered && !s.outage,
	   "retrans 3: the probe outstanding, nothing until its wait is over");
	v = s_ack(&s, NXT(LO), 3, T0 + 1050);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1 && s.answered &&
	   s.rtt == 50 && s.state == CLIPPER_RX_OPEN && s.disc == T0,
	   "retrans 3: a pure ACK of S beyond lo + 576 answers: CONFIRM "
	   "(%s, confirms %u, rtt %u)", vname(v), s.confirms, s.rtt);
	ok(s.next_conf == 2 * (T0 + 1000) - (T0 - 200) + 2 * 1000 &&
	   s.next_conf == T0 + 4200 &&
	   clipper_rx_due(&s) == T0 + 4200,
	   "retrans 3: next_conf 2p - base + 2 rto = +4200, due too (+%u)",
	   s.next_conf - T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 1060);
	ok(v == CLIPPER_RX_NONE && s.confirms == 1 && s.rtt == 50,
	   "retrans 3: a second segment of S answers nothing more (%s)",
	   vname(v));
	ok(clipper_rx_tick(&s, T0 + 1100) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 2100) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 4199) == CLIPPER_RX_NONE &&
	   s.probes == 1,
	   "retrans 3: no probe before next_conf, though the gap is over");
	v = clipper_rx_tick(&s, T0 + 4200);
	ok(v == CLIPPER_RX_PROBE && s.probe_at == T0 + 4200 &&
	   s.probes == 2 && !s.answered,
	   "retrans 3: the next PROBE exactly at next_conf (%s)", vname(v));
	v = s_ack(&s, NXT(LO), 3, T0 + 4230);
	ok(v == CLIPPER_RX_DECLARE && s.state == CLIPPER_RX_DECLARED &&
	   s.confirms == 2 && s.rtt == 30 && s.icmp_at == 0 && !s.stuck &&
	   s.next_conf == 2 * (T0 + 4200) - (T0 - 200) + 2000,
	   "retrans 3: the second confirmation DECLAREs (%s, confirms %u)",
	   vname(v), s.confirms);
	ok(s_ack(&s, NXT(LO), 3, T0 + 4231) == CLIPPER_RX_NONE &&
	   s.state == CLIPPER_RX_DECLARED && s.confirms == 2,
	   "declared: S's segments say nothing more");
	v = clipper_rx_tick(&s, T0 + 4240);
	ok(v == CLIPPER_RX_ICMP && s.icmps == 1 && s.icmp_at == T0 + 4240 &&
	   s.state == CLIPPER_RX_DECLARED,
	   "declared: the next tick says ICMP (%s, icmps %u)", vname(v),
	   s.icmps);
	ok(clipper_rx_tick(&s, T0 + 4241) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 5239) == CLIPPER_RX_NONE && s.icmps == 1,
	   "declared: nothing for the wait (1000) after the ICMP");
	v = clipper_rx_tick(&s, T0 + 5240);
	ok(v == CLIPPER_RX_ICMP && s.icmps == 2 && s.icmp_at == T0 + 5240,
	   "declared: ICMP again after the wait (%s, icmps %u)", vname(v),
	   s.icmps);
	ok(clipper_rx_tick(&s, T0 + 6239) == CLIPPER_RX_NONE &&
	   s.state == CLIPPER_RX_DECLARED && s.icmps == 2,
	   "declared: nothing for the wait after the second ICMP");
	v = clipper_rx_tick(&s, T0 + 6240);
	ok(v == CLIPPER_RX_UNREPAIRED && s.state == CLIPPER_RX_FREE &&
	   s.icmps == 2,
	   "declared: R's ACK never moved: UNREPAIRED, the slot FREE (%s)",
	   vname(v));
	ok(clipper_rx_tick(&s, T0 + 9000) == CLIPPER_RX_NONE &&
	   clipper_rx_from_r(&s, LO + 1) == CLIPPER_RX_NONE &&
	   s_ack(&s, NXT(LO), 3, T0 + 9000) == CLIPPER_RX_NONE,
	   "free again: nothing more");

	/* retrans 2 and 1: the first confirmation declares */
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 20, 2);
	ok(v == CLIPPER_RX_DECLARE && s.confirms == 1 &&
	   s.state == CLIPPER_RX_DECLARED,
	   "retrans 2: the first confirmation DECLAREs (%s)", vname(v));
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 20, 1);
	ok(v == CLIPPER_RX_DECLARE && s.confirms == 1 &&
	   s.state == CLIPPER_RX_DECLARED,
	   "retrans 1: the first confirmation DECLAREs too (%s)", vname(v));

	/* the same runs, through declare_run() */
	ran = declare_run(&s, LO, T0, T0, 3, 50, &np);
	ok(ran && np == 2 &&
	   s.probe_at == T0 + 4000,
	   "declare_run retrans 3, rtt 50, base = opened: 2 probes, the last "
	   "at +4000 (%u, +%u)", np, s.probe_at - T0);
	ran = declare_run(&s, LO, T0, T0, 2, 50, &np);
	ok(ran && np == 1,
	   "declare_run retrans 2: 1 probe (%u)", np);
	ran = declare_run(&s, LO, T0, T0, 4, 50, &np);
	ok(ran && np == 3 &&
	   s.probe_at == T0 + 10000,
	   "declare_run retrans 4: 3 probes, the last at +10000 (+%u)",
	   s.probe_at - T0);
	ran = declare_run(&s, LO, T0 - 500, T0, 4, 50, &np);
	ok(ran && np == 3 &&
	   s.probe_at == T0 + 11500,
	   "declare_run retrans 4, base opened - 500: probes at +1000, "
	   "+4500, +11500 (+%u)", s.probe_at - T0);
	ran = declare_run(&s, LO, T0, T0, 5, 50, &np);
	ok(ran && np == 4 &&
	   s.probe_at == T0 + 22000,
	   "declare_run retrans 5: 4 probes, at +1000, +4000, +10000, "
	   "+22000 (+%u)", s.probe_at - T0);
	/* beyond that the lifetime ends it: 46000 is the 5th, 94000 > 60000 */
	ran = declare_run(&s, LO, T0, T0, 6, 50, &np);
	ok(ran && np == 5 &&
	   s.probe_at == T0 + 46000,
	   "declare_run retrans 6: 5 probes, the last at +46000 (+%u)",
	   s.probe_at - T0);
	/*
	 * rtt 300, RTO0 1400: the probe at disc + 1000 is answered but
	 * proves no resend; the next goes at +2000 (the gap), then
	 * 4000 - 0 + 2800 = +6800
	 */
	ran = declare_run(&s, LO, T0, T0, 3, 300, &np);
	ok(ran && np == 3 &&
	   s.probe_at == T0 + 6800,
	   "declare_run retrans 3, rtt 300 (rto 1400): 3 probes, the first "
	   "no confirmation, the last at +6800 (%u, +%u)", np,
	   s.probe_at - T0);
	v = clipper_rx_tick(&s, T0 + 7200);
	ok(v == CLIPPER_RX_ICMP &&
	   clipper_rx_tick(&s, T0 + 8399) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 8400) == CLIPPER_RX_ICMP &&
	   clipper_rx_tick(&s, T0 + 9599) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 9600) == CLIPPER_RX_UNREPAIRED,
	   "rtt 300: the ICMPs' wait is 4 rtt (1200), not 1000");
	/* rtt 600, RTO0 2600: probes at +1000 (no), +2600, +10400 */
	ran = declare_run(&s, LO, T0, T0, 3, 600, &np);
	ok(ran && np == 3 &&
	   s.probe_at == T0 + 10400,
	   "declare_run retrans 3, rtt 600 (rto 2600): probes at +1000, "
	   "+2600, +10400 (+%u)", s.probe_at - T0);

	/* an answer with data: a segment of S, short, not covering lo */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_data(&s, LO + 4000, LO + 4000 + 548, 3, T0 + 1040);
	ok(v == CLIPPER_RX_CONFIRM && s.big == 600 && s.confirms == 1 &&
	   s.rtt == 40,
	   "a short data segment of S beyond lo answers: CONFIRM, big 600 "
	   "(%s, big %u)", vname(v), s.big);
	/* ... or one ending before lo: a small segment of S passed too */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_data(&s, LO - 100, LO, 3, T0 + 1030);
	ok(v == CLIPPER_RX_CONFIRM && s.big == 100 + HDR && s.confirms == 1 &&
	   s.rtt == 30,
	   "a short data segment of S ending at lo answers: CONFIRM (%s, big "
	   "%u)", vname(v), s.big);
	/* with no probe out, a segment telling bytes missing says nothing */
	open_at(&s, LO, T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 500);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 && s.confirms == 0 &&
	   s.rtt == 0 && s.next_conf == T0,
	   "no probe out: a pure ACK beyond lo: NONE, disc stays at the "
	   "open (%s, disc +%u)", vname(v), s.disc - T0);
	v = s_data(&s, LO + 4000, LO + 4100, 3, T0 + 600);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 && s.confirms == 0,
	   "no probe out: data beyond lo: NONE, disc stays (%s)", vname(v));

	/* an answer very late (no tick in between): rtt kept as 65535 */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_ack(&s, NXT(LO), 3, T0 + 1000 + 70000);
	ok(v == CLIPPER_RX_NONE && s.rtt == 0xffff && s.answered &&
	   clipper_rx_due(&s) == T0 + 262340,
	   "an answer 70000 ms after its probe: rtt 65535 (not 70000 mod "
	   "65536), RTO0 262340: NONE (%s, rtt %u)", vname(v), s.rtt);
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 70000);
	ok(v == CLIPPER_RX_NONE && s.rtt == 0xffff && s.disc == T0 + 70000,
	   "quiet, answered 70000 ms later: rtt 65535 too (%u)", s.rtt);

	/* S's ACK of R's data: s_ack follows it forward only */
	open_at(&s, LO, T0);
	clipper_rx_from_s(&s, NXT(LO), NXT(LO), SACK + 100, HDR, false, 3,
			  T0 + 1);
	r = s.s_ack;
	clipper_rx_from_s(&s, NXT(LO), NXT(LO), SACK + 50, HDR, false, 3,
			  T0 + 2);
	ok(r == SACK + 100 && s.s_ack == SACK + 100,
	   "s_ack: forward to S's latest ACK, never back (%#x)", s.s_ack);
}

/* ---- how an episode ends ---------------------------------------------- */

static void test_ending(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;

	/* data of S covering lo: the first missing byte passed */
	open_at(&s, LO, T0);
	v = s_data(&s, LO - 100, LO + 1, 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "data [lo - 100, lo + 1), short, covers lo: ENDED (%s)", vname(v));
	open_at(&s, LO, T0);
	v = s_data(&s, LO, LO + 1, 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "data [lo, lo + 1): ENDED (%s)", vname(v));
	open_at(&s, LO, T0);
	v = s_data(&s, LO - 100, LO, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.big == 100 + HDR,
	   "data [lo - 100, lo), ending before lo: NONE, big %u", s.big);
	v = s_data(&s, LO + 1, LO + 101, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN,
	   "data [lo + 1, lo + 101), beyond lo: NONE (%s)", vname(v));

	/* a segment as long as the missing ones passed */
	open_at(&s, LO, T0);
	v = clipper_rx_from_s(&s, LO + 3000, LO + 3000 + 100, SACK, LEN, true,
			      3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "data of IP length len, not covering lo: ENDED (%s)", vname(v));
	open_at(&s, LO, T0);
	v = clipper_rx_from_s(&s, LO + 3000, LO + 3100, SACK, LEN + 200, true,
			      3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED, "data longer than len: ENDED (%s)",
	   vname(v));
	open_at(&s, LO, T0);
	v = clipper_rx_from_s(&s, LO + 3000, LO + 3100, SACK, LEN - 1, true,
			      3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.big == LEN - 1 && clipper_rx_mtu(&s) == LEN - 1,
	   "data of IP length len - 1: NONE, big %u, mtu %u", s.big,
	   clipper_rx_mtu(&s));
	/* a pure ACK of IP length >= len is not data: no ending by length */
	v = clipper_rx_from_s(&s, NXT(LO), NXT(LO), SACK, LEN + 10, false, 3,
			      T0 + 11);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.big == LEN - 1 && s.len == LEN,
	   "a pure ACK however long (options) neither ends nor sets big nor "
	   "len (%u)", s.len);

	/* S says no full segment is missing: seq not after lo + 576 */
	open_at(&s, LO, T0);
	v = s_ack(&s, EDGE(LO), 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "pure ACK of S at lo + 576: ENDED (%s)", vname(v));
	open_at(&s, LO, T0);
	v = s_ack(&s, LO, 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED, "pure ACK of S at lo: ENDED (%s)",
	   vname(v));
	open_at(&s, LO, T0);
	v = s_ack(&s, LO - 1, 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED,
	   "pure ACK of S at lo - 1 (a keepalive): ENDED (%s)", vname(v));
	/* lo + 577: a full segment missing (len not made shorter: iplen) */
	open_at(&s, LO, T0);
	v = s_ack_len(&s, EDGE(LO), LEN, 3, T0 + 10);
	ok(v == CLIPPER_RX_ENDED,
	   "pure ACK of S at lo + 576, IP length len: ENDED (%s)", vname(v));
	open_at(&s, LO, T0);
	v = s_ack_len(&s, EDGE(LO) + 1, LEN, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN && s.len == LEN,
	   "pure ACK of S at lo + 577, IP length len, no probe out: NONE "
	   "(%s)", vname(v));
	/* ... and while a probe is out, it answers */
	clipper_rx_tick(&s, T0 + 1000);
	v = s_ack_len(&s, EDGE(LO) + 1, LEN, 3, T0 + 1010);
	ok(v == CLIPPER_RX_CONFIRM && s.len == LEN,
	   "pure ACK of S at lo + 577 answers a probe: CONFIRM (%s)",
	   vname(v));
	/* the slow server: the answer says nothing is missing any more */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_ack(&s, LO + 100, 3, T0 + 1010);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE &&
	   s.confirms == 0,
	   "a probe's answer at lo + 100 (S had it all acknowledged): ENDED "
	   "(%s)", vname(v));

	/* R acknowledges past lo (its window is not the state machine's) */
	open_at(&s, LO, T0);
	s.win = 4321;
	v = clipper_rx_from_r(&s, LO);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.win == 4321,
	   "R's ACK at lo: NONE, the window field untouched (%s, win %u)",
	   vname(v), s.win);
	v = clipper_rx_from_r(&s, LO - 1000);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN,
	   "R's ACK below lo (old): NONE (%s)", vname(v));
	v = clipper_rx_from_r(&s, LO + 1);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE &&
	   s.win == 4321,
	   "R's ACK at lo + 1, open: ENDED (%s)", vname(v));

	/* declared: data covering lo says nothing, R's ACK decides */
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 10, 2);
	ok(v == CLIPPER_RX_DECLARE, "declared (%s)", vname(v));
	v = s_data(&s, LO - 10, LO + 10, 2, T0 + 1020);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_DECLARED,
	   "declared: data covering lo: NONE, still DECLARED (%s)", vname(v));
	v = clipper_rx_from_s(&s, LO + 3000, LO + 3100, SACK, LEN, true, 2,
			      T0 + 1021);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_DECLARED &&
	   s.big == 0,
	   "declared: data of IP length len: NONE, big not set (%s)",
	   vname(v));
	v = s_ack(&s, LO, 2, T0 + 1022);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_DECLARED,
	   "declared: a pure ACK of S at lo: NONE (%s)", vname(v));
	v = s_data(&s, LO + 3000, LO + 3000 + 1248, 2, T0 + 1023);
	ok(v == CLIPPER_RX_NONE && s.big == 1300 && clipper_rx_mtu(&s) == 1300,
	   "declared: a short segment still sets big (%u), the ICMP's MTU",
	   s.big);
	v = clipper_rx_from_r(&s, LO);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_DECLARED,
	   "declared: R's ACK at lo: NONE (%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 1030);
	ok(v == CLIPPER_RX_ICMP && s.icmps == 1, "declared: ICMP (%s)",
	   vname(v));
	v = clipper_rx_from_r(&s, LO + 1448);
	ok(v == CLIPPER_RX_REPAIRED && s.state == CLIPPER_RX_FREE,
	   "declared: R's ACK past lo: REPAIRED, FREE (%s)", vname(v));
	/* REPAIRED before any ICMP, too */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 10, 2);
	v = clipper_rx_from_r(&s, LO + 1);
	ok(v == CLIPPER_RX_REPAIRED && s.icmps == 0,
	   "declared, no ICMP yet: R's ACK past lo: REPAIRED (%s)", vname(v));
}

/* ---- a pure ACK of S tells the length that vanishes -------------------- */

/* an episode on len LEN with flow_big fb, len made l: stuck declared? */
static bool stuck_at_declare(unsigned int fb, unsigned int l, bool *stuck)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;

	open_at(&s, LO, T0);
	s.flow_big = fb;
	if (l != LEN)
		s_ack(&s, LO + l - HDR, 3, T0 + 10);
	if (s.len != l || s.stuck)
		return false;
	v = probe_answer(&s, T0 + 1000, 10, 2);
	*stuck = s.stuck;
	return v == CLIPPER_RX_DECLARE && s.len == l;
}

static void test_shrink(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;
	bool st = false;

	open_at(&s, LO, T0);
	v = s_ack(&s, LO + 1300, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.len == 1300 + HDR && !s.stuck,
	   "snd_nxt lo + 1300: all in flight is shorter than a segment: len "
	   "%u (want %u)", s.len, 1300 + HDR);
	v = s_ack(&s, LO + 2000, 3, T0 + 20);
	ok(v == CLIPPER_RX_NONE && s.len == 1300 + HDR,
	   "snd_nxt lo + 2000 later: len never grows (%u)", s.len);
	v = s_ack(&s, LO + 1229, 3, T0 + 30);
	ok(v == CLIPPER_RX_NONE && s.len == 1281,
	   "snd_nxt lo + 1229: len 1281 (%u)", s.len);
	v = s_ack(&s, LO + 1228, 3, T0 + 40);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "snd_nxt lo + 1228: len 1280, no MTU to tell helps: ENDED (%s)",
	   vname(v));

	open_at(&s, LO, T0);
	v = s_ack(&s, LO + LEN - HDR, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.len == LEN,
	   "snd_nxt lo + len - iplen: len as it was (%u)", s.len);
	v = s_ack(&s, LO + LEN - HDR - 1, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.len == LEN - 1,
	   "snd_nxt a byte less: len - 1 (%u)", s.len);
	v = s_ack_len(&s, LO + 600, LEN - 1, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.len == LEN - 1,
	   "a pure ACK of IP length len: len as it was (%u)", s.len);
	v = s_ack_len(&s, LO + 600, LEN + 100, 3, T0 + 10);
	ok(v == CLIPPER_RX_NONE && s.len == LEN - 1,
	   "a pure ACK longer than len: len as it was (%u)", s.len);

	/* as long as a segment that passed in the episode: it ends */
	open_at(&s, LO, T0);
	s_data(&s, LO + 4000, LO + 4000 + 1300, 3, T0 + 10);	/* 1352 */
	v = s_ack(&s, LO + 1300, 3, T0 + 20);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "big 1352, len made 1352: the path carries it: ENDED (%s)",
	   vname(v));
	open_at(&s, LO, T0);
	s_data(&s, LO + 4000, LO + 4000 + 1299, 3, T0 + 10);	/* 1351 */
	v = s_ack(&s, LO + 1300, 3, T0 + 20);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN &&
	   s.len == 1352 && s.big == 1351 && clipper_rx_mtu(&s) == 1351,
	   "big 1351, len made 1352: NONE, the mtu 1351 (%s, mtu %u)",
	   vname(v), clipper_rx_mtu(&s));
	open_at(&s, LO, T0);
	s_data(&s, LO + 4000, LO + 4000 + 1248, 3, T0 + 10);	/* 1300 */
	v = s_ack(&s, LO + 1300, 3, T0 + 20);
	ok(v == CLIPPER_RX_NONE && s.len == 1352 && s.big == 1300,
	   "big 1300, len made 1352: NONE (%s)", vname(v));
	v = s_ack(&s, LO + 1248, 3, T0 + 30);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "then len made 1300, as long as big: ENDED (%s)", vname(v));

	/* stuck: shorter than what passed on the flow, set at DECLARE */
	open_at(&s, LO, T0);
	s.flow_big = 1500;
	s_ack(&s, LO + 1300, 3, T0 + 10);
	ok(s.len == 1352 && !s.stuck,
	   "flow_big 1500, len made 1352: not stuck before it declares");
	v = probe_answer(&s, T0 + 1000, 10, 3);
	ok(v == CLIPPER_RX_CONFIRM && !s.stuck,
	   "... nor at a confirmation that does not declare (%s)", vname(v));
	v = probe_answer(&s, T0 + 4000, 10, 3);
	ok(v == CLIPPER_RX_DECLARE && s.stuck && s.len == 1352,
	   "... stuck when it DECLAREs (%s)", vname(v));
	ok(stuck_at_declare(1352, 1352, &st) && !st,
	   "flow_big 1352, len made 1352: declared, not stuck");
	ok(stuck_at_declare(1353, 1352, &st) && st,
	   "flow_big 1353, len made 1352: declared stuck");
	ok(stuck_at_declare(0, LEN, &st) && !st,
	   "flow_big 0 (unknown), len 1500: declared, not stuck");
	ok(stuck_at_declare(LEN, LEN, &st) && !st,
	   "flow_big 1500, len 1500: declared, not stuck");
	ok(stuck_at_declare(LEN + 1, LEN, &st) && st,
	   "flow_big 1501, len 1500 (never made shorter): declared stuck");

	/* the same pure ACK answers a probe */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_ack(&s, LO + 1300, 3, T0 + 1010);
	ok(v == CLIPPER_RX_CONFIRM && s.len == 1352 && s.confirms == 1,
	   "a pure ACK making len shorter answers the probe: CONFIRM (%s)",
	   vname(v));
	v = clipper_rx_from_s(&s, LO + 4000, LO + 4100, SACK, 1351, true, 3,
			      T0 + 1020);
	ok(v == CLIPPER_RX_NONE && s.big == 1351 && clipper_rx_mtu(&s) == 1351,
	   "then data of IP length 1351: big, the mtu (%u)",
	   clipper_rx_mtu(&s));
	v = clipper_rx_from_s(&s, LO + 4000, LO + 4100, SACK, 1352, true, 3,
			      T0 + 1030);
	ok(v == CLIPPER_RX_ENDED,
	   "then data of IP length 1352, the new len: ENDED (%s)", vname(v));
	/* ... and one that ends it answers nothing */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	v = s_ack(&s, LO + 1000, 3, T0 + 1010);
	ok(v == CLIPPER_RX_ENDED && s.confirms == 0,
	   "a probe's answer making len 1052: ENDED, no confirmation (%s)",
	   vname(v));

	/* declared: len stays */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 10, 2);
	v = s_ack(&s, LO + 1300, 2, T0 + 1020);
	ok(v == CLIPPER_RX_NONE && s.len == LEN &&
	   s.state == CLIPPER_RX_DECLARED,
	   "declared: a pure ACK does not make len shorter (%u)", s.len);
}

/* ---- outages, the lifetime, the probe cap, the gap --------------------- */

static void test_outage(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;
	unsigned int i;
	bool good;

	/* the first probe unanswered: nothing confirmed, over */
	open_at(&s, LO, T0);
	clipper_rx_tick(&s, T0 + 1000);
	ok(clipper_rx_tick(&s, T0 + 1999) == CLIPPER_RX_NONE &&
	   s.state == CLIPPER_RX_OPEN,
	   "outage: nothing before the wait (1000) is over");
	v = clipper_rx_tick(&s, T0 + 2000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_FREE &&
	   s.confirms == 0,
	   "outage, no confirmation yet: OUTAGE and the slot FREE (%s, state "
	   "%u)", vname(v), s.state);
	ok(s_ack(&s, NXT(LO), 3, T0 + 2100) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 6000) == CLIPPER_RX_NONE &&
	   clipper_rx_from_r(&s, LO + 1) == CLIPPER_RX_NONE &&
	   s.state == CLIPPER_RX_FREE,
	   "outage, no confirmation yet: nothing more after it");

	/* an outage after a confirmation: the count starts over */
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 10, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == T0 + 4000,
	   "confirmed once, next_conf +4000 (%s, +%u)", vname(v),
	   s.next_conf - T0);
	v = clipper_rx_tick(&s, T0 + 4000);
	ok(v == CLIPPER_RX_PROBE && s.confirms == 1 && s.probes == 2,
	   "then PROBE at +4000 (%s)", vname(v));
	ok(clipper_rx_tick(&s, T0 + 4999) == CLIPPER_RX_NONE && !s.outage,
	   "unanswered: nothing before the wait is over");
	v = clipper_rx_tick(&s, T0 + 5000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN &&
	   s.outage && s.answered && s.confirms == 0 &&
	   s.next_conf == 2 * (T0 + 5000) - T0 + 2000 &&
	   s.next_conf == T0 + 12000,
	   "unanswered for the wait: OUTAGE, OPEN, confirms 1 -> 0, "
	   "next_conf next(now) = +12000 (%s, +%u)", vname(v),
	   s.next_conf - T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 5100);
	ok(v == CLIPPER_RX_NONE && s.confirms == 0 && s.rtt == 10,
	   "outage: a late answer counts for nothing, rtt kept (%s, rtt %u)",
	   vname(v), s.rtt);
	ok(no_verdict(&s, T0 + 5001, T0 + 11999, 101) && s.probes == 2,
	   "outage: no probe before the new next_conf");
	v = probe_answer(&s, T0 + 12000, 10, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1 && s.probes == 3 &&
	   s.next_conf == T0 + 26000,
	   "retrans 3: the answer after the outage CONFIRMs from 1, it does "
	   "not declare (%s), next_conf +%u", vname(v), s.next_conf - T0);
	v = probe_answer(&s, T0 + 26000, 10, 3);
	ok(v == CLIPPER_RX_DECLARE && s.confirms == 2 && s.outage &&
	   s.state == CLIPPER_RX_DECLARED,
	   "the next one DECLAREs, the outage flag kept (%s)", vname(v));

	/* a second outage: OUTAGE again, counted over again */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 10, 3);
	clipper_rx_tick(&s, T0 + 4000);
	clipper_rx_tick(&s, T0 + 5000);
	v = probe_answer(&s, T0 + 12000, 10, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == T0 + 26000,
	   "an outage, then CONFIRM, next_conf +26000 (%s)", vname(v));
	clipper_rx_tick(&s, T0 + 26000);
	v = clipper_rx_tick(&s, T0 + 27000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN &&
	   s.confirms == 0 && s.outage &&
	   s.next_conf == 2 * (T0 + 27000) - T0 + 2000,
	   "a second outage: OUTAGE again, confirms 0, next_conf +%u (want "
	   "+56000)", s.next_conf - T0);
	v = probe_answer(&s, T0 + 56000, 10, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1 &&
	   s.next_conf == T0 + 114000,
	   "after it: CONFIRM again from 1 (%s), next_conf +%u beyond the "
	   "lifetime", vname(v), s.next_conf - T0);
	ok(clipper_rx_tick(&s, T0 + 60000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 60001) == CLIPPER_RX_ENDED &&
	   s.state == CLIPPER_RX_FREE,
	   "lifetime: OPEN at opened + 60000, ENDED at opened + 60001");

	/* an outage, then the next probe unanswered too: nothing since, over */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 10, 3);
	clipper_rx_tick(&s, T0 + 4000);
	v = clipper_rx_tick(&s, T0 + 5000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN,
	   "an outage after a confirmation: OPEN (%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 12000);
	ok(v == CLIPPER_RX_PROBE, "the next PROBE at +12000 (%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 13000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_FREE,
	   "unanswered too, nothing confirmed since the outage: OUTAGE, FREE "
	   "(%s, state %u)", vname(v), s.state);

	/* the wait grows with the rtt: rtt 300, wait 1200 */
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 300, 3);
	ok(v == CLIPPER_RX_NONE && s.rtt == 300 && s.confirms == 0 &&
	   s.answered && clipper_rx_due(&s) == T0 + 1400,
	   "rtt 300: the probe at +1000 proves nothing (RTO0 1400): NONE "
	   "(%s)", vname(v));
	v = probe_answer(&s, T0 + 2000, 300, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == T0 + 6800,
	   "rtt 300: the next at +2000 (the gap) CONFIRMs, next_conf "
	   "4000 + 2800 (%s, +%u)", vname(v), s.next_conf - T0);
	v = clipper_rx_tick(&s, T0 + 6800);
	ok(v == CLIPPER_RX_PROBE, "rtt 300: the next PROBE at +6800 (%s)",
	   vname(v));
	ok(clipper_rx_tick(&s, T0 + 7999) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 8000) == CLIPPER_RX_OUTAGE &&
	   s.state == CLIPPER_RX_OPEN,
	   "rtt 300: OUTAGE after 4 rtt (1200), not 1000");

	/* the lifetime ends an episode, a probe out or not */
	open_at(&s, LO, T0);
	v = clipper_rx_tick(&s, T0 + 60001);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "lifetime: the first tick after opened + 60000 ENDs (%s)",
	   vname(v));
	open_at(&s, LO, T0);
	v = clipper_rx_tick(&s, T0 + 60000);
	ok(v == CLIPPER_RX_PROBE, "lifetime: a probe at opened + 60000 (%s)",
	   vname(v));
	v = clipper_rx_tick(&s, T0 + 60001);
	ok(v == CLIPPER_RX_ENDED, "lifetime: ENDED a ms later, the probe "
	   "out (%s)", vname(v));

	/* every probe answered, too few confirmations: the lifetime ends it */
	open_at(&s, LO, T0);
	good = true;
	for (i = 0; i < 5; i++) {
		static const u32 at[] = { 1000, 4000, 10000, 22000, 46000 };

		if (probe_answer(&s, T0 + at[i], 10, 10) != CLIPPER_RX_CONFIRM)
			good = false;
	}
	ok(good && s.confirms == 5 && s.next_conf == T0 + 94000,
	   "retrans 10: probes at +1000, +4000, +10000, +22000, +46000, each "
	   "CONFIRMs, next_conf +%u", s.next_conf - T0);
	ok(no_verdict(&s, T0 + 46011, T0 + 60000, 997) &&
	   clipper_rx_tick(&s, T0 + 60001) == CLIPPER_RX_ENDED &&
	   s.probes == 5,
	   "retrans 10: ENDED by the lifetime after 5 probes");

	/* the probe cap (white box: the doubling keeps probes under it) */
	open_at(&s, LO, T0);
	s.probes = CLIPPER_RX_PROBES - 1;
	v = clipper_rx_tick(&s, T0 + 1000);
	ok(v == CLIPPER_RX_PROBE && s.probes == CLIPPER_RX_PROBES,
	   "probe cap: the 12th probe goes (%s, probes %u)", vname(v),
	   s.probes);
	v = s_ack(&s, NXT(LO), 3, T0 + 1010);
	ok(v == CLIPPER_RX_CONFIRM, "probe cap: answered: CONFIRM (%s)",
	   vname(v));
	v = clipper_rx_tick(&s, T0 + 1020);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "probe cap: 12 probes sent: the next tick ENDs it (%s)", vname(v));
	open_at(&s, LO, T0);
	s.probes = CLIPPER_RX_PROBES - 1;
	clipper_rx_tick(&s, T0 + 1000);
	v = clipper_rx_tick(&s, T0 + 1999);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN,
	   "probe cap: the 12th probe is waited for (%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 2000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_FREE,
	   "probe cap: unanswered, nothing confirmed: OUTAGE, FREE (%s)",
	   vname(v));
	open_at(&s, LO, T0);
	s.probes = CLIPPER_RX_PROBES - 2;
	probe_answer(&s, T0 + 1000, 10, 3);
	clipper_rx_tick(&s, T0 + 4000);
	v = clipper_rx_tick(&s, T0 + 5000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN &&
	   s.probes == CLIPPER_RX_PROBES,
	   "probe cap: the 12th unanswered after a confirmation: OUTAGE, "
	   "OPEN (%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 5001);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "probe cap: then ENDED (%s)", vname(v));

	/* the gap between probes (white box: due already passed) */
	open_at(&s, LO, T0);
	s.probe_at = T0 + 500;
	s.answered = 1;
	ok(clipper_rx_tick(&s, T0 + 1000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 1499) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 1500) == CLIPPER_RX_PROBE &&
	   s.probe_at == T0 + 1500,
	   "gap: due passed, a probe answered at +500: the next at +1500, "
	   "not before");

	/* a probe sent before due (white box) does not confirm */
	open_at(&s, LO, T0);
	s.probe_at = T0 + 999;
	s.probes = 1;
	v = s_ack(&s, NXT(LO), 2, T0 + 1010);
	ok(v == CLIPPER_RX_NONE && s.confirms == 0 && s.answered &&
	   s.rtt == 11 && s.next_conf == T0 && s.state == CLIPPER_RX_OPEN,
	   "a probe at due - 1, answered after due: no confirmation (%s), "
	   "next_conf kept, rtt %u", vname(v), s.rtt);
	v = clipper_rx_tick(&s, T0 + 1998);
	ok(v == CLIPPER_RX_NONE, "... its next probe waits for the gap (%s)",
	   vname(v));
	v = clipper_rx_tick(&s, T0 + 1999);
	ok(v == CLIPPER_RX_PROBE, "... and goes at +1999 (%s)", vname(v));
	v = s_ack(&s, NXT(LO), 2, T0 + 2010);
	ok(v == CLIPPER_RX_DECLARE && s.confirms == 1,
	   "... which confirms: retrans 2 DECLAREs (%s)", vname(v));
	/* ... nor one before next_conf (white box) */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 10, 3);
	s.probe_at = T0 + 3999;
	s.answered = 0;
	v = s_ack(&s, NXT(LO), 3, T0 + 4010);
	ok(v == CLIPPER_RX_NONE && s.confirms == 1 && s.answered &&
	   s.next_conf == T0 + 4000,
	   "a probe at next_conf - 1: no confirmation, next_conf kept (%s, "
	   "+%u)", vname(v), s.next_conf - T0);
}

/* ---- base: S's first sending, no earlier than base - RTO0 -------------- */

static void test_base(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;

	/* hi stopped at 0, the gap shows at 20000: t = -1000 */
	open_base(&s, LO, 0, 20000);
	ok(s.disc == 20000 && clipper_rx_due(&s) == 21000 &&
	   no_verdict(&s, 20000, 20999, 83),
	   "base 0, disc 20000: no probe before disc + 1000 (due %u)",
	   clipper_rx_due(&s));
	v = probe_answer(&s, 21000, 50, 4);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1,
	   "base 0: the probe at 21000 CONFIRMs (%s)", vname(v));
	ok(s.next_conf == 44000 &&
	   s.next_conf == (u32)-1000 + 2 * (21000 - (u32)-1000) + 1000,
	   "base 0: next_conf t + 2 (p - t) + rto, t = -1000: 44000, far "
	   "(%u)", s.next_conf);
	ok(no_verdict(&s, 21051, 43999, 211) && s.probes == 1,
	   "base 0: no probe before 44000");
	v = probe_answer(&s, 44000, 50, 4);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 2 && s.probes == 2 &&
	   s.next_conf == 90000,
	   "base 0: the probe at 44000 CONFIRMs, next_conf -1000 + 2 * 45000 "
	   "+ 1000 = 90000 (%s, %u)", vname(v), s.next_conf);
	ok(no_verdict(&s, 44051, 80000, 997) &&
	   clipper_rx_tick(&s, 80001) == CLIPPER_RX_ENDED && s.probes == 2,
	   "base 0, retrans 4: 90000 is past the lifetime: ENDED at 80001");
	open_base(&s, LO, 0, 20000);
	probe_answer(&s, 21000, 50, 3);
	v = probe_answer(&s, 44000, 50, 3);
	ok(v == CLIPPER_RX_DECLARE && s.state == CLIPPER_RX_DECLARED,
	   "base 0, retrans 3: the probe at 44000 DECLAREs (%s)", vname(v));

	/* hi advanced 200 ms before the gap: next_conf much sooner */
	open_base(&s, LO, 19800, 20000);
	v = probe_answer(&s, 21000, 50, 4);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == 24200,
	   "base 19800: next_conf 42000 - 19800 + 2000 = 24200 (%s, %u)",
	   vname(v), s.next_conf);

	/* a round trip that makes RTO0 longer: t = base - 1400 */
	open_base(&s, LO, 0, 20000);
	v = probe_answer(&s, 21000, 300, 4);
	ok(v == CLIPPER_RX_NONE && s.confirms == 0 && s.rtt == 300,
	   "base 0, rtt 300: the probe at 21000 is before disc + 1400: NONE "
	   "(%s)", vname(v));
	v = probe_answer(&s, 22000, 300, 4);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == 46800,
	   "base 0, rtt 300: the probe at 22000 CONFIRMs, next_conf -1400 + "
	   "2 * 23400 + 1400 = 46800 (%s, %u)", vname(v), s.next_conf);

	/* an outage's next_conf: from base too */
	open_base(&s, LO, 0, 20000);
	probe_answer(&s, 21000, 50, 4);
	clipper_rx_tick(&s, 44000);
	v = clipper_rx_tick(&s, 45000);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN &&
	   s.next_conf == 92000,
	   "base 0: an outage at 45000: next_conf -1000 + 2 * 46000 + 1000 = "
	   "92000 (%s, %u)", vname(v), s.next_conf);

	/* base before the clock's wrap, the gap after it */
	open_base(&s, LO, 0xffffff00u, 0x300);
	v = probe_answer(&s, 0x300 + 1000, 50, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == 0x16a0,
	   "base %#x, opened 0x300: next_conf 2p - base + 2000 = 0x16a0 "
	   "across 0 (%s, %#x)", 0xffffff00u, vname(v), s.next_conf);
}

/* ---- episodes opened on a quiet flow: disc ------------------------------ */

static void test_quiet(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;

	/*
	 * asked at T0, hi stopped at T0 - 5000; the answer tells bytes
	 * missing: known from now, no confirmation
	 */
	open_quiet(&s, LO, T0 - 5000, T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 40);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 + 40 && s.answered &&
	   s.rtt == 40 && s.confirms == 0 && s.next_conf == T0 &&
	   s.state == CLIPPER_RX_OPEN,
	   "quiet, answered with bytes missing: disc now (+%u), rtt 40, no "
	   "confirmation: NONE (%s)", s.disc - T0, vname(v));
	ok(clipper_rx_due(&s) == T0 + 1040 &&
	   clipper_rx_tick(&s, T0 + 1000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 1039) == CLIPPER_RX_NONE &&
	   s.probes == 1,
	   "quiet, answered: no probe before disc + 1000, though the gap is "
	   "over");
	v = clipper_rx_tick(&s, T0 + 1040);
	ok(v == CLIPPER_RX_PROBE && s.probes == 2 && s.probe_at == T0 + 1040,
	   "quiet, answered: the next PROBE at disc + 1000 (%s)", vname(v));
	v = s_ack(&s, NXT(LO), 3, T0 + 1080);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1 &&
	   s.next_conf == 2 * (T0 + 1040) - (T0 - 5000) + 2000 &&
	   s.next_conf == T0 + 9080,
	   "... its answer CONFIRMs, next_conf 2p - base + 2000 = +%u (want "
	   "+9080) (%s)", s.next_conf - T0, vname(v));
	v = probe_answer(&s, T0 + 9080, 40, 3);
	ok(v == CLIPPER_RX_DECLARE && s.state == CLIPPER_RX_DECLARED &&
	   s.confirms == 2 && s.disc == T0 + 40,
	   "... and the next DECLAREs, retrans 3: like any episode (%s)",
	   vname(v));

	/* retrans 2: the quiet probe's answer does not declare */
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, NXT(LO), 2, T0 + 40);
	ok(v == CLIPPER_RX_NONE && s.state == CLIPPER_RX_OPEN,
	   "quiet, retrans 2: the quiet probe's answer does not DECLARE "
	   "(%s)", vname(v));
	v = probe_answer(&s, T0 + 1040, 40, 2);
	ok(v == CLIPPER_RX_DECLARE, "quiet, retrans 2: the next one does, at "
	   "disc + 1000 (%s)", vname(v));

	/* a long round trip: the first confirmation RTO0 (2600) after disc */
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, NXT(LO), 3, T0 + 600);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 + 600 && s.rtt == 600 &&
	   clipper_rx_due(&s) == T0 + 3200,
	   "quiet, answered after 600: disc +600, due +%u (want +3200)",
	   clipper_rx_due(&s) - T0);
	ok(no_verdict(&s, T0 + 601, T0 + 3199, 89), "no probe before +3200");
	v = probe_answer(&s, T0 + 3200, 600, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == T0 + 6400 + 5200,
	   "the probe at +3200 CONFIRMs, next_conf 6400 - 0 + 5200 (%s, +%u)",
	   vname(v), s.next_conf - T0);

	/* quiet, unanswered: nothing known, over without an OUTAGE */
	open_quiet(&s, LO, T0, T0);
	ok(clipper_rx_tick(&s, T0) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 999) == CLIPPER_RX_NONE,
	   "quiet, unanswered: nothing for the wait");
	v = clipper_rx_tick(&s, T0 + 1000);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE && !s.outage,
	   "quiet, unanswered for the wait: ENDED, no OUTAGE (%s)", vname(v));

	/* quiet, answered, the next probe unanswered: nothing confirmed */
	open_quiet(&s, LO, T0, T0);
	s_ack(&s, NXT(LO), 3, T0 + 40);
	clipper_rx_tick(&s, T0 + 1040);
	ok(clipper_rx_tick(&s, T0 + 2039) == CLIPPER_RX_NONE,
	   "quiet, answered, its next probe: nothing for the wait");
	v = clipper_rx_tick(&s, T0 + 2040);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_FREE,
	   "quiet, answered, then a probe unanswered: OUTAGE, FREE (%s)",
	   vname(v));
	/* ... and after a confirmation, an outage that goes on */
	open_quiet(&s, LO, T0, T0);
	s_ack(&s, NXT(LO), 3, T0 + 40);
	v = probe_answer(&s, T0 + 1040, 40, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.next_conf == T0 + 4080,
	   "quiet: confirmed once, next_conf +4080 (%s)", vname(v));
	clipper_rx_tick(&s, T0 + 4080);
	v = clipper_rx_tick(&s, T0 + 5080);
	ok(v == CLIPPER_RX_OUTAGE && s.state == CLIPPER_RX_OPEN &&
	   s.confirms == 0 && s.outage,
	   "quiet, confirmed, then a probe unanswered: OUTAGE, OPEN (%s)",
	   vname(v));

	/* a data segment beyond lo: a gap, bytes missing */
	open_quiet(&s, LO, T0, T0);
	v = s_data(&s, LO + 5000, LO + 5100, 3, T0 + 30);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 + 30 && s.answered &&
	   s.rtt == 30 && s.big == 100 + HDR && s.confirms == 0,
	   "quiet, answered by data beyond lo: disc now, NONE, big %u (%s)",
	   s.big, vname(v));
	v = clipper_rx_tick(&s, T0 + 1030);
	ok(v == CLIPPER_RX_PROBE, "... the next PROBE at disc + 1000 (%s)",
	   vname(v));

	/* data that ends before lo tells nothing missing, answers nothing */
	open_quiet(&s, LO, T0, T0);
	v = s_data(&s, LO - 100, LO, 3, T0 + 30);
	ok(v == CLIPPER_RX_NONE && s.disc == 0 && !s.answered &&
	   s.rtt == 0 && s.big == 100 + HDR && s.state == CLIPPER_RX_OPEN,
	   "quiet, data [lo - 100, lo): NONE, disc 0, the probe still out "
	   "(%s)", vname(v));
	v = clipper_rx_tick(&s, T0 + 1000);
	ok(v == CLIPPER_RX_ENDED && !s.outage,
	   "quiet still: the probe unanswered: ENDED, no OUTAGE (%s)",
	   vname(v));

	/* a pure ACK telling a shorter len answers, and makes len shorter */
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, LO + 1300, 3, T0 + 30);
	ok(v == CLIPPER_RX_NONE && s.len == 1352 && s.disc == T0 + 30 &&
	   s.answered,
	   "quiet, answered at lo + 1300: len 1352, disc now (%s)", vname(v));
	/* ... the first at lo + 577 */
	open_quiet(&s, LO, T0, T0);
	v = s_ack_len(&s, EDGE(LO) + 1, LEN, 3, T0 + 30);
	ok(v == CLIPPER_RX_NONE && s.disc == T0 + 30,
	   "quiet, answered at lo + 577 (IP length len): disc now (%s)",
	   vname(v));

	/* the answer says nothing is missing */
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, LO, 3, T0 + 40);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "quiet, S's snd_nxt at lo: ENDED (%s)", vname(v));
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, EDGE(LO), 3, T0 + 40);
	ok(v == CLIPPER_RX_ENDED,
	   "quiet, S's snd_nxt at lo + 576: ENDED (%s)", vname(v));
	open_quiet(&s, LO, T0, T0);
	v = s_ack(&s, LO + 1228, 3, T0 + 40);
	ok(v == CLIPPER_RX_ENDED,
	   "quiet, S's snd_nxt at lo + 1228 (len 1280): ENDED (%s)",
	   vname(v));
	open_quiet(&s, LO, T0, T0);
	v = clipper_rx_from_r(&s, LO + 100);
	ok(v == CLIPPER_RX_ENDED, "quiet, R acknowledges past lo: ENDED (%s)",
	   vname(v));
	open_quiet(&s, LO, T0, T0);
	v = s_data(&s, LO, LO + 1448, 3, T0 + 40);
	ok(v == CLIPPER_RX_ENDED,
	   "quiet, S resumes with the byte at lo: ENDED (%s)", vname(v));

	/*
	 * white box (not reachable through the API: a quiet answer that
	 * answers also tells bytes missing): nothing known, no probe out:
	 * no probe goes, over
	 */
	open_quiet(&s, LO, T0, T0);
	s.answered = 1;
	v = clipper_rx_tick(&s, T0 + 1500);
	ok(v == CLIPPER_RX_ENDED && s.probes == 1 && s.probe_at == T0,
	   "quiet, disc 0, no probe out (white box): no PROBE, ENDED (%s)",
	   vname(v));

	/* the lifetime counts from the quiet probe */
	open_quiet(&s, LO, T0, T0);
	s_ack(&s, NXT(LO), 3, T0 + 40);
	ok(clipper_rx_tick(&s, T0 + 60000) == CLIPPER_RX_PROBE &&
	   clipper_rx_tick(&s, T0 + 60001) == CLIPPER_RX_ENDED,
	   "quiet: the lifetime counts from the quiet probe: a PROBE at "
	   "+60000, ENDED at +60001");

	/* told at now 0: disc 1 (0 means unknown) */
	open_quiet(&s, LO, (u32)-5000, (u32)-40);
	v = s_ack(&s, NXT(LO), 3, 0);
	ok(v == CLIPPER_RX_NONE && s.disc == 1 && s.rtt == 40 &&
	   clipper_rx_due(&s) == 1001,
	   "quiet, answered at now 0: disc 1, due 1001 (%s, disc %u)",
	   vname(v), s.disc);
	ok(clipper_rx_tick(&s, 1000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, 1001) == CLIPPER_RX_PROBE,
	   "... the next PROBE at 1001");
}

/* ---- sequence numbers and the clock wrapping --------------------------- */

static void test_wrap(void)
{
	const u32 lo = 0xfffffe00u;
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;
	unsigned int np;
	bool ran;

	ok(NXT(lo) == 0x9b8 && EDGE(lo) == 0x40,
	   "wrap: lo %#x, S's snd_nxt %#x past 0, the edge %#x", lo, NXT(lo),
	   EDGE(lo));
	ran = declare_run(&s, lo, T0, T0, 3, 50, &np);
	ok(ran && np == 2,
	   "wrap: lo %#x, answers at %#x: declared after 2 probes", lo,
	   NXT(lo));
	ran = declare_run(&s, lo, 0xfffff800u, 0xfffff800u, 3, 50, &np);
	ok(ran &&
	   np == 2 && s.probe_at == 0x7a0,
	   "wrap: the clock too, opened %#x: the second probe at %#x past 0",
	   0xfffff800u, s.probe_at);
	ran = declare_run(&s, lo, 0xffffff00u, 0x300, 3, 50, &np);
	ok(ran && np == 2 &&
	   s.probe_at == 0x16a0,
	   "wrap: base %#x before 0, opened 0x300: the second probe at %#x",
	   0xffffff00u, s.probe_at);
	ran = declare_run(&s, 0x7ffffe00u, 0x7fffef00u, 0x7ffff000u, 4, 20,
			  &np);
	ok(ran && np == 3,
	   "wrap: lo and clock across 2^31 (signed halves): 3 probes");
	ran = declare_run(&s, 0x100, T0, T0, 3, 50, &np);
	ok(ran && np == 2,
	   "lo 0x100 (ACKs below it wrap back): declared after 2 probes");
	v = clipper_rx_from_r(&s, 0xffffff00u);
	ok(v == CLIPPER_RX_NONE, "lo 0x100: R's ACK %#x is before it (%s)",
	   0xffffff00u, vname(v));

	open_at(&s, lo, T0);
	ok(s_ack(&s, EDGE(lo), 3, T0 + 1) == CLIPPER_RX_ENDED,
	   "wrap: pure ACK at lo + 576 = %#x: ENDED", EDGE(lo));
	open_at(&s, lo, T0);
	ok(s_ack_len(&s, EDGE(lo) + 1, LEN, 3, T0 + 1) == CLIPPER_RX_NONE &&
	   s.state == CLIPPER_RX_OPEN,
	   "wrap: pure ACK at lo + 577 = %#x (IP length len): NONE",
	   EDGE(lo) + 1);
	ok(s_ack(&s, 0x300, 3, T0 + 2) == CLIPPER_RX_NONE &&
	   s.len == 0x500 + HDR,
	   "wrap: pure ACK at 0x300: len lo..0x300 + HDR = %u (want %u)",
	   s.len, 0x500 + HDR);
	ok(s_ack(&s, 0x2cc, 3, T0 + 2) == CLIPPER_RX_ENDED,
	   "wrap: pure ACK at 0x2cc: len %u: ENDED", 0x4cc + HDR);
	open_at(&s, lo, T0);
	ok(s_ack(&s, lo - 5, 3, T0 + 3) == CLIPPER_RX_ENDED,
	   "wrap: pure ACK just below lo: ENDED");
	open_at(&s, lo, T0);
	ok(s_data(&s, 0xfffffd00u, 0x100, 3, T0 + 1) == CLIPPER_RX_ENDED,
	   "wrap: data [0xfffffd00, 0x100) covers lo: ENDED");
	open_at(&s, lo, T0);
	ok(s_data(&s, 0x10, 0x100, 3, T0 + 1) == CLIPPER_RX_NONE &&
	   s.big == 0xf0 + HDR,
	   "wrap: data [0x10, 0x100), beyond lo: NONE, big %u", s.big);
	ok(s_data(&s, 0xfffffd00u, lo, 3, T0 + 1) == CLIPPER_RX_NONE,
	   "wrap: data [0xfffffd00, lo): NONE");
	ok(clipper_rx_from_r(&s, lo) == CLIPPER_RX_NONE &&
	   clipper_rx_from_r(&s, lo - 1) == CLIPPER_RX_NONE &&
	   clipper_rx_from_r(&s, 0x10) == CLIPPER_RX_ENDED,
	   "wrap: R's ACK at lo, lo - 1: NONE; at 0x10: ENDED");
	/* a quiet flow told by a gap past 0 */
	open_quiet(&s, lo, T0, T0);
	ok(s_data(&s, 0x10, 0x100, 3, T0 + 20) == CLIPPER_RX_NONE &&
	   s.disc == T0 + 20,
	   "wrap: quiet, data [0x10, 0x100) beyond lo %#x: disc now", lo);

	/* a probe at clock 0 is kept as 1 (0 means none) */
	open_at(&s, LO, (u32)-1000);
	v = clipper_rx_tick(&s, 0);
	ok(v == CLIPPER_RX_PROBE && s.probe_at == 1,
	   "wrap: a probe at now 0: probe_at 1 (%s, %u)", vname(v),
	   s.probe_at);
	v = s_ack(&s, NXT(LO), 3, 50);
	ok(v == CLIPPER_RX_CONFIRM && s.rtt == 49 && s.next_conf == 3002,
	   "wrap: answered at 50: rtt 49, next_conf next(1) = 3002 (%s, %u)",
	   vname(v), s.next_conf);
	ok(clipper_rx_tick(&s, 1999) == CLIPPER_RX_NONE,
	   "wrap: no outage at 1999 (answered)");

	/* the lifetime across the wrap */
	open_at(&s, LO, 0xffff8000u);
	ok(clipper_rx_tick(&s, 0xffff8000u + 60000) == CLIPPER_RX_PROBE &&
	   clipper_rx_tick(&s, 0xffff8000u + 60001) == CLIPPER_RX_ENDED,
	   "wrap: the lifetime across the clock's wrap (%#x)",
	   0xffff8000u + 60001);

	/* an ICMP's wait across the wrap */
	open_at(&s, LO, 0xfffff000u);
	v = probe_answer(&s, 0xfffff3e8u, 24, 2);
	ok(v == CLIPPER_RX_DECLARE &&
	   clipper_rx_tick(&s, 0xfffffe00u) == CLIPPER_RX_ICMP &&
	   clipper_rx_tick(&s, 0xfffffe00u + 999) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, 0xfffffe00u + 1000) == CLIPPER_RX_ICMP &&
	   clipper_rx_tick(&s, 0xfffffe00u + 1999) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, 0xfffffe00u + 2000) == CLIPPER_RX_UNREPAIRED,
	   "wrap: ICMP, ICMP after 1000, UNREPAIRED after 1000, across 0");
}

/* ---- clipper_tcp_opts_parse(), as the receiving side reads it ---------- */

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* NOP, NOP, TS tsval tsecr at o: 12 bytes */
static unsigned int put_ts(u8 *o, u32 tsval, u32 tsecr)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 8;
	o[3] = 10;
	put32(o + 4, tsval);
	put32(o + 8, tsecr);
	return 12;
}

/* NOP, NOP, SACK with nb blocks [b[i][0], b[i][1]) */
static unsigned int put_blocks(u8 *o, const u32 (*b)[2], unsigned int nb)
{
	unsigned int i;

	o[0] = 1;
	o[1] = 1;
	o[2] = 5;
	o[3] = 2 + 8 * nb;
	for (i = 0; i < nb; i++) {
		put32(o + 4 + 8 * i, b[i][0]);
		put32(o + 8 + 8 * i, b[i][1]);
	}
	return 4 + 8 * nb;
}

/* NOP, NOP, SACK with nb blocks [l[i], l[i] + 1000) */
static unsigned int put_sack(u8 *o, const u32 *l, unsigned int nb)
{
	u32 b[4][2];
	unsigned int i;

	for (i = 0; i < nb; i++) {
		b[i][0] = l[i];
		b[i][1] = l[i] + 1000;
	}
	return put_blocks(o, b, nb);
}

/* NOP, NOP, TCP-MD5 (kind 19, 18 bytes): 20 bytes */
static unsigned int put_md5(u8 *o)
{
	o[0] = 1;
	o[1] = 1;
	o[2] = 19;
	o[3] = 18;
	memset(o + 4, 0xab, 16);
	return 20;
}

/* TCP-AO (kind 29): KeyID, RNextKeyID, a 12-byte MAC: 16 bytes */
static unsigned int put_ao(u8 *o)
{
	o[0] = 29;
	o[1] = 16;
	o[2] = 7;
	o[3] = 8;
	memset(o + 4, 0xcd, 12);
	return 16;
}

#define JUNK	0xdeadbeefu

/*
 * clipper_tcp_opts_parse() on a copy of the len bytes at o, in a buffer
 * of exactly that size (ASan stops a read past the end), of a segment
 * acknowledging ack whose peer sent data up to snd_end: its bits, the
 * timestamps (JUNK: not written).
 */
static unsigned int opts_sent(const u8 *o, unsigned int len, u32 ack,
			      u32 snd_end, u32 *tsval, u32 *tsecr)
{
	u8 *copy = malloc(len ?: 1);
	struct clipper_tcp_opts t;
	unsigned int r;

	if (!copy) {
		perror("malloc");
		exit(2);
	}
	memcpy(copy, o, len);
	t.tsval = t.tsecr = JUNK;
	r = clipper_tcp_opts_parse(len ? copy : copy + 1, len, ack, snd_end,
				   &t);
	free(copy);
	*tsval = t.tsval;
	*tsecr = t.tsecr;
	return r;
}

/*
 * ... as the receiving side asks (clipper_rx_seg_opts()): the peer's
 * data sent up to ack, so that no SACK block counts
 */
static unsigned int opts(const u8 *o, unsigned int len, u32 ack, u32 *tsval,
			 u32 *tsecr)
{
	return opts_sent(o, len, ack, ack, tsval, tsecr);
}

/*
 * ... the peer having sent a MiB beyond ack: the bits of a caller that
 * wants the blocks below (the guard's, test_bhole.c), for contrast
 */
static unsigned int opts_mib(const u8 *o, unsigned int len, u32 ack)
{
	u32 tsval, tsecr;

	return opts_sent(o, len, ack, ack + 0x100000, &tsval, &tsecr);
}

static void test_opts(void)
{
	const u32 ack = 0x40000000u;
	u32 tsval, tsecr, l[4], b[4][2];
	unsigned int len, r, m, i;
	u8 o[64] = { 0 };	/* none read of the first: 0 bytes */
	bool good;

	r = opts(o, 0, ack, &tsval, &tsecr);
	ok(r == 0 && tsval == JUNK && tsecr == JUNK,
	   "opts: none: 0, nothing written");

	len = put_ts(o, 0x01020304u, 0xa0b0c0d0u);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 2 && tsval == 0x01020304u && tsecr == 0xa0b0c0d0u,
	   "opts: NOP NOP TS: bit 1, tsval %#x tsecr %#x", tsval, tsecr);

	/*
	 * SACK blocks, m the bits with a MiB sent: the receiving side asks
	 * with the peer's data ending at ack, and gets no bit 0 for any of
	 * them, the other bits as ever
	 */
	l[0] = ack + 3000;
	len = put_sack(o, l, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && tsval == JUNK && m == 1,
	   "opts: one SACK block above ack (m %u): 0, nothing written (%u)",
	   m, r);

	len = put_ts(o, 7, 9);
	l[0] = ack + 5000;
	l[1] = ack + 2000;
	len += put_sack(o + len, l, 2);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 2 && tsval == 7 && tsecr == 9 && m == 3,
	   "opts: TS and SACK (2 blocks, m %u): bit 1 alone, the timestamps "
	   "(%u)", m, r);

	/* D-SACK: a block at or below ack */
	l[0] = ack - 1448;
	l[1] = ack + 2896;
	len = put_sack(o, l, 2);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 1,
	   "opts: a D-SACK block below ack, then one above it (m %u): 0 (%u)",
	   m, r);
	l[0] = ack;
	len = put_sack(o, l, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 0,
	   "opts: a block whose left edge is ack: a D-SACK, 0 (m %u, %u)", m,
	   r);
	l[0] = ack + 1;
	len = put_sack(o, l, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 1, "opts: left edge ack + 1 (m %u): 0 (%u)", m, r);
	len = put_ts(o, 1, 2);
	l[0] = ack - 100;
	len += put_sack(o + len, l, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 2 && m == 2 && tsval == 1,
	   "opts: TS and only a D-SACK: bit 1 alone (m %u, %u)", m, r);

	/* blocks in every order: 3 blocks, 6 orders; 4 blocks */
	good = true;
	for (i = 0; i < 6; i++) {
		static const u8 perm[6][3] = {
			{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
			{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
		};
		const u32 v[3] = { ack + 1000, ack + 2000, ack + 3000 };

		l[0] = v[perm[i][0]];
		l[1] = v[perm[i][1]];
		l[2] = v[perm[i][2]];
		len = put_sack(o, l, 3);
		if (opts(o, len, ack, &tsval, &tsecr) != 0 ||
		    opts_mib(o, len, ack) != 1)
			good = false;
	}
	ok(good, "opts: 3 blocks in all 6 orders (m 1): 0");
	l[0] = ack + 9000;
	l[1] = ack + 7000;
	l[2] = ack - 5;
	l[3] = ack + 600;
	len = put_sack(o, l, 4);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 1 && len == 36,
	   "opts: 4 blocks (36 bytes), a D-SACK among them (m %u): 0 (%u)", m,
	   r);

	/* wraparound of ack and the left edges */
	l[0] = 0x10;
	l[1] = 0xfffffff8u;
	l[2] = 0xffffff00u;	/* before ack: D-SACK */
	len = put_sack(o, l, 3);
	r = opts(o, len, 0xfffffff0u, &tsval, &tsecr);
	m = opts_mib(o, len, 0xfffffff0u);
	ok(r == 0 && m == 1,
	   "opts: ack %#x, blocks at 0x10, %#x, %#x (m %u): 0 (%u)",
	   0xfffffff0u, 0xfffffff8u, 0xffffff00u, m, r);
	l[0] = 0x10;
	l[1] = 0x5;
	len = put_sack(o, l, 2);
	r = opts(o, len, 0xfffffff0u, &tsval, &tsecr);
	m = opts_mib(o, len, 0xfffffff0u);
	ok(r == 0 && m == 1,
	   "opts: ack %#x, blocks at 0x10, 0x5 past the wrap (m %u): 0 (%u)",
	   0xfffffff0u, m, r);

	/* empty blocks (right not after left), and real ones beside them */
	b[0][0] = ack + 500;
	b[0][1] = ack + 500;
	len = put_blocks(o, b, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 0,
	   "opts: a block with right == left: 0 (m %u, %u)", m, r);
	b[0][1] = ack + 499;
	len = put_blocks(o, b, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 0,
	   "opts: a block with right before left: 0 (m %u, %u)", m, r);
	b[0][1] = ack + 501;
	len = put_blocks(o, b, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 1,
	   "opts: a block of one byte (m %u): 0 (%u)", m, r);
	b[0][0] = ack + 500;
	b[0][1] = ack + 500;
	b[1][0] = ack + 3000;
	b[1][1] = ack + 4000;
	b[2][0] = ack + 100;
	b[2][1] = ack + 50;
	len = put_blocks(o, b, 3);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 0 && m == 1,
	   "opts: empty and inverted blocks beside a real one (m %u): 0 (%u)",
	   m, r);
	b[0][0] = 0xfffffff8u;
	b[0][1] = 0x8;
	len = put_blocks(o, b, 1);
	r = opts(o, len, 0xfffffff0u, &tsval, &tsecr);
	m = opts_mib(o, len, 0xfffffff0u);
	ok(r == 0 && m == 1,
	   "opts: a block [%#x, 0x8) across the wrap (m %u): 0 (%u)",
	   0xfffffff8u, m, r);
	b[0][0] = 0x10;
	b[0][1] = 0xfffffff8u;
	len = put_blocks(o, b, 1);
	r = opts(o, len, 0xfffffff0u, &tsval, &tsecr);
	m = opts_mib(o, len, 0xfffffff0u);
	ok(r == 0 && m == 0,
	   "opts: a block [0x10, %#x), right before left across the wrap: 0 "
	   "(m %u, %u)", 0xfffffff8u, m, r);

	/* signed segments: TCP-MD5 (19), TCP-AO (29): bit 2 */
	len = put_md5(o);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 4 && tsval == JUNK && tsecr == JUNK,
	   "opts: TCP-MD5: bit 2 alone, nothing written (%u)", r);
	len = put_ao(o);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 4 && tsval == JUNK,
	   "opts: TCP-AO: bit 2 alone (%u)", r);
	len = put_md5(o);
	len += put_ts(o + len, 21, 22);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 6 && tsval == 21 && tsecr == 22 && len == 32,
	   "opts: TCP-MD5 and TS (32 bytes): bits 1 and 2, the timestamps "
	   "read (%u)", r);
	len = put_ts(o, 31, 32);
	len += put_ao(o + len);
	l[0] = ack + 700;
	len += put_sack(o + len, l, 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 6 && tsval == 31 && m == 7 && len == 40,
	   "opts: TS, TCP-AO, SACK (40 bytes, m %u): bits 1 and 2 (%u)", m,
	   r);
	o[0] = 19;
	o[1] = 2;
	r = opts(o, 2, ack, &tsval, &tsecr);
	ok(r == 4, "opts: kind 19 of length 2: still signed, bit 2 (%u)", r);
	len = put_md5(o);
	r = opts(o, len - 1, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED,
	   "opts: TCP-MD5 cut a byte short: malformed alone (%u)", r);
	len = put_ao(o);
	o[len++] = 3;	/* WS with length 4 in 2 bytes left: malformed */
	o[len++] = 4;
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == (CLIPPER_OPT_SIGNED | CLIPPER_OPT_MALFORMED),
	   "opts: TCP-AO, then a malformed option: bit 2 kept, malformed "
	   "(%u)", r);
	good = true;
	for (i = 0; i < 256; i++) {
		if (i == 0 || i == 1 || i == 5 || i == 8 || i == 19 || i == 29)
			continue;
		o[0] = i;
		o[1] = 10;
		memset(o + 2, 0, 8);
		if (opts(o, 10, ack, &tsval, &tsecr) != 0) {
			printf("# kind %u of length 10: %u\n", i,
			       opts(o, 10, ack, &tsval, &tsecr));
			good = false;
		}
	}
	ok(good, "opts: every other kind of length 10 (18, 20, 28, 30, ...): "
	   "0, not signed");

	/* other options are skipped: MSS, window scale, SACK-permitted */
	o[0] = 2; o[1] = 4; o[2] = 0x05; o[3] = 0xb4;
	o[4] = 3; o[5] = 3; o[6] = 7;
	o[7] = 4; o[8] = 2;
	len = 9 + put_ts(o + 9, 11, 12);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 2 && tsval == 11 && tsecr == 12,
	   "opts: MSS, WS, SACK-permitted skipped, then TS: bit 1");
	/* a TS of another length, a SACK of a length no blocks make: skipped */
	o[0] = 8; o[1] = 6; put32(o + 2, 99);
	o[6] = 5; o[7] = 12; put32(o + 8, ack + 10); put32(o + 12, ack + 20);
	r = opts(o, 18, ack, &tsval, &tsecr);
	m = opts_mib(o, 18, ack);
	ok(r == 0 && m == 0 && tsval == JUNK,
	   "opts: TS of length 6 and SACK of length 12: ignored, 0 (m %u, %u)",
	   m, r);
	o[0] = 5; o[1] = 2;	/* a SACK with no blocks */
	len = 2 + put_ts(o + 2, 3, 4);
	r = opts(o, len, ack, &tsval, &tsecr);
	m = opts_mib(o, len, ack);
	ok(r == 2 && m == 2, "opts: an empty SACK (length 2) skipped (m %u, "
	   "%u)", m, r);

	/* EOL stops */
	len = put_ts(o, 5, 6);
	o[len++] = 0;
	o[len++] = 8;	/* junk after EOL: malformed if it were read */
	o[len++] = 0;
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 2 && tsval == 5, "opts: TS, EOL, junk: the junk not read, 2 "
	   "(%u)", r);
	o[0] = 0;
	len = 1 + put_ts(o + 1, 5, 6);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 0 && tsval == JUNK, "opts: EOL first: 0, the TS after it "
	   "not read (%u)", r);
	o[0] = 0;
	len = 1 + put_md5(o + 1);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 0, "opts: EOL, then TCP-MD5: not read, 0 (%u)", r);

	/* malformed: that bit alone */
	o[0] = 1; o[1] = 8; o[2] = 1;	/* length 1 */
	r = opts(o, 12, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED, "opts: a length of 1: malformed (%u)",
	   r);
	o[0] = 8; o[1] = 0;	/* length 0 */
	r = opts(o, 12, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED, "opts: a length of 0: malformed (%u)",
	   r);
	len = put_ts(o, 5, 6);
	r = opts(o, len - 1, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED && tsval == JUNK,
	   "opts: TS cut one byte short (length past the end): malformed "
	   "(%u)", r);
	l[0] = ack + 100;
	l[1] = ack + 200;
	len = put_sack(o, l, 2);
	r = opts(o, len - 8, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED,
	   "opts: SACK of 2 blocks with room for 1: malformed (%u)", r);
	o[0] = 1; o[1] = 1; o[2] = 8;	/* a kind, no length */
	r = opts(o, 3, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED,
	   "opts: NOP NOP and a truncated kind: malformed (%u)", r);
	o[0] = 5;
	r = opts(o, 1, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED, "opts: only a kind byte: malformed "
	   "(%u)", r);
	o[0] = 19;
	r = opts(o, 1, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED,
	   "opts: only the TCP-MD5 kind byte: malformed, not signed (%u)", r);
	len = put_ts(o, 5, 6);
	o[len++] = 3;	/* WS with length 4 in 2 bytes left: malformed */
	o[len++] = 4;
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == CLIPPER_OPT_MALFORMED,
	   "opts: a good TS, then a malformed option: malformed alone, the "
	   "TS dropped (%u)", r);
	o[0] = 1;
	o[1] = 1;
	o[2] = 1;
	r = opts(o, 3, ack, &tsval, &tsecr);
	ok(r == 0 && tsval == JUNK, "opts: NOPs only: 0");
}

/*
 * What the receiving side asks: the peer's data sent up to ack, a bound
 * that no block is within (test_bhole.c tests the bound, and which blocks
 * count, where the guard asks for them).  So no bit 0, whatever blocks
 * the options hold, and the timestamps, the signature and a malformed
 * option as with the widest bound, 2^31 - 1 past ack.
 */
static u32 none_state = 0x6b8b4567u;

static u32 none_rnd(void)
{
	return tap_xorshift32(&none_state);
}

/* an edge about ack: below it, at it, above, about 2^31 past, anywhere */
static u32 none_edge(u32 ack)
{
	switch (none_rnd() % 8) {
	case 0:
		return ack - none_rnd() % 3000;
	case 1:
		return ack;
	case 2:
		return ack + 0x7ffffffeu + none_rnd() % 4;
	case 3:
		return none_rnd();
	default:
		return ack + 1 + none_rnd() % 20000;
	}
}

/*
 * The receiving side's bits of o against the widest bound's: the same,
 * less bit 0, and the same timestamps.  Sets *wide to the latter.
 */
static bool none_same(const u8 *o, unsigned int len, u32 ack,
		      unsigned int *wide)
{
	u32 tsval, tsecr, wval, wecr;
	unsigned int r;

	r = opts(o, len, ack, &tsval, &tsecr);
	*wide = opts_sent(o, len, ack, ack + 0x7fffffffu, &wval, &wecr);
	return r == (*wide & ~CLIPPER_OPT_SACK) &&
	       (!(r & CLIPPER_OPT_TS) || (tsval == wval && tsecr == wecr));
}

static void test_opts_none(void)
{
	static const u32 acks[] = {
		0, 1, 0x10, 0x40000000u, 0x7fffffffu, 0x80000000u,
		0x80000001u, 0xfffffff0u, 0xffffffffu,
	};
	/* edges, from ack on */
	static const u32 at[] = {
		0, 1, 2, 1448, 0x100000, 0x7ffffffeu, 0x7fffffffu,
		0x80000000u, 0x80000001u, 0xfffff000u, 0xfffffffeu,
		0xffffffffu,
	};
	const u32 ack = 0x40000000u, end = ack + 5000;
	unsigned int len, r, a, i, k, nb, wide, n = 0, counted = 0;
	unsigned int ts = 0, sig = 0, bent = 0, bad = 0;
	u32 tsval, tsecr, b[4][2];
	u8 o[40];

	/* blocks that count with the peer's data to end, forged ones */
	b[0][0] = ack + 1000;
	b[0][1] = end;
	b[1][0] = ack + 100;
	b[1][1] = end + 1;
	b[2][0] = ack + 2000;
	b[2][1] = ack + 2500;
	len = put_ts(o, 41, 42);
	len += put_blocks(o + len, b, 3);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 2 && tsval == 41 && tsecr == 42 &&
	   opts_sent(o, len, ack, end, &tsval, &tsecr) == 3,
	   "none: TS and 3 blocks, 2 of them of data the peer sent (bits 0 "
	   "and 1 with that sent): bit 1 alone, the timestamps (%u)", r);
	len = put_ts(o, 43, 44);
	len += put_blocks(o + len, b, 1);
	len += put_ao(o + len);
	r = opts(o, len, ack, &tsval, &tsecr);
	ok(r == 6 && tsval == 43 && tsecr == 44 && len == 40,
	   "none: TS, a block, TCP-AO (40 bytes): bits 1 and 2 (%u)", r);

	/*
	 * Every block [ack + l, ack + r) of edges at 0, 1, 1448, about
	 * 2^31 and about 2^32 from ack (among them [ack + 2^31, ack), each
	 * edge after the one before it), each ack on either side of 0 and
	 * of 2^31: laid between a TS and a TCP-AO, 40 bytes
	 */
	for (a = 0; a < ARRAY_SIZE(acks); a++) {
		for (i = 0; i < ARRAY_SIZE(at); i++) {
			for (k = 0; k < ARRAY_SIZE(at); k++) {
				b[0][0] = acks[a] + at[i];
				b[0][1] = acks[a] + at[k];
				len = put_ts(o, 51, 52);
				len += put_blocks(o + len, b, 1);
				len += put_ao(o + len);
				r = opts(o, len, acks[a], &tsval, &tsecr);
				if (r != 6 || tsval != 51 || tsecr != 52 ||
				    !none_same(o, len, acks[a], &wide)) {
					if (!bad++)
						printf("# ack %#x, block [%#x, %#x): %u\n",
						       acks[a], b[0][0], b[0][1],
						       r);
				}
				n++;
				counted += !!(wide & CLIPPER_OPT_SACK);
			}
		}
	}
	ok(!bad && counted > 0 && len == 40,
	   "none: %u blocks of edges about 0, 2^31 and 2^32 from %zu acks, "
	   "TS and TCP-AO about them (%u counted with the widest bound): "
	   "bits 1 and 2, %u differ", n, ARRAY_SIZE(acks), counted, bad);

	/*
	 * Random layouts: a TS or not, 1 to 4 blocks of random edges about
	 * ack, TCP-AO or not, a malformed option at the end or not
	 */
	bad = 0;
	counted = 0;
	for (n = 0; n < 200000; n++) {
		u32 ack_n = n % 4 > 1 ? none_rnd() :
			    (n % 4 ? 0x80000000u : 0) - n % 64;
		u32 lft;

		len = 0;
		if (none_rnd() % 2)
			len += put_ts(o, none_rnd(), none_rnd());
		nb = 1 + none_rnd() % 4;
		while (len + 4 + 8 * nb > sizeof(o))
			nb--;
		for (k = 0; k < nb; k++) {
			lft = none_edge(ack_n);
			b[k][0] = lft;
			b[k][1] = none_rnd() % 4 ? lft + none_rnd() % 4000 :
				  none_edge(ack_n);
		}
		len += put_blocks(o + len, b, nb);
		if (len + 16 <= sizeof(o) && !(none_rnd() % 3))
			len += put_ao(o + len);
		if (len + 2 <= sizeof(o) && !(none_rnd() % 4)) {
			o[len++] = 8;	/* a TS of length 0 */
			o[len++] = 0;
		}
		if (!none_same(o, len, ack_n, &wide)) {
			if (!bad++)
				printf("# ack %#x, %u bytes, %u blocks: widest %u\n",
				       ack_n, len, nb, wide);
		}
		counted += !!(wide & CLIPPER_OPT_SACK);
		r = wide & ~CLIPPER_OPT_SACK;
		ts += !!(r & CLIPPER_OPT_TS);
		sig += !!(r & CLIPPER_OPT_SIGNED);
		bent += !!(r & CLIPPER_OPT_MALFORMED);
	}
	ok(!bad && counted > 50000 && ts > 50000 && sig > 20000 &&
	   bent > 20000,
	   "none: %u random layouts of SACK blocks about ack (%u with one "
	   "counted with the widest bound, %u TS, %u signed, %u malformed): "
	   "no bit 0, the rest as with the widest bound, %u differ", n,
	   counted, ts, sig, bent, bad);
}

/* ---- a random walk: the test's own model, invariants ------------------- */

static u32 rng_state;

static u32 rnd(void)
{
	return tap_xorshift32(&rng_state);
}

static u32 rnd_in(u32 lo, u32 hi)	/* [lo, hi] */
{
	return lo + rnd() % (hi - lo + 1);
}

/*
 * The test's own view of an episode, written from the spec with its own
 * time order (earlier()) and its own formula for next_conf (2p - base +
 * 2 RTO0): what each event must do.
 */
struct model {
	u32 retrans, lo, s_ack, base, opened, disc, next_conf;
	u32 probe_t, rtt, icmp_at, conf_at;
	unsigned int len, big, flow_big, probes, confirms, icmps;
	u8 state;
	bool out;	/* a probe out, unanswered */
	bool outage;
};

static void model_open(struct model *m, u32 retrans, u32 lo, u32 sa,
		       unsigned int len, u32 base, u32 now, bool quiet)
{
	memset(m, 0, sizeof(*m));
	m->retrans = retrans;
	m->lo = lo;
	m->s_ack = sa;
	m->len = len;
	m->base = base;
	m->opened = now;
	m->next_conf = now;
	m->state = CLIPPER_RX_OPEN;
	if (quiet) {
		m->out = true;
		m->probe_t = now ?: 1;
		m->probes = 1;
	} else {
		m->disc = now ?: 1;
	}
}

static void model_answered(struct model *m, u32 now)
{
	m->out = false;
	m->rtt = now - m->probe_t > 0xffff ? 0xffff : now - m->probe_t;
}

static enum clipper_rx_verdict model_tick(struct model *m, u32 now)
{
	u32 rto = want_rto(m->rtt);

	if (m->state == CLIPPER_RX_DECLARED) {
		if (m->icmps && earlier(now, m->icmp_at + want_wait(m->rtt)))
			return CLIPPER_RX_NONE;
		if (m->icmps < CLIPPER_RX_ICMPS) {
			m->icmps++;
			m->icmp_at = now;
			return CLIPPER_RX_ICMP;
		}
		m->state = CLIPPER_RX_FREE;
		return CLIPPER_RX_UNREPAIRED;
	}
	if (m->state != CLIPPER_RX_OPEN)
		return CLIPPER_RX_NONE;
	if (earlier(m->opened + CLIPPER_RX_LIFE_MS, now))
		goto ended;
	if (m->out) {
		if (earlier(now, m->probe_t + want_wait(m->rtt)))
			return CLIPPER_RX_NONE;
		if (!m->disc)
			goto ended;	/* quiet, nothing known */
		if (!m->confirms) {
			m->state = CLIPPER_RX_FREE;
			return CLIPPER_RX_OUTAGE;
		}
		m->out = false;
		m->confirms = 0;
		m->outage = true;
		m->next_conf = 2 * now - m->base + 2 * rto;
		return CLIPPER_RX_OUTAGE;
	}
	if (!m->disc || m->probes >= CLIPPER_RX_PROBES)
		goto ended;
	if (m->probe_t && earlier(now, m->probe_t + CLIPPER_RX_PROBE_GAP_MS))
		return CLIPPER_RX_NONE;
	if (earlier(now, m->disc + rto) || earlier(now, m->next_conf) ||
	    (m->confirms &&
	     earlier(now, 2 * m->conf_at - m->base + 2 * rto)))
		return CLIPPER_RX_NONE;
	m->out = true;
	m->probe_t = now ?: 1;
	m->probes++;
	return CLIPPER_RX_PROBE;
ended:
	m->state = CLIPPER_RX_FREE;
	return CLIPPER_RX_ENDED;
}

static enum clipper_rx_verdict model_from_s(struct model *m, u32 seq, u32 end,
					    u32 ack, unsigned int iplen,
					    bool data, u32 now)
{
	bool missing;
	u32 rto;

	if (m->state == CLIPPER_RX_FREE)
		return CLIPPER_RX_NONE;
	if (earlier(m->s_ack, ack))
		m->s_ack = ack;
	if (data) {
		/* covers lo: seq <= lo < end; or as long as the missing */
		if ((!earlier(m->lo, seq) && earlier(m->lo, end)) ||
		    iplen >= m->len) {
			if (m->state == CLIPPER_RX_DECLARED)
				return CLIPPER_RX_NONE;
			goto ended;
		}
		if (iplen > m->big)
			m->big = iplen;
		missing = earlier(m->lo, seq);
	} else {
		if (m->state != CLIPPER_RX_OPEN)
			return CLIPPER_RX_NONE;
		missing = earlier(m->lo + 576, seq);
		if (!missing)
			goto ended;
		if (seq - m->lo + iplen < m->len) {
			m->len = seq - m->lo + iplen;
			if (m->len <= m->big || m->len <= 1280)
				goto ended;
		}
	}
	if (m->state != CLIPPER_RX_OPEN)
		return CLIPPER_RX_NONE;
	if (!m->disc) {
		if (missing) {
			m->disc = now ?: 1;
			if (m->out)
				model_answered(m, now);
		}
		return CLIPPER_RX_NONE;
	}
	if (!m->out)
		return CLIPPER_RX_NONE;
	model_answered(m, now);
	rto = want_rto(m->rtt);
	if (earlier(m->probe_t, m->disc + rto) ||
	    earlier(m->probe_t, m->next_conf) ||
	    (m->confirms &&
	     earlier(m->probe_t, 2 * m->conf_at - m->base + 2 * rto)))
		return CLIPPER_RX_NONE;
	m->confirms++;
	m->conf_at = m->probe_t;
	m->next_conf = 2 * m->probe_t - m->base + 2 * rto;
	if (m->confirms < (m->retrans > 2 ? m->retrans - 1 : 1))
		return CLIPPER_RX_CONFIRM;
	m->state = CLIPPER_RX_DECLARED;
	return CLIPPER_RX_DECLARE;
ended:
	m->state = CLIPPER_RX_FREE;
	return CLIPPER_RX_ENDED;
}

static enum clipper_rx_verdict model_from_r(struct model *m, u32 ack)
{
	if (m->state == CLIPPER_RX_FREE || !earlier(m->lo, ack))
		return CLIPPER_RX_NONE;
	if (m->state == CLIPPER_RX_DECLARED) {
		m->state = CLIPPER_RX_FREE;
		return CLIPPER_RX_REPAIRED;
	}
	m->state = CLIPPER_RX_FREE;
	return CLIPPER_RX_ENDED;
}

static void test_random(void)
{
	static const char *const what[] = { "tick", "from_s", "from_r" };
	unsigned int count[9] = { 0 }, bad = 0, episodes = 0, step;
	unsigned int max_probes = 0, first_bad = 0, quiet_told = 0;
	unsigned int early = 0, outage_free = 0, outage_on = 0;
	unsigned int quiet_ended = 0, conf_seen = 0, stuck = 0;
	struct clipper_rx_suspect s, pre, tmp;
	enum clipper_rx_verdict v, want;
	struct model m;
	u32 now = 0xf0000000u, lo = 0;	/* the clock wraps on the way */
	u16 win = 0;
	char why[200] = "";

	rng_state = 0x2545f491u;
	memset(&s, 0, sizeof(s));
	memset(&m, 0, sizeof(m));
	for (step = 0; step < 400000; step++) {
		unsigned int kind, mtu, k, iplen = 0;
		u32 seq = 0, end = 0, ack = 0;
		bool data = false;

		if (s.state == CLIPPER_RX_FREE) {
			/* (one rnd() a statement: the same walk in any compiler) */
			u32 sa, base, retrans;
			unsigned int len;
			bool quiet;

			/* a new episode: lo anywhere, some near the wrap */
			lo = rnd() % 4 ? rnd() : (u32)-rnd_in(0, 3000);
			now += rnd_in(0, 5000);
			retrans = rnd_in(1, 10);
			sa = rnd();
			len = rnd_in(1281, 9000);
			quiet = !(rnd() % 5);
			/* hi last advanced: mostly just before, or long ago */
			k = rnd() % 8;
			base = now - (k < 6 ? rnd_in(0, 1500) :
				      rnd_in(0, 30000));
			if (!quiet)
				clipper_rx_open(&s, lo, sa, len, base, now);
			else
				clipper_rx_open_quiet(&s, lo, sa, len, base,
						      now);
			model_open(&m, retrans, lo, sa, len, base, now, quiet);
			/* what pmtu_rx.c sets from its watch */
			m.flow_big = rnd() % 2 ? 0 : rnd_in(600, 9000);
			s.flow_big = m.flow_big;
			win = rnd();
			s.win = win;
			conf_seen = 0;
			episodes++;
		}
		/* time moves on: mostly little, at times a lot */
		k = rnd() % 16;
		now += k < 10 ? rnd_in(0, 400) : k < 15 ? rnd_in(0, 4000) :
			rnd_in(0, 30000);
		pre = s;
		kind = rnd() % 16;
		if (kind < 8) {
			kind = 0;
			v = clipper_rx_tick(&s, now);
			want = model_tick(&m, now);
		} else if (kind < 14) {
			k = rnd() % 8;
			if (k < 5) {
				/* a pure ACK: mostly an answer */
				seq = lo + (k < 4 ? rnd_in(577, 60000) :
					    rnd_in(0, 1000) - 300);
				end = seq;
				iplen = HDR;
			} else {
				/* data, short, somewhere near lo */
				seq = lo + rnd_in(0, 20000) - 3000;
				end = seq + rnd_in(1, 9000);
				iplen = rnd() % 4 ? rnd_in(HDR + 1, 1400) :
						    rnd_in(HDR + 1, 9100);
				data = true;
			}
			kind = 1;
			ack = rnd();
			v = clipper_rx_from_s(&s, seq, end, ack, iplen, data,
					      m.retrans, now);
			want = model_from_s(&m, seq, end, ack, iplen, data,
					    now);
		} else {
			ack = lo + (rnd() % 8 ? (u32)-rnd_in(0, 3000) :
				    rnd_in(0, 3000));
			kind = 2;
			v = clipper_rx_from_r(&s, ack);
			want = model_from_r(&m, ack);
		}

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			if (!bad++) {					\
				first_bad = step;			\
				snprintf(why, sizeof(why), __VA_ARGS__); \
			}						\
		}							\
	} while (0)

		/* the model's verdict and state */
		CHECK(v == want, "%s said %s, the model %s (state %u)",
		      what[kind], vname(v), vname(want), pre.state);
		CHECK(s.state == m.state, "%s: state %u, the model's %u",
		      what[kind], s.state, m.state);
		if (s.state != CLIPPER_RX_FREE)
			CHECK(s.len == m.len && s.big == m.big &&
			      s.disc == m.disc && s.next_conf == m.next_conf &&
			      s.confirms == m.confirms &&
			      s.probes == m.probes && s.rtt == m.rtt &&
			      s.icmps == m.icmps && s.outage == m.outage &&
			      s.s_ack == m.s_ack && s.base == m.base &&
			      s.opened == m.opened && s.lo == m.lo &&
			      (s.state != CLIPPER_RX_OPEN ||
			       (s.probe_at && !s.answered) == m.out),
			      "%s (%s): the struct is not the model's: len "
			      "%u/%u disc %u/%u next_conf %u/%u confirms "
			      "%u/%u probes %u/%u rtt %u/%u", what[kind],
			      vname(v), s.len, m.len, s.disc, m.disc,
			      s.next_conf, m.next_conf, s.confirms,
			      m.confirms, s.probes, m.probes, s.rtt, m.rtt);

		/* invariants, whatever the model says */
		CHECK((unsigned int)v <= CLIPPER_RX_UNREPAIRED,
		      "verdict %d out of range", v);
		CHECK(s.state <= CLIPPER_RX_DECLARED, "state %u", s.state);
		if ((unsigned int)v <= CLIPPER_RX_UNREPAIRED)
			count[v]++;
		CHECK(pre.state != CLIPPER_RX_FREE || v == CLIPPER_RX_NONE,
		      "%s on a free slot: %s", what[kind], vname(v));
		/* which verdicts each function gives */
		if (kind == 0)
			CHECK(v != CLIPPER_RX_CONFIRM &&
			      v != CLIPPER_RX_DECLARE &&
			      v != CLIPPER_RX_REPAIRED,
			      "tick said %s", vname(v));
		else if (kind == 1)
			CHECK(v == CLIPPER_RX_NONE || v == CLIPPER_RX_CONFIRM ||
			      v == CLIPPER_RX_DECLARE || v == CLIPPER_RX_ENDED,
			      "from_s said %s", vname(v));
		else
			CHECK(v == CLIPPER_RX_NONE || v == CLIPPER_RX_ENDED ||
			      v == CLIPPER_RX_REPAIRED,
			      "from_r said %s", vname(v));
		/* the states that follow each verdict */
		if (v == CLIPPER_RX_ENDED || v == CLIPPER_RX_REPAIRED ||
		    v == CLIPPER_RX_UNREPAIRED)
			CHECK(s.state == CLIPPER_RX_FREE, "%s, state %u",
			      vname(v), s.state);
		if (v == CLIPPER_RX_ENDED)
			CHECK(pre.state == CLIPPER_RX_OPEN, "ENDED from %u",
			      pre.state);
		if (v == CLIPPER_RX_REPAIRED || v == CLIPPER_RX_UNREPAIRED ||
		    v == CLIPPER_RX_ICMP)
			CHECK(pre.state == CLIPPER_RX_DECLARED, "%s from %u",
			      vname(v), pre.state);
		if (v == CLIPPER_RX_PROBE || v == CLIPPER_RX_CONFIRM ||
		    v == CLIPPER_RX_OUTAGE || v == CLIPPER_RX_DECLARE)
			CHECK(pre.state == CLIPPER_RX_OPEN, "%s from %u",
			      vname(v), pre.state);
		if (v == CLIPPER_RX_NONE)
			CHECK(s.state == pre.state, "NONE changed the state");
		CHECK(s.confirms <= m.retrans, "confirms %u > retrans %u",
		      s.confirms, m.retrans);
		CHECK(s.icmps <= CLIPPER_RX_ICMPS, "icmps %u", s.icmps);
		CHECK(s.probes <= CLIPPER_RX_PROBES, "probes %u", s.probes);
		CHECK(s.win == win, "win %u changed (%u)", win, s.win);
		/* len: only a pure ACK of S, open, makes it shorter */
		if (s.len != pre.len)
			CHECK(kind == 1 && !data &&
			      pre.state == CLIPPER_RX_OPEN && s.len < pre.len &&
			      s.len == (u32)(seq - lo) + iplen,
			      "len %u -> %u", pre.len, s.len);
		/* stuck: set when it declares, from len and flow_big */
		if (v == CLIPPER_RX_DECLARE) {
			CHECK(s.stuck == (s.len < s.flow_big),
			      "DECLARE: stuck %u, len %u, flow_big %u",
			      s.stuck, s.len, s.flow_big);
			stuck += s.stuck;
		} else {
			CHECK(s.stuck == pre.stuck ||
			      s.state == CLIPPER_RX_FREE,
			      "stuck changed without a DECLARE");
		}
		if (s.state == CLIPPER_RX_OPEN)
			CHECK(!s.stuck, "open and stuck");
		/* live: longer than 1280 and than any segment that passed */
		CHECK(s.state == CLIPPER_RX_FREE ||
		      (s.len > CLIPPER_RX_MTU_MIN && s.big < s.len),
		      "live with len %u, big %u", s.len, s.big);
		mtu = clipper_rx_mtu(&s);
		CHECK(s.state == CLIPPER_RX_FREE ||
		      mtu == (s.big >= CLIPPER_RX_MTU_MIN ?
			      s.big : CLIPPER_RX_MTU_MIN),
		      "mtu %u, big %u, len %u", mtu, s.big, s.len);
		if (s.probes > max_probes)
			max_probes = s.probes;
		/* disc: from 0 once, by a segment of S, no confirmation */
		if (pre.state == CLIPPER_RX_OPEN && s.disc != pre.disc) {
			CHECK(!pre.disc && kind == 1 && v == CLIPPER_RX_NONE &&
			      s.disc == (now ?: 1) && s.confirms == 0,
			      "disc %u -> %u by %s (%s)", pre.disc, s.disc,
			      what[kind], vname(v));
			quiet_told++;
		}
		/* an answer, no confirmation: its probe went before due */
		if (kind == 1 && v == CLIPPER_RX_NONE && pre.disc &&
		    pre.state == CLIPPER_RX_OPEN && pre.probe_at &&
		    !pre.answered && s.answered) {
			tmp = pre;
			tmp.rtt = s.rtt;
			CHECK(after(clipper_rx_due(&tmp), pre.probe_at),
			      "an answer to a probe at or after due, NONE");
			early++;
		}
		if (v == CLIPPER_RX_CONFIRM || v == CLIPPER_RX_DECLARE) {
			/* a probe out, disc known, sent at or after due */
			tmp = pre;
			tmp.rtt = s.rtt;
			CHECK(pre.probe_at && !pre.answered && pre.disc &&
			      !after(clipper_rx_due(&tmp),
					     pre.probe_at) &&
			      !before(pre.probe_at,
					       pre.disc + clipper_rx_rto(&s)),
			      "%s of a probe before due", vname(v));
			CHECK(s.confirms == pre.confirms + 1 && s.answered,
			      "%s: confirms %u -> %u", vname(v), pre.confirms,
			      s.confirms);
			CHECK(s.next_conf == clipper_rx_next(&s, pre.probe_at),
			      "%s: next_conf", vname(v));
		}
		if (v == CLIPPER_RX_CONFIRM) {
			conf_seen++;
			CHECK(s.confirms + 1u < m.retrans,
			      "CONFIRM with %u confirms, retrans %u",
			      s.confirms, m.retrans);
		}
		/*
		 * no DECLARE without pmtu-retrans - 1 confirmations (1 at
		 * least) since the open or the latest outage
		 */
		if (v == CLIPPER_RX_DECLARE) {
			CHECK(s.state == CLIPPER_RX_DECLARED,
			      "DECLARE, state %u", s.state);
			CHECK(conf_seen + 1 ==
			      (m.retrans > 2 ? m.retrans - 1 : 1) &&
			      s.confirms == conf_seen + 1,
			      "DECLARE after %u CONFIRMs, retrans %u",
			      conf_seen, m.retrans);
		}
		if (v == CLIPPER_RX_OUTAGE) {
			CHECK(kind == 0 && pre.probe_at && !pre.answered &&
			      pre.disc &&
			      !after(pre.probe_at +
					     clipper_rx_wait(&pre), now),
			      "OUTAGE, no probe lost");
			if (!pre.confirms) {
				CHECK(s.state == CLIPPER_RX_FREE,
				      "OUTAGE with nothing confirmed, state %u",
				      s.state);
				outage_free++;
			} else {
				CHECK(s.state == CLIPPER_RX_OPEN &&
				      s.confirms == 0 && s.outage &&
				      s.answered &&
				      s.next_conf == clipper_rx_next(&s, now),
				      "OUTAGE after %u confirmations: state "
				      "%u confirms %u", pre.confirms, s.state,
				      s.confirms);
				outage_on++;
			}
			conf_seen = 0;
		}
		/* a quiet flow whose probe nobody answered: over, no OUTAGE */
		if (kind == 0 && v == CLIPPER_RX_ENDED && !pre.disc)
			quiet_ended++;
		if (v == CLIPPER_RX_PROBE) {
			CHECK(s.probes == pre.probes + 1 &&
			      s.probe_at == (now ?: 1) && !s.answered,
			      "PROBE: probes %u, probe_at %u", s.probes,
			      s.probe_at);
			CHECK(!pre.probe_at || pre.answered,
			      "PROBE with one out");
			CHECK(pre.disc, "PROBE with nothing known missing");
			CHECK(!pre.probe_at ||
			      !after(pre.probe_at +
					     CLIPPER_RX_PROBE_GAP_MS, now),
			      "PROBE %u ms after the previous",
			      now - pre.probe_at);
			CHECK(!after(clipper_rx_due(&pre), now),
			      "PROBE before due");
		}
		if (v == CLIPPER_RX_ICMP)
			CHECK(s.icmps == pre.icmps + 1 && s.icmp_at == now,
			      "ICMP %u (icmp_at %u)", s.icmps, s.icmp_at);
		if (s.state == CLIPPER_RX_OPEN && kind == 0)
			CHECK(!after(now,
					    s.opened + CLIPPER_RX_LIFE_MS),
			      "OPEN past its lifetime after a tick");
	}
#undef CHECK
	ok(bad == 0, "random: %u steps, %u episodes, the model and the "
	   "invariants hold%s%s (%u violations, the first at step %u)", step,
	   episodes, bad ? ": " : "", why, bad, first_bad);
	printf("# verdicts: NONE %u PROBE %u CONFIRM %u DECLARE %u ICMP %u "
	       "OUTAGE %u ENDED %u REPAIRED %u UNREPAIRED %u; probes <= %u\n",
	       count[0], count[1], count[2], count[3], count[4], count[5],
	       count[6], count[7], count[8], max_probes);
	printf("# quiet flows told %u, unanswered %u; answers before due %u; "
	       "outages ending %u, going on %u; declared stuck %u\n",
	       quiet_told, quiet_ended, early, outage_free, outage_on, stuck);
	ok(count[CLIPPER_RX_PROBE] > 1000 && count[CLIPPER_RX_CONFIRM] > 100 &&
	   count[CLIPPER_RX_DECLARE] > 100 && count[CLIPPER_RX_ICMP] > 100 &&
	   count[CLIPPER_RX_OUTAGE] > 100 && count[CLIPPER_RX_ENDED] > 1000 &&
	   count[CLIPPER_RX_REPAIRED] > 10 &&
	   count[CLIPPER_RX_UNREPAIRED] > 10,
	   "random: every verdict seen (the walk reaches every path)");
	ok(quiet_told > 100 && quiet_ended > 100 && early > 100 &&
	   outage_free > 100 && outage_on > 10 && stuck > 10,
	   "random: quiet flows told and unanswered, answers before due, "
	   "outages that end and that go on, stuck declarations, all seen");
	ok(max_probes <= 8, "random: at most %u probes in an episode (the "
	   "doubling and the lifetime keep it under the cap of %u)",
	   max_probes, CLIPPER_RX_PROBES);
}

/* ---- reported against the old version, fixed --------------------------- */

static void test_reported(void)
{
	struct clipper_rx_suspect s;
	enum clipper_rx_verdict v;

	/*
	 * RTO0 is 1 s "or 4 round trips and 200 ms": with rtt 600, RTO0 is
	 * 2600, and S's first resend may come as late as disc + 2600.  The
	 * old first next_conf (opened + 1000) ignored the round trip the
	 * answer told; clipper_rx_due() now counts it: the probe at
	 * disc + 1000 is answered but confirms nothing.
	 */
	open_at(&s, LO, T0);
	v = probe_answer(&s, T0 + 1000, 600, 3);
	ok(v == CLIPPER_RX_NONE && s.confirms == 0 && s.answered &&
	   s.rtt == 600 && clipper_rx_due(&s) == T0 + 2600,
	   "rtt 600 (RTO0 2600): a probe at disc + 1000 proves no resend, "
	   "does not confirm (%s, confirms %u, due +%u)", vname(v),
	   s.confirms, clipper_rx_due(&s) - T0);
	ok(clipper_rx_tick(&s, T0 + 2000) == CLIPPER_RX_NONE &&
	   clipper_rx_tick(&s, T0 + 2599) == CLIPPER_RX_NONE,
	   "rtt 600: no probe at the gap (+2000), due is +2600");
	v = probe_answer(&s, T0 + 2600, 600, 3);
	ok(v == CLIPPER_RX_CONFIRM && s.confirms == 1 &&
	   s.next_conf == T0 + 5200 + 5200,
	   "rtt 600: the probe at disc + 2600 CONFIRMs, next_conf 5200 - 0 + "
	   "5200 (%s, +%u)", vname(v), s.next_conf - T0);

	/*
	 * The round trip an answer measures counts for the spacing after
	 * the latest confirmation too: one that grows from 50 to 600 after
	 * the first confirmation makes the probe at +4000 confirm nothing,
	 * the spec with RTO0 2600 saying +7200.
	 */
	open_at(&s, LO, T0);
	probe_answer(&s, T0 + 1000, 50, 3);
	v = probe_answer(&s, T0 + 4000, 600, 3);
	ok(v == CLIPPER_RX_NONE && s.confirms == 1 &&
	   clipper_rx_due(&s) == T0 + 7200,
	   "rtt 50 then 600: the probe at +4000 confirms nothing (%s, "
	   "confirms %u), due next(+1000) with RTO0 2600: +%u",
	   vname(v), s.confirms, clipper_rx_due(&s) - T0);

	/*
	 * A segment of S as long as the missing ones passed: the path
	 * carries that size.  A pure ACK making len no longer than big (a
	 * segment that long passed in the episode) used to leave it open,
	 * neither ended nor stuck; it ends it now, in either order.
	 */
	open_at(&s, LO, T0);
	clipper_rx_from_s(&s, LO + 4000, LO + 4100, SACK, 1400, true, 3,
			  T0 + 10);
	v = s_ack(&s, LO + 1300, 3, T0 + 20);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "big 1400, then len made 1352: ENDED (%s, state %u)", vname(v),
	   s.state);
	open_at(&s, LO, T0);
	s_ack(&s, LO + 1300, 3, T0 + 10);
	v = clipper_rx_from_s(&s, LO + 4000, LO + 4100, SACK, 1400, true, 3,
			      T0 + 20);
	ok(v == CLIPPER_RX_ENDED && s.state == CLIPPER_RX_FREE,
	   "len made 1352, then data of IP length 1400: ENDED too (%s)",
	   vname(v));
}

int main(void)
{
	test_constants();
	test_open();
	test_open_quiet();
	test_rto_wait();
	test_next();
	test_due();
	test_mtu();
	test_declare();
	test_ending();
	test_shrink();
	test_outage();
	test_base();
	test_quiet();
	test_wrap();
	test_opts();
	test_opts_none();
	test_random();
	test_reported();
	return tap_done();
}

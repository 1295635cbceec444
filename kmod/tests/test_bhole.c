// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/bhole.h, the same code the module runs: the
 * resend counting of one flow, the MTU step-down table, and the path
 * states, on synthetic sequences (healthy, lossy, black hole, ICMP seen,
 * repaired, expired) with a millisecond clock that wraps.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;

#include "clipper.h"
#include "bhole.h"

#include "tap.h"

static const struct clipper_bh_params defp = {
	.window_ms = CLIPPER_BH_WINDOW_MS,
	.retrans = CLIPPER_BH_RETRANS,
};

/*
 * A sender behind a path of MTU hole_mtu that drops bigger packets
 * silently; it resends its first unacked segment every rto ms, at the
 * size the last ICMP (of the module, on an event) told it.  Returns the
 * resends it took to get through, or -1 if it never did.
 */
static int hole_scenario(unsigned int hole_mtu, bool v6, u32 start, u32 rto,
			 struct clipper_bh_path *path, int *icmps)
{
	struct clipper_bh_suspect s = { 0 };
	unsigned int size = 1500;
	u32 now = start, seq = 0xfffff000;
	int resends;

	*icmps = 0;
	for (resends = 1; resends < 100; resends++) {
		unsigned int sent = size;
		enum clipper_bh_verdict v;

		/* the module sees every resend, also the one that passes */
		now += rto;
		v = clipper_bh_retransmit(&s, seq, sent, 0, now, &defp);
		if (v == CLIPPER_BH_SUSPECT) {
			clipper_path_suspect(path, now);
		} else if (v == CLIPPER_BH_BLACKHOLE &&
			   clipper_path_blackhole(path, sent, v6, now,
						  defp.window_ms)) {
			(*icmps)++;
			size = path->mtu;	/* the sender obeys the ICMP */
		}
		if (sent <= hole_mtu) {
			/* it got through: the ACK comes back */
			if (clipper_bh_ack(&s, seq + sent - 52))
				clipper_path_progress(path, now + 30);
			return resends;
		}
	}
	return -1;
}

int main(void)
{
	struct clipper_bh_params p;
	struct clipper_bh_suspect s;
	struct clipper_bh_path path;
	enum clipper_bh_verdict v;
	bool good;
	u32 now;

	ok(sizeof(struct clipper_bh_suspect) <= 32,
	   "struct clipper_bh_suspect is %zu <= 32 bytes",
	   sizeof(struct clipper_bh_suspect));
	ok((int)CLIPPER_PATH_SUSPECT == (int)CLIPPER_PMTU_SUSPECT &&
	   (int)CLIPPER_PATH_BLACKHOLE == (int)CLIPPER_PMTU_BLACKHOLE &&
	   (int)CLIPPER_PATH_OK == (int)CLIPPER_PMTU_OK &&
	   (int)CLIPPER_PATH_NONE == (int)CLIPPER_PMTU_NONE &&
	   CLIPPER_PATH_SUSPECT == 1 && CLIPPER_PATH_BLACKHOLE == 2 &&
	   CLIPPER_PATH_OK == 3,
	   "path states are 1/2/3, the uapi's CLIPPER_PMTU_* values");
	ok(CLIPPER_BH_WINDOW_MS == 10000 && CLIPPER_BH_RETRANS == 2,
	   "defaults: window 10000 ms, 2 resends");

	/* ---- the resend count of one flow ---- */

	/* healthy: nothing resent, an ACK changes nothing */
	memset(&path, 0, sizeof(path));
	ok(!clipper_path_progress(&path, 1000) && path.state == CLIPPER_PATH_NONE &&
	   path.events == 0 && path.mtu == 0,
	   "healthy: ACKs without resends leave a path alone");

	/* one loss, resent once, then ACKed */
	memset(&s, 0, sizeof(s));
	memset(&path, 0, sizeof(path));
	v = clipper_bh_retransmit(&s, 1000, 1500, 0, 5000, &defp);
	ok(v == CLIPPER_BH_SUSPECT && s.count == 1 && s.seq == 1000 &&
	   s.len == 1500 && s.first == 5000 && s.last == 5000,
	   "one resend: suspect, record started");
	ok(clipper_path_suspect(&path, 5000) && path.state == CLIPPER_PATH_SUSPECT,
	   "one resend: the path turns suspect (true)");
	ok(!clipper_path_suspect(&path, 5100) && path.state == CLIPPER_PATH_SUSPECT,
	   "already suspect: false");
	ok(!clipper_bh_ack(&s, 1000), "an ACK of the segment's start is no progress");
	ok(!clipper_bh_ack(&s, 900), "an older ACK is no progress");
	ok(clipper_bh_ack(&s, 1000 + 1448), "an ACK past the segment is progress");
	ok(!clipper_path_progress(&path, 5300) && path.state == CLIPPER_PATH_OK &&
	   path.changed == 5300,
	   "suspect -> ok on progress, no event (false)");
	ok(path.events == 1 && path.mtu == 0, "no black hole, no MTU learned");

	/* ACK comparisons across the sequence wrap */
	s.seq = 0xfffffff0;
	ok(clipper_bh_ack(&s, 0x10) && !clipper_bh_ack(&s, 0xffffff00) &&
	   !clipper_bh_ack(&s, 0xfffffff0),
	   "ACK progress is wrap-safe (seq 0xfffffff0, ack 0x10)");

	/* SACK: full-size data got through behind the resent segment */
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
		struct clipper_bh_suspect q;
		u32 l = 0, r = 0;

		ok(clipper_bh_sack_block(one, sizeof(one), 1000, &l, &r) &&
		   l == 1000 + 2 * 1448 && r == 1000 + 3 * 1448,
		   "SACK block: parsed after NOPs");
		ok(clipper_bh_sack_block(two, sizeof(two), 1000, &l, &r) &&
		   l == 0x2000 && r == 0x3000,
		   "SACK block: the largest of two, EOL ends the options");
		ok(!clipper_bh_sack_block(dsack, sizeof(dsack), 1000, &l, &r),
		   "SACK block: a D-SACK block at or below the ACK is none (timestamps skipped)");
		ok(!clipper_bh_sack_block(cut, sizeof(cut), 1000, &l, &r) &&
		   !clipper_bh_sack_block(zero, sizeof(zero), 1000, &l, &r) &&
		   !clipper_bh_sack_block(one, 0, 1000, &l, &r) &&
		   !clipper_bh_sack_block(one, 3, 1000, &l, &r),
		   "SACK block: cut or malformed options are none");
		ok(clipper_bh_sack_block(one, sizeof(one), 0xfffffff0, &l, &r),
		   "SACK block: wrap-safe against the ACK");
		good = true;
		for (unsigned int len = 0; len < 64; len++) {
			u8 buf[64];

			for (unsigned int k = 0; k < len; k++)
				buf[k] = (u8)(k * 37 + len);
			(void)clipper_bh_sack_block(buf, len, 0, &l, &r);
		}
		ok(good, "SACK block: arbitrary option bytes are read within bounds");

		{
			u8 ts[] = { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
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
				if (clipper_bh_sack_block(buf, len, 0, &l, &r) ||
				    clipper_bh_sack_block(buf, len, 0x80000000, &l, &r))
					good = false;
			}
			ok(good && skipped > 20000,
			   "no SACK: never true of options that hold a block (%u skipped)",
			   skipped);
		}

		/* the fast retransmit: SACKs first, then the resend */
		memset(&q, 0, sizeof(q));
		clipper_bh_sack_block(one, sizeof(one), 1000, &l, &r);
		clipper_bh_sack_note(&q, l, r, 50);
		ok(q.count == 0 && q.last == 50 && q.sack_at == 50,
		   "SACK note: a record with no resend, its time set");
		clipper_bh_retransmit(&q, 1000, 1500, 0, 60, &defp);
		ok(!clipper_bh_sack_proves(&q, 60, 10000),
		   "SACK proves nothing while the payload is unknown");
		q.payload = 1448;
		ok(clipper_bh_sack_proves(&q, 60, 10000),
		   "SACK noted before the resend proves a loss");
		ok(!clipper_bh_sack_proves(&q, 10051, 10000),
		   "... not once the window has passed");
		clipper_bh_sack_block(small, sizeof(small), 1000, &l, &r);
		clipper_bh_sack_note(&q, l, r, 70);
		ok(!clipper_bh_sack_proves(&q, 70, 10000),
		   "a block smaller than the segment proves nothing (small data passes a hole)");
		clipper_bh_sack_note(&q, 500, 500 + 1448, 80);
		ok(!clipper_bh_sack_proves(&q, 80, 10000),
		   "a block before the segment proves nothing");
		q.seq = 0xfffffff0;
		clipper_bh_sack_note(&q, 0x10, 0x10 + 1448, 90);
		ok(clipper_bh_sack_proves(&q, 90, 10000),
		   "SACK proof is wrap-safe (segment at 0xfffffff0, block at 0x10)");
		q.count = 0;
		ok(!clipper_bh_sack_proves(&q, 90, 10000),
		   "a record with no resend counted proves nothing");
	}

	/* the last segment sent waits for one resend more */
	{
		struct clipper_bh_suspect q;

		memset(&q, 0, sizeof(q));
		clipper_bh_retransmit(&q, 1, 1500, 0, 10, &defp);
		good = clipper_bh_tail_waits(&q, &defp);
		clipper_bh_retransmit(&q, 1, 1500, 0, 20, &defp);
		good = good && clipper_bh_tail_waits(&q, &defp);
		clipper_bh_retransmit(&q, 1, 1500, 0, 30, &defp);
		ok(good && !clipper_bh_tail_waits(&q, &defp),
		   "tail: a black hole at retrans + 1 resends, not before");
	}

	/* a lossy link: many segments, each resent once, each ACKed */
	memset(&s, 0, sizeof(s));
	good = true;
	now = 100;
	for (u32 seq = 1; seq < 200 * 1448; seq += 1448) {
		now += 50;
		if (clipper_bh_retransmit(&s, seq, 1500, 0, now, &defp) !=
		    CLIPPER_BH_SUSPECT || s.count != 1 || s.seq != seq)
			good = false;
		if (clipper_bh_ack(&s, seq + 1448))
			s.count = 0;	/* the caller drops the record */
	}
	ok(good, "lossy link: 200 different segments resent once: never a black hole");

	/* a window's worth resent once after a loss: the first one counts */
	memset(&s, 0, sizeof(s));
	good = clipper_bh_retransmit(&s, 1, 1500, 0, 100, &defp) ==
	       CLIPPER_BH_SUSPECT;
	for (u32 seq = 1449; seq < 20 * 1448; seq += 1448)
		if (clipper_bh_retransmit(&s, seq, 1500, 0, 110, &defp) !=
		    CLIPPER_BH_NONE)
			good = false;
	ok(good && s.seq == 1 && s.count == 1 && s.first == 100,
	   "the segments behind a lost one, resent too: ignored, the record kept");
	ok(clipper_bh_retransmit(&s, 1, 1500, 0, 400, &defp) ==
	   CLIPPER_BH_BLACKHOLE && s.count == 2,
	   "... and the first one resent again: a black hole");

	/* the same segment N times within the window: a hole at the N-th */
	good = true;
	for (unsigned int retrans = 1; retrans <= 6; retrans++) {
		p.window_ms = 10000;
		p.retrans = retrans;
		memset(&s, 0, sizeof(s));
		for (unsigned int i = 1; i <= retrans + 3; i++) {
			v = clipper_bh_retransmit(&s, 77, 1500, 1, 1000 + i * 1000,
						  &p);
			if (v != (i < retrans ? CLIPPER_BH_SUSPECT :
				  CLIPPER_BH_BLACKHOLE) || s.count != i)
				good = false;
		}
	}
	ok(good, "same segment resent N times (N = 1..6): suspect, then black hole from the N-th");

	/* exactly at the window edge still counts, one ms past does not */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 1500, 0, 20000, &defp);
	ok(clipper_bh_retransmit(&s, 5, 1500, 0, 30000, &defp) == CLIPPER_BH_BLACKHOLE,
	   "second resend exactly window ms after the first: black hole");
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 1500, 0, 20000, &defp);
	ok(clipper_bh_retransmit(&s, 5, 1500, 0, 30001, &defp) == CLIPPER_BH_SUSPECT &&
	   s.count == 1 && s.first == 30001,
	   "second resend window + 1 ms later: counted again from 1");

	/* resends spaced beyond the window never make a hole */
	memset(&s, 0, sizeof(s));
	good = true;
	for (int i = 0; i < 20; i++)
		if (clipper_bh_retransmit(&s, 5, 1500, 0, 1000 + i * 10001,
					  &defp) != CLIPPER_BH_SUSPECT)
			good = false;
	ok(good, "20 resends 10001 ms apart: never a black hole");

	/* another direction, another segment: counted again */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 1500, 0, 1000, &defp);
	ok(clipper_bh_retransmit(&s, 5, 1500, 1, 1100, &defp) == CLIPPER_BH_SUSPECT &&
	   s.dir == 1 && s.count == 1,
	   "the same seq in the other direction starts again");
	ok(clipper_bh_retransmit(&s, 6, 1500, 1, 1200, &defp) == CLIPPER_BH_NONE &&
	   s.seq == 5 && s.count == 1,
	   "a later seq within the window: ignored");
	ok(clipper_bh_retransmit(&s, 4, 1500, 1, 1300, &defp) == CLIPPER_BH_SUSPECT &&
	   s.seq == 4 && s.count == 1 && s.first == 1300,
	   "an earlier seq starts again");
	ok(clipper_bh_retransmit(&s, 9, 1500, 1, 11301, &defp) == CLIPPER_BH_SUSPECT &&
	   s.seq == 9 && s.count == 1,
	   "a later seq once the window is past starts again");
	ok(clipper_bh_retransmit(&s, 9, 1400, 1, 11400, &defp) == CLIPPER_BH_SUSPECT &&
	   s.seq == 9 && s.count == 1 && s.len == 1400 && s.first == 11400,
	   "the same seq cut down (the sender obeyed an ICMP) starts again");
	ok(clipper_bh_retransmit(&s, 9, 1400, 1, 11800, &defp) == CLIPPER_BH_BLACKHOLE &&
	   s.count == 2,
	   "... and lost again at that size: a black hole");

	/* the count saturates */
	memset(&s, 0, sizeof(s));
	good = true;
	for (int i = 0; i < 600; i++)
		if (clipper_bh_retransmit(&s, 9, 1400, 0, 1000 + i, &defp) !=
		    (i ? CLIPPER_BH_BLACKHOLE : CLIPPER_BH_SUSPECT))
			good = false;
	ok(good && s.count == 255 && s.last == 1599 && s.len == 1400,
	   "600 resends: the count stops at 255, still a black hole");

	p.window_ms = 10000;
	p.retrans = 0;
	memset(&s, 0, sizeof(s));
	ok(clipper_bh_retransmit(&s, 9, 1400, 0, 1, &p) == CLIPPER_BH_NONE &&
	   clipper_bh_retransmit(&s, 9, 1400, 0, 2, &p) == CLIPPER_BH_NONE,
	   "retrans 0: detection off, CLIPPER_BH_NONE");

	/* the window across the wrap of the clock */
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 1500, 0, 0xffffff00, &defp);
	ok(clipper_bh_retransmit(&s, 5, 1500, 0, 0x1000, &defp) == CLIPPER_BH_BLACKHOLE,
	   "resends at 0xffffff00 and 0x1000 (clock wrapped): within the window");
	memset(&s, 0, sizeof(s));
	clipper_bh_retransmit(&s, 5, 1500, 0, 0xffffff00, &defp);
	ok(clipper_bh_retransmit(&s, 5, 1500, 0, 0x3000, &defp) == CLIPPER_BH_SUSPECT,
	   "resends at 0xffffff00 and 0x3000 (clock wrapped): beyond the window");

	/* ---- the step-down table ---- */

	ok(clipper_pmtu_step_below(9000, false) == 1500 &&
	   clipper_pmtu_step_below(1501, true) == 1500,
	   "step_below: above 1500 -> 1500");
	ok(clipper_pmtu_step_below(1500, false) == 1492 &&
	   clipper_pmtu_step_below(1492, false) == 1480 &&
	   clipper_pmtu_step_below(1481, false) == 1480 &&
	   clipper_pmtu_step_below(1480, true) == 1460 &&
	   clipper_pmtu_step_below(1460, true) == 1420 &&
	   clipper_pmtu_step_below(1420, true) == 1400 &&
	   clipper_pmtu_step_below(1400, true) == 1380 &&
	   clipper_pmtu_step_below(1380, true) == 1280,
	   "step_below: 1500 1492 1480 1460 1420 1400 1380 1280");
	ok(clipper_pmtu_step_below(1281, true) == 1280 &&
	   clipper_pmtu_step_below(1280, true) == 0 &&
	   clipper_pmtu_step_below(1000, true) == 0 &&
	   clipper_pmtu_step_below(0, true) == 0,
	   "step_below IPv6: nothing at or below 1280");
	ok(clipper_pmtu_step_below(1280, false) == 1006 &&
	   clipper_pmtu_step_below(1006, false) == 576 &&
	   clipper_pmtu_step_below(577, false) == 576 &&
	   clipper_pmtu_step_below(576, false) == 0 &&
	   clipper_pmtu_step_below(100, false) == 0,
	   "step_below IPv4: 1280 -> 1006 -> 576, nothing at or below 576");
	ok(clipper_pmtu_full_size_min(true) == 1281 &&
	   clipper_pmtu_full_size_min(false) == 577,
	   "full_size_min: 1281 (IPv6), 577 (IPv4)");
	good = true;
	for (unsigned int len = 0; len < 10000; len++)
		for (int v6 = 0; v6 < 2; v6++) {
			unsigned int m = clipper_pmtu_step_below(len, v6);

			if (m ? m >= len || m < (v6 ? 1280U : 576U) ||
				clipper_pmtu_step_below(m + 1, v6) != m :
				len >= clipper_pmtu_full_size_min(v6))
				good = false;
		}
	ok(good, "step_below: below len, above the floor, the largest (0..9999)");

	/* ---- path states ---- */

	/* repeated detections step the MTU down, IPv6 */
	{
		static const unsigned int want6[] = { 1492, 1420, 1280 };
		static const unsigned int want4[] = { 1492, 1420, 1280, 576 };
		unsigned int i;

		memset(&path, 0, sizeof(path));
		clipper_path_suspect(&path, 100);
		good = clipper_path_blackhole(&path, 1500, true, 200, 10000) &&
		       path.state == CLIPPER_PATH_BLACKHOLE &&
		       path.mtu == 1492 && path.detected == 200 &&
		       path.changed == 200;
		ok(good, "first detection (IPv6, 1500): blackhole, mtu 1492, detected set");
		good = true;
		for (i = 1; i < 3; i++) {
			/* the sender's resends, smaller, still lost */
			if (!clipper_path_blackhole(&path, 1500, true,
						    200 + i * 1000, 10000) ||
			    path.mtu != want6[i] || path.detected != 200 ||
			    path.changed != 200 + i * 1000)
				good = false;
		}
		ok(good, "further detections (IPv6) skip two steps: 1492 -> 1420 -> 1280, true each");
		ok(!clipper_path_blackhole(&path, 1280, true, 9000, 10000) &&
		   path.mtu == 1280 && path.changed == 2200,
		   "IPv6 stops at 1280: false, nothing changes");
		ok(path.events == 4, "events: suspect and 3 steps (%u)", path.events);
		ok(clipper_path_progress(&path, 9500) && path.state == CLIPPER_PATH_OK &&
		   path.mtu == 1280 && path.events == 5 && path.changed == 9500,
		   "progress: blackhole -> ok, an event, the MTU kept");
		ok(!clipper_path_progress(&path, 9600), "progress when ok: false");

		memset(&path, 0, sizeof(path));
		good = true;
		for (i = 0; i < 4; i++)
			if (!clipper_path_blackhole(&path, 1500, false,
						    1000 + i, 10000) ||
			    path.mtu != want4[i] || path.detected != 1000)
				good = false;
		ok(good, "IPv4: 1492 -> 1420 -> 1280 -> 576, from a new path");
		ok(!clipper_path_blackhole(&path, 1500, false, 2000, 10000) &&
		   path.mtu == 576,
		   "IPv4 stops at 576: false");

		/* a skip stops at 1280, the minimum every IPv6 link carries */
		memset(&path, 0, sizeof(path));
		good = clipper_path_blackhole(&path, 1400, false, 10, 10000) &&
		       path.mtu == 1380 &&
		       clipper_path_blackhole(&path, 1380, false, 20, 10000) &&
		       path.mtu == 1280 &&
		       clipper_path_blackhole(&path, 1280, false, 30, 10000) &&
		       path.mtu == 576;
		ok(good, "IPv4 from 1400: 1380, then 1280 (a skip stops there), then 576 (%u)",
		   path.mtu);

		/* a small segment at the floor */
		memset(&path, 0, sizeof(path));
		ok(clipper_path_blackhole(&path, 1200, true, 5, 10000) &&
		   path.mtu == 1280 && path.state == CLIPPER_PATH_BLACKHOLE,
		   "IPv6 detection at 1200: the floor 1280 is kept, still a turn");
		/* below the learned MTU: stepped from the learned one */
		memset(&path, 0, sizeof(path));
		path.mtu = 1400;
		path.state = CLIPPER_PATH_OK;
		ok(clipper_path_blackhole(&path, 1500, false, 5, 10000) &&
		   path.mtu == 1380,
		   "detection with 1400 learned: from min(1500, 1400) -> 1380");
	}

	/* an ICMP seen within the window: the sender has been told */
	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 0, false, 50000) && path.icmp_seen == 50000 &&
	   path.mtu == 0 && path.state == CLIPPER_PATH_OK,
	   "ICMP with mtu 0: remembered, nothing learned, new -> ok (true)");
	clipper_path_suspect(&path, 50100);
	ok(!clipper_path_blackhole(&path, 1500, false, 55000, 10000) &&
	   path.state == CLIPPER_PATH_SUSPECT && path.mtu == 0,
	   "ICMP 5 s before: no black hole");
	ok(!clipper_path_blackhole(&path, 1500, false, 60000, 10000),
	   "ICMP exactly window ms before: no black hole");
	ok(clipper_path_blackhole(&path, 1500, false, 60001, 10000) &&
	   path.state == CLIPPER_PATH_BLACKHOLE && path.mtu == 1492,
	   "ICMP window + 1 ms before: black hole");

	/* ICMP MTUs learned */
	memset(&path, 0, sizeof(path));
	clipper_path_suspect(&path, 10);
	ok(clipper_path_icmp(&path, 1400, false, 20) && path.mtu == 1400 &&
	   path.state == CLIPPER_PATH_OK,
	   "ICMP 1400: learned, suspect -> ok, true");
	ok(!clipper_path_icmp(&path, 1450, false, 30) && path.mtu == 1400,
	   "ICMP 1450 over 1400 learned: ignored");
	ok(clipper_path_icmp(&path, 1300, false, 40) && path.mtu == 1300,
	   "ICMP 1300: learned");
	ok(!clipper_path_icmp(&path, 67, false, 50) && path.mtu == 1300 &&
	   clipper_path_icmp(&path, 68, false, 60) && path.mtu == 552 &&
	   !clipper_path_icmp(&path, 300, false, 70) && path.mtu == 552,
	   "IPv4: ICMP 67 ignored, 68 teaches 552 (min_pmtu), 300 nothing new");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 1279, true, 50) && path.mtu == 0 &&
	   path.state == CLIPPER_PATH_OK,
	   "IPv6: PTB 1279 not learned (new -> ok: true)");
	ok(!clipper_path_icmp(&path, 70000, true, 60) && path.mtu == 0,
	   "PTB 70000 ignored");
	memset(&path, 0, sizeof(path));
	clipper_path_blackhole(&path, 1500, true, 100, 10000);
	ok(clipper_path_icmp(&path, 1400, true, 200) && path.mtu == 1400 &&
	   path.state == CLIPPER_PATH_BLACKHOLE,
	   "PTB 1400 while blackhole: learned, stays blackhole");
	ok(!clipper_path_blackhole(&path, 1500, true, 300, 10000) &&
	   path.mtu == 1400,
	   "then a detection within the ICMP window: nothing");
	memset(&path, 0, sizeof(path));
	ok(clipper_path_icmp(&path, 0, true, 0) && path.icmp_seen != 0 &&
	   !clipper_path_blackhole(&path, 1500, true, 5, 10000),
	   "an ICMP at time 0 is remembered");

	/* expiry, the clock wrapping */
	memset(&path, 0, sizeof(path));
	now = 0xffffff00;
	clipper_path_blackhole(&path, 1500, false, now, 10000);
	ok(!clipper_path_expired(&path, now + 599999, 600000, 10000) &&
	   clipper_path_expired(&path, now + 600000, 600000, 10000) &&
	   clipper_path_expired(&path, now + 700000, 600000, 10000),
	   "expiry across the wrap: kept until timeout, then expired");
	ok(!clipper_path_expired(&path, now + 0x100, 600000, 10000),
	   "at 0x0 (just wrapped): not expired");
	clipper_path_progress(&path, now + 500000);
	ok(!clipper_path_expired(&path, now + 700000, 600000, 10000) &&
	   clipper_path_expired(&path, now + 1100000, 600000, 10000),
	   "a change restarts the timeout");
	memset(&path, 0, sizeof(path));
	clipper_path_suspect(&path, now);
	ok(!clipper_path_expired(&path, now + 9999, 600000, 10000) &&
	   clipper_path_expired(&path, now + 10000, 600000, 10000),
	   "a suspect that learned no MTU: forgotten after the window");
	clipper_path_progress(&path, now + 5000);
	ok(path.state == CLIPPER_PATH_OK && !path.mtu &&
	   !clipper_path_expired(&path, now + 14999, 600000, 10000) &&
	   clipper_path_expired(&path, now + 15000, 600000, 10000),
	   "ok without an MTU: the window too");
	memset(&path, 0, sizeof(path));
	clipper_path_blackhole(&path, 1500, false, now, 10000);
	path.mtu = 0;
	ok(!clipper_path_expired(&path, now + 10000, 600000, 10000),
	   "a black hole is kept for the timeout, MTU or not");
	memset(&path, 0, sizeof(path));
	clipper_path_icmp(&path, 1400, false, now);
	ok(!clipper_path_expired(&path, now + 10000, 600000, 10000) &&
	   clipper_path_expired(&path, now + 600000, 600000, 10000),
	   "a learned MTU is kept for the timeout");

	/* whole scenarios */
	{
		int icmps, r;

		memset(&path, 0, sizeof(path));
		r = hole_scenario(1400, false, 0xfffff000, 1000, &path, &icmps);
		ok(r == 7 && icmps == 3 && path.mtu == 1280 &&
		   path.state == CLIPPER_PATH_OK && path.events == 5,
		   "hole at 1400, resends 1 s apart, clock wrapping: 1492, 1420, 1280, repaired (%d resends)",
		   r);
		memset(&path, 0, sizeof(path));
		r = hole_scenario(1492, false, 0, 1000, &path, &icmps);
		ok(r == 3 && icmps == 1 && path.mtu == 1492 &&
		   path.state == CLIPPER_PATH_OK,
		   "PPPoE hole at 1492: one step, repaired (%d resends)", r);
		memset(&path, 0, sizeof(path));
		r = hole_scenario(1300, true, 0, 3000, &path, &icmps);
		ok(r == 7 && icmps == 3 && path.mtu == 1280 &&
		   path.state == CLIPPER_PATH_OK,
		   "IPv6 hole at 1300, resends 3 s apart, the window restarting: down to 1280, repaired (%d resends)",
		   r);
		memset(&path, 0, sizeof(path));
		r = hole_scenario(1400, false, 0, 11000, &path, &icmps);
		ok(r == -1 && icmps == 0 && path.state == CLIPPER_PATH_SUSPECT &&
		   path.mtu == 0,
		   "resends 11 s apart, never two in a window: suspect only");
	}

	ok(!strcmp(clipper_path_state_name(CLIPPER_PATH_SUSPECT), "suspect") &&
	   !strcmp(clipper_path_state_name(CLIPPER_PATH_BLACKHOLE), "blackhole") &&
	   !strcmp(clipper_path_state_name(CLIPPER_PATH_OK), "ok") &&
	   !strcmp(clipper_path_state_name(0), "unknown") &&
	   !strcmp(clipper_path_state_name(200), "unknown"),
	   "state names: suspect, blackhole, ok, unknown");

	return tap_done();
}

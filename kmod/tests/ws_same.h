/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_ws and fuzz_ws: two parses of one stream agree.  What a stopped
 * direction expects next, or a flow that is no WebSocket, is not compared.
 */
#ifndef _CLIPPER_TESTS_WS_SAME_H
#define _CLIPPER_TESTS_WS_SAME_H

#include <string.h>

/*
 * clipper_ws_add() of wsparse.h: the totals are an array here (per-CPU
 * counters in the module); NULL: none.
 */
void clipper_ws_add(void *tot, unsigned int ctr, u64 n)
{
	if (tot)
		((u64 *)tot)[ctr] += n;
}

static bool dir_same(const struct clipper_ws_dir *a,
		     const struct clipper_ws_dir *b, bool live)
{
	return !memcmp(a->frames, b->frames, sizeof(a->frames)) &&
	       a->payload_bytes == b->payload_bytes &&
	       a->header_bytes == b->header_bytes && a->flags == b->flags &&
	       a->st == b->st && a->rem == b->rem && a->hpos == b->hpos &&
	       (!live || a->st == CLIPPER_WS_ST_STOP ||
		a->next_seq == b->next_seq);
}

static bool same(const struct clipper_ws_flow *a,
		 const struct clipper_ws_flow *b)
{
	bool live = a->phase != CLIPPER_WS_NOT_WS;

	return a->phase == b->phase && a->proto == b->proto &&
	       a->rsv_ok == b->rsv_ok && dir_same(&a->c2s, &b->c2s, live) &&
	       dir_same(&a->s2c, &b->s2c, live);
}

/*
 * What one feed added to a direction (was before, now after) is what it
 * added to the totals, tot (clipper_ws_add()).
 */
static bool tot_same(const struct clipper_ws_dir *was,
		     const struct clipper_ws_dir *now, const u64 *tot)
{
	unsigned int i;

	for (i = 0; i < CLIPPER_WS_NCLASS; i++)
		if (now->frames[i] - was->frames[i] != tot[i])
			return false;
	return now->payload_bytes - was->payload_bytes ==
	       tot[CLIPPER_WS_T_PAYLOAD] &&
	       now->header_bytes - was->header_bytes ==
	       tot[CLIPPER_WS_T_HEADER];
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: per-CPU counters, summed for netlink.
 *
 * Writers (the fast path) never take a lock; "stats reset" does not touch
 * the per-CPU values (it would race with writers) but remembers what they
 * read at the time and subtracts that afterwards.
 */
#include <net/genetlink.h>

#include "core.h"

/* Where each counter goes in the CLIPPER_A_STATS reply. */
static const struct {
	u16 section;	/* enum clipper_stats_attr */
	u16 ctr;	/* enum clipper_ctr */
} clipper_stat_attr[CLIPPER_ST_MAX] = {
	[CLIPPER_ST_TARGET_PACKETS]	= { CLIPPER_STATS_A_TARGET, CLIPPER_CTR_PACKETS },
	[CLIPPER_ST_TARGET_BYTES]	= { CLIPPER_STATS_A_TARGET, CLIPPER_CTR_BYTES },
	[CLIPPER_ST_CLASSIFY_PACKETS]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_PACKETS },
	[CLIPPER_ST_CLASSIFY_BYTES]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_BYTES },
	[CLIPPER_ST_PMTU_PACKETS]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_PACKETS },
	[CLIPPER_ST_PMTU_BYTES]		= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_BYTES },
	[CLIPPER_ST_WS_PACKETS]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_PACKETS },
	[CLIPPER_ST_WS_BYTES]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_BYTES },
	[CLIPPER_ST_CLASSIFY_FLOWS]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_FLOWS },
	[CLIPPER_ST_CLASSIFY_MATCHED]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_MATCHED },
	[CLIPPER_ST_CLASSIFY_DEFAULTED]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_DEFAULTED },
	[CLIPPER_ST_CLASSIFY_RANDOM]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_RANDOM },
	[CLIPPER_ST_CLASSIFY_NO_MAC]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_NO_MAC },
	[CLIPPER_ST_CLASSIFY_NO_CT]	= { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_NO_CT },
	[CLIPPER_ST_CLASSIFY_UNWRITABLE] = { CLIPPER_STATS_A_CLASSIFY, CLIPPER_CTR_UNWRITABLE },
	[CLIPPER_ST_CLASSIFY_RECLASSIFIED] = { CLIPPER_STATS_A_CLASSIFY,
					       CLIPPER_CTR_RECLASSIFIED },
	[CLIPPER_ST_PMTU_SYN]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_SYN },
	[CLIPPER_ST_PMTU_MSS_CLAMPED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_MSS_CLAMPED },
	[CLIPPER_ST_PMTU_MSS_ADDED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_MSS_ADDED },
	[CLIPPER_ST_PMTU_MALFORMED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_MALFORMED },
	[CLIPPER_ST_PMTU_UNWRITABLE]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_UNWRITABLE },
	[CLIPPER_ST_PMTU_RETRANS]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RETRANS },
	[CLIPPER_ST_PMTU_SUSPECT]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_SUSPECT },
	[CLIPPER_ST_PMTU_BLACKHOLE]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_BLACKHOLE },
	[CLIPPER_ST_PMTU_REPAIRED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_REPAIRED },
	[CLIPPER_ST_PMTU_ICMP_SEEN]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_ICMP_SEEN },
	[CLIPPER_ST_PMTU_ICMP_SENT]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_ICMP_SENT },
	[CLIPPER_ST_PMTU_DF_CLEARED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_DF_CLEARED },
	[CLIPPER_ST_PMTU_TABLE_FULL]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_TABLE_FULL },
	[CLIPPER_ST_PMTU_SACKED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_SACKED },
	[CLIPPER_ST_PMTU_ICMP_UNRELATED] = { CLIPPER_STATS_A_PMTU,
					     CLIPPER_CTR_ICMP_UNRELATED },
	[CLIPPER_ST_PMTU_PROBES]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_PROBES },
	[CLIPPER_ST_PMTU_PROBE_PASSED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_PROBE_PASSED },
	[CLIPPER_ST_PMTU_OUTAGE]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_OUTAGE },
	[CLIPPER_ST_PMTU_REPLAYED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_REPLAYED },
	[CLIPPER_ST_PMTU_STUCK]		= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_STUCK },
	[CLIPPER_ST_PMTU_RAISED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RAISED },
	[CLIPPER_ST_PMTU_FLOW_FIXED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_FLOW_FIXED },
	[CLIPPER_ST_PMTU_RX_GAPS]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RX_GAPS },
	[CLIPPER_ST_PMTU_RX_PROBES]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RX_PROBES },
	[CLIPPER_ST_PMTU_RX_ANSWERS]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RX_ANSWERS },
	[CLIPPER_ST_PMTU_RX_OUTAGE]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_RX_OUTAGE },
	[CLIPPER_ST_PMTU_UNREPAIRED]	= { CLIPPER_STATS_A_PMTU, CLIPPER_CTR_UNREPAIRED },
	[CLIPPER_ST_WS_TRACKED]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_TRACKED },
	[CLIPPER_ST_WS_FLOWS]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_FLOWS },
	[CLIPPER_ST_WS_NOT_WS]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_NOT_WS },
	[CLIPPER_ST_WS_DESYNC]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_DESYNC },
	[CLIPPER_ST_WS_MALFORMED]	= { CLIPPER_STATS_A_WS, CLIPPER_CTR_MALFORMED },
	[CLIPPER_ST_WS_TABLE_FULL]	= { CLIPPER_STATS_A_WS, CLIPPER_CTR_TABLE_FULL },
	[CLIPPER_ST_WS_EXPIRED]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_EXPIRED },
	[CLIPPER_ST_WS_NO_CT]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_NO_CT },
	[CLIPPER_ST_WS_HELD]		= { CLIPPER_STATS_A_WS, CLIPPER_CTR_HELD },
	/* the per-class counters have no section: "class list" reports them */
};

/* The counters of a WebSocket direction, in CLIPPER_ST_WS_C2S order. */
static const u16 clipper_ws_dir_ctr[CLIPPER_WS_NCTR] = {
	CLIPPER_CTR_TEXT, CLIPPER_CTR_BINARY, CLIPPER_CTR_CONTINUATION,
	CLIPPER_CTR_CLOSE, CLIPPER_CTR_PING, CLIPPER_CTR_PONG,
	CLIPPER_CTR_OTHER, CLIPPER_CTR_PAYLOAD_BYTES, CLIPPER_CTR_HEADER_BYTES,
};

/* Section and attribute of counter i; false for those without. */
static bool clipper_stat_where(int i, u16 *section, u16 *ctr)
{
	if (i >= CLIPPER_ST_WS_C2S && i < CLIPPER_ST_WS_S2C + CLIPPER_WS_NCTR) {
		bool c2s = i < CLIPPER_ST_WS_S2C;

		*section = c2s ? CLIPPER_STATS_A_WS_C2S : CLIPPER_STATS_A_WS_S2C;
		*ctr = clipper_ws_dir_ctr[i - (c2s ? CLIPPER_ST_WS_C2S :
					       CLIPPER_ST_WS_S2C)];
		return true;
	}
	*section = clipper_stat_attr[i].section;
	*ctr = clipper_stat_attr[i].ctr;
	return *section;
}

int clipper_stats_init(struct clipper_net *cn)
{
	int cpu;

	cn->stats = alloc_percpu(struct clipper_pcpu_stats);
	if (!cn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);
	return 0;
}

void clipper_stats_exit(struct clipper_net *cn)
{
	free_percpu(cn->stats);
	cn->stats = NULL;
}

static void clipper_stats_sum(struct clipper_net *cn, u64 out[CLIPPER_ST_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * CLIPPER_ST_MAX);
	for_each_possible_cpu(cpu) {
		const struct clipper_pcpu_stats *s = per_cpu_ptr(cn->stats, cpu);
		u64 v[CLIPPER_ST_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < CLIPPER_ST_MAX; i++)
				v[i] = u64_stats_read(&s->v[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < CLIPPER_ST_MAX; i++)
			out[i] += v[i];
	}
}

/* Caller holds cn->lock. */
void clipper_stats_read(struct clipper_net *cn, u64 out[CLIPPER_ST_MAX])
{
	int i;

	lockdep_assert_held(&cn->lock);
	clipper_stats_sum(cn, out);
	for (i = 0; i < CLIPPER_ST_MAX; i++)
		out[i] -= cn->stats_base[i];
}

/* Caller holds cn->lock. */
void clipper_stats_reset(struct clipper_net *cn)
{
	lockdep_assert_held(&cn->lock);
	clipper_stats_sum(cn, cn->stats_base);
}

/*
 * Put CLIPPER_A_STATS: a nest per section, holding that section's counters.
 * Caller holds cn->lock.
 */
int clipper_stats_fill(struct sk_buff *msg, struct clipper_net *cn,
		       bool target_only)
{
	u64 v[CLIPPER_ST_MAX];
	struct nlattr *all, *sec;
	u16 section;
	int i;

	clipper_stats_read(cn, v);

	all = nla_nest_start(msg, CLIPPER_A_STATS);
	if (!all)
		return -EMSGSIZE;
	for (section = CLIPPER_STATS_A_TARGET; section <= CLIPPER_STATS_A_MAX;
	     section++) {
		if (target_only && section != CLIPPER_STATS_A_TARGET)
			break;
		sec = nla_nest_start(msg, section);
		if (!sec)
			goto cancel;
		for (i = 0; i < CLIPPER_ST_MAX; i++) {
			u16 sec_i, ctr;

			if (!clipper_stat_where(i, &sec_i, &ctr) ||
			    sec_i != section)
				continue;
			if (nla_put_u64_64bit(msg, ctr, v[i], CLIPPER_CTR_PAD))
				goto cancel;
		}
		nla_nest_end(msg, sec);
	}
	nla_nest_end(msg, all);
	return 0;

cancel:
	nla_nest_cancel(msg, all);
	return -EMSGSIZE;
}

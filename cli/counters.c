// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: counter sections (see counters.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "attrs.h"
#include "clipper.h"
#include "counters.h"
#include "print.h"

/* Indexed by enum clipper_ctr; NULL for ids that are not counters. */
static const char *const cl_counter_names[CLIPPER_CTR_MAX + 1] = {
	[CLIPPER_CTR_PACKETS]	= "packets",
	[CLIPPER_CTR_BYTES]	= "bytes",
	[CLIPPER_CTR_FLOWS]	= "flows",
	[CLIPPER_CTR_MATCHED]	= "matched",
	[CLIPPER_CTR_DEFAULTED]	= "defaulted",
	[CLIPPER_CTR_RANDOM]	= "random",
	[CLIPPER_CTR_NO_MAC]	= "no_mac",
	[CLIPPER_CTR_NO_CT]	= "no_conntrack",
	[CLIPPER_CTR_UNWRITABLE] = "unwritable",
	[CLIPPER_CTR_RECLASSIFIED] = "reclassified",
	[CLIPPER_CTR_SYN]	= "syn",
	[CLIPPER_CTR_MSS_CLAMPED] = "mss_clamped",
	[CLIPPER_CTR_MSS_ADDED]	= "mss_added",
	[CLIPPER_CTR_MALFORMED]	= "malformed",
	[CLIPPER_CTR_RETRANS]	= "retransmits",
	[CLIPPER_CTR_SUSPECT]	= "suspect",
	[CLIPPER_CTR_BLACKHOLE]	= "blackhole",
	[CLIPPER_CTR_REPAIRED]	= "repaired",
	[CLIPPER_CTR_ICMP_SEEN]	= "icmp_seen",
	[CLIPPER_CTR_ICMP_SENT]	= "icmp_sent",
	[CLIPPER_CTR_DF_CLEARED] = "df_cleared",
	[CLIPPER_CTR_TABLE_FULL] = "table_full",
	[CLIPPER_CTR_SACKED] = "sacked",
	[CLIPPER_CTR_TEXT]	= "text",
	[CLIPPER_CTR_BINARY]	= "binary",
	[CLIPPER_CTR_CONTINUATION] = "continuation",
	[CLIPPER_CTR_CLOSE]	= "close",
	[CLIPPER_CTR_PING]	= "ping",
	[CLIPPER_CTR_PONG]	= "pong",
	[CLIPPER_CTR_OTHER]	= "other",
	[CLIPPER_CTR_PAYLOAD_BYTES] = "payload_bytes",
	[CLIPPER_CTR_HEADER_BYTES] = "header_bytes",
	[CLIPPER_CTR_TRACKED]	= "tracked",
	[CLIPPER_CTR_NOT_WS]	= "not_websocket",
	[CLIPPER_CTR_DESYNC]	= "desync",
	[CLIPPER_CTR_EXPIRED]	= "expired",
	[CLIPPER_CTR_HELD]	= "held",
	[CLIPPER_CTR_ICMP_UNRELATED] = "icmp_unrelated",
	[CLIPPER_CTR_PROBES]	= "probes",
	[CLIPPER_CTR_PROBE_PASSED] = "probe_passed",
	[CLIPPER_CTR_OUTAGE]	= "outage",
	[CLIPPER_CTR_REPLAYED]	= "replayed",
	[CLIPPER_CTR_STUCK]	= "stuck",
	[CLIPPER_CTR_RAISED]	= "raised",
	[CLIPPER_CTR_FLOW_FIXED] = "flow_fixed",
	[CLIPPER_CTR_RX_GAPS]	= "rx_gaps",
	[CLIPPER_CTR_RX_PROBES]	= "rx_probes",
	[CLIPPER_CTR_RX_ANSWERS] = "rx_answers",
	[CLIPPER_CTR_RX_OUTAGE]	= "rx_outage",
	[CLIPPER_CTR_UNREPAIRED] = "unrepaired",
};

/* Indexed by enum clipper_stats_attr. */
const char *const cl_section_names[CLIPPER_STATS_A_MAX + 1] = {
	[CLIPPER_STATS_A_TARGET]	= "target",
	[CLIPPER_STATS_A_CLASSIFY]	= "classify",
	[CLIPPER_STATS_A_PMTU]		= "pmtu",
	[CLIPPER_STATS_A_WS]		= "ws",
	[CLIPPER_STATS_A_WS_C2S]	= "ws_c2s",
	[CLIPPER_STATS_A_WS_S2C]	= "ws_s2c",
};

const char *cl_counter_name(uint16_t id, char *buf, size_t len)
{
	if (id <= CLIPPER_CTR_MAX && cl_counter_names[id])
		return cl_counter_names[id];
	snprintf(buf, len, "counter_%u", id);
	return buf;
}

const char *cl_section_name(uint16_t id, char *buf, size_t len)
{
	if (id <= CLIPPER_STATS_A_MAX && cl_section_names[id])
		return cl_section_names[id];
	snprintf(buf, len, "section_%u", id);
	return buf;
}

static int bad(struct cl_nl_err *err, const char *what, uint16_t id)
{
	err->err = EBADMSG;
	snprintf(err->msg, sizeof(err->msg),
		 "malformed reply from the kernel: %s %u", what, id);
	return -EBADMSG;
}

/* Sets counter id; a later duplicate wins, more than fits is dropped. */
static void counters_set(struct cl_counters *cs, uint16_t id, uint64_t val)
{
	unsigned int i;

	for (i = 0; i < cs->n && cs->c[i].id < id; i++)
		;
	if (i < cs->n && cs->c[i].id == id) {
		cs->c[i].val = val;
		return;
	}
	if (cs->n == CL_CTR_SLOTS)
		return;
	memmove(&cs->c[i + 1], &cs->c[i], (cs->n - i) * sizeof(cs->c[0]));
	cs->c[i].id = id;
	cs->c[i].val = val;
	cs->n++;
}

int cl_counters_parse(const struct nlattr *nest, struct cl_counters *cs,
		      struct cl_nl_err *err)
{
	const struct nlattr *a;
	uint16_t id;

	cs->n = 0;
	mnl_attr_for_each_nested(a, nest) {
		id = mnl_attr_get_type(a);
		/* a known number that is no counter: unspec, pad */
		if (id <= CLIPPER_CTR_MAX && cl_ctr_pol[id] != MNL_TYPE_U64)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0) {
			/* every counter is a u64; skip what a newer module
			 * may add in another shape, refuse a known one
			 */
			if (id > CLIPPER_CTR_MAX)
				continue;
			return bad(err, "bad counter", id);
		}
		counters_set(cs, id, mnl_attr_get_u64(a));
	}
	return 0;
}

bool cl_counters_get(const struct cl_counters *cs, uint16_t id, uint64_t *val)
{
	unsigned int i;

	for (i = 0; i < cs->n; i++) {
		if (cs->c[i].id == id) {
			*val = cs->c[i].val;
			return true;
		}
	}
	return false;
}

void cl_counters_show(const char *key, const struct cl_counters *cs,
		      unsigned int width)
{
	const char *name;
	char buf[32];
	unsigned int i;

	print_open_object(key);
	for (i = 0; cs && i < cs->n; i++) {
		name = cl_counter_name(cs->c[i].id, buf, sizeof(buf));
		print_text("    %-*s  ", (int)width, name);
		print_u64(PRINT_ANY, name, "%" PRIu64 "\n", cs->c[i].val);
	}
	print_close_object();
}

unsigned int cl_counters_width(const struct cl_counters *cs)
{
	unsigned int i, w = 0;
	char buf[32];
	size_t len;

	for (i = 0; cs && i < cs->n; i++) {
		len = strlen(cl_counter_name(cs->c[i].id, buf, sizeof(buf)));
		if (len > w)
			w = len;
	}
	return w;
}

int cl_stats_parse(const struct nlattr *nest, struct cl_stats *st,
		   struct cl_nl_err *err)
{
	struct cl_counters *cs = NULL;
	const struct nlattr *a;
	unsigned int i;
	uint16_t id;
	int ret;

	st->n = 0;
	mnl_attr_for_each_nested(a, nest) {
		id = mnl_attr_get_type(a);
		/* a known number that is no section: unspec */
		if (id <= CLIPPER_STATS_A_MAX &&
		    cl_stats_pol[id] != MNL_TYPE_NESTED)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0) {
			if (id > CLIPPER_STATS_A_MAX)
				continue;
			return bad(err, "bad counter section", id);
		}
		for (i = 0; i < st->n && st->sec[i].id < id; i++)
			;
		if (i < st->n && st->sec[i].id == id) {
			cs = &st->sec[i].ctr;
		} else if (st->n < CL_SECTION_SLOTS) {
			memmove(&st->sec[i + 1], &st->sec[i],
				(st->n - i) * sizeof(st->sec[0]));
			st->sec[i].id = id;
			cs = &st->sec[i].ctr;
			st->n++;
		} else {
			continue;
		}
		ret = cl_counters_parse(a, cs, err);
		if (ret)
			return ret;
	}
	return 0;
}

const struct cl_counters *cl_stats_section(const struct cl_stats *st,
					   uint16_t id)
{
	unsigned int i;

	for (i = 0; i < st->n; i++)
		if (st->sec[i].id == id)
			return &st->sec[i].ctr;
	return NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated from Documentation/netlink/specs/clipper.yaml by
 * scripts/ynl-gen-tables.py: do not edit, run "make gen".
 *
 * For each attribute set of the family, what each of its attributes must
 * be, indexed by the attribute: cl_attr_parse() checks a known attribute
 * with mnl_attr_validate() and ignores the MNL_TYPE_UNSPEC ones (unused,
 * pad) and those above the set's max (a newer module's). The max is the
 * uAPI header's; each is asserted to be the spec's. A binary attribute of
 * an exact length in the spec has it here as CL_<SET>_<ATTR>_LEN:
 * MNL_TYPE_BINARY checks no length, the code that reads the attribute
 * does.
 */
#ifndef _CLIPPER_CLI_ATTRS_H
#define _CLIPPER_CLI_ATTRS_H

#include <assert.h>

#include <libmnl/libmnl.h>

#include "clipper.h"

/* clipper: The top-level attributes of every message. */
static_assert(CLIPPER_A_MAX == 11,
	      "CLIPPER_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_clipper_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= MNL_TYPE_U32,
	[CLIPPER_A_VERSION]	= MNL_TYPE_NUL_STRING,
	[CLIPPER_A_RULES]	= MNL_TYPE_NESTED,
	[CLIPPER_A_STATS]	= MNL_TYPE_NESTED,
	[CLIPPER_A_MAC]		= MNL_TYPE_NESTED,
	[CLIPPER_A_CLASS]	= MNL_TYPE_NESTED,
	[CLIPPER_A_CONFIG]	= MNL_TYPE_NESTED,
	[CLIPPER_A_PMTU]	= MNL_TYPE_NESTED,
	[CLIPPER_A_WS]		= MNL_TYPE_NESTED,
	[CLIPPER_A_LIMIT]	= MNL_TYPE_NESTED,
};

/* rules: How many CLIPPER rules in this netns use each option. */
static_assert(CLIPPER_RULES_A_MAX == 5,
	      "CLIPPER_RULES_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_rules_pol[CLIPPER_RULES_A_MAX + 1] = {
	[CLIPPER_RULES_A_TOTAL]		= MNL_TYPE_U32,
	[CLIPPER_RULES_A_CLASSIFY]	= MNL_TYPE_U32,
	[CLIPPER_RULES_A_CLAMP_MSS]	= MNL_TYPE_U32,
	[CLIPPER_RULES_A_PMTU_GUARD]	= MNL_TYPE_U32,
	[CLIPPER_RULES_A_WS_COUNT]	= MNL_TYPE_U32,
};

/*
 * stats: One nest per section; each section is a nest of u64 counters (the
 * ctr set). A section carries only the counters that mean something for
 * it.
 */
static_assert(CLIPPER_STATS_A_MAX == 6,
	      "CLIPPER_STATS_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_stats_pol[CLIPPER_STATS_A_MAX + 1] = {
	[CLIPPER_STATS_A_TARGET]	= MNL_TYPE_NESTED,
	[CLIPPER_STATS_A_CLASSIFY]	= MNL_TYPE_NESTED,
	[CLIPPER_STATS_A_PMTU]		= MNL_TYPE_NESTED,
	[CLIPPER_STATS_A_WS]		= MNL_TYPE_NESTED,
	[CLIPPER_STATS_A_WS_C2S]	= MNL_TYPE_NESTED,
	[CLIPPER_STATS_A_WS_S2C]	= MNL_TYPE_NESTED,
};

/* ctr: The counters of a stats section or of a WebSocket direction. */
static_assert(CLIPPER_CTR_MAX == 51,
	      "CLIPPER_CTR_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_ctr_pol[CLIPPER_CTR_MAX + 1] = {
	[CLIPPER_CTR_PACKETS]		= MNL_TYPE_U64,
	[CLIPPER_CTR_BYTES]		= MNL_TYPE_U64,
	[CLIPPER_CTR_FLOWS]		= MNL_TYPE_U64,
	[CLIPPER_CTR_MATCHED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_DEFAULTED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_RANDOM]		= MNL_TYPE_U64,
	[CLIPPER_CTR_NO_MAC]		= MNL_TYPE_U64,
	[CLIPPER_CTR_NO_CT]		= MNL_TYPE_U64,
	[CLIPPER_CTR_UNWRITABLE]	= MNL_TYPE_U64,
	[CLIPPER_CTR_RECLASSIFIED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_SYN]		= MNL_TYPE_U64,
	[CLIPPER_CTR_MSS_CLAMPED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_MSS_ADDED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_MALFORMED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_RETRANS]		= MNL_TYPE_U64,
	[CLIPPER_CTR_SUSPECT]		= MNL_TYPE_U64,
	[CLIPPER_CTR_BLACKHOLE]		= MNL_TYPE_U64,
	[CLIPPER_CTR_REPAIRED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_ICMP_SEEN]		= MNL_TYPE_U64,
	[CLIPPER_CTR_ICMP_SENT]		= MNL_TYPE_U64,
	[CLIPPER_CTR_DF_CLEARED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_TABLE_FULL]	= MNL_TYPE_U64,
	[CLIPPER_CTR_SACKED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_TEXT]		= MNL_TYPE_U64,
	[CLIPPER_CTR_BINARY]		= MNL_TYPE_U64,
	[CLIPPER_CTR_CONTINUATION]	= MNL_TYPE_U64,
	[CLIPPER_CTR_CLOSE]		= MNL_TYPE_U64,
	[CLIPPER_CTR_PING]		= MNL_TYPE_U64,
	[CLIPPER_CTR_PONG]		= MNL_TYPE_U64,
	[CLIPPER_CTR_OTHER]		= MNL_TYPE_U64,
	[CLIPPER_CTR_PAYLOAD_BYTES]	= MNL_TYPE_U64,
	[CLIPPER_CTR_HEADER_BYTES]	= MNL_TYPE_U64,
	[CLIPPER_CTR_TRACKED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_NOT_WS]		= MNL_TYPE_U64,
	[CLIPPER_CTR_DESYNC]		= MNL_TYPE_U64,
	[CLIPPER_CTR_EXPIRED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_HELD]		= MNL_TYPE_U64,
	[CLIPPER_CTR_ICMP_UNRELATED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_PROBES]		= MNL_TYPE_U64,
	[CLIPPER_CTR_PROBE_PASSED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_OUTAGE]		= MNL_TYPE_U64,
	[CLIPPER_CTR_REPLAYED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_STUCK]		= MNL_TYPE_U64,
	[CLIPPER_CTR_RAISED]		= MNL_TYPE_U64,
	[CLIPPER_CTR_FLOW_FIXED]	= MNL_TYPE_U64,
	[CLIPPER_CTR_RX_GAPS]		= MNL_TYPE_U64,
	[CLIPPER_CTR_RX_PROBES]		= MNL_TYPE_U64,
	[CLIPPER_CTR_RX_ANSWERS]	= MNL_TYPE_U64,
	[CLIPPER_CTR_RX_OUTAGE]		= MNL_TYPE_U64,
	[CLIPPER_CTR_UNREPAIRED]	= MNL_TYPE_U64,
};

/* mac: One entry of the MAC table. */
static_assert(CLIPPER_MAC_A_MAX == 10,
	      "CLIPPER_MAC_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_mac_pol[CLIPPER_MAC_A_MAX + 1] = {
	[CLIPPER_MAC_A_ADDR]		= MNL_TYPE_BINARY,
	[CLIPPER_MAC_A_PREFIX]		= MNL_TYPE_U8,
	[CLIPPER_MAC_A_CLASS]		= MNL_TYPE_U8,
	[CLIPPER_MAC_A_COMMENT]		= MNL_TYPE_NUL_STRING,
	[CLIPPER_MAC_A_PACKETS]		= MNL_TYPE_U64,
	[CLIPPER_MAC_A_BYTES]		= MNL_TYPE_U64,
	[CLIPPER_MAC_A_FLOWS]		= MNL_TYPE_U64,
	[CLIPPER_MAC_A_RANDOM]		= MNL_TYPE_FLAG,
	[CLIPPER_MAC_A_RECLASSIFY]	= MNL_TYPE_FLAG,
};

#define CL_MAC_ADDR_LEN	6	/* CLIPPER_MAC_A_ADDR */

/* class: One class. */
static_assert(CLIPPER_CLASS_A_MAX == 9,
	      "CLIPPER_CLASS_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_class_pol[CLIPPER_CLASS_A_MAX + 1] = {
	[CLIPPER_CLASS_A_ID]		= MNL_TYPE_U8,
	[CLIPPER_CLASS_A_NAME]		= MNL_TYPE_NUL_STRING,
	[CLIPPER_CLASS_A_MARK]		= MNL_TYPE_U32,
	[CLIPPER_CLASS_A_PRIORITY]	= MNL_TYPE_U32,
	[CLIPPER_CLASS_A_PACKETS]	= MNL_TYPE_U64,
	[CLIPPER_CLASS_A_BYTES]		= MNL_TYPE_U64,
	[CLIPPER_CLASS_A_FLOWS]		= MNL_TYPE_U64,
	[CLIPPER_CLASS_A_DSCP]		= MNL_TYPE_U8,
};

/* config: Per-namespace settings. */
static_assert(CLIPPER_CONFIG_A_MAX == 15,
	      "CLIPPER_CONFIG_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_config_pol[CLIPPER_CONFIG_A_MAX + 1] = {
	[CLIPPER_CONFIG_A_DEFAULT_CLASS]	= MNL_TYPE_U8,
	[CLIPPER_CONFIG_A_RANDOM_CLASS]		= MNL_TYPE_U8,
	[CLIPPER_CONFIG_A_MAC_MAX]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_MAC_COUNT]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_MAC_COUNTERS]		= MNL_TYPE_U8,
	[CLIPPER_CONFIG_A_PMTU_MAX]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_PMTU_COUNT]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_PMTU_TIMEOUT]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_PMTU_RETRANS]		= MNL_TYPE_U8,
	[CLIPPER_CONFIG_A_PMTU_WINDOW]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_WS_MAX]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_WS_COUNT]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_WS_ACTIVE]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_WS_TIMEOUT]		= MNL_TYPE_U32,
	[CLIPPER_CONFIG_A_WS_PENDING]		= MNL_TYPE_U32,
};

/* pmtu: A path (a destination) that --pmtu-guard follows. */
static_assert(CLIPPER_PMTU_A_MAX == 21,
	      "CLIPPER_PMTU_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_pmtu_pol[CLIPPER_PMTU_A_MAX + 1] = {
	[CLIPPER_PMTU_A_FAMILY]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_DST]		= MNL_TYPE_BINARY,
	[CLIPPER_PMTU_A_MTU]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STATE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_DETECTED]	= MNL_TYPE_U64,
	[CLIPPER_PMTU_A_FIXES]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_AGE]		= MNL_TYPE_U64,
	[CLIPPER_PMTU_A_DETECTIONS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_ICMP_SENT]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_DF_CLEARED]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_MSS_CLAMPED]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_SCOPE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_LEARNED]	= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_SENDERS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_PASSED]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_OUTAGES]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STUCK_LEN]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STUCK_RESENDS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_SIDE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_UNREPAIRED]	= MNL_TYPE_U32,
};

/*
 * ws: A WebSocket flow (--ws-count), one that completed its upgrade
 * handshake. The addresses and ports are those of the flow's original
 * direction: src is the client.
 */
static_assert(CLIPPER_WS_A_MAX == 10,
	      "CLIPPER_WS_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_ws_pol[CLIPPER_WS_A_MAX + 1] = {
	[CLIPPER_WS_A_FAMILY]	= MNL_TYPE_U8,
	[CLIPPER_WS_A_SRC]	= MNL_TYPE_BINARY,
	[CLIPPER_WS_A_SPORT]	= MNL_TYPE_U16,
	[CLIPPER_WS_A_DST]	= MNL_TYPE_BINARY,
	[CLIPPER_WS_A_DPORT]	= MNL_TYPE_U16,
	[CLIPPER_WS_A_PROTOCOL]	= MNL_TYPE_U8,
	[CLIPPER_WS_A_C2S]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_A_S2C]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_A_IDLE]	= MNL_TYPE_U64,
};

/* ws-dir: One direction of a WebSocket flow. */
static_assert(CLIPPER_WS_DIR_A_MAX == 4,
	      "CLIPPER_WS_DIR_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_ws_dir_pol[CLIPPER_WS_DIR_A_MAX + 1] = {
	[CLIPPER_WS_DIR_A_COUNTERS]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_DIR_A_DESYNC]	= MNL_TYPE_FLAG,
	[CLIPPER_WS_DIR_A_MALFORMED]	= MNL_TYPE_FLAG,
};

/* limit: A table refused an entry (at most one event a second per table). */
static_assert(CLIPPER_LIMIT_A_MAX == 2,
	      "CLIPPER_LIMIT_A_MAX: the uAPI header is not the spec's");
static const enum mnl_attr_data_type cl_limit_pol[CLIPPER_LIMIT_A_MAX + 1] = {
	[CLIPPER_LIMIT_A_TABLE]	= MNL_TYPE_U8,
	[CLIPPER_LIMIT_A_MAX]	= MNL_TYPE_U32,
};

#endif /* _CLIPPER_CLI_ATTRS_H */

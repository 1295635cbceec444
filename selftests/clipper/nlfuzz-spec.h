/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated from Documentation/netlink/specs/clipper.yaml by
 * scripts/ynl-gen-tables.py: do not edit, run "make gen".
 *
 * The family as nlfuzz.c builds its requests from it: the commands (do,
 * dump, event, admin-perm, the top-level attributes of the request) and,
 * per attribute set, every attribute with its type, its nested set, its
 * checks and whether a request may carry it (an attribute of a top-level
 * request, or of a nest that one carries and whose doc does not start with
 * "reply").
 */
#ifndef _NLFUZZ_SPEC_H
#define _NLFUZZ_SPEC_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include "clipper.h"

enum spec_type {
	SPEC_UNUSED,
	SPEC_PAD,
	SPEC_FLAG,
	SPEC_U8,
	SPEC_U16,
	SPEC_U32,
	SPEC_U64,
	SPEC_STRING,
	SPEC_BINARY,
	SPEC_NEST,
};

enum spec_set_id {
	SPEC_SET_CLIPPER,
	SPEC_SET_RULES,
	SPEC_SET_STATS,
	SPEC_SET_CTR,
	SPEC_SET_MAC,
	SPEC_SET_CLASS,
	SPEC_SET_CONFIG,
	SPEC_SET_PMTU,
	SPEC_SET_WS,
	SPEC_SET_WS_DIR,
	SPEC_SET_LIMIT,
	SPEC_NSETS
};

struct spec_attr {
	const char *name;	/* NULL: no attribute of that number */
	enum spec_type type;
	enum spec_set_id nest;	/* the set inside a SPEC_NEST */
	bool request;		/* a request may carry it */
	bool has_min, has_max;
	uint64_t min, max;	/* checks: min, max */
	uint16_t exact_len;	/* checks: exact-len, 0: none */
	uint16_t max_len;	/* checks: max-len, 0: none */
};

struct spec_set {
	const char *name;
	uint16_t max;
	const struct spec_attr *attr;	/* [max + 1] */
};

struct spec_op {
	const char *name;	/* NULL: no command of that number */
	bool do_, dump, event, admin;
	uint64_t request;	/* bit n: top-level attribute n */
};

static const struct spec_attr spec_clipper_attrs[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_A_PROTOCOL] = {
		.name = "protocol", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1,
	},
	[CLIPPER_A_VERSION] = { .name = "version", .type = SPEC_STRING },
	[CLIPPER_A_RULES] = {
		.name = "rules", .type = SPEC_NEST, .nest = SPEC_SET_RULES,
	},
	[CLIPPER_A_STATS] = {
		.name = "stats", .type = SPEC_NEST, .nest = SPEC_SET_STATS,
	},
	[CLIPPER_A_MAC] = {
		.name = "mac", .type = SPEC_NEST, .nest = SPEC_SET_MAC,
		.request = true,
	},
	[CLIPPER_A_CLASS] = {
		.name = "class", .type = SPEC_NEST, .nest = SPEC_SET_CLASS,
		.request = true,
	},
	[CLIPPER_A_CONFIG] = {
		.name = "config", .type = SPEC_NEST, .nest = SPEC_SET_CONFIG,
		.request = true,
	},
	[CLIPPER_A_PMTU] = {
		.name = "pmtu", .type = SPEC_NEST, .nest = SPEC_SET_PMTU,
	},
	[CLIPPER_A_WS] = {
		.name = "ws", .type = SPEC_NEST, .nest = SPEC_SET_WS,
	},
	[CLIPPER_A_LIMIT] = {
		.name = "limit", .type = SPEC_NEST, .nest = SPEC_SET_LIMIT,
	},
};

static const struct spec_attr spec_rules_attrs[CLIPPER_RULES_A_MAX + 1] = {
	[CLIPPER_RULES_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_RULES_A_TOTAL] = { .name = "total", .type = SPEC_U32 },
	[CLIPPER_RULES_A_CLASSIFY] = { .name = "classify", .type = SPEC_U32 },
	[CLIPPER_RULES_A_CLAMP_MSS] = { .name = "clamp-mss", .type = SPEC_U32 },
	[CLIPPER_RULES_A_PMTU_GUARD] = {
		.name = "pmtu-guard", .type = SPEC_U32,
	},
	[CLIPPER_RULES_A_WS_COUNT] = { .name = "ws-count", .type = SPEC_U32 },
};

static const struct spec_attr spec_stats_attrs[CLIPPER_STATS_A_MAX + 1] = {
	[CLIPPER_STATS_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_STATS_A_TARGET] = {
		.name = "target", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_STATS_A_CLASSIFY] = {
		.name = "classify", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_STATS_A_PMTU] = {
		.name = "pmtu", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_STATS_A_WS] = {
		.name = "ws", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_STATS_A_WS_C2S] = {
		.name = "ws-c2s", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_STATS_A_WS_S2C] = {
		.name = "ws-s2c", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
};

static const struct spec_attr spec_ctr_attrs[CLIPPER_CTR_MAX + 1] = {
	[CLIPPER_CTR_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_CTR_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_CTR_PACKETS] = { .name = "packets", .type = SPEC_U64 },
	[CLIPPER_CTR_BYTES] = { .name = "bytes", .type = SPEC_U64 },
	[CLIPPER_CTR_FLOWS] = { .name = "flows", .type = SPEC_U64 },
	[CLIPPER_CTR_MATCHED] = { .name = "matched", .type = SPEC_U64 },
	[CLIPPER_CTR_DEFAULTED] = { .name = "defaulted", .type = SPEC_U64 },
	[CLIPPER_CTR_RANDOM] = { .name = "random", .type = SPEC_U64 },
	[CLIPPER_CTR_NO_MAC] = { .name = "no-mac", .type = SPEC_U64 },
	[CLIPPER_CTR_NO_CT] = { .name = "no-ct", .type = SPEC_U64 },
	[CLIPPER_CTR_UNWRITABLE] = { .name = "unwritable", .type = SPEC_U64 },
	[CLIPPER_CTR_RECLASSIFIED] = {
		.name = "reclassified", .type = SPEC_U64,
	},
	[CLIPPER_CTR_SYN] = { .name = "syn", .type = SPEC_U64 },
	[CLIPPER_CTR_MSS_CLAMPED] = { .name = "mss-clamped", .type = SPEC_U64 },
	[CLIPPER_CTR_MSS_ADDED] = { .name = "mss-added", .type = SPEC_U64 },
	[CLIPPER_CTR_MALFORMED] = { .name = "malformed", .type = SPEC_U64 },
	[CLIPPER_CTR_RETRANS] = { .name = "retrans", .type = SPEC_U64 },
	[CLIPPER_CTR_SUSPECT] = { .name = "suspect", .type = SPEC_U64 },
	[CLIPPER_CTR_BLACKHOLE] = { .name = "blackhole", .type = SPEC_U64 },
	[CLIPPER_CTR_REPAIRED] = { .name = "repaired", .type = SPEC_U64 },
	[CLIPPER_CTR_ICMP_SEEN] = { .name = "icmp-seen", .type = SPEC_U64 },
	[CLIPPER_CTR_ICMP_SENT] = { .name = "icmp-sent", .type = SPEC_U64 },
	[CLIPPER_CTR_DF_CLEARED] = { .name = "df-cleared", .type = SPEC_U64 },
	[CLIPPER_CTR_TABLE_FULL] = { .name = "table-full", .type = SPEC_U64 },
	[CLIPPER_CTR_SACKED] = { .name = "sacked", .type = SPEC_U64 },
	[CLIPPER_CTR_TEXT] = { .name = "text", .type = SPEC_U64 },
	[CLIPPER_CTR_BINARY] = { .name = "binary", .type = SPEC_U64 },
	[CLIPPER_CTR_CONTINUATION] = {
		.name = "continuation", .type = SPEC_U64,
	},
	[CLIPPER_CTR_CLOSE] = { .name = "close", .type = SPEC_U64 },
	[CLIPPER_CTR_PING] = { .name = "ping", .type = SPEC_U64 },
	[CLIPPER_CTR_PONG] = { .name = "pong", .type = SPEC_U64 },
	[CLIPPER_CTR_OTHER] = { .name = "other", .type = SPEC_U64 },
	[CLIPPER_CTR_PAYLOAD_BYTES] = {
		.name = "payload-bytes", .type = SPEC_U64,
	},
	[CLIPPER_CTR_HEADER_BYTES] = {
		.name = "header-bytes", .type = SPEC_U64,
	},
	[CLIPPER_CTR_TRACKED] = { .name = "tracked", .type = SPEC_U64 },
	[CLIPPER_CTR_NOT_WS] = { .name = "not-ws", .type = SPEC_U64 },
	[CLIPPER_CTR_DESYNC] = { .name = "desync", .type = SPEC_U64 },
	[CLIPPER_CTR_EXPIRED] = { .name = "expired", .type = SPEC_U64 },
	[CLIPPER_CTR_HELD] = { .name = "held", .type = SPEC_U64 },
	[CLIPPER_CTR_ICMP_UNRELATED] = {
		.name = "icmp-unrelated", .type = SPEC_U64,
	},
	[CLIPPER_CTR_PROBES] = { .name = "probes", .type = SPEC_U64 },
	[CLIPPER_CTR_PROBE_PASSED] = {
		.name = "probe-passed", .type = SPEC_U64,
	},
	[CLIPPER_CTR_OUTAGE] = { .name = "outage", .type = SPEC_U64 },
	[CLIPPER_CTR_REPLAYED] = { .name = "replayed", .type = SPEC_U64 },
	[CLIPPER_CTR_STUCK] = { .name = "stuck", .type = SPEC_U64 },
	[CLIPPER_CTR_RAISED] = { .name = "raised", .type = SPEC_U64 },
	[CLIPPER_CTR_FLOW_FIXED] = { .name = "flow-fixed", .type = SPEC_U64 },
	[CLIPPER_CTR_RX_GAPS] = { .name = "rx-gaps", .type = SPEC_U64 },
	[CLIPPER_CTR_RX_PROBES] = { .name = "rx-probes", .type = SPEC_U64 },
	[CLIPPER_CTR_RX_ANSWERS] = { .name = "rx-answers", .type = SPEC_U64 },
	[CLIPPER_CTR_RX_OUTAGE] = { .name = "rx-outage", .type = SPEC_U64 },
	[CLIPPER_CTR_UNREPAIRED] = { .name = "unrepaired", .type = SPEC_U64 },
};

static const struct spec_attr spec_mac_attrs[CLIPPER_MAC_A_MAX + 1] = {
	[CLIPPER_MAC_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_MAC_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_MAC_A_ADDR] = {
		.name = "addr", .type = SPEC_BINARY, .request = true,
		.exact_len = 6,
	},
	[CLIPPER_MAC_A_PREFIX] = {
		.name = "prefix", .type = SPEC_U8, .request = true,
		.has_min = true, .min = 1, .has_max = true, .max = 48,
	},
	[CLIPPER_MAC_A_CLASS] = {
		.name = "class", .type = SPEC_U8, .request = true,
		.has_min = true, .min = 1, .has_max = true, .max = 5,
	},
	[CLIPPER_MAC_A_COMMENT] = {
		.name = "comment", .type = SPEC_STRING, .request = true,
		.max_len = 63,
	},
	[CLIPPER_MAC_A_PACKETS] = { .name = "packets", .type = SPEC_U64 },
	[CLIPPER_MAC_A_BYTES] = { .name = "bytes", .type = SPEC_U64 },
	[CLIPPER_MAC_A_FLOWS] = { .name = "flows", .type = SPEC_U64 },
	[CLIPPER_MAC_A_RANDOM] = { .name = "random", .type = SPEC_FLAG },
	[CLIPPER_MAC_A_RECLASSIFY] = {
		.name = "reclassify", .type = SPEC_FLAG, .request = true,
	},
};

static const struct spec_attr spec_class_attrs[CLIPPER_CLASS_A_MAX + 1] = {
	[CLIPPER_CLASS_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_CLASS_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_CLASS_A_ID] = {
		.name = "id", .type = SPEC_U8, .request = true, .has_min = true,
		.min = 1, .has_max = true, .max = 5,
	},
	[CLIPPER_CLASS_A_NAME] = { .name = "name", .type = SPEC_STRING },
	[CLIPPER_CLASS_A_MARK] = {
		.name = "mark", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1,
	},
	[CLIPPER_CLASS_A_PRIORITY] = {
		.name = "priority", .type = SPEC_U32, .request = true,
	},
	[CLIPPER_CLASS_A_PACKETS] = { .name = "packets", .type = SPEC_U64 },
	[CLIPPER_CLASS_A_BYTES] = { .name = "bytes", .type = SPEC_U64 },
	[CLIPPER_CLASS_A_FLOWS] = { .name = "flows", .type = SPEC_U64 },
	[CLIPPER_CLASS_A_DSCP] = {
		.name = "dscp", .type = SPEC_U8, .request = true,
	},
};

static const struct spec_attr spec_config_attrs[CLIPPER_CONFIG_A_MAX + 1] = {
	[CLIPPER_CONFIG_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_CONFIG_A_DEFAULT_CLASS] = {
		.name = "default-class", .type = SPEC_U8, .request = true,
		.has_min = true, .min = 1, .has_max = true, .max = 5,
	},
	[CLIPPER_CONFIG_A_RANDOM_CLASS] = {
		.name = "random-class", .type = SPEC_U8, .request = true,
		.has_min = true, .min = 1, .has_max = true, .max = 5,
	},
	[CLIPPER_CONFIG_A_MAC_MAX] = {
		.name = "mac-max", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1,
	},
	[CLIPPER_CONFIG_A_MAC_COUNT] = {
		.name = "mac-count", .type = SPEC_U32,
	},
	[CLIPPER_CONFIG_A_MAC_COUNTERS] = {
		.name = "mac-counters", .type = SPEC_U8, .request = true,
		.has_max = true, .max = 1,
	},
	[CLIPPER_CONFIG_A_PMTU_MAX] = {
		.name = "pmtu-max", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1,
	},
	[CLIPPER_CONFIG_A_PMTU_COUNT] = {
		.name = "pmtu-count", .type = SPEC_U32,
	},
	[CLIPPER_CONFIG_A_PMTU_TIMEOUT] = {
		.name = "pmtu-timeout", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1000,
	},
	[CLIPPER_CONFIG_A_PMTU_RETRANS] = {
		.name = "pmtu-retrans", .type = SPEC_U8, .request = true,
		.has_min = true, .min = 1, .has_max = true, .max = 10,
	},
	[CLIPPER_CONFIG_A_PMTU_WINDOW] = {
		.name = "pmtu-window", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 100,
	},
	[CLIPPER_CONFIG_A_WS_MAX] = {
		.name = "ws-max", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1,
	},
	[CLIPPER_CONFIG_A_WS_COUNT] = { .name = "ws-count", .type = SPEC_U32 },
	[CLIPPER_CONFIG_A_WS_ACTIVE] = {
		.name = "ws-active", .type = SPEC_U32,
	},
	[CLIPPER_CONFIG_A_WS_TIMEOUT] = {
		.name = "ws-timeout", .type = SPEC_U32, .request = true,
		.has_min = true, .min = 1000,
	},
	[CLIPPER_CONFIG_A_WS_PENDING] = {
		.name = "ws-pending", .type = SPEC_U32,
	},
};

static const struct spec_attr spec_pmtu_attrs[CLIPPER_PMTU_A_MAX + 1] = {
	[CLIPPER_PMTU_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_PMTU_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_PMTU_A_FAMILY] = { .name = "family", .type = SPEC_U8 },
	[CLIPPER_PMTU_A_DST] = { .name = "dst", .type = SPEC_BINARY },
	[CLIPPER_PMTU_A_MTU] = { .name = "mtu", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_STATE] = { .name = "state", .type = SPEC_U8 },
	[CLIPPER_PMTU_A_DETECTED] = { .name = "detected", .type = SPEC_U64 },
	[CLIPPER_PMTU_A_FIXES] = { .name = "fixes", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_AGE] = { .name = "age", .type = SPEC_U64 },
	[CLIPPER_PMTU_A_DETECTIONS] = {
		.name = "detections", .type = SPEC_U32,
	},
	[CLIPPER_PMTU_A_ICMP_SENT] = { .name = "icmp-sent", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_DF_CLEARED] = {
		.name = "df-cleared", .type = SPEC_U32,
	},
	[CLIPPER_PMTU_A_MSS_CLAMPED] = {
		.name = "mss-clamped", .type = SPEC_U32,
	},
	[CLIPPER_PMTU_A_SCOPE] = { .name = "scope", .type = SPEC_U8 },
	[CLIPPER_PMTU_A_LEARNED] = { .name = "learned", .type = SPEC_U8 },
	[CLIPPER_PMTU_A_SENDERS] = { .name = "senders", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_PASSED] = { .name = "passed", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_OUTAGES] = { .name = "outages", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_STUCK_LEN] = { .name = "stuck-len", .type = SPEC_U32 },
	[CLIPPER_PMTU_A_STUCK_RESENDS] = {
		.name = "stuck-resends", .type = SPEC_U32,
	},
	[CLIPPER_PMTU_A_SIDE] = { .name = "side", .type = SPEC_U8 },
	[CLIPPER_PMTU_A_UNREPAIRED] = {
		.name = "unrepaired", .type = SPEC_U32,
	},
};

static const struct spec_attr spec_ws_attrs[CLIPPER_WS_A_MAX + 1] = {
	[CLIPPER_WS_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_WS_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_WS_A_FAMILY] = { .name = "family", .type = SPEC_U8 },
	[CLIPPER_WS_A_SRC] = { .name = "src", .type = SPEC_BINARY },
	[CLIPPER_WS_A_SPORT] = { .name = "sport", .type = SPEC_U16 },
	[CLIPPER_WS_A_DST] = { .name = "dst", .type = SPEC_BINARY },
	[CLIPPER_WS_A_DPORT] = { .name = "dport", .type = SPEC_U16 },
	[CLIPPER_WS_A_PROTOCOL] = { .name = "protocol", .type = SPEC_U8 },
	[CLIPPER_WS_A_C2S] = {
		.name = "c2s", .type = SPEC_NEST, .nest = SPEC_SET_WS_DIR,
	},
	[CLIPPER_WS_A_S2C] = {
		.name = "s2c", .type = SPEC_NEST, .nest = SPEC_SET_WS_DIR,
	},
	[CLIPPER_WS_A_IDLE] = { .name = "idle", .type = SPEC_U64 },
};

static const struct spec_attr spec_ws_dir_attrs[CLIPPER_WS_DIR_A_MAX + 1] = {
	[CLIPPER_WS_DIR_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_WS_DIR_A_PAD] = { .name = "pad", .type = SPEC_PAD },
	[CLIPPER_WS_DIR_A_COUNTERS] = {
		.name = "counters", .type = SPEC_NEST, .nest = SPEC_SET_CTR,
	},
	[CLIPPER_WS_DIR_A_DESYNC] = { .name = "desync", .type = SPEC_FLAG },
	[CLIPPER_WS_DIR_A_MALFORMED] = {
		.name = "malformed", .type = SPEC_FLAG,
	},
};

static const struct spec_attr spec_limit_attrs[CLIPPER_LIMIT_A_MAX + 1] = {
	[CLIPPER_LIMIT_A_UNSPEC] = { .name = "unspec", .type = SPEC_UNUSED },
	[CLIPPER_LIMIT_A_TABLE] = { .name = "table", .type = SPEC_U8 },
	[CLIPPER_LIMIT_A_MAX] = { .name = "max", .type = SPEC_U32 },
};

static const struct spec_set spec_sets[SPEC_NSETS] = {
	[SPEC_SET_CLIPPER] = {
		.name = "clipper", .max = CLIPPER_A_MAX,
		.attr = spec_clipper_attrs,
	},
	[SPEC_SET_RULES] = {
		.name = "rules", .max = CLIPPER_RULES_A_MAX,
		.attr = spec_rules_attrs,
	},
	[SPEC_SET_STATS] = {
		.name = "stats", .max = CLIPPER_STATS_A_MAX,
		.attr = spec_stats_attrs,
	},
	[SPEC_SET_CTR] = {
		.name = "ctr", .max = CLIPPER_CTR_MAX, .attr = spec_ctr_attrs,
	},
	[SPEC_SET_MAC] = {
		.name = "mac", .max = CLIPPER_MAC_A_MAX, .attr = spec_mac_attrs,
	},
	[SPEC_SET_CLASS] = {
		.name = "class", .max = CLIPPER_CLASS_A_MAX,
		.attr = spec_class_attrs,
	},
	[SPEC_SET_CONFIG] = {
		.name = "config", .max = CLIPPER_CONFIG_A_MAX,
		.attr = spec_config_attrs,
	},
	[SPEC_SET_PMTU] = {
		.name = "pmtu", .max = CLIPPER_PMTU_A_MAX,
		.attr = spec_pmtu_attrs,
	},
	[SPEC_SET_WS] = {
		.name = "ws", .max = CLIPPER_WS_A_MAX, .attr = spec_ws_attrs,
	},
	[SPEC_SET_WS_DIR] = {
		.name = "ws-dir", .max = CLIPPER_WS_DIR_A_MAX,
		.attr = spec_ws_dir_attrs,
	},
	[SPEC_SET_LIMIT] = {
		.name = "limit", .max = CLIPPER_LIMIT_A_MAX,
		.attr = spec_limit_attrs,
	},
};

static_assert(CLIPPER_CMD_MAX == 17,
	      "CLIPPER_CMD_MAX: the uAPI header is not the spec's");
static const struct spec_op spec_ops[CLIPPER_CMD_MAX + 1] = {
	[CLIPPER_CMD_UNSPEC] = { .name = "unspec" },
	[CLIPPER_CMD_VERSION_GET] = {
		.name = "version_get", .do_ = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_STATUS_GET] = {
		.name = "status_get", .do_ = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_STATS_GET] = {
		.name = "stats_get", .do_ = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_STATS_RESET] = {
		.name = "stats_reset", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_MAC_ADD] = {
		.name = "mac_add", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL | 1ULL << CLIPPER_A_MAC,
	},
	[CLIPPER_CMD_MAC_DEL] = {
		.name = "mac_del", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL | 1ULL << CLIPPER_A_MAC,
	},
	[CLIPPER_CMD_MAC_GET] = {
		.name = "mac_get", .dump = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_MAC_FLUSH] = {
		.name = "mac_flush", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL | 1ULL << CLIPPER_A_MAC,
	},
	[CLIPPER_CMD_CLASS_GET] = {
		.name = "class_get", .dump = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_CLASS_SET] = {
		.name = "class_set", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL | 1ULL << CLIPPER_A_CLASS,
	},
	[CLIPPER_CMD_CONFIG_GET] = {
		.name = "config_get", .do_ = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_CONFIG_SET] = {
		.name = "config_set", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL |
			   1ULL << CLIPPER_A_CONFIG,
	},
	[CLIPPER_CMD_PMTU_GET] = {
		.name = "pmtu_get", .dump = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_PMTU_FLUSH] = {
		.name = "pmtu_flush", .do_ = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_PMTU_EVENT] = { .name = "pmtu_event", .event = true },
	[CLIPPER_CMD_WS_GET] = {
		.name = "ws_get", .dump = true, .admin = true,
		.request = 1ULL << CLIPPER_A_PROTOCOL,
	},
	[CLIPPER_CMD_LIMIT_EVENT] = { .name = "limit_event", .event = true },
};

#endif /* _NLFUZZ_SPEC_H */

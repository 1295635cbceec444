/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clipper: the generic netlink protocol of the "clipper" family.
 *
 * Documentation/netlink/specs/clipper.yaml (a YNL spec) is the protocol's
 * source; Documentation/netlink.rst describes each command's request and
 * reply.  This header stays written by hand (ynl-gen-c would turn
 * CLIPPER_PRIORITY_UNCHANGED into a long), and scripts/test-ynl.sh checks
 * that it defines the same names with the same values as the header
 * ynl-gen-c generates from the spec: change both together.
 * Rules for growing it: attribute and command numbers are never reused or
 * renumbered, new ones are appended before the __*_MAX sentinels.
 */
#ifndef _UAPI_CLIPPER_H
#define _UAPI_CLIPPER_H

#define CLIPPER_GENL_NAME		"clipper"
#define CLIPPER_GENL_VERSION		1
#define CLIPPER_GENL_MCGRP_MONITOR	"monitor"

/*
 * Protocol version, carried in CLIPPER_A_PROTOCOL.  A request may carry the
 * version the client speaks; the kernel refuses a newer one it does not
 * understand, and every reply carries the kernel's.
 */
#define CLIPPER_PROTOCOL		1

enum clipper_cmd {
	CLIPPER_CMD_UNSPEC,
	CLIPPER_CMD_VERSION_GET,	/* do: version and protocol */
	CLIPPER_CMD_STATUS_GET,		/* do: rules per feature, counters */
	CLIPPER_CMD_STATS_GET,		/* do: every counter section */
	CLIPPER_CMD_STATS_RESET,	/* do, admin: zero the counters */
	CLIPPER_CMD_MAC_ADD,		/* do, admin: CLIPPER_A_MAC */
	CLIPPER_CMD_MAC_DEL,		/* do, admin: CLIPPER_A_MAC (ADDR, PREFIX) */
	CLIPPER_CMD_MAC_GET,		/* dump: one CLIPPER_A_MAC a message */
	CLIPPER_CMD_MAC_FLUSH,		/* do, admin */
	CLIPPER_CMD_CLASS_GET,		/* dump: one CLIPPER_A_CLASS a message */
	CLIPPER_CMD_CLASS_SET,		/* do, admin: CLIPPER_A_CLASS */
	CLIPPER_CMD_CONFIG_GET,		/* do: CLIPPER_A_CONFIG */
	CLIPPER_CMD_CONFIG_SET,		/* do, admin: CLIPPER_A_CONFIG */
	CLIPPER_CMD_PMTU_GET,		/* dump: one CLIPPER_A_PMTU a message */
	CLIPPER_CMD_PMTU_FLUSH,		/* do, admin: forget every path */
	CLIPPER_CMD_PMTU_EVENT,		/* multicast "monitor": CLIPPER_A_PMTU */
	CLIPPER_CMD_WS_GET,		/* dump: one CLIPPER_A_WS a message */
	CLIPPER_CMD_LIMIT_EVENT,	/* multicast "monitor": CLIPPER_A_LIMIT */
	__CLIPPER_CMD_MAX
};

#define CLIPPER_CMD_MAX (__CLIPPER_CMD_MAX - 1)

enum clipper_attr {
	CLIPPER_A_UNSPEC,
	CLIPPER_A_PAD,
	CLIPPER_A_PROTOCOL,	/* u32 */
	CLIPPER_A_VERSION,	/* string: module version */
	CLIPPER_A_RULES,	/* nest: enum clipper_rules_attr */
	CLIPPER_A_STATS,	/* nest: enum clipper_stats_attr */
	CLIPPER_A_MAC,		/* nest: enum clipper_mac_attr */
	CLIPPER_A_CLASS,	/* nest: enum clipper_class_attr */
	CLIPPER_A_CONFIG,	/* nest: enum clipper_config_attr */
	CLIPPER_A_PMTU,		/* nest: enum clipper_pmtu_attr */
	CLIPPER_A_WS,		/* nest: enum clipper_ws_attr */
	CLIPPER_A_LIMIT,	/* nest: enum clipper_limit_attr */
	__CLIPPER_A_MAX
};

#define CLIPPER_A_MAX (__CLIPPER_A_MAX - 1)

/* CLIPPER_A_RULES: how many CLIPPER rules in this netns use each option */
enum clipper_rules_attr {
	CLIPPER_RULES_A_UNSPEC,
	CLIPPER_RULES_A_TOTAL,		/* u32: every CLIPPER rule */
	CLIPPER_RULES_A_CLASSIFY,	/* u32 */
	CLIPPER_RULES_A_CLAMP_MSS,	/* u32 */
	CLIPPER_RULES_A_PMTU_GUARD,	/* u32 */
	CLIPPER_RULES_A_WS_COUNT,	/* u32 */
	__CLIPPER_RULES_A_MAX
};

#define CLIPPER_RULES_A_MAX (__CLIPPER_RULES_A_MAX - 1)

/*
 * CLIPPER_A_STATS: one nest per section; each section is a nest of u64
 * counters numbered by enum clipper_ctr.  A section carries only the
 * counters that mean something for it.
 */
enum clipper_stats_attr {
	CLIPPER_STATS_A_UNSPEC,
	CLIPPER_STATS_A_TARGET,		/* nest: every packet the target saw */
	CLIPPER_STATS_A_CLASSIFY,	/* nest */
	CLIPPER_STATS_A_PMTU,		/* nest */
	CLIPPER_STATS_A_WS,		/* nest */
	CLIPPER_STATS_A_WS_C2S,		/* nest: frames client to server */
	CLIPPER_STATS_A_WS_S2C,		/* nest: frames server to client */
	__CLIPPER_STATS_A_MAX
};

#define CLIPPER_STATS_A_MAX (__CLIPPER_STATS_A_MAX - 1)

enum clipper_ctr {
	CLIPPER_CTR_UNSPEC,
	CLIPPER_CTR_PAD,
	CLIPPER_CTR_PACKETS,		/* u64: packets seen */
	CLIPPER_CTR_BYTES,		/* u64: bytes seen (IP length) */
	CLIPPER_CTR_FLOWS,		/* u64: new flows classified */
	CLIPPER_CTR_MATCHED,		/* u64: ... by a MAC table entry */
	CLIPPER_CTR_DEFAULTED,		/* u64: ... by the default class */
	CLIPPER_CTR_RANDOM,		/* u64: ... by the random-MAC class */
	CLIPPER_CTR_NO_MAC,		/* u64: new flows without a MAC header */
	CLIPPER_CTR_NO_CT,		/* u64: packets without conntrack */
	CLIPPER_CTR_UNWRITABLE,		/* u64: packets not rewritable (DSCP) */
	CLIPPER_CTR_RECLASSIFIED,	/* u64: flows whose class was dropped */
	CLIPPER_CTR_SYN,		/* u64: SYNs and SYN/ACKs seen (pmtu) */
	CLIPPER_CTR_MSS_CLAMPED,	/* u64: MSS options lowered */
	CLIPPER_CTR_MSS_ADDED,		/* u64: MSS options added */
	CLIPPER_CTR_MALFORMED,		/* u64: bad TCP headers or options */
	CLIPPER_CTR_RETRANS,		/* u64: full-size segments sent again */
	CLIPPER_CTR_SUSPECT,		/* u64: paths that turned suspect */
	CLIPPER_CTR_BLACKHOLE,		/* u64: black holes found (and steps) */
	CLIPPER_CTR_REPAIRED,		/* u64: black-hole paths back to ok */
	CLIPPER_CTR_ICMP_SEEN,		/* u64: frag-needed / PTB seen */
	CLIPPER_CTR_ICMP_SENT,		/* u64: frag-needed / PTB sent */
	CLIPPER_CTR_DF_CLEARED,		/* u64: packets whose DF was cleared */
	CLIPPER_CTR_TABLE_FULL,		/* u64: paths not tracked: table full */
	CLIPPER_CTR_SACKED,		/* u64: suspects cleared by a SACK */
	CLIPPER_CTR_TEXT,		/* u64: WebSocket frames, per opcode */
	CLIPPER_CTR_BINARY,		/* u64 */
	CLIPPER_CTR_CONTINUATION,	/* u64 */
	CLIPPER_CTR_CLOSE,		/* u64 */
	CLIPPER_CTR_PING,		/* u64 */
	CLIPPER_CTR_PONG,		/* u64 */
	CLIPPER_CTR_OTHER,		/* u64: reserved opcodes, hixie types */
	CLIPPER_CTR_PAYLOAD_BYTES,	/* u64: frame payload bytes */
	CLIPPER_CTR_HEADER_BYTES,	/* u64: frame header bytes */
	CLIPPER_CTR_TRACKED,		/* u64: TCP flows looked at (ws) */
	CLIPPER_CTR_NOT_WS,		/* u64: ... found not to be WebSocket */
	CLIPPER_CTR_DESYNC,		/* u64: directions that lost the stream */
	CLIPPER_CTR_EXPIRED,		/* u64: flows forgotten when idle */
	CLIPPER_CTR_HELD,		/* u64: segments held back (reordered) */
	CLIPPER_CTR_ICMP_UNRELATED,	/* u64: frag-needed / PTB about no flow */
	CLIPPER_CTR_PROBES,		/* u64: smaller copies of a resend sent */
	CLIPPER_CTR_PROBE_PASSED,	/* u64: ... acknowledged, the large one not */
	CLIPPER_CTR_OUTAGE,		/* u64: resends that were an outage or loss */
	CLIPPER_CTR_REPLAYED,		/* u64: resends of acknowledged data */
	CLIPPER_CTR_STUCK,		/* u64: stuck segments found */
	CLIPPER_CTR_RAISED,		/* u64: path MTUs raised again */
	CLIPPER_CTR_FLOW_FIXED,		/* u64: flows repaired (black hole or stuck) */
	CLIPPER_CTR_RX_GAPS,		/* u64: receiving side: episodes opened */
	CLIPPER_CTR_RX_PROBES,		/* u64: ... probes sent to the sender */
	CLIPPER_CTR_RX_ANSWERS,		/* u64: ... answers that confirmed */
	CLIPPER_CTR_RX_OUTAGE,		/* u64: ... probes nothing answered */
	CLIPPER_CTR_UNREPAIRED,		/* u64: flows the ICMP did not repair */
	__CLIPPER_CTR_MAX
};

#define CLIPPER_CTR_MAX (__CLIPPER_CTR_MAX - 1)

/*
 * Classes.  Their default marks are DD-WRT's (exempt 100, premium 10,
 * express 20, standard 30, bulk 40); mark and priority can be changed.
 */
enum clipper_class {
	CLIPPER_CLASS_NONE,		/* unclassified: mark 0 */
	CLIPPER_CLASS_EXEMPT,
	CLIPPER_CLASS_PREMIUM,
	CLIPPER_CLASS_EXPRESS,
	CLIPPER_CLASS_STANDARD,
	CLIPPER_CLASS_BULK,
	__CLIPPER_CLASS_MAX
};

#define CLIPPER_CLASS_MAX (__CLIPPER_CLASS_MAX - 1)
/* CLIPPER_CLASS_A_PRIORITY value meaning "leave skb->priority alone" */
#define CLIPPER_PRIORITY_UNCHANGED	0xffffffffU
/* CLIPPER_CLASS_A_DSCP value meaning "leave the DS field alone" */
#define CLIPPER_DSCP_UNCHANGED		0xff

/* CLIPPER_A_MAC: one entry of the MAC table */
enum clipper_mac_attr {
	CLIPPER_MAC_A_UNSPEC,
	CLIPPER_MAC_A_PAD,
	CLIPPER_MAC_A_ADDR,		/* binary, ETH_ALEN */
	CLIPPER_MAC_A_PREFIX,		/* u8, 1..48; 48 when absent */
	CLIPPER_MAC_A_CLASS,		/* u8, enum clipper_class (not NONE) */
	CLIPPER_MAC_A_COMMENT,		/* string, at most 63 bytes */
	CLIPPER_MAC_A_PACKETS,		/* u64, reply */
	CLIPPER_MAC_A_BYTES,		/* u64, reply */
	CLIPPER_MAC_A_FLOWS,		/* u64, reply: flows classified */
	CLIPPER_MAC_A_RANDOM,		/* flag, reply: locally administered */
	CLIPPER_MAC_A_RECLASSIFY,	/* flag, del/flush: running flows too */
	__CLIPPER_MAC_A_MAX
};

#define CLIPPER_MAC_A_MAX (__CLIPPER_MAC_A_MAX - 1)
#define CLIPPER_COMMENT_MAX	64	/* with the NUL */

/* CLIPPER_A_CLASS: one class */
enum clipper_class_attr {
	CLIPPER_CLASS_A_UNSPEC,
	CLIPPER_CLASS_A_PAD,
	CLIPPER_CLASS_A_ID,		/* u8, enum clipper_class */
	CLIPPER_CLASS_A_NAME,		/* string, reply */
	CLIPPER_CLASS_A_MARK,		/* u32, non-zero */
	CLIPPER_CLASS_A_PRIORITY,	/* u32, or CLIPPER_PRIORITY_UNCHANGED */
	CLIPPER_CLASS_A_PACKETS,	/* u64, reply */
	CLIPPER_CLASS_A_BYTES,		/* u64, reply */
	CLIPPER_CLASS_A_FLOWS,		/* u64, reply */
	CLIPPER_CLASS_A_DSCP,		/* u8: 0..63, or CLIPPER_DSCP_UNCHANGED */
	__CLIPPER_CLASS_A_MAX
};

#define CLIPPER_CLASS_A_MAX (__CLIPPER_CLASS_A_MAX - 1)

/* CLIPPER_A_CONFIG: per-namespace settings */
enum clipper_config_attr {
	CLIPPER_CONFIG_A_UNSPEC,
	CLIPPER_CONFIG_A_DEFAULT_CLASS,	/* u8: class of MACs with no entry */
	CLIPPER_CONFIG_A_RANDOM_CLASS,	/* u8: same, for random (local) MACs */
	CLIPPER_CONFIG_A_MAC_MAX,	/* u32: MAC table limit */
	CLIPPER_CONFIG_A_MAC_COUNT,	/* u32, reply: entries now */
	CLIPPER_CONFIG_A_MAC_COUNTERS,	/* u8 0/1: per-MAC packets and bytes */
	CLIPPER_CONFIG_A_PMTU_MAX,	/* u32: path table limit */
	CLIPPER_CONFIG_A_PMTU_COUNT,	/* u32, reply: paths now */
	CLIPPER_CONFIG_A_PMTU_TIMEOUT,	/* u32: ms a path is kept unchanged */
	CLIPPER_CONFIG_A_PMTU_RETRANS,	/* u8: confirmations that make a hole */
	CLIPPER_CONFIG_A_PMTU_WINDOW,	/* u32: ms an idle episode lasts */
	CLIPPER_CONFIG_A_WS_MAX,	/* u32: WebSocket flow table limit */
	CLIPPER_CONFIG_A_WS_COUNT,	/* u32, reply: flows tracked now */
	CLIPPER_CONFIG_A_WS_ACTIVE,	/* u32, reply: ... of them upgraded */
	CLIPPER_CONFIG_A_WS_TIMEOUT,	/* u32: ms an idle flow is kept */
	CLIPPER_CONFIG_A_WS_PENDING,	/* u32, reply: ... of WS_COUNT, no payload yet */
	__CLIPPER_CONFIG_A_MAX
};

#define CLIPPER_CONFIG_A_MAX (__CLIPPER_CONFIG_A_MAX - 1)
#define CLIPPER_MAC_MAX_DEFAULT	65536

/* CLIPPER_A_PMTU: a path (a destination) that --pmtu-guard follows */
enum clipper_pmtu_attr {
	CLIPPER_PMTU_A_UNSPEC,
	CLIPPER_PMTU_A_PAD,
	CLIPPER_PMTU_A_FAMILY,		/* u8: AF_INET or AF_INET6 */
	CLIPPER_PMTU_A_DST,		/* binary: 4 or 16 bytes */
	CLIPPER_PMTU_A_MTU,		/* u32: learned path MTU, 0: none */
	CLIPPER_PMTU_A_STATE,		/* u8: enum clipper_pmtu_state */
	CLIPPER_PMTU_A_DETECTED,	/* u64: ms since found, if ever */
	CLIPPER_PMTU_A_FIXES,		/* u32: XT_CLIPPER_FIX_* applied */
	CLIPPER_PMTU_A_AGE,		/* u64: ms since the last change */
	CLIPPER_PMTU_A_DETECTIONS,	/* u32: black-hole detections */
	CLIPPER_PMTU_A_ICMP_SENT,	/* u32 */
	CLIPPER_PMTU_A_DF_CLEARED,	/* u32 */
	CLIPPER_PMTU_A_MSS_CLAMPED,	/* u32 */
	CLIPPER_PMTU_A_SCOPE,		/* u8: enum clipper_pmtu_scope */
	CLIPPER_PMTU_A_LEARNED,		/* u8: enum clipper_pmtu_learned */
	CLIPPER_PMTU_A_SENDERS,		/* u32: senders whose flows confirmed it */
	CLIPPER_PMTU_A_PASSED,		/* u32: largest IP length acknowledged */
	CLIPPER_PMTU_A_OUTAGES,		/* u32: episodes found to be outages */
	CLIPPER_PMTU_A_STUCK_LEN,	/* u32: IP length of a stuck segment */
	CLIPPER_PMTU_A_STUCK_RESENDS,	/* u32: ... and how often it was resent */
	CLIPPER_PMTU_A_SIDE,		/* u8: enum clipper_pmtu_side */
	CLIPPER_PMTU_A_UNREPAIRED,	/* u32: flows the ICMP did not repair */
	__CLIPPER_PMTU_A_MAX
};

#define CLIPPER_PMTU_A_MAX (__CLIPPER_PMTU_A_MAX - 1)

enum clipper_pmtu_state {
	CLIPPER_PMTU_NONE,
	CLIPPER_PMTU_SUSPECT,		/* a flow to it is being probed */
	CLIPPER_PMTU_BLACKHOLE,		/* the signature: being repaired */
	CLIPPER_PMTU_OK,		/* learned (ICMP), repaired or cleared */
	CLIPPER_PMTU_STUCK,		/* one length vanishes, smaller and larger pass */
};

/*
 * Whom a path's MTU applies to.  FLOW: found on the flows of one sender
 * only, which a hostile sender can fake for its own flows: those flows
 * were repaired, no other flow is changed.  PATH: confirmed by the flows
 * of a second sender, or by a sender on this host, or taught by an ICMP
 * that conntrack related to a flow: every flow to the destination.
 */
enum clipper_pmtu_scope {
	CLIPPER_PMTU_SCOPE_FLOW,
	CLIPPER_PMTU_SCOPE_PATH,
};

/*
 * Where the black hole of a path was found.  TX: the sender's resends
 * passed this host and vanished beyond it (its copies told).  RX: they
 * vanished before they reached it (the receiver's gateway: the gaps in
 * what arrived and the sender's answers to probes told).
 */
enum clipper_pmtu_side {
	CLIPPER_PMTU_SIDE_TX,
	CLIPPER_PMTU_SIDE_RX,
};

/* How a path's MTU was learned. */
enum clipper_pmtu_learned {
	CLIPPER_PMTU_LEARNED_NONE,
	CLIPPER_PMTU_LEARNED_ICMP,	/* a frag-needed / PTB that passed */
	CLIPPER_PMTU_LEARNED_PROBE,	/* a smaller copy passed, the resend not */
	/* no longer set, kept for the ABI: a stuck segment teaches no MTU */
	CLIPPER_PMTU_LEARNED_STUCK,
	CLIPPER_PMTU_LEARNED_ACKED,	/* raised: a larger size was acknowledged */
};

/*
 * CLIPPER_A_WS: a WebSocket flow (--ws-count), one that completed its
 * upgrade handshake.  The addresses and ports are those of the flow's
 * original direction: SRC is the client.
 */
enum clipper_ws_attr {
	CLIPPER_WS_A_UNSPEC,
	CLIPPER_WS_A_PAD,
	CLIPPER_WS_A_FAMILY,		/* u8: AF_INET or AF_INET6 */
	CLIPPER_WS_A_SRC,		/* binary: 4 or 16 bytes */
	CLIPPER_WS_A_SPORT,		/* u16, host order */
	CLIPPER_WS_A_DST,		/* binary: 4 or 16 bytes */
	CLIPPER_WS_A_DPORT,		/* u16, host order */
	CLIPPER_WS_A_PROTOCOL,		/* u8: enum clipper_ws_protocol */
	CLIPPER_WS_A_C2S,		/* nest: enum clipper_ws_dir_attr */
	CLIPPER_WS_A_S2C,		/* nest: enum clipper_ws_dir_attr */
	CLIPPER_WS_A_IDLE,		/* u64: ms since the last packet */
	__CLIPPER_WS_A_MAX
};

#define CLIPPER_WS_A_MAX (__CLIPPER_WS_A_MAX - 1)

enum clipper_ws_protocol {
	CLIPPER_WS_PROTOCOL_NONE,
	CLIPPER_WS_PROTOCOL_RFC6455,
	CLIPPER_WS_PROTOCOL_HIXIE76,
	CLIPPER_WS_PROTOCOL_HIXIE75,
};

/* One direction of a WebSocket flow: counters are enum clipper_ctr. */
enum clipper_ws_dir_attr {
	CLIPPER_WS_DIR_A_UNSPEC,
	CLIPPER_WS_DIR_A_PAD,
	CLIPPER_WS_DIR_A_COUNTERS,	/* nest of u64, enum clipper_ctr */
	CLIPPER_WS_DIR_A_DESYNC,	/* flag: lost the byte stream */
	CLIPPER_WS_DIR_A_MALFORMED,	/* flag: invalid framing seen */
	__CLIPPER_WS_DIR_A_MAX
};

#define CLIPPER_WS_DIR_A_MAX (__CLIPPER_WS_DIR_A_MAX - 1)

/* CLIPPER_A_LIMIT: a table refused an entry (at most one a second) */
enum clipper_limit_attr {
	CLIPPER_LIMIT_A_UNSPEC,
	CLIPPER_LIMIT_A_TABLE,		/* u8: enum clipper_limit_table */
	CLIPPER_LIMIT_A_MAX,		/* u32: the limit in force */
	__CLIPPER_LIMIT_A_MAX
};

#define CLIPPER_LIMIT_A_MAX (__CLIPPER_LIMIT_A_MAX - 1)

enum clipper_limit_table {
	CLIPPER_LIMIT_MAC,		/* mac-max */
	CLIPPER_LIMIT_PMTU,		/* pmtu-max */
	CLIPPER_LIMIT_WS,		/* ws-max */
};

#endif /* _UAPI_CLIPPER_H */

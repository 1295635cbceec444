/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * clipper: the generic netlink protocol of the "clipper" family.
 *
 * Documentation/netlink.rst describes each command's request and reply.
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
	__CLIPPER_CONFIG_A_MAX
};

#define CLIPPER_CONFIG_A_MAX (__CLIPPER_CONFIG_A_MAX - 1)
#define CLIPPER_MAC_MAX_DEFAULT	65536

#endif /* _UAPI_CLIPPER_H */

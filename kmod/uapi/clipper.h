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
	__CLIPPER_CTR_MAX
};

#define CLIPPER_CTR_MAX (__CLIPPER_CTR_MAX - 1)

#endif /* _UAPI_CLIPPER_H */

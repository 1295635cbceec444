/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xt_CLIPPER: the option block of the CLIPPER xtables target.
 *
 * This structure is ABI between iptables (libxt_CLIPPER.so) and the kernel
 * module: its size and layout never change for revision 0.  Unused fields
 * must be zero; the kernel refuses unknown flags and non-zero reserved
 * fields, so they can be given a meaning later.
 */
#ifndef _UAPI_XT_CLIPPER_H
#define _UAPI_XT_CLIPPER_H

#include <linux/types.h>

enum {
	XT_CLIPPER_CLASSIFY	= 1 << 0,	/* --classify */
	XT_CLIPPER_MARK_MASK	= 1 << 1,	/* --mark-mask given */
	XT_CLIPPER_CLAMP_MSS	= 1 << 2,	/* --clamp-mss */
	XT_CLIPPER_PMTU_GUARD	= 1 << 3,	/* --pmtu-guard */
	XT_CLIPPER_WS_COUNT	= 1 << 4,	/* --ws-count */
};

#define XT_CLIPPER_FLAGS_ALL \
	(XT_CLIPPER_CLASSIFY | XT_CLIPPER_MARK_MASK | XT_CLIPPER_CLAMP_MSS | \
	 XT_CLIPPER_PMTU_GUARD | XT_CLIPPER_WS_COUNT)

/* --pmtu-fix remedies */
enum {
	XT_CLIPPER_FIX_ICMP	= 1 << 0,	/* synthesise frag-needed / PTB */
	XT_CLIPPER_FIX_DF	= 1 << 1,	/* clear DF (IPv4 only) */
	XT_CLIPPER_FIX_MSS	= 1 << 2,	/* clamp later SYNs to the path */
};

#define XT_CLIPPER_FIX_ALL \
	(XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_DF | XT_CLIPPER_FIX_MSS)
#define XT_CLIPPER_FIX_DEFAULT	(XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_MSS)

#define XT_CLIPPER_MARK_MASK_DEFAULT	0xffU
/* clamp_mss == 0 with XT_CLIPPER_CLAMP_MSS means "pmtu" */
#define XT_CLIPPER_MSS_PMTU		0
#define XT_CLIPPER_MSS_MIN		88	/* below this TCP cannot work */

struct xt_clipper_tginfo {
	__u32	flags;		/* XT_CLIPPER_* */
	__u32	mark_mask;	/* conntrack/skb mark bits used by --classify */
	__u16	clamp_mss;	/* --clamp-mss VALUE, or XT_CLIPPER_MSS_PMTU */
	__u16	pmtu_fix;	/* XT_CLIPPER_FIX_* */
	__u32	reserved[5];	/* must be zero */
};

#endif /* _UAPI_XT_CLIPPER_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: the part of struct sk_buff that the checksum helpers of
 * net/checksum.h read and write, and the ip_summed values.
 */
#ifndef _SHIM_LINUX_SKBUFF_H
#define _SHIM_LINUX_SKBUFF_H

#include <linux/types.h>

#define CHECKSUM_NONE		0
#define CHECKSUM_UNNECESSARY	1
#define CHECKSUM_COMPLETE	2
#define CHECKSUM_PARTIAL	3

struct sk_buff {
	__u8		ip_summed;	/* CHECKSUM_* */
	__wsum		csum;		/* CHECKSUM_COMPLETE: the packet's sum */
	/*
	 * Not the kernel's: the 16-bit words of changes passed to
	 * inet_proto_csum_replace2() (one) and _replace4() (two), for a
	 * test to count.
	 */
	unsigned int	csum_words;
};

#endif /* _SHIM_LINUX_SKBUFF_H */

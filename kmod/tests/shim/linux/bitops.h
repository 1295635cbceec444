/* SPDX-License-Identifier: GPL-2.0 */
/* Test shim: fls64() of <linux/bitops.h>: the last bit set, 1..64; 0: none. */
#ifndef _SHIM_LINUX_BITOPS_H
#define _SHIM_LINUX_BITOPS_H

#include <linux/types.h>

static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif /* _SHIM_LINUX_BITOPS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: what the pure-logic headers take from <linux/kernel.h>
 * (<linux/minmax.h>, <linux/array_size.h>, <linux/limits.h>).
 *
 * min() and max() refuse operands of two types as the kernel's did up to
 * 6.1 (a warning, an error with -Werror): the module is built for 5.10
 * too, where they are that strict.  Each operand is evaluated once.
 */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <linux/types.h>

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* compares the operands' addresses: distinct types warn */
#define __shim_cmp(a, b, op) ({				\
	__typeof__(a) __a = (a);			\
	__typeof__(b) __b = (b);			\
	(void)(&__a == &__b);				\
	__a op __b ? __a : __b; })

#define min(a, b)		__shim_cmp(a, b, <)
#define max(a, b)		__shim_cmp(a, b, >)
#define min_t(type, a, b)	__shim_cmp((type)(a), (type)(b), <)
#define max_t(type, a, b)	__shim_cmp((type)(a), (type)(b), >)
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(type, v, lo, hi) \
	min_t(type, max_t(type, v, lo), hi)

#endif /* _SHIM_LINUX_KERNEL_H */

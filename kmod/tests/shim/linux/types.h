/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: <linux/types.h>.  The uapi types (__u8 .. __u64, __be16,
 * __be32, __sum16, __wsum) come from the system's header; the kernel's
 * own short names and bool are added.
 */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>

typedef __u8 u8;
typedef __s8 s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

#endif /* _SHIM_LINUX_TYPES_H */

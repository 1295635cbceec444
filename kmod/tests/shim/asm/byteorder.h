/* SPDX-License-Identifier: GPL-2.0 */
/* Test shim: the byte-order conversions of <asm/byteorder.h>. */
#ifndef _SHIM_ASM_BYTEORDER_H
#define _SHIM_ASM_BYTEORDER_H

#include <linux/types.h>

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define cpu_to_be16(x)	((__be16)(u16)(x))
#define cpu_to_be32(x)	((__be32)(u32)(x))
#define be16_to_cpu(x)	((u16)(x))
#define be32_to_cpu(x)	((u32)(x))
#else
#define cpu_to_be16(x)	((__be16)__builtin_bswap16((u16)(x)))
#define cpu_to_be32(x)	((__be32)__builtin_bswap32((u32)(x)))
#define be16_to_cpu(x)	__builtin_bswap16((u16)(x))
#define be32_to_cpu(x)	__builtin_bswap32((u32)(x))
#endif

#endif /* _SHIM_ASM_BYTEORDER_H */

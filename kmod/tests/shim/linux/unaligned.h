/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: <linux/unaligned.h> (<asm/unaligned.h> before 6.12).  Loads
 * and stores of any alignment: byte by byte for the big-endian ones,
 * through memcpy() for get_unaligned() and put_unaligned(), whose value
 * keeps its memory order (a __be32 stays one).
 */
#ifndef _SHIM_LINUX_UNALIGNED_H
#define _SHIM_LINUX_UNALIGNED_H

#include <string.h>
#include <linux/types.h>

#define get_unaligned(p) ({					\
	__typeof__(*(p)) __v;					\
	memcpy(&__v, (p), sizeof(__v));				\
	__v; })

#define put_unaligned(v, p) do {				\
	__typeof__(*(p)) __v = (v);				\
	memcpy((p), &__v, sizeof(__v));				\
} while (0)

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif /* _SHIM_LINUX_UNALIGNED_H */

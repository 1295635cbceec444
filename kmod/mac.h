/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: MAC prefixes and classes, pure logic.
 *
 * Used by the module and, unchanged, by the userspace unit tests
 * (kmod/tests/, whose shim headers supply the kernel helpers used here).
 */
#ifndef _CLIPPER_MAC_H
#define _CLIPPER_MAC_H

#include <linux/bitops.h>
#include <linux/if_ether.h>
#include <linux/string.h>
#include <linux/types.h>

#include "clipper.h"	/* uapi: the classes */

#define CLIPPER_MAC_BITS	48
#define CLIPPER_MAC_MAX_LIMIT	16777216U	/* highest mac-max */

/* Lookup key of the MAC table: the address masked to its prefix. */
struct clipper_mac_key {
	u8	addr[ETH_ALEN];
	u8	plen;		/* 1..48 */
	u8	class;		/* an entry's class: not part of the key */
};

/* the bytes hashed and compared: the address and the prefix length */
#define CLIPPER_MAC_KEY_LEN	(ETH_ALEN + 1)

static inline void clipper_mac_mask(u8 *out, const u8 *addr, unsigned int plen)
{
	unsigned int i;

	if (plen >= CLIPPER_MAC_BITS) {		/* one host: the common case */
		memcpy(out, addr, ETH_ALEN);
		return;
	}
	for (i = 0; i < ETH_ALEN; i++) {
		if (plen >= 8) {
			out[i] = addr[i];
			plen -= 8;
		} else if (plen) {
			out[i] = addr[i] & (u8)(0xff << (8 - plen));
			plen = 0;
		} else {
			out[i] = 0;
		}
	}
}

/* true when addr has no bit set beyond its first plen bits */
static inline bool clipper_mac_prefix_ok(const u8 *addr, unsigned int plen)
{
	u8 m[ETH_ALEN];
	unsigned int i;

	clipper_mac_mask(m, addr, plen);
	for (i = 0; i < ETH_ALEN; i++)
		if (m[i] != addr[i])
			return false;
	return true;
}

/* Locally administered (IEEE 802 "U/L" bit): how phones randomise MACs. */
static inline bool clipper_mac_is_local(const u8 *addr)
{
	return addr[0] & 0x02;
}

static inline void clipper_mac_key_init(struct clipper_mac_key *key,
					const u8 *addr, unsigned int plen)
{
	clipper_mac_mask(key->addr, addr, plen);
	key->plen = plen;
	key->class = 0;
}

/*
 * Longest prefix match.  @plens has bit p set when some entry of prefix
 * length p exists (bit 0 unused); @lookup finds an exact key.  One lookup
 * per prefix length in use, longest first: with only host entries, one.
 */
static inline void *clipper_mac_lpm(u64 plens, const u8 *addr,
				    void *(*lookup)(void *ctx,
						    const struct clipper_mac_key *key),
				    void *ctx)
{
	struct clipper_mac_key key;
	void *e;

	while (plens) {
		unsigned int plen = fls64(plens) - 1;

		plens &= ~(1ULL << plen);
		if (!plen)
			continue;
		clipper_mac_key_init(&key, addr, plen);
		e = lookup(ctx, &key);
		if (e)
			return e;
	}
	return NULL;
}

struct clipper_class_default {
	const char	*name;
	u32		mark;
	u32		priority;
};

/* DD-WRT's names and marks; priorities are TC_PRIO_* values. */
static const struct clipper_class_default clipper_class_defaults[] = {
	[CLIPPER_CLASS_NONE]	 = { "none",	 0,   CLIPPER_PRIORITY_UNCHANGED },
	[CLIPPER_CLASS_EXEMPT]	 = { "exempt",	 100, CLIPPER_PRIORITY_UNCHANGED },
	[CLIPPER_CLASS_PREMIUM]	 = { "premium",	 10,  6 },	/* INTERACTIVE */
	[CLIPPER_CLASS_EXPRESS]	 = { "express",	 20,  4 },	/* INTERACTIVE_BULK */
	[CLIPPER_CLASS_STANDARD] = { "standard", 30,  0 },	/* BESTEFFORT */
	[CLIPPER_CLASS_BULK]	 = { "bulk",	 40,  2 },	/* BULK */
};

#endif /* _CLIPPER_MAC_H */

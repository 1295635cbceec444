// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace unit test of kmod/mac.h, the same code the module runs:
 * prefix masking, prefix validation, the locally-administered bit, the
 * longest-prefix search, and the class defaults.  Checked against a
 * straightforward bit-by-bit reference on random inputs.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clipper.h"
#include "mac.h"

#include "tap.h"

static int ref_bit(const u8 *a, int i)
{
	return (a[i / 8] >> (7 - i % 8)) & 1;
}

static void rnd_mac(u8 *a)
{
	for (int i = 0; i < ETH_ALEN; i++)
		a[i] = rand() & 0xff;
}

/* a tiny exact-match table for the LPM callback */
#define TBL 64
struct tbl {
	struct clipper_mac_key k[TBL];
	int n;
};

static void *tbl_lookup(void *ctx, const struct clipper_mac_key *key)
{
	struct tbl *t = ctx;

	for (int i = 0; i < t->n; i++)
		if (!memcmp(&t->k[i], key, sizeof(*key)))
			return &t->k[i];
	return NULL;
}

/* brute force: longest entry whose prefix covers addr */
static struct clipper_mac_key *ref_lpm(struct tbl *t, const u8 *addr)
{
	struct clipper_mac_key *best = NULL;

	for (int i = 0; i < t->n; i++) {
		int p = t->k[i].plen, j;

		for (j = 0; j < p; j++)
			if (ref_bit(addr, j) != ref_bit(t->k[i].addr, j))
				break;
		if (j == p && (!best || p > best->plen))
			best = &t->k[i];
	}
	return best;
}

int main(void)
{
	u8 a[ETH_ALEN], m[ETH_ALEN];
	bool good;

	srand(1);
	/* masking: every prefix length, against the bit reference */
	good = true;
	for (int round = 0; round < 200; round++) {
		rnd_mac(a);
		for (int p = 0; p <= 48; p++) {
			clipper_mac_mask(m, a, p);
			for (int i = 0; i < 48; i++)
				if (ref_bit(m, i) != (i < p ? ref_bit(a, i) : 0))
					good = false;
		}
	}
	ok(good, "clipper_mac_mask keeps exactly the first plen bits (0..48)");

	/* prefix_ok */
	{
		u8 oui[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0, 0, 0 };
		u8 host[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0, 0, 1 };
		u8 b41[ETH_ALEN] = { 0x02, 0, 0, 0, 0x0c, 0x80 };

		ok(clipper_mac_prefix_ok(oui, 24), "OUI /24 is a valid prefix");
		ok(!clipper_mac_prefix_ok(host, 24), "host bits beyond /24 are refused");
		ok(clipper_mac_prefix_ok(host, 48), "any address is a valid /48");
		ok(clipper_mac_prefix_ok(b41, 41), "bit 40 set is valid for /41");
		ok(!clipper_mac_prefix_ok(b41, 40), "bit 40 set is refused for /40");
	}

	/* the U/L bit */
	{
		u8 g[ETH_ALEN] = { 0x00, 0x16, 0x3e, 1, 2, 3 };
		u8 l[ETH_ALEN] = { 0x02, 0, 0, 0, 0x0c, 1 };
		u8 l2[ETH_ALEN] = { 0xda, 0xa1, 0x19, 1, 2, 3 };
		u8 mc[ETH_ALEN] = { 0x01, 0, 0x5e, 0, 0, 1 };

		ok(!clipper_mac_is_local(g), "00:16:3e:... is globally administered");
		ok(clipper_mac_is_local(l), "02:... is locally administered (random)");
		ok(clipper_mac_is_local(l2), "da:a1:19:... (a phone's random MAC) is local");
		ok(!clipper_mac_is_local(mc), "01:00:5e:... multicast is not local");
	}

	/* LPM against brute force on random tables sharing prefixes */
	good = true;
	for (int round = 0; round < 300; round++) {
		struct tbl t = { .n = 0 };
		u64 plens = 0;
		u8 base[ETH_ALEN];

		rnd_mac(base);
		for (int i = 0; i < 1 + rand() % 20; i++) {
			int p = 1 + rand() % 48;
			u8 x[ETH_ALEN];

			memcpy(x, base, ETH_ALEN);
			if (rand() & 1)	/* stray from base after the prefix */
				x[5] ^= rand() & 0xff;
			clipper_mac_key_init(&t.k[t.n], x, p);
			if (tbl_lookup(&t, &t.k[t.n]) != &t.k[t.n])
				continue;	/* duplicate */
			plens |= 1ULL << p;
			t.n++;
		}
		for (int q = 0; q < 50; q++) {
			u8 x[ETH_ALEN];

			memcpy(x, base, ETH_ALEN);
			x[rand() % ETH_ALEN] ^= 1 << (rand() % 8);
			if (q % 5 == 0)
				rnd_mac(x);
			if (clipper_mac_lpm(plens, x, tbl_lookup, &t) != ref_lpm(&t, x))
				good = false;
		}
	}
	ok(good, "clipper_mac_lpm finds the longest covering prefix (300 random tables)");
	ok(clipper_mac_lpm(0, a, tbl_lookup, NULL) == NULL, "empty table: no lookup, no match");

	/* the DD-WRT defaults of the contract */
	ok(clipper_class_defaults[CLIPPER_CLASS_EXEMPT].mark == 100 &&
	   clipper_class_defaults[CLIPPER_CLASS_PREMIUM].mark == 10 &&
	   clipper_class_defaults[CLIPPER_CLASS_EXPRESS].mark == 20 &&
	   clipper_class_defaults[CLIPPER_CLASS_STANDARD].mark == 30 &&
	   clipper_class_defaults[CLIPPER_CLASS_BULK].mark == 40,
	   "class marks are DD-WRT's 100/10/20/30/40");
	ok(clipper_class_defaults[CLIPPER_CLASS_EXEMPT].priority == CLIPPER_PRIORITY_UNCHANGED &&
	   clipper_class_defaults[CLIPPER_CLASS_PREMIUM].priority == 6 &&
	   clipper_class_defaults[CLIPPER_CLASS_EXPRESS].priority == 4 &&
	   clipper_class_defaults[CLIPPER_CLASS_STANDARD].priority == 0 &&
	   clipper_class_defaults[CLIPPER_CLASS_BULK].priority == 2,
	   "class priorities: exempt unchanged, 6, 4, 0, 2");

	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --classify.  A flow takes the class of the source MAC of its
 * first packet (longest prefix in the MAC table, else the default class),
 * kept in the conntrack mark; every packet of the flow, in both
 * directions, gets skb->mark and skb->priority from it.
 *
 * Fast path: one RCU hash lookup per new flow, then only the conntrack
 * mark.  The table is changed under the per-netns mutex; entries are freed
 * after an RCU grace period.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/dsfield.h>
#include <net/inet_ecn.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include "core.h"
#include "netlink.h"
#include "mac.h"

/*
 * An entry: 56 bytes on 64-bit, from a cache of that size.  The list is
 * walked only under cn->lock (dumps, flush), so once an entry is unlinked
 * its list_head can hold the rcu_head.  Per-CPU packet and byte counters
 * exist only once mac-counters has been on; the flows it classified are
 * counted always, once per new flow.
 */
struct clipper_mac_entry {
	struct rhash_head		node;
	struct clipper_mac_key		key;	/* and the class, unhashed */
	union {
		struct list_head	list;	/* cc->list, under cn->lock */
		struct rcu_head		rcu;	/* once unlinked */
	};
	struct clipper_mac_pcpu __percpu *stats;	/* or NULL */
	char				*comment;
	atomic64_t			flows;
};

static struct kmem_cache *clipper_mac_cache __read_mostly;

/*
 * The key's 7 bytes as two words for jhash_2words(), and compared as an
 * address and a length: cheaper than the defaults, jhash() and memcmp()
 * over 7 bytes (the class shares the key's last word).
 */
static u32 clipper_mac_hashfn(const void *data, u32 len, u32 seed)
{
	const struct clipper_mac_key *k = data;

	/* byte loads that the compiler merges where it may */
	return jhash_2words((u32)k->addr[0] | (u32)k->addr[1] << 8 |
			    (u32)k->addr[2] << 16 | (u32)k->addr[3] << 24,
			    (u32)k->addr[4] | (u32)k->addr[5] << 8 |
			    (u32)k->plen << 16, seed);
}

/* 0 when the entry has the key: the address and the prefix length */
static int clipper_mac_cmpfn(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	const struct clipper_mac_key *k = arg->key;
	const struct clipper_mac_entry *e = obj;

	return !ether_addr_equal_unaligned(k->addr, e->key.addr) ||
	       k->plen != e->key.plen;
}

static const struct rhashtable_params clipper_mac_params = {
	.head_offset		= offsetof(struct clipper_mac_entry, node),
	.key_offset		= offsetof(struct clipper_mac_entry, key),
	.key_len		= CLIPPER_MAC_KEY_LEN,
	.hashfn			= clipper_mac_hashfn,
	.obj_cmpfn		= clipper_mac_cmpfn,
	.automatic_shrinking	= true,
};

int __init clipper_classify_module_init(void)
{
	clipper_mac_cache = KMEM_CACHE(clipper_mac_entry, 0);
	return clipper_mac_cache ? 0 : -ENOMEM;
}

void clipper_classify_module_exit(void)
{
	kmem_cache_destroy(clipper_mac_cache);
}

int clipper_classify_init(struct clipper_net *cn)
{
	struct clipper_classify *cc = &cn->cls;
	int i;

	INIT_LIST_HEAD(&cc->list);
	cc->mac_max = CLIPPER_MAC_MAX_DEFAULT;
	cc->mac_counters = false;
	cc->default_class = CLIPPER_CLASS_STANDARD;
	cc->random_class = CLIPPER_CLASS_STANDARD;
	for (i = 0; i <= CLIPPER_CLASS_MAX; i++) {
		cc->classes[i].mark = clipper_class_defaults[i].mark;
		cc->classes[i].priority = clipper_class_defaults[i].priority;
		cc->classes[i].dscp = CLIPPER_DSCP_UNCHANGED;
	}
	return rhashtable_init(&cc->macs, &clipper_mac_params);
}

static void clipper_mac_free(struct clipper_mac_entry *e)
{
	free_percpu(e->stats);
	kfree(e->comment);
	kmem_cache_free(clipper_mac_cache, e);
}

static void clipper_mac_free_rcu(struct rcu_head *head)
{
	clipper_mac_free(container_of(head, struct clipper_mac_entry, rcu));
}

/* Namespace is going away: no reader, no writer left. */
void clipper_classify_exit(struct clipper_net *cn)
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_entry *e, *tmp;

	rhashtable_destroy(&cc->macs);
	list_for_each_entry_safe(e, tmp, &cc->list, list)
		clipper_mac_free(e);
}

/* ---- fast path ---------------------------------------------------- */

static void *clipper_mac_find(void *ctx, const struct clipper_mac_key *key)
{
	return rhashtable_lookup(ctx, key, clipper_mac_params);
}

/* The class whose mark (under mask) is m, for skb->priority and counters */
static unsigned int clipper_class_of_mark(const struct clipper_classify *cc,
					  u32 m, u32 mask)
{
	unsigned int c;

	for (c = CLIPPER_CLASS_EXEMPT; c <= CLIPPER_CLASS_MAX; c++)
		if ((READ_ONCE(cc->classes[c].mark) & mask) == m)
			return c;
	return CLIPPER_CLASS_NONE;
}

static bool clipper_has_eth_header(const struct sk_buff *skb)
{
	return skb->dev && skb->dev->type == ARPHRD_ETHER &&
	       skb_mac_header_was_set(skb) &&
	       skb_mac_header(skb) >= skb->head &&
	       skb_mac_header(skb) + ETH_HLEN <= skb->data;
}

/*
 * First packet of a flow: its class (*cls) and that class's mark under
 * mask, from the entry @e that matched the source MAC (or NULL).  RCU
 * read side.
 */
static u32 clipper_classify_flow(struct clipper_net *cn,
				 const struct clipper_mac_entry *e,
				 const u8 *src, u32 mask, unsigned int *cls)
{
	struct clipper_classify *cc = &cn->cls;
	enum clipper_stat why;
	unsigned int c;

	if (e) {
		c = READ_ONCE(e->key.class);
		why = CLIPPER_ST_CLASSIFY_MATCHED;
	} else if (clipper_mac_is_local(src)) {
		c = READ_ONCE(cc->random_class);
		why = CLIPPER_ST_CLASSIFY_RANDOM;
	} else {
		c = READ_ONCE(cc->default_class);
		why = CLIPPER_ST_CLASSIFY_DEFAULTED;
	}
	clipper_stats_add2(cn, CLIPPER_ST_CLASSIFY_FLOWS, 1, why, 1);
	clipper_stats_add(cn, CLIPPER_ST_CLASS_FLOWS(c), 1);
	*cls = c;
	return READ_ONCE(cc->classes[c].mark) & mask;
}

/*
 * Rewrite the DSCP (the ECN bits are kept).  IPv4's header checksum is
 * updated incrementally by ipv4_change_dsfield(); IPv6 has none, but a
 * CHECKSUM_COMPLETE sum of a received packet covers the header's first
 * 16 bits, where the traffic class lies, and must follow the change.  An
 * skb that cannot be made writable is left alone and counted.
 */
static void clipper_set_dscp(struct clipper_net *cn, struct sk_buff *skb,
			     u8 family, u8 dscp)
{
	u8 ds = dscp << 2;

	if (family == NFPROTO_IPV4) {
		if (ipv4_get_dsfield(ip_hdr(skb)) >> 2 == dscp)
			return;
		if (skb_ensure_writable(skb, sizeof(struct iphdr)))
			goto unwritable;
		ipv4_change_dsfield(ip_hdr(skb), INET_ECN_MASK, ds);
	} else if (family == NFPROTO_IPV6) {
		__be16 old;

		if (ipv6_get_dsfield(ipv6_hdr(skb)) >> 2 == dscp)
			return;
		if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
			goto unwritable;
		old = *(__be16 *)ipv6_hdr(skb);
		ipv6_change_dsfield(ipv6_hdr(skb), INET_ECN_MASK, ds);
		clipper_csum_complete_replace2(skb, old,
					       *(__be16 *)ipv6_hdr(skb));
	}
	return;

unwritable:
	clipper_stats_add(cn, CLIPPER_ST_CLASSIFY_UNWRITABLE, 1);
}

/* The --classify part of the target.  RCU read side, BHs off. */
void clipper_classify(struct clipper_net *cn, struct sk_buff *skb,
		      u8 family, u32 mask)
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_entry *e = NULL;
	enum ip_conntrack_info ctinfo;
	const u8 *src = NULL;
	struct nf_conn *ct;
	u32 ctmark, m, prio;
	unsigned int c = CLIPPER_CLASS_NONE;
	u64 plens;
	u8 dscp;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct) {
		clipper_stats_add(cn, CLIPPER_ST_CLASSIFY_NO_CT, 1);
		return;
	}
	ctmark = READ_ONCE(ct->mark);
	m = ctmark & mask;

	/*
	 * Only the original direction has the LAN client's MAC: a reply's
	 * source MAC is the upstream router's.  There the entry is looked
	 * up on a flow's first packet, to classify it, and on every packet
	 * only when per-MAC packet counters are on (mac-counters).  With an
	 * empty table nothing is looked up.
	 */
	if (CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL) {
		bool count = READ_ONCE(cc->mac_counters);

		if (m && !count) {
			/* an established flow: the conntrack mark is all */
		} else if (clipper_has_eth_header(skb)) {
			src = eth_hdr(skb)->h_source;
			plens = READ_ONCE(cc->plen_bits);
			if (plens)
				e = clipper_mac_lpm(plens, src, clipper_mac_find,
						    &cc->macs);
		} else if (!m) {
			clipper_stats_add(cn, CLIPPER_ST_CLASSIFY_NO_MAC, 1);
			return;
		}
		if (e) {
			struct clipper_mac_pcpu __percpu *st;

			if (!m)
				atomic64_inc(&e->flows);
			st = count ? READ_ONCE(e->stats) : NULL;
			if (st)
				clipper_mac_count(st, 1, skb->len);
		}
		if (!m) {
			m = clipper_classify_flow(cn, e, src, mask, &c);
			if (m) {
				WRITE_ONCE(ct->mark, (ctmark & ~mask) | m);
				nf_conntrack_event_cache(IPCT_MARK, ct);
			}
		}
	}
	if (!m)
		return;

	skb->mark = (skb->mark & ~mask) | m;
	/* the flow's class, unless it was just found */
	if (c == CLIPPER_CLASS_NONE)
		c = clipper_class_of_mark(cc, m, mask);
	prio = READ_ONCE(cc->classes[c].priority);
	if (c != CLIPPER_CLASS_NONE && prio != CLIPPER_PRIORITY_UNCHANGED)
		skb->priority = prio;
	dscp = READ_ONCE(cc->classes[c].dscp);
	if (c != CLIPPER_CLASS_NONE && dscp != CLIPPER_DSCP_UNCHANGED)
		clipper_set_dscp(cn, skb, family, dscp);
	clipper_stats_add2(cn, CLIPPER_ST_CLASS_PACKETS(c), 1,
			   CLIPPER_ST_CLASS_BYTES(c), skb->len);
}

/* ---- control plane (cn->lock held) ---------------------------------- */

static void clipper_plen_account(struct clipper_classify *cc, u8 plen, int d)
{
	cc->plen_count[plen] += d;
	if (cc->plen_count[plen])
		WRITE_ONCE(cc->plen_bits, cc->plen_bits | (1ULL << plen));
	else
		WRITE_ONCE(cc->plen_bits, cc->plen_bits & ~(1ULL << plen));
}

static struct clipper_mac_pcpu __percpu *clipper_mac_stats_alloc(void)
{
	struct clipper_mac_pcpu __percpu *st;
	int cpu;

	st = alloc_percpu(struct clipper_mac_pcpu);
	if (st)
		for_each_possible_cpu(cpu)
			u64_stats_init(&per_cpu_ptr(st, cpu)->syncp);
	return st;
}

/*
 * Before mac-counters goes on: per-CPU counters for every entry that has
 * none (entries added while it is on get theirs when added).  cn->lock
 * held.  -ENOMEM leaves the entries served so far with counters, which is
 * harmless: they count only while mac-counters is on.
 */
int clipper_mac_counters_prepare(struct clipper_net *cn)
{
	struct clipper_mac_entry *e;
	struct clipper_mac_pcpu __percpu *st;

	lockdep_assert_held(&cn->lock);
	list_for_each_entry(e, &cn->cls.list, list) {
		if (e->stats)
			continue;
		st = clipper_mac_stats_alloc();
		if (!st)
			return -ENOMEM;
		/* the fast path reads it with READ_ONCE() */
		smp_store_release(&e->stats, st);
	}
	return 0;
}

int clipper_mac_add(struct clipper_net *cn, const u8 *addr, u8 plen,
		    u8 class, const char *comment, bool replace,
		    struct netlink_ext_ack *extack)
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_entry *e, *old;
	int ret;

	lockdep_assert_held(&cn->lock);
	if (!clipper_mac_prefix_ok(addr, plen)) {
		NL_SET_ERR_MSG(extack, "MAC has bits set beyond the prefix length");
		return -EINVAL;
	}

	e = kmem_cache_zalloc(clipper_mac_cache, GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	clipper_mac_key_init(&e->key, addr, plen);
	e->key.class = class;
	if (cc->mac_counters)
		e->stats = clipper_mac_stats_alloc();
	if (comment && *comment)
		e->comment = kstrdup(comment, GFP_KERNEL);
	if ((cc->mac_counters && !e->stats) ||
	    (comment && *comment && !e->comment)) {
		clipper_mac_free(e);
		return -ENOMEM;
	}

	old = rhashtable_lookup_fast(&cc->macs, &e->key, clipper_mac_params);
	if (old && !replace) {
		clipper_mac_free(e);
		NL_SET_ERR_MSG(extack, "an entry for this MAC and prefix exists: delete it first");
		return -EEXIST;
	}
	if (old) {
		ret = rhashtable_replace_fast(&cc->macs, &old->node, &e->node,
					      clipper_mac_params);
		if (ret) {
			clipper_mac_free(e);
			return ret;
		}
		list_replace(&old->list, &e->list);
		call_rcu(&old->rcu, clipper_mac_free_rcu);
		cc->generation++;
		return 0;
	}

	if (cc->mac_count >= cc->mac_max) {
		clipper_mac_free(e);
		clipper_limit_event(cn, CLIPPER_LIMIT_MAC, cc->mac_max,
				    GFP_KERNEL);
		NL_SET_ERR_MSG(extack,
			       "the MAC table is full: raise it with 'clipper config set mac-max N'");
		return -ENOSPC;
	}
	ret = rhashtable_insert_fast(&cc->macs, &e->node, clipper_mac_params);
	if (ret) {
		clipper_mac_free(e);
		return ret;
	}
	list_add_tail(&e->list, &cc->list);
	cc->mac_count++;
	cc->generation++;
	clipper_plen_account(cc, plen, 1);
	return 0;
}

static void clipper_mac_unlink(struct clipper_classify *cc,
			       struct clipper_mac_entry *e)
{
	rhashtable_remove_fast(&cc->macs, &e->node, clipper_mac_params);
	list_del(&e->list);
	cc->mac_count--;
	cc->generation++;
	clipper_plen_account(cc, e->key.plen, -1);
	call_rcu(&e->rcu, clipper_mac_free_rcu);
}

/* ---- reclassify -------------------------------------------------- */

int clipper_classify_mask_get(struct clipper_net *cn, u32 mask)
{
	struct clipper_classify *cc = &cn->cls;
	int i, free = -1;

	mutex_lock(&cn->lock);
	for (i = 0; i < CLIPPER_MASKS_MAX; i++) {
		if (cc->masks[i].refs && cc->masks[i].mask == mask) {
			cc->masks[i].refs++;
			mutex_unlock(&cn->lock);
			return 0;
		}
		if (!cc->masks[i].refs && free < 0)
			free = i;
	}
	if (free >= 0) {
		cc->masks[free].mask = mask;
		cc->masks[free].refs = 1;
	}
	mutex_unlock(&cn->lock);
	return free >= 0 ? 0 : -ENOSPC;
}

void clipper_classify_mask_put(struct clipper_net *cn, u32 mask)
{
	struct clipper_classify *cc = &cn->cls;
	int i;

	mutex_lock(&cn->lock);
	for (i = 0; i < CLIPPER_MASKS_MAX; i++) {
		if (cc->masks[i].refs && cc->masks[i].mask == mask) {
			cc->masks[i].refs--;
			break;
		}
	}
	mutex_unlock(&cn->lock);
}

/* What to clear: a class's mark under each mask in use. */
struct clipper_reclassify {
	struct net	*net;
	unsigned int	n;
	u32		mask[CLIPPER_MASKS_MAX * (CLIPPER_CLASS_MAX + 1)];
	u32		value[CLIPPER_MASKS_MAX * (CLIPPER_CLASS_MAX + 1)];
	unsigned long	cleared;
};

static int clipper_reclassify_ct(struct nf_conn *ct, void *data)
{
	struct clipper_reclassify *r = data;
	u32 mark = READ_ONCE(ct->mark);
	unsigned int i;

	if (!net_eq(nf_ct_net(ct), r->net))
		return 0;
	for (i = 0; i < r->n; i++) {
		if ((mark & r->mask[i]) == r->value[i]) {
			WRITE_ONCE(ct->mark, mark & ~r->mask[i]);
			r->cleared++;
			break;
		}
	}
	return 0;	/* never delete the entry */
}

/*
 * Forget the class of the namespace's flows of the classes in @classes
 * (a bitmap of enum clipper_class): each flow is classified again, by the
 * table as it is now, on its next packet from the LAN.  cn->lock held.
 */
static void clipper_reclassify(struct clipper_net *cn, unsigned long classes)
{
	struct clipper_classify *cc = &cn->cls;
	struct nf_ct_iter_data iter = {};
	struct clipper_reclassify *r;
	unsigned int i, c;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return;
	r->net = cn->net;
	for (i = 0; i < CLIPPER_MASKS_MAX; i++) {
		if (!cc->masks[i].refs)
			continue;
		for_each_set_bit(c, &classes, CLIPPER_CLASS_MAX + 1) {
			u32 v = cc->classes[c].mark & cc->masks[i].mask;

			if (!v)
				continue;
			r->mask[r->n] = cc->masks[i].mask;
			r->value[r->n] = v;
			r->n++;
		}
	}
	if (r->n) {
		iter.net = cn->net;
		iter.data = r;
		clipper_nf_ct_iterate_cleanup_net(clipper_reclassify_ct, &iter);
		clipper_stats_add_slow(cn, CLIPPER_ST_CLASSIFY_RECLASSIFIED,
				       r->cleared);
	}
	kfree(r);
}

int clipper_mac_del(struct clipper_net *cn, const u8 *addr, u8 plen,
		    bool reclassify, struct netlink_ext_ack *extack)
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_entry *e;
	struct clipper_mac_key key;
	unsigned int c;

	lockdep_assert_held(&cn->lock);
	if (!clipper_mac_prefix_ok(addr, plen)) {
		NL_SET_ERR_MSG(extack, "MAC has bits set beyond the prefix length");
		return -EINVAL;
	}
	clipper_mac_key_init(&key, addr, plen);
	e = rhashtable_lookup_fast(&cc->macs, &key, clipper_mac_params);
	if (!e) {
		NL_SET_ERR_MSG(extack, "no entry for this MAC and prefix");
		return -ENOENT;
	}
	c = e->key.class;
	clipper_mac_unlink(cc, e);
	if (reclassify)
		clipper_reclassify(cn, BIT(c));
	return 0;
}

void clipper_mac_flush(struct clipper_net *cn, bool reclassify)
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_entry *e, *tmp;
	unsigned long classes = 0;

	lockdep_assert_held(&cn->lock);
	list_for_each_entry_safe(e, tmp, &cc->list, list) {
		classes |= BIT(e->key.class);
		clipper_mac_unlink(cc, e);
	}
	if (reclassify && classes)
		clipper_reclassify(cn, classes);
}

static void clipper_mac_sum(const struct clipper_mac_entry *e, u64 *packets,
			    u64 *bytes)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	if (!e->stats)
		return;
	for_each_possible_cpu(cpu) {
		const struct clipper_mac_pcpu *s = per_cpu_ptr(e->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		*packets += p;
		*bytes += b;
	}
}

/*
 * Dump helper: put entries from position *pos on; returns 0 when done,
 * -EMSGSIZE when the message is full (*pos says where to go on).  Takes
 * cn->lock for one message's worth of entries.
 */
int clipper_mac_dump(struct clipper_net *cn, struct sk_buff *skb,
		     struct netlink_callback *cb, long *pos,
		     int (*fill)(struct sk_buff *skb,
				 struct netlink_callback *cb,
				 const struct clipper_mac_info *info))
{
	struct clipper_classify *cc = &cn->cls;
	struct clipper_mac_info info;
	struct clipper_mac_entry *e;
	long i = 0;
	int ret = 0;

	mutex_lock(&cn->lock);
	cb->seq = cc->generation;
	list_for_each_entry(e, &cc->list, list) {
		if (i++ < *pos)
			continue;
		memcpy(info.addr, e->key.addr, ETH_ALEN);
		info.plen = e->key.plen;
		info.class = e->key.class;
		info.comment = e->comment;
		info.random = clipper_mac_is_local(e->key.addr);
		clipper_mac_sum(e, &info.packets, &info.bytes);
		info.flows = atomic64_read(&e->flows);
		ret = fill(skb, cb, &info);
		if (ret)
			break;
		(*pos)++;
	}
	mutex_unlock(&cn->lock);
	return ret;
}

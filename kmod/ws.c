// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: --ws-count, WebSocket frames counted per flow and direction.
 *
 * A TCP flow is followed from its SYN (a flow already running when the
 * rule came is never followed): an entry keyed by its conntrack entry,
 * which it holds a reference to.  Until the flow's first payload the
 * entry is a small pending one (a struct clipper_ws_entry alone: where
 * each direction's bytes start); the first payload replaces it, in the
 * table and in the list, by a full entry carrying the parser state of
 * wsparse.h (clipper_ws_refind()).  So the flows that never send a byte,
 * a SYN flood's, cost a third of a full entry each.  The first request
 * decides: a flow that is not a WebSocket upgrade loses its entry at once
 * and costs a failed lookup per packet from then on.  An upgraded flow is
 * counted until its conntrack entry dies, TCP closes, or it stays idle
 * for ws-timeout.
 *
 * The fast path looks the entry up under RCU (the table is an rhashtable)
 * and parses under the entry's own lock, as the two directions of a flow
 * may be on two CPUs.  An entry's ct is NULL once it is out of the table
 * (removed, or replaced): whoever finds that under its lock looks again.
 * What the parser counts it also adds to the per-CPU totals as it goes
 * (clipper_ws_add()).  Two kinds of segment take a shortcut: small frames
 * whole in the linear part (clipper_ws_feed_frames()), and segments inside
 * a frame's payload (clipper_ws_feed_skip()).  The table is bounded
 * (ws-max) and per namespace; a worker forgets dead, closed and idle flows
 * every second.
 *
 * Reordering.  A segment that starts beyond the next byte a direction
 * expects, where the parser could not follow it (clipper_ws_ahead()), is
 * held back: a clone without its route and conntrack references, at most
 * CLIPPER_WS_HOLD per direction and CLIPPER_WS_HELD_BYTES of packet memory
 * in a namespace.  Once the bytes in front of it have come it is fed; if they
 * do not come within a second, or there is no room, the direction loses
 * the stream (desync), as it would have without holding.  veth pairs, for
 * one, deliver a flow's segments on whichever CPU sent them, so two CPUs
 * can pass them to the rule out of order.
 */
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#include "core.h"
#include "netlink.h"

#include "wsparse.h"

#define CLIPPER_WS_GC_INTERVAL	HZ
/* segments held back per direction, their memory per namespace, their age */
#define CLIPPER_WS_HOLD		16
#define CLIPPER_WS_HELD_BYTES	(4 << 20)
#define CLIPPER_WS_HOLD_AGE	HZ
/* a SYN whose conntrack entry is still unconfirmed this late was dropped */
#define CLIPPER_WS_UNCONFIRMED	(5 * HZ)

/* A segment held back: a clone, its payload from off on. */
struct clipper_ws_held {
	struct sk_buff		*skb;		/* NULL: free slot */
	unsigned long		when;		/* jiffies */
	u32			seq;
	u16			off;
};

struct clipper_ws_stash {
	struct clipper_ws_held	h[2][CLIPPER_WS_HOLD];	/* [c2s] */
};

/* clipper_ws_entry.kind */
enum {
	CLIPPER_WS_FULL,
	CLIPPER_WS_PENDING,
};

/* What both kinds of entry start with: the table's part. */
struct clipper_ws_entry {
	struct rhash_head	node;
	struct nf_conn		*ct;		/* the key; a reference; NULL: gone */
	struct list_head	list;		/* ws->list, RCU */
	unsigned long		last;		/* jiffies of the last packet */
	spinlock_t		lock;		/* next_seq, or the full entry's state */
	u8			kind;		/* CLIPPER_WS_FULL, _PENDING */
	bool			upgraded;	/* full: counted in ws->active */
	bool			s2c_known;	/* pending: next_seq[0] is set */
	/*
	 * All a pending entry has of its own, a flow that has sent no
	 * payload yet: read and written under the lock while ct is set,
	 * never after.  Once the entry is gone the RCU head takes its room.
	 */
	union {
		u32		next_seq[2];	/* pending: [c2s], its first byte */
		struct rcu_head	rcu;		/* gone */
	};
};

struct clipper_ws_conn {
	struct clipper_ws_entry	e;
	struct clipper_ws_stash	*stash;		/* NULL until a reorder */
	struct clipper_ws_flow	f;
};

/* The key is a pointer: one multiplication hashes it (jhash2 takes ~40). */
static u32 clipper_ws_hashfn(const void *data, u32 len, u32 seed)
{
	return hash_long((unsigned long)*(void * const *)data ^ seed, 32);
}

/* and one comparison tells it (memcmp() of the key is a byte loop) */
static inline int clipper_ws_cmpfn(struct rhashtable_compare_arg *arg,
				   const void *obj)
{
	const struct clipper_ws_entry *e = obj;

	return e->ct != *(struct nf_conn * const *)arg->key;
}

static const struct rhashtable_params clipper_ws_params = {
	.head_offset		= offsetof(struct clipper_ws_entry, node),
	.key_offset		= offsetof(struct clipper_ws_entry, ct),
	.key_len		= sizeof(struct nf_conn *),
	.hashfn			= clipper_ws_hashfn,
	.obj_cmpfn		= clipper_ws_cmpfn,
	.automatic_shrinking	= true,
};

static struct kmem_cache *clipper_ws_cache __read_mostly;
static struct kmem_cache *clipper_ws_pending_cache __read_mostly;

static struct clipper_ws_conn *clipper_ws_conn(struct clipper_ws_entry *e)
{
	return container_of(e, struct clipper_ws_conn, e);
}

/* ---- the payload of a segment, for the parser ----------------------------- */

struct clipper_ws_skb {
	const struct sk_buff	*skb;
	unsigned int		off;		/* of the payload */
};

static const u8 *clipper_ws_skb_get(void *ctx, unsigned int off,
				    unsigned int len, u8 *buf)
{
	const struct clipper_ws_skb *s = ctx;

	return skb_header_pointer(s->skb, s->off + off, len, buf);
}

/*
 * What the parser counts goes straight to this CPU's totals of the
 * direction (tot: its first counter, clipper_ws_tot()), inside
 * u64_stats_update_begin/end.
 */
void clipper_ws_add(void *tot, unsigned int ctr, u64 n)
{
	u64_stats_add((u64_stats_t *)tot + ctr, n);
}

/* This CPU's totals of a direction, for clipper_ws_add(); BHs off. */
static u64_stats_t *clipper_ws_tot(struct clipper_pcpu_stats *s, bool c2s)
{
	return &s->v[c2s ? CLIPPER_ST_WS_C2S : CLIPPER_ST_WS_S2C];
}

/*
 * Feed the payload of skb from off on; c->lock held, and tot's
 * u64_stats_update_begin().
 */
static void clipper_ws_feed_skb(struct clipper_ws_conn *c, bool c2s,
				const struct sk_buff *skb, unsigned int off,
				u32 seq, u64_stats_t *tot)
{
	struct clipper_ws_skb ctx = { .skb = skb, .off = off };
	struct clipper_ws_src src = {
		.get = clipper_ws_skb_get,
		.ctx = &ctx,
		.len = skb->len - off,
		/* the payload's bytes in the head, read without a call */
		.nlinear = skb_headlen(skb) > off ? skb_headlen(skb) - off : 0,
		.data = skb->data + off,
		.tot = tot,
	};

	clipper_ws_feed(&c->f, c2s, seq, &src);
}

/* ---- segments held back -------------------------------------------------- */

static void clipper_ws_unhold(struct clipper_ws *ws, struct clipper_ws_held *h)
{
	atomic_sub(h->skb->truesize, &ws->held);
	kfree_skb(h->skb);
	h->skb = NULL;
}

/* Drop what a direction holds; c->lock held. */
static void clipper_ws_unhold_dir(struct clipper_ws *ws,
				  struct clipper_ws_conn *c, bool c2s)
{
	unsigned int i;

	for (i = 0; c->stash && i < CLIPPER_WS_HOLD; i++)
		if (c->stash->h[c2s][i].skb)
			clipper_ws_unhold(ws, &c->stash->h[c2s][i]);
}

static void clipper_ws_stash_free(struct clipper_ws *ws,
				  struct clipper_ws_conn *c)
{
	clipper_ws_unhold_dir(ws, c, false);
	clipper_ws_unhold_dir(ws, c, true);
	kfree(c->stash);
	c->stash = NULL;
}

/* Hold a segment back; false when there is no room.  c->lock held. */
static bool clipper_ws_hold(struct clipper_net *cn, struct clipper_ws_conn *c,
			    bool c2s, struct sk_buff *skb,
			    unsigned int off, u32 seq)
{
	struct clipper_ws *ws = &cn->ws;
	struct clipper_ws_held *h = NULL;
	struct sk_buff *clone;
	unsigned int i;

	if (off > U16_MAX)
		return false;
	if (!c->stash) {
		c->stash = kzalloc(sizeof(*c->stash), GFP_ATOMIC);
		if (!c->stash)
			return false;
	}
	for (i = 0; i < CLIPPER_WS_HOLD && !h; i++)
		if (!c->stash->h[c2s][i].skb)
			h = &c->stash->h[c2s][i];
	if (!h)
		return false;
	if (atomic_add_return(skb->truesize, &ws->held) > CLIPPER_WS_HELD_BYTES)
		goto full;
	clone = skb_clone(skb, GFP_ATOMIC);
	if (!clone)
		goto full;
	/* what is counted is what is given back: the clone's truesize */
	atomic_add(clone->truesize - skb->truesize, &ws->held);
	/* nothing of the route or the namespace is kept alive by it */
	skb_dst_drop(clone);
	nf_reset_ct(clone);
	clone->dev = NULL;
	h->skb = clone;
	h->when = jiffies;
	h->seq = seq;
	h->off = off;
	clipper_stats_add(cn, CLIPPER_ST_WS_HELD, 1);
	return true;

full:
	atomic_sub(skb->truesize, &ws->held);
	return false;
}

/*
 * Feed the held segments of a direction that the stream has reached, in
 * sequence order; with force, all of them (their gap will not be filled).
 * What the direction no longer needs is dropped.  c->lock held, and tot's
 * u64_stats_update_begin().
 */
static void clipper_ws_drain(struct clipper_ws *ws, struct clipper_ws_conn *c,
			     bool c2s, bool force, u64_stats_t *tot)
{
	struct clipper_ws_held *h, *first;
	unsigned int i;
	u32 next;

	while (c->stash) {
		next = clipper_ws_next_seq(&c->f, c2s);
		first = NULL;
		for (i = 0; i < CLIPPER_WS_HOLD; i++) {
			h = &c->stash->h[c2s][i];
			if (h->skb && (!first ||
				       (s32)(h->seq - next) < (s32)(first->seq - next)))
				first = h;
		}
		if (!first || (!force && (s32)(first->seq - next) > 0))
			break;
		clipper_ws_feed_skb(c, c2s, first->skb, first->off, first->seq,
				    tot);
		clipper_ws_unhold(ws, first);
	}
	if (c->f.phase == CLIPPER_WS_NOT_WS ||
	    (c2s ? c->f.c2s.st : c->f.s2c.st) == CLIPPER_WS_ST_STOP)
		clipper_ws_unhold_dir(ws, c, c2s);
}

/* ---- the table --------------------------------------------------------------- */

static void clipper_ws_free(struct clipper_ws_entry *e)
{
	if (e->kind == CLIPPER_WS_PENDING)
		kmem_cache_free(clipper_ws_pending_cache, e);
	else
		kmem_cache_free(clipper_ws_cache, clipper_ws_conn(e));
}

static void clipper_ws_free_rcu(struct rcu_head *head)
{
	clipper_ws_free(container_of(head, struct clipper_ws_entry, rcu));
}

/* ws->lock and e->lock held; e->ct NULL afterwards marks it gone */
static void clipper_ws_unlink(struct clipper_ws *ws, struct clipper_ws_entry *e)
{
	rhashtable_remove_fast(&ws->conns, &e->node, clipper_ws_params);
	list_del_rcu(&e->list);
	WRITE_ONCE(ws->count, ws->count - 1);
	ws->generation++;
	if (e->kind == CLIPPER_WS_PENDING) {
		WRITE_ONCE(ws->pending, ws->pending - 1);
	} else {
		if (e->upgraded)
			atomic_dec(&ws->active);
		clipper_ws_stash_free(ws, clipper_ws_conn(e));
	}
	nf_ct_put(e->ct);
	e->ct = NULL;
	call_rcu(&e->rcu, clipper_ws_free_rcu);
}

/* BHs off */
static void clipper_ws_remove(struct clipper_ws *ws, struct clipper_ws_entry *e)
{
	spin_lock(&ws->lock);
	spin_lock(&e->lock);
	if (e->ct)		/* else the worker took it away meanwhile */
		clipper_ws_unlink(ws, e);
	spin_unlock(&e->lock);
	spin_unlock(&ws->lock);
}

static void clipper_ws_no_room(struct clipper_net *cn)
{
	clipper_stats_add(cn, CLIPPER_ST_WS_TABLE_FULL, 1);
	clipper_limit_event(cn, CLIPPER_LIMIT_WS, READ_ONCE(cn->ws.max),
			    GFP_ATOMIC);
}

/* A new flow's SYN: follow it, if there is room.  BHs off. */
static void clipper_ws_new(struct clipper_net *cn, struct nf_conn *ct,
			   u32 isn)
{
	struct clipper_ws *ws = &cn->ws;
	struct clipper_ws_entry *p, *old;

	if (READ_ONCE(ws->count) >= READ_ONCE(ws->max))
		goto full;
	p = kmem_cache_zalloc(clipper_ws_pending_cache, GFP_ATOMIC);
	if (!p)
		goto full;
	p->ct = ct;
	p->last = jiffies;
	p->kind = CLIPPER_WS_PENDING;
	spin_lock_init(&p->lock);
	p->next_seq[1] = isn + 1;

	spin_lock(&ws->lock);
	if (ws->count >= ws->max) {
		spin_unlock(&ws->lock);
		kmem_cache_free(clipper_ws_pending_cache, p);
		goto full;
	}
	old = rhashtable_lookup_get_insert_fast(&ws->conns, &p->node,
						clipper_ws_params);
	if (old) {
		/* the same SYN on another CPU, or no memory */
		spin_unlock(&ws->lock);
		kmem_cache_free(clipper_ws_pending_cache, p);
		return;
	}
	nf_conntrack_get(&ct->ct_general);
	list_add_tail_rcu(&p->list, &ws->list);
	WRITE_ONCE(ws->count, ws->count + 1);
	WRITE_ONCE(ws->pending, ws->pending + 1);
	ws->generation++;
	spin_unlock(&ws->lock);
	clipper_stats_add(cn, CLIPPER_ST_WS_TRACKED, 1);
	return;

full:
	clipper_ws_no_room(cn);
}

/*
 * A pending entry's SYN/ACK: where the server's bytes start.  One that
 * comes after the flow's first payload (sent again) is for the parser;
 * for an entry gone meanwhile it is dropped, and the server's first
 * payload tells instead.
 */
static noinline void clipper_ws_synack(struct clipper_ws_entry *e, u32 seq)
{
	spin_lock(&e->lock);
	if (e->ct && e->kind == CLIPPER_WS_PENDING) {
		e->next_seq[0] = seq;
		e->s2c_known = true;
	} else if (e->ct) {
		clipper_ws_expect(&clipper_ws_conn(e)->f, false, seq);
	}
	spin_unlock(&e->lock);
}

/*
 * The flow's first payload: c, new, takes pending p's place in the table
 * and the list, and its conntrack reference.  ws->lock and p->lock held.
 */
static bool clipper_ws_replace(struct clipper_ws *ws,
			       struct clipper_ws_entry *p,
			       struct clipper_ws_conn *c)
{
	c->e.ct = p->ct;
	c->e.last = p->last;
	c->e.kind = CLIPPER_WS_FULL;
	spin_lock_init(&c->e.lock);
	clipper_ws_expect(&c->f, true, p->next_seq[1]);
	if (p->s2c_known)
		clipper_ws_expect(&c->f, false, p->next_seq[0]);
	if (rhashtable_replace_fast(&ws->conns, &p->node, &c->e.node,
				    clipper_ws_params))
		return false;
	list_replace_rcu(&p->list, &c->e.list);
	WRITE_ONCE(ws->pending, ws->pending - 1);
	p->ct = NULL;
	call_rcu(&p->rcu, clipper_ws_free_rcu);
	return true;
}

/*
 * The entry the fast path found for ct is not a full entry in the table:
 * it is pending (this is the flow's first payload: replace it) or gone
 * (removed, or replaced on another CPU: look again).  Looked up again
 * under ws->lock, where entries neither come nor go.  Returns the full
 * entry, for the caller to lock and check, or NULL.  A full entry that
 * cannot be had (no memory) costs the flow its pending one, as a SYN
 * finding no room does.
 */
static noinline struct clipper_ws_entry *
clipper_ws_refind(struct clipper_net *cn, struct nf_conn *ct)
{
	struct clipper_ws *ws = &cn->ws;
	struct clipper_ws_conn *c;
	struct clipper_ws_entry *e;
	bool ok;

	spin_lock(&ws->lock);
	e = rhashtable_lookup(&ws->conns, &ct, clipper_ws_params);
	if (!e || e->kind == CLIPPER_WS_FULL) {
		spin_unlock(&ws->lock);
		return e;
	}
	c = kmem_cache_zalloc(clipper_ws_cache, GFP_ATOMIC);
	spin_lock(&e->lock);
	ok = c && clipper_ws_replace(ws, e, c);
	if (!ok)
		clipper_ws_unlink(ws, e);
	spin_unlock(&e->lock);
	spin_unlock(&ws->lock);
	if (ok)
		return &c->e;
	if (c)
		kmem_cache_free(clipper_ws_cache, c);
	clipper_ws_no_room(cn);
	return NULL;
}

/* A direction that was in state was: did it stop, and why? */
static void clipper_ws_stopped(struct clipper_net *cn,
			       const struct clipper_ws_flow *f,
			       const struct clipper_ws_dir *d, u8 was)
{
	if (d->st == CLIPPER_WS_ST_STOP && was != CLIPPER_WS_ST_STOP &&
	    f->phase != CLIPPER_WS_NOT_WS)
		clipper_stats_add(cn, d->flags & CLIPPER_WS_MALFORMED ?
				  CLIPPER_ST_WS_MALFORMED :
				  CLIPPER_ST_WS_DESYNC, 1);
}

/*
 * What the shortcuts in clipper_ws_tcp() leave: the segment held back or
 * parsed, from off (seq) on.  Out of line, so that a segment a shortcut
 * takes pays for none of this one's stack (the parser's buffers, zeroed
 * first on kernels built with INIT_STACK_ALL_ZERO, Debian's) and no
 * stack canary.  Called with c's lock held; releases it.
 */
static noinline void clipper_ws_parse(struct clipper_net *cn,
				      struct clipper_ws_conn *c, bool c2s,
				      struct sk_buff *skb, unsigned int off,
				      u32 seq)
	__releases(&c->e.lock)
{
	struct clipper_ws *ws = &cn->ws;
	struct clipper_pcpu_stats *s;
	struct clipper_ws_dir *d;
	u8 phase, was, was_phase;
	bool gone;

	d = c2s ? &c->f.c2s : &c->f.s2c;
	was = d->st;
	was_phase = c->f.phase;
	if (!clipper_ws_ahead(&c->f, c2s, seq) ||
	    !clipper_ws_hold(cn, c, c2s, skb, off, seq)) {
		s = this_cpu_ptr(cn->stats);
		u64_stats_update_begin(&s->syncp);
		clipper_ws_feed_skb(c, c2s, skb, off, seq,
				    clipper_ws_tot(s, c2s));
		if (c->stash)
			clipper_ws_drain(ws, c, c2s, false,
					 clipper_ws_tot(s, c2s));
		u64_stats_update_end(&s->syncp);
	}
	phase = c->f.phase;
	if (phase == CLIPPER_WS_OPEN && !c->e.upgraded) {
		c->e.upgraded = true;
		atomic_inc(&ws->active);
		clipper_stats_add(cn, CLIPPER_ST_WS_FLOWS, 1);
	}
	clipper_ws_stopped(cn, &c->f, d, was);
	/* once: the other direction's CPU may be here with it too */
	gone = phase == CLIPPER_WS_NOT_WS && was_phase != CLIPPER_WS_NOT_WS;
	spin_unlock(&c->e.lock);

	if (gone) {
		clipper_stats_add(cn, CLIPPER_ST_WS_NOT_WS, 1);
		clipper_ws_remove(ws, &c->e);
	}
}

/*
 * A TCP segment of conntrack entry ct, its header th (at thoff).  Out of
 * line: inlined, the address of ct, the table's key, would cost
 * clipper_ws() a stack canary on every packet.
 */
static noinline void clipper_ws_tcp(struct clipper_net *cn,
				    struct sk_buff *skb, struct nf_conn *ct,
				    enum ip_conntrack_info ctinfo,
				    unsigned int thoff, const struct tcphdr *th)
{
	struct clipper_ws *ws = &cn->ws;
	unsigned int hlen, len, used = 0;
	struct clipper_pcpu_stats *s;
	struct clipper_ws_entry *e;
	struct clipper_ws_conn *c;
	bool c2s;
	u32 seq;

	hlen = th->doff * 4;
	c2s = CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL;

	e = READ_ONCE(ws->count) ?
	    rhashtable_lookup(&ws->conns, &ct, clipper_ws_params) : NULL;
	if (!e) {
		if (th->syn && !th->ack && c2s && ctinfo == IP_CT_NEW)
			clipper_ws_new(cn, ct, ntohl(th->seq));
		return;
	}
	/* where the server's bytes start */
	if (th->syn && th->ack && !c2s)
		clipper_ws_synack(e, ntohl(th->seq) + 1);
	if (time_after(jiffies, READ_ONCE(e->last)))
		WRITE_ONCE(e->last, jiffies);
	if (hlen < sizeof(*th) || skb->len <= thoff + hlen)
		return;
	/* a SYN's payload (TCP Fast Open) starts after the SYN's number */
	seq = ntohl(th->seq) + th->syn;

	spin_lock(&e->lock);
	if (unlikely(e->kind != CLIPPER_WS_FULL || !e->ct)) {
		spin_unlock(&e->lock);
		e = clipper_ws_refind(cn, ct);
		if (!e)
			return;
		spin_lock(&e->lock);
		if (!e->ct) {		/* removed meanwhile */
			spin_unlock(&e->lock);
			return;
		}
	}
	c = clipper_ws_conn(e);
	len = skb->len - thoff - hlen;
	if (!c->stash && c->e.upgraded) {
		/*
		 * Inside a frame's payload, in order, with nothing held
		 * back: the parser only counts the bytes going by.
		 */
		if (clipper_ws_feed_skip(&c->f, c2s, seq, len)) {
			spin_unlock(&c->e.lock);
			clipper_stats_add(cn, (c2s ? CLIPPER_ST_WS_C2S :
					       CLIPPER_ST_WS_S2C) +
					  CLIPPER_WS_CTR_PAYLOAD, len);
			return;
		}
		/* small frames, read in the linear part */
		if (skb_headlen(skb) > thoff + hlen) {
			s = this_cpu_ptr(cn->stats);
			u64_stats_update_begin(&s->syncp);
			used = clipper_ws_feed_frames(&c->f, c2s, seq,
						      skb->data + thoff + hlen,
						      min(len, skb_headlen(skb) -
							  thoff - hlen),
						      clipper_ws_tot(s, c2s));
			u64_stats_update_end(&s->syncp);
			if (used == len) {
				spin_unlock(&c->e.lock);
				return;
			}
		}
	}
	clipper_ws_parse(cn, c, c2s, skb, thoff + hlen + used, seq + used);
}

/*
 * The rare TCP header not all in the linear part: pulled there first.  Out
 * of line, so that the usual segment's path keeps nothing for the call.
 */
static noinline void clipper_ws_pull(struct clipper_net *cn,
				     struct sk_buff *skb, struct nf_conn *ct,
				     enum ip_conntrack_info ctinfo,
				     unsigned int thoff)
{
	if (pskb_may_pull(skb, thoff + sizeof(struct tcphdr)))
		clipper_ws_tcp(cn, skb, ct, ctinfo, thoff,
			       (const struct tcphdr *)(skb->data + thoff));
}

/*
 * The target's entry for a TCP packet; BHs off, RCU read side.  The TCP
 * header is read in place: no copy, no buffer on the stack.
 */
void clipper_ws(struct clipper_net *cn, struct sk_buff *skb, u8 family,
		unsigned int thoff)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_protonum(ct) != IPPROTO_TCP) {
		clipper_stats_add(cn, CLIPPER_ST_WS_NO_CT, 1);
		return;
	}
	if (unlikely(skb_headlen(skb) < thoff + sizeof(struct tcphdr)))
		clipper_ws_pull(cn, skb, ct, ctinfo, thoff);
	else
		clipper_ws_tcp(cn, skb, ct, ctinfo, thoff,
			       (const struct tcphdr *)(skb->data + thoff));
}

/* ---- the worker ---------------------------------------------------------------- */

static bool clipper_ws_stale(const struct clipper_ws *ws,
			     struct clipper_ws_entry *e,
			     unsigned long now, bool *idle)
{
	const struct nf_conn *ct = e->ct;
	u8 state;

	*idle = false;
	if (nf_ct_is_dying(ct) ||
	    (e->kind == CLIPPER_WS_FULL &&
	     READ_ONCE(clipper_ws_conn(e)->f.phase) == CLIPPER_WS_NOT_WS))
		return true;
	/*
	 * An unconfirmed entry's timeout is not a point in time yet.  Its
	 * SYN was the only packet (a SYN sent again makes an entry of its
	 * own), so last is when it came.
	 */
	if (!nf_ct_is_confirmed(ct))
		return time_after(now, READ_ONCE(e->last) +
				  CLIPPER_WS_UNCONFIRMED);
	if (nf_ct_is_expired(ct))
		return true;
	state = READ_ONCE(ct->proto.tcp.state);
	if (state == TCP_CONNTRACK_TIME_WAIT || state == TCP_CONNTRACK_CLOSE)
		return true;
	*idle = time_after(now, READ_ONCE(e->last) +
			   msecs_to_jiffies(READ_ONCE(ws->timeout_ms)));
	return *idle;
}

/*
 * Segments held for longer than CLIPPER_WS_HOLD_AGE: the bytes in front of
 * them are not coming; feed them for what they are (desync, mostly).  BHs
 * off (for the per-CPU totals).
 */
static void clipper_ws_gc_held(struct clipper_net *cn,
			       struct clipper_ws_conn *c, unsigned long now)
{
	struct clipper_pcpu_stats *s = this_cpu_ptr(cn->stats);
	struct clipper_ws_dir *d;
	unsigned int i, k;
	bool old;
	u8 was;

	spin_lock(&c->e.lock);
	for (k = 0; k < 2 && c->stash; k++) {
		old = false;
		for (i = 0; i < CLIPPER_WS_HOLD; i++)
			old |= c->stash->h[k][i].skb &&
			       time_after(now, c->stash->h[k][i].when +
					  CLIPPER_WS_HOLD_AGE);
		if (!old)
			continue;
		d = k ? &c->f.c2s : &c->f.s2c;
		was = d->st;
		u64_stats_update_begin(&s->syncp);
		clipper_ws_drain(&cn->ws, c, k, true, clipper_ws_tot(s, k));
		u64_stats_update_end(&s->syncp);
		clipper_ws_stopped(cn, &c->f, d, was);
	}
	spin_unlock(&c->e.lock);
}

static void clipper_ws_gc(struct work_struct *work)
{
	struct clipper_ws *ws = container_of(to_delayed_work(work),
					     struct clipper_ws, gc);
	struct clipper_net *cn = container_of(ws, struct clipper_net, ws);
	struct clipper_ws_entry *e, *tmp;
	unsigned long now = jiffies;
	unsigned int expired = 0;
	bool idle;

	spin_lock_bh(&ws->lock);
	list_for_each_entry_safe(e, tmp, &ws->list, list) {
		if (e->kind == CLIPPER_WS_FULL && clipper_ws_conn(e)->stash)
			clipper_ws_gc_held(cn, clipper_ws_conn(e), now);
		if (!clipper_ws_stale(ws, e, now, &idle))
			continue;
		expired += idle;
		/* the fast path may hold the entry: it checks e->ct */
		spin_lock(&e->lock);
		clipper_ws_unlink(ws, e);
		spin_unlock(&e->lock);
	}
	spin_unlock_bh(&ws->lock);
	if (expired)
		clipper_stats_add_slow(cn, CLIPPER_ST_WS_EXPIRED, expired);
	queue_delayed_work(system_power_efficient_wq, &ws->gc,
			   CLIPPER_WS_GC_INTERVAL);
}

/* A --ws-count rule was added: the worker runs from now on. */
void clipper_ws_rule_get(struct clipper_net *cn)
{
	mutex_lock(&cn->lock);
	if (!cn->ws.gc_on) {
		cn->ws.gc_on = true;
		queue_delayed_work(system_power_efficient_wq, &cn->ws.gc,
				   CLIPPER_WS_GC_INTERVAL);
	}
	mutex_unlock(&cn->lock);
}

/* ---- netlink --------------------------------------------------------------------- */

static int clipper_ws_fill_dir(struct sk_buff *msg, int attr,
			       const struct clipper_ws_dir *d)
{
	struct nlattr *nest, *ctrs;
	int i;

	nest = nla_nest_start(msg, attr);
	if (!nest)
		return -EMSGSIZE;
	ctrs = nla_nest_start(msg, CLIPPER_WS_DIR_A_COUNTERS);
	if (!ctrs)
		goto cancel;
	for (i = 0; i < CLIPPER_WS_NCLASS; i++)
		if (nla_put_u64_64bit(msg, CLIPPER_CTR_TEXT + i, d->frames[i],
				      CLIPPER_CTR_PAD))
			goto cancel;
	if (nla_put_u64_64bit(msg, CLIPPER_CTR_PAYLOAD_BYTES, d->payload_bytes,
			      CLIPPER_CTR_PAD) ||
	    nla_put_u64_64bit(msg, CLIPPER_CTR_HEADER_BYTES, d->header_bytes,
			      CLIPPER_CTR_PAD))
		goto cancel;
	nla_nest_end(msg, ctrs);
	if (((d->flags & CLIPPER_WS_DESYNC) &&
	     nla_put_flag(msg, CLIPPER_WS_DIR_A_DESYNC)) ||
	    ((d->flags & CLIPPER_WS_MALFORMED) &&
	     nla_put_flag(msg, CLIPPER_WS_DIR_A_MALFORMED)))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;

cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

/* One flow, from a copy of its state taken under its lock. */
static int clipper_ws_fill(struct sk_buff *msg,
			   const struct nf_conntrack_tuple *t,
			   const struct clipper_ws_flow *f, u64 idle_ms)
{
	bool v4 = t->src.l3num == NFPROTO_IPV4;
	struct nlattr *nest;

	nest = nla_nest_start(msg, CLIPPER_A_WS);
	if (!nest ||
	    nla_put_u8(msg, CLIPPER_WS_A_FAMILY, v4 ? AF_INET : AF_INET6) ||
	    nla_put(msg, CLIPPER_WS_A_SRC, v4 ? 4 : 16, &t->src.u3) ||
	    nla_put_u16(msg, CLIPPER_WS_A_SPORT, ntohs(t->src.u.tcp.port)) ||
	    nla_put(msg, CLIPPER_WS_A_DST, v4 ? 4 : 16, &t->dst.u3) ||
	    nla_put_u16(msg, CLIPPER_WS_A_DPORT, ntohs(t->dst.u.tcp.port)) ||
	    nla_put_u8(msg, CLIPPER_WS_A_PROTOCOL, f->proto) ||
	    clipper_ws_fill_dir(msg, CLIPPER_WS_A_C2S, &f->c2s) ||
	    clipper_ws_fill_dir(msg, CLIPPER_WS_A_S2C, &f->s2c) ||
	    nla_put_u64_64bit(msg, CLIPPER_WS_A_IDLE, idle_ms,
			      CLIPPER_WS_A_PAD)) {
		if (nest)
			nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Dump the upgraded flows from *pos on (a position among them); 0 when
 * done, -EMSGSIZE when the message is full.
 */
int clipper_ws_dump(struct clipper_net *cn, struct sk_buff *skb,
		    struct netlink_callback *cb, long *pos)
{
	struct clipper_ws *ws = &cn->ws;
	struct nf_conntrack_tuple t;
	struct clipper_ws_entry *e;
	struct clipper_ws_flow f;
	unsigned long last;
	long i = 0;
	void *hdr;
	int ret = 0;

	rcu_read_lock();
	cb->seq = READ_ONCE(ws->generation);
	list_for_each_entry_rcu(e, &ws->list, list) {
		/* a pending entry is never upgraded */
		spin_lock_bh(&e->lock);
		if (!e->ct || !e->upgraded) {
			spin_unlock_bh(&e->lock);
			continue;
		}
		if (i++ < *pos) {
			spin_unlock_bh(&e->lock);
			continue;
		}
		f = clipper_ws_conn(e)->f;
		t = e->ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
		last = READ_ONCE(e->last);
		spin_unlock_bh(&e->lock);

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &clipper_family,
				  NLM_F_MULTI, CLIPPER_CMD_WS_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (clipper_ws_fill(skb, &t, &f,
				    jiffies_to_msecs(jiffies - last))) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		(*pos)++;
	}
	rcu_read_unlock();
	return ret;
}

/* The settings and the table's fill, for CLIPPER_CMD_CONFIG_GET. */
int clipper_ws_config_fill(struct sk_buff *msg, struct clipper_net *cn)
{
	struct clipper_ws *ws = &cn->ws;

	if (nla_put_u32(msg, CLIPPER_CONFIG_A_WS_MAX, READ_ONCE(ws->max)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_WS_COUNT, READ_ONCE(ws->count)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_WS_ACTIVE,
			atomic_read(&ws->active)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_WS_TIMEOUT,
			READ_ONCE(ws->timeout_ms)) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_WS_PENDING,
			READ_ONCE(ws->pending)))
		return -EMSGSIZE;
	return 0;
}

/*
 * The settings of CLIPPER_CMD_CONFIG_SET that are given (tb: the nested
 * CLIPPER_A_CONFIG, checked by netlink.c).  Under cn->lock.
 */
void clipper_ws_config_set(struct clipper_net *cn, struct nlattr **tb)
{
	struct clipper_ws *ws = &cn->ws;

	lockdep_assert_held(&cn->lock);
	/* a lower ws-max refuses new flows until the table shrinks */
	if (tb[CLIPPER_CONFIG_A_WS_MAX])
		WRITE_ONCE(ws->max, nla_get_u32(tb[CLIPPER_CONFIG_A_WS_MAX]));
	if (tb[CLIPPER_CONFIG_A_WS_TIMEOUT])
		WRITE_ONCE(ws->timeout_ms,
			   nla_get_u32(tb[CLIPPER_CONFIG_A_WS_TIMEOUT]));
}

/* ---- per namespace ------------------------------------------------------------- */

int clipper_ws_init(struct clipper_net *cn)
{
	struct clipper_ws *ws = &cn->ws;

	BUILD_BUG_ON(CLIPPER_WS_NCLASS != CLIPPER_WS_CTR_PAYLOAD);
	BUILD_BUG_ON(CLIPPER_WS_NCLASS + 1 != CLIPPER_WS_CTR_HEADER);
	BUILD_BUG_ON(CLIPPER_CTR_OTHER - CLIPPER_CTR_TEXT + 1 !=
		     CLIPPER_WS_NCLASS);
	BUILD_BUG_ON((int)CLIPPER_WS_PROTO_HIXIE75 !=
		     (int)CLIPPER_WS_PROTOCOL_HIXIE75);

	spin_lock_init(&ws->lock);
	INIT_LIST_HEAD(&ws->list);
	atomic_set(&ws->active, 0);
	atomic_set(&ws->held, 0);
	ws->max = CLIPPER_WS_MAX_DEFAULT;
	ws->timeout_ms = CLIPPER_WS_TIMEOUT_DEFAULT;
	INIT_DELAYED_WORK(&ws->gc, clipper_ws_gc);
	return rhashtable_init(&ws->conns, &clipper_ws_params);
}

/* Namespace going away, or the module: no rule, no packet left. */
void clipper_ws_exit(struct clipper_net *cn)
{
	struct clipper_ws *ws = &cn->ws;
	struct clipper_ws_entry *e, *tmp;

	cancel_delayed_work_sync(&ws->gc);
	rhashtable_destroy(&ws->conns);
	list_for_each_entry_safe(e, tmp, &ws->list, list) {
		if (e->kind == CLIPPER_WS_FULL)
			clipper_ws_stash_free(ws, clipper_ws_conn(e));
		nf_ct_put(e->ct);
		clipper_ws_free(e);
	}
}

int __init clipper_ws_module_init(void)
{
	clipper_ws_cache = KMEM_CACHE(clipper_ws_conn, 0);
	clipper_ws_pending_cache = KMEM_CACHE(clipper_ws_entry, 0);
	if (clipper_ws_cache && clipper_ws_pending_cache)
		return 0;
	clipper_ws_module_exit();
	return -ENOMEM;
}

void clipper_ws_module_exit(void)
{
	kmem_cache_destroy(clipper_ws_pending_cache);
	kmem_cache_destroy(clipper_ws_cache);
}

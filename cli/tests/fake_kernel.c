// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: a fake kernel for the golden-output tests (tests/golden.sh).
 *
 * Linked into tests/clipper-fake with the whole tool (main.o and every
 * object) and -Wl,--wrap for the libmnl socket calls and clock_gettime():
 * the real command line, request and receive loop run, but the socket is
 * this file.  It answers the family lookup, then each request with the
 * replies of a scenario, built with libmnl as the module builds them;
 * joining the monitor group queues the scenario's events.  The clock is
 * fixed at 2026-01-02T03:04:05.678Z so times ago print the same each run.
 *
 *	CLIPPER_FAKE=SCENARIO tests/clipper-fake [OPTIONS] OBJECT [VERB...]
 *
 * Scenarios: typical, empty, max, names, many, newer, partial, errors,
 * older, nomodule.  As the module does, each refuses a request that says
 * it speaks a newer protocol than the scenario's module: older's is
 * CLIPPER_PROTOCOL - 1, the others' CLIPPER_PROTOCOL.  nomodule has no
 * clipper family ("family not found", ENOENT).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "clipper.h"
#include "xt_CLIPPER.h"

#define PORTID		4242
#define FAMILY		0x20
#define MCGRP		7
#define FAKE_NOW_S	1767323045	/* 2026-01-02T03:04:05Z */
#define FAKE_NOW_NS	678000000

#define DGRAM_SIZE	65536
#define DGRAM_CHUNK	32768	/* the kernel's dump chunk: a new datagram */
#define NDGRAMS		256

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define U32_MAX		0xffffffffU
#define U64_MAX		0xffffffffffffffffULL

/* ---- the datagrams waiting to be received ---- */

struct dgram {
	size_t len;
	bool event;		/* multicast: pid 0, seq 0 */
	char *buf;
};

static struct dgram q[NDGRAMS];
static unsigned int q_head, q_tail;
static uint32_t req_seq;
static bool q_event;		/* what is being queued */
static bool no_module;

static char msgbuf[16384] __attribute__((aligned(8)));

static void die(const char *what)
{
	fprintf(stderr, "fake kernel: %s\n", what);
	exit(99);
}

static struct dgram *q_last(void)
{
	return q_tail > q_head ? &q[q_tail - 1] : NULL;
}

/* Starts a new datagram for what follows. */
static void q_break(void)
{
	struct dgram *d;

	if (q_tail == NDGRAMS)
		die("too many datagrams");
	d = &q[q_tail++];
	d->len = 0;
	d->event = q_event;
	d->buf = aligned_alloc(8, DGRAM_SIZE);
	if (!d->buf)
		die("out of memory");
	memset(d->buf, 0, DGRAM_SIZE);
}

static void q_add(const struct nlmsghdr *nlh)
{
	struct dgram *d = q_last();
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	if (!d || d->event != q_event || d->len + len > DGRAM_CHUNK) {
		q_break();
		d = q_last();
	}
	memcpy(d->buf + d->len, nlh, nlh->nlmsg_len);
	d->len += len;
}

/* ---- building messages ---- */

static struct nlmsghdr *msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

/* A reply or event of the family, with the protocol version. */
static struct nlmsghdr *reply(uint8_t cmd, bool multi)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = msg(FAMILY, multi ? NLM_F_MULTI : 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = CLIPPER_GENL_VERSION;
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL);
	return nlh;
}

static void ack(int error, const char *text)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	nlh = msg(NLMSG_ERROR, NLM_F_CAPPED | (text ? NLM_F_ACK_TLVS : 0));
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	e->msg.nlmsg_type = FAMILY;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	q_add(nlh);
}

static void done(int error, const char *text)
{
	struct nlmsghdr *nlh;

	nlh = msg(NLMSG_DONE, NLM_F_MULTI | (text ? NLM_F_ACK_TLVS : 0));
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = error;
	if (text)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	q_add(nlh);
}

/* What a newer module might add: unknown attributes of other shapes. */
static void put_unknown(struct nlmsghdr *nlh, uint16_t max)
{
	struct nlattr *n;

	mnl_attr_put_u32(nlh, max + 1, 0xdeadbeef);
	mnl_attr_put_strz(nlh, max + 2, "from the future");
	n = mnl_attr_nest_start(nlh, max + 3);
	mnl_attr_put_u64(nlh, 1, 42);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_put(nlh, max + 7, 0, NULL);
}

/* ---- the scenarios' pieces ---- */

struct ctr {
	uint16_t id;
	uint64_t val;
};

struct section {
	uint16_t id;
	unsigned int n;
	const struct ctr *c;
};

static void put_counters(struct nlmsghdr *nlh, uint16_t type,
			 const struct ctr *c, unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, type);
	for (i = 0; i < n; i++) {
		/* as nla_put_u64_64bit() may: a pad before a counter */
		if (i % 3 == 1)
			mnl_attr_put(nlh, CLIPPER_CTR_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, c[i].id, c[i].val);
	}
	mnl_attr_nest_end(nlh, nest);
}

static void put_stats(struct nlmsghdr *nlh, const struct section *s,
		      unsigned int n)
{
	struct nlattr *nest;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	for (i = 0; i < n; i++)
		put_counters(nlh, s[i].id, s[i].c, s[i].n);
	mnl_attr_nest_end(nlh, nest);
}

#define SEC(id, arr) { id, ARRAY_SIZE(arr), arr }

struct rules {
	uint32_t total, classify, clamp, guard, ws;
};

static void put_rules(struct nlmsghdr *nlh, const struct rules *r)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, CLIPPER_A_RULES);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_TOTAL, r->total);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_CLASSIFY, r->classify);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_CLAMP_MSS, r->clamp);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_PMTU_GUARD, r->guard);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_WS_COUNT, r->ws);
	mnl_attr_nest_end(nlh, nest);
}

/* -1: the attribute is not sent */
struct config {
	int64_t def, rnd, mac_max, mac_count, mac_counters;
	int64_t pmtu_max, pmtu_count, pmtu_timeout, pmtu_retrans, pmtu_window;
	int64_t ws_max, ws_count, ws_active, ws_timeout, ws_pending;
};

/* Starts the CLIPPER_A_CONFIG nest with what c sends; returns the nest. */
static struct nlattr *put_config(struct nlmsghdr *nlh, const struct config *c)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
#define U8(a, v)	do { if ((v) >= 0) mnl_attr_put_u8(nlh, a, v); } while (0)
#define U32(a, v)	do { if ((v) >= 0) mnl_attr_put_u32(nlh, a, v); } while (0)
	U8(CLIPPER_CONFIG_A_DEFAULT_CLASS, c->def);
	U8(CLIPPER_CONFIG_A_RANDOM_CLASS, c->rnd);
	U32(CLIPPER_CONFIG_A_MAC_MAX, c->mac_max);
	U32(CLIPPER_CONFIG_A_MAC_COUNT, c->mac_count);
	U8(CLIPPER_CONFIG_A_MAC_COUNTERS, c->mac_counters);
	U32(CLIPPER_CONFIG_A_PMTU_MAX, c->pmtu_max);
	U32(CLIPPER_CONFIG_A_PMTU_COUNT, c->pmtu_count);
	U32(CLIPPER_CONFIG_A_PMTU_TIMEOUT, c->pmtu_timeout);
	U8(CLIPPER_CONFIG_A_PMTU_RETRANS, c->pmtu_retrans);
	U32(CLIPPER_CONFIG_A_PMTU_WINDOW, c->pmtu_window);
	U32(CLIPPER_CONFIG_A_WS_MAX, c->ws_max);
	U32(CLIPPER_CONFIG_A_WS_COUNT, c->ws_count);
	U32(CLIPPER_CONFIG_A_WS_ACTIVE, c->ws_active);
	U32(CLIPPER_CONFIG_A_WS_TIMEOUT, c->ws_timeout);
	U32(CLIPPER_CONFIG_A_WS_PENDING, c->ws_pending);
#undef U8
#undef U32
	return nest;
}

static void config_reply(const struct config *c, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_CONFIG_GET, false);
	struct nlattr *nest;

	nest = put_config(nlh, c);
	if (newer)
		put_unknown(nlh, CLIPPER_CONFIG_A_MAX);
	mnl_attr_nest_end(nlh, nest);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

/* NULL name: not sent; -1 priority / dscp: not sent */
struct class {
	int id;
	const char *name;
	uint32_t mark;
	int64_t priority;
	int dscp;
	uint64_t packets, bytes, flows;
};

static void class_msg(const struct class *c, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_CLASS_GET, true);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, c->id);
	if (c->name)
		mnl_attr_put_strz(nlh, CLIPPER_CLASS_A_NAME, c->name);
	if (c->mark)
		mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MARK, c->mark);
	if (c->priority >= 0)
		mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_PRIORITY, c->priority);
	if (c->dscp >= 0)
		mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_DSCP, c->dscp);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_PACKETS, c->packets);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_BYTES, c->bytes);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_FLOWS, c->flows);
	if (newer)
		put_unknown(nlh, CLIPPER_CLASS_A_MAX);
	mnl_attr_nest_end(nlh, n);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

/* prefix 0: not sent; cls 0: not sent; comment NULL: not sent */
struct mac {
	uint8_t addr[6];
	int prefix;
	int cls;
	const char *comment;
	uint64_t packets, bytes, flows;
	bool random;
};

static void mac_msg(const struct mac *m, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_MAC_GET, true);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, 6, m->addr);
	if (m->prefix)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_PREFIX, m->prefix);
	if (m->cls)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_CLASS, m->cls);
	if (m->comment)
		mnl_attr_put_strz(nlh, CLIPPER_MAC_A_COMMENT, m->comment);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_PACKETS, m->packets);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_BYTES, m->bytes);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_FLOWS, m->flows);
	if (m->random)
		mnl_attr_put(nlh, CLIPPER_MAC_A_RANDOM, 0, NULL);
	if (newer)
		put_unknown(nlh, CLIPPER_MAC_A_MAX);
	mnl_attr_nest_end(nlh, n);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

/* A path; the has_* bits say which optional attributes are sent. */
enum {
	P_DETECTED	= 1 << 0,
	P_SCOPE		= 1 << 1,
	P_LEARNED	= 1 << 2,
	P_STUCK		= 1 << 3,	/* STUCK_LEN and STUCK_RESENDS */
	P_SIDE		= 1 << 4,
	P_UNREP		= 1 << 5,
	P_GEN2		= P_SCOPE | P_LEARNED,
};

struct path {
	bool v6;
	uint8_t addr[16];
	uint32_t mtu;
	uint8_t state;
	uint64_t detected, age;
	uint32_t fixes, detections, icmp_sent, df_cleared, mss_clamped;
	uint8_t scope, learned, side;
	uint32_t senders, passed, outages, stuck_len, stuck_resends;
	uint32_t unrepaired;
	unsigned int has;
};

static void put_path(struct nlmsghdr *nlh, const struct path *p, bool newer)
{
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, p->v6 ? AF_INET6 : AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, p->v6 ? 16 : 4, p->addr);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MTU, p->mtu);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_STATE, p->state);
	if (p->has & P_DETECTED)
		mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_DETECTED, p->detected);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_FIXES, p->fixes);
	mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_AGE, p->age);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_DETECTIONS, p->detections);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_ICMP_SENT, p->icmp_sent);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_DF_CLEARED, p->df_cleared);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MSS_CLAMPED, p->mss_clamped);
	if (p->has & P_SCOPE)
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SCOPE, p->scope);
	if (p->has & P_LEARNED)
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_LEARNED, p->learned);
	if (p->has & P_GEN2) {
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SENDERS, p->senders);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_PASSED, p->passed);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_OUTAGES, p->outages);
	}
	if (p->has & P_STUCK) {
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_LEN, p->stuck_len);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_RESENDS,
				 p->stuck_resends);
	}
	if (p->has & P_SIDE)
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SIDE, p->side);
	if (p->has & P_UNREP)
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_UNREPAIRED, p->unrepaired);
	if (newer)
		put_unknown(nlh, CLIPPER_PMTU_A_MAX);
	mnl_attr_nest_end(nlh, n);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
}

static void path_msg(uint8_t cmd, const struct path *p, bool newer)
{
	struct nlmsghdr *nlh = reply(cmd, cmd == CLIPPER_CMD_PMTU_GET);

	put_path(nlh, p, newer);
	q_add(nlh);
}

/* One direction of a flow: frames text..other, payload, header bytes. */
struct wsdir {
	uint64_t frames[7];
	uint64_t payload, header;
	bool desync, malformed;
};

struct flow {
	bool v6;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint8_t proto;
	uint64_t idle;
	struct wsdir c2s, s2c;
};

static void put_wsdir(struct nlmsghdr *nlh, uint16_t type,
		      const struct wsdir *d, bool newer)
{
	struct ctr c[9];
	struct nlattr *n;
	unsigned int i;

	for (i = 0; i < 7; i++) {
		c[i].id = CLIPPER_CTR_TEXT + i;
		c[i].val = d->frames[i];
	}
	c[7].id = CLIPPER_CTR_PAYLOAD_BYTES;
	c[7].val = d->payload;
	c[8].id = CLIPPER_CTR_HEADER_BYTES;
	c[8].val = d->header;
	n = mnl_attr_nest_start(nlh, type);
	put_counters(nlh, CLIPPER_WS_DIR_A_COUNTERS, c, 9);
	if (d->desync)
		mnl_attr_put(nlh, CLIPPER_WS_DIR_A_DESYNC, 0, NULL);
	if (d->malformed)
		mnl_attr_put(nlh, CLIPPER_WS_DIR_A_MALFORMED, 0, NULL);
	if (newer)
		put_unknown(nlh, CLIPPER_WS_DIR_A_MAX);
	mnl_attr_nest_end(nlh, n);
}

static void flow_msg(const struct flow *f, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_WS_GET, true);
	struct nlattr *n;
	unsigned int alen = f->v6 ? 16 : 4;

	n = mnl_attr_nest_start(nlh, CLIPPER_A_WS);
	mnl_attr_put_u8(nlh, CLIPPER_WS_A_FAMILY, f->v6 ? AF_INET6 : AF_INET);
	mnl_attr_put(nlh, CLIPPER_WS_A_SRC, alen, f->src);
	mnl_attr_put_u16(nlh, CLIPPER_WS_A_SPORT, f->sport);
	mnl_attr_put(nlh, CLIPPER_WS_A_DST, alen, f->dst);
	mnl_attr_put_u16(nlh, CLIPPER_WS_A_DPORT, f->dport);
	mnl_attr_put_u8(nlh, CLIPPER_WS_A_PROTOCOL, f->proto);
	put_wsdir(nlh, CLIPPER_WS_A_C2S, &f->c2s, newer);
	put_wsdir(nlh, CLIPPER_WS_A_S2C, &f->s2c, newer);
	mnl_attr_put_u64(nlh, CLIPPER_WS_A_IDLE, f->idle);
	if (newer)
		put_unknown(nlh, CLIPPER_WS_A_MAX);
	mnl_attr_nest_end(nlh, n);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

/* VERSION_GET and STATUS_GET: version NULL is not sent. */
static void version_reply(uint8_t cmd, const char *version, bool has_proto,
			  uint32_t proto, bool newer)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = msg(FAMILY, 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = CLIPPER_GENL_VERSION;
	if (has_proto)
		mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, proto);
	if (version)
		mnl_attr_put_strz(nlh, CLIPPER_A_VERSION, version);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

static void status_reply(const char *version, bool has_proto, uint32_t proto,
			 const struct rules *r, const struct section *s,
			 unsigned int ns, bool newer)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = msg(FAMILY, 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CLIPPER_CMD_STATUS_GET;
	genl->version = CLIPPER_GENL_VERSION;
	if (has_proto)
		mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, proto);
	if (version)
		mnl_attr_put_strz(nlh, CLIPPER_A_VERSION, version);
	if (r)
		put_rules(nlh, r);
	if (s)
		put_stats(nlh, s, ns);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

static void stats_reply(const struct section *s, unsigned int ns, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_STATS_GET, false);

	if (s)
		put_stats(nlh, s, ns);
	if (newer)
		put_unknown(nlh, CLIPPER_A_MAX);
	q_add(nlh);
}

static void limit_event(uint8_t table, uint32_t max, bool newer)
{
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_LIMIT_EVENT, false);
	struct nlattr *n;

	n = mnl_attr_nest_start(nlh, CLIPPER_A_LIMIT);
	mnl_attr_put_u8(nlh, CLIPPER_LIMIT_A_TABLE, table);
	mnl_attr_put_u32(nlh, CLIPPER_LIMIT_A_MAX, max);
	if (newer)
		put_unknown(nlh, CLIPPER_LIMIT_A_MAX);
	mnl_attr_nest_end(nlh, n);
	q_add(nlh);
}

static void v4(uint8_t *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
	a[0] = b0;
	a[1] = b1;
	a[2] = b2;
	a[3] = b3;
}

/* 2001:db8:X::Y, or a longer one with every group set when long_form */
static void v6(uint8_t *a, uint16_t x, uint16_t y, bool long_form)
{
	unsigned int i;

	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = x >> 8;
	a[5] = x;
	if (long_form)
		for (i = 6; i < 14; i++)
			a[i] = 0xa0 + i;
	a[14] = y >> 8;
	a[15] = y;
}

/* ---- scenario: typical, a router in use ---- */

static const struct ctr typ_target[] = {
	{ CLIPPER_CTR_PACKETS, 1234567 }, { CLIPPER_CTR_BYTES, 987654321 },
};

static const struct ctr typ_classify[] = {
	{ CLIPPER_CTR_FLOWS, 4321 }, { CLIPPER_CTR_MATCHED, 4000 },
	{ CLIPPER_CTR_DEFAULTED, 300 }, { CLIPPER_CTR_RANDOM, 21 },
	{ CLIPPER_CTR_NO_MAC, 0 }, { CLIPPER_CTR_NO_CT, 2 },
	{ CLIPPER_CTR_UNWRITABLE, 0 }, { CLIPPER_CTR_RECLASSIFIED, 5 },
};

static const struct ctr typ_pmtu[] = {
	{ CLIPPER_CTR_SYN, 9000 }, { CLIPPER_CTR_MSS_CLAMPED, 120 },
	{ CLIPPER_CTR_MSS_ADDED, 1 }, { CLIPPER_CTR_MALFORMED, 0 },
	{ CLIPPER_CTR_RETRANS, 77 }, { CLIPPER_CTR_SUSPECT, 6 },
	{ CLIPPER_CTR_BLACKHOLE, 2 }, { CLIPPER_CTR_REPAIRED, 1 },
	{ CLIPPER_CTR_ICMP_SEEN, 3 }, { CLIPPER_CTR_ICMP_SENT, 4 },
	{ CLIPPER_CTR_DF_CLEARED, 0 }, { CLIPPER_CTR_TABLE_FULL, 0 },
	{ CLIPPER_CTR_SACKED, 2 }, { CLIPPER_CTR_STUCK, 1 },
	{ CLIPPER_CTR_UNREPAIRED, 1 },
};

static const struct ctr typ_ws[] = {
	{ CLIPPER_CTR_FLOWS, 12 }, { CLIPPER_CTR_TRACKED, 340 },
	{ CLIPPER_CTR_NOT_WS, 328 }, { CLIPPER_CTR_DESYNC, 1 },
	{ CLIPPER_CTR_MALFORMED, 0 }, { CLIPPER_CTR_TABLE_FULL, 0 },
	{ CLIPPER_CTR_EXPIRED, 4 }, { CLIPPER_CTR_HELD, 9 },
};

static const struct ctr typ_c2s[] = {
	{ CLIPPER_CTR_TEXT, 500 }, { CLIPPER_CTR_BINARY, 20 },
	{ CLIPPER_CTR_CONTINUATION, 3 }, { CLIPPER_CTR_CLOSE, 4 },
	{ CLIPPER_CTR_PING, 60 }, { CLIPPER_CTR_PONG, 0 },
	{ CLIPPER_CTR_OTHER, 0 }, { CLIPPER_CTR_PAYLOAD_BYTES, 48000 },
	{ CLIPPER_CTR_HEADER_BYTES, 4700 },
};

static const struct ctr typ_s2c[] = {
	{ CLIPPER_CTR_TEXT, 800 }, { CLIPPER_CTR_BINARY, 2 },
	{ CLIPPER_CTR_CONTINUATION, 0 }, { CLIPPER_CTR_CLOSE, 4 },
	{ CLIPPER_CTR_PING, 0 }, { CLIPPER_CTR_PONG, 60 },
	{ CLIPPER_CTR_OTHER, 1 }, { CLIPPER_CTR_PAYLOAD_BYTES, 1200000 },
	{ CLIPPER_CTR_HEADER_BYTES, 3500 },
};

static const struct section typ_stats[] = {
	SEC(CLIPPER_STATS_A_TARGET, typ_target),
	SEC(CLIPPER_STATS_A_CLASSIFY, typ_classify),
	SEC(CLIPPER_STATS_A_PMTU, typ_pmtu),
	SEC(CLIPPER_STATS_A_WS, typ_ws),
	SEC(CLIPPER_STATS_A_WS_C2S, typ_c2s),
	SEC(CLIPPER_STATS_A_WS_S2C, typ_s2c),
};

static const struct rules typ_rules = { 4, 2, 1, 1, 1 };

static const struct config typ_config = {
	CLIPPER_CLASS_STANDARD, CLIPPER_CLASS_BULK, 65536, 5, 1,
	4096, 3, 600000, 3, 10000,
	16384, 4, 3, 3600000, 1,
};

static const struct class typ_classes[] = {
	{ CLIPPER_CLASS_EXEMPT, "exempt", 100, U32_MAX, 0xff, 10, 600, 1 },
	{ CLIPPER_CLASS_PREMIUM, "premium", 10, 6, 46, 5000, 3000000, 40 },
	{ CLIPPER_CLASS_EXPRESS, "express", 20, 4, 34, 0, 0, 0 },
	{ CLIPPER_CLASS_STANDARD, "standard", 30, 0, 0xff, 123456, 98765432,
	  800 },
	{ CLIPPER_CLASS_BULK, "bulk", 40, 257 /* wmm 1 */, 8, 77, 7700, 7 },
};

static const struct mac typ_macs[] = {
	{ { 0x00, 0x1a, 0x2b, 0x03, 0x40, 0xf5 }, 0, CLIPPER_CLASS_PREMIUM,
	  "laptop", 5000, 3000000, 40, false },
	{ { 0x00, 0x1a, 0x2b, 0x00, 0x00, 0x00 }, 24, CLIPPER_CLASS_BULK,
	  "the lab's printers", 77, 7700, 7, false },
	{ { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 }, 48, CLIPPER_CLASS_EXPRESS,
	  NULL, 12, 900, 1, true },
	{ { 0x06, 0x11, 0x22, 0x33, 0x44, 0x55 }, 0, CLIPPER_CLASS_EXEMPT,
	  "phone", 10, 600, 1, true },
	{ { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, 0, CLIPPER_CLASS_STANDARD,
	  NULL, 0, 0, 0, false },
};

static struct path typ_path(unsigned int i)
{
	struct path p = { 0 };

	switch (i) {
	case 0:
		v4(p.addr, 192, 0, 2, 2);
		p.mtu = 1280;
		p.state = CLIPPER_PMTU_BLACKHOLE;
		p.detected = 4250;
		p.age = 4250;
		p.fixes = XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_MSS;
		p.detections = 1;
		p.icmp_sent = 3;
		p.mss_clamped = 2;
		p.scope = CLIPPER_PMTU_SCOPE_FLOW;
		p.learned = CLIPPER_PMTU_LEARNED_PROBE;
		p.senders = 1;
		p.outages = 2;
		p.has = P_DETECTED | P_GEN2 | P_SIDE | P_UNREP;
		break;
	case 1:
		v4(p.addr, 198, 51, 100, 7);
		p.mtu = 700;
		p.state = CLIPPER_PMTU_STUCK;
		p.age = 800;
		p.fixes = XT_CLIPPER_FIX_ICMP;
		p.detections = 1;
		p.icmp_sent = 1;
		p.scope = CLIPPER_PMTU_SCOPE_PATH;
		p.learned = CLIPPER_PMTU_LEARNED_STUCK;
		p.senders = 2;
		p.passed = 1500;
		p.stuck_len = 1400;
		p.stuck_resends = 5;
		p.has = P_GEN2 | P_STUCK | P_SIDE;
		break;
	case 2:
		v6(p.addr, 1, 2, false);
		p.mtu = 1280;
		p.state = CLIPPER_PMTU_BLACKHOLE;
		p.detected = 61000;
		p.age = 3000;
		p.fixes = XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_DF |
			  XT_CLIPPER_FIX_MSS;
		p.detections = 2;
		p.icmp_sent = 2;
		p.df_cleared = 9;
		p.mss_clamped = 1;
		p.scope = CLIPPER_PMTU_SCOPE_FLOW;
		p.learned = CLIPPER_PMTU_LEARNED_PROBE;
		p.senders = 1;
		p.outages = 1;
		p.side = CLIPPER_PMTU_SIDE_RX;
		p.unrepaired = 2;
		p.has = P_DETECTED | P_GEN2 | P_SIDE | P_UNREP;
		p.v6 = true;
		break;
	case 3:
		v4(p.addr, 203, 0, 113, 9);
		p.mtu = 0;
		p.state = CLIPPER_PMTU_SUSPECT;
		p.age = 50;
		p.has = 0;	/* a first-generation module */
		break;
	default:
		v4(p.addr, 203, 0, 113, 10);
		p.mtu = 1492;
		p.state = CLIPPER_PMTU_OK;
		p.detected = 86400000;
		p.age = 1234;
		p.fixes = XT_CLIPPER_FIX_ICMP;
		p.detections = 1;
		p.icmp_sent = 1;
		p.scope = CLIPPER_PMTU_SCOPE_PATH;
		p.learned = CLIPPER_PMTU_LEARNED_ACKED;
		p.senders = 3;
		p.passed = 1492;
		p.unrepaired = 1;
		p.has = P_DETECTED | P_GEN2 | P_SIDE | P_UNREP;
	}
	return p;
}

#define TYP_NPATHS 5

static struct flow typ_flow(unsigned int i)
{
	struct flow f = { 0 };
	unsigned int k;

	f.proto = CLIPPER_WS_PROTOCOL_RFC6455;
	f.sport = 40000 + i;
	f.dport = i ? 8080 : 443;
	f.idle = 1500 * i;
	for (k = 0; k < 7; k++) {
		f.c2s.frames[k] = (i + 1) * (k + 1);
		f.s2c.frames[k] = (i + 2) * (k + 3);
	}
	f.c2s.payload = 1000 * (i + 1);
	f.c2s.header = 60 * (i + 1);
	f.s2c.payload = 250000 * (i + 1);
	f.s2c.header = 90 * (i + 1);
	if (i == 1) {
		f.v6 = true;
		v6(f.src, 1, 0x10, false);
		v6(f.dst, 2, 0x20, false);
		f.proto = CLIPPER_WS_PROTOCOL_HIXIE76;
		f.s2c.desync = true;
	} else {
		v4(f.src, 192, 168, 1, 10 + i);
		v4(f.dst, 198, 51, 100, 2);
	}
	if (i == 2) {
		f.proto = CLIPPER_WS_PROTOCOL_HIXIE75;
		f.c2s.malformed = true;
	}
	return f;
}

#define TYP_NFLOWS 3

static void typical(uint8_t cmd)
{
	struct path p;
	struct flow f;
	unsigned int i;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, "0.1.0-test", true, CLIPPER_PROTOCOL, false);
		break;
	case CLIPPER_CMD_STATUS_GET:
		status_reply("0.1.0-test", true, CLIPPER_PROTOCOL, &typ_rules,
			     typ_stats, 6, false);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(typ_stats, 6, false);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&typ_config, false);
		break;
	case CLIPPER_CMD_CLASS_GET:
		for (i = 0; i < 5; i++)
			class_msg(&typ_classes[i], false);
		break;
	case CLIPPER_CMD_MAC_GET:
		for (i = 0; i < 5; i++)
			mac_msg(&typ_macs[i], false);
		break;
	case CLIPPER_CMD_PMTU_GET:
		for (i = 0; i < TYP_NPATHS; i++) {
			p = typ_path(i);
			path_msg(cmd, &p, false);
		}
		break;
	case CLIPPER_CMD_WS_GET:
		for (i = 0; i < TYP_NFLOWS; i++) {
			f = typ_flow(i);
			flow_msg(&f, false);
		}
		break;
	}
}

static void typical_events(void)
{
	struct path p;
	unsigned int i;

	for (i = 0; i < TYP_NPATHS; i++) {
		p = typ_path(i);
		path_msg(CLIPPER_CMD_PMTU_EVENT, &p, false);
		if (i == 1)
			q_break();	/* the rest in datagrams of their own */
	}
	limit_event(CLIPPER_LIMIT_MAC, 65536, false);
	q_break();
	limit_event(CLIPPER_LIMIT_PMTU, 4096, false);
	q_break();
	limit_event(CLIPPER_LIMIT_WS, 16384, false);
}

/* ---- scenario: empty, a module with nothing to say ---- */

static void empty(uint8_t cmd)
{
	static const struct config none = {
		-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1
	};
	struct nlmsghdr *nlh;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, NULL, false, 0, false);
		break;
	case CLIPPER_CMD_STATUS_GET:
		status_reply(NULL, false, 0, NULL, NULL, 0, false);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(NULL, 0, false);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		/* a config nest with nothing in it */
		config_reply(&none, false);
		break;
	case CLIPPER_CMD_CLASS_GET:
	case CLIPPER_CMD_MAC_GET:
	case CLIPPER_CMD_PMTU_GET:
	case CLIPPER_CMD_WS_GET:
		break;
	default:
		nlh = reply(cmd, false);
		q_add(nlh);
	}
}

/* ---- scenario: max, every number at its largest ---- */

static struct ctr max_ctrs[CLIPPER_CTR_MAX + 1];

static unsigned int max_section(void)
{
	unsigned int i, n = 0;

	for (i = CLIPPER_CTR_PACKETS; i <= CLIPPER_CTR_MAX; i++) {
		max_ctrs[n].id = i;
		max_ctrs[n++].val = U64_MAX;
	}
	return n;
}

static struct path max_path(unsigned int i)
{
	struct path p;

	memset(&p, 0xff, sizeof(p));
	p.v6 = i & 1;
	memset(p.addr, 0xff, sizeof(p.addr));
	p.state = CLIPPER_PMTU_STUCK;
	p.scope = CLIPPER_PMTU_SCOPE_PATH;
	p.learned = CLIPPER_PMTU_LEARNED_ACKED;
	p.side = CLIPPER_PMTU_SIDE_RX;
	p.fixes = U32_MAX;
	p.has = P_DETECTED | P_GEN2 | P_STUCK | P_SIDE | P_UNREP;
	if (i == 2) {
		p.detected = 0;
		p.age = 0;
		p.mtu = 1;
	}
	return p;
}

static struct flow max_flow(unsigned int i)
{
	struct flow f;

	memset(&f, 0xff, sizeof(f));
	f.v6 = i & 1;
	f.proto = CLIPPER_WS_PROTOCOL_HIXIE76;
	f.c2s.desync = f.s2c.desync = true;
	f.c2s.malformed = f.s2c.malformed = i & 1;
	return f;
}

static void max(uint8_t cmd)
{
	static const struct config cfg = {
		CLIPPER_CLASS_BULK, CLIPPER_CLASS_BULK, U32_MAX, U32_MAX, 1,
		U32_MAX, U32_MAX, U32_MAX, 0xff, U32_MAX,
		U32_MAX, U32_MAX, U32_MAX, U32_MAX, U32_MAX,
	};
	static const struct rules r = {
		U32_MAX, U32_MAX, U32_MAX, U32_MAX, U32_MAX
	};
	struct section s[6];
	struct class c;
	struct mac m;
	struct path p;
	struct flow f;
	unsigned int i, n;

	n = max_section();
	for (i = 0; i < 6; i++) {
		s[i].id = CLIPPER_STATS_A_TARGET + i;
		s[i].n = n;
		s[i].c = max_ctrs;
	}
	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, "4294967295.4294967295.4294967295", true,
			      U32_MAX, false);
		break;
	case CLIPPER_CMD_STATUS_GET:
		status_reply("4294967295.4294967295.4294967295", true, U32_MAX,
			     &r, s, 6, false);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(s, 6, false);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&cfg, false);
		break;
	case CLIPPER_CMD_CLASS_GET:
		for (i = CLIPPER_CLASS_EXEMPT; i <= CLIPPER_CLASS_BULK; i++) {
			c = (struct class){ i, NULL, U32_MAX, U32_MAX - 1, 63,
					    U64_MAX, U64_MAX, U64_MAX };
			if (i == CLIPPER_CLASS_BULK)
				c.dscp = 0xfe;	/* not a DSCP: as a number */
			class_msg(&c, false);
		}
		break;
	case CLIPPER_CMD_MAC_GET:
		for (i = 0; i < 3; i++) {
			memset(&m, 0, sizeof(m));
			memset(m.addr, 0xff, 6);
			m.addr[5] -= i;
			m.prefix = i == 1 ? 1 : 48;
			m.cls = CLIPPER_CLASS_BULK;
			m.packets = m.bytes = m.flows = U64_MAX;
			m.random = true;
			m.comment = i == 2 ? "x" : NULL;
			mac_msg(&m, false);
		}
		break;
	case CLIPPER_CMD_PMTU_GET:
		for (i = 0; i < 3; i++) {
			p = max_path(i);
			path_msg(cmd, &p, false);
		}
		break;
	case CLIPPER_CMD_WS_GET:
		for (i = 0; i < 2; i++) {
			f = max_flow(i);
			flow_msg(&f, false);
		}
		break;
	}
}

static void max_events(void)
{
	struct path p;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		p = max_path(i);
		path_msg(CLIPPER_CMD_PMTU_EVENT, &p, false);
	}
	limit_event(CLIPPER_LIMIT_WS, U32_MAX, false);
}

/* ---- scenario: names, strings as the kernel may send them ---- */

/* every control character, DEL, quotes, backslashes, UTF-8 good and bad */
static const char *const names_str[] = {
	"1.0\x1b[31mred\x1b[0m\r\n\"quoted\" \\back\\slash\\",
	"tab\there, bell\a, nul-free \x01\x02\x03\x04\x05\x06\x07\x08",
	"\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
	"\x1c\x1d\x1e\x1f\x7f end",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e \xe6\x97\xa5\xe6\x9c\xac",
	"bad \xff\xfe \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xc3",
	"C1 \xc2\x9b" "31m csi \xc2\x85 nel",
	"0123456789012345678901234567890123456789012345678901234567890123456789",
	"",
	/* cut in the middle of a character where the tool truncates */
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9xx"
	"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	"\xe2\x82\xac\xe2\x82\xac",
};

#define NNAMES ARRAY_SIZE(names_str)

static void names(uint8_t cmd)
{
	static const struct config cfg = {
		9, 200, 65536, 0, -1,
		-1, -1, -1, -1, -1,
		-1, -1, -1, -1, -1,
	};
	struct class c;
	struct mac m;
	unsigned int i;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, names_str[0], true, CLIPPER_PROTOCOL,
			      false);
		break;
	case CLIPPER_CMD_STATUS_GET:
		status_reply(names_str[NNAMES - 1], true, CLIPPER_PROTOCOL,
			     NULL, NULL, 0, false);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(NULL, 0, false);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&cfg, false);
		break;
	case CLIPPER_CMD_CLASS_GET:
		for (i = 0; i < NNAMES; i++) {
			c = (struct class){ 1 + i % 5, names_str[i], 100 + i,
					    -1, -1, i, i, i };
			class_msg(&c, false);
		}
		break;
	case CLIPPER_CMD_MAC_GET:
		for (i = 0; i < NNAMES; i++) {
			memset(&m, 0, sizeof(m));
			m.addr[0] = 0x02;
			m.addr[5] = i;
			m.cls = 1 + i % 5;
			m.comment = names_str[i];
			m.random = i & 1;
			mac_msg(&m, false);
		}
		break;
	case CLIPPER_CMD_PMTU_GET:
	case CLIPPER_CMD_WS_GET:
		break;
	}
}

/* ---- scenario: many rows, the columns as wide as their widest cell ---- */

static void many(uint8_t cmd)
{
	static const struct config cfg = {
		CLIPPER_CLASS_STANDARD, CLIPPER_CLASS_STANDARD, 65536, 60, 1,
		4096, 40, 600000, 3, 10000,
		16384, 30, 30, 3600000, 0,
	};
	char comment[64];
	struct class c;
	struct mac m;
	struct path p;
	struct flow f;
	uint64_t big;
	unsigned int i;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
	case CLIPPER_CMD_STATUS_GET:
	case CLIPPER_CMD_STATS_GET:
		typical(cmd);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&cfg, false);
		break;
	case CLIPPER_CMD_CLASS_GET:
		for (i = 0; i < 12; i++) {
			big = 1;
			for (unsigned int k = 0; k < i; k++)
				big *= 37;
			c = (struct class){ i, i < 6 ? NULL : "", i * 1000,
					    i % 3 ? (int64_t)i * 100000 : -1,
					    i % 4 ? (int)i * 5 : -1, big,
					    big * 3, i };
			class_msg(&c, false);
		}
		break;
	case CLIPPER_CMD_MAC_GET:
		for (i = 0; i < 60; i++) {
			memset(&m, 0, sizeof(m));
			m.addr[0] = (i % 7) << 1;
			m.addr[1] = i * 3;
			m.addr[5] = i;
			m.prefix = i % 9 ? 0 : 8 + i % 40;
			m.cls = 1 + i % 5;
			snprintf(comment, sizeof(comment), "host %u%.*s", i,
				 (int)(i % 20), "--------------------");
			m.comment = i % 4 ? comment : NULL;
			m.packets = (uint64_t)i * i * i * i * i;
			m.bytes = m.packets * 1400;
			m.flows = i * 7;
			m.random = i % 11 == 3;
			mac_msg(&m, false);
		}
		break;
	case CLIPPER_CMD_PMTU_GET:
		for (i = 0; i < 40; i++) {
			p = typ_path(i % TYP_NPATHS);
			if (i % 3 == 1) {
				p.v6 = true;
				v6(p.addr, i, i * 257, i % 2);
			} else {
				p.v6 = false;
				v4(p.addr, 10, i, i * 5, 200 + i);
			}
			p.age = (uint64_t)i * i * 99999;
			p.senders = i * 1000;
			p.passed = i % 2 ? 100000 + i : 0;
			p.outages = i * i * i;
			path_msg(cmd, &p, false);
		}
		break;
	case CLIPPER_CMD_WS_GET:
		for (i = 0; i < 30; i++) {
			f = typ_flow(i % TYP_NFLOWS);
			if (f.v6)
				v6(f.src, i, i, i % 2);
			else
				v4(f.src, 10, 0, i, i);
			f.sport = i * 2000 + 1;
			f.c2s.frames[0] = (uint64_t)i * i * i * i * i * i;
			f.s2c.payload = (uint64_t)i * i * i * i * i * i * i;
			flow_msg(&f, false);
		}
		break;
	}
}

/* ---- scenario: newer, a module that sends what this tool does not know ---- */

static const struct ctr newer_target[] = {
	{ CLIPPER_CTR_PACKETS, 5 }, { CLIPPER_CTR_BYTES, 500 },
	{ CLIPPER_CTR_MAX + 1, 7 }, { CLIPPER_CTR_MAX + 40, 8 },
};

static const struct ctr newer_new[] = {
	{ CLIPPER_CTR_PACKETS, 1 }, { 1000, 2 },
};

static const struct section newer_stats[] = {
	SEC(CLIPPER_STATS_A_TARGET, newer_target),
	SEC(CLIPPER_STATS_A_CLASSIFY, newer_new),
	SEC(CLIPPER_STATS_A_MAX + 1, newer_new),
	SEC(CLIPPER_STATS_A_MAX + 9, newer_target),
};

static void newer(uint8_t cmd)
{
	static const struct config cfg = {
		CLIPPER_CLASS_MAX + 3, CLIPPER_CLASS_EXEMPT, 100, 1, 0,
		-1, -1, -1, -1, -1,
		-1, -1, -1, -1, 2,
	};
	static const struct rules r = { 9, 1, 2, 3, 4 };
	struct class c;
	struct mac m;
	struct path p;
	struct flow f;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, "9.0.0", true, CLIPPER_PROTOCOL + 1, true);
		break;
	case CLIPPER_CMD_STATUS_GET:
		status_reply("9.0.0", true, CLIPPER_PROTOCOL + 1, &r,
			     newer_stats, 4, true);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(newer_stats, 4, true);
		break;
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&cfg, true);
		break;
	case CLIPPER_CMD_CLASS_GET:
		c = (struct class){ CLIPPER_CLASS_PREMIUM, "premium", 10, 6,
				    -1, 1, 2, 3 };
		class_msg(&c, true);
		c = (struct class){ CLIPPER_CLASS_MAX + 1, "gold", 50, 5, 10,
				    4, 5, 6 };
		class_msg(&c, true);
		c = (struct class){ 200, NULL, 60, -1, 12, 0, 0, 0 };
		class_msg(&c, true);
		break;
	case CLIPPER_CMD_MAC_GET:
		memset(&m, 0, sizeof(m));
		m.addr[0] = 0x02;
		m.cls = CLIPPER_CLASS_MAX + 1;
		m.comment = "a class of tomorrow";
		mac_msg(&m, true);
		m.addr[5] = 1;
		m.cls = 0;
		m.comment = NULL;
		mac_msg(&m, true);
		break;
	case CLIPPER_CMD_PMTU_GET:
		p = typ_path(0);
		p.state = 9;
		p.scope = 7;
		p.learned = 9;
		p.side = 5;
		p.fixes = 0xf0 | XT_CLIPPER_FIX_DF;
		path_msg(cmd, &p, true);
		p = typ_path(1);
		path_msg(cmd, &p, true);
		break;
	case CLIPPER_CMD_WS_GET:
		f = typ_flow(0);
		f.proto = 9;
		flow_msg(&f, true);
		f = typ_flow(1);
		flow_msg(&f, true);
		break;
	}
}

static void newer_events(void)
{
	struct nlmsghdr *nlh;
	struct path p;

	/* a command of tomorrow: skipped */
	nlh = reply(CLIPPER_CMD_MAX + 1, false);
	mnl_attr_put_u32(nlh, CLIPPER_A_MAX + 1, 1);
	q_add(nlh);
	p = typ_path(0);
	p.state = 9;
	p.scope = 7;
	p.learned = 9;
	p.side = 5;
	path_msg(CLIPPER_CMD_PMTU_EVENT, &p, true);
	limit_event(CLIPPER_LIMIT_WS + 1, 100, true);
	limit_event(200, 7, true);
	limit_event(CLIPPER_LIMIT_MAC, 1000, true);
	/* a limit event without its max: skipped */
	nlh = reply(CLIPPER_CMD_LIMIT_EVENT, false);
	q_add(nlh);
}

/* ---- scenario: partial, a module that sends some settings only ---- */

static void partial(uint8_t cmd)
{
	static const struct config cfg = {
		CLIPPER_CLASS_STANDARD, -1, -1, 3, 1,
		2048, -1, 300000, -1, -1,
		1024, 7, -1, -1, -1,
	};

	switch (cmd) {
	case CLIPPER_CMD_CONFIG_GET:
		config_reply(&cfg, false);
		break;
	case CLIPPER_CMD_STATS_GET:
		stats_reply(typ_stats, 6, false);
		break;
	default:
		typical(cmd);
	}
}

/* ---- scenario: errors, the kernel refuses ---- */

static void errors(uint8_t cmd)
{
	struct mac m;

	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		ack(-EPERM, NULL);
		break;
	case CLIPPER_CMD_STATUS_GET:
		ack(-EINVAL, "protocol 2 is newer than the module's 1");
		break;
	case CLIPPER_CMD_STATS_GET:
		ack(-EPERM, "needs \x1b[1mCAP_NET_ADMIN\x1b[0m\n");
		break;
	case CLIPPER_CMD_CONFIG_GET:
		ack(-ENOMEM, NULL);
		break;
	case CLIPPER_CMD_MAC_GET:
		memset(&m, 0, sizeof(m));
		m.cls = CLIPPER_CLASS_BULK;
		mac_msg(&m, false);
		done(-EINTR, "dump interrupted, try again");
		break;
	default:
		ack(-EOPNOTSUPP, "Operation not supported");
	}
}

/* ---- scenario: older, a module of the protocol before the tool's ---- */

#define OLDER_PROTOCOL	(CLIPPER_PROTOCOL - 1)

static void older(uint8_t cmd)
{
	switch (cmd) {
	case CLIPPER_CMD_VERSION_GET:
		version_reply(cmd, "0.0.9", true, OLDER_PROTOCOL, false);
		break;
	default:
		typical(cmd);
	}
}

/* ---- the table of scenarios ---- */

static const struct scenario {
	const char *name;
	void (*reply)(uint8_t cmd);
	void (*events)(void);
} scenarios[] = {
	{ "typical", typical, typical_events },
	{ "empty", empty, NULL },
	{ "max", max, max_events },
	{ "names", names, NULL },
	{ "many", many, NULL },
	{ "newer", newer, newer_events },
	{ "partial", partial, NULL },
	{ "errors", errors, NULL },
	{ "older", older, NULL },
	{ "nomodule", NULL, NULL },
};

static const struct scenario *sc;

static void scenario_pick(void)
{
	const char *name = getenv("CLIPPER_FAKE");
	unsigned int i;

	if (sc)
		return;
	if (!name)
		die("CLIPPER_FAKE is not set");
	for (i = 0; i < ARRAY_SIZE(scenarios); i++)
		if (!strcmp(scenarios[i].name, name))
			sc = &scenarios[i];
	if (!sc)
		die("unknown scenario");
	no_module = !sc->reply;
}

/* ---- the family lookup ---- */

static void family_reply(void)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *grp;

	if (no_module) {
		ack(-ENOENT, NULL);
		return;
	}
	nlh = msg(GENL_ID_CTRL, 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_NEWFAMILY;
	genl->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, CLIPPER_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, CLIPPER_GENL_VERSION);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, MCGRP);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME,
			  CLIPPER_GENL_MCGRP_MONITOR);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	q_add(nlh);
	ack(0, NULL);
}

/* Whether the request says a protocol newer than the module's. */
static bool protocol_too_new(const struct nlmsghdr *nlh)
{
	uint32_t ours = sc->reply == older ? OLDER_PROTOCOL : CLIPPER_PROTOCOL;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CLIPPER_A_PROTOCOL &&
		    mnl_attr_get_payload_len(a) == sizeof(uint32_t) &&
		    mnl_attr_get_u32(a) > ours)
			return true;
	return false;
}

/* ---- the wrapped calls ---- */

static char fake_sock;

struct mnl_socket *__wrap_mnl_socket_open(int bus)
{
	(void)bus;
	scenario_pick();
	return (struct mnl_socket *)&fake_sock;
}

int __wrap_mnl_socket_bind(struct mnl_socket *nl, unsigned int groups,
			   pid_t pid)
{
	(void)nl;
	(void)groups;
	(void)pid;
	return 0;
}

unsigned int __wrap_mnl_socket_get_portid(const struct mnl_socket *nl)
{
	(void)nl;
	return PORTID;
}

int __wrap_mnl_socket_close(struct mnl_socket *nl)
{
	(void)nl;
	return 0;
}

int __wrap_mnl_socket_setsockopt(const struct mnl_socket *nl, int type,
				 void *buf, socklen_t len)
{
	(void)nl;
	if (type == NETLINK_ADD_MEMBERSHIP) {
		if (len != sizeof(uint32_t) || *(uint32_t *)buf != MCGRP)
			die("joined the wrong group");
		q_event = true;
		if (sc->events)
			sc->events();
		q_event = false;
	}
	return 0;
}

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl,
				 const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	const struct genlmsghdr *genl;
	struct dgram *d;

	(void)nl;
	if (len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len != len)
		die("not one request");
	req_seq = nlh->nlmsg_seq;
	genl = mnl_nlmsg_get_payload(nlh);
	d = q_last();
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		family_reply();
	} else if (nlh->nlmsg_type == FAMILY && protocol_too_new(nlh)) {
		ack(-EPROTONOSUPPORT,
		    "protocol version newer than this kernel module supports: update the module");
	} else if (nlh->nlmsg_type == FAMILY) {
		sc->reply(genl->cmd);
		/* a dump ends with DONE, a request with its ack */
		if (sc->reply != errors) {
			if (nlh->nlmsg_flags & NLM_F_DUMP)
				done(0, NULL);
			else
				ack(0, NULL);
		}
	} else {
		die("a request to another family");
	}
	if (q_last() == d)
		die("no answer");
	return len;
}

ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
				   size_t bufsiz)
{
	struct nlmsghdr *nlh;
	struct dgram *d;
	int rem;

	(void)nl;
	if (q_head == q_tail) {
		/* the monitor read every event: end it as a signal would */
		errno = ENOTCONN;
		return -1;
	}
	d = &q[q_head++];
	if (d->len > bufsiz)
		die("datagram larger than the buffer");
	memcpy(buf, d->buf, d->len);
	rem = d->len;
	for (nlh = buf; mnl_nlmsg_ok(nlh, rem);
	     nlh = mnl_nlmsg_next(nlh, &rem)) {
		nlh->nlmsg_pid = d->event ? 0 : PORTID;
		nlh->nlmsg_seq = d->event ? 0 : req_seq;
	}
	free(d->buf);
	return d->len;
}

int __real_clock_gettime(clockid_t clk, struct timespec *ts);

int __wrap_clock_gettime(clockid_t clk, struct timespec *ts)
{
	if (clk != CLOCK_REALTIME)
		return __real_clock_gettime(clk, ts);
	ts->tv_sec = FAKE_NOW_S;
	ts->tv_nsec = FAKE_NOW_NS;
	return 0;
}

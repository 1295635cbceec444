// SPDX-License-Identifier: GPL-2.0
/*
 * clipper pmtu: the paths --pmtu-guard follows (black holes found, MTUs
 * learned), and clipper monitor: the kernel's events as they happen.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "obj.h"

static const enum mnl_attr_data_type pmtu_reply_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= MNL_TYPE_U32,
	[CLIPPER_A_PMTU]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type pmtu_pol[CLIPPER_PMTU_A_MAX + 1] = {
	[CLIPPER_PMTU_A_FAMILY]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_DST]		= MNL_TYPE_BINARY,
	[CLIPPER_PMTU_A_MTU]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STATE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_DETECTED]	= MNL_TYPE_U64,
	[CLIPPER_PMTU_A_FIXES]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_AGE]		= MNL_TYPE_U64,
	[CLIPPER_PMTU_A_DETECTIONS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_ICMP_SENT]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_DF_CLEARED]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_MSS_CLAMPED]	= MNL_TYPE_U32,
};

static uint32_t get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

/* One path out of a CLIPPER_A_PMTU nest. */
static int pmtu_entry_parse(const struct nlattr *nest, struct cl_pmtu_entry *e,
			    struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_PMTU_A_MAX + 1];
	size_t alen;
	int ret;

	ret = cl_attr_parse_nested(nest, pmtu_pol, CLIPPER_PMTU_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_PMTU_A_FAMILY] || !tb[CLIPPER_PMTU_A_DST])
		return cl_bad_reply(err, "path without an address");
	memset(e, 0, sizeof(*e));
	e->family = mnl_attr_get_u8(tb[CLIPPER_PMTU_A_FAMILY]);
	alen = mnl_attr_get_payload_len(tb[CLIPPER_PMTU_A_DST]);
	if (!((e->family == AF_INET && alen == 4) ||
	      (e->family == AF_INET6 && alen == 16)))
		return cl_bad_reply(err, "bad path address");
	memcpy(e->addr, mnl_attr_get_payload(tb[CLIPPER_PMTU_A_DST]), alen);
	e->mtu = get_u32(tb[CLIPPER_PMTU_A_MTU]);
	if (tb[CLIPPER_PMTU_A_STATE])
		e->state = mnl_attr_get_u8(tb[CLIPPER_PMTU_A_STATE]);
	if (tb[CLIPPER_PMTU_A_DETECTED]) {
		e->has_detected = true;
		e->detected_ms = mnl_attr_get_u64(tb[CLIPPER_PMTU_A_DETECTED]);
	}
	e->fixes = get_u32(tb[CLIPPER_PMTU_A_FIXES]);
	if (tb[CLIPPER_PMTU_A_AGE])
		e->age_ms = mnl_attr_get_u64(tb[CLIPPER_PMTU_A_AGE]);
	e->detections = get_u32(tb[CLIPPER_PMTU_A_DETECTIONS]);
	e->icmp_sent = get_u32(tb[CLIPPER_PMTU_A_ICMP_SENT]);
	e->df_cleared = get_u32(tb[CLIPPER_PMTU_A_DF_CLEARED]);
	e->mss_clamped = get_u32(tb[CLIPPER_PMTU_A_MSS_CLAMPED]);
	return 0;
}

int cl_pmtu_reply_parse(const struct nlmsghdr *nlh, void *data,
			struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_pmtu_list *l = data;
	struct cl_pmtu_entry *e;
	int ret;

	ret = cl_genl_parse(nlh, pmtu_reply_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_A_PMTU])
		return cl_bad_reply(err, "no path");
	e = cl_array_grow(l->e, &l->alloc, l->n, sizeof(*l->e));
	if (!e)
		return cl_nomem(err);
	l->e = e;
	ret = pmtu_entry_parse(tb[CLIPPER_A_PMTU], &l->e[l->n], err);
	if (!ret)
		l->n++;
	return ret;
}

void cl_pmtu_list_free(struct cl_pmtu_list *l)
{
	free(l->e);
	memset(l, 0, sizeof(*l));
}

const char *cl_pmtu_state_name(uint8_t state)
{
	switch (state) {
	case CLIPPER_PMTU_SUSPECT:
		return "suspect";
	case CLIPPER_PMTU_BLACKHOLE:
		return "blackhole";
	case CLIPPER_PMTU_OK:
		return "ok";
	default:
		return "unknown";
	}
}

/* "icmp,df,mss" (what was applied), or "-" */
static const char *fixes_str(uint32_t f, char *buf, size_t len)
{
	static const char *const names[] = { "icmp", "df", "mss" };
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (f & (1u << i))
			n += snprintf(buf + n, len > n ? len - n : 0, "%s%s",
				      n ? "," : "", names[i]);
	return n ? buf : "-";
}

/* A time some milliseconds ago, as UTC ISO 8601. */
static void iso_ago(uint64_t ms, char *buf, size_t len)
{
	struct timespec now;
	struct tm tm;
	time_t t;

	clock_gettime(CLOCK_REALTIME, &now);
	t = now.tv_sec - (time_t)(ms / 1000);
	if ((uint64_t)now.tv_nsec / 1000000 < ms % 1000)
		t--;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void pmtu_entry_json(struct json *j, const struct cl_pmtu_entry *e)
{
	char addr[INET6_ADDRSTRLEN], buf[32];
	static const char *const names[] = { "icmp", "df", "mss" };
	size_t i;

	inet_ntop(e->family, e->addr, addr, sizeof(addr));
	json_obj_open(j);
	json_kv_str(j, "family", e->family == AF_INET ? "ipv4" : "ipv6");
	json_kv_str(j, "dst", addr);
	json_kv_u64(j, "mtu", e->mtu);
	json_kv_str(j, "state", cl_pmtu_state_name(e->state));
	if (e->has_detected) {
		iso_ago(e->detected_ms, buf, sizeof(buf));
		json_kv_str(j, "detected", buf);
		json_kv_u64(j, "detected_ms_ago", e->detected_ms);
	} else {
		json_kv_null(j, "detected");
		json_kv_null(j, "detected_ms_ago");
	}
	json_kv_arr_open(j, "fixes");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (e->fixes & (1u << i))
			json_str(j, names[i]);
	json_arr_close(j);
	json_kv_u64(j, "age_ms", e->age_ms);
	json_kv_u64(j, "detections", e->detections);
	json_kv_u64(j, "icmp_sent", e->icmp_sent);
	json_kv_u64(j, "df_cleared", e->df_cleared);
	json_kv_u64(j, "mss_clamped", e->mss_clamped);
	json_obj_close(j);
}

void cl_pmtu_list_print(struct cl_ctx *ctx, const struct cl_pmtu_list *l)
{
	char addr[INET6_ADDRSTRLEN], det[32], fix[32];
	int wdst = 3;
	FILE *f = ctx->out;
	struct json j;
	size_t i;

	if (ctx->json) {
		json_init(&j, f, ctx->pretty);
		json_arr_open(&j);
		for (i = 0; i < l->n; i++)
			pmtu_entry_json(&j, &l->e[i]);
		json_arr_close(&j);
		json_end(&j);
		return;
	}
	if (!l->n)
		return;
	for (i = 0; i < l->n; i++) {
		inet_ntop(l->e[i].family, l->e[i].addr, addr, sizeof(addr));
		if ((int)strlen(addr) > wdst)
			wdst = strlen(addr);
	}
	fprintf(f, "%-6s  %-*s  %5s  %-9s  %-20s  %-11s  %s\n", "FAMILY", wdst,
		"DST", "MTU", "STATE", "DETECTED", "FIXES", "AGE");
	for (i = 0; i < l->n; i++) {
		const struct cl_pmtu_entry *e = &l->e[i];

		inet_ntop(e->family, e->addr, addr, sizeof(addr));
		if (e->has_detected)
			iso_ago(e->detected_ms, det, sizeof(det));
		else
			snprintf(det, sizeof(det), "-");
		fprintf(f, "%-6s  %-*s  ", e->family == AF_INET ? "ipv4" : "ipv6",
			wdst, addr);
		if (e->mtu)
			fprintf(f, "%5u", e->mtu);
		else
			fprintf(f, "%5s", "-");
		fprintf(f, "  %-9s  %-20s  %-11s  %" PRIu64 ".%01" PRIu64 "s\n",
			cl_pmtu_state_name(e->state), det,
			fixes_str(e->fixes, fix, sizeof(fix)),
			e->age_ms / 1000, e->age_ms % 1000 / 100);
	}
}

static int pmtu_list(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_pmtu_list l = { 0 };
	int ret;

	(void)argc;
	(void)argv;
	ret = cl_request(ctx, CLIPPER_CMD_PMTU_GET, NLM_F_DUMP,
			 cl_pmtu_reply_parse, &l);
	if (!ret)
		cl_pmtu_list_print(ctx, &l);
	cl_pmtu_list_free(&l);
	return ret;
}

static int pmtu_flush(struct cl_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cl_request(ctx, CLIPPER_CMD_PMTU_FLUSH, 0, NULL, NULL);
}

static const char *const pmtu_usage[] = {
	"pmtu [list]",
	"pmtu flush",
	NULL
};

static const struct cl_verb pmtu_verbs[] = {
	{ "list", pmtu_list, 0 },
	{ "flush", pmtu_flush, 0 },
	{ }
};

const struct cl_object cl_obj_pmtu = {
	.name		= "pmtu",
	.usage		= pmtu_usage,
	.default_verb	= "list",
	.verbs		= pmtu_verbs,
};

/* ---- monitor ------------------------------------------------------------- */

struct monitor {
	struct cl_ctx *ctx;
	unsigned long left;	/* events still to print; 0: no limit */
	bool done;
};

static const enum mnl_attr_data_type limit_reply_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= MNL_TYPE_U32,
	[CLIPPER_A_LIMIT]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type limit_pol[CLIPPER_LIMIT_A_MAX + 1] = {
	[CLIPPER_LIMIT_A_TABLE]	= MNL_TYPE_U8,
	[CLIPPER_LIMIT_A_MAX]	= MNL_TYPE_U32,
};

static const char *limit_table_name(uint8_t t)
{
	switch (t) {
	case CLIPPER_LIMIT_MAC:
		return "mac";
	case CLIPPER_LIMIT_PMTU:
		return "pmtu";
	case CLIPPER_LIMIT_WS:
		return "ws";
	default:
		return "unknown";
	}
}

/* A table refused an entry: "limit ws full: ws-max 16384". */
static int monitor_limit(struct monitor *m, const struct nlmsghdr *nlh,
			 struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	const struct nlattr *lt[CLIPPER_LIMIT_A_MAX + 1];
	FILE *f = m->ctx->out;
	const char *table;
	struct json j;
	uint32_t max;

	if (cl_genl_parse(nlh, limit_reply_pol, CLIPPER_A_MAX, tb, err) ||
	    !tb[CLIPPER_A_LIMIT] ||
	    cl_attr_parse_nested(tb[CLIPPER_A_LIMIT], limit_pol,
				 CLIPPER_LIMIT_A_MAX, lt, err) ||
	    !lt[CLIPPER_LIMIT_A_TABLE] || !lt[CLIPPER_LIMIT_A_MAX])
		return -1;
	table = limit_table_name(mnl_attr_get_u8(lt[CLIPPER_LIMIT_A_TABLE]));
	max = mnl_attr_get_u32(lt[CLIPPER_LIMIT_A_MAX]);
	if (m->ctx->json) {
		json_init(&j, f, false);
		json_obj_open(&j);
		json_kv_str(&j, "event", "limit");
		json_kv_str(&j, "table", table);
		json_kv_u64(&j, "max", max);
		json_obj_close(&j);
		json_end(&j);
	} else {
		fprintf(f, "limit %s full: %s-max %u\n", table, table, max);
	}
	return 0;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data,
		      struct cl_nl_err *err)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct monitor *m = data;
	struct cl_pmtu_entry e;
	char addr[INET6_ADDRSTRLEN], fix[32];
	FILE *f = m->ctx->out;
	struct json j;
	int ret;

	if (genl->cmd == CLIPPER_CMD_LIMIT_EVENT) {
		if (monitor_limit(m, nlh, err))
			return 0;	/* skip what cannot be read */
		goto printed;
	}
	if (genl->cmd != CLIPPER_CMD_PMTU_EVENT)
		return 0;	/* an event this tool does not know */
	ret = cl_genl_parse(nlh, pmtu_reply_pol, CLIPPER_A_MAX, tb, err);
	if (ret || !tb[CLIPPER_A_PMTU] ||
	    pmtu_entry_parse(tb[CLIPPER_A_PMTU], &e, err))
		return 0;	/* skip what cannot be read */
	if (m->ctx->json) {
		json_init(&j, f, false);
		json_obj_open(&j);
		json_kv_str(&j, "event", "pmtu");
		json_key(&j, "path");
		pmtu_entry_json(&j, &e);
		json_obj_close(&j);
		json_end(&j);
	} else {
		inet_ntop(e.family, e.addr, addr, sizeof(addr));
		fprintf(f, "pmtu %s %s mtu %u fixes %s\n", addr,
			cl_pmtu_state_name(e.state), e.mtu,
			fixes_str(e.fixes, fix, sizeof(fix)));
	}
printed:
	fflush(f);
	if (m->left && !--m->left)
		m->done = true;
	return 0;
}

static int monitor_run(struct cl_ctx *ctx, int argc, char **argv)
{
	struct monitor m = { .ctx = ctx };
	struct cl_nl_err err;
	uint32_t grp, n;
	ssize_t len;
	int ret;

	if (argc == 2 && !strcmp(argv[0], "count")) {
		if (cl_parse_u32(argv[1], &n) || !n)
			return cl_usage_error(&cl_obj_monitor,
					      "invalid count \"%s\"", argv[1]);
		m.left = n;
	} else if (argc) {
		return cl_usage_error(&cl_obj_monitor,
				      "unexpected argument \"%s\"", argv[0]);
	}
	if (cl_connect(ctx, &err))
		return cl_report(&err);
	grp = ctx->nl.mcgrp_monitor;
	if (!grp) {
		cl_error("the kernel module has no monitor group");
		return CL_EXIT_FAIL;
	}
	if (mnl_socket_setsockopt(ctx->nl.sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0) {
		err.err = errno;
		snprintf(err.msg, sizeof(err.msg),
			 "cannot join the monitor group: %s", strerror(errno));
		return cl_report(&err);
	}
	if (!ctx->json)
		fprintf(ctx->out, "# monitoring clipper events\n");
	fflush(ctx->out);
	while (!m.done) {
		len = mnl_socket_recvfrom(ctx->nl.sock, ctx->nl.rx,
					  sizeof(ctx->nl.rx));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				cl_error("events were lost (the reader was too slow)");
				continue;
			}
			cl_error("cannot receive: %s", strerror(errno));
			return CL_EXIT_FAIL;
		}
		ret = cl_nl_process(ctx->nl.rx, len, 0, 0, monitor_cb, &m,
				    &err);
		if (ret < 0)
			return cl_report(&err);
	}
	return CL_EXIT_OK;
}

static const char *const monitor_usage[] = {
	"monitor [count N]",
	NULL
};

static const char *const monitor_where[] = {
	"prints each event (a path found a black hole, a path back to ok, a",
	"table full: at most one a second per table) as it happens; with -j",
	"one JSON object a line.  Needs CAP_NET_ADMIN.",
	NULL
};

static const struct cl_verb no_verbs[] = {
	{ }
};

const struct cl_object cl_obj_monitor = {
	.name		= "monitor",
	.usage		= monitor_usage,
	.where		= monitor_where,
	.run		= monitor_run,
	.verbs		= no_verbs,
};

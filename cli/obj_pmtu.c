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
	[CLIPPER_PMTU_A_SCOPE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_LEARNED]	= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_SENDERS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_PASSED]		= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_OUTAGES]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STUCK_LEN]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_STUCK_RESENDS]	= MNL_TYPE_U32,
	[CLIPPER_PMTU_A_SIDE]		= MNL_TYPE_U8,
	[CLIPPER_PMTU_A_UNREPAIRED]	= MNL_TYPE_U32,
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
	if (tb[CLIPPER_PMTU_A_SCOPE]) {
		e->has_scope = true;
		e->scope = mnl_attr_get_u8(tb[CLIPPER_PMTU_A_SCOPE]);
	}
	if (tb[CLIPPER_PMTU_A_LEARNED]) {
		e->has_learned = true;
		e->learned = mnl_attr_get_u8(tb[CLIPPER_PMTU_A_LEARNED]);
	}
	e->senders = get_u32(tb[CLIPPER_PMTU_A_SENDERS]);
	e->passed = get_u32(tb[CLIPPER_PMTU_A_PASSED]);
	e->outages = get_u32(tb[CLIPPER_PMTU_A_OUTAGES]);
	e->has_stuck_len = !!tb[CLIPPER_PMTU_A_STUCK_LEN];
	e->stuck_len = get_u32(tb[CLIPPER_PMTU_A_STUCK_LEN]);
	e->has_stuck_resends = !!tb[CLIPPER_PMTU_A_STUCK_RESENDS];
	e->stuck_resends = get_u32(tb[CLIPPER_PMTU_A_STUCK_RESENDS]);
	/* an older module found black holes on the sending side only */
	e->side = CLIPPER_PMTU_SIDE_TX;
	if (tb[CLIPPER_PMTU_A_SIDE])
		e->side = mnl_attr_get_u8(tb[CLIPPER_PMTU_A_SIDE]);
	e->unrepaired = get_u32(tb[CLIPPER_PMTU_A_UNREPAIRED]);
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
	case CLIPPER_PMTU_STUCK:
		return "stuck";
	default:
		return "unknown";
	}
}

const char *cl_pmtu_scope_name(uint8_t scope)
{
	switch (scope) {
	case CLIPPER_PMTU_SCOPE_FLOW:
		return "flow";
	case CLIPPER_PMTU_SCOPE_PATH:
		return "path";
	default:
		return "unknown";
	}
}

const char *cl_pmtu_learned_name(uint8_t learned)
{
	switch (learned) {
	case CLIPPER_PMTU_LEARNED_NONE:
		return "none";
	case CLIPPER_PMTU_LEARNED_ICMP:
		return "icmp";
	case CLIPPER_PMTU_LEARNED_PROBE:
		return "probe";
	case CLIPPER_PMTU_LEARNED_STUCK:
		return "stuck";
	case CLIPPER_PMTU_LEARNED_ACKED:
		return "acked";
	default:
		return "unknown";
	}
}

const char *cl_pmtu_side_name(uint8_t side)
{
	switch (side) {
	case CLIPPER_PMTU_SIDE_TX:
		return "tx";
	case CLIPPER_PMTU_SIDE_RX:
		return "rx";
	default:
		return "unknown";
	}
}

/* The scope, or "-" from a module that does not send it. */
static const char *scope_str(const struct cl_pmtu_entry *e)
{
	return e->has_scope ? cl_pmtu_scope_name(e->scope) : "-";
}

static const char *learned_str(const struct cl_pmtu_entry *e)
{
	return e->has_learned ? cl_pmtu_learned_name(e->learned) : "-";
}

/* A stuck path's segment: what the text outputs say of it. */
static bool stuck_shown(const struct cl_pmtu_entry *e)
{
	return e->state == CLIPPER_PMTU_STUCK && e->has_stuck_len;
}

static void stuck_print(FILE *f, const struct cl_pmtu_entry *e)
{
	fprintf(f, "stuck segment: length %u, resent %u time%s, not a path MTU problem",
		e->stuck_len, e->stuck_resends,
		e->stuck_resends == 1 ? "" : "s");
}

/* The black hole was found by the receiver's gateway. */
static bool side_shown(const struct cl_pmtu_entry *e)
{
	return e->side == CLIPPER_PMTU_SIDE_RX;
}

static void side_print(FILE *f)
{
	fputs("found from the receiving side: the resends vanished before this host", f);
}

static void unrepaired_print(FILE *f, const struct cl_pmtu_entry *e)
{
	fprintf(f, "not repaired: %u flow%s stayed at full size after clipper's %s (filtered on the way, or ignored by the sender)",
		e->unrepaired, e->unrepaired == 1 ? "" : "s",
		e->family == AF_INET ? "frag-needed" : "packet-too-big");
}

/*
 * What a path's columns do not say, each fact after pre and before post:
 * lines under the path in the table, ", "-separated after an event.
 */
static void notes_print(FILE *f, const struct cl_pmtu_entry *e,
			const char *pre, const char *post)
{
	if (stuck_shown(e)) {
		fputs(pre, f);
		stuck_print(f, e);
		fputs(post, f);
	}
	if (side_shown(e)) {
		fputs(pre, f);
		side_print(f);
		fputs(post, f);
	}
	if (e->unrepaired) {
		fputs(pre, f);
		unrepaired_print(f, e);
		fputs(post, f);
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
	if (e->has_scope)
		json_kv_str(j, "scope", cl_pmtu_scope_name(e->scope));
	else
		json_kv_null(j, "scope");
	if (e->has_learned)
		json_kv_str(j, "learned", cl_pmtu_learned_name(e->learned));
	else
		json_kv_null(j, "learned");
	json_kv_u64(j, "senders", e->senders);
	json_kv_u64(j, "passed", e->passed);
	json_kv_u64(j, "outages", e->outages);
	json_kv_str(j, "side", cl_pmtu_side_name(e->side));
	json_kv_u64(j, "unrepaired", e->unrepaired);
	if (e->has_stuck_len)
		json_kv_u64(j, "stuck_len", e->stuck_len);
	if (e->has_stuck_resends)
		json_kv_u64(j, "stuck_resends", e->stuck_resends);
	json_obj_close(j);
}

/* "4.2s": the age, to the tenth of a second */
static const char *age_str(uint64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%01" PRIu64 "s", ms / 1000,
		 ms % 1000 / 100);
	return buf;
}

/* A u32 column, "-" for 0 (none). */
static const char *u32_or_dash(uint32_t v, char *buf, size_t len)
{
	if (!v)
		return "-";
	snprintf(buf, len, "%u", v);
	return buf;
}

void cl_pmtu_list_print(struct cl_ctx *ctx, const struct cl_pmtu_list *l)
{
	char addr[INET6_ADDRSTRLEN], det[32], fix[32], age[32], passed[16];
	int wdst = 3, wage = 3, wscope = 5;
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
		age_str(l->e[i].age_ms, age, sizeof(age));
		if ((int)strlen(age) > wage)
			wage = strlen(age);
		if ((int)strlen(scope_str(&l->e[i])) > wscope)
			wscope = strlen(scope_str(&l->e[i]));
	}
	fprintf(f, "%-6s  %-*s  %5s  %-9s  %-20s  %-11s  %-*s  %-*s  %-7s  %7s  %6s  %7s\n",
		"FAMILY", wdst, "DST", "MTU", "STATE", "DETECTED", "FIXES",
		wage, "AGE", wscope, "SCOPE", "LEARNED", "SENDERS", "PASSED",
		"OUTAGES");
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
		fprintf(f, "  %-9s  %-20s  %-11s  %-*s  %-*s  %-7s  %7u  %6s  %7u\n",
			cl_pmtu_state_name(e->state), det,
			fixes_str(e->fixes, fix, sizeof(fix)), wage,
			age_str(e->age_ms, age, sizeof(age)), wscope,
			scope_str(e), learned_str(e), e->senders,
			u32_or_dash(e->passed, passed, sizeof(passed)),
			e->outages);
		notes_print(f, e, "        ", "\n");
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
static int monitor_limit(struct cl_ctx *ctx, const struct nlmsghdr *nlh,
			 struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	const struct nlattr *lt[CLIPPER_LIMIT_A_MAX + 1];
	FILE *f = ctx->out;
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
	if (ctx->json) {
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

/* A path changed: "pmtu 192.0.2.2 blackhole mtu 1280 fixes icmp ...". */
static int monitor_pmtu(struct cl_ctx *ctx, const struct nlmsghdr *nlh,
			struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	char addr[INET6_ADDRSTRLEN], fix[32];
	struct cl_pmtu_entry e;
	FILE *f = ctx->out;
	struct json j;

	if (cl_genl_parse(nlh, pmtu_reply_pol, CLIPPER_A_MAX, tb, err) ||
	    !tb[CLIPPER_A_PMTU] ||
	    pmtu_entry_parse(tb[CLIPPER_A_PMTU], &e, err))
		return -1;
	if (ctx->json) {
		json_init(&j, f, false);
		json_obj_open(&j);
		json_kv_str(&j, "event", "pmtu");
		json_key(&j, "path");
		pmtu_entry_json(&j, &e);
		json_obj_close(&j);
		json_end(&j);
		return 0;
	}
	inet_ntop(e.family, e.addr, addr, sizeof(addr));
	fprintf(f, "pmtu %s %s mtu %u fixes %s", addr,
		cl_pmtu_state_name(e.state), e.mtu,
		fixes_str(e.fixes, fix, sizeof(fix)));
	if (e.has_scope)
		fprintf(f, " scope %s", scope_str(&e));
	if (e.has_learned)
		fprintf(f, " learned %s", learned_str(&e));
	notes_print(f, &e, ", ", "");
	fputc('\n', f);
	return 0;
}

bool cl_monitor_event_print(struct cl_ctx *ctx, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct cl_nl_err err;

	switch (genl->cmd) {
	case CLIPPER_CMD_LIMIT_EVENT:
		return !monitor_limit(ctx, nlh, &err);
	case CLIPPER_CMD_PMTU_EVENT:
		return !monitor_pmtu(ctx, nlh, &err);
	default:
		return false;	/* an event this tool does not know */
	}
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data,
		      struct cl_nl_err *err)
{
	struct monitor *m = data;

	(void)err;
	if (!cl_monitor_event_print(m->ctx, nlh))
		return 0;	/* skip what cannot be read */
	fflush(m->ctx->out);
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
	"prints each event (a path found a black hole or a stuck segment, a",
	"path back to ok, a table full: at most one a second per table) as it",
	"happens; with -j one JSON object a line.  Needs CAP_NET_ADMIN.",
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

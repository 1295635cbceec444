// SPDX-License-Identifier: GPL-2.0
/*
 * clipper pmtu: the paths --pmtu-guard follows (black holes found, MTUs
 * learned).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "attrs.h"
#include "obj.h"

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

	ret = cl_attr_parse_nested(nest, cl_pmtu_pol, CLIPPER_PMTU_A_MAX, tb,
				   err);
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

int cl_pmtu_msg_parse(const struct nlmsghdr *nlh, struct cl_pmtu_entry *e,
		      struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_A_PMTU])
		return cl_bad_reply(err, "no path");
	return pmtu_entry_parse(tb[CLIPPER_A_PMTU], e, err);
}

int cl_pmtu_reply_parse(const struct nlmsghdr *nlh, void *data,
			struct cl_nl_err *err)
{
	struct cl_pmtu_list *l = data;
	struct cl_pmtu_entry *e;
	int ret;

	e = cl_array_grow(l->e, &l->alloc, l->n, sizeof(*l->e));
	if (!e)
		return cl_nomem(err);
	l->e = e;
	ret = cl_pmtu_msg_parse(nlh, &l->e[l->n], err);
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

/* A stuck path's segment: what the text outputs say of it. */
static bool stuck_shown(const struct cl_pmtu_entry *e)
{
	return e->state == CLIPPER_PMTU_STUCK && e->has_stuck_len;
}

static void stuck_print(const struct cl_pmtu_entry *e)
{
	print_text("stuck segment: length %u, resent %u time%s, not a path MTU problem",
		   e->stuck_len, e->stuck_resends,
		   e->stuck_resends == 1 ? "" : "s");
}

/* The black hole was found by the receiver's gateway. */
static bool side_shown(const struct cl_pmtu_entry *e)
{
	return e->side == CLIPPER_PMTU_SIDE_RX;
}

static void side_print(void)
{
	print_text("found from the receiving side: the resends vanished before this host");
}

static void unrepaired_print(const struct cl_pmtu_entry *e)
{
	print_text("not repaired: %u flow%s stayed at full size after clipper's %s (filtered on the way, or ignored by the sender)",
		   e->unrepaired, e->unrepaired == 1 ? "" : "s",
		   e->family == AF_INET ? "frag-needed" : "packet-too-big");
}

/*
 * What a path's columns do not say, each fact after pre and before post:
 * lines under the path in the table, ", "-separated after an event.
 */
static void notes_print(const struct cl_pmtu_entry *e, const char *pre,
			const char *post)
{
	if (stuck_shown(e)) {
		print_text("%s", pre);
		stuck_print(e);
		print_text("%s", post);
	}
	if (side_shown(e)) {
		print_text("%s", pre);
		side_print();
		print_text("%s", post);
	}
	if (e->unrepaired) {
		print_text("%s", pre);
		unrepaired_print(e);
		print_text("%s", post);
	}
}

static const char *const fix_names[] = { "icmp", "df", "mss" };

/* "icmp,df,mss" (what was applied), or "-" */
static const char *fixes_str(uint32_t f, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(fix_names); i++)
		if (f & (1u << i))
			n += snprintf(buf + n, len > n ? len - n : 0, "%s%s",
				      n ? "," : "", fix_names[i]);
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

/*
 * One path: a row of pmtu list, or (event) the path of a monitor event,
 * whose line says less: "pmtu 192.0.2.2 blackhole mtu 1280 fixes icmp
 * scope flow learned probe, NOTES".  The JSON is the same object.
 */
void cl_pmtu_entry_print(const struct cl_pmtu_entry *e, bool event)
{
	enum print_type col = event ? PRINT_JSON : PRINT_ANY;
	char addr[INET6_ADDRSTRLEN], buf[32];
	size_t i;

	inet_ntop(e->family, e->addr, addr, sizeof(addr));
	print_open_object(event ? "path" : NULL);
	print_string(col, "family", NULL, e->family == AF_INET ? "ipv4" : "ipv6");
	print_string(PRINT_ANY, "dst", event ? "pmtu %s" : NULL, addr);
	if (event)
		print_string(PRINT_FP, NULL, " %s",
			     cl_pmtu_state_name(e->state));
	print_uint(event ? PRINT_ANY : PRINT_JSON, "mtu", " mtu %u", e->mtu);
	if (!event)
		print_string(PRINT_FP, NULL, NULL,
			     u32_or_dash(e->mtu, buf, sizeof(buf)));
	print_string(col, "state", NULL, cl_pmtu_state_name(e->state));
	if (e->has_detected) {
		iso_ago(e->detected_ms, buf, sizeof(buf));
		print_string(col, "detected", NULL, buf);
		print_u64(PRINT_JSON, "detected_ms_ago", NULL, e->detected_ms);
	} else {
		print_null(col, "detected", NULL, "-");
		print_null(PRINT_JSON, "detected_ms_ago", NULL, NULL);
	}
	print_open_array("fixes");
	for (i = 0; i < ARRAY_SIZE(fix_names); i++)
		if (e->fixes & (1u << i))
			print_string(PRINT_JSON, NULL, NULL, fix_names[i]);
	print_close_array();
	print_string(PRINT_FP, NULL, event ? " fixes %s" : NULL,
		     fixes_str(e->fixes, buf, sizeof(buf)));
	print_u64(PRINT_JSON, "age_ms", NULL, e->age_ms);
	if (!event)
		print_string(PRINT_FP, NULL, NULL,
			     age_str(e->age_ms, buf, sizeof(buf)));
	print_uint(PRINT_JSON, "detections", NULL, e->detections);
	print_uint(PRINT_JSON, "icmp_sent", NULL, e->icmp_sent);
	print_uint(PRINT_JSON, "df_cleared", NULL, e->df_cleared);
	print_uint(PRINT_JSON, "mss_clamped", NULL, e->mss_clamped);
	/* "-" (null) from a module that does not send them */
	if (e->has_scope)
		print_string(PRINT_ANY, "scope", event ? " scope %s" : NULL,
			     cl_pmtu_scope_name(e->scope));
	else
		print_null(col, "scope", NULL, "-");
	if (e->has_learned)
		print_string(PRINT_ANY, "learned", event ? " learned %s" : NULL,
			     cl_pmtu_learned_name(e->learned));
	else
		print_null(col, "learned", NULL, "-");
	print_uint(col, "senders", NULL, e->senders);
	print_uint(PRINT_JSON, "passed", NULL, e->passed);
	if (!event)
		print_string(PRINT_FP, NULL, NULL,
			     u32_or_dash(e->passed, buf, sizeof(buf)));
	print_uint(col, "outages", NULL, e->outages);
	print_string(PRINT_JSON, "side", NULL, cl_pmtu_side_name(e->side));
	print_uint(PRINT_JSON, "unrepaired", NULL, e->unrepaired);
	if (e->has_stuck_len)
		print_uint(PRINT_JSON, "stuck_len", NULL, e->stuck_len);
	if (e->has_stuck_resends)
		print_uint(PRINT_JSON, "stuck_resends", NULL, e->stuck_resends);
	print_close_object();
	if (event) {
		notes_print(e, ", ", "");
		return;
	}
	print_row_end();
	notes_print(e, "        ", "\n");
}

static void pmtu_row(size_t i, const void *data)
{
	const struct cl_pmtu_list *l = data;

	cl_pmtu_entry_print(&l->e[i], false);
}

/* Columns at least as wide as they always were, wider for wider cells. */
void cl_pmtu_list_print(struct cl_ctx *ctx, const struct cl_pmtu_list *l)
{
	static const struct print_col cols[] = {
		{ .head = "FAMILY", .width = 6 },
		{ .head = "DST" },
		{ .head = "MTU", .width = 5, .right = true },
		{ .head = "STATE", .width = 9 },
		{ .head = "DETECTED", .width = 20 },
		{ .head = "FIXES", .width = 11 },
		{ .head = "AGE" },
		{ .head = "SCOPE" },
		{ .head = "LEARNED", .width = 7 },
		{ .head = "SENDERS", .width = 7, .right = true },
		{ .head = "PASSED", .width = 6, .right = true },
		{ .head = "OUTAGES", .width = 7, .right = true },
	};

	print_start(ctx);
	print_open_array(NULL);
	print_table(cols, ARRAY_SIZE(cols), l->n, pmtu_row, l);
	print_close_array();
	print_end();
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

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper ws: the WebSocket flows --ws-count follows, and the totals, with
 * what the same messages would have cost as HTTP requests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "attrs.h"
#include "obj.h"

/* frame classes, in counter order (CLIPPER_CTR_TEXT...) */
const char *const cl_ws_frame_names[CL_WS_NCLASS] = {
	"text", "binary", "continuation", "close", "ping", "pong", "other",
};

const char *cl_ws_proto_name(uint8_t proto)
{
	switch (proto) {
	case CLIPPER_WS_PROTOCOL_RFC6455:
		return "rfc6455";
	case CLIPPER_WS_PROTOCOL_HIXIE76:
		return "hixie-76";
	case CLIPPER_WS_PROTOCOL_HIXIE75:
		return "hixie-75";
	default:
		return "unknown";
	}
}

/* A direction's counters, from a section of counters or a flow's nest. */
void cl_ws_dir_from(struct cl_ws_dir *d, const struct cl_counters *cs)
{
	unsigned int i;

	memset(d, 0, sizeof(*d));
	if (!cs)
		return;
	for (i = 0; i < CL_WS_NCLASS; i++)
		cl_counters_get(cs, CLIPPER_CTR_TEXT + i, &d->frames[i]);
	cl_counters_get(cs, CLIPPER_CTR_PAYLOAD_BYTES, &d->payload_bytes);
	cl_counters_get(cs, CLIPPER_CTR_HEADER_BYTES, &d->header_bytes);
}

static int ws_dir_parse(const struct nlattr *nest, struct cl_ws_dir *d,
			struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_WS_DIR_A_MAX + 1];
	struct cl_counters cs;
	int ret;

	memset(d, 0, sizeof(*d));
	if (!nest)
		return 0;
	ret = cl_attr_parse_nested(nest, cl_ws_dir_pol, CLIPPER_WS_DIR_A_MAX,
				   tb, err);
	if (ret)
		return ret;
	if (tb[CLIPPER_WS_DIR_A_COUNTERS]) {
		ret = cl_counters_parse(tb[CLIPPER_WS_DIR_A_COUNTERS], &cs, err);
		if (ret)
			return ret;
		cl_ws_dir_from(d, &cs);
	}
	d->desync = tb[CLIPPER_WS_DIR_A_DESYNC];
	d->malformed = tb[CLIPPER_WS_DIR_A_MALFORMED];
	return 0;
}

static int ws_addr(const struct nlattr *a, uint8_t family, uint8_t *out,
		   struct cl_nl_err *err)
{
	size_t alen = a ? mnl_attr_get_payload_len(a) : 0;

	if (!((family == AF_INET && alen == 4) ||
	      (family == AF_INET6 && alen == 16)))
		return cl_bad_reply(err, "bad flow address");
	memcpy(out, mnl_attr_get_payload(a), alen);
	return 0;
}

static int ws_entry_parse(const struct nlattr *nest, struct cl_ws_entry *e,
			  struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_WS_A_MAX + 1];
	int ret;

	ret = cl_attr_parse_nested(nest, cl_ws_pol, CLIPPER_WS_A_MAX, tb, err);
	if (ret)
		return ret;
	memset(e, 0, sizeof(*e));
	if (!tb[CLIPPER_WS_A_FAMILY])
		return cl_bad_reply(err, "flow without a family");
	e->family = mnl_attr_get_u8(tb[CLIPPER_WS_A_FAMILY]);
	if (ws_addr(tb[CLIPPER_WS_A_SRC], e->family, e->src, err) ||
	    ws_addr(tb[CLIPPER_WS_A_DST], e->family, e->dst, err))
		return -EBADMSG;
	if (tb[CLIPPER_WS_A_SPORT])
		e->sport = mnl_attr_get_u16(tb[CLIPPER_WS_A_SPORT]);
	if (tb[CLIPPER_WS_A_DPORT])
		e->dport = mnl_attr_get_u16(tb[CLIPPER_WS_A_DPORT]);
	if (tb[CLIPPER_WS_A_PROTOCOL])
		e->proto = mnl_attr_get_u8(tb[CLIPPER_WS_A_PROTOCOL]);
	if (tb[CLIPPER_WS_A_IDLE])
		e->idle_ms = mnl_attr_get_u64(tb[CLIPPER_WS_A_IDLE]);
	ret = ws_dir_parse(tb[CLIPPER_WS_A_C2S], &e->c2s, err);
	if (!ret)
		ret = ws_dir_parse(tb[CLIPPER_WS_A_S2C], &e->s2c, err);
	return ret;
}

int cl_ws_reply_parse(const struct nlmsghdr *nlh, void *data,
		      struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_ws_list *l = data;
	struct cl_ws_entry *e;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_A_WS])
		return cl_bad_reply(err, "no flow");
	e = cl_array_grow(l->e, &l->alloc, l->n, sizeof(*l->e));
	if (!e)
		return cl_nomem(err);
	l->e = e;
	ret = ws_entry_parse(tb[CLIPPER_A_WS], &l->e[l->n], err);
	if (!ret)
		l->n++;
	return ret;
}

void cl_ws_list_free(struct cl_ws_list *l)
{
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/*
 * Sums and products of counters saturate at UINT64_MAX instead of
 * wrapping: a total of u64 counters may not fit in a u64, and a total
 * shown too small would mislead.
 */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static uint64_t ws_frames(const struct cl_ws_dir *d)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < CL_WS_NCLASS; i++)
		n = sat_add(n, d->frames[i]);
	return n;
}

/*
 * A direction: in JSON {"frames": {...}, "payload_bytes", "header_bytes"}
 * and, for a flow, "desync" and "malformed"; in text the cells of a row,
 * of ws list (flow: the frames in all, the payload) or of the table of ws
 * stats (each class of frames, the payload, the headers).
 */
static void ws_dir_print(const char *key, const struct cl_ws_dir *d,
			 bool flow)
{
	enum print_type col = flow ? PRINT_JSON : PRINT_ANY;
	unsigned int i;

	print_open_object(key);
	print_open_object("frames");
	for (i = 0; i < CL_WS_NCLASS; i++)
		print_u64(col, cl_ws_frame_names[i], NULL, d->frames[i]);
	print_close_object();
	if (flow)
		print_u64(PRINT_FP, NULL, NULL, ws_frames(d));
	print_u64(PRINT_ANY, "payload_bytes", NULL, d->payload_bytes);
	print_u64(col, "header_bytes", NULL, d->header_bytes);
	if (flow) {
		print_bool(PRINT_JSON, "desync", NULL, d->desync);
		print_bool(PRINT_JSON, "malformed", NULL, d->malformed);
	}
	print_close_object();
}

/* "ok", "desync", "malformed" */
static const char *ws_dir_state(const struct cl_ws_dir *d)
{
	if (d->malformed)
		return "malformed";
	return d->desync ? "desync" : "ok";
}

/* An end of the flow: in JSON the address and port, in text one cell. */
static void ws_end_print(const struct cl_ws_entry *e, bool dst)
{
	const char *fmt = e->family == AF_INET ? "%s:%u" : "[%s]:%u";
	char a[INET6_ADDRSTRLEN], cell[INET6_ADDRSTRLEN + 8];
	uint16_t port = dst ? e->dport : e->sport;

	inet_ntop(e->family, dst ? e->dst : e->src, a, sizeof(a));
	print_string(PRINT_JSON, dst ? "dst" : "src", NULL, a);
	print_uint(PRINT_JSON, dst ? "dport" : "sport", NULL, port);
	snprintf(cell, sizeof(cell), fmt, a, port);
	print_string(PRINT_FP, NULL, NULL, cell);
}

static void ws_row(size_t i, const void *data)
{
	const struct cl_ws_list *l = data;
	const struct cl_ws_entry *e = &l->e[i];
	char state[32];

	print_open_object(NULL);
	print_string(PRINT_FP, NULL, NULL, cl_ws_proto_name(e->proto));
	print_string(PRINT_JSON, "family", NULL,
		     e->family == AF_INET ? "ipv4" : "ipv6");
	ws_end_print(e, false);
	ws_end_print(e, true);
	print_string(PRINT_JSON, "protocol", NULL, cl_ws_proto_name(e->proto));
	ws_dir_print("c2s", &e->c2s, true);
	ws_dir_print("s2c", &e->s2c, true);
	print_bool(PRINT_JSON, "desync", NULL, e->c2s.desync || e->s2c.desync);
	print_bool(PRINT_JSON, "malformed", NULL,
		   e->c2s.malformed || e->s2c.malformed);
	snprintf(state, sizeof(state), "%s/%s", ws_dir_state(&e->c2s),
		 ws_dir_state(&e->s2c));
	print_string(PRINT_FP, NULL, NULL, state);
	print_u64(PRINT_JSON, "idle_ms", NULL, e->idle_ms);
	print_close_object();
}

/* The widest address of a column, with the widest port. */
static unsigned int ws_end_width(const struct cl_ws_list *l, bool dst)
{
	char a[INET6_ADDRSTRLEN];
	unsigned int w = 6;
	size_t i, len;

	for (i = 0; i < l->n; i++) {
		const struct cl_ws_entry *e = &l->e[i];

		inet_ntop(e->family, dst ? e->dst : e->src, a, sizeof(a));
		len = strlen(a) + 6 + (e->family == AF_INET6 ? 2 : 0);
		if (len > w)
			w = len;
	}
	return w;
}

void cl_ws_list_print(struct cl_ctx *ctx, const struct cl_ws_list *l)
{
	struct print_col cols[] = {
		{ .head = "PROTO", .width = 8 },
		{ .head = "CLIENT", .width = ws_end_width(l, false) },
		{ .head = "SERVER", .width = ws_end_width(l, true) },
		{ .head = "C2S-FRAMES", .width = 10, .right = true },
		{ .head = "C2S-PAYLOAD", .width = 12, .right = true },
		{ .head = "S2C-FRAMES", .width = 10, .right = true },
		{ .head = "S2C-PAYLOAD", .width = 12, .right = true },
		{ .head = "STATE" },
	};

	print_start(ctx);
	print_open_array(NULL);
	print_table(cols, ARRAY_SIZE(cols), l->n, ws_row, l);
	print_close_array();
	print_end();
}

static int ws_list(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_ws_list l = { 0 };
	int ret;

	(void)argc;
	(void)argv;
	ret = cl_request(ctx, CLIPPER_CMD_WS_GET, NLM_F_DUMP,
			 cl_ws_reply_parse, &l);
	if (!ret)
		cl_ws_list_print(ctx, &l);
	cl_ws_list_free(&l);
	return ret;
}

/* ---- ws stats ---------------------------------------------------------- */

void cl_ws_stats_from(struct cl_ws_stats *w, const struct cl_stats *st,
		      const struct cl_config *cfg, uint32_t http_header)
{
	const struct cl_counters *cs = cl_stats_section(st, CLIPPER_STATS_A_WS);
	static const uint16_t ids[] = {
		CLIPPER_CTR_FLOWS, CLIPPER_CTR_TRACKED, CLIPPER_CTR_NOT_WS,
		CLIPPER_CTR_DESYNC, CLIPPER_CTR_MALFORMED,
		CLIPPER_CTR_TABLE_FULL, CLIPPER_CTR_EXPIRED,
	};
	uint64_t *out[] = {
		&w->flows, &w->tracked, &w->not_ws, &w->desync, &w->malformed,
		&w->table_full, &w->expired,
	};
	size_t i;

	memset(w, 0, sizeof(*w));
	for (i = 0; cs && i < ARRAY_SIZE(ids); i++)
		cl_counters_get(cs, ids[i], out[i]);
	w->has_active = cfg->has_ws_active;
	w->active = cfg->ws_active;
	cl_ws_dir_from(&w->c2s, cl_stats_section(st, CLIPPER_STATS_A_WS_C2S));
	cl_ws_dir_from(&w->s2c, cl_stats_section(st, CLIPPER_STATS_A_WS_S2C));
	w->http_header = http_header;
	/* a message (its first frame) would be one HTTP exchange */
	w->messages = sat_add(sat_add(w->c2s.frames[0], w->c2s.frames[1]),
			      sat_add(w->s2c.frames[0], w->s2c.frames[1]));
	w->frames = sat_add(ws_frames(&w->c2s), ws_frames(&w->s2c));
	w->ws_overhead = sat_add(w->c2s.header_bytes, w->s2c.header_bytes);
	w->http_overhead = sat_mul(w->messages, http_header);
}

/* http - ws as an s64, clamped where the difference does not fit */
static int64_t saved_bytes(uint64_t http, uint64_t ws)
{
	if (http >= ws)
		return http - ws > INT64_MAX ? INT64_MAX : (int64_t)(http - ws);
	return ws - http > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)(ws - http);
}

static void ws_stats_row(size_t i, const void *data)
{
	const struct cl_ws_stats *w = data;
	const char *name = i ? "s2c" : "c2s";

	print_string(PRINT_FP, NULL, NULL, name);
	ws_dir_print(name, i ? &w->s2c : &w->c2s, false);
}

void cl_ws_stats_print(struct cl_ctx *ctx, const struct cl_ws_stats *w)
{
	/* the columns at least as wide as they always were */
	struct print_col cols[CL_WS_NCLASS + 3] = {
		{ .head = "", .width = 4 },
	};
	unsigned int i;

	for (i = 0; i < CL_WS_NCLASS; i++)
		cols[1 + i] = (struct print_col){
			.head = cl_ws_frame_names[i], .width = 12, .right = true
		};
	cols[i + 1] = (struct print_col){
		.head = "payload-bytes", .width = 14, .right = true
	};
	cols[i + 2] = (struct print_col){
		.head = "header-bytes", .width = 12, .right = true
	};

	print_start(ctx);
	print_open_object(NULL);
	print_u64(PRINT_ANY, "flows", "flows %" PRIu64 " (", w->flows);
	if (w->has_active)
		print_uint(PRINT_ANY, "flows_active", "%u active", w->active);
	else
		print_null(PRINT_ANY, "flows_active", NULL, "active unknown");
	print_text("), tracked %" PRIu64 ", not websocket %" PRIu64
		   ", desync %" PRIu64 ", malformed %" PRIu64 ", table full %"
		   PRIu64 ", expired %" PRIu64 "\n", w->tracked, w->not_ws,
		   w->desync, w->malformed, w->table_full, w->expired);
	/* c2s and s2c: rows of a table, objects in JSON */
	print_table(cols, ARRAY_SIZE(cols), 2, ws_stats_row, w);
	print_u64(PRINT_JSON, "tracked", NULL, w->tracked);
	print_u64(PRINT_JSON, "not_websocket", NULL, w->not_ws);
	print_u64(PRINT_JSON, "desync", NULL, w->desync);
	print_u64(PRINT_JSON, "malformed", NULL, w->malformed);
	print_u64(PRINT_JSON, "table_full", NULL, w->table_full);
	print_u64(PRINT_JSON, "expired", NULL, w->expired);
	print_open_object("overhead");
	print_u64(PRINT_JSON, "frames", NULL, w->frames);
	print_u64(PRINT_JSON, "messages", NULL, w->messages);
	print_u64(PRINT_JSON, "header_bytes", NULL, w->ws_overhead);
	print_u64(PRINT_JSON, "http_header_size", NULL, w->http_header);
	print_u64(PRINT_JSON, "http_header_bytes", NULL, w->http_overhead);
	print_s64(PRINT_JSON, "saved_bytes", NULL,
		  saved_bytes(w->http_overhead, w->ws_overhead));
	print_close_object();
	print_text("overhead: %" PRIu64 " header bytes in %" PRIu64 " frames",
		   w->ws_overhead, w->frames);
	if (w->frames)
		print_text(" (%.2f a frame)",
			   (double)w->ws_overhead / (double)w->frames);
	print_text("; as HTTP requests of %u header bytes, %" PRIu64
		   " messages would cost %" PRIu64 " bytes", w->http_header,
		   w->messages, w->http_overhead);
	if (w->ws_overhead && w->http_overhead)
		print_text(" (%.1fx)",
			   (double)w->http_overhead / (double)w->ws_overhead);
	print_nl();
	print_close_object();
	print_end();
}

static int ws_stats(struct cl_ctx *ctx, int argc, char **argv)
{
	static struct cl_stats st;
	uint32_t http_header = CL_WS_HTTP_HEADER;
	struct cl_ws_stats w;
	struct cl_config cfg;
	int ret;

	if (argc == 2 && !strcmp(argv[0], "http-header")) {
		if (cl_parse_u32(argv[1], &http_header) || !http_header ||
		    http_header > 1048576)
			return cl_usage_error(&cl_obj_ws,
					      "invalid http-header \"%s\" (1..1048576)",
					      argv[1]);
	} else if (argc) {
		return cl_usage_error(&cl_obj_ws, "unexpected argument \"%s\"",
				      argv[0]);
	}
	memset(&st, 0, sizeof(st));
	ret = cl_request(ctx, CLIPPER_CMD_STATS_GET, 0, cl_stats_reply_parse,
			 &st);
	if (ret)
		return ret;
	memset(&cfg, 0, sizeof(cfg));
	ret = cl_request(ctx, CLIPPER_CMD_CONFIG_GET, 0, cl_config_parse, &cfg);
	if (ret)
		return ret;
	cl_ws_stats_from(&w, &st, &cfg, http_header);
	cl_ws_stats_print(ctx, &w);
	return CL_EXIT_OK;
}

static const char *const ws_usage[] = {
	"ws [list]",
	"ws stats [http-header BYTES]",
	NULL
};

static const char *const ws_where[] = {
	"list: the flows that completed a WebSocket upgrade through a",
	"      --ws-count rule, with their frames per direction; needs",
	"      CAP_NET_ADMIN, as conntrack -L does",
	"stats: the totals since the last \"stats reset\", and their overhead",
	"       against HTTP requests of BYTES header bytes each (800)",
	NULL
};

static const struct cl_verb ws_verbs[] = {
	{ "list", ws_list, 0 },
	{ "stats", ws_stats, 2 },
	{ }
};

const struct cl_object cl_obj_ws = {
	.name		= "ws",
	.usage		= ws_usage,
	.where		= ws_where,
	.default_verb	= "list",
	.verbs		= ws_verbs,
};

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

#include "obj.h"

/* frame classes, in counter order (CLIPPER_CTR_TEXT...) */
const char *const cl_ws_frame_names[CL_WS_NCLASS] = {
	"text", "binary", "continuation", "close", "ping", "pong", "other",
};

static const enum mnl_attr_data_type ws_reply_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= MNL_TYPE_U32,
	[CLIPPER_A_WS]		= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type ws_pol[CLIPPER_WS_A_MAX + 1] = {
	[CLIPPER_WS_A_FAMILY]	= MNL_TYPE_U8,
	[CLIPPER_WS_A_SRC]	= MNL_TYPE_BINARY,
	[CLIPPER_WS_A_SPORT]	= MNL_TYPE_U16,
	[CLIPPER_WS_A_DST]	= MNL_TYPE_BINARY,
	[CLIPPER_WS_A_DPORT]	= MNL_TYPE_U16,
	[CLIPPER_WS_A_PROTOCOL]	= MNL_TYPE_U8,
	[CLIPPER_WS_A_C2S]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_A_S2C]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_A_IDLE]	= MNL_TYPE_U64,
};

static const enum mnl_attr_data_type ws_dir_pol[CLIPPER_WS_DIR_A_MAX + 1] = {
	[CLIPPER_WS_DIR_A_COUNTERS]	= MNL_TYPE_NESTED,
	[CLIPPER_WS_DIR_A_DESYNC]	= MNL_TYPE_FLAG,
	[CLIPPER_WS_DIR_A_MALFORMED]	= MNL_TYPE_FLAG,
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
	ret = cl_attr_parse_nested(nest, ws_dir_pol, CLIPPER_WS_DIR_A_MAX, tb,
				   err);
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

	ret = cl_attr_parse_nested(nest, ws_pol, CLIPPER_WS_A_MAX, tb, err);
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

	ret = cl_genl_parse(nlh, ws_reply_pol, CLIPPER_A_MAX, tb, err);
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

static uint64_t ws_frames(const struct cl_ws_dir *d)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < CL_WS_NCLASS; i++)
		n += d->frames[i];
	return n;
}

/* {"frames": {...}, "payload_bytes", "header_bytes"} */
static void ws_dir_json(struct json *j, const char *key,
			const struct cl_ws_dir *d, bool flags)
{
	unsigned int i;

	json_key(j, key);
	json_obj_open(j);
	json_key(j, "frames");
	json_obj_open(j);
	for (i = 0; i < CL_WS_NCLASS; i++)
		json_kv_u64(j, cl_ws_frame_names[i], d->frames[i]);
	json_obj_close(j);
	json_kv_u64(j, "payload_bytes", d->payload_bytes);
	json_kv_u64(j, "header_bytes", d->header_bytes);
	if (flags) {
		json_kv_bool(j, "desync", d->desync);
		json_kv_bool(j, "malformed", d->malformed);
	}
	json_obj_close(j);
}

/* "ok", "desync", "malformed" */
static const char *ws_dir_state(const struct cl_ws_dir *d)
{
	if (d->malformed)
		return "malformed";
	return d->desync ? "desync" : "ok";
}

void cl_ws_list_print(struct cl_ctx *ctx, const struct cl_ws_list *l)
{
	char src[INET6_ADDRSTRLEN + 8], dst[INET6_ADDRSTRLEN + 8];
	char a[INET6_ADDRSTRLEN];
	int wsrc = 6, wdst = 6;
	FILE *f = ctx->out;
	struct json j;
	size_t i, k;

	if (ctx->json) {
		json_init(&j, f, ctx->pretty);
		json_arr_open(&j);
		for (i = 0; i < l->n; i++) {
			const struct cl_ws_entry *e = &l->e[i];

			json_obj_open(&j);
			json_kv_str(&j, "family",
				    e->family == AF_INET ? "ipv4" : "ipv6");
			inet_ntop(e->family, e->src, a, sizeof(a));
			json_kv_str(&j, "src", a);
			json_kv_u64(&j, "sport", e->sport);
			inet_ntop(e->family, e->dst, a, sizeof(a));
			json_kv_str(&j, "dst", a);
			json_kv_u64(&j, "dport", e->dport);
			json_kv_str(&j, "protocol", cl_ws_proto_name(e->proto));
			ws_dir_json(&j, "c2s", &e->c2s, true);
			ws_dir_json(&j, "s2c", &e->s2c, true);
			json_kv_bool(&j, "desync",
				     e->c2s.desync || e->s2c.desync);
			json_kv_bool(&j, "malformed",
				     e->c2s.malformed || e->s2c.malformed);
			json_kv_u64(&j, "idle_ms", e->idle_ms);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_end(&j);
		return;
	}
	if (!l->n)
		return;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < l->n; i++) {
			const struct cl_ws_entry *e = &l->e[i];
			int w;

			inet_ntop(e->family, k ? e->dst : e->src, a, sizeof(a));
			w = strlen(a) + 6 + (e->family == AF_INET6 ? 2 : 0);
			if (!k && w > wsrc)
				wsrc = w;
			if (k && w > wdst)
				wdst = w;
		}
	}
	fprintf(f, "%-8s  %-*s  %-*s  %10s  %12s  %10s  %12s  %s\n", "PROTO",
		wsrc, "CLIENT", wdst, "SERVER", "C2S-FRAMES", "C2S-PAYLOAD",
		"S2C-FRAMES", "S2C-PAYLOAD", "STATE");
	for (i = 0; i < l->n; i++) {
		const struct cl_ws_entry *e = &l->e[i];
		const char *fmt = e->family == AF_INET ? "%s:%u" : "[%s]:%u";

		inet_ntop(e->family, e->src, a, sizeof(a));
		snprintf(src, sizeof(src), fmt, a, e->sport);
		inet_ntop(e->family, e->dst, a, sizeof(a));
		snprintf(dst, sizeof(dst), fmt, a, e->dport);
		fprintf(f, "%-8s  %-*s  %-*s  %10" PRIu64 "  %12" PRIu64
			"  %10" PRIu64 "  %12" PRIu64 "  %s/%s\n",
			cl_ws_proto_name(e->proto), wsrc, src, wdst, dst,
			ws_frames(&e->c2s), e->c2s.payload_bytes,
			ws_frames(&e->s2c), e->s2c.payload_bytes,
			ws_dir_state(&e->c2s), ws_dir_state(&e->s2c));
	}
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
	w->messages = w->c2s.frames[0] + w->c2s.frames[1] +
		      w->s2c.frames[0] + w->s2c.frames[1];
	w->frames = ws_frames(&w->c2s) + ws_frames(&w->s2c);
	w->ws_overhead = w->c2s.header_bytes + w->s2c.header_bytes;
	w->http_overhead = w->messages * (uint64_t)http_header;
}

void cl_ws_stats_print(struct cl_ctx *ctx, const struct cl_ws_stats *w)
{
	FILE *f = ctx->out;
	const struct cl_ws_dir *d;
	struct json j;
	unsigned int i, k;

	if (ctx->json) {
		json_init(&j, f, ctx->pretty);
		json_obj_open(&j);
		json_kv_u64(&j, "flows", w->flows);
		if (w->has_active)
			json_kv_u64(&j, "flows_active", w->active);
		else
			json_kv_null(&j, "flows_active");
		ws_dir_json(&j, "c2s", &w->c2s, false);
		ws_dir_json(&j, "s2c", &w->s2c, false);
		json_kv_u64(&j, "tracked", w->tracked);
		json_kv_u64(&j, "not_websocket", w->not_ws);
		json_kv_u64(&j, "desync", w->desync);
		json_kv_u64(&j, "malformed", w->malformed);
		json_kv_u64(&j, "table_full", w->table_full);
		json_kv_u64(&j, "expired", w->expired);
		json_key(&j, "overhead");
		json_obj_open(&j);
		json_kv_u64(&j, "frames", w->frames);
		json_kv_u64(&j, "messages", w->messages);
		json_kv_u64(&j, "header_bytes", w->ws_overhead);
		json_kv_u64(&j, "http_header_size", w->http_header);
		json_kv_u64(&j, "http_header_bytes", w->http_overhead);
		json_kv_s64(&j, "saved_bytes",
			    (int64_t)(w->http_overhead - w->ws_overhead));
		json_obj_close(&j);
		json_obj_close(&j);
		json_end(&j);
		return;
	}
	fprintf(f, "flows %" PRIu64 " (", w->flows);
	if (w->has_active)
		fprintf(f, "%u active", w->active);
	else
		fputs("active unknown", f);
	fprintf(f, "), tracked %" PRIu64 ", not websocket %" PRIu64
		", desync %" PRIu64 ", malformed %" PRIu64 ", table full %"
		PRIu64 ", expired %" PRIu64 "\n", w->tracked, w->not_ws,
		w->desync, w->malformed, w->table_full, w->expired);
	fprintf(f, "%-4s", "");
	for (i = 0; i < CL_WS_NCLASS; i++)
		fprintf(f, "  %12s", cl_ws_frame_names[i]);
	fprintf(f, "  %14s  %12s\n", "payload-bytes", "header-bytes");
	for (k = 0; k < 2; k++) {
		d = k ? &w->s2c : &w->c2s;
		fprintf(f, "%-4s", k ? "s2c" : "c2s");
		for (i = 0; i < CL_WS_NCLASS; i++)
			fprintf(f, "  %12" PRIu64, d->frames[i]);
		fprintf(f, "  %14" PRIu64 "  %12" PRIu64 "\n", d->payload_bytes,
			d->header_bytes);
	}
	fprintf(f, "overhead: %" PRIu64 " header bytes in %" PRIu64 " frames",
		w->ws_overhead, w->frames);
	if (w->frames)
		fprintf(f, " (%.2f a frame)",
			(double)w->ws_overhead / (double)w->frames);
	fprintf(f, "; as HTTP requests of %u header bytes, %" PRIu64
		" messages would cost %" PRIu64 " bytes", w->http_header,
		w->messages, w->http_overhead);
	if (w->ws_overhead && w->http_overhead)
		fprintf(f, " (%.1fx)",
			(double)w->http_overhead / (double)w->ws_overhead);
	fputc('\n', f);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper config: the per-namespace settings (the classes of MACs without
 * an entry, the MAC table's limit and size).
 */
#include <string.h>

#include "attrs.h"
#include "obj.h"

/* the numeric settings, in the order of num_arg()'s switch */
static const struct {
	const char *key;
	uint32_t min, max;
} num_lim[] = {
	{ "pmtu-max", 1, 1048576 },
	{ "pmtu-timeout", 1000, 86400000 },
	{ "pmtu-retrans", 1, 10 },
	{ "pmtu-window", 100, 600000 },
	{ "ws-max", 1, 1048576 },
	{ "ws-timeout", 1000, 604800000 },
};

/* what config set takes, for the message that refuses anything else */
#define SETTINGS "mac-max, mac-counters, pmtu-max, pmtu-timeout, " \
		 "pmtu-retrans, pmtu-window, ws-max, ws-timeout"

/* index of a numeric setting, or -1 */
static int num_key(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(num_lim); i++)
		if (!strcmp(num_lim[i].key, key))
			return i;
	return -1;
}

/* pmtu-max N, pmtu-timeout MS, pmtu-retrans N, pmtu-window MS, ws-... */
static int num_arg(struct cl_config *r, int i, const char *val)
{
	const char *key = num_lim[i].key;
	bool *has[] = { &r->has_pmtu_max, &r->has_pmtu_timeout,
			&r->has_pmtu_retrans, &r->has_pmtu_window,
			&r->has_ws_max, &r->has_ws_timeout };
	uint32_t v;

	if (*has[i])
		return cl_usage_error(&cl_obj_config, "%s given twice", key);
	if (!val || cl_parse_u32(val, &v) || v < num_lim[i].min ||
	    v > num_lim[i].max)
		return cl_usage_error(&cl_obj_config,
				      "invalid %s \"%s\" (%u..%u)", key,
				      val ? val : "", num_lim[i].min,
				      num_lim[i].max);
	*has[i] = true;
	switch (i) {
	case 0:
		r->pmtu_max = v;
		break;
	case 1:
		r->pmtu_timeout = v;
		break;
	case 2:
		r->pmtu_retrans = v;
		break;
	case 3:
		r->pmtu_window = v;
		break;
	case 4:
		r->ws_max = v;
		break;
	default:
		r->ws_timeout = v;
	}
	return 0;
}

int cl_config_set_args(int argc, char **argv, struct cl_config *r)
{
	const char *key, *val;
	int i;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return cl_usage_error(&cl_obj_config,
				      "config set: a setting is needed");
	for (i = 0; i < argc; i += 2) {
		key = argv[i];
		val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(key, "mac-counters")) {
			if (r->has_mac_counters)
				return cl_usage_error(&cl_obj_config,
						      "mac-counters given twice");
			if (!val || (strcmp(val, "on") && strcmp(val, "off")))
				return cl_usage_error(&cl_obj_config,
						      "mac-counters: on or off");
			r->mac_counters = !strcmp(val, "on");
			r->has_mac_counters = true;
			continue;
		}
		if (num_key(key) >= 0) {
			if (num_arg(r, num_key(key), val))
				return CL_EXIT_USAGE;
			continue;
		}
		if (strcmp(key, "mac-max"))
			return cl_usage_error(&cl_obj_config,
					      "unknown setting \"%s\" (one of: %s)",
					      key, SETTINGS);
		if (r->has_mac_max)
			return cl_usage_error(&cl_obj_config,
					      "mac-max given twice");
		if (!val)
			return cl_usage_error(&cl_obj_config,
					      "mac-max: a value is needed");
		if (cl_parse_u32(val, &r->mac_max) || !r->mac_max ||
		    r->mac_max > CL_MAC_MAX_LIMIT)
			return cl_usage_error(&cl_obj_config,
					      "invalid mac-max \"%s\" (1..%u)",
					      val, CL_MAC_MAX_LIMIT);
		r->has_mac_max = true;
	}
	return 0;
}

void cl_config_req_put(struct nlmsghdr *nlh, const void *arg)
{
	const struct cl_config *r = arg;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
	if (r->has_default)
		mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_DEFAULT_CLASS,
				r->default_class);
	if (r->has_random)
		mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_RANDOM_CLASS,
				r->random_class);
	if (r->has_mac_max)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_MAX, r->mac_max);
	if (r->has_mac_counters)
		mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_MAC_COUNTERS,
				r->mac_counters);
	if (r->has_pmtu_max)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_PMTU_MAX, r->pmtu_max);
	if (r->has_pmtu_timeout)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_PMTU_TIMEOUT,
				 r->pmtu_timeout);
	if (r->has_pmtu_retrans)
		mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_PMTU_RETRANS,
				r->pmtu_retrans);
	if (r->has_pmtu_window)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_PMTU_WINDOW,
				 r->pmtu_window);
	if (r->has_ws_max)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_WS_MAX, r->ws_max);
	if (r->has_ws_timeout)
		mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_WS_TIMEOUT,
				 r->ws_timeout);
	mnl_attr_nest_end(nlh, nest);
}

int cl_config_parse(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err)
{
	const struct nlattr *ctb[CLIPPER_CONFIG_A_MAX + 1];
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_config *c = data;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	memset(c, 0, sizeof(*c));
	if (!tb[CLIPPER_A_CONFIG])
		return 0;
	ret = cl_attr_parse_nested(tb[CLIPPER_A_CONFIG], cl_config_pol,
				   CLIPPER_CONFIG_A_MAX, ctb, err);
	if (ret)
		return ret;
	if (ctb[CLIPPER_CONFIG_A_DEFAULT_CLASS]) {
		c->default_class =
			mnl_attr_get_u8(ctb[CLIPPER_CONFIG_A_DEFAULT_CLASS]);
		c->has_default = true;
	}
	if (ctb[CLIPPER_CONFIG_A_RANDOM_CLASS]) {
		c->random_class =
			mnl_attr_get_u8(ctb[CLIPPER_CONFIG_A_RANDOM_CLASS]);
		c->has_random = true;
	}
	if (ctb[CLIPPER_CONFIG_A_MAC_MAX]) {
		c->mac_max = mnl_attr_get_u32(ctb[CLIPPER_CONFIG_A_MAC_MAX]);
		c->has_mac_max = true;
	}
	if (ctb[CLIPPER_CONFIG_A_MAC_COUNT]) {
		c->mac_count = mnl_attr_get_u32(ctb[CLIPPER_CONFIG_A_MAC_COUNT]);
		c->has_mac_count = true;
	}
#define GET32(A, f)						\
	do {							\
		if (ctb[CLIPPER_CONFIG_A_##A]) {		\
			c->f = mnl_attr_get_u32(ctb[CLIPPER_CONFIG_A_##A]); \
			c->has_##f = true;			\
		}						\
	} while (0)
	GET32(PMTU_MAX, pmtu_max);
	GET32(PMTU_COUNT, pmtu_count);
	GET32(PMTU_TIMEOUT, pmtu_timeout);
	GET32(PMTU_WINDOW, pmtu_window);
	GET32(WS_MAX, ws_max);
	GET32(WS_COUNT, ws_count);
	GET32(WS_ACTIVE, ws_active);
	GET32(WS_TIMEOUT, ws_timeout);
	GET32(WS_PENDING, ws_pending);
#undef GET32
	if (ctb[CLIPPER_CONFIG_A_PMTU_RETRANS]) {
		c->pmtu_retrans = mnl_attr_get_u8(ctb[CLIPPER_CONFIG_A_PMTU_RETRANS]);
		c->has_pmtu_retrans = true;
	}
	if (ctb[CLIPPER_CONFIG_A_MAC_COUNTERS]) {
		c->mac_counters =
			mnl_attr_get_u8(ctb[CLIPPER_CONFIG_A_MAC_COUNTERS]);
		c->has_mac_counters = true;
	}
	return 0;
}

/* "NAME VALUE" and "key": value, or "unknown" and null if not sent. */
static void setting_u32(enum print_type t, const char *key, const char *name,
			bool has, uint32_t v)
{
	if (t & PRINT_FP)
		print_text("%s ", name);
	if (has)
		print_uint(t, key, "%u\n", v);
	else
		print_null(t, key, "%s\n", "unknown");
}

/*
 * The human form reads like the commands that set it ("default bulk",
 * "mac-max 1024"); what the kernel did not send is "unknown" (null in
 * JSON).  full: config show; else class default, whose text is the two
 * classes only.
 */
void cl_config_print(struct cl_ctx *ctx, const struct cl_config *c,
		     bool full)
{
	enum print_type shown = full ? PRINT_ANY : PRINT_JSON;
	char dbuf[CL_CLASS_NAME_LEN], rbuf[CL_CLASS_NAME_LEN];

	print_start(ctx);
	print_open_object(NULL);
	if (c->has_default)
		print_string(PRINT_ANY, "default", "default %s\n",
			     cl_class_name(c->default_class, dbuf,
					   sizeof(dbuf)));
	else
		print_null(PRINT_ANY, "default", "default %s\n", "unknown");
	if (c->has_random)
		print_string(PRINT_ANY, "random", "random %s\n",
			     cl_class_name(c->random_class, rbuf,
					   sizeof(rbuf)));
	else
		print_null(PRINT_ANY, "random", "random %s\n", "unknown");
	setting_u32(shown, "mac_max", "mac-max", c->has_mac_max, c->mac_max);
	setting_u32(shown, "mac_count", "mac-count", c->has_mac_count,
		    c->mac_count);
	/* an older module does not send it */
	if (full && c->has_mac_counters) {
		print_bool(PRINT_JSON, "mac_counters", NULL, c->mac_counters);
		print_string(PRINT_FP, NULL, "mac-counters %s\n",
			     c->mac_counters ? "on" : "off");
	}
	/* each as the module sends it: an older one has fewer */
	if (full && c->has_pmtu_max)
		print_uint(PRINT_ANY, "pmtu_max", "pmtu-max %u\n", c->pmtu_max);
	if (full && c->has_pmtu_count)
		print_uint(PRINT_ANY, "pmtu_count", "pmtu-count %u\n",
			   c->pmtu_count);
	if (full && c->has_pmtu_timeout)
		print_uint(PRINT_ANY, "pmtu_timeout_ms", "pmtu-timeout %u\n",
			   c->pmtu_timeout);
	if (full && c->has_pmtu_retrans)
		print_uint(PRINT_ANY, "pmtu_retrans", "pmtu-retrans %u\n",
			   c->pmtu_retrans);
	if (full && c->has_pmtu_window)
		print_uint(PRINT_ANY, "pmtu_window_ms", "pmtu-window %u\n",
			   c->pmtu_window);
	if (full && c->has_ws_max)
		print_uint(PRINT_ANY, "ws_max", "ws-max %u\n", c->ws_max);
	if (full && c->has_ws_count)
		print_uint(PRINT_ANY, "ws_count", "ws-count %u\n", c->ws_count);
	if (full && c->has_ws_active)
		print_uint(PRINT_ANY, "ws_active", "ws-active %u\n",
			   c->ws_active);
	if (full && c->has_ws_timeout)
		print_uint(PRINT_ANY, "ws_timeout_ms", "ws-timeout %u\n",
			   c->ws_timeout);
	if (full && c->has_ws_pending)
		print_uint(PRINT_ANY, "ws_pending", "ws-pending %u\n",
			   c->ws_pending);
	print_close_object();
	print_end();
}

static int config_show(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_config c;
	int ret;

	(void)argc;
	(void)argv;
	memset(&c, 0, sizeof(c));
	ret = cl_request(ctx, CLIPPER_CMD_CONFIG_GET, 0, cl_config_parse, &c);
	if (ret)
		return ret;
	cl_config_print(ctx, &c, true);
	return CL_EXIT_OK;
}

static int config_set(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_config r;
	int ret;

	ret = cl_config_set_args(argc, argv, &r);
	if (ret)
		return ret;
	return cl_request_put(ctx, CLIPPER_CMD_CONFIG_SET, 0,
			      cl_config_req_put, &r, NULL, NULL);
}

static const char *const config_usage[] = {
	"config [show]",
	"config set SETTING VALUE [SETTING VALUE]...",
	NULL
};

static const char *const config_where[] = {
	"SETTING VALUE := { mac-max N | mac-counters { on | off } |",
	"                   pmtu-max N | pmtu-timeout MS | pmtu-retrans N |",
	"                   pmtu-window MS | ws-max N | ws-timeout MS }",
	"mac-max: the most entries the MAC table may hold, 1..16777216 (65536)",
	"mac-counters: count each MAC's packets and bytes (one lookup per",
	"              packet from the LAN); off: only its flows",
	"pmtu-max: paths --pmtu-guard follows, 1..1048576 (4096)",
	"pmtu-timeout: ms a path is kept unchanged, 1000..86400000 (600000)",
	"pmtu-retrans: confirmations in a row that make a black hole (a",
	"              smaller copy of a resend got through, the resend did",
	"              not), 1..10 (3)",
	"pmtu-window: ms after which a resend episode with nothing new is",
	"             over, and a path that learned nothing is forgotten,",
	"             100..600000 (10000)",
	"ws-max: TCP flows --ws-count follows, 1..1048576 (16384)",
	"ws-timeout: ms an idle WebSocket flow is followed, 1000..604800000",
	"            (3600000)",
	NULL
};

static const struct cl_verb config_verbs[] = {
	{ "show", config_show, 0 },
	{ "set", config_set, -1 },
	{ }
};

const struct cl_object cl_obj_config = {
	.name		= "config",
	.usage		= config_usage,
	.where		= config_where,
	.default_verb	= "show",
	.verbs		= config_verbs,
};

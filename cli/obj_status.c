// SPDX-License-Identifier: GPL-2.0
/*
 * clipper status: the module, how many rules use each feature, and the
 * target's counters.
 */
#include <inttypes.h>
#include <string.h>

#include "attrs.h"
#include "obj.h"

/* The features, in the order they are shown. */
static const struct {
	uint16_t attr;		/* enum clipper_rules_attr */
	const char *name;	/* human output */
	const char *key;	/* JSON key */
} features[] = {
	{ CLIPPER_RULES_A_CLASSIFY,	"classify",	"classify" },
	{ CLIPPER_RULES_A_CLAMP_MSS,	"clamp-mss",	"clamp_mss" },
	{ CLIPPER_RULES_A_PMTU_GUARD,	"pmtu-guard",	"pmtu_guard" },
	{ CLIPPER_RULES_A_WS_COUNT,	"ws-count",	"ws_count" },
};

#define NFEATURES ARRAY_SIZE(features)

int cl_status_parse(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err)
{
	const struct nlattr *rtb[CLIPPER_RULES_A_MAX + 1];
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_status *st = data;
	unsigned int i;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	memset(st, 0, sizeof(*st));
	if (tb[CLIPPER_A_VERSION]) {
		cl_copy_str(st->module, sizeof(st->module),
			    mnl_attr_get_str(tb[CLIPPER_A_VERSION]));
		st->has_module = true;
	}
	if (tb[CLIPPER_A_PROTOCOL]) {
		st->protocol = mnl_attr_get_u32(tb[CLIPPER_A_PROTOCOL]);
		st->has_protocol = true;
	}
	if (tb[CLIPPER_A_RULES]) {
		ret = cl_attr_parse_nested(tb[CLIPPER_A_RULES], cl_rules_pol,
					   CLIPPER_RULES_A_MAX, rtb, err);
		if (ret)
			return ret;
		for (i = 0; i <= CLIPPER_RULES_A_MAX; i++)
			if (rtb[i])
				st->rules[i] = mnl_attr_get_u32(rtb[i]);
	}
	if (tb[CLIPPER_A_STATS])
		return cl_stats_parse(tb[CLIPPER_A_STATS], &st->stats, err);
	return 0;
}

static uint64_t target_ctr(const struct cl_status *st, uint16_t id)
{
	const struct cl_counters *cs;
	uint64_t v = 0;

	cs = cl_stats_section(&st->stats, CLIPPER_STATS_A_TARGET);
	if (cs)
		cl_counters_get(cs, id, &v);
	return v;
}

void cl_status_print(struct cl_ctx *ctx, const struct cl_status *st)
{
	unsigned int i;
	uint32_t n;

	print_start(ctx);
	print_open_object(NULL);
	print_text("%-12s", "module");
	if (st->has_module)
		print_string(PRINT_ANY, "module", NULL, st->module);
	else
		print_null(PRINT_ANY, "module", NULL, "unknown");
	if (st->has_protocol)
		print_uint(PRINT_ANY, "protocol", " (protocol %u)",
			   st->protocol);
	else
		print_null(PRINT_JSON, "protocol", NULL, NULL);
	print_nl();
	print_text("%-12s", "rules");
	print_uint(PRINT_ANY, "rules", "%u\n", st->rules[CLIPPER_RULES_A_TOTAL]);
	print_open_object("features");
	for (i = 0; i < NFEATURES; i++) {
		n = st->rules[features[i].attr];
		print_open_object(features[i].key);
		print_text("%-12s", features[i].name);
		print_bool(PRINT_JSON, "active", NULL, n > 0);
		print_text("%-10s", n ? "active" : "inactive");
		print_uint(PRINT_ANY, "rules", NULL, n);
		print_text(" rule%s\n", cl_plural(n));
		print_close_object();
	}
	print_close_object();
	print_text("%-12s", "packets");
	print_u64(PRINT_ANY, "packets", "%" PRIu64 "\n",
		  target_ctr(st, CLIPPER_CTR_PACKETS));
	print_text("%-12s", "bytes");
	print_u64(PRINT_ANY, "bytes", "%" PRIu64 "\n",
		  target_ctr(st, CLIPPER_CTR_BYTES));
	print_close_object();
	print_end();
}

static int status_show(struct cl_ctx *ctx, int argc, char **argv)
{
	static struct cl_status st;
	int ret;

	(void)argc;
	(void)argv;
	memset(&st, 0, sizeof(st));
	ret = cl_request(ctx, CLIPPER_CMD_STATUS_GET, 0, cl_status_parse, &st);
	if (ret)
		return ret;
	cl_status_print(ctx, &st);
	return CL_EXIT_OK;
}

static const char *const status_usage[] = {
	"status [show]",
	NULL
};

static const struct cl_verb status_verbs[] = {
	{ "show", status_show, 0 },
	{ }
};

const struct cl_object cl_obj_status = {
	.name		= "status",
	.usage		= status_usage,
	.default_verb	= "show",
	.verbs		= status_verbs,
};

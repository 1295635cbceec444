// SPDX-License-Identifier: GPL-2.0
/*
 * clipper stats: every counter section; stats reset zeroes them.
 */
#include <inttypes.h>
#include <string.h>

#include "attrs.h"
#include "obj.h"

int cl_stats_reply_parse(const struct nlmsghdr *nlh, void *data,
			 struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_stats *st = data;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	st->n = 0;
	if (tb[CLIPPER_A_STATS])
		return cl_stats_parse(tb[CLIPPER_A_STATS], st, err);
	return 0;
}

#define MAX_SECTIONS (CLIPPER_STATS_A_MAX + 1 + CL_SECTION_SLOTS)

/*
 * The sections to show: every known one in enum order, sent or not, then
 * whatever sections a newer module sent.
 */
static unsigned int section_order(const struct cl_stats *st,
				  uint16_t ids[MAX_SECTIONS])
{
	unsigned int i, n = 0;
	uint16_t id;

	for (id = 0; id <= CLIPPER_STATS_A_MAX; id++)
		if (cl_section_names[id])
			ids[n++] = id;
	for (i = 0; i < st->n; i++)
		if (st->sec[i].id > CLIPPER_STATS_A_MAX)
			ids[n++] = st->sec[i].id;
	return n;
}

void cl_stats_print(struct cl_ctx *ctx, const struct cl_stats *st)
{
	unsigned int i, n, w, width = 0;
	uint16_t ids[MAX_SECTIONS];
	const char *name;
	char buf[32];

	n = section_order(st, ids);
	/* one column of values across all sections */
	for (i = 0; i < n; i++) {
		w = cl_counters_width(cl_stats_section(st, ids[i]));
		if (w > width)
			width = w;
	}
	print_start(ctx);
	print_open_object(NULL);
	for (i = 0; i < n; i++) {
		name = cl_section_name(ids[i], buf, sizeof(buf));
		print_text("%s:\n", name);
		cl_counters_show(name, cl_stats_section(st, ids[i]), width);
	}
	print_close_object();
	print_end();
}

/* name, made a Prometheus metric name part ([a-z0-9_]), into buf */
static const char *prom_name(const char *name, char *buf, size_t len)
{
	char *s;

	snprintf(buf, len, "%s", name);
	for (s = buf; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			*s = '_';
	return buf;
}

/*
 * The node_exporter textfile format: one counter family per section and
 * counter, clipper_SECTION_COUNTER_total, with HELP and TYPE lines.
 */
void cl_stats_print_prometheus(FILE *f, const struct cl_stats *st)
{
	char buf[32], sec[32], ctr[32];
	uint16_t ids[MAX_SECTIONS];
	const struct cl_counters *cs;
	unsigned int i, k, n;

	n = section_order(st, ids);
	for (i = 0; i < n; i++) {
		cs = cl_stats_section(st, ids[i]);
		prom_name(cl_section_name(ids[i], buf, sizeof(buf)), sec,
			  sizeof(sec));
		for (k = 0; cs && k < cs->n; k++) {
			prom_name(cl_counter_name(cs->c[k].id, buf, sizeof(buf)),
				  ctr, sizeof(ctr));
			fprintf(f, "# HELP clipper_%s_%s_total clipper %s counter %s\n"
				"# TYPE clipper_%s_%s_total counter\n"
				"clipper_%s_%s_total %" PRIu64 "\n",
				sec, ctr, sec, ctr, sec, ctr, sec, ctr,
				cs->c[k].val);
		}
	}
}

static int stats_show(struct cl_ctx *ctx, int argc, char **argv)
{
	static struct cl_stats st;
	bool prometheus = false;
	int ret;

	if (argc == 1 && !strcmp(argv[0], "--prometheus"))
		prometheus = true;
	else if (argc)
		return cl_usage_error(&cl_obj_stats, "unknown option \"%s\"",
				      argv[0]);
	memset(&st, 0, sizeof(st));
	ret = cl_request(ctx, CLIPPER_CMD_STATS_GET, 0, cl_stats_reply_parse,
			 &st);
	if (ret)
		return ret;
	if (prometheus)
		cl_stats_print_prometheus(ctx->out, &st);
	else
		cl_stats_print(ctx, &st);
	return CL_EXIT_OK;
}

static int stats_reset(struct cl_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cl_request(ctx, CLIPPER_CMD_STATS_RESET, 0, NULL, NULL);
}

static const char *const stats_usage[] = {
	"stats [show] [--prometheus]",
	"stats reset",
	NULL
};

static const struct cl_verb stats_verbs[] = {
	{ "show", stats_show, 1 },
	{ "reset", stats_reset, 0 },
	{ }
};

const struct cl_object cl_obj_stats = {
	.name		= "stats",
	.usage		= stats_usage,
	.default_verb	= "show",
	.verbs		= stats_verbs,
};

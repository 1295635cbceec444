// SPDX-License-Identifier: GPL-2.0
/*
 * clipper class: the classes' marks, priorities and counters, and which
 * class MACs without an entry get (class default: a view of the
 * configuration, read and set with obj_config.c's functions).  The names
 * of the classes and of DSCP values are classes.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "obj.h"

int cl_class_set_args(int argc, char **argv, struct cl_class_req *r)
{
	const char *key, *val;
	int i;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return cl_usage_error(&cl_obj_class,
				      "class set: a class is needed");
	if (cl_class_arg(&cl_obj_class, argv[0], &r->id))
		return CL_EXIT_USAGE;
	for (i = 1; i < argc; i += 2) {
		key = argv[i];
		val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(key, "mark")) {
			if (r->has_mark)
				return cl_usage_error(&cl_obj_class,
						      "mark given twice");
			if (!val)
				return cl_usage_error(&cl_obj_class,
						      "mark: a value is needed");
			if (cl_parse_u32(val, &r->mark) || !r->mark)
				return cl_usage_error(&cl_obj_class,
						      "invalid mark \"%s\" (a non-zero 32-bit number)",
						      val);
			r->has_mark = true;
		} else if (!strcmp(key, "priority")) {
			if (r->has_priority)
				return cl_usage_error(&cl_obj_class,
						      "priority given twice");
			if (!val)
				return cl_usage_error(&cl_obj_class,
						      "priority: a value is needed");
			if (!strcmp(val, "unchanged"))
				r->priority = CLIPPER_PRIORITY_UNCHANGED;
			else if (cl_parse_u32(val, &r->priority) ||
				 r->priority == CLIPPER_PRIORITY_UNCHANGED)
				return cl_usage_error(&cl_obj_class,
						      "invalid priority \"%s\" (0..%u or unchanged)",
						      val,
						      CLIPPER_PRIORITY_UNCHANGED - 1);
			r->has_priority = true;
		} else if (!strcmp(key, "wmm")) {
			/* mac80211 takes 256 + UP as the 802.11 user priority */
			uint32_t up;

			if (r->has_priority)
				return cl_usage_error(&cl_obj_class,
						      "priority given twice (wmm sets it)");
			if (!val || cl_parse_u32(val, &up) || up > 7)
				return cl_usage_error(&cl_obj_class,
						      "invalid wmm \"%s\" (an 802.11 user priority, 0..7)",
						      val ? val : "");
			r->priority = CL_PRIO_WMM_BASE + up;
			r->has_priority = true;
		} else if (!strcmp(key, "dscp")) {
			int d;

			if (r->has_dscp)
				return cl_usage_error(&cl_obj_class,
						      "dscp given twice");
			if (!val)
				return cl_usage_error(&cl_obj_class,
						      "dscp: a value is needed");
			d = cl_dscp_parse(val);
			if (d < 0)
				return cl_usage_error(&cl_obj_class,
						      "invalid dscp \"%s\" (EF, AFxy, CSx, 0..63 or unchanged)",
						      val);
			r->dscp = d;
			r->has_dscp = true;
		} else {
			return cl_usage_error(&cl_obj_class,
					      "unexpected argument \"%s\"", key);
		}
	}
	if (!r->has_mark && !r->has_priority && !r->has_dscp)
		return cl_usage_error(&cl_obj_class,
				      "class set: mark, priority or dscp is needed");
	return 0;
}

void cl_class_req_put(struct nlmsghdr *nlh, const void *arg)
{
	const struct cl_class_req *r = arg;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, r->id);
	if (r->has_mark)
		mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MARK, r->mark);
	if (r->has_priority)
		mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_PRIORITY, r->priority);
	if (r->has_dscp)
		mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_DSCP, r->dscp);
	mnl_attr_nest_end(nlh, nest);
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

int cl_class_reply_parse(const struct nlmsghdr *nlh, void *data,
			 struct cl_nl_err *err)
{
	const struct nlattr *ctb[CLIPPER_CLASS_A_MAX + 1];
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_class_list *l = data;
	struct cl_class_entry *e;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_A_CLASS])
		return cl_bad_reply(err, "no class");
	ret = cl_attr_parse_nested(tb[CLIPPER_A_CLASS], cl_class_pol,
				   CLIPPER_CLASS_A_MAX, ctb, err);
	if (ret)
		return ret;
	if (!ctb[CLIPPER_CLASS_A_ID])
		return cl_bad_reply(err, "class without an id");

	e = cl_array_grow(l->e, &l->alloc, l->n, sizeof(*l->e));
	if (!e)
		return cl_nomem(err);
	l->e = e;
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	e->id = mnl_attr_get_u8(ctb[CLIPPER_CLASS_A_ID]);
	if (ctb[CLIPPER_CLASS_A_NAME])
		cl_copy_str(e->name, sizeof(e->name),
			    mnl_attr_get_str(ctb[CLIPPER_CLASS_A_NAME]));
	if (ctb[CLIPPER_CLASS_A_MARK])
		e->mark = mnl_attr_get_u32(ctb[CLIPPER_CLASS_A_MARK]);
	e->priority = ctb[CLIPPER_CLASS_A_PRIORITY] ?
		      mnl_attr_get_u32(ctb[CLIPPER_CLASS_A_PRIORITY]) :
		      CLIPPER_PRIORITY_UNCHANGED;
	e->dscp = ctb[CLIPPER_CLASS_A_DSCP] ?
		  mnl_attr_get_u8(ctb[CLIPPER_CLASS_A_DSCP]) :
		  CLIPPER_DSCP_UNCHANGED;
	e->packets = get_u64(ctb[CLIPPER_CLASS_A_PACKETS]);
	e->bytes = get_u64(ctb[CLIPPER_CLASS_A_BYTES]);
	e->flows = get_u64(ctb[CLIPPER_CLASS_A_FLOWS]);
	return 0;
}

void cl_class_list_free(struct cl_class_list *l)
{
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/* The kernel's name for the class, or ours. */
static const char *entry_name(const struct cl_class_entry *e, char *buf,
			      size_t len)
{
	return e->name[0] ? e->name : cl_class_name(e->id, buf, len);
}

static void class_row(size_t i, const void *data)
{
	const struct cl_class_list *l = data;
	const struct cl_class_entry *e = &l->e[i];
	char buf[CL_CLASS_NAME_LEN], dscp[CL_CLASS_NAME_LEN];

	print_open_object(NULL);
	print_string(PRINT_ANY, "class", NULL, entry_name(e, buf, sizeof(buf)));
	print_uint(PRINT_ANY, "mark", NULL, e->mark);
	if (e->priority == CLIPPER_PRIORITY_UNCHANGED)
		print_null(PRINT_ANY, "priority", NULL, "unchanged");
	else
		print_uint(PRINT_ANY, "priority", NULL, e->priority);
	if (e->dscp == CLIPPER_DSCP_UNCHANGED)
		print_null(PRINT_JSON, "dscp", NULL, NULL);
	else
		print_uint(PRINT_JSON, "dscp", NULL, e->dscp);
	print_string(PRINT_FP, NULL, NULL,
		     cl_dscp_name(e->dscp, dscp, sizeof(dscp)));
	print_u64(PRINT_ANY, "packets", NULL, e->packets);
	print_u64(PRINT_ANY, "bytes", NULL, e->bytes);
	print_u64(PRINT_ANY, "flows", NULL, e->flows);
	print_close_object();
}

/* Columns as wide as their widest cell; numbers to the right. */
void cl_class_list_print(struct cl_ctx *ctx, const struct cl_class_list *l)
{
	static const struct print_col cols[] = {
		{ .head = "CLASS" },
		{ .head = "MARK", .right = true },
		{ .head = "PRIORITY", .right = true },
		{ .head = "DSCP", .right = true },
		{ .head = "PACKETS", .right = true },
		{ .head = "BYTES", .right = true },
		{ .head = "FLOWS", .right = true },
	};

	print_start(ctx);
	print_open_array(NULL);
	print_table(cols, ARRAY_SIZE(cols), l->n, class_row, l);
	print_close_array();
	print_end();
}

int cl_class_default_args(int argc, char **argv, struct cl_config *r)
{
	bool random;

	memset(r, 0, sizeof(*r));
	if (!argc)
		return 0;
	random = !strcmp(argv[0], "random");
	if (random && argc < 2)
		return cl_usage_error(&cl_obj_class,
				      "class default random: a class is needed");
	if (argc > 1 + random)
		return cl_usage_error(&cl_obj_class,
				      "unexpected argument \"%s\"",
				      argv[1 + random]);
	if (random) {
		if (cl_class_arg(&cl_obj_class, argv[1], &r->random_class))
			return CL_EXIT_USAGE;
		r->has_random = true;
	} else {
		if (cl_class_arg(&cl_obj_class, argv[0], &r->default_class))
			return CL_EXIT_USAGE;
		r->has_default = true;
	}
	return 0;
}

static int class_list(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_class_list l = { 0 };
	int ret;

	(void)argc;
	(void)argv;
	ret = cl_request(ctx, CLIPPER_CMD_CLASS_GET, NLM_F_DUMP,
			 cl_class_reply_parse, &l);
	if (!ret)
		cl_class_list_print(ctx, &l);
	cl_class_list_free(&l);
	return ret;
}

static int class_set(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_class_req r;
	int ret;

	ret = cl_class_set_args(argc, argv, &r);
	if (ret)
		return ret;
	return cl_request_put(ctx, CLIPPER_CMD_CLASS_SET, 0, cl_class_req_put,
			      &r, NULL, NULL);
}

static int class_default(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_config r, c;
	int ret;

	ret = cl_class_default_args(argc, argv, &r);
	if (ret)
		return ret;
	if (r.has_default || r.has_random)
		return cl_request_put(ctx, CLIPPER_CMD_CONFIG_SET, 0,
				      cl_config_req_put, &r, NULL, NULL);
	memset(&c, 0, sizeof(c));
	ret = cl_request(ctx, CLIPPER_CMD_CONFIG_GET, 0, cl_config_parse, &c);
	if (ret)
		return ret;
	cl_config_print(ctx, &c, false);
	return CL_EXIT_OK;
}

static const char *const class_usage[] = {
	"class [list]",
	"class set CLASS [mark MARK] [priority { PRIO | unchanged } | wmm UP] [dscp { DSCP | unchanged }]",
	"class default [CLASS]",
	"class default random CLASS",
	NULL
};

static const char *const class_where[] = {
	"CLASS := { exempt | premium | express | standard | bulk }",
	"MARK := 1..0xffffffff, decimal or 0x hex",
	"PRIO := skb->priority, 0..4294967294",
	"UP := 802.11 user priority 0..7 (sets PRIO to 256 + UP)",
	"DSCP := EF | AF11..AF43 | CS0..CS7 | 0..63",
	NULL
};

static const struct cl_verb class_verbs[] = {
	{ "list", class_list, 0 },
	{ "set", class_set, -1 },
	{ "default", class_default, -1 },
	{ }
};

const struct cl_object cl_obj_class = {
	.name		= "class",
	.usage		= class_usage,
	.where		= class_where,
	.default_verb	= "list",
	.verbs		= class_verbs,
};

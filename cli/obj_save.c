// SPDX-License-Identifier: GPL-2.0
/*
 * clipper save, clipper restore: the namespace's whole configuration as
 * commands, and back.
 *
 * save prints the settings, the classes and the MAC table as the commands
 * that make them (the clipper command lines without "clipper").  restore
 * reads such lines and applies them all or nothing:
 *
 *  1. every line is parsed first; a bad line is named and nothing changes;
 *  2. the configuration as it is is read (the snapshot);
 *  3. the requests go to the kernel in batches, many in one datagram;
 *  4. if the kernel refuses one, its line and message are printed and the
 *     snapshot is put back the same way.  Per-MAC counters start again
 *     from zero then.
 *
 * Class marks must stay distinct at every step, so when the lines set
 * marks, each such class first gets a free temporary mark: a file that
 * swaps two classes' marks restores.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obj.h"

/* One request of a restore. */
struct rs_op {
	unsigned int line;	/* 0: made by restore itself */
	uint8_t cmd;
	uint16_t flags;
	cl_put_t put;
	union {
		struct cl_mac_req mac;
		struct cl_class_req cls;
		struct cl_config cfg;
	} u;
	char *words;		/* what u's pointers point into */
};

struct rs_ops {
	size_t n;
	size_t alloc;
	struct rs_op *op;
};

static void rs_ops_free(struct rs_ops *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->op[i].words);
	free(o->op);
	memset(o, 0, sizeof(*o));
}

static struct rs_op *rs_ops_add(struct rs_ops *o)
{
	struct rs_op *op;

	op = cl_array_grow(o->op, &o->alloc, o->n, sizeof(*o->op));
	if (!op)
		return NULL;
	o->op = op;
	op = &o->op[o->n++];
	memset(op, 0, sizeof(*op));
	return op;
}

/* ---- save ---------------------------------------------------------- */

/* A word as restore reads it back: quoted when it has to be. */
static void put_word(FILE *f, const char *s)
{
	const char *p;

	if (*s && !strpbrk(s, " \t\"\\#'")) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			putc('\\', f);
		/* a line is a command: no line breaks inside */
		putc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, f);
	}
	putc('"', f);
}

struct cl_snapshot {
	struct cl_config cfg;
	struct cl_class_list classes;
	struct cl_mac_list macs;
};

static void snapshot_free(struct cl_snapshot *s)
{
	cl_class_list_free(&s->classes);
	cl_mac_list_free(&s->macs);
}

static int snapshot_read(struct cl_ctx *ctx, struct cl_snapshot *s)
{
	int ret;

	memset(s, 0, sizeof(*s));
	ret = cl_request(ctx, CLIPPER_CMD_CONFIG_GET, 0, cl_config_parse,
			 &s->cfg);
	if (!ret)
		ret = cl_request(ctx, CLIPPER_CMD_CLASS_GET, NLM_F_DUMP,
				 cl_class_reply_parse, &s->classes);
	if (!ret)
		ret = cl_request(ctx, CLIPPER_CMD_MAC_GET, NLM_F_DUMP,
				 cl_mac_reply_parse, &s->macs);
	return ret;
}

/* "config set" with each setting of a group the module sent, if any. */
static void setting(FILE *f, bool *open, bool has, const char *fmt,
		    unsigned int v)
{
	if (!has)
		return;
	if (!*open)
		fputs("config set", f);
	*open = true;
	fprintf(f, fmt, v);
}

static void settings_end(FILE *f, bool *open)
{
	if (*open)
		putc('\n', f);
	*open = false;
}

/* The settings, a line for the MAC table's, the paths', the flows'. */
static void save_settings(FILE *f, const struct cl_config *c)
{
	bool open = false;

	setting(f, &open, c->has_mac_max, " mac-max %u", c->mac_max);
	if (c->has_mac_counters) {
		if (!open)
			fputs("config set", f);
		open = true;
		fprintf(f, " mac-counters %s", c->mac_counters ? "on" : "off");
	}
	settings_end(f, &open);
	setting(f, &open, c->has_pmtu_max, " pmtu-max %u", c->pmtu_max);
	setting(f, &open, c->has_pmtu_timeout, " pmtu-timeout %u",
		c->pmtu_timeout);
	setting(f, &open, c->has_pmtu_retrans, " pmtu-retrans %u",
		c->pmtu_retrans);
	setting(f, &open, c->has_pmtu_window, " pmtu-window %u",
		c->pmtu_window);
	settings_end(f, &open);
	setting(f, &open, c->has_ws_max, " ws-max %u", c->ws_max);
	setting(f, &open, c->has_ws_timeout, " ws-timeout %u", c->ws_timeout);
	settings_end(f, &open);
}

static void save_print(FILE *f, const struct cl_snapshot *s)
{
	char buf[CL_CLASS_NAME_LEN], dscp[16], mac[CL_MAC_STR_LEN];
	const struct cl_class_entry *c;
	const struct cl_mac_entry *e;
	size_t i;

	fputs("# clipper save: restore with 'clipper restore FILE'\n"
	      "mac flush\n", f);
	save_settings(f, &s->cfg);
	for (i = 0; i < s->classes.n; i++) {
		const char *name;

		c = &s->classes.e[i];
		name = cl_class_name(c->id, buf, sizeof(buf));
		if (!cl_class_lookup(name) || !c->mark)
			continue;	/* a class this tool cannot name */
		fprintf(f, "class set %s mark %#x priority ", name, c->mark);
		if (c->priority == CLIPPER_PRIORITY_UNCHANGED)
			fputs("unchanged", f);
		else
			fprintf(f, "%u", c->priority);
		fprintf(f, " dscp %s\n",
			cl_dscp_name(c->dscp, dscp, sizeof(dscp)));
	}
	if (s->cfg.has_default)
		fprintf(f, "class default %s\n",
			cl_class_name(s->cfg.default_class, buf, sizeof(buf)));
	if (s->cfg.has_random)
		fprintf(f, "class default random %s\n",
			cl_class_name(s->cfg.random_class, buf, sizeof(buf)));
	for (i = 0; i < s->macs.n; i++) {
		e = &s->macs.e[i];
		cl_mac_format(mac, sizeof(mac), e->addr, e->prefix);
		fprintf(f, "mac add %s %s", mac,
			cl_class_name(e->cls, buf, sizeof(buf)));
		if (e->comment[0]) {
			fputs(" comment ", f);
			put_word(f, e->comment);
		}
		putc('\n', f);
	}
}

static int save_run(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_snapshot s;
	int ret;

	(void)argv;
	if (argc > 0)
		return cl_usage_error(&cl_obj_save, "unexpected argument \"%s\"",
				      argv[0]);
	ret = snapshot_read(ctx, &s);
	if (!ret)
		save_print(ctx->out, &s);
	snapshot_free(&s);
	return ret;
}

/* ---- restore: parsing ---------------------------------------------- */

#define RS_MAX_WORDS	16

/*
 * Splits line into words in place: blanks separate them, "..." quotes
 * (with \" and \\ inside), # starts a comment.  0, or -EINVAL with why.
 */
static int split_words(char *line, char **w, int *n, const char **why)
{
	char *p = line, *o;

	*n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			return 0;
		if (*n == RS_MAX_WORDS) {
			*why = "too many words";
			return -EINVAL;
		}
		w[(*n)++] = o = p;
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (!*p) {
					*why = "unterminated quote";
					return -EINVAL;
				}
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			p++;
			if (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
			    *p != '\n') {
				*why = "text right after a closing quote";
				return -EINVAL;
			}
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
			       *p != '\n')
				*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
}

/* One command line into op; 0, or a usage error (2) already printed. */
static int parse_op(struct rs_op *op, int argc, char **argv)
{
	const char *obj = argv[0], *verb = argc > 1 ? argv[1] : "";
	int ret;

	argc -= 2;
	argv += 2;
	if (!strcmp(obj, "mac") && !strcmp(verb, "add")) {
		op->cmd = CLIPPER_CMD_MAC_ADD;
		op->flags = NLM_F_CREATE | NLM_F_EXCL;
		op->put = cl_mac_req_put;
		ret = cl_mac_add_args(argc, argv, &op->u.mac);
	} else if (!strcmp(obj, "mac") && !strcmp(verb, "del")) {
		op->cmd = CLIPPER_CMD_MAC_DEL;
		op->put = cl_mac_req_put;
		ret = cl_mac_del_args(argc, argv, &op->u.mac);
	} else if (!strcmp(obj, "mac") && !strcmp(verb, "flush")) {
		op->cmd = CLIPPER_CMD_MAC_FLUSH;
		op->put = cl_mac_req_put;
		ret = cl_mac_flush_args(argc, argv, &op->u.mac);
	} else if (!strcmp(obj, "class") && !strcmp(verb, "set")) {
		op->cmd = CLIPPER_CMD_CLASS_SET;
		op->put = cl_class_req_put;
		ret = cl_class_set_args(argc, argv, &op->u.cls);
	} else if (!strcmp(obj, "class") && !strcmp(verb, "default")) {
		op->cmd = CLIPPER_CMD_CONFIG_SET;
		op->put = cl_config_req_put;
		ret = cl_class_default_args(argc, argv, &op->u.cfg);
		if (!ret && !op->u.cfg.has_default && !op->u.cfg.has_random)
			ret = cl_usage_error(&cl_obj_class,
					     "class default: a class is needed here");
	} else if (!strcmp(obj, "config") && !strcmp(verb, "set")) {
		op->cmd = CLIPPER_CMD_CONFIG_SET;
		op->put = cl_config_req_put;
		ret = cl_config_set_args(argc, argv, &op->u.cfg);
	} else {
		cl_error("restore reads: mac add|del|flush, class set|default, config set");
		return CL_EXIT_USAGE;
	}
	return ret;
}

static int restore_parse(FILE *in, const char *name, struct rs_ops *ops)
{
	char *line = NULL, *w[RS_MAX_WORDS];
	unsigned int lineno = 0;
	size_t cap = 0;
	const char *why;
	struct rs_op *op;
	ssize_t len;
	int n, ret = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		op = rs_ops_add(ops);
		if (!op) {
			cl_error("out of memory");
			ret = CL_EXIT_FAIL;
			break;
		}
		op->words = strdup(line);
		if (!op->words) {
			cl_error("out of memory");
			ret = CL_EXIT_FAIL;
			break;
		}
		op->line = lineno;
		if (split_words(op->words, w, &n, &why)) {
			cl_error("%s: line %u: %s", name, lineno, why);
			ret = CL_EXIT_USAGE;
			break;
		}
		if (!n) {		/* blank or comment */
			free(op->words);
			ops->n--;
			continue;
		}
		if (parse_op(op, n, w)) {
			cl_error("%s: line %u: not restored, nothing changed",
				 name, lineno);
			ret = CL_EXIT_USAGE;
			break;
		}
	}
	if (!ret && ferror(in)) {
		cl_error("%s: %s", name, strerror(errno));
		ret = CL_EXIT_FAIL;
	}
	free(line);
	return ret;
}

/* ---- restore: applying ---------------------------------------------- */

/* room for the attributes of any one request */
#define RS_REQ_ROOM	256
/* small enough that the answers of a batch that all fail fit the socket */
#define RS_BATCH_SIZE	16384

/*
 * Sends ops[from..to) in batches.  0, or the index of the op the kernel
 * refused + 1 (err filled), or -1 for a failure of the socket itself.
 */
static long rs_apply(struct cl_ctx *ctx, struct rs_op *ops, size_t from,
		     size_t to, struct cl_nl_err *err)
{
	static char buf[RS_BATCH_SIZE] __attribute__((aligned(8)));
	struct cl_nl_batch b;
	struct nlmsghdr *nlh;
	size_t i = from, start;
	unsigned int failed;
	int ret;

	if (cl_connect(ctx, err))
		return -1;
	cl_nl_batch_init(&b, buf, sizeof(buf));
	while (i < to) {
		start = i;
		while (i < to && (nlh = cl_nl_batch_req(&ctx->nl, &b,
							 ops[i].cmd,
							 ops[i].flags,
							 RS_REQ_ROOM))) {
			ops[i].put(nlh, &ops[i].u);
			i++;
		}
		ret = cl_nl_batch_send(&ctx->nl, &b, &failed, err);
		if (ret && err->err && failed < i - start)
			return start + failed + 1;
		if (ret)
			return -1;
	}
	return 0;
}

/* The snapshot as requests (what save prints), for the rollback. */
static int rs_from_snapshot(const struct cl_snapshot *s, struct rs_ops *o)
{
	const struct cl_class_entry *c;
	const struct cl_mac_entry *e;
	struct rs_op *op;
	size_t i;

	op = rs_ops_add(o);
	if (!op)
		return -ENOMEM;
	op->cmd = CLIPPER_CMD_MAC_FLUSH;
	op->put = cl_mac_req_put;
	op->u.mac.no_addr = true;

	op = rs_ops_add(o);
	if (!op)
		return -ENOMEM;
	op->cmd = CLIPPER_CMD_CONFIG_SET;
	op->put = cl_config_req_put;
	op->u.cfg = s->cfg;
	op->u.cfg.has_mac_count = false;

	for (i = 0; i < s->classes.n; i++) {
		c = &s->classes.e[i];
		op = rs_ops_add(o);
		if (!op)
			return -ENOMEM;
		op->cmd = CLIPPER_CMD_CLASS_SET;
		op->put = cl_class_req_put;
		op->u.cls.id = c->id;
		op->u.cls.has_mark = c->mark != 0;
		op->u.cls.mark = c->mark;
		op->u.cls.has_priority = true;
		op->u.cls.priority = c->priority;
		op->u.cls.has_dscp = true;
		op->u.cls.dscp = c->dscp;
	}
	for (i = 0; i < s->macs.n; i++) {
		e = &s->macs.e[i];
		op = rs_ops_add(o);
		if (!op)
			return -ENOMEM;
		op->cmd = CLIPPER_CMD_MAC_ADD;
		op->flags = NLM_F_CREATE | NLM_F_EXCL;
		op->put = cl_mac_req_put;
		memcpy(op->u.mac.mac.addr, e->addr, ETH_ALEN);
		op->u.mac.mac.prefix = e->prefix;
		op->u.mac.mac.has_prefix = e->prefix < CL_MAC_BITS;
		op->u.mac.cls = e->cls;
		op->u.mac.comment = e->comment;
	}
	return 0;
}

static bool mark_used(uint32_t m, const struct cl_snapshot *s,
		      const struct rs_ops *o)
{
	size_t i;

	for (i = 0; i < s->classes.n; i++)
		if (s->classes.e[i].mark == m)
			return true;
	for (i = 0; i < o->n; i++)
		if (o->op[i].cmd == CLIPPER_CMD_CLASS_SET &&
		    o->op[i].u.cls.has_mark && o->op[i].u.cls.mark == m)
			return true;
	return false;
}

/*
 * Before ops that set class marks: give each such class a mark that no
 * class has now and none of the ops sets, so no step finds its mark taken
 * by a class that the ops change later.
 */
static int rs_temp_marks(const struct cl_snapshot *s, struct rs_ops *o,
			 struct rs_ops *pre)
{
	bool done[CLIPPER_CLASS_MAX + 1] = { false };
	uint32_t m = 0xfffffff0;
	struct rs_op *op;
	size_t i;
	uint8_t id;

	for (i = 0; i < o->n; i++) {
		if (o->op[i].cmd != CLIPPER_CMD_CLASS_SET ||
		    !o->op[i].u.cls.has_mark)
			continue;
		id = o->op[i].u.cls.id;
		if (id > CLIPPER_CLASS_MAX || done[id])
			continue;
		done[id] = true;
		while (mark_used(m, s, o))
			m--;
		op = rs_ops_add(pre);
		if (!op)
			return -ENOMEM;
		op->cmd = CLIPPER_CMD_CLASS_SET;
		op->put = cl_class_req_put;
		op->u.cls.id = id;
		op->u.cls.has_mark = true;
		op->u.cls.mark = m--;
	}
	return 0;
}

/* Applies pre then ops; 0, or 1 + the index in ops that failed, or -1. */
static long rs_apply_all(struct cl_ctx *ctx, struct rs_ops *pre,
			 struct rs_ops *ops, struct cl_nl_err *err)
{
	long ret;

	ret = rs_apply(ctx, pre->op, 0, pre->n, err);
	if (ret)
		return -1;
	return rs_apply(ctx, ops->op, 0, ops->n, err);
}

static int restore_run(struct cl_ctx *ctx, int argc, char **argv)
{
	struct rs_ops ops = { 0 }, pre = { 0 }, back = { 0 }, backpre = { 0 };
	const char *name = "stdin";
	struct cl_snapshot s;
	struct cl_nl_err err, err2;
	char buf[sizeof(err.msg)];
	FILE *in = stdin;
	long bad;
	int ret;

	if (argc > 1)
		return cl_usage_error(&cl_obj_restore,
				      "unexpected argument \"%s\"", argv[1]);
	if (argc == 1 && strcmp(argv[0], "-")) {
		name = argv[0];
		in = fopen(name, "r");
		if (!in) {
			cl_error("cannot open %s: %s", name, strerror(errno));
			return CL_EXIT_FAIL;
		}
	}
	ret = restore_parse(in, name, &ops);
	if (in != stdin)
		fclose(in);
	if (ret) {
		rs_ops_free(&ops);
		return ret;
	}

	memset(&s, 0, sizeof(s));
	ret = snapshot_read(ctx, &s);
	if (ret)
		goto out;
	if (rs_temp_marks(&s, &ops, &pre)) {
		cl_error("out of memory");
		ret = CL_EXIT_FAIL;
		goto out;
	}
	bad = rs_apply_all(ctx, &pre, &ops, &err);
	if (!bad)
		goto out;

	if (bad > 0)
		cl_error("%s: line %u: %s", name, ops.op[bad - 1].line,
			 err.msg[0] ? print_clean(err.msg, buf, sizeof(buf)) :
			 strerror(err.err));
	else
		cl_report(&err);
	/* put the configuration back as it was */
	memset(&err2, 0, sizeof(err2));
	if (rs_from_snapshot(&s, &back) || rs_temp_marks(&s, &back, &backpre) ||
	    rs_apply_all(ctx, &backpre, &back, &err2)) {
		cl_error("restore failed and the configuration could not be put back: %s",
			 err2.msg[0] ? print_clean(err2.msg, buf, sizeof(buf)) :
			 strerror(err2.err ? err2.err : ENOMEM));
	} else {
		cl_error("nothing changed");
	}
	ret = CL_EXIT_FAIL;
out:
	snapshot_free(&s);
	rs_ops_free(&ops);
	rs_ops_free(&pre);
	rs_ops_free(&back);
	rs_ops_free(&backpre);
	return ret;
}

static const char *const save_usage[] = {
	"save",
	NULL
};

static const char *const save_where[] = {
	"prints the settings, classes and MAC table as commands for restore",
	NULL
};

static const char *const restore_usage[] = {
	"restore [FILE]",
	NULL
};

static const char *const restore_where[] = {
	"FILE := lines as 'clipper save' prints them (stdin without FILE or",
	"        with -): mac add|del|flush, class set|default, config set",
	"        All or nothing: a bad line is named and nothing changes.",
	NULL
};

static const struct cl_verb no_verbs[] = {
	{ }
};

const struct cl_object cl_obj_save = {
	.name		= "save",
	.usage		= save_usage,
	.where		= save_where,
	.run		= save_run,
	.verbs		= no_verbs,
};

const struct cl_object cl_obj_restore = {
	.name		= "restore",
	.usage		= restore_usage,
	.where		= restore_where,
	.run		= restore_run,
	.verbs		= no_verbs,
};

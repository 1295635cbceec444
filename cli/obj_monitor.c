// SPDX-License-Identifier: GPL-2.0
/*
 * clipper monitor: the kernel's events as they happen (the "monitor"
 * multicast group): paths that changed, tables that refused an entry.
 */
#include <errno.h>
#include <string.h>

#include "attrs.h"
#include "obj.h"

struct monitor {
	struct cl_ctx *ctx;
	unsigned long left;	/* events still to print; 0: no limit */
	bool done;
};

/* Indexed by enum clipper_limit_table: the table and its setting. */
static const char *const limit_tables[] = {
	[CLIPPER_LIMIT_MAC]	= "mac",
	[CLIPPER_LIMIT_PMTU]	= "pmtu",
	[CLIPPER_LIMIT_WS]	= "ws",
};

/*
 * A table refused an entry: "limit ws full: ws-max 16384".  A table of a
 * newer module is "table_N", as unknown counters are "counter_N", and the
 * text says which tables this tool knows.
 */
static int monitor_limit(struct cl_ctx *ctx, const struct nlmsghdr *nlh,
			 struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	const struct nlattr *lt[CLIPPER_LIMIT_A_MAX + 1];
	const char *table;
	char buf[16];
	uint8_t id;

	if (cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err) ||
	    !tb[CLIPPER_A_LIMIT] ||
	    cl_attr_parse_nested(tb[CLIPPER_A_LIMIT], cl_limit_pol,
				 CLIPPER_LIMIT_A_MAX, lt, err) ||
	    !lt[CLIPPER_LIMIT_A_TABLE] || !lt[CLIPPER_LIMIT_A_MAX])
		return -1;
	id = mnl_attr_get_u8(lt[CLIPPER_LIMIT_A_TABLE]);
	table = id < ARRAY_SIZE(limit_tables) ? limit_tables[id] : NULL;
	if (!table) {
		snprintf(buf, sizeof(buf), "table_%u", id);
		table = buf;
	}
	print_start_line(ctx);
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "limit");
	print_string(PRINT_ANY, "table", "limit %s full: ", table);
	if (table != buf)
		print_text("%s-", table);
	print_uint(PRINT_ANY, "max", "max %u",
		   mnl_attr_get_u32(lt[CLIPPER_LIMIT_A_MAX]));
	if (table == buf)
		print_text(" (a table this clipper does not know; it knows mac, pmtu and ws)");
	print_nl();
	print_close_object();
	print_end();
	return 0;
}

/* A path changed: "pmtu 192.0.2.2 blackhole mtu 1280 fixes icmp ...". */
static int monitor_pmtu(struct cl_ctx *ctx, const struct nlmsghdr *nlh,
			struct cl_nl_err *err)
{
	struct cl_pmtu_entry e;

	if (cl_pmtu_msg_parse(nlh, &e, err))
		return -1;
	print_start_line(ctx);
	print_open_object(NULL);
	print_string(PRINT_JSON, "event", NULL, "pmtu");
	cl_pmtu_entry_print(&e, true);
	print_nl();
	print_close_object();
	print_end();
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

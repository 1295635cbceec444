// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: unit tests of the objects' reply parsers and printers, fed with
 * made-up replies shaped like the module's.
 *
 *	test_obj [DIR]
 *
 * With DIR, the JSON outputs are also written there for run.sh to check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "obj.h"
#include "version.h"
#include "tap.h"

static char buf[8192] __attribute__((aligned(8)));
static const char *outdir;
static struct cl_ctx ctx;

static struct nlmsghdr *reply(uint8_t cmd)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = CLIPPER_GENL_VERSION;
	return nlh;
}

/* A counter, after a zero-length pad as nla_put_u64_64bit() may add. */
static void put_ctr(struct nlmsghdr *nlh, uint16_t id, uint64_t v, bool pad)
{
	if (pad)
		mnl_attr_put(nlh, CLIPPER_CTR_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, id, v);
}

typedef void (*print_fn)(const void *obj);

static char *capture(print_fn fn, const void *obj, bool json, bool pretty)
{
	size_t len;
	char *s;

	ctx.out = open_memstream(&s, &len);
	if (!ctx.out)
		abort();
	ctx.json = json;
	ctx.pretty = pretty;
	fn(obj);
	fclose(ctx.out);
	return s;
}

static void save(const char *name, const char *s)
{
	char path[4096];
	FILE *f;

	if (!outdir)
		return;
	snprintf(path, sizeof(path), "%s/%s.json", outdir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(s, f);
	fclose(f);
}

static void check(const char *name, print_fn fn, const void *obj,
		  const char *human, const char *json)
{
	char path[64];
	char *s;

	s = capture(fn, obj, false, false);
	is_str(s, human, "%s: human output", name);
	free(s);
	s = capture(fn, obj, true, false);
	is_str(s, json, "%s: JSON output", name);
	save(name, s);
	free(s);
	s = capture(fn, obj, true, true);
	snprintf(path, sizeof(path), "%s.pretty", name);
	save(path, s);
	free(s);
}

static void print_version(const void *v)
{
	cl_version_print(&ctx, v);
}

static void print_status(const void *st)
{
	cl_status_print(&ctx, st);
}

static void print_stats(const void *st)
{
	cl_stats_print(&ctx, st);
}

static void test_version(void)
{
	struct cl_nl_err err = { 0 };
	struct cl_version v;
	struct nlmsghdr *nlh;
	int ret;

	nlh = reply(CLIPPER_CMD_VERSION_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	mnl_attr_put_strz(nlh, CLIPPER_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, 99, 1);
	ret = cl_version_parse(nlh, &v, &err);
	is_int(ret, 0, "version: parsed");
	check("version", print_version, &v,
	      "clipper utility " CLIPPER_VERSION ", module 0.1.0, protocol 1\n",
	      "{\"cli\":\"" CLIPPER_VERSION "\",\"module\":\"0.1.0\",\"protocol\":1}\n");
	check("version_nomodule", print_version, NULL,
	      "clipper utility " CLIPPER_VERSION "\n",
	      "{\"cli\":\"" CLIPPER_VERSION "\",\"module\":null,\"protocol\":null}\n");
}

static void test_status(void)
{
	struct cl_nl_err err = { 0 };
	static struct cl_status st;
	struct nlattr *rules, *stats, *sec;
	struct nlmsghdr *nlh;
	int ret;

	nlh = reply(CLIPPER_CMD_STATUS_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	mnl_attr_put_strz(nlh, CLIPPER_A_VERSION, "0.1.0");
	rules = mnl_attr_nest_start(nlh, CLIPPER_A_RULES);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_TOTAL, 3);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_CLASSIFY, 1);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_CLAMP_MSS, 0);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_PMTU_GUARD, 2);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_WS_COUNT, 0);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_MAX + 1, 5);	/* newer */
	mnl_attr_nest_end(nlh, rules);
	stats = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_TARGET);
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 1234, true);
	put_ctr(nlh, CLIPPER_CTR_BYTES, 567890, true);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);

	ret = cl_status_parse(nlh, &st, &err);
	is_int(ret, 0, "status: parsed");
	check("status", print_status, &st,
	      "module      0.1.0 (protocol 1)\n"
	      "rules       3\n"
	      "classify    active    1 rule\n"
	      "clamp-mss   inactive  0 rules\n"
	      "pmtu-guard  active    2 rules\n"
	      "ws-count    inactive  0 rules\n"
	      "packets     1234\n"
	      "bytes       567890\n",
	      "{\"module\":\"0.1.0\",\"protocol\":1,\"rules\":3,\"features\":{"
	      "\"classify\":{\"active\":true,\"rules\":1},"
	      "\"clamp_mss\":{\"active\":false,\"rules\":0},"
	      "\"pmtu_guard\":{\"active\":true,\"rules\":2},"
	      "\"ws_count\":{\"active\":false,\"rules\":0}},"
	      "\"packets\":1234,\"bytes\":567890}\n");

	/* an empty reply still prints every key */
	nlh = reply(CLIPPER_CMD_STATUS_GET);
	ret = cl_status_parse(nlh, &st, &err);
	is_int(ret, 0, "status, empty reply: parsed");
	check("status_empty", print_status, &st,
	      "module      unknown\n"
	      "rules       0\n"
	      "classify    inactive  0 rules\n"
	      "clamp-mss   inactive  0 rules\n"
	      "pmtu-guard  inactive  0 rules\n"
	      "ws-count    inactive  0 rules\n"
	      "packets     0\n"
	      "bytes       0\n",
	      "{\"module\":null,\"protocol\":null,\"rules\":0,\"features\":{"
	      "\"classify\":{\"active\":false,\"rules\":0},"
	      "\"clamp_mss\":{\"active\":false,\"rules\":0},"
	      "\"pmtu_guard\":{\"active\":false,\"rules\":0},"
	      "\"ws_count\":{\"active\":false,\"rules\":0}},"
	      "\"packets\":0,\"bytes\":0}\n");

	/* a rule count that is not a u32 */
	nlh = reply(CLIPPER_CMD_STATUS_GET);
	rules = mnl_attr_nest_start(nlh, CLIPPER_A_RULES);
	mnl_attr_put_u64(nlh, CLIPPER_RULES_A_TOTAL, 3);
	mnl_attr_nest_end(nlh, rules);
	memset(&err, 0, sizeof(err));
	ret = cl_status_parse(nlh, &st, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && err.msg[0],
	   "status: malformed rule count refused (%s)", err.msg);
}

static void test_stats(void)
{
	struct cl_nl_err err = { 0 };
	static struct cl_stats st;
	struct nlattr *stats, *sec;
	struct nlmsghdr *nlh;
	int ret;

	nlh = reply(CLIPPER_CMD_STATS_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	stats = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_TARGET);
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 10, false);
	put_ctr(nlh, CLIPPER_CTR_BYTES, 1000, false);
	mnl_attr_nest_end(nlh, sec);
	sec = mnl_attr_nest_start(nlh, 9);		/* a newer section */
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 1, false);
	mnl_attr_nest_end(nlh, sec);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_CLASSIFY);
	put_ctr(nlh, 7, 42, true);			/* a newer counter */
	put_ctr(nlh, CLIPPER_CTR_BYTES, 500, true);
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 5, true);
	mnl_attr_put_u32(nlh, 8, 1);			/* newer, not a u64 */
	mnl_attr_nest_end(nlh, sec);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_PMTU);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_put_u32(nlh, CLIPPER_A_MAX + 1, 1);	/* newer attribute */

	ret = cl_stats_reply_parse(nlh, &st, &err);
	is_int(ret, 0, "stats: parsed");
	check("stats", print_stats, &st,
	      "target:\n"
	      "    packets    10\n"
	      "    bytes      1000\n"
	      "classify:\n"
	      "    packets    5\n"
	      "    bytes      500\n"
	      "    counter_7  42\n"
	      "pmtu:\n"
	      "ws:\n"
	      "section_9:\n"
	      "    packets    1\n",
	      "{\"target\":{\"packets\":10,\"bytes\":1000},"
	      "\"classify\":{\"packets\":5,\"bytes\":500,\"counter_7\":42},"
	      "\"pmtu\":{},\"ws\":{},\"section_9\":{\"packets\":1}}\n");

	/* no CLIPPER_A_STATS at all: every section, empty */
	nlh = reply(CLIPPER_CMD_STATS_GET);
	ret = cl_stats_reply_parse(nlh, &st, &err);
	is_int(ret, 0, "stats, empty reply: parsed");
	check("stats_empty", print_stats, &st,
	      "target:\nclassify:\npmtu:\nws:\n",
	      "{\"target\":{},\"classify\":{},\"pmtu\":{},\"ws\":{}}\n");

	/* a known counter that is not a u64 */
	nlh = reply(CLIPPER_CMD_STATS_GET);
	stats = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_WS);
	mnl_attr_put_u32(nlh, CLIPPER_CTR_PACKETS, 1);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);
	memset(&err, 0, sizeof(err));
	ret = cl_stats_reply_parse(nlh, &st, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && err.msg[0],
	   "stats: malformed counter refused (%s)", err.msg);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		outdir = argv[1];
	test_version();
	test_status();
	test_stats();
	return tap_done();
}

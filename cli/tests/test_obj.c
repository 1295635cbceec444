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
#include "xt_CLIPPER.h"
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
	char text[160], json[160];
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
	      "{\"cli\":\"" CLIPPER_VERSION "\",\"module\":\"0.1.0\",\"protocol\":1,\"loaded\":true}\n");
	check("version_unknown", print_version, NULL,
	      "clipper utility " CLIPPER_VERSION "\n",
	      "{\"cli\":\"" CLIPPER_VERSION "\",\"module\":null,\"protocol\":null,\"loaded\":null}\n");
	memset(&v, 0, sizeof(v));
	v.not_loaded = true;
	check("version_nomodule", print_version, &v,
	      "clipper utility " CLIPPER_VERSION ", module not loaded\n",
	      "{\"cli\":\"" CLIPPER_VERSION "\",\"module\":null,\"protocol\":null,\"loaded\":false}\n");
	/* a module older than the tool */
	memset(&v, 0, sizeof(v));
	v.has_module = v.has_protocol = true;
	v.protocol = CLIPPER_PROTOCOL - 1;
	snprintf(v.module, sizeof(v.module), "0.0.9");
	snprintf(text, sizeof(text), "clipper utility %s, module 0.0.9, "
		 "protocol %u (the tool's is %u: update the module)\n",
		 CLIPPER_VERSION, CLIPPER_PROTOCOL - 1, CLIPPER_PROTOCOL);
	snprintf(json, sizeof(json), "{\"cli\":\"%s\",\"module\":\"0.0.9\","
		 "\"protocol\":%u,\"loaded\":true}\n", CLIPPER_VERSION,
		 CLIPPER_PROTOCOL - 1);
	check("version_older", print_version, &v, text, json);
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
	put_ctr(nlh, 60, 42, true);			/* a newer counter */
	put_ctr(nlh, CLIPPER_CTR_BYTES, 500, true);
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 5, true);
	mnl_attr_put_u32(nlh, 61, 1);			/* newer, not a u64 */
	mnl_attr_nest_end(nlh, sec);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_PMTU);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);
	mnl_attr_put_u32(nlh, CLIPPER_A_MAX + 1, 1);	/* newer attribute */

	ret = cl_stats_reply_parse(nlh, &st, &err);
	is_int(ret, 0, "stats: parsed");
	check("stats", print_stats, &st,
	      "target:\n"
	      "    packets     10\n"
	      "    bytes       1000\n"
	      "classify:\n"
	      "    packets     5\n"
	      "    bytes       500\n"
	      "    counter_60  42\n"
	      "pmtu:\n"
	      "ws:\n"
	      "ws_c2s:\n"
	      "ws_s2c:\n"
	      "section_9:\n"
	      "    packets     1\n",
	      "{\"target\":{\"packets\":10,\"bytes\":1000},"
	      "\"classify\":{\"packets\":5,\"bytes\":500,\"counter_60\":42},"
	      "\"pmtu\":{},\"ws\":{},\"ws_c2s\":{},\"ws_s2c\":{},\"section_9\":{\"packets\":1}}\n");

	/* no CLIPPER_A_STATS at all: every section, empty */
	nlh = reply(CLIPPER_CMD_STATS_GET);
	ret = cl_stats_reply_parse(nlh, &st, &err);
	is_int(ret, 0, "stats, empty reply: parsed");
	check("stats_empty", print_stats, &st,
	      "target:\nclassify:\npmtu:\nws:\nws_c2s:\nws_s2c:\n",
	      "{\"target\":{},\"classify\":{},\"pmtu\":{},\"ws\":{},"
	      "\"ws_c2s\":{},\"ws_s2c\":{}}\n");

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

/* The classify section with every counter the classifier has. */
static void test_stats_names(void)
{
	struct cl_nl_err err = { 0 };
	static struct cl_stats st;
	struct nlattr *stats, *sec;
	struct nlmsghdr *nlh;
	int ret;

	nlh = reply(CLIPPER_CMD_STATS_GET);
	stats = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_TARGET);
	put_ctr(nlh, CLIPPER_CTR_NO_CT, 3, true);
	put_ctr(nlh, CLIPPER_CTR_PACKETS, 100, true);
	mnl_attr_nest_end(nlh, sec);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_CLASSIFY);
	put_ctr(nlh, CLIPPER_CTR_NO_MAC, 6, false);
	put_ctr(nlh, CLIPPER_CTR_RANDOM, 5, false);
	put_ctr(nlh, CLIPPER_CTR_DEFAULTED, 4, false);
	put_ctr(nlh, CLIPPER_CTR_MATCHED, 3, false);
	put_ctr(nlh, CLIPPER_CTR_FLOWS, 12, false);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);

	ret = cl_stats_reply_parse(nlh, &st, &err);
	is_int(ret, 0, "stats with the classifier's counters: parsed");
	check("stats_names", print_stats, &st,
	      "target:\n"
	      "    packets       100\n"
	      "    no_conntrack  3\n"
	      "classify:\n"
	      "    flows         12\n"
	      "    matched       3\n"
	      "    defaulted     4\n"
	      "    random        5\n"
	      "    no_mac        6\n"
	      "pmtu:\n"
	      "ws:\n"
	      "ws_c2s:\n"
	      "ws_s2c:\n",
	      "{\"target\":{\"packets\":100,\"no_conntrack\":3},"
	      "\"classify\":{\"flows\":12,\"matched\":3,\"defaulted\":4,"
	      "\"random\":5,\"no_mac\":6},\"pmtu\":{},\"ws\":{},"
	      "\"ws_c2s\":{},\"ws_s2c\":{}}\n");
}

/* One message of a MAC table dump. */
static struct nlmsghdr *mac_msg(const char *addr, int prefix, int cls,
				const char *comment, uint64_t packets,
				uint64_t bytes, uint64_t flows, bool random)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = reply(CLIPPER_CMD_MAC_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	if (addr)
		mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN, addr);
	if (prefix >= 0)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_PREFIX, prefix);
	if (cls >= 0)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_CLASS, cls);
	if (comment)
		mnl_attr_put_strz(nlh, CLIPPER_MAC_A_COMMENT, comment);
	mnl_attr_put(nlh, CLIPPER_MAC_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_PACKETS, packets);
	mnl_attr_put(nlh, CLIPPER_MAC_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_BYTES, bytes);
	mnl_attr_put(nlh, CLIPPER_MAC_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_FLOWS, flows);
	if (random)
		mnl_attr_put(nlh, CLIPPER_MAC_A_RANDOM, 0, NULL);
	mnl_attr_put_u32(nlh, CLIPPER_MAC_A_MAX + 1, 7);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct cl_mac_list macs;

static void print_macs(const void *l)
{
	cl_mac_list_print(&ctx, l);
}

static void mac_parse_ok(struct nlmsghdr *nlh, const char *what)
{
	struct cl_nl_err err = { 0 };

	is_int(cl_mac_reply_parse(nlh, &macs, &err), 0, "mac list: %s parsed",
	       what);
}

static void mac_parse_bad(struct nlmsghdr *nlh, const char *what)
{
	struct cl_nl_err err = { 0 };
	size_t n = macs.n;
	int ret;

	ret = cl_mac_reply_parse(nlh, &macs, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG &&
	   !strncmp(err.msg, "malformed reply from the kernel: ", 33) &&
	   macs.n == n, "mac list: %s refused (%s)", what, err.msg);
}

static void test_mac_list(void)
{
	struct nlattr *nest;
	struct nlmsghdr *nlh;

	memset(&macs, 0, sizeof(macs));
	check("mac_empty", print_macs, &macs, "", "[]\n");

	mac_parse_ok(mac_msg("\xaa\xbb\xcc\xdd\xee\xff", -1,
			     CLIPPER_CLASS_PREMIUM, NULL, 1234, 567890, 12,
			     false), "host entry without PREFIX");
	mac_parse_ok(mac_msg("\x02\x11\x22\x33\x44\x55", 48,
			     CLIPPER_CLASS_STANDARD, "phone", 5, 300, 1, true),
		     "random host entry with a comment");
	mac_parse_ok(mac_msg("\x00\x1a\x2b\x00\x00\x00", 24,
			     CLIPPER_CLASS_BULK, "printers \"lab\"", 0, 0, 0,
			     false), "/24 entry");
	/* a class this tool does not know, a newer attribute, a newline */
	nlh = mac_msg("\x80\x00\x00\x00\x00\x00", 1, 9, "a\nb", 0, 0, 0,
		      false);
	mnl_attr_put_u32(nlh, CLIPPER_A_MAX + 1, 1);
	mac_parse_ok(nlh, "entry of an unknown class");
	is_int(macs.n, 4, "mac list: four entries kept");

	check("mac_list", print_macs, &macs,
	      "MAC                   CLASS     PACKETS   BYTES  FLOWS\n"
	      "aa:bb:cc:dd:ee:ff     premium      1234  567890     12\n"
	      "02:11:22:33:44:55     standard        5     300      1  random  phone\n"
	      "00:1a:2b:00:00:00/24  bulk            0       0      0          printers \"lab\"\n"
	      "80:00:00:00:00:00/1   class_9         0       0      0          a?b\n",
	      "[{\"mac\":\"aa:bb:cc:dd:ee:ff\",\"prefix\":48,\"class\":\"premium\","
	      "\"packets\":1234,\"bytes\":567890,\"flows\":12,\"random\":false,"
	      "\"comment\":\"\"},"
	      "{\"mac\":\"02:11:22:33:44:55\",\"prefix\":48,\"class\":\"standard\","
	      "\"packets\":5,\"bytes\":300,\"flows\":1,\"random\":true,"
	      "\"comment\":\"phone\"},"
	      "{\"mac\":\"00:1a:2b:00:00:00\",\"prefix\":24,\"class\":\"bulk\","
	      "\"packets\":0,\"bytes\":0,\"flows\":0,\"random\":false,"
	      "\"comment\":\"printers \\\"lab\\\"\"},"
	      "{\"mac\":\"80:00:00:00:00:00\",\"prefix\":1,\"class\":\"class_9\","
	      "\"packets\":0,\"bytes\":0,\"flows\":0,\"random\":false,"
	      "\"comment\":\"a\\nb\"}]\n");
	cl_mac_list_free(&macs);

	/* without any random entry there is no room kept for the flag */
	mac_parse_ok(mac_msg("\x00\x00\x00\x00\x00\x01", -1,
			     CLIPPER_CLASS_EXEMPT, "router", 18446744073709551615ULL,
			     1, 2, false), "counter at its largest");
	check("mac_list_norandom", print_macs, &macs,
	      "MAC                CLASS                PACKETS  BYTES  FLOWS\n"
	      "00:00:00:00:00:01  exempt  18446744073709551615      1      2  router\n",
	      "[{\"mac\":\"00:00:00:00:00:01\",\"prefix\":48,\"class\":\"exempt\","
	      "\"packets\":18446744073709551615,\"bytes\":1,\"flows\":2,"
	      "\"random\":false,\"comment\":\"router\"}]\n");

	mac_parse_bad(mac_msg(NULL, 48, CLIPPER_CLASS_BULK, NULL, 0, 0, 0,
			      false), "entry without ADDR");
	nlh = reply(CLIPPER_CMD_MAC_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN - 1, "\1\2\3\4\5");
	mnl_attr_nest_end(nlh, nest);
	mac_parse_bad(nlh, "ADDR of 5 bytes");

	nlh = reply(CLIPPER_CMD_MAC_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN + 1, "\1\2\3\4\5\6\7");
	mnl_attr_nest_end(nlh, nest);
	mac_parse_bad(nlh, "ADDR of 7 bytes");
	mac_parse_bad(mac_msg("\x01\x02\x03\x04\x05\x06", 0,
			      CLIPPER_CLASS_BULK, NULL, 0, 0, 0, false),
		      "PREFIX 0");
	mac_parse_bad(mac_msg("\x01\x02\x03\x04\x05\x06", 49,
			      CLIPPER_CLASS_BULK, NULL, 0, 0, 0, false),
		      "PREFIX 49");

	nlh = reply(CLIPPER_CMD_MAC_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN, "\1\2\3\4\5\6");
	mnl_attr_put_u32(nlh, CLIPPER_MAC_A_PACKETS, 1);
	mnl_attr_nest_end(nlh, nest);
	mac_parse_bad(nlh, "PACKETS as a u32");

	nlh = reply(CLIPPER_CMD_MAC_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN, "\1\2\3\4\5\6");
	mnl_attr_put(nlh, CLIPPER_MAC_A_COMMENT, 3, "abc");
	mnl_attr_nest_end(nlh, nest);
	mac_parse_bad(nlh, "COMMENT without its NUL");

	nlh = reply(CLIPPER_CMD_MAC_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	mac_parse_bad(nlh, "message without CLIPPER_A_MAC");
	is_int(macs.n, 1, "mac list: nothing added by refused messages");
	cl_mac_list_free(&macs);
}

/* DSCP the next class_msg() sends; -1: none */
static int class_msg_dscp = -1;

/* One message of a class dump; name NULL, priority -1: not sent. */
static struct nlmsghdr *class_msg(int id, const char *name, uint32_t mark,
				  int64_t priority, uint64_t packets,
				  uint64_t bytes, uint64_t flows)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = reply(CLIPPER_CMD_CLASS_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	if (id >= 0)
		mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, id);
	if (name)
		mnl_attr_put_strz(nlh, CLIPPER_CLASS_A_NAME, name);
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MARK, mark);
	if (priority >= 0)
		mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_PRIORITY, priority);
	if (class_msg_dscp >= 0)
		mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_DSCP, class_msg_dscp);
	class_msg_dscp = -1;
	mnl_attr_put(nlh, CLIPPER_CLASS_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_PACKETS, packets);
	mnl_attr_put(nlh, CLIPPER_CLASS_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_BYTES, bytes);
	mnl_attr_put(nlh, CLIPPER_CLASS_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_FLOWS, flows);
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MAX + 1, 7);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct cl_class_list classes;

static void print_classes(const void *l)
{
	cl_class_list_print(&ctx, l);
}

static void class_parse_ok(struct nlmsghdr *nlh, const char *what)
{
	struct cl_nl_err err = { 0 };

	is_int(cl_class_reply_parse(nlh, &classes, &err), 0,
	       "class list: %s parsed", what);
}

static void test_class_list(void)
{
	struct cl_nl_err err = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	memset(&classes, 0, sizeof(classes));
	check("class_empty", print_classes, &classes, "", "[]\n");

	class_parse_ok(class_msg(CLIPPER_CLASS_EXEMPT, "exempt", 100,
				 CLIPPER_PRIORITY_UNCHANGED, 10, 1000, 1),
		       "exempt");
	class_msg_dscp = 46;
	class_parse_ok(class_msg(CLIPPER_CLASS_PREMIUM, "premium", 10, 6,
				 123456789, 98765432100ULL, 42), "premium");
	class_msg_dscp = 34;
	class_parse_ok(class_msg(CLIPPER_CLASS_EXPRESS, "express", 0x14, 4,
				 0, 0, 0), "express");
	class_msg_dscp = 0;
	class_parse_ok(class_msg(CLIPPER_CLASS_STANDARD, "standard", 30, 0,
				 7, 700, 3), "standard");
	class_msg_dscp = 9;
	class_parse_ok(class_msg(CLIPPER_CLASS_BULK, NULL, 40, 2, 0, 0, 0),
		       "bulk, without NAME");
	class_parse_ok(class_msg(6, "gaming", 50, -1, 0, 0, 0),
		       "a newer class, without PRIORITY");
	class_parse_ok(class_msg(7, NULL, 4294967295U, 4294967294U, 0, 0, 0),
		       "an unknown class without NAME");

	check("class_list", print_classes, &classes,
	      "CLASS           MARK    PRIORITY       DSCP    PACKETS        BYTES  FLOWS\n"
	      "exempt           100   unchanged  unchanged         10         1000      1\n"
	      "premium           10           6         EF  123456789  98765432100     42\n"
	      "express           20           4       AF41          0            0      0\n"
	      "standard          30           0        CS0          7          700      3\n"
	      "bulk              40           2          9          0            0      0\n"
	      "gaming            50   unchanged  unchanged          0            0      0\n"
	      "class_7   4294967295  4294967294  unchanged          0            0      0\n",
	      "[{\"class\":\"exempt\",\"mark\":100,\"priority\":null,\"dscp\":null,"
	      "\"packets\":10,\"bytes\":1000,\"flows\":1},"
	      "{\"class\":\"premium\",\"mark\":10,\"priority\":6,\"dscp\":46,"
	      "\"packets\":123456789,\"bytes\":98765432100,\"flows\":42},"
	      "{\"class\":\"express\",\"mark\":20,\"priority\":4,\"dscp\":34,"
	      "\"packets\":0,\"bytes\":0,\"flows\":0},"
	      "{\"class\":\"standard\",\"mark\":30,\"priority\":0,\"dscp\":0,"
	      "\"packets\":7,\"bytes\":700,\"flows\":3},"
	      "{\"class\":\"bulk\",\"mark\":40,\"priority\":2,\"dscp\":9,"
	      "\"packets\":0,\"bytes\":0,\"flows\":0},"
	      "{\"class\":\"gaming\",\"mark\":50,\"priority\":null,\"dscp\":null,"
	      "\"packets\":0,\"bytes\":0,\"flows\":0},"
	      "{\"class\":\"class_7\",\"mark\":4294967295,\"priority\":4294967294,\"dscp\":null,"
	      "\"packets\":0,\"bytes\":0,\"flows\":0}]\n");
	cl_class_list_free(&classes);

	ret = cl_class_reply_parse(class_msg(-1, "exempt", 100, 0, 0, 0, 0),
				   &classes, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && classes.n == 0,
	   "class list: class without ID refused (%s)", err.msg);

	nlh = reply(CLIPPER_CMD_CLASS_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, 1);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_MARK, 100);
	mnl_attr_nest_end(nlh, nest);
	memset(&err, 0, sizeof(err));
	ret = cl_class_reply_parse(nlh, &classes, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && classes.n == 0,
	   "class list: MARK as a u64 refused (%s)", err.msg);

	nlh = reply(CLIPPER_CMD_CLASS_GET);
	memset(&err, 0, sizeof(err));
	ret = cl_class_reply_parse(nlh, &classes, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && classes.n == 0,
	   "class list: message without CLIPPER_A_CLASS refused (%s)",
	   err.msg);
	cl_class_list_free(&classes);
}

static void print_config_short(const void *c)
{
	cl_config_print(&ctx, c, false);
}

static void print_config_full(const void *c)
{
	cl_config_print(&ctx, c, true);
}

static void test_config(void)
{
	struct cl_nl_err err = { 0 };
	static struct cl_config c;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	nlh = reply(CLIPPER_CMD_CONFIG_GET);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_DEFAULT_CLASS,
			CLIPPER_CLASS_STANDARD);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_RANDOM_CLASS, CLIPPER_CLASS_BULK);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_MAX, 65536);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_COUNT, 3);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAX + 1, 3);	/* newer */
	mnl_attr_nest_end(nlh, nest);
	ret = cl_config_parse(nlh, &c, &err);
	is_int(ret, 0, "config: parsed");
	check("class_default", print_config_short, &c,
	      "default standard\n"
	      "random bulk\n",
	      "{\"default\":\"standard\",\"random\":\"bulk\","
	      "\"mac_max\":65536,\"mac_count\":3}\n");
	check("config", print_config_full, &c,
	      "default standard\n"
	      "random bulk\n"
	      "mac-max 65536\n"
	      "mac-count 3\n",
	      "{\"default\":\"standard\",\"random\":\"bulk\","
	      "\"mac_max\":65536,\"mac_count\":3}\n");

	/* an unknown class, and what is not sent */
	nlh = reply(CLIPPER_CMD_CONFIG_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_DEFAULT_CLASS, 9);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_COUNT, 0);
	mnl_attr_nest_end(nlh, nest);
	ret = cl_config_parse(nlh, &c, &err);
	is_int(ret, 0, "config, partial: parsed");
	check("config_partial", print_config_full, &c,
	      "default class_9\n"
	      "random unknown\n"
	      "mac-max unknown\n"
	      "mac-count 0\n",
	      "{\"default\":\"class_9\",\"random\":null,"
	      "\"mac_max\":null,\"mac_count\":0}\n");

	nlh = reply(CLIPPER_CMD_CONFIG_GET);
	ret = cl_config_parse(nlh, &c, &err);
	is_int(ret, 0, "config, empty reply: parsed");
	check("class_default_empty", print_config_short, &c,
	      "default unknown\n"
	      "random unknown\n",
	      "{\"default\":null,\"random\":null,"
	      "\"mac_max\":null,\"mac_count\":null}\n");

	nlh = reply(CLIPPER_CMD_CONFIG_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_MAC_MAX, 1);
	mnl_attr_nest_end(nlh, nest);
	memset(&err, 0, sizeof(err));
	ret = cl_config_parse(nlh, &c, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && err.msg[0],
	   "config: MAC_MAX as a u8 refused (%s)", err.msg);
}

/* ---- pmtu list / monitor / the pmtu counters --------------------------- */

/* What pmtu_msg() puts in a path's nest. */
struct pmtu_spec {
	bool v6;
	const void *addr;	/* 4 or 16 bytes */
	uint8_t state;
	uint32_t mtu, fixes, detections, icmp_sent, df_cleared, mss_clamped;
	uint64_t age_ms;
	int64_t detected_ms;	/* 0: not sent */
	bool gen1;		/* none of the attributes of the second generation */
	uint8_t scope, learned;
	uint32_t senders, passed, outages;
	bool stuck;		/* STUCK_LEN and STUCK_RESENDS */
	uint32_t stuck_len, stuck_resends;
	bool gen2;		/* none of the attributes of the third generation */
	uint8_t side;
	uint32_t unrepaired;
};

/* One path, as a dump part (cmd PMTU_GET) or an event (PMTU_EVENT). */
static struct nlmsghdr *pmtu_msg(uint8_t cmd, const struct pmtu_spec *p)
{
	struct nlmsghdr *nlh = reply(cmd);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, p->v6 ? AF_INET6 : AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, p->v6 ? 16 : 4, p->addr);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MTU, p->mtu);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_STATE, p->state);
	if (p->detected_ms) {
		mnl_attr_put(nlh, CLIPPER_PMTU_A_PAD, 0, NULL);
		mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_DETECTED, p->detected_ms);
	}
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_FIXES, p->fixes);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_AGE, p->age_ms);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_DETECTIONS, p->detections);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_ICMP_SENT, p->icmp_sent);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_DF_CLEARED, p->df_cleared);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MSS_CLAMPED, p->mss_clamped);
	if (!p->gen1) {
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SCOPE, p->scope);
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_LEARNED, p->learned);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SENDERS, p->senders);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_PASSED, p->passed);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_OUTAGES, p->outages);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MAX + 1, 7);	/* newer */
	}
	if (!p->gen1 && !p->gen2) {
		mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SIDE, p->side);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_UNREPAIRED, p->unrepaired);
	}
	if (p->stuck) {
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_LEN, p->stuck_len);
		mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_RESENDS,
				 p->stuck_resends);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

#define V4(a, b, c, d)	((const uint8_t []){ a, b, c, d })

static const uint8_t v6_client[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
				       0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };

/* A path found a black hole: one sender's flows, not confirmed yet. */
static const struct pmtu_spec pmtu_bh = {
	.addr = V4(192, 0, 2, 2), .state = CLIPPER_PMTU_BLACKHOLE,
	.mtu = 1280, .fixes = XT_CLIPPER_FIX_ICMP, .age_ms = 4250,
	.detections = 1, .icmp_sent = 1,
	.scope = CLIPPER_PMTU_SCOPE_FLOW, .learned = CLIPPER_PMTU_LEARNED_PROBE,
	.senders = 1, .outages = 2,
};

/* A stuck segment: 1400 bytes vanish, 1500 pass. */
static const struct pmtu_spec pmtu_stuck = {
	.addr = V4(198, 51, 100, 7), .state = CLIPPER_PMTU_STUCK,
	.mtu = 700, .fixes = XT_CLIPPER_FIX_ICMP, .age_ms = 800,
	.detections = 1, .icmp_sent = 1,
	.scope = CLIPPER_PMTU_SCOPE_PATH, .learned = CLIPPER_PMTU_LEARNED_STUCK,
	.senders = 2, .passed = 1500,
	.stuck = true, .stuck_len = 1400, .stuck_resends = 5,
	.gen2 = true,	/* no SIDE: "tx" */
};

/* Raised again: 1400 bytes were acknowledged. */
static const struct pmtu_spec pmtu_raised = {
	.v6 = true, .addr = v6_client, .state = CLIPPER_PMTU_OK,
	.mtu = 1400, .fixes = XT_CLIPPER_FIX_ICMP | XT_CLIPPER_FIX_MSS,
	.age_ms = 123456, .detections = 2, .icmp_sent = 2, .mss_clamped = 17,
	.scope = CLIPPER_PMTU_SCOPE_PATH, .learned = CLIPPER_PMTU_LEARNED_ACKED,
	.senders = 3, .passed = 1400, .outages = 1,
};

/* From a module of the first generation: none of the new attributes. */
static const struct pmtu_spec pmtu_gen1 = {
	.addr = V4(203, 0, 113, 9), .state = CLIPPER_PMTU_SUSPECT,
	.age_ms = 50, .gen1 = true,
};

/* Values this tool does not know, from a newer module. */
static const struct pmtu_spec pmtu_newer = {
	.addr = V4(203, 0, 113, 10), .state = 9, .mtu = 1492,
	.fixes = XT_CLIPPER_FIX_DF, .age_ms = 0, .df_cleared = 4,
	.scope = 7, .learned = 9, .side = 5,
};

/* Found by the receiver's gateway: the resends never reached it. */
static const struct pmtu_spec pmtu_rx = {
	.addr = V4(192, 0, 2, 3), .state = CLIPPER_PMTU_BLACKHOLE,
	.mtu = 1280, .fixes = XT_CLIPPER_FIX_ICMP, .age_ms = 2100,
	.detections = 1, .icmp_sent = 2,
	.scope = CLIPPER_PMTU_SCOPE_FLOW, .learned = CLIPPER_PMTU_LEARNED_PROBE,
	.senders = 1, .side = CLIPPER_PMTU_SIDE_RX,
};

/* Found on the sending side; its senders did not take the frag-needed. */
static const struct pmtu_spec pmtu_unrep = {
	.addr = V4(192, 0, 2, 4), .state = CLIPPER_PMTU_BLACKHOLE,
	.mtu = 1280, .fixes = XT_CLIPPER_FIX_ICMP, .age_ms = 9000,
	.detections = 3, .icmp_sent = 6,
	.scope = CLIPPER_PMTU_SCOPE_FLOW, .learned = CLIPPER_PMTU_LEARNED_PROBE,
	.senders = 1, .side = CLIPPER_PMTU_SIDE_TX, .unrepaired = 3,
};

/* Both: IPv6, found from the receiving side, one flow not repaired. */
static const struct pmtu_spec pmtu_rx_unrep6 = {
	.v6 = true, .addr = v6_client, .state = CLIPPER_PMTU_BLACKHOLE,
	.mtu = 1280, .fixes = XT_CLIPPER_FIX_ICMP, .age_ms = 700,
	.detections = 1, .icmp_sent = 2,
	.scope = CLIPPER_PMTU_SCOPE_FLOW, .learned = CLIPPER_PMTU_LEARNED_PROBE,
	.senders = 1, .side = CLIPPER_PMTU_SIDE_RX, .unrepaired = 1,
};

static struct cl_pmtu_list paths;

static void print_paths(const void *l)
{
	cl_pmtu_list_print(&ctx, l);
}

static void pmtu_parse_ok(const struct pmtu_spec *p, const char *what)
{
	struct cl_nl_err err = { 0 };

	is_int(cl_pmtu_reply_parse(pmtu_msg(CLIPPER_CMD_PMTU_GET, p), &paths,
				   &err), 0, "pmtu list: %s parsed", what);
}

static void pmtu_parse_bad(struct nlmsghdr *nlh, const char *what)
{
	struct cl_nl_err err = { 0 };
	size_t n = paths.n;
	int ret;

	ret = cl_pmtu_reply_parse(nlh, &paths, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && paths.n == n,
	   "pmtu list: %s refused (%s)", what, err.msg);
}

static void test_pmtu_list(void)
{
	struct pmtu_spec p;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char *s, *t;

	memset(&paths, 0, sizeof(paths));
	check("pmtu_empty", print_paths, &paths, "", "[]\n");

	pmtu_parse_ok(&pmtu_bh, "a black hole of flow scope");
	pmtu_parse_ok(&pmtu_stuck, "a stuck segment");
	pmtu_parse_ok(&pmtu_raised, "an IPv6 path raised again");
	pmtu_parse_ok(&pmtu_gen1, "a path from an older module");
	is_int(paths.n, 4, "pmtu list: four paths kept");

	check("pmtu_list", print_paths, &paths,
	      "FAMILY  DST              MTU  STATE      DETECTED              FIXES        AGE     SCOPE  LEARNED  SENDERS  PASSED  OUTAGES\n"
	      "ipv4    192.0.2.2       1280  blackhole  -                     icmp         4.2s    flow   probe          1       -        2\n"
	      "ipv4    198.51.100.7     700  stuck      -                     icmp         0.8s    path   stuck          2    1500        0\n"
	      "        stuck segment: length 1400, resent 5 times, not a path MTU problem\n"
	      "ipv6    2001:db8:1::2   1400  ok         -                     icmp,mss     123.4s  path   acked          3    1400        1\n"
	      "ipv4    203.0.113.9        -  suspect    -                     -            0.0s    -      -              0       -        0\n",
	      "[{\"family\":\"ipv4\",\"dst\":\"192.0.2.2\",\"mtu\":1280,"
	      "\"state\":\"blackhole\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\"],\"age_ms\":4250,\"detections\":1,"
	      "\"icmp_sent\":1,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":\"flow\",\"learned\":\"probe\",\"senders\":1,"
	      "\"passed\":0,\"outages\":2,\"side\":\"tx\",\"unrepaired\":0},"
	      "{\"family\":\"ipv4\",\"dst\":\"198.51.100.7\",\"mtu\":700,"
	      "\"state\":\"stuck\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\"],\"age_ms\":800,\"detections\":1,"
	      "\"icmp_sent\":1,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":\"path\",\"learned\":\"stuck\",\"senders\":2,"
	      "\"passed\":1500,\"outages\":0,\"side\":\"tx\",\"unrepaired\":0,"
	      "\"stuck_len\":1400,\"stuck_resends\":5},"
	      "{\"family\":\"ipv6\",\"dst\":\"2001:db8:1::2\",\"mtu\":1400,"
	      "\"state\":\"ok\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\",\"mss\"],\"age_ms\":123456,\"detections\":2,"
	      "\"icmp_sent\":2,\"df_cleared\":0,\"mss_clamped\":17,"
	      "\"scope\":\"path\",\"learned\":\"acked\",\"senders\":3,"
	      "\"passed\":1400,\"outages\":1,\"side\":\"tx\",\"unrepaired\":0},"
	      "{\"family\":\"ipv4\",\"dst\":\"203.0.113.9\",\"mtu\":0,"
	      "\"state\":\"suspect\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[],\"age_ms\":50,\"detections\":0,"
	      "\"icmp_sent\":0,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":null,\"learned\":null,\"senders\":0,"
	      "\"passed\":0,\"outages\":0,\"side\":\"tx\",\"unrepaired\":0}]\n");
	cl_pmtu_list_free(&paths);

	/* a newer module's values: "unknown", and the columns widen */
	pmtu_parse_ok(&pmtu_newer, "a path with values not known here");
	check("pmtu_list_newer", print_paths, &paths,
	      "FAMILY  DST             MTU  STATE      DETECTED              FIXES        AGE   SCOPE    LEARNED  SENDERS  PASSED  OUTAGES\n"
	      "ipv4    203.0.113.10   1492  unknown    -                     df           0.0s  unknown  unknown        0       -        0\n",
	      "[{\"family\":\"ipv4\",\"dst\":\"203.0.113.10\",\"mtu\":1492,"
	      "\"state\":\"unknown\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"df\"],\"age_ms\":0,\"detections\":0,"
	      "\"icmp_sent\":0,\"df_cleared\":4,\"mss_clamped\":0,"
	      "\"scope\":\"unknown\",\"learned\":\"unknown\",\"senders\":0,"
	      "\"passed\":0,\"outages\":0,\"side\":\"unknown\",\"unrepaired\":0}]\n");
	cl_pmtu_list_free(&paths);

	/*
	 * Where the black hole was found, and flows the ICMP did not repair:
	 * a line under the path each, the columns as they were.
	 */
	pmtu_parse_ok(&pmtu_rx, "a black hole found from the receiving side");
	pmtu_parse_ok(&pmtu_unrep, "a path with flows not repaired");
	pmtu_parse_ok(&pmtu_rx_unrep6, "an IPv6 path with both");
	check("pmtu_list_rx", print_paths, &paths,
	      "FAMILY  DST              MTU  STATE      DETECTED              FIXES        AGE   SCOPE  LEARNED  SENDERS  PASSED  OUTAGES\n"
	      "ipv4    192.0.2.3       1280  blackhole  -                     icmp         2.1s  flow   probe          1       -        0\n"
	      "        found from the receiving side: the resends vanished before this host\n"
	      "ipv4    192.0.2.4       1280  blackhole  -                     icmp         9.0s  flow   probe          1       -        0\n"
	      "        not repaired: 3 flows stayed at full size after clipper's frag-needed (filtered on the way, or ignored by the sender)\n"
	      "ipv6    2001:db8:1::2   1280  blackhole  -                     icmp         0.7s  flow   probe          1       -        0\n"
	      "        found from the receiving side: the resends vanished before this host\n"
	      "        not repaired: 1 flow stayed at full size after clipper's packet-too-big (filtered on the way, or ignored by the sender)\n",
	      "[{\"family\":\"ipv4\",\"dst\":\"192.0.2.3\",\"mtu\":1280,"
	      "\"state\":\"blackhole\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\"],\"age_ms\":2100,\"detections\":1,"
	      "\"icmp_sent\":2,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":\"flow\",\"learned\":\"probe\",\"senders\":1,"
	      "\"passed\":0,\"outages\":0,\"side\":\"rx\",\"unrepaired\":0},"
	      "{\"family\":\"ipv4\",\"dst\":\"192.0.2.4\",\"mtu\":1280,"
	      "\"state\":\"blackhole\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\"],\"age_ms\":9000,\"detections\":3,"
	      "\"icmp_sent\":6,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":\"flow\",\"learned\":\"probe\",\"senders\":1,"
	      "\"passed\":0,\"outages\":0,\"side\":\"tx\",\"unrepaired\":3},"
	      "{\"family\":\"ipv6\",\"dst\":\"2001:db8:1::2\",\"mtu\":1280,"
	      "\"state\":\"blackhole\",\"detected\":null,\"detected_ms_ago\":null,"
	      "\"fixes\":[\"icmp\"],\"age_ms\":700,\"detections\":1,"
	      "\"icmp_sent\":2,\"df_cleared\":0,\"mss_clamped\":0,"
	      "\"scope\":\"flow\",\"learned\":\"probe\",\"senders\":1,"
	      "\"passed\":0,\"outages\":0,\"side\":\"rx\",\"unrepaired\":1}]\n");
	cl_pmtu_list_free(&paths);

	/* DETECTED: a time, as an ISO 8601 string, and how long ago */
	p = pmtu_bh;
	p.detected_ms = 1500;
	pmtu_parse_ok(&p, "a path with DETECTED");
	s = capture(print_paths, &paths, true, false);
	ok(strstr(s, "\"detected_ms_ago\":1500,") &&
	   strstr(s, "\"detected\":\"20") && strstr(s, "Z\",\"detected_ms_ago\""),
	   "pmtu list: DETECTED as a time and as ms ago");
	free(s);
	cl_pmtu_list_free(&paths);

	/* a stuck path of a single resend; and one without its length */
	p = pmtu_stuck;
	p.stuck_resends = 1;
	pmtu_parse_ok(&p, "a segment stuck after one resend");
	p.stuck = false;
	pmtu_parse_ok(&p, "a stuck path without STUCK_LEN");
	s = capture(print_paths, &paths, false, false);
	ok(strstr(s, "\n        stuck segment: length 1400, resent 1 time, not a path MTU problem\n") &&
	   !strstr(s, "times"), "pmtu list: \"resent 1 time\"");
	t = strstr(s, "MTU problem\n");
	ok(t && !strncmp(t + 12, "ipv4 ", 5) && !strstr(t, "stuck segment"),
	   "pmtu list: no stuck line without STUCK_LEN");
	free(s);
	s = capture(print_paths, &paths, true, false);
	ok(strstr(s, "\"unrepaired\":0,\"stuck_len\":1400,\"stuck_resends\":1}") &&
	   strstr(s, "\"unrepaired\":0}]"),
	   "pmtu list -j: stuck_len, stuck_resends only when sent");
	free(s);
	cl_pmtu_list_free(&paths);

	/* the new attributes in the wrong shape */
	nlh = reply(CLIPPER_CMD_PMTU_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SCOPE, CLIPPER_PMTU_SCOPE_PATH);
	mnl_attr_nest_end(nlh, nest);
	pmtu_parse_bad(nlh, "SCOPE as a u32");

	nlh = reply(CLIPPER_CMD_PMTU_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_STUCK_LEN, 1);
	mnl_attr_nest_end(nlh, nest);
	pmtu_parse_bad(nlh, "STUCK_LEN as a u8");

	nlh = reply(CLIPPER_CMD_PMTU_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SIDE, CLIPPER_PMTU_SIDE_RX);
	mnl_attr_nest_end(nlh, nest);
	pmtu_parse_bad(nlh, "SIDE as a u32");

	nlh = reply(CLIPPER_CMD_PMTU_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_UNREPAIRED, 1);
	mnl_attr_nest_end(nlh, nest);
	pmtu_parse_bad(nlh, "UNREPAIRED as a u8");

	nlh = reply(CLIPPER_CMD_PMTU_GET);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET6);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_nest_end(nlh, nest);
	pmtu_parse_bad(nlh, "a 4-byte IPv6 address");
	is_int(paths.n, 0, "pmtu list: nothing added by refused messages");
	cl_pmtu_list_free(&paths);
}

static void print_event(const void *nlh)
{
	ok(cl_monitor_event_print(&ctx, nlh), "monitor: the event printed");
}

static bool event_printed;

static void print_event_skipped(const void *nlh)
{
	event_printed = cl_monitor_event_print(&ctx, nlh);
}

/* As check(), but an event is one JSON object a line even with -p. */
static void check_event(const char *name, const struct nlmsghdr *nlh,
			const char *human, const char *json)
{
	char *s;

	s = capture(print_event, nlh, false, false);
	is_str(s, human, "%s: human output", name);
	free(s);
	s = capture(print_event, nlh, true, true);
	is_str(s, json, "%s: JSON output, a line even with -p", name);
	save(name, s);
	free(s);
}

static void test_monitor(void)
{
	struct pmtu_spec p;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	char *s;

	check_event("monitor_bh",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &pmtu_bh),
		    "pmtu 192.0.2.2 blackhole mtu 1280 fixes icmp scope flow learned probe\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv4\","
		    "\"dst\":\"192.0.2.2\",\"mtu\":1280,\"state\":\"blackhole\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":4250,\"detections\":1,\"icmp_sent\":1,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":\"flow\","
		    "\"learned\":\"probe\",\"senders\":1,\"passed\":0,"
		    "\"outages\":2,\"side\":\"tx\",\"unrepaired\":0}}\n");
	check_event("monitor_stuck",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &pmtu_stuck),
		    "pmtu 198.51.100.7 stuck mtu 700 fixes icmp scope path learned stuck, "
		    "stuck segment: length 1400, resent 5 times, not a path MTU problem\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv4\","
		    "\"dst\":\"198.51.100.7\",\"mtu\":700,\"state\":\"stuck\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":800,\"detections\":1,\"icmp_sent\":1,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":\"path\","
		    "\"learned\":\"stuck\",\"senders\":2,\"passed\":1500,"
		    "\"outages\":0,\"side\":\"tx\",\"unrepaired\":0,"
		    "\"stuck_len\":1400,\"stuck_resends\":5}}\n");
	/* an older module's event reads as it always did */
	p = pmtu_gen1;
	p.state = CLIPPER_PMTU_OK;
	p.mtu = 1380;
	p.fixes = XT_CLIPPER_FIX_ICMP;
	check_event("monitor_gen1",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &p),
		    "pmtu 203.0.113.9 ok mtu 1380 fixes icmp\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv4\","
		    "\"dst\":\"203.0.113.9\",\"mtu\":1380,\"state\":\"ok\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":50,\"detections\":0,\"icmp_sent\":0,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":null,"
		    "\"learned\":null,\"senders\":0,\"passed\":0,\"outages\":0,"
		    "\"side\":\"tx\",\"unrepaired\":0}}\n");
	/* found from the receiving side; a flow the ICMP did not repair */
	check_event("monitor_rx",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &pmtu_rx),
		    "pmtu 192.0.2.3 blackhole mtu 1280 fixes icmp scope flow learned probe, "
		    "found from the receiving side: the resends vanished before this host\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv4\","
		    "\"dst\":\"192.0.2.3\",\"mtu\":1280,\"state\":\"blackhole\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":2100,\"detections\":1,\"icmp_sent\":2,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":\"flow\","
		    "\"learned\":\"probe\",\"senders\":1,\"passed\":0,"
		    "\"outages\":0,\"side\":\"rx\",\"unrepaired\":0}}\n");
	check_event("monitor_unrepaired",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &pmtu_unrep),
		    "pmtu 192.0.2.4 blackhole mtu 1280 fixes icmp scope flow learned probe, "
		    "not repaired: 3 flows stayed at full size after clipper's frag-needed "
		    "(filtered on the way, or ignored by the sender)\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv4\","
		    "\"dst\":\"192.0.2.4\",\"mtu\":1280,\"state\":\"blackhole\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":9000,\"detections\":3,\"icmp_sent\":6,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":\"flow\","
		    "\"learned\":\"probe\",\"senders\":1,\"passed\":0,"
		    "\"outages\":0,\"side\":\"tx\",\"unrepaired\":3}}\n");
	check_event("monitor_rx_unrepaired6",
		    pmtu_msg(CLIPPER_CMD_PMTU_EVENT, &pmtu_rx_unrep6),
		    "pmtu 2001:db8:1::2 blackhole mtu 1280 fixes icmp scope flow learned probe, "
		    "found from the receiving side: the resends vanished before this host, "
		    "not repaired: 1 flow stayed at full size after clipper's packet-too-big "
		    "(filtered on the way, or ignored by the sender)\n",
		    "{\"event\":\"pmtu\",\"path\":{\"family\":\"ipv6\","
		    "\"dst\":\"2001:db8:1::2\",\"mtu\":1280,\"state\":\"blackhole\","
		    "\"detected\":null,\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
		    "\"age_ms\":700,\"detections\":1,\"icmp_sent\":2,"
		    "\"df_cleared\":0,\"mss_clamped\":0,\"scope\":\"flow\","
		    "\"learned\":\"probe\",\"senders\":1,\"passed\":0,"
		    "\"outages\":0,\"side\":\"rx\",\"unrepaired\":1}}\n");

	nlh = reply(CLIPPER_CMD_LIMIT_EVENT);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_LIMIT);
	mnl_attr_put_u8(nlh, CLIPPER_LIMIT_A_TABLE, CLIPPER_LIMIT_PMTU);
	mnl_attr_put_u32(nlh, CLIPPER_LIMIT_A_MAX, 4096);
	mnl_attr_nest_end(nlh, nest);
	check_event("monitor_limit", nlh,
		    "limit pmtu full: pmtu-max 4096\n",
		    "{\"event\":\"limit\",\"table\":\"pmtu\",\"max\":4096}\n");

	/* what cannot be read, or is not known, is skipped, not printed */
	nlh = reply(CLIPPER_CMD_PMTU_EVENT);
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\300\0\2\2");
	mnl_attr_put_u16(nlh, CLIPPER_PMTU_A_LEARNED, 1);
	mnl_attr_nest_end(nlh, nest);
	s = capture(print_event_skipped, nlh, false, false);
	ok(!event_printed && !s[0],
	   "monitor: an event with LEARNED as a u16 skipped");
	free(s);
	s = capture(print_event_skipped, reply(CLIPPER_CMD_MAX + 1), true,
		    false);
	ok(!event_printed && !s[0],
	   "monitor: an event of a newer command skipped");
	free(s);
}

/* The pmtu section with the counters of both generations. */
static void test_stats_pmtu(void)
{
	static const struct {
		uint16_t id;
		const char *name;
	} ctrs[] = {
		{ CLIPPER_CTR_RETRANS, "retransmits" },
		{ CLIPPER_CTR_BLACKHOLE, "blackhole" },
		{ CLIPPER_CTR_SACKED, "sacked" },
		{ CLIPPER_CTR_ICMP_UNRELATED, "icmp_unrelated" },
		{ CLIPPER_CTR_PROBES, "probes" },
		{ CLIPPER_CTR_PROBE_PASSED, "probe_passed" },
		{ CLIPPER_CTR_OUTAGE, "outage" },
		{ CLIPPER_CTR_REPLAYED, "replayed" },
		{ CLIPPER_CTR_STUCK, "stuck" },
		{ CLIPPER_CTR_RAISED, "raised" },
		{ CLIPPER_CTR_FLOW_FIXED, "flow_fixed" },
		{ CLIPPER_CTR_RX_GAPS, "rx_gaps" },
		{ CLIPPER_CTR_RX_PROBES, "rx_probes" },
		{ CLIPPER_CTR_RX_ANSWERS, "rx_answers" },
		{ CLIPPER_CTR_RX_OUTAGE, "rx_outage" },
		{ CLIPPER_CTR_UNREPAIRED, "unrepaired" },
	};
	struct cl_nl_err err = { 0 };
	static struct cl_stats st;
	struct nlattr *stats, *sec;
	struct nlmsghdr *nlh;
	char want[128], *s;
	unsigned int i;
	size_t len;
	FILE *f;

	nlh = reply(CLIPPER_CMD_STATS_GET);
	stats = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_PMTU);
	for (i = 0; i < ARRAY_SIZE(ctrs); i++)
		put_ctr(nlh, ctrs[i].id, 100 + i, i % 2);
	mnl_attr_nest_end(nlh, sec);
	mnl_attr_nest_end(nlh, stats);

	is_int(cl_stats_reply_parse(nlh, &st, &err), 0,
	       "stats with the pmtu counters: parsed");
	check("stats_pmtu", print_stats, &st,
	      "target:\n"
	      "classify:\n"
	      "pmtu:\n"
	      "    retransmits     100\n"
	      "    blackhole       101\n"
	      "    sacked          102\n"
	      "    icmp_unrelated  103\n"
	      "    probes          104\n"
	      "    probe_passed    105\n"
	      "    outage          106\n"
	      "    replayed        107\n"
	      "    stuck           108\n"
	      "    raised          109\n"
	      "    flow_fixed      110\n"
	      "    rx_gaps         111\n"
	      "    rx_probes       112\n"
	      "    rx_answers      113\n"
	      "    rx_outage       114\n"
	      "    unrepaired      115\n"
	      "ws:\n"
	      "ws_c2s:\n"
	      "ws_s2c:\n",
	      "{\"target\":{},\"classify\":{},\"pmtu\":{\"retransmits\":100,"
	      "\"blackhole\":101,\"sacked\":102,\"icmp_unrelated\":103,"
	      "\"probes\":104,\"probe_passed\":105,\"outage\":106,"
	      "\"replayed\":107,\"stuck\":108,\"raised\":109,"
	      "\"flow_fixed\":110,\"rx_gaps\":111,\"rx_probes\":112,"
	      "\"rx_answers\":113,\"rx_outage\":114,\"unrepaired\":115},"
	      "\"ws\":{},\"ws_c2s\":{},\"ws_s2c\":{}}\n");

	f = open_memstream(&s, &len);
	if (!f)
		abort();
	cl_stats_print_prometheus(f, &st);
	fclose(f);
	for (i = 0; i < ARRAY_SIZE(ctrs); i++) {
		snprintf(want, sizeof(want),
			 "# TYPE clipper_pmtu_%s_total counter\n"
			 "clipper_pmtu_%s_total %u\n", ctrs[i].name,
			 ctrs[i].name, 100 + i);
		ok(strstr(s, want), "stats --prometheus: clipper_pmtu_%s_total",
		   ctrs[i].name);
	}
	free(s);
}

/* Every counter of the header has a name: none shows as "counter_N". */
static void test_counter_names(void)
{
	char buf[32], want[32];
	const char *name;
	unsigned int id;

	for (id = CLIPPER_CTR_PAD + 1; id <= CLIPPER_CTR_MAX; id++) {
		name = cl_counter_name(id, buf, sizeof(buf));
		if (name == buf)
			break;
	}
	if (!ok(id > CLIPPER_CTR_MAX, "every counter up to CLIPPER_CTR_MAX (%u) is named",
		CLIPPER_CTR_MAX))
		printf("#   counter %u has none\n", id);
	snprintf(want, sizeof(want), "counter_%u", CLIPPER_CTR_MAX + 1);
	is_str(cl_counter_name(CLIPPER_CTR_MAX + 1, buf, sizeof(buf)), want,
	       "a counter past CLIPPER_CTR_MAX: %s", want);
}

/* ---- ws list / ws stats ------------------------------------------------ */

static void put_ws_dir(struct nlmsghdr *nlh, uint16_t attr, uint64_t base,
		       bool desync)
{
	struct nlattr *d, *c;
	unsigned int i;

	d = mnl_attr_nest_start(nlh, attr);
	c = mnl_attr_nest_start(nlh, CLIPPER_WS_DIR_A_COUNTERS);
	for (i = 0; i < CL_WS_NCLASS; i++)
		put_ctr(nlh, CLIPPER_CTR_TEXT + i, base + i, i == 0);
	put_ctr(nlh, CLIPPER_CTR_PAYLOAD_BYTES, base * 1000, false);
	put_ctr(nlh, CLIPPER_CTR_HEADER_BYTES, base * 10, false);
	mnl_attr_nest_end(nlh, c);
	if (desync)
		mnl_attr_put(nlh, CLIPPER_WS_DIR_A_DESYNC, 0, NULL);
	mnl_attr_nest_end(nlh, d);
}

static struct nlmsghdr *ws_msg(bool v6, uint8_t proto, bool desync)
{
	static const uint8_t a4[2][4] = { { 192, 0, 2, 2 }, { 198, 51, 100, 2 } };
	uint8_t a6[2][16] = { { 0x20, 0x01, 0x0d, 0xb8, 0, 1 },
			      { 0x20, 0x01, 0x0d, 0xb8, 0, 2 } };
	struct nlmsghdr *nlh = reply(CLIPPER_CMD_WS_GET);
	struct nlattr *nest;

	a6[0][15] = 2;
	a6[1][15] = 2;
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_WS);
	mnl_attr_put_u8(nlh, CLIPPER_WS_A_FAMILY, v6 ? AF_INET6 : AF_INET);
	mnl_attr_put(nlh, CLIPPER_WS_A_SRC, v6 ? 16 : 4, v6 ? a6[0] : a4[0]);
	mnl_attr_put_u16(nlh, CLIPPER_WS_A_SPORT, 40000);
	mnl_attr_put(nlh, CLIPPER_WS_A_DST, v6 ? 16 : 4, v6 ? a6[1] : a4[1]);
	mnl_attr_put_u16(nlh, CLIPPER_WS_A_DPORT, 8080);
	mnl_attr_put_u8(nlh, CLIPPER_WS_A_PROTOCOL, proto);
	put_ws_dir(nlh, CLIPPER_WS_A_C2S, 1, false);
	put_ws_dir(nlh, CLIPPER_WS_A_S2C, 2, desync);
	mnl_attr_put_u64(nlh, CLIPPER_WS_A_IDLE, 1500);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct cl_ws_list wsl;

static void print_ws(const void *l)
{
	cl_ws_list_print(&ctx, l);
}

static void print_ws_stats(const void *w)
{
	cl_ws_stats_print(&ctx, w);
}

static void test_ws(void)
{
	struct cl_nl_err err;
	struct cl_stats st;
	struct cl_config cfg;
	struct cl_ws_stats w;
	struct nlmsghdr *nlh;
	struct nlattr *all, *sec;
	unsigned int i;

	is_int(cl_ws_reply_parse(ws_msg(false, CLIPPER_WS_PROTOCOL_RFC6455,
					false), &wsl, &err), 0, "ws: v4 flow parsed");
	is_int(cl_ws_reply_parse(ws_msg(true, CLIPPER_WS_PROTOCOL_HIXIE76,
					true), &wsl, &err), 0, "ws: v6 flow parsed");
	check("ws_list", print_ws, &wsl,
	      "PROTO     CLIENT                 SERVER                 C2S-FRAMES   C2S-PAYLOAD  S2C-FRAMES   S2C-PAYLOAD  STATE\n"
	      "rfc6455   192.0.2.2:40000        198.51.100.2:8080              28          1000          35          2000  ok/ok\n"
	      "hixie-76  [2001:db8:1::2]:40000  [2001:db8:2::2]:8080           28          1000          35          2000  ok/desync\n",
	      "[{\"family\":\"ipv4\",\"src\":\"192.0.2.2\",\"sport\":40000,"
	      "\"dst\":\"198.51.100.2\",\"dport\":8080,\"protocol\":\"rfc6455\","
	      "\"c2s\":{\"frames\":{\"text\":1,\"binary\":2,\"continuation\":3,"
	      "\"close\":4,\"ping\":5,\"pong\":6,\"other\":7},"
	      "\"payload_bytes\":1000,\"header_bytes\":10,\"desync\":false,"
	      "\"malformed\":false},"
	      "\"s2c\":{\"frames\":{\"text\":2,\"binary\":3,\"continuation\":4,"
	      "\"close\":5,\"ping\":6,\"pong\":7,\"other\":8},"
	      "\"payload_bytes\":2000,\"header_bytes\":20,\"desync\":false,"
	      "\"malformed\":false},\"desync\":false,\"malformed\":false,"
	      "\"idle_ms\":1500},"
	      "{\"family\":\"ipv6\",\"src\":\"2001:db8:1::2\",\"sport\":40000,"
	      "\"dst\":\"2001:db8:2::2\",\"dport\":8080,\"protocol\":\"hixie-76\","
	      "\"c2s\":{\"frames\":{\"text\":1,\"binary\":2,\"continuation\":3,"
	      "\"close\":4,\"ping\":5,\"pong\":6,\"other\":7},"
	      "\"payload_bytes\":1000,\"header_bytes\":10,\"desync\":false,"
	      "\"malformed\":false},"
	      "\"s2c\":{\"frames\":{\"text\":2,\"binary\":3,\"continuation\":4,"
	      "\"close\":5,\"ping\":6,\"pong\":7,\"other\":8},"
	      "\"payload_bytes\":2000,\"header_bytes\":20,\"desync\":true,"
	      "\"malformed\":false},\"desync\":true,\"malformed\":false,"
	      "\"idle_ms\":1500}]\n");
	cl_ws_list_free(&wsl);

	/* a bad address length is refused, not read past */
	nlh = reply(CLIPPER_CMD_WS_GET);
	all = mnl_attr_nest_start(nlh, CLIPPER_A_WS);
	mnl_attr_put_u8(nlh, CLIPPER_WS_A_FAMILY, AF_INET6);
	mnl_attr_put(nlh, CLIPPER_WS_A_SRC, 4, "abcd");
	mnl_attr_put(nlh, CLIPPER_WS_A_DST, 4, "abcd");
	mnl_attr_nest_end(nlh, all);
	ok(cl_ws_reply_parse(nlh, &wsl, &err) < 0, "ws: 4-byte IPv6 address refused");
	cl_ws_list_free(&wsl);

	/* ws stats from the stats sections and the config's active count */
	nlh = reply(CLIPPER_CMD_STATS_GET);
	all = mnl_attr_nest_start(nlh, CLIPPER_A_STATS);
	sec = mnl_attr_nest_start(nlh, CLIPPER_STATS_A_WS);
	put_ctr(nlh, CLIPPER_CTR_FLOWS, 3, false);
	put_ctr(nlh, CLIPPER_CTR_TRACKED, 5, false);
	put_ctr(nlh, CLIPPER_CTR_NOT_WS, 2, false);
	mnl_attr_nest_end(nlh, sec);
	for (i = 0; i < 2; i++) {
		sec = mnl_attr_nest_start(nlh, i ? CLIPPER_STATS_A_WS_S2C :
						   CLIPPER_STATS_A_WS_C2S);
		put_ctr(nlh, CLIPPER_CTR_TEXT, 10, false);
		put_ctr(nlh, CLIPPER_CTR_BINARY, 5, false);
		put_ctr(nlh, CLIPPER_CTR_CONTINUATION, 5, false);
		put_ctr(nlh, CLIPPER_CTR_PAYLOAD_BYTES, 12345, false);
		put_ctr(nlh, CLIPPER_CTR_HEADER_BYTES, i ? 40 : 120, false);
		mnl_attr_nest_end(nlh, sec);
	}
	mnl_attr_nest_end(nlh, all);
	memset(&st, 0, sizeof(st));
	is_int(cl_stats_reply_parse(nlh, &st, &err), 0, "ws stats: parsed");
	memset(&cfg, 0, sizeof(cfg));
	cfg.has_ws_active = true;
	cfg.ws_active = 1;
	cl_ws_stats_from(&w, &st, &cfg, 800);
	check("ws_stats", print_ws_stats, &w,
	      "flows 3 (1 active), tracked 5, not websocket 2, desync 0, malformed 0, table full 0, expired 0\n"
	      "              text        binary  continuation         close          ping          pong         other   payload-bytes  header-bytes\n"
	      "c2s             10             5             5             0             0             0             0           12345           120\n"
	      "s2c             10             5             5             0             0             0             0           12345            40\n"
	      "overhead: 160 header bytes in 40 frames (4.00 a frame); as HTTP requests of 800 header bytes, 30 messages would cost 24000 bytes (150.0x)\n",
	      "{\"flows\":3,\"flows_active\":1,"
	      "\"c2s\":{\"frames\":{\"text\":10,\"binary\":5,\"continuation\":5,"
	      "\"close\":0,\"ping\":0,\"pong\":0,\"other\":0},"
	      "\"payload_bytes\":12345,\"header_bytes\":120},"
	      "\"s2c\":{\"frames\":{\"text\":10,\"binary\":5,\"continuation\":5,"
	      "\"close\":0,\"ping\":0,\"pong\":0,\"other\":0},"
	      "\"payload_bytes\":12345,\"header_bytes\":40},"
	      "\"tracked\":5,\"not_websocket\":2,\"desync\":0,\"malformed\":0,"
	      "\"table_full\":0,\"expired\":0,"
	      "\"overhead\":{\"frames\":40,\"messages\":30,\"header_bytes\":160,"
	      "\"http_header_size\":800,\"http_header_bytes\":24000,"
	      "\"saved_bytes\":23840}}\n");

	/* totals saturate; saved_bytes is clamped to an s64, never wraps */
	{
		struct cl_stats big;
		struct cl_ws_stats b;
		char *s;

		memset(&big, 0, sizeof(big));
		big.n = 2;
		big.sec[0].id = CLIPPER_STATS_A_WS_C2S;
		big.sec[0].ctr.n = 2;
		big.sec[0].ctr.c[0].id = CLIPPER_CTR_TEXT;
		big.sec[0].ctr.c[0].val = UINT64_MAX - 1;
		big.sec[0].ctr.c[1].id = CLIPPER_CTR_HEADER_BYTES;
		big.sec[0].ctr.c[1].val = 1;
		big.sec[1].id = CLIPPER_STATS_A_WS_S2C;
		big.sec[1].ctr.n = 1;
		big.sec[1].ctr.c[0].id = CLIPPER_CTR_TEXT;
		big.sec[1].ctr.c[0].val = 2;
		cl_ws_stats_from(&b, &big, &cfg, 800);
		is_int(b.frames == UINT64_MAX, 1,
		       "ws stats: frames of both ways saturate, not wrap to 0");
		is_int(b.messages == UINT64_MAX, 1,
		       "ws stats: messages saturate");
		is_int(b.http_overhead == UINT64_MAX, 1,
		       "ws stats: messages times the header size saturates");
		s = capture(print_ws_stats, &b, true, false);
		ok(strstr(s, "\"saved_bytes\":9223372036854775807}"),
		   "ws stats: saved_bytes clamped to the largest s64");
		free(s);
		big.sec[0].ctr.c[0].val = 0;
		big.sec[1].ctr.c[0].val = 0;
		big.sec[0].ctr.c[1].val = UINT64_MAX;
		cl_ws_stats_from(&b, &big, &cfg, 800);
		s = capture(print_ws_stats, &b, true, false);
		ok(strstr(s, "\"saved_bytes\":-9223372036854775808}"),
		   "ws stats: saved_bytes clamped to the smallest s64");
		free(s);
	}
}

int main(int argc, char **argv)
{
	if (argc > 1)
		outdir = argv[1];
	test_version();
	test_status();
	test_stats();
	test_stats_names();
	test_mac_list();
	test_class_list();
	test_config();
	test_pmtu_list();
	test_monitor();
	test_stats_pmtu();
	test_counter_names();
	test_ws();
	return tap_done();
}

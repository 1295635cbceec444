// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: unit tests of the command-line parsing of the mac, class,
 * config and pmtu objects and of the requests their verbs send.
 *
 * Linked with -Wl,--wrap=mnl_socket_sendto,--wrap=mnl_socket_recvfrom: the
 * real request and receive loop (common.c, nl.c) runs, but the request
 * lands in a buffer for the test to read and the kernel's replies are a
 * datagram the test made up.  No module and no socket are needed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "obj.h"
#include "tap.h"
#include "version.h"

#define PORTID	4242
#define FAMILY	0x20

static struct cl_ctx ctx;

/* ---- the fake socket ---- */

static char sent[CL_NL_TX_SIZE] __attribute__((aligned(8)));
static size_t sent_len;
static int nsent;

static char script[CL_NL_RX_SIZE] __attribute__((aligned(8)));
static size_t script_len;
static int nrecv;

ssize_t __wrap_mnl_socket_sendto(const struct mnl_socket *nl, const void *buf,
				 size_t len)
{
	(void)nl;
	if (len > sizeof(sent))
		abort();
	memcpy(sent, buf, len);
	sent_len = len;
	nsent++;
	return len;
}

/* The whole script as one datagram, addressed to the request sent. */
ssize_t __wrap_mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf,
				   size_t bufsiz)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)sent;
	struct nlmsghdr *nlh;
	int rem;

	(void)nl;
	if (nrecv++ || script_len > bufsiz) {
		/* the script had no end: fail rather than wait forever */
		errno = ENOBUFS;
		return -1;
	}
	memcpy(buf, script, script_len);
	rem = script_len;
	for (nlh = buf; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		nlh->nlmsg_pid = PORTID;
		nlh->nlmsg_seq = req->nlmsg_seq;
	}
	return script_len;
}

/* Before scripting the replies to the next run(). */
static void script_reset(void)
{
	memset(script, 0, sizeof(script));
	script_len = 0;
}

static struct nlmsghdr *script_msg(uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(script + script_len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

static void script_end_msg(struct nlmsghdr *nlh)
{
	script_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* A reply of the family; finish it with script_end_msg(). */
static struct nlmsghdr *script_reply(uint8_t cmd, bool multi)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = script_msg(FAMILY, multi ? NLM_F_MULTI : 0);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = CLIPPER_GENL_VERSION;
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL);
	return nlh;
}

/* The ack (error 0) or error, capped, with an extack message if msg. */
static void script_ack(int error, const char *msg)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	nlh = script_msg(NLMSG_ERROR, NLM_F_CAPPED | (msg ? NLM_F_ACK_TLVS : 0));
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	e->msg.nlmsg_type = FAMILY;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	script_end_msg(nlh);
}

/* The end of a dump. */
static void script_done(int error, const char *msg)
{
	struct nlmsghdr *nlh;

	nlh = script_msg(NLMSG_DONE, NLM_F_MULTI | (msg ? NLM_F_ACK_TLVS : 0));
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = error;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	script_end_msg(nlh);
}

/* ---- running a verb ---- */

static char *out_text, *err_text;

/*
 * Runs "clipper [-j] OBJECT VERB ARGS..." (the verb and its arguments in
 * a NULL-terminated list) with stdout and stderr captured in out_text and
 * err_text; returns the exit code.
 */
static int run(bool json, const struct cl_object *obj, ...)
{
	const struct cl_verb *verb = NULL, *v;
	char *argv[16], *name;
	FILE *errf;
	size_t len;
	int argc = 0, saved, ret;
	va_list ap;

	va_start(ap, obj);
	name = va_arg(ap, char *);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	for (v = obj->verbs; v->name; v++)
		if (!strcmp(v->name, name))
			verb = v;
	if (!verb)
		abort();

	memset(sent, 0, sizeof(sent));
	sent_len = 0;
	nsent = 0;
	nrecv = 0;
	free(out_text);
	free(err_text);
	ctx.json = json;
	ctx.pretty = false;
	ctx.out = open_memstream(&out_text, &len);
	errf = tmpfile();
	if (!ctx.out || !errf)
		abort();
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(errf), 2);
	ret = verb->run(&ctx, argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(ctx.out);

	len = ftell(errf);
	err_text = calloc(1, len + 1);
	if (!err_text)
		abort();
	rewind(errf);
	if (fread(err_text, 1, len, errf) != len)
		abort();
	fclose(errf);
	return ret;
}

/* ---- reading the request sent ---- */

static const struct nlattr *top[CLIPPER_A_MAX + 1];
static const struct nlattr *nest[32];

static int collect_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type < 32)
		tb[type] = a;
	return MNL_CB_OK;
}

/* Checks the header of the request sent; parses its attributes. */
static void check_sent(const char *what, uint8_t cmd, uint16_t flags,
		       uint16_t nest_type)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)sent;
	const struct genlmsghdr *genl;

	memset(top, 0, sizeof(top));
	memset(nest, 0, sizeof(nest));
	if (!ok(nsent == 1 && sent_len == nlh->nlmsg_len &&
		sent_len >= NLMSG_HDRLEN + GENL_HDRLEN,
		"%s: one request sent", what))
		return;
	genl = mnl_nlmsg_get_payload(nlh);
	ok(nlh->nlmsg_type == FAMILY && genl->cmd == cmd &&
	   genl->version == CLIPPER_GENL_VERSION,
	   "%s: command %u of the family", what, cmd);
	is_int(nlh->nlmsg_flags, flags, "%s: flags", what);
	mnl_attr_parse(nlh, GENL_HDRLEN, collect_cb, top);
	ok(top[CLIPPER_A_PROTOCOL] &&
	   mnl_attr_get_u32(top[CLIPPER_A_PROTOCOL]) == CLIPPER_PROTOCOL,
	   "%s: carries the protocol version", what);
	if (!nest_type) {
		ok(nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN + 8,
		   "%s: nothing more", what);
		return;
	}
	if (ok(top[nest_type] && !mnl_attr_validate(top[nest_type],
						    MNL_TYPE_NESTED),
	       "%s: has its nest", what))
		mnl_attr_parse_nested(top[nest_type], collect_cb, nest);
}

static bool nest_u8(uint16_t type, uint8_t want)
{
	return nest[type] && mnl_attr_get_payload_len(nest[type]) == 1 &&
	       mnl_attr_get_u8(nest[type]) == want;
}

static bool nest_u32(uint16_t type, uint32_t want)
{
	return nest[type] && mnl_attr_get_payload_len(nest[type]) == 4 &&
	       mnl_attr_get_u32(nest[type]) == want;
}

static bool nest_addr(const char *want)
{
	const struct nlattr *a = nest[CLIPPER_MAC_A_ADDR];

	return a && mnl_attr_get_payload_len(a) == ETH_ALEN &&
	       !memcmp(mnl_attr_get_payload(a), want, ETH_ALEN);
}

static bool nest_only(unsigned int mask)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nest); i++)
		if (!!nest[i] != !!(mask & (1U << i)))
			return false;
	return true;
}

#define BIT(n)	(1U << (n))
#define ADMIN	(NLM_F_REQUEST | NLM_F_ACK)

/* ---- parsing units ---- */

static void mac_ok(const char *s, const char *addr, int prefix)
{
	struct cl_mac_addr m;
	int ret;

	memset(&m, 0xee, sizeof(m));
	ret = cl_mac_parse(s, &m);
	ok(ret == 0 && !memcmp(m.addr, addr, ETH_ALEN) &&
	   m.prefix == (prefix < 0 ? 48 : prefix) &&
	   m.has_prefix == (prefix >= 0),
	   "MAC \"%s\" accepted (ret %d, prefix %u)", s, ret, m.prefix);
}

static void mac_bad(const char *s, int want)
{
	struct cl_mac_addr m;

	is_int(cl_mac_parse(s, &m), want, "MAC \"%s\" refused as %s", s,
	       want == -EINVAL ? "a bad address" : "a bad prefix");
}

static void test_mac_parse(void)
{
	const char *ab = "\xaa\xbb\xcc\xdd\xee\xff";
	const char *s3e = "\x00\x16\x3e\x12\x34\x56";
	const char *s3e123 = "\x00\x16\x3e\x01\x02\x03";
	char buf[CL_MAC_STR_LEN];

	mac_ok("aa:bb:cc:dd:ee:ff", ab, -1);
	mac_ok("AA:BB:CC:DD:EE:FF", ab, -1);
	mac_ok("aa-bb-cc-dd-ee-ff", ab, -1);
	mac_ok("Aa-bB-Cc-dD-eE-Ff", ab, -1);
	mac_ok("00:1a:2B:03:40:f5", "\x00\x1a\x2b\x03\x40\xf5", -1);
	mac_ok("00:1a:2b:00:00:00/24", "\x00\x1a\x2b\x00\x00\x00", 24);
	mac_ok("80-00-00-00-00-00/1", "\x80\x00\x00\x00\x00\x00", 1);
	mac_ok("aa:bb:cc:dd:ee:ff/48", ab, 48);
	mac_ok("aa:bb:cc:dd:ee:ff/048", ab, 48);
	/* bits beyond the prefix are the kernel's to judge */
	mac_ok("aa:bb:cc:dd:ee:ff/8", ab, 8);
	/* the other usual forms */
	mac_ok("00:16:3e:12:34:56", s3e, -1);
	mac_ok("0:16:3e:1:2:3", s3e123, -1);		/* one-digit octets */
	mac_ok("0-16-3e-1-2-3", s3e123, -1);
	mac_ok("00-16-3E-12-34-56", s3e, -1);
	mac_ok("0016.3e12.3456", s3e, -1);		/* Cisco */
	mac_ok("0016.3E12.3456", s3e, -1);
	mac_ok("0016.3e00.0000/24", "\x00\x16\x3e\x00\x00\x00", 24);
	mac_ok("00163e123456", s3e, -1);		/* bare */
	mac_ok("00163E123456", s3e, -1);
	mac_ok("AABBCCDDEEFF", ab, -1);
	mac_ok("00163e000000/24", "\x00\x16\x3e\x00\x00\x00", 24);
	mac_ok("aa:bb:cc:dd:ee:f", "\xaa\xbb\xcc\xdd\xee\x0f", -1);
	mac_ok("a:b:c:d:e:f", "\x0a\x0b\x0c\x0d\x0e\x0f", -1);

	mac_bad("", -EINVAL);
	mac_bad("aa:bb:cc:dd:ee", -EINVAL);		/* too short */
	mac_bad("aa:bb:cc:dd:ee:", -EINVAL);
	mac_bad("aa.bb.cc.dd.ee.ff", -EINVAL);
	mac_bad("0:16:3e:1:2", -EINVAL);		/* wrong lengths */
	mac_bad("0:16:3e:1:2:", -EINVAL);
	mac_bad("0016.3e12.345", -EINVAL);
	mac_bad("0016.3e12.34567", -EINVAL);
	mac_bad("0016.3e12", -EINVAL);
	mac_bad("016.3e12.3456", -EINVAL);
	mac_bad("0016.3e123.456", -EINVAL);
	mac_bad("0016.3e12.3456.7890", -EINVAL);
	mac_bad("00163e12345", -EINVAL);
	mac_bad("00163e1234567", -EINVAL);
	mac_bad("00163e12345600", -EINVAL);
	mac_bad("00163e", -EINVAL);
	mac_bad("0016:3e12:3456", -EINVAL);
	mac_bad("0016-3e12-3456", -EINVAL);
	mac_bad("0016.3e12-3456", -EINVAL);		/* mixed separators */
	mac_bad("00:16:3e.12:34:56", -EINVAL);
	mac_bad("00:16:3e-12:34:56", -EINVAL);
	mac_bad("00163e:123456", -EINVAL);
	mac_bad("00:16:3e:12:34:5g", -EINVAL);		/* not hex */
	mac_bad("0016.3e12.345g", -EINVAL);
	mac_bad("00163e12345g", -EINVAL);
	mac_bad("0016.3e12.3456/", -ERANGE);
	mac_bad("00:16:3e:12:34:56:78", -EINVAL);	/* 7 octets */
	mac_bad("00-16-3e-12-34-56-78", -EINVAL);
	mac_bad("0:16:3e:1:2:3:4", -EINVAL);
	mac_bad("00163e12345678", -EINVAL);
	mac_bad(":16:3e:12:34:56", -EINVAL);
	mac_bad("00:16:3e:12:34:", -EINVAL);
	mac_bad("aa:bb-cc:dd:ee:ff", -EINVAL);	/* mixed separators */
	mac_bad("aa-bb-cc-dd-ee:ff", -EINVAL);
	mac_bad("gg:bb:cc:dd:ee:ff", -EINVAL);	/* bad hex */
	mac_bad("aa:bb:cc:dd:ee:fg", -EINVAL);
	mac_bad("aa:bb:cc:dd:ee:ff:00", -EINVAL);	/* trailing junk */
	mac_bad("aa:bb:cc:dd:ee:ffx", -EINVAL);
	mac_bad("aa:bb:cc:dd:ee:ff ", -EINVAL);
	mac_bad(" aa:bb:cc:dd:ee:ff", -EINVAL);
	mac_bad("aa:bb:cc:dd:ee:fff", -EINVAL);
	mac_bad("aa::bb:cc:dd:ee:ff", -EINVAL);
	mac_bad("0xaa:bb:cc:dd:ee:ff", -EINVAL);

	mac_bad("aa:bb:cc:dd:ee:ff/0", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/49", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/abc", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/24x", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/24/8", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/-1", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/+8", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/ 8", -ERANGE);
	mac_bad("aa:bb:cc:dd:ee:ff/4294967320", -ERANGE);	/* 24 + 2^32 */

	cl_mac_format(buf, sizeof(buf), (const uint8_t *)ab, 48);
	is_str(buf, "aa:bb:cc:dd:ee:ff", "MAC formatted without /48");
	cl_mac_format(buf, sizeof(buf), (const uint8_t *)"\0\x1a\x2b\0\0\0",
		      24);
	is_str(buf, "00:1a:2b:00:00:00/24", "MAC formatted with /24");
}

static void test_class_names(void)
{
	static const char *const names[] = {
		"exempt", "premium", "express", "standard", "bulk"
	};
	char buf[CL_CLASS_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		is_int(cl_class_lookup(names[i]), CLIPPER_CLASS_EXEMPT + i,
		       "class \"%s\" found", names[i]);
		is_str(cl_class_name(CLIPPER_CLASS_EXEMPT + i, buf,
				     sizeof(buf)), names[i],
		       "class %u named", CLIPPER_CLASS_EXEMPT + i);
	}
	is_int(cl_class_lookup("BULK"), CLIPPER_CLASS_BULK, "\"BULK\" is bulk");
	is_int(cl_class_lookup("Premium"), CLIPPER_CLASS_PREMIUM,
	       "\"Premium\" is premium");
	is_int(cl_class_lookup("none"), 0, "\"none\" is not a class");
	is_int(cl_class_lookup(""), 0, "\"\" is not a class");
	is_int(cl_class_lookup("standar"), 0, "\"standar\" is not a class");
	is_int(cl_class_lookup("bulk "), 0, "\"bulk \" is not a class");
	is_int(cl_class_lookup("random"), 0, "\"random\" is not a class");
	is_str(cl_class_name(0, buf, sizeof(buf)), "none", "class 0 named");
	is_str(cl_class_name(9, buf, sizeof(buf)), "class_9",
	       "unknown class 9 named");
	is_str(cl_class_name(255, buf, sizeof(buf)), "class_255",
	       "unknown class 255 named");
}

static void u32_ok(const char *s, uint32_t want)
{
	uint32_t v = 12345;

	ok(cl_parse_u32(s, &v) == 0 && v == want, "number \"%s\" is %u",
	   s, want);
}

static void u32_bad(const char *s, int want)
{
	uint32_t v = 12345;
	int ret;

	ret = cl_parse_u32(s, &v);
	ok(ret == want && v == 12345, "number \"%s\" refused (%d)", s, ret);
}

static void test_parse_u32(void)
{
	u32_ok("0", 0);
	u32_ok("42", 42);
	u32_ok("010", 10);
	u32_ok("0x2a", 42);
	u32_ok("0X2A", 42);
	u32_ok("4294967295", 4294967295U);
	u32_ok("0xffffffff", 4294967295U);
	u32_ok("0x00000000ffffffff", 4294967295U);
	u32_bad("4294967296", -ERANGE);
	u32_bad("0x100000000", -ERANGE);
	u32_bad("99999999999999999999999", -ERANGE);
	u32_bad("18446744073709551616", -ERANGE);	/* 2^64 */
	u32_bad("", -EINVAL);
	u32_bad("0x", -EINVAL);
	u32_bad("-1", -EINVAL);
	u32_bad("+1", -EINVAL);
	u32_bad(" 1", -EINVAL);
	u32_bad("1 ", -EINVAL);
	u32_bad("1a", -EINVAL);
	u32_bad("0x1g", -EINVAL);
	u32_bad("99999999999x", -EINVAL);
}

/* ---- the verbs' usage errors ---- */

/* Exit 2, nothing sent, "clipper: MSG" then the object's usage. */
static void usage_case(const char *what, int ret, const char *msg,
		       const char *usage)
{
	char want[512];

	snprintf(want, sizeof(want), "clipper: %s\nUsage: clipper %s", msg,
		 usage);
	ok(ret == 2 && nsent == 0 && !out_text[0] &&
	   !strncmp(err_text, want, strlen(want)),
	   "%s: usage error", what);
	if (strncmp(err_text, want, strlen(want))) {
		tap_diag("got", err_text);
		tap_diag("expected to start with", want);
	}
}

#define MAC_USAGE	"mac add MAC[/PREFIX] CLASS [comment TEXT]\n"
#define CLASS_USAGE	"class [list]\n"
#define CONFIG_USAGE	"config [show]\n"
#define CLASSES		"(one of: exempt, premium, express, standard, bulk)"

static void test_usage_errors(void)
{
	char long_text[CLIPPER_COMMENT_MAX + 1];
	const struct cl_object *m = &cl_obj_mac, *c = &cl_obj_class;
	const struct cl_object *g = &cl_obj_config;

	script_reset();
	usage_case("mac add", run(false, m, "add", NULL),
		   "mac add: a MAC address and a class are needed", MAC_USAGE);
	usage_case("mac add MAC", run(false, m, "add", "aa:bb:cc:dd:ee:ff",
				      NULL),
		   "mac add: a class is needed", MAC_USAGE);
	usage_case("mac add with a short MAC",
		   run(false, m, "add", "aa:bb:cc:dd:ee", "bulk", NULL),
		   "invalid MAC address \"aa:bb:cc:dd:ee\" (expected aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff)",
		   MAC_USAGE);
	usage_case("mac add with prefix 0",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff/0", "bulk", NULL),
		   "invalid prefix length in \"aa:bb:cc:dd:ee:ff/0\" (1..48)",
		   MAC_USAGE);
	usage_case("mac add with an unknown class",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff", "gold", NULL),
		   "unknown class \"gold\" " CLASSES, MAC_USAGE);
	usage_case("mac add, comment without text",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", "comment",
		       NULL),
		   "comment: a text is needed", MAC_USAGE);
	memset(long_text, 'x', CLIPPER_COMMENT_MAX);
	long_text[CLIPPER_COMMENT_MAX] = '\0';
	usage_case("mac add, 64-byte comment",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", "comment",
		       long_text, NULL),
		   "comment too long: 64 bytes, at most 63", MAC_USAGE);
	usage_case("mac add, two comments",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", "comment",
		       "a", "comment", "b", NULL),
		   "comment given twice", MAC_USAGE);
	usage_case("mac add, extra word",
		   run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", "now",
		       NULL),
		   "unexpected argument \"now\"", MAC_USAGE);
	usage_case("mac del", run(false, m, "del", NULL),
		   "mac del: a MAC address is needed", MAC_USAGE);
	usage_case("mac del, bad MAC", run(false, m, "del", "nope", NULL),
		   "invalid MAC address \"nope\" (expected " CL_MAC_FORMS ")",
		   MAC_USAGE);
	usage_case("mac del, prefix 49",
		   run(false, m, "del", "aa:bb:cc:dd:ee:ff/49", NULL),
		   "invalid prefix length in \"aa:bb:cc:dd:ee:ff/49\" (1..48)",
		   MAC_USAGE);
	usage_case("mac del, two MACs",
		   run(false, m, "del", "aa:bb:cc:dd:ee:ff", "aa:bb:cc:dd:ee:fe",
		       NULL),
		   "unexpected argument \"aa:bb:cc:dd:ee:fe\"", MAC_USAGE);

	usage_case("class set", run(false, c, "set", NULL),
		   "class set: a class is needed", CLASS_USAGE);
	usage_case("class set, unknown class",
		   run(false, c, "set", "gold", "mark", "1", NULL),
		   "unknown class \"gold\" " CLASSES, CLASS_USAGE);
	usage_case("class set without mark, priority or dscp",
		   run(false, c, "set", "bulk", NULL),
		   "class set: mark, priority or dscp is needed", CLASS_USAGE);
	usage_case("class set, mark 0",
		   run(false, c, "set", "bulk", "mark", "0", NULL),
		   "invalid mark \"0\" (a non-zero 32-bit number)", CLASS_USAGE);
	usage_case("class set, mark 0x100000000",
		   run(false, c, "set", "bulk", "mark", "0x100000000", NULL),
		   "invalid mark \"0x100000000\" (a non-zero 32-bit number)",
		   CLASS_USAGE);
	usage_case("class set, mark without value",
		   run(false, c, "set", "bulk", "mark", NULL),
		   "mark: a value is needed", CLASS_USAGE);
	usage_case("class set, two marks",
		   run(false, c, "set", "bulk", "mark", "1", "mark", "2", NULL),
		   "mark given twice", CLASS_USAGE);
	usage_case("class set, priority abc",
		   run(false, c, "set", "bulk", "priority", "abc", NULL),
		   "invalid priority \"abc\" (0..4294967294 or unchanged)",
		   CLASS_USAGE);
	usage_case("class set, priority 4294967295",
		   run(false, c, "set", "bulk", "priority", "4294967295", NULL),
		   "invalid priority \"4294967295\" (0..4294967294 or unchanged)",
		   CLASS_USAGE);
	usage_case("class set, unknown keyword",
		   run(false, c, "set", "bulk", "colour", "3", NULL),
		   "unexpected argument \"colour\"", CLASS_USAGE);
	usage_case("class default random",
		   run(false, c, "default", "random", NULL),
		   "class default random: a class is needed", CLASS_USAGE);
	usage_case("class default, unknown class",
		   run(false, c, "default", "gold", NULL),
		   "unknown class \"gold\" " CLASSES, CLASS_USAGE);
	usage_case("class default random, unknown class",
		   run(false, c, "default", "random", "none", NULL),
		   "unknown class \"none\" " CLASSES, CLASS_USAGE);
	usage_case("class default, two classes",
		   run(false, c, "default", "bulk", "premium", NULL),
		   "unexpected argument \"premium\"", CLASS_USAGE);
	usage_case("class default random, two classes",
		   run(false, c, "default", "random", "bulk", "premium", NULL),
		   "unexpected argument \"premium\"", CLASS_USAGE);

	usage_case("config set", run(false, g, "set", NULL),
		   "config set: a setting is needed", CONFIG_USAGE);
	usage_case("config set, unknown setting",
		   run(false, g, "set", "mac-min", "1", NULL),
		   "unknown setting \"mac-min\" (one of: mac-max, mac-counters, pmtu-max, pmtu-timeout, pmtu-retrans, pmtu-window, ws-max, ws-timeout)",
		   CONFIG_USAGE);
	usage_case("config set mac-max without value",
		   run(false, g, "set", "mac-max", NULL),
		   "mac-max: a value is needed", CONFIG_USAGE);
	usage_case("config set mac-max 0",
		   run(false, g, "set", "mac-max", "0", NULL),
		   "invalid mac-max \"0\" (1..16777216)", CONFIG_USAGE);
	usage_case("config set mac-max 16777217",
		   run(false, g, "set", "mac-max", "16777217", NULL),
		   "invalid mac-max \"16777217\" (1..16777216)", CONFIG_USAGE);
	usage_case("config set mac-max twice",
		   run(false, g, "set", "mac-max", "1", "mac-max", "2", NULL),
		   "mac-max given twice", CONFIG_USAGE);
}

/* ---- the requests ---- */

static void test_mac_requests(void)
{
	const struct cl_object *m = &cl_obj_mac;
	char text[CLIPPER_COMMENT_MAX];
	int ret;

	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "add", "aa:BB:cc:dd:ee:0f", "Premium", "comment",
		  "printer \"lab\"", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0], "mac add: exit 0, silent");
	check_sent("mac add", CLIPPER_CMD_MAC_ADD,
		   ADMIN | NLM_F_CREATE | NLM_F_EXCL, CLIPPER_A_MAC);
	ok(nest_addr("\xaa\xbb\xcc\xdd\xee\x0f"), "mac add: ADDR");
	ok(nest_u8(CLIPPER_MAC_A_CLASS, CLIPPER_CLASS_PREMIUM),
	   "mac add: CLASS premium");
	ok(nest[CLIPPER_MAC_A_COMMENT] &&
	   !mnl_attr_validate(nest[CLIPPER_MAC_A_COMMENT],
			      MNL_TYPE_NUL_STRING) &&
	   !strcmp(mnl_attr_get_str(nest[CLIPPER_MAC_A_COMMENT]),
		   "printer \"lab\""), "mac add: COMMENT");
	ok(nest_only(BIT(CLIPPER_MAC_A_ADDR) | BIT(CLIPPER_MAC_A_CLASS) |
		     BIT(CLIPPER_MAC_A_COMMENT)), "mac add: no PREFIX");

	script_reset();
	script_ack(0, NULL);
	memset(text, 'y', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	ret = run(false, m, "add", "00-1A-2B-00-00-00/24", "bulk", "comment",
		  text, NULL);
	is_int(ret, 0, "mac add /24, 63-byte comment: exit 0");
	check_sent("mac add /24", CLIPPER_CMD_MAC_ADD,
		   ADMIN | NLM_F_CREATE | NLM_F_EXCL, CLIPPER_A_MAC);
	ok(nest_addr("\x00\x1a\x2b\x00\x00\x00") &&
	   nest_u8(CLIPPER_MAC_A_PREFIX, 24) &&
	   nest_u8(CLIPPER_MAC_A_CLASS, CLIPPER_CLASS_BULK),
	   "mac add /24: ADDR, PREFIX 24, CLASS bulk");
	ok(nest[CLIPPER_MAC_A_COMMENT] &&
	   mnl_attr_get_payload_len(nest[CLIPPER_MAC_A_COMMENT]) == 64,
	   "mac add /24: the 63-byte comment and its NUL");

	/* Cisco's form and the bare one send the same address */
	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "add", "0016.3E12.3456", "bulk", NULL);
	is_int(ret, 0, "mac add 0016.3E12.3456: exit 0");
	check_sent("mac add 0016.3E12.3456", CLIPPER_CMD_MAC_ADD,
		   ADMIN | NLM_F_CREATE | NLM_F_EXCL, CLIPPER_A_MAC);
	ok(nest_addr("\x00\x16\x3e\x12\x34\x56") &&
	   nest_only(BIT(CLIPPER_MAC_A_ADDR) | BIT(CLIPPER_MAC_A_CLASS)),
	   "mac add 0016.3E12.3456: ADDR 00:16:3e:12:34:56");
	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "del", "00163e000000/24", NULL);
	is_int(ret, 0, "mac del 00163e000000/24: exit 0");
	check_sent("mac del 00163e000000/24", CLIPPER_CMD_MAC_DEL, ADMIN,
		   CLIPPER_A_MAC);
	ok(nest_addr("\x00\x16\x3e\x00\x00\x00") &&
	   nest_u8(CLIPPER_MAC_A_PREFIX, 24),
	   "mac del 00163e000000/24: ADDR and PREFIX 24");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "add", "02:00:00:00:00:01", "exempt", NULL);
	is_int(ret, 0, "mac add without comment: exit 0");
	check_sent("mac add without comment", CLIPPER_CMD_MAC_ADD,
		   ADMIN | NLM_F_CREATE | NLM_F_EXCL, CLIPPER_A_MAC);
	ok(nest_only(BIT(CLIPPER_MAC_A_ADDR) | BIT(CLIPPER_MAC_A_CLASS)) &&
	   nest_u8(CLIPPER_MAC_A_CLASS, CLIPPER_CLASS_EXEMPT),
	   "mac add without comment: ADDR and CLASS only");

	/* the kernel refuses: its extack message, exit 1 */
	script_reset();
	script_ack(-EEXIST, "MAC address already in the table");
	ret = run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", NULL);
	ok(ret == 1 && !out_text[0] &&
	   !strcmp(err_text, "clipper: MAC address already in the table\n"),
	   "mac add of a duplicate: exit 1 with the kernel's message");

	script_reset();
	script_ack(-ENOSPC, "MAC table full (mac-max 2)");
	ret = run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", NULL);
	ok(ret == 1 && !strcmp(err_text,
			       "clipper: MAC table full (mac-max 2)\n"),
	   "mac add to a full table: exit 1 with the kernel's message");

	script_reset();
	script_ack(-EPERM, NULL);
	ret = run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", NULL);
	ok(ret == 1 && !strcmp(err_text,
			       "clipper: Operation not permitted (needs CAP_NET_ADMIN)\n"),
	   "mac add without CAP_NET_ADMIN: exit 1, the errno's text");

	script_reset();
	script_ack(0, "comment cut");
	ret = run(false, m, "add", "aa:bb:cc:dd:ee:ff", "bulk", NULL);
	ok(ret == 0 && !strcmp(err_text, "clipper: warning: comment cut\n"),
	   "mac add acked with a warning: exit 0, warning shown");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "del", "aa-bb-cc-dd-ee-ff/48", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0], "mac del: exit 0, silent");
	check_sent("mac del", CLIPPER_CMD_MAC_DEL, ADMIN, CLIPPER_A_MAC);
	ok(nest_only(BIT(CLIPPER_MAC_A_ADDR) | BIT(CLIPPER_MAC_A_PREFIX)) &&
	   nest_addr("\xaa\xbb\xcc\xdd\xee\xff") &&
	   nest_u8(CLIPPER_MAC_A_PREFIX, 48), "mac del: ADDR and PREFIX 48");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "del", "aa:bb:cc:dd:ee:ff", NULL);
	is_int(ret, 0, "mac del without prefix: exit 0");
	check_sent("mac del without prefix", CLIPPER_CMD_MAC_DEL, ADMIN,
		   CLIPPER_A_MAC);
	ok(nest_only(BIT(CLIPPER_MAC_A_ADDR)), "mac del without prefix: ADDR only");

	script_reset();
	script_ack(-ENOENT, "no such MAC entry");
	ret = run(false, m, "del", "aa:bb:cc:dd:ee:ff", NULL);
	ok(ret == 1 && !strcmp(err_text, "clipper: no such MAC entry\n"),
	   "mac del of a missing entry: exit 1 with the kernel's message");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, m, "flush", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0], "mac flush: exit 0, silent");
	check_sent("mac flush", CLIPPER_CMD_MAC_FLUSH, ADMIN, 0);
}

static void script_mac(const char *addr, int prefix, uint8_t cls,
		       const char *comment, uint64_t packets, bool random)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;

	nlh = script_reply(CLIPPER_CMD_MAC_GET, true);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN, addr);
	if (prefix)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_PREFIX, prefix);
	mnl_attr_put_u8(nlh, CLIPPER_MAC_A_CLASS, cls);
	if (comment)
		mnl_attr_put_strz(nlh, CLIPPER_MAC_A_COMMENT, comment);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_PACKETS, packets);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_BYTES, packets * 100);
	mnl_attr_put_u64(nlh, CLIPPER_MAC_A_FLOWS, packets / 10);
	if (random)
		mnl_attr_put(nlh, CLIPPER_MAC_A_RANDOM, 0, NULL);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
}

static void test_mac_list_cmd(void)
{
	const struct cl_object *m = &cl_obj_mac;
	int ret;

	/* the kernel's order is kept */
	script_reset();
	script_mac("\x02\x00\x00\x00\x00\x09", 0, CLIPPER_CLASS_EXPRESS, NULL,
		   50, true);
	script_mac("\x00\x11\x22\x00\x00\x00", 24, CLIPPER_CLASS_EXEMPT,
		   "office", 1000, false);
	script_done(0, NULL);
	ret = run(false, m, "list", NULL);
	is_int(ret, 0, "mac list: exit 0");
	check_sent("mac list", CLIPPER_CMD_MAC_GET, ADMIN | NLM_F_DUMP, 0);
	is_str(out_text,
	       "MAC                   CLASS    PACKETS   BYTES  FLOWS\n"
	       "02:00:00:00:00:09     express       50    5000      5  random\n"
	       "00:11:22:00:00:00/24  exempt      1000  100000    100          office\n",
	       "mac list: the table");

	script_reset();
	script_mac("\x02\x00\x00\x00\x00\x09", 0, CLIPPER_CLASS_EXPRESS, NULL,
		   50, true);
	script_done(0, NULL);
	ret = run(true, m, "list", NULL);
	ok(ret == 0 && !strcmp(out_text,
			       "[{\"mac\":\"02:00:00:00:00:09\",\"prefix\":48,"
			       "\"class\":\"express\",\"packets\":50,"
			       "\"bytes\":5000,\"flows\":5,\"random\":true,"
			       "\"comment\":\"\"}]\n"),
	   "mac list -j: the array");

	script_reset();
	script_done(0, NULL);
	ret = run(false, m, "list", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0],
	   "mac list of an empty table: nothing");
	script_reset();
	script_done(0, NULL);
	ret = run(true, m, "list", NULL);
	ok(ret == 0 && !strcmp(out_text, "[]\n"), "mac list -j of an empty table: []");

	/* a dump that fails half way prints nothing but the error */
	script_reset();
	script_mac("\x02\x00\x00\x00\x00\x09", 0, CLIPPER_CLASS_EXPRESS, NULL,
		   50, true);
	script_done(-EINTR, "dump interrupted, try again");
	ret = run(true, m, "list", NULL);
	ok(ret == 1 && !out_text[0] &&
	   !strcmp(err_text, "clipper: dump interrupted, try again\n"),
	   "mac list failing half way: exit 1, no partial output");
}

/* A stuck path of the second generation, as a dump part. */
static void script_pmtu_stuck(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;

	nlh = script_reply(CLIPPER_CMD_PMTU_GET, true);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, 4, "\xc6\x33\x64\x07");
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MTU, 700);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_STATE, CLIPPER_PMTU_STUCK);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_FIXES, 1);
	mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_AGE, 2000);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SCOPE, CLIPPER_PMTU_SCOPE_FLOW);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_LEARNED, CLIPPER_PMTU_LEARNED_STUCK);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SENDERS, 1);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_PASSED, 1500);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_OUTAGES, 0);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_LEN, 1400);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_STUCK_RESENDS, 4);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
}

/* An IPv6 black hole found from the receiving side, a flow not repaired. */
static void script_pmtu_rx(void)
{
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 0x42 };
	struct nlmsghdr *nlh;
	struct nlattr *n;

	nlh = script_reply(CLIPPER_CMD_PMTU_GET, true);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_PMTU);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_FAMILY, AF_INET6);
	mnl_attr_put(nlh, CLIPPER_PMTU_A_DST, sizeof(dst), dst);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_MTU, 1280);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_STATE, CLIPPER_PMTU_BLACKHOLE);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_FIXES, 1);
	mnl_attr_put_u64(nlh, CLIPPER_PMTU_A_AGE, 3000);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_ICMP_SENT, 2);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SCOPE, CLIPPER_PMTU_SCOPE_FLOW);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_LEARNED, CLIPPER_PMTU_LEARNED_PROBE);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_SENDERS, 1);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_PASSED, 0);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_OUTAGES, 1);
	mnl_attr_put_u8(nlh, CLIPPER_PMTU_A_SIDE, CLIPPER_PMTU_SIDE_RX);
	mnl_attr_put_u32(nlh, CLIPPER_PMTU_A_UNREPAIRED, 2);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
}

static void test_pmtu_list_cmd(void)
{
	const struct cl_object *p = &cl_obj_pmtu;
	int ret;

	script_reset();
	script_pmtu_stuck();
	script_done(0, NULL);
	ret = run(false, p, "list", NULL);
	is_int(ret, 0, "pmtu list: exit 0");
	check_sent("pmtu list", CLIPPER_CMD_PMTU_GET, ADMIN | NLM_F_DUMP, 0);
	is_str(out_text,
	       "FAMILY  DST             MTU  STATE      DETECTED              FIXES        AGE   SCOPE  LEARNED  SENDERS  PASSED  OUTAGES\n"
	       "ipv4    198.51.100.7    700  stuck      -                     icmp         2.0s  flow   stuck          1    1500        0\n"
	       "        stuck segment: length 1400, resent 4 times, not a path MTU problem\n",
	       "pmtu list: the table, the stuck segment under its path");

	script_reset();
	script_pmtu_stuck();
	script_done(0, NULL);
	ret = run(true, p, "list", NULL);
	ok(ret == 0 && !strcmp(out_text,
			       "[{\"family\":\"ipv4\",\"dst\":\"198.51.100.7\","
			       "\"mtu\":700,\"state\":\"stuck\",\"detected\":null,"
			       "\"detected_ms_ago\":null,\"fixes\":[\"icmp\"],"
			       "\"age_ms\":2000,\"detections\":0,\"icmp_sent\":0,"
			       "\"df_cleared\":0,\"mss_clamped\":0,"
			       "\"scope\":\"flow\",\"learned\":\"stuck\","
			       "\"senders\":1,\"passed\":1500,\"outages\":0,"
			       "\"side\":\"tx\",\"unrepaired\":0,"
			       "\"stuck_len\":1400,\"stuck_resends\":4}]\n"),
	   "pmtu list -j: the array");

	/* a module of the second generation (no SIDE) and one with it */
	script_reset();
	script_pmtu_stuck();
	script_pmtu_rx();
	script_done(0, NULL);
	ret = run(false, p, "list", NULL);
	is_int(ret, 0, "pmtu list with a receiving-side path: exit 0");
	is_str(out_text,
	       "FAMILY  DST             MTU  STATE      DETECTED              FIXES        AGE   SCOPE  LEARNED  SENDERS  PASSED  OUTAGES\n"
	       "ipv4    198.51.100.7    700  stuck      -                     icmp         2.0s  flow   stuck          1    1500        0\n"
	       "        stuck segment: length 1400, resent 4 times, not a path MTU problem\n"
	       "ipv6    2001:db8::42   1280  blackhole  -                     icmp         3.0s  flow   probe          1       -        1\n"
	       "        found from the receiving side: the resends vanished before this host\n"
	       "        not repaired: 2 flows stayed at full size after clipper's packet-too-big (filtered on the way, or ignored by the sender)\n",
	       "pmtu list: side rx and flows not repaired, a line each under the path");

	script_reset();
	script_pmtu_stuck();
	script_pmtu_rx();
	script_done(0, NULL);
	ret = run(true, p, "list", NULL);
	ok(ret == 0 &&
	   strstr(out_text, "\"outages\":0,\"side\":\"tx\",\"unrepaired\":0,") &&
	   strstr(out_text, "\"outages\":1,\"side\":\"rx\",\"unrepaired\":2}]\n"),
	   "pmtu list -j: side \"tx\" when not sent, \"rx\"; unrepaired");

	script_reset();
	script_done(0, NULL);
	ret = run(true, p, "list", NULL);
	ok(ret == 0 && !strcmp(out_text, "[]\n"),
	   "pmtu list -j of an empty table: []");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, p, "flush", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0],
	   "pmtu flush: exit 0, silent");
	check_sent("pmtu flush", CLIPPER_CMD_PMTU_FLUSH, ADMIN, 0);
}

static void test_class_requests(void)
{
	const struct cl_object *c = &cl_obj_class;
	struct nlmsghdr *nlh;
	struct nlattr *n;
	int ret;

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "set", "PREMIUM", "mark", "0x0a", "priority",
		  "unchanged", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0], "class set: exit 0, silent");
	check_sent("class set", CLIPPER_CMD_CLASS_SET, ADMIN, CLIPPER_A_CLASS);
	ok(nest_only(BIT(CLIPPER_CLASS_A_ID) | BIT(CLIPPER_CLASS_A_MARK) |
		     BIT(CLIPPER_CLASS_A_PRIORITY)) &&
	   nest_u8(CLIPPER_CLASS_A_ID, CLIPPER_CLASS_PREMIUM) &&
	   nest_u32(CLIPPER_CLASS_A_MARK, 10) &&
	   nest_u32(CLIPPER_CLASS_A_PRIORITY, CLIPPER_PRIORITY_UNCHANGED),
	   "class set: ID premium, MARK 10, PRIORITY unchanged");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "set", "bulk", "priority", "0", NULL);
	is_int(ret, 0, "class set priority 0: exit 0");
	check_sent("class set priority", CLIPPER_CMD_CLASS_SET, ADMIN,
		   CLIPPER_A_CLASS);
	ok(nest_only(BIT(CLIPPER_CLASS_A_ID) | BIT(CLIPPER_CLASS_A_PRIORITY)) &&
	   nest_u8(CLIPPER_CLASS_A_ID, CLIPPER_CLASS_BULK) &&
	   nest_u32(CLIPPER_CLASS_A_PRIORITY, 0),
	   "class set priority 0: ID bulk, PRIORITY 0, no MARK");

	{
		static const struct { const char *in; int out; } d[] = {
			{ "EF", 46 }, { "ef", 46 }, { "AF41", 34 }, { "af11", 10 },
			{ "AF43", 38 }, { "CS0", 0 }, { "CS7", 56 }, { "0", 0 },
			{ "63", 63 }, { "0x2e", 46 }, { "unchanged", CLIPPER_DSCP_UNCHANGED },
			{ "64", -1 }, { "-1", -1 }, { "AF44", -1 }, { "AF51", -1 },
			{ "CS8", -1 }, { "E", -1 }, { "", -1 }, { "46x", -1 },
		};
		char buf[16];
		unsigned int i;

		for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
			is_int(cl_dscp_parse(d[i].in), d[i].out, "dscp \"%s\"", d[i].in);
		is_str(cl_dscp_name(46, buf, sizeof(buf)), "EF", "dscp name 46");
		is_str(cl_dscp_name(34, buf, sizeof(buf)), "AF41", "dscp name 34");
		is_str(cl_dscp_name(8, buf, sizeof(buf)), "CS1", "dscp name 8");
		is_str(cl_dscp_name(9, buf, sizeof(buf)), "9", "dscp name 9");
		is_str(cl_dscp_name(CLIPPER_DSCP_UNCHANGED, buf, sizeof(buf)),
		       "unchanged", "dscp name unchanged");
	}

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "set", "premium", "dscp", "EF", NULL);
	is_int(ret, 0, "class set dscp EF: exit 0");
	check_sent("class set dscp", CLIPPER_CMD_CLASS_SET, ADMIN,
		   CLIPPER_A_CLASS);
	ok(nest_only(BIT(CLIPPER_CLASS_A_ID) | BIT(CLIPPER_CLASS_A_DSCP)) &&
	   nest_u8(CLIPPER_CLASS_A_DSCP, 46),
	   "class set dscp EF: DSCP 46, nothing else");
	ret = run(false, c, "set", "premium", "dscp", "AF44", NULL);
	is_int(ret, CL_EXIT_USAGE, "class set dscp AF44: usage error");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "set", "exempt", "mark", "4294967295", NULL);
	is_int(ret, 0, "class set mark: exit 0");
	check_sent("class set mark", CLIPPER_CMD_CLASS_SET, ADMIN,
		   CLIPPER_A_CLASS);
	ok(nest_only(BIT(CLIPPER_CLASS_A_ID) | BIT(CLIPPER_CLASS_A_MARK)) &&
	   nest_u32(CLIPPER_CLASS_A_MARK, 0xffffffff),
	   "class set mark: MARK 0xffffffff, no PRIORITY");

	script_reset();
	script_ack(-EBUSY, "mark 20 is express's");
	ret = run(false, c, "set", "bulk", "mark", "20", NULL);
	ok(ret == 1 && !strcmp(err_text, "clipper: mark 20 is express's\n"),
	   "class set refused: exit 1 with the kernel's message");

	script_reset();
	nlh = script_reply(CLIPPER_CMD_CLASS_GET, true);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, CLIPPER_CLASS_EXEMPT);
	mnl_attr_put_strz(nlh, CLIPPER_CLASS_A_NAME, "exempt");
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MARK, 100);
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_PRIORITY,
			 CLIPPER_PRIORITY_UNCHANGED);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
	nlh = script_reply(CLIPPER_CMD_CLASS_GET, true);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_CLASS);
	mnl_attr_put_u8(nlh, CLIPPER_CLASS_A_ID, CLIPPER_CLASS_PREMIUM);
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_MARK, 10);
	mnl_attr_put_u32(nlh, CLIPPER_CLASS_A_PRIORITY, 6);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_PACKETS, 3);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_BYTES, 180);
	mnl_attr_put_u64(nlh, CLIPPER_CLASS_A_FLOWS, 1);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
	script_done(0, NULL);
	ret = run(false, c, "list", NULL);
	is_int(ret, 0, "class list: exit 0");
	check_sent("class list", CLIPPER_CMD_CLASS_GET, ADMIN | NLM_F_DUMP, 0);
	is_str(out_text,
	       "CLASS    MARK   PRIORITY       DSCP  PACKETS  BYTES  FLOWS\n"
	       "exempt    100  unchanged  unchanged        0      0      0\n"
	       "premium    10          6  unchanged        3    180      1\n",
	       "class list: the table");
}

static void script_config(uint8_t def, uint8_t rnd, uint32_t max,
			  uint32_t count)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;

	nlh = script_reply(CLIPPER_CMD_CONFIG_GET, false);
	n = mnl_attr_nest_start(nlh, CLIPPER_A_CONFIG);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_DEFAULT_CLASS, def);
	mnl_attr_put_u8(nlh, CLIPPER_CONFIG_A_RANDOM_CLASS, rnd);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_MAX, max);
	mnl_attr_put_u32(nlh, CLIPPER_CONFIG_A_MAC_COUNT, count);
	mnl_attr_nest_end(nlh, n);
	script_end_msg(nlh);
	script_ack(0, NULL);
}

static void test_config_requests(void)
{
	const struct cl_object *c = &cl_obj_class, *g = &cl_obj_config;
	int ret;

	script_reset();
	script_config(CLIPPER_CLASS_STANDARD, CLIPPER_CLASS_STANDARD, 65536, 0);
	ret = run(false, c, "default", NULL);
	is_int(ret, 0, "class default: exit 0");
	check_sent("class default", CLIPPER_CMD_CONFIG_GET, ADMIN, 0);
	is_str(out_text, "default standard\nrandom standard\n",
	       "class default: the two classes");

	script_reset();
	script_config(CLIPPER_CLASS_BULK, CLIPPER_CLASS_EXPRESS, 100, 7);
	ret = run(true, c, "default", NULL);
	ok(ret == 0 && !strcmp(out_text,
			       "{\"default\":\"bulk\",\"random\":\"express\","
			       "\"mac_max\":100,\"mac_count\":7}\n"),
	   "class default -j");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "default", "Bulk", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0],
	   "class default CLASS: exit 0, silent");
	check_sent("class default CLASS", CLIPPER_CMD_CONFIG_SET, ADMIN,
		   CLIPPER_A_CONFIG);
	ok(nest_only(BIT(CLIPPER_CONFIG_A_DEFAULT_CLASS)) &&
	   nest_u8(CLIPPER_CONFIG_A_DEFAULT_CLASS, CLIPPER_CLASS_BULK),
	   "class default CLASS: DEFAULT_CLASS bulk only");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, c, "default", "random", "premium", NULL);
	is_int(ret, 0, "class default random CLASS: exit 0");
	check_sent("class default random CLASS", CLIPPER_CMD_CONFIG_SET, ADMIN,
		   CLIPPER_A_CONFIG);
	ok(nest_only(BIT(CLIPPER_CONFIG_A_RANDOM_CLASS)) &&
	   nest_u8(CLIPPER_CONFIG_A_RANDOM_CLASS, CLIPPER_CLASS_PREMIUM),
	   "class default random CLASS: RANDOM_CLASS premium only");

	script_reset();
	script_config(CLIPPER_CLASS_STANDARD, CLIPPER_CLASS_BULK, 65536, 12);
	ret = run(false, g, "show", NULL);
	is_int(ret, 0, "config show: exit 0");
	check_sent("config show", CLIPPER_CMD_CONFIG_GET, ADMIN, 0);
	is_str(out_text,
	       "default standard\nrandom bulk\nmac-max 65536\nmac-count 12\n",
	       "config show: every setting");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, g, "set", "mac-max", "0x100", NULL);
	ok(ret == 0 && !out_text[0] && !err_text[0],
	   "config set mac-max: exit 0, silent");
	check_sent("config set mac-max", CLIPPER_CMD_CONFIG_SET, ADMIN,
		   CLIPPER_A_CONFIG);
	ok(nest_only(BIT(CLIPPER_CONFIG_A_MAC_MAX)) &&
	   nest_u32(CLIPPER_CONFIG_A_MAC_MAX, 256),
	   "config set mac-max: MAC_MAX 256 only");

	script_reset();
	script_ack(0, NULL);
	ret = run(false, g, "set", "mac-max", "16777216", NULL);
	check_sent("config set mac-max 16777216", CLIPPER_CMD_CONFIG_SET,
		   ADMIN, CLIPPER_A_CONFIG);
	ok(ret == 0 && nest_u32(CLIPPER_CONFIG_A_MAC_MAX, 16777216),
	   "config set mac-max 16777216: the largest");

	script_reset();
	script_ack(-ERANGE, "mac-max below the 12 entries in the table");
	ret = run(false, g, "set", "mac-max", "1", NULL);
	ok(ret == 1 && !strcmp(err_text,
			       "clipper: mac-max below the 12 entries in the table\n"),
	   "config set refused: exit 1 with the kernel's message");
}

/* version asks without CLIPPER_A_PROTOCOL: an older module answers too */
static void test_version_cmd(void)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)sent;
	struct nlmsghdr *r;
	char want[128];
	int ret;

	script_reset();
	r = script_reply(CLIPPER_CMD_VERSION_GET, false);
	mnl_attr_put_strz(r, CLIPPER_A_VERSION, "0.1.0");
	script_end_msg(r);
	script_ack(0, NULL);
	ret = run(false, &cl_obj_version, "show", NULL);
	is_int(ret, 0, "version: exit 0");
	ok(nsent == 1 && sent_len == nlh->nlmsg_len &&
	   nlh->nlmsg_type == FAMILY &&
	   ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd ==
	   CLIPPER_CMD_VERSION_GET, "version: one VERSION_GET sent");
	ok(nlh->nlmsg_len == NLMSG_HDRLEN + GENL_HDRLEN,
	   "version: no attribute, no protocol the module could refuse");
	snprintf(want, sizeof(want),
		 "clipper utility %s, module 0.1.0, protocol %u\n",
		 CLIPPER_VERSION, CLIPPER_PROTOCOL);
	is_str(out_text, want, "version: the line");
}

int main(void)
{
	ctx.connected = true;		/* the socket is the fake above */
	ctx.nl.portid = PORTID;
	ctx.nl.family_id = FAMILY;

	test_mac_parse();
	test_class_names();
	test_parse_u32();
	test_usage_errors();
	test_mac_requests();
	test_mac_list_cmd();
	test_pmtu_list_cmd();
	test_class_requests();
	test_config_requests();
	test_version_cmd();
	free(out_text);
	free(err_text);
	return tap_done();
}

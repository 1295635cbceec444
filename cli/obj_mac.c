// SPDX-License-Identifier: GPL-2.0
/*
 * clipper mac: the MAC table, which puts each LAN client (a source MAC, or
 * a MAC prefix) in a class.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "obj.h"

static_assert(CL_MAC_ADDR_LEN == ETH_ALEN,
	      "the spec's MAC address is not ETH_ALEN bytes");

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The address part of MAC[/PREFIX]: six octets of one or two hex digits
 * split by ':' or by '-' (not both), three groups of four hex digits split
 * by '.' (Cisco), or twelve hex digits; any case.  Returns where the
 * address ends (anything but the end or "/" there is the caller's to
 * refuse), or NULL.
 */
static const char *mac_addr_parse(const char *s, uint8_t *addr)
{
	unsigned int i, k, n;
	const char *p = s;
	char sep;
	int d;

	for (n = 0; hexval(s[n]) >= 0; n++)
		;
	if (n == 12 || (n == 4 && s[4] == '.')) {
		/* aabbccddeeff, aabb.ccdd.eeff */
		for (i = 0; i < ETH_ALEN; i++) {
			if (n == 4 && i && !(i & 1)) {
				if (*p != '.')
					return NULL;
				p++;
			}
			for (k = 0, d = 0; k < 2; k++, p++) {
				if (hexval(*p) < 0)
					return NULL;
				d = d << 4 | hexval(*p);
			}
			addr[i] = d;
		}
		return p;
	}
	if (n < 1 || n > 2 || (s[n] != ':' && s[n] != '-'))
		return NULL;
	sep = s[n];
	for (i = 0; i < ETH_ALEN; i++) {
		if (i) {
			if (*p != sep)
				return NULL;
			p++;
		}
		for (k = 0, d = 0; k < 2 && hexval(*p) >= 0; k++, p++)
			d = d << 4 | hexval(*p);
		if (!k)
			return NULL;
		addr[i] = d;
	}
	return p;
}

int cl_mac_parse(const char *s, struct cl_mac_addr *m)
{
	unsigned int plen = 0;
	const char *p;

	p = mac_addr_parse(s, m->addr);
	if (!p)
		return -EINVAL;
	m->prefix = CL_MAC_BITS;
	m->has_prefix = false;
	if (!*p)
		return 0;
	if (*p++ != '/')
		return -EINVAL;
	if (!*p)
		return -ERANGE;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -ERANGE;
		if (plen <= CL_MAC_BITS)
			plen = plen * 10 + (*p - '0');
	}
	if (plen < 1 || plen > CL_MAC_BITS)
		return -ERANGE;
	m->prefix = plen;
	m->has_prefix = true;
	return 0;
}

void cl_mac_format(char *buf, size_t len, const uint8_t *addr,
		   unsigned int prefix)
{
	int n;

	n = snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		     addr[0], addr[1], addr[2], addr[3], addr[4], addr[5]);
	if (prefix < CL_MAC_BITS && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, "/%u", prefix);
}

/* MAC[/PREFIX] on the command line: 0 or a usage error. */
static int mac_arg(const char *s, struct cl_mac_addr *m)
{
	switch (cl_mac_parse(s, m)) {
	case 0:
		return 0;
	case -ERANGE:
		return cl_usage_error(&cl_obj_mac,
				      "invalid prefix length in \"%s\" (1..%d)",
				      s, CL_MAC_BITS);
	default:
		return cl_usage_error(&cl_obj_mac,
				      "invalid MAC address \"%s\" (expected " CL_MAC_FORMS ")",
				      s);
	}
}

int cl_mac_add_args(int argc, char **argv, struct cl_mac_req *r)
{
	size_t len;
	int i;

	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return cl_usage_error(&cl_obj_mac,
				      "mac add: a MAC address and a class are needed");
	if (mac_arg(argv[0], &r->mac))
		return CL_EXIT_USAGE;
	if (argc < 2)
		return cl_usage_error(&cl_obj_mac, "mac add: a class is needed");
	if (cl_class_arg(&cl_obj_mac, argv[1], &r->cls))
		return CL_EXIT_USAGE;
	for (i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "comment"))
			return cl_usage_error(&cl_obj_mac,
					      "unexpected argument \"%s\"",
					      argv[i]);
		if (r->comment)
			return cl_usage_error(&cl_obj_mac,
					      "comment given twice");
		if (i + 1 >= argc)
			return cl_usage_error(&cl_obj_mac,
					      "comment: a text is needed");
		len = strlen(argv[i + 1]);
		if (len >= CLIPPER_COMMENT_MAX)
			return cl_usage_error(&cl_obj_mac,
					      "comment too long: %zu bytes, at most %d",
					      len, CLIPPER_COMMENT_MAX - 1);
		r->comment = argv[i + 1];
	}
	return 0;
}

int cl_mac_del_args(int argc, char **argv, struct cl_mac_req *r)
{
	memset(r, 0, sizeof(*r));
	if (argc < 1)
		return cl_usage_error(&cl_obj_mac,
				      "mac del: a MAC address is needed");
	if (argc > 1 && !strcmp(argv[1], "reclassify")) {
		r->reclassify = true;
		argc--;
	}
	if (argc > 1)
		return cl_usage_error(&cl_obj_mac, "unexpected argument \"%s\"",
				      argv[1]);
	return mac_arg(argv[0], &r->mac);
}

int cl_mac_flush_args(int argc, char **argv, struct cl_mac_req *r)
{
	memset(r, 0, sizeof(*r));
	r->no_addr = true;
	if (argc > 0 && !strcmp(argv[0], "reclassify")) {
		r->reclassify = true;
		argc--;
		argv++;
	}
	if (argc > 0)
		return cl_usage_error(&cl_obj_mac, "unexpected argument \"%s\"",
				      argv[0]);
	return 0;
}

void cl_mac_req_put(struct nlmsghdr *nlh, const void *arg)
{
	const struct cl_mac_req *r = arg;
	struct nlattr *nest;

	if (r->no_addr && !r->reclassify)
		return;
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_MAC);
	if (r->reclassify)
		mnl_attr_put(nlh, CLIPPER_MAC_A_RECLASSIFY, 0, NULL);
	if (r->no_addr) {
		mnl_attr_nest_end(nlh, nest);
		return;
	}
	mnl_attr_put(nlh, CLIPPER_MAC_A_ADDR, ETH_ALEN, r->mac.addr);
	if (r->mac.has_prefix)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_PREFIX, r->mac.prefix);
	if (r->cls)
		mnl_attr_put_u8(nlh, CLIPPER_MAC_A_CLASS, r->cls);
	/* an empty comment is no comment */
	if (r->comment && r->comment[0])
		mnl_attr_put_strz(nlh, CLIPPER_MAC_A_COMMENT, r->comment);
	mnl_attr_nest_end(nlh, nest);
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

int cl_mac_reply_parse(const struct nlmsghdr *nlh, void *data,
		       struct cl_nl_err *err)
{
	const struct nlattr *mtb[CLIPPER_MAC_A_MAX + 1];
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_mac_list *l = data;
	struct cl_mac_entry *e;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CLIPPER_A_MAC])
		return cl_bad_reply(err, "no MAC entry");
	ret = cl_attr_parse_nested(tb[CLIPPER_A_MAC], cl_mac_pol,
				   CLIPPER_MAC_A_MAX, mtb, err);
	if (ret)
		return ret;
	/* the spec's exact length: MNL_TYPE_BINARY checks none */
	if (!mtb[CLIPPER_MAC_A_ADDR] ||
	    mnl_attr_get_payload_len(mtb[CLIPPER_MAC_A_ADDR]) != CL_MAC_ADDR_LEN)
		return cl_bad_reply(err, "bad MAC address");
	if (mtb[CLIPPER_MAC_A_PREFIX]) {
		ret = mnl_attr_get_u8(mtb[CLIPPER_MAC_A_PREFIX]);
		if (ret < 1 || ret > CL_MAC_BITS)
			return cl_bad_reply(err, "bad MAC prefix length");
	}

	e = cl_array_grow(l->e, &l->alloc, l->n, sizeof(*l->e));
	if (!e)
		return cl_nomem(err);
	l->e = e;
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	memcpy(e->addr, mnl_attr_get_payload(mtb[CLIPPER_MAC_A_ADDR]),
	       ETH_ALEN);
	e->prefix = mtb[CLIPPER_MAC_A_PREFIX] ?
		    mnl_attr_get_u8(mtb[CLIPPER_MAC_A_PREFIX]) :
		    CL_MAC_BITS;
	if (mtb[CLIPPER_MAC_A_CLASS])
		e->cls = mnl_attr_get_u8(mtb[CLIPPER_MAC_A_CLASS]);
	if (mtb[CLIPPER_MAC_A_COMMENT])
		cl_copy_str(e->comment, sizeof(e->comment),
			    mnl_attr_get_str(mtb[CLIPPER_MAC_A_COMMENT]));
	e->packets = get_u64(mtb[CLIPPER_MAC_A_PACKETS]);
	e->bytes = get_u64(mtb[CLIPPER_MAC_A_BYTES]);
	e->flows = get_u64(mtb[CLIPPER_MAC_A_FLOWS]);
	e->random = !!mtb[CLIPPER_MAC_A_RANDOM];
	return 0;
}

void cl_mac_list_free(struct cl_mac_list *l)
{
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static void mac_row(size_t i, const void *data)
{
	const struct cl_mac_list *l = data;
	const struct cl_mac_entry *e = &l->e[i];
	char mac[CL_MAC_STR_LEN], cls[CL_CLASS_NAME_LEN];

	print_open_object(NULL);
	/* the prefix has its own key: "mac" is always the address */
	cl_mac_format(mac, sizeof(mac), e->addr, CL_MAC_BITS);
	print_string(PRINT_JSON, "mac", NULL, mac);
	print_uint(PRINT_JSON, "prefix", NULL, e->prefix);
	cl_mac_format(mac, sizeof(mac), e->addr, e->prefix);
	print_string(PRINT_FP, NULL, NULL, mac);
	print_string(PRINT_ANY, "class", NULL,
		     cl_class_name(e->cls, cls, sizeof(cls)));
	print_u64(PRINT_ANY, "packets", NULL, e->packets);
	print_u64(PRINT_ANY, "bytes", NULL, e->bytes);
	print_u64(PRINT_ANY, "flows", NULL, e->flows);
	print_bool(PRINT_JSON, "random", NULL, e->random);
	print_string(PRINT_FP, NULL, NULL, e->random ? "random" : "");
	/* the text is cleaned of control characters: a table stays one */
	print_string(PRINT_ANY, "comment", NULL, e->comment);
	print_close_object();
}

/*
 * Columns as wide as their widest cell, numbers to the right; then
 * "random" for a locally administered address and the comment, which
 * have no heading.  Nothing at all for an empty table.
 */
void cl_mac_list_print(struct cl_ctx *ctx, const struct cl_mac_list *l)
{
	static const struct print_col cols[] = {
		{ .head = "MAC" },
		{ .head = "CLASS" },
		{ .head = "PACKETS", .right = true },
		{ .head = "BYTES", .right = true },
		{ .head = "FLOWS", .right = true },
		{ .head = "" },		/* random */
		{ .head = "" },		/* the comment */
	};

	print_start(ctx);
	print_open_array(NULL);
	print_table(cols, ARRAY_SIZE(cols), l->n, mac_row, l);
	print_close_array();
	print_end();
}

static int mac_add(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_mac_req r;
	int ret;

	ret = cl_mac_add_args(argc, argv, &r);
	if (ret)
		return ret;
	return cl_request_put(ctx, CLIPPER_CMD_MAC_ADD,
			      NLM_F_CREATE | NLM_F_EXCL, cl_mac_req_put, &r,
			      NULL, NULL);
}

static int mac_del(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_mac_req r;
	int ret;

	ret = cl_mac_del_args(argc, argv, &r);
	if (ret)
		return ret;
	return cl_request_put(ctx, CLIPPER_CMD_MAC_DEL, 0, cl_mac_req_put, &r,
			      NULL, NULL);
}

static int mac_list(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_mac_list l = { 0 };
	int ret;

	(void)argc;
	(void)argv;
	ret = cl_request(ctx, CLIPPER_CMD_MAC_GET, NLM_F_DUMP,
			 cl_mac_reply_parse, &l);
	if (!ret)
		cl_mac_list_print(ctx, &l);
	cl_mac_list_free(&l);
	return ret;
}

static int mac_flush(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_mac_req r;
	int ret;

	ret = cl_mac_flush_args(argc, argv, &r);
	if (ret)
		return ret;
	return cl_request_put(ctx, CLIPPER_CMD_MAC_FLUSH, 0, cl_mac_req_put,
			      &r, NULL, NULL);
}

static const char *const mac_usage[] = {
	"mac add MAC[/PREFIX] CLASS [comment TEXT]",
	"mac del MAC[/PREFIX] [reclassify]",
	"mac [list]",
	"mac flush [reclassify]",
	NULL
};

static const char *const mac_where[] = {
	"MAC := { aa:bb:cc:dd:ee:ff | aa-bb-cc-dd-ee-ff | aabb.ccdd.eeff |",
	"         aabbccddeeff } (hex digits, any case; an octet may be one",
	"         digit between colons or dashes)",
	"PREFIX := 1..48 (leading bits of MAC that must match)",
	"CLASS := { exempt | premium | express | standard | bulk }",
	"TEXT := at most 63 bytes",
	"reclassify: running flows of the entry's class take their class",
	"            again, from the table as it is now",
	NULL
};

static const struct cl_verb mac_verbs[] = {
	{ "add", mac_add, -1 },
	{ "del", mac_del, -1 },
	{ "list", mac_list, 0 },
	{ "flush", mac_flush, 1 },
	{ }
};

const struct cl_object cl_obj_mac = {
	.name		= "mac",
	.usage		= mac_usage,
	.where		= mac_where,
	.default_verb	= "list",
	.verbs		= mac_verbs,
};

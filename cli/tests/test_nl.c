// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: unit tests of the netlink layer: error and extack parsing, the
 * receive loop and attribute parsing on made-up messages, then a few live
 * requests to the generic netlink controller (skipped if the host has no
 * generic netlink), which need no clipper module.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "clipper.h"
#include "nl.h"
#include "tap.h"

#define PORTID	4242
#define SEQ	77
#define FAMILY	0x20	/* some generic netlink family id */

static char buf[8192] __attribute__((aligned(8)));
static char orig[256] __attribute__((aligned(8)));

/* A request like the ones cl_nl_req() makes. */
static struct nlmsghdr *make_request(void)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	memset(orig, 0, sizeof(orig));
	nlh = mnl_nlmsg_put_header(orig);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = SEQ;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CLIPPER_CMD_STATUS_GET;
	genl->version = CLIPPER_GENL_VERSION;
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 99);
	return nlh;
}

/* An NLMSG_ERROR for make_request() at p, as the kernel builds it. */
static struct nlmsghdr *put_error(void *p, int error, bool capped,
				  bool tlvs)
{
	struct nlmsghdr *req = make_request();
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	size_t rest;

	nlh = mnl_nlmsg_put_header(p);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			   (tlvs ? NLM_F_ACK_TLVS : 0);
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	memcpy(&e->msg, req, sizeof(*req));
	if (!capped) {
		rest = req->nlmsg_len - sizeof(*req);
		memcpy(mnl_nlmsg_put_extra_header(nlh, rest),
		       (char *)req + sizeof(*req), rest);
	}
	return nlh;
}

static struct nlmsghdr *make_error(int error, bool capped, bool tlvs)
{
	memset(buf, 0, sizeof(buf));
	return put_error(buf, error, capped, tlvs);
}

static void test_parse_error(void)
{
	struct cl_nl_err err;
	struct nlmsghdr *nlh;
	int ret;

	/* capped, with a message and an offset */
	nlh = make_error(-EINVAL, true, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "bad \"protocol\" value");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EINVAL, "capped: error code returned");
	is_int(err.err, EINVAL, "capped: errno recorded");
	is_str(err.msg, "bad \"protocol\" value", "capped: extack message");
	ok(err.has_offs && err.offs == 20, "capped: extack offset");

	/* not capped: the whole request comes back before the TLVs */
	nlh = make_error(-EPROTONOSUPPORT, false, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG,
			  "protocol version newer than this kernel module supports: update the module");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EPROTONOSUPPORT, "uncapped: error code returned");
	is_str(err.msg,
	       "protocol version newer than this kernel module supports: update the module",
	       "uncapped: extack message after the echoed request");
	ok(!err.has_offs, "uncapped: no offset");

	/* unknown TLVs are skipped */
	nlh = make_error(-EPERM, true, true);
	mnl_attr_put_u32(nlh, 99, 1);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "after an unknown one");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EPERM, "unknown TLV: error code");
	is_str(err.msg, "after an unknown one", "unknown TLV: skipped");

	/* without NLM_F_ACK_TLVS the bytes are not TLVs */
	nlh = make_error(-EPERM, true, false);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "ignored");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EPERM, "no ACK_TLVS flag: error code");
	is_str(err.msg, "", "no ACK_TLVS flag: no message");

	/* a message without its NUL is ignored */
	nlh = make_error(-EINVAL, true, true);
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 3, "abc");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EINVAL, "unterminated message: error code");
	is_str(err.msg, "", "unterminated message: ignored");

	/* a bad offset attribute is ignored */
	nlh = make_error(-EINVAL, true, true);
	mnl_attr_put_u16(nlh, NLMSGERR_ATTR_OFFS, 1);
	ret = cl_nl_parse_error(nlh, &err);
	ok(ret == -EINVAL && !err.has_offs, "short offset attribute: ignored");

	/* an ack may carry a warning */
	nlh = make_error(0, true, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "just a warning");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, 0, "ack: success");
	is_int(err.err, 0, "ack: no errno");
	is_str(err.msg, "just a warning", "ack: warning kept");

	/* a plain ack */
	nlh = make_error(0, true, false);
	ret = cl_nl_parse_error(nlh, &err);
	ok(ret == 0 && !err.err && !err.msg[0], "plain ack");

	/* truncated: no room for struct nlmsgerr */
	nlh = make_error(-EINVAL, true, true);
	nlh->nlmsg_len = NLMSG_HDRLEN + 8;
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EBADMSG, "truncated error message: refused");
	ok(err.msg[0] != '\0', "truncated error message: described");

	/* echoed request longer than the message: no TLVs, no overread */
	nlh = make_error(-ENOENT, false, true);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "never seen");
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -ENOENT, "bogus echoed length: error code kept");
	is_str(err.msg, "", "bogus echoed length: TLVs not parsed");

	/* a positive error code is nonsense */
	nlh = make_error(5, true, false);
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -EBADMSG, "positive error code: refused");

	/* NLMSG_DONE of a failed dump: int error, then TLVs */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOBUFS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	ret = cl_nl_parse_error(nlh, &err);
	is_int(ret, -ENOBUFS, "failed dump: error code");
	is_str(err.msg, "dump failed", "failed dump: extack message");
}

/* Appends a message of the family at p; returns the end. */
static char *put_reply(char *p, uint32_t seq, uint16_t flags, uint32_t val)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(p);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CLIPPER_CMD_STATUS_GET;
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, val);
	return p + nlh->nlmsg_len;
}

static char *put_done(char *p, int error)
{
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(p);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = error;
	return p + nlh->nlmsg_len;
}

static char *put_ack(char *p, int error)
{
	struct nlmsghdr *nlh = put_error(p, error, true, false);

	return p + nlh->nlmsg_len;
}

struct seen {
	int calls;
	uint32_t last;
	int fail;	/* returned from the callback */
};

static const enum mnl_attr_data_type proto_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL] = MNL_TYPE_U32,
};

static int count_cb(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct seen *s = data;
	int ret;

	ret = cl_genl_parse(nlh, proto_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	s->calls++;
	if (tb[CLIPPER_A_PROTOCOL])
		s->last = mnl_attr_get_u32(tb[CLIPPER_A_PROTOCOL]);
	return s->fail;
}

static int process(char *end, struct seen *s, struct cl_nl_err *err)
{
	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	return cl_nl_process(buf, end - buf, PORTID, SEQ, count_cb, s, err);
}

static void test_process(void)
{
	struct cl_nl_err err;
	struct nlmsghdr *nlh;
	struct seen s;
	char *p;
	int ret;

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, 0, 7);
	p = put_ack(p, 0);
	ret = process(p, &s, &err);
	ok(ret == 1 && s.calls == 1 && s.last == 7,
	   "reply then ack: one callback, complete");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, 0, 7);
	ret = process(p, &s, &err);
	ok(ret == 0 && s.calls == 1, "reply without ack yet: wants more");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ - 1, 0, 1);
	p = put_reply(p, SEQ, 0, 2);
	p = put_ack(p, 0);
	ret = process(p, &s, &err);
	ok(ret == 1 && s.calls == 1 && s.last == 2,
	   "stale reply of an earlier request: skipped");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, NLM_F_MULTI, 1);
	p = put_reply(p, SEQ, NLM_F_MULTI, 2);
	p = put_reply(p, SEQ, NLM_F_MULTI, 3);
	p = put_done(p, 0);
	ret = process(p, &s, &err);
	ok(ret == 1 && s.calls == 3 && s.last == 3,
	   "dump: every part, then done");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, NLM_F_MULTI, 1);
	p = put_done(p, -EINTR);
	ret = process(p, &s, &err);
	ok(ret == -EINTR && err.err == EINTR && s.calls == 1,
	   "dump ending in an error: failed");

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	p = put_ack(buf + nlh->nlmsg_len, 0);
	ret = process(p, &s, &err);
	ok(ret == 1 && s.calls == 0, "noop then ack");

	memset(buf, 0, sizeof(buf));
	p = put_ack(buf, -EPERM);
	ret = process(p, &s, &err);
	ok(ret == -EPERM && err.err == EPERM && s.calls == 0,
	   "refusal: its errno");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, 0, 7);
	p = put_ack(p, 0);
	memset(&s, 0, sizeof(s));
	memset(&err, 0, sizeof(err));
	s.fail = -EBADMSG;
	ret = cl_nl_process(buf, p - buf, PORTID, SEQ, count_cb, &s, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG,
	   "callback failure stops the request");

	memset(buf, 0, sizeof(buf));
	p = put_reply(buf, SEQ, 0, 7);
	((struct nlmsghdr *)buf)->nlmsg_len += 64;
	ret = process(p, &s, &err);
	ok(ret == -EBADMSG && s.calls == 0 && err.msg[0],
	   "message longer than the datagram: refused");

	/* a malformed known attribute fails the reply */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u16(nlh, CLIPPER_A_PROTOCOL, 1);
	p = put_ack(buf + nlh->nlmsg_len, 0);
	ret = process(p, &s, &err);
	ok(ret == -EBADMSG && s.calls == 0 && strstr(err.msg, "attribute"),
	   "u16 where a u32 belongs: refused (%s)", err.msg);
}

static const enum mnl_attr_data_type status_pol[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= MNL_TYPE_U32,
	[CLIPPER_A_VERSION]	= MNL_TYPE_NUL_STRING,
	[CLIPPER_A_RULES]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type rules_pol[CLIPPER_RULES_A_MAX + 1] = {
	[CLIPPER_RULES_A_TOTAL]	= MNL_TYPE_U32,
};

static void test_attr_parse(void)
{
	const struct nlattr *rtb[CLIPPER_RULES_A_MAX + 1];
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_nl_err err;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	int ret;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, 1);
	mnl_attr_put_u8(nlh, 200, 1);			/* from the future */
	mnl_attr_put_strz(nlh, CLIPPER_A_VERSION, "0.1.0");
	mnl_attr_put_u64(nlh, CLIPPER_A_PAD, 0);	/* no policy: ignored */
	nest = mnl_attr_nest_start(nlh, CLIPPER_A_RULES);
	mnl_attr_put_u32(nlh, CLIPPER_RULES_A_TOTAL, 3);
	mnl_attr_put_u32(nlh, 50, 9);
	mnl_attr_nest_end(nlh, nest);

	ret = cl_genl_parse(nlh, status_pol, CLIPPER_A_MAX, tb, &err);
	is_int(ret, 0, "attributes: parsed");
	ok(tb[CLIPPER_A_PROTOCOL] &&
	   mnl_attr_get_u32(tb[CLIPPER_A_PROTOCOL]) == 1, "attributes: u32");
	ok(tb[CLIPPER_A_VERSION] &&
	   !strcmp(mnl_attr_get_str(tb[CLIPPER_A_VERSION]), "0.1.0"),
	   "attributes: string");
	ok(!tb[CLIPPER_A_PAD] && !tb[CLIPPER_A_STATS],
	   "attributes: absent and policy-less ones left NULL");
	ret = cl_attr_parse_nested(tb[CLIPPER_A_RULES], rules_pol,
				   CLIPPER_RULES_A_MAX, rtb, &err);
	ok(!ret && rtb[CLIPPER_RULES_A_TOTAL] &&
	   mnl_attr_get_u32(rtb[CLIPPER_RULES_A_TOTAL]) == 3 &&
	   !rtb[CLIPPER_RULES_A_CLASSIFY], "attributes: nested");

	/* a string without its NUL */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put(nlh, CLIPPER_A_VERSION, 5, "0.1.0");
	memset(&err, 0, sizeof(err));
	ret = cl_genl_parse(nlh, status_pol, CLIPPER_A_MAX, tb, &err);
	ok(ret == -EBADMSG && err.err == EBADMSG && err.msg[0],
	   "attributes: unterminated string refused");

	/* no room for the genetlink header */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	ret = cl_genl_parse(nlh, status_pol, CLIPPER_A_MAX, tb, &err);
	is_int(ret, -EBADMSG, "attributes: message without genl header");
}

/* Live requests to the generic netlink controller ("nlctrl"). */
static int family_count_cb(const struct nlmsghdr *nlh, void *data,
			   struct cl_nl_err *err)
{
	(void)nlh;
	(void)err;
	++*(int *)data;
	return 0;
}

static void test_live(void)
{
	static struct cl_nl nl;
	struct cl_nl_err err;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	char name[100];
	int ret, n;

	ret = cl_nl_open_family(&nl, "nlctrl", &err);
	if (ret == -EAFNOSUPPORT || ret == -EPROTONOSUPPORT ||
	    ret == -EACCES || ret == -EPERM) {
		printf("ok %d - live tests # SKIP no generic netlink: %s\n",
		       ++tap_n, err.msg);
		return;
	}
	is_int(ret, 0, "live: resolve nlctrl (%s)", err.msg);
	if (ret)
		return;
	is_int(nl.family_id, GENL_ID_CTRL, "live: nlctrl's id");
	ok(nl.mcgrp_monitor == 0, "live: nlctrl has no monitor group");

	/* a family name too long for the policy draws an extack message */
	nlh = mnl_nlmsg_put_header(nl.tx);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	memset(name, 'x', sizeof(name));
	mnl_attr_put(nlh, CTRL_ATTR_FAMILY_NAME, sizeof(name), name);
	ret = cl_nl_talk(&nl, nlh, NULL, NULL, &err);
	ok(ret < 0 && err.err == -ret, "live: bad request refused (%d)", ret);
	ok(err.msg[0] != '\0', "live: kernel's extack message: \"%s\"",
	   err.msg);
	ok(err.has_offs && err.offs == NLMSG_HDRLEN + GENL_HDRLEN,
	   "live: extack points at the attribute (offset %u)", err.offs);

	/* a dump: every family, then NLMSG_DONE */
	nlh = mnl_nlmsg_put_header(nl.tx);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;
	nlh->nlmsg_seq = ++nl.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	n = 0;
	ret = cl_nl_talk(&nl, nlh, family_count_cb, &n, &err);
	ok(ret == 0 && n >= 1, "live: dump of %d families", n);
	cl_nl_close(&nl);

	ret = cl_nl_open_family(&nl, "clipper_nosuch", &err);
	ok(ret == -ENOENT && err.no_family && !nl.sock,
	   "live: a missing family is reported as such");

	ret = cl_nl_open(&nl, &err);
	if (ret == -ENOENT)
		ok(err.no_family, "live: clipper family absent: no_family set");
	else
		ok(ret == 0 && nl.family_id >= GENL_MIN_ID && nl.mcgrp_monitor,
		   "live: clipper family present: id and monitor group");
	cl_nl_close(&nl);
}

int main(void)
{
	test_parse_error();
	test_process();
	test_attr_parse();
	test_live();
	return tap_done();
}

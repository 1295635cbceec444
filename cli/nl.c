// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: a small generic netlink layer on libmnl (see nl.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <linux/genetlink.h>

#include "clipper.h"
#include "nl.h"

/* Records a local failure; returns -errnum. */
static int nl_fail(struct cl_nl_err *err, int errnum, const char *what)
{
	err->err = errnum;
	snprintf(err->msg, sizeof(err->msg), "%s: %s", what, strerror(errnum));
	return -errnum;
}

static int nl_bad(struct cl_nl_err *err, const char *what)
{
	if (err) {
		err->err = EBADMSG;
		snprintf(err->msg, sizeof(err->msg),
			 "malformed reply from the kernel: %s", what);
	}
	return -EBADMSG;
}

/*
 * NLMSG_ERROR: struct nlmsgerr, whose embedded request is cut to its header
 * when NLM_F_CAPPED is set, then (NLM_F_ACK_TLVS) the extack attributes.
 * NLMSG_DONE: an int error code, then the extack attributes.
 */
int cl_nl_parse_error(const struct nlmsghdr *nlh, struct cl_nl_err *err)
{
	const struct nlattr *attr;
	size_t plen, hlen;
	bool tlvs;
	int code;

	err->err = 0;
	err->msg[0] = '\0';
	err->has_offs = false;
	err->offs = 0;

	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return nl_bad(err, "short netlink message");
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	tlvs = nlh->nlmsg_flags & NLM_F_ACK_TLVS;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int))
			return 0;
		memcpy(&code, mnl_nlmsg_get_payload(nlh), sizeof(code));
		hlen = sizeof(int);
	} else {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (plen < sizeof(*e))
			return nl_bad(err, "truncated error message");
		code = e->error;
		hlen = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > sizeof(struct nlmsghdr)) {
			if (e->msg.nlmsg_len > plen - sizeof(int))
				tlvs = false;	/* no room left for any */
			else
				hlen = sizeof(int) + e->msg.nlmsg_len;
		}
	}
	if (code > 0 || code == INT_MIN)
		return nl_bad(err, "bad error code");

	if (tlvs && MNL_ALIGN(hlen) <= plen) {
		mnl_attr_for_each(attr, nlh, hlen) {
			switch (mnl_attr_get_type(attr)) {
			case NLMSGERR_ATTR_MSG:
				if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
					break;
				snprintf(err->msg, sizeof(err->msg), "%s",
					 mnl_attr_get_str(attr));
				break;
			case NLMSGERR_ATTR_OFFS:
				if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
					break;
				err->offs = mnl_attr_get_u32(attr);
				err->has_offs = true;
				break;
			}
		}
	}
	err->err = -code;
	return code;
}

int cl_nl_process(const void *buf, size_t len, uint32_t portid, uint32_t seq,
		  cl_nl_cb_t cb, void *data, struct cl_nl_err *err)
{
	const struct nlmsghdr *nlh = buf;
	int rem = len > INT_MAX ? INT_MAX : (int)len;
	int ret;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		/* not ours: a late reply to an earlier request */
		if (nlh->nlmsg_pid != portid || nlh->nlmsg_seq != seq)
			continue;

		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_ERROR:
			ret = cl_nl_parse_error(nlh, err);
			return ret < 0 ? ret : 1;
		case NLMSG_DONE:
			ret = cl_nl_parse_error(nlh, err);
			return ret < 0 ? ret : 1;
		case NLMSG_OVERRUN:
			return nl_fail(err, ENOBUFS, "netlink overrun");
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !cb)
			continue;
		ret = cb(nlh, data, err);
		if (ret < 0) {
			if (!err->err)
				err->err = -ret;
			return ret;
		}
	}
	if (rem > 0)
		return nl_bad(err, "truncated netlink message");
	return 0;
}

int cl_nl_talk(struct cl_nl *nl, struct nlmsghdr *req, cl_nl_cb_t cb,
	       void *data, struct cl_nl_err *err)
{
	ssize_t n;
	int ret;

	memset(err, 0, sizeof(*err));
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return nl_fail(err, errno, "cannot send to the kernel");
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return nl_fail(err, errno,
				       "cannot receive from the kernel");
		}
		ret = cl_nl_process(nl->rx, n, nl->portid, req->nlmsg_seq,
				    cb, data, err);
		if (ret < 0)
			return ret;
		if (ret > 0)
			return 0;
	}
}

static struct nlmsghdr *genl_req_at(void *buf, uint16_t type, uint8_t cmd,
				    uint8_t version, uint16_t flags,
				    uint32_t seq)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *genl_req(struct cl_nl *nl, uint16_t type, uint8_t cmd,
				 uint8_t version, uint16_t flags)
{
	return genl_req_at(nl->tx, type, cmd, version, NLM_F_ACK | flags,
			   ++nl->seq);
}

void cl_nl_batch_init(struct cl_nl_batch *b, void *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->n = 0;
	b->last = NULL;
}

struct nlmsghdr *cl_nl_batch_req(struct cl_nl *nl, struct cl_nl_batch *b,
				 uint8_t cmd, uint16_t flags, size_t room)
{
	struct nlmsghdr *nlh;

	if (b->last)
		b->len += MNL_ALIGN(b->last->nlmsg_len);
	if (b->cap - b->len < room + MNL_NLMSG_HDRLEN + GENL_HDRLEN + 8)
		return NULL;
	if (!b->n)
		b->first_seq = nl->seq + 1;
	nlh = genl_req_at(b->buf + b->len, nl->family_id, cmd,
			  CLIPPER_GENL_VERSION, flags, ++nl->seq);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL);
	b->last = nlh;
	b->n++;
	return nlh;
}

int cl_nl_batch_send(struct cl_nl *nl, struct cl_nl_batch *b,
		     unsigned int *failed, struct cl_nl_err *err)
{
	struct cl_nl_err e;
	uint32_t last_seq;
	bool done = false;
	int first = 0;
	ssize_t n;

	memset(err, 0, sizeof(*err));
	if (!b->n)
		return 0;
	/* only the last request asks for an ack: failures always answer */
	b->last->nlmsg_flags |= NLM_F_ACK;
	b->len += MNL_ALIGN(b->last->nlmsg_len);
	b->last = NULL;
	last_seq = b->first_seq + b->n - 1;
	if (mnl_socket_sendto(nl->sock, b->buf, b->len) < 0)
		return nl_fail(err, errno, "cannot send to the kernel");

	while (!done) {
		const struct nlmsghdr *nlh;
		int rem, code;

		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return nl_fail(err, errno,
				       "cannot receive from the kernel");
		}
		rem = (int)n;
		for (nlh = (const void *)nl->rx; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			uint32_t i = nlh->nlmsg_seq - b->first_seq;

			if (nlh->nlmsg_pid != nl->portid || i >= b->n ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			code = cl_nl_parse_error(nlh, &e);
			if (code < 0 && !first) {
				*err = e;
				*failed = i;
				first = code;
			}
			if (nlh->nlmsg_seq == last_seq)
				done = true;
		}
	}
	b->len = 0;
	b->n = 0;
	return first;
}

struct nlmsghdr *cl_nl_req(struct cl_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = genl_req(nl, nl->family_id, cmd, CLIPPER_GENL_VERSION, flags);
	mnl_attr_put_u32(nlh, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL);
	return nlh;
}

struct nlmsghdr *cl_nl_req_any(struct cl_nl *nl, uint8_t cmd, uint16_t flags)
{
	return genl_req(nl, nl->family_id, cmd, CLIPPER_GENL_VERSION, flags);
}

struct parse_ctx {
	const enum mnl_attr_data_type *pol;
	unsigned int max;
	const struct nlattr **tb;
	struct cl_nl_err *err;
};

static int parse_attr_cb(const struct nlattr *attr, void *data)
{
	struct parse_ctx *p = data;
	uint16_t type = mnl_attr_get_type(attr);
	char what[64];

	if (type > p->max || p->pol[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, p->pol[type]) < 0) {
		snprintf(what, sizeof(what), "bad attribute %u", type);
		nl_bad(p->err, what);
		return MNL_CB_ERROR;
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int cl_attr_parse(const struct nlmsghdr *nlh, unsigned int offset,
		  const enum mnl_attr_data_type *pol, unsigned int max,
		  const struct nlattr **tb, struct cl_nl_err *err)
{
	struct parse_ctx p = { pol, max, tb, err };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(offset))
		return nl_bad(err, "short message");
	if (mnl_attr_parse(nlh, offset, parse_attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

int cl_attr_parse_nested(const struct nlattr *nest,
			 const enum mnl_attr_data_type *pol, unsigned int max,
			 const struct nlattr **tb, struct cl_nl_err *err)
{
	struct parse_ctx p = { pol, max, tb, err };

	memset(tb, 0, sizeof(*tb) * (max + 1));
	if (mnl_attr_parse_nested(nest, parse_attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

int cl_genl_parse(const struct nlmsghdr *nlh,
		  const enum mnl_attr_data_type *pol, unsigned int max,
		  const struct nlattr **tb, struct cl_nl_err *err)
{
	return cl_attr_parse(nlh, GENL_HDRLEN, pol, max, tb, err);
}

/* CTRL_CMD_GETFAMILY: the family's id, version and multicast groups. */
static const enum mnl_attr_data_type ctrl_pol[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]		= MNL_TYPE_U16,
	[CTRL_ATTR_VERSION]		= MNL_TYPE_U32,
	[CTRL_ATTR_MCAST_GROUPS]	= MNL_TYPE_NESTED,
};

static const enum mnl_attr_data_type grp_pol[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME]	= MNL_TYPE_NUL_STRING,
	[CTRL_ATTR_MCAST_GRP_ID]	= MNL_TYPE_U32,
};

static int family_cb(const struct nlmsghdr *nlh, void *data,
		     struct cl_nl_err *err)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct cl_nl *nl = data;
	const struct nlattr *grp;
	int ret;

	ret = cl_genl_parse(nlh, ctrl_pol, CTRL_ATTR_MAX, tb, err);
	if (ret)
		return ret;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return nl_bad(err, "no family id");
	nl->family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		nl->family_version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		if (mnl_attr_validate(grp, MNL_TYPE_NESTED) < 0)
			return nl_bad(err, "bad multicast group");
		ret = cl_attr_parse_nested(grp, grp_pol,
					   CTRL_ATTR_MCAST_GRP_MAX, gtb, err);
		if (ret)
			return ret;
		if (gtb[CTRL_ATTR_MCAST_GRP_NAME] && gtb[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
			    CLIPPER_GENL_MCGRP_MONITOR))
			nl->mcgrp_monitor =
				mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int resolve_family(struct cl_nl *nl, const char *name,
			  struct cl_nl_err *err)
{
	struct nlmsghdr *nlh;
	int ret;

	nlh = genl_req(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	if (!mnl_attr_put_strz_check(nlh, CL_NL_TX_SIZE, CTRL_ATTR_FAMILY_NAME,
				     name))
		return nl_fail(err, ENAMETOOLONG, "family name");
	nl->family_id = 0;
	ret = cl_nl_talk(nl, nlh, family_cb, nl, err);
	if (ret == -ENOENT) {
		err->no_family = true;
		return ret;
	}
	if (!ret && !nl->family_id)
		return nl_bad(err, "no reply to the family lookup");
	return ret;
}

int cl_nl_open(struct cl_nl *nl, struct cl_nl_err *err)
{
	return cl_nl_open_family(nl, CLIPPER_GENL_NAME, err);
}

int cl_nl_open_family(struct cl_nl *nl, const char *name,
		      struct cl_nl_err *err)
{
	int one = 1;
	int ret;

	memset(err, 0, sizeof(*err));
	nl->family_id = 0;
	nl->family_version = 0;
	nl->mcgrp_monitor = 0;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return nl_fail(err, errno,
			       "cannot open a generic netlink socket");
	/* both are optional: without them errors just carry less detail */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = nl_fail(err, errno, "cannot bind the netlink socket");
		cl_nl_close(nl);
		return ret;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	ret = resolve_family(nl, name, err);
	if (ret)
		cl_nl_close(nl);
	return ret;
}

void cl_nl_close(struct cl_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

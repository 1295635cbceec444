/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: a small generic netlink layer on libmnl.
 *
 * cl_nl_open() opens a NETLINK_GENERIC socket with extended acks and
 * resolves the "clipper" family; cl_nl_req() starts a request that already
 * carries the protocol version; cl_nl_talk() sends it and feeds every reply
 * message to a callback until the kernel's ack, NLMSG_DONE or an error.
 * Errors come back in struct cl_nl_err with the kernel's extack message.
 */
#ifndef _CLIPPER_NL_H
#define _CLIPPER_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define CL_NL_TX_SIZE	8192
#define CL_NL_RX_SIZE	65536	/* above the kernel's 32 KiB dump chunks */

struct cl_nl_err {
	int err;		/* positive errno, 0 if none */
	bool no_family;		/* the "clipper" family does not exist */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS: bad attribute's offset */
	/*
	 * The kernel's extack message, or a description of a local failure;
	 * empty if there is none.  After a successful request a non-empty
	 * message is a warning the kernel attached to its ack.
	 */
	char msg[256];
};

struct cl_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t family_version;
	uint32_t mcgrp_monitor;	/* 0 if the family has no "monitor" group */
	char tx[CL_NL_TX_SIZE] __attribute__((aligned(8)));
	char rx[CL_NL_RX_SIZE] __attribute__((aligned(8)));
};

/*
 * Called for each reply message of the request; returns 0 to go on or a
 * negative errno to fail the request (then it may describe the failure in
 * err->msg).
 */
typedef int (*cl_nl_cb_t)(const struct nlmsghdr *nlh, void *data,
			  struct cl_nl_err *err);

/* 0, or a negative errno with err filled (err->no_family on ENOENT). */
int cl_nl_open(struct cl_nl *nl, struct cl_nl_err *err);
/* The same for another family (the tests use "nlctrl"). */
int cl_nl_open_family(struct cl_nl *nl, const char *name,
		      struct cl_nl_err *err);
void cl_nl_close(struct cl_nl *nl);

/*
 * A request for the clipper family in nl->tx: genlmsghdr with cmd and
 * CLIPPER_GENL_VERSION, then CLIPPER_A_PROTOCOL.  NLM_F_REQUEST and
 * NLM_F_ACK are always set; pass NLM_F_DUMP in flags for a dump.  Add more
 * attributes with mnl_attr_put_*_check(nlh, CL_NL_TX_SIZE, ...).
 */
struct nlmsghdr *cl_nl_req(struct cl_nl *nl, uint8_t cmd, uint16_t flags);
/*
 * cl_nl_req() without CLIPPER_A_PROTOCOL: for CLIPPER_CMD_VERSION_GET,
 * which a module of any protocol must answer (it refuses a request that
 * says it speaks a newer protocol than the module's).
 */
struct nlmsghdr *cl_nl_req_any(struct cl_nl *nl, uint8_t cmd, uint16_t flags);

/* Sends req and runs cb on each reply; 0 or a negative errno (err filled). */
int cl_nl_talk(struct cl_nl *nl, struct nlmsghdr *req, cl_nl_cb_t cb,
	       void *data, struct cl_nl_err *err);

/*
 * A batch: many requests sent in one datagram (clipper restore).
 * cl_nl_batch_init() starts an empty batch in buf; cl_nl_batch_req()
 * starts the next request there like cl_nl_req() (without NLM_F_ACK), or
 * returns NULL when fewer than room bytes would be left for its
 * attributes: send the batch first.  cl_nl_batch_send() sends it and waits
 * until the kernel has done them all; only the last asks for an ack, the
 * others answer only when they fail.  It returns 0, or the error of the
 * first request that failed (err filled, its index in *failed); the batch
 * is then empty again.
 */
struct cl_nl_batch {
	char *buf;
	size_t cap;
	size_t len;		/* of the requests before last */
	uint32_t first_seq;
	unsigned int n;
	struct nlmsghdr *last;	/* the request being built */
};

void cl_nl_batch_init(struct cl_nl_batch *b, void *buf, size_t cap);
struct nlmsghdr *cl_nl_batch_req(struct cl_nl *nl, struct cl_nl_batch *b,
				 uint8_t cmd, uint16_t flags, size_t room);
int cl_nl_batch_send(struct cl_nl *nl, struct cl_nl_batch *b,
		     unsigned int *failed, struct cl_nl_err *err);

/*
 * The pieces of cl_nl_talk(), exposed for the unit tests.
 *
 * cl_nl_parse_error() reads an NLMSG_ERROR (or an NLMSG_DONE that carries an
 * error code) into err, including the extack TLVs, and returns the message's
 * error code (0 for an ack) or -EBADMSG if the message is malformed.
 *
 * cl_nl_process() handles one datagram of replies to the request (portid,
 * seq); messages of other requests are skipped.  Returns 0 when more is to
 * come, 1 when the request is complete, or a negative errno.
 */
int cl_nl_parse_error(const struct nlmsghdr *nlh, struct cl_nl_err *err);
int cl_nl_process(const void *buf, size_t len, uint32_t portid, uint32_t seq,
		  cl_nl_cb_t cb, void *data, struct cl_nl_err *err);

/*
 * Attribute parsing.  pol[type] says what each known attribute must be
 * (checked with mnl_attr_validate); MNL_TYPE_UNSPEC entries and types above
 * max are ignored, so a newer kernel's additions are skipped.  tb has max+1
 * entries and is cleared first.  Returns 0, or -EBADMSG with err->msg set
 * if a known attribute is malformed (err may be NULL).
 */
int cl_attr_parse(const struct nlmsghdr *nlh, unsigned int offset,
		  const enum mnl_attr_data_type *pol, unsigned int max,
		  const struct nlattr **tb, struct cl_nl_err *err);
int cl_attr_parse_nested(const struct nlattr *nest,
			 const enum mnl_attr_data_type *pol, unsigned int max,
			 const struct nlattr **tb, struct cl_nl_err *err);
/* The attributes after the genlmsghdr of a generic netlink message. */
int cl_genl_parse(const struct nlmsghdr *nlh,
		  const enum mnl_attr_data_type *pol, unsigned int max,
		  const struct nlattr **tb, struct cl_nl_err *err);

#endif /* _CLIPPER_NL_H */

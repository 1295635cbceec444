/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: each object's reply parser and printer, apart from its verbs so
 * the unit tests can feed them made-up replies.
 *
 * A parser has the cl_nl_cb_t signature: it takes one reply message and
 * fills the structure passed as data.
 */
#ifndef _CLIPPER_OBJ_H
#define _CLIPPER_OBJ_H

#include "clipper.h"

#include "cli.h"
#include "counters.h"

/* clipper version */
struct cl_version {
	bool has_module;
	bool has_protocol;
	char module[64];
	uint32_t protocol;
};

int cl_version_parse(const struct nlmsghdr *nlh, void *data,
		     struct cl_nl_err *err);
void cl_version_print(struct cl_ctx *ctx, const struct cl_version *v);

/* clipper status */
struct cl_status {
	bool has_module;
	bool has_protocol;
	char module[64];
	uint32_t protocol;
	uint32_t rules[CLIPPER_RULES_A_MAX + 1];
	struct cl_stats stats;
};

int cl_status_parse(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err);
void cl_status_print(struct cl_ctx *ctx, const struct cl_status *st);

/* clipper stats */
int cl_stats_reply_parse(const struct nlmsghdr *nlh, void *data,
			 struct cl_nl_err *err);
void cl_stats_print(struct cl_ctx *ctx, const struct cl_stats *st);

#endif /* _CLIPPER_OBJ_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper version: the utility's, the module's and the protocol version.
 */
#include <string.h>

#include "clipper.h"
#include "version.h"

#include "attrs.h"
#include "cli.h"
#include "obj.h"

int cl_version_parse(const struct nlmsghdr *nlh, void *data,
		     struct cl_nl_err *err)
{
	const struct nlattr *tb[CLIPPER_A_MAX + 1];
	struct cl_version *v = data;
	int ret;

	ret = cl_genl_parse(nlh, cl_clipper_pol, CLIPPER_A_MAX, tb, err);
	if (ret)
		return ret;
	memset(v, 0, sizeof(*v));
	if (tb[CLIPPER_A_VERSION]) {
		cl_copy_str(v->module, sizeof(v->module),
			    mnl_attr_get_str(tb[CLIPPER_A_VERSION]));
		v->has_module = true;
	}
	if (tb[CLIPPER_A_PROTOCOL]) {
		v->protocol = mnl_attr_get_u32(tb[CLIPPER_A_PROTOCOL]);
		v->has_protocol = true;
	}
	return 0;
}

/*
 * v is NULL when the module could not be asked: only the utility's
 * version, "loaded" null.  v->not_loaded: the module is not loaded.
 */
void cl_version_print(struct cl_ctx *ctx, const struct cl_version *v)
{
	print_start(ctx);
	print_open_object(NULL);
	print_string(PRINT_ANY, "cli", "clipper utility %s", CLIPPER_VERSION);
	if (v && v->not_loaded)
		print_string(PRINT_FP, NULL, ", module %s", "not loaded");
	if (v && v->not_loaded)
		print_null(PRINT_JSON, "module", NULL, NULL);
	else if (v && v->has_module)
		print_string(PRINT_ANY, "module", ", module %s", v->module);
	else
		print_null(v ? PRINT_ANY : PRINT_JSON, "module", ", module %s",
			   "unknown");
	if (v && v->has_protocol)
		print_uint(PRINT_ANY, "protocol", ", protocol %u", v->protocol);
	else
		print_null(PRINT_JSON, "protocol", NULL, NULL);
	/* a module that would refuse this tool's other requests */
	if (v && v->has_protocol && v->protocol < CLIPPER_PROTOCOL)
		print_uint(PRINT_FP, NULL,
			   " (the tool's is %u: update the module)",
			   CLIPPER_PROTOCOL);
	if (v)
		print_bool(PRINT_JSON, "loaded", NULL, !v->not_loaded);
	else
		print_null(PRINT_JSON, "loaded", NULL, NULL);
	print_nl();
	print_close_object();
	print_end();
}

static int version_show(struct cl_ctx *ctx, int argc, char **argv)
{
	struct cl_version v;
	struct cl_nl_err err;
	struct nlmsghdr *req;

	(void)argc;
	(void)argv;
	memset(&v, 0, sizeof(v));
	/*
	 * Without the module there is still the tool's version to print,
	 * and nothing has failed: exit 0.  The request says no protocol,
	 * so that an older module answers it too.
	 */
	if (cl_connect(ctx, &err)) {
		if (err.no_family) {
			v.not_loaded = true;
			cl_version_print(ctx, &v);
			return CL_EXIT_OK;
		}
		req = NULL;
	} else {
		req = cl_nl_req_any(&ctx->nl, CLIPPER_CMD_VERSION_GET, 0);
	}
	if (!req || cl_send(ctx, req, cl_version_parse, &v, &err)) {
		/* the utility's own version is worth showing anyway */
		cl_version_print(ctx, NULL);
		fflush(ctx->out);
		return cl_report(&err);
	}
	cl_version_print(ctx, &v);
	return CL_EXIT_OK;
}

static const char *const version_usage[] = {
	"version [show]",
	NULL
};

static const struct cl_verb version_verbs[] = {
	{ "show", version_show, 0 },
	{ }
};

const struct cl_object cl_obj_version = {
	.name		= "version",
	.usage		= version_usage,
	.default_verb	= "show",
	.verbs		= version_verbs,
};

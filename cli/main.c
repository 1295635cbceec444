// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the command-line tool of the clipper netfilter target.
 *
 *	clipper [OPTIONS] OBJECT [VERB [ARGS]]
 *
 * Exit status: 0 on success, 1 when a request fails, 2 on bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cl_object cl_obj_help;

/* Every object, in the order "clipper help" lists them. */
static const struct cl_object *const objects[] = {
	&cl_obj_version,
	&cl_obj_status,
	&cl_obj_mac,
	&cl_obj_class,
	&cl_obj_config,
	&cl_obj_pmtu,
	&cl_obj_ws,
	&cl_obj_stats,
	&cl_obj_monitor,
	&cl_obj_save,
	&cl_obj_restore,
	&cl_obj_help,
};

#define NOBJECTS ARRAY_SIZE(objects)

static void usage(FILE *f)
{
	unsigned int i;

	fputs("Usage: clipper [OPTIONS] OBJECT [VERB [ARGS]]\n"
	      "       clipper OBJECT [VERB] help\n"
	      "       clipper help [OBJECT [VERB]]\n"
	      "where  OBJECT := {", f);
	for (i = 0; i < NOBJECTS; i++)
		fprintf(f, "%s %s", i ? " |" : "", objects[i]->name);
	fputs(" }\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -n[etns] NAME |\n"
	      "                    -V[ersion] | -h[elp] }\n", f);
}

static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("clipper: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	return CL_EXIT_USAGE;
}

static const struct cl_object *find_object(const char *name)
{
	unsigned int i;

	for (i = 0; i < NOBJECTS; i++)
		if (!strcmp(objects[i]->name, name))
			return objects[i];
	return NULL;
}

static const struct cl_verb *find_verb(const struct cl_object *obj,
				       const char *name)
{
	const struct cl_verb *v;

	for (v = obj->verbs; v->name; v++)
		if (!strcmp(v->name, name))
			return v;
	return NULL;
}

/* clipper help [OBJECT [VERB]] */
static int help_run(struct cl_ctx *ctx, int argc, char **argv)
{
	const struct cl_object *obj;
	const struct cl_verb *verb;

	if (!argc) {
		usage(ctx->out);
		return CL_EXIT_OK;
	}
	obj = find_object(argv[0]);
	if (!obj)
		return usage_error("unknown object \"%s\"", argv[0]);
	if (argc < 2 || obj->run) {
		if (argc > 1 && strcmp(argv[1], "help"))
			return cl_usage_error(obj, "%s has no verbs",
					      obj->name);
		cl_object_usage(ctx->out, obj);
		return CL_EXIT_OK;
	}
	verb = find_verb(obj, argv[1]);
	if (!verb && strcmp(argv[1], "help"))
		return cl_usage_error(obj, "unknown verb \"%s\" for %s",
				      argv[1], obj->name);
	if (argc > 2)
		return cl_usage_error(obj, "unexpected argument \"%s\"",
				      argv[2]);
	if (verb)
		cl_verb_usage(ctx->out, obj, verb->name);
	else
		cl_object_usage(ctx->out, obj);
	return CL_EXIT_OK;
}

static const char *const help_usage[] = {
	"help [OBJECT [VERB]]",
	NULL
};

static const struct cl_verb help_verbs[] = {
	{ }
};

static const struct cl_object cl_obj_help = {
	.name		= "help",
	.usage		= help_usage,
	.verbs		= help_verbs,
};

/* argv[0], if any, is the verb. */
static int run_object(struct cl_ctx *ctx, const struct cl_object *obj,
		      int argc, char **argv)
{
	const struct cl_verb *verb;
	const char *name;
	char **args;
	int nargs;

	if (obj == &cl_obj_help)
		return help_run(ctx, argc, argv);

	name = argc > 0 ? argv[0] : obj->default_verb;
	if (obj->run) {
		if (name && !strcmp(name, "help")) {
			cl_object_usage(ctx->out, obj);
			return CL_EXIT_OK;
		}
		return obj->run(ctx, argc, argv);
	}
	if (!name)
		return cl_usage_error(obj, "%s: a verb is needed", obj->name);
	if (!strcmp(name, "help")) {
		cl_object_usage(ctx->out, obj);
		return CL_EXIT_OK;
	}
	if (argc > 0 && argv[0][0] == '-' && obj->default_verb) {
		/* "stats --prometheus": an option of the default verb */
		verb = find_verb(obj, obj->default_verb);
		nargs = argc;
		args = argv;
	} else {
		verb = find_verb(obj, name);
		nargs = argc > 1 ? argc - 1 : 0;
		args = argv + 1;
	}
	if (!verb)
		return cl_usage_error(obj, "unknown verb \"%s\" for %s",
				      name, obj->name);
	/* "mac add help", as ip has it */
	if (nargs > 0 && !strcmp(args[0], "help")) {
		cl_verb_usage(ctx->out, obj, verb->name);
		return CL_EXIT_OK;
	}
	if (verb->max_args >= 0 && nargs > verb->max_args)
		return cl_usage_error(obj, "unexpected argument \"%s\"",
				      args[verb->max_args]);
	return verb->run(ctx, nargs, args);
}

/* argv[0] is the object. */
static int dispatch(struct cl_ctx *ctx, int argc, char **argv)
{
	const struct cl_object *obj;

	obj = find_object(argv[0]);
	if (!obj)
		return usage_error("unknown object \"%s\"", argv[0]);
	return run_object(ctx, obj, argc - 1, argv + 1);
}

static const struct option long_opts[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ "pretty",	no_argument,		NULL, 'p' },
	{ "netns",	required_argument,	NULL, 'n' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ }
};

static struct cl_ctx ctx;

int main(int argc, char **argv)
{
	bool help = false, version = false;
	int opt, ret;

	ctx.out = stdout;
	opterr = 0;
	/* "+": options end at the object, the rest belongs to the verb */
	while ((opt = getopt_long(argc, argv, "+:jpn:hV", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			ctx.json = true;
			break;
		case 'p':
			ctx.json = true;
			ctx.pretty = true;
			break;
		case 'n':
			if (!*optarg)
				return usage_error("empty namespace name");
			ctx.netns = optarg;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			version = true;
			break;
		case ':':
			return usage_error("option \"%s\" needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option \"-%c\"",
						   optopt);
			return usage_error("unknown option \"%s\"",
					   argv[optind - 1]);
		}
	}

	if (!help && !version && optind >= argc)
		return usage_error("no object given");
	if (help) {
		usage(stdout);
		ret = CL_EXIT_OK;
	} else if (version) {
		ret = run_object(&ctx, &cl_obj_version, 0, NULL);
	} else {
		ret = dispatch(&ctx, argc - optind, argv + optind);
	}

	if (ctx.connected)
		cl_nl_close(&ctx.nl);
	if (fflush(stdout) || ferror(stdout)) {
		cl_error("cannot write the output: %s", strerror(errno));
		return CL_EXIT_FAIL;
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * xt-harness: run libxt_CLIPPER.so through libxtables without iptables and
 * without the kernel, for test-xt.sh.
 *
 *   xt-harness [-6] [--] OPTION...
 *
 * loads the CLIPPER target the way iptables does (from XTABLES_LIBDIR),
 * feeds OPTION... to its x6 parser (a lone "!" inverts the next option, as
 * in iptables), runs the final check, and prints
 *
 *   save: <what iptables-save prints after "-j CLIPPER">
 *   print: <what iptables -L prints>
 *   fields: flags=0x.. mark_mask=0x.. clamp_mss=N pmtu_fix=0x.. reserved=..
 *   data: <every byte of the option block, in hex>
 *
 * Errors go to stderr with a non-zero exit status, as with iptables.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xtables.h>

#include "xt_CLIPPER.h"

static void harness_exit_err(enum xtables_exittype status, const char *msg,
			     ...) __attribute__((noreturn, format(printf, 2, 3)));

static void harness_exit_err(enum xtables_exittype status, const char *msg,
			     ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xt-harness: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static int harness_compat_rev(const char *name __attribute__((unused)),
			      uint8_t rev __attribute__((unused)),
			      int opt __attribute__((unused)))
{
	return 1;	/* no kernel to ask: every revision is fine */
}

static struct option harness_opts[] = {
	{ .name = NULL },
};

static struct xtables_globals harness_globals = {
	.option_offset	= 0,
	.program_name	= "xt-harness",
	.program_version = "0",
	.orig_opts	= harness_opts,
	.exit_err	= harness_exit_err,
	.compat_rev	= harness_compat_rev,
};

int main(int argc, char **argv)
{
	const struct xt_clipper_tginfo *info;
	struct xtables_target *t;
	struct option *opts;
	uint8_t family = NFPROTO_IPV4;
	bool invert = false;
	size_t size, i;
	int c;

	if (argc > 1 && strcmp(argv[1], "-6") == 0) {
		family = NFPROTO_IPV6;
		argv[1] = argv[0];
		argv++;
		argc--;
	}

	if (xtables_init_all(&harness_globals, family) < 0) {
		fprintf(stderr, "xt-harness: xtables_init_all failed\n");
		return 3;
	}

	t = xtables_find_target("CLIPPER", XTF_LOAD_MUST_SUCCEED);
	size = XT_ALIGN(sizeof(struct xt_entry_target)) + t->size;
	t->t = xtables_calloc(1, size);
	t->t->u.target_size = size;
	strcpy(t->t->u.user.name, t->name);
	t->t->u.user.revision = t->revision;
	if (t->init)
		t->init(t->t);
	t->tflags = 0;

	opts = xtables_options_xfrm(harness_globals.orig_opts, NULL,
				    t->x6_options, &t->option_offset);
	if (!opts)
		harness_exit_err(OTHER_PROBLEM, "cannot merge options");

	opterr = 0;
	while ((c = getopt_long(argc, argv, "-", opts, NULL)) != -1) {
		if (c == 1) {
			if (strcmp(optarg, "!") != 0 || invert)
				harness_exit_err(PARAMETER_PROBLEM,
						 "bad argument \"%s\"", optarg);
			invert = true;
			continue;
		}
		if (c == '?' || c == ':' || (unsigned int)c < t->option_offset)
			harness_exit_err(PARAMETER_PROBLEM,
					 "unknown option \"%s\"",
					 argv[optind - 1]);
		xtables_option_tpcall(c, argv, invert, t, NULL);
		invert = false;
	}
	if (invert)
		harness_exit_err(PARAMETER_PROBLEM, "\"!\" without an option");
	xtables_option_tfcall(t);

	info = (const void *)t->t->data;
	printf("save:");
	t->save(NULL, t->t);
	printf("\nprint:");
	t->print(NULL, t->t, 0);
	printf("\nfields: flags=0x%x mark_mask=0x%x clamp_mss=%u pmtu_fix=0x%x "
	       "reserved=%u,%u,%u,%u,%u\n", info->flags, info->mark_mask,
	       info->clamp_mss, info->pmtu_fix, info->reserved[0],
	       info->reserved[1], info->reserved[2], info->reserved[3],
	       info->reserved[4]);
	printf("data:");
	for (i = 0; i < t->size; i++)
		printf("%s%02x", i % 4 ? "" : " ", t->t->data[i]);
	printf("\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libxt_CLIPPER: iptables/ip6tables userspace part of the CLIPPER target.
 *
 * One shared object serves both families (NFPROTO_UNSPEC).  The option
 * block it fills in is struct xt_clipper_tginfo from xt_CLIPPER.h; fields
 * that no option sets stay zero, as the kernel refuses anything else.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xtables.h>

#include "xt_CLIPPER.h"

/*
 * Like the extensions shipped with iptables (built with -D_INIT=lib..._init),
 * give _init a unique name so that it does not collide with the C runtime's
 * own _init; it runs as a constructor when iptables loads this object.
 */
#ifndef XTABLES_INTERNAL
#ifndef _INIT
#define _INIT libxt_CLIPPER_init
#endif
#define _init _INIT
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Largest MSS that fits an IPv4 packet of 65535 bytes (minus 20 + 20). */
#define CLIPPER_MSS_MAX		65495

enum {
	O_CLASSIFY = 0,
	O_MARK_MASK,
	O_CLAMP_MSS,
	O_PMTU_GUARD,
	O_PMTU_FIX,
	O_WS_COUNT,
};

#define F_CLASSIFY	(1U << O_CLASSIFY)
#define F_MARK_MASK	(1U << O_MARK_MASK)
#define F_CLAMP_MSS	(1U << O_CLAMP_MSS)
#define F_PMTU_GUARD	(1U << O_PMTU_GUARD)
#define F_PMTU_FIX	(1U << O_PMTU_FIX)
#define F_WS_COUNT	(1U << O_WS_COUNT)
#define F_ANY_ACTION	(F_CLASSIFY | F_CLAMP_MSS | F_PMTU_GUARD | F_WS_COUNT)

/* Names of the --pmtu-fix remedies, in canonical (save/print) order. */
static const struct {
	const char	*name;
	uint16_t	bit;
} clipper_fixes[] = {
	{ "icmp",	XT_CLIPPER_FIX_ICMP },
	{ "df",		XT_CLIPPER_FIX_DF },
	{ "mss",	XT_CLIPPER_FIX_MSS },
};

#define CLIPPER_FIX_NAMES	"icmp, df, mss"

static const struct xt_option_entry clipper_tg_opts[] = {
	{ .name = "classify", .id = O_CLASSIFY, .type = XTTYPE_NONE },
	{ .name = "mark-mask", .id = O_MARK_MASK, .type = XTTYPE_UINT32,
	  .also = F_CLASSIFY },
	{ .name = "clamp-mss", .id = O_CLAMP_MSS, .type = XTTYPE_STRING },
	{ .name = "pmtu-guard", .id = O_PMTU_GUARD, .type = XTTYPE_NONE },
	{ .name = "pmtu-fix", .id = O_PMTU_FIX, .type = XTTYPE_STRING,
	  .also = F_PMTU_GUARD },
	{ .name = "ws-count", .id = O_WS_COUNT, .type = XTTYPE_NONE },
	XTOPT_TABLEEND,
};

static void clipper_tg_help(void)
{
	printf(
"CLIPPER target options:\n"
"  --classify                Class from the source MAC, kept in ct/skb mark\n"
"                            (PREROUTING, INPUT and FORWARD only)\n"
"  --mark-mask MASK          Mark bits used by --classify (default 0x%x)\n"
"  --clamp-mss pmtu|VALUE    Lower the MSS of SYN and SYN/ACK to the path\n"
"                            MTU, or to VALUE (%u..%u)\n"
"  --pmtu-guard              Detect and repair PMTU black holes on TCP flows\n"
"  --pmtu-fix LIST           Remedies of --pmtu-guard, a comma-separated\n"
"                            subset of icmp,df,mss (default icmp,mss)\n"
"  --ws-count                Count WebSocket frames on upgraded flows\n"
"CLIPPER never drops or accepts: it always continues with the next rule.\n",
	       XT_CLIPPER_MARK_MASK_DEFAULT, XT_CLIPPER_MSS_MIN,
	       CLIPPER_MSS_MAX);
}

static uint16_t clipper_parse_mss(const char *arg)
{
	unsigned int mss;

	if (strcmp(arg, "pmtu") == 0)
		return XT_CLIPPER_MSS_PMTU;
	if (!xtables_strtoui(arg, NULL, &mss, XT_CLIPPER_MSS_MIN,
			     CLIPPER_MSS_MAX))
		xtables_error(PARAMETER_PROBLEM,
			      "CLIPPER: --clamp-mss takes \"pmtu\" or a number in %u..%u, not \"%s\"",
			      XT_CLIPPER_MSS_MIN, CLIPPER_MSS_MAX, arg);
	return mss;
}

static uint16_t clipper_parse_fix(const char *arg)
{
	const char *word = arg;
	uint16_t fix = 0;

	for (;;) {
		size_t len = strcspn(word, ",");
		uint16_t bit = 0;
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(clipper_fixes); i++) {
			if (strlen(clipper_fixes[i].name) == len &&
			    strncmp(word, clipper_fixes[i].name, len) == 0) {
				bit = clipper_fixes[i].bit;
				break;
			}
		}
		if (len == 0)
			xtables_error(PARAMETER_PROBLEM,
				      "CLIPPER: --pmtu-fix \"%s\": empty remedy; valid ones are %s",
				      arg, CLIPPER_FIX_NAMES);
		if (bit == 0)
			xtables_error(PARAMETER_PROBLEM,
				      "CLIPPER: --pmtu-fix: unknown remedy \"%.*s\"; valid ones are %s",
				      (int)len, word, CLIPPER_FIX_NAMES);
		if (fix & bit)
			xtables_error(PARAMETER_PROBLEM,
				      "CLIPPER: --pmtu-fix: remedy \"%.*s\" given twice",
				      (int)len, word);
		fix |= bit;
		if (word[len] == '\0')
			break;
		word += len + 1;
	}
	return fix;
}

static void clipper_tg_parse(struct xt_option_call *cb)
{
	struct xt_clipper_tginfo *info = cb->data;

	/* Refuses repeated and inverted options, parses --mark-mask. */
	xtables_option_parse(cb);

	switch (cb->entry->id) {
	case O_CLASSIFY:
		info->flags |= XT_CLIPPER_CLASSIFY;
		if (!(info->flags & XT_CLIPPER_MARK_MASK))
			info->mark_mask = XT_CLIPPER_MARK_MASK_DEFAULT;
		break;
	case O_MARK_MASK:
		if (cb->val.u32 == 0)
			xtables_error(PARAMETER_PROBLEM,
				      "CLIPPER: --mark-mask must not be 0");
		info->flags |= XT_CLIPPER_MARK_MASK;
		info->mark_mask = cb->val.u32;
		break;
	case O_CLAMP_MSS:
		info->flags |= XT_CLIPPER_CLAMP_MSS;
		info->clamp_mss = clipper_parse_mss(cb->arg);
		break;
	case O_PMTU_GUARD:
		info->flags |= XT_CLIPPER_PMTU_GUARD;
		if (!(cb->xflags & F_PMTU_FIX))
			info->pmtu_fix = XT_CLIPPER_FIX_DEFAULT;
		break;
	case O_PMTU_FIX:
		info->pmtu_fix = clipper_parse_fix(cb->arg);
		break;
	case O_WS_COUNT:
		info->flags |= XT_CLIPPER_WS_COUNT;
		break;
	}
}

static void clipper_tg_check(struct xt_fcheck_call *cb)
{
	if ((cb->xflags & F_MARK_MASK) && !(cb->xflags & F_CLASSIFY))
		xtables_error(PARAMETER_PROBLEM,
			      "CLIPPER: --mark-mask needs --classify");
	if ((cb->xflags & F_PMTU_FIX) && !(cb->xflags & F_PMTU_GUARD))
		xtables_error(PARAMETER_PROBLEM,
			      "CLIPPER: --pmtu-fix needs --pmtu-guard");
	if (!(cb->xflags & F_ANY_ACTION))
		xtables_error(PARAMETER_PROBLEM,
			      "CLIPPER: needs at least one of --classify, --clamp-mss, --pmtu-guard, --ws-count");
}

static void clipper_print_fix(uint16_t fix)
{
	const char *sep = " ";
	unsigned int i;

	if (fix == 0) {
		printf(" none");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(clipper_fixes); i++) {
		if (!(fix & clipper_fixes[i].bit))
			continue;
		printf("%s%s", sep, clipper_fixes[i].name);
		sep = ",";
	}
}

static void clipper_tg_print(const void *ip __attribute__((unused)),
			     const struct xt_entry_target *target,
			     int numeric __attribute__((unused)))
{
	const struct xt_clipper_tginfo *info = (const void *)target->data;

	printf(" CLIPPER");
	if (info->flags & XT_CLIPPER_CLASSIFY)
		printf(" classify mark-mask 0x%x", info->mark_mask);
	if (info->flags & XT_CLIPPER_CLAMP_MSS) {
		if (info->clamp_mss == XT_CLIPPER_MSS_PMTU)
			printf(" clamp-mss pmtu");
		else
			printf(" clamp-mss %u", info->clamp_mss);
	}
	if (info->flags & XT_CLIPPER_PMTU_GUARD) {
		printf(" pmtu-guard fix");
		clipper_print_fix(info->pmtu_fix);
	}
	if (info->flags & XT_CLIPPER_WS_COUNT)
		printf(" ws-count");
}

static void clipper_tg_save(const void *ip __attribute__((unused)),
			    const struct xt_entry_target *target)
{
	const struct xt_clipper_tginfo *info = (const void *)target->data;

	if (info->flags & XT_CLIPPER_CLASSIFY) {
		printf(" --classify");
		if (info->flags & XT_CLIPPER_MARK_MASK)
			printf(" --mark-mask 0x%x", info->mark_mask);
	}
	if (info->flags & XT_CLIPPER_CLAMP_MSS) {
		if (info->clamp_mss == XT_CLIPPER_MSS_PMTU)
			printf(" --clamp-mss pmtu");
		else
			printf(" --clamp-mss %u", info->clamp_mss);
	}
	if (info->flags & XT_CLIPPER_PMTU_GUARD) {
		printf(" --pmtu-guard");
		if (info->pmtu_fix != XT_CLIPPER_FIX_DEFAULT) {
			printf(" --pmtu-fix");
			clipper_print_fix(info->pmtu_fix);
		}
	}
	if (info->flags & XT_CLIPPER_WS_COUNT)
		printf(" --ws-count");
}

static struct xtables_target clipper_tg_reg = {
	.family		= NFPROTO_UNSPEC,
	.name		= "CLIPPER",
	.version	= XTABLES_VERSION,
	.revision	= 0,
	.size		= XT_ALIGN(sizeof(struct xt_clipper_tginfo)),
	.userspacesize	= XT_ALIGN(sizeof(struct xt_clipper_tginfo)),
	.help		= clipper_tg_help,
	.print		= clipper_tg_print,
	.save		= clipper_tg_save,
	.x6_parse	= clipper_tg_parse,
	.x6_fcheck	= clipper_tg_check,
	.x6_options	= clipper_tg_opts,
};

void __attribute__((constructor)) _init(void)
{
	xtables_register_target(&clipper_tg_reg);
}

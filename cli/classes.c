// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the names of the classes and of DSCP values, which the mac,
 * class, config and save objects share.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "obj.h"

/* Indexed by enum clipper_class. */
static const char *const class_names[CLIPPER_CLASS_MAX + 1] = {
	[CLIPPER_CLASS_NONE]		= "none",
	[CLIPPER_CLASS_EXEMPT]		= "exempt",
	[CLIPPER_CLASS_PREMIUM]		= "premium",
	[CLIPPER_CLASS_EXPRESS]		= "express",
	[CLIPPER_CLASS_STANDARD]	= "standard",
	[CLIPPER_CLASS_BULK]		= "bulk",
};

const char *cl_class_name(unsigned int id, char *buf, size_t len)
{
	if (id <= CLIPPER_CLASS_MAX && class_names[id])
		return class_names[id];
	snprintf(buf, len, "class_%u", id);
	return buf;
}

uint8_t cl_class_lookup(const char *name)
{
	unsigned int id;

	for (id = CLIPPER_CLASS_NONE + 1; id <= CLIPPER_CLASS_MAX; id++)
		if (class_names[id] && !strcasecmp(class_names[id], name))
			return id;
	return CLIPPER_CLASS_NONE;
}

int cl_class_arg(const struct cl_object *obj, const char *s, uint8_t *id)
{
	char list[128];
	unsigned int i;
	size_t off = 0;

	*id = cl_class_lookup(s);
	if (*id)
		return 0;
	list[0] = '\0';
	for (i = CLIPPER_CLASS_NONE + 1; i <= CLIPPER_CLASS_MAX; i++)
		if (class_names[i] && off < sizeof(list))
			off += snprintf(list + off, sizeof(list) - off, "%s%s",
					off ? ", " : "", class_names[i]);
	return cl_usage_error(obj, "unknown class \"%s\" (one of: %s)", s,
			      list);
}

int cl_dscp_parse(const char *s)
{
	char *end;
	long v;

	if (!strcasecmp(s, "unchanged"))
		return CLIPPER_DSCP_UNCHANGED;
	if (!strcasecmp(s, "EF"))
		return 46;
	if ((s[0] == 'C' || s[0] == 'c') && (s[1] == 'S' || s[1] == 's') &&
	    s[2] >= '0' && s[2] <= '7' && !s[3])
		return (s[2] - '0') << 3;
	if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'F' || s[1] == 'f') &&
	    s[2] >= '1' && s[2] <= '4' && s[3] >= '1' && s[3] <= '3' && !s[4])
		return ((s[2] - '0') << 3) | ((s[3] - '0') << 1);
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < 0 || v > 63)
		return -1;
	return v;
}

const char *cl_dscp_name(uint8_t dscp, char *buf, size_t len)
{
	if (dscp == CLIPPER_DSCP_UNCHANGED)
		snprintf(buf, len, "unchanged");
	else if (dscp == 46)
		snprintf(buf, len, "EF");
	else if (!(dscp & 7))
		snprintf(buf, len, "CS%u", dscp >> 3);
	else if (dscp >= 10 && dscp <= 38 && !(dscp & 1) && (dscp & 7) <= 6)
		snprintf(buf, len, "AF%u%u", dscp >> 3, (dscp & 7) >> 1);
	else
		snprintf(buf, len, "%u", dscp);
	return buf;
}

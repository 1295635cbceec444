/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: counter sections (CLIPPER_A_STATS) as sent by the kernel.
 *
 * A section is a nest of u64 counters numbered by enum clipper_ctr.  Ids
 * this tool does not know are kept and shown as "counter_N", sections it
 * does not know as "section_N", so an older tool shows a newer module's
 * counters.
 */
#ifndef _CLIPPER_COUNTERS_H
#define _CLIPPER_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nl.h"

#define CL_CTR_SLOTS		64
#define CL_SECTION_SLOTS	16

struct cl_counter {
	uint16_t id;		/* enum clipper_ctr */
	uint64_t val;
};

/* Sorted by id, each id once. */
struct cl_counters {
	unsigned int n;
	struct cl_counter c[CL_CTR_SLOTS];
};

struct cl_section {
	uint16_t id;		/* enum clipper_stats_attr */
	struct cl_counters ctr;
};

/* Sorted by id, each id once. */
struct cl_stats {
	unsigned int n;
	struct cl_section sec[CL_SECTION_SLOTS];
};

/* Section names: JSON keys and headings. */
extern const char *const cl_section_names[];

int cl_counters_parse(const struct nlattr *nest, struct cl_counters *cs,
		      struct cl_nl_err *err);
bool cl_counters_get(const struct cl_counters *cs, uint16_t id,
		     uint64_t *val);
/* "packets", or "counter_N" (written to buf) for an unknown id. */
const char *cl_counter_name(uint16_t id, char *buf, size_t len);
/*
 * The counters (none if cs is NULL) through print.h: in JSON an object
 * (under key), in text one "    NAME  VALUE" line each, the names padded
 * to width.
 */
void cl_counters_show(const char *key, const struct cl_counters *cs,
		      unsigned int width);
/* The widest counter name. */
unsigned int cl_counters_width(const struct cl_counters *cs);

/* Parses a CLIPPER_A_STATS nest into st (cleared first). */
int cl_stats_parse(const struct nlattr *nest, struct cl_stats *st,
		   struct cl_nl_err *err);
/* A section's counters, or NULL if the kernel sent none. */
const struct cl_counters *cl_stats_section(const struct cl_stats *st,
					   uint16_t id);
/* "classify", or "section_N" (written to buf) for an unknown id. */
const char *cl_section_name(uint16_t id, char *buf, size_t len);

#endif /* _CLIPPER_COUNTERS_H */

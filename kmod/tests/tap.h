/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP for the unit tests: ok() prints one test line, tap_done() the plan
 * and gives main() its exit status.
 */
#ifndef _CLIPPER_TESTS_TAP_H
#define _CLIPPER_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int n, failed;

static void ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	n++;
	printf("%sok %d - ", cond ? "" : "not ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		failed++;
}

static int tap_done(void)
{
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}

#endif

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
#include <stdint.h>

static int n, failed;

/* xorshift32, the tests' fixed-seed PRNG: the next value of *state */
static inline uint32_t tap_xorshift32(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

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

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: a tiny TAP producer for the unit tests.
 *
 *	ok(cond, "what");
 *	is_str(got, want, "what");
 *	is_int(got, want, "what");
 *	return tap_done();
 */
#ifndef _CLIPPER_TAP_H
#define _CLIPPER_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline bool tap_ok(bool pass, const char *file, int line,
			  const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass) {
		tap_failed++;
		printf("#   Failed at %s:%d\n", file, line);
	}
	return pass;
}

/* Prints both sides, one "# " line each, when they differ. */
static inline void tap_diag(const char *label, const char *s)
{
	printf("#   %s:\n", label);
	if (!s) {
		printf("#     (null)\n");
		return;
	}
	printf("#     |");
	for (; *s; s++) {
		if (*s == '\n')
			printf("\n#     |");
		else
			putchar(*s);
	}
	putchar('\n');
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_str(got, want, ...) do {					\
	const char *_g = (got), *_w = (want);				\
	if (!tap_ok(_g && _w && !strcmp(_g, _w), __FILE__, __LINE__,	\
		    __VA_ARGS__)) {					\
		tap_diag("got", _g);					\
		tap_diag("expected", _w);				\
	}								\
} while (0)

#define is_int(got, want, ...) do {					\
	long long _g = (got), _w = (want);				\
	if (!tap_ok(_g == _w, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got %lld, expected %lld\n", _g, _w);	\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* _CLIPPER_TAP_H */

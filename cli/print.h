/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: one path for the text and the JSON output, in the manner of
 * iproute2's json_print.
 *
 * A printer walks its object once and hands each value to print_*() with
 * a type: PRINT_FP (the text only), PRINT_JSON (the JSON only) or
 * PRINT_ANY (both).  In text the value is written with fmt (NULL: as it
 * is); in JSON it is "key": value (no key inside an array).  Where the
 * text and the JSON say a thing differently ("unchanged" / null), or in
 * another place, a printer makes one call of each type.  Objects and
 * arrays exist in the JSON only; print_text() and print_nl() in the text
 * only.
 *
 *	print_start(ctx);
 *	print_open_object(NULL);
 *	print_uint(PRINT_ANY, "rules", "rules %u\n", n);
 *	print_close_object();
 *	print_end();
 *
 * A table (print_table()) is text in columns as wide as their widest cell:
 * inside a row each text value is a cell, until print_row_end(); its JSON
 * is what the row's calls make of it, usually an object in an array.
 */
#ifndef _CLIPPER_PRINT_H
#define _CLIPPER_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cl_ctx;

enum print_type {
	PRINT_FP	= 1,
	PRINT_JSON	= 2,
	PRINT_ANY	= PRINT_FP | PRINT_JSON,
};

/* A document on ctx->out, as text or JSON (-j, -p) as ctx says. */
void print_start(const struct cl_ctx *ctx);
/* The same, but the JSON on one line even with -p (a monitor event). */
void print_start_line(const struct cl_ctx *ctx);
/* Ends the document: a JSON document ends with a newline. */
void print_end(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int value);
void print_u64(enum print_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_s64(enum print_type t, const char *key, const char *fmt,
	       int64_t value);
/* text: fmt with "true" or "false" */
void print_bool(enum print_type t, const char *key, const char *fmt,
		bool value);
/*
 * JSON: null; text: fmt with text (what the text says instead).  A NULL
 * string (value or text) prints nothing in text, an empty cell in a table.
 */
void print_null(enum print_type t, const char *key, const char *fmt,
		const char *text);
/*
 * s made safe to print on a terminal, into buf: C0 and C1 control
 * characters, DEL and bytes that are not UTF-8 become '?' (a character
 * each); quotes, backslashes and valid UTF-8 stay.  print_string() does
 * this to every text value: names and comments come from the kernel.
 */
const char *print_clean(const char *s, char *buf, size_t len);
/* Text only, printf-like. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_nl(void);

/* ---- tables ---- */

#define PRINT_MAX_COLS	16
#define PRINT_CELL_LEN	128

struct print_col {
	const char *head;	/* "": none */
	unsigned int width;	/* at least this wide */
	bool right;		/* aligned to the right (numbers) */
};

/*
 * Prints nrows rows, row(i, data) printing row i.  In text: nothing for
 * no rows, else the headings and the rows in columns, two blanks apart,
 * each as wide as its widest cell (and its heading, and width).  A
 * column without heading whose cells are all empty is left out, and so
 * are the empty cells at the end of a row; the last cell of a line is not
 * padded on the right.  After print_row_end() a row may print lines of
 * text of its own (under the row).  In JSON: row(i, data) for each row.
 */
void print_table(const struct print_col *cols, unsigned int ncols,
		 size_t nrows, void (*row)(size_t i, const void *data),
		 const void *data);
void print_row_end(void);

#endif /* _CLIPPER_PRINT_H */

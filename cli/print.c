// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: one path for the text and the JSON output (see print.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "cli.h"
#include "print.h"

static struct {
	FILE *f;
	bool json;
	struct json j;
	/* a table in text */
	const struct print_col *cols;
	unsigned int ncols;
	bool measuring;		/* the first pass: nothing is printed */
	bool in_row;		/* text values are cells */
	unsigned int ncells;
	unsigned int width[PRINT_MAX_COLS];
	char cell[PRINT_MAX_COLS][PRINT_CELL_LEN];
} pr;

static void start(const struct cl_ctx *ctx, bool pretty)
{
	memset(&pr, 0, sizeof(pr));
	pr.f = ctx->out;
	pr.json = ctx->json;
	if (pr.json)
		json_init(&pr.j, pr.f, pretty);
}

void print_start(const struct cl_ctx *ctx)
{
	start(ctx, ctx->pretty);
}

void print_start_line(const struct cl_ctx *ctx)
{
	start(ctx, false);
}

void print_end(void)
{
	if (pr.json)
		json_end(&pr.j);
}

/* ---- JSON ---- */

static bool json_key_for(enum print_type t, const char *key)
{
	if (!pr.json || !(t & PRINT_JSON))
		return false;
	if (key)
		json_key(&pr.j, key);
	return true;
}

void print_open_object(const char *key)
{
	if (json_key_for(PRINT_JSON, key))
		json_obj_open(&pr.j);
}

void print_close_object(void)
{
	if (pr.json)
		json_obj_close(&pr.j);
}

void print_open_array(const char *key)
{
	if (json_key_for(PRINT_JSON, key))
		json_arr_open(&pr.j);
}

void print_close_array(void)
{
	if (pr.json)
		json_arr_close(&pr.j);
}

/* ---- text ---- */

static void text_vout(const char *fmt, va_list ap)
{
	if (pr.in_row) {
		if (pr.ncells < PRINT_MAX_COLS)
			vsnprintf(pr.cell[pr.ncells++], PRINT_CELL_LEN, fmt,
				  ap);
		return;
	}
	if (!pr.measuring)
		vfprintf(pr.f, fmt, ap);
}

static void text_out(enum print_type t, const char *fmt, ...)
{
	va_list ap;

	if (pr.json || !(t & PRINT_FP))
		return;
	va_start(ap, fmt);
	text_vout(fmt, ap);
	va_end(ap);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (pr.json)
		return;
	va_start(ap, fmt);
	text_vout(fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	print_text("\n");
}

/* ---- values ---- */

const char *print_clean(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int n;
	size_t o = 0;

	while (*p && o + 1 < len) {
		n = *p >= 0x80 ? json_utf8_len(p) : 1;
		/* U+0080..U+009F: C1 controls (0xc2 0x80..0x9f) */
		if (!n || *p < 0x20 || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] < 0xa0)) {
			buf[o++] = '?';
			p++;
			if (n == 2)
				p++;	/* a C1 control: one character */
			continue;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, p, n);
		o += n;
		p += n;
	}
	buf[o] = '\0';
	return buf;
}

void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *value)
{
	char buf[1024];

	if (json_key_for(t, key))
		json_str(&pr.j, value);
	else if (!value)
		text_out(t, "%s", "");	/* in a table, still a cell */
	else
		text_out(t, fmt ? fmt : "%s",
			 print_clean(value, buf, sizeof(buf)));
}

void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (json_key_for(t, key))
		json_u64(&pr.j, value);
	else
		text_out(t, fmt ? fmt : "%u", value);
}

void print_u64(enum print_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (json_key_for(t, key))
		json_u64(&pr.j, value);
	else
		text_out(t, fmt ? fmt : "%" PRIu64, value);
}

void print_s64(enum print_type t, const char *key, const char *fmt,
	       int64_t value)
{
	if (json_key_for(t, key))
		json_s64(&pr.j, value);
	else
		text_out(t, fmt ? fmt : "%" PRId64, value);
}

void print_bool(enum print_type t, const char *key, const char *fmt,
		bool value)
{
	if (json_key_for(t, key))
		json_bool(&pr.j, value);
	else
		text_out(t, fmt ? fmt : "%s", value ? "true" : "false");
}

void print_null(enum print_type t, const char *key, const char *fmt,
		const char *text)
{
	if (json_key_for(t, key))
		json_null(&pr.j);
	else
		text_out(t, text && fmt ? fmt : "%s", text ? text : "");
}

/* ---- tables ---- */

/*
 * How many columns of a terminal s takes: its characters, as text values
 * are UTF-8 once cleaned (a character of East Asian width counts one).
 */
static unsigned int text_width(const char *s)
{
	unsigned int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void pad(unsigned int n)
{
	while (n--)
		putc(' ', pr.f);
}

/* The cells as a line of the table. */
static void line_out(void)
{
	unsigned int w, fill;
	int c, last = -1;
	bool first = true;

	for (c = 0; c < (int)pr.ncells; c++)
		if (pr.cell[c][0] && pr.width[c])
			last = c;
	for (c = 0; c <= last; c++) {
		if (!pr.width[c])
			continue;	/* no heading, nothing in it */
		if (!first)
			fputs("  ", pr.f);
		first = false;
		w = text_width(pr.cell[c]);
		fill = w < pr.width[c] ? pr.width[c] - w : 0;
		if (pr.cols[c].right)
			pad(fill);
		fputs(pr.cell[c], pr.f);
		if (!pr.cols[c].right && c != last)
			pad(fill);
	}
	putc('\n', pr.f);
}

static void row_begin(void)
{
	unsigned int c;

	pr.in_row = true;
	pr.ncells = 0;
	for (c = 0; c < pr.ncols; c++)
		pr.cell[c][0] = '\0';
}

void print_row_end(void)
{
	unsigned int c, len;

	if (!pr.in_row)
		return;
	pr.in_row = false;
	if (!pr.measuring) {
		line_out();
		return;
	}
	for (c = 0; c < pr.ncells && c < pr.ncols; c++) {
		len = text_width(pr.cell[c]);
		if (len > pr.width[c])
			pr.width[c] = len;
	}
}

void print_table(const struct print_col *cols, unsigned int ncols,
		 size_t nrows, void (*row)(size_t i, const void *data),
		 const void *data)
{
	unsigned int c;
	size_t i;

	if (pr.json) {
		for (i = 0; i < nrows; i++)
			row(i, data);
		return;
	}
	if (!nrows)
		return;
	if (ncols > PRINT_MAX_COLS)
		ncols = PRINT_MAX_COLS;
	pr.cols = cols;
	pr.ncols = ncols;
	for (c = 0; c < ncols; c++) {
		pr.width[c] = cols[c].width;
		if (text_width(cols[c].head) > pr.width[c])
			pr.width[c] = text_width(cols[c].head);
	}
	/* pass 0 measures, pass 1 prints */
	pr.measuring = true;
	for (i = 0; i < nrows; i++) {
		row_begin();
		row(i, data);
		print_row_end();
	}
	pr.measuring = false;
	for (c = 0; c < ncols; c++)
		snprintf(pr.cell[c], PRINT_CELL_LEN, "%s", cols[c].head);
	pr.ncells = ncols;
	line_out();
	for (i = 0; i < nrows; i++) {
		row_begin();
		row(i, data);
		print_row_end();
	}
	pr.cols = NULL;
	pr.ncols = 0;
}

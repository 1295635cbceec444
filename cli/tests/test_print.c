// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: unit tests of print.c, the one print path for text and JSON:
 * the types of output, the cleaning of text values and the tables.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "print.h"
#include "tap.h"

static struct cl_ctx ctx;
static char *out;

typedef void (*print_fn)(const void *data);

static const char *capture(print_fn fn, const void *data, bool json)
{
	size_t len;

	free(out);
	ctx.out = open_memstream(&out, &len);
	if (!ctx.out)
		abort();
	ctx.json = json;
	ctx.pretty = false;
	print_start(&ctx);
	fn(data);
	print_end();
	fclose(ctx.out);
	return out;
}

static void types(const void *data)
{
	(void)data;
	print_open_object(NULL);
	print_string(PRINT_ANY, "a", "a=%s ", "x");
	print_string(PRINT_FP, NULL, "fp ", "");
	print_string(PRINT_JSON, "b", NULL, NULL);
	print_uint(PRINT_ANY, "c", "c=%u ", 4294967295U);
	print_u64(PRINT_ANY, "d", NULL, 18446744073709551615ULL);
	print_s64(PRINT_JSON, "e", NULL, -9223372036854775807LL - 1);
	print_bool(PRINT_ANY, "f", " f=%s", true);
	print_null(PRINT_ANY, "g", " g=%s", "none");
	print_open_array("h");
	print_string(PRINT_JSON, NULL, NULL, "i");
	print_close_array();
	print_text(" %d", 42);
	print_nl();
	print_close_object();
}

static void clean(const char *in, const char *want, const char *what)
{
	char buf[64];

	is_str(print_clean(in, buf, sizeof(buf)), want, "clean: %s", what);
}

struct rows {
	size_t n;
	const char *const (*cell)[4];
};

static void row(size_t i, const void *data)
{
	const struct rows *r = data;
	unsigned int c;

	print_open_object(NULL);
	for (c = 0; c < 4; c++)
		print_string(PRINT_ANY, c ? "n" : "name", NULL, r->cell[i][c]);
	print_close_object();
	print_row_end();
	if (i == 0)
		print_text("  under the first row\n");
}

static void table(const void *data)
{
	static const struct print_col cols[] = {
		{ .head = "NAME" },
		{ .head = "N", .width = 3, .right = true },
		{ .head = "" },
		{ .head = "" },
	};

	print_open_array(NULL);
	print_table(cols, ARRAY_SIZE(cols), ((const struct rows *)data)->n,
		    row, data);
	print_close_array();
}

int main(void)
{
	static const char *const cells[][4] = {
		{ "a", "1", "", "" },
		{ "caf\xc3\xa9 \xe2\x82\xac", "12345", "", "note" },
		{ "b\x1b", "7", NULL, "" },
	};
	struct rows r = { 3, cells };
	struct rows none = { 0, cells };

	is_str(capture(types, NULL, false),
	       "a=x fp c=4294967295 18446744073709551615 f=true g=none 42\n",
	       "text: PRINT_ANY and PRINT_FP, with fmt or without");
	is_str(capture(types, NULL, true),
	       "{\"a\":\"x\",\"b\":null,\"c\":4294967295,"
	       "\"d\":18446744073709551615,\"e\":-9223372036854775808,"
	       "\"f\":true,\"g\":null,\"h\":[\"i\"]}\n",
	       "JSON: PRINT_ANY and PRINT_JSON, objects and arrays");

	clean("plain \"quoted\" \\ ok", "plain \"quoted\" \\ ok",
	      "quotes and backslashes stay");
	clean("\x01\t\n\r\x1b[0m\x7f", "?????[0m?", "C0 controls and DEL");
	clean("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e",
	      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e", "UTF-8 stays");
	clean("\xc2\x9b" "1m \xc2\x85", "?1m ?", "C1 controls, one '?' each");
	clean("\xc2\xa0", "\xc2\xa0", "U+00A0 is no control");
	clean("\xff\xc0\xaf\xed\xa0\x80\xe2\x82", "????????",
	      "bytes that are not UTF-8, one '?' each");

	is_str(capture(table, &r, false),
	       "NAME        N\n"
	       "a           1\n"
	       "  under the first row\n"
	       "caf\xc3\xa9 \xe2\x82\xac  12345  note\n"
	       "b?          7\n",
	       "table: widest cells, characters not bytes, empty columns "
	       "without heading left out, no trailing blanks");
	is_str(capture(table, &none, false), "", "table: nothing for no rows");
	is_str(capture(table, &none, true), "[]\n", "table: [] in JSON");
	is_str(capture(table, &r, true),
	       "[{\"name\":\"a\",\"n\":\"1\",\"n\":\"\",\"n\":\"\"},"
	       "{\"name\":\"caf\xc3\xa9 \xe2\x82\xac\",\"n\":\"12345\","
	       "\"n\":\"\",\"n\":\"note\"},"
	       "{\"name\":\"b\\u001b\",\"n\":\"7\",\"n\":null,\"n\":\"\"}]\n",
	       "table: the rows' JSON");
	free(out);
	return tap_done();
}

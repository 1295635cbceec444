// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: unit tests of the JSON writer.
 *
 *	test_json [DIR]
 *
 * With DIR, every document is also written to DIR/NAME.{compact,pretty}.json
 * for run.sh to check with python3.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "json.h"
#include "tap.h"

typedef void (*build_fn)(struct json *j);

static const char *outdir;

/* The document built by fn; *err gets json_end()'s result. */
static char *render(build_fn fn, bool pretty, int *err)
{
	struct json j;
	size_t len;
	char *buf;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	json_init(&j, f, pretty);
	fn(&j);
	*err = json_end(&j);
	fclose(f);
	return buf;
}

static void save(const char *name, build_fn fn)
{
	char path[4096];
	int i, err;
	char *s;
	FILE *f;

	if (!outdir)
		return;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.%s.json", outdir, name,
			 i ? "pretty" : "compact");
		s = render(fn, i, &err);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			exit(1);
		}
		fputs(s, f);
		fclose(f);
		free(s);
	}
}

static void check(const char *name, build_fn fn, const char *compact,
		  const char *pretty)
{
	int err;
	char *s;

	s = render(fn, false, &err);
	is_int(err, 0, "%s: compact: no error", name);
	is_str(s, compact, "%s: compact output", name);
	free(s);
	if (pretty) {
		s = render(fn, true, &err);
		is_int(err, 0, "%s: pretty: no error", name);
		is_str(s, pretty, "%s: pretty output", name);
		free(s);
	}
	save(name, fn);
}

static void doc_nested(struct json *j)
{
	json_obj_open(j);
	json_kv_u64(j, "a", 1);
	json_kv_arr_open(j, "b");
	json_bool(j, true);
	json_bool(j, false);
	json_null(j);
	json_arr_close(j);
	json_kv_obj_open(j, "c");
	json_kv_str(j, "d", "x");
	json_kv_obj_open(j, "e");
	json_obj_close(j);
	json_obj_close(j);
	json_kv_arr_open(j, "f");
	json_arr_close(j);
	json_kv_s64(j, "g", -5);
	json_kv_u64(j, "h", UINT64_MAX);
	json_kv_s64(j, "i", INT64_MIN);
	json_kv_arr_open(j, "j");
	json_arr_open(j);
	json_arr_close(j);
	json_arr_open(j);
	json_obj_open(j);
	json_obj_close(j);
	json_u64(j, 0);
	json_arr_close(j);
	json_arr_close(j);
	json_kv_str(j, "k", NULL);
	json_obj_close(j);
}

static const char nested_compact[] =
	"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\",\"e\":{}},"
	"\"f\":[],\"g\":-5,\"h\":18446744073709551615,"
	"\"i\":-9223372036854775808,\"j\":[[],[{},0]],\"k\":null}\n";

static const char nested_pretty[] =
	"{\n"
	"    \"a\": 1,\n"
	"    \"b\": [\n"
	"        true,\n"
	"        false,\n"
	"        null\n"
	"    ],\n"
	"    \"c\": {\n"
	"        \"d\": \"x\",\n"
	"        \"e\": {}\n"
	"    },\n"
	"    \"f\": [],\n"
	"    \"g\": -5,\n"
	"    \"h\": 18446744073709551615,\n"
	"    \"i\": -9223372036854775808,\n"
	"    \"j\": [\n"
	"        [],\n"
	"        [\n"
	"            {},\n"
	"            0\n"
	"        ]\n"
	"    ],\n"
	"    \"k\": null\n"
	"}\n";

/* Every control character, 1 to 31. */
static char controls[32];

static void doc_escape(struct json *j)
{
	json_obj_open(j);
	json_kv_str(j, "quote", "a\"b");
	json_kv_str(j, "backslash", "a\\b\\");
	json_kv_str(j, "slash", "a/b");
	json_kv_str(j, "controls", controls);
	json_kv_str(j, "del", "\x7f");
	json_kv_str(j, "utf8", "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e");
	/* lone byte, bad continuation, surrogate, bad lead, cut short */
	json_kv_str(j, "bad", "\xff\xc3(\xed\xa0\x80\xf8\xe2\x82");
	json_kv_str(j, "key \"with\"\n\\escapes", "");
	json_obj_close(j);
}

static const char escape_compact[] =
	"{\"quote\":\"a\\\"b\",\"backslash\":\"a\\\\b\\\\\",\"slash\":\"a/b\","
	"\"controls\":\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
	"\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013"
	"\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c"
	"\\u001d\\u001e\\u001f\",\"del\":\"\x7f\","
	"\"utf8\":\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e\","
	"\"bad\":\"\\ufffd\\ufffd(\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\","
	"\"key \\\"with\\\"\\n\\\\escapes\":\"\"}\n";

static void doc_top_str(struct json *j)
{
	json_str(j, "top");
}

static void doc_top_arr(struct json *j)
{
	json_arr_open(j);
	json_s64(j, -1);
	json_str(j, "");
	json_arr_close(j);
}

static void doc_empty(struct json *j)
{
	json_obj_open(j);
	json_obj_close(j);
}

/* Misuse: each must make json_end() fail. */
static void bad_value_without_key(struct json *j)
{
	json_obj_open(j);
	json_u64(j, 1);
	json_obj_close(j);
}

static void bad_key_in_array(struct json *j)
{
	json_arr_open(j);
	json_key(j, "k");
	json_u64(j, 1);
	json_arr_close(j);
}

static void bad_mismatched_close(struct json *j)
{
	json_obj_open(j);
	json_arr_close(j);
}

static void bad_two_values(struct json *j)
{
	json_u64(j, 1);
	json_u64(j, 2);
}

static void bad_unclosed(struct json *j)
{
	json_obj_open(j);
	json_kv_u64(j, "a", 1);
}

static void bad_dangling_key(struct json *j)
{
	json_obj_open(j);
	json_key(j, "a");
	json_obj_close(j);
}

static void bad_nothing(struct json *j)
{
	(void)j;
}

static void bad_too_deep(struct json *j)
{
	int i;

	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_open(j);
	for (i = 0; i <= JSON_MAX_DEPTH; i++)
		json_arr_close(j);
}

static void misuse(const char *name, build_fn fn, int want_err,
		   const char *want_out)
{
	int err;
	char *s;

	s = render(fn, false, &err);
	is_int(err, want_err, "bad calls: %s is reported", name);
	if (want_out)
		is_str(s, want_out, "bad calls: %s stops the output", name);
	free(s);
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 1)
		outdir = argv[1];
	for (i = 1; i < 32; i++)
		controls[i - 1] = i;

	check("nested", doc_nested, nested_compact, nested_pretty);
	check("escape", doc_escape, escape_compact, NULL);
	check("top_str", doc_top_str, "\"top\"\n", "\"top\"\n");
	check("top_arr", doc_top_arr, "[-1,\"\"]\n",
	      "[\n    -1,\n    \"\"\n]\n");
	check("empty", doc_empty, "{}\n", "{}\n");

	misuse("value without key", bad_value_without_key, EINVAL, "{");
	misuse("key in array", bad_key_in_array, EINVAL, "[");
	misuse("mismatched close", bad_mismatched_close, EINVAL, "{");
	misuse("two top-level values", bad_two_values, EINVAL, "1");
	misuse("unclosed object", bad_unclosed, EINVAL, NULL);
	misuse("key without value", bad_dangling_key, EINVAL, NULL);
	misuse("empty document", bad_nothing, EINVAL, "");
	misuse("nesting too deep", bad_too_deep, E2BIG, NULL);

	return tap_done();
}

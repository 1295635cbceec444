// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: a tiny streaming JSON writer (see json.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

int json_end(struct json *j)
{
	if (!j->err && (j->depth || j->key_pending || !j->done))
		j->err = EINVAL;
	if (j->err)
		return j->err;
	putc('\n', j->f);
	return 0;
}

static void json_indent(struct json *j, unsigned int depth)
{
	unsigned int i;

	putc('\n', j->f);
	for (i = 0; i < depth; i++)
		fputs("    ", j->f);
}

/* Before an item of the current container: the comma and the indent. */
static void json_sep(struct json *j)
{
	unsigned int d = j->depth - 1;

	if (!j->first[d])
		putc(',', j->f);
	j->first[d] = false;
	if (j->pretty)
		json_indent(j, j->depth);
}

/* May a value be written here?  Writes what goes before it. */
static bool json_pre_value(struct json *j)
{
	if (j->err)
		return false;
	if (!j->depth) {
		if (j->done) {
			j->err = EINVAL;
			return false;
		}
		return true;
	}
	if (j->is_obj[j->depth - 1]) {
		if (!j->key_pending) {
			j->err = EINVAL;
			return false;
		}
		j->key_pending = false;
		return true;
	}
	json_sep(j);
	return true;
}

static void json_post_value(struct json *j)
{
	if (!j->depth)
		j->done = true;
}

unsigned int json_utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* UTF-16 surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	if (p[1] < lo || p[1] > hi)
		return 0;
	/* a NUL is not a continuation byte, so this stops at the end */
	for (i = 2; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void json_put_string(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	FILE *f = j->f;
	unsigned int n;

	putc('"', f);
	while (*p) {
		if (*p >= 0x80) {
			n = json_utf8_len(p);
			if (n) {
				fwrite(p, 1, n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
		p++;
	}
	putc('"', f);
}

static void json_open(struct json *j, bool obj)
{
	if (!json_pre_value(j))
		return;
	if (j->depth >= JSON_MAX_DEPTH) {
		j->err = E2BIG;
		return;
	}
	putc(obj ? '{' : '[', j->f);
	j->is_obj[j->depth] = obj;
	j->first[j->depth] = true;
	j->depth++;
}

static void json_close(struct json *j, bool obj)
{
	if (j->err)
		return;
	if (!j->depth || j->is_obj[j->depth - 1] != obj || j->key_pending) {
		j->err = EINVAL;
		return;
	}
	j->depth--;
	if (j->pretty && !j->first[j->depth])
		json_indent(j, j->depth);
	putc(obj ? '}' : ']', j->f);
	json_post_value(j);
}

void json_obj_open(struct json *j)
{
	json_open(j, true);
}

void json_obj_close(struct json *j)
{
	json_close(j, true);
}

void json_arr_open(struct json *j)
{
	json_open(j, false);
}

void json_arr_close(struct json *j)
{
	json_close(j, false);
}

void json_key(struct json *j, const char *key)
{
	if (j->err)
		return;
	if (!j->depth || !j->is_obj[j->depth - 1] || j->key_pending) {
		j->err = EINVAL;
		return;
	}
	json_sep(j);
	json_put_string(j, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->key_pending = true;
}

/* A NULL string is written as null. */
void json_str(struct json *j, const char *s)
{
	if (!json_pre_value(j))
		return;
	if (s)
		json_put_string(j, s);
	else
		fputs("null", j->f);
	json_post_value(j);
}

void json_u64(struct json *j, uint64_t v)
{
	if (!json_pre_value(j))
		return;
	fprintf(j->f, "%" PRIu64, v);
	json_post_value(j);
}

void json_s64(struct json *j, int64_t v)
{
	if (!json_pre_value(j))
		return;
	fprintf(j->f, "%" PRId64, v);
	json_post_value(j);
}

void json_bool(struct json *j, bool v)
{
	if (!json_pre_value(j))
		return;
	fputs(v ? "true" : "false", j->f);
	json_post_value(j);
}

void json_null(struct json *j)
{
	if (!json_pre_value(j))
		return;
	fputs("null", j->f);
	json_post_value(j);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: a tiny streaming JSON writer.
 *
 * Values are written as they come; the writer tracks nesting so commas,
 * colons and (in pretty mode) newlines and 4-space indents land in the right
 * places.  Strings are escaped and invalid UTF-8 becomes U+FFFD, so the output
 * is always valid JSON as long as the calls are well nested; a misuse (a value
 * in an object without a key, a key in an array, a mismatched close, more
 * than one top-level value) stops all further output and is reported by
 * json_end().
 */
#ifndef _CLIPPER_JSON_H
#define _CLIPPER_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *f;
	bool pretty;
	bool key_pending;	/* a key was written, its value comes next */
	bool done;		/* the top-level value is complete */
	int err;		/* positive errno of the first misuse */
	unsigned int depth;
	bool is_obj[JSON_MAX_DEPTH];
	bool first[JSON_MAX_DEPTH];	/* nothing written in this container yet */
};

void json_init(struct json *j, FILE *f, bool pretty);
/* Ends the document with a newline; 0 or a positive errno. */
int json_end(struct json *j);

void json_obj_open(struct json *j);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j);
void json_arr_close(struct json *j);
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_s64(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/*
 * The length of the valid UTF-8 sequence at p (a byte 0x80 or above), or
 * 0 for a byte that starts none: an overlong form, a surrogate, above
 * U+10FFFF, cut short (a NUL ends it).
 */
unsigned int json_utf8_len(const unsigned char *p);

/* "key": value shorthands, for use inside an object */
static inline void json_kv_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

static inline void json_kv_u64(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	json_u64(j, v);
}

static inline void json_kv_s64(struct json *j, const char *k, int64_t v)
{
	json_key(j, k);
	json_s64(j, v);
}

static inline void json_kv_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

static inline void json_kv_null(struct json *j, const char *k)
{
	json_key(j, k);
	json_null(j);
}

static inline void json_kv_obj_open(struct json *j, const char *k)
{
	json_key(j, k);
	json_obj_open(j);
}

static inline void json_kv_arr_open(struct json *j, const char *k)
{
	json_key(j, k);
	json_arr_open(j);
}

#endif /* _CLIPPER_JSON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: error reporting, usage and the connection to the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "print.h"

#define NETNS_RUN_DIR	"/run/netns"

void cl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("clipper: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cl_object_usage(FILE *f, const struct cl_object *obj)
{
	const char *const *u;

	for (u = obj->usage; *u; u++)
		fprintf(f, "%s clipper %s\n",
			u == obj->usage ? "Usage:" : "      ", *u);
	for (u = obj->where; u && *u; u++)
		fprintf(f, "%s %s\n", u == obj->where ? "where " : "      ", *u);
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Whether the n bytes at word are a whole word of s. */
static bool has_word(const char *s, const char *word, size_t n)
{
	const char *p;

	for (p = s; *p; p++)
		if (!strncmp(p, word, n) && (p == s || !is_word_char(p[-1])) &&
		    !is_word_char(p[n]))
			return true;
	return false;
}

/* Whether a usage form "OBJECT VERB ..." or "OBJECT [VERB] ..." is verb's. */
static bool form_of(const char *form, const struct cl_object *obj,
		    const char *verb)
{
	size_t o = strlen(obj->name), v = strlen(verb);

	if (strncmp(form, obj->name, o) || form[o] != ' ')
		return false;
	form += o + 1;
	if (form[0] == '[')
		form++;
	return !strncmp(form, verb, v) &&
	       (!form[v] || form[v] == ' ' || form[v] == ']');
}

/*
 * The length of the word a "where" line explains: "WORD := ..." or
 * "word: ..."; 0 for a line that starts with a blank, which goes on with
 * the line above.
 */
static size_t where_key(const char *line)
{
	const char *e = strstr(line, " :="), *c = strchr(line, ':');

	if (line[0] == ' ')
		return 0;
	if (!e || (c && c < e))
		e = c;
	return e ? (size_t)(e - line) : 0;
}

#define CL_WHERE_MAX	64

/*
 * Whether verb's usage uses the word that where line i explains: one of
 * verb's forms, or a line already taken, has it.
 */
static bool where_used(const struct cl_object *obj, const char *verb,
		       const bool *taken, unsigned int i)
{
	const char *line = obj->where[i];
	size_t n = where_key(line);
	const char *const *u;
	unsigned int k;

	if (strlen(verb) == n && !strncmp(line, verb, n))
		return true;
	for (u = obj->usage; *u; u++)
		if (form_of(*u, obj, verb) && has_word(*u, line, n))
			return true;
	for (k = 0; obj->where[k]; k++)
		if (taken[k] && k != i && has_word(obj->where[k], line, n))
			return true;
	return false;
}

void cl_verb_usage(FILE *f, const struct cl_object *obj, const char *verb)
{
	bool taken[CL_WHERE_MAX] = { false }, first = true, more = true;
	const char *const *u;
	unsigned int i, n = 0;

	for (u = obj->usage; *u; u++) {
		if (!form_of(*u, obj, verb))
			continue;
		fprintf(f, "%s clipper %s\n", first ? "Usage:" : "      ", *u);
		first = false;
	}
	for (u = obj->where; u && *u; u++)
		n++;
	if (first || n > CL_WHERE_MAX) {
		cl_object_usage(f, obj);
		return;
	}
	/* until no more: config's "SETTING VALUE := { mac-max N..." takes mac-max: */
	while (more) {
		more = false;
		for (i = 0; i < n; i++) {
			if (taken[i] || !where_key(obj->where[i]) ||
			    !where_used(obj, verb, taken, i))
				continue;
			/* the entry and the lines that go on with it */
			do
				taken[i++] = true;
			while (i < n && !where_key(obj->where[i]));
			i--;
			more = true;
		}
	}
	first = true;
	for (i = 0; i < n; i++) {
		if (!taken[i])
			continue;
		fprintf(f, "%s %s\n", first ? "where " : "      ",
			obj->where[i]);
		first = false;
	}
}

int cl_usage_error(const struct cl_object *obj, const char *fmt, ...)
{
	va_list ap;

	fputs("clipper: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cl_object_usage(stderr, obj);
	return CL_EXIT_USAGE;
}

const char *cl_err_msg(const struct cl_nl_err *err, char *buf, size_t len)
{
	if (!err->msg[0])
		return strerror(err->err ? err->err : EIO);
	return print_clean(err->msg, buf, len);
}

int cl_report(const struct cl_nl_err *err)
{
	const char *hint = err->err == EPERM ? " (needs CAP_NET_ADMIN)" : "";
	char buf[sizeof(err->msg)];

	if (err->no_family)
		cl_error("the clipper kernel module is not loaded (try: modprobe xt_CLIPPER)");
	else
		cl_error("%s%s", cl_err_msg(err, buf, sizeof(buf)), hint);
	return CL_EXIT_FAIL;
}

/* Like ip -n: a name under /run/netns, or a path if it has a slash. */
static int cl_enter_netns(const char *name, struct cl_nl_err *err)
{
	char path[PATH_MAX];
	int fd, e;

	memset(err, 0, sizeof(*err));
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		snprintf(err->msg, sizeof(err->msg),
			 "cannot open network namespace \"%s\": %s",
			 name, strerror(e));
		err->err = e;
		return -e;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		e = errno;
		close(fd);
		snprintf(err->msg, sizeof(err->msg),
			 "cannot enter network namespace \"%s\": %s",
			 name, strerror(e));
		err->err = e;
		return -e;
	}
	close(fd);
	return 0;
}

int cl_connect(struct cl_ctx *ctx, struct cl_nl_err *err)
{
	int ret;

	if (ctx->connected) {
		memset(err, 0, sizeof(*err));
		return 0;
	}
	if (ctx->netns) {
		ret = cl_enter_netns(ctx->netns, err);
		if (ret)
			return ret;
		ctx->netns = NULL;	/* entered for good */
	}
	ret = cl_nl_open(&ctx->nl, err);
	if (ret)
		return ret;
	ctx->connected = true;
	return 0;
}

struct nlmsghdr *cl_req(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
			struct cl_nl_err *err)
{
	if (cl_connect(ctx, err))
		return NULL;
	return cl_nl_req(&ctx->nl, cmd, flags);
}

int cl_send(struct cl_ctx *ctx, struct nlmsghdr *req, cl_nl_cb_t cb,
	    void *data, struct cl_nl_err *err)
{
	char buf[sizeof(err->msg)];
	int ret;

	ret = cl_nl_talk(&ctx->nl, req, cb, data, err);
	if (!ret && err->msg[0])
		cl_error("warning: %s", cl_err_msg(err, buf, sizeof(buf)));
	return ret;
}

int cl_request_put(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
		   cl_put_t put, const void *arg, cl_nl_cb_t cb, void *data)
{
	struct cl_nl_err err;
	struct nlmsghdr *req;

	req = cl_req(ctx, cmd, flags, &err);
	if (!req)
		return cl_report(&err);
	if (put)
		put(req, arg);
	if (cl_send(ctx, req, cb, data, &err))
		return cl_report(&err);
	return CL_EXIT_OK;
}

int cl_request(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
	       cl_nl_cb_t cb, void *data)
{
	return cl_request_put(ctx, cmd, flags, NULL, NULL, cb, data);
}

int cl_parse_u32(const char *s, uint32_t *v)
{
	unsigned int base = 10, d;
	uint64_t n = 0;
	bool range = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		/* go on to the end: "99999999999x" is not a number either */
		if (!range) {
			n = n * base + d;
			range = n > UINT32_MAX;
		}
	}
	if (range)
		return -ERANGE;
	*v = (uint32_t)n;
	return 0;
}

void *cl_array_grow(void *arr, size_t *alloc, size_t n, size_t size)
{
	size_t want;

	if (n < *alloc)
		return arr;
	want = *alloc ? *alloc * 2 : 16;
	if (want <= n || want > SIZE_MAX / size)
		return NULL;
	arr = realloc(arr, want * size);
	if (arr)
		*alloc = want;
	return arr;
}

void cl_copy_str(char *dst, size_t len, const char *src)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = strnlen(src, len), k;

	if (n < len) {
		memcpy(dst, src, n + 1);
		return;
	}
	n = len - 1;
	/* the start of the character that the cut falls in */
	for (k = n; k > 0 && (s[k] & 0xc0) == 0x80; k--)
		;
	if (k < n && s[k] >= 0xc0 && json_utf8_len(s + k))
		n = k;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int cl_nomem(struct cl_nl_err *err)
{
	err->err = ENOMEM;
	snprintf(err->msg, sizeof(err->msg), "%s", strerror(ENOMEM));
	return -ENOMEM;
}

int cl_bad_reply(struct cl_nl_err *err, const char *what)
{
	err->err = EBADMSG;
	snprintf(err->msg, sizeof(err->msg),
		 "malformed reply from the kernel: %s", what);
	return -EBADMSG;
}

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

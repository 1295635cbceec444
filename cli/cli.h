/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: what the command-line tool's parts share.
 *
 * The command line is OBJECT VERB [ARGS]: main.c holds the table of
 * objects; each object (obj_*.c) has its table of verbs and its usage.
 */
#ifndef _CLIPPER_CLI_H
#define _CLIPPER_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "nl.h"

/* Exit codes of the contract. */
enum {
	CL_EXIT_OK	= 0,
	CL_EXIT_FAIL	= 1,	/* a refused or failed request */
	CL_EXIT_USAGE	= 2,	/* bad usage */
};

struct cl_ctx {
	bool json;
	bool pretty;
	const char *netns;	/* -n NAME, or NULL */
	FILE *out;		/* normally stdout */
	bool connected;
	struct cl_nl nl;
};

struct cl_verb {
	const char *name;
	/* argv holds the arguments after the verb; returns an exit code */
	int (*run)(struct cl_ctx *ctx, int argc, char **argv);
	int max_args;		/* more is bad usage; -1: run() checks */
};

struct cl_object {
	const char *name;
	/* the forms of the command, each without the leading "clipper " */
	const char *const *usage;
	/* what the usage's words mean, one "WORD := ..." a line, or NULL */
	const char *const *where;
	const char *default_verb;	/* run when no verb is given, or NULL */
	/* an object without verbs: gets the arguments after its name */
	int (*run)(struct cl_ctx *ctx, int argc, char **argv);
	const struct cl_verb *verbs;	/* ends with an entry without name */
};

extern const struct cl_object cl_obj_version;
extern const struct cl_object cl_obj_status;
extern const struct cl_object cl_obj_mac;
extern const struct cl_object cl_obj_class;
extern const struct cl_object cl_obj_config;
extern const struct cl_object cl_obj_stats;
extern const struct cl_object cl_obj_save;
extern const struct cl_object cl_obj_pmtu;
extern const struct cl_object cl_obj_ws;
extern const struct cl_object cl_obj_monitor;
extern const struct cl_object cl_obj_restore;

/* common.c */
void cl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cl_object_usage(FILE *f, const struct cl_object *obj);
/*
 * The usage of one verb: the object's forms of it, and the "where" lines
 * of the words they use; all of the object's usage if no form is verb's.
 */
void cl_verb_usage(FILE *f, const struct cl_object *obj, const char *verb);
/* Prints "clipper: MESSAGE" and the object's usage on stderr; returns 2. */
int cl_usage_error(const struct cl_object *obj, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The kernel's message of err made safe to print (see print_clean()), or
 * the error's description when there is none.
 */
const char *cl_err_msg(const struct cl_nl_err *err, char *buf, size_t len);
/* Prints a failed request's error as the contract says; returns 1. */
int cl_report(const struct cl_nl_err *err);

/*
 * Enters the netns and opens the netlink socket on first use; 0 or a
 * negative errno with err filled.  Nothing is printed.
 */
int cl_connect(struct cl_ctx *ctx, struct cl_nl_err *err);
/* Connects and starts a request (see cl_nl_req()); NULL on failure. */
struct nlmsghdr *cl_req(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
			struct cl_nl_err *err);
/*
 * Sends the request and runs cb on each reply; 0 or a negative errno with
 * err filled.  A warning the kernel attached to its ack goes to stderr.
 */
int cl_send(struct cl_ctx *ctx, struct nlmsghdr *req, cl_nl_cb_t cb,
	    void *data, struct cl_nl_err *err);
/* cl_req() + cl_send() for requests with no more attributes; exit code. */
int cl_request(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
	       cl_nl_cb_t cb, void *data);

/* Adds a request's attributes (arg is the verb's parsed arguments). */
typedef void (*cl_put_t)(struct nlmsghdr *nlh, const void *arg);
/* cl_request() with put(req, arg) called before sending; exit code. */
int cl_request_put(struct cl_ctx *ctx, uint8_t cmd, uint16_t flags,
		   cl_put_t put, const void *arg, cl_nl_cb_t cb, void *data);

/*
 * A u32 written in decimal or, after "0x", in hex; nothing else (no sign,
 * no blanks, no octal).  0, -EINVAL if s is not a number, -ERANGE if it
 * does not fit.
 */
int cl_parse_u32(const char *s, uint32_t *v);

/*
 * Makes room for item n of an array of items of size bytes, *alloc of which
 * are allocated.  Returns the array, moved maybe, or NULL when out of
 * memory (arr is then untouched).
 */
void *cl_array_grow(void *arr, size_t *alloc, size_t n, size_t size);
/*
 * Copies the string src into dst of len bytes; one too long is cut, at a
 * character's start if src is UTF-8 there (not in the middle of one).
 */
void cl_copy_str(char *dst, size_t len, const char *src);
/* Records an out-of-memory failure in err; returns -ENOMEM. */
int cl_nomem(struct cl_nl_err *err);
/* Records "malformed reply from the kernel: WHAT"; returns -EBADMSG. */
int cl_bad_reply(struct cl_nl_err *err, const char *what);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A "1 rule" / "2 rules" style plural suffix. */
static inline const char *cl_plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

#endif /* _CLIPPER_CLI_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clipper: each object's reply parser and printer, apart from its verbs so
 * the unit tests can feed them made-up replies.
 *
 * A parser has the cl_nl_cb_t signature: it takes one reply message and
 * fills the structure passed as data.
 */
#ifndef _CLIPPER_OBJ_H
#define _CLIPPER_OBJ_H

#include <linux/if_ether.h>

#include "clipper.h"

#include "cli.h"
#include "counters.h"
#include "print.h"

/* clipper version */
struct cl_version {
	bool not_loaded;	/* the family does not exist: nothing else */
	bool has_module;
	bool has_protocol;
	char module[64];
	uint32_t protocol;
};

int cl_version_parse(const struct nlmsghdr *nlh, void *data,
		     struct cl_nl_err *err);
void cl_version_print(struct cl_ctx *ctx, const struct cl_version *v);

/* clipper status */
struct cl_status {
	bool has_module;
	bool has_protocol;
	char module[64];
	uint32_t protocol;
	uint32_t rules[CLIPPER_RULES_A_MAX + 1];
	struct cl_stats stats;
};

int cl_status_parse(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err);
void cl_status_print(struct cl_ctx *ctx, const struct cl_status *st);

/* clipper stats */
int cl_stats_reply_parse(const struct nlmsghdr *nlh, void *data,
			 struct cl_nl_err *err);
void cl_stats_print(struct cl_ctx *ctx, const struct cl_stats *st);
void cl_stats_print_prometheus(FILE *f, const struct cl_stats *st);

/*
 * Classes (classes.c).  cl_class_name() gives "none" for 0 and
 * "class_N" (written to buf) for an id this tool does not know;
 * cl_class_lookup() takes a name in any case and returns its id, or 0 for
 * anything that is not a class a MAC can be put in.  cl_class_arg() does
 * that for a command-line word; 0, or a usage error listing the classes.
 */
#define CL_CLASS_NAME_LEN	32

const char *cl_class_name(unsigned int id, char *buf, size_t len);
uint8_t cl_class_lookup(const char *name);
int cl_class_arg(const struct cl_object *obj, const char *s, uint8_t *id);

/* clipper mac */
#define CL_MAC_BITS	(ETH_ALEN * 8)

struct cl_mac_addr {
	uint8_t addr[ETH_ALEN];
	uint8_t prefix;		/* 1..48; 48 when not given */
	bool has_prefix;
};

/*
 * MAC[/PREFIX]: six hex groups of one or two digits separated all by ':'
 * or all by '-', three groups of four separated by '.' (Cisco's
 * 0016.3e12.3456) or twelve hex digits, in any case; then maybe "/" and a
 * decimal 1..48.  0, -EINVAL for a bad address, -ERANGE for a bad prefix.
 */
/* the accepted forms, for messages */
#define CL_MAC_FORMS \
	"aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff"
int cl_mac_parse(const char *s, struct cl_mac_addr *m);
/* "aa:bb:cc:dd:ee:ff", with "/NN" after it when prefix < 48. */
#define CL_MAC_STR_LEN	sizeof("aa:bb:cc:dd:ee:ff/48")
void cl_mac_format(char *buf, size_t len, const uint8_t *addr,
		   unsigned int prefix);

/* The arguments of mac add and mac del. */
struct cl_mac_req {
	struct cl_mac_addr mac;
	uint8_t cls;		/* 0 for del */
	const char *comment;	/* NULL: none */
	bool reclassify;	/* del, flush: running flows too */
	bool no_addr;		/* flush: no address */
};

/* Parse the arguments after the verb; 0 or a usage error (2). */
int cl_mac_add_args(int argc, char **argv, struct cl_mac_req *r);
int cl_mac_del_args(int argc, char **argv, struct cl_mac_req *r);
int cl_mac_flush_args(int argc, char **argv, struct cl_mac_req *r);
/* Adds the CLIPPER_A_MAC nest of the request (arg: struct cl_mac_req). */
void cl_mac_req_put(struct nlmsghdr *nlh, const void *arg);

struct cl_mac_entry {
	uint8_t addr[ETH_ALEN];
	uint8_t prefix;
	uint8_t cls;
	bool random;
	uint64_t packets;
	uint64_t bytes;
	uint64_t flows;
	char comment[CLIPPER_COMMENT_MAX];	/* "" if none */
};

/* The entries of a dump, in the kernel's order. */
struct cl_mac_list {
	size_t n;
	size_t alloc;
	struct cl_mac_entry *e;
};

/* Appends the message's entry to the struct cl_mac_list in data. */
int cl_mac_reply_parse(const struct nlmsghdr *nlh, void *data,
		       struct cl_nl_err *err);
void cl_mac_list_print(struct cl_ctx *ctx, const struct cl_mac_list *l);
void cl_mac_list_free(struct cl_mac_list *l);

/* clipper class */
struct cl_class_req {
	uint8_t id;
	bool has_mark;
	bool has_priority;
	bool has_dscp;
	uint32_t mark;
	uint32_t priority;	/* or CLIPPER_PRIORITY_UNCHANGED */
	uint8_t dscp;		/* or CLIPPER_DSCP_UNCHANGED */
};

/* skb->priority 256..263: mac80211's 802.11 user priority 0..7 */
#define CL_PRIO_WMM_BASE	256

/*
 * DSCP values (classes.c): cl_dscp_parse() reads "EF", "AF41", "CS1",
 * "46", "0x2e" or "unchanged" (-1 if bad); cl_dscp_name() gives the name
 * (EF, AFxy, CSx) or the number, "unchanged" for 0xff.
 */
int cl_dscp_parse(const char *s);
const char *cl_dscp_name(uint8_t dscp, char *buf, size_t len);

int cl_class_set_args(int argc, char **argv, struct cl_class_req *r);
/* Adds the CLIPPER_A_CLASS nest (arg: struct cl_class_req). */
void cl_class_req_put(struct nlmsghdr *nlh, const void *arg);

struct cl_class_entry {
	uint8_t id;
	uint32_t mark;		/* 0 if not sent */
	uint32_t priority;	/* CLIPPER_PRIORITY_UNCHANGED if not sent */
	uint8_t dscp;		/* CLIPPER_DSCP_UNCHANGED if not sent */
	uint64_t packets;
	uint64_t bytes;
	uint64_t flows;
	char name[CL_CLASS_NAME_LEN];	/* the kernel's, or "" */
};

struct cl_class_list {
	size_t n;
	size_t alloc;
	struct cl_class_entry *e;
};

/* Appends the message's class to the struct cl_class_list in data. */
int cl_class_reply_parse(const struct nlmsghdr *nlh, void *data,
			 struct cl_nl_err *err);
void cl_class_list_print(struct cl_ctx *ctx, const struct cl_class_list *l);
void cl_class_list_free(struct cl_class_list *l);

/* clipper config, clipper class default */
#define CL_MAC_MAX_LIMIT	16777216U

struct cl_config {
	bool has_default;
	bool has_random;
	bool has_mac_max;
	bool has_mac_count;
	bool has_mac_counters;
	bool mac_counters;
	bool has_pmtu_max, has_pmtu_count, has_pmtu_timeout;
	bool has_pmtu_retrans, has_pmtu_window;
	uint32_t pmtu_max, pmtu_count, pmtu_timeout, pmtu_window;
	uint8_t pmtu_retrans;
	bool has_ws_max, has_ws_count, has_ws_active, has_ws_timeout;
	bool has_ws_pending;
	uint32_t ws_max, ws_count, ws_active, ws_timeout, ws_pending;
	uint8_t default_class;
	uint8_t random_class;
	uint32_t mac_max;
	uint32_t mac_count;
};

/*
 * A CONFIG_SET request is a struct cl_config too: the has_* fields say
 * what to change (has_mac_count is ignored).
 *
 * cl_class_default_args(): clipper class default [[random] CLASS]; 0 or a
 * usage error.  Nothing set in r means show, not change.
 */
int cl_class_default_args(int argc, char **argv, struct cl_config *r);
int cl_config_set_args(int argc, char **argv, struct cl_config *r);
/* Adds the CLIPPER_A_CONFIG nest (arg: struct cl_config). */
void cl_config_req_put(struct nlmsghdr *nlh, const void *arg);

int cl_config_parse(const struct nlmsghdr *nlh, void *data,
		    struct cl_nl_err *err);
/* full: config show (with mac-max, mac-count); else class default */
void cl_config_print(struct cl_ctx *ctx, const struct cl_config *c,
		     bool full);

/* clipper pmtu */
struct cl_pmtu_entry {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t addr[16];
	uint8_t state;		/* enum clipper_pmtu_state */
	bool has_detected;
	uint32_t mtu;		/* 0: none learned */
	uint32_t fixes;		/* XT_CLIPPER_FIX_* bits */
	uint32_t detections;
	uint32_t icmp_sent;
	uint32_t df_cleared;
	uint32_t mss_clamped;
	uint64_t detected_ms;	/* ms ago */
	uint64_t age_ms;
	bool has_scope;		/* an older module sends neither */
	bool has_learned;
	bool has_stuck_len;	/* sent in state stuck only */
	bool has_stuck_resends;
	uint8_t scope;		/* enum clipper_pmtu_scope */
	uint8_t learned;	/* enum clipper_pmtu_learned */
	uint32_t senders;
	uint32_t passed;	/* largest IP length acknowledged, 0: none */
	uint32_t outages;
	uint32_t stuck_len;
	uint32_t stuck_resends;
	uint8_t side;		/* enum clipper_pmtu_side; tx when not sent */
	uint32_t unrepaired;	/* flows the ICMP did not repair */
};

struct cl_pmtu_list {
	size_t n;
	size_t alloc;
	struct cl_pmtu_entry *e;
};

int cl_pmtu_reply_parse(const struct nlmsghdr *nlh, void *data,
			struct cl_nl_err *err);
/* The path of a message (a dump's part or an event) into e. */
int cl_pmtu_msg_parse(const struct nlmsghdr *nlh, struct cl_pmtu_entry *e,
		      struct cl_nl_err *err);
void cl_pmtu_list_print(struct cl_ctx *ctx, const struct cl_pmtu_list *l);
/* One path as a row of the list, or (event) in a monitor event. */
void cl_pmtu_entry_print(const struct cl_pmtu_entry *e, bool event);
void cl_pmtu_list_free(struct cl_pmtu_list *l);
const char *cl_pmtu_state_name(uint8_t state);
const char *cl_pmtu_scope_name(uint8_t scope);
const char *cl_pmtu_learned_name(uint8_t learned);
const char *cl_pmtu_side_name(uint8_t side);

/*
 * clipper monitor (obj_monitor.c): prints one message of the monitor group (a pmtu or a
 * limit event); false, printing nothing, for an event this tool does not
 * know or cannot read.
 */
bool cl_monitor_event_print(struct cl_ctx *ctx, const struct nlmsghdr *nlh);

/* clipper ws */
#define CL_WS_NCLASS		7	/* text ... other */
#define CL_WS_HTTP_HEADER	800	/* default http-header of ws stats */

extern const char *const cl_ws_frame_names[CL_WS_NCLASS];

struct cl_ws_dir {
	uint64_t frames[CL_WS_NCLASS];
	uint64_t payload_bytes;
	uint64_t header_bytes;
	bool desync;
	bool malformed;
};

struct cl_ws_entry {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint8_t proto;		/* enum clipper_ws_protocol */
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport, dport;
	uint64_t idle_ms;
	struct cl_ws_dir c2s, s2c;
};

struct cl_ws_list {
	size_t n;
	size_t alloc;
	struct cl_ws_entry *e;
};

int cl_ws_reply_parse(const struct nlmsghdr *nlh, void *data,
		      struct cl_nl_err *err);
void cl_ws_list_print(struct cl_ctx *ctx, const struct cl_ws_list *l);
void cl_ws_list_free(struct cl_ws_list *l);
const char *cl_ws_proto_name(uint8_t proto);
void cl_ws_dir_from(struct cl_ws_dir *d, const struct cl_counters *cs);

/* ws stats: the ws sections of stats, the active count from config */
struct cl_ws_stats {
	uint64_t flows, tracked, not_ws, desync, malformed, table_full;
	uint64_t expired;
	bool has_active;
	uint32_t active;
	struct cl_ws_dir c2s, s2c;
	uint32_t http_header;	/* bytes an HTTP request would cost */
	uint64_t frames, messages, ws_overhead, http_overhead;
};

void cl_ws_stats_from(struct cl_ws_stats *w, const struct cl_stats *st,
		      const struct cl_config *cfg, uint32_t http_header);
void cl_ws_stats_print(struct cl_ctx *ctx, const struct cl_ws_stats *w);

#endif /* _CLIPPER_OBJ_H */

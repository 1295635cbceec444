// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the "clipper" generic netlink family (the control plane).
 *
 * Every operation has its own strict policy; writes need CAP_NET_ADMIN
 * (GENL_ADMIN_PERM); state is per network namespace; every refusal carries
 * an extack message.  Documentation/netlink.rst is the protocol reference.
 *
 * This file holds every operation and policy of the family: the version,
 * status and counters; the MAC table, the classes and the settings of
 * --classify; the settings, path table and flush of --pmtu-guard; the
 * flows of --ws-count.  Writes hold the namespace's mutex; the table
 * dumps read under RCU (the class dump under the mutex) and flag a table
 * changed midway with NLM_F_DUMP_INTR.  The
 * features keep their state to themselves: they fill and take their
 * settings (clipper_pmtu_config_fill(), ...) and dump their tables.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "core.h"
#include "mac.h"
#include "netlink.h"
#include "version.h"

/* Requests that carry nothing but the protocol version. */
static const struct nla_policy clipper_proto_policy[CLIPPER_A_PROTOCOL + 1] = {
	[CLIPPER_A_PROTOCOL]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy clipper_mac_attr_policy[CLIPPER_MAC_A_MAX + 1] = {
	[CLIPPER_MAC_A_ADDR]	= NLA_POLICY_ETH_ADDR,
	[CLIPPER_MAC_A_PREFIX]	= NLA_POLICY_RANGE(NLA_U8, 1, CLIPPER_MAC_BITS),
	[CLIPPER_MAC_A_CLASS]	= NLA_POLICY_RANGE(NLA_U8, CLIPPER_CLASS_EXEMPT,
						   CLIPPER_CLASS_MAX),
	[CLIPPER_MAC_A_COMMENT]	= { .type = NLA_NUL_STRING,
				    .len = CLIPPER_COMMENT_MAX - 1 },
	[CLIPPER_MAC_A_RECLASSIFY] = { .type = NLA_FLAG },
};

static const struct nla_policy clipper_class_attr_policy[CLIPPER_CLASS_A_MAX + 1] = {
	[CLIPPER_CLASS_A_ID]	   = NLA_POLICY_RANGE(NLA_U8, CLIPPER_CLASS_EXEMPT,
						      CLIPPER_CLASS_MAX),
	[CLIPPER_CLASS_A_MARK]	   = NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_CLASS_A_PRIORITY] = { .type = NLA_U32 },
	[CLIPPER_CLASS_A_DSCP]	   = { .type = NLA_U8 },
};

static const struct nla_policy clipper_config_attr_policy[CLIPPER_CONFIG_A_MAX + 1] = {
	[CLIPPER_CONFIG_A_DEFAULT_CLASS] = NLA_POLICY_RANGE(NLA_U8, CLIPPER_CLASS_EXEMPT,
							    CLIPPER_CLASS_MAX),
	[CLIPPER_CONFIG_A_RANDOM_CLASS]	 = NLA_POLICY_RANGE(NLA_U8, CLIPPER_CLASS_EXEMPT,
							    CLIPPER_CLASS_MAX),
	[CLIPPER_CONFIG_A_MAC_MAX]	 = NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_CONFIG_A_MAC_COUNTERS]	 = NLA_POLICY_MAX(NLA_U8, 1),
	[CLIPPER_CONFIG_A_PMTU_MAX]	 = NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_CONFIG_A_PMTU_TIMEOUT]	 = NLA_POLICY_MIN(NLA_U32,
							  CLIPPER_PMTU_TIMEOUT_MIN),
	[CLIPPER_CONFIG_A_PMTU_RETRANS]	 = NLA_POLICY_RANGE(NLA_U8,
							    CLIPPER_PMTU_RETRANS_MIN,
							    CLIPPER_PMTU_RETRANS_MAX),
	[CLIPPER_CONFIG_A_PMTU_WINDOW]	 = NLA_POLICY_MIN(NLA_U32,
							  CLIPPER_PMTU_WINDOW_MIN),
	[CLIPPER_CONFIG_A_WS_MAX]	 = NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_CONFIG_A_WS_TIMEOUT]	 = NLA_POLICY_MIN(NLA_U32,
							  CLIPPER_WS_TIMEOUT_MIN),
};

/* Top-level policies of the commands (CLIPPER_A_CONFIG + 1 entries). */
static const struct nla_policy clipper_mac_policy[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_A_MAC]		= NLA_POLICY_NESTED(clipper_mac_attr_policy),
};

static const struct nla_policy clipper_class_policy[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_A_CLASS]	= NLA_POLICY_NESTED(clipper_class_attr_policy),
};

static const struct nla_policy clipper_config_policy[CLIPPER_A_MAX + 1] = {
	[CLIPPER_A_PROTOCOL]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CLIPPER_A_CONFIG]	= NLA_POLICY_NESTED(clipper_config_attr_policy),
};

/*
 * A client may say which protocol it speaks; one newer than ours would
 * expect attributes we do not know, so refuse it rather than half-apply.
 */
int clipper_check_protocol(struct genl_info *info)
{
	struct nlattr *a = info->attrs[CLIPPER_A_PROTOCOL];

	if (a && nla_get_u32(a) > CLIPPER_PROTOCOL) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "protocol version newer than this kernel module supports: update the module");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

static struct sk_buff *clipper_reply_new(struct genl_info *info, u8 cmd,
					 void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &clipper_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int clipper_put_version(struct sk_buff *msg)
{
	if (nla_put_u32(msg, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL) ||
	    nla_put_string(msg, CLIPPER_A_VERSION, CLIPPER_VERSION))
		return -EMSGSIZE;
	return 0;
}

static int clipper_nl_version_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	msg = clipper_reply_new(info, CLIPPER_CMD_VERSION_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (clipper_put_version(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int clipper_put_rules(struct sk_buff *msg, struct clipper_net *cn)
{
	static const u16 attr[CLIPPER_RULE_MAX] = {
		[CLIPPER_RULE_TOTAL]		= CLIPPER_RULES_A_TOTAL,
		[CLIPPER_RULE_CLASSIFY]		= CLIPPER_RULES_A_CLASSIFY,
		[CLIPPER_RULE_CLAMP_MSS]	= CLIPPER_RULES_A_CLAMP_MSS,
		[CLIPPER_RULE_PMTU_GUARD]	= CLIPPER_RULES_A_PMTU_GUARD,
		[CLIPPER_RULE_WS_COUNT]		= CLIPPER_RULES_A_WS_COUNT,
	};
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, CLIPPER_A_RULES);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < CLIPPER_RULE_MAX; i++) {
		if (nla_put_u32(msg, attr[i], atomic_read(&cn->rules[i]))) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int clipper_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	msg = clipper_reply_new(info, CLIPPER_CMD_STATUS_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&cn->lock);
	ret = clipper_put_version(msg);
	if (!ret)
		ret = clipper_put_rules(msg, cn);
	if (!ret)
		ret = clipper_stats_fill(msg, cn, true);
	mutex_unlock(&cn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int clipper_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	msg = clipper_reply_new(info, CLIPPER_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&cn->lock);
	ret = nla_put_u32(msg, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL);
	if (!ret)
		ret = clipper_stats_fill(msg, cn, false);
	mutex_unlock(&cn->lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int clipper_nl_stats_reset(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_pernet(genl_info_net(info));
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	mutex_lock(&cn->lock);
	clipper_stats_reset(cn);
	mutex_unlock(&cn->lock);
	return 0;
}

/*
 * A table refused an entry: tell the monitor group, at most once a second
 * per table, so a flood does not become a flood of events.
 */
void clipper_limit_event(struct clipper_net *cn,
			 enum clipper_limit_table table, u32 max, gfp_t gfp)
{
	unsigned long now = jiffies | 1, last;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	last = READ_ONCE(cn->limit_event[table]);
	if (last && time_before(now, last + HZ))
		return;
	if (cmpxchg(&cn->limit_event[table], last, now) != last)
		return;		/* another CPU reports it */
	if (!genl_has_listeners(&clipper_family, cn->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &clipper_family, 0,
			  CLIPPER_CMD_LIMIT_EVENT);
	if (!hdr || nla_put_u32(msg, CLIPPER_A_PROTOCOL, CLIPPER_PROTOCOL))
		goto nospace;
	nest = nla_nest_start(msg, CLIPPER_A_LIMIT);
	if (!nest || nla_put_u8(msg, CLIPPER_LIMIT_A_TABLE, table) ||
	    nla_put_u32(msg, CLIPPER_LIMIT_A_MAX, max))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&clipper_family, cn->net, msg, 0, 0, gfp);
	return;

nospace:
	nlmsg_free(msg);
}

/* ---- --classify: the MAC table, the classes, the settings ---------------- */

static struct clipper_net *clipper_info_net(struct genl_info *info)
{
	return clipper_pernet(genl_info_net(info));
}

/* Parse CLIPPER_A_MAC of a request into tb; ADDR is required. */
static int clipper_mac_parse(struct genl_info *info, struct nlattr **tb,
			     u8 *plen)
{
	struct nlattr *nest = info->attrs[CLIPPER_A_MAC];
	int ret;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing the MAC entry (CLIPPER_A_MAC)");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, CLIPPER_MAC_A_MAX, nest,
			       clipper_mac_attr_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[CLIPPER_MAC_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing the MAC address");
		return -EINVAL;
	}
	*plen = tb[CLIPPER_MAC_A_PREFIX] ?
		nla_get_u8(tb[CLIPPER_MAC_A_PREFIX]) : CLIPPER_MAC_BITS;
	return 0;
}

static int clipper_nl_mac_add(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct nlattr *tb[CLIPPER_MAC_A_MAX + 1];
	const char *comment = NULL;
	bool replace;
	u8 plen;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	ret = clipper_mac_parse(info, tb, &plen);
	if (ret)
		return ret;
	if (!tb[CLIPPER_MAC_A_CLASS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CLIPPER_A_MAC],
				    "missing the class");
		return -EINVAL;
	}
	if (tb[CLIPPER_MAC_A_COMMENT])
		comment = nla_data(tb[CLIPPER_MAC_A_COMMENT]);
	replace = info->nlhdr->nlmsg_flags & NLM_F_REPLACE;

	mutex_lock(&cn->lock);
	ret = clipper_mac_add(cn, nla_data(tb[CLIPPER_MAC_A_ADDR]), plen,
			      nla_get_u8(tb[CLIPPER_MAC_A_CLASS]), comment,
			      replace, info->extack);
	mutex_unlock(&cn->lock);
	return ret;
}

static int clipper_nl_mac_del(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct nlattr *tb[CLIPPER_MAC_A_MAX + 1];
	u8 plen;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	ret = clipper_mac_parse(info, tb, &plen);
	if (ret)
		return ret;
	mutex_lock(&cn->lock);
	ret = clipper_mac_del(cn, nla_data(tb[CLIPPER_MAC_A_ADDR]), plen,
			      nla_get_flag(tb[CLIPPER_MAC_A_RECLASSIFY]),
			      info->extack);
	mutex_unlock(&cn->lock);
	return ret;
}

static int clipper_nl_mac_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct nlattr *tb[CLIPPER_MAC_A_MAX + 1] = {};
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	/* the entry is optional here: it only carries flags */
	if (info->attrs[CLIPPER_A_MAC]) {
		ret = nla_parse_nested(tb, CLIPPER_MAC_A_MAX,
				       info->attrs[CLIPPER_A_MAC],
				       clipper_mac_attr_policy, info->extack);
		if (ret)
			return ret;
	}
	mutex_lock(&cn->lock);
	clipper_mac_flush(cn, nla_get_flag(tb[CLIPPER_MAC_A_RECLASSIFY]));
	mutex_unlock(&cn->lock);
	return 0;
}

static int clipper_mac_fill(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct clipper_mac_info *e)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &clipper_family, NLM_F_MULTI, CLIPPER_CMD_MAC_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, CLIPPER_A_MAC);
	if (!nest ||
	    nla_put(skb, CLIPPER_MAC_A_ADDR, ETH_ALEN, e->addr) ||
	    nla_put_u8(skb, CLIPPER_MAC_A_PREFIX, e->plen) ||
	    nla_put_u8(skb, CLIPPER_MAC_A_CLASS, e->class) ||
	    (e->comment && nla_put_string(skb, CLIPPER_MAC_A_COMMENT, e->comment)) ||
	    nla_put_u64_64bit(skb, CLIPPER_MAC_A_PACKETS, e->packets, CLIPPER_MAC_A_PAD) ||
	    nla_put_u64_64bit(skb, CLIPPER_MAC_A_BYTES, e->bytes, CLIPPER_MAC_A_PAD) ||
	    nla_put_u64_64bit(skb, CLIPPER_MAC_A_FLOWS, e->flows, CLIPPER_MAC_A_PAD) ||
	    (e->random && nla_put_flag(skb, CLIPPER_MAC_A_RANDOM))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

static int clipper_nl_mac_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	int ret;

	ret = clipper_mac_dump(cn, skb, cb, &cb->args[0], clipper_mac_fill);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* more to come */
	return ret ? ret : skb->len;
}

static int clipper_nl_class_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	struct clipper_classify *cc = &cn->cls;
	u64 v[CLIPPER_ST_MAX];
	struct nlattr *nest;
	long c;
	void *hdr;

	mutex_lock(&cn->lock);
	clipper_stats_read(cn, v);
	for (c = max_t(long, cb->args[0], CLIPPER_CLASS_EXEMPT);
	     c <= CLIPPER_CLASS_MAX; c++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &clipper_family,
				  NLM_F_MULTI, CLIPPER_CMD_CLASS_GET);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, CLIPPER_A_CLASS);
		if (!nest ||
		    nla_put_u8(skb, CLIPPER_CLASS_A_ID, c) ||
		    nla_put_string(skb, CLIPPER_CLASS_A_NAME, clipper_class_defaults[c].name) ||
		    nla_put_u32(skb, CLIPPER_CLASS_A_MARK, cc->classes[c].mark) ||
		    nla_put_u32(skb, CLIPPER_CLASS_A_PRIORITY, cc->classes[c].priority) ||
		    nla_put_u8(skb, CLIPPER_CLASS_A_DSCP, cc->classes[c].dscp) ||
		    nla_put_u64_64bit(skb, CLIPPER_CLASS_A_PACKETS,
				      v[CLIPPER_ST_CLASS_PACKETS(c)], CLIPPER_CLASS_A_PAD) ||
		    nla_put_u64_64bit(skb, CLIPPER_CLASS_A_BYTES,
				      v[CLIPPER_ST_CLASS_BYTES(c)], CLIPPER_CLASS_A_PAD) ||
		    nla_put_u64_64bit(skb, CLIPPER_CLASS_A_FLOWS,
				      v[CLIPPER_ST_CLASS_FLOWS(c)], CLIPPER_CLASS_A_PAD)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&cn->lock);
	cb->args[0] = c;
	return skb->len;
}

static int clipper_nl_class_set(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct nlattr *tb[CLIPPER_CLASS_A_MAX + 1];
	struct nlattr *nest = info->attrs[CLIPPER_A_CLASS];
	struct clipper_class_conf *conf;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing the class (CLIPPER_A_CLASS)");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, CLIPPER_CLASS_A_MAX, nest,
			       clipper_class_attr_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[CLIPPER_CLASS_A_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "missing the class id");
		return -EINVAL;
	}
	if (!tb[CLIPPER_CLASS_A_MARK] && !tb[CLIPPER_CLASS_A_PRIORITY] &&
	    !tb[CLIPPER_CLASS_A_DSCP]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "nothing to set: give a mark, a priority or a DSCP");
		return -EINVAL;
	}
	if (tb[CLIPPER_CLASS_A_DSCP] &&
	    nla_get_u8(tb[CLIPPER_CLASS_A_DSCP]) > CLIPPER_DSCP_MAX &&
	    nla_get_u8(tb[CLIPPER_CLASS_A_DSCP]) != CLIPPER_DSCP_UNCHANGED) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CLASS_A_DSCP],
				    "DSCP is 0..63 (or unchanged)");
		return -ERANGE;
	}

	mutex_lock(&cn->lock);
	conf = &cn->cls.classes[nla_get_u8(tb[CLIPPER_CLASS_A_ID])];
	if (tb[CLIPPER_CLASS_A_MARK]) {
		u32 mark = nla_get_u32(tb[CLIPPER_CLASS_A_MARK]);
		int c;

		for (c = CLIPPER_CLASS_EXEMPT; c <= CLIPPER_CLASS_MAX; c++) {
			if (&cn->cls.classes[c] != conf &&
			    cn->cls.classes[c].mark == mark) {
				mutex_unlock(&cn->lock);
				NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CLASS_A_MARK],
						    "another class has this mark");
				return -EEXIST;
			}
		}
		WRITE_ONCE(conf->mark, mark);
	}
	if (tb[CLIPPER_CLASS_A_PRIORITY])
		WRITE_ONCE(conf->priority, nla_get_u32(tb[CLIPPER_CLASS_A_PRIORITY]));
	if (tb[CLIPPER_CLASS_A_DSCP])
		WRITE_ONCE(conf->dscp, nla_get_u8(tb[CLIPPER_CLASS_A_DSCP]));
	mutex_unlock(&cn->lock);
	return 0;
}

static int clipper_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct clipper_classify *cc = &cn->cls;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &clipper_family, 0, CLIPPER_CMD_CONFIG_GET);
	if (!hdr)
		goto nospace;
	mutex_lock(&cn->lock);
	nest = nla_nest_start(msg, CLIPPER_A_CONFIG);
	if (!nest ||
	    nla_put_u8(msg, CLIPPER_CONFIG_A_DEFAULT_CLASS, cc->default_class) ||
	    nla_put_u8(msg, CLIPPER_CONFIG_A_RANDOM_CLASS, cc->random_class) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_MAC_MAX, cc->mac_max) ||
	    nla_put_u32(msg, CLIPPER_CONFIG_A_MAC_COUNT, cc->mac_count) ||
	    nla_put_u8(msg, CLIPPER_CONFIG_A_MAC_COUNTERS, cc->mac_counters) ||
	    clipper_pmtu_config_fill(msg, cn) ||
	    clipper_ws_config_fill(msg, cn)) {
		mutex_unlock(&cn->lock);
		goto nospace;
	}
	mutex_unlock(&cn->lock);
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int clipper_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_info_net(info);
	struct nlattr *tb[CLIPPER_CONFIG_A_MAX + 1];
	struct nlattr *nest = info->attrs[CLIPPER_A_CONFIG];
	struct clipper_classify *cc = &cn->cls;
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing the settings (CLIPPER_A_CONFIG)");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, CLIPPER_CONFIG_A_MAX, nest,
			       clipper_config_attr_policy, info->extack);
	if (ret)
		return ret;

	if (tb[CLIPPER_CONFIG_A_MAC_MAX] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_MAC_MAX]) > CLIPPER_MAC_MAX_LIMIT) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_MAC_MAX],
				    "mac-max is at most 16777216");
		return -ERANGE;
	}
	if (tb[CLIPPER_CONFIG_A_PMTU_MAX] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_MAX]) > CLIPPER_PMTU_MAX_LIMIT) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_PMTU_MAX],
				    "pmtu-max is at most 1048576");
		return -ERANGE;
	}
	if (tb[CLIPPER_CONFIG_A_PMTU_TIMEOUT] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_TIMEOUT]) > CLIPPER_PMTU_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_PMTU_TIMEOUT],
				    "pmtu-timeout is at most a day (86400000 ms)");
		return -ERANGE;
	}
	if (tb[CLIPPER_CONFIG_A_PMTU_WINDOW] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_PMTU_WINDOW]) > CLIPPER_PMTU_WINDOW_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_PMTU_WINDOW],
				    "pmtu-window is at most 600000 ms");
		return -ERANGE;
	}
	if (tb[CLIPPER_CONFIG_A_WS_MAX] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_WS_MAX]) > CLIPPER_WS_MAX_LIMIT) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_WS_MAX],
				    "ws-max is at most 1048576");
		return -ERANGE;
	}
	if (tb[CLIPPER_CONFIG_A_WS_TIMEOUT] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_WS_TIMEOUT]) > CLIPPER_WS_TIMEOUT_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_WS_TIMEOUT],
				    "ws-timeout is at most a week (604800000 ms)");
		return -ERANGE;
	}

	mutex_lock(&cn->lock);
	if (tb[CLIPPER_CONFIG_A_MAC_MAX] &&
	    nla_get_u32(tb[CLIPPER_CONFIG_A_MAC_MAX]) < cc->mac_count) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CLIPPER_CONFIG_A_MAC_MAX],
				    "the MAC table holds more entries than this limit");
		return -EBUSY;
	}
	if (tb[CLIPPER_CONFIG_A_MAC_COUNTERS] &&
	    nla_get_u8(tb[CLIPPER_CONFIG_A_MAC_COUNTERS]) &&
	    clipper_mac_counters_prepare(cn)) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[CLIPPER_CONFIG_A_MAC_COUNTERS],
				    "no memory for the per-MAC counters");
		return -ENOMEM;
	}
	/* all checked: apply everything, or (above) nothing */
	if (tb[CLIPPER_CONFIG_A_MAC_MAX])
		cc->mac_max = nla_get_u32(tb[CLIPPER_CONFIG_A_MAC_MAX]);
	if (tb[CLIPPER_CONFIG_A_DEFAULT_CLASS])
		WRITE_ONCE(cc->default_class,
			   nla_get_u8(tb[CLIPPER_CONFIG_A_DEFAULT_CLASS]));
	if (tb[CLIPPER_CONFIG_A_RANDOM_CLASS])
		WRITE_ONCE(cc->random_class,
			   nla_get_u8(tb[CLIPPER_CONFIG_A_RANDOM_CLASS]));
	if (tb[CLIPPER_CONFIG_A_MAC_COUNTERS])
		WRITE_ONCE(cc->mac_counters,
			   nla_get_u8(tb[CLIPPER_CONFIG_A_MAC_COUNTERS]));
	clipper_pmtu_config_set(cn, tb);
	clipper_ws_config_set(cn, tb);
	mutex_unlock(&cn->lock);
	return 0;
}

/* ---- --pmtu-guard: the path table ---------------------------------------- */

static int clipper_nl_pmtu_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	int ret;

	ret = clipper_pmtu_dump(cn, skb, cb, &cb->args[0]);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* more to come */
	return ret ? ret : skb->len;
}

static int clipper_nl_pmtu_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_pernet(genl_info_net(info));
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	clipper_pmtu_flush(cn);
	return 0;
}

/* ---- --ws-count: the WebSocket flows ------------------------------------- */

static int clipper_nl_ws_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	int ret;

	ret = clipper_ws_dump(cn, skb, cb, &cb->args[0]);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* more to come */
	return ret ? ret : skb->len;
}

/* ---- the family ---------------------------------------------------------- */

static const struct genl_ops clipper_ops[] = {
	{
		.cmd		= CLIPPER_CMD_VERSION_GET,
		.doit		= clipper_nl_version_get,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_STATUS_GET,
		.doit		= clipper_nl_status_get,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_STATS_GET,
		.doit		= clipper_nl_stats_get,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_STATS_RESET,
		.doit		= clipper_nl_stats_reset,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_MAC_ADD,
		.doit		= clipper_nl_mac_add,
		.policy		= clipper_mac_policy,
		.maxattr	= CLIPPER_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_MAC_DEL,
		.doit		= clipper_nl_mac_del,
		.policy		= clipper_mac_policy,
		.maxattr	= CLIPPER_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_MAC_GET,
		.dumpit		= clipper_nl_mac_dump,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_MAC_FLUSH,
		.doit		= clipper_nl_mac_flush,
		.policy		= clipper_mac_policy,
		.maxattr	= ARRAY_SIZE(clipper_mac_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_CLASS_GET,
		.dumpit		= clipper_nl_class_dump,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_CLASS_SET,
		.doit		= clipper_nl_class_set,
		.policy		= clipper_class_policy,
		.maxattr	= CLIPPER_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_CONFIG_GET,
		.doit		= clipper_nl_config_get,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_CONFIG_SET,
		.doit		= clipper_nl_config_set,
		.policy		= clipper_config_policy,
		.maxattr	= CLIPPER_A_MAX,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_PMTU_GET,
		.dumpit		= clipper_nl_pmtu_dump,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
	},
	{
		.cmd		= CLIPPER_CMD_PMTU_FLUSH,
		.doit		= clipper_nl_pmtu_flush,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= CLIPPER_CMD_WS_GET,
		.dumpit		= clipper_nl_ws_dump,
		.policy		= clipper_proto_policy,
		.maxattr	= ARRAY_SIZE(clipper_proto_policy) - 1,
		/* flows of others, like conntrack -L */
		.flags		= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group clipper_mcgrps[] = {
	{ .name = CLIPPER_GENL_MCGRP_MONITOR, CLIPPER_GENL_MCGRP_ADMIN },
};

struct genl_family clipper_family __ro_after_init = {
	.name		= CLIPPER_GENL_NAME,
	.version	= CLIPPER_GENL_VERSION,
	.maxattr	= CLIPPER_A_MAX,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= clipper_ops,
	.n_ops		= ARRAY_SIZE(clipper_ops),
	CLIPPER_GENL_RESV_START_OP(CLIPPER_CMD_MAX + 1)
	.mcgrps		= clipper_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(clipper_mcgrps),
};

int __init clipper_genl_init(void)
{
	return genl_register_family(&clipper_family);
}

void clipper_genl_exit(void)
{
	genl_unregister_family(&clipper_family);
}

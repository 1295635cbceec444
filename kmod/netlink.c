// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: the "clipper" generic netlink family (the control plane).
 *
 * Every operation has its own strict policy; writes need CAP_NET_ADMIN
 * (GENL_ADMIN_PERM); state is per network namespace; every refusal carries
 * an extack message.  Documentation/netlink.rst is the protocol reference.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "core.h"
#include "version.h"

/* Requests that carry nothing but the protocol version. */
static const struct nla_policy clipper_proto_policy[CLIPPER_A_PROTOCOL + 1] = {
	[CLIPPER_A_PROTOCOL]	= NLA_POLICY_MIN(NLA_U32, 1),
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

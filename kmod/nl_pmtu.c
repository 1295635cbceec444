// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: netlink commands of --pmtu-guard: the path table.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "core.h"

int clipper_nl_pmtu_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	int ret;

	ret = clipper_pmtu_dump(cn, skb, cb, &cb->args[0]);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* more to come */
	return ret ? ret : skb->len;
}

int clipper_nl_pmtu_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct clipper_net *cn = clipper_pernet(genl_info_net(info));
	int ret;

	ret = clipper_check_protocol(info);
	if (ret)
		return ret;
	clipper_pmtu_flush(cn);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: netlink commands of --ws-count: the WebSocket flows.
 */
#include <net/genetlink.h>
#include <net/sock.h>

#include "core.h"

int clipper_nl_ws_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clipper_net *cn = clipper_pernet(sock_net(skb->sk));
	int ret;

	ret = clipper_ws_dump(cn, skb, cb, &cb->args[0]);
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;	/* more to come */
	return ret ? ret : skb->len;
}

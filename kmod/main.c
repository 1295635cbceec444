// SPDX-License-Identifier: GPL-2.0
/*
 * clipper: flow classification by MAC, PMTU black-hole repair and
 * WebSocket accounting for netfilter.
 *
 * This file ties the parts together: per-network-namespace state, then the
 * netlink family, then the xtables target (so no rule can reach state that
 * does not exist yet), and the reverse on unload.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "core.h"
#include "netlink.h"
#include "target.h"
#include "version.h"

unsigned int clipper_net_id __read_mostly;

static int __net_init clipper_net_init(struct net *net)
{
	struct clipper_net *cn = clipper_pernet(net);
	int i, ret;

	cn->net = net;
	mutex_init(&cn->lock);

	for (i = 0; i < CLIPPER_RULE_MAX; i++)
		atomic_set(&cn->rules[i], 0);
	ret = clipper_stats_init(cn);
	if (ret)
		return ret;
	ret = clipper_classify_init(cn);
	if (ret)
		goto err_stats;
	ret = clipper_pmtu_init(cn);
	if (ret)
		goto err_classify;
	ret = clipper_ws_init(cn);
	if (ret)
		goto err_pmtu;
	return 0;

err_pmtu:
	clipper_pmtu_exit(cn);
err_classify:
	clipper_classify_exit(cn);
err_stats:
	clipper_stats_exit(cn);
	return ret;
}

static void __net_exit clipper_net_exit(struct net *net)
{
	struct clipper_net *cn = clipper_pernet(net);

	clipper_ws_exit(cn);
	clipper_pmtu_exit(cn);
	clipper_classify_exit(cn);
	clipper_stats_exit(cn);
	/*
	 * No mutex_destroy(&cn->lock): the namespace's x_tables and nf_tables
	 * rules are destroyed after this (their pernet exits run later, as
	 * they were registered first), and clipper_tg_destroy() takes the
	 * lock.  cn itself lives until every exit has run; what the destroy
	 * path touches (the mask and rule counts, the pmtu rule count with
	 * hooks already gone) is not freed by the exits above.
	 */
}

static struct pernet_operations clipper_net_ops = {
	.init	= clipper_net_init,
	.exit	= clipper_net_exit,
	.id	= &clipper_net_id,
	.size	= sizeof(struct clipper_net),
};

static int __init clipper_init(void)
{
	int ret;

	ret = clipper_classify_module_init();
	if (ret)
		return ret;
	ret = clipper_ws_module_init();
	if (ret)
		goto err_classify;
	ret = register_pernet_subsys(&clipper_net_ops);
	if (ret)
		goto err_ws;
	ret = clipper_genl_init();
	if (ret)
		goto err_pernet;
	ret = clipper_target_init();
	if (ret)
		goto err_genl;

	pr_info("clipper " CLIPPER_VERSION " loaded\n");
	return 0;

err_genl:
	clipper_genl_exit();
err_pernet:
	unregister_pernet_subsys(&clipper_net_ops);
err_ws:
	rcu_barrier();
	clipper_ws_module_exit();
err_classify:
	clipper_classify_module_exit();
	return ret;
}

static void __exit clipper_exit(void)
{
	clipper_target_exit();
	clipper_genl_exit();
	unregister_pernet_subsys(&clipper_net_ops);
	/* entries freed with call_rcu() must be gone before the code is */
	rcu_barrier();
	clipper_ws_module_exit();
	clipper_classify_module_exit();
}

module_init(clipper_init);
module_exit(clipper_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Xtables: MAC priority classes, PMTU black-hole repair, WebSocket accounting");
MODULE_VERSION(CLIPPER_VERSION);
MODULE_ALIAS("ipt_CLIPPER");
MODULE_ALIAS("ip6t_CLIPPER");
MODULE_ALIAS_GENL_FAMILY(CLIPPER_GENL_NAME);

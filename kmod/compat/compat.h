/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels clipper supports (Debian's 5.10, 6.1,
 * 6.12 and 7.x, and anything in between), in one place.  Force-included
 * into every source file by Kbuild, before any other header; the sources
 * are written against the newest API.  Each entry is chosen by a feature
 * probe in Kbuild (COMPAT_* defines), not by version number, so
 * distribution backports are picked up as they are.  What needs the
 * kernel's declarations is a macro, expanded where the source has
 * included them.
 */
#ifndef _CLIPPER_COMPAT_H
#define _CLIPPER_COMPAT_H

#include <linux/types.h>

/*
 * Who may listen to a multicast group: GENL_MCAST_CAP_NET_ADMIN (6.7, and
 * backported to Debian's 6.1) asks for CAP_NET_ADMIN in the namespace's
 * user namespace.  The older stable kernels (5.10.y and 5.15.y since
 * their December 2023 releases) have genetlink's cap_sys_admin flag, the
 * same check for CAP_SYS_ADMIN: stricter, as safe, and set there.  A
 * kernel with neither lets anyone listen.
 */
#if defined(COMPAT_HAVE_GENL_MCAST_CAP)
#define CLIPPER_GENL_MCGRP_ADMIN	.flags = GENL_MCAST_CAP_NET_ADMIN,
#elif defined(COMPAT_HAVE_GENL_MCAST_CAP_SYS_ADMIN)
#define CLIPPER_GENL_MCGRP_ADMIN	.cap_sys_admin = 1,
#else
#define CLIPPER_GENL_MCGRP_ADMIN
#endif

/*
 * genl_family.resv_start_op (6.1): the first command number whose
 * requests get their header's reserved field checked and must have a
 * policy.  clipper sets it past its last command, which changes nothing
 * for its own commands (each has a policy, strict validation applies to
 * all of them); before 6.1 there is no such check, and nothing to set.
 */
#ifdef COMPAT_HAVE_GENL_RESV_START_OP
#define CLIPPER_GENL_RESV_START_OP(op)	.resv_start_op = (op),
#else
#define CLIPPER_GENL_RESV_START_OP(op)
#endif

/*
 * Walking a namespace's conntrack table: 6.0 passes the namespace, the
 * callback's data and the event's portid/report in struct nf_ct_iter_data;
 * before, they were arguments of their own.  Use
 * clipper_nf_ct_iterate_cleanup_net(iter, &data) with a struct
 * nf_ct_iter_data on every kernel.
 */
#ifdef COMPAT_HAVE_NF_CT_ITER_DATA
#define clipper_nf_ct_iterate_cleanup_net(iter, d)			\
	nf_ct_iterate_cleanup_net(iter, d)
#else
struct net;

struct nf_ct_iter_data {
	struct net *net;
	void *data;
	u32 portid;
	int report;
};

#define clipper_nf_ct_iterate_cleanup_net(iter, d)			\
	({								\
		struct nf_ct_iter_data *__d = (d);			\
									\
		nf_ct_iterate_cleanup_net(__d->net, iter, __d->data,	\
					  __d->portid, __d->report);	\
	})
#endif

/*
 * TEE's re-entrancy flag, which ip(6)tables reads to take the second half
 * of its jump stack (while xt_tee_enabled is on): a per-CPU bool,
 * nf_skb_duplicated, until 6.16 moved it into the task (in_nf_duplicate,
 * for PREEMPT_RT, where a BH-off section is not pinned to its CPU's
 * per-CPU data).  A packet sent from inside a rule traversal sets it
 * around the send, as nf_dup_ipv4() does.  BHs off.
 */
#ifdef COMPAT_HAVE_TASK_NF_DUPLICATE
#define clipper_nf_dup_active()	(current->in_nf_duplicate)
#define clipper_nf_dup_enter()	(current->in_nf_duplicate = true)
#define clipper_nf_dup_exit()	(current->in_nf_duplicate = false)
#else
#define clipper_nf_dup_active()	__this_cpu_read(nf_skb_duplicated)
#define clipper_nf_dup_enter()	__this_cpu_write(nf_skb_duplicated, true)
#define clipper_nf_dup_exit()	__this_cpu_write(nf_skb_duplicated, false)
#endif

#endif /* _CLIPPER_COMPAT_H */

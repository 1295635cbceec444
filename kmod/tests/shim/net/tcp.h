/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test shim: what the pure-logic headers take from <net/tcp.h>: the
 * wrap-safe order of sequence numbers (and of u32 times), and the TCP
 * option kinds and lengths.
 *
 * before(a, b): a is less than half the space (2^31) behind b.  after(a,
 * b) is before(b, a): of two numbers exactly 2^31 apart each is after
 * the other.
 */
#ifndef _SHIM_NET_TCP_H
#define _SHIM_NET_TCP_H

#include <linux/types.h>

static inline bool before(__u32 seq1, __u32 seq2)
{
	return (__s32)(seq1 - seq2) < 0;
}

#define after(seq2, seq1)	before(seq1, seq2)

#define TCPOPT_NOP		1
#define TCPOPT_EOL		0
#define TCPOPT_MSS		2
#define TCPOPT_SACK		5
#define TCPOPT_TIMESTAMP	8
#define TCPOPT_MD5SIG		19
#define TCPOPT_AO		29	/* 6.7 */

#define TCPOLEN_MSS		4
#define TCPOLEN_TIMESTAMP	10
#define TCPOLEN_SACK_BASE	2
#define TCPOLEN_SACK_PERBLOCK	8

#endif /* _SHIM_NET_TCP_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: packets for flood.sh, out of one interface as fast as one CPU
 * can (AF_PACKET, PACKET_QDISC_BYPASS, sendmmsg() in batches).
 *
 *   synflood syn  IF SMAC DMAC SRC NSRC DST DPORT COUNT
 *	COUNT TCP SYNs, each a flow of its own: packet i comes from the
 *	address SRC + i % NSRC, port 1024 + i / NSRC (so COUNT may be up to
 *	NSRC * 64512), to DST:DPORT, with the options Linux puts in a SYN
 *	(MSS 1460, SACK permitted, timestamps, window scale 7).
 *   synflood frag IF SMAC DMAC SRC DST INNER COUNT MTU
 *	COUNT ICMP "fragmentation needed" errors from SRC to DST, each about
 *	a TCP segment from DST to a destination of its own, INNER + i, with
 *	next-hop MTU MTU.
 *
 * Prints "sent N ns T" (CLOCK_MONOTONIC) when done.  Exits 1 on an error,
 * 2 on a usage error.  The frames are built in place; only the fields that
 * change are written per packet, the checksums computed in full.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <stdbool.h>
#include <unistd.h>

#include "rawframe.h"

#define BATCH		64
#define FRAME_MAX	128
#define PORT_BASE	1024
#define PORTS		(65536 - PORT_BASE)

static uint32_t addr(const char *s)
{
	struct in_addr a;

	if (!inet_aton(s, &a)) {
		fprintf(stderr, "synflood: bad address '%s'\n", s);
		exit(2);
	}
	return ntohl(a.s_addr);
}

static void ip_header(uint8_t *ip, uint16_t len, uint16_t id, uint8_t proto,
		      uint32_t src, uint32_t dst)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, len);
	put16(ip + 4, id);
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
}

/* A SYN of its own flow; returns the frame length. */
static size_t syn(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst,
		  uint16_t dport)
{
	static const uint8_t opts[20] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 0,	/* timestamps */
		1,				/* NOP */
		3, 3, 7,			/* window scale */
	};
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint32_t s;

	ip_header(ip, 60, sport, IPPROTO_TCP, src, dst);
	memset(tcp, 0, 20);
	put16(tcp, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, src * 2654435761u + sport);	/* the ISN */
	tcp[12] = 10 << 4;
	tcp[13] = 0x02;			/* SYN */
	put16(tcp + 14, 64240);
	memcpy(tcp + 20, opts, sizeof(opts));
	s = sum16(ip + 12, 8, 0) + IPPROTO_TCP + 40;
	put16(tcp + 16, fold(sum16(tcp, 40, s)));
	return 14 + 60;
}

/* A frag-needed about a segment from dst to inner; the frame length. */
static size_t frag(uint8_t *f, uint32_t src, uint32_t dst, uint32_t inner,
		   uint16_t mtu, uint16_t id)
{
	uint8_t *ip = f + 14, *icmp = ip + 20, *in = icmp + 8;

	ip_header(ip, 20 + 8 + 28, id, IPPROTO_ICMP, src, dst);
	memset(icmp, 0, 8);
	icmp[0] = 3;			/* destination unreachable */
	icmp[1] = 4;			/* fragmentation needed */
	put16(icmp + 6, mtu);
	ip_header(in, 1500, id, IPPROTO_TCP, dst, inner);
	memset(in + 20, 0, 8);
	put16(in + 20, 40000);
	put16(in + 22, 443);
	put32(in + 24, id);
	put16(icmp + 2, fold(sum16(icmp, 8 + 28, 0)));
	return 14 + 20 + 8 + 28;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: synflood syn  IF SMAC DMAC SRC NSRC DST DPORT COUNT\n"
		"       synflood frag IF SMAC DMAC SRC DST INNER COUNT MTU\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	uint32_t src, dst, inner = 0;
	unsigned long count, sent = 0, nsrc = 1;
	uint8_t smac[6], dmac[6];
	uint16_t dport = 0, mtu = 0;
	bool is_syn;
	double t0;
	int fd, i;

	if (argc != 10)
		usage();
	is_syn = !strcmp(argv[1], "syn");
	if (!is_syn && strcmp(argv[1], "frag"))
		usage();
	if (parse_mac(argv[3], smac) || parse_mac(argv[4], dmac)) {
		fprintf(stderr, "synflood: bad MAC address\n");
		return 2;
	}
	src = addr(argv[5]);
	if (is_syn) {
		nsrc = num(argv[6], 1, 65536);
		dst = addr(argv[7]);
		dport = num(argv[8], 1, 65535);
		count = num(argv[9], 1, nsrc * PORTS);
	} else {
		dst = addr(argv[6]);
		inner = addr(argv[7]);
		count = num(argv[8], 1, 1UL << 24);
		mtu = num(argv[9], 68, 65535);
	}

	fd = open_if(argv[2], dmac);
	if (fd < 0)
		return 1;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		memcpy(frames[i], dmac, 6);
		memcpy(frames[i] + 6, smac, 6);
		put16(frames[i] + 12, ETHERTYPE_IP);
		iov[i].iov_base = frames[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now_ns();
	while (sent < count) {
		unsigned int n = count - sent < BATCH ? count - sent : BATCH;

		for (i = 0; i < (int)n; i++) {
			unsigned long k = sent + i;

			if (is_syn)
				iov[i].iov_len = syn(frames[i], src + k % nsrc,
						     PORT_BASE + k / nsrc,
						     dst, dport);
			else
				iov[i].iov_len = frag(frames[i], src, dst,
						      inner + k, mtu, k);
		}
		if (send_all(fd, msgs, n))
			return 1;
		sent += n;
	}
	printf("sent %lu ns %.0f\n", sent, now_ns() - t0);
	close(fd);
	return 0;
}

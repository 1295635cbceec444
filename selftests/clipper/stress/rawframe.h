/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rawframe.h: what the packet generators share, synflood (flood.sh and
 * stress.sh) and bench/synblast (make bench): frames written by hand in
 * network byte order, their checksums, and an AF_PACKET socket that sends
 * them in batches with sendmmsg().  Messages start with the program's
 * name.  Needs _GNU_SOURCE (program_invocation_short_name, sendmmsg).
 */
#ifndef RAWFRAME_H
#define RAWFRAME_H

#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The one's complement sum of len bytes, added to s (not folded). */
static inline uint32_t sum16(const uint8_t *b, size_t len, uint32_t s)
{
	while (len > 1) {
		s += (uint32_t)b[0] << 8 | b[1];
		b += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)b[0] << 8;
	return s;
}

/* A sum16() folded into a checksum. */
static inline uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static inline int parse_mac(const char *s, uint8_t *m)
{
	unsigned int v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

/* A number argument from min to max, or exit 2 (a usage error). */
static inline unsigned long num(const char *s, unsigned long min,
				unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "%s: bad number '%s'\n",
			program_invocation_short_name, s);
		exit(2);
	}
	return v;
}

/* CLOCK_MONOTONIC (the guest's virtual clock under QEMU -icount), ns. */
static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * An AF_PACKET socket bound to interface name, frames to dmac, past the
 * qdisc where the kernel allows it; -1 on an error (printed).
 */
static inline int open_if(const char *name, const uint8_t *dmac)
{
	const char *me = program_invocation_short_name;
	struct sockaddr_ll sll;
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		fprintf(stderr, "%s: socket: %s\n", me, strerror(errno));
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(name);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "%s: interface %s: %s\n", me, name,
			strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "%s: bind: %s\n", me, strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)))
		fprintf(stderr, "%s: PACKET_QDISC_BYPASS: %s (going on without)\n",
			me, strerror(errno));
	return fd;
}

/* All n messages sent, retrying on EINTR and ENOBUFS; -1 on an error. */
static inline int send_all(int fd, struct mmsghdr *msgs, unsigned int n)
{
	unsigned int done = 0;
	int r;

	while (done < n) {
		r = sendmmsg(fd, msgs + done, n - done, 0);
		if (r < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			fprintf(stderr, "%s: sendmmsg: %s\n",
				program_invocation_short_name, strerror(errno));
			return -1;
		}
		done += r;
	}
	return 0;
}

#endif /* RAWFRAME_H */

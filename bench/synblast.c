// SPDX-License-Identifier: GPL-2.0
/*
 * synblast: TCP segments out of one interface, as fast as one CPU can,
 * for the benchmark's TCP runs (pktgen sends only UDP).
 *
 *   synblast syn    IF SMAC DMAC SIP DIP SPORT DPORT COUNT
 *	COUNT SYNs of new flows, from source ports SPORT, SPORT + 1, ...
 *	with the options Linux puts in a SYN (MSS 1460, SACK permitted,
 *	timestamps, window scale); sequence number 0x10000000 + port
 *   synblast synack IF SMAC DMAC SIP DIP SPORT DPORT SEQ ACK [COUNT]
 *	one SYN/ACK from SIP:SPORT (the server side of a handshake); with
 *	COUNT, that many, to ports DPORT, DPORT + 1, ..., acknowledging
 *	ACK, ACK + 1, ... (the SYNs of syn with ACK 0x10000001 + DPORT)
 *   synblast data   IF SMAC DMAC SIP DIP SPORT DPORT COUNT SEQ ACK
 *	one ACK (the end of a handshake), then COUNT segments of
 *	DATA_LEN bytes, the first at SEQ, all acknowledging ACK: one
 *	established flow's bulk data
 *   synblast upgrade IF SMAC DMAC SIP DIP SPORT DPORT SEQ ACK req|resp [COUNT]
 *	one ACK (req only), then one segment with a WebSocket upgrade
 *	request or its 101 response (RFC 6455); prints "len N".  With
 *	COUNT (req only), the same from ports SPORT, SPORT + 1, ..., with
 *	sequence numbers SEQ, SEQ + 1, ...
 *   synblast ws-small IF SMAC DMAC SIP DIP SPORT DPORT COUNT SEQ ACK
 *	COUNT segments of one masked binary frame of WS_SMALL bytes each
 *   synblast ws-large IF SMAC DMAC SIP DIP SPORT DPORT COUNT SEQ ACK
 *	COUNT segments of DATA_LEN bytes: the start of one masked binary
 *	frame of 2^40 bytes, then its payload
 *
 * The frames are built in batches of BATCH, only the fields that change
 * are written per packet, and they go out through an AF_PACKET socket
 * with PACKET_QDISC_BYPASS and sendmmsg(), so that the sender costs
 * little next to the router it feeds.  On a veth the receiving side runs
 * in the same system call (netif_rx, then the softirq when BHs are
 * enabled again).  The payload is zeros, so the checksums cover the
 * headers only.
 *
 * syn and data print one line for the timed part:
 *   count N ns T goidle G idle_ticks I busy_ticks B
 * T from CLOCK_MONOTONIC (the guest's virtual clock under QEMU -icount),
 * G how often CPU 0 went idle meanwhile (/proc/schedstat, which needs
 * kernel.sched_schedstats=1; 0: the CPU was saturated), I and B the idle
 * and busy USER_HZ ticks of /proc/stat.  Exits 1 on an error, 2 on a
 * usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <unistd.h>

#include "rawframe.h"	/* selftests/clipper/stress/ */

#define BATCH		64
#define OPTLEN		20	/* a SYN's options */
#define DATA_LEN	1300	/* fits the benchmark router's 1400 MTU */
#define FRAME_MAX	(14 + 20 + 20 + DATA_LEN)
#define WS_SMALL	10	/* payload bytes of a small frame */

static const char ws_req[] =
	"GET /chat HTTP/1.1\r\n"
	"Host: 203.0.113.9\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	"Sec-WebSocket-Version: 13\r\n\r\n";
static const char ws_resp[] =
	"HTTP/1.1 101 Switching Protocols\r\n"
	"Upgrade: websocket\r\n"
	"Connection: Upgrade\r\n"
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

#define TH_SYN	0x02
#define TH_ACK	0x10
#define TH_PSH	0x08

struct flow {
	uint8_t smac[6], dmac[6];
	struct in_addr sip, dip;
	uint16_t sport, dport;
};

/*
 * One segment: SYN and SYN/ACK get a SYN's options (window scale wscale),
 * the others none and datalen bytes of data, zeros when data is NULL.
 * Returns the frame length.
 */
static size_t build_data(uint8_t *f, const struct flow *fl, uint16_t sport,
			 uint8_t flags, uint32_t seq, uint32_t ack,
			 const uint8_t *data, unsigned int datalen,
			 uint8_t wscale)
{
	const uint8_t opts[OPTLEN] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 0,	/* timestamps */
		1,				/* NOP */
		3, 3, wscale,			/* window scale */
	};
	unsigned int optlen = flags & TH_SYN ? OPTLEN : 0;
	unsigned int tcplen = 20 + optlen + datalen;
	uint8_t *ip = f + 14, *tcp = ip + 20;
	uint32_t s;

	memset(f, 0, 14 + 20 + 20 + optlen);
	memcpy(f, fl->dmac, 6);
	memcpy(f + 6, fl->smac, 6);
	put16(f + 12, ETHERTYPE_IP);

	ip[0] = 0x45;
	put16(ip + 2, 20 + tcplen);
	put16(ip + 4, (uint16_t)seq);	/* id */
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &fl->sip, 4);
	memcpy(ip + 16, &fl->dip, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));

	put16(tcp, sport);
	put16(tcp + 2, fl->dport);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = (20 + optlen) / 4 << 4;
	tcp[13] = flags;
	put16(tcp + 14, flags & TH_SYN ? 64240 : 65535);
	if (optlen)
		memcpy(tcp + 20, opts, optlen);
	s = sum16(ip + 12, 8, 0);
	s += IPPROTO_TCP + tcplen;
	s = sum16(tcp, 20 + optlen, s);
	if (data) {
		memcpy(tcp + 20 + optlen, data, datalen);
		/* the header is 20 + optlen bytes, even: words stay aligned */
		s = sum16(data, datalen, s);
	}
	/* else the payload is zeros: the pseudo header and the header only */
	put16(tcp + 16, fold(s));
	return 14 + 20 + tcplen;
}

static size_t build(uint8_t *f, const struct flow *fl, uint16_t sport,
		    uint8_t flags, uint32_t seq, uint32_t ack,
		    unsigned int datalen, uint8_t wscale)
{
	return build_data(f, fl, sport, flags, seq, ack, NULL, datalen,
			  wscale);
}

/* A masked binary frame's header, mask 0: its payload stays zeros. */
static unsigned int ws_header(uint8_t *h, uint64_t len)
{
	unsigned int n = 2, i;

	h[0] = 0x82;
	if (len < 126) {
		h[1] = 0x80 | len;
	} else {
		h[1] = 0x80 | 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = len >> (56 - 8 * i);
		n = 10;
	}
	memset(h + n, 0, 4);
	return n + 4;
}

struct cpu_sample {
	long long goidle, idle, busy;
};

static void cpu_sample(struct cpu_sample *c)
{
	long long u, n, sy, id, iow, irq, sirq, st, v[9];
	char line[512];
	FILE *f;

	c->goidle = c->idle = c->busy = -1;
	f = fopen("/proc/stat", "r");
	if (f) {
		if (fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld",
			   &u, &n, &sy, &id, &iow, &irq, &sirq, &st) == 8) {
			c->idle = id + iow;
			c->busy = u + n + sy + irq + sirq + st;
		}
		fclose(f);
	}
	f = fopen("/proc/schedstat", "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "cpu0 %lld %lld %lld %lld %lld %lld %lld %lld %lld",
				   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
				   &v[6], &v[7], &v[8]) == 9) {
				c->goidle = v[3];
				break;
			}
		fclose(f);
	}
}

/* count SYN/ACKs, to fl's DPORT + k, acknowledging ack + k */
static int send_synacks(int fd, struct mmsghdr *msgs,
			uint8_t (*frames)[FRAME_MAX], const struct flow *fl,
			uint32_t seq, uint32_t ack, unsigned long count)
{
	struct flow f = *fl;
	unsigned long k;
	unsigned int n = 0;

	for (k = 0; k < count; k++) {
		f.dport = fl->dport + k;
		msgs[n].msg_hdr.msg_iov->iov_len =
			build(frames[n], &f, f.sport, TH_SYN | TH_ACK, seq,
			      ack + k, 0, 14);
		if (++n == BATCH || k + 1 == count) {
			if (send_all(fd, msgs, n))
				return 1;
			n = 0;
		}
	}
	return 0;
}

/*
 * count segments of message m, from fl's SPORT + k with sequence number
 * seq + k; a request comes after the handshake's last ACK
 */
static int send_upgrades(int fd, struct mmsghdr *msgs,
			 uint8_t (*frames)[FRAME_MAX], const struct flow *fl,
			 uint32_t seq, uint32_t ack, const char *m,
			 unsigned long count)
{
	unsigned long k;
	unsigned int n = 0;

	for (k = 0; k < count; k++) {
		if (m == ws_req)
			msgs[n].msg_hdr.msg_iov->iov_len =
				build(frames[n], fl, fl->sport + k, TH_ACK,
				      seq + k, ack, 0, 0), n++;
		msgs[n].msg_hdr.msg_iov->iov_len =
			build_data(frames[n], fl, fl->sport + k,
				   TH_ACK | TH_PSH, seq + k, ack,
				   (const uint8_t *)m, strlen(m), 0);
		if (++n >= BATCH - 1 || k + 1 == count) {
			if (send_all(fd, msgs, n))
				return 1;
			n = 0;
		}
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: synblast syn    IF SMAC DMAC SIP DIP SPORT DPORT COUNT\n"
		"       synblast synack IF SMAC DMAC SIP DIP SPORT DPORT SEQ ACK [COUNT]\n"
		"       synblast data   IF SMAC DMAC SIP DIP SPORT DPORT COUNT SEQ ACK\n"
		"       synblast upgrade IF SMAC DMAC SIP DIP SPORT DPORT SEQ ACK req|resp [COUNT]\n"
		"       synblast ws-small|ws-large IF SMAC DMAC SIP DIP SPORT DPORT COUNT SEQ ACK\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_MAX], ws[DATA_LEN];
	unsigned int wslen = 0;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct cpu_sample c0, c1;
	unsigned long count = 1, sent = 0;
	uint32_t seq = 0, ack = 0;
	struct flow fl;
	const char *mode;
	double t0, t1;
	int fd, i;

	if (argc < 9)
		usage();
	mode = argv[1];
	if (parse_mac(argv[3], fl.smac) || parse_mac(argv[4], fl.dmac) ||
	    !inet_aton(argv[5], &fl.sip) || !inet_aton(argv[6], &fl.dip)) {
		fprintf(stderr, "synblast: bad address\n");
		return 2;
	}
	fl.sport = num(argv[7], 0, 65535);
	fl.dport = num(argv[8], 0, 65535);
	if (!strcmp(mode, "syn") && argc == 10) {
		count = num(argv[9], 0, 65536 - fl.sport);
	} else if (!strcmp(mode, "synack") && (argc == 11 || argc == 12)) {
		seq = num(argv[9], 0, UINT32_MAX);
		ack = num(argv[10], 0, UINT32_MAX);
		if (argc == 12)
			count = num(argv[11], 0, 65536 - fl.dport);
	} else if (!strcmp(mode, "upgrade") && (argc == 12 || argc == 13) &&
		   (!strcmp(argv[11], "req") || !strcmp(argv[11], "resp"))) {
		seq = num(argv[9], 0, UINT32_MAX);
		ack = num(argv[10], 0, UINT32_MAX);
		if (argc == 13 && !strcmp(argv[11], "req"))
			count = num(argv[12], 0, 65536 - fl.sport);
		else if (argc == 13)
			usage();
	} else if ((!strcmp(mode, "data") || !strcmp(mode, "ws-small") ||
		    !strcmp(mode, "ws-large")) && argc == 12) {
		count = num(argv[9], 0, ~0UL);
		seq = num(argv[10], 0, UINT32_MAX);
		ack = num(argv[11], 0, UINT32_MAX);
	} else {
		usage();
	}
	if (!count || !fl.sport || !fl.dport)
		usage();

	fd = open_if(argv[2], fl.dmac);
	if (fd < 0)
		return 1;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = frames[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	if (!strcmp(mode, "synack"))
		return send_synacks(fd, msgs, frames, &fl, seq, ack, count);
	if (!strcmp(mode, "upgrade")) {
		const char *m = strcmp(argv[11], "req") ? ws_resp : ws_req;

		if (send_upgrades(fd, msgs, frames, &fl, seq, ack, m, count))
			return 1;
		printf("len %zu\n", strlen(m));
		return 0;
	}
	if (!strcmp(mode, "ws-small")) {
		wslen = ws_header(ws, WS_SMALL) + WS_SMALL;
	} else if (!strcmp(mode, "ws-large")) {
		ws_header(ws, 1ULL << 40);
		wslen = DATA_LEN;
	}
	if (!strcmp(mode, "data")) {
		/* the handshake's last ACK, not timed */
		iov[0].iov_len = build(frames[0], &fl, fl.sport, TH_ACK, seq,
				       ack, 0, 0);
		if (send_all(fd, msgs, 1))
			return 1;
	}

	cpu_sample(&c0);
	t0 = now_ns();
	while (sent < count) {
		unsigned int n = count - sent < BATCH ? count - sent : BATCH;

		for (i = 0; i < (int)n; i++) {
			unsigned long k = sent + i;

			if (mode[0] == 's')	/* syn */
				iov[i].iov_len = build(frames[i], &fl,
						       fl.sport + k, TH_SYN,
						       0x10000000u + fl.sport + k,
						       0, 0, 7);
			else if (!strcmp(mode, "ws-small"))
				iov[i].iov_len = build_data(frames[i], &fl,
							    fl.sport,
							    TH_ACK | TH_PSH,
							    seq + k * wslen,
							    ack, ws, wslen, 0);
			else if (wslen)		/* ws-large */
				/* the frame's header in the first only */
				iov[i].iov_len = build_data(frames[i], &fl,
							    fl.sport,
							    TH_ACK | TH_PSH,
							    seq + k * wslen,
							    ack, k ? NULL : ws,
							    wslen, 0);
			else
				iov[i].iov_len = build(frames[i], &fl, fl.sport,
						       TH_ACK | TH_PSH,
						       seq + k * DATA_LEN, ack,
						       DATA_LEN, 0);
		}
		if (send_all(fd, msgs, n))
			return 1;
		sent += n;
	}
	t1 = now_ns();
	cpu_sample(&c1);
	printf("count %lu ns %.0f goidle %lld idle_ticks %lld busy_ticks %lld\n",
	       sent, t1 - t0, c1.goidle - c0.goidle, c1.idle - c0.idle,
	       c1.busy - c0.busy);
	close(fd);
	return 0;
}

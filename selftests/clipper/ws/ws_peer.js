#!/usr/bin/node
// SPDX-License-Identifier: GPL-2.0
//
// RFC 6455 WebSocket test peer for the clipper selftests (node "ws", the
// Debian node-ws package).  Same command line, exchange and JSON report as
// ws_peer.py, with "impl": "node-ws".
//
//   ws_peer.js server --listen ADDR --port P [--count N] [--report FILE]
//   ws_peer.js client --url ws://HOST:P/ [--mix NAME] [--report FILE]
//                     [--hold SECONDS | --hold-until-file PATH]
//
// Frame accounting hooks the library at frame level:
//  - sent: Sender.prototype.sendFrame() receives the serialised frame
//    ([header, payload] or one merged buffer) for every frame ws writes,
//    including the automatic pong and the close reply; the header is parsed
//    (opcode, mask bit, 7/16/64-bit length) and counted.
//  - received: Receiver.prototype.getInfo() is wrapped to peek at the raw
//    first two header bytes (ws rewrites the continuation opcode to the
//    message's opcode), Receiver.prototype.getData() to count the frame once
//    its payload is complete (payload length and mask bit as parsed by ws).
// permessage-deflate is off; ws sends no keepalive pings by itself.
'use strict';

const fs = require('fs');
const path = require('path');

function loadWs() {
  const dirs = [process.env.CLIPPER_WS_DIR, '/usr/share/nodejs/ws',
    '/usr/lib/nodejs/ws'].filter(Boolean);
  for (const d of dirs) {
    if (fs.existsSync(path.join(d, 'index.js')))
      return require(path.join(d, 'index.js'));
  }
  return require('ws');
}
const WebSocket = loadWs();
const { Sender, Receiver, WebSocketServer } = WebSocket;

const IMPL = 'node-ws';
const CLASSES = ['text', 'binary', 'continuation', 'close', 'ping', 'pong',
  'other'];
const OPCODE_CLASS = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close',
  9: 'ping', 10: 'pong' };

const CLOSE_CODE = 1000;
const CLOSE_REASON = 'clipper bye';
const SRV_CLOSE_CODE = 1001;
const SRV_CLOSE_REASON = 'server bye';
const BURST = 'clipper:burst';
const SYNC = 'clipper:sync';
const CLOSEME = 'clipper:closeme';
const DONE = 'clipper:done';
const LWS_DUMB_MESSAGES = 10;
const MIXES = ['basic', 'srvclose', 'stress', 'small', 'lws-dumb'];

// ---------------------------------------------------------------------------
// the exchange (kept identical to ws_peer.py)

function genBin(n, seed = 0) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3 + seed) & 0xff;
  return b;
}

function genText(n) {
  const alpha = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += alpha[i % 36];
  return s;
}

function buildMix(name) {
  const s = [];
  if (name === 'basic' || name === 'srvclose') {
    s.push(['text', 'hello clipper'], ['binary', genBin(16)], ['text', ''],
      ['binary', Buffer.alloc(0)], ['text', genText(125)],
      ['text', genText(126)], ['binary', genBin(1000)],
      ['text', '\u00fc'.repeat(500)], ['binary', genBin(65535)],
      ['binary', genBin(65536)], ['binary', genBin(70000, 1)],
      ['ping', Buffer.from('ping-1')], ['ping', Buffer.alloc(0)],
      ['ping', genBin(125, 2)], ['pong', Buffer.from('unsolicited')],
      // same shape as python-websockets: fragments, then an empty final
      // continuation; a ping between the second and third fragment
      ['frag', 'text', ['frag-one-', 'frag-two-', 'frag-three'], 2,
        Buffer.from('mid-frag')],
      ['frag', 'binary', [genBin(300), genBin(70000, 5), genBin(5)], null,
        null]);
    return [s, name === 'basic' ? 'burst' : 'closeme'];
  }
  if (name === 'stress') {
    for (let i = 0; i < 2000; i++) {
      if (i % 2) s.push(['binary', Buffer.from([i & 0xff])]);
      else s.push(['text', String.fromCharCode(97 + (i % 26))]);
    }
    return [s, 'sync'];
  }
  if (name === 'small') return [[['text', 'hi']], 'none'];
  if (name === 'lws-dumb') return [[], 'lws-dumb'];
  throw new Error(`unknown mix ${name}`);
}

function burstMessages() {
  return ['srv-hello', genBin(70000, 9), genBin(200, 4),
    'srv-frag-asrv-frag-b', DONE];
}

// ---------------------------------------------------------------------------
// frame accounting

function newCounts() {
  const frames = {};
  for (const c of CLASSES) frames[c] = 0;
  return { frames, payload_bytes: 0, header_bytes: 0 };
}

function addFrame(counts, opcode, length, hdrLen) {
  counts.frames[OPCODE_CLASS[opcode] || 'other'] += 1;
  counts.payload_bytes += length;
  counts.header_bytes += hdrLen;
}

function addCounts(dst, src) {
  for (const c of CLASSES) dst.frames[c] += src.frames[c];
  dst.payload_bytes += src.payload_bytes;
  dst.header_bytes += src.header_bytes;
}

function stats(obj) {
  if (!obj._clipCounts) obj._clipCounts = newCounts();
  return obj._clipCounts;
}

const origSendFrame = Sender.prototype.sendFrame;
Sender.prototype.sendFrame = function (list, cb) {
  const h = list[0];
  const opcode = h[0] & 0x0f;
  const masked = (h[1] & 0x80) !== 0;
  let len = h[1] & 0x7f;
  let hdr = 2;
  if (len === 126) {
    len = h.readUInt16BE(2);
    hdr += 2;
  } else if (len === 127) {
    len = h.readUInt32BE(2) * 4294967296 + h.readUInt32BE(6);
    hdr += 8;
  }
  if (masked) hdr += 4;
  addFrame(stats(this), opcode, len, hdr);
  if (!SPLIT) return origSendFrame.call(this, list, cb);
  splitWrite(this._socket, list, cb);
};

// --split N: the first 24 and last 8 bytes of every frame are written in
// N-byte pieces, one socket write per timer tick (TCP_NODELAY is set by
// ws), the middle of a long frame in one write.  All frames of a socket go
// through one queue, so their order is kept; the frame's callback (ws ends
// the socket from the close frame's callback) runs after its last piece.
// The HTTP handshake is not split.
let SPLIT = 0;
let SPLIT_DELAY_MS = 1;

function splitWrite(socket, list, cb) {
  const data = Buffer.concat(list.map((b) => (typeof b === 'string' ?
    Buffer.from(b) : b)));
  const n = data.length;
  const cuts = new Set([0, n]);
  for (const [a, b] of [[0, Math.min(24, n)], [Math.max(n - 8, 0), n]])
    for (let k = a; k <= b; k += SPLIT) cuts.add(k);
  const c = [...cuts].sort((x, y) => x - y);
  const q = socket._clipQueue || (socket._clipQueue = []);
  for (let i = 0; i + 1 < c.length; i++)
    q.push([data.subarray(c[i], c[i + 1]), i + 2 === c.length ? cb : null]);
  if (!socket._clipPumping) pump(socket);
}

function pump(socket) {
  const q = socket._clipQueue;
  if (!q.length || socket.destroyed) {
    socket._clipPumping = false;
    for (const [, cb] of q.splice(0)) if (cb) cb(new Error('socket closed'));
    return;
  }
  socket._clipPumping = true;
  const [piece, cb] = q.shift();
  socket.write(piece, cb || undefined);
  setTimeout(pump, SPLIT_DELAY_MS, socket);
}

function peekByte(bufs, i) {
  for (const b of bufs) {
    if (i < b.length) return b[i];
    i -= b.length;
  }
  return undefined;
}

const origGetInfo = Receiver.prototype.getInfo;
Receiver.prototype.getInfo = function () {
  if (this._bufferedBytes >= 2) {
    this._clipRawOpcode = peekByte(this._buffers, 0) & 0x0f;
    this._clipLen7 = peekByte(this._buffers, 1) & 0x7f;
  }
  return origGetInfo.apply(this, arguments);
};

const origGetData = Receiver.prototype.getData;
Receiver.prototype.getData = function () {
  if (!this._payloadLength || this._bufferedBytes >= this._payloadLength) {
    const l7 = this._clipLen7;
    const hdr = 2 + (l7 === 126 ? 2 : l7 === 127 ? 8 : 0) +
      (this._masked ? 4 : 0);
    addFrame(stats(this), this._clipRawOpcode, this._payloadLength, hdr);
  }
  return origGetData.apply(this, arguments);
};

// ---------------------------------------------------------------------------

function parseArgs(argv) {
  const role = argv[0];
  if (role !== 'server' && role !== 'client') usage();
  // slower kernels (make check-debug's) give the peers more time
  const a = { role, report: null,
    timeout: Number(process.env.WS_PEER_TIMEOUT || 60), quiet: false,
    listen: '127.0.0.1', port: 0, count: 1, portFile: null, url: null, mix: 'basic',
    hold: 0, holdUntilFile: null, holdReport: null, split: 0,
    splitDelay: 0.001 };
  const map = { '--report': 'report', '--listen': 'listen', '--port': 'port',
    '--count': 'count', '--port-file': 'portFile', '--url': 'url',
    '--mix': 'mix', '--hold': 'hold', '--hold-until-file': 'holdUntilFile',
    '--hold-report': 'holdReport', '--timeout': 'timeout', '--split': 'split',
    '--split-delay': 'splitDelay' };
  for (let i = 1; i < argv.length; i++) {
    let k = argv[i];
    let v;
    if (k === '-q' || k === '--quiet') { a.quiet = true; continue; }
    const eq = k.indexOf('=');
    if (eq > 0) { v = k.slice(eq + 1); k = k.slice(0, eq); }
    if (!(k in map)) usage(`unknown option ${k}`);
    if (v === undefined) v = argv[++i];
    if (v === undefined) usage(`${k} needs a value`);
    a[map[k]] = v;
  }
  for (const k of ['port', 'count', 'hold', 'timeout', 'split', 'splitDelay'])
    a[k] = Number(a[k]);
  if (role === 'client' && !a.url) usage('--url is required');
  if (!MIXES.includes(a.mix)) usage(`unknown mix ${a.mix}`);
  return a;
}

function usage(msg) {
  if (msg) process.stderr.write(`ws_peer.js: ${msg}\n`);
  process.stderr.write(
    'usage: ws_peer.js server [--listen ADDR] [--port P] [--count N] ' +
    '[--port-file F] [--report F] [--timeout S] [--split N]\n' +
    '       ws_peer.js client --url ws://HOST:P/ [--mix ' + MIXES.join('|') +
    '] [--hold S | --hold-until-file F] [--hold-report F] [--report F] ' +
    '[--timeout S] [--split N [--split-delay S]]\n');
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
SPLIT = args.split;
SPLIT_DELAY_MS = Math.max(1, Math.round(args.splitDelay * 1000));

function log(msg) {
  if (!args.quiet) process.stderr.write(`ws_peer.js: ${msg}\n`);
}

function fmtAddr(addr, port) {
  if (addr === undefined) return null;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

function connInfo(ws) {
  const c = { local: null, peer: null, close_code: ws._clipCloseCode ?? null,
    close_reason: ws._clipCloseReason ?? null,
    sent: ws._sender ? stats(ws._sender) : newCounts(),
    received: ws._receiver ? stats(ws._receiver) : newCounts() };
  const s = ws._clipSocket;
  if (s) {
    c.local = fmtAddr(s._clipLocal[0], s._clipLocal[1]);
    c.peer = fmtAddr(s._clipRemote[0], s._clipRemote[1]);
  }
  return c;
}

function remember(ws) {
  const s = ws._socket;
  ws._clipSocket = s;
  s._clipLocal = [s.localAddress, s.localPort];
  s._clipRemote = [s.remoteAddress, s.remotePort];
  ws.on('close', (code, reason) => {
    ws._clipCloseCode = code;
    ws._clipCloseReason = reason.toString();
  });
}

function makeReport(role, conns) {
  const rep = { impl: IMPL, role, sent: newCounts(), received: newCounts() };
  if (role === 'client') rep.mix = args.mix;
  rep.connections = [];
  for (const ws of conns) {
    const c = connInfo(ws);
    addCounts(rep.sent, c.sent);
    addCounts(rep.received, c.received);
    rep.connections.push(c);
  }
  return rep;
}

function writeJson(file, obj) {
  const text = JSON.stringify(obj) + '\n';
  if (file) {
    fs.writeFileSync(file + '.tmp', text);
    fs.renameSync(file + '.tmp', file);
  } else {
    process.stdout.write(text);
  }
}

function finish(rep, errors) {
  writeJson(args.report, rep);
  for (const e of errors) process.stderr.write(`ws_peer.js: ERROR: ${e}\n`);
  process.exitCode = errors.length ? 1 : 0;
  // let stdout drain, then leave even if a handle is still open
  setImmediate(() => process.exit(process.exitCode));
}

const budget = (args.timeout + (args.hold || 0)) * 1000;
setTimeout(() => {
  process.stderr.write(`ws_peer.js: ${args.role}: timed out after ` +
    `${budget / 1000}s\n`);
  process.exit(3);
}, budget).unref();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function eqMsg(a, b) {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Buffer.compare(a, b) === 0;
}

// ---------------------------------------------------------------------------

async function runClient() {
  const [steps, tail] = buildMix(args.mix);
  const protocols = tail === 'lws-dumb' ? ['dumb-increment-protocol'] : [];
  const ws = new WebSocket(args.url, protocols, { perMessageDeflate: false,
    maxPayload: 1 << 24, handshakeTimeout: args.timeout * 1000 });
  const received = [];
  const errors = [];
  let doneResolve;
  const done = new Promise((r) => { doneResolve = r; });
  const closed = new Promise((r) => ws.once('close', r));
  const pending = []; // outstanding ping payloads, in order
  let pongWake = null;

  ws.on('message', (data, isBinary) => {
    const m = isBinary ? data : data.toString();
    received.push(m);
    if (m === DONE) doneResolve();
    if (tail === 'lws-dumb' && received.length === LWS_DUMB_MESSAGES)
      doneResolve();
  });
  ws.on('pong', (data) => {
    // like RFC 6455 5.5.3 / python-websockets: a pong acknowledges the
    // matching ping and all earlier ones
    const i = pending.findIndex((p) => Buffer.compare(p, data) === 0);
    if (i >= 0) pending.splice(0, i + 1);
    if (pongWake && pending.length === 0) pongWake();
  });
  ws.on('error', (e) => {
    errors.push(`websocket error: ${e.message}`);
    doneResolve();
  });
  closed.then(doneResolve);

  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  remember(ws);
  const info = connInfo(ws);
  log(`connected ${info.local} -> ${info.peer}`);

  const send = (data, opts) => new Promise((resolve, reject) => {
    ws.send(data, opts, (e) => (e ? reject(e) : resolve()));
  });
  const ping = (data) => {
    pending.push(Buffer.from(data));
    ws.ping(data);
  };

  const expected = [];
  for (const st of steps) {
    const kind = st[0];
    if (kind === 'text' || kind === 'binary') {
      await send(st[1], { binary: kind === 'binary' });
      expected.push(st[1]);
    } else if (kind === 'ping') {
      ping(st[1]);
    } else if (kind === 'pong') {
      ws.pong(st[1]);
    } else if (kind === 'frag') {
      const [, typ, parts, pingAt, pingData] = st;
      const binary = typ === 'binary';
      for (let i = 0; i < parts.length; i++) {
        if (pingAt !== null && i === pingAt) ping(pingData);
        await send(parts[i], { binary, fin: false });
      }
      await send(binary ? Buffer.alloc(0) : '', { binary, fin: true });
      expected.push(binary ? Buffer.concat(parts) : parts.join(''));
    }
  }
  if (tail === 'burst') {
    await send(BURST, { binary: false });
    expected.push(BURST, ...burstMessages());
  } else if (tail === 'sync') {
    await send(SYNC, { binary: false });
    expected.push(SYNC, DONE);
  }
  if (tail === 'burst' || tail === 'sync' || tail === 'lws-dumb') {
    await done;
  } else { // 'none', 'closeme': all echoes in before holding/closing
    while (received.length < expected.length &&
      ws.readyState === WebSocket.OPEN) await sleep(10);
  }
  if (pending.length) {
    await Promise.race([new Promise((r) => { pongWake = r; }), closed]);
  }

  if (args.hold || args.holdUntilFile) {
    if (args.holdReport) writeJson(args.holdReport, makeReport('client', [ws]));
    process.stderr.write(`HOLDING local=${info.local} peer=${info.peer}\n`);
    if (args.holdUntilFile) {
      while (!fs.existsSync(args.holdUntilFile)) await sleep(50);
    } else {
      await sleep(args.hold * 1000);
    }
  }

  if (tail === 'closeme') {
    await send(CLOSEME, { binary: false });
    expected.push(CLOSEME);
  } else if (tail === 'lws-dumb') {
    await send('closeme\n', { binary: false });
  } else {
    ws.close(CLOSE_CODE, CLOSE_REASON);
  }
  await closed;

  if (tail === 'lws-dumb') {
    if (received.length < LWS_DUMB_MESSAGES)
      errors.push(`only ${received.length} dumb-increment messages`);
  } else if (received.length !== expected.length ||
    !received.every((m, i) => eqMsg(m, expected[i]))) {
    errors.push(`echo mismatch: got ${received.length} messages, expected ` +
      `${expected.length}`);
  }
  finish(makeReport('client', [ws]), errors);
}

function serveOne(ws) {
  // Echo every data message; BURST/SYNC/CLOSEME trigger extra sends.  ws
  // queues writes in order, so no awaiting is needed except for the pong.
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
    if (isBinary) return;
    const m = data.toString();
    if (m === BURST) {
      ws.send('srv-hello');
      ws.send(genBin(70000, 9));
      ws.send(genBin(200, 4));
      ws.send('srv-frag-a', { fin: false });
      ws.send('srv-frag-b', { fin: false });
      ws.send('', { fin: true });
      const onPong = (d) => {
        if (d.toString() !== 'srv-ping') return;
        ws.removeListener('pong', onPong);
        ws.pong(Buffer.from('srv-unsolicited'));
        ws.send(DONE);
      };
      ws.on('pong', onPong);
      ws.ping(Buffer.from('srv-ping'));
    } else if (m === SYNC) {
      ws.send(DONE);
    } else if (m === CLOSEME) {
      ws.close(SRV_CLOSE_CODE, SRV_CLOSE_REASON);
    }
  });
}

function runServer() {
  const conns = [];
  const errors = [];
  let closedCount = 0;
  const wss = new WebSocketServer({ host: args.listen, port: args.port,
    perMessageDeflate: false, maxPayload: 1 << 24, clientTracking: false });
  wss.on('listening', () => {
    const port = wss.address().port;
    if (args.portFile) {
      fs.writeFileSync(args.portFile + '.tmp', `${port}\n`);
      fs.renameSync(args.portFile + '.tmp', args.portFile);
    }
    process.stderr.write(`LISTENING ${args.listen} ${port}\n`);
  });
  wss.on('error', (e) => {
    process.stderr.write(`ws_peer.js: server: ${e.message}\n`);
    process.exit(1);
  });
  wss.on('connection', (ws) => {
    conns.push(ws);
    remember(ws);
    log(`connection from ${connInfo(ws).peer}`);
    ws.on('error', (e) => errors.push(`websocket error: ${e.message}`));
    ws.on('close', () => {
      closedCount++;
      if (closedCount >= args.count) {
        wss.close();
        finish(makeReport('server', conns), errors);
      }
    });
    serveOne(ws);
  });
}

if (args.role === 'client') {
  runClient().catch((e) => {
    process.stderr.write(`ws_peer.js: client: ${e.message}\n`);
    process.exit(1);
  });
} else {
  runServer();
}

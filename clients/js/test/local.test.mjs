// The client's own timers and state machine, against tiny local `ws` servers on 127.0.0.1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsrvClient, WsrvTimeoutError, WsrvConnectionError, WsrvError, WsrvStatusError, connect } from '../wsrv.js';
import { WebSocketServer } from 'ws';
import { backoffDelay } from '../lib/options.js';
import { localServer, waitFor, within } from '../support/util.mjs';

const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => {});
});
async function server(onConnection, opts) {
  const s = await localServer(onConnection, opts);
  cleanups.push(() => s.close());
  return s;
}
async function client(url, opts = {}) {
  const c = await WsrvClient.connect(url, { WebSocket, ...opts });
  cleanups.push(() => within(c.close(), 5000, 'client close'));
  return c;
}
function reply(ws, text, fields = {}, binary = false) {
  const req = JSON.parse(text);
  ws.send(JSON.stringify({ cmd: req.cmd, seqno: req.seqno, status: 0, msg: 'ok', data: {}, ...fields }), { binary });
}
/** A server that answers every non-empty frame with status 0 and data {echo: <request data>}. */
function echoing(ws) {
  ws.on('message', (d) => {
    if (d.length) reply(ws, d.toString(), { data: { echo: JSON.parse(d.toString()).data ?? null } });
  });
}

test('defaults: 10 s request timeout, 10 s heartbeat, no reconnect, resume with reconnect only', () => {
  const c = new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket });
  assert.deepEqual(c.options, {
    requestTimeout: 10000, connectTimeout: 10000, heartbeatInterval: 10000, silenceTimeout: 0,
    maxMessageSize: 16 * 1024 * 1024, reconnect: null, resume: false,
  });
  assert.equal(c.connected, false);
  assert.equal(new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket, reconnect: true }).options.resume, true);
  assert.equal(new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket, reconnect: true, resume: false }).options.resume,
    false);
  assert.throws(() => new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket, resume: 'yes' }),
    { name: 'TypeError', message: 'wsrv: resume must be true or false: yes' });
});

test('no WebSocket implementation is a clear error', () => {
  const saved = globalThis.WebSocket;
  try {
    globalThis.WebSocket = undefined;
    assert.throws(() => new WsrvClient('ws://127.0.0.1:1/ws'),
      { name: 'TypeError', message: /no WebSocket implementation; pass opts.WebSocket/ });
  } finally {
    globalThis.WebSocket = saved;
  }
});

test('a global WebSocket is used when opts.WebSocket is absent', { timeout: 10000 }, async () => {
  const s = await server(echoing);
  const saved = globalThis.WebSocket;
  globalThis.WebSocket = WebSocket;
  let c;
  try {
    c = await WsrvClient.connect(s.url, { heartbeatInterval: 0 });
  } finally {
    globalThis.WebSocket = saved;
  }
  cleanups.push(() => within(c.close(), 5000, 'client close'));
  assert.deepEqual(await c.request('g', { v: true }), { echo: { v: true } });
});

test('a request without reply rejects with WsrvTimeoutError after its timeout', { timeout: 10000 }, async () => {
  const s = await server(() => {}); // never answers
  const c = await client(s.url, { heartbeatInterval: 0 });
  const t0 = Date.now();
  const e = await c.request('register', { uid: 1 }, { timeout: 300 }).then(
    () => assert.fail('expected a timeout'), (err) => err);
  const elapsed = Date.now() - t0;
  assert.ok(e instanceof WsrvTimeoutError);
  assert.equal(e.name, 'WsrvTimeoutError');
  assert.equal(e.code, 'WSRV_TIMEOUT');
  assert.equal(e.cmd, 'register');
  assert.equal(e.timeout, 300);
  assert.match(e.seqno, /^[0-9a-z]{12}-1$/);
  assert.equal(e.message, `wsrv: no reply to register (seqno ${e.seqno}) within 300 ms`);
  assert.ok(elapsed >= 295, `timed out after ${elapsed} ms, before its timeout`);
  await waitFor(() => s.frames.length === 1, 2000, 'the request frame');
  assert.deepEqual(JSON.parse(s.frames[0].text), { cmd: 'register', seqno: e.seqno, data: { uid: 1 } });
  assert.equal(s.frames[0].isBinary, false);
  assert.equal(c.connected, true, 'a timeout does not close the connection');
});

test('a late reply to a timed-out request is dropped, not taken for a push', { timeout: 10000 }, async () => {
  // the server holds the reply to 'slow' and sends it just before the reply to the next request
  let held = null;
  const s = await server((ws) => ws.on('message', (d) => {
    if (!d.length) return;
    const req = JSON.parse(d.toString());
    if (req.cmd === 'slow') {
      held = d.toString();
      return;
    }
    if (held) reply(ws, held, { data: { cmd: 'slow' } });
    reply(ws, d.toString(), { data: { cmd: req.cmd } });
  }));
  const c = await client(s.url, { heartbeatInterval: 0 });
  const pushes = [];
  const messages = [];
  c.onPush('*', (data, env) => pushes.push(env));
  c.on('message', (env) => messages.push(env.data.cmd));
  const e = await c.request('slow', null, { timeout: 100 }).catch((err) => err);
  assert.equal(e.code, 'WSRV_TIMEOUT');
  // the reply to 'fast' comes after the late one on the same connection: when it is here, the late one was handled
  assert.deepEqual(await c.request('fast'), { cmd: 'fast' });
  assert.deepEqual(messages, ['slow', 'fast']);
  assert.deepEqual(pushes, []);
});

test('pushes reach onPush(cmd) and onPush("*"); unsubscribe stops them; a throwing listener is isolated', { timeout: 10000 }, async () => {
  let conn;
  const s = await server((ws) => { conn = ws; echoing(ws); });
  const c = await client(s.url, { heartbeatInterval: 0 });
  const news = [];
  const all = [];
  const errors = [];
  c.on('error', (e) => errors.push(e.message));
  c.onPush('news', () => { throw new Error('listener bug'); });
  const offNews = c.onPush('news', (data, env) => news.push([data, env.seqno]));
  c.onPush('*', (data, env) => all.push(env.cmd));
  await waitFor(() => conn, 2000, 'the connection');
  const push = (cmd, data, seqno) => conn.send(JSON.stringify({ cmd, seqno, status: 0, msg: 'ok', data }));
  push('news', { n: 1 }, 'srv-1');
  push('other', { n: 2 }, 'srv-2');
  // a push with a binary frame is decoded too
  conn.send(Buffer.from(JSON.stringify({ cmd: 'news', seqno: 'srv-3', status: 0, msg: 'ok', data: { n: 3 } })), { binary: true });
  await waitFor(() => all.length === 3, 2000, 'three pushes');
  assert.deepEqual(news, [[{ n: 1 }, 'srv-1'], [{ n: 3 }, 'srv-3']]);
  assert.deepEqual(all, ['news', 'other', 'news']);
  assert.deepEqual(errors, ['listener bug', 'listener bug']);
  offNews();
  push('news', { n: 4 }, 'srv-4');
  await waitFor(() => all.length === 4, 2000, 'the fourth push');
  assert.equal(news.length, 2);
  // replies still work, binary ones too
  assert.deepEqual(await c.request('x', { a: [1, 'b'] }), { echo: { a: [1, 'b'] } });
});

test('binary replies and non-zero statuses', { timeout: 10000 }, async () => {
  const s = await server((ws) => ws.on('message', (d) => {
    if (!d.length) return;
    const req = JSON.parse(d.toString());
    if (req.cmd === 'bin') reply(ws, d.toString(), { data: { bin: true } }, true);
    else reply(ws, d.toString(), { status: 409, msg: 'conflict', data: { why: 'taken' } });
  }));
  const c = await client(s.url, { heartbeatInterval: 0 });
  assert.deepEqual(await c.request('bin'), { bin: true });
  const e = await c.request('reg', { uid: 3 }).catch((err) => err);
  assert.ok(e instanceof WsrvStatusError);
  assert.ok(e instanceof WsrvError);
  assert.equal(e.status, 409);
  assert.equal(e.msg, 'conflict');
  assert.deepEqual(e.data, { why: 'taken' });
  assert.equal(e.cmd, 'reg');
  assert.match(e.seqno, /^[0-9a-z]{12}-2$/);
});

test('the heartbeat is an empty text frame every heartbeatInterval; 0 disables it', { timeout: 10000 }, async () => {
  const s = await server(() => {});
  const t0 = Date.now();
  const hb = await client(s.url, { heartbeatInterval: 100 });
  const quiet = await client(s.url, { heartbeatInterval: 0 });
  // a third client with the same interval is the clock that shows how many heartbeats hb would have sent
  const clock = await client(s.url, { heartbeatInterval: 100 });
  const byConn = (i) => s.frames.filter((f) => f.conn === i);
  await waitFor(() => byConn(0).length >= 5, 5000, 'five heartbeats');
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 490, `five heartbeats after ${elapsed} ms: not more often than every 100 ms`);
  for (const f of byConn(0)) assert.deepEqual(f, { conn: 0, isBinary: false, text: '' });
  await within(hb.close(), 2000, 'close');
  const n = byConn(0).length;
  const ticks = byConn(2).length;
  await waitFor(() => byConn(2).length >= ticks + 3, 5000, 'three heartbeats of the clock client');
  assert.equal(byConn(0).length, n, 'no heartbeat after close()');
  assert.equal(hb.heartbeat(), false, 'a closed client sends no heartbeat');
  assert.deepEqual(byConn(1), [], 'heartbeatInterval 0 sends none');
  assert.equal(quiet.heartbeat(), true, 'a manual heartbeat');
  await waitFor(() => byConn(1).length === 1, 2000, 'the manual heartbeat');
  assert.deepEqual(byConn(1), [{ conn: 1, isBinary: false, text: '' }]);
});

test('pending requests fail clearly when the server closes the connection', { timeout: 10000 }, async () => {
  const s = await server((ws) => ws.on('message', (d) => { if (d.length) ws.close(4001, 'bye'); }));
  const c = await client(s.url, { heartbeatInterval: 0 });
  const closes = [];
  c.on('close', (i) => closes.push(i));
  const e = await c.request('anything', { a: 1 }, { timeout: 5000 }).catch((err) => err);
  assert.ok(e instanceof WsrvConnectionError);
  assert.equal(e.code, 'WSRV_DISCONNECTED');
  assert.equal(e.closeCode, 4001);
  assert.equal(e.closeReason, 'bye');
  assert.equal(e.cmd, 'anything');
  assert.equal(e.message, `wsrv: connection closed (code 4001, bye) before the reply to anything (seqno ${e.seqno})`);
  assert.deepEqual(closes, [{ code: 4001, reason: 'bye', wasClean: true, byClient: false, willReconnect: false }]);
  const e2 = await c.request('again').catch((err) => err);
  assert.equal(e2.message, 'wsrv: not connected, cannot send again');
});

test('silenceTimeout ends a connection that receives nothing as lost, and the client reconnects', { timeout: 10000 }, async () => {
  const serverCloses = [];
  const s = await server((ws, index) => {
    ws.on('close', (code) => serverCloses.push([index, code]));
    if (index === 0) return; // takes the heartbeats and the request, sends nothing back
    echoing(ws);
    const push = JSON.stringify({ cmd: 'tick', seqno: 'p', status: 0, msg: 'ok' });
    const keepalive = setInterval(() => ws.send(push), 50); // this server sends often enough
    ws.on('close', () => clearInterval(keepalive));
  });
  const closes = [];
  const c = await client(s.url, {
    heartbeatInterval: 100, silenceTimeout: 300, reconnect: { initialDelay: 20, maxDelay: 100 },
  });
  c.on('close', (i) => closes.push(i));
  const e = await c.request('unanswered', null, { timeout: 0 }).catch((err) => err);
  assert.ok(e instanceof WsrvConnectionError);
  assert.equal(e.closeCode, 1006);
  assert.equal(e.closeReason, 'connection lost: no frame from the server for 300 ms');
  assert.deepEqual(closes, [{ code: 1006, reason: 'connection lost: no frame from the server for 300 ms',
    wasClean: false, byClient: false, willReconnect: true }]);
  await waitFor(() => c.connected, 5000, 'the reconnect');
  assert.deepEqual(await c.request('after', 1), { echo: 1 });
  // the silent connection's socket was dropped, not left open
  await waitFor(() => serverCloses.some(([i]) => i === 0), 5000, 'the server sees the first socket end');
  assert.deepEqual(serverCloses.filter(([i]) => i === 0), [[0, 1006]]);
  assert.ok(s.frames.some((f) => f.conn === 0 && f.text === ''), 'heartbeats reached the silent server');
});

test('connecting to a closed port rejects with WsrvConnectionError', { timeout: 10000 }, async () => {
  const s = await localServer(() => {});
  const url = s.url;
  await s.close();
  const e = await connect(url, { WebSocket }).catch((err) => err);
  assert.ok(e instanceof WsrvConnectionError, `got ${e}`);
  assert.equal(e.closeCode, 1006);
  assert.equal(e.message, `wsrv: could not connect to ${url} (close code 1006)`);
});

test('reconnect: after an unexpected close the client reconnects and runs onReconnect before "reconnect"', { timeout: 15000 }, async () => {
  const s = await server((ws, index) => {
    echoing(ws);
    if (index === 0) setTimeout(() => ws.close(4000, 'once'), 50);
  });
  const events = [];
  let hookCalls = 0;
  const c = await client(s.url, {
    heartbeatInterval: 0,
    reconnect: { initialDelay: 50, maxDelay: 200 },
    async onReconnect(cl) {
      hookCalls++;
      events.push('hook');
      const r = await cl.request('register', { uid: 9 });
      events.push(['hook-reply', r]);
    },
  });
  c.on('open', () => events.push('open'));
  c.on('close', (i) => events.push(['close', i.code, i.reason, i.willReconnect]));
  c.on('reconnect', () => events.push('reconnect'));
  await waitFor(() => events.includes('reconnect'), 5000, 'the reconnect event');
  assert.deepEqual(events, [
    ['close', 4000, 'once', true],
    'open',
    'hook',
    ['hook-reply', { echo: { uid: 9 } }],
    'reconnect',
  ]);
  assert.equal(hookCalls, 1);
  assert.equal(s.sockets.length, 2);
  assert.deepEqual(s.frames.map((f) => [f.conn, JSON.parse(f.text).cmd]), [[1, 'register']]);
  assert.deepEqual(await c.request('after', 5), { echo: 5 });
  await within(c.close(), 2000, 'close');
  assert.deepEqual(events.at(-1), ['close', 1000, '', false]);
});

test('a URL function is asked before every attempt, so a reconnect can carry a fresh token', { timeout: 15000 }, async () => {
  const s = await server((ws, index) => {
    echoing(ws);
    if (index === 0) setTimeout(() => ws.close(4000, 'token expired'), 50);
  });
  let issued = 0;
  const c = await client(() => `${s.url}ws?token=t${++issued}`, {
    heartbeatInterval: 0,
    reconnect: { initialDelay: 50, maxDelay: 200 },
  });
  await waitFor(() => s.sockets.length === 2 && c.connected, 5000, 'the reconnect');
  // with reconnect on, every attempt asks for a resumable session too, after the function's parameters
  assert.deepEqual(s.urls, ['/ws?token=t1&wsrv.resume=new', '/ws?token=t2&wsrv.resume=new']);
  assert.equal(c.url, `${s.url}ws?token=t2`);
  assert.deepEqual(await c.request('after', 1), { echo: 1 });
  await within(c.close(), 2000, 'close');
});

test('reconnect backs off exponentially up to maxDelay, and close() stops it', { timeout: 20000 }, async () => {
  let s = await localServer(echoing);
  const port = s.port;
  const c = await WsrvClient.connect(s.url, {
    WebSocket, heartbeatInterval: 0, reconnect: { initialDelay: 100, maxDelay: 400, jitter: 0 },
  });
  const planned = [];
  const failures = [];
  const reconnects = [];
  c.on('reconnecting', (r) => planned.push({ ...r, at: Date.now() }));
  c.on('error', () => failures.push(Date.now()));
  c.on('reconnect', () => reconnects.push(Date.now()));
  await s.close(); // terminates the socket and stops listening
  await waitFor(() => failures.length >= 4, 5000, 'four failed attempts');
  s = await localServer(echoing, { port });
  cleanups.push(() => s.close());
  await waitFor(() => reconnects.length === 1, 5000, 'the reconnect');
  // without jitter the delays double from initialDelay up to maxDelay; each attempt starts after its delay
  assert.deepEqual(planned.slice(0, 5).map((r) => [r.attempt, r.delay]), [[1, 100], [2, 200], [3, 400], [4, 400], [5, 400]]);
  failures.slice(0, 4).forEach((t, i) => assert.ok(t - planned[i].at >= planned[i].delay - 5,
    `attempt ${i + 1} failed ${t - planned[i].at} ms after it was planned, before its delay of ${planned[i].delay} ms`));
  assert.deepEqual(await c.request('back', 'again'), { echo: 'again' });

  // after close() nothing reconnects: a witness that waits as long as c's longest delay reconnects first
  const witness = await client(s.url, { heartbeatInterval: 0, reconnect: { initialDelay: 400, maxDelay: 400, jitter: 0 } });
  let witnessBack = false;
  witness.on('reconnect', () => { witnessBack = true; });
  const cCloses = [];
  c.on('close', (i) => cCloses.push(i));
  const plannedBefore = planned.length;
  await within(c.close(), 2000, 'close');
  assert.deepEqual(cCloses.map((i) => [i.code, i.willReconnect]), [[1000, false]]);
  const n = s.sockets.length;
  for (const ws of s.sockets) ws.terminate();
  await waitFor(() => witnessBack, 5000, 'the witness to reconnect');
  assert.equal(s.sockets.length, n + 1, 'only the witness came back');
  assert.equal(planned.length, plannedBefore, 'no attempt planned after close()');
  assert.equal(c.connected, false);
});

test('jitter spreads the reconnect delays of clients that lost their server together, within the backoff', { timeout: 20000 }, async () => {
  const s = await server(echoing);
  const backoff = { initialDelay: 200, maxDelay: 200, jitter: 0.5 };
  const clients = await Promise.all(Array.from({ length: 8 }, () => client(s.url, { heartbeatInterval: 0, reconnect: backoff })));
  const delays = [];
  for (const c of clients) c.on('reconnecting', (r) => delays.push(r.delay));
  const back = clients.map((c) => new Promise((resolve) => c.on('reconnect', resolve)));
  for (const ws of s.sockets) ws.terminate();
  await within(Promise.all(back), 10000, 'every client to reconnect');
  assert.equal(delays.length, 8);
  for (const d of delays) assert.ok(d >= 100 && d <= 200, `a delay of ${d} ms, outside 200 ms less up to half`);
  assert.ok(new Set(delays).size > 1, `the clients would come back at the same moment: ${delays}`);
});

test('backoffDelay: grows by factor up to maxDelay; jitter takes off up to its fraction, never adds', () => {
  const b = { initialDelay: 100, maxDelay: 1000, factor: 3, jitter: 0.25, maxAttempts: 0 };
  assert.deepEqual([0, 1, 2, 3, 9].map((n) => backoffDelay(b, n, 0)), [100, 300, 900, 1000, 1000]);
  assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(b, n, 0.999999)), [75, 225, 675, 750]);
  assert.equal(backoffDelay({ ...b, jitter: 0 }, 2, 0.7), 900);
  assert.equal(backoffDelay({ ...b, jitter: 1 }, 0, 0.5), 50);
});

test('the reconnect gives up after maxAttempts failed attempts in a row', { timeout: 10000 }, async () => {
  const s = await localServer(echoing);
  const c = await client(s.url, { heartbeatInterval: 0, reconnect: { initialDelay: 20, maxDelay: 20, maxAttempts: 3 } });
  const planned = [];
  const errors = [];
  c.on('reconnecting', (r) => planned.push(r.attempt));
  c.on('error', (e) => errors.push(e.message));
  await s.close();
  await waitFor(() => errors.some((m) => m.startsWith('wsrv: gave up')), 5000, 'giving up');
  assert.deepEqual(planned, [1, 2, 3]);
  assert.equal(errors.length, 4);
  assert.equal(errors.at(-1), 'wsrv: gave up reconnecting after 3 attempts');
  assert.equal(c.connected, false);
});

test('a reconnect refused with 401 or 403 is not retried; other refusals are', { timeout: 20000 }, async () => {
  for (const status of [401, 403]) {
    let refuse = false;
    // the witness's reconnect is refused with 503, which is retried with the same backoff: its attempts show how
    // much time has passed
    const wss = new WebSocketServer({
      host: '127.0.0.1', port: 0,
      verifyClient: (info, done) => {
        if (!refuse) done(true);
        else done(false, info.req.url.includes('witness') ? 503 : status);
      },
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => wss.close(() => resolve())));
    wss.on('connection', echoing);
    const url = `ws://127.0.0.1:${wss.address().port}/`;
    const backoff = { initialDelay: 50, maxDelay: 50, jitter: 0 };
    const c = await client(url, { heartbeatInterval: 0, reconnect: backoff });
    const witness = await client(`${url}?witness`, { heartbeatInterval: 0, reconnect: backoff });
    const errors = [];
    const witnessErrors = [];
    c.on('error', (e) => errors.push(e));
    witness.on('error', (e) => witnessErrors.push(e));
    refuse = true;
    for (const ws of wss.clients) ws.terminate();
    await waitFor(() => errors.length === 1, 5000, 'the refusal');
    const e = errors[0];
    assert.ok(e instanceof WsrvConnectionError, `got ${e}`);
    assert.equal(e.handshakeStatus, status);
    assert.equal(e.message, `wsrv: could not connect to ${url}: the server refused the handshake with HTTP ${status}`);
    const seen = witnessErrors.length;
    await waitFor(() => witnessErrors.length >= seen + 3, 5000, 'three more attempts of the witness');
    assert.equal(witnessErrors.at(-1).handshakeStatus, 503);
    assert.equal(errors.length, 1, 'no second attempt');
    assert.equal(c.connected, false);
  }
});

test('a message larger than maxMessageSize closes the connection with 1009', { timeout: 10000 }, async () => {
  const s = await server((ws) => ws.on('message', (d) => {
    if (!d.length) return;
    const req = JSON.parse(d.toString());
    reply(ws, d.toString(), { data: 'x'.repeat(req.data) });
  }));
  const c = await client(s.url, { heartbeatInterval: 0, maxMessageSize: 200 });
  const errors = [];
  c.on('error', (e) => errors.push(e.message));
  assert.equal(await c.request('small', 10), 'x'.repeat(10));
  const e = await c.request('big', 300).catch((err) => err);
  assert.ok(e instanceof WsrvConnectionError, `got ${e}`);
  assert.equal(e.closeCode, 1009);
  assert.equal(e.closeReason, 'message too big');
  assert.deepEqual(errors, ['wsrv: inbound message larger than 200; closing with 1009']);
  assert.equal(c.connected, false);
});

test('options are checked', () => {
  const bad = [
    [{ requestTimeout: -1 }, /requestTimeout must be a number from 0/],
    [{ connectTimeout: 0 }, /connectTimeout must be a number from 1/],
    [{ heartbeatInterval: 'often' }, /heartbeatInterval must be a number/],
    [{ silenceTimeout: -5 }, /silenceTimeout must be a number from 0/],
    [{ maxMessageSize: Infinity }, /maxMessageSize must be a number/],
    [{ reconnect: { initialDelay: 500, maxDelay: 100 } }, /reconnect.maxDelay must be a number from 500/],
    [{ reconnect: { factor: 0.5 } }, /reconnect.factor must be a number from 1/],
    [{ reconnect: { jitter: 2 } }, /reconnect.jitter must be a number from 0 to 1/],
  ];
  for (const [opts, message] of bad) {
    assert.throws(() => new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket, ...opts }), { name: 'RangeError', message });
  }
  assert.deepEqual(new WsrvClient('ws://127.0.0.1:1/ws', { WebSocket, reconnect: true }).options.reconnect,
    { initialDelay: 500, maxDelay: 30000, factor: 2, jitter: 0.5, maxAttempts: 0 });
});

test('seqnos are unique per client and across clients', { timeout: 10000 }, async () => {
  const s = await server(echoing);
  const a = await client(s.url, { heartbeatInterval: 0 });
  const b = await client(s.url, { heartbeatInterval: 0 });
  const seen = [];
  a.on('send', (e) => seen.push(e.seqno));
  b.on('send', (e) => seen.push(e.seqno));
  await Promise.all([1, 2, 3].flatMap((i) => [a.request('x', i), b.request('x', i)]));
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen).size, 6);
});

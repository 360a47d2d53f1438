// Resumable sessions of the JavaScript client against the real embedded demo server, through a fault proxy that
// cuts the network: every numbered push arrives once and in order across the cuts, the 'session' event says whether
// the session was recovered and why not, the onReconnect hook runs only when it was not, and a client that does
// not ask sees the protocol as before.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import { WsrvClient, WsrvConnectionError } from '../wsrv.js';
import { demoToken, useDemo } from '../support/demo.mjs';
import { faultProxy } from '../support/fault-proxy.mjs';
import { rejection, seeded, sleep, waitFor, waitUntil, within } from '../support/util.mjs';

/** A short recovery window, so that a test can see one pass. */
const WINDOW_MS = 5000;
const WAIT = 15000;
const CUTS = 5;
const PUSH_SEQNO = /^[A-Za-z0-9]{10}-[0-9a-z]+$/;

const env = useDemo(WsrvClient, WebSocket, { props: { 'wsrv.resume.windowMs': WINDOW_MS } });
const proxies = [];
after(async () => {
  for (const p of proxies) await p.close();
});

async function proxy() {
  const p = await faultProxy(env.demo.wsUrl);
  proxies.push(p);
  return p;
}

/** A uid no other test of this run registers. */
const uid = () => randomInt(1_000_000, 1_000_000_000);

/**
 * A client through `p` that reconnects quickly, and records its session events and hook runs. With `query`, the
 * URL carries it (a demo token).
 */
async function resuming(p, { query = '', ...opts } = {}) {
  const sessions = [];
  const closes = [];
  const rec = { sessions, closes, hooks: 0, client: null };
  rec.client = await env.client(p.via(env.demo.wsUrl) + query, {
    heartbeatInterval: 0,
    reconnect: { initialDelay: 20, maxDelay: 100 },
    onReconnect: () => { rec.hooks++; },
    onSession: (s) => sessions.push(s),
    onClose: (c) => closes.push(c),
    ...opts,
  });
  return rec;
}

async function nthSession(rec, n) {
  await waitFor(() => rec.sessions.length >= n, WAIT, `session event ${n}`);
  assert.equal(rec.sessions.length, n);
  return rec.sessions[n - 1];
}

/** A registered client straight to the demo that pushes with `send`. */
async function pusher() {
  const p = await env.client(undefined, { heartbeatInterval: 0 });
  await p.call('register', { uid: uid() });
  return p;
}

/** The first message a plain WebSocket gets on `url`; the socket is closed then. */
function firstMessage(url) {
  return within(new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => {
      resolve(JSON.parse(data.toString()));
      ws.close(1000);
    });
    ws.once('error', reject);
  }), WAIT, `the first message on ${url}`);
}

/** A plain WebSocket on `url` whose frames can be awaited in order: next() resolves with {text, isBinary}. */
async function rawSocket(url) {
  const ws = new WebSocket(url);
  const frames = [];
  const waiting = [];
  ws.on('message', (data, isBinary) => {
    const f = { text: data.toString(), isBinary };
    if (waiting.length) waiting.shift()(f);
    else frames.push(f);
  });
  await within(new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  }), WAIT, `opening ${url}`);
  return {
    ws,
    next: () => within(frames.length ? Promise.resolve(frames.shift()) : new Promise((r) => waiting.push(r)), WAIT,
      'the next frame'),
  };
}

test('numbered pushes to a user, a group and the session arrive once and in order across cuts; no hook runs', { timeout: 120000 }, async () => {
  const p = await proxy();
  const a = await resuming(p);
  const errors = [];
  a.client.on('error', (e) => errors.push(e));
  const received = { user: [], group: [], session: [] };
  a.client.onPush('message', (data) => received[data.s].push(data.i));
  const me = uid();
  const group = `room-${me}`;
  await a.client.call('register', { uid: me });
  await a.client.call('join', { group });
  const first = await nthSession(a, 1);
  assert.deepEqual(first, { sessionId: first.sessionId, recovered: false, reason: 'new', replayed: 0 });
  const id = first.sessionId;
  assert.match(id, /^[0-9a-f-]{36}$/);

  const s = await pusher();
  let pushed = 0;
  let buffered = 0;
  let stop = false;
  const pushing = (async () => {
    while (!stop) {
      const i = pushed + 1;
      for (const [to, key] of [['user', String(me)], ['group', group], ['session', id]]) {
        const r = await s.call('send', { to, id: key, data: { s: to, i } });
        if (r.failed !== 0 || r.delivered + r.buffered !== 1) throw new Error(`push ${to} ${i}: ${JSON.stringify(r)}`);
        buffered += r.buffered;
      }
      pushed = i;
      await sleep(5); // paces the stream: a detached session's buffer stays far below its bound (1,000 pushes)
    }
  })();

  const seed = randomInt(2 ** 31);
  console.log(`demo-resume seed ${seed}`);
  const random = seeded(seed);
  for (let cut = 1; cut <= CUTS; cut++) {
    const before = buffered;
    p.down();
    // the server has detached the session once it keeps a push for it
    await waitFor(() => buffered > before, WAIT, `a push kept for the detached session (cut ${cut})`);
    setTimeout(() => p.resume(), 50 + Math.floor(random() * 450));
    const s2 = await nthSession(a, cut + 1);
    assert.equal(s2.sessionId, id);
    assert.equal(s2.recovered, true, `cut ${cut}: ${JSON.stringify(s2)}`);
    assert.equal(s2.reason, '');
    assert.ok(s2.replayed >= 1, `cut ${cut}: the kept pushes are replayed: ${JSON.stringify(s2)}`);
  }
  stop = true;
  await within(pushing, WAIT, 'the last push');
  await waitFor(() => Object.values(received).every((r) => r.length >= pushed), WAIT, `${pushed} pushes per stream`);
  const all = Array.from({ length: pushed }, (_, k) => k + 1);
  assert.deepEqual(received, { user: all, group: all, session: all });
  assert.equal(a.hooks, 0, 'the hook does not run after a recovered session');
  assert.deepEqual(errors.filter((e) => /missing/.test(e.message)), []);
  assert.deepEqual(a.closes.map((c) => [c.code, c.reason, c.willReconnect]),
    Array(CUTS).fill([1006, 'connection lost', true]));
  assert.deepEqual(await a.client.call('userinfo'), { uid: me, name: `user-${me}` }, 'the same session, registered');
});

test('a resume after the window gets a new session, not recovered: expired, and the hook runs', { timeout: 60000 }, async () => {
  const p = await proxy();
  const a = await resuming(p);
  const me = uid();
  await a.client.call('register', { uid: me });
  const id = (await nthSession(a, 1)).sessionId;
  const s = await pusher();
  p.down();
  await waitFor(() => a.closes.length === 1, WAIT, 'the drop');
  // kept while the window lasts; once it has passed, the user has no session any more
  await waitUntil(async () => {
    const r = await s.call('send', { to: 'user', id: String(me), data: {} });
    return r.delivered + r.buffered === 0;
  }, WINDOW_MS + WAIT, 'the end of the window');
  p.resume();
  const next = await nthSession(a, 2);
  assert.deepEqual(next, { sessionId: next.sessionId, recovered: false, reason: 'expired', replayed: 0 });
  assert.notEqual(next.sessionId, id);
  await waitFor(() => a.hooks === 1, WAIT, 'the hook');
  const e = await rejection(a.client.call('userinfo'));
  assert.equal(e.status, 401, 'a new session, not registered');
});

test('a forged token and another user\'s token are refused with a new session; the owner still resumes', { timeout: 60000 }, async () => {
  const p = await proxy();
  const tokens = [];
  const alice = await resuming(p, {
    query: `?token=${demoToken('alice')}`,
    onMessage: (m) => { if (m.cmd === 'wsrv.session') tokens.push(m.data.token); },
  });
  const id = (await nthSession(alice, 1)).sessionId;
  assert.equal(tokens.length, 1);
  const [node, session, secret] = tokens[0].split('.');
  assert.equal(session, id);
  const forged = `${node}.${session}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
  const base = env.demo.wsUrl;
  for (const url of [
    `${base}?token=${demoToken('alice')}&wsrv.resume=${encodeURIComponent(forged)}`,
    `${base}?token=${demoToken('bob')}&wsrv.resume=${encodeURIComponent(tokens[0])}`,
    `${base}?wsrv.resume=${encodeURIComponent(tokens[0])}`,
  ]) {
    const m = await firstMessage(url);
    assert.equal(m.cmd, 'wsrv.session', url);
    assert.equal(m.seqno, '');
    assert.equal(m.status, 0);
    assert.equal(m.data.recovered, false, url);
    assert.equal(m.data.reason, 'unknown-token', url);
    assert.notEqual(m.data.id, id);
    assert.notEqual(m.data.token, tokens[0]);
  }
  p.cut();
  const back = await nthSession(alice, 2);
  assert.deepEqual(back, { sessionId: id, recovered: true, reason: '', replayed: back.replayed });
  assert.deepEqual(await alice.client.call('whoami'), { principal: 'alice' });
  assert.equal(alice.hooks, 0);
});

test('a request in flight at the drop fails with the connection error, and its reply never arrives', { timeout: 60000 }, async () => {
  const p = await proxy();
  const a = await resuming(p);
  await a.client.call('register', { uid: uid() });
  const id = (await nthSession(a, 1)).sessionId;
  const cmds = [];
  a.client.on('message', (m) => cmds.push(m.cmd));
  let e;
  await env.demo.pause(); // the request waits in the server's socket
  try {
    const inFlight = a.client.request('userinfo', null, { timeout: 0 });
    p.cut();
    e = await within(rejection(inFlight), WAIT, 'the failure of the request in flight');
  } finally {
    env.demo.resume();
  }
  assert.ok(e instanceof WsrvConnectionError, `got ${e}`);
  assert.equal(e.closeCode, 1006);
  assert.equal(e.closeReason, 'connection lost');
  assert.equal(e.message, `wsrv: connection closed (code 1006, connection lost) before the reply to userinfo (seqno ${e.seqno})`);
  const back = await nthSession(a, 2);
  assert.equal(back.sessionId, id);
  assert.equal(back.recovered, true);
  // replies come in order: once whoami's is here, a reply to the old userinfo would have come before it
  await a.client.call('whoami');
  assert.deepEqual(cmds.filter((c) => c !== 'wsrv.session'), ['whoami']);
});

test('a client that does not ask sees the plain protocol: no parameters, no session message, shared push seqnos', { timeout: 60000 }, async () => {
  const p = await proxy();
  const messages = [];
  let hooks = 0;
  const sessions = [];
  const plain = await env.client(p.via(env.demo.wsUrl), {
    heartbeatInterval: 0,
    reconnect: { initialDelay: 20, maxDelay: 100 },
    resume: false,
    onReconnect: () => { hooks++; },
    onSession: (s) => sessions.push(s),
    onMessage: (m) => messages.push(m),
  });
  const other = await env.client(undefined, { heartbeatInterval: 0 });
  const othersPushes = [];
  other.onPush('have_user_register', (data, m) => othersPushes.push(m));
  const me = uid();
  await plain.call('register', { uid: me });
  await other.call('register', { uid: uid() });
  const mine = await waitFor(() => messages.find((m) => m.cmd === 'have_user_register' && m.data.uid !== me), WAIT,
    'the other\'s broadcast');
  const theirs = await waitFor(() => othersPushes.find((m) => m.data.uid === mine.data.uid), WAIT,
    'the broadcast on the other client');
  assert.match(mine.seqno, PUSH_SEQNO);
  assert.equal(mine.seqno, theirs.seqno, 'one broadcast, one seqno on every plain session');
  assert.equal(messages[0].cmd, 'have_user_register', 'the first message is the register broadcast, no session message');
  assert.ok(!messages.some((m) => m.cmd === 'wsrv.session'));

  p.cut();
  await waitFor(() => hooks === 1, WAIT, 'the reconnect to a new session');
  assert.deepEqual(sessions, []);
  assert.deepEqual(p.requestLines, ['GET /ws HTTP/1.1', 'GET /ws HTTP/1.1']);
  const e = await rejection(plain.call('userinfo'));
  assert.equal(e.status, 401, 'a new session, not registered');
});

test('the server echoes a resumable session\'s heartbeats in their frame type, and a plain session\'s not', { timeout: 30000 }, async () => {
  const r = await rawSocket(`${env.demo.wsUrl}?wsrv.resume=new`);
  assert.equal(JSON.parse((await r.next()).text).cmd, 'wsrv.session');
  r.ws.send('');
  assert.deepEqual(await r.next(), { text: '', isBinary: false });
  r.ws.send(Buffer.alloc(0), { binary: true });
  assert.deepEqual(await r.next(), { text: '', isBinary: true });
  r.ws.close(1000);

  const plain = await rawSocket(env.demo.wsUrl);
  plain.ws.send('');
  plain.ws.send(JSON.stringify({ cmd: 'whoami', seqno: '1' }));
  // the echo would go out at once, before the reply
  const first = await plain.next();
  assert.equal(JSON.parse(first.text).cmd, 'whoami');
  plain.ws.close(1000);
});

test('a network that drops everything is found by the heartbeat echo, and the session resumes', { timeout: 60000 }, async () => {
  const p = await proxy();
  const a = await resuming(p, { heartbeatInterval: 200 });
  await a.client.call('register', { uid: uid() });
  const id = (await nthSession(a, 1)).sessionId;
  p.blackhole();
  // two heartbeat intervals and the grace of 5 s without a frame
  await waitFor(() => a.closes.length === 1, WAIT, 'the client to give the silent connection up');
  assert.deepEqual(a.closes[0], { code: 1006, reason: 'connection lost: no frame from the server for 5400 ms',
    wasClean: false, byClient: false, willReconnect: true });
  p.resume();
  const back = await nthSession(a, 2);
  assert.deepEqual(back, { sessionId: id, recovered: true, reason: '', replayed: back.replayed });
  assert.equal(a.hooks, 0);
  assert.equal(a.closes.length, 1, 'the resumed connection, echoed, stays');
});

// The client's side of resumable sessions against tiny local `ws` servers on 127.0.0.1 that play the server's part
// scripted: the resume parameters of each attempt, duplicates dropped, a gap reported, 4001 final, and a server that
// does not resume sessions. The real server's side is in demo-resume.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsrvClient } from '../wsrv.js';
import { localServer, waitFor, within } from '../support/util.mjs';

const WAIT = 10000;
const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => {});
});

async function server(onConnection) {
  const s = await localServer(onConnection);
  cleanups.push(() => s.close());
  return s;
}

/** A client that reconnects quickly and records what it is told. */
async function client(url, opts = {}) {
  const rec = { pushes: [], sessions: [], closes: [], errors: [], events: [], client: null };
  rec.client = await WsrvClient.connect(url, {
    WebSocket,
    heartbeatInterval: 0,
    reconnect: { initialDelay: 20, maxDelay: 50 },
    onReconnect: () => { rec.events.push('hook'); },
    onReconnected: () => { rec.events.push('reconnect'); },
    onSession: (s) => rec.sessions.push(s),
    onClose: (c) => rec.closes.push(c),
    onError: (e) => rec.errors.push(e),
    ...opts,
  });
  rec.client.onPush('*', (data, m) => rec.pushes.push(m.seqno));
  cleanups.push(() => within(rec.client.close(), 5000, 'client close'));
  return rec;
}

const session = (data) => JSON.stringify({ cmd: 'wsrv.session', seqno: '', status: 0, msg: 'ok', data });
/** Runs `script` when the client's first request arrives, after the client has its push listener. */
const onFirstRequest = (ws, script) => ws.once('message', () => script());
const push = (seqno) => JSON.stringify({ cmd: 'n', seqno, status: 0, msg: 'ok', data: {} });

test('the client resumes with its token and last seqno, drops a replayed push, reports a gap and stops at 4001', { timeout: 20000 }, async () => {
  const s = await server((ws, index) => {
    if (index === 0) {
      ws.send(session({ id: 's1', token: 'n1.s1.first+/=', recovered: false, reason: 'new' }));
      onFirstRequest(ws, () => {
        ws.send(push('Abcdefghij-1'));
        ws.send(push('Zyxwvutsrq-7'));
        ws.send(push('Abcdefghij-2'), () => ws.terminate()); // written, then no close frame: a lost connection
      });
    } else {
      ws.send(session({ id: 's1', token: 'n1.s1.second', recovered: true, replayed: 3 }));
      for (const seqno of ['Abcdefghij-2', 'Abcdefghij-3', 'Abcdefghij-5']) ws.send(push(seqno));
      ws.close(4001, 'resumed elsewhere');
    }
  });
  const c = await client(`${s.url}ws?a=1#frag`);
  c.client.request('go').catch(() => {});
  await waitFor(() => c.closes.length === 2, WAIT, 'the 4001 close');
  assert.deepEqual(s.urls, ['/ws?a=1&wsrv.resume=new',
    '/ws?a=1&wsrv.resume=n1.s1.first%2B%2F%3D&wsrv.last=Abcdefghij-2']);
  assert.deepEqual(c.sessions, [
    { sessionId: 's1', recovered: false, reason: 'new', replayed: 0 },
    { sessionId: 's1', recovered: true, reason: '', replayed: 3 },
  ]);
  // the replayed -2 had arrived already; another numbering (a plain broadcast's seqno) is let through
  assert.deepEqual(c.pushes, ['Abcdefghij-1', 'Zyxwvutsrq-7', 'Abcdefghij-2', 'Abcdefghij-3', 'Abcdefghij-5']);
  const gaps = c.errors.filter((e) => /missing/.test(e.message));
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0].message, 'wsrv: 1 pushes missing before Abcdefghij-5');
  assert.deepEqual(c.closes.map((x) => [x.code, x.reason, x.willReconnect]),
    [[1006, 'connection lost', true], [4001, 'resumed elsewhere', false]]);
  assert.deepEqual(c.events, ['reconnect'], 'no hook after a recovered session');
  assert.equal(c.client.url, `${s.url}ws?a=1#frag`, 'the token stays out of url');
});

test('after a reconnect to a new session the hook runs before the reconnect event, also when the server does not resume', { timeout: 20000 }, async () => {
  const s = await server((ws, index) => {
    if (index === 0) {
      ws.send(session({ id: 's1', token: 'n1.s1.t', recovered: false, reason: 'new' }));
      onFirstRequest(ws, () => {
        ws.send(push('Abcdefghij-1'), () => ws.terminate());
      });
    } else if (index === 1) {
      ws.send(session({ id: 's2', token: 'n1.s2.t', recovered: false, reason: 'expired' }));
      ws.send(push('Qwertyuiop-1'), () => ws.terminate());
    } else {
      // a server without resumable sessions: its first message is a plain push
      ws.send(push('Plainplain-9'));
    }
  });
  const c = await client(`${s.url}ws`);
  c.client.request('go').catch(() => {});
  await waitFor(() => c.events.length === 4, WAIT, 'two reconnects');
  assert.deepEqual(c.events, ['hook', 'reconnect', 'hook', 'reconnect']);
  assert.deepEqual(s.urls, ['/ws?wsrv.resume=new', '/ws?wsrv.resume=n1.s1.t&wsrv.last=Abcdefghij-1',
    '/ws?wsrv.resume=n1.s2.t&wsrv.last=Qwertyuiop-1']);
  assert.deepEqual(c.sessions.map((x) => [x.sessionId, x.recovered, x.reason]),
    [['s1', false, 'new'], ['s2', false, 'expired']]);
  assert.deepEqual(c.pushes, ['Abcdefghij-1', 'Qwertyuiop-1', 'Plainplain-9']);
});

// The JavaScript client against the real embedded demo server (started here, stopped at the end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsrvClient, WsrvError, WsrvStatusError, connect } from '../wsrv.js';
import { useDemo } from '../support/demo.mjs';
import { rejection, waitFor, within } from '../support/util.mjs';

const env = useDemo(WsrvClient, WebSocket);
const client = (opts = {}) => env.client(undefined, opts);

/** Records every push a client receives, in arrival order. */
function recordPushes(c) {
  const pushes = [];
  c.onPush('*', (data, envelope) => pushes.push(envelope));
  return pushes;
}

test('a command before register is rejected with 401 unauthorized', { timeout: 20000 }, async () => {
  const c = await client();
  const e = await rejection(c.request('userinfo', {}));
  assert.ok(e instanceof WsrvStatusError, `expected WsrvStatusError, got ${e}`);
  assert.ok(e instanceof WsrvError, 'the common class of failures');
  assert.equal(e.name, 'WsrvStatusError');
  assert.equal(e.code, 'WSRV_STATUS');
  assert.equal(e.status, 401);
  assert.equal(e.msg, 'unauthorized');
  assert.deepEqual(e.data, {});
  assert.equal(e.cmd, 'userinfo');
  assert.match(e.seqno, /^[0-9a-z]{12}-\d+$/);
  assert.equal(e.message, `wsrv: userinfo (seqno ${e.seqno}) failed with status 401: unauthorized`);
});

test('call resolves with the data or rejects with the status error, its problems in the message', { timeout: 20000 }, async () => {
  const c = await client();
  const e = await rejection(c.call('register', { uid: 0 }));
  assert.ok(e instanceof WsrvStatusError, `expected WsrvStatusError, got ${e}`);
  assert.equal(e.status, 422);
  assert.deepEqual(e.data, [{ path: 'uid', message: 'must be a positive integer' }]);
  assert.equal(e.message,
    `wsrv: register (seqno ${e.seqno}) failed with status 422: invalid data: uid: must be a positive integer`);
  assert.match(e.stack, /^WsrvStatusError: wsrv: register \(seqno [^\n]*\n/);
  assert.match(e.stack, /demo\.test\.mjs/, `the stack names the caller:\n${e.stack}`);
  assert.deepEqual(await c.call('register', { uid: 9 }), {});
  assert.deepEqual(await c.call('userinfo', null, { timeout: 5000 }), { uid: 9, name: 'user-9' });
});

test('register with invalid data is rejected with 422 invalid data', { timeout: 20000 }, async () => {
  const c = await client();
  for (const bad of [{ uid: 'seven' }, { uid: -3 }, { uid: 0 }, { uid: 1.5 }, null, undefined]) {
    const e = await rejection(c.request('register', bad));
    assert.ok(e instanceof WsrvStatusError, `expected WsrvStatusError for ${JSON.stringify(bad)}, got ${e}`);
    assert.equal(e.status, 422, `status for ${JSON.stringify(bad)}`);
    assert.equal(e.msg, 'invalid data', `msg for ${JSON.stringify(bad)}`);
    assert.deepEqual(e.data, [{ path: 'uid', message: 'must be a positive integer' }]);
    assert.equal(e.cmd, 'register');
  }
  // still not registered: the failed registers stored nothing
  const e = await rejection(c.request('userinfo'));
  assert.equal(e.status, 401);
  assert.equal(e.msg, 'unauthorized');
});

test('register answers {} and pushes have_user_register and user_register to the caller', { timeout: 20000 }, async () => {
  const c = await client();
  const pushes = recordPushes(c);
  const perCmd = { have_user_register: [], user_register: [] };
  c.onPush('have_user_register', (data) => perCmd.have_user_register.push(data));
  c.onPush('user_register', (data) => perCmd.user_register.push(data));

  const data = await c.request('register', { uid: 7 });
  assert.deepEqual(data, {});
  await waitFor(() => pushes.length >= 2, 5000, 'two pushes');
  assert.deepEqual(perCmd.have_user_register, [{ uid: 7 }]);
  assert.deepEqual(perCmd.user_register, [{ uid: 7 }]);
  assert.deepEqual(pushes.map((p) => p.cmd).sort(), ['have_user_register', 'user_register']);
  for (const p of pushes) {
    assert.equal(p.status, 0);
    assert.equal(p.msg, 'ok');
    assert.equal(typeof p.seqno, 'string');
    assert.ok(p.seqno.length > 0, 'a push carries a generated seqno');
    assert.deepEqual(p.data, { uid: 7 });
  }

  const info = await c.request('userinfo');
  assert.deepEqual(info, { uid: 7, name: 'user-7' });
  assert.equal(pushes.length, 2, 'no further pushes');
});

test('an unknown command is rejected with -1 not implement (raw: whole envelope)', { timeout: 20000 }, async () => {
  const c = await client();
  await c.request('register', { uid: 11 });
  const e = await rejection(c.request('no_such_cmd', { x: 1 }));
  assert.ok(e instanceof WsrvStatusError);
  assert.equal(e.status, -1);
  assert.equal(e.msg, 'not implement');
  assert.equal(e.cmd, 'no_such_cmd');

  const reply = await c.request('no_such_cmd', [1, 2], { raw: true });
  assert.deepEqual(Object.keys(reply).sort(), ['cmd', 'data', 'msg', 'seqno', 'status']);
  assert.equal(reply.cmd, 'no_such_cmd');
  assert.equal(reply.status, -1);
  assert.equal(reply.msg, 'not implement');
  assert.deepEqual(reply.data, {});
  assert.match(reply.seqno, /^[0-9a-z]{12}-\d+$/);
});

test('concurrent requests are matched to their replies by seqno', { timeout: 20000 }, async () => {
  const c = await connect(env.demo.wsUrl, { WebSocket });
  env.clients.push(c);
  const sent = [];
  c.on('send', (env) => sent.push(env.seqno));
  await c.request('register', { uid: 12 });
  const results = await Promise.allSettled([
    c.request('userinfo'),
    c.request('nope'),
    c.request('userinfo', null, { raw: true }),
    c.request('register', { uid: 'x' }),
  ]);
  assert.deepEqual(results[0], { status: 'fulfilled', value: { uid: 12, name: 'user-12' } });
  assert.equal(results[1].status, 'rejected');
  assert.equal(results[1].reason.status, -1);
  assert.equal(results[2].status, 'fulfilled');
  assert.equal(results[2].value.cmd, 'userinfo');
  assert.equal(results[2].value.status, 0);
  assert.equal(results[2].value.msg, 'ok');
  assert.deepEqual(results[2].value.data, { uid: 12, name: 'user-12' });
  assert.equal(results[2].value.seqno, sent[3]);
  assert.equal(results[3].status, 'rejected');
  assert.equal(results[3].reason.status, 422);
  assert.equal(results[3].reason.msg, 'invalid data');
  assert.equal(new Set(sent).size, 5, 'seqnos are unique');
});

test('two clients see each other\'s have_user_register push', { timeout: 20000 }, async () => {
  const a = await client();
  const b = await client();
  const pa = recordPushes(a);
  const pb = recordPushes(b);

  await a.request('register', { uid: 21 });
  await waitFor(() => pa.length >= 2, 5000, 'pushes of the first register at a');
  assert.deepEqual(pa.map((p) => [p.cmd, p.data]).sort(),
    [['have_user_register', { uid: 21 }], ['user_register', { uid: 21 }]]);
  assert.deepEqual(pb, [], 'b has no uid yet, so it gets no push');

  await b.request('register', { uid: 22 });
  await waitFor(() => pb.length >= 2 && pa.length >= 3, 5000, 'pushes of the second register');
  assert.deepEqual(pb.map((p) => [p.cmd, p.data]).sort(),
    [['have_user_register', { uid: 22 }], ['user_register', { uid: 22 }]]);
  assert.deepEqual(pa.slice(2).map((p) => [p.cmd, p.data]), [['have_user_register', { uid: 22 }]]);

  assert.deepEqual(await a.request('userinfo'), { uid: 21, name: 'user-21' });
  assert.deepEqual(await b.request('userinfo'), { uid: 22, name: 'user-22' });
  assert.equal(pa.length, 3);
  assert.equal(pb.length, 2);
});

test('the heartbeat keeps a session alive past the 30 s idle timeout; a silent one is closed', { timeout: 70000 }, async (t) => {
  const alive = await client({ heartbeatInterval: 5000 });
  const silent = await client({ heartbeatInterval: 0 });
  await alive.request('register', { uid: 31 });
  await silent.request('register', { uid: 32 });
  let silentClose = null;
  let aliveClose = null;
  silent.on('close', (info) => { silentClose = info; });
  alive.on('close', (info) => { aliveClose = info; });
  await waitFor(() => silentClose, 45000, 'the server to close the silent session');
  assert.equal(silentClose.code, 1000, 'the idle close is a proper close frame (never 1006)');
  assert.match(silentClose.reason, /idle timeout/);
  assert.equal(silentClose.wasClean, true);
  assert.equal(silentClose.byClient, false);
  assert.equal(silentClose.willReconnect, false);
  assert.equal(silent.connected, false);
  // the alive client, registered with the silent one, is still open after the silent one's idle close
  assert.equal(aliveClose, null);
  assert.equal(alive.connected, true);
  assert.deepEqual(await alive.request('userinfo'), { uid: 31, name: 'user-31' });
  // The exact idle close code, reported for the record:
  t.diagnostic(`idle close: code ${silentClose.code}, reason ${JSON.stringify(silentClose.reason)}`);
});

test('close() sends 1000 and the client reports it', { timeout: 20000 }, async () => {
  const c = await WsrvClient.connect(env.demo.wsUrl, { WebSocket });
  const closes = [];
  c.on('close', (info) => closes.push(info));
  await c.request('register', { uid: 41 });
  const r = await within(c.close(), 5000, 'close');
  assert.equal(r.code, 1000);
  assert.deepEqual(closes, [{ code: 1000, reason: '', wasClean: true, byClient: true, willReconnect: false }]);
  assert.equal(c.connected, false);
  const e = await rejection(c.request('userinfo'));
  assert.equal(e.name, 'WsrvConnectionError');
  assert.equal(e.code, 'WSRV_DISCONNECTED');
  assert.equal(e.message, 'wsrv: not connected, cannot send userinfo');
});

// Reconnect, backoff and timeouts of the JavaScript client against the real embedded demo server, which the
// tests stop, restart on the same port and pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsrvClient, WsrvConnectionError, WsrvTimeoutError } from '../wsrv.js';
import { startDemo, useDemo } from '../support/demo.mjs';
import { rejection, waitFor } from '../support/util.mjs';

const env = useDemo(WsrvClient, WebSocket);

test('a request the paused server cannot answer times out, and its late reply is dropped', { timeout: 30000 }, async () => {
  const c = await env.client(undefined, { heartbeatMs: 0 });
  await c.request('register', { uid: 52 });
  const pushes = [];
  const replies = [];
  c.onPush('*', (data, env) => pushes.push(env.cmd));
  c.on('message', (env) => { if (env.cmd === 'userinfo' || env.cmd === 'whoami') replies.push(env.cmd); });
  env.demo.pause();
  let e;
  try {
    e = await rejection(c.request('userinfo', null, { timeoutMs: 300 }));
  } finally {
    env.demo.resume();
  }
  assert.ok(e instanceof WsrvTimeoutError, `got ${e}`);
  assert.equal(e.cmd, 'userinfo');
  assert.equal(e.timeoutMs, 300);
  assert.equal(c.connected, true, 'a timeout does not close the connection');
  // the server answers in order: when the reply to whoami is here, the late reply to userinfo was handled
  assert.deepEqual(await c.request('whoami'), { principal: '' });
  assert.deepEqual(replies, ['userinfo', 'whoami']);
  assert.ok(!pushes.includes('userinfo'), `the late reply is not a push: ${pushes}`);
});

test('after a restart of the server the clients reconnect with backoff, fresh credentials and the hook', { timeout: 90000 }, async () => {
  const port = env.demo.port;
  const order = [];
  const c = await env.client(undefined, {
    heartbeatMs: 0,
    reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
    async onReconnect(cl) {
      order.push('hook');
      await cl.request('register', { uid: 51 });
      order.push('registered');
    },
  });
  // a second client takes its token from a URL function, asked before every attempt
  let issued = 0;
  const tokenUrl = () => `${env.demo.wsUrl}?token=demo-user${++issued}`;
  const t = await env.client(tokenUrl, { heartbeatMs: 0, reconnect: { initialDelayMs: 100, maxDelayMs: 400 } });
  assert.deepEqual(await t.request('whoami'), { principal: 'user1' });

  const registered = [];
  c.onPush('user_register', (data) => registered.push(data.uid));
  await c.request('register', { uid: 51 });
  await waitFor(() => registered.length === 1, 5000, 'the user_register push');
  const closes = [];
  const failures = [];
  c.on('close', (i) => closes.push(i));
  c.on('error', (err) => failures.push(err));
  c.on('reconnect', () => order.push('reconnect'));

  await env.demo.stop(); // SIGTERM: the server closes every session with 1001 before it exits
  await waitFor(() => closes.length === 1, 10000, 'the close');
  assert.deepEqual(closes, [{ code: 1001, reason: closes[0].reason, wasClean: true, byClient: false, willReconnect: true }]);
  const e = await rejection(c.request('userinfo'));
  assert.ok(e instanceof WsrvConnectionError);
  assert.equal(e.message, 'wsrv: not connected, cannot send userinfo');
  await waitFor(() => failures.length >= 2, 10000, 'two failed attempts while the server is down');
  for (const f of failures) {
    assert.ok(f instanceof WsrvConnectionError, `got ${f}`);
    assert.equal(f.closeCode, 1006);
  }

  env.demo = await startDemo({ port, startTimeoutMs: 30000 });
  await waitFor(() => order.includes('reconnect') && t.connected, 20000, 'both clients to reconnect');
  assert.deepEqual(order, ['hook', 'registered', 'reconnect']);
  assert.deepEqual(await c.request('userinfo'), { uid: 51, name: 'user-51' });
  await waitFor(() => registered.length === 2, 5000, 'the push of the register in the hook');
  assert.deepEqual(registered, [51, 51]);
  assert.ok(issued >= 2, 'the URL function was asked again');
  assert.deepEqual(await t.request('whoami'), { principal: `user${issued}` });
});

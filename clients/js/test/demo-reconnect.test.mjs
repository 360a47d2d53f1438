// Reconnect, backoff and timeouts of the JavaScript client against the real embedded demo server, which the
// tests stop, restart on the same port and pause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import WebSocket from 'ws';
import { WsrvClient, WsrvConnectionError, WsrvTimeoutError } from '../wsrv.js';
import { demoToken, startDemo, useDemo } from '../support/demo.mjs';
import { rejection, waitFor } from '../support/util.mjs';

const env = useDemo(WsrvClient, WebSocket);

test('a request the paused server cannot answer times out, and its late reply is dropped', { timeout: 30000 }, async () => {
  const c = await env.client(undefined, { heartbeatInterval: 0 });
  await c.request('register', { uid: 52 });
  const pushes = [];
  const replies = [];
  c.onPush('*', (data, env) => pushes.push(env.cmd));
  c.on('message', (env) => { if (env.cmd === 'userinfo' || env.cmd === 'whoami') replies.push(env.cmd); });
  await env.demo.pause();
  let e;
  try {
    e = await rejection(c.request('userinfo', null, { timeout: 300 }));
  } finally {
    env.demo.resume();
  }
  assert.ok(e instanceof WsrvTimeoutError, `got ${e}`);
  assert.equal(e.cmd, 'userinfo');
  assert.equal(e.timeout, 300);
  assert.equal(c.connected, true, 'a timeout does not close the connection');
  // the server answers in order: when the reply to whoami is here, the late reply to userinfo was handled
  assert.deepEqual(await c.request('whoami'), { principal: '' });
  assert.deepEqual(replies, ['userinfo', 'whoami']);
  assert.ok(!pushes.includes('userinfo'), `the late reply is not a push: ${pushes}`);
});

test('after a restart of the server the clients reconnect with backoff, fresh credentials and the hook; a refused one stops', { timeout: 90000 }, async () => {
  const port = env.demo.port;
  const order = [];
  const backoff = { initialDelay: 100, maxDelay: 400 };
  const c = await env.client(undefined, {
    heartbeatInterval: 0,
    reconnect: backoff,
    async onReconnect(cl) {
      order.push('hook');
      await cl.request('register', { uid: 51 });
      order.push('registered');
    },
  });
  // a second client takes its token from a URL function, asked before every attempt
  let issued = 0;
  const tokenUrl = () => `${env.demo.wsUrl}?token=${demoToken(`user${++issued}`)}`;
  const t = await env.client(tokenUrl, { heartbeatInterval: 0, reconnect: backoff });
  assert.deepEqual(await t.request('whoami'), { principal: 'user1' });
  // a third one's token is revoked: the server refuses its reconnect with 401, which is not retried
  let revokedAsked = 0;
  const revokedUrl = () => `${env.demo.wsUrl}?token=${revokedAsked++ === 0 ? demoToken('carol') : 'revoked'}`;
  const r = await env.client(revokedUrl, { heartbeatInterval: 0, reconnect: { ...backoff, jitter: 0 } });
  // and a witness reconnects to a port where nothing listens: its retries show how much time has passed
  const deadPort = await freePort();
  let witnessAsked = 0;
  const witnessUrl = () => (witnessAsked++ === 0 ? env.demo.wsUrl : `ws://127.0.0.1:${deadPort}/ws`);
  const w = await env.client(witnessUrl, { heartbeatInterval: 0, reconnect: { initialDelay: 400, maxDelay: 400, jitter: 0 } });

  const registered = [];
  c.onPush('user_register', (data) => registered.push(data.uid));
  await c.request('register', { uid: 51 });
  await waitFor(() => registered.length === 1, 5000, 'the user_register push');
  const closes = [];
  const failures = [];
  const planned = [];
  c.on('close', (i) => closes.push(i));
  c.on('error', (err) => failures.push(err));
  c.on('reconnecting', (p) => planned.push(p));
  c.on('reconnect', () => order.push('reconnect'));
  const refusals = [];
  // a 503 while the server stops or starts is retried; a 4xx is the refusal that ends the reconnecting
  r.on('error', (err) => { if (err.handshakeStatus >= 400 && err.handshakeStatus < 500) refusals.push(err); });
  let witnessFailures = 0;
  w.on('error', () => witnessFailures++);

  await env.demo.stop(); // SIGTERM: the server closes every session with 1001 before it exits
  await waitFor(() => closes.length === 1, 10000, 'the close');
  assert.deepEqual(closes, [{ code: 1001, reason: closes[0].reason, wasClean: true, byClient: false, willReconnect: true }]);
  const e = await rejection(c.request('userinfo'));
  assert.ok(e instanceof WsrvConnectionError);
  assert.equal(e.message, 'wsrv: not connected, cannot send userinfo');
  await waitFor(() => failures.length >= 3, 10000, 'three failed attempts while the server is down');
  for (const f of failures) {
    assert.ok(f instanceof WsrvConnectionError, `got ${f}`);
    assert.equal(f.closeCode, 1006);
  }
  // attempt k waits the backoff 100, 200, 400, 400, ... ms less a random part of up to half (the default jitter)
  planned.forEach(({ attempt, delay }, i) => {
    const base = Math.min(400, 100 * 2 ** i);
    assert.equal(attempt, i + 1);
    assert.ok(delay >= base / 2 && delay <= base, `attempt ${attempt}: ${delay} ms, not within ${base / 2}..${base}`);
  });

  env.demo = await startDemo({ port, startTimeoutMs: 30000 });
  await waitFor(() => order.includes('reconnect') && t.connected, 20000, 'both clients to reconnect');
  assert.deepEqual(order, ['hook', 'registered', 'reconnect']);
  assert.deepEqual(await c.request('userinfo'), { uid: 51, name: 'user-51' });
  await waitFor(() => registered.length === 2, 5000, 'the push of the register in the hook');
  assert.deepEqual(registered, [51, 51]);
  assert.ok(issued >= 2, 'the URL function was asked again');
  assert.deepEqual(await t.request('whoami'), { principal: `user${issued}` });

  await waitFor(() => refusals.length === 1, 10000, 'the refusal of the revoked token');
  assert.equal(refusals[0].handshakeStatus, 401);
  const askedAtRefusal = revokedAsked;
  const seen = witnessFailures;
  // a retry would start within 400 ms; three more attempts of the witness take at least 800 ms
  await waitFor(() => witnessFailures >= seen + 3, 10000, 'three more attempts of the witness');
  assert.equal(revokedAsked, askedAtRefusal, 'no attempt after the refusal');
  assert.equal(refusals.length, 1);
  assert.equal(r.connected, false);
});

/** A port on 127.0.0.1 where nothing listens (just freed). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

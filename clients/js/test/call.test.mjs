// call(): the reply's data, or the failure itself with the caller's stack; the status error's message quotes the
// reply's data, bounded. Against tiny local `ws` servers that answer with what the test gives them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsrvClient, WsrvConnectionError, WsrvStatusError, WsrvTimeoutError } from '../wsrv.js';
import { localServer, rejection, within } from '../support/util.mjs';

const cleanups = [];
after(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => {});
});

/** A server that answers each request with the status, msg and data its request data gives (`answer: false`: none). */
async function answering() {
  const s = await localServer((ws) => ws.on('message', (d) => {
    if (!d.length) return;
    const { cmd, seqno, data } = JSON.parse(d.toString());
    if (data?.answer === false) return;
    ws.send(JSON.stringify({ cmd, seqno, status: data?.status ?? 0, msg: data?.msg ?? 'ok', data: data?.data ?? {} }));
  }));
  cleanups.push(() => s.close());
  return s;
}

async function client(url, opts = {}) {
  const c = await WsrvClient.connect(url, { WebSocket, heartbeatInterval: 0, ...opts });
  cleanups.push(() => within(c.close(), 5000, 'client close'));
  return c;
}

test('call resolves with the reply data', { timeout: 10000 }, async () => {
  const c = await client((await answering()).url);
  assert.deepEqual(await c.call('x', { data: { a: [1, 'b'] } }), { a: [1, 'b'] });
  assert.deepEqual(await c.call('x'), {});
  assert.deepEqual(await c.call('x', { data: 'text' }, { timeout: 5000 }), 'text');
});

test('the status error says the reply\'s msg and data, bounded', { timeout: 10000 }, async () => {
  const c = await client((await answering()).url);
  const message = async (status, msg, data) => {
    const e = await rejection(c.call('fail', { status, msg, data }));
    assert.ok(e instanceof WsrvStatusError, `expected WsrvStatusError, got ${e}`);
    assert.ok(e.message.startsWith(`wsrv: fail (seqno ${e.seqno}) failed with status ${status}: `), e.message);
    return e.message.slice(e.message.indexOf(`${status}: `) + `${status}: `.length);
  };
  const problems = [{ path: 'rooms[2]', message: 'must not be blank' }, { path: '', message: 'too many rooms' },
    { message: 'no path at all' }];
  assert.equal(await message(422, 'invalid data', problems),
    'invalid data: rooms[2]: must not be blank; too many rooms; no path at all');
  assert.equal(await message(409, 'taken', {}), 'taken');
  assert.equal(await message(409, 'taken', []), 'taken: []');
  assert.equal(await message(409, 'taken', 'by Ann'), 'taken: "by Ann"');
  assert.equal(await message(403, 'forbidden', { room: 'r1' }), 'forbidden: {"room":"r1"}');
  assert.equal(await message(409, 'taken', [{ path: 'x' }]), 'taken: [{"path":"x"}]');

  const big = 'é'.repeat(10000);
  assert.equal(await message(409, 'taken', big),
    `taken: "${'é'.repeat(500 - 8)}... (${10000 + 2 + 7 - 500} more characters)`);
  // a character outside the BMP is never cut in half
  const e = await rejection(c.call('fail', { status: 409, msg: 'taken', data: `${'a'.repeat(491)}😀😀` }));
  assert.ok(e.message.endsWith(`taken: "${'a'.repeat(491)}... (5 more characters)`), e.message);
  assert.equal(e.data, `${'a'.repeat(491)}😀😀`, 'the whole data stays in data');
});

test('call rejects with the failure itself, whose stack is the caller\'s', { timeout: 10000 }, async function callerStack() {
  const s = await answering();
  const c = await client(s.url);
  const status = await rejection(c.call('fail', { status: 403, msg: 'forbidden' }));
  assert.ok(status instanceof WsrvStatusError);
  assert.match(status.stack, /^WsrvStatusError: wsrv: fail \(seqno \S+\) failed with status 403: forbidden\n/);
  assert.match(status.stack, /call\.test\.mjs/, `the stack names the caller:\n${status.stack}`);
  // a request's rejection keeps the stack of the socket event
  const plain = await rejection(c.request('fail', { status: 403, msg: 'forbidden' }));
  assert.doesNotMatch(plain.stack, /call\.test\.mjs/);

  const timeout = await rejection(c.call('slow', { answer: false }, { timeout: 200 }));
  assert.ok(timeout instanceof WsrvTimeoutError, `expected WsrvTimeoutError, got ${timeout}`);
  assert.equal(timeout.message, `wsrv: no reply to slow (seqno ${timeout.seqno}) within 200 ms`);
  assert.match(timeout.stack, /call\.test\.mjs/);

  const pending = rejection(c.call('slow', { answer: false }, { timeout: 0 }));
  await s.close();
  const closed = await pending;
  assert.ok(closed instanceof WsrvConnectionError, `expected WsrvConnectionError, got ${closed}`);
  assert.equal(closed.closeCode, 1006);
  assert.match(closed.stack, /call\.test\.mjs/);
  const notConnected = await rejection(c.call('x'));
  assert.ok(notConnected instanceof WsrvConnectionError);
  assert.match(notConnected.message, /not connected, cannot send x/);
});

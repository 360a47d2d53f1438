// Small helpers for the tests: bounded waits and throwaway local WebSocket servers.
import { WebSocketServer } from 'ws';

/** Polls `predicate` every 10 ms; rejects after timeoutMs naming `what`. */
export async function waitFor(predicate, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Like waitFor, with a predicate that may be async: asked again 50 ms after each answer until it holds. */
export async function waitUntil(predicate, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Numbers in [0, 1) from a seed, so that a failing run can be repeated. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error `promise` rejects with; throws when it resolves instead. */
export async function rejection(promise) {
  let value;
  try {
    value = await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

/** Rejects when `promise` has not settled within timeoutMs. */
export function within(promise, timeoutMs, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(t));
}

/**
 * A local WebSocket server on 127.0.0.1, port 0 (or `port`). `onConnection(ws, index)` is called for
 * each connection; every inbound frame is recorded in `frames` as {conn, isBinary, text}, and every upgrade
 * request's URL in `urls`.
 */
export async function localServer(onConnection = () => {}, { port = 0 } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const frames = [];
  const sockets = [];
  const urls = [];
  wss.on('connection', (ws, req) => {
    const index = sockets.length;
    sockets.push(ws);
    urls.push(req.url);
    ws.on('message', (data, isBinary) => frames.push({ conn: index, isBinary, text: data.toString() }));
    onConnection(ws, index);
  });
  const actualPort = wss.address().port;
  return {
    url: `ws://127.0.0.1:${actualPort}/`,
    port: actualPort,
    frames,
    sockets,
    urls,
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

// The JavaScript client's resumable session moving between the nodes of a 3-node cluster (real redis-server): a fault
// proxy stands for the load balancer, cuts the connection several times for random short periods and sends each
// reconnect to another node, while numbered pushes to the client's user, group and session come from all three nodes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import { WsrvClient } from '../wsrv.js';
import { NODES, useCluster } from '../support/cluster.mjs';
import { faultProxy } from '../support/fault-proxy.mjs';
import { seeded, sleep, waitFor, waitUntil, within } from '../support/util.mjs';

const WAIT = 20000;
const CUTS = 5;

const cluster = useCluster(WsrvClient, WebSocket);
const open = [];
after(async () => {
  for (const c of open) await within(c.close(), 5000, 'close').catch(() => {});
});

/** A plain client straight to node `i`, for pushing and for asking the node what happened. */
async function node(i) {
  const c = await WsrvClient.connect(cluster.nodes[i].wsUrl, { WebSocket, heartbeatInterval: 0, reconnect: false });
  open.push(c);
  return c;
}

/** How often each session event (opened, detached, resumed, closed) fired on that node for the session. */
const events = (n, id) => n.call('events', { id });

test('numbered pushes from every node arrive once and in order while each reconnect lands on another node', { timeout: 120000 }, async () => {
  const balancer = await faultProxy(cluster.nodes[0].wsUrl);
  open.push(balancer);
  const sessions = [];
  let hooks = 0;
  const client = await WsrvClient.connect(balancer.via(cluster.nodes[0].wsUrl), {
    WebSocket,
    heartbeatInterval: 200,
    reconnect: { initialDelay: 20, maxDelay: 100 },
    onReconnect: () => { hooks++; },
    onSession: (s) => sessions.push(s),
  });
  open.push(client);
  const received = { u: [], g: [], s: [] };
  client.onPush('n', (data) => received[data.s].push(data.i));
  const user = `ann-${randomInt(1e9)}`;
  const group = `room-${user}`;
  await client.call('login', { user });
  await client.call('join', { group });
  const { id } = await client.call('whoami');
  await waitFor(() => sessions.length === 1, WAIT, 'the first session event');
  assert.deepEqual(sessions[0], { sessionId: id, recovered: false, reason: 'new', replayed: 0 });

  const pushers = await Promise.all(Array.from({ length: NODES }, (_, i) => node(i)));
  const watchers = await Promise.all(Array.from({ length: NODES }, (_, i) => node(i)));
  let pushed = 0;
  let stop = false;
  // each push comes from another node than the one before, the owner's own included
  const pushing = (async () => {
    while (!stop) {
      const i = pushed + 1;
      const three = [['user', user, 'u'], ['group', group, 'g'], ['session', id, 's']];
      for (let k = 0; k < three.length; k++) {
        const [kind, key, s] = three[k];
        const r = await pushers[(i + k) % NODES].call('pushto', { kind, key, cmd: 'n', data: { s, i } });
        if (r.failures.length !== 0) throw new Error(`push ${s}${i}: ${JSON.stringify(r)}`);
      }
      pushed = i;
      await sleep(10);
    }
  })();

  const seed = randomInt(2 ** 31);
  console.log(`cluster-resume seed ${seed}`);
  const random = seeded(seed);
  let at = 0;
  try {
    for (let cut = 1; cut <= CUTS; cut++) {
      const next = (at + 1 + Math.floor(random() * (NODES - 1))) % NODES;
      const detached = (await events(watchers[at], id)).detached ?? 0;
      balancer.down();
      balancer.retarget(cluster.nodes[next].wsUrl);
      await waitUntil(async () => ((await events(watchers[at], id)).detached ?? 0) > detached, WAIT,
        `node${at + 1} detaches the session (cut ${cut})`);
      // a push made while the session is detached, for the resume to replay
      const mark = pushed;
      await waitFor(() => pushed > mark, WAIT, `a push while the session is detached (cut ${cut})`);
      setTimeout(() => balancer.resume(), randomInt(50, 500));
      await waitFor(() => sessions.length >= cut + 1, WAIT, `session event ${cut + 1}`);
      assert.equal(sessions.length, cut + 1);
      const e = sessions[cut];
      assert.equal(e.sessionId, id);
      assert.equal(e.recovered, true, `cut ${cut}: ${JSON.stringify(e)}`);
      assert.equal(e.reason, '');
      assert.ok(e.replayed >= 1, `cut ${cut}: the pushes made meanwhile are replayed: ${JSON.stringify(e)}`);
      const to = next;
      await waitUntil(async () => (await events(watchers[to], id)).resumed >= 1, WAIT,
        `node${to + 1} resumes the session`);
      assert.equal((await events(watchers[at], id)).closed ?? 0, 0, `not closed on node${at + 1}, which it left`);
      at = next;
    }
  } finally {
    stop = true;
    await within(pushing, WAIT, 'the last push');
  }
  await waitFor(() => Object.values(received).every((r) => r.length >= pushed), WAIT, `${pushed} pushes per stream`);
  const all = Array.from({ length: pushed }, (_, k) => k + 1);
  assert.deepEqual(received, { u: all, g: all, s: all });
  assert.equal(hooks, 0, 'the hook does not run after a recovered session');
  assert.deepEqual(await client.call('whoami'), { id }, 'the same session');
  assert.equal((await client.call('state')).user, user, 'with its user');
  await client.close();
});

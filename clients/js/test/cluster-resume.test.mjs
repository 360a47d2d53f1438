// The JavaScript client's resumable session moving between the nodes of a 3-node cluster (real redis-server): a fault
// proxy stands for the load balancer, cuts the connection several times for random short periods and sends each
// reconnect to another node, while numbered pushes to the client's user, group and session come from a third node;
// then the node that has the session stops cleanly and hands it over. The pushes come from a node the session never
// reaches: they all travel through the cluster's stream, whose order every node keeps, whereas a node's pushes to its
// own sessions are written at once and may overtake pushes of other nodes it has not read yet (README "Cluster").
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

/**
 * A resumable client of the cluster through `balancer`, logged in as a new user and in a new group, whose numbered
 * pushes are collected per stream: {client, id, user, group, sessions, received, hooks()}.
 */
async function resumingClient(balancer, first) {
  const sessions = [];
  let hooks = 0;
  const client = await WsrvClient.connect(balancer.via(cluster.nodes[first].wsUrl), {
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
  return { client, id, user, group, sessions, received, hooks: () => hooks };
}

/**
 * Pushes `n` with {s: 'u'|'g'|'s', i} for i = 1, 2, ... to the client's user, group and session through `pusher` (a
 * client of a node), until stop(); `count()` is the last i pushed to all three.
 */
function pushNumbered(pusher, { user, group, id }) {
  let pushed = 0;
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const i = pushed + 1;
      const three = [['user', user, 'u'], ['group', group, 'g'], ['session', id, 's']];
      for (const [kind, key, s] of three) {
        const r = await pusher.call('pushto', { kind, key, cmd: 'n', data: { s, i } });
        if (r.failures.length !== 0) throw new Error(`push ${s}${i}: ${JSON.stringify(r)}`);
      }
      pushed = i;
      await sleep(10);
    }
  })();
  return {
    count: () => pushed,
    /** Stops after the push under way; resolves once it is done. */
    stop: () => {
      stopped = true;
      return within(done, WAIT, 'the last push');
    },
  };
}

/** Waits for every push made and checks that each stream arrived whole, once and in order. */
async function expectEveryNumber(c, pushed) {
  await waitFor(() => Object.values(c.received).every((r) => r.length >= pushed), WAIT, `${pushed} pushes per stream`);
  const all = Array.from({ length: pushed }, (_, k) => k + 1);
  assert.deepEqual(c.received, { u: all, g: all, s: all });
  assert.equal(c.hooks(), 0, 'the hook does not run after a recovered session');
  assert.deepEqual(await c.client.call('whoami'), { id: c.id }, 'the same session');
  assert.equal((await c.client.call('state')).user, c.user, 'with its user');
}

test('numbered pushes arrive once and in order while each reconnect lands on another node', { timeout: 120000 }, async () => {
  const balancer = await faultProxy(cluster.nodes[1].wsUrl);
  open.push(balancer);
  const c = await resumingClient(balancer, 1);
  const { id, sessions } = c;
  const watchers = await Promise.all(Array.from({ length: NODES }, (_, i) => node(i)));
  const pushing = pushNumbered(await node(0), c);

  const seed = randomInt(2 ** 31);
  console.log(`cluster-resume seed ${seed}`);
  const random = seeded(seed);
  let at = 1;
  try {
    for (let cut = 1; cut <= CUTS; cut++) {
      const next = at === 1 ? 2 : 1;
      const detached = (await events(watchers[at], id)).detached ?? 0;
      balancer.down();
      balancer.retarget(cluster.nodes[next].wsUrl);
      await waitUntil(async () => ((await events(watchers[at], id)).detached ?? 0) > detached, WAIT,
        `node${at + 1} detaches the session (cut ${cut})`);
      // a push made while the session is detached, for the resume to replay
      const mark = pushing.count();
      await waitFor(() => pushing.count() > mark, WAIT, `a push while the session is detached (cut ${cut})`);
      setTimeout(() => balancer.resume(), 50 + Math.floor(random() * 450));
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
    await pushing.stop();
  }
  await expectEveryNumber(c, pushing.count());
  await c.client.close();
});

// the last test of the file: it stops a node of the cluster
test('a node that stops cleanly hands the session over: the client resumes on another node with every push', { timeout: 60000 }, async () => {
  const owner = NODES - 1;
  const balancer = await faultProxy(cluster.nodes[owner].wsUrl);
  open.push(balancer);
  const c = await resumingClient(balancer, owner);
  const pushing = pushNumbered(await node(0), c);
  try {
    await waitFor(() => pushing.count() >= 5, WAIT, 'the first pushes');
    // a rolling redeploy: the load balancer sends new connections to another node, and the owner stops (SIGTERM)
    balancer.retarget(cluster.nodes[1].wsUrl);
    const stopped = cluster.nodes[owner].stop();
    await waitFor(() => c.sessions.length >= 2, WAIT, 'the session event after the stop');
    assert.deepEqual(c.sessions[1], { sessionId: c.id, recovered: true, reason: '', replayed: c.sessions[1].replayed });
    assert.equal((await stopped).signal, null, 'the owner stopped by itself, not killed');
    const mark = pushing.count();
    await waitFor(() => pushing.count() > mark + 2, WAIT, 'pushes after the stop');
  } finally {
    await pushing.stop();
  }
  await expectEveryNumber(c, pushing.count());
  await c.client.close();
});

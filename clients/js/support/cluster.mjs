// Starts a real redis-server and three wsrv cluster nodes (cluster-redis's test node, ClusterNodeMain, as
// cluster-redis/run-node.sh runs it) for the tests of a file, and stops them after its tests.
import { before, after } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, startProcess, withUrls } from './demo.mjs';
import { waitUntil } from './util.mjs';

export const NODES = 3;
const START_MS = 40000;
const moduleDir = path.join(repoRoot, 'cluster-redis');

/**
 * Starts the cluster before the calling file's tests and stops it after them. Resolves nothing: `env.nodes` (each
 * {wsUrl, port, stop(), ...}) and `env.redisPort` are set once it runs, and every node sees every node alive.
 * `props` are system properties of every node (settings such as `wsrv.resume.windowMs`).
 */
export function useCluster(WsrvClient, WebSocket, { props = {} } = {}) {
  const env = { nodes: [], redis: null, redisPort: 0 };
  before(async () => {
    env.redisPort = await freePort();
    env.redis = await startProcess('redis-server', 'redis-server', ['--port', String(env.redisPort), '--bind',
      '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept connections/, 15000);
    const redisUri = `redis://127.0.0.1:${env.redisPort}`;
    env.nodes = await Promise.all(Array.from({ length: NODES }, (_, i) => startNode(`node${i + 1}`, redisUri, props)));
    for (const n of env.nodes) await awaitNodeSet(WsrvClient, WebSocket, n.wsUrl);
  });
  after(async () => {
    // together: a node that stops cleanly may wait for the others to take its resumable sessions
    await Promise.all(env.nodes.map((n) => n.stop()));
    if (env.redis) await env.redis.stop();
  });
  return env;
}

/** A free port on the loopback address (free when asked; redis-server takes no port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** One node on a free port with the class path the Maven build wrote (target/node-classpath.txt). */
async function startNode(name, redisUri, props) {
  const cpFile = path.join(moduleDir, 'target/node-classpath.txt');
  const testClasses = path.join(moduleDir, 'target/test-classes');
  if (!existsSync(cpFile) || !existsSync(testClasses)) {
    throw new Error(`the cluster node is not built (${cpFile} or ${testClasses} is missing): run the Maven build`);
  }
  const cp = [testClasses, path.join(moduleDir, 'target/classes'), readFileSync(cpFile, 'utf8').trim()].join(':');
  const args = ['-Xmx192m', '-XX:+ExitOnOutOfMemoryError', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
    ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), '-cp', cp, 'dev.wsrv.cluster.redis.ClusterNodeMain',
    '--port', '0', '--redis', redisUri];
  const proc = await startProcess(name, 'java', args, /READY (ws:\/\/\S+)/, START_MS);
  return withUrls(proc, proc.ready[1]);
}

/** Waits until the node at `url` counts every node alive, so that a push from it reaches every other node. */
async function awaitNodeSet(WsrvClient, WebSocket, url) {
  const c = await WsrvClient.connect(url, { WebSocket, heartbeatInterval: 0, reconnect: false });
  try {
    await waitUntil(async () => (await c.call('nodes')).live === NODES, 20000, `${url} sees ${NODES} live nodes`);
  } finally {
    await c.close();
  }
}

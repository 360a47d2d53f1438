// A TCP proxy on a free loopback port that forwards every connection to a target and breaks the network on command,
// so that a test puts real network faults between a real client and a real server (the Node counterpart of the Java
// test support's FaultProxy):
// - cut() resets every open connection in both directions (TCP RST): a WebSocket peer sees no close frame;
// - down() cuts, and resets every new connection as soon as it is accepted, until resume();
// - blackhole() drops every byte both ways while the sockets stay open, like a silent network partition, until
//   resume(): neither peer learns anything until its own timeout.
// - retarget(target) sends every new connection to another target, like a load balancer that picks another node.
// It also records the first line of each connection's first bytes: for a WebSocket, the upgrade's request line.
import net from 'node:net';

/**
 * Starts a proxy to `target` (a ws:// URL or a port on 127.0.0.1) and resolves once it listens.
 * @param {string | number} target
 */
export async function faultProxy(target) {
  let to = address(target);
  /** @type {Set<{client: net.Socket, upstream: net.Socket}>} */
  const pairs = new Set();
  /** @type {string[]} */
  const requestLines = [];
  let down = false;
  let blackholed = false;
  let accepted = 0;

  const server = net.createServer((client) => {
    accepted++;
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(to.port, to.host);
    const pair = { client, upstream };
    pairs.add(pair);
    client.once('data', (chunk) => requestLines.push(chunk.toString('latin1').split('\r\n', 1)[0]));
    const forward = (from, to) => {
      from.on('data', (chunk) => { if (!blackholed) to.write(chunk); });
      from.on('end', () => to.end()); // an orderly end passes on as one
    };
    forward(client, upstream);
    forward(upstream, client);
    const fail = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    let closed = 0;
    for (const s of [client, upstream]) {
      s.on('error', fail);
      s.on('close', () => { if (++closed === 2) pairs.delete(pair); });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const { port } = /** @type {net.AddressInfo} */ (server.address());

  function cut() {
    for (const { client, upstream } of [...pairs]) {
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
  }

  return {
    port,
    /** The number of connections accepted so far. */
    get accepted() {
      return accepted;
    },
    /** The first line each connection sent, in order: the request line of a WebSocket upgrade. */
    requestLines,
    /** `url` (a ws:// URL of the target) with the proxy's host and port. */
    via(url) {
      const u = new URL(url);
      u.host = `127.0.0.1:${port}`;
      return u.href;
    },
    cut,
    /** Cuts every open connection and resets every new one until resume(). */
    down() {
      down = true;
      cut();
    },
    /** Drops every byte both ways, open sockets and new ones alike, until resume(). */
    blackhole() {
      blackholed = true;
    },
    /** Ends down() and blackhole(): bytes and new connections flow again. */
    resume() {
      down = false;
      blackholed = false;
    },
    /** Sends every new connection to `target` (a ws:// URL or a port on 127.0.0.1); open ones stay. */
    retarget(target) {
      to = address(target);
    },
    /** Stops listening and resets every connection. */
    async close() {
      down = true;
      cut();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @param {string | number} target a ws:// URL or a port on 127.0.0.1 */
function address(target) {
  if (typeof target === 'number') return { host: '127.0.0.1', port: target };
  const u = new URL(target);
  return { host: u.hostname, port: Number(u.port) };
}

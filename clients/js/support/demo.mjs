// Starts the embedded wsrv demo server for the tests and stops it again.
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { before, after } from 'node:test';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { waitFor, within } from './util.mjs';

/** The repository root: clients/js/support/ -> ../../.. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Starts the demo before the calling test file's tests and stops it after them, with every client made through
 * `client(url, opts)`. `demo` may be replaced by a test that restarts the server.
 */
export function useDemo(WsrvClient, WebSocket, demoOptions = {}) {
  const env = {
    demo: null,
    clients: [],
    /** A connected client of `url` (the demo's by default), closed after the tests. */
    async client(url = env.demo.wsUrl, opts = {}) {
      const c = await WsrvClient.connect(url, { WebSocket, ...opts });
      env.clients.push(c);
      return c;
    },
  };
  before(async () => {
    env.demo = await startDemo({ startTimeoutMs: 30000, ...demoOptions });
  });
  after(async () => {
    for (const c of env.clients) await within(c.close(), 5000, 'client close').catch(() => {});
    if (env.demo) await env.demo.stop();
  });
  return env;
}

const LISTEN_LINE = /wsrv demo listening on (ws:\/\/\S+)/;

/** The key every demo these tests start signs its tokens with (`WSRV_DEMO_TOKEN_KEY`), so that they can make some. */
const TOKEN_KEY = randomUUID();

/**
 * A token of `name`, signed as the demo signs them: `NAME.EXPIRY.SIGNATURE`, an HMAC-SHA256 of `NAME.EXPIRY` in
 * base64url, valid for an hour.
 */
export function demoToken(name) {
  const payload = `${name}.${Math.floor(Date.now() / 1000) + 3600}`;
  return `${payload}.${createHmac('sha256', TOKEN_KEY).update(payload).digest('base64url')}`;
}

/**
 * Starts `java -cp demo/target/classes:demo/target/embedded-lib/* dev.wsrv.demo.DemoMain --port <port>`
 * from the repository root, with `props` as system properties (settings such as `wsrv.resume.windowMs`), and resolves with {wsUrl, httpUrl, port, output(), pause(), resume(), stop()} once it
 * printed its listening line (at most startTimeoutMs). Port 0 (the default) is any free port; a given port that is
 * still held by a demo that just stopped is tried again until startTimeoutMs has passed.
 */
export async function startDemo({ startTimeoutMs = 30000, port = 0, props = {} } = {}) {
  const mainClass = path.join(repoRoot, 'demo/target/classes/dev/wsrv/demo/DemoMain.class');
  const libDir = path.join(repoRoot, 'demo/target/embedded-lib');
  if (!existsSync(mainClass) || !existsSync(libDir)) {
    throw new Error(`the demo is not built (${mainClass} or ${libDir} is missing): run the Maven build first`);
  }
  const args = [...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), '-cp', 'demo/target/classes:demo/target/embedded-lib/*', 'dev.wsrv.demo.DemoMain', '--port', String(port)];
  const end = Date.now() + startTimeoutMs;
  for (;;) {
    try {
      const proc = await startProcess('the demo', 'java', args, LISTEN_LINE, Math.max(1000, end - Date.now()));
      return withUrls(proc, proc.ready[1]);
    } catch (e) {
      if (port === 0 || Date.now() > end || !/Address already in use|BindException/.test(e.message)) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** `proc` with the addresses of the server it runs: {wsUrl, httpUrl, port}. */
export function withUrls(proc, wsUrl) {
  const u = new URL(wsUrl);
  return { ...proc, wsUrl, httpUrl: `http://${u.host}/`, port: Number(u.port) };
}

/** Whether every thread of a Linux process is in the stopped state ('T' in /proc/<pid>/task/<tid>/stat). */
function allStopped(pid) {
  return readdirSync(`/proc/${pid}/task`).every((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // the state follows the command name, which is in parentheses and may itself hold spaces
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  });
}

/**
 * Starts `command` from the repository root and resolves, once a line of its standard output matches `ready` (at
 * most startTimeoutMs), with {ready (the match), output(), pause(), resume(), stop()}. `name` names it in errors.
 */
export async function startProcess(name, command, args, ready, startTimeoutMs) {
  const child = spawn(command, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WSRV_DEMO_TOKEN_KEY: TOKEN_KEY },
  });
  let out = '';
  const keep = (chunk) => {
    out += chunk.toString();
    if (out.length > 200000) out = out.slice(-100000);
  };
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
  });

  const match = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`${name} did not print its ready line within ${startTimeoutMs} ms; output:\n${out}`));
    }, startTimeoutMs);
    const onData = (chunk) => {
      keep(chunk);
      buf += chunk.toString();
      const m = ready.exec(buf);
      if (m) {
        done();
        resolve(m);
      }
    };
    const onExit = (code, signal) => {
      done();
      reject(new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready; output:\n${out}`));
    };
    const onError = (e) => {
      done();
      reject(new Error(`could not start ${command}: ${e.message}`));
    };
    function done() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stdout.on('data', keep); // keep draining the pipe
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
    child.on('error', onError);
  });

  return {
    ready: match,
    output: () => out,
    /**
     * Stops the server's process (SIGSTOP): connections stay open, nothing is answered until resume(). Resolves once
     * every thread of the process is stopped: the signal is only queued when kill returns, and on a busy machine a
     * thread may still read what is sent right after.
     */
    async pause() {
      child.kill('SIGSTOP');
      await waitFor(() => allStopped(child.pid), 10000, `every thread of ${name} stopped`);
    },
    /** Lets a paused server go on (SIGCONT). */
    resume() {
      child.kill('SIGCONT');
    },
    /** SIGTERM, then SIGKILL after graceMs; resolves with {code, signal}. */
    async stop(graceMs = 10000) {
      if (exited) return exited;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      let t;
      const r = await Promise.race([exitPromise, new Promise((res) => { t = setTimeout(() => res(null), graceMs); })]);
      clearTimeout(t);
      if (r) return r;
      child.kill('SIGKILL');
      return exitPromise;
    },
  };
}

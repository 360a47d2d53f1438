// Starts the embedded wsrv demo server for the tests and stops it again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: clients/js/support/ -> ../../.. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const LISTEN_LINE = /wsrv demo listening on (ws:\/\/\S+)/;

/**
 * Starts `java -cp demo/target/classes:demo/target/embedded-lib/* dev.wsrv.demo.DemoMain --port 0`
 * from the repository root and resolves with {wsUrl, httpUrl, output(), stop()} once it printed
 * its listening line (at most startTimeoutMs).
 */
export async function startDemo({ startTimeoutMs = 30000 } = {}) {
  const mainClass = path.join(repoRoot, 'demo/target/classes/dev/wsrv/demo/DemoMain.class');
  const libDir = path.join(repoRoot, 'demo/target/embedded-lib');
  if (!existsSync(mainClass) || !existsSync(libDir)) {
    throw new Error(`the demo is not built (${mainClass} or ${libDir} is missing): run the Maven build first`);
  }
  return startCmd('java',
    ['-cp', 'demo/target/classes:demo/target/embedded-lib/*', 'dev.wsrv.demo.DemoMain', '--port', '0'],
    startTimeoutMs);
}

async function startCmd(command, args, startTimeoutMs) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
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

  const wsUrl = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      done();
      child.kill('SIGKILL');
      reject(new Error(`the demo did not print its listening line within ${startTimeoutMs} ms; output:\n${out}`));
    }, startTimeoutMs);
    const onData = (chunk) => {
      keep(chunk);
      buf += chunk.toString();
      const m = LISTEN_LINE.exec(buf);
      if (m) {
        done();
        resolve(m[1]);
      }
    };
    const onExit = (code, signal) => {
      done();
      reject(new Error(`the demo exited (code ${code}, signal ${signal}) before listening; output:\n${out}`));
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

  const u = new URL(wsUrl);
  const httpUrl = `http://${u.host}/`;
  return {
    wsUrl,
    httpUrl,
    output: () => out,
    /** SIGTERM, then SIGKILL after graceMs; resolves with {code, signal}. */
    async stop(graceMs = 10000) {
      if (exited) return exited;
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

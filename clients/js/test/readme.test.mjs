// The JavaScript examples of the READMEs run as written, against the real demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WsrvClient } from '../wsrv.js';
import { repoRoot, useDemo } from '../support/demo.mjs';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = useDemo(WsrvClient, WebSocket);

/** The first ```js block after the heading. */
function example(file, heading) {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(heading);
  assert.notEqual(at, -1, `${heading} in ${file}`);
  const m = /```js\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `a js block after ${heading} in ${file}`);
  return m[1];
}

for (const [name, file, heading] of [
  ['README.md', path.join(repoRoot, 'README.md'), '### JavaScript client'],
  ['clients/js/README.md', path.join(here, 'README.md'), '# @wsrv/client'],
]) {
  test(`the example of ${name} runs`, { timeout: 30000 }, () => {
    const code = example(file, heading);
    assert.match(code, /'ws:\/\/127\.0\.0\.1:8800\/ws'/);
    assert.match(code, /from '@wsrv\/client';/, 'the example imports the package by its name');
    const dir = path.join(here, 'target');
    mkdirSync(dir, { recursive: true });
    const script = path.join(dir, `example-${name.replace(/\W/g, '-')}.mjs`);
    // target/ is inside the package, so Node resolves '@wsrv/client' to it through package.json's "exports"
    writeFileSync(script, code.replace("'ws://127.0.0.1:8800/ws'", `'${env.demo.wsUrl}'`));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 25000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^new user 7\nwsrv: register \(seqno [0-9a-z]+-\d+\) failed with status 422: invalid data: uid: must be a positive integer\n$/);
  });
}

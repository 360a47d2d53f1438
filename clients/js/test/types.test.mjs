// The type check fails on a wrong use of the client. (`npm test` type-checks the client, its declarations and
// test/types/*.ts with `tsc -p .` before these tests run.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('a deliberately wrong use of the client fails tsc', { timeout: 60000 }, () => {
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'test/types/wrong/tsconfig.json'],
    { cwd: root, encoding: 'utf8', timeout: 50000 });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.error, undefined);
  assert.equal(r.status, 1, `tsc should fail with its "errors found" status:\n${out}`);
  assert.match(out, /wrong-usage\.ts\(5,\d+\): error TS2353: .*'timeoutMs' does not exist in type 'WsrvClientOptions'/);
  assert.equal(out.match(/error TS/g)?.length, 1, `exactly the one error:\n${out}`);
});

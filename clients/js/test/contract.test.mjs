// The demo's contract: its AsyncAPI document written at build time (AsyncApiMain, as CI does) validates against the
// official AsyncAPI 3.0.0 schema, and the declaration tools/wsrv-types.mjs writes from it is checked with tsc: the
// demo's typical use compiles, and calls the contract does not allow fail to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import specs from '@asyncapi/specs';
import { repoRoot } from '../support/demo.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 50000 });
  assert.equal(r.error, undefined);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Writes the demo's document into `dir` as AsyncApiMain does at build time, and returns its path. */
function demoDocument(dir) {
  const libDir = path.join(repoRoot, 'demo/target/embedded-lib');
  assert.ok(existsSync(libDir), `the demo is not built (${libDir} is missing): run the Maven build first`);
  const doc = path.join(dir, 'asyncapi.json');
  const java = run('java', ['-cp', 'demo/target/classes:demo/target/embedded-lib/*', 'dev.wsrv.asyncapi.AsyncApiMain',
    '--title', 'wsrv demo', '--out', doc, 'dev.wsrv.demo.UserCommands', 'dev.wsrv.demo.PushCommands',
    'dev.wsrv.demo.DemoThreads'], repoRoot);
  assert.equal(java.status, 0, java.out);
  return doc;
}

/** A folder with the demo's document, its declaration, the given test file and a tsconfig that checks them. */
function project(file) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsrv-contract-'));
  const doc = demoDocument(dir);
  const gen = run(process.execPath, [path.join(root, 'tools/wsrv-types.mjs'), doc, '--out',
    path.join(dir, 'demo-commands.ts'), '--client', path.join(root, 'types.js')], dir);
  assert.equal(gen.status, 0, gen.out);
  const source = readFileSync(path.join(root, 'test/contract', file), 'utf8')
    .replace("from '@wsrv/client'", `from ${JSON.stringify(path.join(root, 'types.js'))}`);
  writeFileSync(path.join(dir, file), source);
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  const { compilerOptions } = JSON.parse(readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file] }));
  return dir;
}

function tsc(dir) {
  return run(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], dir);
}

test('the demo\'s document validates against the official AsyncAPI 3.0.0 schema', { timeout: 60000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsrv-contract-'));
  try {
    const doc = JSON.parse(readFileSync(demoDocument(dir), 'utf8'));
    // the schema bundles its own copy of the draft-07 meta-schema, which Ajv's built-in one would clash with
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, meta: false, validateSchema: false });
    const validate = ajv.compile(specs.schemas['3.0.0']);
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 1));
    assert.deepEqual(Object.keys(doc.operations), ['join', 'register', 'send', 'thread', 'token', 'userinfo', 'whoami',
      'have_user_register.push', 'user_register.push']);
    // and the schema does catch a broken document
    doc.operations.register.action = 'answer';
    assert.equal(validate(doc), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the declaration written from the demo\'s document types its commands, replies and pushes', { timeout: 120000 }, () => {
  const dir = project('usage.ts');
  try {
    const ts = readFileSync(path.join(dir, 'demo-commands.ts'), 'utf8');
    assert.match(ts, /"register": \{\n {4}data: UserCommands_Register;\n {4}reply: unknown;\n {2}\};/);
    assert.match(ts, /export type UserCommands_Register = \{\n {2}uid: number;\n\};/);
    assert.match(ts, /"user_register": UserCommands_Registered;/);
    assert.match(ts, /"have_user_register": UserCommands_Registered;/);
    const r = tsc(dir);
    assert.equal(r.status, 0, `the typical use must compile:\n${r.out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('calls the demo\'s contract does not allow fail tsc, each with its error', { timeout: 120000 }, () => {
  const dir = project('wrong.ts');
  try {
    const r = tsc(dir);
    assert.equal(r.status, 1, `tsc should fail:\n${r.out}`);
    const errors = r.out.split('\n').filter((l) => /error TS/.test(l));
    const lines = errors.map((l) => Number(l.match(/wrong\.ts\((\d+),/)?.[1]));
    assert.deepEqual(lines, [5, 6, 7, 9, 10], `one error on each wrong line:\n${r.out}`);
    assert.match(errors[0], /Type 'string' is not assignable to type 'number'/);
    assert.match(errors[2], /"no_such_command"/);
    assert.match(errors[3], /'nickname' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

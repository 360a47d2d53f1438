// The package as npm packs it: the files a user gets, its metadata, and that a project can install the tarball and
// import the client by its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../support/demo.mjs';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));

function npm(args, cwd) {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.error, undefined, `npm ${args.join(' ')}: ${r.error}`);
  assert.equal(r.status, 0, `npm ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The project's version, from the root pom: the JavaScript client is released with the Java artifacts. */
function mavenVersion() {
  const pom = readFileSync(path.join(repoRoot, 'pom.xml'), 'utf8');
  const m = /<artifactId>wsrv-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pom);
  assert.ok(m, 'the root pom names its version');
  return m[1];
}

test('npm pack takes the client, its types, README and LICENSE, nothing else', { timeout: 60000 }, () => {
  const [packed] = JSON.parse(npm(['pack', '--dry-run', '--json'], here));
  const libs = readdirSync(path.join(here, 'lib')).filter((f) => f.endsWith('.js')).map((f) => `lib/${f}`);
  assert.deepEqual(packed.files.map((f) => f.path).sort(),
    ['LICENSE', 'README.md', 'package.json', 'types.d.ts', 'wsrv.js', ...libs].sort());
  assert.equal(packed.name, '@wsrv/client');
  assert.equal(packed.filename, `wsrv-client-${mavenVersion()}.tgz`);
});

test('package.json says what a registry needs, and the package is not private', () => {
  assert.equal(pkg.private ?? false, false);
  assert.equal(pkg.name, '@wsrv/client');
  assert.equal(pkg.version, mavenVersion());
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.repository.type, 'git');
  assert.equal(pkg.repository.directory, 'clients/js');
  assert.match(pkg.repository.url, /^git\+https:\/\/.+\.git$/);
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.types, './types.d.ts');
  assert.deepEqual(pkg.exports['.'], { types: './types.d.ts', default: './wsrv.js' });
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies');
  assert.equal(readFileSync(path.join(here, 'LICENSE'), 'utf8'), readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'),
    'the packed LICENSE is the repository\'s');
});

test('a project installs the packed tarball and imports the client by name', { timeout: 120000 }, () => {
  const dir = path.join(here, 'target', 'package-test');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'app'), { recursive: true });
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], here));
  const app = path.join(dir, 'app');
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], app);
  writeFileSync(path.join(app, 'main.js'), `
import { WsrvClient, WsrvError, WsrvStatusError, WsrvTimeoutError, WsrvConnectionError, connect } from '@wsrv/client';
import meta from '@wsrv/client/package.json' with { type: 'json' };
console.log(meta.version, typeof connect, typeof WsrvClient.prototype.call, typeof WsrvClient.prototype.request,
  new WsrvStatusError({ cmd: 'c', seqno: 's', status: 422, msg: 'invalid data', data: [{ path: 'uid', message: 'bad' }] })
    instanceof WsrvError, [WsrvTimeoutError, WsrvConnectionError].every((c) => typeof c === 'function'));
`);
  const r = spawnSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, `${mavenVersion()} function function function true true\n`);
});

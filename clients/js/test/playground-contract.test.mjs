// The playground's contract section in headless Debian Chromium, against the real demo: the commands of the demo's
// AsyncAPI document in a picker that fills an example payload built from the schema, and its declared pushes counted
// as they arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startDemo } from '../support/demo.mjs';
import { within } from '../support/util.mjs';

const CHROMIUM = '/usr/bin/chromium';

let demo;
let context;
let userDataDir;

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium chromium-driver`);
  demo = await startDemo({ startTimeoutMs: 30000 });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'wsrv-chromium-'));
  context = await within(chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, timeout: 30000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  }), 40000, 'Chromium to start');
});

after(async () => {
  if (context) await within(context.close(), 15000, 'Chromium to close').catch(() => {});
  if (demo) await demo.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('the playground picks the demo\'s commands from its document and counts its declared pushes', { timeout: 90000 }, async () => {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(10000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  assert.equal((await page.goto(demo.httpUrl, { waitUntil: 'load', timeout: 15000 })).status(), 200);

  await page.waitForSelector('#contract:not([hidden])');
  assert.equal(await page.textContent('#contract-title'), 'wsrv demo 1.0.0');
  assert.deepEqual(await page.$$eval('#command-picker option', (os) => os.map((o) => o.value)),
    ['join', 'register', 'send', 'thread', 'token', 'userinfo', 'whoami']);
  assert.deepEqual(await page.$$eval('#declared-pushes li', (ls) => ls.map((l) => l.textContent)),
    ['have_user_register: 0 received', 'user_register: 0 received']);

  await page.selectOption('#command-picker', 'register');
  assert.equal(await page.inputValue('#cmd'), 'register');
  assert.deepEqual(JSON.parse(await page.inputValue('#data')), { uid: 1 }, 'uid is an integer above 0');
  const schema = JSON.parse(await page.textContent('#command-schema'));
  assert.deepEqual(schema.required, ['uid']);
  assert.equal(schema.properties.uid.exclusiveMinimum, 0);

  await page.click('#connect');
  await page.waitForSelector('#state[data-state="connected"]');
  await page.click('#send');
  const reply = page.locator('#log li[data-kind="reply"][data-cmd="register"]');
  await reply.waitFor();
  assert.equal(await reply.getAttribute('data-status'), '0', 'the example payload is accepted');
  await page.waitForSelector('#declared-pushes li[data-cmd="user_register"][data-received="1"]');
  await page.waitForSelector('#declared-pushes li[data-cmd="have_user_register"][data-received="1"]');

  await page.selectOption('#command-picker', 'userinfo');
  assert.equal(await page.inputValue('#data'), 'null');
  await page.click('#send');
  await page.locator('#log li[data-kind="reply"][data-cmd="userinfo"][data-status="0"]').waitFor();
  assert.deepEqual(pageErrors, []);
});

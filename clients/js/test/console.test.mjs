// The operator console in headless Debian Chromium, against the real demo: it lists a session that a client opened,
// its chart moves under that client's load, and a push and a close sent from the page reach the client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { WsrvClient } from '../wsrv.js';
import { startDemo } from '../support/demo.mjs';
import { waitFor, within } from '../support/util.mjs';

const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
/** Where the run leaves its screenshot; docs/console.png is a copy of one. */
const screenshot = path.resolve(here, '..', 'target', 'console.png');

let demo;
let context;
let userDataDir;
const clients = [];

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium chromium-driver`);
  demo = await startDemo({ startTimeoutMs: 30000 });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'wsrv-chromium-'));
  context = await within(chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, timeout: 30000, viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  }), 40000, 'Chromium to start');
});

after(async () => {
  for (const c of clients) await within(c.close(), 5000, 'client close').catch(() => {});
  if (context) await within(context.close(), 15000, 'Chromium to close').catch(() => {});
  if (demo) await demo.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function client(uid, group) {
  const c = await WsrvClient.connect(demo.wsUrl, { WebSocket });
  clients.push(c);
  await c.request('register', { uid });
  await c.request('join', { group });
  return c;
}

test('the console shows a client\'s session, charts its load, and pushes to it and closes it', { timeout: 120000 }, async () => {
  const watched = await client(4242, 'console-test');
  const closes = [];
  watched.on('close', (info) => closes.push(info));
  const pushes = [];
  watched.onPush('console_notice', (data) => pushes.push(data));
  await client(17, 'ops');
  await client(18, 'ops');

  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(15000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  const resp = await page.goto(new URL('console/', demo.httpUrl).href, { waitUntil: 'load', timeout: 15000 });
  assert.equal(resp.status(), 200);
  assert.equal(await page.title(), 'wsrv console');
  await page.waitForSelector('#live[data-state="live"]');

  // the session of the client, filtered by its user
  await page.fill('#filter-user', '4242');
  await page.click('#filter-form button');
  const row = page.locator('#sessions tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('#sessions tbody tr').length === 1
    && document.querySelector('#sessions tbody tr td:nth-child(3)').textContent === '4242');
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1], 'local');
  assert.equal(cells[3], 'console-test');
  assert.equal(cells[4], '127.0.0.1');
  assert.match(cells[5], /^\d+ s$/);
  assert.equal(cells[6], '0 msg / 0 B');
  const sessionId = await row.getAttribute('data-id');
  assert.match(sessionId, /\S{8,}/);
  // and by its group
  await page.fill('#filter-user', '');
  await page.fill('#filter-group', 'ops');
  await page.click('#filter-form button');
  await page.waitForFunction(() => [...document.querySelectorAll('#sessions tbody tr td:nth-child(3)')]
    .map((td) => td.textContent).sort().join() === '17,18');
  await page.fill('#filter-group', '');
  await page.click('#filter-form button');
  await page.waitForFunction(() => document.querySelectorAll('#sessions tbody tr').length === 3);
  assert.equal(await page.textContent('#total-sessions'), '3');

  // the chart moves under load
  const before = Number(await page.getAttribute('#chart-requests', 'data-total'));
  const pointsBefore = await page.getAttribute('#chart-requests polyline', 'points');
  for (let round = 0; round < 4; round++) {
    await Promise.all(Array.from({ length: 50 }, () => watched.request('whoami')));
    await Promise.all(Array.from({ length: 20 }, () => watched.request('userinfo')));
  }
  await page.waitForFunction((b) => Number(document.getElementById('chart-requests').dataset.total) >= b + 280, before);
  assert.notEqual(await page.getAttribute('#chart-requests polyline', 'points'), pointsBefore);
  await page.waitForFunction(() => [...document.querySelectorAll('#latency-legend li')].map((l) => l.textContent)
    .includes('whoami'));
  assert.ok(Number(await page.getAttribute('#chart-latency', 'data-max')) > 0, 'a p99 is drawn');

  // a push from the console reaches the client
  await page.selectOption('#push-target', 'user');
  await page.fill('#push-to', '4242');
  await page.fill('#push-cmd', 'console_notice');
  await page.fill('#push-data', '{"text": "hello from the console"}');
  await page.click('#push-send');
  await page.waitForSelector('#push-result[data-delivered="1"]');
  await waitFor(() => pushes.length === 1, 10000, 'the push to reach the client');
  assert.deepEqual(pushes, [{ text: 'hello from the console' }]);

  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });

  // a close from the console reaches the client with its code
  await page.locator(`#sessions tbody tr[data-id="${sessionId}"] button.row-close`).click();
  assert.equal(await page.inputValue('#close-session'), sessionId);
  await page.fill('#close-code', '4000');
  await page.click('#close-send');
  await page.waitForSelector('#close-result[data-ok="true"]');
  await waitFor(() => closes.length === 1, 10000, 'the close to reach the client');
  assert.equal(closes[0].code, 4000);
  assert.equal(closes[0].reason, 'closed by an operator');
  assert.equal(closes[0].byClient, false);
  await page.waitForFunction((id) => !document.querySelector(`#sessions tbody tr[data-id="${id}"]`), sessionId);
  assert.deepEqual(pageErrors, []);
});

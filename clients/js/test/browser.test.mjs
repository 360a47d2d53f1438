// The playground page in headless Debian Chromium (never a downloaded browser), against the real demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { WsrvClient } from '../wsrv.js';
import { startDemo } from '../support/demo.mjs';
import { faultProxy } from '../support/fault-proxy.mjs';
import { waitUntil, within } from '../support/util.mjs';

const CHROMIUM = '/usr/bin/chromium';
const here = path.dirname(fileURLToPath(import.meta.url));
const screenshot = path.resolve(here, '..', 'target', 'playground.png');
/** A short recovery window, so that the page can show one pass. */
const WINDOW_MS = 3000;

let demo;
let context;
let userDataDir;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium chromium-driver`);
  }
  demo = await startDemo({ startTimeoutMs: 30000, props: { 'wsrv.resume.windowMs': WINDOW_MS } });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'wsrv-chromium-'));
  context = await within(chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 800 },
    timeout: 30000,
  }), 40000, 'Chromium to start');
});

after(async () => {
  if (context) await within(context.close(), 15000, 'Chromium to close').catch(() => {});
  if (demo) await demo.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('the playground registers uid 7 and shows the reply and both pushes', { timeout: 90000 }, async () => {
  // the build puts the client next to the page; say so clearly when it did not
  const js = await fetch(new URL('wsrv.js', demo.httpUrl), { signal: AbortSignal.timeout(10000) });
  assert.equal(js.status, 200, `${demo.httpUrl}wsrv.js must be served next to index.html (copied from clients/js/wsrv.js)`);

  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(10000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

  const resp = await page.goto(demo.httpUrl, { waitUntil: 'load', timeout: 15000 });
  assert.equal(resp.status(), 200);
  assert.equal(await page.title(), 'wsrv playground');
  // the ws URL is derived from the page's location
  await page.waitForFunction(() => document.getElementById('url').value !== '');
  assert.equal(await page.inputValue('#url'), demo.wsUrl);
  assert.equal(await page.isChecked('#heartbeat'), true, 'heartbeat is on by default');
  assert.equal(await page.isDisabled('#send'), true, 'Send is disabled until connected');

  await page.click('#connect');
  await page.waitForSelector('#state[data-state="connected"]');
  assert.equal(await page.textContent('#connect'), 'Disconnect');

  await page.fill('#cmd', 'register');
  await page.fill('#data', '{"uid": 7}');
  await page.click('#send');

  const reply = page.locator('#log li[data-kind="reply"][data-cmd="register"]');
  await reply.waitFor();
  assert.equal(await reply.getAttribute('data-status'), '0');
  assert.equal(await reply.getAttribute('data-msg'), 'ok');
  assert.match(await reply.getAttribute('class'), /\breply\b/);
  assert.doesNotMatch(await reply.getAttribute('class'), /\berror\b/);
  assert.deepEqual(JSON.parse(await reply.locator('.body').textContent()), {});

  const request = page.locator('#log li[data-kind="request"][data-cmd="register"]');
  assert.equal(await request.count(), 1);
  assert.equal(await request.getAttribute('data-seqno'), await reply.getAttribute('data-seqno'));
  assert.deepEqual(JSON.parse(await request.locator('.body').textContent()), { uid: 7 });

  for (const cmd of ['have_user_register', 'user_register']) {
    const push = page.locator(`#log li[data-kind="push"][data-cmd="${cmd}"]`);
    await push.waitFor();
    assert.equal(await push.count(), 1, `one ${cmd} push`);
    assert.match(await push.getAttribute('class'), /\bpush\b/);
    assert.equal(await push.getAttribute('data-status'), '0');
    assert.deepEqual(JSON.parse(await push.locator('.body').textContent()), { uid: 7 });
  }

  await page.fill('#cmd', 'userinfo');
  await page.fill('#data', '');
  await page.click('#send');
  const info = page.locator('#log li[data-kind="reply"][data-cmd="userinfo"]');
  await info.waitFor();
  assert.equal(await info.getAttribute('data-status'), '0');
  assert.deepEqual(JSON.parse(await info.locator('.body').textContent()), { uid: 7, name: 'user-7' });

  await page.fill('#cmd', 'no_such_cmd');
  await page.fill('#data', '{"x": 1}');
  await page.click('#send');
  const failed = page.locator('#log li[data-kind="reply"][data-cmd="no_such_cmd"]');
  await failed.waitFor();
  assert.equal(await failed.getAttribute('data-status'), '-1');
  assert.equal(await failed.getAttribute('data-msg'), 'not implement');
  assert.match(await failed.getAttribute('class'), /\breply\b.*\berror\b/);

  assert.equal(await page.locator('#log li[data-kind="push"]').count(), 2);
  assert.equal(await page.locator('#log li[data-kind="reply"]').count(), 3);
  assert.deepEqual(pageErrors, []);

  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  assert.ok(statSync(screenshot).size > 5000, 'the screenshot was written');

  await page.click('#connect');
  await page.waitForSelector('#state[data-state="disconnected"]');
  const closed = page.locator('#log li[data-kind="info"][data-code]').last();
  await closed.waitFor();
  assert.equal(await closed.getAttribute('data-code'), '1000');
});

test('the playground shows whether a reconnect recovered the session, and why not', { timeout: 90000 }, async () => {
  const proxy = await faultProxy(demo.wsUrl);
  const pusher = await WsrvClient.connect(demo.wsUrl, { WebSocket, heartbeatInterval: 0 });
  const page = await context.newPage();
  try {
    page.setDefaultTimeout(15000);
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // the page comes through the proxy too, so that the socket is of the page's own origin
    await page.goto(`http://127.0.0.1:${proxy.port}/`, { waitUntil: 'load', timeout: 15000 });
    assert.equal(await page.inputValue('#url'), proxy.via(demo.wsUrl));
    await page.click('#connect');
    await page.waitForSelector('#state[data-state="connected"]');
    const sessions = page.locator('#log li[data-kind="info"][data-session]');
    await sessions.first().waitFor();
    assert.equal(await sessions.first().getAttribute('data-session'), 'not-recovered');
    assert.equal(await sessions.first().getAttribute('data-reason'), 'new');
    assert.match(await sessions.first().textContent(), /session [0-9a-f]{8}… new$/);
    const id = (await sessions.first().textContent()).match(/session ([0-9a-f]{8})…/)[1];

    await page.fill('#cmd', 'register');
    await page.fill('#data', '{"uid": 9}');
    await page.click('#send');
    await page.locator('#log li[data-kind="reply"][data-cmd="register"]').waitFor();
    await pusher.call('register', { uid: 10 });
    let sent = 0;
    const sendToPage = () => pusher.call('send', { to: 'user', id: '9', data: { n: ++sent } });

    // cut the network; a push made while the server keeps the session for the page is replayed after the resume
    proxy.down();
    await waitUntil(async () => (await sendToPage()).buffered === 1, 15000, 'the server to keep a push for the page');
    proxy.resume();
    await page.waitForSelector('#log li[data-kind="info"][data-session="recovered"]');
    const recovered = page.locator('#log li[data-kind="info"][data-session="recovered"]');
    const replayed = Number(await recovered.getAttribute('data-replayed'));
    assert.ok(replayed >= 1, `replayed ${replayed}`);
    assert.match(await recovered.textContent(), new RegExp(`session ${id}… recovered \\(${replayed} replayed\\)$`));
    await page.waitForSelector('#state[data-state="connected"]');
    // every push made since the cut, in the log once each and in order
    const messages = page.locator('#log li[data-kind="push"][data-cmd="message"]');
    await page.waitForFunction((n) => document.querySelectorAll('#log li[data-kind="push"][data-cmd="message"]')
      .length >= n, sent);
    const bodies = await messages.locator('.body').allTextContents();
    assert.deepEqual(bodies.map((b) => JSON.parse(b).n), Array.from({ length: sent }, (_, k) => k + 1));

    // cut it again for longer than the window: the next connection is a new session, and the page says why
    proxy.down();
    await waitUntil(async () => {
      const r = await sendToPage();
      return r.delivered + r.buffered === 0;
    }, WINDOW_MS + 15000, 'the end of the window');
    proxy.resume();
    const expired = page.locator('#log li[data-kind="info"][data-session="not-recovered"][data-reason="expired"]');
    await expired.waitFor();
    assert.match(await expired.textContent(), /session [0-9a-f]{8}… not recovered: expired \(a new session: register again\)$/);
    assert.doesNotMatch(await expired.textContent(), new RegExp(`session ${id}…`));
    assert.deepEqual(pageErrors, []);
  } finally {
    await page.close();
    await within(pusher.close(), 5000, 'pusher close').catch(() => {});
    await proxy.close();
  }
});

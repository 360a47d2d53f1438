// The wsrv playground: connect, send a command with JSON data, watch replies and pushes.
import { WsrvClient } from './wsrv.js';

const HEARTBEAT_MS = 10000;
const $ = (id) => document.getElementById(id);
const urlInput = $('url');
const connectBtn = $('connect');
const stateEl = $('state');
const heartbeatBox = $('heartbeat');
const reconnectBox = $('reconnect');
const heartbeatsEl = $('heartbeats');
const form = $('request-form');
const cmdInput = $('cmd');
const dataInput = $('data');
const sendBtn = $('send');
const logEl = $('log');

let client = null;
let heartbeats = 0;

/** The endpoint next to this page: works at the root and under a WAR's context root. */
function defaultWsUrl() {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return 'ws://127.0.0.1:8800/ws';
  const u = new URL('ws', location.href);
  u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = '';
  u.search = '';
  return u.href;
}
urlInput.value = defaultWsUrl();

function setState(state) {
  stateEl.dataset.state = state;
  stateEl.textContent = state;
  const busy = state === 'connecting';
  connectBtn.textContent = state === 'disconnected' ? 'Connect' : 'Disconnect';
  connectBtn.disabled = busy;
  sendBtn.disabled = state !== 'connected';
  urlInput.disabled = state !== 'disconnected';
}

const pretty = (v) => (v === undefined ? '' : JSON.stringify(v, null, 2));

/**
 * Appends one log entry. kind: request | reply | push | error | info.
 * attrs become data-* attributes (cmd, seqno, status, ...) so that tests can find entries.
 */
function log(kind, head, body, attrs = {}, extraClass = '') {
  const li = document.createElement('li');
  li.className = `entry ${kind}${extraClass ? ' ' + extraClass : ''}`;
  li.dataset.kind = kind;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) li.dataset[k] = String(v);
  const headEl = document.createElement('div');
  headEl.className = 'head';
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = new Date().toLocaleTimeString();
  headEl.append(time, head);
  li.append(headEl);
  if (body) {
    const pre = document.createElement('div');
    pre.className = 'body';
    pre.textContent = body;
    li.append(pre);
  }
  logEl.append(li);
  li.scrollIntoView({ block: 'nearest' });
  return li;
}

async function connect() {
  setState('connecting');
  heartbeats = 0;
  heartbeatsEl.textContent = 'heartbeats sent: 0';
  const c = new WsrvClient(urlInput.value.trim(), {
    heartbeatInterval: heartbeatBox.checked ? HEARTBEAT_MS : 0,
    reconnect: reconnectBox.checked ? { initialDelay: 500, maxDelay: 15000 } : false,
  });
  client = c;
  c.on('open', () => {
    if (client !== c) return;
    setState('connected');
    log('info', `connected to ${c.url}`, '', {});
  });
  c.on('close', (info) => {
    if (client !== c) return;
    setState(info.willReconnect ? 'reconnecting' : 'disconnected');
    log('info', `closed: code ${info.code}${info.reason ? ' (' + info.reason + ')' : ''}` +
      (info.willReconnect ? ', reconnecting…' : ''), '', { code: info.code });
  });
  c.on('reconnecting', (r) => log('info', `reconnecting in ${r.delay} ms (attempt ${r.attempt})`, '', {}));
  c.on('reconnect', () => log('info', 'reconnected', '', {}));
  // with reconnect on the client resumes its session after a drop; the server says whether it could
  c.on('session', (s) => {
    const id = `session ${s.sessionId.slice(0, 8)}…`;
    const text = s.recovered ? `${id} recovered (${s.replayed} replayed)`
      : s.reason === 'new' ? `${id} new` : `${id} not recovered: ${s.reason} (a new session: register again)`;
    log('info', text, '', { session: s.recovered ? 'recovered' : 'not-recovered', reason: s.reason,
      replayed: s.replayed });
  });
  c.on('error', (e) => log('error', `error: ${e && e.message ? e.message : e}`, '', {}));
  c.on('heartbeat', () => {
    heartbeats++;
    heartbeatsEl.textContent = `heartbeats sent: ${heartbeats}`;
  });
  c.on('send', (req) => {
    log('request', `→ ${req.cmd}  seqno=${req.seqno}`, pretty(req.data), { cmd: req.cmd, seqno: req.seqno });
  });
  c.onPush('*', (data, env) => {
    log('push', `⇐ push ${env.cmd}  seqno=${env.seqno}  status=${env.status} ${env.msg}`, pretty(data),
      { cmd: env.cmd, seqno: env.seqno, status: env.status });
  });
  try {
    await c.open();
  } catch (e) {
    if (client === c) {
      client = null;
      setState('disconnected');
      log('error', `could not connect: ${e.message}`, '', {});
    }
  }
}

async function disconnect() {
  const c = client;
  client = null;
  setState('disconnected');
  if (c) {
    const r = await c.close(1000, 'playground');
    log('info', `closed by you: code ${r.code}`, '', { code: r.code });
  }
}

connectBtn.addEventListener('click', () => {
  if (client) disconnect();
  else connect();
});

heartbeatBox.addEventListener('change', () => {
  if (client) client.setHeartbeatInterval(heartbeatBox.checked ? HEARTBEAT_MS : 0);
  log('info', `heartbeat ${heartbeatBox.checked ? 'on' : 'off'}`, '', {});
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!client) return;
  const cmd = cmdInput.value.trim();
  if (!cmd) {
    log('error', 'cmd is empty', '', {});
    return;
  }
  let data;
  const text = dataInput.value.trim();
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      log('error', `data is not valid JSON: ${e.message}`, '', {});
      return;
    }
  }
  try {
    const reply = await client.request(cmd, data, { raw: true });
    const ok = reply.status === 0;
    log('reply', `← ${reply.cmd}  seqno=${reply.seqno}  status=${reply.status} ${reply.msg}`, pretty(reply.data),
      { cmd: reply.cmd, seqno: reply.seqno, status: reply.status, msg: reply.msg }, ok ? 'ok' : 'error');
  } catch (e) {
    log('error', `${cmd}: ${e.message}`, '', { cmd, seqno: e.seqno });
  }
});

$('clear').addEventListener('click', () => logEl.replaceChildren());

setState('disconnected');
// for the console: window.playground.client
window.playground = { get client() { return client; } };

// The wsrv operator console: polls the server's JSON (the node's numbers every second, the sessions every two) and
// draws it; actions are POSTs with the header X-Wsrv-Console that only this page sends. No dependencies.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 140;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };
/** How many seconds of the server's window the charts show. */
const SHOWN = 300;

const $ = (id) => document.getElementById(id);
let failures = 0;

function fmt(n) {
  if (n === null || n === undefined) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(1) + 'M';
  if (n >= 1e4) return (n / 1e3).toFixed(1) + 'k';
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

function age(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Draws lines of values (null = no value) on a shared scale from 0, with the scale's top and the time span. */
function chart(svg, lines) {
  const n = Math.max(1, ...lines.map((l) => l.values.length));
  let max = 0;
  let total = 0;
  for (const l of lines) for (const v of l.values) if (v !== null) { max = Math.max(max, v); total += v; }
  const top = max <= 0 ? 1 : niceCeil(max);
  const x = (i) => PAD.left + (i * (W - PAD.left - PAD.right)) / Math.max(1, n - 1);
  const y = (v) => H - PAD.bottom - (v / top) * (H - PAD.top - PAD.bottom);
  svg.replaceChildren();
  for (const v of [0, top / 2, top]) {
    svg.append(el('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    svg.append(el('text', { class: 'label', x: PAD.left - 4, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  svg.append(el('text', { class: 'label', x: PAD.left, y: H - 4 }, `-${Math.round(n / 60)} min`));
  svg.append(el('text', { class: 'label', x: W - PAD.right, y: H - 4, 'text-anchor': 'end' }, 'now'));
  for (const l of lines) {
    let points = [];
    const flush = () => {
      if (points.length) svg.append(el('polyline', { class: l.cls, points: points.join(' '), 'data-series': l.name }));
      points = [];
    };
    l.values.forEach((v, i) => { if (v === null) flush(); else points.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`); });
    flush();
  }
  // what a test or a curious operator can read without parsing the drawing
  svg.dataset.max = String(max);
  svg.dataset.total = String(total);
}

function niceCeil(v) {
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function last(values, count) {
  return values.slice(Math.max(0, values.length - count));
}

function sumOf(values) {
  return values.reduce((a, v) => a + (v || 0), 0);
}

function showState(s) {
  $('node').textContent = 'node ' + s.node;
  const t = s.totals;
  const series = s.series;
  // the second in progress is partial: rates come from the last full one
  const full = (values) => values[values.length - 2] ?? 0;
  $('total-sessions').textContent = fmt(t.sessions);
  $('total-rps').textContent = fmt(full(series.requests));
  $('total-eps').textContent = fmt(full(series.errors));
  $('total-refps').textContent = fmt(full(series.refusals));
  $('total-requests').textContent = fmt(t.requests);
  $('total-errors').textContent = fmt(t.errors);
  $('total-refusals').textContent = fmt(t.refusals);
  let worst = null;
  for (const values of Object.values(series.p99Ms)) {
    for (const v of last(values, 60)) if (v !== null && (worst === null || v > worst)) worst = v;
  }
  $('total-p99').textContent = fmt(worst);

  chart($('chart-sessions'), [{ name: 'sessions', cls: 's-sessions', values: last(series.sessions, SHOWN) }]);
  chart($('chart-requests'), [{ name: 'requests', cls: 's-requests', values: last(series.requests, SHOWN) }]);
  const commands = Object.keys(series.p99Ms).sort();
  chart($('chart-latency'), commands.map((cmd, i) => ({
    name: cmd, cls: 'c' + (i % 6), values: last(series.p99Ms[cmd], SHOWN),
  })));
  $('latency-legend').replaceChildren(...commands.map((cmd, i) => {
    const li = document.createElement('li');
    li.className = 'c' + (i % 6);
    li.textContent = cmd;
    return li;
  }));
  chart($('chart-errors'), [
    { name: 'errors', cls: 's-errors', values: last(series.errors, SHOWN) },
    { name: 'refusals', cls: 's-refusals', values: last(series.refusals, SHOWN) },
  ]);
  $('chart-requests').dataset.recent = String(sumOf(last(series.requests, 10)));
}

function showSessions(s) {
  const body = $('sessions').tBodies[0];
  const rows = s.sessions.map((e) => {
    const tr = document.createElement('tr');
    tr.dataset.id = e.id;
    if (e.detached) tr.className = 'detached';
    const cells = [e.id, e.node, e.user ?? '', e.groups.join(', '), e.remoteAddress ?? '', age(s.now - e.openedAt),
      `${e.queuedMessages} msg / ${fmt(e.queuedBytes)} B`];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i === 0) td.className = 'id';
      tr.append(td);
    });
    const actions = document.createElement('td');
    const push = document.createElement('button');
    push.type = 'button';
    push.textContent = 'push…';
    push.className = 'row-push';
    push.addEventListener('click', () => {
      $('push-target').value = 'session';
      $('push-to').value = e.id;
      $('push-cmd').focus();
    });
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'close…';
    close.className = 'row-close';
    close.addEventListener('click', () => {
      $('close-session').value = e.id;
      $('close-code').focus();
    });
    actions.append(push, ' ', close);
    tr.append(actions);
    return tr;
  });
  body.replaceChildren(...rows);
  const silent = s.silentNodes && s.silentNodes.length
    ? `; no answer in time from ${s.silentNodes.join(', ')}` : '';
  $('sessions-count').textContent = `${s.sessions.length}${s.truncated ? '+' : ''} on ${s.node}'s view${silent}`;
}

async function getJson(path) {
  const r = await fetch(path, { cache: 'no-store', credentials: 'same-origin' });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${(await r.text()).trim()}`);
  return r.json();
}

async function post(path, body) {
  const r = await fetch(path, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Wsrv-Console': '1' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, body: r.headers.get('Content-Type')?.startsWith('application/json') ? JSON.parse(text) : text.trim() };
}

function sessionsQuery() {
  const q = new URLSearchParams();
  if ($('filter-user').value.trim()) q.set('user', $('filter-user').value.trim());
  if ($('filter-group').value.trim()) q.set('group', $('filter-group').value.trim());
  const s = q.toString();
  return 'api/sessions' + (s ? '?' + s : '');
}

async function refreshSessions() {
  showSessions(await getJson(sessionsQuery()));
}

/** Polls forever, one request at a time, waiting longer after failures (up to 10 s). */
function poll(everyMs, work) {
  const run = async () => {
    try {
      await work();
      failures = 0;
      $('live').dataset.state = 'live';
      $('live').textContent = 'live';
    } catch (e) {
      failures++;
      $('live').dataset.state = 'offline';
      $('live').textContent = 'offline: ' + e.message;
    }
    setTimeout(run, failures ? Math.min(10000, everyMs * 2 ** failures) : everyMs);
  };
  run();
}

function result(output, ok, text) {
  output.value = text;
  output.textContent = text;
  output.classList.toggle('failed', !ok);
  output.dataset.ok = String(ok);
}

$('push-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  let data;
  try {
    data = $('push-data').value.trim() === '' ? null : JSON.parse($('push-data').value);
  } catch (e) {
    result($('push-result'), false, 'data is not JSON: ' + e.message);
    return;
  }
  const r = await post('api/push', {
    target: $('push-target').value, to: $('push-to').value.trim(), cmd: $('push-cmd').value.trim(), data,
  });
  if (r.status === 200) {
    result($('push-result'), true, `delivered ${r.body.delivered}, buffered ${r.body.buffered}, failed ${r.body.failed}`
      + (r.body.remoteNodes ? `, handed to ${r.body.remoteNodes} other nodes` : ''));
    $('push-result').dataset.delivered = String(r.body.delivered);
  } else {
    result($('push-result'), false, `${r.status}: ${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`);
  }
});

$('close-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const session = $('close-session').value.trim();
  const r = await post('api/close', { session, code: Number($('close-code').value), reason: $('close-reason').value });
  if (r.status === 200) result($('close-result'), true, `closed ${session}`);
  else if (r.status === 404) result($('close-result'), false, `no node holds a live connection of ${session}`);
  else result($('close-result'), false, `${r.status}: ${r.body}`);
  refreshSessions().catch(() => {});
});

$('filter-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  refreshSessions().catch(() => {});
});

poll(1000, async () => showState(await getJson('api/state')));
poll(2000, refreshSessions);

// The playground's view of the application's contract: reads the AsyncAPI document served next to the endpoint,
// offers its commands in a picker (with the schema of their data and an example payload built from it), and lists the
// declared pushes with a count of those received, read from the log. Without a document the section stays hidden.
const $ = (id) => document.getElementById(id);
const REF = '#/components/schemas/';

/** The document next to the endpoint: ws/asyncapi.json relative to this page, at the root or under a context root. */
export function documentUrl(base = location.href) {
  return new URL('ws/asyncapi.json', base).href;
}

function resolve(doc, schema, seen = new Set()) {
  if (!schema?.$ref?.startsWith(REF)) return schema ?? {};
  const name = schema.$ref.slice(REF.length);
  if (seen.has(name)) return {};
  seen.add(name);
  return resolve(doc, doc.components?.schemas?.[name], seen);
}

/** An example value of a schema: the smallest value its keywords allow, as far as they say. */
export function example(doc, schema, depth = 0) {
  const s = resolve(doc, schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      if (depth > 4) return {};
      const out = {};
      for (const [name, p] of Object.entries(s.properties ?? {})) out[name] = example(doc, p, depth + 1);
      return out;
    }
    case 'array': return depth > 4 ? [] : [example(doc, s.items ?? {}, depth + 1)];
    case 'integer':
    case 'number': {
      if (typeof s.minimum === 'number') return s.minimum;
      if (typeof s.exclusiveMinimum === 'number') return type === 'integer' ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 1;
      if (typeof s.maximum === 'number') return Math.min(s.maximum, 0);
      if (typeof s.exclusiveMaximum === 'number') return Math.min(s.exclusiveMaximum - 1, 0);
      return 0;
    }
    case 'boolean': return false;
    case 'string': return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default: return null;
  }
}

function dataOf(doc, messageRef) {
  let node = doc;
  for (const part of messageRef.$ref.replace(/^#\//, '').split('/')) node = node?.[part];
  if (node?.$ref) return dataOf(doc, node);
  return { cmd: node?.payload?.properties?.cmd?.const, data: node?.payload?.properties?.data ?? {} };
}

/** The commands (with their data schema) and the declared pushes of a document. */
export function contractOf(doc) {
  const commands = [];
  const pushes = [];
  for (const op of Object.values(doc.operations ?? {})) {
    if (!op.messages?.[0]) continue;
    const m = dataOf(doc, op.messages[0]);
    if (typeof m.cmd !== 'string') continue;
    if (op.action === 'receive') commands.push({ cmd: m.cmd, data: m.data, summary: op.summary ?? '' });
    else if (op.action === 'send') pushes.push({ cmd: m.cmd, data: m.data });
  }
  return { commands, pushes };
}

function show(doc) {
  const { commands, pushes } = contractOf(doc);
  const picker = $('command-picker');
  const schemaEl = $('command-schema');
  picker.replaceChildren(...commands.map((c) => new Option(c.cmd, c.cmd)));
  const pick = () => {
    const c = commands.find((x) => x.cmd === picker.value);
    if (!c) return;
    schemaEl.textContent = JSON.stringify(c.data.$ref ? resolve(doc, c.data) : c.data, null, 2);
    $('cmd').value = c.cmd;
    $('data').value = JSON.stringify(example(doc, c.data));
  };
  picker.addEventListener('change', pick);
  const list = $('declared-pushes');
  const counts = new Map();
  list.replaceChildren(...pushes.map((p) => {
    const li = document.createElement('li');
    li.dataset.cmd = p.cmd;
    li.dataset.received = '0';
    li.textContent = `${p.cmd}: 0 received`;
    counts.set(p.cmd, li);
    return li;
  }));
  // pushes as the log shows them: the contract's view needs nothing from the connection code
  new MutationObserver((records) => {
    for (const r of records) {
      for (const node of r.addedNodes) {
        const li = node.nodeType === 1 && node.dataset.kind === 'push' ? counts.get(node.dataset.cmd) : undefined;
        if (li) {
          li.dataset.received = String(Number(li.dataset.received) + 1);
          li.textContent = `${li.dataset.cmd}: ${li.dataset.received} received`;
        }
      }
    }
  }).observe($('log'), { childList: true });
  $('contract').hidden = false;
  $('contract-title').textContent = `${doc.info?.title ?? ''} ${doc.info?.version ?? ''}`.trim();
}

if (typeof document !== 'undefined' && $('contract')) {
  fetch(documentUrl(), { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .then((doc) => { if (doc) show(doc); })
    .catch(() => { /* no document: the playground works without it */ });
}

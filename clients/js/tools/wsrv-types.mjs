#!/usr/bin/env node
// Writes the TypeScript declaration of an application's commands and pushes from its AsyncAPI document (the one a
// wsrv server serves at <endpoint>/asyncapi.json, or that dev.wsrv.asyncapi.AsyncApiMain writes at build time):
//
//   node tools/wsrv-types.mjs <document.json | http(s)://.../asyncapi.json> [--out file.ts] [--client module]
//
// The declaration exports `Commands` (each command's request data and reply data), `Pushes` (each declared push's
// data), one type per named schema, and `Client`, the client seen through them:
//
//   import type { Client } from './commands.js';
//   const client: Client = await WsrvClient.connect(url);
//   const info = await client.request('userinfo');   // checked, and typed as the command's reply
//
// `--client` names the module that exports TypedClient (default '@wsrv/client'). No dependencies.
import { readFile, writeFile } from 'node:fs/promises';

const REF = '#/components/schemas/';

/** A TypeScript identifier for a schema name such as `UserCommands.Register`. */
export function typeName(name) {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** The TypeScript type of a JSON Schema, with named schemas referred to by name. */
export function tsType(schema, indent = '') {
  if (schema === true || schema == null || Object.keys(schema).length === 0) return 'unknown';
  if (schema.$ref) {
    if (!schema.$ref.startsWith(REF)) throw new Error(`unsupported $ref ${schema.$ref}`);
    return typeName(schema.$ref.slice(REF.length));
  }
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.allOf) return schema.allOf.map((s) => wrap(tsType(s, indent))).join(' & ');
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map((s) => wrap(tsType(s, indent))).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return 'unknown';
  return types.map((t) => wrap(single(t, schema, indent))).join(' | ');
}

function single(type, schema, indent) {
  switch (type) {
    case 'string': return 'string';
    case 'integer':
    case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `${wrap(tsType(schema.items, indent))}[]`;
    case 'object': return objectType(schema, indent);
    default: throw new Error(`unsupported schema type ${type}`);
  }
}

function objectType(schema, indent) {
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = Object.entries(schema.properties ?? {}).map(([name, s]) =>
    `${inner}${propertyName(name)}${required.has(name) ? '' : '?'}: ${tsType(s, inner)};`);
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    lines.push(`${inner}[key: string]: ${extra === true ? 'unknown' : tsType(extra, inner)};`);
  } else if (lines.length === 0 && extra === undefined) {
    lines.push(`${inner}[key: string]: unknown;`);
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
}

function propertyName(name) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function wrap(t) {
  return /[|&]/.test(t) && !t.startsWith('{') ? `(${t})` : t;
}

/** The message a `$ref` (`#/channels/c/messages/m` or `#/components/messages/m`) points to, followed to the end. */
function resolve(doc, ref) {
  let node = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    node = node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`${ref} does not resolve`);
  }
  return node.$ref ? resolve(doc, node.$ref) : node;
}

function dataOf(doc, messageRef) {
  const payload = resolve(doc, messageRef.$ref).payload ?? {};
  return { schema: payload.properties?.data ?? {}, required: (payload.required ?? []).includes('data') };
}

/** The declaration of a document's commands, pushes and named schemas. */
export function declaration(doc, { client = '@wsrv/client' } = {}) {
  if (!String(doc.asyncapi ?? '').startsWith('3.')) throw new Error(`not an AsyncAPI 3 document: ${doc.asyncapi}`);
  const commands = [];
  const pushes = [];
  for (const op of Object.values(doc.operations ?? {})) {
    const message = op.messages?.[0];
    if (!message) continue;
    const data = dataOf(doc, message);
    const cmd = resolve(doc, message.$ref).payload?.properties?.cmd?.const;
    if (typeof cmd !== 'string') continue;
    if (op.action === 'receive') {
      const reply = op.reply?.messages?.[0] ? dataOf(doc, op.reply.messages[0]).schema : {};
      const dataType = tsType(data.schema, '    ');
      commands.push(`  /** ${op.summary ?? cmd} */\n  ${JSON.stringify(cmd)}: {\n`
        + `    data: ${data.required || dataType === 'unknown' ? dataType : `${wrap(dataType)} | null | undefined`};\n`
        + `    reply: ${tsType(reply, '    ')};\n  };`);
    } else if (op.action === 'send') {
      pushes.push(`  /** ${op.summary ?? cmd} */\n  ${JSON.stringify(cmd)}: ${tsType(data.schema, '  ')};`);
    }
  }
  const named = Object.entries(doc.components?.schemas ?? {})
    .map(([name, s]) => `export type ${typeName(name)} = ${tsType(s)};`);
  const title = `${doc.info?.title ?? 'application'} ${doc.info?.version ?? ''}`.trim();
  return `// The commands and pushes of ${title}, written by wsrv-types from its AsyncAPI document; do not edit.
import type { TypedClient } from ${JSON.stringify(client)};

/** Each command: the type of its request's data and of its reply's data. */
export interface Commands {
${commands.join('\n')}
}

/** Each declared push: the type of its data. */
export interface Pushes {
${pushes.join('\n')}
}

/** The client, seen through these commands and pushes. */
export type Client = TypedClient<Commands, Pushes>;

${named.join('\n\n')}
`;
}

async function main(argv) {
  let source;
  let out;
  let client;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--client') client = argv[++i];
    else if (argv[i].startsWith('--')) throw new Error(`unknown option ${argv[i]}`);
    else source = argv[i];
  }
  if (!source) throw new Error('usage: wsrv-types.mjs <document.json | URL> [--out file.ts] [--client module]');
  const text = /^https?:\/\//.test(source)
    ? await fetch(source).then((r) => {
      if (!r.ok) throw new Error(`${source}: HTTP ${r.status}`);
      return r.text();
    })
    : await readFile(source, 'utf8');
  const ts = declaration(JSON.parse(text), { client });
  if (out) await writeFile(out, ts);
  else process.stdout.write(ts);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`wsrv-types: ${e.message}`);
    process.exit(1);
  });
}

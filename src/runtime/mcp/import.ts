// Imports Claude Desktop / Cursor style JSON ({"mcpServers": {...}}) into rein.yaml. Fields Rein understands
// are mapped; the others are reported and kept as a comment on the server entry, never silently dropped.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, YAMLSeq, type YAMLMap } from 'yaml';
import { errorMessage } from '../base/index.ts';
import { ConfigError, parseConfig } from '../config/index.ts';
import { McpImportError } from './errors.ts';

export interface ImportNote {
  server: string;
  message: string;
}

export interface ImportResult {
  file: string;
  added: string[];
  /** Unknown fields, renamed servers, skipped duplicates. */
  notes: ImportNote[];
}

interface Converted {
  name: string;
  entry: Record<string, unknown>;
  unknown: Record<string, unknown>;
}

const HTTP_TYPES: Record<string, string> = { sse: 'sse', http: 'streamable-http', 'streamable-http': 'streamable-http', streamableHttp: 'streamable-http' };

/** Adds the servers of `jsonText` to the YAML config `file` (created if missing), keeping its comments. */
export function importMcpServers(jsonText: string, file: string, env: NodeJS.ProcessEnv = process.env): ImportResult {
  const notes: ImportNote[] = [];
  const servers = convert(parseJson(jsonText), notes);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length) throw new McpImportError(`${file}: cannot edit, YAML syntax error: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  const map = doc.contents as YAMLMap;
  let list = map.get('mcp_servers');
  if (!isSeq(list)) {
    list = new YAMLSeq();
    map.set('mcp_servers', list);
  }
  const seq = list as YAMLSeq;
  const existing = new Set(seq.items.map((item) => (isMap(item) ? String(item.get('name')) : '')));
  const added: string[] = [];
  for (const server of servers) {
    if (existing.has(server.name)) {
      notes.push({ server: server.name, message: 'already configured, not imported again' });
      continue;
    }
    const node = doc.createNode({ name: server.name, ...server.entry });
    const unknown = Object.entries(server.unknown);
    if (unknown.length) node.commentBefore = ` imported but not used by Rein: ${unknown.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}`;
    seq.add(node);
    existing.add(server.name);
    added.push(server.name);
  }
  const output = doc.toString();
  validate(output, file, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, output);
  return { file, added, notes };
}

function parseJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new McpImportError(`not valid JSON: ${errorMessage(error)}`);
  }
  const servers = isObject(value) ? (value.mcpServers ?? value.servers) : undefined;
  if (!isObject(servers)) throw new McpImportError('expected a JSON object with "mcpServers": {"<name>": {"command": …} | {"url": …}}');
  return servers;
}

function convert(servers: Record<string, unknown>, notes: ImportNote[]): Converted[] {
  return Object.entries(servers).map(([rawName, raw]) => {
    const name = serverName(rawName);
    if (name !== rawName) notes.push({ server: name, message: `renamed from "${rawName}" (names use letters, digits, "_" and "-")` });
    if (!isObject(raw)) throw new McpImportError(`server "${rawName}": expected an object, got ${JSON.stringify(raw)}`);
    const entry: Record<string, unknown> = {};
    const unknown: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (['command', 'args', 'env', 'cwd', 'url', 'headers'].includes(key)) entry[key] = value;
      else if (key === 'disabled' && typeof value === 'boolean') entry.enabled = !value;
      else if ((key === 'type' || key === 'transport') && typeof value === 'string' && (value === 'stdio' || HTTP_TYPES[value])) {
        if (HTTP_TYPES[value]) entry.transport = HTTP_TYPES[value];
      } else unknown[key] = value;
    }
    if ('command' in entry && entry.transport) {
      unknown.type = raw.type ?? raw.transport;
      delete entry.transport;
    }
    for (const key of Object.keys(unknown)) notes.push({ server: name, message: `unknown field "${key}" kept as a comment, not used` });
    return { name, entry, unknown };
  });
}

function serverName(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 48);
  return cleaned || 'server';
}

function validate(text: string, file: string, env: NodeJS.ProcessEnv): void {
  try {
    parseConfig(text, { file, env, baseDir: path.dirname(file) });
  } catch (error) {
    if (error instanceof ConfigError) throw new McpImportError(`the imported servers would make the config invalid, nothing was written:\n${error.message}`);
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

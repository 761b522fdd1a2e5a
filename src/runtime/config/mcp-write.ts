// Edits one `mcp_servers` entry of the config file (remove it, or set `enabled`), keeping comments and layout.
import fs from 'node:fs';
import { isMap, isSeq, parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';

export type McpServerEdit = { remove: true } | { enabled: boolean };

/** Returns false when the file has no server by that name (e.g. it came from another config layer). */
export function editMcpServer(file: string, name: string, edit: McpServerEdit): boolean {
  if (!fs.existsSync(file)) return false;
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  if (document.errors.length > 0) throw new ConfigError(file, [{ path: 'mcp_servers', message: `cannot update: ${document.errors[0]!.message}` }]);
  const servers = document.get('mcp_servers');
  if (!isSeq(servers)) return false;
  const index = servers.items.findIndex((item) => isMap(item) && item.get('name') === name);
  if (index < 0) return false;
  if ('remove' in edit) servers.items.splice(index, 1);
  else if (edit.enabled) (servers.items[index] as { delete(key: string): boolean }).delete('enabled');
  else (servers.items[index] as { set(key: string, value: unknown): void }).set('enabled', false);
  fs.writeFileSync(file, document.toString());
  return true;
}

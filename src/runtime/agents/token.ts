import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../base/index.ts';
import { McpServeError } from './errors.ts';

/** The bearer token of `rein mcp --http`: kept in `<dataDir>/mcp-token` (mode 0600), made on first use. */
export function loadOrCreateToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = path.join(dataDir, 'mcp-token');
  try {
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
    if (existing.length >= 32) return { token: existing, file, created: false };
    const token = randomBytes(32).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return { token, file, created: true };
  } catch (error) {
    throw new McpServeError(`cannot read or create the MCP token file ${file}: ${errorMessage(error)}`);
  }
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

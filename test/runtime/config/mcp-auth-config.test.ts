// `auth:` of an HTTP MCP server in rein.yaml: short and long forms; mistakes name the key path and line.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/index.ts';

const parse = (auth: string, env: NodeJS.ProcessEnv = {}) => parseConfig(`mcp_servers:\n  - name: web\n    url: https://example.com/mcp\n    auth:${auth}\n`, { env: { REIN_HOME: '/tmp/rein-none', ...env } });

describe('mcp_servers[].auth', () => {
  it('accepts the short form and fills defaults; secrets come from ${env:} and are redacted', () => {
    expect(parse(' oidc').mcp_servers[0]).toMatchObject({ auth: { type: 'oidc', redirect_port: 33418 } });
    const config = parse('\n      type: oauth\n      client_id: rein\n      client_secret: ${env:SECRET}\n', { SECRET: 'hunter2-secret' });
    expect(config.mcp_servers[0]).toMatchObject({ auth: { type: 'oauth', client_id: 'rein', client_secret: 'hunter2-secret' } });
    expect(config.secrets).toContain('hunter2-secret');
  });

  it('names what is wrong and where', () => {
    expect(() => parse(' mtls')).toThrow(/mcp_servers\[0\]\.auth\.cert: is required but missing/);
    expect(() => parse(' basic')).toThrow(/mcp_servers\[0\]\.auth\.type: use `oauth`, `oidc` or `mtls`/);
    expect(() => parse('\n      type: oauth\n      client_metadata_url: http://example.com/c.json\n')).toThrow(/client_metadata_url/);
  });
});

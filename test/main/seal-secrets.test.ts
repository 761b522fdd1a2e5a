import { describe, expect, it } from 'vitest';
import { sealMcpHeaders, secretName } from '../../src/main/seal-secrets.ts';

describe('sealing MCP header secrets (desktop)', () => {
  it('stores header values as secrets and passes ${env:NAME} references on', () => {
    const stored = new Map<string, string>();
    const env: NodeJS.ProcessEnv = {};
    const args = [{ name: 'git-hub', url: 'https://mcp.example/', headers: { Authorization: 'Bearer s3cret', 'X-Env': '${env:ALREADY}' } }];
    const sealed = sealMcpHeaders(args, { set: (name, value) => stored.set(name, value) }, env);
    expect(sealed).toEqual([{ name: 'git-hub', url: 'https://mcp.example/', headers: { Authorization: '${env:REIN_MCP_GIT_HUB_AUTHORIZATION}', 'X-Env': '${env:ALREADY}' } }]);
    expect(stored).toEqual(new Map([['REIN_MCP_GIT_HUB_AUTHORIZATION', 'Bearer s3cret']]));
    expect(env.REIN_MCP_GIT_HUB_AUTHORIZATION).toBe('Bearer s3cret');
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
  });

  it('leaves stdio specs and malformed input alone (the runtime validates them)', () => {
    const sink = { set: () => { throw new Error('must not store'); } };
    const stdio = [{ name: 'fs', command: 'npx', args: ['x'] }];
    expect(sealMcpHeaders(stdio, sink, {})).toBe(stdio);
    expect(sealMcpHeaders('junk', sink, {})).toBe('junk');
    expect(secretName('a.b', 'x-api-key')).toBe('REIN_MCP_A_B_X_API_KEY');
  });
});

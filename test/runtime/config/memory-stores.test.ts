// memory.episodic / memory.semantic: where memory lives, and no database password in rein.yaml in clear.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/runtime/index.ts';
import { parseQdrantLocation } from '../../../src/runtime/config/index.ts';
import { allowedEndpoints } from '../../../src/runtime/policy/index.ts';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfig(yaml, { file: '/etc/rein/rein.yaml', env: { REIN_HOME: '/data', ...env }, baseDir: '/etc/rein' });

function issueOf(yaml: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parse(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a config error');
}

describe('memory stores in rein.yaml', () => {
  it('keeps SQLite at <data dir>/rein.db by default, and takes sqlite:<path> relative to the file', () => {
    expect(parse('').memory).toMatchObject({ path: path.join('/data', 'rein.db') });
    expect(parse('').memory.episodic).toBeUndefined();
    expect(parse('').memory.semantic).toBeUndefined();
    expect(parse('memory: { episodic: "sqlite:./team.db" }').memory.path).toBe('/etc/rein/team.db');
    expect(parse('memory: { episodic: "sqlite:./team.db", semantic: same }').memory.semantic).toBeUndefined();
  });

  it('takes postgres:// for episodic and semantic, and qdrant://host:port/collection (qdrants:// for HTTPS) for semantic', () => {
    const memory = parse('memory: { episodic: "postgres://rein@db:5432/episodic", semantic: "postgres://rein@db:5432/semantic" }').memory;
    expect(memory).toMatchObject({ episodic: 'postgres://rein@db:5432/episodic', semantic: 'postgres://rein@db:5432/semantic' });
    expect(parse('memory: { episodic: "postgres://rein@db/e", semantic: "qdrant://memory:6333/agent-1" }').memory.semantic).toBe('qdrant://memory:6333/agent-1');
    expect(parseQdrantLocation('qdrant://memory/agent-1')).toEqual({ url: 'http://memory:6333', collection: 'agent-1', identity: 'qdrant://memory:6333' });
    expect(parseQdrantLocation('qdrants://q.example.com:443/team.notes')).toEqual({ url: 'https://q.example.com:443', collection: 'team.notes', identity: 'qdrant://q.example.com:443' });
    // Offline mode lets the Qdrant server through (6333 unless the URL says otherwise), as it does the database.
    expect(allowedEndpoints(parse('memory: { semantic: "qdrants://q.example.com/c" }'))).toContainEqual({ host: 'q.example.com', port: 6333 });
    expect(allowedEndpoints(parse('memory: { semantic: "qdrant://memory:7000/c" }'))).toContainEqual({ host: 'memory', port: 7000 });
    expect(issueOf('memory: { semantic: "qdrant://memory:6333" }')).toMatch(/memory\.semantic.*names no collection/);
    expect(issueOf('memory: { semantic: "qdrant://:6333/c" }')).toMatch(/memory\.semantic/);
    expect(issueOf('memory: { semantic: "qdrant://memory:6333/a--b" }')).toMatch(/memory\.semantic.*cannot name Qdrant collections/);
    expect(issueOf('memory: { semantic: "qdrant://memory:6333/a*b" }')).toMatch(/memory\.semantic.*cannot name Qdrant collections/);
    const same = parse('memory: { episodic: "postgres://rein@db/x", semantic: "postgres://rein@db/x" }').memory;
    expect(same.semantic).toBeUndefined();
  });

  it('takes a Qdrant API key only from ${env:…} (in the password place) — never in clear', () => {
    const keyed = parse('memory: { semantic: "qdrant://:${env:QDRANT_KEY}@memory:6333/agent-1" }', { QDRANT_KEY: 'k3y-very-secret' });
    expect(parseQdrantLocation(keyed.memory.semantic!)).toMatchObject({ apiKey: 'k3y-very-secret', collection: 'agent-1' });
    expect(keyed.secrets).toContain('k3y-very-secret');
    const message = issueOf('memory:\n  semantic: "qdrant://:plain-key@memory:6333/agent-1"\n');
    expect(message).toContain('memory.semantic');
    expect(message).toContain('API key written in clear');
    expect(message).toContain('rein worker password qdrant://');
    expect(message).not.toContain('plain-key');
  });

  it('takes a password from ${env:…}, whole URL or password alone', () => {
    const whole = parse('memory: { episodic: "${env:REIN_PG}" }', { REIN_PG: 'postgres://rein:s3cret-pw@db/rein' });
    expect(whole.memory.episodic).toBe('postgres://rein:s3cret-pw@db/rein');
    expect(whole.secrets).toContain('postgres://rein:s3cret-pw@db/rein');
    const part = parse('memory: { episodic: "postgres://rein:${env:PGPW}@db/rein" }', { PGPW: 's3cret-pw' });
    expect(part.memory.episodic).toBe('postgres://rein:s3cret-pw@db/rein');
  });

  it('refuses a password written in clear, naming the key, the line and the fix', () => {
    const message = issueOf('model: { name: x }\nmemory:\n  episodic: "postgres://rein:hunter2@db/rein"\n');
    expect(message).toContain('memory.episodic');
    expect(message).toContain(':3:');
    expect(message).toContain('password written in clear');
    expect(message).toContain('${env:');
    expect(message).not.toContain('hunter2');
  });

  it('says what is wrong with a bad store URL', () => {
    expect(issueOf('memory: { episodic: "mysql://db/x" }')).toMatch(/memory\.episodic.*unknown database scheme/);
    expect(issueOf('memory: { episodic: "qdrant://q:6333/c" }')).toMatch(/memory\.episodic.*vectors only/);
    expect(issueOf('memory: { semantic: "sqlite:./x.db" }')).toMatch(/memory\.semantic.*same.*postgres.*qdrant/);
    expect(issueOf('memory: { path: ./a.db, episodic: "sqlite:./b.db" }')).toMatch(/keep one/);
  });
});

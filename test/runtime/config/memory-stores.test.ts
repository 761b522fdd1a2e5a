// memory.episodic / memory.semantic: where memory lives, and no database password in rein.yaml in clear.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/runtime/index.ts';

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

  it('takes postgres:// for episodic and semantic; qdrant:// is refused as not supported yet', () => {
    const memory = parse('memory: { episodic: "postgres://rein@db:5432/episodic", semantic: "postgres://rein@db:5432/semantic" }').memory;
    expect(memory).toMatchObject({ episodic: 'postgres://rein@db:5432/episodic', semantic: 'postgres://rein@db:5432/semantic' });
    expect(issueOf('memory: { episodic: "postgres://rein@db/e", semantic: "qdrant://memory:6333/agent-1" }')).toMatch(/memory\.semantic.*qdrant:\/\/.*not supported by this build yet/);
    const same = parse('memory: { episodic: "postgres://rein@db/x", semantic: "postgres://rein@db/x" }').memory;
    expect(same.semantic).toBeUndefined();
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

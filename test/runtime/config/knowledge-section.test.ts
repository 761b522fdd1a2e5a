// The knowledge section of rein.yaml: paths resolved against the config's folder (and ~), globs per source, and
// errors that name the key path and line.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/runtime/config/index.ts';

const parse = (text: string) => parseConfig(text, { env: { REIN_HOME: '/tmp/rein-home' }, baseDir: '/work/project' });

describe('knowledge config', () => {
  it('defaults to no sources, and resolves paths against the config folder and ~', () => {
    expect(parse('').knowledge).toMatchObject({ enabled: true, paths: [], max_file_mb: 50, watch: true, search_limit: 6 });
    const config = parse('knowledge:\n  paths:\n    - docs\n    - ~/notes\n    - { path: /srv/contracts, include: ["**/*.pdf"], exclude: ["drafts/**"] }\n');
    expect(config.knowledge.paths).toEqual([
      '/work/project/docs',
      path.join(os.homedir(), 'notes'),
      { path: '/srv/contracts', include: ['**/*.pdf'], exclude: ['drafts/**'] },
    ]);
  });

  it('names the key path and line of a bad value', () => {
    let error: unknown;
    try {
      parse('knowledge:\n  paths: [docs]\n  max_file_mb: -3\n  chunk_chars: 10\n  pathz: []\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'knowledge.max_file_mb', line: 3 }),
        expect.objectContaining({ path: 'knowledge.chunk_chars', line: 4 }),
        expect.objectContaining({ path: 'knowledge.pathz', line: 5, message: expect.stringContaining('unknown key') }),
      ]),
    );
  });
});

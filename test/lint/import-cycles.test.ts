// runtime.ts, the API and the agents capability once imported each other (a 14-file circle). Runs are launched by
// one module now (src/runtime/launcher) that all of them depend on: no capability folder is in an import cycle with
// another, or with the runtime's own files. Cycles inside one folder are that folder's business.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph, unitGraph } from './import-graph.ts';

const RUNTIME = path.resolve(import.meta.dirname, '../../src/runtime');

/** A capability folder (src/runtime/<folder>) is one unit; each file directly in src/runtime is its own. */
const capabilityOf = (root: string) => (file: string) => path.relative(root, file).split(path.sep)[0]!;

describe('import cycles in src/runtime', () => {
  it('no cycle spans two capability folders or the runtime files (runtime.ts, extensions.ts, …)', () => {
    const found = cycles(unitGraph(importGraph(RUNTIME), capabilityOf(RUNTIME)));
    expect(found, `import cycles between: ${found.map((c) => c.join(' ⇄ ')).join('; ')}`).toEqual([]);
  });

  it('runtime.ts, api, agents and launcher are in no cycle, not even through a type-only import', () => {
    const graph = importGraph(RUNTIME);
    const watched = (file: string) => /^(runtime\.ts|api\/|agents\/|launcher\/)/.test(path.relative(RUNTIME, file));
    expect(cycles(graph).filter((cycle) => cycle.some(watched))).toEqual([]);
  });

  it('the check finds a circle made of type-only and dynamic imports (so it can fail)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-cycles-'));
    try {
      for (const dir of ['api', 'agents']) fs.mkdirSync(path.join(root, dir));
      fs.writeFileSync(path.join(root, 'runtime.ts'), "import { a } from './api/index.ts';\nexport class Runtime {}\nexport const r = a;\n");
      fs.writeFileSync(path.join(root, 'api/index.ts'), "export const a = () => import('../agents/index.ts');\n");
      fs.writeFileSync(path.join(root, 'agents/index.ts'), "import type { Runtime } from '../runtime.ts';\nexport type R = Runtime;\n");
      expect(cycles(unitGraph(importGraph(root), capabilityOf(root)))).toEqual([['agents', 'api', 'runtime.ts']]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

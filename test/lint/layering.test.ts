// The layering rules are part of the build: prove they reject what they are meant to reject.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('keep electron out of the runtime, common types and the CLI', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    for (const file of ['src/runtime/loop/x.ts', 'src/common/x.ts', 'src/cli/x.ts', 'src/server/x.ts']) {
      expect(await restricted(file, code)).toEqual([expect.stringContaining('never import electron')]);
    }
    expect(await restricted('src/main/x.ts', code)).toEqual([]);
  });

  it('keep Node-only modules out of the renderer and common types', async () => {
    for (const spec of ['node:fs', 'path', 'child_process', 'better-sqlite3']) {
      const code = `import x from '${spec}';\nexport const a = x;\n`;
      expect(await restricted('src/renderer/src/x.ts', code)).toHaveLength(1);
      expect(await restricted('src/common/x.ts', code)).toHaveLength(1);
    }
    expect(await restricted('src/renderer/src/x.tsx', "import { Runtime } from '../../runtime/index.ts';\nexport const a = Runtime;\n")).toHaveLength(1);
  });

  it('keep the Electron shell to src/common and src/host/discovery.ts: no runtime, no native module', async () => {
    const imports = (spec: string) => `import * as x from '${spec}';\nexport const a = x;\n`;
    for (const file of ['src/main/x.ts', 'src/preload/x.ts']) {
      for (const spec of ['../runtime/index.ts', '../runtime/tools/index.ts', '../server/index.ts', '../cli/main.ts', '../host/server.ts', 'better-sqlite3', 'isolated-vm', 'sqlite-vec', 'sqlite-vec-linux-x64', '@napi-rs/keyring']) {
        expect(await restricted(file, imports(spec)), `${file} importing ${spec}`).toHaveLength(1);
      }
      for (const spec of ['../common/index.ts', '../common/host-status.ts', '../host/discovery.ts', 'node:child_process', 'ws', 'electron']) {
        expect(await restricted(file, imports(spec)), `${file} importing ${spec}`).toEqual([]);
      }
    }
  });

  it('allow only index.ts imports across runtime capabilities', async () => {
    const deep = "import { ToolGuard } from '../tools/guard.ts';\nexport const a = ToolGuard;\n";
    const viaIndex = "import { ToolGuard } from '../tools/index.ts';\nexport const a = ToolGuard;\n";
    expect(await restricted('src/runtime/loop/x.ts', deep)).toHaveLength(1);
    expect(await restricted('src/runtime/loop/x.ts', viaIndex)).toEqual([]);
    expect(await restricted('src/runtime/model/ollama/x.ts', "import { a } from '../../config/schema.ts';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src/cli/x.ts', "import { a } from '../runtime/tools/index.ts';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src/server/x.ts', "import { a } from '../runtime/api/index.ts';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src/server/x.ts', "import { a } from '../runtime/index.ts';\nexport const b = a;\n")).toEqual([]);
    expect(await restricted('src/worker/x.ts', "import { a } from '../runtime/memory/index.ts';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restricted('src/worker/x.ts', "import { a } from '../runtime/team.ts';\nexport const b = a;\n")).toEqual([]);
  });
});

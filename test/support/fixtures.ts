import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type ReinConfig } from '../../src/runtime/index.ts';
import type { Tool } from '../../src/runtime/index.ts';

export function tempDir(prefix = 'rein-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A config from YAML text, with its data dir in a fresh temp folder and the model host pointed at `host`.
 * The skill learning loop (an extra model call after a run) is off unless the YAML turns it on, so scripted
 * conversations stay exact.
 */
export function testConfig(yaml: string, host: string, env: NodeJS.ProcessEnv = {}): ReinConfig {
  const home = tempDir();
  const config = parseConfig(yaml, { env: { REIN_HOME: home, ...env }, baseDir: home });
  const learning = /auto_learn/.test(yaml) ? config.skills.auto_learn : false;
  return { ...config, model: { ...config.model, provider: 'ollama', base_url: host, name: config.model.name || 'qwen3:4b' }, skills: { ...config.skills, auto_learn: learning } };
}

export const addTool: Tool = {
  name: 'add',
  description: 'Add two numbers',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async (args) => (args.a as number) + (args.b as number),
};

export function echoTool(name = 'echo', capability: Tool['capability'] = 'read'): Tool {
  return {
    name,
    description: 'Echo the text back',
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    capability,
    source: { kind: 'builtin' },
    run: async (args) => `echo: ${String(args.text)}`,
  };
}

/** A tool that never finishes on its own; it records whether it saw the abort signal. */
export function hangingTool(seen: { aborted: boolean }): Tool {
  return {
    name: 'hang',
    description: 'Never returns',
    parameters: { type: 'object', properties: {} },
    capability: 'read',
    source: { kind: 'builtin' },
    run: (_args, context) =>
      new Promise((_resolve, reject) => {
        context.signal.addEventListener('abort', () => {
          seen.aborted = true;
          reject(new Error('hang tool aborted'));
        });
      }),
  };
}

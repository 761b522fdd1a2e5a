// What a run is offered: only tools that can work (knowledge tools need a source, skill tools a usable skill), and a
// server re-listing its tools does not reorder them (the order is part of the prompt the model server caches).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/index.ts';
import { ToolRegistry, type Tool } from '../../../src/runtime/tools/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';

const offered = (ollama: ScriptedOllama) => (ollama.chatRequests.at(-1)!.tools ?? []).map((t) => t.function.name);

describe('tools offered to a run', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('leaves out the knowledge tools without a source and the skill tools without a skill', async () => {
    const runtime = new Runtime({ config: testConfig('', ollama.url), trace: false, retry: { retries: 0 } });
    await runtime.start();
    ollama.script([{ content: 'done' }]);
    await runtime.startRun('say done').result;
    const names = offered(ollama);
    expect(names).toContain('run_js');
    expect(names).toContain('remember');
    for (const hidden of ['search_knowledge', 'read_document', 'load_skill', 'run_skill']) expect(names).not.toContain(hidden);
    await runtime.close();
  });

  it('offers them once there is a document source and an approved skill', async () => {
    const docs = tempDir('rein-docs-');
    fs.writeFileSync(path.join(docs, 'notes.md'), '# Notes\nThe launch is on Tuesday.\n');
    const config = testConfig(`knowledge:\n  paths: [${JSON.stringify(docs)}]\n`, ollama.url);
    fs.mkdirSync(config.skills.user_dir!, { recursive: true });
    fs.writeFileSync(path.join(config.skills.user_dir!, 'greet.json'), JSON.stringify({ name: 'greet', description: 'Greet someone', triggers: ['greet'], instructions: 'Say hello.' }));
    const runtime = new Runtime({ config, trace: false, retry: { retries: 0 } });
    await runtime.start();
    ollama.script([{ content: 'done' }]);
    await runtime.startRun('when is the launch?').result;
    expect(offered(ollama)).toEqual(expect.arrayContaining(['search_knowledge', 'read_document', 'load_skill', 'run_skill']));
    await runtime.close();
  });
});

describe('tool registry', () => {
  const tool = (name: string, server: string): Tool => ({
    name,
    description: name,
    parameters: { type: 'object', properties: {} },
    capability: 'read',
    source: { kind: 'mcp', server },
    run: async () => 'ok',
  });

  it('keeps the place of tools a server lists again; new ones are appended, removed ones leave', () => {
    const registry = new ToolRegistry();
    registry.replaceSource('mcp:a', [tool('a1', 'a'), tool('a2', 'a')]);
    registry.replaceSource('mcp:b', [tool('b1', 'b')]);
    registry.replaceSource('mcp:a', [tool('a2', 'a'), tool('a1', 'a')]);
    expect(registry.names()).toEqual(['a1', 'a2', 'b1']);
    registry.replaceSource('mcp:a', [tool('a2', 'a'), tool('a3', 'a')]);
    expect(registry.names()).toEqual(['a2', 'b1', 'a3']);
  });

  it('shows the model each schema without $schema (validation keeps it), as the same objects every step', () => {
    const registry = new ToolRegistry();
    const withSchema = { ...tool('a1', 'a'), parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { p: { type: 'string' } } } };
    registry.replaceSource('mcp:a', [withSchema]);
    const [spec] = registry.specs();
    expect(spec!.parameters).toEqual({ type: 'object', properties: { p: { type: 'string' } } });
    expect(registry.get('a1')!.parameters).toHaveProperty('$schema');
    expect(registry.specs()[0]).toBe(spec);
  });
});

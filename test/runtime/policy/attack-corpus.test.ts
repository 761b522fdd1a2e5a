import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/index.ts';
import { decide, type LabeledRule } from '../../../src/runtime/policy/index.ts';
import { CORPUS } from './attack-corpus.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-corpus-'));
fs.mkdirSync(path.join(root, 'secret'));
fs.writeFileSync(path.join(root, 'secret', 'key.txt'), 'k');
fs.writeFileSync(path.join(root, 'notes.txt'), 'n');
fs.symlinkSync(path.join(root, 'secret'), path.join(root, 'link'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const withRoot = <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll('ROOT', root)) as T;

describe.each(CORPUS)('attack corpus: $name', (section) => {
  const policy = parseConfig(`policy:\n  rules:${section.rules.replaceAll('ROOT', root)}\n`, { env: { REIN_HOME: '/tmp/rein-corpus' } }).policy;
  const rules: LabeledRule[] = policy.rules.map((rule, i) => ({ rule, label: `policy.rules[${i}]` }));
  it.each(section.cases.map(([value, expected]) => [JSON.stringify(value), expected, value] as const))('%s → %s', (_label, expected, value) => {
    const args = { [section.arg]: value === undefined ? value : withRoot(value) };
    // The server of the path section resolves relative paths against ROOT (its cwd / root).
    const decision = decide({ tool: section.tool, capability: 'write', args, pathBases: [root] }, rules, policy.default, () => undefined);
    expect(decision.effect).toBe(expected);
  });
});

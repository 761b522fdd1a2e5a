// One worker process of the workload test (another machine's worth): `rein worker` with a side-effecting tool that
// appends a line to a shared file, so a repeated call would show.
import fs from 'node:fs';
import { parseConfig, type Tool } from '../../src/runtime/index.ts';
import { runWorker } from '../../src/worker/worker.ts';

const env = process.env;
const yaml = `
memory: { episodic: "\${env:TEAM_DATABASE}" }
skills: { auto_learn: false }
policy: { rules: [{ effect: allow, tool: append_line }] }
`;
const parsed = parseConfig(yaml, { env, baseDir: env.REIN_HOME! });
const config = { ...parsed, model: { ...parsed.model, provider: 'ollama' as const, name: parsed.model.name || 'qwen3:4b', base_url: env.OLLAMA_URL! } };
const appendLine: Tool = {
  name: 'append_line',
  description: 'Append a line to the shared ledger file',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  capability: 'write',
  source: { kind: 'builtin' },
  run: async (args) => {
    fs.appendFileSync(env.SIDE_EFFECTS!, `${String(args.text)}\n`);
    return 'appended';
  },
};
const stop = new AbortController();
process.on('SIGTERM', () => stop.abort());
await runWorker({
  config,
  maxConcurrent: Number(env.MAX_CONCURRENT ?? 4),
  leaseMs: Number(env.LEASE_MS ?? 1500),
  pollMs: 100,
  tools: [appendLine],
  signal: stop.signal,
  log: (line) => process.stdout.write(`${line}\n`),
});

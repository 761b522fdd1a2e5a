import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { insightsOf } from '../../src/renderer/src/insights.ts';

const base = (runId: string, seq: number) => ({ runId, seq, time: '2026-01-01T00:00:00Z' });
const usage = (p: number, c: number) => ({ promptTokens: p, completionTokens: c });

function run(runId: string, model: string, status: 'completed' | 'failed', extra: Record<string, unknown>[]): RunEvent[] {
  return [
    { ...base(runId, 1), type: 'run.started', goal: 'g', model, provider: 'ollama', tools: [] },
    ...extra.map((e, i) => ({ ...base(runId, i + 2), ...e })),
    { ...base(runId, 99), type: 'run.finished', status, steps: 1, usage: usage(0, 0) },
  ] as RunEvent[];
}

describe('insights', () => {
  it('folds runs and approvals into per-skill, per-tool, per-rule and per-model numbers', () => {
    const skill = { type: 'skill.used', name: 'summarize', how: 'injected', confidence: 0.5 };
    const runs = [
      run('r1', 'qwen3:4b', 'failed', [skill, { type: 'tool.result', step: 1, callId: 'c', name: 'read_file', ok: false, error: 'x', durationMs: 40 }]),
      run('r2', 'qwen3:4b', 'completed', [skill, { type: 'tool.result', step: 1, callId: 'c', name: 'read_file', ok: true, durationMs: 10 }, { type: 'model.completed', step: 1, usage: usage(100, 20), durationMs: 1500, toolCalls: 1 }]),
      run('r3', 'llama3.2', 'completed', [{ type: 'model.completed', step: 1, usage: usage(50, 5), durationMs: 500, toolCalls: 0 }]),
    ];
    const approvals = [{ rule: 'policy.default.write', status: 'allowed' }, { rule: 'policy.default.write', status: 'denied' }, { rule: 'policy.rules[0]', status: 'allowed' }] as const;
    const result = insightsOf(runs, approvals);
    expect(result.runs).toBe(3);
    expect(result.skills).toEqual([{ name: 'summarize', uses: 2, successes: 1, trend: 1 }]);
    expect(result.tools).toEqual([{ name: 'read_file', calls: 2, failures: 1, medianMs: 40, p95Ms: 40 }]);
    expect(result.rules).toEqual([
      { rule: 'policy.default.write', asked: 2, granted: 1, denied: 1, pending: 0 },
      { rule: 'policy.rules[0]', asked: 1, granted: 1, denied: 0, pending: 0 },
    ]);
    expect(result.models).toEqual([
      { model: 'qwen3:4b', runs: 2, promptTokens: 100, completionTokens: 20, modelMs: 1500 },
      { model: 'llama3.2', runs: 1, promptTokens: 50, completionTokens: 5, modelMs: 500 },
    ]);
  });
});

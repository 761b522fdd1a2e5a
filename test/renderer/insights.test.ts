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
    expect(result.skills).toEqual([{ name: 'summarize', uses: 2, successes: 1, trend: 1, good: 0, bad: 0 }]);
    expect(result.tools).toEqual([{ name: 'read_file', calls: 2, failures: 1, denied: 0, medianMs: 40, p95Ms: 40, good: 0, bad: 0 }]);
    expect(result.rules).toEqual([
      { rule: 'policy.default.write', asked: 2, granted: 1, denied: 1, pending: 0 },
      { rule: 'policy.rules[0]', asked: 1, granted: 1, denied: 0, pending: 0 },
    ]);
    expect(result.models).toEqual([
      { model: 'qwen3:4b', runs: 2, promptTokens: 100, completionTokens: 20, modelMs: 1500, good: 0, bad: 0 },
      { model: 'llama3.2', runs: 1, promptTokens: 50, completionTokens: 5, modelMs: 500, good: 0, bad: 0 },
    ]);
  });

  it('counts the user\'s verdicts per skill, tool, model and day; a denied call is not a failure of the tool', () => {
    const skill = { type: 'skill.used', name: 'summarize', how: 'injected', confidence: 0.5 };
    const write = (callId: string, ok: boolean) => ({ type: 'tool.result', step: 1, callId, name: 'write_note', ok, durationMs: ok ? 12 : 0, ...(ok ? {} : { error: 'not approved' }) });
    const runs = [
      run('r1', 'qwen3:4b', 'completed', [skill, { type: 'approval.requested', id: 'a1', step: 1, callId: 'c1', tool: 'write_note', args: {}, rule: 'x', reason: 'y', risk: 'write' }, { type: 'approval.resolved', id: 'a1', decision: 'deny', by: 'user' }, write('c1', false)]),
      run('r2', 'qwen3:4b', 'completed', [skill, write('c2', true)]),
      run('r3', 'llama3.2', 'completed', [{ type: 'policy.denied', step: 1, callId: 'c3', tool: 'write_note', rule: 'r', reason: 'no' }, write('c3', false)]),
    ];
    const result = insightsOf(runs, [], ['good', 'bad', undefined]);
    expect(result.feedback).toEqual({ good: 1, bad: 1 });
    expect(result.skills[0]).toMatchObject({ name: 'summarize', good: 1, bad: 1 });
    expect(result.tools[0]).toMatchObject({ name: 'write_note', calls: 3, failures: 0, denied: 2, medianMs: 12, good: 1, bad: 1 });
    expect(result.models).toEqual([expect.objectContaining({ model: 'qwen3:4b', good: 1, bad: 1 }), expect.objectContaining({ model: 'llama3.2', good: 0, bad: 0 })]);
    expect(result.days).toEqual([{ day: expect.stringMatching(/^2026-01-0[12]$|^2025-12-31$/), runs: 3, good: 1, bad: 1 }]);
  });
});

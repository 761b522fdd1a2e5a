// A skill's approval_threshold_usd as policy rules, decided by the real rule engine.
import { describe, expect, it } from 'vitest';
import { policyRuleSchema } from '../../src/runtime/config/index.ts';
import { thresholdRules } from '../../src/runtime/extensions.ts';
import { decide } from '../../src/runtime/policy/index.ts';
import type { Skill } from '../../src/runtime/skills/index.ts';

const refund: Skill = {
  name: 'refund',
  description: 'Refund an order',
  triggers: [],
  instructions: 'Refund it.',
  required_mcp_tools: ['issue_refund'],
  allowed_tools: [],
  approval_threshold_usd: 100,
  success_count: 0,
  failure_count: 0,
  approved: true,
  file: '/skills/refund.json',
  format: 'json',
  origin: 'user',
};

const allowAll = { read: 'allow', write: 'allow', network: 'allow', execute: 'allow' } as const;

function effectOf(skill: Skill, tool: string, args: Record<string, unknown>): string {
  const rules = thresholdRules(skill).map((input, i) => ({ rule: policyRuleSchema.parse(input), label: `skills.rules[${i}]` }));
  return decide({ tool, capability: 'write', args }, rules, allowAll, () => undefined).effect;
}

describe('skill thresholds as policy rules', () => {
  it('ask for the skill’s tools (plain or server-namespaced) and its run_skill above the amount only', () => {
    expect(effectOf(refund, 'issue_refund', { amount: 150 })).toBe('ask');
    expect(effectOf(refund, 'shop__issue_refund', { amount: '$1,200' })).toBe('ask');
    expect(effectOf(refund, 'issue_refund', { amount: 100 })).toBe('allow');
    expect(effectOf(refund, 'issue_refund', { order: 'A-1' })).toBe('allow');
    expect(effectOf(refund, 'other_tool', { amount: 500 })).toBe('allow');
    expect(effectOf(refund, 'run_skill', { name: 'refund', input: { amount: 500 } })).toBe('ask');
    expect(effectOf(refund, 'run_skill', { name: 'refund', input: { amount: 50 } })).toBe('allow');
    expect(effectOf(refund, 'run_skill', { name: 'other', input: { amount: 500 } })).toBe('allow');
  });

  it('no rules without a threshold or for a skill not approved yet', () => {
    const { approval_threshold_usd: _threshold, ...withoutThreshold } = refund;
    expect(thresholdRules(withoutThreshold)).toEqual([]);
    expect(thresholdRules({ ...refund, approved: false })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { rankSkills, type Skill } from '../../../src/runtime/skills/index.ts';

function skill(name: string, extra: Partial<Skill> = {}): Skill {
  return {
    name,
    description: `${name} things`,
    triggers: [],
    instructions: 'x',
    required_mcp_tools: [],
    allowed_tools: [],
    success_count: 0,
    failure_count: 0,
    approved: true,
    file: `/s/${name}.json`,
    format: 'json',
    origin: 'bundled',
    ...extra,
  };
}

describe('skill retrieval', () => {
  const refund = skill('refund_customer', { triggers: ['refund', 'money back'], description: 'Refund an order' });
  const invoice = skill('invoice_total', { triggers: ['invoice'], description: 'Sum an invoice' });

  it('matches trigger phrases and ranks by relevance, then confidence', () => {
    expect(rankSkills('Please refund order 42', [invoice, refund], { minConfidence: 0.4 }).map((r) => r.skill.name)).toEqual(['refund_customer']);
    const proven = skill('refund_fast', { triggers: ['refund'], success_count: 9, failure_count: 1 });
    const ranked = rankSkills('I want my money back, refund it', [refund, proven], { minConfidence: 0.4 });
    expect(ranked.map((r) => [r.skill.name, r.confidence])).toEqual([['refund_fast', 0.9], ['refund_customer', 0.5]]);
  });

  it('skips skills under min_confidence and unapproved skills', () => {
    const failing = skill('refund_bad', { triggers: ['refund'], success_count: 1, failure_count: 4 });
    const unapproved = skill('refund_new', { triggers: ['refund'], approved: false });
    expect(rankSkills('refund this', [failing, unapproved, refund], { minConfidence: 0.4 }).map((r) => r.skill.name)).toEqual(['refund_customer']);
  });

  it('embedding similarity finds skills whose triggers do not appear in the goal', () => {
    const similarity = new Map([['invoice_total', 0.82], ['refund_customer', 0.1]]);
    const ranked = rankSkills('how much do I owe for these three widgets with VAT?', [refund, invoice], { minConfidence: 0.4, similarity });
    expect(ranked.map((r) => r.skill.name)).toEqual(['invoice_total']);
    expect(ranked[0]!.relevance).toBeCloseTo(0.82);
  });
});

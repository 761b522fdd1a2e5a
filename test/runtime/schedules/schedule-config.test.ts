// Schedule definitions that would be misread are config errors naming the field: a cron with 7 fields (croner would
// take the 7th as a year), a `__proto__` (or constructor/prototype) key in a skill's input, at any depth.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/runtime/index.ts';

const parse = (yaml: string) => parseConfig(yaml, { env: { REIN_HOME: '/tmp/rein-unused' }, baseDir: '/tmp' });

describe('schedule config', () => {
  it('refuses a 7-field cron, names the fields it takes; 5 and 6 fields and nicknames are fine', () => {
    expect(() => parse('schedules:\n  - { name: a, goal: g, cron: "0 0 0 1 1 * 2030" }\n')).toThrow(
      'schedules[0].cron: invalid cron expression "0 0 0 1 1 * 2030": it has 7 fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)',
    );
    expect(() => parse('schedules:\n  - { name: a, goal: g, cron: "0 0" }\n')).toThrow('it has 2 fields');
    for (const cron of ['*/5 * * * *', '30 */5 * * * *', '@daily']) expect(parse(`schedules:\n  - { name: a, goal: g, cron: "${cron}" }\n`).schedules[0]!.cron).toBe(cron);
  });

  it('refuses a __proto__, constructor or prototype key in a skill\'s input (it would be dropped or reach a prototype)', () => {
    expect(() => parse('schedules:\n  - name: a\n    skill: s\n    every: 1h\n    input: { __proto__: { polluted: 1 } }\n')).toThrow('schedules[0].input: input may not use the keys __proto__, constructor or prototype');
    expect(() => parse('schedules:\n  - name: a\n    skill: s\n    every: 1h\n    input: { deep: [ { constructor: { prototype: 1 } } ] }\n')).toThrow('input may not use the keys');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parse('schedules:\n  - name: a\n    skill: s\n    every: 1h\n    input: { amount: 5, to: bob }\n').schedules[0]!.input).toEqual({ amount: 5, to: 'bob' });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/runtime/index.ts';
import { decide, type LabeledRule } from '../../../src/runtime/policy/index.ts';
import type { Capability } from '../../../src/runtime/index.ts';

function policyOf(yaml: string) {
  return parseConfig(yaml, { env: { REIN_HOME: '/tmp/rein-rules' } }).policy;
}

function decideFor(yaml: string, tool: string, args: Record<string, unknown>, capability: Capability = 'write', grant?: string) {
  const policy = policyOf(yaml);
  const rules: LabeledRule[] = policy.rules.map((rule, i) => ({ rule, label: `policy.rules[${i}]` }));
  return decide({ tool, capability, args }, rules, policy.default, () => grant);
}

describe('policy rules', () => {
  it('deny beats ask beats allow, whatever their order in the file', () => {
    const yaml = `policy:
  rules:
    - { effect: allow, tool: "payments__*" }
    - { effect: ask, tool: "payments__transfer" }
    - { effect: deny, tool: "*", when: { "args.to": { eq: "attacker" } }, reason: "known fraud account" }
`;
    expect(decideFor(yaml, 'payments__transfer', { to: 'attacker', amount: 1 })).toEqual({ effect: 'deny', rule: 'policy.rules[2]', reason: 'known fraud account' });
    expect(decideFor(yaml, 'payments__transfer', { to: 'bob', amount: 1 })).toMatchObject({ effect: 'ask', rule: 'policy.rules[1]' });
    expect(decideFor(yaml, 'payments__balance', { to: 'bob' })).toMatchObject({ effect: 'allow', rule: 'policy.rules[0]' });
  });

  it('falls back to the capability default: read allowed, write/network/execute asked, configurable', () => {
    expect(decideFor('', 'fs__read_file', {}, 'read')).toMatchObject({ effect: 'allow', rule: 'policy.default.read' });
    for (const capability of ['write', 'network', 'execute'] as const) {
      expect(decideFor('', 'tool', {}, capability)).toMatchObject({ effect: 'ask', rule: `policy.default.${capability}` });
    }
    expect(decideFor('policy: { default: { execute: deny } }', 'shell', {}, 'execute')).toMatchObject({ effect: 'deny' });
  });

  it('an "always" grant answers an ask but never overrides a deny', () => {
    const yaml = 'policy: { rules: [ { effect: deny, tool: rm }, { effect: ask, tool: pay } ] }';
    expect(decideFor(yaml, 'pay', { a: 1 }, 'write', 'grant_1')).toMatchObject({ effect: 'allow', rule: 'grant grant_1' });
    expect(decideFor(yaml, 'rm', { a: 1 }, 'write', 'grant_1')).toMatchObject({ effect: 'deny' });
  });

  it('thresholds: args.amount > 500 asks, numeric strings included; below it the allow rule applies; unreadable amounts ask', () => {
    const yaml = `policy:
  rules:
    - { effect: allow, tool: "payments__transfer" }
    - { effect: ask, tool: "payments__transfer", when: { "args.amount": { gt: 500 } }, reason: "large transfer" }
`;
    expect(decideFor(yaml, 'payments__transfer', { amount: 10000 })).toMatchObject({ effect: 'ask', reason: 'large transfer' });
    expect(decideFor(yaml, 'payments__transfer', { amount: '$10,000' })).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'payments__transfer', { amount: 500 })).toMatchObject({ effect: 'allow' });
    expect(decideFor(yaml, 'payments__transfer', { amount: 'lots' })).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'payments__transfer', { amount: '12.50' })).toMatchObject({ effect: 'allow' });
    expect(decideFor(yaml, 'payments__transfer', {})).toMatchObject({ effect: 'allow' });
  });

  it('path globs (with .. resolved), command prefixes, URL hosts and nested arguments', () => {
    const yaml = `policy:
  rules:
    - { effect: deny, tool: "fs__*", when: { "args.path": { glob: "/etc/**" } } }
    - { effect: deny, tool: shell, when: { "args.command": { starts_with: ["rm -rf", "sudo "] } } }
    - { effect: allow, tool: http_get, when: { "args.url": { host: ["*.example.com", "example.com"] } } }
    - { effect: allow, tool: pay, when: { "args.payment.currency": { in: [EUR, USD] } } }
`;
    expect(decideFor(yaml, 'fs__write_file', { path: '/etc/passwd' })).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'fs__write_file', { path: '/home/me/../../etc/shadow' })).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'fs__write_file', { path: '/home/me/notes.txt' })).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'shell', { command: '  rm   -rf /' }, 'execute')).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'shell', { command: ['sudo', 'reboot'] }, 'execute')).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'shell', { command: 'ls -la' }, 'execute')).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'http_get', { url: 'https://api.example.com/x' }, 'network')).toMatchObject({ effect: 'allow' });
    expect(decideFor(yaml, 'http_get', { url: 'https://example.com.evil.io/' }, 'network')).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'http_get', { url: 'not a url' }, 'network')).toMatchObject({ effect: 'ask' });
    expect(decideFor(yaml, 'pay', { payment: { currency: 'EUR' } })).toMatchObject({ effect: 'allow' });
    expect(decideFor(yaml, 'pay', { payment: { currency: 'BTC' } })).toMatchObject({ effect: 'ask' });
  });

  it('tool names match case-insensitively: a rule for pay__transfer also covers the server\'s Transfer', () => {
    const yaml = 'policy: { rules: [ { effect: deny, tool: "pay__transfer" }, { effect: allow, tool: "pay__*" } ] }';
    expect(decideFor(yaml, 'pay__Transfer', { amount: 1 })).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'PAY__TRANSFER', { amount: 1 })).toMatchObject({ effect: 'deny' });
    expect(decideFor(yaml, 'pay__balance', {})).toMatchObject({ effect: 'allow' });
  });

  it('rules can be limited to a capability class', () => {
    const yaml = 'policy: { rules: [ { effect: deny, capability: [execute], reason: "no shell here" } ] }';
    expect(decideFor(yaml, 'anything', {}, 'execute')).toMatchObject({ effect: 'deny', reason: 'no shell here' });
    expect(decideFor(yaml, 'anything', {}, 'read')).toMatchObject({ effect: 'allow' });
  });

  it('bad rules are config errors naming the rule index and the line', () => {
    const yaml = `policy:
  rules:
    - { effect: allow, tool: a }
    - { effect: maybe, tool: b }
    - { effect: ask, when: { amount: { gt: 5 } } }
    - { effect: ask, when: { "args.x": { greater: 5 } } }
    - { effect: ask, when: { "args.x": {} } }
`;
    let error: ConfigError | undefined;
    try {
      parseConfig(yaml, { file: '/p/rein.yaml', env: {} });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toContain('rein.yaml:4:');
    expect(error!.message).toContain('policy.rules[1].effect');
    expect(error!.message).toContain('policy.rules[2].when');
    expect(error!.message).toContain('argument predicates are keyed like "args.amount"');
    expect(error!.message).toContain('policy.rules[3].when.args.x.greater: unknown key "greater"');
    expect(error!.message).toContain('a predicate needs at least one operator');
  });
});

// The policy decision for one tool call: deny rules, then saved "always" grants, then ask rules, then allow rules,
// then the default for the tool's capability class.
import type { PolicyConfig, PolicyRule } from '../config/index.ts';
import type { Capability } from '../tools/index.ts';
import { matchesGlob } from './glob.ts';
import { predicatesVerdict } from './predicates.ts';

export type Effect = PolicyRule['effect'];

/** A rule with where it came from, for messages and audit: `policy.rules[2]`, `skill:pay.rules[0]`. */
export interface LabeledRule {
  rule: PolicyRule;
  label: string;
}

export interface Decision {
  effect: Effect;
  /** The rule (or default, or grant) that decided. */
  rule: string;
  reason: string;
}

export interface CallFacts {
  tool: string;
  capability: Capability;
  args: Record<string, unknown>;
  /** Folders relative path arguments resolve against (the tool's server cwd and roots). */
  pathBases?: readonly string[];
}

/**
 * Tool names match case-insensitively (a server may offer both `transfer` and `Transfer`). When the arguments cannot
 * be read for a predicate (verdict `unknown`), deny and ask rules match and allow rules do not: fail closed.
 */
export function ruleMatches(rule: PolicyRule, call: CallFacts): boolean {
  if (!matchesGlob(call.tool, rule.tool, { ignoreCase: true })) return false;
  if (rule.capability !== undefined && !(typeof rule.capability === 'string' ? [rule.capability] : rule.capability).includes(call.capability)) return false;
  const verdict = predicatesVerdict(rule.when, call.args, call.pathBases ? { pathBases: call.pathBases } : {});
  return verdict === 'yes' || (verdict === 'unknown' && rule.effect !== 'allow');
}

export function decide(
  call: CallFacts,
  rules: readonly LabeledRule[],
  defaults: PolicyConfig['default'],
  grantFor: (call: CallFacts) => string | undefined,
): Decision {
  const matching = rules.filter(({ rule }) => ruleMatches(rule, call));
  const first = (effect: Effect) => matching.find(({ rule }) => rule.effect === effect);
  const deny = first('deny');
  if (deny) return fromRule(deny, `${call.tool} is denied by ${deny.label}`);
  const grant = grantFor(call);
  if (grant) return { effect: 'allow', rule: `grant ${grant}`, reason: 'allowed always by an earlier approval' };
  const ask = first('ask');
  if (ask) return fromRule(ask, `${call.tool} needs approval (${ask.label})`);
  const allow = first('allow');
  if (allow) return fromRule(allow, `allowed by ${allow.label}`);
  const effect = defaults[call.capability];
  return { effect, rule: `policy.default.${call.capability}`, reason: `${call.tool} is a ${call.capability} tool (policy.default.${call.capability}: ${effect})` };
}

function fromRule({ rule, label }: LabeledRule, fallback: string): Decision {
  return { effect: rule.effect, rule: label, reason: rule.reason ?? fallback };
}

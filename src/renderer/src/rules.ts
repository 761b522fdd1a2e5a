// Policy rules and risk classes in words: approvals, Insights and Settings name a rule by its `name` (or what it is),
// never by `policy.rules[0]`.

const CLASS_WORDS: Record<string, string> = { read: 'reading', write: 'writing', network: 'network', execute: 'code-running' };

/** A rule label as the runtime reports it (`policy.rules[2]`, `policy.default.write`, a rule's name) in words. */
export function ruleText(label: string): string {
  const byDefault = /^policy\.default\.(\w+)$/.exec(label);
  if (byDefault) return `default for ${CLASS_WORDS[byDefault[1]!] ?? byDefault[1]} tools`;
  if (label === 'policy.notes') return "the agent's own notes";
  const configured = /^policy\.rules\[(\d+)\]$/.exec(label);
  if (configured) return `rule ${Number(configured[1]) + 1} in rein.yaml`;
  if (/^skills\.rules\[\d+\]$/.test(label)) return "a skill's approval threshold";
  return label;
}

/** What a call of this risk class does, for "Rein wants to run X — it …". */
export const RISK_WORDS: Record<string, string> = {
  read: 'reads data',
  write: 'changes files or data',
  network: 'talks to the network',
  execute: 'runs code',
};

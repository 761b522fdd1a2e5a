// The Settings panel's forms as data, and the pure steps between what people type and what the API takes: a draft
// of raw inputs → typed changes (or an inline problem per field), and policy rules ↔ readable condition rows.
import type { PolicyRuleSpec, RulePredicate, SettingChange, SettingKey, SettingValues } from '../../common/index.ts';

export type FieldKind = 'text' | 'number' | 'textarea' | 'select' | 'toggle' | 'lines' | 'choice' | 'secret';

export interface FieldSpec {
  key: SettingKey;
  label: string;
  kind: FieldKind;
  help?: string;
  options?: { value: string; label: string }[];
  placeholder?: string;
  /** Empty input removes the key from rein.yaml (its default applies). */
  optional?: boolean;
  step?: number;
}

export interface SectionSpec {
  id: string;
  title: string;
  intro?: string;
  fields: FieldSpec[];
}

const EFFECTS = [
  { value: 'allow', label: 'Allow' },
  { value: 'ask', label: 'Ask first' },
  { value: 'deny', label: 'Deny' },
];

export const EGRESS_LABELS: Record<SettingValues['policy.model_egress'], string> = {
  local_only: 'Only models on this computer',
  allow_list: 'Listed hosts',
  any: 'Any, including cloud',
};

export const SECTIONS: SectionSpec[] = [
  {
    id: 'model',
    title: 'Model',
    intro: 'The model new conversations use. A conversation can still pick another one in the chat.',
    fields: [
      { key: 'model.provider', label: 'Provider', kind: 'select', options: [
        { value: 'auto', label: 'Automatic (the first local server that answers)' },
        { value: 'ollama', label: 'Ollama' },
        { value: 'openai_compatible', label: 'OpenAI-compatible server (LM Studio, llama.cpp, vLLM, Jan…)' },
        { value: 'embedded', label: 'Built-in engine (runs the model inside Rein)' },
        { value: 'anthropic', label: 'Anthropic (cloud)' },
      ] },
      { key: 'model.name', label: 'Model name', kind: 'text', optional: true, placeholder: "the provider's default", help: 'e.g. qwen3:4b for Ollama, the model id of an OpenAI-compatible server' },
      { key: 'model.base_url', label: 'Server URL', kind: 'text', optional: true, placeholder: 'the usual local address', help: 'e.g. http://127.0.0.1:11434 (Ollama) or http://127.0.0.1:1234/v1 (LM Studio)' },
      { key: 'model.api_key', label: 'API key', kind: 'secret', help: 'Only for servers that ask for one (Anthropic, a shared vLLM or LocalAI). Kept in the OS keychain, never in rein.yaml' },
      { key: 'model.temperature', label: 'Temperature', kind: 'number', step: 0.1, help: '0 is focused and repeatable, 2 is very loose (default 0.2)' },
      { key: 'model.num_ctx', label: 'Context window (tokens)', kind: 'number', optional: true, step: 1024, placeholder: 'automatic', help: 'Empty: what the model server reports it loaded' },
    ],
  },
  {
    id: 'behaviour',
    title: 'Behaviour',
    fields: [
      { key: 'runtime.system_prompt', label: 'System prompt', kind: 'textarea', optional: true, placeholder: "Rein's built-in prompt", help: 'Instructions every run starts with; empty: Rein\'s own' },
      { key: 'runtime.max_steps', label: 'Steps per run at most', kind: 'number', step: 1, help: 'A run stops after this many model turns (default 25)' },
      { key: 'runtime.step_timeout_s', label: 'Model turn timeout (seconds)', kind: 'number', step: 1 },
      { key: 'runtime.tool_timeout_s', label: 'Tool call timeout (seconds)', kind: 'number', step: 1, help: 'Applies after a restart' },
    ],
  },
  {
    id: 'budgets',
    title: 'Budgets',
    intro: 'Hard limits per run, enforced by the harness. Empty: no limit.',
    fields: [
      { key: 'policy.budgets.max_tokens', label: 'Tokens per run', kind: 'number', optional: true, step: 1000, placeholder: 'no limit' },
      { key: 'policy.budgets.max_tool_calls', label: 'Tool calls per run', kind: 'number', optional: true, step: 1, placeholder: 'no limit' },
      { key: 'policy.budgets.max_wall_time_s', label: 'Time per run (seconds)', kind: 'number', optional: true, step: 10, placeholder: 'no limit' },
    ],
  },
  {
    id: 'policy',
    title: 'Approvals',
    intro: 'What happens when no rule below matches, by what a tool does.',
    fields: [
      { key: 'policy.default.read', label: 'Tools that read', kind: 'select', options: EFFECTS },
      { key: 'policy.default.write', label: 'Tools that write', kind: 'select', options: EFFECTS },
      { key: 'policy.default.network', label: 'Tools that use the network', kind: 'select', options: EFFECTS },
      { key: 'policy.default.execute', label: 'Tools that run programs', kind: 'select', options: EFFECTS },
      { key: 'policy.notes', label: "The agent's own notes", kind: 'select', options: [{ value: 'allow', label: 'Allow (each is audited and can be deleted)' }, { value: 'ask', label: 'Ask first' }] },
      { key: 'policy.approval_timeout_s', label: 'Unanswered approvals are denied after (seconds)', kind: 'number', step: 30 },
    ],
  },
  {
    id: 'network',
    title: 'Network and models',
    fields: [
      { key: 'policy.model_egress', label: 'Where models may run', kind: 'choice', options: (Object.entries(EGRESS_LABELS) as [string, string][]).map(([value, label]) => ({ value, label })), help: 'Checked whenever the config is loaded: a model elsewhere is refused' },
      { key: 'policy.allowed_model_hosts', label: 'Hosts a model may be on (one per line)', kind: 'lines', help: 'For "Listed hosts": host or host:port, e.g. gpu-box.lan:11434' },
      { key: 'policy.offline', label: 'Offline mode: no network except the model, MCP servers and the hosts below', kind: 'toggle', help: 'Applies after a restart' },
      { key: 'policy.allow_hosts', label: 'Hosts allowed in offline mode (one per line)', kind: 'lines', help: 'Applies after a restart' },
    ],
  },
  {
    id: 'memory',
    title: 'Memory and knowledge',
    fields: [
      { key: 'memory.embed_model', label: 'Embedding model', kind: 'text', help: 'For recall by meaning (an Ollama embedding model, e.g. nomic-embed-text); applies after a restart' },
      { key: 'memory.recall_limit', label: 'Notes recalled per run', kind: 'number', step: 1, help: 'Applies after a restart' },
      { key: 'knowledge.enabled', label: 'Search my documents (knowledge)', kind: 'toggle', help: 'Applies after a restart' },
    ],
  },
];

export const FIELD_LABELS: Partial<Record<string, string>> = Object.fromEntries(SECTIONS.flatMap((s) => s.fields.map((f) => [f.key, f.label])));

/** Where a key comes from, in words, for the (always empty) key input. */
export function keyPlaceholder(reference: string | null): string {
  if (!reference) return 'none — paste a key to keep it in the keychain';
  const stored = /^keychain:(.+)$/.exec(reference);
  if (stored) return `stored in the keychain as "${stored[1]!}" — paste a new key to replace it`;
  const env = /^\$\{env:(.+)\}$/.exec(reference);
  if (env) return `from the environment variable ${env[1]!} — paste a key to keep one in the keychain instead`;
  return reference;
}

/** What an input shows for a value (numbers and lists as text). */
export function inputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

export type Draft = Partial<Record<SettingKey, string | boolean>>;

/** The draft's changed fields as API changes, or the fields whose input is not a value at all. */
export function changesOf(fields: readonly FieldSpec[], draft: Draft, values: SettingValues): { changes: SettingChange[]; problems: Record<string, string> } {
  const changes: SettingChange[] = [];
  const problems: Record<string, string> = {};
  for (const field of fields) {
    if (!(field.key in draft)) continue;
    const raw = draft[field.key]!;
    if (field.kind === 'secret') {
      if (String(raw).trim()) changes.push({ secret: 'model.api_key', value: String(raw) });
      continue;
    }
    let value: unknown;
    if (field.kind === 'toggle') value = raw === true;
    else if (field.kind === 'lines') value = String(raw).split('\n').map((l) => l.trim()).filter(Boolean);
    else if (field.kind === 'number') {
      const text = String(raw).trim();
      if (!text) {
        if (!field.optional) {
          problems[field.key] = 'enter a number';
          continue;
        }
        value = null;
      } else if (!Number.isFinite(Number(text))) {
        problems[field.key] = `"${text}" is not a number`;
        continue;
      } else value = Number(text);
    } else {
      const text = String(raw);
      value = field.optional && !text.trim() ? null : text;
    }
    if (JSON.stringify(value) === JSON.stringify(values[field.key])) continue;
    changes.push({ key: field.key, value: value as SettingValues[SettingKey] });
  }
  return { changes, problems };
}

// ── policy rules ──

export const OPERATORS = [
  { op: 'eq', label: 'is' },
  { op: 'ne', label: 'is not' },
  { op: 'gt', label: '>' },
  { op: 'gte', label: '≥' },
  { op: 'lt', label: '<' },
  { op: 'lte', label: '≤' },
  { op: 'contains', label: 'contains' },
  { op: 'starts_with', label: 'starts with' },
  { op: 'glob', label: 'matches' },
  { op: 'host', label: 'is on host' },
  { op: 'in', label: 'is one of' },
  { op: 'not_in', label: 'is none of' },
  { op: 'exists', label: 'is given' },
] as const;
export type Operator = (typeof OPERATORS)[number]['op'];

/** One condition as a row: `args.amount` `>` `100`. */
export interface ConditionRow {
  arg: string;
  op: Operator;
  value: string;
}

const NUMERIC = new Set<string>(['gt', 'gte', 'lt', 'lte']);
const LISTS = new Set<string>(['in', 'not_in']);

export function conditionRows(when: Record<string, RulePredicate> | undefined): ConditionRow[] {
  return Object.entries(when ?? {}).flatMap(([path, predicate]) =>
    Object.entries(predicate).map(([op, value]) => ({ arg: path.replace(/^args\./, ''), op: op as Operator, value: Array.isArray(value) ? value.join(', ') : String(value) })),
  );
}

function scalar(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return t;
}

/** Rows back to rein.yaml's `when`, or the first row that is not complete. */
export function whenOf(rows: readonly ConditionRow[]): { when?: Record<string, RulePredicate>; problem?: string } {
  const when: Record<string, Record<string, unknown>> = {};
  for (const [i, row] of rows.entries()) {
    const arg = row.arg.trim().replace(/^args\./, '');
    if (!arg) return { problem: `condition ${i + 1}: name the argument, e.g. amount or path` };
    if (row.op !== 'exists' && !row.value.trim()) return { problem: `condition ${i + 1}: give a value to compare ${arg} with` };
    let value: unknown;
    if (row.op === 'exists') value = row.value.trim() !== 'false';
    else if (NUMERIC.has(row.op)) {
      if (!Number.isFinite(Number(row.value))) return { problem: `condition ${i + 1}: "${row.value}" is not a number` };
      value = Number(row.value);
    } else if (LISTS.has(row.op)) value = row.value.split(',').map(scalar);
    else if (row.op === 'eq' || row.op === 'ne') value = scalar(row.value);
    else {
      const parts = row.value.split(',').map((p) => p.trim()).filter(Boolean);
      value = row.op === 'contains' || parts.length === 1 ? (row.op === 'contains' ? row.value : parts[0]) : parts;
    }
    when[`args.${arg}`] = { ...when[`args.${arg}`], [row.op]: value };
  }
  return Object.keys(when).length ? { when } : {};
}

/** A rule's condition in words: "amount > 100 and path matches ~/Documents/**". */
export function conditionText(when: Record<string, RulePredicate> | undefined): string {
  const rows = conditionRows(when);
  if (!rows.length) return 'always';
  return rows.map((r) => (r.op === 'exists' ? `${r.arg} ${r.value === 'false' ? 'is not given' : 'is given'}` : `${r.arg} ${OPERATORS.find((o) => o.op === r.op)?.label ?? r.op} ${r.value}`)).join(' and ');
}

/** Which calls a rule is about: "fs__write_file", "payments__* (write tools)". */
export function appliesToText(rule: Pick<PolicyRuleSpec, 'tool' | 'capability'>): string {
  const tools = [rule.tool].flat().join(', ');
  const kinds = rule.capability ? [rule.capability].flat().join(' or ') : '';
  if (tools === '*') return kinds ? `every ${kinds} tool` : 'every tool';
  return kinds ? `${tools} (${kinds} tools)` : tools;
}

export const EFFECT_LABELS: Record<string, string> = { allow: 'Allow', ask: 'Ask first', deny: 'Deny' };

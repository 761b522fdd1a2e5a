// The Settings panel's view of the config and its writes: changes are applied to the config file's YAML document
// (comments, order and every other key kept), the result is validated like a config load, and only then written.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { PolicyRuleSpec, PolicyRuleView, SettingChange, SettingIssue, SettingKey, SettingValues } from '../../common/index.ts';
import { ConfigError } from './errors.ts';
import { parseConfig, type ReinConfig } from './load.ts';
import { forgetUnusedKey, modelKeyReference, stageModelKey, type StagedKey } from './settings-key.ts';
import { writableConfigFile } from './write.ts';
import { plainMessage } from './issue-text.ts';

/** The settings as the runtime runs with them now (defaults filled in). */
export function settingValues(config: ReinConfig): SettingValues {
  const { model, runtime, policy, memory, knowledge } = config;
  return {
    'model.provider': model.provider,
    'model.name': model.name,
    'model.base_url': model.base_url,
    'model.api_key': modelKeyReference(config),
    'model.temperature': model.temperature,
    'model.num_ctx': model.num_ctx ?? null,
    'runtime.system_prompt': runtime.system_prompt ?? null,
    'runtime.max_steps': runtime.max_steps,
    'runtime.step_timeout_s': runtime.step_timeout_s,
    'runtime.tool_timeout_s': runtime.tool_timeout_s,
    'policy.default.read': policy.default.read,
    'policy.default.write': policy.default.write,
    'policy.default.network': policy.default.network,
    'policy.default.execute': policy.default.execute,
    'policy.notes': policy.notes,
    'policy.approval_timeout_s': policy.approval_timeout_s,
    'policy.budgets.max_tokens': policy.budgets.max_tokens ?? null,
    'policy.budgets.max_tool_calls': policy.budgets.max_tool_calls ?? null,
    'policy.budgets.max_wall_time_s': policy.budgets.max_wall_time_s ?? null,
    'policy.offline': policy.offline,
    'policy.allow_hosts': policy.allow_hosts,
    'policy.model_egress': policy.model_egress,
    'policy.allowed_model_hosts': policy.allowed_model_hosts,
    'memory.embed_model': memory.embed_model,
    'memory.recall_limit': memory.recall_limit,
    'knowledge.enabled': knowledge.enabled,
  };
}

/** The configured policy rules with the label approvals and the audit log use for each. */
export function policyRuleViews(config: ReinConfig): PolicyRuleView[] {
  return config.policy.rules.map((rule, index) => ({
    index,
    label: policyRuleLabel(rule, index),
    effect: rule.effect,
    tool: rule.tool,
    ...(rule.name ? { name: rule.name } : {}),
    ...(rule.capability ? { capability: rule.capability } : {}),
    ...(rule.when ? { when: rule.when as PolicyRuleSpec['when'] } : {}),
    ...(rule.reason ? { reason: rule.reason } : {}),
  }));
}

/** How a configured rule is named where it decided something: its `name`, else its place in the file. */
export function policyRuleLabel(rule: { name?: string | undefined }, index: number): string {
  return rule.name ?? `policy.rules[${index}]`;
}

/** Settings the running runtime cannot change under its feet: saved now, used after a restart. */
export const RESTART_KEYS: readonly SettingKey[] = ['memory.embed_model', 'memory.recall_limit', 'knowledge.enabled', 'policy.offline', 'policy.allow_hosts', 'runtime.tool_timeout_s'];

export type SettingsSave = { ok: true; config: ReinConfig; file: string } | { ok: false; issues: SettingIssue[] };

/**
 * Applies `changes` to the writable config file and validates the result as a config load would (schema, model
 * egress, machine policy). Nothing is written when anything is wrong; the issues name the setting.
 */
export function saveSettings(config: ReinConfig, changes: readonly SettingChange[], env: NodeJS.ProcessEnv = process.env): SettingsSave {
  const file = writableConfigFile(config);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const document = parseDocument(text);
  if (document.errors.length > 0) return { ok: false, issues: [{ key: '', message: `${file} cannot be updated: ${document.errors[0]!.message}` }] };
  const previousKey = document.getIn(['model', 'api_key']);
  const problems = changes.flatMap((change) => ('secret' in change ? [] : apply(document, change)));
  if (problems.length) return { ok: false, issues: problems };
  // A typed key goes to the keychain first (the load below reads it from there) and back out if the save is refused.
  const staged: StagedKey[] = changes.flatMap((change) => ('secret' in change ? [stageModelKey(document, change.value, env)] : []));
  const undo = () => { staged.forEach((s) => { s.undo(); }); };
  const keyIssues = staged.flatMap((s) => s.issues);
  if (keyIssues.length) return undo(), { ok: false, issues: keyIssues };
  const next = document.toString();
  let parsed: ReinConfig;
  try {
    parsed = parseConfig(next, { file, env: { ...env, REIN_HOME: config.dataDir }, baseDir: path.dirname(file) });
  } catch (error) {
    undo();
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, issues: error.issues.map((issue) => ({ key: issue.path, message: plainMessage(issue.message) })) };
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, next, { mode: fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : 0o600 });
  fs.renameSync(temp, file);
  if (document.getIn(['model', 'api_key']) === undefined) forgetUnusedKey(previousKey, next, env);
  // What the runtime resolved beyond the file stays as it was (the trusted project, the bundled skills folder).
  return { ok: true, file, config: { ...parsed, skills: config.skills, ...(config.project ? { project: config.project } : {}) } };
}

const RULES = ['policy', 'rules'];

function apply(document: Document, change: Exclude<SettingChange, { secret: string }>): SettingIssue[] {
  if ('key' in change) {
    const keyPath = change.key.split('.');
    const unset = change.value === null || (change.key === 'model.provider' && change.value === 'auto') || (typeof change.value === 'string' && change.value.trim() === '' && change.key !== 'runtime.system_prompt');
    if (unset) document.deleteIn(keyPath);
    else document.setIn(keyPath, typeof change.value === 'string' ? change.value.trim() || change.value : change.value);
    // base_url replaces its old name
    if (change.key === 'model.base_url' && !unset) document.deleteIn(['model', 'host']);
    prune(document, keyPath.slice(0, -1));
    return [];
  }
  const rules = document.getIn(RULES);
  const count = isSeq(rules) ? rules.items.length : 0;
  if (change.rule !== 'add' && change.index >= count) return [{ key: `policy.rules[${change.index}]`, message: `there is no rule ${change.index + 1} (the file has ${count}); reload the settings` }];
  switch (change.rule) {
    case 'add':
      if (!isSeq(rules)) document.setIn(RULES, document.createNode([ruleNode(change.value)]));
      else rules.add(document.createNode(ruleNode(change.value)));
      return [];
    case 'set':
      document.setIn([...RULES, change.index], document.createNode(ruleNode(change.value)));
      return [];
    case 'remove':
      document.deleteIn([...RULES, change.index]);
      if (count === 1) document.deleteIn(RULES);
      prune(document, ['policy']);
      return [];
    case 'move': {
      if (change.to >= count) return [{ key: `policy.rules[${change.index}]`, message: `cannot move the rule to position ${change.to + 1} of ${count}` }];
      const items = (rules as { items: unknown[] }).items;
      const [moved] = items.splice(change.index, 1);
      items.splice(change.to, 0, moved);
      return [];
    }
  }
}

/** A rule with the keys in the order people read it, and nothing empty. */
function ruleNode(rule: PolicyRuleSpec): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['name', typeof rule.name === 'string' ? rule.name.trim() : rule.name],
    ['tool', rule.tool],
    ['capability', rule.capability],
    ['when', rule.when && Object.keys(rule.when).length ? rule.when : undefined],
    ['effect', rule.effect],
    ['reason', typeof rule.reason === 'string' ? rule.reason.trim() : rule.reason],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined && value !== ''));
}

/** Removes mappings a deletion left empty (`model: {}`), up to the top. */
function prune(document: Document, keyPath: string[]): void {
  for (let depth = keyPath.length; depth > 0; depth--) {
    const at = keyPath.slice(0, depth);
    const node = document.getIn(at, true);
    if (isMap(node) && node.items.length === 0 && !node.commentBefore && !node.comment) document.deleteIn(at);
    else return;
  }
}

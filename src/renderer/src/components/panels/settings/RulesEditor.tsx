// Policy rules as readable rows (name, which calls, condition, effect, reason) with add, edit, move and delete; each
// change is one write of that rule into rein.yaml (the other rules and their comments stay untouched).
import { useState } from 'react';
import type { PolicyEffect, PolicyRuleSpec, PolicyRuleView, RuntimeApi, SettingChange, SettingsView, ToolRisk } from '../../../../../common/index.ts';
import { errorText } from '../../../client.ts';
import { EFFECT_LABELS, OPERATORS, appliesToText, conditionRows, conditionText, whenOf, type ConditionRow, type Operator } from '../../../settings-form.ts';

interface Props {
  client: RuntimeApi;
  settings: SettingsView;
  onSaved: (settings: SettingsView) => void;
}

type Editing = { index: number | 'new'; rule: RuleDraft };

interface RuleDraft {
  name: string;
  tool: string;
  capability: ToolRisk | '';
  effect: PolicyEffect;
  reason: string;
  conditions: ConditionRow[];
}

const EMPTY: RuleDraft = { name: '', tool: '', capability: '', effect: 'ask', reason: '', conditions: [] };

function draftOf(rule: PolicyRuleView): RuleDraft {
  return {
    name: rule.name ?? '',
    tool: [rule.tool].flat().join(', '),
    capability: (Array.isArray(rule.capability) ? rule.capability[0] : rule.capability) ?? '',
    effect: rule.effect,
    reason: rule.reason ?? '',
    conditions: conditionRows(rule.when),
  };
}

export function RulesEditor({ client, settings, onSaved }: Props) {
  const [editing, setEditing] = useState<Editing>();
  const [problem, setProblem] = useState<{ field?: string; message: string }>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();

  const apply = (change: SettingChange, done?: () => void) => {
    setError(undefined);
    setStatus(undefined);
    client.config.updateSettings([change]).then(
      (result) => {
        if (!result.ok) {
          const issue = result.issues[0]!;
          const field = /^policy\.rules\[\d+\]\.(\w+)/.exec(issue.key)?.[1];
          if (editing) setProblem({ ...(field ? { field } : {}), message: issue.message });
          else setError(`${issue.key}: ${issue.message}`);
          return;
        }
        setProblem(undefined);
        onSaved(result.settings);
        setStatus('Saved.');
        done?.();
      },
      (err: unknown) => { setError(errorText(err)); },
    );
  };

  const save = () => {
    if (!editing) return;
    const { rule } = editing;
    const tools = rule.tool.split(',').map((t) => t.trim()).filter(Boolean);
    if (!tools.length) {
      setProblem({ field: 'tool', message: 'name the tool (a name, or a pattern such as fs__* or * for every tool)' });
      return;
    }
    const when = whenOf(rule.conditions);
    if (when.problem) {
      setProblem({ field: 'when', message: when.problem });
      return;
    }
    const spec: PolicyRuleSpec = {
      ...(rule.name.trim() ? { name: rule.name.trim() } : {}),
      tool: tools.length === 1 ? tools[0]! : tools,
      ...(rule.capability ? { capability: rule.capability } : {}),
      ...(when.when ? { when: when.when } : {}),
      effect: rule.effect,
      ...(rule.reason.trim() ? { reason: rule.reason.trim() } : {}),
    };
    apply(editing.index === 'new' ? { rule: 'add', value: spec } : { rule: 'set', index: editing.index, value: spec }, () => { setEditing(undefined); });
  };

  return (
    <section className="settings-section" id="settings-rules" aria-labelledby="settings-rules-title">
      <h3 id="settings-rules-title">Policy rules</h3>
      <p className="muted small section-intro">Checked before every tool call, before the defaults above. A matching <strong>Deny</strong> wins, then <strong>Ask first</strong>, then <strong>Allow</strong>.</p>
      {settings.rules.length === 0 ? <p className="muted">No rules yet: the defaults above decide.</p> : (
        <div className="table-wrap">
          <table className="stats rules-table" aria-label="Policy rules">
            <thead><tr><th scope="col">Rule</th><th scope="col">Applies to</th><th scope="col">When</th><th scope="col">Effect</th><th scope="col">Reason</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {settings.rules.map((rule) => (
                <tr key={rule.index} aria-label={`Rule ${rule.name ?? rule.index + 1}`}>
                  <th scope="row">{rule.name ?? <span className="muted">Rule {rule.index + 1}</span>}</th>
                  <td><code>{appliesToText(rule)}</code></td>
                  <td>{conditionText(rule.when)}</td>
                  <td><span className={`effect effect-${rule.effect}`}>{EFFECT_LABELS[rule.effect]}</span></td>
                  <td>{rule.reason ?? <span className="muted">—</span>}</td>
                  <td className="rule-actions">
                    <button type="button" className="ghost-button" aria-label={`Edit rule ${rule.name ?? rule.index + 1}`} onClick={() => { setProblem(undefined); setEditing({ index: rule.index, rule: draftOf(rule) }); }}>Edit</button>
                    <button type="button" className="ghost-button" aria-label={`Move rule ${rule.name ?? rule.index + 1} up`} disabled={rule.index === 0} onClick={() => { apply({ rule: 'move', index: rule.index, to: rule.index - 1 }); }}>↑</button>
                    <button type="button" className="ghost-button" aria-label={`Move rule ${rule.name ?? rule.index + 1} down`} disabled={rule.index === settings.rules.length - 1} onClick={() => { apply({ rule: 'move', index: rule.index, to: rule.index + 1 }); }}>↓</button>
                    <button type="button" className="ghost-button danger-text" aria-label={`Delete rule ${rule.name ?? rule.index + 1}`} onClick={() => { apply({ rule: 'remove', index: rule.index }); }}>Delete</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <RuleForm
          draft={editing.rule}
          isNew={editing.index === 'new'}
          problem={problem}
          onChange={(rule) => { setEditing({ ...editing, rule }); }}
          onSave={save}
          onCancel={() => { setEditing(undefined); setProblem(undefined); }}
        />
      ) : (
        <div className="row">
          <button type="button" className="button" onClick={() => { setStatus(undefined); setProblem(undefined); setEditing({ index: 'new', rule: EMPTY }); }}>Add a rule</button>
          {status && <span className="muted small" role="status">{status}</span>}
        </div>
      )}
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

function RuleForm({ draft, isNew, problem, onChange, onSave, onCancel }: {
  draft: RuleDraft;
  isNew: boolean;
  problem: { field?: string; message: string } | undefined;
  onChange: (rule: RuleDraft) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const set = (patch: Partial<RuleDraft>) => { onChange({ ...draft, ...patch }); };
  const setCondition = (i: number, patch: Partial<ConditionRow>) => { set({ conditions: draft.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) }); };
  const errorOf = (field: string) => (problem && (problem.field === field || (!problem.field && field === 'form')) ? problem.message : undefined);
  const invalid = (field: string) => (errorOf(field) ? { 'aria-invalid': true, 'aria-describedby': `rule-${field}-error` } : {});
  const fieldError = (field: string) => errorOf(field) && <p id={`rule-${field}-error`} className="field-error" role="alert">{errorOf(field)}</p>;
  return (
    <form className="rule-form card" aria-label={isNew ? 'New rule' : 'Edit rule'} onSubmit={(e) => { e.preventDefault(); onSave(); }} noValidate>
      <div className="rule-grid">
        <div className="setting">
          <label htmlFor="rule-name" className="field-label">Name</label>
          <input id="rule-name" className="text-input" placeholder="e.g. Ask before big payments" value={draft.name} {...invalid('name')} onChange={(e) => { set({ name: e.target.value }); }} />
          {fieldError('name')}
        </div>
        <div className="setting">
          <label htmlFor="rule-tool" className="field-label">Tool</label>
          <input id="rule-tool" className="text-input" placeholder="fs__write_file, payments__*, *" value={draft.tool} {...invalid('tool')} onChange={(e) => { set({ tool: e.target.value }); }} />
          {fieldError('tool')}
        </div>
        <div className="setting">
          <label htmlFor="rule-capability" className="field-label">Only tools that</label>
          <select id="rule-capability" value={draft.capability} {...invalid('capability')} onChange={(e) => { set({ capability: e.target.value as ToolRisk | '' }); }}>
            <option value="">(any kind)</option>
            <option value="read">read</option>
            <option value="write">write</option>
            <option value="network">use the network</option>
            <option value="execute">run programs</option>
          </select>
        </div>
        <div className="setting">
          <label htmlFor="rule-effect" className="field-label">Effect</label>
          <select id="rule-effect" value={draft.effect} {...invalid('effect')} onChange={(e) => { set({ effect: e.target.value as PolicyEffect }); }}>
            <option value="ask">Ask first</option>
            <option value="deny">Deny</option>
            <option value="allow">Allow</option>
          </select>
          {fieldError('effect')}
        </div>
      </div>
      <fieldset className="setting conditions" aria-describedby={errorOf('when') ? 'rule-when-error' : undefined}>
        <legend className="field-label">When the call’s arguments… (all must hold)</legend>
        {draft.conditions.length === 0 && <p className="muted small">Always (no condition).</p>}
        {draft.conditions.map((c, i) => (
          <div key={i} className="row condition-row">
            <input aria-label={`Condition ${i + 1} argument`} className="text-input" placeholder="amount" value={c.arg} onChange={(e) => { setCondition(i, { arg: e.target.value }); }} />
            <select aria-label={`Condition ${i + 1} test`} value={c.op} onChange={(e) => { setCondition(i, { op: e.target.value as Operator }); }}>
              {OPERATORS.map((o) => <option key={o.op} value={o.op}>{o.label}</option>)}
            </select>
            {c.op !== 'exists' && <input aria-label={`Condition ${i + 1} value`} className="text-input" placeholder={c.op === 'glob' ? '~/Documents/**' : c.op === 'in' || c.op === 'not_in' ? 'a, b, c' : '100'} value={c.value} onChange={(e) => { setCondition(i, { value: e.target.value }); }} />}
            <button type="button" className="ghost-button" aria-label={`Remove condition ${i + 1}`} onClick={() => { set({ conditions: draft.conditions.filter((_, j) => j !== i) }); }}>Remove</button>
          </div>
        ))}
        <button type="button" className="link-button small" onClick={() => { set({ conditions: [...draft.conditions, { arg: '', op: 'gt', value: '' }] }); }}>Add a condition</button>
        {fieldError('when')}
      </fieldset>
      <div className="setting">
        <label htmlFor="rule-reason" className="field-label">Reason</label>
        <input id="rule-reason" className="text-input" placeholder="shown when it asks, or told to the model when it denies" value={draft.reason} {...invalid('reason')} onChange={(e) => { set({ reason: e.target.value }); }} />
        {fieldError('reason')}
      </div>
      {problem && !['name', 'tool', 'effect', 'when', 'reason'].includes(problem.field ?? '') && <p className="field-error" role="alert">{problem.message}</p>}
      <div className="row">
        <button type="submit" className="button primary">{isNew ? 'Add rule' : 'Save rule'}</button>
        <button type="button" className="button ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

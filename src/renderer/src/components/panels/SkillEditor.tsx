import { useEffect, useState } from 'react';
import type { RuntimeApi, SkillDocument, ValidationIssue } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { CodeEditor } from '../common/CodeEditor.tsx';
import { LoadView } from '../common/LoadView.tsx';
import { Time } from '../common/Time.tsx';

interface Props {
  client: RuntimeApi;
  name: string;
  onSaved: () => void;
  /** Whether the text differs from the saved skill (the panel asks before leaving unsaved edits). */
  onDirty: (dirty: boolean) => void;
}

/** The skill's one file (JSON document or SKILL.md) as text; save validates (issues by line inline) and reloads it live. */
export function SkillEditor({ client, name, onSaved, onDirty }: Props) {
  const [doc, reloadDoc] = useLoad(() => client.skills.get(name), [client, name]);
  const [history, reloadHistory] = useLoad(() => client.skills.history(name), [client, name]);
  const [saved, setSaved] = useState<string>();
  const reload = (message: string) => {
    setSaved(message);
    reloadDoc();
    reloadHistory();
  };
  return (
    <LoadView load={doc}>
      {(skill) => (
        <div>
          <Editor key={skill.version} client={client} skill={skill} onDirty={onDirty} onSaved={(version) => { reload(`Saved v${version}; live now.`); onSaved(); }} />
          {saved && <p className="muted" role="status">{saved}</p>}
          <h3>History</h3>
          <LoadView load={history}>
            {(versions) => (
              <ul className="plain">
                {versions.map((v) => (
                  <li key={v.version} className="row">
                    <span>v{v.version} · <Time iso={v.savedAt} /> · {v.source === 'agent' ? 'learned by Rein' : 'saved by you'}</span>
                    {v.version !== skill.version && (
                      <button type="button" className="link-button" onClick={() => void client.skills.rollback(name, v.version).then((doc) => { reload(`Rolled back to v${v.version} (now v${doc.version}).`); })}>
                        Roll back to v{v.version}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </LoadView>
        </div>
      )}
    </LoadView>
  );
}

function Editor({ client, skill, onSaved, onDirty }: { client: RuntimeApi; skill: SkillDocument; onSaved: (version: number) => void; onDirty: (dirty: boolean) => void }) {
  const [text, setText] = useState(skill.text);
  const dirty = text !== skill.text;
  useEffect(() => {
    onDirty(dirty);
    if (!dirty) return;
    // Closing or reloading the window with unsaved edits asks first.
    const warn = (event: BeforeUnloadEvent) => { event.preventDefault(); };
    window.addEventListener('beforeunload', warn);
    return () => { window.removeEventListener('beforeunload', warn); };
  }, [dirty, onDirty]);
  const [issues, setIssues] = useState<ValidationIssue[]>([]);
  const [error, setError] = useState<string>();
  const save = () => {
    client.skills.save({ name: skill.name, format: skill.format, text }).then(
      (result) => {
        if (result.ok) onSaved(result.skill.version);
        else setIssues(result.issues);
      },
      (err: unknown) => { setError(errorText(err)); },
    );
  };
  const label = skill.format === 'json' ? 'Skill (JSON)' : 'SKILL.md';
  return (
    <div className="skill-editor">
      <p className="muted">{skill.description} · triggers: {skill.triggers.join(', ') || '—'} · v{skill.version}{skill.approved ? '' : ' · not approved yet'}</p>
      <p className="muted small">{skill.file}{skill.origin === 'bundled' ? ' (bundled, read-only: saving makes your own copy)' : ''}</p>
      <p className="field-label" id="skill-text-label">{label}</p>
      <CodeEditor value={text} language={skill.format === 'json' ? 'json' : 'markdown'} label={label} problems={issues.flatMap((i) => (i.line ? [{ line: i.line, message: `${i.path ? `${i.path}: ` : ''}${i.message}` }] : []))} onChange={(next) => { setText(next); if (issues.length) setIssues([]); }} />
      {issues.length > 0 && (
        <ul className="issues" role="alert" aria-label="Validation errors">
          {issues.map((issue, i) => <li key={i}>{issue.file}{issue.line ? `:${issue.line}` : ''}{issue.path ? ` ${issue.path}` : ''}: {issue.message}</li>)}
        </ul>
      )}
      <div className="row">
        <button type="button" className="button primary" onClick={save}>Save</button>
        {dirty && <span className="muted small" role="status">Unsaved changes</span>}
      </div>
      {error && <p className="error-line" role="alert">{error}</p>}
    </div>
  );
}

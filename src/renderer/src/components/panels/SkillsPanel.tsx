import { useState } from 'react';
import type { RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { SkillEditor } from './SkillEditor.tsx';

/** What a skill's score means, on hover. */
function scoreHelp(confidence: number, successes: number, failures: number): string {
  const runs = successes + failures;
  if (!runs) return 'No run has used this skill yet. Its confidence starts at 50% and then follows how the runs that use it end, and your thumbs on their answers.';
  return `Confidence ${Math.round(confidence * 100)}%: ${successes} good and ${failures} bad outcome${runs === 1 ? '' : 's'}. Each run that used the skill counts (completed: good; failed or stopped: bad), and so does each thumbs up or down on its answers.`;
}

export function SkillsPanel({ client }: { client: RuntimeApi }) {
  const [query, setQuery] = useState('');
  const [skills, reload] = useLoad(() => client.skills.list(query || undefined), [client, query]);
  const [selected, select] = useState<string>();
  const [dirty, setDirty] = useState(false);
  const [leaving, setLeaving] = useState<string>();
  /** Switching away from unsaved edits asks first instead of dropping them. */
  const setSelected = (name: string) => {
    if (dirty && name !== selected) setLeaving(name);
    else select(name);
  };
  const [newName, setNewName] = useState('');
  const [newDescription, setNewDescription] = useState('');
  const [error, setError] = useState<string>();
  const [config] = useLoad(() => client.config.get(), [client]);
  const create = () => {
    client.skills.create(newName.trim(), newDescription.trim()).then(
      (skill) => { setSelected(skill.name); setNewName(''); setNewDescription(''); reload(); },
      (err: unknown) => { setError(errorText(err)); },
    );
  };
  return (
    <section className="panel" aria-label="Skills">
      <h2>Skills</h2>
      <LoadView load={skills}>
        {(list) => (
          <div className="split">
            <div className="split-list">
              <input aria-label="Search skills" className="text-input" placeholder="Search…" value={query} onChange={(e) => { setQuery(e.target.value); }} />
              {list.length === 0 && !query && (
                <div className="empty-state" role="status">
                  <p className="empty-title">No skills found</p>
                  <p className="muted small">
                    Bundled skills are read from <code>skills.registry</code> (default <code>./skills</code>), which is relative to the config file
                    {config.state === 'ready' ? <> in use: <code>{config.data.file ?? 'none — Rein runs with defaults, so ./skills is relative to the folder it was started in'}</code></> : ''}. Your own
                    skills live in the data dir{config.state === 'ready' ? <> (<code>{config.data.dataDir}</code>)</> : ''}. Create one below.
                  </p>
                </div>
              )}
              <ul className="plain">
                {list.map((skill) => (
                  <li key={skill.name}>
                    <button type="button" className="session" aria-current={selected === skill.name ? 'true' : undefined} onClick={() => { setSelected(skill.name); }}>
                      <span className="session-goal">{skill.name}</span>
                      <span className="muted small" title={scoreHelp(skill.confidence, skill.successes, skill.failures)}>
                        {skill.successes + skill.failures === 0 ? 'not used yet' : `${Math.round(skill.confidence * 100)}% good (${skill.successes} of ${skill.successes + skill.failures})`}
                        {skill.origin === 'bundled' ? ' · bundled' : ''}{skill.approved ? '' : ' · needs approval'}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <div className="row">
                <input aria-label="New skill name" className="text-input" placeholder="new-skill" value={newName} onChange={(e) => { setNewName(e.target.value); }} />
                <input aria-label="New skill description" className="text-input" placeholder="what it does" value={newDescription} onChange={(e) => { setNewDescription(e.target.value); }} />
                <button type="button" className="button" disabled={!newName.trim() || !newDescription.trim()} onClick={create}>Create</button>
              </div>
            </div>
            <div className="split-main">
              {leaving && (
                <div className="unsaved-prompt" role="alertdialog" aria-label="Unsaved changes">
                  <span>{selected} has unsaved changes.</span>
                  <button type="button" className="button danger" onClick={() => { setDirty(false); select(leaving); setLeaving(undefined); }}>Discard and open {leaving}</button>
                  <button type="button" className="button" onClick={() => { setLeaving(undefined); }}>Keep editing</button>
                </div>
              )}
              {selected ? <SkillEditor key={selected} client={client} name={selected} onSaved={reload} onDirty={setDirty} /> : <p className="muted">Pick a skill to view and edit it.</p>}
            </div>
          </div>
        )}
      </LoadView>
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

// Settings: the rein.yaml people would otherwise edit by hand, as forms. Each section saves on its own; the runtime
// validates like a config load and writes the file with its comments kept, or names the field that is wrong.
import { useEffect, useState } from 'react';
import type { RuntimeApi, SettingChange, SettingIssue, SettingKey, SettingsView } from '../../../../../common/index.ts';
import { errorText } from '../../../client.ts';
import { FIELD_LABELS, SECTIONS, changesOf, keyPlaceholder, type Draft, type SectionSpec } from '../../../settings-form.ts';
import { useLoad } from '../../../use-load.ts';
import { LoadView } from '../../common/LoadView.tsx';
import { CopyButton } from '../../common/CopyButton.tsx';
import { RulesEditor } from './RulesEditor.tsx';
import { SettingField } from './SettingField.tsx';

interface Props {
  client: RuntimeApi;
  /** Scroll to this section once loaded (a new object each time it is asked for). */
  section?: { id: string } | undefined;
  /** Opens another panel (Knowledge, to manage sources). */
  onOpenPanel: (panel: 'knowledge') => void;
  /** After a save that changed the model. */
  onModelChanged: () => void;
}

export function SettingsPanel({ client, section, onOpenPanel, onModelChanged }: Props) {
  const [loaded, reload] = useLoad(() => client.config.settings(), [client]);
  const [fresh, setFresh] = useState<SettingsView>();
  useEffect(() => {
    if (!section || loaded.state !== 'ready') return;
    const target = document.getElementById(`settings-${section.id}`);
    target?.scrollIntoView({ block: 'start' });
    target?.querySelector<HTMLElement>('input, select, textarea, button')?.focus({ preventScroll: true });
  }, [section, loaded.state]);
  return (
    <section className="panel settings" aria-label="Settings">
      <h2>Settings</h2>
      <LoadView load={loaded}>
        {(initial) => {
          const settings = fresh ?? initial;
          const saved = (next: SettingsView, modelChanged: boolean) => {
            setFresh(next);
            if (modelChanged) onModelChanged();
          };
          return (
            <>
              <p className="muted settings-file">
                Saved to <code>{settings.writableFile}</code>{settings.file ? '' : ' (created on the first save)'} — comments and everything else in the file stay as they are.
              </p>
              {settings.restartNeeded.length > 0 && (
                <p className="notice notice-warn" role="status">
                  Saved, used after Rein restarts: {settings.restartNeeded.map((k) => FIELD_LABELS[k] ?? k).join(', ')}.
                </p>
              )}
              <nav className="settings-index" aria-label="Settings sections">
                {[...SECTIONS.slice(0, 4), { id: 'rules', title: 'Policy rules' }, ...SECTIONS.slice(4), { id: 'data', title: 'Data' }].map((s) => (
                  <a key={s.id} href={`#settings-${s.id}`} onClick={(e) => { e.preventDefault(); document.getElementById(`settings-${s.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' }); }}>{s.title}</a>
                ))}
              </nav>
              {SECTIONS.slice(0, 4).map((section) => <SettingsSection key={section.id} client={client} section={section} settings={settings} onSaved={saved} />)}
              <RulesEditor client={client} settings={settings} onSaved={(next) => { saved(next, false); }} />
              {SECTIONS.slice(4).map((section) => (
                <SettingsSection key={section.id} client={client} section={section} settings={settings} onSaved={saved}>
                  {section.id === 'memory' && (
                    <div className="setting">
                      <span className="field-label">Knowledge folders in rein.yaml</span>
                      {settings.knowledgePaths.length ? <ul className="plain path-list">{settings.knowledgePaths.map((p) => <li key={p}><code>{p}</code></li>)}</ul> : <p className="muted small">None; folders added in the app are listed under Knowledge.</p>}
                      <button type="button" className="link-button" onClick={() => { onOpenPanel('knowledge'); }}>Manage documents and folders in Knowledge</button>
                    </div>
                  )}
                </SettingsSection>
              ))}
              <section className="settings-section" id="settings-data" aria-labelledby="settings-data-title">
                <h3 id="settings-data-title">Data</h3>
                <div className="setting">
                  <span className="field-label">Data folder</span>
                  <div className="row">
                    <code className="path">{settings.dataDir}</code>
                    <CopyButton text={settings.dataDir} label="Copy path" />
                    {window.reinDesktop && <button type="button" className="button" onClick={() => void window.reinDesktop!.openDataFolder()}>Open folder</button>}
                  </div>
                  <p className="field-help">Memory, traces, approvals and uploaded documents live here. It is chosen with REIN_HOME before Rein starts, so it is not editable here.</p>
                </div>
              </section>
              <button type="button" className="link-button small" onClick={() => { setFresh(undefined); reload(); }}>Reload from the file</button>
            </>
          );
        }}
      </LoadView>
    </section>
  );
}

function SettingsSection({ client, section, settings, onSaved, children }: {
  client: RuntimeApi;
  section: SectionSpec;
  settings: SettingsView;
  onSaved: (settings: SettingsView, modelChanged: boolean) => void;
  children?: React.ReactNode;
}) {
  const [draft, setDraft] = useState<Draft>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const dirty = Object.keys(draft).length > 0;
  const forced = new Set(settings.machinePolicy?.forced ?? []);
  const lockedBy = (key: SettingKey) => (forced.has(key.replace(/^policy\./, '')) || forced.has(key) ? `set by your organisation (${settings.machinePolicy!.file})` : undefined);

  const save = () => {
    setStatus(undefined);
    setError(undefined);
    const { changes, problems } = changesOf(section.fields, draft, settings.values);
    setIssues(problems);
    if (Object.keys(problems).length) {
      focusField(Object.keys(problems)[0]!);
      return;
    }
    if (!changes.length) {
      setDraft({});
      setStatus('Nothing changed.');
      return;
    }
    send(changes);
  };
  const send = (changes: SettingChange[]) => {
    setSaving(true);
    client.config.updateSettings(changes).then(
      (result) => {
        if (!result.ok) {
          const byField = issuesByField(result.issues, section);
          setIssues(byField.fields);
          setError(byField.other);
          const first = Object.keys(byField.fields)[0];
          if (first) focusField(first);
          return;
        }
        setDraft({});
        setIssues({});
        setStatus('Saved.');
        onSaved(result.settings, changes.some((c) => 'secret' in c || ('key' in c && c.key.startsWith('model.'))));
      },
      (err: unknown) => { setError(errorText(err)); },
    ).finally(() => { setSaving(false); });
  };

  return (
    <section className="settings-section" id={`settings-${section.id}`} aria-labelledby={`settings-${section.id}-title`}>
      <h3 id={`settings-${section.id}-title`}>{section.title}</h3>
      {section.intro && <p className="muted small section-intro">{section.intro}</p>}
      <form className="settings-form" onSubmit={(e) => { e.preventDefault(); save(); }} noValidate>
        {section.fields.map((field) => {
          // A key is never shown: its input starts empty and says where the stored one comes from.
          const secret = field.kind === 'secret';
          const reference = secret ? (settings.values[field.key] as string | null) : null;
          return (
            <SettingField
              key={field.key}
              field={secret ? { ...field, placeholder: keyPlaceholder(reference) } : field}
              value={field.key in draft ? draft[field.key] : secret ? '' : settings.values[field.key]}
              error={issues[field.key]}
              locked={lockedBy(field.key)}
              onChange={(value) => { setDraft((d) => ({ ...d, [field.key]: value })); setStatus(undefined); }}
              onRemove={reference?.startsWith('keychain:') && !saving ? () => { send([{ key: field.key, value: null }]); } : undefined}
            />
          );
        })}
        {children}
        <div className="row">
          <button type="submit" className="button primary" disabled={!dirty || saving}>Save {section.title.toLowerCase()}</button>
          {dirty && <button type="button" className="button ghost" onClick={() => { setDraft({}); setIssues({}); setError(undefined); }}>Discard changes</button>}
          {status && <span className="muted small" role="status">{status}</span>}
        </div>
        {error && <p className="error-line" role="alert">{error}</p>}
      </form>
    </section>
  );
}

/** The runtime's issues on this section's fields (`model.temperature`), and the rest as one message. */
export function issuesByField(issues: readonly SettingIssue[], section: Pick<SectionSpec, 'fields'>): { fields: Record<string, string>; other?: string } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues) {
    const field = section.fields.find((f) => issue.key === f.key || issue.key.startsWith(`${f.key}.`) || issue.key.startsWith(`${f.key}[`));
    if (field) fields[field.key] ??= issue.message;
    else other.push(issue.key ? `${issue.key}: ${issue.message}` : issue.message);
  }
  return other.length ? { fields, other: other.join('\n') } : { fields };
}

function focusField(key: string): void {
  requestAnimationFrame(() => {
    const element = document.querySelector<HTMLElement>(`[data-setting="${key}"]`) ?? document.querySelector<HTMLElement>(`input[name="${key}"]`);
    element?.scrollIntoView({ block: 'center' });
    element?.focus();
  });
}

import { useEffect, useState } from 'react';
import type { RuntimeApi, ScheduleDefinition, ScheduleSlot, ScheduleView } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';

interface Props {
  client: RuntimeApi;
}

const TONE: Record<ScheduleSlot['status'], string> = { finished: 'good', failed: 'bad', missed: 'warn', stopped: 'warn', started: 'pending', due: 'pending' };

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';
}

/** Schedules the host runs unattended, what each slot did (the ledger), and a form to add one. */
export function SchedulesPanel({ client }: Props) {
  const [schedules, reload] = useLoad(() => client.schedules.list(), [client]);
  const [history, reloadHistory] = useLoad(() => client.schedules.history(undefined, 30), [client]);
  const [error, setError] = useState<string>();
  const refresh = () => { reload(); reloadHistory(); };
  // The ledger changes as slots start and end: follow the host's schedule events.
  useEffect(() => client.onEvent((event) => { if (event.type === 'schedule.run') { reload(); reloadHistory(); } }), [client, reload, reloadHistory]);
  const act = (call: () => Promise<unknown>): Promise<boolean> => {
    setError(undefined);
    return call().then(() => { refresh(); return true; }, (err: unknown) => { setError(errorText(err)); return false; });
  };
  return (
    <section className="panel" aria-label="Schedules">
      <h2>Schedules</h2>
      <p className="muted small">Runs the host starts on its own — also while the window is closed. Missed slots (sleep, host down) follow each schedule’s catch-up policy and are listed below, never dropped silently.</p>
      <LoadView load={schedules}>
        {(list) => list.length === 0 ? <p className="muted">No schedules yet. Add one below or under <code>schedules:</code> in rein.yaml.</p> : (
          <ul className="cards">
            {list.map((s) => <ScheduleCard key={s.name} schedule={s} onAct={act} client={client} />)}
          </ul>
        )}
      </LoadView>
      <AddSchedule onAdd={(definition) => act(() => client.schedules.add(definition))} />
      <h3>Ledger</h3>
      <LoadView load={history}>
        {(slots) => slots.length === 0 ? <p className="muted">No slot has come yet.</p> : (
          <div className="table-wrap"><table className="stats" aria-label="Schedule ledger">
            <thead><tr><th>Slot</th><th>Schedule</th><th>Status</th><th>Why</th></tr></thead>
            <tbody>
              {slots.map((slot) => (
                <tr key={slot.id}>
                  <td>{when(slot.dueAt)}</td>
                  <td>{slot.schedule}</td>
                  <td><span className={`badge badge-${TONE[slot.status]}`}>{slot.status}</span>{slot.trigger !== 'slot' ? <span className="muted small"> · {slot.trigger.replace('_', '-')}</span> : null}</td>
                  <td className="small">{slot.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table></div>
        )}
      </LoadView>
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

function ScheduleCard({ schedule: s, onAct, client }: { schedule: ScheduleView; onAct: (call: () => Promise<unknown>) => Promise<boolean>; client: RuntimeApi }) {
  const state = s.runningRunId ? 'running' : s.paused ? 'paused' : s.enabled ? 'active' : 'disabled';
  return (
    <li className="card" aria-label={`Schedule ${s.name}`}>
      <div className="row">
        <strong>{s.name}</strong>
        <span className={`badge badge-${state === 'active' ? 'good' : state === 'running' ? 'pending' : 'warn'}`}>{state}</span>
        <span className="muted small">{s.when}{s.source === 'config' ? ' · rein.yaml' : ''}</span>
      </div>
      <p>{s.definition.goal ?? `skill ${s.definition.skill ?? ''}`}</p>
      <p className="muted small">
        {s.nextAt ? `next ${when(s.nextAt)}` : 'no next slot'}
        {s.last ? ` · last ${s.last.status}${s.last.reason ? ` (${s.last.reason})` : ''}` : ' · never ran'}
        {` · catch-up ${s.definition.catch_up ?? 'run_once'} · overlap ${s.definition.overlap ?? 'skip'} · approvals ${s.definition.approvals ?? 'wait'}`}
      </p>
      <div className="row">
        <button type="button" className="button primary" onClick={() => { void onAct(() => client.schedules.runNow(s.name)); }}>Run now</button>
        <button type="button" className="button" onClick={() => { void onAct(() => (s.paused ? client.schedules.resume(s.name) : client.schedules.pause(s.name))); }}>{s.paused ? 'Resume' : 'Pause'}</button>
        {s.source === 'added' && <button type="button" className="button danger" onClick={() => { void onAct(() => client.schedules.remove(s.name)); }}>Remove</button>}
      </div>
    </li>
  );
}

function AddSchedule({ onAdd }: { onAdd: (definition: ScheduleDefinition) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [goal, setGoal] = useState('');
  const [kind, setKind] = useState<'cron' | 'every'>('cron');
  const [timing, setTiming] = useState('0 7 * * 1-5');
  const [catchUp, setCatchUp] = useState<'skip' | 'run_once' | 'run_all'>('run_once');
  const [approvals, setApprovals] = useState<'wait' | 'deny'>('wait');
  return (
    <form className="card schedule-form" aria-label="Add a schedule" onSubmit={(e) => {
      e.preventDefault();
      void onAdd({ name: name.trim(), goal: goal.trim(), [kind]: timing.trim(), catch_up: catchUp, approvals }).then((added) => {
        if (!added) return;
        setName('');
        setGoal('');
      });
    }}>
      <h3>Add a schedule</h3>
      <label className="field"><span className="field-label">Name</span><input className="text-input" required value={name} onChange={(e) => { setName(e.target.value); }} placeholder="morning-digest" /></label>
      <label className="field"><span className="field-label">Goal</span><input className="text-input" required value={goal} onChange={(e) => { setGoal(e.target.value); }} placeholder="Summarise yesterday’s tickets" /></label>
      <div className="row schedule-timing">
        <label>When <select value={kind} onChange={(e) => { const next = e.target.value as 'cron' | 'every'; setKind(next); setTiming(next === 'cron' ? '0 7 * * 1-5' : '15m'); }}>
          <option value="cron">cron</option><option value="every">every</option>
        </select></label>
        <input className="text-input" aria-label={kind === 'cron' ? 'Cron expression' : 'Interval'} value={timing} onChange={(e) => { setTiming(e.target.value); }} />
        <label>Catch-up <select value={catchUp} onChange={(e) => { setCatchUp(e.target.value as typeof catchUp); }}>
          <option value="skip">skip</option><option value="run_once">run once</option><option value="run_all">run all</option>
        </select></label>
        <label>Approvals <select value={approvals} onChange={(e) => { setApprovals(e.target.value as typeof approvals); }}>
          <option value="wait">wait for me</option><option value="deny">deny</option>
        </select></label>
      </div>
      <button type="submit" className="button primary">Add schedule</button>
    </form>
  );
}

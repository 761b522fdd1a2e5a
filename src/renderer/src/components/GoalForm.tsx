import { useState, type KeyboardEvent, type SyntheticEvent } from 'react';

interface Props {
  busy: boolean;
  canStop: boolean;
  onRun: (goal: string) => void;
  onStop: () => void;
}

export function GoalForm({ busy, canStop, onRun, onStop }: Props) {
  const [goal, setGoal] = useState('');
  const ready = goal.trim().length > 0 && !busy;

  const submit = (event?: SyntheticEvent) => {
    event?.preventDefault();
    if (ready) onRun(goal.trim());
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  };

  return (
    <form className="goal-form" onSubmit={submit}>
      <label htmlFor="goal" className="goal-label">
        Goal
      </label>
      <textarea
        id="goal"
        className="goal-input"
        rows={3}
        placeholder="What should the agent do? (Ctrl+Enter to run)"
        value={goal}
        onChange={(event) => { setGoal(event.target.value); }}
        onKeyDown={onKeyDown}
      />
      <div className="goal-actions">
        <button type="submit" className="button primary" disabled={!ready}>
          Run
        </button>
        <button type="button" className="button" disabled={!canStop} onClick={onStop}>
          Stop
        </button>
      </div>
    </form>
  );
}

// The user's verdicts on runs (thumbs in the chat, `rein feedback`), in <dataDir>/feedback.json by run id: kept for
// every run, whether or not it used a skill, so Insights can show them per skill, tool, model and over time.
import fs from 'node:fs';
import path from 'node:path';
import type { FeedbackVerdict, RunFeedback } from '../../common/index.ts';

export class FeedbackStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'feedback.json');
  }

  all(): Record<string, RunFeedback> {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { runs?: Record<string, RunFeedback> };
      return parsed.runs ?? {};
    } catch {
      return {}; // none yet (an unreadable file loses verdicts only, never a run)
    }
  }

  /** Records (or replaces) the verdict on one run. */
  record(runId: string, verdict: FeedbackVerdict, reason?: string): RunFeedback {
    const feedback: RunFeedback = { verdict, at: new Date().toISOString(), ...(reason?.trim() ? { reason: reason.trim() } : {}) };
    const runs = { ...this.all(), [runId]: feedback };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify({ runs }, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file);
    return feedback;
  }
}

/** Something that scores the skills a run used (the skill library); throws when the run used none. */
export interface SkillScorer {
  feedback(runId: string, verdict: FeedbackVerdict): Promise<string[]>;
}

/** Records the verdict, then scores the run's skills if it used any; returns the verdict and the skills scored. */
export async function recordFeedback(dataDir: string, skills: SkillScorer | undefined, runId: string, verdict: FeedbackVerdict, reason?: string): Promise<{ feedback: RunFeedback; skills: string[] }> {
  const feedback = new FeedbackStore(dataDir).record(runId, verdict, reason);
  let scored: string[] = [];
  try {
    scored = (await skills?.feedback(runId, verdict)) ?? [];
  } catch {
    // the run used no skill: the verdict is recorded all the same
  }
  return { feedback, skills: scored };
}

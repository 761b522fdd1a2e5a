// What the desktop tells the user about unattended work (the text of its native notifications).
import { describe, expect, it, vi } from 'vitest';
import { scheduleNotice } from '../../src/main/notifications.ts';

vi.mock('electron', () => import('../support/electron-stand-in/index.ts'));

const base = { type: 'schedule.run' as const, time: '2026-11-30T07:00:00Z', schedule: 'digest', slotId: 'slot_1' };

describe('schedule notifications', () => {
  it('tell finished, failed, missed and waiting runs apart, with the reason; a start is silent', () => {
    expect(scheduleNotice({ ...base, status: 'finished' })).toEqual({ title: 'Rein: digest finished', body: 'The scheduled run finished.' });
    expect(scheduleNotice({ ...base, status: 'failed', reason: 'Ollama is not reachable' })).toEqual({ title: 'Rein: digest failed', body: 'Ollama is not reachable' });
    expect(scheduleNotice({ ...base, status: 'missed', reason: 'asleep: not caught up (catch_up: skip)' })?.title).toBe('Rein: digest missed a slot');
    expect(scheduleNotice({ ...base, status: 'waiting_approval', reason: 'approval needed: pay__transfer' })).toEqual({ title: 'Rein: digest needs your approval', body: 'approval needed: pay__transfer' });
    expect(scheduleNotice({ ...base, status: 'started' })).toBeUndefined();
  });
});

// Native notifications for unattended work: a scheduled run finished, failed, missed its slot, or waits for an
// approval. Clicking one opens the window.
import { Notification } from 'electron';
import type { ApiEvent, ScheduleRunEvent } from '../common/index.ts';

export interface Notice {
  title: string;
  body: string;
}

/** What to tell the user about a schedule event, or nothing (a run that merely started). */
export function scheduleNotice(event: ScheduleRunEvent): Notice | undefined {
  const why = event.reason ?? '';
  switch (event.status) {
    case 'finished':
      return { title: `Rein: ${event.schedule} finished`, body: why || 'The scheduled run finished.' };
    case 'failed':
      return { title: `Rein: ${event.schedule} failed`, body: why || 'The scheduled run failed.' };
    case 'stopped':
      return { title: `Rein: ${event.schedule} stopped`, body: why || 'The scheduled run was stopped.' };
    case 'missed':
      return { title: `Rein: ${event.schedule} missed a slot`, body: why };
    case 'waiting_approval':
      return { title: `Rein: ${event.schedule} needs your approval`, body: why || 'Open Rein to allow or deny.' };
    default:
      return undefined;
  }
}

/** Shows a notification for each schedule event of the host; returns the unsubscribe function. */
export function notifySchedules(onEvent: (listener: (event: ApiEvent) => void) => () => void, open: () => void): () => void {
  return onEvent((event) => {
    if (event.type !== 'schedule.run' || !Notification.isSupported()) return;
    const notice = scheduleNotice(event);
    if (!notice) return;
    const notification = new Notification({ title: notice.title, body: notice.body.slice(0, 300) });
    notification.on('click', open);
    notification.show();
  });
}

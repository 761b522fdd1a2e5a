// The skill run records contract (which skills a run used, and the user's verdict), files and PostgreSQL alike.
import { describe, expect, it } from 'vitest';
import { runRecords } from '../../../src/runtime/skills/run-records.ts';
import { backends } from './backends.ts';

describe.each(backends())('skill run records contract: $name', (backend) => {
  it.skipIf(backend.skip)('writes, replaces and reads records; an unknown run has none', async () => {
    const place = await backend.fresh();
    const config = { dataDir: place.dataDir, memory: place.url ? { episodic: place.url } : {} };
    const records = runRecords(config);
    await records.write({ runId: 'run_1', time: '2026-01-01T00:00:00.000Z', skills: ['refund', 'notes'], succeeded: true });
    await records.write({ runId: 'run_2', time: '2026-01-01T00:00:01.000Z', skills: ['x'], succeeded: false });
    await records.write({ runId: 'run_1', time: '2026-01-01T00:00:00.000Z', skills: ['refund', 'notes'], succeeded: true, feedback: 'bad' });
    const again = runRecords(config); // another process (`rein feedback`)
    expect(await again.read('run_1')).toEqual({ runId: 'run_1', time: '2026-01-01T00:00:00.000Z', skills: ['refund', 'notes'], succeeded: true, feedback: 'bad' });
    expect(await again.read('run_2')).toMatchObject({ skills: ['x'], succeeded: false });
    expect(await again.read('run_3')).toBeUndefined();
  });
});

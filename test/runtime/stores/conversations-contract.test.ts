// The conversation store contract (titles, removals), SQLite data dir file and PostgreSQL alike.
import { describe, expect, it } from 'vitest';
import { conversationStore } from '../../../src/runtime/api/conversation-store.ts';
import { backends } from './backends.ts';

describe.each(backends())('conversation store contract: $name', (backend) => {
  it.skipIf(backend.skip)('keeps titles, clears one with an empty title, and removes conversations for good', async () => {
    const place = await backend.fresh();
    const config = { dataDir: place.dataDir, secrets: [], memory: place.url ? { episodic: place.url } : {} };
    const store = await conversationStore(config);
    await store.rename('run_a', '  Trip planning ');
    await store.rename('run_b', 'Taxes');
    await store.rename('run_b', 'Taxes 2026');
    expect(await store.titles()).toEqual({ run_a: 'Trip planning', run_b: 'Taxes 2026' });
    await store.rename('run_a', '   ');
    expect(await store.titles()).toEqual({ run_b: 'Taxes 2026' });
    await store.remove('run_b');
    await store.remove('run_b');
    await store.remove('run_c');
    expect(await store.titles()).toEqual({});
    expect(await (await conversationStore(config)).removed()).toEqual(new Set(['run_b', 'run_c']));
  });
});

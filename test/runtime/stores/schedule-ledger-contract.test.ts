// The schedule ledger contract, SQLite data dir and PostgreSQL alike: slots decided under the schedule's lock are
// recorded once however many hosts decide at the same time; a slot is claimed by exactly one claimer, only when it
// is its schedule's turn; a claim holds under a lease its holder renews, and is taken over (to be resumed) when the
// lease runs out, at most max attempts times.
import { describe, expect, it } from 'vitest';
import { openScheduleLedger, type ScheduleLedger } from '../../../src/runtime/index.ts';
import { scheduleSchema } from '../../../src/runtime/config/index.ts';
import { backends, type Backend } from './backends.ts';

const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);
const daily = scheduleSchema.parse({ name: 'daily', goal: 'write the digest', every: '1h' });

async function open(backend: Backend): Promise<{ ledger: ScheduleLedger; another: () => Promise<ScheduleLedger> }> {
  const place = await backend.fresh();
  const config = { dataDir: place.dataDir, secrets: [], memory: place.url ? { episodic: place.url } : {} };
  return { ledger: await openScheduleLedger(config), another: () => openScheduleLedger(config) };
}

/** The slots of an hourly schedule up to `now`, as a host's tick decides them from the stored progress. */
const hourly = (name: string, now: number) => (stored: { lastSlot: number } | undefined) => {
  const last = stored?.lastSlot ?? T0;
  const slots = [];
  for (let at = last + 3_600_000; at <= now; at += 3_600_000) slots.push({ schedule: name, dueAt: at, status: 'due' as const, trigger: 'slot' as const, definition: daily });
  return { state: { name, anchor: T0, lastSlot: Math.max(last, now), paused: false }, slots };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(backends())('schedule ledger contract: $name', (backend) => {
  it.skipIf(backend.skip)('records slots, progress and added schedules; another process sees them; a slot is missed only while due', async () => {
    const { ledger, another } = await open(backend);
    expect(ledger.shared).toBe(backend.name === 'postgres');
    const created = await ledger.advance('daily', hourly('daily', T0 + 3 * 3_600_000));
    expect(created.map((s) => s.dueAt)).toEqual([1, 2, 3].map((h) => T0 + h * 3_600_000));
    expect(await ledger.advance('daily', () => undefined)).toEqual([]);
    const other = await another();
    expect(await other.state('daily')).toEqual({ name: 'daily', anchor: T0, lastSlot: T0 + 3 * 3_600_000, paused: false });
    expect((await other.open('daily')).map((s) => s.id)).toEqual(created.map((s) => s.id));
    expect((await other.history('daily', 2)).map((s) => s.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(await other.miss(created[0]!.id, 'covered', T0)).toBe(true);
    expect(await ledger.miss(created[0]!.id, 'again', T0)).toBe(false); // not due any more
    expect(await ledger.get(created[0]!.id)).toMatchObject({ status: 'missed', reason: 'covered', endedAt: T0, attempts: 0 });
    await ledger.update(created[1]!.id, { reason: 'note' });
    expect(await other.get(created[1]!.id)).toMatchObject({ status: 'due', reason: 'note' });
    await ledger.saveState({ name: 'daily', anchor: T0, lastSlot: T0, paused: true });
    expect((await other.state('daily'))?.paused).toBe(true);

    await ledger.add(daily, T0);
    expect(await other.added()).toEqual([daily]);
    await expect(other.add(daily, T0)).rejects.toThrow();
    expect(await other.remove('daily')).toBe(true);
    expect(await ledger.remove('daily')).toBe(false);
    expect(await ledger.added()).toEqual([]);
    expect(await ledger.state('daily')).toBeUndefined();
    expect(await ledger.history('daily', 10)).toHaveLength(3); // the entries stay as history
    await Promise.all([ledger.close(), other.close()]);
  });

  it.skipIf(backend.skip)('hosts deciding the same schedule at once record each slot once; a doubled slot is refused', async () => {
    const { ledger, another } = await open(backend);
    const hosts = [ledger, await another(), await another()];
    const now = T0 + 5 * 3_600_000;
    await Promise.all(hosts.flatMap((host) => [host.advance('daily', hourly('daily', now)), host.advance('daily', hourly('daily', now))]));
    expect((await ledger.history('daily', 100)).map((s) => s.dueAt).sort()).toEqual([1, 2, 3, 4, 5].map((h) => T0 + h * 3_600_000));
    await expect(ledger.insert({ schedule: 'daily', dueAt: T0 + 3_600_000, status: 'due', trigger: 'slot' })).rejects.toThrow();
    const manual = await ledger.insert({ schedule: 'daily', dueAt: T0 + 3_600_000, status: 'due', trigger: 'manual' });
    expect(manual.trigger).toBe('manual');
    await Promise.all(hosts.map((h) => h.close()));
  });

  it.skipIf(backend.skip)('each slot is claimed by exactly one claimer, in its schedule\'s turn, with a run id and what it runs', async () => {
    const { ledger, another } = await open(backend);
    for (const name of ['a', 'b', 'c']) await ledger.advance(name, hourly(name, T0 + 2 * 3_600_000));
    const claimers = [ledger, await another()];
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => claimers[i % 2]!.claim(`worker-${i}`, { leaseMs: 30_000 })));
    const got = claims.filter((c) => c !== undefined);
    // One slot per schedule at a time, never one twice (a claimer that met a locked schedule comes back later).
    expect(new Set(got.map((c) => c.slot.schedule)).size).toBe(got.length);
    for (let i = 0; got.length < 3 && i < 10; i++) {
      const more = await claimers[i % 2]!.claim(`late-${i}`, { leaseMs: 30_000 });
      if (more) got.push(more);
    }
    // The first slot of a, b and c; never the second while the first runs.
    expect(got.map((c) => c.slot.schedule).sort()).toEqual(['a', 'b', 'c']);
    for (const claim of got) {
      expect(claim).toMatchObject({ takeover: false, definition: daily, slot: { status: 'started', attempts: 1, dueAt: T0 + 3_600_000 } });
      expect(claim.slot.runId).toMatch(/^run/);
      expect(claim.slot.leaseUntil).toBeGreaterThan(Date.now());
    }
    expect(new Set(got.map((c) => c.slot.id)).size).toBe(3);
    expect(await ledger.claim('late', { leaseMs: 30_000 })).toBeUndefined();
    const a = got.find((c) => c.slot.schedule === 'a')!;
    expect(await ledger.end(a.slot.id, 'someone else', { status: 'finished', endedAt: T0 })).toBe(false);
    expect(await claimers[1]!.end(a.slot.id, a.slot.holder!, { status: 'finished', reason: 'done', endedAt: T0 })).toBe(true);
    const next = await ledger.claim('w2', { leaseMs: 30_000, schedule: 'a', runId: 'run_fixed', at: T0 + 7 })!;
    expect(next).toMatchObject({ takeover: false, slot: { schedule: 'a', dueAt: T0 + 2 * 3_600_000, runId: 'run_fixed', startedAt: T0 + 7, holder: 'w2' } });
    expect(await ledger.get(a.slot.id)).toMatchObject({ status: 'finished', reason: 'done', endedAt: T0 });
    await Promise.all(claimers.map((c) => c.close()));
  });

  it.skipIf(backend.skip)('a lease renewed holds; one that ran out is taken over (resumed), at most max attempts; a released slot at once', async () => {
    const { ledger, another } = await open(backend);
    await ledger.advance('daily', hourly('daily', T0 + 3_600_000));
    const first = (await ledger.claim('w1', { leaseMs: 300 }))!;
    expect(await ledger.renew(first.slot.id, 'w1', 300)).toBe(true);
    expect(await ledger.renew(first.slot.id, 'w2', 300)).toBe(false);
    const other = await another();
    expect(await other.claim('w2', { leaseMs: 300 })).toBeUndefined(); // held
    await sleep(450);
    const taken = (await other.claim('w2', { leaseMs: 300 }))!;
    expect(taken).toMatchObject({ takeover: true, definition: daily, slot: { id: first.slot.id, runId: first.slot.runId, holder: 'w2', attempts: 2, status: 'started' } });
    expect(await ledger.renew(first.slot.id, 'w1', 300)).toBe(false); // w1 stalled: it must stop its run
    expect(await ledger.end(first.slot.id, 'w1', { status: 'finished', endedAt: T0 })).toBe(false);
    await other.release(first.slot.id, 'w2');
    const third = (await ledger.claim('w3', { leaseMs: 300 }))!;
    expect(third).toMatchObject({ takeover: true, slot: { holder: 'w3', attempts: 3 } });
    await sleep(450);
    expect(await other.claim('w4', { leaseMs: 300, at: T0 + 9 })).toBeUndefined(); // out of attempts: failed, not claimed
    expect(await ledger.get(first.slot.id)).toMatchObject({ status: 'failed', reason: expect.stringContaining('gave up after 3 attempts'), endedAt: T0 + 9 });
    await Promise.all([ledger.close(), other.close()]);
  });

  it.skipIf(backend.skip)('a host starting again takes back its own started slots (or, on its data dir, every one); workers say they are up', async () => {
    const { ledger } = await open(backend);
    for (const name of ['a', 'b']) await ledger.advance(name, hourly(name, T0 + 3_600_000));
    const a = (await ledger.claim('host one', { leaseMs: 30_000, schedule: 'a' }))!;
    const b = (await ledger.claim('worker two', { leaseMs: 30_000, schedule: 'b' }))!;
    expect((await ledger.adopt('host one', 30_000, 'own')).map((s) => s.id)).toEqual([a.slot.id]);
    expect(await ledger.get(a.slot.id)).toMatchObject({ holder: 'host one', attempts: 2 });
    expect(await ledger.get(b.slot.id)).toMatchObject({ holder: 'worker two', attempts: 1 });
    expect((await ledger.adopt('host three', 30_000, 'all')).map((s) => s.id).sort()).toEqual([a.slot.id, b.slot.id].sort());
    expect(await ledger.renew(b.slot.id, 'worker two', 30_000)).toBe(false);

    await ledger.present('w1');
    await ledger.present('w2');
    await ledger.present('w1');
    expect(await ledger.workers(60_000)).toEqual(['w1', 'w2']);
    await ledger.absent('w2');
    expect(await ledger.workers(60_000)).toEqual(['w1']);
    await sleep(300);
    expect(await ledger.workers(100)).toEqual([]);
    await ledger.close();
  });
});

// The team workload: two machines' worth of workers (separate processes) take 50 queued runs from PostgreSQL. Every
// run executes exactly once; a worker killed with SIGKILL mid-run has its run finished by the other worker from its
// checkpoint with no repeated side effect; the audit chain verifies with entries written by both workers. Then
// schedule slots: a host (the real scheduler, in this process) decides which slots are due and runs none itself;
// the workers claim them; a worker killed mid-slot has the slot taken over and its run resumed by another worker;
// every slot runs exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/runtime/audit/index.ts';
import { scheduleSchema } from '../../src/runtime/config/index.ts';
import { Scheduler, openScheduleLedger, type RunPort } from '../../src/runtime/index.ts';
import { PgMemoryStore } from '../../src/runtime/memory/postgres/pg-memory-store.ts';
import { JobQueue } from '../../src/worker/jobs.ts';
import { tempDir } from '../support/fixtures.ts';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { ScriptedOllama, type ChatRequestBody } from '../support/scripted-ollama.ts';

const KEY = 'cd'.repeat(32);
const JOBS = 50;
/** Late in the queue, so both workers have finished runs of their own before it is killed. */
const VICTIM = 'job-30';
const SLOT_VICTIM = 'slot-victim';
const T0 = Date.UTC(2026, 10, 30, 6, 0, 0);

/** The run's own job or schedule: the goal comes last in its message, after recalled notes of other runs. */
function goalOf(body: ChatRequestBody): string {
  const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  return user.match(/job-\d+|slot-[a-z]+/g)?.at(-1) ?? 'unknown';
}

/** The test's host decides slots but must never run one: with workers up, they do. */
const refuse = () => Promise.reject(new Error('the test host runs no slots'));
const hostPort: RunPort = { start: refuse, resume: refuse, state: async () => undefined, abort: async () => undefined, onRunEvent: () => () => undefined, denyApproval: async () => undefined, skillProblem: async () => undefined };

describe.skipIf(postgresUnavailable)('workers on a shared PostgreSQL', () => {
  let server: TestPostgres;
  let ollama: ScriptedOllama;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ollama?.close();
    await server?.stop();
  }, 60_000);

  it('runs 50 queued runs and schedule slots exactly once across worker processes; SIGKILLed runs are resumed from their checkpoints by another', async () => {
    const database = await server.createDatabase();
    const sideEffects = path.join(tempDir(), 'ledger.txt');
    fs.writeFileSync(sideEffects, '');
    let victimHung: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (victimHung = resolve));
    let victimCalls = 0;
    let slotVictimHung: () => void = () => undefined;
    const slotHung = new Promise<void>((resolve) => (slotVictimHung = resolve));
    let slotVictimCalls = 0;
    ollama = await ScriptedOllama.start({
      replies: (body) => {
        const goal = goalOf(body);
        const didIt = body.messages.some((m) => m.role === 'tool');
        if (!didIt) return { toolCalls: [{ name: 'append_line', arguments: { text: goal } }] };
        if (goal === VICTIM && ++victimCalls === 1) {
          victimHung();
          return { hang: true }; // its worker is killed while this model call is pending (step 1 is checkpointed)
        }
        if (goal === SLOT_VICTIM && ++slotVictimCalls === 1) {
          slotVictimHung();
          return { hang: true };
        }
        return { content: `done ${goal}` };
      },
    });
    const queue = await JobQueue.open(database);
    const ids = new Map<string, string>();
    for (let i = 0; i < JOBS; i++) {
      const goal = `job-${String(i).padStart(2, '0')}`;
      ids.set(goal, (await queue.enqueue(`Record ${goal} in the ledger.`)).id);
    }

    const worker = (machine: string) => {
      const child = spawn(process.execPath, ['--no-warnings', path.join(import.meta.dirname, 'worker-child.ts')], {
        env: { ...process.env, REIN_HOME: tempDir(`rein-${machine}-`), REIN_KEYCHAIN_DIR: tempDir('rein-keys-'), REIN_KEYCHAIN: 'file', TEAM_DATABASE: database, OLLAMA_URL: ollama.url, SIDE_EFFECTS: sideEffects, REIN_AUDIT_KEY: KEY, MAX_CONCURRENT: '4', LEASE_MS: '3000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
      children.push(child);
      return { child, output: () => output };
    };
    const a = worker('a');
    const b = worker('b');

    // A worker that dies on its own (a broken config, say) fails the test at once, with what it printed.
    const diedEarly = (workers: (typeof a)[]) =>
      new Promise<never>((_, reject) => {
        for (const w of workers) w.child.once('exit', (code, signal) => reject(new Error(`a worker exited early (${code ?? signal}):\n${w.output()}`)));
      });
    const firstDeaths = diedEarly([a, b]);
    await Promise.race([hung, firstDeaths]);
    const victim = await queue.get(ids.get(VICTIM)!);
    const holder = [a, b].find((w) => victim?.worker?.endsWith(`:${w.child.pid}`))!;
    expect(holder, `victim held by ${victim?.worker}`).toBeDefined();
    firstDeaths.catch(() => undefined); // from here on, exits are the test's own doing
    holder.child.kill('SIGKILL');
    const survivor = holder === a ? b : a;

    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const counts = await queue.counts();
      if (counts.finished + counts.failed === JOBS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const jobs = await queue.list(JOBS);
    expect(jobs.filter((j) => j.status !== 'finished' || j.result !== 'completed'), survivor.output()).toEqual([]);
    const resumed = jobs.find((j) => j.id === ids.get(VICTIM))!;
    expect(resumed.attempts).toBe(2);
    expect(resumed.worker).toMatch(new RegExp(`:${survivor.child.pid}$`));

    // Exactly once: every job's side effect is in the ledger once, the victim's included.
    const lines = fs.readFileSync(sideEffects, 'utf8').trim().split('\n').sort();
    expect(lines).toEqual([...ids.keys()].sort());

    // The victim continued its session from the checkpoint: same run id, step 1 not done again.
    const store = await PgMemoryStore.open(database);
    const events = await store.sessionEvents(ids.get(VICTIM)!);
    expect(events.filter((e) => e.type === 'tool.called').length).toBe(1);
    expect(events.map((e) => e.type)).toContain('run.resumed');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect((await store.listSessions(100)).length).toBe(JOBS);

    // One audit chain, entries of both workers' runs, verified with the team's key.
    const previous = process.env.REIN_AUDIT_KEY;
    process.env.REIN_AUDIT_KEY = KEY;
    try {
      const audit = await openAuditStore({ dataDir: tempDir(), secrets: [], memory: { episodic: database } });
      const calls: string[] = [];
      for await (const entry of audit.entries()) if (entry.kind === 'tool.call' && entry.runId) calls.push(entry.runId);
      // A call the SIGKILL cut between the tool's work and its audit entry is not in the log (as with SQLite); its
      // resumed run was told the outcome is unknown and did not make the call again (the ledger above has it once).
      const cut = new Set<string>();
      for (const id of ids.values()) {
        if ((await store.sessionEvents(id)).some((e) => e.type === 'tool.result' && e.unknownOutcome)) cut.add(id);
      }
      expect(cut.size).toBeLessThanOrEqual(4); // at most the killed worker's runs in flight
      expect(new Set(calls)).toEqual(new Set([...ids.values()].filter((id) => !cut.has(id))));
      expect(calls.length).toBe(JOBS - cut.size); // one entry per call: none made twice
      const audited = new Set(calls);
      const byWorker = new Set(jobs.filter((j) => audited.has(j.id)).map((j) => j.worker!.split(':').pop()));
      expect(byWorker).toEqual(new Set([String(a.child.pid), String(b.child.pid)]));
      expect(await audit.verify()).toMatchObject({ ok: true });
      await audit.close();
    } finally {
      if (previous === undefined) delete process.env.REIN_AUDIT_KEY;
      else process.env.REIN_AUDIT_KEY = previous;
    }

    // Schedule slots. A third worker joins the survivor; the host decides which slots are due once both say they are up.
    const c = worker('c');
    const laterDeaths = diedEarly([survivor, c]);
    const ledger = await openScheduleLedger({ dataDir: tempDir(), secrets: [], memory: { episodic: database } });
    const up = async () => (await ledger.workers(15_000)).filter((w) => [survivor, c].some((x) => w.endsWith(`:${x.child.pid}`))).length;
    for (let i = 0; i < 300 && (await up()) < 2; i++) await Promise.race([new Promise((r) => setTimeout(r, 100)), laterDeaths]);
    expect(await up()).toBe(2);
    const names = ['slot-a', 'slot-b', 'slot-c', SLOT_VICTIM];
    const schedules = names.map((name) => scheduleSchema.parse({ name, goal: `Record ${name} in the ledger.`, every: '1m', overlap: 'queue' }));
    const clock = { at: T0, now: () => clock.at };
    const host = new Scheduler({ ledger, port: hostPort, configured: () => schedules, clock, holder: 'test host' });
    await host.start();
    clock.at = T0 + 60_000 + 1000;
    await host.tick(); // one slot of each schedule is due
    await Promise.race([slotHung, laterDeaths]);
    const hungSlot = (await ledger.open(SLOT_VICTIM)).find((slot) => slot.status === 'started')!;
    const slotHolder = [survivor, c].find((w) => hungSlot.holder?.endsWith(`:${w.child.pid}`))!;
    expect(slotHolder, `slot held by ${hungSlot.holder}`).toBeDefined();
    laterDeaths.catch(() => undefined);
    slotHolder.child.kill('SIGKILL');
    const last = slotHolder === c ? survivor : c;
    clock.at = T0 + 2 * 60_000 + 1000;
    await host.tick(); // a second slot of each: the victim's waits (overlap: queue) behind the one taken over
    for (let i = 0; i < 600 && (await ledger.open()).length; i++) await new Promise((r) => setTimeout(r, 100));
    host.close();
    last.child.kill('SIGTERM');
    await new Promise((resolve) => (last.child.exitCode === null ? last.child.once('exit', resolve) : resolve(undefined)));

    const slots = await ledger.history(undefined, 100);
    expect(slots.map((slot) => `${slot.schedule} ${slot.status}`).sort(), last.output()).toEqual(names.flatMap((name) => [`${name} finished`, `${name} finished`]).sort());
    for (const slot of slots) expect(slot.holder).toMatch(/:\d+$/); // a worker's (machine:pid), never the host's
    const taken = slots.find((slot) => slot.id === hungSlot.id)!;
    expect(taken).toMatchObject({ attempts: 2, reason: expect.stringContaining('resumed from its checkpoint') });
    expect(taken.holder).toMatch(new RegExp(`:${last.child.pid}$`));
    // Exactly once: each finished slot's side effect once, the one resumed after its worker was killed included.
    const slotLines = fs.readFileSync(sideEffects, 'utf8').trim().split('\n').filter((line) => line.startsWith('slot-')).sort();
    expect(slotLines).toEqual(names.flatMap((name) => [name, name]).sort());
    const victimEvents = await store.sessionEvents(taken.runId!);
    expect(victimEvents.filter((e) => e.type === 'tool.called').length).toBe(1);
    expect(victimEvents.map((e) => e.type)).toContain('run.resumed');
    expect(victimEvents.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' });
    expect(victimEvents.map((e) => e.seq)).toEqual(victimEvents.map((_, i) => i + 1));
    await ledger.close();
    await store.close();
    await queue.close();
  }, 200_000);
});

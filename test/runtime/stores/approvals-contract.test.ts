// The approvals and grants contract, SQLite and PostgreSQL: the first decision wins, each decision is used once,
// grants match exactly and expire, arguments are stored redacted.
import { describe, expect, it } from 'vitest';
import { openApprovalStore, type ApprovalStore } from '../../../src/runtime/policy/index.ts';
import { backends, type Backend } from './backends.ts';

const SECRET = 'pw-very-secret-42';

async function open(backend: Backend): Promise<{ store: ApprovalStore; again: () => Promise<ApprovalStore> }> {
  const place = await backend.fresh();
  const config = { dataDir: place.dataDir, secrets: [SECRET], memory: place.url ? { episodic: place.url } : {} };
  return { store: await openApprovalStore(config), again: () => openApprovalStore(config) };
}

const request = (amount: number) => ({ runId: 'run_1', tool: 'pay', args: { amount, note: `password=${SECRET}` }, argsHash: `hash-${amount}`, rule: 'policy.default.write', reason: 'write tool', risk: 'write' as const });

describe.each(backends())('approval store contract: $name', (backend) => {
  it.skipIf(backend.skip)('keeps pending approvals, the first decision wins, each decision is used once, seen from another process', async () => {
    const { store, again } = await open(backend);
    const a = await store.create(request(5));
    const b = await store.create(request(7));
    expect(a).toMatchObject({ status: 'pending', consumed: false, always: false, tool: 'pay', runId: 'run_1', risk: 'write' });
    expect(JSON.stringify(a.args)).not.toContain(SECRET);
    const other = await again(); // another process (the host's UI, `rein approvals`)
    expect((await other.listPending()).map((r) => r.id)).toEqual([a.id, b.id]);
    expect(await other.resolve(a.id, { allow: true, by: 'cli', reason: 'fine' })).toBe(true);
    expect(await store.resolve(a.id, { allow: false, by: 'user' })).toBe(false);
    expect(await store.get(a.id)).toMatchObject({ status: 'allowed', decidedBy: 'cli', decisionReason: 'fine' });
    expect((await store.findOpen('pay', 'hash-5'))?.id).toBe(a.id);
    expect(await store.consume(a.id)).toBe(true);
    expect(await other.consume(a.id)).toBe(false);
    expect(await store.findOpen('pay', 'hash-5')).toBeUndefined();
    expect((await store.findOpen('pay', 'hash-7'))?.status).toBe('pending');
    expect(await store.findOpen('pay', 'hash-7', ['run_1'])).toBeUndefined(); // another live run's approval is its own
    await store.resolve(b.id, { allow: false, by: 'user', reason: 'no' });
    expect((await store.listDecided(10)).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await store.listPending()).toEqual([]);
    expect(await store.get('apr_missing')).toBeUndefined();
    await Promise.all([store.close(), other.close()]);
  });

  it.skipIf(backend.skip)('turns "allow always" into a grant for exactly that call; grants expire and can be revoked', async () => {
    const { store } = await open(backend);
    const a = await store.create(request(9));
    await store.resolve(a.id, { allow: true, always: true, by: 'user' });
    const [grant] = await store.listGrants();
    expect(grant).toMatchObject({ tool: 'pay', argsHash: 'hash-9', approvalId: a.id, createdBy: 'user' });
    expect(JSON.stringify(grant!.args)).not.toContain(SECRET);
    expect(await store.findGrant('pay', 'hash-9')).toBe(grant!.id);
    expect(await store.findGrant('pay', 'hash-10')).toBeUndefined();
    expect(await store.findGrant('other', 'hash-9')).toBeUndefined();
    const expiring = await store.addGrant({ tool: 'pay', args: { amount: 1 }, argsHash: 'hash-1', expiresAt: new Date(Date.now() + 60_000).toISOString(), createdBy: 'test' });
    expect(await store.findGrant('pay', 'hash-1')).toBe(expiring.id);
    expect(await store.findGrant('pay', 'hash-1', new Date(Date.now() + 120_000))).toBeUndefined();
    expect(await store.revokeGrant(grant!.id)).toBe(true);
    expect(await store.revokeGrant(grant!.id)).toBe(false);
    expect(await store.findGrant('pay', 'hash-9')).toBeUndefined();
    expect((await store.listGrants()).map((g) => g.id)).toEqual([expiring.id]);
    expect(await store.swapMeta('policy_config', 'one')).toBeUndefined();
    expect(await store.swapMeta('policy_config', 'two')).toBe('one');
    await store.close();
  });
});

// `rein approvals`: answer a waiting run's approval from another terminal, and manage "allow always" grants. With a
// host running on the data dir, through the host's approvals API (as the desktop card does), else on the database.
import type { RuntimeApi } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import { ApprovalNotFoundError, openApprovalDesk, type ApprovalDesk, type ApprovalRecord, type Grant } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'rein approvals list | allow <id> [--always] [--expires 1h] | deny <id> [--reason TEXT] | grants | revoke <grant-id>';

export const approvals: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [action, id] = args;
    const needsId = action === 'allow' || action === 'deny' || action === 'revoke';
    if (!action || !['list', 'grants', 'allow', 'deny', 'revoke'].includes(action) || (needsId && !id)) return usage(io);
    const expires = typeof options.expires === 'string' ? parseDuration(options.expires) : undefined;
    if (expires === null) return usage(io, `--expires "${String(options.expires)}" is not a duration like 30m, 12h, 7d or 3600`);
    const loaded = config();
    const host = await attachToHost(loaded, io);
    if (host === 'failed') return ExitCode.failed;
    if (host !== 'none') {
      try {
        return await onHost(host.api, { action, id: id!, always: options.always === true, expires, reason: typeof options.reason === 'string' ? options.reason : undefined }, io);
      } finally {
        host.close();
      }
    }
    const { desk, close } = await openApprovalDesk(loaded);
    try {
      if (action === 'list') return await list(desk, io);
      if (action === 'grants') return await grants(desk, io);
      if (action === 'revoke') return done(io, await desk.revokeGrant(id!, 'cli'), `revoked ${id}`, `no active grant ${id}`);
      const allow = action === 'allow';
      const reason = typeof options.reason === 'string' ? options.reason : undefined;
      const decided = await desk.decide(id!, { allow, always: allow && options.always === true, by: 'cli', ...(expires ? { expiresInS: expires } : {}), ...(reason ? { reason } : {}) });
      return done(io, decided, `${allow ? (options.always ? 'allowed always' : 'allowed once') : 'denied'}: ${id}`, `approval ${id} was already decided`);
    } catch (error) {
      if (!(error instanceof ApprovalNotFoundError)) throw error;
      io.stderr.write(`rein: ${error.message}\n`);
      return ExitCode.failed;
    } finally {
      await close();
    }
  },
};

interface HostAction {
  action: string;
  id: string;
  always: boolean;
  expires: number | undefined;
  reason: string | undefined;
}

/** The same actions through the running host's approvals API (the desktop card's path). */
async function onHost(api: RuntimeApi, { action, id, always, expires, reason }: HostAction, io: CliIo): Promise<number> {
  try {
    if (action === 'list') return printPending((await api.approvals.pending()).map((a) => ({ ...a, createdAt: a.requestedAt })), io);
    if (action === 'grants') return printGrants(await api.approvals.grants(), io);
    if (action === 'revoke') return await api.approvals.revokeGrant(id).then(() => done(io, true, `revoked ${id}`, ''));
    const allow = action === 'allow';
    const waiting = (await api.approvals.pending()).some((a) => a.id === id);
    await api.approvals.decide(id, { action: allow ? 'allow' : 'deny', scope: allow && always ? 'always' : 'once', ...(expires ? { expiresInS: expires } : {}), ...(reason ? { reason } : {}) });
    return done(io, waiting, `${allow ? (always ? 'allowed always' : 'allowed once') : 'denied'}: ${id}`, `approval ${id} was already decided`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const message = action === 'revoke' && error.code === 'not_found' ? `no active grant ${id}` : error.message;
    io.stderr.write(`rein: ${message}\n`);
    return ExitCode.failed;
  }
}

async function list(desk: ApprovalDesk, io: CliIo): Promise<number> {
  return printPending(await desk.listPending(), io);
}

function printPending(pending: (Pick<ApprovalRecord, 'id' | 'createdAt' | 'tool' | 'reason' | 'rule' | 'risk' | 'runId'> & { args: unknown })[], io: CliIo): number {
  if (!pending.length) io.stdout.write('no pending approvals\n');
  for (const a of pending) {
    io.stdout.write(`${a.id}  ${a.createdAt}  ${a.tool}(${JSON.stringify(a.args)})\n  ${a.reason} · rule ${a.rule} · risk ${a.risk} · run ${a.runId}\n`);
  }
  return ExitCode.ok;
}

async function grants(desk: ApprovalDesk, io: CliIo): Promise<number> {
  return printGrants(await desk.listGrants(), io);
}

function printGrants(all: (Pick<Grant, 'id' | 'tool' | 'createdBy' | 'expiresAt'> & { args: unknown })[], io: CliIo): number {
  if (!all.length) io.stdout.write('no saved "allow always" grants\n');
  for (const g of all) io.stdout.write(`${g.id}  ${g.tool}(${JSON.stringify(g.args)})  by ${g.createdBy}  ${g.expiresAt ? `expires ${g.expiresAt}` : 'no expiry'}\n`);
  return ExitCode.ok;
}

function done(io: CliIo, ok: boolean, success: string, failure: string): number {
  (ok ? io.stdout : io.stderr).write(`${ok ? success : `rein: ${failure}`}\n`);
  return ok ? ExitCode.ok : ExitCode.failed;
}

function usage(io: CliIo, problem?: string): number {
  io.stderr.write(`${problem ? `rein: ${problem}\n` : ''}Usage: ${USAGE}\n`);
  return ExitCode.usage;
}

/** `90`, `30s`, `15m`, `12h`, `7d` → seconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  return seconds > 0 ? seconds : null;
}

// `rein approvals`: answer a waiting run's approval from another terminal, and manage "allow always" grants.
import { ApprovalNotFoundError, openApprovalDesk, type ApprovalDesk } from '../../runtime/index.ts';
import type { Command } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'rein approvals list | allow <id> [--always] [--expires 1h] | deny <id> [--reason TEXT] | grants | revoke <grant-id>';

export const approvals: Command = {
  name: 'approvals',
  synopsis: 'approvals list|allow|deny <id>',
  summary: 'list pending approvals and answer them (also: grants, revoke <grant-id>)',
  options: { always: { type: 'boolean', default: false }, expires: { type: 'string' }, reason: { type: 'string' } },
  run: async ({ args, options, io, config }) => {
    const [action, id] = args;
    const needsId = action === 'allow' || action === 'deny' || action === 'revoke';
    if (!action || !['list', 'grants', 'allow', 'deny', 'revoke'].includes(action) || (needsId && !id)) return usage(io);
    const expires = typeof options.expires === 'string' ? parseDuration(options.expires) : undefined;
    if (expires === null) return usage(io, `--expires "${String(options.expires)}" is not a duration like 30m, 12h, 7d or 3600`);
    const { desk, close } = openApprovalDesk(config());
    try {
      if (action === 'list') return list(desk, io);
      if (action === 'grants') return grants(desk, io);
      if (action === 'revoke') return done(io, desk.revokeGrant(id!, 'cli'), `revoked ${id}`, `no active grant ${id}`);
      const allow = action === 'allow';
      const reason = typeof options.reason === 'string' ? options.reason : undefined;
      const decided = desk.decide(id!, { allow, always: allow && options.always === true, by: 'cli', ...(expires ? { expiresInS: expires } : {}), ...(reason ? { reason } : {}) });
      return done(io, decided, `${allow ? (options.always ? 'allowed always' : 'allowed once') : 'denied'}: ${id}`, `approval ${id} was already decided`);
    } catch (error) {
      if (!(error instanceof ApprovalNotFoundError)) throw error;
      io.stderr.write(`rein: ${error.message}\n`);
      return ExitCode.failed;
    } finally {
      close();
    }
  },
};

function list(desk: ApprovalDesk, io: CliIo): number {
  const pending = desk.listPending();
  if (!pending.length) io.stdout.write('no pending approvals\n');
  for (const a of pending) {
    io.stdout.write(`${a.id}  ${a.createdAt}  ${a.tool}(${JSON.stringify(a.args)})\n  ${a.reason} · rule ${a.rule} · risk ${a.risk} · run ${a.runId}\n`);
  }
  return ExitCode.ok;
}

function grants(desk: ApprovalDesk, io: CliIo): number {
  const all = desk.listGrants();
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

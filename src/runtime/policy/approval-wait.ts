// A run waiting for an approval: asks through the shell (TTY prompt, desktop dialog) and meanwhile watches the
// store, so `rein approvals allow <id>` from another terminal is seen. Timeout = deny; nobody to ask = deny.
import type { RiskClass, RunEventInput, UserAnswer, UserQuestion } from '../../common/index.ts';
import type { AuditSink } from '../audit/index.ts';
import { canonicalJson, errorMessage, sha256, sleep } from '../base/index.ts';
import type { Asker } from '../extension.ts';
import type { Answer, ApprovalDesk } from './approval-desk.ts';
import { decisionOf } from './approval-desk.ts';
import type { ApprovalRecord } from './approval-store.ts';
import type { Decision } from './rules.ts';

export interface ApprovalRequest {
  runId: string;
  step: number;
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  risk: RiskClass;
  decision: Decision;
  signal: AbortSignal;
  emit: (event: RunEventInput) => void;
  /** Other runs going on in this runtime: their open approvals are theirs, not this run's to use. */
  otherLiveRuns?: readonly string[];
}

export type ApprovalOutcome = { allow: true } | { allow: false; reason: string };

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
}

export function argsHash(args: Record<string, unknown>): string {
  return sha256(canonicalJson(args));
}

export async function awaitApproval(desk: ApprovalDesk, ask: Asker, audit: AuditSink | undefined, request: ApprovalRequest, options: WaitOptions): Promise<ApprovalOutcome> {
  const hash = argsHash(request.args);
  let open = await desk.store.findOpen(request.tool, hash, request.otherLiveRuns ?? []);
  // A decision recorded for this exact call while nobody was waiting (e.g. across a restart) is used once.
  if (open && open.status !== 'pending') {
    if (await desk.store.consume(open.id)) return report(open, request);
    open = undefined;
  }
  const approval = open ?? await desk.store.create({ runId: request.runId, tool: request.tool, args: request.args, argsHash: hash, rule: request.decision.rule, reason: request.decision.reason, risk: request.risk });
  request.emit({ type: 'approval.requested', id: approval.id, step: request.step, callId: request.callId, tool: request.tool, args: request.args, rule: approval.rule, reason: approval.reason, risk: request.risk });
  audit?.record('approval.requested', { id: approval.id, tool: request.tool, args: request.args, rule: approval.rule, reason: approval.reason, risk: request.risk }, request.runId);

  const waiting = new AbortController(); // withdraws the question and stops the watchers once one of them decided
  const signal = AbortSignal.any([request.signal, waiting.signal]);
  let used: boolean;
  try {
    const answer = await Promise.race([
      ask(questionFor(approval), signal).then(answerOf, (error: unknown) => deny(`the prompt failed: ${errorMessage(error)}`, 'runtime')),
      watchStore(desk, approval.id, options.pollMs, signal),
      sleep(options.timeoutMs, signal).then(() => deny(`no decision within ${Math.round(options.timeoutMs / 1000)}s (policy.approval_timeout_s)`, 'timeout')),
    ]);
    if (request.signal.aborted) throw request.signal.reason;
    if (answer) await desk.decide(approval.id, answer);
    used = await desk.store.consume(approval.id);
  } finally {
    waiting.abort();
  }
  // Each decision is used by one call: when another waiter for the same call took it, ask anew.
  if (!used) return awaitApproval(desk, ask, audit, request, options);
  return report((await desk.store.get(approval.id))!, request);
}

function report(approval: ApprovalRecord, request: ApprovalRequest): ApprovalOutcome {
  const decision = decisionOf(approval);
  const by = approval.decidedBy ?? 'unknown';
  request.emit({ type: 'approval.resolved', id: approval.id, decision, by, ...(approval.decisionReason ? { reason: approval.decisionReason } : {}), ...(approval.expiresAt ? { expiresAt: approval.expiresAt } : {}) });
  if (decision !== 'deny') return { allow: true };
  return { allow: false, reason: `${request.tool} was not approved (${by}): ${approval.decisionReason ?? 'denied'}` };
}

/** Resolves with undefined once someone else decided; stops when `signal` aborts. */
async function watchStore(desk: ApprovalDesk, id: string, pollMs: number, signal: AbortSignal): Promise<undefined> {
  while ((await desk.store.get(id))?.status === 'pending') await sleep(pollMs, signal);
  return undefined;
}

function questionFor(approval: ApprovalRecord): UserQuestion {
  return {
    id: approval.id,
    kind: 'approval',
    title: `Allow ${approval.tool}?`,
    message: `${approval.reason}\nTool: ${approval.tool}\nArguments: ${JSON.stringify(approval.args)}\nRule: ${approval.rule} · risk: ${approval.risk}`,
    source: 'policy',
    runId: approval.runId,
    details: { tool: approval.tool, args: approval.args, rule: approval.rule, reason: approval.reason, risk: approval.risk },
    allowAlways: true,
  };
}

function answerOf(answer: UserAnswer): Answer {
  const by = answer.by ?? 'user';
  if (answer.action !== 'accept') return deny(answer.reason ?? (answer.action === 'cancel' ? 'cancelled by the user' : 'declined by the user'), by);
  const expires = answer.content?.expires_in_s;
  return { allow: true, always: answer.always === true, by, ...(typeof expires === 'number' && expires > 0 ? { expiresInS: expires } : {}) };
}

function deny(reason: string, by: string): Answer {
  return { allow: false, by, reason };
}

// Human-readable rendering of run events: the answer on stdout, everything else on stderr.
import { describeCompaction, type RunEvent, type SystemEvent } from '../common/index.ts';
import type { CliIo, Style } from './io.ts';
import { escapeForTerminal, escapeStrings } from '../common/terminal-text.ts';

const PREVIEW_CHARS = 160;

export interface RenderOptions {
  /** Developer detail too: tool ranking, recalled notes, skills used, informational notices, retry causes. */
  verbose?: boolean;
  /** Approvals are asked at this terminal (the prompt shows the request): no line of its own. */
  prompting?: boolean;
}

/** Lines of a tool's result shown under its line (the rest is in the trace and `rein sessions show`). */
const RESULT_LINES = 4;

export function createRenderer(io: CliIo, style: Style, options: RenderOptions = {}): (event: RunEvent) => void {
  let atLineStart = true;
  let lastOffered: string | undefined;
  const out = (text: string) => {
    if (!text) return;
    io.stdout.write(text);
    atLineStart = text.endsWith('\n');
  };
  const err = (line: string) => {
    if (!atLineStart) out('\n');
    io.stderr.write(`${line}\n`);
  };
  const verbose = (line: string) => { if (options.verbose) err(line); };
  return (raw) => {
    // Text from the model, tools and servers cannot steer the terminal: escapes shown visibly. The answer and tool
    // results keep their newlines (shown as lines, never as literal \n); every other field is one line.
    if (raw.type === 'tool.result') {
      const { output, error } = raw;
      const event = { ...escapeStrings({ ...raw, output: undefined, error: undefined }), output: output === undefined ? undefined : escapeForTerminal(output), error: error === undefined ? undefined : escapeForTerminal(error) };
      const time = style.dim(`${event.durationMs} ms${event.userMs ? ` + ${event.userMs} ms yours` : ''}${event.truncated ? ', truncated' : ''}`);
      if (event.ok) {
        err(`${style.green('✓')} ${event.name} ${time}`);
        for (const line of resultLines(event.output ?? '')) err(style.dim(`  │ ${line}`));
      } else {
        const [first = '', ...rest] = resultLines(event.error ?? '');
        err(`${style.red('✗')} ${event.name} ${time} ${style.red(first)}`);
        for (const line of rest) err(style.dim(`  │ ${line}`));
      }
      return;
    }
    const event = raw.type === 'model.delta' ? { ...raw, text: escapeForTerminal(raw.text) } : escapeStrings(raw);
    switch (event.type) {
      case 'run.started':
        err(style.dim(`rein · ${event.provider} ${event.model || "(the server's model)"}`) + cloudMark(event, style) + style.dim(` · ${event.tools.length} tool${event.tools.length === 1 ? '' : 's'} · run ${event.runId}`));
        break;
      case 'run.resumed':
        err(style.dim(`rein · resumed run ${event.runId} after step ${event.fromStep} · ${event.provider} ${event.model}`) + cloudMark(event, style));
        break;
      case 'memory.recalled':
        verbose(style.dim(`ℹ memory: recalled ${event.noteIds.length} note${event.noteIds.length === 1 ? '' : 's'}${event.mode === 'text' ? ' (full-text only)' : ''}`));
        break;
      case 'memory.compacted':
        err(style.dim(`ℹ memory: ${describeCompaction(event)}`));
        break;
      case 'model.delta':
        out(event.text);
        break;
      case 'model.retry':
        // The cause is said once, by the failure if it comes to that (and here with --verbose).
        err(style.yellow(`… the model did not answer; trying again in ${(event.delayMs / 1000).toFixed(1)} s${options.verbose ? ` (${event.error})` : ''}`));
        break;
      case 'tool.called':
        err(style.cyan(`→ ${event.name}(${preview(JSON.stringify(event.args) ?? '')})`) + (event.repaired ? style.dim(` [repaired: ${event.repaired}]`) : ''));
        break;
      case 'loop.detected':
        err(style.yellow(`⚠ loop detected (${event.pattern}): ${event.detail} — reflection ${event.reflections}`));
        break;
      case 'run.notice': {
        if (event.level === 'info') {
          verbose(style.dim(`ℹ ${event.source}: ${event.message}`));
          break;
        }
        err((event.level === 'error' ? style.red : style.yellow)(`⚠ ${event.source}: ${event.message}`));
        break;
      }
      case 'approval.requested':
        if (!options.prompting) err(style.yellow(`? waiting for approval ${event.id} to run ${event.tool}: ${event.reason} — answer in the Rein app or with \`rein approvals allow|deny ${event.id}\``));
        break;
      case 'approval.resolved':
        err((event.decision === 'deny' ? style.red : style.green)(`${event.decision === 'deny' ? '✗' : '✓'} approval ${event.id}: ${event.decision.replace('_', ' ')} by ${event.by}${event.reason ? ` (${event.reason})` : ''}`));
        break;
      case 'policy.denied':
        err(style.red(`⛔ ${event.tool} denied by ${event.rule}: ${event.reason}`));
        break;
      case 'budget.exceeded':
        err(style.yellow(`⚠ budget ${event.budget} exceeded: ${event.used} of ${event.limit}`));
        break;
      case 'tool.progress':
        err(style.dim(`… ${event.name} ${event.progress}${event.total ? `/${event.total}` : ''}${event.message ? ` ${event.message}` : ''}`));
        break;
      case 'tools.offered': {
        if (!options.verbose) break;
        // Said when the set changes (first step, tools found or used), not again every step.
        const key = `${event.runId} ${event.offered.join(',')}`;
        if (key === lastOffered) break;
        const added = lastOffered?.startsWith(`${event.runId} `) ? event.offered.filter((t) => !lastOffered!.split(' ')[1]!.split(',').includes(t)) : [];
        lastOffered = key;
        err(style.dim(added.length ? `ℹ now offering ${added.join(', ')}` : `ℹ offered ${event.offered.length} tools (${event.ranking} ranking), ${event.hidden.length} more via find_tools`));
        break;
      }
      case 'skill.used':
        verbose(style.dim(`◆ skill ${event.name} ${event.how} (confidence ${event.confidence.toFixed(2)})`));
        break;
      case 'skill.learned':
        err(style.cyan(`◆ learned skill ${event.name} (${event.action}, v${event.version}${event.approved ? '' : `; approve with: rein skills approve ${event.name}`})`));
        break;
      case 'model.completed':
        break;
      case 'agent.spawned':
        err(style.cyan(`⇢ subagent ${event.agentId} started (${spawnedWhere(event)}): ${preview(event.goal)}`));
        break;
      case 'agent.event':
        if (event.event.type === 'tool.called') verbose(style.dim(`  ${event.agentId} → ${event.event.name}(${preview(JSON.stringify(event.event.args) ?? '')})`));
        break;
      case 'agent.finished': {
        const tokens = `${event.steps} step${event.steps === 1 ? '' : 's'}, ${event.usage.promptTokens + event.usage.completionTokens} tokens, ${event.durationMs} ms`;
        if (event.status === 'completed') err(`${style.green('✓')} subagent ${event.agentId} ${style.dim(tokens)}`);
        else err((event.status === 'failed' ? style.red : style.yellow)(`✗ subagent ${event.agentId} ${event.status}: ${preview((event.error ?? '').replace(`subagent ${event.agentId} `, ''))}`));
        break;
      }
      case 'run.finished': {
        if (!atLineStart) out('\n');
        const usage = `${event.steps} step${event.steps === 1 ? '' : 's'}, ${event.usage.promptTokens} prompt + ${event.usage.completionTokens} completion tokens`;
        if (event.status === 'completed') err(style.dim(`✓ completed · ${usage} · run ${event.runId}`));
        else if (event.status === 'stopped') err(style.yellow(`■ stopped: ${event.reason ?? ''} · ${usage}`));
        else err(style.red(`✗ failed: ${event.reason ?? ''}`));
        if (event.status !== 'completed') err(style.dim(`  continue with: rein run --resume ${event.runId}`));
        break;
      }
      default:
        break;
    }
  };
}

function spawnedWhere(event: Extract<RunEvent, { type: 'agent.spawned' }>): string {
  const where = event.container ? `${event.engine ?? 'container'} ${event.container}` : `${event.backend}${event.pid ? `, pid ${event.pid}` : ''}`;
  return event.startupMs !== undefined ? `${where}, ready in ${event.startupMs} ms` : where;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

/** A JSON result as lines people scan: an object's fields one per line (`key: value`), an array's items. */
function jsonLines(value: unknown): string {
  const text = (v: unknown) => (typeof v === 'string' && !v.includes('\n') ? v : JSON.stringify(v));
  if (Array.isArray(value)) return value.map(text).join('\n') || '[]';
  if (value && typeof value === 'object') return Object.entries(value).map(([key, v]) => `${key}: ${text(v)}`).join('\n') || '{}';
  return JSON.stringify(value);
}

/** Whether a call's arguments show in full on its `→ tool(…)` line (an approval prompt then need not repeat them). */
export function argsFitPreview(args: unknown): boolean {
  return (JSON.stringify(args) ?? '').length <= PREVIEW_CHARS;
}

/** A tool's output as a few readable lines: JSON field by field, long lines cut, the rest counted. */
export function resultLines(text: string, max = RESULT_LINES): string[] {
  let body = text.trim();
  if (/^[[{]/.test(body)) {
    try {
      body = jsonLines(JSON.parse(body) as unknown);
    } catch {
      // not JSON after all: shown as it is
    }
  }
  const lines = body.split('\n').map((line) => line.trimEnd()).filter((line, i, all) => line || (i > 0 && i < all.length - 1));
  const shown = lines.slice(0, max).map((line) => (line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line));
  return lines.length > max ? [...shown, `… ${lines.length - max} more line${lines.length - max === 1 ? '' : 's'}`] : shown;
}

/** Runtime status lines for stderr; MCP servers are shown when they fail or reconnect. */
export function systemEventLine(raw: SystemEvent, style: Style): string | undefined {
  const event = escapeStrings(raw);
  if (event.type === 'system.notice') {
    if (event.level === 'info') return style.dim(`ℹ ${event.source}: ${event.message}`);
    return (event.level === 'error' ? style.red : style.yellow)(`⚠ ${event.source}: ${event.message}`);
  }
  if (event.type === 'skills.reloaded') {
    const issues = event.issues.map((i) => `\n  ${i.file}: ${i.message}`).join('');
    const changes = [...event.added.map((n) => `+${n}`), ...event.changed.map((n) => `~${n}`), ...event.removed.map((n) => `-${n}`)].join(' ');
    return (issues ? style.yellow : style.dim)(`skills reloaded (${event.skills})${changes ? `: ${changes}` : ''}${issues}`);
  }
  if (event.type === 'skill.learning') return skillLearningLine(event, style);
  if (event.type === 'schedule.run') return scheduleLine(event, style);
  if (event.type === 'knowledge.progress') {
    return event.state === 'done' && event.failed ? style.yellow(`⚠ knowledge: ${event.failed} file(s) in ${event.path} could not be indexed (rein knowledge list)`) : undefined;
  }
  if (event.type === 'model.status' || event.type === 'conversation.titled') return undefined;
  if (event.state === 'failed') return style.red(`✗ MCP server ${event.server} failed: ${event.reason ?? 'unknown reason'}`);
  if (event.state === 'reconnecting') return style.yellow(`⚠ MCP server ${event.server} is reconnecting: ${event.reason ?? ''}`);
  return undefined;
}

function skillLearningLine(event: Extract<SystemEvent, { type: 'skill.learning' }>, style: Style): string | undefined {
  if (event.state === 'started') return style.dim('learning a skill from this run…');
  if (event.state === 'failed') return style.dim(event.message ?? 'could not learn a skill from this run');
  const approval = event.approved ? '' : `; approve with: rein skills approve ${event.name}`;
  return style.cyan(`◆ learned skill ${event.name} (${event.action}, v${event.version}${approval})${event.message ? `: ${event.message}` : ''}`);
}

function scheduleLine(event: Extract<SystemEvent, { type: 'schedule.run' }>, style: Style): string | undefined {
  const why = event.reason ? `: ${event.reason}` : '';
  if (event.status === 'failed') return style.red(`✗ schedule ${event.schedule} failed${why}`);
  if (event.status === 'missed') return style.yellow(`⚠ schedule ${event.schedule} missed a slot${why}`);
  if (event.status === 'waiting_approval') return style.yellow(`⏸ schedule ${event.schedule} waits for an approval${why}`);
  return style.dim(`schedule ${event.schedule} ${event.status}${event.runId ? ` (${event.runId})` : ''}`);
}

/** A model on another machine is marked where the run starts: what leaves this machine is never a surprise. */
function cloudMark(event: { cloud?: boolean; host?: string }, style: Style): string {
  if (!event.cloud) return '';
  let host = event.host ?? '';
  try {
    host = new URL(host).host;
  } catch {
    // not a URL: shown as it is
  }
  return style.dim(' · ') + style.yellow(`☁ cloud${host ? ` (${host})` : ''}`);
}

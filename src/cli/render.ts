// Human-readable rendering of run events: the answer on stdout, everything else on stderr.
import type { RunEvent } from '../common/index.ts';
import type { CliIo, Style } from './io.ts';

const PREVIEW_CHARS = 160;

export function createRenderer(io: CliIo, style: Style): (event: RunEvent) => void {
  let atLineStart = true;
  const out = (text: string) => {
    if (!text) return;
    io.stdout.write(text);
    atLineStart = text.endsWith('\n');
  };
  const err = (line: string) => {
    if (!atLineStart) out('\n');
    io.stderr.write(`${line}\n`);
  };
  return (event) => {
    switch (event.type) {
      case 'run.started':
        err(style.dim(`rein · ${event.provider} ${event.model} · ${event.tools.length} tool${event.tools.length === 1 ? '' : 's'}`));
        break;
      case 'model.delta':
        out(event.text);
        break;
      case 'model.retry':
        err(style.yellow(`… model call failed (${event.error}); retry ${event.attempt} in ${event.delayMs} ms`));
        break;
      case 'tool.called':
        err(style.cyan(`→ ${event.name}(${preview(JSON.stringify(event.args) ?? '')})`) + (event.repaired ? style.dim(` [repaired: ${event.repaired}]`) : ''));
        break;
      case 'tool.result':
        err(event.ok
          ? `${style.green('✓')} ${event.name} ${style.dim(`${event.durationMs} ms${event.truncated ? ', truncated' : ''}`)} ${style.dim(preview(event.output ?? ''))}`
          : `${style.red('✗')} ${event.name} ${style.dim(`${event.durationMs} ms`)} ${style.red(preview(event.error ?? ''))}`);
        break;
      case 'loop.detected':
        err(style.yellow(`⚠ loop detected (${event.pattern}): ${event.detail} — reflection ${event.reflections}`));
        break;
      case 'run.notice': {
        const color = event.level === 'error' ? style.red : event.level === 'warn' ? style.yellow : style.dim;
        err(color(`${event.level === 'info' ? 'ℹ' : '⚠'} ${event.source}: ${event.message}`));
        break;
      }
      case 'model.completed':
        break;
      case 'agent.spawned':
        err(style.cyan(`⇢ subagent ${event.agentId} started (${event.backend}${event.pid ? `, pid ${event.pid}` : ''}): ${preview(event.goal)}`));
        break;
      case 'agent.event':
        if (event.event.type === 'tool.called') err(style.dim(`  ${event.agentId} → ${event.event.name}(${preview(JSON.stringify(event.event.args) ?? '')})`));
        break;
      case 'agent.finished': {
        const tokens = `${event.steps} step${event.steps === 1 ? '' : 's'}, ${event.usage.promptTokens + event.usage.completionTokens} tokens, ${event.durationMs} ms`;
        if (event.status === 'completed') err(`${style.green('✓')} subagent ${event.agentId} ${style.dim(tokens)}`);
        else err((event.status === 'failed' ? style.red : style.yellow)(`✗ subagent ${event.agentId} ${event.status}: ${preview(event.error ?? '')}`));
        break;
      }
      case 'run.finished': {
        if (!atLineStart) out('\n');
        const usage = `${event.steps} step${event.steps === 1 ? '' : 's'}, ${event.usage.promptTokens} prompt + ${event.usage.completionTokens} completion tokens`;
        if (event.status === 'completed') err(style.dim(`✓ completed · ${usage}`));
        else if (event.status === 'stopped') err(style.yellow(`■ stopped: ${event.reason ?? ''} · ${usage}`));
        else err(style.red(`✗ failed: ${event.reason ?? ''}`));
        break;
      }
    }
  };
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

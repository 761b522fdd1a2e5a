// Answers the runtime's questions inline on the terminal (stderr + stdin), one question at a time:
// approvals here, MCP elicitation and sampling consent in prompt-asker.ts.
import readline from 'node:readline/promises';
import type { UserAnswer, UserQuestion } from '../common/index.ts';
import type { Asker } from '../runtime/index.ts';
import { answerAtTerminal } from './prompt-asker.ts';
import { argsFitPreview } from './render.ts';
import { escapeForTerminal, escapeLine } from '../common/terminal-text.ts';

const BY = 'user (terminal)';

/** Why it asks, the rule and risk, and the arguments — once: they are not repeated when the `→ tool(…)` line above showed them whole. */
function approvalText(question: UserQuestion): string {
  const d = (question.details ?? {}) as { tool?: unknown; args?: unknown; rule?: unknown; reason?: unknown; risk?: unknown };
  if (typeof d.tool !== 'string') return `  ${escapeForTerminal(question.message).replaceAll('\n', '\n  ')}`;
  const lines = [`  why: ${escapeLine(String(d.reason ?? ''))}`, `  rule: ${escapeLine(String(d.rule ?? ''))} · risk: ${escapeLine(String(d.risk ?? ''))}`];
  if (!argsFitPreview(d.args)) lines.push(`  arguments:\n    ${escapeForTerminal(JSON.stringify(d.args, null, 2) ?? '').replaceAll('\n', '\n    ')}`);
  return lines.join('\n');
}

export function createTtyAsker(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Asker {
  let queue: Promise<unknown> = Promise.resolve();
  return (question, signal) => {
    const turn = queue.then(() => (question.kind === 'approval' ? prompt(question, input, output, signal) : answerAtTerminal(question, input, output, signal)));
    queue = turn.catch(() => undefined);
    return turn;
  };
}

async function prompt(question: UserQuestion, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, signal?: AbortSignal): Promise<UserAnswer> {
  signal?.throwIfAborted();
  const rl = readline.createInterface({ input, output, terminal: true });
  const withdrawn = () => output.write('\n  (no longer waiting: answered elsewhere or the run ended)\n');
  signal?.addEventListener('abort', withdrawn, { once: true });
  rl.on('SIGINT', () => {
    rl.close();
    process.emit('SIGINT'); // Ctrl-C at the prompt interrupts the run as anywhere else
  });
  try {
    output.write(`\n? ${escapeLine(question.title)} (approval ${question.id}; or answer with \`rein approvals allow|deny ${question.id}\`)\n${approvalText(question)}\n`);
    const choices = question.allowAlways ? '[y] allow once  [a] allow always  [n] deny' : '[y] allow  [n] deny';
    const reply = (await rl.question(`  ${choices}: `, { signal })).trim().toLowerCase();
    if (reply === 'y' || reply === 'yes') return { action: 'accept', by: BY };
    if ((reply === 'a' || reply === 'always') && question.allowAlways) return { action: 'accept', always: true, by: BY };
    const reason = (await rl.question('  reason for the model (optional): ', { signal })).trim();
    return { action: 'decline', reason: reason || 'denied by the user', by: BY };
  } finally {
    signal?.removeEventListener('abort', withdrawn);
    rl.close();
  }
}

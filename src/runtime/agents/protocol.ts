// What crosses the parent ⇄ subagent MCP boundary besides plain tool calls: user questions as elicitation
// requests and run events as progress notifications, each carrying the full Rein object in `_meta`.
import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { RunEvent, UserAnswer, UserQuestion } from '../../common/index.ts';
import { newId } from '../base/index.ts';

export const QUESTION_META = 'rein/question';
export const ANSWER_META = 'rein/answer';
export const EVENT_META = 'rein/event';

type FormSchema = ElicitRequestFormParams['requestedSchema'];

/** Child side: a question for the user, as an elicitation request to the MCP client. */
export function questionToElicitation(question: UserQuestion): ElicitRequestFormParams {
  return {
    mode: 'form',
    message: `${question.title}\n\n${question.message}`.trim(),
    requestedSchema: formSchema(question.schema),
    _meta: { [QUESTION_META]: question },
  };
}

/** Child side: the client's elicitation result as the runtime's answer. */
export function answerFromElicitation(result: ElicitResult): UserAnswer {
  const carried = result._meta?.[ANSWER_META] as UserAnswer | undefined;
  if (carried && ['accept', 'decline', 'cancel'].includes(carried.action) && carried.action === result.action) return carried;
  if (result.action === 'accept') return { action: 'accept', ...(result.content ? { content: result.content as Record<string, unknown> } : {}) };
  return { action: result.action };
}

/** Parent side: an elicitation request from a subagent as a question on the parent's channel. */
export function questionFromElicitation(params: { message: string; requestedSchema?: unknown; _meta?: Record<string, unknown> }, asker: string, runId?: string): UserQuestion {
  const carried = params._meta?.[QUESTION_META] as UserQuestion | undefined;
  const base: UserQuestion = carried?.title
    ? carried
    : { id: newId('q'), kind: 'elicitation', title: params.message.split('\n')[0] ?? '', message: params.message, source: asker, schema: params.requestedSchema as Record<string, unknown> };
  return {
    ...base,
    title: `${asker}: ${base.title}`,
    source: asker,
    ...(runId ? { runId } : {}),
    details: { ...base.details, subagent: asker, askedBy: base.source },
  };
}

/** Parent side: the user's answer as the elicitation result. */
export function answerToElicitation(answer: UserAnswer): ElicitResult {
  return {
    action: answer.action,
    ...(answer.action === 'accept' && answer.content ? { content: answer.content as ElicitResult['content'] } : {}),
    _meta: { [ANSWER_META]: answer },
  };
}

/** The run event a progress notification carries, if any. */
export function eventFromProgress(progress: { _meta?: Record<string, unknown> }): RunEvent | undefined {
  const event = progress._meta?.[EVENT_META] as RunEvent | undefined;
  return event && typeof event.type === 'string' ? event : undefined;
}

/** One line for progress displays of other MCP clients. */
export function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'tool.called':
      return `step ${event.step}: calling ${event.name}`;
    case 'tool.result':
      return `step ${event.step}: ${event.name} ${event.ok ? 'done' : 'failed'}`;
    case 'model.completed':
      return `step ${event.step}: model turn done`;
    case 'run.finished':
      return `run ${event.status}`;
    default:
      return event.type;
  }
}

function formSchema(schema: Record<string, unknown> | undefined): FormSchema {
  if (schema?.type === 'object' && typeof schema.properties === 'object' && schema.properties !== null) return schema as FormSchema;
  return { type: 'object', properties: {} };
}

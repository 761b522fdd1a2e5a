// Every span, attribute and metric name Rein exports, in one place. The GenAI names follow the OpenTelemetry GenAI
// semantic conventions, which are still moving (they left the main semantic-conventions repository for their own),
// so they are local constants here rather than imports that change under us. Rein's own names start with `rein.`.

export const GEN_AI = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  conversationId: 'gen_ai.conversation.id',
  agentName: 'gen_ai.agent.name',
  agentId: 'gen_ai.agent.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  dataSourceId: 'gen_ai.data_source.id',
  tokenType: 'gen_ai.token.type',
  // Content: only with telemetry.capture_content, and redacted.
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  retrievalQuery: 'gen_ai.retrieval.query.text',
} as const;

export const OPERATION = {
  invokeAgent: 'invoke_agent',
  chat: 'chat',
  executeTool: 'execute_tool',
  retrieval: 'retrieval',
} as const;

/** Standard (non-GenAI) attribute: what kind of error ended the operation. */
export const ERROR_TYPE = 'error.type';

export const REIN = {
  runId: 'rein.run.id',
  runStatus: 'rein.run.status',
  runSteps: 'rein.run.steps',
  stopReason: 'rein.run.stop_reason',
  resumedFromStep: 'rein.run.resumed_from_step',
  continues: 'rein.run.continues',
  step: 'rein.step',
  agentDepth: 'rein.agent.depth',
  agentRole: 'rein.agent.role',
  agentBackend: 'rein.agent.backend',
  agentPid: 'rein.agent.pid',
  toolSource: 'rein.tool.source',
  toolRepaired: 'rein.tool.repaired',
  toolTruncated: 'rein.tool.truncated',
  policyDecision: 'rein.policy.decision',
  policyRule: 'rein.policy.rule',
  policyApproval: 'rein.policy.approval',
  policyApprover: 'rein.policy.approver',
  policyWait: 'rein.policy.wait_time',
  retrievalMode: 'rein.retrieval.mode',
  retrievalResults: 'rein.retrieval.results',
  compactionCount: 'rein.compaction.count',
  compactionTurnsRemoved: 'rein.compaction.turns_removed',
  compactionTokensBefore: 'rein.compaction.tokens_before',
  compactionTokensAfter: 'rein.compaction.tokens_after',
  compactionMethod: 'rein.compaction.method',
  scheduleName: 'rein.schedule.name',
  scheduleSlot: 'rein.schedule.slot_id',
  scheduleStatus: 'rein.schedule.status',
  budget: 'rein.budget.name',
  budgetLimit: 'rein.budget.limit',
  budgetUsed: 'rein.budget.used',
  loopPattern: 'rein.loop.pattern',
  loopReflections: 'rein.loop.reflections',
  retryAttempt: 'rein.model.retry.attempt',
  retryDelay: 'rein.model.retry.delay_ms',
  noticeLevel: 'rein.notice.level',
  noticeSource: 'rein.notice.source',
  noticeMessage: 'rein.notice.message',
  skillName: 'rein.skill.name',
  skillHow: 'rein.skill.how',
  statusMessage: 'rein.status.message',
} as const;

/** Span events (timestamped points inside a span). */
export const SPAN_EVENT = {
  compaction: 'rein.compaction',
  approvalRequested: 'rein.approval.requested',
  budgetExceeded: 'rein.budget.exceeded',
  loopDetected: 'rein.loop.detected',
  modelRetry: 'rein.model.retry',
  notice: 'rein.notice',
  skillUsed: 'rein.skill.used',
} as const;

export const METRIC = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  runs: 'rein.runs',
  toolFailures: 'rein.tool.failures',
  approvalWait: 'rein.approval.wait.duration',
  scheduleSlots: 'rein.schedule.slots',
} as const;

/** Bucket boundaries the GenAI conventions advise for their two histograms. */
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
export const WAIT_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

/** The instrumentation scope of every span and metric. */
export const SCOPE = { name: 'rein', version: '0.1.0' } as const;

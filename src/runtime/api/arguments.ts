// The argument shapes of every API method: shells pass untrusted input (renderer, browser), checked here once.
import { z } from 'zod';
import { SETTING_KEYS, type ApiMethod } from '../../common/index.ts';

const id = z.string().min(1).max(500);
const text = z.string().max(1_000_000);
const none = z.tuple([]);
const one = (schema: z.ZodType) => z.tuple([schema]);

const answer = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('accept'), always: z.boolean().optional(), content: z.record(z.string(), z.unknown()).optional(), by: z.string().optional() }),
  z.strictObject({ action: z.enum(['decline', 'cancel']), reason: z.string().max(2000).optional(), by: z.string().optional() }),
]);
const decision = z.strictObject({ action: z.enum(['allow', 'deny']), scope: z.enum(['once', 'always']), reason: z.string().max(2000).optional(), expiresInS: z.int().positive().optional() });
const stringMap = z.record(z.string(), z.string());
const mcpSpec = z.union([
  z.strictObject({ name: id, command: z.string().min(1), args: z.array(z.string()).optional(), env: stringMap.optional(), cwd: z.string().optional() }),
  z.strictObject({ name: id, url: z.url(), headers: stringMap.optional() }),
]);

export const API_ARGUMENTS: Record<ApiMethod, z.ZodType<unknown[]>> = {
  'runs.start': one(z.strictObject({ goal: z.string().min(1).max(100_000), continueFrom: id.optional(), branchOf: id.optional(), model: z.string().min(1).max(200).optional(), role: z.string().min(1).max(200).optional(), served: z.boolean().optional() })),
  'runs.abort': one(id),
  'runs.resume': one(id),
  'runs.list': none,
  'runs.events': one(id),
  'runs.feedback': z.tuple([id, z.enum(['good', 'bad']), z.string().max(2000).optional()]),
  'models.list': none,
  'models.sources': none,
  'models.status': none,
  'models.recommended': none,
  'models.remove': one(z.string().min(1).max(1000)),
  'models.pull': one(z.string().min(1).max(1000)),
  'models.cancelPull': one(z.string().min(1).max(1000)),
  'config.get': none,
  'config.setModel': one(z.strictObject({ name: z.string().min(1).max(200), numCtx: z.int().optional() })),
  'config.settings': none,
  // Each change's value is checked by the config schema (config.updateSettings), with its message per setting.
  'config.updateSettings': one(z.array(z.union([
    z.strictObject({ key: z.enum(SETTING_KEYS), value: z.unknown() }),
    z.strictObject({ secret: z.literal('model.api_key'), value: z.string().min(1).max(10_000) }),
    z.strictObject({ rule: z.literal('add'), value: z.record(z.string(), z.unknown()) }),
    z.strictObject({ rule: z.literal('set'), index: z.int().nonnegative(), value: z.record(z.string(), z.unknown()) }),
    z.strictObject({ rule: z.literal('remove'), index: z.int().nonnegative() }),
    z.strictObject({ rule: z.literal('move'), index: z.int().nonnegative(), to: z.int().nonnegative() }),
  ])).min(1).max(100)),
  'questions.pending': none,
  'questions.answer': z.tuple([id, answer]),
  'approvals.pending': none,
  'approvals.decide': z.tuple([id, decision]),
  'approvals.history': z.tuple([z.int().positive().optional()]),
  'approvals.grants': none,
  'approvals.revokeGrant': one(id),
  'skills.list': z.tuple([z.string().max(500).optional()]),
  'skills.get': one(id),
  'skills.save': one(z.strictObject({ name: id, format: z.enum(['json', 'skill-md']), text })),
  'skills.create': z.tuple([id, z.string().max(2000)]),
  'skills.history': one(id),
  'skills.rollback': z.tuple([id, z.int().positive()]),
  'memory.searchNotes': z.tuple([z.string().max(2000), z.int().positive().max(500).optional()]),
  'memory.getNote': one(z.int().positive()),
  'memory.deleteNote': one(z.int().positive()),
  'memory.sessions': none,
  'memory.deleteSession': one(id),
  'memory.recentNotes': z.tuple([z.int().positive().max(500).optional()]),
  'memory.episodes': one(id),
  'memory.restoreNote': one(z.int().positive()),
  'memory.editNote': z.tuple([z.int().positive(), z.string().max(20_000)]),
  'memory.pinNote': z.tuple([z.int().positive(), z.boolean()]),
  'memory.pinnedNotes': none,
  'mcp.servers': none,
  'mcp.tools': z.tuple([id.optional()]),
  'mcp.resources': one(id),
  'mcp.prompts': one(id),
  'mcp.add': one(mcpSpec),
  'mcp.importClaudeDesktop': one(text),
  'mcp.remove': one(id),
  'mcp.setEnabled': z.tuple([id, z.boolean()]),
  'mcp.restart': one(id),
  'mcp.startSignIn': one(id),
  'mcp.cancelSignIn': one(id),
  'mcp.signOut': one(id),
  'conversations.titles': none,
  'conversations.rename': z.tuple([id, z.string().max(300)]),
  'conversations.remove': z.tuple([id, z.strictObject({ memory: z.boolean().optional() }).optional()]),
  'conversations.search': one(z.string().min(1).max(500)),
  // The schedule's own fields are checked by the config schema (schedules.add), with their messages.
  'schedules.list': none,
  'schedules.add': one(z.record(z.string(), z.unknown())),
  'schedules.remove': one(id),
  'schedules.pause': one(id),
  'schedules.resume': one(id),
  'schedules.runNow': one(id),
  // An omitted name arrives as null when a later argument is given (JSON has no undefined).
  'schedules.history': z.tuple([id.nullish(), z.int().positive().max(1000).optional()]),
  'knowledge.sources': none,
  'knowledge.add': one(z.strictObject({ path: z.string().min(1).max(4096), include: z.array(z.string().min(1).max(500)).max(100).optional(), exclude: z.array(z.string().min(1).max(500)).max(100).optional() })),
  'knowledge.remove': one(z.int().positive()),
  'knowledge.reindex': z.tuple([z.int().positive().optional()]),
  'knowledge.files': one(z.int().positive()),
  'knowledge.search': z.tuple([z.string().max(2000), z.strictObject({ sourceId: z.int().positive().optional(), file: z.string().max(500).optional(), limit: z.int().positive().max(50).optional() }).optional()]),
  'knowledge.preview': z.tuple([
    z.strictObject({ file: z.string().min(1).max(4096), page: z.int().positive().optional(), lineStart: z.int().positive().optional(), lineEnd: z.int().positive().optional() }),
    z.string().max(100_000).optional(),
  ]),
  'knowledge.attach': z.tuple([id, z.array(z.string().min(1).max(4096)).min(1).max(100)]),
  'knowledge.upload': one(z.strictObject({ conversationId: id, name: z.string().min(1).max(1000), size: z.int().nonnegative() })),
  'knowledge.uploadChunk': z.tuple([id, z.base64().max(8 * 1024 * 1024)]),
  'knowledge.uploadFinish': one(id),
  'knowledge.uploadCancel': one(id),
};

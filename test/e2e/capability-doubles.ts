// Stand-ins for capability services that live in other branches (policy, skills, MCP), so the e2e tests can
// drive those panels and the approval flow. They implement the API contract minimally; the UI is under test.
import type { McpApi, SkillDocument, SkillsApi } from '../../src/common/index.ts';
import type { RuntimeExtension } from '../../src/runtime/index.ts';

/** Every non-read tool call asks the user, like a policy rule would. */
export const askBeforeWrites: RuntimeExtension = {
  name: 'ask-before-writes',
  start(host) {
    host.guard.use(async (call, next) => {
      if (call.tool.capability === 'read') return next();
      const answer = await host.ask(
        {
          id: `approval-${call.callId}`,
          kind: 'approval',
          title: `Allow ${call.tool.name}?`,
          message: `Rule "ask-writes": ${call.tool.name} can change files.`,
          source: 'policy',
          runId: call.runId,
          details: { tool: call.tool.name, arguments: call.args },
          allowAlways: true,
        },
        call.signal,
      );
      if (answer.action === 'accept') return next();
      return { ok: false, error: `denied by the user${answer.action === 'decline' && answer.reason ? `: ${answer.reason}` : ''}`, durationMs: 0 };
    });
  },
};

export function skillsDouble(): SkillsApi {
  const versions: SkillDocument[] = [
    { name: 'summarize', description: 'Summarize a file', triggers: ['summarize', 'tl;dr'], confidence: 0.8, successes: 4, failures: 1, version: 1, skillMd: '# Summarize\nRead the file, then summarize it.', manifest: '{"name": "summarize"}' },
  ];
  const latest = () => versions.at(-1)!;
  return {
    list: async (query) => [latest()].filter((s) => !query || s.name.includes(query)),
    get: async () => latest(),
    save: async (edit) => {
      try {
        JSON.parse(edit.manifest);
      } catch (error) {
        return { ok: false, issues: [{ file: 'manifest', message: (error as Error).message }] };
      }
      versions.push({ ...latest(), skillMd: edit.skillMd, manifest: edit.manifest, version: latest().version + 1 });
      return { ok: true, skill: latest() };
    },
    create: async () => {
      throw new Error('not needed here');
    },
    history: async () => versions.map((v) => ({ version: v.version, savedAt: '2026-01-01T00:00:00Z' })),
    rollback: async (_name, version) => {
      versions.push({ ...versions.find((v) => v.version === version)!, version: latest().version + 1 });
      return latest();
    },
  };
}

export function mcpDouble(): Partial<McpApi> {
  return {
    servers: async () => [
      { name: 'files', transport: 'stdio', state: 'ready', stderrTail: [], toolCount: 1 },
      { name: 'broken', transport: 'stdio', state: 'failed', error: 'exited with code 1 before the handshake', stderrTail: ['Error: Cannot find module ./server.js'], toolCount: 0 },
    ],
    tools: async () => [{ server: 'files', name: 'files__read_file', description: 'Read a file', enabled: true }],
  };
}

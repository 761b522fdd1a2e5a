// Entry point for the official MCP conformance suite (client mode): Rein's own MCP client connects to the
// scenario's server (URL = last argument), calls every tool through the guarded path, and accepts
// elicitation with the schema's defaults. Scenario name in MCP_CONFORMANCE_SCENARIO; auth/* scenarios run with
// `auth: oauth` (client credentials from MCP_CONFORMANCE_CONTEXT when pre-registered) and an authorizer that
// takes the authorization server's immediate redirect as the user's consent.
import { McpService, Runtime, parseConfig } from '../../src/runtime/index.ts';
import { redirectFollowingAuthorizer } from '../../src/runtime/mcp/index.ts';
import { NO_ONE_TO_ASK, type UserQuestion } from '../../src/common/index.ts';
import { tempDir } from '../support/fixtures.ts';

const url = process.argv.at(-1);
if (!url?.startsWith('http')) {
  process.stderr.write('usage: node test/mcp/conformance-client.ts <server-url>\n');
  process.exit(2);
}
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? 'unknown';
// Tokens go to a throwaway keychain folder, never the user's keychain.
process.env.REIN_KEYCHAIN_DIR = tempDir();
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as { client_id?: string; client_secret?: string };
const auth = scenario.startsWith('auth/')
  ? {
      type: 'oauth',
      client_metadata_url: 'https://conformance-test.local/client-metadata.json',
      ...(context.client_id ? { client_id: context.client_id } : {}),
      ...(context.client_secret ? { client_secret: context.client_secret } : {}),
    }
  : undefined;
const server = { name: 'conformance', url, timeout_s: 20, ...(auth ? { auth } : {}) };
// Each auth scenario runs its authorization server on another loopback port: this user trusts them, as a developer
// with a local auth server would (a sign-in reaches only the MCP server's own host and policy.allow_hosts).
const policy = auth ? 'policy: { allow_hosts: [localhost, 127.0.0.1] }\n' : '';
const config = parseConfig(`mcp_servers:\n  - ${JSON.stringify(server)}\n${policy}`, { env: { REIN_HOME: tempDir() } });
const mcp = new McpService({ authorizer: redirectFollowingAuthorizer });
const runtime = new Runtime({
  config,
  extensions: [mcp],
  trace: false,
  // The "user" accepts forms as offered: the client fills in the schema's defaults (SEP-1034).
  ask: async (question: UserQuestion) => (question.kind === 'elicitation' ? { action: 'accept', content: {} } : NO_ONE_TO_ASK),
});
runtime.onSystemEvent((event) => process.stderr.write(`[${scenario}] ${JSON.stringify(event)}\n`));

let failed = false;
try {
  await runtime.start();
  const [server] = mcp.servers();
  if (server?.state !== 'ready') throw new Error(`server not ready: ${server?.reason ?? 'unknown'}`);
  for (const tool of server.tools) {
    const spec = runtime.registry.get(tool.name)!;
    const result = await runtime.guard.invoke(
      { id: tool.name, name: tool.name, arguments: sampleArguments(spec.parameters) },
      { runId: 'conformance', step: 1, signal: new AbortController().signal, emit: () => undefined },
    );
    process.stderr.write(`[${scenario}] ${tool.tool}: ${result.ok ? result.output : `error: ${result.error}`}\n`);
  }
} catch (error) {
  failed = true;
  process.stderr.write(`[${scenario}] ${error instanceof Error ? error.message : String(error)}\n`);
} finally {
  await runtime.close();
}
process.exit(failed ? 1 : 0);

/** Arguments that satisfy a simple schema: defaults where given, else small numbers, "test", true. */
function sampleArguments(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: string; default?: unknown; enum?: unknown[] }>;
  const args: Record<string, unknown> = {};
  let n = 1;
  for (const [name, property] of Object.entries(properties)) {
    if (property.default !== undefined) args[name] = property.default;
    else if (property.enum?.length) args[name] = property.enum[0];
    else if (property.type === 'number' || property.type === 'integer') args[name] = n++;
    else if (property.type === 'boolean') args[name] = true;
    else if (property.type === 'string') args[name] = 'test';
  }
  return args;
}

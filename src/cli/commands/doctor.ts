// `rein doctor`: config, the model server (whichever provider), the model's presence and capabilities, secrets, with fixes.
import { McpService, Runtime, describeAuditKey, describeBackend, openKeychain, type ReinConfig } from '../../runtime/index.ts';
import { modelChecks, type Check } from './doctor-model.ts';
import { telemetryChecks } from './doctor-telemetry.ts';
import { findHost, UnsafeHostFileError } from '../../host/discovery.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandRunner } from '../command.ts';
import { styleFor, type CliIo } from '../io.ts';

export const doctor: CommandRunner = {
  run: ({ io, config }) => doctorCommand(config(), io),
};

export async function doctorCommand(config: ReinConfig, io: CliIo): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const print = (check: Check) => {
    const mark = !check.ok ? style.red('✗') : check.warn ? style.yellow('⚠') : style.green('✓');
    io.stdout.write(`${mark} ${check.label}\n`);
    if (check.fix) io.stdout.write(`  ${style.yellow('fix:')} ${check.fix}\n`);
  };
  const checks = [...(await runChecks(config)), ...(await mcpChecks(config)), ...(await telemetryChecks(config))];
  checks.forEach(print);
  return checks.every((c) => c.ok) ? ExitCode.ok : ExitCode.failed;
}

async function runChecks(config: ReinConfig): Promise<Check[]> {
  const checks: Check[] = [
    { ok: true, label: `config: ${config.file ?? 'defaults (no rein.yaml found)'}; data dir ${config.dataDir}` },
  ];
  let host;
  try {
    host = await findHost(config.dataDir);
  } catch (error) {
    if (!(error instanceof UnsafeHostFileError)) throw error;
    checks.push({ ok: false, label: `data dir: ${error.message.split('; ')[0]}`, fix: error.message.split('; ').slice(1).join('; ') });
    return checks;
  }
  checks.push({
    ok: true,
    label: host
      ? `host: running (pid ${host.pid}, since ${host.startedAt}) at ${host.url}; the CLI works through it`
      : 'host: none running on this data dir (rein serve or the desktop app starts one); the CLI works in-process',
  });
  checks.push(...secretChecks(config));
  checks.push(...(await modelChecks(config)));
  return checks;
}

/** Where secrets (audit key, MCP sign-in tokens) are kept: a store a later process can read, or 0600 files. */
function secretChecks(config: ReinConfig): Check[] {
  const keychain = openKeychain();
  const backend = keychain.backend();
  return [
    {
      ok: true,
      label: `secrets (audit key, MCP sign-in tokens): ${describeBackend(backend)}`,
      ...(backend.kind === 'file' && backend.reason !== 'REIN_KEYCHAIN=file'
        ? { warn: true, fix: 'to keep them in a keychain, run a Secret Service (gnome-keyring, KWallet, KeePassXC) on the session D-Bus; the files are readable only by you' }
        : {}),
    },
    { ok: true, label: `audit key: ${describeAuditKey(config.dataDir, keychain)}` },
  ];
}

/** Starts each configured MCP server once (as a run would) and reports the ones that fail, with their reason. */
async function mcpChecks(config: ReinConfig): Promise<Check[]> {
  if (!config.mcp_servers.length) return [];
  const mcp = new McpService({ restartDelayMs: 60_000 });
  const runtime = new Runtime({ config, trace: false, retry: { retries: 0 }, extensions: [mcp] });
  try {
    await runtime.start();
    return mcp.servers().map((server): Check => {
      if (server.state === 'ready') return { ok: true, label: `MCP server ${server.name}: ready (${server.tools.length} tools)` };
      if (server.state === 'disabled') return { ok: true, warn: true, label: `MCP server ${server.name}: disabled in config` };
      const stderr = server.stderr?.length ? ` — stderr: ${server.stderr.slice(-2).join(' | ')}` : '';
      return { ok: false, label: `MCP server ${server.name}: ${server.state}${server.reason ? `: ${server.reason}` : ''}${stderr}`, fix: `check its command/url in ${config.file ?? 'rein.yaml'} (see \`rein mcp\`), or set enabled: false` };
    });
  } finally {
    await runtime.close();
  }
}

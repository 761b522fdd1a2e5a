// `rein doctor`: config, Ollama reachability, the model's presence and capabilities, with fixes.
import { McpService, Runtime, errorMessageOf, otlpUrls, readTelemetryStatus, sameModel, type ReinConfig } from '../../runtime/index.ts';
import { findHost } from '../../host/discovery.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CommandRunner } from '../command.ts';
import { styleFor, type CliIo } from '../io.ts';

export const doctor: CommandRunner = {
  run: ({ io, config }) => doctorCommand(config(), io),
};

interface Check {
  ok: boolean;
  /** Works, but with less than it could (e.g. no embedding model: recall by text only). */
  warn?: boolean;
  label: string;
  fix?: string;
}

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
  const host = await findHost(config.dataDir);
  checks.push({
    ok: true,
    label: host
      ? `host: running (pid ${host.pid}, since ${host.startedAt}) at ${host.url}; the CLI works through it`
      : 'host: none running on this data dir (rein serve or the desktop app starts one); the CLI works in-process',
  });
  const runtime = new Runtime({ config, trace: false, retry: { retries: 0 }, extensions: [] });
  const { model } = runtime;
  const signal = () => AbortSignal.timeout(10_000);
  try {
    const models = await model.listModels(signal());
    checks.push({ ok: true, label: `Ollama reachable at ${model.location} (${models.length} model${models.length === 1 ? '' : 's'} installed)` });
    if (!models.some((m) => sameModel(m.name, model.model))) {
      const installed = models.length ? ` Installed: ${models.map((m) => m.name).join(', ')}.` : '';
      checks.push({ ok: false, label: `model ${model.model} is not pulled`, fix: `ollama pull ${model.model}, or set model.name in rein.yaml.${installed}` });
      return checks;
    }
    checks.push({ ok: true, label: `model ${model.model} is pulled` });
    const embed = config.memory.embed_model;
    checks.push(
      models.some((m) => sameModel(m.name, embed))
        ? { ok: true, label: `embedding model ${embed} is pulled (memory recall by meaning and text)` }
        : { ok: true, warn: true, label: `embedding model ${embed} is not pulled — memory recall uses text search only`, fix: `ollama pull ${embed}, or set memory.embed_model` },
    );
    const info = await model.info(signal());
    checks.push({
      ok: true,
      label: `context: num_ctx ${info.contextWindow}${info.maxContextLength ? ` (model maximum ${info.maxContextLength})` : ''}`,
    });
    checks.push(
      info.supportsTools
        ? { ok: true, label: `tool calling: native (capabilities: ${info.capabilities.join(', ') || 'unknown'})` }
        : { ok: true, label: 'tool calling: not native — Rein uses its JSON-schema fallback protocol', fix: 'for better tool use pick a model with the "tools" capability (e.g. qwen3:4b)' },
    );
  } catch (error) {
    checks.push({ ok: false, label: errorMessageOf(error), fix: `install Ollama (https://ollama.com/download), run \`ollama serve\`, or set model.host / OLLAMA_HOST (now ${model.location})` });
  } finally {
    await runtime.close();
  }
  return checks;
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

/** With telemetry on: does the collector accept an (empty) export, and how did export go for the last processes. */
async function telemetryChecks(config: ReinConfig): Promise<Check[]> {
  const { telemetry } = config;
  if (!telemetry.enabled) return [];
  const json = telemetry.otlp.protocol === 'http/json';
  const checks: Check[] = [];
  for (const [signal, url] of Object.entries(otlpUrls(telemetry))) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...telemetry.otlp.headers, 'content-type': json ? 'application/json' : 'application/x-protobuf' },
        body: json ? '{}' : new Uint8Array(0),
        signal: AbortSignal.timeout(5000),
      });
      await response.body?.cancel();
      checks.push(
        response.ok
          ? { ok: true, label: `telemetry: the collector accepts ${signal} at ${url} (${telemetry.otlp.protocol})` }
          : { ok: false, label: `telemetry: the collector at ${url} refused ${signal}: HTTP ${response.status}`, fix: `check telemetry.otlp (endpoint, headers${signal === 'metrics' ? '; a backend that takes traces only: telemetry.metrics: false' : ''})` },
      );
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause; // fetch's own message is just "fetch failed"
      checks.push({ ok: false, label: `telemetry: cannot reach the collector at ${url}: ${errorMessageOf(cause ?? error)}`, fix: 'start the collector, or fix telemetry.otlp.endpoint (runs go on meanwhile; what they export is dropped)' });
    }
  }
  for (const entry of readTelemetryStatus(config.dataDir).slice(0, 3)) {
    const lost = entry.spans.failed + entry.spans.dropped + entry.metrics.failed + entry.metrics.dropped;
    const counts = (c: { exported: number; failed: number; dropped: number }) => `${c.exported} exported, ${c.failed} failed, ${c.dropped} dropped (queue full)`;
    checks.push({
      ok: true,
      ...(lost ? { warn: true } : {}),
      label: `telemetry: process ${entry.pid}${entry.closed ? '' : ' (running)'} until ${entry.updatedAt}: spans ${counts(entry.spans)}; metric points ${counts(entry.metrics)}${entry.lastError ? `; last error ${entry.lastErrorAt}: ${entry.lastError}` : ''}`,
      ...(lost ? { fix: 'failed: the collector was down or refused; dropped: it could not keep up with the queue (2048 spans). Check the collector, or lower telemetry.sample_ratio' } : {}),
    });
  }
  return checks;
}

// `rein models list|pull|remove|use`: every configured source with its models; Ollama pulls and embedded-engine
// downloads (with size, licence and where it goes, progress with speed and ETA); removing; choosing the default.
import path from 'node:path';
import {
  ConfigError,
  ReinError,
  Runtime,
  errorMessageOf,
  isEmbeddedRef,
  modelsSection,
  recommendation,
  saveModelChoice,
  writableConfigFile,
  type ReinConfig,
} from '../../runtime/index.ts';
import type { ModelRecommendation, ModelSource, PullProgressEvent } from '../../common/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor, type CliIo } from '../io.ts';
import { escapeForTerminal } from '../../common/terminal-text.ts';
import { formatSize, progressPrinter } from '../pull-progress.ts';

const USAGE = 'Usage: rein models [list] [--json] | pull [NAME] | remove NAME | use NAME\n  NAME: a recommended model (qwen3-4b, qwen3-8b, nomic-embed-text), hf:<org>/<repo>/<file>.gguf, an https URL of a .gguf file, an Ollama model (qwen3:4b), or <provider>:<name>\n';

export const models: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [sub = 'list', name, ...extra] = args;
    if (extra.length || !['list', 'pull', 'remove', 'use'].includes(sub) || ((sub === 'remove' || sub === 'use') && !name)) {
      io.stderr.write(USAGE);
      return ExitCode.usage;
    }
    const loaded = config();
    if (sub === 'use') return use(loaded, name!, io);
    const runtime = new Runtime({ config: loaded, trace: false, extensions: [] });
    try {
      if (sub === 'list') return await list(runtime, options.json === true, io);
      if (sub === 'pull') return await pull(runtime, name, io);
      await modelsSection(runtime, () => undefined).remove(name!);
      io.stdout.write(`removed ${name}\n`);
      return ExitCode.ok;
    } catch (error) {
      if (!(error instanceof ReinError) || error instanceof ConfigError) throw error;
      io.stderr.write(`rein models ${sub}: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    } finally {
      await runtime.close();
    }
  },
};

async function list(runtime: Runtime, json: boolean, io: CliIo): Promise<number> {
  const api = modelsSection(runtime, () => undefined);
  const [sources, recommended] = await Promise.all([api.sources(), Promise.resolve(recommendation(runtime))]);
  if (json) {
    io.stdout.write(`${JSON.stringify({ sources, recommended })}\n`);
    return ExitCode.ok;
  }
  const style = styleFor(io.stdout, io.env);
  const auto = runtime.config.model.provider === 'auto';
  const modelsDir = path.join(runtime.config.dataDir, 'models');
  for (const source of sources) io.stdout.write(sourceBlock(source, source.id === 'model' ? (auto ? 'default, found automatically' : 'default') : undefined, modelsDir, style));
  if (!recommended.present) {
    io.stdout.write(`\nrecommended for this machine: ${recommended.title} — ${formatSize(recommended.sizeBytes)}, licence ${recommended.licence} (${recommended.reason})\n  download: rein models pull ${recommended.ref}\n`);
  }
  return ExitCode.ok;
}

function sourceBlock(source: ModelSource, note: string | undefined, modelsDir: string, style: ReturnType<typeof styleFor>): string {
  const where = source.provider === 'embedded' ? ` (built-in engine, GGUF files in ${modelsDir})` : source.baseUrl ? ` at ${source.baseUrl}` : '';
  const head = `${style.bold(source.id)} · ${source.provider}${where}${source.cloud ? ' · cloud' : ''}${note ? style.dim(` (${note})`) : ''}`;
  if (!source.reachable) return `${head}\n  ${style.red('✗')} ${escapeForTerminal(source.error ?? 'not reachable')}\n`;
  if (!source.models.length) return `${head}\n  ${style.dim('no models')}\n`;
  const width = Math.max(...source.models.map((m) => m.name.length));
  const lines = source.models.map((m) => `  ${escapeForTerminal(m.name).padEnd(width)}  ${m.sizeBytes ? formatSize(m.sizeBytes) : ''}${m.parameterSize ? ` · ${m.parameterSize}` : ''}`.trimEnd());
  return `${head}\n${lines.join('\n')}\n`;
}

async function pull(runtime: Runtime, requested: string | undefined, io: CliIo): Promise<number> {
  let name = requested;
  let offer: ModelRecommendation | undefined;
  if (!name) {
    offer = recommendation(runtime);
    name = offer.ref;
  } else if (isEmbeddedRef(runtime, name)) {
    const candidate = recommendation(runtime);
    if (candidate.ref === name) offer = candidate;
  }
  if (offer) {
    if (offer.present) {
      io.stdout.write(`${offer.title} is already downloaded: ${offer.target}\n`);
      return ExitCode.ok;
    }
    io.stderr.write(`Downloading ${offer.title}: ${formatSize(offer.sizeBytes)}, licence ${offer.licence}${offer.licenceUrl ? ` (${offer.licenceUrl})` : ''}\n  into ${offer.target}\n`);
  }
  const api = modelsSection(runtime, progressPrinter(io));
  const onSignal = () => void api.cancelPull(name);
  process.once('SIGINT', onSignal);
  try {
    await api.pull(name);
  } finally {
    process.off('SIGINT', onSignal);
  }
  io.stdout.write(`${name} is ready${runtime.config.model.provider === 'auto' || runtime.config.model.provider === 'embedded' ? '' : ` (make it the default: rein models use ${name})`}\n`);
  return ExitCode.ok;
}

function use(config: ReinConfig, ref: string, io: CliIo): number {
  const colon = ref.indexOf(':');
  const prefix = colon > 0 ? ref.slice(0, colon) : '';
  const kinds = ['ollama', 'openai_compatible', 'anthropic', 'embedded'] as const;
  const kind = kinds.find((k) => k === prefix);
  const name = kind ? ref.slice(colon + 1) : ref;
  const embedded = !kind && (/^(hf:|https?:\/\/)/i.test(ref) || ref.toLowerCase().endsWith('.gguf') || /^(qwen3-4b|qwen3-8b)$/i.test(ref));
  const provider = kind ?? (embedded ? 'embedded' : config.model.provider === 'auto' ? undefined : config.model.provider);
  saveModelChoice(config, { name, ...(provider ? { provider } : {}) });
  io.stdout.write(`${writableConfigFile(config)}: model.${provider ? `provider ${provider}, model.` : ''}name ${name}\n`);
  return ExitCode.ok;
}

export type { PullProgressEvent };

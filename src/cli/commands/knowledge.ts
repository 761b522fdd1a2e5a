// `rein knowledge add|list|remove|reindex|search`: the knowledge base (memory's database) from the command line.
// Ingestion runs in the foreground here, with a progress bar on a terminal.
import { errorMessageOf, openKnowledgeBase, type IngestProgress, type KnowledgeBase } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor, type CliIo, type Style } from '../io.ts';

const USAGE = 'knowledge add <path> [--include GLOB] [--exclude GLOB] | list | remove <id> | reindex [id] | search "<query>" [--source ID] [--limit N]';
const BAR = 24;

export const knowledge: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const base = openKnowledgeBase(config());
    try {
      return await knowledgeCommand(base, args, options, io);
    } catch (error) {
      if (!(error instanceof Error) || !/^Knowledge/.test(error.name)) throw error;
      io.stderr.write(`rein knowledge: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    } finally {
      await base.close();
      await base.store.close();
    }
  },
};

export async function knowledgeCommand(base: KnowledgeBase, args: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const json = Boolean(options.json);
  const [sub, arg] = args;
  const usage = (why: string) => (io.stderr.write(`rein knowledge ${sub ?? ''}: ${why}. Usage: rein ${USAGE}\n`), ExitCode.usage);
  switch (sub) {
    case 'add': {
      if (!arg) return usage('which folder or file?');
      const source = await base.addSource({ path: arg, include: strings(options.include), exclude: strings(options.exclude) }, 'user', false);
      out(`source ${source.id}: ${source.path} (${source.kind})`);
      return report(await base.ingest(source.id, {}, progressBar(io)), io, style);
    }
    case 'list':
    case undefined: {
      const sources = await base.sources();
      const views = await Promise.all(sources.map(async (s) => ({ ...s, files: await base.store.listFiles(s.id) })));
      if (json) return out(JSON.stringify(views, null, 2)), ExitCode.ok;
      if (!views.length) out(style.dim('no knowledge sources (rein knowledge add <folder>, or knowledge.paths in rein.yaml)'));
      for (const s of views) {
        const count = (state: string) => s.files.filter((f) => f.state === state).length;
        const chunks = s.files.reduce((sum, f) => sum + f.chunks, 0);
        const scope = s.conversationId ? `conversation ${s.conversationId}` : s.origin === 'config' ? 'rein.yaml' : 'all runs';
        out(`${style.bold(String(s.id))}  ${s.path} ${style.dim(`[${s.kind}, ${scope}; ${count('indexed')} indexed, ${count('skipped')} skipped, ${count('failed')} failed, ${chunks} passages]`)}`);
        for (const f of s.files.filter((f) => f.state === 'failed' || f.state === 'skipped' || f.state === 'pending')) {
          out(`   ${(f.state === 'failed' ? style.red : style.dim)(`${f.state}`)} ${f.path}${f.reason ? `: ${f.reason}` : ''}`);
        }
      }
      return ExitCode.ok;
    }
    case 'remove': {
      const id = Number(arg);
      if (!Number.isInteger(id)) return usage('which source id? (rein knowledge list)');
      await base.removeSource(id);
      out(`source ${id} removed with its passages`);
      return ExitCode.ok;
    }
    case 'reindex': {
      const id = arg === undefined ? undefined : Number(arg);
      if (id !== undefined && !Number.isInteger(id)) return usage('source id must be a number');
      return report(await base.ingest(id, { force: true }, progressBar(io)), io, style);
    }
    case 'search': {
      const query = args.slice(1).join(' ').trim();
      if (!query) return usage('search for what?');
      const sourceIds = options.source !== undefined ? [Number(options.source)] : undefined;
      const limit = options.limit !== undefined ? Number(options.limit) : undefined;
      const result = await base.search(query, { all: true }, sourceIds ? { sourceIds } : {}, limit);
      if (json) return out(JSON.stringify(result, null, 2)), ExitCode.ok;
      if (result.mode === 'text') io.stderr.write(style.yellow(`text search only: ${result.unavailable ?? ''}\n`));
      if (!result.passages.length) out(style.dim('no passages found'));
      result.passages.forEach((p, i) => out(`${style.bold(`[${i + 1}] ${p.citation}`)}${p.headings.length ? style.dim(` · ${p.headings.join(' > ')}`) : ''}\n${style.dim(p.path)}\n${p.text}\n`));
      return ExitCode.ok;
    }
    default:
      return usage(`unknown sub-command "${sub}"`);
  }
}

/** A one-line bar on a terminal (redrawn in place); nothing until the end otherwise. */
function progressBar(io: CliIo): (p: IngestProgress) => void {
  if (!io.stderr.isTTY) return () => undefined;
  return (p) => {
    if (p.state === 'done') return void io.stderr.write('\r\x1b[2K');
    const filled = p.total ? Math.round((p.done / p.total) * BAR) : 0;
    const current = p.current ? ` ${p.current.slice(-50)}` : '';
    io.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${p.done}/${p.total}${p.failed ? ` ${p.failed} failed` : ''}${current}`);
  };
}

function report(results: IngestProgress[], io: CliIo, style: Style): number {
  let failed = 0;
  for (const p of results) {
    io.stdout.write(`${p.path}: ${p.indexed} indexed, ${p.skipped} skipped, ${p.failed} failed of ${p.total} files\n`);
    for (const e of p.errors) io.stdout.write(`   ${style.yellow('!')} ${e.file}: ${e.reason}\n`);
    if (p.embedUnavailable) io.stderr.write(style.yellow(`passages stored for text search only: ${p.embedUnavailable}\n`));
    failed += p.failed;
  }
  return failed ? ExitCode.failed : ExitCode.ok;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
}

// `rein knowledge add|list|remove|reindex|search`: the knowledge base from the command line. With a host running on
// the data dir the host does the work (its ingestion, seen by the desktop too) and this follows its progress; without
// one, ingestion runs in the foreground here. A progress bar is drawn on a terminal either way.
import path from 'node:path';
import type { KnowledgeFileView, KnowledgeSourceView } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import { AttachmentUploads, errorMessageOf, openKnowledgeBase, type IngestProgress, type ReinConfig } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { eraseLine, styleFor, type CliIo, type Style } from '../io.ts';
import { hostKnowledge, localKnowledge, type AddedSource, type KnowledgeClient } from './knowledge-client.ts';

const USAGE = 'knowledge add <path> [--include GLOB] [--exclude GLOB] | list | remove <id> | reindex [id] | search "<query>" [--source ID] [--limit N]';
const BAR = 24;

export const knowledge: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const client = await openClient(config(), io);
    if (!client) return ExitCode.failed;
    try {
      return await knowledgeCommand(client, args, options, io);
    } catch (error) {
      if (!(error instanceof Error) || !(error instanceof ApiError || /^(Knowledge|Api)/.test(error.name) || /went away/.test(error.message))) throw error;
      io.stderr.write(`rein knowledge: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    } finally {
      await client.close();
    }
  },
};

/** The running host's knowledge, else the database in-process; undefined when a host runs but cannot be reached. */
async function openClient(config: ReinConfig, io: CliIo): Promise<KnowledgeClient | undefined> {
  const host = await attachToHost(config, io);
  if (host === 'failed') return undefined;
  if (host !== 'none') return hostKnowledge(host);
  const uploads = new AttachmentUploads(path.join(config.dataDir, 'attachments'), () => config.knowledge.max_file_mb);
  const base = await openKnowledgeBase(config);
  return localKnowledge(base, base.store.location, uploads);
}

/** A source with its files, as `list --json` prints it. */
type SourceListing = Omit<KnowledgeSourceView, 'files'> & { files: KnowledgeFileView[] };

export async function knowledgeCommand(client: KnowledgeClient, args: string[], options: Record<string, unknown>, io: CliIo): Promise<number> {
  const style = styleFor(io.stdout, io.env);
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const json = Boolean(options.json);
  const [sub, arg] = args;
  const usage = (why: string) => (io.stderr.write(`rein knowledge ${sub ?? ''}: ${why}. Usage: rein ${USAGE}\n`), ExitCode.usage);
  const { api } = client;
  switch (sub) {
    case 'add': {
      if (!arg) return usage('which folder or file?');
      const spec = { path: path.resolve(io.cwd, arg), include: strings(options.include), exclude: strings(options.exclude) };
      const added = (source: AddedSource) => out(`source ${source.id}: ${source.path} (${source.kind})`);
      return report(await client.add(spec, added, following(io, client, spec.path, style)), io, style);
    }
    case 'list':
    case undefined: {
      const views: SourceListing[] = await Promise.all((await api.sources()).map(async (s) => ({ ...s, files: await api.files(s.id) })));
      if (json) return out(JSON.stringify(views, null, 2)), ExitCode.ok;
      if (!views.length) out(style.dim('no knowledge sources (rein knowledge add <folder>, or knowledge.paths in rein.yaml)'));
      for (const s of views) {
        const count = (state: string) => s.files.filter((f) => f.state === state).length;
        const scope = s.conversationId ? `conversation ${s.conversationId}` : s.origin === 'config' ? 'rein.yaml' : 'all runs';
        const running = s.progress?.state === 'running' ? `; indexing ${s.progress.done}/${s.progress.total}` : '';
        out(`${style.bold(String(s.id))}  ${s.path} ${style.dim(`[${s.kind}, ${scope}; ${count('indexed')} indexed, ${count('skipped')} skipped, ${count('failed')} failed, ${s.chunks} passages${running}]`)}`);
        for (const f of s.files.filter((f) => f.state === 'failed' || f.state === 'skipped' || f.state === 'pending')) {
          out(`   ${(f.state === 'failed' ? style.red : style.dim)(`${f.state}`)} ${f.path}${f.reason ? `: ${f.reason}` : ''}`);
        }
      }
      return ExitCode.ok;
    }
    case 'remove': {
      const id = Number(arg);
      if (!Number.isInteger(id)) return usage('which source id? (rein knowledge list)');
      await api.remove(id);
      out(`source ${id} removed with its passages`);
      return ExitCode.ok;
    }
    case 'reindex': {
      const id = arg === undefined ? undefined : Number(arg);
      if (id !== undefined && !Number.isInteger(id)) return usage('source id must be a number');
      return report(await client.reindex(id, following(io, client, id === undefined ? undefined : `source ${id}`, style)), io, style);
    }
    case 'search': {
      const query = args.slice(1).join(' ').trim();
      if (!query) return usage('search for what?');
      const sourceId = options.source !== undefined ? Number(options.source) : undefined;
      const limit = options.limit !== undefined ? Number(options.limit) : undefined;
      const result = await api.search(query, { ...(sourceId !== undefined ? { sourceId } : {}), ...(limit !== undefined ? { limit } : {}) });
      if (json) return out(JSON.stringify(result, null, 2)), ExitCode.ok;
      if (result.mode === 'text') io.stderr.write(style.yellow(`text search only: ${result.unavailable ?? ''}\n`));
      if (!result.passages.length) out(style.dim('no passages found'));
      for (const { citation, text } of result.passages) {
        out(`${style.bold(`[${citation.n}] ${citation.label}`)}${citation.headings?.length ? style.dim(` · ${citation.headings.join(' > ')}`) : ''}\n${style.dim(citation.file)}\n${text}\n`);
      }
      return ExitCode.ok;
    }
    default:
      return usage(`unknown sub-command "${sub}"`);
  }
}

/** The progress bar; through a host, first a line saying the host indexes (Ctrl-C stops following, not its work). */
function following(io: CliIo, client: KnowledgeClient, what: string | undefined, style: Style): (p: IngestProgress) => void {
  const bar = progressBar(io);
  let told = !client.attached;
  return (p) => {
    if (!told) io.stderr.write(style.dim(`${client.location} indexes ${what ?? 'every source again'}; Ctrl-C stops following it here, the host carries on\n`));
    told = true;
    bar(p);
  };
}

/** A one-line bar on a terminal (redrawn in place); nothing until the end otherwise. */
function progressBar(io: CliIo): (p: IngestProgress) => void {
  if (!io.stderr.isTTY) return () => undefined;
  return (p) => {
    if (p.state === 'done') return void io.stderr.write(eraseLine(io.stderr));
    const filled = p.total ? Math.round((p.done / p.total) * BAR) : 0;
    const current = p.current ? ` ${p.current.slice(-50)}` : '';
    io.stderr.write(`${eraseLine(io.stderr)}[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${p.done}/${p.total}${p.failed ? ` ${p.failed} failed` : ''}${current}`);
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

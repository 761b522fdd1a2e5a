// `rein memory export [--out FILE]` and `rein memory import <archive> [--to URL] [--dry-run]`: the Rein archive
// (versioned JSONL) as a backup and as the way from SQLite to PostgreSQL. After an import, counts and checksums of
// the target are compared with the archive's.
import fs from 'node:fs';
import readline from 'node:readline';
import { ArchiveError, differences, errorMessageOf, exportArchive, importArchive, openKnowledgeStore, openMemoryStore, parseStoreLocation, redactUrl, summarizeStores, type ArchiveSummary, type ReinConfig } from '../../runtime/index.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

export async function exportMemory(config: ReinConfig, out: string | undefined, io: CliIo): Promise<number> {
  const memory = await openMemoryStore(config);
  const knowledge = await openKnowledgeStore(config).catch(() => undefined);
  const file = out ? fs.openSync(out, 'w', 0o600) : undefined; // notes and events are the user's own: private
  try {
    const summary = await exportArchive(memory, knowledge, (line) => {
      if (file === undefined) io.stdout.write(`${line}\n`);
      else fs.writeSync(file, `${line}\n`);
    });
    io.stderr.write(`exported ${describe(summary)}${out ? ` to ${out}` : ''}\n`);
    return ExitCode.ok;
  } finally {
    if (file !== undefined) fs.closeSync(file);
    await knowledge?.close();
    await memory.close();
  }
}

export async function importMemory(config: ReinConfig, archive: string, options: { to?: string; dryRun: boolean }, io: CliIo): Promise<number> {
  if (!fs.existsSync(archive)) {
    io.stderr.write(`rein memory import: ${archive} does not exist\n`);
    return ExitCode.failed;
  }
  const target = options.to ? retarget(config, options.to) : config;
  const where = target.memory.episodic ? redactUrl(target.memory.episodic) : target.memory.path;
  // The file is opened when the import starts reading (a readline opened earlier would drop the lines read meanwhile).
  const lines = async function* () {
    yield* readline.createInterface({ input: fs.createReadStream(archive, 'utf8'), crlfDelay: Infinity });
  };
  try {
    if (options.dryRun) {
      const report = await importArchive(lines(), undefined);
      const wrong = differences(report.expected, report.read);
      io.stdout.write(`${archive}: ${describe(report.read)}\n`);
      if (wrong.length) return fail(io, `the archive does not match its own summary: ${wrong.join('; ')}`);
      io.stdout.write(`dry run: nothing written; would import into ${where}\n`);
      return ExitCode.ok;
    }
    const memory = await openMemoryStore(target);
    const knowledge = await openKnowledgeStore(target);
    try {
      const report = await importArchive(lines(), { memory, knowledge, embedModel: target.memory.embed_model });
      const otherModel = (kind: string) => /vectors \(/.test(kind) && !kind.includes(`(${target.memory.embed_model},`) && !kind.includes(`(${target.memory.embed_model.replace(/:latest$/, '')},`);
      const actual = await summarizeStores(memory, knowledge);
      const wrong = [...differences(report.expected, report.read), ...differences(report.expected, actual, otherModel)];
      io.stdout.write(`imported into ${where}: ${describe(actual)}\n`);
      if (report.vectorsToReembed) io.stdout.write(`${report.vectorsToReembed} vectors of another embedding model were left out: ${target.memory.embed_model} embeds those notes and passages again in the background\n`);
      if (wrong.length) return fail(io, `the target does not match the archive: ${wrong.join('; ')}`);
      io.stdout.write('counts and checksums match the archive\n');
      return ExitCode.ok;
    } finally {
      await knowledge.close();
      await memory.close();
    }
  } catch (error) {
    if (error instanceof ArchiveError) return fail(io, `${archive}: ${error.message}`);
    return fail(io, errorMessageOf(error));
  }
}

/** The config with its stores at `--to` (postgres://… or sqlite:<path>). */
function retarget(config: ReinConfig, to: string): ReinConfig {
  const place = parseStoreLocation(to, process.cwd());
  const { episodic: _e, semantic: _s, ...memory } = config.memory;
  return place.kind === 'postgres'
    ? { ...config, memory: { ...memory, episodic: place.url } }
    : { ...config, memory: { ...memory, path: place.path } };
}

function describe(summary: ArchiveSummary): string {
  return Object.entries(summary.counts).map(([kind, n]) => `${n} ${kind}`).join(', ') || 'nothing';
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`rein memory import: ${message}\n`);
  return ExitCode.failed;
}

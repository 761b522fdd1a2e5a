// `rein run` on a terminal with no model anywhere: offer the recommended model for the embedded engine once — its
// size, licence and where it goes — and download it only on a yes (headless runs fail with the command to run).
import readline from 'node:readline/promises';
import { modelsSection, recommendation, type Runtime } from '../runtime/index.ts';
import type { CliIo } from './io.ts';
import { formatSize, progressPrinter } from './pull-progress.ts';

/** true: a model is there (or was just downloaded), run; false: the user said no. */
export async function offerModelDownload(runtime: Runtime, input: NodeJS.ReadableStream, io: CliIo): Promise<boolean> {
  await runtime.model.ready?.().catch(() => undefined);
  if (runtime.model.provider !== 'embedded' || runtime.config.model.provider !== 'auto') return true;
  const offer = recommendation(runtime);
  if (offer.present || runtime.model.model !== offer.ref) return true;
  const rl = readline.createInterface({ input, output: io.stderr, terminal: true });
  let reply: string;
  try {
    io.stderr.write(
      '\n? No model server answered (Ollama, LM Studio, llama.cpp server, Jan) and no model is downloaded.\n' +
        `  Download ${offer.title} for Rein's built-in engine? ${formatSize(offer.sizeBytes)}, licence ${offer.licence}${offer.licenceUrl ? ` (${offer.licenceUrl})` : ''}\n` +
        `  into ${offer.target}\n  (${offer.reason})\n`,
    );
    reply = (await rl.question('  [y] download  [n] no: ')).trim().toLowerCase();
  } finally {
    rl.close();
  }
  if (reply !== 'y' && reply !== 'yes') {
    io.stderr.write(`Nothing downloaded. Start Ollama or LM Studio, or download later with \`rein models pull ${offer.ref}\`.\n`);
    return false;
  }
  await modelsSection(runtime, progressPrinter(io)).pull(offer.ref);
  return true;
}

// The models Rein suggests for its embedded engine: real GGUF releases, each with its size, SHA-256 and licence
// (checked against the published files; see docs/models-embedded.md), chosen by the machine's memory.
import fs from 'node:fs';
import os from 'node:os';

export interface CatalogModel {
  /** The name `rein models pull` and `model.name` take. */
  name: string;
  title: string;
  /** hf:<org>/<repo>/<file>.gguf */
  uri: string;
  file: string;
  sizeBytes: number;
  sha256: string;
  licence: string;
  licenceUrl: string;
  kind: 'chat' | 'embedding';
}

const GB = 1024 ** 3;

export const CATALOG: readonly CatalogModel[] = [
  {
    name: 'qwen3-4b',
    title: 'Qwen3 4B (Q4_K_M)',
    uri: 'hf:Qwen/Qwen3-4B-GGUF/Qwen3-4B-Q4_K_M.gguf',
    file: 'Qwen3-4B-Q4_K_M.gguf',
    sizeBytes: 2_497_280_256,
    sha256: '7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5',
    licence: 'Apache-2.0',
    licenceUrl: 'https://huggingface.co/Qwen/Qwen3-4B/blob/main/LICENSE',
    kind: 'chat',
  },
  {
    name: 'qwen3-8b',
    title: 'Qwen3 8B (Q4_K_M)',
    uri: 'hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf',
    file: 'Qwen3-8B-Q4_K_M.gguf',
    sizeBytes: 5_027_783_488,
    sha256: 'd98cdcbd03e17ce47681435b5150e34c1417f50b5c0019dd560e4882c5745785',
    licence: 'Apache-2.0',
    licenceUrl: 'https://huggingface.co/Qwen/Qwen3-8B/blob/main/LICENSE',
    kind: 'chat',
  },
  {
    // memory.embed_model's default name: with the embedded engine it is this GGUF.
    name: 'nomic-embed-text',
    title: 'nomic-embed-text v1.5 (Q8_0)',
    uri: 'hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q8_0.gguf',
    file: 'nomic-embed-text-v1.5.Q8_0.gguf',
    sizeBytes: 146_146_432,
    sha256: '3e24342164b3d94991ba9692fdc0dd08e3fd7362e0aacc396a9a5c54a544c3b7',
    licence: 'Apache-2.0',
    licenceUrl: 'https://huggingface.co/nomic-ai/nomic-embed-text-v1.5',
    kind: 'embedding',
  },
];

/**
 * Tests only: REIN_MODEL_CATALOG names a JSON file of CatalogModel entries that replaces the table (so a test can
 * serve a tiny GGUF as "the recommended model" with that file's own size and SHA-256).
 */
export const CATALOG_ENV = 'REIN_MODEL_CATALOG';

export function catalogEntries(env: NodeJS.ProcessEnv = process.env): readonly CatalogModel[] {
  const file = env[CATALOG_ENV];
  return file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogModel[]) : CATALOG;
}

export function catalogModel(name: string, env: NodeJS.ProcessEnv = process.env): CatalogModel | undefined {
  const lower = name.toLowerCase().replace(/:latest$/, '');
  return catalogEntries(env).find((m) => m.name === lower || m.uri.toLowerCase() === lower || m.file.toLowerCase() === lower);
}

/** Under 16 GB of memory a 4B model at Q4 (about 2.5 GB on disk, 4 GB in use); from 16 GB the 8B one. */
export function recommendedModel(totalMemoryBytes = os.totalmem(), env: NodeJS.ProcessEnv = process.env): { model: CatalogModel; reason: string } {
  const gb = Math.round(totalMemoryBytes / GB);
  const big = totalMemoryBytes >= 15.5 * GB; // "16 GB" machines report a little less
  const model = catalogModel(big ? 'qwen3-8b' : 'qwen3-4b', env)!;
  return { model, reason: `this machine has ${gb} GB of memory: ${big ? 'an 8B model at Q4 fits with room to spare' : 'a 4B model at Q4 runs well under 16 GB'}` };
}

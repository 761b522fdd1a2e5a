// Child process of the kill -9 test: ingests a folder, says HALF once some files are done, and goes on until killed.
import { KnowledgeBase, SqliteKnowledgeStore } from '../../../src/runtime/knowledge/index.ts';
import { createEmbedder, parseConfig } from '../../../src/runtime/index.ts';

const home = process.env.REIN_HOME!;
const parsed = parseConfig('', { env: { REIN_HOME: home }, baseDir: home });
const config = { ...parsed, model: { ...parsed.model, provider: 'ollama' as const, name: parsed.model.name || 'qwen3:4b', base_url: process.env.OLLAMA_URL! } };
// A slow model (100 ms per call), so the parent's kill lands in the middle of the folder.
const model = createEmbedder(config, 'nomic-embed-text');
const slow = { model: model.model, embed: async (texts: string[], signal?: AbortSignal) => (await new Promise((r) => setTimeout(r, 100)), model.embed(texts, signal)) };
const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, slow);
const source = await base.addSource({ path: process.env.DOCS! }, 'user', false);
let said = false;
await base.ingest(source.id, {}, (p) => {
  if (!said && p.done >= Number(process.env.HALF)) {
    said = true;
    process.stdout.write('HALF\n');
  }
});
process.stdout.write('ALL DONE\n');

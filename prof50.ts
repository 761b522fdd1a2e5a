import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeBase, SqliteKnowledgeStore } from './src/runtime/knowledge/index.ts';
import { parseConfig } from './src/runtime/config/index.ts';
const root = '/tmp/kprof50';
const fresh = !fs.existsSync(root);
const docs = path.join(root, 'd');
const SY = 'ka lo mi ne ru sa te vo bi da fe gu ho ji lu po'.split(' ');
const W = Array.from({ length: 4096 }, (_, i) => [0, 1, 2].map((k) => SY[(i >> (4 * k)) & 15]).join(''));
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
if (fresh) {
  fs.mkdirSync(docs, { recursive: true });
  for (let i = 0; i < 2500; i++) fs.writeFileSync(path.join(docs, `f${i}.md`), Array.from({ length: 20 }, (_, s) => `## S${s}\n\n${Array.from({ length: 90 }, () => W[Math.floor(rnd() * 4096)]).join(' ')}.\n`).join('\n'));
}
const config = parseConfig('', { env: { REIN_HOME: root }, baseDir: root });
const hash = (w: string) => { let h = 2166136261; for (const c of w) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0; return h; };
const embed = { model: 'x', embed: async (t: string[]) => t.map((x) => { const v = new Array(384).fill(0); for (const w of x.match(/[a-z]{3,}/g) ?? []) v[hash(w) % 384] += 1; const n = Math.hypot(...v) || 1; return v.map((y) => y / n); }) };
const base = new KnowledgeBase(new SqliteKnowledgeStore(path.join(root, 'rein.db')), config.knowledge, embed);
if (fresh) { const s = await base.addSource({ path: docs }, 'user', false); await base.ingest(s.id); }
else await base.vectors.embed(['warm']);
const st = base.store;
console.log(await st.counts());
const q = () => Array.from({ length: 4 }, () => W[Math.floor(rnd() * 4096)]).join(' ');
const time = async (label: string, fn: () => Promise<unknown>) => { const t = performance.now(); for (let i = 0; i < 10; i++) await fn(); console.log(label, ((performance.now() - t) / 10).toFixed(1), 'ms'); };
await time('searchText', () => st.searchText(q(), {}, 40));
const space = base.vectors.currentSpace!;
const vec = (await embed.embed([q()]))[0]!;
await time('searchVector', () => st.searchVector(space, vec, {}, 40));
await time('search', () => base.search(q(), { all: true }));

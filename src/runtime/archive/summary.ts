// Counts and order-independent checksums of what an archive or a store holds, so an import can be checked against
// its archive. Only content is summed: ids a store assigns (knowledge), use times and checkpoint times are left out;
// vectors are compared at float32 precision.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../base/index.ts';
import type { ArchiveRecord, ArchiveSummary } from './format.ts';

export class Summer {
  private readonly counts = new Map<string, number>();
  private readonly sums = new Map<string, Buffer>();

  add(record: ArchiveRecord): void {
    const [kind, content] = contentOf(record) ?? [];
    if (!kind) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    const digest = createHash('sha256').update(canonicalJson(content)).digest();
    const sum = this.sums.get(kind) ?? Buffer.alloc(32);
    for (let i = 0; i < 32; i++) sum[i] = (sum[i]! + digest[i]!) & 0xff; // a sum of hashes: the order of records does not matter
    this.sums.set(kind, sum);
  }

  summary(): ArchiveSummary {
    const kinds = [...this.counts.keys()].sort();
    return {
      counts: Object.fromEntries(kinds.map((k) => [k, this.counts.get(k)!])),
      checksums: Object.fromEntries(kinds.map((k) => [k, this.sums.get(k)!.toString('hex')])),
    };
  }
}

const f32 = (vector: number[]) => [...new Float32Array(vector)].map((x) => Number(x.toPrecision(6)));

function contentOf(record: ArchiveRecord): [string, unknown] | undefined {
  switch (record.type) {
    case 'session':
      return ['sessions', { id: record.id, events: record.events, step: record.checkpoint?.step, seq: record.checkpoint?.seq, run: record.checkpoint?.run, working: record.checkpoint?.working }];
    case 'note': {
      const { lastUsedAt: _used, ...note } = record.note;
      return ['notes', note];
    }
    case 'note.vector':
      return [`note vectors (${record.space.model}, ${record.space.dimensions})`, { id: record.noteId, v: f32(record.vector) }];
    case 'knowledge.source': {
      const { id: _id, createdAt: _at, ...source } = record.source;
      return ['knowledge sources', source];
    }
    case 'knowledge.file': {
      const { id: _id, sourceId: _s, updatedAt: _u, ...file } = record.file;
      return ['knowledge files', { ...file, chunks: record.chunks.map(({ id: _c, ...chunk }) => chunk) }];
    }
    case 'knowledge.vector':
      return [`knowledge vectors (${record.space.model}, ${record.space.dimensions})`, f32(record.vector)];
    default:
      return undefined;
  }
}

// Note vectors in Qdrant (memory.semantic: qdrant://host:port/collection), through the official REST client, loaded
// only when configured. One collection per embedding space — `<collection>--<model>--<dimensions>`, the model's
// characters Qdrant refuses written as ~hex — with cosine distance; a point's id is its note's id and its payload
// the note's session (so a session's notes go in one delete). Nothing of a note's text is sent to Qdrant.
import type { QdrantClient } from '@qdrant/js-client-rest';
import { errorMessage } from '../../base/index.ts';
import { QDRANT_KEYCHAIN_SERVICE, type QdrantLocation } from '../../config/index.ts';
import { openKeychain, type Keychain } from '../../keychain/index.ts';
import type { EmbeddingSpace, RankedNote } from '../store.ts';

/** A request to Qdrant that takes longer than this fails (recall goes on with full-text search). */
const TIMEOUT_MS = 10_000;
const SEPARATOR = '--';

export class QdrantError extends Error {}

export class QdrantVectors {
  readonly where: string;
  private readonly client: QdrantClient;
  private readonly base: string;
  /** Collections known to exist (created or seen) in this process. */
  private readonly known = new Set<string>();

  private constructor(client: QdrantClient, location: QdrantLocation) {
    this.client = client;
    this.base = location.collection;
    this.where = `${location.identity}/${location.collection}`;
  }

  /** The API key comes from the URL (`${env:…}` in rein.yaml) or the keychain (`rein worker password qdrant://…`). */
  static async connect(location: QdrantLocation, keychain?: Keychain): Promise<QdrantVectors> {
    const { QdrantClient: Client } = await import('@qdrant/js-client-rest');
    const apiKey = location.apiKey ?? keychainKey(location.identity, keychain);
    // The key goes as the `api-key` header itself: the client's own apiKey option would warn on the console over
    // plain HTTP (a team's Qdrant on its own network may well be), and its version check warns there too.
    const client = new Client({ url: location.url, timeout: TIMEOUT_MS, checkCompatibility: false, ...(apiKey ? { headers: { 'api-key': apiKey } } : {}) });
    return new QdrantVectors(client, location);
  }

  collectionOf(model: string, dimensions: number): string {
    const escaped = [...model].map((c) => (/[<>:"/\\|?*~]/.test(c) || c.charCodeAt(0) < 0x20 ? `~${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
    return `${this.base}${SEPARATOR}${escaped}${SEPARATOR}${dimensions}`;
  }

  /** The space of a collection of ours, or undefined for another collection. */
  private spaceOf(name: string): EmbeddingSpace | undefined {
    if (!name.startsWith(`${this.base}${SEPARATOR}`)) return undefined;
    const rest = name.slice(this.base.length + SEPARATOR.length);
    const cut = rest.lastIndexOf(SEPARATOR);
    const dimensions = Number(rest.slice(cut + SEPARATOR.length));
    if (cut <= 0 || !Number.isInteger(dimensions) || dimensions <= 0) return undefined;
    const model = rest.slice(0, cut).replace(/~([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return { id: spaceId(name), model, dimensions };
  }

  /** The space's collection, created (cosine distance) when missing. */
  async ensureSpace(model: string, dimensions: number): Promise<EmbeddingSpace> {
    const name = this.collectionOf(model, dimensions);
    if (!this.known.has(name)) {
      await this.call(`creating collection ${name}`, async () => {
        if ((await this.client.collectionExists(name)).exists) return;
        try {
          await this.client.createCollection(name, { vectors: { size: dimensions, distance: 'Cosine' } });
        } catch (error) {
          if (statusOf(error) !== 409) throw error; // another host created it meanwhile
        }
      });
      this.known.add(name);
    }
    return { id: spaceId(name), model, dimensions };
  }

  /** Every space with a collection of ours on the server. */
  async spaces(): Promise<EmbeddingSpace[]> {
    const { collections } = await this.call('listing collections', () => this.client.getCollections());
    return collections.flatMap((c) => this.spaceOf(c.name) ?? []).sort((a, b) => a.model.localeCompare(b.model) || a.dimensions - b.dimensions);
  }

  async upsert(space: EmbeddingSpace, points: { noteId: number; vector: number[]; sessionId?: string }[]): Promise<void> {
    if (!points.length) return;
    const name = this.collectionOf(space.model, space.dimensions);
    await this.call(`writing ${points.length} vectors to ${name}`, () =>
      this.client.upsert(name, { wait: true, points: points.map((p) => ({ id: p.noteId, vector: p.vector, payload: p.sessionId ? { session: p.sessionId } : {} })) }),
    );
  }

  /** Removes notes' vectors from every space (a note deleted, or edited: its old vector no longer fits). */
  async remove(noteIds: number[]): Promise<void> {
    if (!noteIds.length) return;
    for (const space of await this.spaces()) {
      const name = this.collectionOf(space.model, space.dimensions);
      await this.call(`deleting vectors from ${name}`, () => this.client.delete(name, { wait: true, points: noteIds }));
    }
  }

  /** Removes the vectors of a session's notes from every space. */
  async removeSession(sessionId: string): Promise<void> {
    for (const space of await this.spaces()) {
      const name = this.collectionOf(space.model, space.dimensions);
      await this.call(`deleting vectors from ${name}`, () => this.client.delete(name, { wait: true, filter: { must: [{ key: 'session', match: { value: sessionId } }] } }));
    }
  }

  /** Which of these notes have a vector in the space. */
  async present(space: EmbeddingSpace, noteIds: number[]): Promise<Set<number>> {
    if (!noteIds.length) return new Set();
    const name = this.collectionOf(space.model, space.dimensions);
    const found = await this.call(`reading ${name}`, () => this.client.retrieve(name, { ids: noteIds, with_payload: false, with_vector: false }), []);
    return new Set(found.map((point) => Number(point.id)));
  }

  /** The nearest notes, best first; distance is cosine distance (1 − Qdrant's cosine score). */
  async search(space: EmbeddingSpace, vector: number[], limit: number): Promise<RankedNote[]> {
    const name = this.collectionOf(space.model, space.dimensions);
    const { points } = await this.call(`searching ${name}`, () => this.client.query(name, { query: vector, limit, with_payload: false }), { points: [] });
    return points.map((point, rank) => ({ id: Number(point.id), rank, distance: 1 - point.score }));
  }

  /** The vectors of a space in note id order, a page at a time (export). */
  async page(space: EmbeddingSpace, afterNoteId: number, limit: number): Promise<{ noteId: number; vector: number[] }[]> {
    const name = this.collectionOf(space.model, space.dimensions);
    const { points } = await this.call(`reading ${name}`, () => this.client.scroll(name, { offset: afterNoteId + 1, limit, with_payload: false, with_vector: true }), { points: [] });
    return points.map((point) => ({ noteId: Number(point.id), vector: point.vector as number[] }));
  }

  /** Runs a request; a missing collection gives `absent` when one is given; other failures say where and what. */
  private async call<T>(what: string, request: () => Promise<T>, absent?: T): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (absent !== undefined && statusOf(error) === 404) return absent;
      throw new QdrantError(`Qdrant at ${this.where}: ${what} failed: ${describe(error)}`, { cause: error });
    }
  }
}

function keychainKey(identity: string, keychain?: Keychain): string | undefined {
  try {
    return (keychain ?? openKeychain()).get(QDRANT_KEYCHAIN_SERVICE, identity)?.value;
  } catch {
    return undefined;
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The server's own words when it gave some (`{"status": {"error": …}}`), else the status or the network error. */
function describe(error: unknown): string {
  const data = (error as { data?: { status?: { error?: string } } } | undefined)?.data;
  const status = statusOf(error);
  if (data?.status?.error) return `${data.status.error}${status ? ` (HTTP ${status})` : ''}`;
  if (status === 401 || status === 403) return `HTTP ${status}: the API key is missing or wrong (put it in the URL as \${env:…} or store it with rein worker password qdrant://host:port/collection)`;
  if (status) return `HTTP ${status}`;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause ? `${errorMessage(error)} (${errorMessage(cause)})` : errorMessage(error);
}

/** A stable positive id for a space (the stores' spaces have database ids; these have names). */
function spaceId(name: string): number {
  let hash = 0;
  for (const char of name) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return (hash >>> 1) || 1;
}

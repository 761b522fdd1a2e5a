// A scripted server speaking Qdrant's REST API — exactly the endpoints @qdrant/js-client-rest calls for Rein's
// memory, with Qdrant's request and response shapes (OpenAPI: {result, status: "ok", time}; errors as
// {status: {error}, time}: 404 for a missing collection, 409 when creating one that exists, 400 for a vector of the
// wrong size; 401 when an API key is set and the request has none or another), so the real client is exercised over
// HTTP. Cosine distance as Qdrant computes it: vectors normalised on upsert, the score is their dot product.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Point {
  vector: number[];
  payload: Record<string, unknown>;
}

interface Collection {
  size: number;
  distance: string;
  points: Map<number, Point>;
}

export interface QdrantRequest {
  method: string;
  path: string;
  apiKey?: string;
}

export interface ScriptedQdrantOptions {
  /** Require this API key (the `api-key` header), as a server started with QDRANT__SERVICE__API_KEY does. */
  apiKey?: string;
}

type Filter = { must?: { key: string; match: { value: unknown } }[] };

export class ScriptedQdrant {
  readonly url: string;
  readonly collections = new Map<string, Collection>();
  readonly requests: QdrantRequest[] = [];
  /** While set, every request is answered with this status and error (a server in trouble). */
  failWith: { status: number; error: string } | undefined;
  private readonly server: http.Server;
  private operation = 0;

  private constructor(server: http.Server, url: string) {
    this.server = server;
    this.url = url;
  }

  static async start(options: ScriptedQdrantOptions = {}): Promise<ScriptedQdrant> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new ScriptedQdrant(server, `qdrant://127.0.0.1:${port}`);
    server.on('request', (req, res) => void self.handle(req, res, options));
    return self;
  }

  /** The port, for a qdrant:// URL of one's own. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, options: ScriptedQdrantOptions): Promise<void> {
    const started = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://qdrant');
    const key = req.headers['api-key'];
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, ...(typeof key === 'string' ? { apiKey: key } : {}) });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const ok = (result: unknown) => send(200, { result, status: 'ok', time: (performance.now() - started) / 1000 });
    const fail = (status: number, error: string) => send(status, { status: { error }, time: (performance.now() - started) / 1000 });
    if (options.apiKey && url.pathname !== '/' && key !== options.apiKey) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(key === undefined ? 'Must provide an API key or an Authorization bearer token' : 'Invalid API key or JWT');
      return;
    }
    if (this.failWith) return fail(this.failWith.status, this.failWith.error);
    let body: Record<string, unknown> = {};
    try {
      if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(400, 'Format error in JSON body: expected value at line 1 column 1');
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') return send(200, { title: 'qdrant - vector search engine', version: '1.19.0', commit: 'scripted' });
    if (route === 'GET /collections') return ok({ collections: [...this.collections.keys()].map((name) => ({ name })) });
    const match = /^\/collections\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) return fail(404, `Not found: ${url.pathname}`);
    const name = decodeURIComponent(match[1]!);
    const rest = match[2] ?? '';
    const collection = this.collections.get(name);
    if (req.method === 'GET' && rest === '/exists') return ok({ exists: collection !== undefined });
    if (req.method === 'PUT' && rest === '') {
      if (collection) return fail(409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = body.vectors as { size?: number; distance?: string } | undefined;
      if (!vectors?.size || !vectors.distance) return fail(400, 'Validation error in JSON body: [vectors]: missing size or distance');
      this.collections.set(name, { size: vectors.size, distance: vectors.distance, points: new Map() });
      return ok(true);
    }
    if (!collection) return fail(404, `Not found: Collection \`${name}\` doesn't exist!`);
    const update = () => ok({ operation_id: ++this.operation, status: url.searchParams.get('wait') === 'true' ? 'completed' : 'acknowledged' });
    switch (`${req.method} ${rest}`) {
      case 'PUT /points': {
        const points = body.points as { id: number; vector: number[]; payload?: Record<string, unknown> }[];
        for (const point of points) {
          if (point.vector.length !== collection.size) return fail(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${point.vector.length}`);
        }
        for (const point of points) collection.points.set(Number(point.id), { vector: collection.distance === 'Cosine' ? normalise(point.vector) : point.vector, payload: point.payload ?? {} });
        return update();
      }
      case 'POST /points/delete': {
        if (Array.isArray(body.points)) {
          for (const id of body.points as number[]) collection.points.delete(Number(id));
        } else if (body.filter) {
          for (const [id, point] of collection.points) if (matches(point, body.filter as Filter)) collection.points.delete(id);
        } else {
          return fail(400, 'Validation error in JSON body: either points or filter is required');
        }
        return update();
      }
      case 'POST /points': {
        const ids = (body.ids as number[]).map(Number).filter((id) => collection.points.has(id));
        return ok(ids.map((id) => record(id, collection.points.get(id)!, body)));
      }
      case 'POST /points/query': {
        const query = body.query as number[];
        if (query.length !== collection.size) return fail(400, `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${query.length}`);
        const unit = normalise(query);
        const scored = [...collection.points].map(([id, point]) => ({ id, point, score: dot(unit, point.vector) })).sort((a, b) => b.score - a.score || a.id - b.id);
        const limit = Number(body.limit ?? 10);
        return ok({ points: scored.slice(0, limit).map(({ id, point, score }) => ({ ...record(id, point, body), version: this.operation, score })) });
      }
      case 'POST /points/scroll': {
        const limit = Number(body.limit ?? 10);
        const from = body.offset === undefined || body.offset === null ? -Infinity : Number(body.offset);
        const ids = [...collection.points.keys()].filter((id) => id >= from && (!body.filter || matches(collection.points.get(id)!, body.filter as Filter))).sort((a, b) => a - b);
        const page = ids.slice(0, limit);
        return ok({ points: page.map((id) => record(id, collection.points.get(id)!, body)), next_page_offset: ids[limit] ?? null });
      }
      default:
        return fail(404, `Not found: ${route}`);
    }
  }

  /** The stored (normalised) vector of a point, or undefined. */
  vector(collection: string, id: number): number[] | undefined {
    return this.collections.get(collection)?.points.get(id)?.vector;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function record(id: number, point: Point, body: Record<string, unknown>): Record<string, unknown> {
  return { id, ...(body.with_payload === false ? {} : { payload: point.payload }), ...(body.with_vector === true ? { vector: point.vector } : {}) };
}

function matches(point: Point, filter: Filter): boolean {
  return (filter.must ?? []).every((condition) => point.payload[condition.key] === condition.match.value);
}

function normalise(vector: number[]): number[] {
  const length = Math.hypot(...vector);
  return length ? vector.map((x) => x / length) : vector;
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i]!, 0);
}

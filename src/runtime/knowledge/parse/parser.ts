// Document parsing outside the host: a pool of parser processes (the shared ProcessPool), one file at a time
// each, with a V8 heap cap (--max-old-space-size, and the parse thread's own cap), an RSS and CPU watchdog
// inside the parser, and a wall clock here that SIGKILLs a parser that does not answer. Every failure becomes an
// UnreadableFileError naming the limit, which ingestion records on the file.
import { ChildWorker, ProcessPool, workerEntry, type ChildDeath } from '../../workers/index.ts';
import { UnreadableFileError } from './blocks.ts';
import { wallClockMs, type ParseLimits } from './limits.ts';
import type { FromParser, ParseJob, ParseOutput, ToParser } from './protocol.ts';

export interface ParserOptions {
  workers: number;
  /** An idle parser ends after this long (default 30 s). */
  idleMs?: number;
  /** The parser script (default: the bundled `parse-worker.js`, else worker.ts) and the Node that runs it. */
  entry?: string;
  execPath?: string;
}

export const BUNDLED_PARSER = 'parse-worker.js';

class ParserProcess extends ChildWorker<ToParser, FromParser> {
  readonly memoryMb: number;
  private readonly entry: string;
  private nextId = 0;

  constructor(entry: string, execPath: string, memoryMb: number) {
    super({ entry, execPath, execArgv: [`--max-old-space-size=${memoryMb}`], serialization: 'advanced' });
    this.entry = entry;
    this.memoryMb = memoryMb;
  }

  async parse(job: ParseJob, signal?: AbortSignal): Promise<ParseOutput> {
    if (this.death) throw this.death;
    this.busy = true;
    this.keepAlive(true);
    return new Promise<ParseOutput>((resolve, reject) => {
      const id = ++this.nextId;
      let settled = false;
      const finish = (outcome: ParseOutput | Error, retire: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.release(retire);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const limitMs = wallClockMs(job.limits);
      const timer = setTimeout(
        () => finish(new UnreadableFileError(`parsing did not finish within ${Math.round(limitMs / 1000)} s (knowledge.parse.timeout_s = ${job.limits.cpuSeconds}); not tried again until the file changes`), true),
        limitMs,
      );
      const onAbort = () => finish(new UnreadableFileError(`parsing was stopped: ${String((signal?.reason as Error | undefined)?.message ?? signal?.reason)}`), true);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.onGone = (error) => finish(error, true);
      // The ready handshake has the handler until then.
      void this.ready.then(
        () => {
          if (settled) return;
          this.handler = (message) => {
            if (message.type !== 'done' || message.id !== id) return;
            const { reply } = message;
            finish(reply.ok ? reply.output : new UnreadableFileError(reply.message, { skip: reply.skip ?? false }), message.ending);
          };
          this.send({ type: 'parse', id, job });
        },
        (error: Error) => finish(error, true),
      );
    });
  }

  protected deathError(death: ChildDeath): Error {
    if (!death.started) return new UnreadableFileError(`the document parser (${this.entry}) could not start: it ${death.how}${death.startError ? ` (${death.startError})` : ''}`);
    const memory = /heap|out of memory|allocation failed/i.test(death.detail);
    return new UnreadableFileError(
      memory
        ? `parsing ran out of memory (knowledge.parse.memory_mb = ${this.memoryMb}); not tried again until the file changes`
        : `the document parser ${death.how} while reading this file; not tried again until the file changes${death.detail ? ` (${death.detail})` : ''}`,
    );
  }
}

export class DocumentParser {
  private readonly pool: ProcessPool<ParserProcess, number>;
  private readonly limits: () => ParseLimits;

  constructor(limits: () => ParseLimits, options: ParserOptions) {
    this.limits = limits;
    const entry = options.entry ?? workerEntry({ envVar: 'REIN_PARSE_WORKER', bundled: BUNDLED_PARSER, source: './worker.ts', from: import.meta.url });
    const execPath = options.execPath ?? (process.env.REIN_SANDBOX_NODE || process.execPath);
    this.pool = new ProcessPool<ParserProcess, number>({
      size: options.workers,
      idleMs: options.idleMs ?? 30_000,
      spawn: (memoryMb) => new ParserProcess(entry, execPath, memoryMb),
      keyOf: (worker) => worker.memoryMb,
      errors: {
        closed: () => new UnreadableFileError('document parsing is closed (Rein is shutting down)'),
        busy: (waitMs, size) => new UnreadableFileError(`no document parser became free within ${Math.round(waitMs / 1000)} s: all ${size} are busy (knowledge.parse.workers)`),
        aborted: (reason) => new UnreadableFileError(`parsing was stopped: ${String((reason as Error | undefined)?.message ?? reason)}`),
      },
    });
  }

  /** Live parser processes (for tests and diagnostics). */
  get pids(): number[] {
    return this.pool.pids;
  }

  /** Parses `bytes` in a parser process; with `chunk`, cut into passages there too. */
  async parse(input: Omit<ParseJob, 'limits'>, signal?: AbortSignal): Promise<ParseOutput> {
    const limits = this.limits();
    const worker = await this.pool.acquire(limits.memoryMb, wallClockMs(limits) * 4, signal);
    return worker.parse({ ...input, limits }, signal);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

import { stableId } from '../core/ids';
import { parseArticleLine } from '../corpus/jsonl';
import { isQuotaError, putMeta, StorageFullError, type LibraryDb } from '../corpus/library-db';
import { toStored, type StoredArticle } from '../corpus/records';
import { CodedError, parseAppError, parseOptionalError, toAppError, type AppError } from '../messaging/errors';
import { MAX_REPORTED_BAD_LINES, type ImportStatus } from '../messaging/library-io';
import type { Library } from './library';

/**
 * The JSONL import, run by the worker (issue 13). The options page hands the file over in chunks of
 * whole lines; each chunk is stored in the library's `meta` store beside the job record, so the
 * import needs nothing from the page once the last chunk is in: closing the tab does not stop it.
 * The job record holds the progress (the next chunk and line, the counts); after each batch the
 * articles are written first and the progress second, so a worker stopped in between stores that
 * batch again on its next start. That is harmless: an article's id comes from its address (or
 * outlet and headline), so storing it again replaces the same record, and the counts move only
 * with the progress record.
 */
export const JOB_KEY = 'importJob';
export const chunkKey = (seq: number) => `importChunk:${seq}`;

/** Lines stored per batch: one IndexedDB transaction and one progress step (the page polls ~2 times a second). */
export const IMPORT_BATCH = 1000;
/** A job whose file stopped arriving this long ago was abandoned (the tab closed mid-upload). */
export const RECEIVE_TIMEOUT_MS = 60_000;

interface StoredJob extends ImportStatus {
  chunks: number;
  /** Chunks stored so far (they arrive in order). */
  received: number;
  /** Where the import goes on: chunk `seq`, line `line` within it. */
  next: { seq: number; line: number };
  updatedAt: string;
}

interface StoredChunk {
  firstLine: number;
  text: string;
}

export interface ImportJobDeps {
  library: Library;
  now?: () => number;
  /** Called after each batch: the real worker calls an extension API, which keeps Chrome from stopping it mid-import. */
  keepAlive?: () => unknown;
  /** Lines per batch (tests use a few). */
  batch?: number;
  /** Test seam: runs between a batch's article write and its progress write (a stop there must not duplicate). */
  afterWrite?: () => Promise<void> | void;
}

function publicStatus(job: StoredJob): ImportStatus {
  const { chunks: _chunks, received: _received, next: _next, updatedAt: _updatedAt, ...status } = job;
  return status;
}

export class ImportJobs {
  private readonly library: Library;
  private readonly now: () => number;
  private readonly batch: number;
  /** Job records are read and written one operation at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private running: Promise<void> | null = null;

  constructor(private readonly deps: ImportJobDeps) {
    this.library = deps.library;
    this.now = deps.now ?? Date.now;
    this.batch = deps.batch ?? IMPORT_BATCH;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async job(db: LibraryDb): Promise<StoredJob | null> {
    const raw = (await db.get('meta', JOB_KEY)) as StoredJob | undefined;
    if (!raw || typeof raw !== 'object' || typeof raw.jobId !== 'string') return null;
    // Storage is a boundary: a job whose counts are not counts is none (not a TypeError on every
    // status and begin, which kept any import from starting: attack review, helper-32).
    const counts = [raw.total, raw.done, raw.chunks, raw.received, raw.next?.seq, raw.next?.line];
    if (!counts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) || typeof raw.state !== 'string') return null;
    // Errors checked: a job stored by an earlier version holds sentences, kept as 'earlier'.
    const bad = Array.isArray(raw.bad)
      ? raw.bad.flatMap((b: unknown) => {
          const entry = b as { line?: unknown; error?: unknown } | null;
          return entry && typeof entry === 'object' && typeof entry.line === 'number' ? [{ line: entry.line, error: parseAppError(entry.error) }] : [];
        })
      : [];
    return { ...raw, bad, error: parseOptionalError(raw.error) };
  }

  private async discardChunks(db: LibraryDb, job: StoredJob): Promise<void> {
    const tx = db.transaction('meta', 'readwrite');
    for (let seq = 0; seq < job.chunks; seq++) tx.store.delete(chunkKey(seq)).catch(() => undefined);
    await tx.done;
  }

  private stamp(job: StoredJob): StoredJob {
    return { ...job, updatedAt: new Date(this.now()).toISOString() };
  }

  /**
   * On worker start: an import that was being stored goes on; one whose file stopped arriving is
   * marked failed. Call once, as the worker starts.
   */
  resume(): Promise<void> {
    return this.serial(async () => {
      const db = await this.library.db();
      await this.settleAbandoned(db, await this.job(db));
    }).then(() => this.kick());
  }

  /** A job whose file stopped arriving (its tab closed or reloaded mid-upload) is marked failed. Call inside serial. */
  private async settleAbandoned(db: LibraryDb, job: StoredJob | null): Promise<StoredJob | null> {
    if (job?.state !== 'receiving' || this.now() - Date.parse(job.updatedAt) <= RECEIVE_TIMEOUT_MS) return job;
    await this.discardChunks(db, job);
    const failed: StoredJob = { ...this.stamp(job), state: 'failed', error: { code: 'importAbandoned' }, finishedAt: new Date(this.now()).toISOString() };
    await putMeta(db, JOB_KEY, failed);
    return failed;
  }

  /**
   * The running or last import, null when there was none. An upload abandoned while the worker
   * stayed awake (an options page polling keeps it so) is settled here too, not only at start.
   */
  status(): Promise<ImportStatus | null> {
    return this.serial(async () => {
      const db = await this.library.db();
      const job = await this.settleAbandoned(db, await this.job(db));
      return job && publicStatus(job);
    });
  }

  begin(total: number, chunks: number): Promise<ImportStatus> {
    return this.serial(async () => {
      const db = await this.library.db();
      const previous = await this.job(db);
      if (previous?.state === 'running') {
        // Running with nothing storing it (its run stopped on an error it could not record): go on.
        if (!this.running) void this.kick();
        throw new CodedError({ code: 'importBusy' });
      }
      // A file larger than the library keeps would be pruned down at once, newest first by when it
      // arrived, so the feeds' current news would go to keep an archive (attack review, helper-30).
      const { maxArticles } = await this.library.settings();
      if (total > maxArticles) throw new CodedError({ code: 'importOverCap', count: total, limit: maxArticles });
      if (previous) await this.discardChunks(db, previous);
      const at = new Date(this.now()).toISOString();
      const job: StoredJob = {
        jobId: `i${stableId(`${at}:${Math.random()}`)}`,
        state: 'receiving',
        total,
        done: 0,
        added: 0,
        created: 0,
        updated: 0,
        merged: 0,
        skipped: 0,
        bad: [],
        error: null,
        startedAt: at,
        finishedAt: null,
        chunks,
        received: 0,
        next: { seq: 0, line: 0 },
        updatedAt: at,
      };
      await putMeta(db, JOB_KEY, job);
      return publicStatus(job);
    });
  }

  /** Stores one chunk; the last one starts the import. A chunk sent again (its answer was lost) is accepted once. */
  chunk(jobId: string, seq: number, firstLine: number, text: string): Promise<ImportStatus> {
    return this.serial(async () => {
      const db = await this.library.db();
      const job = await this.job(db);
      if (!job || job.jobId !== jobId) throw new CodedError({ code: 'importUnknown' });
      if (seq < job.received) return publicStatus(job);
      if (job.state !== 'receiving' || seq !== job.received || seq >= job.chunks) throw new CodedError({ code: 'importOutOfOrder', part: seq + 1 });
      const received = seq + 1;
      const next = this.stamp({ ...job, received, state: received === job.chunks ? 'running' : 'receiving' });
      // The chunk and the job that counts it are written together: both or neither.
      const tx = db.transaction('meta', 'readwrite');
      tx.store.put({ firstLine, text } satisfies StoredChunk, chunkKey(seq)).catch(() => undefined);
      tx.store.put(next, JOB_KEY).catch(() => undefined);
      try {
        await tx.done;
      } catch (error) {
        // A full disk: said as such (the file's lines in this part could not be kept), not as a bug.
        if (isQuotaError(error)) throw new StorageFullError(text.split('\n').filter((line) => line.trim()).length);
        throw error;
      }
      return publicStatus(next);
    }).then((status) => {
      if (status.state === 'running') this.kick();
      return status;
    });
  }

  /** Starts storing the pending import, once; resolves when it is done (tests wait on it). */
  kick(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const db = await this.library.db();
    for (;;) {
      const job = await this.serial(() => this.job(db));
      if (!job || job.state !== 'running') return;
      try {
        if (!(await this.step(db, job))) return;
      } catch (error) {
        // A write that failed outside the batch (its progress, on a full disk): the import ends
        // failed, with what was stored kept, so it neither stays 'running' nor blocks the next.
        const reason = isQuotaError(error) ? new StorageFullError(Math.max(0, job.total - job.done)) : error;
        await this.fail(db, job, toAppError(reason)).catch(() => undefined);
        return;
      }
      await this.deps.keepAlive?.();
    }
  }

  /** One batch of lines: stored, then counted. False when the import is over. */
  private async step(db: LibraryDb, job: StoredJob): Promise<boolean> {
    const at = new Date(this.now());
    if (job.next.seq >= job.chunks) {
      await this.serial(() => putMeta(db, JOB_KEY, { ...this.stamp(job), state: 'done', finishedAt: at.toISOString() }));
      return false;
    }
    const chunk = (await db.get('meta', chunkKey(job.next.seq))) as StoredChunk | undefined;
    if (!chunk || typeof chunk.text !== 'string') return this.fail(db, job, { code: 'importPartLost', part: job.next.seq + 1 });
    const lines = (job.next.seq === 0 ? chunk.text.replace(/^\ufeff/, '') : chunk.text).split(/\r?\n/);
    const end = Math.min(lines.length, job.next.line + this.batch);
    const articles: StoredArticle[] = [];
    const bad = [...job.bad];
    let done = 0;
    let skipped = 0;
    for (let i = job.next.line; i < end; i++) {
      if (!lines[i].trim()) continue;
      done++;
      const parsed = parseArticleLine(lines[i], 'import');
      if (parsed.ok) articles.push(toStored(parsed.article, at));
      else {
        skipped++;
        if (bad.length < MAX_REPORTED_BAD_LINES) bad.push({ line: chunk.firstLine + i, error: parsed.problem });
      }
    }
    let counts: Awaited<ReturnType<Library['add']>>;
    try {
      counts = await this.library.add(articles);
    } catch (error) {
      // Storage full, or the database gone: what was stored stays, the rest of the file is dropped.
      return this.fail(db, job, toAppError(error));
    }
    await this.deps.afterWrite?.();
    const chunkDone = end >= lines.length;
    const progressed = this.stamp({
      ...job,
      done: job.done + done,
      added: job.added + articles.length,
      created: (job.created ?? 0) + counts.added,
      updated: (job.updated ?? 0) + counts.updated,
      merged: (job.merged ?? 0) + counts.unchanged,
      skipped: job.skipped + skipped,
      bad,
      next: chunkDone ? { seq: job.next.seq + 1, line: 0 } : { seq: job.next.seq, line: end },
    });
    await this.serial(async () => {
      const tx = db.transaction('meta', 'readwrite');
      tx.store.put(progressed, JOB_KEY).catch(() => undefined);
      if (chunkDone) tx.store.delete(chunkKey(job.next.seq)).catch(() => undefined);
      await tx.done;
    });
    return true;
  }

  private async fail(db: LibraryDb, job: StoredJob, error: AppError): Promise<false> {
    await this.serial(async () => {
      await this.discardChunks(db, job);
      await putMeta(db, JOB_KEY, { ...this.stamp(job), state: 'failed', error, finishedAt: new Date(this.now()).toISOString() });
    });
    return false;
  }
}

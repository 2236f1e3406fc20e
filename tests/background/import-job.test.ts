import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { chunkKey, ImportJobs, JOB_KEY, RECEIVE_TIMEOUT_MS } from '../../src/background/import-job';
import { Library } from '../../src/background/library';
import { StorageFullError } from '../../src/corpus/library-db';
import { fromPage } from '../../src/corpus/records';
import { exportPage } from '../../src/background/library-export';
import { DEFAULTS } from '../../src/settings/schema';
import type { CodedError } from '../../src/messaging/errors';
import { chunkLines } from '../../src/ui/options/import-file';
import { CHANNEL } from '../../src/messaging/protocol';
import { MAX_IMPORT_LINE_CHARS } from '../../src/messaging/library-io';
import { parseEnvelope } from '../../src/messaging/validate';

const settings = async () => ({ ...DEFAULTS });
let dbCount = 0;
const freshName = () => `test-import-${++dbCount}`;

/** A JSONL file of `good` articles with two bad lines (numbers 4 and 9) and a blank line among them. */
function jsonl(good: number): string {
  const lines = Array.from({ length: good }, (_, i) =>
    JSON.stringify({
      id: `x${i}`,
      title: `Harbour council approves ferry route number ${i}`,
      source: 'Wire',
      publishedAt: '2026-11-20T10:00:00Z',
      url: `https://wire.example/${i}`,
    }),
  );
  lines.splice(3, 0, 'not json');
  lines.splice(8, 0, '{"id":"no-title"}');
  lines.splice(12, 0, '');
  return `${lines.join('\n')}\n`;
}

/** The options page's part: the file cut into chunks and handed over in order. */
async function upload(jobs: ImportJobs, text: string, maxChars = 400) {
  const { total, chunks } = chunkLines(text, maxChars);
  const begun = await jobs.begin(total, chunks.length);
  for (const [seq, chunk] of chunks.entries()) await jobs.chunk(begun.jobId, seq, chunk.firstLine, chunk.text);
  return { jobId: begun.jobId, total, chunks: chunks.length };
}

async function importedCount(library: Library): Promise<number> {
  const db = await library.db();
  return (await db.getAllKeysFromIndex('articles', 'kind', 'import')).length;
}

describe('the import runs in the worker (issue 13)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('refuses a file of more lines than the library keeps, before storing any, and keeps what is stored (helper-30)', async () => {
    const library = new Library(async () => ({ ...DEFAULTS, maxArticles: 20 }), [], freshName());
    const jobs = new ImportJobs({ library, batch: 7 });
    await upload(jobs, jsonl(10));
    await jobs.kick();
    expect(await importedCount(library)).toBe(10);
    const error = await upload(jobs, jsonl(30)).catch((e: unknown) => e);
    expect((error as CodedError).info).toEqual({ code: 'importOverCap', count: 32, limit: 20 });
    expect(await importedCount(library)).toBe(10);
    expect(await jobs.status()).toMatchObject({ state: 'done', added: 10 });
  });

  it('stores every good line from chunks, counts progress, and reports bad lines by their number in the file', async () => {
    const library = new Library(settings, [], freshName());
    const jobs = new ImportJobs({ library, batch: 7 });
    const { total, chunks } = await upload(jobs, jsonl(30));
    expect(chunks).toBeGreaterThan(3);
    expect(total).toBe(32);
    await jobs.kick();
    const status = await jobs.status();
    expect(status).toMatchObject({ state: 'done', total: 32, done: 32, added: 30, skipped: 2, error: null });
    expect(status!.bad).toEqual([
      { line: 4, error: { code: 'lineNotJson' } },
      { line: 9, error: { code: 'lineNeedsText', field: 'title' } },
    ]);
    expect(await importedCount(library)).toBe(30);
    // Nothing of the file is left behind in storage.
    const db = await library.db();
    expect(await db.get('meta', chunkKey(0))).toBeUndefined();
  });

  it('a worker stopped between storing a batch and counting it resumes on its next start, without duplicates', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    let batches = 0;
    let stopped: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (stopped = resolve));
    const dying = new ImportJobs({
      library: first,
      batch: 5,
      afterWrite: () => {
        // The third batch is stored, then the worker is stopped before its progress is: a
        // stopped worker runs nothing more, so this one never goes on.
        if (++batches === 3) {
          stopped();
          return new Promise<void>(() => undefined);
        }
      },
    });
    await upload(dying, jsonl(30));
    void dying.kick();
    await stop;
    const midway = (await dying.status())!;
    expect(midway.state).toBe('running');
    expect(midway.done).toBeLessThan(32);

    // A new worker on the same database: the stored job goes on where its progress says.
    const second = new Library(settings, [], name);
    const resumed = new ImportJobs({ library: second, batch: 5 });
    await resumed.resume();
    await resumed.kick();
    expect(await resumed.status()).toMatchObject({ state: 'done', done: 32, added: 30, skipped: 2 });
    expect(await importedCount(second)).toBe(30);
    expect((await second.stats()).byKind.import).toBe(30);
  });

  it('a job left running with nothing storing it is taken up again when a new import is refused (review, helper-22)', async () => {
    const name = freshName();
    let stopped: () => void = () => undefined;
    const stop = new Promise<void>((resolve) => (stopped = resolve));
    const dying = new ImportJobs({
      library: new Library(settings, [], name),
      batch: 5,
      afterWrite: () => {
        stopped();
        return new Promise<void>(() => undefined);
      },
    });
    await upload(dying, jsonl(30));
    void dying.kick();
    await stop;
    // Another worker object, not started through resume(): nothing is storing the running job.
    const library = new Library(settings, [], name);
    const jobs = new ImportJobs({ library, batch: 5 });
    await expect(jobs.begin(1, 1)).rejects.toMatchObject({ info: { code: 'importBusy' } });
    await vi.waitFor(async () => expect((await jobs.status())!.state).toBe('done'), { timeout: 5_000 });
    expect(await importedCount(library)).toBe(30);
  });

  it('takes a chunk sent again once, refuses one out of order, and refuses a second import while one is stored', async () => {
    const library = new Library(settings, [], freshName());
    const jobs = new ImportJobs({ library });
    const { chunks } = chunkLines(jsonl(30), 400);
    const begun = await jobs.begin(32, chunks.length);
    await jobs.chunk(begun.jobId, 0, chunks[0].firstLine, chunks[0].text);
    // The answer to chunk 0 was lost and the page sends it again: accepted, not stored twice.
    expect((await jobs.chunk(begun.jobId, 0, chunks[0].firstLine, chunks[0].text)).state).toBe('receiving');
    await expect(jobs.chunk(begun.jobId, 2, chunks[2].firstLine, chunks[2].text)).rejects.toMatchObject({ info: { code: 'importOutOfOrder', part: 3 } });
    await expect(jobs.chunk('i0000000000000', 1, chunks[1].firstLine, chunks[1].text)).rejects.toMatchObject({ info: { code: 'importUnknown' } });
    for (let seq = 1; seq < chunks.length; seq++) await jobs.chunk(begun.jobId, seq, chunks[seq].firstLine, chunks[seq].text);
    await expect(jobs.begin(1, 1)).rejects.toMatchObject({ info: { code: 'importBusy' } });
    await jobs.kick();
    expect(await jobs.status()).toMatchObject({ state: 'done', added: 30 });
    expect(await importedCount(library)).toBe(30);
  });

  it('reads a finished import stored by an earlier version, its errors sentences, as `earlier` (issue 11)', async () => {
    const library = new Library(settings, [], freshName());
    const jobs = new ImportJobs({ library });
    const begun = await jobs.begin(3, 1);
    const db = await library.db();
    const stored = (await db.get('meta', JOB_KEY)) as Record<string, unknown>;
    await db.put('meta', { ...stored, state: 'failed', error: 'storage full: no room', bad: [{ line: 2, error: 'not valid JSON' }] }, JOB_KEY);
    expect(await jobs.status()).toMatchObject({
      jobId: begun.jobId,
      state: 'failed',
      error: { code: 'earlier', detail: 'storage full: no room' },
      bad: [{ line: 2, error: { code: 'earlier', detail: 'not valid JSON' } }],
    });
  });

  it('marks an import whose file stopped arriving (the tab closed mid-upload) failed on the next start', async () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const library = new Library(settings, [], freshName(), { now: () => now });
    const jobs = new ImportJobs({ library, now: () => now });
    const { chunks } = chunkLines(jsonl(30), 400);
    const begun = await jobs.begin(32, chunks.length);
    await jobs.chunk(begun.jobId, 0, chunks[0].firstLine, chunks[0].text);
    now += RECEIVE_TIMEOUT_MS / 2;
    await new ImportJobs({ library, now: () => now }).resume();
    expect((await jobs.status())!.state).toBe('receiving');
    now += RECEIVE_TIMEOUT_MS;
    await new ImportJobs({ library, now: () => now }).resume();
    expect(await jobs.status()).toMatchObject({ state: 'failed', error: { code: 'importAbandoned' } });
    const db = await library.db();
    expect(await db.get('meta', chunkKey(0))).toBeUndefined();
    expect(await db.get('meta', JOB_KEY)).toBeDefined();
  });

  it('reports a line of millions of characters as too long and imports the lines around it (attack review, helper-21)', async () => {
    const library = new Library(settings, [], freshName());
    const jobs = new ImportJobs({ library });
    const huge = JSON.stringify({ id: 'huge', title: 'Huge', source: 'S', publishedAt: null, url: null, description: 'x'.repeat(4_200_000) });
    const lines = jsonl(30).split('\n');
    lines.splice(5, 0, huge);
    const { total, chunks } = chunkLines(lines.join('\n'));
    const begun = await jobs.begin(total, chunks.length);
    for (const [seq, chunk] of chunks.entries()) {
      // Each part as the worker receives it: through the message boundary, which caps a part's size.
      const { payload } = parseEnvelope('importChunk', {
        channel: CHANNEL,
        type: 'importChunk',
        payload: { jobId: begun.jobId, seq, firstLine: chunk.firstLine, text: chunk.text },
      });
      await jobs.chunk(payload.jobId, payload.seq, payload.firstLine, payload.text);
    }
    await jobs.kick();
    const status = (await jobs.status())!;
    expect(status).toMatchObject({ state: 'done', added: 30, skipped: 3 });
    expect(status.bad).toContainEqual({ line: 6, error: { code: 'lineTooLong', limit: MAX_IMPORT_LINE_CHARS } });
  });

  it('settles an abandoned upload when asked for its status, with the worker kept awake (attack review, helper-21)', async () => {
    let now = Date.parse('2026-11-27T10:00:00Z');
    const library = new Library(settings, [], freshName(), { now: () => now });
    const jobs = new ImportJobs({ library, now: () => now });
    const { chunks } = chunkLines(jsonl(30), 400);
    const begun = await jobs.begin(32, chunks.length);
    await jobs.chunk(begun.jobId, 0, chunks[0].firstLine, chunks[0].text);
    now += RECEIVE_TIMEOUT_MS / 2;
    expect((await jobs.status())!.state).toBe('receiving');
    now += RECEIVE_TIMEOUT_MS;
    // The same worker, never restarted: the options page's next poll sees the end, not "Importing 0 of 32".
    expect(await jobs.status()).toMatchObject({ state: 'failed', error: { code: 'importAbandoned' } });
    expect(await (await library.db()).get('meta', chunkKey(0))).toBeUndefined();
    await expect(jobs.begin(1, 1)).resolves.toMatchObject({ state: 'receiving' });
  });

  it('ends failed, not running for good, when a write after a stored batch fails; the next import may begin', async () => {
    const library = new Library(settings, [], freshName());
    let writes = 0;
    const jobs = new ImportJobs({
      library,
      batch: 5,
      afterWrite: () => {
        if (++writes === 2) throw new StorageFullError(1);
      },
    });
    await upload(jobs, jsonl(30));
    await jobs.kick();
    const status = (await jobs.status())!;
    expect(status).toMatchObject({ state: 'failed', error: { code: 'storageFull' } });
    // What was stored stays, the batch whose count was lost included.
    expect(status.added).toBeGreaterThan(0);
    expect(await importedCount(library)).toBeGreaterThan(status.added);
    await expect(jobs.begin(1, 1)).resolves.toMatchObject({ state: 'receiving' });
  });

  it('stops with the library’s own words when storage is full, keeps what was stored and drops the rest of the file', async () => {
    const library = new Library(settings, [], freshName());
    const add = library.add.bind(library);
    let calls = 0;
    library.add = async (articles) => {
      if (++calls === 3) throw new StorageFullError(5);
      return add(articles);
    };
    const jobs = new ImportJobs({ library, batch: 5 });
    const { chunks } = await upload(jobs, jsonl(30));
    await jobs.kick();
    const status = (await jobs.status())!;
    expect(status).toMatchObject({ state: 'failed', error: { code: 'storageFull', count: 5 } });
    expect(status.added).toBe(await importedCount(library));
    expect(status.added).toBeGreaterThan(0);
    const db = await library.db();
    for (let seq = 0; seq < chunks; seq++) expect(await db.get('meta', chunkKey(seq))).toBeUndefined();
    // A failed import is over: a new one may begin.
    await expect(jobs.begin(1, 1)).resolves.toMatchObject({ state: 'receiving' });
  });

  it('exports the library a page at a time, seed articles and reading history left out', async () => {
    const seed = {
      id: 'seed-1',
      title: 'A sample article about harbour ferries',
      source: 'Sample',
      publishedAt: '2026-11-20T10:00:00Z',
      url: null,
      kind: 'seed' as const,
    };
    const library = new Library(settings, [seed], freshName());
    const jobs = new ImportJobs({ library });
    await upload(jobs, jsonl(23));
    await jobs.kick();
    const read = fromPage(
      {
        url: 'https://private.example/read/1',
        headline: 'A page the person read',
        description: null,
        siteName: 'Private',
        canonicalUrl: null,
        publishedAt: null,
        lang: null,
      },
      new Date(),
    );
    await library.add([read]);
    const db = await library.db();
    expect(await db.get('articles', read.id)).toMatchObject({ kind: 'history' });
    const lines: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await exportPage(db, after, 10);
      lines.push(...page.text.split('\n').filter(Boolean));
      after = page.next ?? undefined;
      pages++;
    } while (after !== undefined);
    expect(pages).toBe(3);
    const exported = lines.map((l) => JSON.parse(l) as { title: string; url: string });
    expect(exported).toHaveLength(23);
    expect(new Set(exported.map((a) => a.url)).size).toBe(23);
    expect(exported.some((a) => a.title === seed.title)).toBe(false);
    expect(exported.some((a) => a.url === read.url)).toBe(false);
  });
});

describe('the options page cuts a file into chunks of whole lines', () => {
  it('keeps every line, in order, numbered as in the file, and counts the non-empty ones', () => {
    const text = '\ufeff{"a":1}\r\n\n{"b":22}\n{"c":333}\n{"d":4444}\n';
    const { total, chunks } = chunkLines(text, 12);
    expect(total).toBe(4);
    expect(chunks.length).toBeGreaterThan(1);
    const lines = chunks.flatMap((c) => c.text.split('\n').map((line, i) => [c.firstLine + i, line] as const));
    expect(lines.filter(([, line]) => line)).toEqual([
      [1, '{"a":1}'],
      [3, '{"b":22}'],
      [4, '{"c":333}'],
      [5, '{"d":4444}'],
    ]);
    expect(chunkLines('\n \n')).toEqual({ total: 0, chunks: [] });
  });
});

// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../src/messaging/errors';
import type { ImportStatus } from '../../src/messaging/library-io';
import type { LibraryStats, PruneRecord, StorageStatus } from '../../src/messaging/library-stats';
import { clockTime } from '../../src/ui/format';
import type { SourcesApi } from '../../src/ui/options/api';
import { importResultText } from '../../src/ui/options/ImportProgress';
import { IMPORT_POLL_MS, LibraryPanel } from '../../src/ui/options/LibraryPanel';
import { lastPruneText, storageFullText } from '../../src/ui/options/storage-status';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function stats(over: Partial<LibraryStats>): LibraryStats {
  return {
    total: 120,
    byKind: { feed: 80, history: 12, import: 20, seed: 8 },
    lastPrune: null,
    storage: null,
    indexSavedAt: null,
    startup: 'revived',
    ...over,
  };
}

function fullSince(since: string, over: Partial<StorageStatus> = {}): StorageStatus {
  return {
    since,
    lastFailureAt: minutesAgo(2),
    error: { code: 'storageFull', count: 5 },
    failures: 4,
    evictions: 1,
    lastEvictionAt: since,
    ...over,
  };
}

const prune = (at: string, removed: number, history: number, reason: PruneRecord['reason'] = 'storage-full'): PruneRecord => ({ at, removed, history, reason });

const roots: Element[] = [];

/** The options page's library panel over a fake extension, rendered into happy-dom; its text once loaded. */
async function panelText(libraryStats: LibraryStats): Promise<string> {
  const api = {
    stats: async () => libraryStats,
    storageUsedBytes: async () => 3 * 1048576,
    importStatus: async () => null,
  } as unknown as SourcesApi;
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  await act(async () => {
    render(<LibraryPanel api={api} />, root);
  });
  // The stats arrive through a promise: let it settle and the panel re-render.
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return root.textContent ?? '';
}

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

describe('Options: the library says when storage is full (RELIABILITY row 12; issue 9, finding 6)', () => {
  it('shows since when, what was removed to make room, that history was kept, and the refused saves, as text', async () => {
    const since = minutesAgo(30);
    const text = await panelText(stats({ storage: fullSince(since), lastPrune: prune(since, 3, 0) }));
    expect(text).toContain(
      `Storage has been full since ${clockTime(since)}. 3 articles were removed to make room. Your reading history was kept. 4 saves were refused, the last 2 minutes ago.`,
    );
    expect(text).toContain('120 articles: 80 from feeds, 12 from your reading, 20 imported, 8 samples.');
    // Told once: the running episode's prune is not repeated below as an old prune.
    expect(text).not.toContain('oldest articles were removed');
  });

  it('says how much reading history went, when some did', async () => {
    const since = minutesAgo(30);
    const text = await panelText(stats({ storage: fullSince(since), lastPrune: prune(since, 10, 2) }));
    expect(text).toContain('10 articles were removed to make room. 2 of them were from your reading history.');
  });

  it('says when nothing could be removed, and counts repeated clean-ups', () => {
    const since = minutesAgo(300);
    expect(storageFullText(stats({ storage: fullSince(since, { evictions: 0, failures: 1 }) }))).toBe(
      `Storage has been full since ${clockTime(since)}. Nothing could be removed to make room, so new articles are not being saved. 1 save was refused, 2 minutes ago.`,
    );
    const later = minutesAgo(60);
    expect(storageFullText(stats({ storage: fullSince(since, { evictions: 2 }), lastPrune: prune(later, 1, 1) }))).toBe(
      `Storage has been full since ${clockTime(since)}. Room was made 2 times; the last time, 1 article was removed. 1 of them was from your reading history. 4 saves were refused, the last 2 minutes ago.`,
    );
  });

  it('names the day when the episode began on another day', () => {
    const since = '2025-06-01T14:02:00Z';
    const now = Date.parse('2025-06-03T09:00:00Z');
    expect(storageFullText(stats({ storage: fullSince(since, { evictions: 0 }) }), now)).toMatch(
      /^Storage has been full since Jun 1, 2025, \d{1,2}:02\s?[AP]?M?\./,
    );
  });

  it('shows nothing about storage while writes succeed, and the last prune with what it did to history', async () => {
    const text = await panelText(stats({ lastPrune: prune(minutesAgo(120), 3, 0) }));
    expect(text).not.toContain('Storage is full');
    expect(text).toContain('3 oldest articles were removed 2 hours ago to make room. Your reading history was kept.');
    expect(lastPruneText(stats({ lastPrune: prune(minutesAgo(120), 5, 2, 'retention') }))).toBe(
      '5 articles past the retention window were removed 2 hours ago. 2 of them were from your reading history.',
    );
    expect(await panelText(stats({}))).not.toMatch(/Storage is full|removed/);
  });

  it('says when the search index could not be saved for lack of room (attack review, helper-32), and nothing once it was', async () => {
    const text = await panelText(stats({ indexSaveRefusedAt: minutesAgo(3) }));
    expect(text).toContain('The search index could not be saved for lack of room (last tried ');
    expect(text).toContain('Storyline still finds related stories; it starts more slowly until there is room.');
    expect(await panelText(stats({ indexSaveRefusedAt: null }))).not.toContain('could not be saved');
  });
});

describe('Options: the library panel while the worker wakes, and the import the worker runs (issue 13)', () => {
  const running = (done: number, over: Partial<ImportStatus> = {}): ImportStatus => ({
    jobId: 'i0000000000001',
    state: 'running',
    total: 54_000,
    done,
    added: done,
    skipped: 0,
    bad: [],
    error: null,
    startedAt: minutesAgo(1),
    finishedAt: null,
    ...over,
  });

  async function mount(api: Partial<SourcesApi>) {
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    const full = { stats: async () => stats({}), storageUsedBytes: async () => null, importStatus: async () => null, ...api } as SourcesApi;
    await act(async () => {
      render(<LibraryPanel api={full} />, root);
    });
    return root;
  }
  const wait = (ms: number) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

  it('says "Loading library…" while the worker has not answered, never blank figures', async () => {
    let answer: (s: LibraryStats) => void = () => undefined;
    const root = await mount({ stats: () => new Promise<LibraryStats>((r) => (answer = r)) });
    const loading = root.querySelector('[role="status"]');
    expect(loading?.textContent).toBe('Loading library…');
    expect(root.textContent).not.toContain('articles:');
    await act(async () => answer(stats({})));
    expect(root.textContent).not.toContain('Loading library…');
    expect(root.textContent).toContain('120 articles: 80 from feeds');
  });

  it('shows an import started from a tab closed since as a named progress bar with its figures, then how it ended', async () => {
    const answers = [
      running(12_000),
      running(30_000),
      running(54_000, {
        state: 'done',
        total: 54_002,
        done: 54_002,
        added: 54_000,
        skipped: 2,
        bad: [
          { line: 4, error: { code: 'lineNotJson' } },
          { line: 9, error: { code: 'lineNeedsText', field: 'title' } },
        ],
      }),
    ];
    let calls = 0;
    const root = await mount({ importStatus: async () => answers[Math.min(calls++, answers.length - 1)] });
    await wait(0);
    const bar = root.querySelector('progress');
    expect(bar?.getAttribute('aria-label')).toBe('Import progress');
    expect(bar?.getAttribute('value')).toBe('12000');
    expect(bar?.getAttribute('max')).toBe('54000');
    expect(root.textContent).toContain('Importing… 12,000 of 54,000 articles');
    await wait(IMPORT_POLL_MS + 50);
    expect(root.textContent).toContain('Importing… 30,000 of 54,000 articles');
    await wait(IMPORT_POLL_MS + 50);
    expect(root.querySelector('progress')).toBeNull();
    expect(root.textContent).toContain('Imported 54,000 articles. 2 lines were skipped (lines 4, 9).');
  });

  it('hands a picked file to the worker in chunks of lines, and shows no progress for an import already finished', async () => {
    const sent: { seq: number; firstLine: number; text: string }[] = [];
    const root = await mount({
      importStatus: async () => running(3, { state: 'done', total: 3, done: 3, added: 3 }),
      importBegin: async (total: number) => running(0, { state: 'receiving', total }),
      importChunk: async (_jobId: string, seq: number, firstLine: number, text: string) => {
        sent.push({ seq, firstLine, text });
        return running(0, { total: 3 });
      },
    });
    await wait(0);
    // An import finished before this page opened is not announced again.
    expect(root.querySelector('progress')).toBeNull();
    expect(root.textContent).not.toContain('Imported');
    const input = root.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['{"id":"1"}\n{"id":"2"}\n\n{"id":"3"}\n'], 'library.jsonl');
    Object.defineProperty(input, 'files', { value: [file] });
    await act(async () => void input.dispatchEvent(new Event('change')));
    await wait(10);
    expect(sent.map((c) => c.seq)).toEqual([0]);
    expect(sent[0]).toMatchObject({ firstLine: 1, text: '{"id":"1"}\n{"id":"2"}\n\n{"id":"3"}\n' });
    expect(root.querySelector('progress')?.getAttribute('max')).toBe('3');
    expect(input.disabled).toBe(true);
  });

  it('says nothing was imported when the file could not be handed over (nothing is stored before its last part)', async () => {
    const root = await mount({
      importStatus: async () => null,
      importBegin: async () => {
        throw new CodedError({ code: 'importBusy' });
      },
    });
    await wait(0);
    const input = root.querySelector('input[type="file"]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [new File(['{"id":"1"}\n'], 'library.jsonl')] });
    await act(async () => void input.dispatchEvent(new Event('change')));
    await wait(10);
    const status = root.querySelector('.status')?.textContent ?? '';
    expect(status).toMatch(/^The file could not be handed to Storyline: .+ Nothing was imported\.$/);
    expect(status).not.toContain('kept');
  });
});

describe('how a finished import is told (issue 10)', () => {
  const finished = (counts: Partial<ImportStatus>): ImportStatus => ({
    jobId: 'i1',
    state: 'done',
    total: 54_021,
    done: 54_021,
    added: 54_019,
    skipped: 0,
    bad: [],
    error: null,
    startedAt: '2025-06-02T10:00:00.000Z',
    finishedAt: '2025-06-02T10:01:00.000Z',
    ...counts,
  });

  it('says how many were new and how many merged, only when not all were new', () => {
    expect(importResultText(finished({ created: 53_955, updated: 0, merged: 64 })).text).toBe(
      'Imported 54,019 articles. 53,955 new, 0 updated, 64 already in the library or repeated in the file.',
    );
    expect(importResultText(finished({ created: 54_019, updated: 0, merged: 0 })).text).toBe('Imported 54,019 articles.');
    // A job stored before the counts existed says what it can.
    expect(importResultText(finished({})).text).toBe('Imported 54,019 articles.');
    // A file that stopped arriving stored nothing, and says so.
    expect(importResultText(finished({ state: 'failed', error: { code: 'importAbandoned' } })).text).toMatch(/Nothing was imported\.$/);
    expect(importResultText(finished({ state: 'failed', error: { code: 'storageFull', count: 5 } })).text).toMatch(/imported before the error are kept\.$/);
    // One bad line is one line.
    expect(importResultText(finished({ skipped: 1, bad: [{ line: 7, error: { code: 'lineNotJson' } }] } as Partial<ImportStatus>)).text).toContain(
      '1 line was skipped (line 7).',
    );
  });
});

describe('a wrong import is undone in one step (PRIVACY.md: "until you remove them")', () => {
  async function panel(byKind: LibraryStats['byKind'], answer: boolean) {
    const asked: string[] = [];
    let removed = 0;
    let kinds = { ...byKind };
    const api = {
      stats: async () => stats({ byKind: kinds, total: Object.values(kinds).reduce((a, b) => a + (b ?? 0), 0) }),
      storageUsedBytes: async () => null,
      importStatus: async () => null,
      confirm: (message: string) => (asked.push(message), answer),
      clearImports: async () => {
        removed = kinds.import ?? 0;
        kinds = { ...kinds, import: 0 };
        return removed;
      },
    } as unknown as SourcesApi;
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () => render(<LibraryPanel api={api} />, root));
    await act(async () => void (await new Promise((r) => setTimeout(r, 0))));
    const button = () => [...root.querySelectorAll('button')].find((b) => b.textContent === 'Remove imported articles');
    return { root, asked, button, removed: () => removed };
  }

  it('asks first, with the count and what stays; removes only when confirmed, then says how many went', async () => {
    const declined = await panel({ feed: 3, history: 2, import: 1_250, seed: 4 }, false);
    await act(async () => declined.button()!.click());
    expect(declined.asked).toEqual(['Remove the 1,250 articles imported from files? Feeds, samples and your reading history stay.']);
    expect(declined.removed()).toBe(0);

    const confirmed = await panel({ feed: 3, history: 2, import: 1, seed: 4 }, true);
    await act(async () => confirmed.button()!.click());
    await act(async () => void (await new Promise((r) => setTimeout(r, 0))));
    expect(confirmed.asked).toEqual(['Remove the 1 article imported from a file? Feeds, samples and your reading history stay.']);
    expect(confirmed.removed()).toBe(1);
    expect(confirmed.root.querySelector('[role="status"]')?.textContent).toBe('Removed 1 imported article.');
    // Nothing imported is left: the button goes with it.
    expect(confirmed.button()).toBeUndefined();
  });

  it('offers nothing to remove when nothing was imported, and says what an export holds', async () => {
    const { root, button } = await panel({ feed: 3, history: 2, seed: 4 }, true);
    expect(button()).toBeUndefined();
    expect(root.textContent).toContain('samples and your reading history are not included');
  });
});

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ImportStatus } from '../../messaging/library-io';
import type { LibraryStats } from '../../messaging/library-stats';
import { errorText } from '../errors';
import { clockTime } from '../format';
import { plural, t } from '../i18n';
import { download, readFileText, type SourcesApi } from './api';
import { chunkLines } from './import-file';
import { ImportProgress, importResultText } from './ImportProgress';
import { lastPruneText, storageFullText } from './storage-status';

type Notice = { kind: 'info' | 'error'; text: string } | null;

/** How often the page asks the worker how its import is going. */
export const IMPORT_POLL_MS = 500;

function formatBytes(bytes: number): string {
  return new Intl.NumberFormat(undefined, { style: 'unit', unit: bytes > 1048576 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    bytes > 1048576 ? bytes / 1048576 : bytes / 1024,
  );
}

const unfinished = (job: ImportStatus | null) => job !== null && (job.state === 'receiving' || job.state === 'running');

export function LibraryPanel({ api, children }: { api: SourcesApi; children?: preact.ComponentChildren }) {
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const [used, setUsed] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  /** The import this page started or found under way; its end is told here. */
  const [job, setJob] = useState<ImportStatus | null>(null);
  const [sending, setSending] = useState(false);
  const [exporting, setExporting] = useState(false);
  const alive = useRef(true);

  const reload = useCallback(() => {
    api.stats().then(setStats, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
    api.storageUsedBytes().then(setUsed, () => setUsed(null));
  }, [api]);
  useEffect(() => {
    alive.current = true;
    reload();
    // An import started from an earlier options tab (closed since) is still being stored: show it.
    api.importStatus().then(
      (status) => alive.current && unfinished(status) && setJob(status),
      () => undefined,
    );
    return () => void (alive.current = false);
  }, [api, reload]);

  // While the worker stores the file, ask it how far it got; the import goes on without this page.
  const watching = unfinished(job) && !sending;
  const jobId = job?.jobId;
  useEffect(() => {
    if (!watching) return undefined;
    const timer = setInterval(() => {
      api.importStatus().then(
        (status) => {
          if (!alive.current || !status || status.jobId !== jobId) return;
          setJob(status);
          if (unfinished(status)) return;
          setNotice(importResultText(status));
          reload();
        },
        () => undefined,
      );
    }, IMPORT_POLL_MS);
    return () => clearInterval(timer);
  }, [watching, jobId, api, reload]);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setSending(true);
    setNotice(null);
    try {
      const { total, chunks } = chunkLines(await readFileText(file));
      if (chunks.length === 0) {
        setNotice({ kind: 'info', text: plural('importDone', 0) });
      } else {
        let status = await api.importBegin(total, chunks.length);
        setJob(status);
        for (const [seq, chunk] of chunks.entries()) {
          status = await api.importChunk(status.jobId, seq, chunk.firstLine, chunk.text);
          setJob(status);
        }
      }
    } catch (error) {
      setJob(null);
      // Nothing is stored until the last part arrives: say so, not "what was imported is kept".
      setNotice({ kind: 'error', text: t('importUploadFailed', errorText(error)) });
    }
    setSending(false);
  };

  const exportFile = async () => {
    setExporting(true);
    try {
      // The worker answers a page at a time, so no message nears the browser's size limit.
      const parts: string[] = [];
      let after: string | undefined;
      do {
        const page = await api.exportLibrary(after);
        parts.push(page.text);
        after = page.next ?? undefined;
      } while (after !== undefined);
      download('storyline-library.jsonl', parts, 'application/x-ndjson');
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
    setExporting(false);
  };

  // One click must not lose what the person read: asked first when there is something to lose.
  const clearHistory = (count: number) => {
    if (count > 0 && !api.confirm(plural('historyClearConfirm', count))) return;
    setNotice(null);
    api.clearHistory().then(
      (n) => {
        setNotice({ kind: 'info', text: plural('historyCleared', n) });
        reload();
      },
      (error: unknown) => setNotice({ kind: 'error', text: errorText(error) }),
    );
  };

  // A wrong import is undone in one step; asked first, since the file may be gone.
  const clearImports = (count: number) => {
    if (!api.confirm(plural('importsClearConfirm', count))) return;
    setNotice(null);
    api.clearImports().then(
      (n) => {
        setNotice({ kind: 'info', text: plural('importsCleared', n) });
        reload();
      },
      (error: unknown) => setNotice({ kind: 'error', text: errorText(error) }),
    );
  };

  const k = stats?.byKind ?? {};
  const full = stats && storageFullText(stats);
  const pruned = stats && lastPruneText(stats);
  const importing = sending || unfinished(job);
  return (
    <section aria-labelledby="library-heading">
      <h2 id="library-heading">{t('libraryHeading')}</h2>
      {/* A cold worker takes a moment to open the library: say so, never show blank figures. */}
      {stats ? (
        <p>
          {plural('librarySize', stats.total, k.feed ?? 0, k.history ?? 0, k.import ?? 0, k.seed ?? 0)}{' '}
          {used !== null && t('libraryStorage', formatBytes(used))}
        </p>
      ) : (
        notice?.kind !== 'error' && <p role="status">{t('libraryLoading')}</p>
      )}
      {full && <p class="storage-full">{full}</p>}
      {stats?.indexSaveRefusedAt && <p class="storage-full">{t('indexSaveRefused', clockTime(stats.indexSaveRefusedAt))}</p>}
      {pruned && <p class="hint">{pruned}</p>}
      {children}
      <div class="row">
        <button type="button" onClick={() => clearHistory(k.history ?? 0)}>
          {t('historyClear')}
        </button>
        <label class="file-button">
          {t('importJsonl')}
          <input
            type="file"
            accept=".jsonl,.gz,application/x-ndjson,application/gzip"
            disabled={importing}
            onChange={(e) => void importFile((e.target as HTMLInputElement).files?.[0])}
          />
        </label>
        <button type="button" disabled={exporting} onClick={() => void exportFile()}>
          {t('exportJsonl')}
        </button>
        {(k.import ?? 0) > 0 && (
          <button type="button" disabled={importing} onClick={() => clearImports(k.import ?? 0)}>
            {t('importsClear')}
          </button>
        )}
      </div>
      <p class="hint">{t('exportHint')}</p>
      {importing && job && <ImportProgress job={job} />}
      <p class={notice?.kind === 'error' ? 'status error' : 'status'} role="status">
        {notice?.text ?? ''}
      </p>
    </section>
  );
}

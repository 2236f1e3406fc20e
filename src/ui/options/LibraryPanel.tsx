import { useEffect, useState } from 'preact/hooks';
import type { LibraryStats } from '../../messaging/library-stats';
import { parseJsonl } from '../../corpus/jsonl';
import { t } from '../i18n';
import { download, readFileText, type SourcesApi } from './api';
import { lastPruneText, storageFullText } from './storage-status';

type Notice = { kind: 'info' | 'error'; text: string } | null;

/** Articles per import message: large enough to be quick, small enough to keep the worker responsive. */
const BATCH = 2000;

function formatBytes(bytes: number): string {
  return new Intl.NumberFormat(undefined, { style: 'unit', unit: bytes > 1048576 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(
    bytes > 1048576 ? bytes / 1048576 : bytes / 1024,
  );
}

export function LibraryPanel({ api, children }: { api: SourcesApi; children?: preact.ComponentChildren }) {
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const [used, setUsed] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [importing, setImporting] = useState(false);

  const reload = () => {
    api.stats().then(setStats, (e: Error) => setNotice({ kind: 'error', text: e.message }));
    api.storageUsedBytes().then(setUsed, () => setUsed(null));
  };
  useEffect(reload, [api]);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setImporting(true);
    try {
      const report = parseJsonl(await readFileText(file), 'import');
      let done = 0;
      for (let i = 0; i < report.articles.length; i += BATCH) {
        setNotice({ kind: 'info', text: t('importProgress', done, report.articles.length) });
        const batch = report.articles.slice(i, i + BATCH).map(({ id, title, source, publishedAt, url, description, lang }) => ({ id, title, source, publishedAt, url, description, lang }));
        done += await api.importArticles(batch);
      }
      const lines = report.bad.slice(0, 10).map((b) => b.line).join(', ') + (report.bad.length > 10 ? ', …' : '');
      setNotice({
        kind: report.bad.length ? 'error' : 'info',
        text: `${t('importDone', done)}${report.bad.length ? ` ${t('importBadLines', report.bad.length, lines)}` : ''}`,
      });
    } catch (error) {
      setNotice({ kind: 'error', text: t('importFailed', (error as Error).message) });
    }
    setImporting(false);
    reload();
  };

  const k = stats?.byKind ?? {};
  const full = stats && storageFullText(stats);
  const pruned = stats && lastPruneText(stats);
  return (
    <section aria-labelledby="library-heading">
      <h2 id="library-heading">{t('libraryHeading')}</h2>
      {stats && (
        <p>
          {t('librarySize', stats.total, k.feed ?? 0, k.history ?? 0, k.import ?? 0, k.seed ?? 0)} {used !== null && t('libraryStorage', formatBytes(used))}
        </p>
      )}
      {full && <p class="storage-full">{full}</p>}
      {pruned && <p class="hint">{pruned}</p>}
      {children}
      <div class="row">
        <button
          type="button"
          onClick={() =>
            void api.clearHistory().then((n) => {
              setNotice({ kind: 'info', text: t('historyCleared', n) });
              reload();
            })
          }
        >
          {t('historyClear')}
        </button>
        <label class="file-button">
          {t('importJsonl')}
          <input type="file" accept=".jsonl,.gz,application/x-ndjson,application/gzip" disabled={importing} onChange={(e) => void importFile((e.target as HTMLInputElement).files?.[0])} />
        </label>
        <button type="button" onClick={() => void api.exportLibrary().then((text) => download('storyline-library.jsonl', text, 'application/x-ndjson'))}>
          {t('exportJsonl')}
        </button>
      </div>
      <p class={notice?.kind === 'error' ? 'status error' : 'status'} role="status">
        {notice?.text ?? ''}
      </p>
    </section>
  );
}

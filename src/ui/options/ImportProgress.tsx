import type { ImportStatus } from '../../messaging/library-io';
import { errorText } from '../errors';
import { plural, t } from '../i18n';

/** The running import as a progress bar (named for screen readers) and its figures in words. */
export function ImportProgress({ job }: { job: ImportStatus }) {
  return (
    <div class="import-progress">
      <progress aria-label={t('importProgressLabel')} max={Math.max(job.total, 1)} value={job.done} />
      <span>{plural('importProgress', job.total, job.done)}</span>
    </div>
  );
}

/** How a finished import went: how many articles were stored, which lines were skipped and why it stopped. */
export function importResultText(job: ImportStatus): { kind: 'info' | 'error'; text: string } {
  if (job.state === 'failed') {
    // A file that stopped arriving was never stored: nothing to keep.
    const nothingStored = job.error?.code === 'importAbandoned';
    return { kind: 'error', text: t(nothingStored ? 'importUploadFailed' : 'importFailed', errorText(job.error)) };
  }
  const lines = job.bad.map((b) => b.line).join(', ') + (job.skipped > job.bad.length ? ', …' : '');
  return {
    kind: job.skipped ? 'error' : 'info',
    text: `${plural('importDone', job.added)}${breakdown(job)}${job.skipped ? ` ${plural('importBadLines', job.skipped, lines)}` : ''}`,
  };
}

/**
 * How the stored articles split, when not all were new (issue 10): " 53,955 new, 64 were already in
 * the library or repeated in the file." Nothing when every article was new.
 */
function breakdown(job: ImportStatus): string {
  const created = job.created ?? job.added;
  if (created === job.added) return '';
  return ` ${t('importBreakdown', created, job.updated ?? 0, job.merged ?? 0)}`;
}

import type { ImportStatus } from '../../messaging/library-io';
import { t } from '../i18n';

/** The running import as a progress bar (named for screen readers) and its figures in words. */
export function ImportProgress({ job }: { job: ImportStatus }) {
  return (
    <div class="import-progress">
      <progress aria-label={t('importProgressLabel')} max={Math.max(job.total, 1)} value={job.done} />
      <span>{t('importProgress', job.done, job.total)}</span>
    </div>
  );
}

/** How a finished import went: how many articles were stored, which lines were skipped and why it stopped. */
export function importResultText(job: ImportStatus): { kind: 'info' | 'error'; text: string } {
  if (job.state === 'failed') return { kind: 'error', text: t('importFailed', job.error ?? '') };
  const lines = job.bad.map((b) => b.line).join(', ') + (job.skipped > job.bad.length ? ', …' : '');
  return {
    kind: job.skipped ? 'error' : 'info',
    text: `${t('importDone', job.added)}${job.skipped ? ` ${t('importBadLines', job.skipped, lines)}` : ''}`,
  };
}

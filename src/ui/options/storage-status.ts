import type { LibraryStats, PruneRecord } from '../../messaging/library-stats';
import { clockTime, timeAgo } from '../format';
import { plural, t } from '../i18n';

/** What became of reading history in a prune: kept, or how many of the removed articles it was. */
function historySentence(prune: PruneRecord): string {
  return prune.history > 0 ? plural('pruneHistory', prune.history) : t('pruneHistoryKept');
}

/**
 * The library's storage trouble in words (RELIABILITY row 12; issue 9, finding 6): while the disk
 * is full, since when, what was removed to make room and whether reading history was touched, and
 * how many saves were refused. Null while every write succeeds.
 */
export function storageFullText(stats: Pick<LibraryStats, 'storage' | 'lastPrune'>, now = Date.now()): string | null {
  const full = stats.storage;
  if (!full) return null;
  const sentences = [t('storageFullSince', clockTime(full.since, now))];
  const prune = stats.lastPrune;
  const thisEpisode = prune?.reason === 'storage-full' && Date.parse(prune.at) >= Date.parse(full.since) ? prune : null;
  if (full.evictions === 0) sentences.push(t('storageNothingRemoved'));
  else if (!thisEpisode) sentences.push(t('storageRemovedUnknown'));
  else {
    sentences.push(
      full.evictions > 1 ? plural('storageRemovedAgain', thisEpisode.removed, full.evictions) : plural('storageRemoved', thisEpisode.removed),
      historySentence(thisEpisode),
    );
  }
  sentences.push(plural('storageRefused', full.failures, timeAgo(full.lastFailureAt, now)));
  return sentences.join(' ');
}

/** The last prune (for room, or past the retention window), with what it did to reading history. */
export function lastPruneText(stats: Pick<LibraryStats, 'storage' | 'lastPrune'>, now = Date.now()): string | null {
  const prune = stats.lastPrune;
  if (!prune) return null;
  // A prune of the running full-disk episode is told by storageFullText.
  if (stats.storage && prune.reason === 'storage-full' && Date.parse(prune.at) >= Date.parse(stats.storage.since)) return null;
  if (prune.reason === 'storage-full') return `${plural('libraryPruned', prune.removed, timeAgo(prune.at, now))} ${historySentence(prune)}`;
  const expired = plural('libraryExpired', prune.removed, timeAgo(prune.at, now));
  return prune.history > 0 ? `${expired} ${plural('pruneHistory', prune.history)}` : expired;
}

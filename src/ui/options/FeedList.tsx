import type { FeedView } from '../../messaging/feeds';
import { errorText } from '../errors';
import { timeAgo } from '../format';
import { plural, t } from '../i18n';

export function hostOf(url: string): string {
  try {
    return new URL(url.trim()).hostname;
  } catch {
    return url;
  }
}

export function feedStatus(feed: FeedView): string {
  if (feed.needsPermission) return t('feedStatusPermission', hostOf(feed.url));
  if (!feed.lastFetchAt) return t('feedStatusNever');
  if (feed.lastError) return t('feedStatusError', timeAgo(feed.lastFetchAt), errorText(feed.lastError));
  return plural('feedStatusOk', feed.itemCount, timeAgo(feed.lastSuccessAt ?? feed.lastFetchAt));
}

export interface FeedListProps {
  feeds: FeedView[];
  busy: string | null;
  onRefresh: (feed: FeedView) => void;
  onRemove: (feed: FeedView) => void;
  onGrant: (feed: FeedView) => void;
}

export function FeedList({ feeds, busy, onRefresh, onRemove, onGrant }: FeedListProps) {
  if (feeds.length === 0) return <p class="hint">{t('feedsEmpty')}</p>;
  return (
    <ul class="feeds" aria-label={t('feedsHeading')}>
      {feeds.map((feed) => {
        const title = feed.title ?? hostOf(feed.url);
        return (
          <li key={feed.id} class="feed">
            <div class="feed-main">
              <strong dir="auto">{title}</strong>
              <span class="hint">{feed.url}</span>
              <span class={feed.lastError ? 'feed-status error' : 'feed-status'}>{busy === feed.id ? t('feedsRefreshing') : feedStatus(feed)}</span>
            </div>
            <div class="row">
              {feed.needsPermission && (
                <button type="button" onClick={() => onGrant(feed)}>
                  {t('feedGrant')}
                </button>
              )}
              <button type="button" aria-label={t('feedRefresh', title)} disabled={busy !== null} onClick={() => onRefresh(feed)}>
                ↻
              </button>
              <button type="button" aria-label={t('feedRemove', title)} onClick={() => onRemove(feed)}>
                ✕
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

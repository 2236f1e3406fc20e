import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { storyHref } from '../../core/links';
import type { FollowedView, HiddenView } from '../../messaging/reading';
import { storyDate } from '../format';
import { errorText } from '../errors';
import { t } from '../i18n';
import { focusIfLost } from '../focus';

/** What the options page asks of the worker for followed stories and hidden results; wired in entrypoints/options. */
export interface ReadingApi {
  followedStories(): Promise<FollowedView[]>;
  unfollow(key: string): Promise<void>;
  hiddenStories(): Promise<HiddenView[]>;
  showAgain(pageKey: string, articleId: string): Promise<void>;
}

type Lists = { followed: FollowedView[]; hidden: HiddenView[] };

/**
 * Followed stories (each with Unfollow) and results hidden with "Not the same story" (each with
 * Show again): the person's own choices, kept in this browser only (issue 12, items 4 and 5).
 */
export function ReadingPanel({ api }: { api: ReadingApi }) {
  const [lists, setLists] = useState<Lists | null>(null);
  /** A failure: of loading the lists (`load`), or of an Unfollow or Show again (its own sentence). */
  const [error, setError] = useState<string | null>(null);
  /** What the last Unfollow or Show again did, said to a screen reader (focus moves to the heading). */
  const [done, setDone] = useState('');

  const load = useCallback(
    () =>
      Promise.all([api.followedStories(), api.hiddenStories()]).then(
        ([followed, hidden]) => {
          setLists({ followed, hidden });
          setError(null);
        },
        (e: unknown) => setError(t('readingLoadFailed', errorText(e))),
      ),
    [api],
  );
  useEffect(() => void load(), [load]);

  // The pressed button goes with its row: focus moves to its list's heading, so the keyboard keeps
  // its place (a failure is read from the alert above).
  const followedHeading = useRef<HTMLHeadingElement>(null);
  const hiddenHeading = useRef<HTMLHeadingElement>(null);
  // Where focus goes once the lists have rendered without the pressed button's row.
  const focusAfter = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    focusIfLost(focusAfter.current);
    focusAfter.current = null;
  }, [lists]);
  const act = (run: Promise<void>, failed: 'unfollowFailed' | 'showAgainFailed', said: string) => {
    setDone('');
    return run.then(
      () => {
        focusAfter.current = (failed === 'unfollowFailed' ? followedHeading : hiddenHeading).current;
        setDone(said);
        return load();
      },
      (e: unknown) => setError(t(failed, errorText(e))),
    );
  };

  return (
    <>
      <legend>{t('optionsSectionReading')}</legend>
      <p class="hint">{t('readingPrivacy')}</p>
      {/* A live region, not role=status: the page's last status stays the settings' "Saved." line. */}
      <p class="hint" aria-live="polite">
        {done}
      </p>
      {error && (
        <div role="alert">
          <p class="error">{error}</p>
          {lists === null && (
            <button type="button" onClick={() => void load()}>
              {t('retry')}
            </button>
          )}
        </div>
      )}
      <h2 ref={followedHeading} tabIndex={-1}>
        {t('followedHeading')}
      </h2>
      {lists === null ? (
        !error && <p role="status">{t('readingLoading')}</p>
      ) : lists.followed.length === 0 ? (
        <p class="hint">{t('followedEmpty')}</p>
      ) : (
        <ul class="feeds" aria-label={t('followedHeading')}>
          {lists.followed.map((story) => (
            <li key={story.key} class="feed">
              <div class="feed-main">
                <strong dir="auto">{story.headline}</strong>
                <span class="hint">{t('followedMeta', storyDate(story.followedAt), story.found)}</span>
                {/* What was found stays here while the story is followed; the popup lists it for a day once shown. */}
                {story.stories.length > 0 && (
                  <ul class="found" aria-label={t('followedFoundLabel', story.headline)}>
                    {story.stories.map((found) => (
                      <li key={found.id}>
                        <a dir="auto" href={storyHref(found)} target="_blank" rel="noopener noreferrer">
                          {found.title}
                        </a>{' '}
                        <bdi class="hint">{found.source}</bdi>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <button
                type="button"
                aria-label={t('unfollowLabel', story.headline)}
                onClick={() => act(api.unfollow(story.key), 'unfollowFailed', t('unfollowedStory', story.headline))}
              >
                {t('unfollowButton')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h2 ref={hiddenHeading} tabIndex={-1}>
        {t('hiddenHeading')}
      </h2>
      {lists === null ? null : lists.hidden.length === 0 ? (
        <p class="hint">{t('hiddenEmpty')}</p>
      ) : (
        <ul class="feeds" aria-label={t('hiddenHeading')}>
          {lists.hidden.map((pair) => (
            <li key={`${pair.pageKey} ${pair.articleId}`} class="feed">
              <div class="feed-main">
                <strong dir="auto">{pair.articleTitle}</strong>
                <span class="hint">{t('hiddenMeta', pair.articleSource, pair.pageHeadline)}</span>
              </div>
              <button
                type="button"
                aria-label={t('showAgainLabel', pair.articleTitle)}
                onClick={() => act(api.showAgain(pair.pageKey, pair.articleId), 'showAgainFailed', t('shownAgainStory', pair.articleTitle))}
              >
                {t('showAgainButton')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

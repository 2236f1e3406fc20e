import { useState } from 'preact/hooks';
import type { FollowNews } from '../../messaging/reading';
import { errorText } from '../errors';
import { t } from '../i18n';
import { StoryItem } from './StoryItem';

/** What the popup asks of the worker for the reading features (issue 12, items 4 and 5); wired in entrypoints/popup. */
export interface PopupReading {
  /** "Not the same story": hide this result from the tab's page. */
  hide(articleId: string): Promise<void>;
  /** Follow the tab's story. */
  follow(): Promise<void>;
  unfollow(key: string): Promise<void>;
}

/** The Follow / Unfollow button under the page's headline. */
export function FollowBar({ reading, follow }: { reading: PopupReading; follow: { key: string; following: boolean } }) {
  const [following, setFollowing] = useState(follow.following);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unfollowed, setUnfollowed] = useState(false);
  const toggle = () => {
    // Busy is aria-disabled, not disabled: a disabled button loses the keyboard's focus to the page
    // (attack review, helper-42), so a second press is refused here instead.
    if (busy) return;
    setBusy(true);
    setError(null);
    (following ? reading.unfollow(follow.key) : reading.follow()).then(
      () => {
        setUnfollowed(following);
        setFollowing(!following);
        setBusy(false);
      },
      (e: unknown) => {
        setError(t(following ? 'unfollowFailed' : 'followFailed', errorText(e)));
        setBusy(false);
      },
    );
  };
  return (
    <div class="follow">
      <button type="button" aria-disabled={busy || undefined} onClick={toggle}>
        {following ? t('unfollowStory') : t('followStory')}
      </button>
      <span class="why" role="status">
        {error ?? (following ? t('followingNote') : unfollowed ? t('unfollowedNote') : '')}
      </span>
    </div>
  );
}

/**
 * Followed stories' coverage new since the popup last showed it: the page's own story first.
 * `listed`: the page's own stories on screen, marked "New" there and so left out here.
 */
export function FollowNewsSections({ news, pageTime, listed }: { news: readonly FollowNews[]; pageTime: string | null; listed: ReadonlySet<string> }) {
  return (
    <>
      {news.map((followed) => {
        const story = followed.current ? { ...followed, stories: followed.stories.filter((s) => !listed.has(s.id)) } : followed;
        if (story.stories.length === 0) return null;
        const heading = story.current ? t('newSinceRead') : t('newInFollowed', story.headline);
        const id = `news-${story.key.replace(/[^a-z0-9]/gi, '-')}`;
        return (
          <section class="news" key={story.key} aria-labelledby={id}>
            <h2 id={id}>{heading}</h2>
            <ul class="stories" aria-label={heading}>
              {story.stories.map((s) => (
                <StoryItem key={s.id} story={s} pageTime={story.current ? pageTime : undefined} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

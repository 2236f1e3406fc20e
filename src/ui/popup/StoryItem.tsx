import type { RelatedStory } from '../../core/article';
import { storyHref } from '../../core/links';
import { gapToPage, listOf, storyDate, timeAgo } from '../format';
import { t } from '../i18n';

/**
 * One story. In the timeline (`pageTime` given) its time reads as a date and a distance from the
 * page ("Mon, Jun 2, 2025 · 4 hours earlier"); elsewhere as an age ("2 days ago"). `onNotSame`:
 * the page's results offer "Not the same story" (issue 12, item 5), named with the headline.
 */
export function StoryItem({
  story,
  pageTime,
  onNotSame,
  fresh,
}: {
  story: RelatedStory;
  pageTime?: string | null;
  onNotSame?: (story: RelatedStory) => void;
  /** New coverage of the followed page's story, marked in its list rather than listed twice. */
  fresh?: boolean;
}) {
  const gap = pageTime === undefined ? '' : gapToPage(story.publishedAt, pageTime);
  const ago = pageTime === undefined ? timeAgo(story.publishedAt) : [storyDate(story.publishedAt), gap].filter(Boolean).join(' · ');
  return (
    <li class="story">
      <a dir="auto" href={storyHref(story)} target="_blank" rel="noopener noreferrer" title={story.url ? undefined : t('noLinkSearch')}>
        {story.title}
      </a>
      <div class="meta">
        {fresh && <span class="chip new">{t('newStory')}</span>}
        <span class={`chip ${story.label}`}>{story.label === 'same-story' ? t('labelSameStory') : t('labelRelated')}</span>
        <bdi class="source">{story.source}</bdi>
        {/* An age fits beside the outlet; the timeline's date and distance take a line of their own. */}
        {ago && pageTime === undefined && <span aria-hidden="true">·</span>}
        {ago && pageTime === undefined && <time dateTime={story.publishedAt ?? undefined}>{ago}</time>}
      </div>
      {ago && pageTime !== undefined && (
        <div class="meta">
          <time dateTime={story.publishedAt ?? undefined}>{ago}</time>
        </div>
      )}
      {story.matchedWords.length > 0 && <div class="why">{t('matchedWords', listOf(story.matchedWords))}</div>}
      {/* Each outlet isolated (FSI…PDI): two right-to-left names in a row must not swap places. */}
      {story.alsoIn.length > 0 && <div class="why">{t('alsoIn', listOf(story.alsoIn.map((outlet) => `\u2068${outlet}\u2069`)))}</div>}
      {onNotSame && (
        <button type="button" class="quiet not-same" aria-label={t('notSameStoryLabel', story.title)} onClick={() => onNotSame(story)}>
          {t('notSameStory')}
        </button>
      )}
    </li>
  );
}

import type { RelatedStory } from '../../core/article';
import { storyHref } from '../../core/links';
import { listOf, timeAgo } from '../format';
import { t } from '../i18n';


export function StoryItem({ story }: { story: RelatedStory }) {
  const ago = timeAgo(story.publishedAt);
  return (
    <li class="story">
      <a href={storyHref(story)} target="_blank" rel="noopener noreferrer" title={story.url ? undefined : t('noLinkSearch')}>
        {story.title}
      </a>
      <div class="meta">
        <span class={`chip ${story.label}`}>{story.label === 'same-story' ? t('labelSameStory') : t('labelRelated')}</span>
        <span class="source">{story.source}</span>
        {ago && <span aria-hidden="true">·</span>}
        {ago && <time dateTime={story.publishedAt ?? undefined}>{ago}</time>}
      </div>
      {story.matchedWords.length > 0 && <div class="why">{t('matchedWords', listOf(story.matchedWords))}</div>}
      {story.alsoIn.length > 0 && <div class="why">{t('alsoIn', listOf(story.alsoIn))}</div>}
    </li>
  );
}

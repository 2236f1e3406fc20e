import type { RelatedStory } from '../../core/article';

/** How the popup arranges a page's stories: coverage of the same event, then its developments in time. */
export interface Timeline {
  /** Other outlets' reports of the same story, newest first. */
  coverage: RelatedStory[];
  /** Earlier and later related stories in date order (undated last), grouped by UTC day when many. */
  developments: { day: string | null; stories: RelatedStory[] }[];
}

/** From this many developments on, they are grouped under their day. */
export const GROUP_FROM = 6;

function at(story: RelatedStory): number {
  const t = story.publishedAt ? Date.parse(story.publishedAt) : Number.NaN;
  return Number.isNaN(t) ? Number.NaN : t;
}

/** Orders by time (1: oldest first, -1: newest first), undated last. */
function byTime(direction: 1 | -1) {
  return (a: RelatedStory, b: RelatedStory) => {
    const x = at(a);
    const y = at(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return direction * (x - y);
  };
}

export function timeline(stories: readonly RelatedStory[]): Timeline {
  const coverage = stories.filter((s) => s.label === 'same-story').sort(byTime(-1));
  const related = stories.filter((s) => s.label !== 'same-story').sort(byTime(1));
  if (related.length < GROUP_FROM) return { coverage, developments: related.length ? [{ day: null, stories: related }] : [] };
  const developments: Timeline['developments'] = [];
  for (const story of related) {
    const t = at(story);
    const day = Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
    const last = developments[developments.length - 1];
    if (last && last.day === day) last.stories.push(story);
    else developments.push({ day, stories: [story] });
  }
  return { coverage, developments };
}

import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { StoryIndex } from '../../src/index/engine';
import { storyFeatures, type StoryFeatures } from '../../src/index/features';

/**
 * Retrieval reads a query's rarest words first, within a budget of postings (RELIABILITY row 35).
 * A name a library holds often ("Twitter") is then left out whenever the headline has a few rarer
 * plain words ("kills", "never", "much"), and a report of the same event that shares the name but
 * not those words ("Twitter shuts down its song service") is never retrieved, so never ranked. The
 * headline's rarest name always retrieves.
 */
const PAGE_DAY = '2026-11-20T08:00:00Z';
const LONG_AGO = '2026-09-01T08:00:00Z';

function article(id: string, title: string, publishedAt: string): Article {
  return { id, kind: 'import', title, source: `Outlet ${id.length % 7}`, publishedAt, url: `https://news.example/${id}` };
}

function library(): Article[] {
  const out: Article[] = [];
  // The name in 500 headlines of months ago: outside the page's window, but in its statistics.
  for (let i = 0; i < 500; i++) out.push(article(`old${i}`, `Quarterly update ${i} from Twitter`, LONG_AGO));
  // A second name, in fewer headlines: of two names, the rarer is the one kept.
  for (let i = 0; i < 400; i++) out.push(article(`spot${i}`, `Weekly chart ${i} from Spotify`, LONG_AGO));
  // Each plain word of the page in 60 headlines: rarer than the name, common enough to fill the budget.
  for (const w of ['kills', 'never', 'much', 'play']) {
    for (let i = 0; i < 60; i++) out.push(article(`${w}${i}`, `Item ${i} ${w} report`, LONG_AGO));
  }
  out.push(article('mate', 'Twitter shuts down its song service', PAGE_DAY));
  return out;
}

/** The terms the index retrieves over for a query (store.ts retrievalTerms), as the engine picks them. */
function retrievalTerms(index: StoryIndex, q: StoryFeatures): string[] {
  return (index as unknown as { retrievalTerms(q: StoryFeatures): string[] }).retrievalTerms(q);
}

describe('retrieval keeps the headline rarest name', () => {
  const index = StoryIndex.build(library());
  const page = { title: 'Why Twitter kills its music app that never got much play', publishedAt: PAGE_DAY };

  it('retrieves by the name although plainer words are rarer', () => {
    const q = storyFeatures(page);
    expect(q.entities).toContain('twitter');
    const terms = retrievalTerms(index, q);
    expect(terms).toContain('twitter');
    // The budget still holds: the rest are the rarest words, not every word of the headline.
    expect(terms.length).toBeLessThan(q.titleTerms.length);
  });

  it('keeps the rarer of two names, and the budget still leaves the other out', () => {
    const q = storyFeatures({ title: 'Why Twitter and Spotify kill their music apps that never got much play', publishedAt: PAGE_DAY });
    expect(q.entities).toEqual(expect.arrayContaining(['twitter', 'spotifi']));
    const terms = retrievalTerms(index, q);
    expect(terms).toContain('spotifi');
    expect(terms).not.toContain('twitter');
  });

  it('ranks the same event reported with the name but none of the rarer words', () => {
    const ranked = index.rank(page, { windowDays: 7 });
    expect(ranked.map((c) => c.id)).toContain('mate');
  });
});

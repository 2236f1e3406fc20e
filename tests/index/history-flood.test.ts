import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { CANDIDATES, HISTORY_CANDIDATES, StoryIndex } from '../../src/index/engine';

/**
 * A page that reloads itself writes a reading-history entry each time (attack review, helper-30):
 * a hundred near-copies of one headline. Retrieval gives history places of its own, so they can
 * never push the seeds, feeds and imports out of the candidates, whatever the history holds.
 */
const DAY = '2026-11-20T08:00:00Z';
const page = { title: 'Iceland volcano erupts near Grindavik, residents evacuated', publishedAt: '2026-11-20T12:00:00Z' };

const wire: Article = {
  id: 'wire',
  kind: 'feed',
  title: 'Volcano erupts in Iceland near Grindavik; town evacuated',
  source: 'Reuters',
  publishedAt: DAY,
  url: 'https://wire.example/volcano',
};

function library(flood: number): Article[] {
  const out: Article[] = [wire];
  // Feed and import articles enough to fill every place on their own.
  for (let i = 0; i < CANDIDATES; i++) {
    out.push({
      id: `other${i}`,
      kind: 'import',
      title: `Iceland volcano erupts ${i} near Grindavik residents`,
      source: `Outlet ${i}`,
      publishedAt: DAY,
      url: `https://news.example/${i}`,
    });
  }
  for (let i = 0; i < flood; i++) {
    out.push({ id: `h${i}`, kind: 'history', title: `${page.title} ${i}`, source: 'BBC News', publishedAt: DAY, url: `https://evil.example/story?n=${i}` });
  }
  return out;
}

describe('reading history cannot crowd out the library (helper-30, finding 1)', () => {
  it('keeps every place for seeds, feeds and imports, and gives history at most its own', () => {
    for (const index of [
      StoryIndex.build(library(300)),
      (() => {
        const live = new StoryIndex();
        live.addAll(library(300));
        return live;
      })(),
    ]) {
      const ranked = index.rank(page);
      const kinds = ranked.map((c) => index.get(c.id)!.kind);
      expect(kinds.filter((k) => k === 'history')).toHaveLength(HISTORY_CANDIDATES);
      expect(kinds.filter((k) => k !== 'history')).toHaveLength(CANDIDATES);
      expect(ranked.map((c) => c.id)).toContain('wire');
    }
  });

  it('retrieves as before where history is absent or few', () => {
    const none = StoryIndex.build(library(0)).rank(page);
    expect(none).toHaveLength(CANDIDATES);
    expect(none.map((c) => c.id)).toContain('wire');
    const ranked = StoryIndex.build(library(3)).rank(page);
    expect(ranked.map((c) => c.id)).toContain('wire');
    expect(ranked.filter((c) => c.id.startsWith('h'))).toHaveLength(3);
    expect(ranked).toHaveLength(CANDIDATES + 3);
  });
});

describe('a page read is listed under its own site (helper-30, finding 2)', () => {
  it("names the site's address beside the name a page or a feed gave itself", () => {
    const index = StoryIndex.build([
      wire,
      {
        id: 'fake',
        kind: 'history',
        title: 'Iceland volcano erupts near Grindavik, thousands evacuated',
        source: 'BBC News',
        publishedAt: DAY,
        url: 'https://evil.example/p/1',
      },
      {
        id: 'real',
        kind: 'history',
        title: 'Grindavik evacuated as Iceland volcano erupts again',
        source: 'BBC News',
        publishedAt: DAY,
        url: 'https://www.bbc.co.uk/news/world-1',
      },
    ]);
    const sources = Object.fromEntries(index.match(page, { minRelevance: 1 }).map((s) => [s.id, s.source]));
    expect(sources).toEqual({ wire: 'Reuters (wire.example)', fake: 'BBC News (evil.example)', real: 'BBC News (bbc.co.uk)' });
  });
});

import { describe, expect, it } from 'vitest';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { StoryIndex, textNames, wholeNames } from '../../src/index/engine';
import { badgeText } from '../../src/background/toolbar-badge';
import { indexTerms, storyFeatures } from '../../src/index/features';

const seeds = loadSeedDirectory('seeds');
const [lead, ...related] = seeds;
const index = new StoryIndex();
index.addAll(seeds);
const leadPage = { title: lead.title, source: lead.source, publishedAt: lead.publishedAt, description: lead.body!.split('\n')[0] };

describe('matching the seed articles', () => {
  it('finds the three related reports for the lead article, never the article itself', () => {
    const stories = index.match(leadPage);
    expect(stories.map((s) => s.source).sort()).toEqual(related.map((a) => a.source).sort());
    expect(stories.every((s) => s.label === 'related')).toBe(true);
    expect(stories.find((s) => s.id === lead.id)).toBeUndefined();
  });

  it('leaves out a stored copy of the page: same headline from the same outlet, or the same URL', () => {
    const copy = { ...related[2], id: 'copy', kind: 'history' as const, url: 'https://swg.example/talks' };
    const withCopy = new StoryIndex();
    withCopy.addAll([...seeds, copy]);
    const page = { title: copy.title, source: copy.source, publishedAt: copy.publishedAt, url: 'https://other.example/x' };
    expect(withCopy.match(page).map((s) => s.id)).not.toContain(related[2].id);
    expect(
      withCopy.match({ title: 'Something else entirely about Ukraine and Russia talks', url: 'https://swg.example/talks' }).map((s) => s.id),
    ).not.toContain('copy');
  });

  it('says which names a story shares through its text when its headline shares none', () => {
    const mail = index.match(leadPage).find((s) => s.source === 'Daily Mail')!;
    expect(mail.matchedWords.length).toBeGreaterThan(1);
    for (const word of mail.matchedWords) expect(mail.title + related[0].body).toContain(word);
    // The lead says "North Korea"; the Mail only "North Africa": "North" is no name they share.
    expect(mail.matchedWords).not.toContain('North');
  });

  it('a story related through its text says the names it shares there, not only its one shared headline word (newcomer review, helper-20)', () => {
    // The Mirror's headline shares only "Ukraine" with the lead: it is listed for what its text shares.
    const mirror = index.match(leadPage).find((s) => s.source === 'Daily Mirror')!;
    const seed = related.find((a) => a.source === 'Daily Mirror')!;
    expect(mirror.label).toBe('related');
    expect(mirror.matchedWords[0]).toBe('Ukraine');
    expect(mirror.matchedWords.length).toBeGreaterThan(1);
    for (const word of mirror.matchedWords) expect(`${seed.title}\n${seed.body}`).toContain(word);
  });

  it('leaves out a word the story only writes as part of another name', () => {
    expect(textNames(['North', 'Moscow'], 'Troops from North Africa reached Moscow. North Africa again.')).toEqual(['Moscow']);
    expect(textNames(['North', 'Korea'], 'Troops from North Korea')).toEqual(['North Korea']);
    expect(textNames(['North'], 'They went north, then North again.')).toEqual(['North']);
  });

  it('says which words matched, as the story wrote them', () => {
    // At the search box's level: four seed articles are too few to corroborate "same story".
    const [top] = index.match({ title: 'Ukraine drone strike destroys Russian planes', publishedAt: related[1].publishedAt }, { minRelevance: 1 });
    expect(top.id).toBe(related[1].id);
    expect(top.matchedWords).toEqual(expect.arrayContaining(['drone', 'strike', 'Russian', 'planes']));
  });

  it('drops stories outside the time window and everything when the query shares nothing', () => {
    expect(index.match({ ...leadPage, publishedAt: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(index.match({ title: 'Central bank holds interest rates steady', publishedAt: lead.publishedAt })).toEqual([]);
  });

  it('shows fewer stories at a stricter relevance level', () => {
    expect(index.match(leadPage, { minRelevance: 5 })).toEqual([]);
    expect(index.match(leadPage, { limit: 1 })).toHaveLength(1);
  });
});

describe('toolbar badge text', () => {
  it('hides 0, shows counts, never exceeds 4 characters', () => {
    expect(badgeText(0, true)).toBe('');
    expect(badgeText(3, true)).toBe('3');
    expect(badgeText(3, false)).toBe('');
    expect(badgeText(12345, true)).toBe('999+');
  });
});

describe('a typed search', () => {
  it('lists stories sharing two words of the query, and never one sharing a single word', () => {
    const found = index.match({ title: 'drone strike on Russian planes' }, { minRelevance: 1, windowDays: Number.POSITIVE_INFINITY, search: true });
    expect(found[0].id).toBe(related[1].id);
    const single = index.match({ title: 'planes' }, { minRelevance: 1, windowDays: Number.POSITIVE_INFINITY, search: true });
    expect(single).toEqual([]);
  });
});

describe('matched words', () => {
  it('say whole names, as the story wrote them', () => {
    expect(wholeNames(['North', 'Korea', 'Russia'], 'troops from North Korea help Russia')).toEqual(['North Korea', 'Russia']);
    expect(wholeNames(['Bank', 'England'], 'the Bank of England')).toEqual(['Bank', 'England']);
    const mail = index.match(leadPage).find((s) => s.source === 'Daily Mail')!;
    for (const word of mail.matchedWords) expect(`${mail.title}\n${related[0].body}`).toContain(word);
    // "North" and "Korea" never show as two words when the story wrote "North Korea".
    expect(mail.matchedWords.includes('North') && mail.matchedWords.includes('Korea')).toBe(false);
  });
});

describe('what the index stores of an article', () => {
  it('indexes the same headline and text terms that scoring analyses, outlet names dropped', () => {
    const stories = [
      ...seeds,
      {
        title: 'Snowden has no regrets - KTVN Channel 2 - Reno',
        source: 'KTVN',
        publishedAt: null,
        description: 'Edward Snowden says he has no regrets. Snowden, Snowden again.',
      },
      { title: 'Search for MH370 moves to the Indian Ocean floor...', source: 'Wire', publishedAt: '2014-04-01T10:00:00Z', lang: 'en-GB' },
      {
        title: 'Élysée confirme la réunion',
        source: 'Le Monde',
        publishedAt: '2025-06-02T08:00:00Z',
        lang: 'fr',
        body: 'Le président a réuni ses ministres. '.repeat(200),
      },
    ];
    for (const story of stories) {
      const f = storyFeatures(story);
      expect(indexTerms(story)).toEqual({ titleTerms: f.titleTerms, textTerms: f.textTerms, day: f.day });
    }
    expect(indexTerms(stories[seeds.length]).titleTerms).not.toContain('ktvn');
  });
});

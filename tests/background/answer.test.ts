import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { article, filler } from '../fixtures/headline-stories';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeOptions, storiesForPage } from '../../src/background/answer';
import { createHandlers } from '../../src/background/handlers';
import { Library } from '../../src/background/library';
import { setTabPage } from '../../src/background/tab-state';
import type { Feeds } from '../../src/background/feeds';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { StorageFullError } from '../../src/corpus/library-db';
import { fromFeedItem, fromPage, toStored } from '../../src/corpus/records';
import { StoryIndex } from '../../src/index/engine';
import { DEFAULTS } from '../../src/settings/schema';

const seeds = loadSeedDirectory('seeds');
const [lead, mail, mirror, guardian] = seeds;
const leadPage = {
  url: 'https://demo.example/article/lead',
  headline: lead.title,
  description: lead.body!.split('\n')[0],
  siteName: lead.source,
  canonicalUrl: null,
  publishedAt: lead.publishedAt,
  lang: 'en',
};
let dbCount = 0;

describe('the page never sees itself', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a headline on the page never lists the page being read, even when it is in the library', () => {
    const index = new StoryIndex();
    index.addAll(seeds);
    const talks = { title: 'Ukraine and Russia to hold peace talks in Istanbul with North Korea troops in mind', publishedAt: guardian.publishedAt };
    const options = { ...badgeOptions(DEFAULTS, { title: '', url: null }), minRelevance: 1 as const, search: true };
    // Without the page: the lead article (NBC) is among the talks headline's stories.
    expect(index.match(talks, options).map((s) => s.id)).toContain(lead.id);
    const onLead = badgeOptions(DEFAULTS, { title: lead.title, source: lead.source, url: leadPage.url });
    expect(index.match(talks, { ...onLead, minRelevance: 1, search: true }).map((s) => s.id)).not.toContain(lead.id);
  });

  it('badges draw on seeds, feeds and imports, never on reading history', () => {
    const index = new StoryIndex();
    const read = fromPage(
      {
        ...leadPage,
        url: 'https://elsewhere.example/nk',
        headline: 'Zelensky says Ukraine drone strike hit 40 Russian planes near FSB HQ',
        siteName: 'Elsewhere',
      },
      new Date(mirror.publishedAt!),
    );
    index.addAll([...seeds, read]);
    const query = { title: 'Zelensky: drone strike on 40 Russian planes organised near FSB HQ', publishedAt: mirror.publishedAt };
    const loose = { minRelevance: 1 as const, search: true };
    expect(index.match(query, loose).map((s) => s.id)).toContain(read.id);
    expect(index.match(query, { ...badgeOptions(DEFAULTS, { title: '', url: null }), ...loose }).map((s) => s.id)).not.toContain(read.id);
  });

  it('matchHeadlines gives a link to the page itself no badge, and never lists the page', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `answer-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    await setTabPage(7, leadPage);
    // The page was read and recorded in history under its URL.
    await library.add([fromPage(leadPage, new Date())]);
    const { results } = await handlers.matchHeadlines(
      {
        headlines: [
          { text: lead.title, url: leadPage.url, publishedAt: null },
          { text: guardian.title, url: 'https://demo.example/article/talks', publishedAt: guardian.publishedAt },
          { text: mail.title, url: 'https://demo.example/article/mail', publishedAt: mail.publishedAt },
        ],
      },
      { tabId: 7, incognito: false, url: leadPage.url },
    );
    expect(results[0].total).toBe(0);
    for (const r of results) {
      expect(r.stories.map((s) => s.id)).not.toContain(lead.id);
      expect(r.stories.every((s) => s.title !== lead.title)).toBe(true);
    }
    // The popup for the page lists the other three, not the page or its history entry.
    const stories = storiesForPage(await library.index(), leadPage, DEFAULTS);
    expect(stories.map((s) => s.source).sort()).toEqual([mail.source, mirror.source, guardian.source].sort());
  });
});

describe('the page never sees its own copies (review of issue 8, item 5)', () => {
  it("the outlet's feed copy of the page, its link carrying the feed's click tracking and the feed's own name as outlet, is never listed", () => {
    const pageUrl = 'https://www.bbc.co.uk/news/world-europe-65432109';
    const page = { ...leadPage, url: pageUrl, canonicalUrl: pageUrl, siteName: 'BBC News' };
    const feedCopy = fromFeedItem(
      { title: lead.title, url: `${pageUrl}?at_medium=RSS&at_campaign=rss`, guid: 'g1', publishedAt: lead.publishedAt, description: null },
      { id: 'f0000000000001', title: 'BBC News - World', url: 'https://feeds.bbci.co.uk/news/world/rss.xml' },
      new Date(lead.publishedAt!),
    );
    const index = new StoryIndex();
    index.addAll([...seeds.filter((a) => a.id !== lead.id), feedCopy]);
    for (const visible of [false, true]) {
      const stories = storiesForPage(index, page, DEFAULTS, [], visible);
      expect(stories.length).toBeGreaterThan(0);
      expect(stories.map((s) => s.id)).not.toContain(feedCopy.id);
    }
  });

  it('a link back to the page with tracking on it gets no badge', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `answer-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const pageUrl = 'https://news.example/world/north-korea-troops-russia-report';
    await setTabPage(8, { ...leadPage, url: pageUrl });
    const { results } = await handlers.matchHeadlines(
      {
        headlines: [
          { text: guardian.title, url: `${pageUrl}?CMP=share_btn_link`, publishedAt: guardian.publishedAt },
          { text: guardian.title, url: 'https://news.example/world/ukraine-delegation-istanbul-talks', publishedAt: guardian.publishedAt },
        ],
      },
      { tabId: 8, incognito: false, url: pageUrl },
    );
    expect(results[0].total).toBe(0);
    expect(results[1].total).toBeGreaterThan(0);
  });
});

describe('the badge on the page headline', () => {
  beforeEach(() => fakeBrowser.reset());

  it('leaves reading history out of what the page is given, while the toolbar counts it', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `answer-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const other = {
      ...leadPage,
      url: 'https://elsewhere.example/talks',
      headline: 'Kremlin says Russia delegation will meet Ukraine envoys in Istanbul',
      siteName: 'Elsewhere',
      publishedAt: guardian.publishedAt,
      description: null,
    };
    await handlers.pageRead(other, { tabId: 1, incognito: false, url: other.url });
    // The second page's popup finds the first one in history; the page itself is not told.
    const talks = { ...other, url: 'https://third.example/talks', siteName: 'Third', headline: 'Ukraine and Russia delegations meet in Istanbul for talks' };
    const popup = storiesForPage(await library.index(), talks, DEFAULTS);
    const historyIds = popup.filter((s) => s.source === 'Elsewhere (elsewhere.example)').map((s) => s.id);
    expect(historyIds).toHaveLength(1);
    const answer = await handlers.pageRead(talks, { tabId: 2, incognito: false, url: talks.url });
    expect(answer.stories.map((s) => s.id)).not.toContain(historyIds[0]);
    expect(answer.total).toBe(popup.length - 1);
  });
});

describe('a page cannot tell whether you read its story (issue 9, finding 3)', () => {
  beforeEach(() => fakeBrowser.reset());

  /**
   * What the page's own headline badge shows on a hostile page titled like `story`, with or without
   * a reading of that story at another site in history; and the person's popup, which lists it.
   */
  async function pageBadge(library: typeof seeds, story: (typeof seeds)[number], readElsewhere: boolean, maxResults = DEFAULTS.maxResults) {
    const settings = { ...DEFAULTS, maxResults };
    const lib = new Library(async () => settings, library, `answer-test-${++dbCount}`);
    if (readElsewhere) {
      const read = {
        url: 'https://elsewhere.example/read',
        headline: story.title,
        description: story.body!.split('\n')[0],
        siteName: 'Elsewhere',
        canonicalUrl: null,
        publishedAt: story.publishedAt,
        lang: 'en',
      };
      await lib.add([fromPage(read, new Date(story.publishedAt!))]);
    }
    const hostile = {
      url: 'https://evil.example/probe',
      headline: story.title,
      description: null,
      siteName: 'Evil',
      canonicalUrl: null,
      publishedAt: story.publishedAt,
      lang: 'en',
    };
    const answer = await createHandlers(lib, {} as Feeds).pageRead(hostile, { tabId: 4, incognito: false, url: hostile.url });
    const popup = storiesForPage(await lib.index(), hostile, settings);
    // What the badge shows: how many, how many the same story, which ones in which order.
    const shown = { total: answer.total, same: answer.same, stories: answer.stories.map((s) => [s.id, s.label, s.alsoIn]) };
    return { shown, popup: popup.map((s) => s.source) };
  }

  it('a reading ranked above the only other copy of the story does not take the badge away', async () => {
    const unread = await pageBadge([lead], lead, false);
    const read = await pageBadge([lead], lead, true);
    expect(unread.shown.total).toBe(1);
    // The person's popup lists the reading first, with the seed folded into it as a copy ...
    expect(read.popup).toEqual(['Elsewhere (elsewhere.example)']);
    // ... and taking history out only after that left the page's badge with 0 stories (no badge).
    expect(read.shown).toEqual(unread.shown);
  });

  it('a reading does not take one of the places the settings allow', async () => {
    const unread = await pageBadge(seeds, lead, false, 1);
    const read = await pageBadge(seeds, lead, true, 1);
    expect(unread.shown.total).toBe(1);
    expect(read.popup).toEqual(['Elsewhere (elsewhere.example)']);
    expect(read.shown).toEqual(unread.shown);
  });
});

describe('a page cannot tell from the numbers behind its badges whether you read anything (issue 9, finding 3)', () => {
  const page = { title: 'Front page', url: 'https://evil.example/' };
  /** Every seed headline listed on a hostile page, as the headline-list path scores it: ids, labels and scores. */
  const badges = (index: StoryIndex) =>
    seeds.map((s) => index.match({ title: s.title, publishedAt: s.publishedAt }, badgeOptions(DEFAULTS, page)).map((r) => [r.id, r.label, r.score]));
  const withHistory = (read: (typeof seeds)[number]) =>
    fromPage(
      {
        url: `https://elsewhere.example/${read.id}`,
        headline: read.title,
        description: read.body!.split('\n')[0],
        siteName: 'Elsewhere',
        canonicalUrl: null,
        publishedAt: read.publishedAt,
        lang: 'en',
      },
      new Date(read.publishedAt!),
    );

  it('scores every listed headline alike whichever story was read, live and after a save', () => {
    const clean = new StoryIndex();
    clean.addAll(seeds);
    const before = badges(clean);
    expect(before.flat().length).toBeGreaterThan(0);
    for (const read of seeds) {
      const index = new StoryIndex();
      index.addAll([...seeds, withHistory(read)]);
      // Word statistics, lengths and day counts leave history out: a reading moves no score.
      expect(badges(index)).toEqual(before);
      expect(badges(StoryIndex.roundTrip(index))).toEqual(before);
      index.remove(withHistory(read).id);
      expect(badges(index)).toEqual(before);
    }
  });
});

describe('a full disk', () => {
  beforeEach(() => fakeBrowser.reset());

  it('still answers the page when its history entry cannot be stored (row 12)', async () => {
    const index = new StoryIndex();
    index.addAll(seeds);
    const full = {
      settings: async () => ({ ...DEFAULTS }),
      index: async () => index,
      add: async () => {
        throw new StorageFullError(1);
      },
    } as unknown as Library;
    const answer = await createHandlers(full, {} as Feeds).pageRead(leadPage, { tabId: 3, incognito: false, url: leadPage.url });
    expect(answer.total).toBe(3);
    const failing = { ...full, add: async () => Promise.reject(new Error('disk on fire')) } as unknown as Library;
    await expect(createHandlers(failing, {} as Feeds).pageRead(leadPage, { tabId: 3, incognito: false, url: leadPage.url })).rejects.toThrow('disk on fire');
  });
});

describe('a page cannot tell what you marked "Not the same story" (attack review, helper-21)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('badges and the page’s own answer ignore hidden pairs; the popup and toolbar count keep them', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `answer-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const reader = { tabId: 7, incognito: false, url: leadPage.url };
    const first = await handlers.pageRead(leadPage, reader);
    expect(first.total).toBe(3);
    await handlers.hideStory({ tabId: 7, articleId: guardian.id }, reader);
    // The person's own views drop it.
    expect(storiesForPage(await library.index(), leadPage, DEFAULTS, await handlers.hiddenStories({}, reader)).map((s) => s.id)).not.toContain(guardian.id);
    const popup = await handlers.tabStories({ tabId: 7 }, reader);
    expect(popup.stories.map((s) => s.id)).not.toContain(guardian.id);
    // Results are left: the popup lists them, and is told of no hidden ones (it needs that only with none left).
    expect(popup.hidden).toBeUndefined();
    // The page's own answer (its headline's badge) does not.
    const again = await handlers.pageRead(leadPage, reader);
    expect(again.total).toBe(3);
    expect(await fakeBrowser.action.getBadgeText({ tabId: 7 })).toBe('2');
    // A hostile front page lists the headline twice: linked to the page where a story was hidden,
    // and to an address of its own. Both get the same badge.
    const front = { tabId: 8, incognito: false, url: 'https://evil.example/' };
    const { results } = await handlers.matchHeadlines(
      {
        headlines: [
          { text: lead.title, url: leadPage.url, publishedAt: lead.publishedAt },
          { text: lead.title, url: 'https://evil.example/control', publishedAt: lead.publishedAt },
        ],
      },
      front,
    );
    expect(results[0].total).toBeGreaterThan(0);
    expect(results[0]).toEqual(results[1]);
    expect(results[0].stories.map((s) => s.id)).toContain(guardian.id);
  });
});

describe('the popup is told when every result of the page was hidden (review, helper-34)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('counts the hidden results the library would list now: not a pair whose article has gone', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), [lead], `answer-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const feed = { id: 'f0000000000001', title: 'Wire', url: 'https://wire.example/rss' };
    const report = fromFeedItem(
      {
        title: 'North Korea sends thousands more troops to help Russia fight Ukraine, report says',
        url: 'https://wire.example/nk-troops',
        guid: 'nk',
        publishedAt: '2025-05-31T15:00:00.000Z',
        description: null,
      },
      feed,
      new Date('2025-05-31T16:00:00Z'),
    );
    await library.add([report]);
    const reader = { tabId: 4, incognito: false, url: leadPage.url };
    await handlers.pageRead(leadPage, reader);
    expect((await handlers.tabStories({ tabId: 4 }, reader)).stories.map((s) => s.id)).toEqual([report.id]);
    await handlers.hideStory({ tabId: 4, articleId: report.id }, reader);
    expect(await handlers.tabStories({ tabId: 4 }, reader)).toMatchObject({ stories: [], hidden: 1 });
    // The feed goes, and its article with it: nothing hidden is left to show again.
    await library.removeFeedArticles(feed.id);
    const after = await handlers.tabStories({ tabId: 4 }, reader);
    expect(after.stories).toEqual([]);
    expect(after.hidden).toBeUndefined();
  });
});

describe("a feed or a file names its own outlets, so each result shows its link's site (noticed 2026-11-29)", () => {
  it('a feed titled "BBC News" whose items link to news.example is listed as BBC News (news.example); samples keep their names', () => {
    const now = new Date(guardian.publishedAt!);
    const item = (title: string, url: string) => ({ title, url, guid: url, publishedAt: guardian.publishedAt, description: null });
    const impostor = fromFeedItem(
      item('North Korea sends thousands more troops to help Russia fight Ukraine', 'https://news.example/nk'),
      { id: 'f1', title: 'BBC News', url: 'https://news.example/rss' },
      now,
    );
    const untitled = fromFeedItem(
      item('North Korean troops fight for Russia in Kursk as Ukraine holds ground', 'https://www.wire.example/nk'),
      { id: 'f2', title: null, url: 'https://www.wire.example/rss' },
      now,
    );
    const imported = toStored(
      {
        kind: 'import',
        title: 'Thousands of North Korean troops sent to Russia to fight Ukraine',
        source: 'Daily Wire',
        url: 'https://dailywire.example/a',
        publishedAt: guardian.publishedAt,
      },
      now,
    );
    const index = new StoryIndex();
    index.addAll([...seeds, impostor, untitled, imported]);
    const shown = new Map(
      storiesForPage(index, leadPage, { ...DEFAULTS, minRelevance: 1 }).flatMap((s): [string, string][] => [
        [s.id, s.source],
        ...s.alsoIn.map((o): [string, string] => [o, o]),
      ]),
    );
    expect(shown.get(impostor.id) ?? shown.get('BBC News (news.example)')).toBe('BBC News (news.example)');
    // A feed named by its own address needs no second one.
    expect(shown.get(untitled.id) ?? shown.get('www.wire.example')).toBe('www.wire.example');
    expect(shown.get(imported.id) ?? shown.get('Daily Wire (dailywire.example)')).toBe('Daily Wire (dailywire.example)');
    expect(shown.get(mail.id)).toBe(mail.source);
    expect([...shown.values()].some((s) => s === 'BBC News')).toBe(false);
  });
});

describe("hiding the only report of the page's event takes the developments it vouched for (review, helper-53)", () => {
  const later = article('Kim Kardashian and Kanye spotted in a cafe', undefined, '2014-03-23');
  const report = article('Kanye West and Kim Kardashian skip the annual gala');
  const page = {
    url: 'https://gossip.example/kanye',
    headline: 'Why Kanye West and Kim Kardashian skip the gala',
    description: null,
    siteName: 'Gossip Daily',
    canonicalUrl: null,
    publishedAt: '2014-03-20T09:00:00Z',
    lang: null,
  };
  const settings = { ...DEFAULTS, windowDays: 30 };
  const ids = (stories: { id: string; label: string }[]) => stories.map((s) => [s.id, s.label]);

  it('lists a development beside the report, and neither once the report is hidden', () => {
    const index = new StoryIndex();
    index.addAll([later, report, ...filler]);
    expect(ids(storiesForPage(index, page, settings))).toEqual([
      [report.id, 'same-story'],
      [later.id, 'related'],
    ]);
    const hidden = [
      {
        pageKey: page.url,
        pageHeadline: page.headline,
        articleId: report.id,
        articleTitle: report.title,
        articleSource: report.source,
        hiddenAt: '2014-03-24T00:00:00Z',
      },
    ];
    // The person said the library lacks the page's event: as if the report were not there.
    expect(storiesForPage(index, page, settings, hidden)).toEqual([]);
    const without = new StoryIndex();
    without.addAll([later, ...filler]);
    expect(storiesForPage(without, page, settings)).toEqual([]);
  });
});

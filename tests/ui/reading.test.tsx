// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelatedStory } from '../../src/core/article';
import type { TabStories } from '../../src/messaging/protocol';
import type { FollowedView, HiddenView } from '../../src/messaging/reading';
import { ReadingPanel, type ReadingApi } from '../../src/ui/options/ReadingPanel';
import { SidePanel, type PanelApi } from '../../src/ui/panel/SidePanel';
import { Popup } from '../../src/ui/popup/Popup';
import type { PopupReading } from '../../src/ui/popup/Reading';

const roots: Element[] = [];
const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));
const page = {
  url: 'https://news.example/a',
  headline: 'A headline',
  description: null,
  siteName: 'Example',
  canonicalUrl: null,
  publishedAt: null,
  lang: 'en',
};
const story = (id: string, title: string, label: RelatedStory['label'] = 'same-story'): RelatedStory => ({
  id,
  title,
  source: 'Wire',
  url: `https://wire.example/${id}`,
  publishedAt: '2025-06-02T09:00:00.000Z',
  label,
  score: 0.8,
  matchedWords: [],
  alsoIn: [],
});

async function mount(node: preact.ComponentChild) {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  await act(async () => render(node, root));
  await settle();
  const byName = (name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);
  return { root, byName };
}

function popupWith(result: TabStories, reading: PopupReading) {
  return mount(<Popup loadTab={async () => result} search={async () => []} openOptions={vi.fn()} openSources={vi.fn()} reading={reading} />);
}

const reading = (): PopupReading & { [K in keyof PopupReading]: ReturnType<typeof vi.fn> } => ({
  hide: vi.fn(async () => undefined),
  follow: vi.fn(async () => undefined),
  unfollow: vi.fn(async () => undefined),
});

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

describe('a private window: nothing from it is kept', () => {
  it('offers neither "Not the same story" nor Follow, and still lists the stories', async () => {
    const api = reading();
    const result: TabStories = {
      state: 'article',
      page,
      stories: [story('a1', 'First report')],
      follow: { key: 'news.example/a', following: false },
      private: true,
    };
    const { root, byName } = await popupWith(result, api);
    expect(root.textContent).toContain('First report');
    expect(byName('Not the same story: First report')).toBeUndefined();
    expect(byName('Follow story')).toBeUndefined();
    // The same page in a normal window has both.
    const normal = await popupWith({ ...result, private: undefined }, api);
    expect(normal.byName('Not the same story: First report')).toBeTruthy();
    expect(normal.byName('Follow story')).toBeTruthy();
  });
});

describe('"Not the same story" in the popup', () => {
  it('each result has the control, named with its headline; pressing it hides that result and says so', async () => {
    const api = reading();
    const { root, byName } = await popupWith({ state: 'article', page, stories: [story('a1', 'First report'), story('a2', 'Second report', 'related')] }, api);
    const button = byName('Not the same story: Second report');
    expect(button?.textContent).toBe('Not the same story');
    expect(byName('Not the same story: First report')).toBeTruthy();
    await act(async () => button!.click());
    await settle();
    expect(api.hide).toHaveBeenCalledWith('a2');
    expect([...root.querySelectorAll('li.story a')].map((a) => a.textContent)).toEqual(['First report']);
    const status = root.querySelector('[aria-live="polite"][tabindex="-1"]')!;
    expect(status.textContent).toContain('Second report');
    expect(document.activeElement).toBe(status);
  });

  it('keeps the result and shows the error when the worker refuses', async () => {
    const api = reading();
    api.hide.mockRejectedValue(new Error('the worker refused'));
    const { root, byName } = await popupWith({ state: 'article', page, stories: [story('a1', 'First report')] }, api);
    await act(async () => byName('Not the same story: First report')!.click());
    await settle();
    expect(root.querySelectorAll('li.story')).toHaveLength(1);
    expect(root.textContent).toContain('the worker refused');
  });

  it('hiding the last result says so, not that the library has nothing on the page', async () => {
    const { root, byName } = await popupWith({ state: 'article', page, stories: [story('a1', 'Only report')], added: 40 }, reading());
    await act(async () => byName('Not the same story: Only report')!.click());
    await settle();
    expect(root.querySelectorAll('li.story')).toHaveLength(0);
    expect(root.textContent).toContain('You marked this page’s only result “Not the same story”. Options can show it again.');
    expect(root.textContent).not.toContain('Nothing in your library matches');
  });

  it('search results and a popup without the reading features have no such control', async () => {
    const { byName } = await mount(
      <Popup
        loadTab={async () => ({ state: 'article', page, stories: [story('a1', 'First report')] })}
        search={async () => []}
        openOptions={vi.fn()}
        openSources={vi.fn()}
      />,
    );
    expect(byName('Not the same story: First report')).toBeUndefined();
  });
});

describe("following the page's story in the popup", () => {
  it('a Follow the worker refuses says Follow failed (not "could not load related stories")', async () => {
    const api = reading();
    api.follow.mockRejectedValue(new Error('storage is full'));
    const { root, byName } = await popupWith({ state: 'article', page, stories: [], follow: { key: 'news.example/a', following: false } }, api);
    await act(async () => byName('Follow story')!.click());
    await settle();
    expect(root.querySelector('.follow [role="status"]')?.textContent).toBe('Could not follow this story: something went wrong in Storyline (storage is full)');
    expect(byName('Follow story')).toBeTruthy();
  });

  it('Follow follows, then offers Unfollow', async () => {
    const api = reading();
    const { byName } = await popupWith({ state: 'article', page, stories: [], follow: { key: 'news.example/a', following: false } }, api);
    await act(async () => byName('Follow story')!.click());
    await settle();
    expect(api.follow).toHaveBeenCalledTimes(1);
    await act(async () => byName('Unfollow story')!.click());
    await settle();
    expect(api.unfollow).toHaveBeenCalledWith('news.example/a');
    expect(byName('Follow story')).toBeTruthy();
  });

  it('keeps the keyboard on the button while it works, refuses a second press, and says Unfollow worked (helper-42)', async () => {
    let done: () => void = () => undefined;
    const api = { ...reading(), follow: vi.fn(() => new Promise<void>((resolve) => (done = resolve))) };
    const { root, byName } = await popupWith({ state: 'article', page, stories: [], follow: { key: 'news.example/a', following: false } }, api);
    const button = byName('Follow story')!;
    button.focus();
    await act(async () => button.click());
    // Busy: marked so, not disabled (a browser drops a disabled button's focus to the page), and a second press does nothing.
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.disabled).toBe(false);
    await act(async () => button.click());
    expect(api.follow).toHaveBeenCalledTimes(1);
    await act(async () => done());
    await settle();
    await act(async () => byName('Unfollow story')!.click());
    await settle();
    expect(root.querySelector('.follow [role="status"]')?.textContent).toBe('No longer following this story.');
  });

  it('lists news as "New since you read" for the page\'s story and under the headline for another', async () => {
    const { root } = await popupWith(
      {
        state: 'article',
        page,
        stories: [],
        follow: { key: 'news.example/a', following: true },
        news: [
          { key: 'news.example/a', headline: page.headline, current: true, stories: [story('n1', 'Fresh coverage')] },
          { key: 'news.example/b', headline: 'Another story', current: false, stories: [story('n2', 'Other news')] },
        ],
      },
      reading(),
    );
    const lists = [...root.querySelectorAll('ul[aria-label]')].map((ul) => [ul.getAttribute('aria-label'), ul.textContent]);
    expect(lists[0][0]).toBe('New since you read');
    expect(lists[0][1]).toContain('Fresh coverage');
    expect(lists[1][0]).toBe('New in “Another story”');
    expect(lists[1][1]).toContain('Other news');
  });
});

describe('news of the page’s own story', () => {
  it('is marked "New" in the page’s list when the list shows it, and listed under "New since you read" only when it does not', async () => {
    const { root } = await popupWith(
      {
        state: 'article',
        page,
        stories: [story('n1', 'Fresh coverage'), story('a1', 'Earlier report')],
        follow: { key: 'news.example/a', following: true },
        news: [
          { key: 'news.example/a', headline: page.headline, current: true, stories: [story('n1', 'Fresh coverage'), story('n3', 'A development weeks later')] },
          { key: 'news.example/b', headline: 'Another story', current: false, stories: [story('n1', 'Fresh coverage')] },
        ],
      },
      reading(),
    );
    const items = (label: string) => [...root.querySelectorAll(`ul[aria-label="${label}"] > li`)].map((li) => li.textContent);
    // Each story once on the page's side: the list's copy carries the mark.
    expect(items('Reports of the same story')).toEqual([expect.stringMatching(/^Fresh coverageNew/), expect.not.stringContaining('New')]);
    expect(items('New since you read')).toEqual([expect.stringContaining('A development weeks later')]);
    // Another followed story's news is its own, listed whatever the page shows.
    expect(items('New in “Another story”')).toEqual([expect.stringContaining('Fresh coverage')]);
  });

  it('leaves no empty "New since you read" when the list shows all of it', async () => {
    const { root } = await popupWith(
      {
        state: 'article',
        page,
        stories: [story('n1', 'Fresh coverage')],
        follow: { key: 'news.example/a', following: true },
        news: [{ key: 'news.example/a', headline: page.headline, current: true, stories: [story('n1', 'Fresh coverage')] }],
      },
      reading(),
    );
    expect(root.textContent).not.toContain('New since you read');
    expect(root.querySelector('.chip.new')?.textContent).toBe('New');
  });
});

describe('the side panel', () => {
  it('offers Follow and "Not the same story" for the tab it follows', async () => {
    const api = reading();
    const forTab = vi.fn(() => api);
    const none = () => () => undefined;
    const panel: PanelApi = {
      activeTab: async () => 7,
      tabStories: async () => ({ state: 'article', page, stories: [story('a1', 'First report')], follow: { key: 'news.example/a', following: false } }),
      search: async () => [],
      takeQuery: async () => null,
      openOptions: vi.fn(),
      openSources: vi.fn(),
      onActivated: none,
      onTabChanged: none,
      onQueryWaiting: none,
      reading: forTab,
    };
    const { byName } = await mount(<SidePanel api={panel} windowId={1} initialQuery={null} />);
    await settle();
    await act(async () => byName('Follow story')!.click());
    await act(async () => byName('Not the same story: First report')!.click());
    await settle();
    expect(forTab).toHaveBeenCalledWith(7);
    expect(api.follow).toHaveBeenCalledTimes(1);
    expect(api.hide).toHaveBeenCalledWith('a1');
  });
});

describe('the options section for followed stories and hidden results', () => {
  const followed: FollowedView = {
    key: 'news.example/a',
    headline: 'A followed story',
    source: 'Example',
    url: page.url,
    followedAt: '2025-06-01T10:00:00.000Z',
    found: 2,
    unseen: 1,
    stories: [],
  };
  const hidden: HiddenView = {
    pageKey: 'news.example/a',
    pageHeadline: 'A headline',
    articleId: 'a2',
    articleTitle: 'A wrong match',
    articleSource: 'Wire',
    hiddenAt: '2025-06-01T10:00:00.000Z',
  };

  it('lists both, and Unfollow / Show again act and reload the lists', async () => {
    let lists = { followed: [followed], hidden: [hidden] };
    const api: ReadingApi = {
      followedStories: vi.fn(async () => lists.followed),
      hiddenStories: vi.fn(async () => lists.hidden),
      unfollow: vi.fn(async () => void (lists = { ...lists, followed: [] })),
      showAgain: vi.fn(async () => void (lists = { ...lists, hidden: [] })),
    };
    const { root, byName } = await mount(<ReadingPanel api={api} />);
    expect(root.querySelector('ul[aria-label="Followed stories"]')?.textContent).toContain('A followed story');
    expect(root.querySelector('ul[aria-label="Hidden results"]')?.textContent).toContain('hidden from “A headline”');
    await act(async () => byName('Show again: A wrong match')!.click());
    await settle();
    expect(api.showAgain).toHaveBeenCalledWith('news.example/a', 'a2');
    expect(root.querySelector('ul[aria-label="Hidden results"]')).toBeNull();
    expect(root.textContent).toContain('No hidden results');
    // Said as well as done: focus goes to the heading, which says nothing of it (helper-42).
    const said = () => [...root.querySelectorAll('[aria-live="polite"]')].map((s) => s.textContent);
    expect(said()).toContain('“A wrong match” is shown again.');
    await act(async () => byName('Unfollow A followed story')!.click());
    await settle();
    expect(api.unfollow).toHaveBeenCalledWith('news.example/a');
    expect(root.textContent).toContain('You follow no story');
    expect(said()).toContain('No longer following “A followed story”.');
  });

  it('lists what was found for a followed story, as links that open only http(s) (attack review, helper-42)', async () => {
    const found = [
      {
        id: 'n1',
        title: 'Later report on the story',
        source: 'Wire (wire.example)',
        url: 'https://wire.example/later',
        publishedAt: null,
        label: 'related' as const,
        score: 1,
        matchedWords: [],
        alsoIn: [],
      },
      {
        id: 'n2',
        title: 'A report without a link',
        source: 'Post',
        url: 'javascript:alert(1)',
        publishedAt: null,
        label: 'related' as const,
        score: 1,
        matchedWords: [],
        alsoIn: [],
      },
    ];
    const api: ReadingApi = {
      followedStories: vi.fn(async () => [{ ...followed, stories: found }]),
      hiddenStories: vi.fn(async () => []),
      unfollow: vi.fn(),
      showAgain: vi.fn(),
    };
    const { root } = await mount(<ReadingPanel api={api} />);
    const list = root.querySelector('ul[aria-label="New coverage of “A followed story”"]')!;
    const links = [...list.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual(['Later report on the story', 'A report without a link']);
    expect(links[0].getAttribute('href')).toBe('https://wire.example/later');
    expect(links[1].getAttribute('href')).toMatch(/^https:\/\/duckduckgo\.com\/\?q=/);
    expect(list.textContent).toContain('Wire (wire.example)');
  });

  it("an Unfollow the worker refuses says so and keeps the story; one that works moves focus to the list's heading", async () => {
    let lists = { followed: [followed], hidden: [hidden] };
    const api: ReadingApi = {
      followedStories: vi.fn(async () => lists.followed),
      hiddenStories: vi.fn(async () => lists.hidden),
      unfollow: vi
        .fn()
        .mockRejectedValueOnce(new Error('storage is full'))
        .mockImplementation(async () => void (lists = { ...lists, followed: [] })),
      showAgain: vi.fn(async () => void (lists = { ...lists, hidden: [] })),
    };
    const { root, byName } = await mount(<ReadingPanel api={api} />);
    await act(async () => byName('Unfollow A followed story')!.click());
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('Could not unfollow this story: something went wrong in Storyline (storage is full)');
    expect(root.textContent).toContain('A followed story');
    // As a browser does: the pressed button has focus, and goes with its row.
    const press = async (name: string) => {
      const button = byName(name)!;
      button.focus();
      await act(async () => button.click());
      await settle();
    };
    await press('Unfollow A followed story');
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(document.activeElement?.textContent).toBe('Followed stories');
    await press('Show again: A wrong match');
    expect(document.activeElement?.textContent).toBe('Hidden results');
  });

  it('focus the person moved elsewhere meanwhile stays there', async () => {
    let lists = { followed: [] as FollowedView[], hidden: [hidden] };
    let answer: () => void = () => undefined;
    const api: ReadingApi = {
      followedStories: vi.fn(async () => lists.followed),
      hiddenStories: vi.fn(async () => lists.hidden),
      unfollow: vi.fn(),
      // The worker answers after the person has moved on.
      showAgain: vi.fn(() => new Promise<void>((resolve) => (answer = () => ((lists = { ...lists, hidden: [] }), resolve())))),
    };
    const { byName } = await mount(<ReadingPanel api={api} />);
    const elsewhere = document.createElement('input');
    document.body.append(elsewhere);
    const button = byName('Show again: A wrong match')!;
    button.focus();
    await act(async () => button.click());
    elsewhere.focus();
    await act(async () => answer());
    await settle();
    expect(document.activeElement).toBe(elsewhere);
  });

  it('lists that cannot be loaded say which, with Try again (not a loading line for ever)', async () => {
    const api: ReadingApi = {
      followedStories: vi.fn().mockRejectedValueOnce(new Error('worker gone')).mockResolvedValue([followed]),
      hiddenStories: vi.fn(async () => []),
      unfollow: vi.fn(),
      showAgain: vi.fn(),
    };
    const { root } = await mount(<ReadingPanel api={api} />);
    const alert = root.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Could not load your followed stories and hidden results: something went wrong in Storyline (worker gone)');
    expect(root.textContent).not.toContain('Loading');
    await act(async () => [...alert.querySelectorAll('button')].find((b) => b.textContent === 'Try again')!.click());
    await settle();
    expect(root.querySelector('[role="alert"]')).toBeNull();
    expect(root.textContent).toContain('A followed story');
  });
});

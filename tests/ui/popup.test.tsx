// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TabStories } from '../../src/messaging/protocol';
import { Popup } from '../../src/ui/popup/Popup';

const roots: Element[] = [];
const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));

const page = {
  url: 'https://news.example/a',
  headline: 'A headline',
  description: null,
  siteName: 'Example News',
  canonicalUrl: null,
  publishedAt: null,
  lang: 'en',
};

async function openPopup(result: TabStories) {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  const openSources = vi.fn();
  const openOptions = vi.fn();
  await act(async () => {
    render(<Popup loadTab={async () => result} search={async () => []} openOptions={openOptions} openSources={openSources} />, root);
  });
  await settle();
  /** A button by its accessible name (its text: these buttons have no aria-label). */
  const button = (name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name && !b.getAttribute('aria-label'));
  return { root, button, openSources, openOptions };
}

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

/** A popup over this loadTab, mounted (tracked for cleanup unless `track` is false), for the timer-driven tests. */
async function mountPopup(loadTab: () => Promise<TabStories>, track = true): Promise<HTMLDivElement> {
  const root = document.createElement('div');
  document.body.append(root);
  if (track) roots.push(root);
  await act(async () => {
    render(<Popup loadTab={loadTab} search={async () => []} openOptions={() => {}} openSources={() => {}} />, root);
  });
  return root;
}

describe('the popup says what to do when the library has nothing for the page', () => {
  it('an article with no related stories: says so, and a button opens the sources to follow', async () => {
    const { root, button, openSources, openOptions } = await openPopup({ state: 'article', page, stories: [] });
    expect(root.textContent).toContain('No related stories in your library yet');
    const follow = button('Follow news sources');
    expect(follow).toBeTruthy();
    follow!.click();
    expect(openSources).toHaveBeenCalledTimes(1);
    expect(openOptions).not.toHaveBeenCalled();
  });

  it('a library with feeds or imports that holds nothing on this story: says so, and offers no sources to follow', async () => {
    const { root, button } = await openPopup({ state: 'article', page, stories: [], added: 1200 });
    expect(root.textContent).toContain('Nothing in your library matches this page: the 1,200 articles from your feeds and imports are about other stories.');
    expect(root.textContent).not.toContain('No related stories in your library yet');
    expect(button('Follow news sources')).toBeUndefined();
    expect((await openPopup({ state: 'article', page, stories: [], added: 1 })).root.textContent).toContain(
      'the 1 article from your feeds and imports is about',
    );
  });

  it('a page that is not an article gets no such button', async () => {
    const { button } = await openPopup({ state: 'not-article', page: null, stories: [] });
    expect(button('Follow news sources')).toBeUndefined();
  });
});

describe('a front page: no article of its own, but badges on its headlines', () => {
  it('says how many headlines have badges, instead of "not a news article"', async () => {
    const { root } = await openPopup({ state: 'not-article', page: null, stories: [], badges: 29 });
    expect(root.textContent).toContain('This is a front page: 29 headlines here have related stories, marked with Storyline badges.');
    expect(root.textContent).not.toContain('not a news article');
  });

  it('one badge: singular; thousands: grouped digits', async () => {
    expect((await openPopup({ state: 'not-article', page: null, stories: [], badges: 1 })).root.textContent).toContain(
      '1 headline here has related stories, marked with a Storyline badge.',
    );
    expect((await openPopup({ state: 'not-article', page: null, stories: [], badges: 1200 })).root.textContent).toContain('1,200 headlines here');
  });

  it('no badges: still "not a news article"', async () => {
    const { root } = await openPopup({ state: 'not-article', page: null, stories: [], badges: 0 });
    expect(root.textContent).toContain('This page is not a news article');
  });
});

describe('the page read, and the way back from a search', () => {
  it("shows the page's outlet and day, from which each story's gap is counted", async () => {
    const { root } = await openPopup({ state: 'article', page: { ...page, publishedAt: '2025-05-31T09:00:00Z' }, stories: [] });
    expect(root.querySelector('header')?.textContent).toContain('Example News · Sat, May 31, 2025');
  });

  it('offers "Back to this page" after a search from a page with no stories of its own, and no back button before', async () => {
    const { root, button } = await openPopup({ state: 'not-article', page: null, stories: [], badges: 4 });
    expect(button('Back to this page')).toBeUndefined();
    const input = root.querySelector('input[type="search"]') as HTMLInputElement;
    input.value = 'storm closes roads';
    await act(async () => void input.dispatchEvent(new Event('input')));
    await act(async () => void root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true })));
    await settle();
    expect(button("Back to this page's stories")).toBeUndefined();
    expect(button('Back to this page')).toBeTruthy();
    // The page's controls stay together on the right.
    expect([...root.querySelectorAll('footer .end button')].map((b) => b.textContent)).toEqual(['Options']);
  });
});

describe('a tab still loading its page', () => {
  it('says it is reading the page, asks again, and shows the stories once the page is read', async () => {
    vi.useFakeTimers();
    try {
      const answers: TabStories[] = [
        { state: 'loading', page: null, stories: [] },
        { state: 'loading', page: null, stories: [] },
        { state: 'article', page, stories: [], added: 0 },
      ];
      const loadTab = vi.fn(async () => answers.shift()!);
      const root = await mountPopup(loadTab);
      await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
      expect(root.querySelector('[role="status"]')?.textContent).toContain('Reading this page');
      expect(root.textContent).not.toContain('cannot read this page');
      await act(async () => void (await vi.advanceTimersByTimeAsync(1_000)));
      expect(loadTab).toHaveBeenCalledTimes(3);
      expect(root.textContent).toContain('A headline');
      expect(root.textContent).toContain('No related stories in your library yet');
      // Read: no more asking.
      await act(async () => void (await vi.advanceTimersByTimeAsync(5_000)));
      expect(loadTab).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a tab that never finishes loading ends as a page Storyline cannot read, after about half a minute', async () => {
    vi.useFakeTimers();
    try {
      const loadTab = vi.fn(async (): Promise<TabStories> => ({ state: 'loading', page: null, stories: [] }));
      const root = await mountPopup(loadTab);
      await act(async () => void (await vi.advanceTimersByTimeAsync(10_000)));
      expect(root.textContent).toContain('Reading this page');
      await act(async () => void (await vi.advanceTimersByTimeAsync(30_000)));
      expect(root.textContent).toContain('Storyline cannot read this page');
      const asked = loadTab.mock.calls.length;
      expect(asked).toBeGreaterThan(20);
      await act(async () => void (await vi.advanceTimersByTimeAsync(10_000)));
      expect(loadTab.mock.calls.length).toBe(asked);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a search typed while the page loads stays on screen when the page is read', async () => {
    vi.useFakeTimers();
    try {
      // Each answer takes 300 ms: the search is typed while the second is on its way.
      const answers: TabStories[] = [{ state: 'loading', page: null, stories: [] }];
      const loadTab = vi.fn(
        () => new Promise<TabStories>((resolve) => setTimeout(() => resolve(answers.shift() ?? { state: 'article', page, stories: [], added: 0 }), 300)),
      );
      const root = await mountPopup(loadTab);
      await act(async () => void (await vi.advanceTimersByTimeAsync(900)));
      expect(loadTab).toHaveBeenCalledTimes(2);
      const input = root.querySelector('input[type="search"]') as HTMLInputElement;
      await act(async () => {
        input.value = 'ukraine talks';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(async () => {
        root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
        await vi.advanceTimersByTimeAsync(2_000);
      });
      expect(root.textContent).toContain('ukraine talks');
      expect(root.textContent).not.toContain('Reading this page');
      expect(root.textContent).not.toContain('No related stories in your library yet');
    } finally {
      vi.useRealTimers();
    }
  });

  it('back from a search to a tab still loading: it asks again, and shows the stories once read (review helper-28)', async () => {
    vi.useFakeTimers();
    try {
      let read = false;
      const loadTab = vi.fn(async (): Promise<TabStories> =>
        read ? { state: 'article', page, stories: [], added: 0 } : { state: 'loading', page: null, stories: [] },
      );
      const root = await mountPopup(loadTab);
      await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
      const input = root.querySelector('input[type="search"]') as HTMLInputElement;
      await act(async () => {
        input.value = 'ukraine talks';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await act(async () => {
        root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
        await vi.advanceTimersByTimeAsync(100);
      });
      read = true;
      const back = [...root.querySelectorAll('button')].find((b) => /Back/.test(b.textContent ?? ''))!;
      await act(async () => {
        back.click();
        await vi.advanceTimersByTimeAsync(1_000);
      });
      expect(root.textContent).toContain('A headline');
      expect(root.textContent).not.toContain('Reading this page');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a view that goes away asks no more, even with an answer on its way', async () => {
    vi.useFakeTimers();
    try {
      const loadTab = vi.fn(() => new Promise<TabStories>((resolve) => setTimeout(() => resolve({ state: 'loading', page: null, stories: [] }), 300)));
      const root = await mountPopup(loadTab, false);
      await act(async () => void (await vi.advanceTimersByTimeAsync(100)));
      // Unmounted while the first answer is on its way.
      await act(async () => render(null, root));
      await act(async () => void (await vi.advanceTimersByTimeAsync(60_000)));
      expect(loadTab).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a search, its failure and what it found, said where a person hears it', () => {
  const found = {
    id: 's1',
    title: 'Ukraine talks resume in Istanbul',
    source: 'Wire',
    url: 'https://wire.example/s1',
    publishedAt: null,
    label: 'related' as const,
    score: 0.5,
    matchedWords: [],
    alsoIn: [],
  };
  async function searchFor(root: Element, text: string) {
    const input = root.querySelector('input[type="search"]') as HTMLInputElement;
    await act(async () => {
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => void root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
  }

  it('a failed search says the search failed, and Try again runs the search again (not the page)', async () => {
    const search = vi.fn<(q: string) => Promise<(typeof found)[]>>().mockRejectedValueOnce(new Error('the index is gone')).mockResolvedValue([found]);
    const loadTab = vi.fn(async (): Promise<TabStories> => ({ state: 'article', page, stories: [], added: 3 }));
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () => render(<Popup loadTab={loadTab} search={search} openOptions={() => {}} openSources={() => {}} />, root));
    await settle();
    await searchFor(root, 'ukraine talks');
    const alert = root.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('The search could not be run: something went wrong in Storyline (the index is gone)');
    expect(alert.textContent).not.toContain('could not load related stories');
    await act(async () => [...alert.querySelectorAll('button')].find((b) => b.textContent === 'Try again')!.click());
    await settle();
    expect(search).toHaveBeenCalledTimes(2);
    expect(search).toHaveBeenLastCalledWith('ukraine talks');
    expect(loadTab).toHaveBeenCalledTimes(1);
    expect(root.querySelector('li.story a')?.textContent).toBe('Ukraine talks resume in Istanbul');
  });

  it('what a search found is said in a live region that was there before it (none found, then one)', async () => {
    const search = vi.fn<(q: string) => Promise<(typeof found)[]>>().mockResolvedValueOnce([]).mockResolvedValue([found]);
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () =>
      render(
        <Popup loadTab={async () => ({ state: 'article', page, stories: [], added: 3 })} search={search} openOptions={() => {}} openSources={() => {}} />,
        root,
      ),
    );
    await settle();
    const live = [...root.querySelectorAll('[aria-live="polite"]')].find((p) => !p.hasAttribute('tabindex'))!;
    expect(live.textContent).toBe('');
    await searchFor(root, 'nothing like it');
    expect(live.isConnected).toBe(true);
    expect(live.textContent).toBe('Nothing in your library matches that search.');
    await searchFor(root, 'ukraine talks');
    expect(live.textContent).toBe('1 story found for “ukraine talks”.');
  });
});

describe('a page whose every result the person hid', () => {
  it('says they were hidden and where to show them again, not that the library has nothing', async () => {
    const { root } = await openPopup({ state: 'article', page, stories: [], added: 40, hidden: 2 });
    expect(root.textContent).toContain('You marked all 2 of this page’s results “Not the same story”. Options can show them again.');
    expect(root.textContent).not.toContain('Nothing in your library matches');
    expect(root.textContent).not.toContain('No related stories in your library yet');
  });
});

describe('an index being built (PRODUCT.md: the popup\'s "index building" state)', () => {
  it('a slow answer while the worker builds its index says so, and the stories replace it once built', async () => {
    vi.useFakeTimers();
    try {
      let answer: (result: TabStories) => void = () => undefined;
      let building = true;
      const isBuilding = vi.fn(async () => building);
      const root = document.createElement('div');
      document.body.append(root);
      roots.push(root);
      await act(async () =>
        render(
          <Popup
            loadTab={() => new Promise<TabStories>((resolve) => (answer = resolve))}
            search={async () => []}
            openOptions={() => {}}
            openSources={() => {}}
            isBuilding={isBuilding}
          />,
          root,
        ),
      );
      // A quick answer never asks.
      await act(async () => void (await vi.advanceTimersByTimeAsync(300)));
      expect(isBuilding).not.toHaveBeenCalled();
      expect(root.querySelector('[role="status"]')?.textContent).toBe('Looking for related stories…');
      await act(async () => void (await vi.advanceTimersByTimeAsync(400)));
      expect(root.querySelector('[role="status"]')?.textContent).toContain('Storyline is building the index of your library');
      building = false;
      await act(async () => answer({ state: 'article', page, stories: [], added: 0 }));
      await act(async () => void (await vi.advanceTimersByTimeAsync(2_000)));
      expect(root.textContent).not.toContain('building the index');
      expect(root.textContent).toContain('No related stories in your library yet');
      const asked = isBuilding.mock.calls.length;
      await act(async () => void (await vi.advanceTimersByTimeAsync(5_000)));
      expect(isBuilding.mock.calls.length).toBe(asked);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('outlets named in right-to-left scripts (attack review, helper-35)', () => {
  it('"Also in" isolates each outlet, so two right-to-left names in a row keep their order', async () => {
    const story = {
      id: 's1',
      title: 'Ukraine talks resume in Istanbul',
      source: 'Wire',
      url: 'https://wire.example/s1',
      publishedAt: null,
      label: 'same-story' as const,
      score: 0.9,
      matchedWords: [],
      alsoIn: ['الجزيرة', 'العربية', 'BBC'],
    };
    const { root } = await openPopup({ state: 'article', page, stories: [story] });
    expect(root.querySelector('.why')?.textContent).toBe('Also in: \u2068الجزيرة\u2069, \u2068العربية\u2069, and \u2068BBC\u2069');
  });
});

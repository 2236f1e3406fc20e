import { useEffect, useRef, useState } from 'preact/hooks';
import type { RelatedStory } from '../../core/article';
import type { TabStories } from '../../messaging/protocol';
import { errorText } from '../errors';
import { plural, t } from '../i18n';
import { storyDate } from '../format';
import { StoryItem } from './StoryItem';
import { timeline } from './timeline';
import { FollowBar, FollowNewsSections, type PopupReading } from './Reading';

/** While the tab loads, it is asked again this often, for at most this many times (about half a minute). */
const LOADING_RETRY_MS = 500;
const LOADING_TRIES = 60;
/** An answer slower than this asks whether the index is being built, and again this often while it is. */
const BUILDING_CHECK_MS = 600;

type View =
  | { kind: 'loading' }
  /** `text`: the whole sentence; `retry` repeats what failed (the page's stories, or the search). */
  | { kind: 'error'; text: string; retry: () => void }
  | { kind: 'tab'; result: TabStories }
  | { kind: 'search'; query: string; stories: RelatedStory[] };

export interface PopupProps {
  loadTab: () => Promise<TabStories>;
  search: (query: string) => Promise<RelatedStory[]>;
  openOptions: () => void;
  /** Opens the options page at its sources (feeds to follow). */
  openSources: () => void;
  /** "Not the same story" and Follow (issue 12, items 4 and 5); no such controls when absent. */
  reading?: PopupReading;
  /** Opens this view in the browser's side panel; no button when absent (the panel itself, a browser without one). */
  openPanel?: () => void;
  /** Looked up once the tab has loaded, as if typed (a "Find related stories" context-menu click). */
  initialQuery?: string | null;
  /** Whether the worker is building its index (read from storage, not the busy worker); asked while an answer is slow. */
  isBuilding?: () => Promise<boolean>;
}

export function Popup({ loadTab, search, openOptions, openSources, openPanel, initialQuery, reading, isBuilding }: PopupProps) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  // An answer slower than BUILDING_CHECK_MS asks whether the index is being built, and says so.
  const [building, setBuilding] = useState(false);
  const loading = view.kind === 'loading';
  useEffect(() => {
    if (!loading || !isBuilding) return;
    let stopped = false;
    const ask = () =>
      isBuilding().then(
        (now) => {
          if (stopped) return;
          setBuilding(now);
          timer = setTimeout(ask, BUILDING_CHECK_MS);
        },
        () => undefined,
      );
    let timer = setTimeout(ask, BUILDING_CHECK_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      setBuilding(false);
    };
  }, [loading, isBuilding]);
  const [tab, setTab] = useState<TabStories | null>(null);
  const [notice, setNotice] = useState('');
  const noticeRef = useRef<HTMLParagraphElement>(null);
  // "Not the same story": the worker stores the pair; the list drops the story at once and focus
  // goes to the sentence that says so (the pressed button is gone).
  // Nothing from a private window is kept: no "Not the same story" there, and no Follow.
  const notSame =
    reading && !tab?.private
      ? (story: RelatedStory) => {
          const drop = (result: TabStories): TabStories => ({
            ...result,
            stories: result.stories.filter((s) => s.id !== story.id),
            hidden: (result.hidden ?? 0) + 1,
          });
          reading.hide(story.id).then(
            () => {
              setTab((current) => current && drop(current));
              setView((current) => (current.kind === 'tab' ? { kind: 'tab', result: drop(current.result) } : current));
              setNotice(t('notSameStoryDone', story.title));
            },
            (error: unknown) => setNotice(errorText(error)),
          );
        }
      : undefined;
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const [query, setQuery] = useState(initialQuery ?? '');
  // What a search found, said to screen readers (the results replace the loading line, which a
  // live region must already be on the page to announce).
  const [announce, setAnnounce] = useState('');

  // A tab still loading is asked again until its page has been read (or for LOADING_TRIES at most).
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Bumped when the view goes (unmounted, or another tab's view mounted): an answer on its way then asks no more.
  const generation = useRef(0);
  const runSearch = (text: string) => {
    clearTimeout(retryTimer.current);
    setView({ kind: 'loading' });
    setAnnounce('');
    search(text).then(
      (stories) => {
        setView({ kind: 'search', query: text, stories });
        setAnnounce(stories.length ? plural('searchResultsCount', stories.length, text) : t('noSearchResults'));
      },
      (error: unknown) => setView({ kind: 'error', text: t('searchFailed', errorText(error)), retry: () => runSearch(text) }),
    );
  };

  const load = (attempt = 0) => {
    clearTimeout(retryTimer.current);
    if (attempt === 0) setView({ kind: 'loading' });
    const mine = generation.current;
    loadTab().then(
      (loaded) => {
        if (mine !== generation.current) return;
        const waiting = loaded.state === 'loading' && attempt < LOADING_TRIES;
        // Still loading after half a minute: a page Storyline does not get to read.
        const result: TabStories = loaded.state === 'loading' && !waiting ? { ...loaded, state: 'unknown' } : loaded;
        setTab(result);
        if (initialQuery) runSearch(initialQuery);
        // A search typed meanwhile stays on screen.
        else setView((current) => (attempt > 0 && current.kind !== 'tab' ? current : { kind: 'tab', result }));
        if (!initialQuery && waiting) retryTimer.current = setTimeout(() => load(attempt + 1), LOADING_RETRY_MS);
      },
      (error: unknown) => {
        if (mine === generation.current) setView({ kind: 'error', text: t('errorLoading', errorText(error)), retry: () => load() });
      },
    );
  };
  // Loads once on open; loadTab is fixed for the popup's life, and so is initialQuery (the side
  // panel mounts a new view for another tab or query).
  useEffect(() => {
    load();
    const [views, timer] = [generation, retryTimer];
    return () => {
      views.current++;
      clearTimeout(timer.current);
    };
    // oxlint-disable-next-line react-hooks/exhaustive-deps
  }, [loadTab]);

  const onSearch = (event: Event) => {
    event.preventDefault();
    const text = query.trim();
    if (text) runSearch(text);
  };

  // New coverage of the page's own story that its list shows is marked "New" there, not listed twice.
  const shownIds = new Set(view.kind === 'tab' ? view.result.stories.map((s) => s.id) : []);
  const fresh = new Set((tab?.news ?? []).filter((n) => n.current).flatMap((n) => n.stories.map((s) => s.id).filter((id) => shownIds.has(id))));

  return (
    <main class="popup" aria-busy={view.kind === 'loading'}>
      {tab?.page && (
        <header class="reading">
          <div class="eyebrow">{t('readingLabel')}</div>
          <h1 dir="auto">{tab.page.headline}</h1>
          {/* The page's own outlet and day: each story's "2 days later" is counted from it. */}
          {(tab.page.siteName || tab.page.publishedAt) && (
            <div class="eyebrow">{[tab.page.siteName, storyDate(tab.page.publishedAt)].filter(Boolean).join(' · ')}</div>
          )}
          {tab.follow && reading && !tab.private && <FollowBar reading={reading} follow={tab.follow} />}
        </header>
      )}
      {/* A live region, not role="status": the popup's one status is its loading line and summary. */}
      <p ref={noticeRef} class={notice ? 'message' : 'visually-hidden'} aria-live="polite" tabIndex={-1}>
        {notice}
      </p>
      {tab?.news && <FollowNewsSections news={tab.news} pageTime={tab.page?.publishedAt ?? null} listed={fresh} />}
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <Body view={view} building={building} openSources={openSources} onNotSame={notSame} fresh={fresh} />
      <form class="search" role="search" onSubmit={onSearch}>
        <label class="visually-hidden" for="search">
          {t('searchLabel')}
        </label>
        <input id="search" type="search" value={query} placeholder={t('searchPlaceholder')} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        <button type="submit" class="primary">
          {t('searchButton')}
        </button>
      </form>
      <footer>
        {view.kind === 'search' && tab && (
          <button type="button" onClick={() => (tab.state === 'loading' ? load() : setView({ kind: 'tab', result: tab }))}>
            {t(tab.stories.length ? 'backToPage' : 'backToPageNoStories')}
          </button>
        )}
        <span class="end">
          {openPanel && (
            <button type="button" onClick={openPanel}>
              {t('openSidePanel')}
            </button>
          )}
          <button type="button" onClick={openOptions}>
            {t('openOptions')}
          </button>
        </span>
      </footer>
    </main>
  );
}

function Body({
  view,
  building,
  openSources,
  onNotSame,
  fresh,
}: {
  view: View;
  building: boolean;
  openSources: () => void;
  onNotSame?: (story: RelatedStory) => void;
  fresh: ReadonlySet<string>;
}) {
  switch (view.kind) {
    case 'loading':
      return (
        <p class="message" role="status">
          {building ? t('indexBuilding') : t('loading')}
        </p>
      );
    case 'error':
      return (
        <div role="alert">
          <p class="message error">{view.text}</p>
          <button type="button" onClick={view.retry}>
            {t('retry')}
          </button>
        </div>
      );
    case 'search':
      return (
        <section aria-label={t('searchResultsFor', view.query)}>
          <p class="summary">{t('searchResultsFor', view.query)}</p>
          {view.stories.length ? <StoryList stories={view.stories} /> : <p class="message">{t('noSearchResults')}</p>}
        </section>
      );
    case 'tab': {
      const { state, stories } = view.result;
      if (state === 'loading') {
        return (
          <p class="message" role="status">
            {t('pageLoading')}
          </p>
        );
      }
      if (state === 'unknown') return <p class="message">{t('unknownPage')}</p>;
      if (state === 'not-article') {
        // A front page: no headline of its own, but its headlines may carry badges.
        const badges = view.result.badges ?? 0;
        return <p class="message">{badges > 0 ? plural('frontPageBadges', badges) : t('notArticle')}</p>;
      }
      const added = view.result.added ?? 0;
      // Every result hidden with "Not the same story": said so, not "nothing in your library".
      if (stories.length === 0 && view.result.hidden) return <p class="message">{plural('allHidden', view.result.hidden)}</p>;
      // A library of feeds or imports that holds nothing on this story: no call to follow sources.
      if (stories.length === 0 && added > 0) return <p class="message">{plural('noMatches', added)}</p>;
      if (stories.length === 0) {
        return (
          <div class="empty">
            <p class="message">{t('noStories')}</p>
            <button type="button" class="primary" onClick={openSources}>
              {t('addSourcesButton')}
            </button>
          </div>
        );
      }
      const { coverage, developments } = timeline(stories);
      const pageTime = view.result.page?.publishedAt ?? null;
      const related = stories.length - coverage.length;
      return (
        <section class="timeline" aria-label={t('relatedStoriesList')}>
          <p class="summary" role="status">
            {[coverage.length ? plural('sameStoryCount', coverage.length) : '', related ? plural('storyCount', related) : ''].filter(Boolean).join(' · ')}
          </p>
          {coverage.length > 0 && (
            <section aria-labelledby="coverage-heading">
              <h2 id="coverage-heading">{t('coverageHeading')}</h2>
              <ul class="stories" aria-label={t('coverageList')}>
                {coverage.map((story) => (
                  <StoryItem key={story.id} story={story} pageTime={pageTime} onNotSame={onNotSame} fresh={fresh.has(story.id)} />
                ))}
              </ul>
            </section>
          )}
          {developments.length > 0 && (
            <section aria-labelledby="developments-heading">
              <h2 id="developments-heading">{t('developmentsHeading')}</h2>
              <ul class="stories" aria-label={t('developmentsList')}>
                {developments.map((group) =>
                  group.stories.length && developments.length === 1 && group.day === null ? (
                    group.stories.map((story) => (
                      <StoryItem key={story.id} story={story} pageTime={pageTime} onNotSame={onNotSame} fresh={fresh.has(story.id)} />
                    ))
                  ) : (
                    <li class="day" key={group.day ?? 'undated'}>
                      <h3>{group.day ? storyDate(`${group.day}T00:00:00Z`) : t('undated')}</h3>
                      <ul class="stories">
                        {group.stories.map((story) => (
                          <StoryItem key={story.id} story={story} pageTime={pageTime} onNotSame={onNotSame} fresh={fresh.has(story.id)} />
                        ))}
                      </ul>
                    </li>
                  ),
                )}
              </ul>
            </section>
          )}
        </section>
      );
    }
  }
}

function StoryList({ stories }: { stories: RelatedStory[] }) {
  return (
    <ul class="stories" aria-label={t('relatedStoriesList')}>
      {stories.map((story) => (
        <StoryItem key={story.id} story={story} />
      ))}
    </ul>
  );
}

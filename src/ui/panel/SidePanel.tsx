import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RelatedStory } from '../../core/article';
import type { TabStories } from '../../messaging/protocol';
import { t } from '../i18n';
import { Popup } from '../popup/Popup';
import type { PopupReading } from '../popup/Reading';

/** What the panel needs of the browser and the worker: wired in entrypoints/sidepanel, faked in tests. */
export interface PanelApi {
  /** The active tab of a window (null: none, or no window known). */
  activeTab: (windowId: number | null) => Promise<number | null>;
  tabStories: (tabId: number) => Promise<TabStories>;
  search: (query: string) => Promise<RelatedStory[]>;
  /** The query a context-menu click left for this window's panel, taken once. */
  takeQuery: (windowId: number) => Promise<string | null>;
  openOptions: () => void;
  openSources: () => void;
  /** Subscriptions; each returns its unsubscribe. */
  onActivated: (listener: (tab: { tabId: number; windowId: number }) => void) => () => void;
  /** The worker's notice: the tab's page was read, or forgotten (`left`: it shows another page; protocol `tabChanged`). */
  onTabChanged: (listener: (change: { tabId: number; left: boolean }) => void) => () => void;
  /** The worker's notice: a context-menu query waits for a window's panel (protocol `panelQueryWaiting`). */
  onQueryWaiting: (listener: (windowId: number) => void) => () => void;
  /** "Not the same story" and Follow for a tab's page (issue 12, items 4 and 5); the view has neither when absent. */
  reading?: (tabId: number) => PopupReading;
  /** Whether the worker is building its index (the view's "index building" state). */
  isBuilding?: () => Promise<boolean>;
}

const UNKNOWN: TabStories = { state: 'unknown', page: null, stories: [] };

interface Target {
  tabId: number | null;
  /** Bumped when the tab's page changes: the view is loaded again. */
  version: number;
  query: string | null;
}

/**
 * The popup's view in the browser's side panel (Chrome's sidePanel, Firefox's sidebar), following
 * the active tab of its window: switching tabs or a tab reading a new page shows that page's
 * stories; a "Find related stories" click shows the results for its text (issue 12, items 2 and 3).
 */
export function SidePanel({ api, windowId, initialQuery }: { api: PanelApi; windowId: number | null; initialQuery: string | null }) {
  const [target, setTarget] = useState<Target | null>(null);

  useEffect(() => {
    let alive = true;
    // A tab that cannot be asked for is shown as a page Storyline cannot read, not a loading line for ever.
    void api
      .activeTab(windowId)
      .catch(() => null)
      .then(async (tabId) => {
        // Opened by a menu click: its query may already be waiting (or arrives by notice below).
        const waiting = initialQuery ?? (windowId === null ? null : await api.takeQuery(windowId).catch(() => null));
        if (alive) setTarget((current) => current ?? { tabId, version: 0, query: waiting });
      });
    const stops = [
      api.onActivated(({ tabId, windowId: from }) => {
        if (from === windowId) setTarget({ tabId, version: 0, query: null });
      }),
      // A context-menu query shown goes when the tab shows another page, not when a page rewrites
      // its address (Chrome reports that as loading: an infinite scroll's replaceState; helper-44).
      api.onTabChanged(({ tabId, left }) =>
        setTarget((current) =>
          current && current.tabId === tabId ? { ...current, version: current.version + 1, query: left ? null : current.query } : current,
        ),
      ),
      api.onQueryWaiting((from) => {
        if (from !== windowId) return;
        void api.takeQuery(from).then((query) => {
          if (query) setTarget((current) => ({ tabId: current?.tabId ?? null, version: (current?.version ?? 0) + 1, query }));
        });
      }),
    ];
    return () => {
      alive = false;
      for (const stop of stops) stop();
    };
  }, [api, windowId, initialQuery]);

  const tabId = target?.tabId ?? null;
  // One loader per tab; a new version or query mounts a new view (its key), which loads again.
  const loadTab = useMemo(() => () => (tabId === null ? Promise.resolve(UNKNOWN) : api.tabStories(tabId)), [api, tabId]);

  if (!target) {
    return (
      <main class="popup" aria-busy="true">
        <p class="message" role="status">
          {t('loading')}
        </p>
      </main>
    );
  }
  return (
    <Popup
      key={`${target.tabId}:${target.version}:${target.query ?? ''}`}
      loadTab={loadTab}
      search={api.search}
      openOptions={api.openOptions}
      openSources={api.openSources}
      initialQuery={target.query}
      reading={tabId === null ? undefined : api.reading?.(tabId)}
      isBuilding={api.isBuilding}
    />
  );
}

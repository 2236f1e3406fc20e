import { cleanText, MAX_HEADLINE } from '../../messaging/validate';

/**
 * Opens Storyline's side panel (Chrome's sidePanel, Firefox's sidebar_action), from the popup's
 * button or the worker's context menu and keyboard command (issue 12, items 2 and 3).
 *
 * Both browsers open a panel only in answer to a user action, so this must be called straight from
 * the click, command or menu handler, before anything is awaited: the browser call is made
 * synchronously and only its result is awaited.
 */

/** The part of the extension API used: `browser` from wxt/browser, or a fake in tests. */
export interface PanelApi {
  /** Chrome 116+. */
  sidePanel?: { open(options: { windowId: number }): Promise<void> };
  /** Firefox. */
  sidebarAction?: { open(): Promise<void> };
}

/** True when a panel was opened; false when this browser has none or refused (no user action, no window). */
export function openPanel(api: PanelApi, windowId: number | null | undefined): Promise<boolean> {
  try {
    if (typeof api.sidePanel?.open === 'function') {
      if (typeof windowId !== 'number') return Promise.resolve(false);
      return api.sidePanel.open({ windowId }).then(
        () => true,
        () => false,
      );
    }
    if (typeof api.sidebarAction?.open === 'function') {
      return api.sidebarAction.open().then(
        () => true,
        () => false,
      );
    }
  } catch {
    // A synchronous throw (an old browser's shape of the API) is a refusal too.
  }
  return Promise.resolve(false);
}

/** The window calls used when no panel opens: the panel page in a small window of its own. */
export interface WindowApi {
  runtime: { getURL(path: '/sidepanel.html'): string };
  windows: {
    create(options: { url: string; type: 'popup'; width: number; height: number; focused: boolean }): Promise<unknown>;
  };
}

/** The panel page in a small window, following `windowId`'s active tab (and looking up `query`, if any). */
export async function openPanelWindow(api: WindowApi, windowId: number | null, query: string | null = null): Promise<void> {
  const url = panelPageUrl(api.runtime.getURL('/sidepanel.html'), { query, windowId });
  await api.windows.create({ url, type: 'popup', width: 440, height: 640, focused: true });
}

/**
 * The popup's "Open in side panel": the panel, asked for in the click's own turn; when the browser
 * refuses (the popup's window not known yet, a policy), the same view in a small window rather
 * than a click that does nothing.
 */
export async function openPanelOrWindow(
  api: PanelApi & WindowApi & { windows: { getCurrent(): Promise<{ id?: number }> } },
  windowId: number | null,
): Promise<'panel' | 'window'> {
  if (await openPanel(api, windowId)) return 'panel';
  await openPanelWindow(api, windowId ?? (await api.windows.getCurrent()).id ?? null);
  return 'window';
}

/** Whether this browser has a panel Storyline can open (the popup shows its button only then). */
export function hasPanel(api: PanelApi): boolean {
  return typeof api.sidePanel?.open === 'function' || typeof api.sidebarAction?.open === 'function';
}

/**
 * The panel page's address for a window that shows it outside the browser's panel (the fallback
 * when none could be opened): the text to look up and the window whose active tab it follows.
 */
export function panelPageUrl(base: string, options: { query?: string | null; windowId?: number | null }): string {
  const params = new URLSearchParams();
  if (options.query) params.set('q', options.query);
  if (typeof options.windowId === 'number') params.set('windowId', String(options.windowId));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}

/** Reads panelPageUrl's parameters back, validated (the address bar is input like any other). */
export function panelPageParams(search: string): { query: string | null; windowId: number | null } {
  const params = new URLSearchParams(search);
  const raw = params.get('windowId');
  return { query: cleanText(params.get('q'), MAX_HEADLINE), windowId: raw && /^\d{1,12}$/.test(raw) ? Number(raw) : null };
}

import { render } from 'preact';
import { browser } from 'wxt/browser';
import { originPattern } from '../../src/background/feeds';
import { openLibrary } from '../../src/corpus/library-db';
import { toExportLine } from '../../src/corpus/records';
import { send } from '../../src/messaging/client';
import { loadSettings, saveSettings, watchSettings } from '../../src/settings/store';
import type { SourcesApi } from '../../src/ui/options/api';
import { Options } from '../../src/ui/options/Options';
import { t } from '../../src/ui/i18n';
import '../../src/ui/theme.css';
import '../../src/ui/options/options.css';

document.title = t('optionsTitle');

const api: SourcesApi = {
  listFeeds: () => send('listFeeds', {}),
  addFeed: (url, confirmedPrivate) => send('addFeed', confirmedPrivate ? { url, confirmedPrivate } : { url }),
  removeFeed: async (feedId) => void (await send('removeFeed', { feedId })),
  refreshFeeds: (feedId) => send('refreshFeeds', feedId ? { feedId } : {}),
  // Sites already allowed are not asked again (Chrome shows no prompt then, but the request can
  // stay pending); the request still runs within the click's user activation.
  requestHosts: async (urls) => {
    try {
      const origins = [...new Set(urls.map(originPattern))];
      if (await browser.permissions.contains({ origins })) return true;
      return await browser.permissions.request({ origins });
    } catch {
      return false;
    }
  },
  stats: () => send('libraryStats', {}),
  importArticles: async (articles) => (await send('importArticles', { articles })).added,
  clearHistory: async () => (await send('clearHistory', {})).removed,
  // Reading is safe from the page; every write goes through the background worker.
  exportLibrary: async () => {
    const db = await openLibrary();
    const lines = (await db.getAll('articles')).filter((a) => a.kind !== 'seed').map(toExportLine);
    db.close();
    return lines.length ? `${lines.join('\n')}\n` : '';
  },
  storageUsedBytes: async () => (await navigator.storage?.estimate?.())?.usage ?? null,
  confirm: (message) => window.confirm(message),
};

render(<Options api={api} load={loadSettings} save={saveSettings} watch={watchSettings} />, document.getElementById('app')!);

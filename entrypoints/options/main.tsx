import { render } from 'preact';
import { browser } from 'wxt/browser';
import { send } from '../../src/messaging/client';
import { originPattern } from '../../src/messaging/feeds';
import { loadSettings, saveSettings, watchSettings } from '../../src/settings/store';
import type { SourcesApi } from '../../src/ui/options/api';
import type { ReadingApi } from '../../src/ui/options/ReadingPanel';
import { Options } from '../../src/ui/options/Options';
import { t } from '../../src/ui/i18n';
import '../../src/ui/theme.css';
import '../../src/ui/options/options.css';

document.title = t('optionsTitle');

// Every call is one protocol message: the page reads and writes nothing of the library itself.
const api: SourcesApi = {
  listFeeds: () => send('listFeeds', {}),
  addFeed: (url, confirmedPrivate) => send('addFeed', confirmedPrivate ? { url, confirmedPrivate } : { url }),
  removeFeed: async (feedId) => void (await send('removeFeed', { feedId })),
  refreshFeeds: (feedId) => send('refreshFeeds', feedId ? { feedId } : {}),
  suggestedFeeds: () => send('suggestedFeeds', {}),
  parseOpml: async (text) => (await send('parseOpml', { text })).feeds,
  exportOpml: async () => (await send('exportOpml', {})).text,
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
  importBegin: (total, chunks) => send('importBegin', { total, chunks }),
  importChunk: (jobId, seq, firstLine, text) => send('importChunk', { jobId, seq, firstLine, text }),
  importStatus: () => send('importStatus', {}),
  exportLibrary: (after) => send('exportLibrary', after === undefined ? {} : { after }),
  clearHistory: async () => (await send('clearHistory', {})).removed,
  clearImports: async () => (await send('clearImports', {})).removed,
  storageUsedBytes: async () => (await navigator.storage?.estimate?.())?.usage ?? null,
  confirm: (message) => window.confirm(message),
};

// Followed stories and hidden results: kept by the worker, listed and undone here (issue 12).
const reading: ReadingApi = {
  followedStories: () => send('followedStories', {}),
  unfollow: async (key) => void (await send('unfollowStory', { key })),
  hiddenStories: () => send('hiddenStories', {}),
  showAgain: async (pageKey, articleId) => void (await send('showStoryAgain', { pageKey, articleId })),
};

render(<Options api={api} load={loadSettings} save={saveSettings} watch={watchSettings} reading={reading} />, document.getElementById('app')!);

import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { PageSession, WORKER_ANSWER_MS } from '../src/content/session';
import { send } from '../src/messaging/client';
import { CHANNEL } from '../src/messaging/protocol';
import { loadSettings, watchSettings } from '../src/settings/store';
import { storyWhen } from '../src/ui/format';
import { badgeLabel, badgeName, widestLabels } from '../src/ui/badge/label';
import { t } from '../src/ui/i18n';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  // WXT's own context invalidation listens for a DOM event that a page knowing our id can forge
  // (RELIABILITY row 27), so the session checks runtime.id itself instead of relying on it.
  async main() {
    const session = new PageSession({
      doc: document,
      // An answer that never comes (a worker stopped between receiving and answering) must not hold
      // the page's one request in flight for good: past this the batch is asked again later.
      send: (type, payload) => send(type, payload, { timeoutMs: WORKER_ANSWER_MS }),
      loadSettings,
      watchSettings,
      alive: () => Boolean(browser.runtime?.id),
      onWorker: (answers) => {
        // Only the background can reach this listener (tabs.sendMessage); web pages cannot.
        browser.runtime.onMessage.addListener(((message: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => {
          const m = message as { channel?: unknown; type?: unknown } | null;
          if (sender.id !== browser.runtime.id || m?.channel !== CHANNEL) return undefined;
          if (m.type === 'showing') return sendResponse({ showing: answers.showing() });
          if (m.type !== 'activate') return undefined;
          void answers.activate().then((read) => sendResponse({ read }));
          return true;
        }) as never);
      },
      strings: {
        label: badgeLabel,
        accessibleName: badgeName,
        widest: widestLabels(),
        cardTitle: t('relatedStoriesList'),
        sameStory: t('labelSameStory'),
        related: t('labelRelated'),
        timeAgo: (iso) => storyWhen(iso),
      },
    });
    await session.start();
  },
});

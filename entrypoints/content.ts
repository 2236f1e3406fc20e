import { defineContentScript } from 'wxt/utils/define-content-script';
import { readPage } from '../src/extract/page';
import { send } from '../src/messaging/client';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  async main() {
    // Read once, send once: the background matches and keeps the result for the popup.
    const page = readPage(document, location.href);
    try {
      await send('pageRead', page);
    } catch {
      // The extension was reloaded or the worker is unreachable: this page simply has no badge.
    }
  },
});

import { sendToTab } from '../messaging/client';

/**
 * Asks a tab's content script to read its page now (click-only mode). A tab without our script
 * (a browser page, a PDF, a tab opened before install) has no receiving end: that is an ordinary
 * "no", not an error to log (RELIABILITY row 6).
 */
export async function activateTab(tabId: number): Promise<boolean> {
  return (await sendToTab(tabId, 'activate', {}))?.read === true;
}

import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { activateTab } from '../../src/background/tab-activation';

describe('the worker -> content script message (activate), typed in the protocol', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sends the protocol envelope to the tab and reads its answer; a tab without our script is a plain no', async () => {
    const sent: unknown[] = [];
    let answer: unknown = { read: true };
    (browser.tabs as { sendMessage: unknown }).sendMessage = async (tabId: number, message: unknown) => {
      sent.push([tabId, message]);
      if (answer instanceof Error) throw answer;
      return answer;
    };
    expect(await activateTab(4)).toBe(true);
    expect(sent).toEqual([[4, { channel: 'storyline', type: 'activate', payload: {} }]]);
    answer = { read: false };
    expect(await activateTab(4)).toBe(false);
    answer = new Error('Could not establish connection. Receiving end does not exist.');
    expect(await activateTab(4)).toBe(false);
  });
});

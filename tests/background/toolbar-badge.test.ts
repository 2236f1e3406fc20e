import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { showCount, TOOLBAR_ICONS, toolbarIcon } from '../../src/background/toolbar-badge';

// The fake browser has no setIcon: each test records the calls.
let setIcon: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fakeBrowser.reset();
  setIcon = vi.fn(async () => undefined);
  (fakeBrowser.action as unknown as { setIcon: typeof setIcon }).setIcon = setIcon;
});

describe('the toolbar button (issue 10, item 5)', () => {
  it('turns blue on a tab whose page has related stories, and rests in grey otherwise', async () => {
    await showCount(4, 3, true);
    expect(setIcon).toHaveBeenLastCalledWith({ tabId: 4, path: TOOLBAR_ICONS.active });
    expect(await browser.action.getBadgeText({ tabId: 4 })).toBe('3');
    await showCount(4, 0, true);
    expect(setIcon).toHaveBeenLastCalledWith({ tabId: 4, path: TOOLBAR_ICONS.idle });
    expect(await browser.action.getBadgeText({ tabId: 4 })).toBe('');
    // Counts switched off in the settings: no number and no blue.
    await showCount(4, 3, false);
    expect(setIcon).toHaveBeenLastCalledWith({ tabId: 4, path: TOOLBAR_ICONS.idle });
    expect(toolbarIcon(1, true)).toBe(TOOLBAR_ICONS.active);
  });

  it('still shows the count where the icon cannot be set', async () => {
    setIcon.mockRejectedValue(new Error('No tab with id: 4'));
    await showCount(4, 2, true);
    expect(await browser.action.getBadgeText({ tabId: 4 })).toBe('2');
  });
});

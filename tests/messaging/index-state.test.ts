import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isIndexBuilding, setIndexBuilding } from '../../src/messaging/index-state';

describe('the "index building" flag the popup reads without the busy worker (review, helper-36)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is stored in storage.session and read back; unset or of another kind reads as not building', async () => {
    expect(await isIndexBuilding()).toBe(false);
    await setIndexBuilding(true);
    expect(await isIndexBuilding()).toBe(true);
    await setIndexBuilding(false);
    expect(await isIndexBuilding()).toBe(false);
    await fakeBrowser.storage.session.set({ indexBuilding: 'yes' });
    expect(await isIndexBuilding()).toBe(false);
  });
});

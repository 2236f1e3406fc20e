import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Library } from '../../src/background/library';
import * as db from '../../src/corpus/library-db';
import { fromPage } from '../../src/corpus/records';
import { DEFAULTS } from '../../src/settings/schema';

const page = (i: number) =>
  fromPage(
    { url: `https://x.example/${i}`, headline: `Headline number ${i} about the council budget`, description: null, siteName: 'X', canonicalUrl: null, publishedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), lang: 'en' },
    new Date(),
  );

describe('a full storage quota (RELIABILITY row 12)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('drops the oldest non-seed articles, says so, and stores the new ones', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), [], 'quota-test');
    await library.add(Array.from({ length: 20 }, (_, i) => page(i)));
    const real = db.putArticles;
    const spy = vi.spyOn(db, 'putArticles').mockImplementationOnce(async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await library.add([page(100)]);
    expect(spy).toHaveBeenCalledTimes(2);
    const stats = await library.stats();
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full', removed: 2 });
    expect(stats.total).toBe(19);
    const index = await library.index();
    expect(index.has(page(100).id)).toBe(true);
    expect(index.has(page(0).id)).toBe(false); // the oldest went first
    expect(index.has(page(19).id)).toBe(true);
    spy.mockRestore();
    expect(db.putArticles).toBe(real);
  });
});

import { describe, expect, it } from 'vitest';
import { lendDates, medianDate } from '../../src/extract/headline-dates';
import { statedDate } from '../../src/core/time';

const h = (publishedAt: string | null, text = 'a headline') => ({ text, publishedAt });

describe('dates for undated headlines (issue 10, item 3)', () => {
  it('keeps a headline’s own date', () => {
    const [own] = lendDates([h('2014-03-10T08:00:00.000Z')], '2020-01-01T00:00:00.000Z', ['2019-05-05T00:00:00.000Z']);
    expect(own.publishedAt).toBe('2014-03-10T08:00:00.000Z');
  });

  it('gives an undated headline the page’s own published date when the page states one', () => {
    const [lent] = lendDates([h(null)], '2014-03-10T08:00:00+01:00', ['2019-05-05T00:00:00.000Z']);
    expect(lent.publishedAt).toBe('2014-03-10T07:00:00.000Z');
  });

  it('on a listing page with no date of its own, lends the median of the dated headlines', () => {
    const dated = ['2014-03-09T10:00:00.000Z', '2014-03-10T10:00:00.000Z', '2014-03-10T12:00:00.000Z', '2014-03-11T09:00:00.000Z', '2026-11-27T00:00:00.000Z'];
    const [a, b] = lendDates([h(null, 'one'), h('2014-03-11T09:00:00.000Z', 'two')], null, dated);
    // One stray recent date (a "latest" box on an archive page) does not move a median.
    expect(a.publishedAt).toBe('2014-03-10T12:00:00.000Z');
    expect(b.publishedAt).toBe('2014-03-11T09:00:00.000Z');
  });

  it('leaves a headline undated (the worker reads it as now) when nothing on the page gives a date', () => {
    expect(lendDates([h(null)], null, [])[0].publishedAt).toBeNull();
    expect(lendDates([h(null)], 'not a date', [])[0].publishedAt).toBeNull();
  });

  it('an unreadable page date falls back to the headlines’ median', () => {
    expect(lendDates([h(null)], 'yesterday', ['2014-03-10T10:00:00.000Z'])[0].publishedAt).toBe('2014-03-10T10:00:00.000Z');
  });

  it('keeps every other field and does not change what it was given', () => {
    const given = [{ ...h(null), url: 'https://news.example/a' }];
    const [lent] = lendDates(given, '2014-03-10T00:00:00.000Z', []);
    expect(lent).toEqual({ text: 'a headline', url: 'https://news.example/a', publishedAt: '2014-03-10T00:00:00.000Z' });
    expect(given[0].publishedAt).toBeNull();
  });

  it('median: the earlier middle of an even count, unparseable dates ignored', () => {
    expect(medianDate(['2014-03-12T00:00:00Z', '2014-03-10T00:00:00Z', 'nonsense', '2014-03-11T00:00:00Z', '2014-03-13T00:00:00Z'])).toBe(
      '2014-03-11T00:00:00.000Z',
    );
    expect(medianDate([])).toBeNull();
    expect(statedDate('2014-03-10')).toBe('2014-03-10T00:00:00.000Z');
    expect(statedDate(null)).toBeNull();
  });
});

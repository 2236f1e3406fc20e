import { describe, expect, it } from 'vitest';
import { statedDate } from '../../src/core/time';

describe('statedDate: a stated date counts only when it says which day (attack review, helper-38)', () => {
  it.each([
    ['2024-03-10', '2024-03-10T00:00:00.000Z'],
    ['2024-03-10T10:00:00Z', '2024-03-10T10:00:00.000Z'],
    ['2024-03-10T10:00:00.123+01:00', '2024-03-10T09:00:00.000Z'],
    ['2024-03-10 10:00:00 +0100', '2024-03-10T09:00:00.000Z'],
    ['2024-03-10 10:00:00 UTC', '2024-03-10T10:00:00.000Z'],
    ['2014-03-10T00:00:00.000000Z', '2014-03-10T00:00:00.000Z'],
    ['10.03.2024', '2024-03-10T00:00:00.000Z'],
    ['10.03.2024 14:30', '2024-03-10T14:30:00.000Z'],
    ['Tue, 10 Mar 2024 10:00:00 GMT', '2024-03-10T10:00:00.000Z'],
    ['Mon, 10 Mar 14 10:00:00 GMT', '2014-03-10T10:00:00.000Z'],
    ['Sat, 29 Nov 2026 01:00:00 EST', '2026-11-29T06:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(statedDate(text)).toBe(iso);
  });

  it.each([
    ['12 March'],
    ['Mar 14'],
    ['10/03/2024'],
    ['2024-02-31'],
    ['2024-13-01'],
    ['Invalid date'],
    ['May 2024 review'],
    ['0001-01-01'],
    [''],
    ['2024-03-10'.repeat(9)],
  ])('%s is no date', (text) => {
    expect(statedDate(text)).toBeNull();
  });

  it('reads only strings', () => {
    expect(statedDate(1710064800000)).toBeNull();
    expect(statedDate(null)).toBeNull();
  });
});

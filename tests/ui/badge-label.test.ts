import { describe, expect, it } from 'vitest';
import { badgeLabel, badgeName } from '../../src/ui/badge/label';

describe('badge label', () => {
  it('counts each story once', () => {
    expect(badgeLabel(3, 0)).toBe('3 related');
    expect(badgeLabel(1, 1)).toBe('1 same story');
    expect(badgeLabel(10, 9)).toBe('9 same story · 1 related');
    expect(badgeLabel(3, 2)).toBe('2 same story · 1 related');
  });
});

describe('badge accessible name', () => {
  it('contains the visible text, at its start (axe: label-content-name-mismatch)', async () => {
    const { BADGE_NAME } = await import('../../tools/ax');
    for (const [total, same] of [
      [3, 0],
      [1, 1],
      [1, 0],
      [10, 9],
      [3, 2],
    ]) {
      const label = badgeLabel(total, same);
      const name = badgeName(label);
      expect(name.startsWith(label)).toBe(true);
      // The e2e tests find badges by this pattern.
      expect(name).toMatch(BADGE_NAME);
    }
    expect(badgeName(badgeLabel(3, 2))).toBe('2 same story · 1 related: related stories');
  });
});

import { describe, expect, it } from 'vitest';
import { badgeLabel, badgeName, widestLabels } from '../../src/ui/badge/label';

describe('badge label', () => {
  it('counts each story once, whatever its label: which are the same story is not in the text (its width would tell)', () => {
    expect(badgeLabel(3)).toBe('3 related');
    expect(badgeLabel(1)).toBe('1 related');
    expect(badgeLabel(10)).toBe('10 related');
  });

  it('the widest labels cover every count a badge can show (up to 50), two tabular digits', () => {
    expect(widestLabels()).toContain('88 related');
    for (const total of [1, 9, 10, 50]) expect(badgeLabel(total).length).toBeLessThanOrEqual(Math.max(...widestLabels().map((l) => l.length)));
  });
});

describe('badge accessible name', () => {
  it('contains the visible text, at its start (axe: label-content-name-mismatch), and says how many are the same story', async () => {
    const { BADGE_NAME } = await import('../../tools/ax');
    for (const [total, same] of [
      [3, 0],
      [1, 1],
      [1, 0],
      [10, 9],
      [3, 2],
    ]) {
      const label = badgeLabel(total);
      const name = badgeName(label, same);
      expect(name.startsWith(label)).toBe(true);
      // The e2e tests find badges by this pattern.
      expect(name).toMatch(BADGE_NAME);
    }
    expect(badgeName(badgeLabel(3), 2)).toBe('3 related: related stories, 2 of them reports of the same story');
    expect(badgeName(badgeLabel(1), 1)).toBe('1 related: related stories, 1 of them a report of the same story');
    expect(badgeName(badgeLabel(3), 0)).toBe('3 related: related stories');
  });
});

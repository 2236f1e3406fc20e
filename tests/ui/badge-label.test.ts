import { describe, expect, it } from 'vitest';
import { badgeLabel } from '../../src/ui/badge/label';

describe('badge label', () => {
  it('counts each story once', () => {
    expect(badgeLabel(3, 0)).toBe('3 related');
    expect(badgeLabel(1, 1)).toBe('1 same story');
    expect(badgeLabel(10, 9)).toBe('9 same story · 1 related');
    expect(badgeLabel(3, 2)).toBe('2 same story · 1 related');
  });
});

import { plural, t } from '../i18n';

/**
 * The badge's visible text: how many stories, each counted once ("3 related"), whatever their
 * labels. Which of them are reports of the same story is not in the text (a page measures the
 * badge's width: "2 same story · 1 related" was twice as wide as "3 related"); the badge is green
 * and its accessible name says so, and the card lists them.
 */
export function badgeLabel(total: number): string {
  return t('badgeLabel', total);
}

/**
 * The badge button's accessible name: the visible text first, then what the button is for and how
 * many are reports of the same story ("3 related: related stories, 2 of them reports of the same
 * story"). Seen and heard agree (WCAG 2.5.3, axe label-content-name-mismatch), so a person using
 * speech input can say what they see.
 */
export function badgeName(label: string, same = 0): string {
  return same > 0 ? plural('badgeAccessibleNameSame', same, label) : t('badgeAccessibleName', label);
}

/**
 * Labels as wide as any badge's can be, in this language: each badge is drawn as wide as the
 * widest of these, so its width says nothing of its count (up to 99: the most a badge lists is 50).
 */
export function widestLabels(): string[] {
  return [badgeLabel(1), badgeLabel(2), badgeLabel(88)];
}

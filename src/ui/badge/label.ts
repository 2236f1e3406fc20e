import { t } from '../i18n';

/**
 * The badge's visible text, counting each story once: "3 related", "2 same story", or
 * "2 same story · 1 related" for three stories (never "2 same story · 3 related").
 */
export function badgeLabel(total: number, same: number): string {
  const rest = total - same;
  if (same <= 0) return t('badgeLabel', total);
  if (rest <= 0) return t('badgeLabelSameOnly', same);
  return t('badgeLabelSame', same, rest);
}

/**
 * The badge button's accessible name: the visible text first, then what the button is for
 * ("2 same story · 1 related: related stories"). Seen and heard agree (WCAG 2.5.3, axe
 * label-content-name-mismatch), so a person using speech input can say what they see.
 */
export function badgeName(label: string): string {
  return t('badgeAccessibleName', label);
}

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

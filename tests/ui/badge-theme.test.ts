import { describe, expect, it } from 'vitest';
import { BADGE_CSS } from '../../src/ui/badge/styles';
import { DARK, LIGHT, TEXT_ON_BACKGROUND, type BadgeTheme } from '../../src/ui/badge/theme';

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, 1 to 21. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const THEMES: [string, BadgeTheme][] = [
  ['light', LIGHT],
  ['dark', DARK],
];

describe('contrast arithmetic', () => {
  it('matches WCAG reference figures', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
  });
});

describe('badge theme tokens: every text on its background', () => {
  it.each(THEMES)('%s: at least 4.5:1 (WCAG AA, body text) for every pair', (_name, theme) => {
    const low = TEXT_ON_BACKGROUND.map(([text, background]) => ({ text, background, ratio: contrast(theme[text], theme[background]) })).filter(
      (pair) => pair.ratio < 4.5,
    );
    expect(low).toEqual([]);
  });

  it.each(THEMES)('%s: the focus ring stands out from the card and the badge at 3:1 (WCAG 1.4.11)', (_name, theme) => {
    expect(contrast(theme.focus, theme.cardBackground)).toBeGreaterThanOrEqual(3);
    expect(contrast(theme.focus, theme.badgeBackground)).toBeGreaterThanOrEqual(3);
  });

  it('gives the figures the design intends: the dark card’s muted text 7.3:1, not the 2.9:1 of the light grey', () => {
    const intended: [BadgeTheme, keyof BadgeTheme, number][] = [
      [DARK, 'cardMuted', 7.28],
      [DARK, 'cardText', 14.6],
      [DARK, 'cardLink', 7.34],
      [LIGHT, 'cardMuted', 6.05],
      [LIGHT, 'cardText', 16.88],
      [LIGHT, 'cardLink', 8.79],
    ];
    for (const [theme, text, ratio] of intended) expect(contrast(theme[text], theme.cardBackground), text).toBeCloseTo(ratio, 1);
    // The bug this guards against: the light grey on the dark card.
    expect(contrast(LIGHT.cardMuted, DARK.cardBackground)).toBeLessThan(3);
  });
});

/** The colour and background each selector ends up with in one scheme: light rules, then the dark block over them. */
function cascade(dark: boolean): Map<string, { color?: string; background?: string }> {
  const [lightPart, darkPart = ''] = BADGE_CSS.split('@media (prefers-color-scheme: dark)');
  const styles = new Map<string, { color?: string; background?: string }>();
  for (const part of dark ? [lightPart, darkPart] : [lightPart]) {
    for (const [, selectors, declarations] of part.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      for (const selector of selectors.split(',').map((s) => s.trim())) {
        const style = styles.get(selector) ?? {};
        for (const [, property, value] of declarations.matchAll(/(?:^|;)\s*(color|background)\s*:\s*([^;]+)/g))
          style[property as 'color' | 'background'] = value.trim();
        styles.set(selector, style);
      }
    }
  }
  return styles;
}

describe('the badge stylesheet uses the tokens', () => {
  // [text selector, the selector whose background it is painted on]
  const painted: [string, string][] = [
    ['button.badge', 'button.badge'],
    ['button.badge.same', 'button.badge'],
    ['.card', '.card'],
    ['.card h2', '.card'],
    ['.card .meta', '.card'],
    ['.card a', '.card'],
    ['.chip', '.chip'],
    ['.chip.same-story', '.chip.same-story'],
  ];

  it.each([
    ['light', false],
    ['dark', true],
  ] as const)('%s: every text the stylesheet paints is at least 4.5:1 on its background', (_name, dark) => {
    const styles = cascade(dark);
    const ratios = painted.map(([text, on]) => {
      const color = styles.get(text)?.color;
      const background = styles.get(on)?.background;
      expect(color, text).toMatch(/^#[0-9a-f]{6}$/);
      expect(background, on).toMatch(/^#[0-9a-f]{6}$/);
      return { text, ratio: Math.round(contrast(color!, background!) * 10) / 10 };
    });
    expect(ratios.filter((r) => r.ratio < 4.5)).toEqual([]);
  });

  it('paints the dark card’s title and source line in the dark theme’s muted colour', () => {
    const styles = cascade(true);
    expect(styles.get('.card h2')?.color).toBe(DARK.cardMuted);
    expect(styles.get('.card .meta')?.color).toBe(DARK.cardMuted);
    expect(styles.get('.card')?.background).toBe(DARK.cardBackground);
  });
});

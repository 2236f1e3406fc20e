/**
 * The badge's and card's colours, light and dark, in one place: styles.ts builds both colour
 * schemes from these tokens, and tests/ui/badge-theme.test.ts computes the WCAG contrast of every
 * text on its background from them. A dark card once kept the light scheme's muted grey
 * (#5c6370 on #17191d, 2.9:1) where its own (#a0a7b4, 7.3:1) was meant; with one token per role a
 * scheme cannot borrow the other's colour by accident.
 */
export interface BadgeTheme {
  badgeBackground: string;
  badgeHoverBackground: string;
  badgeText: string;
  badgeBorder: string;
  /** The text of a badge some of whose stories are reports of the same story. */
  badgeSameText: string;
  /** Keyboard focus ring on the badge and the card's links (non-text: 3:1 is enough). */
  focus: string;
  cardBackground: string;
  cardText: string;
  cardBorder: string;
  /** The card's title and each story's source and time. */
  cardMuted: string;
  cardLink: string;
  chipBackground: string;
  chipText: string;
  sameChipBackground: string;
  sameChipText: string;
}

export const LIGHT: BadgeTheme = {
  badgeBackground: '#eef1fb',
  badgeHoverBackground: '#e1e7fb',
  badgeText: '#2f4496',
  badgeBorder: '#c5cdf3',
  badgeSameText: '#1f6b3a',
  focus: '#3b5bdb',
  cardBackground: '#ffffff',
  cardText: '#1b1d21',
  cardBorder: '#d9dce1',
  cardMuted: '#5c6370',
  cardLink: '#2f4496',
  chipBackground: '#eef1fb',
  chipText: '#2f4496',
  sameChipBackground: '#e7f5ec',
  sameChipText: '#1f6b3a',
};

export const DARK: BadgeTheme = {
  badgeBackground: '#222a47',
  badgeHoverBackground: '#2a345a',
  badgeText: '#b9c6ff',
  badgeBorder: '#3a4570',
  badgeSameText: '#9be0b3',
  // The light ring (#3b5bdb) is 2.5:1 on the dark badge: too faint to find the keyboard's place.
  focus: '#8ea2ff',
  cardBackground: '#17191d',
  cardText: '#e8eaed',
  cardBorder: '#343841',
  cardMuted: '#a0a7b4',
  cardLink: '#8ea2ff',
  chipBackground: '#222a47',
  chipText: '#b9c6ff',
  sameChipBackground: '#173a25',
  sameChipText: '#9be0b3',
};

type Token = keyof BadgeTheme;

/** Every text colour with the background it is painted on: [text, background]. */
export const TEXT_ON_BACKGROUND: readonly (readonly [Token, Token])[] = [
  ['badgeText', 'badgeBackground'],
  ['badgeText', 'badgeHoverBackground'],
  ['badgeSameText', 'badgeBackground'],
  ['badgeSameText', 'badgeHoverBackground'],
  ['cardText', 'cardBackground'],
  ['cardMuted', 'cardBackground'],
  ['cardLink', 'cardBackground'],
  ['chipText', 'chipBackground'],
  ['sameChipText', 'sameChipBackground'],
];

/** The colour rules of one scheme; the layout rules in styles.ts hold no colour. */
export function colourRules(theme: BadgeTheme): string {
  return `button.badge { background: ${theme.badgeBackground}; color: ${theme.badgeText}; border-color: ${theme.badgeBorder}; }
button.badge:hover { background: ${theme.badgeHoverBackground}; }
button.badge:focus-visible, .card a:focus-visible { outline-color: ${theme.focus}; }
button.badge.same { color: ${theme.badgeSameText}; }
.card { background: ${theme.cardBackground}; color: ${theme.cardText}; border-color: ${theme.cardBorder}; }
.card h2, .card .meta { color: ${theme.cardMuted}; }
.card a { color: ${theme.cardLink}; }
.chip { background: ${theme.chipBackground}; color: ${theme.chipText}; }
.chip.same-story { background: ${theme.sameChipBackground}; color: ${theme.sameChipText}; }`;
}

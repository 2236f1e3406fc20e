// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HeadlineMatch, RelatedStory } from '../../src/core/article';
import { textDirection } from '../../src/core/words';
import { BADGE_TAG, mountBadge, unmountAll, type BadgeStrings } from '../../src/ui/badge/badge';

/**
 * Issue 9, finding 2: a page reads nothing from a badge. The real browser is tested end to end
 * (tests/e2e/badges.test.ts, a page script attacking real badges); these are the same rules in
 * the DOM alone, where an event can be marked as a person's (`isTrusted`) by hand.
 */
const strings: BadgeStrings = {
  label: (total) => `${total} related`,
  accessibleName: (label) => `${label}: related stories`,
  cardTitle: 'Related stories',
  sameStory: 'Same story',
  related: 'Related',
  timeAgo: () => '',
};
const story = (n: number): RelatedStory => ({
  id: `s${n}`,
  title: `Secret headline ${n}`,
  source: 'Some Outlet',
  url: `https://news.example/secret-${n}`,
  publishedAt: null,
  label: 'related',
  score: 0.5,
  matchedWords: [],
  alsoIn: [],
});
const match: HeadlineMatch = { total: 3, same: 0, stories: [story(1), story(2), story(3)] };

/** An event as a person makes it (in a browser, only the browser can set this). */
function trusted<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

function setup(shown: HeadlineMatch = match) {
  const article = document.createElement('article');
  const heading = document.createElement('h2');
  const link = document.createElement('a');
  link.href = '/story';
  link.textContent = 'A headline on the page';
  heading.append(link);
  article.append(heading);
  const outside = document.createElement('p');
  outside.id = 'outside';
  outside.textContent = 'elsewhere';
  document.body.replaceChildren(article, outside);
  // Watch every shadow root made, as a page that patched attachShadow would (our test shares the
  // content script's world here; in Chromium the page's patch does not reach it at all).
  const roots: ShadowRoot[] = [];
  const attach = Element.prototype.attachShadow;
  vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
    const root = attach.call(this, init);
    roots.push(root);
    return root;
  });
  const host = mountBadge(document.querySelector('article a')!, shown, strings, document);
  const root = roots[0];
  const button = root.querySelector('button')!;
  const dialog = () => root.querySelector('[role="dialog"]');
  return { host, root, button, dialog, roots };
}

afterEach(() => {
  vi.restoreAllMocks();
  unmountAll(document);
  document.body.replaceChildren();
});

describe('inline badge: nothing for the page to read', () => {
  it('sits in a closed shadow root, and the host carries no count, text, part or reference', () => {
    const { host, root, button } = setup();
    expect(host.tagName.toLowerCase()).toBe(BADGE_TAG);
    expect(host.parentElement?.tagName).toBe('H2');
    expect(root.mode).toBe('closed');
    expect(host.shadowRoot).toBeNull();
    expect(host.attributes.length).toBe(0);
    expect(host.textContent).toBe('');
    expect(host.childNodes.length).toBe(0);
    expect(Object.keys(host)).toEqual([]);
    expect(root.querySelector('[part], [exportparts]')).toBeNull();
    // What a person (or a screen reader) gets is all inside, and shown by CSS, not as text nodes
    // (a page's window.find() searches closed roots' text).
    // The accessible name begins with the visible text (axe: label-content-name-mismatch).
    expect(button.getAttribute('aria-label')).toBe('3 related: related stories');
    expect(button.querySelector('.face > span:not(.sizer)')?.getAttribute('data-text')).toBe('3 related');
    expect(button.textContent).toBe('');
  });

  it('ignores clicks and keys a page script makes', () => {
    const { host, button, dialog } = setup();
    // Checked after each one: two forged clicks in a row would open and close the card again.
    const forged: (() => unknown)[] = [
      () => host.click(),
      () => host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
      () => button.click(),
      () => button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
      () => button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true })),
    ];
    for (const forge of forged) {
      forge();
      expect(dialog()).toBeNull();
      expect(button.getAttribute('aria-expanded')).toBe('false');
      expect(host.hasAttribute('open')).toBe(false);
    }
  });

  it('opens for a person, and stays open against a forged Escape or click outside', () => {
    const { host, button, dialog } = setup();
    button.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    expect(dialog()).not.toBeNull();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect([...dialog()!.querySelectorAll('a')].map((a) => a.getAttribute('data-text'))).toEqual([
      'Secret headline 1',
      'Secret headline 2',
      'Secret headline 3',
    ]);
    expect(dialog()!.textContent).toBe('');
    // Open, the card is still out of the page's reach.
    expect(host.textContent).toBe('');
    expect(host.shadowRoot).toBeNull();

    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    document.getElementById('outside')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    expect(dialog()).not.toBeNull();

    button.dispatchEvent(trusted(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true })));
    expect(dialog()).toBeNull();
    expect(button.getAttribute('aria-expanded')).toBe('false');

    button.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    document.getElementById('outside')!.dispatchEvent(trusted(new PointerEvent('pointerdown', { bubbles: true, composed: true })));
    expect(dialog()).toBeNull();
    expect(host.hasAttribute('open')).toBe(false);
  });

  it('closes the card when focus leaves the badge, and only one card is ever open', async () => {
    const { host, root, button, dialog, roots } = setup();
    // A second badge, on another headline.
    const other = document.createElement('a');
    other.href = '/other';
    other.textContent = 'Another headline';
    document.body.append(other);
    mountBadge(other, match, strings, document);
    const otherButton = roots[1].querySelector('button')!;
    const otherDialog = () => roots[1].querySelector('[role="dialog"]');

    button.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    expect(dialog()).not.toBeNull();
    otherButton.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    expect(otherDialog()).not.toBeNull();
    expect(dialog()).toBeNull();
    expect(host.hasAttribute('open')).toBe(false);

    // Focus moves inside the card: it stays open.
    const links = otherDialog()!.querySelectorAll('a');
    links[1].focus();
    links[0].dispatchEvent(trusted(new FocusEvent('focusout', { bubbles: true, composed: true, relatedTarget: links[1] })));
    await new Promise((r) => setTimeout(r, 10));
    expect(otherDialog()).not.toBeNull();

    // A forged focusout does nothing; focus really moving out of the badge closes the card.
    const outside = document.createElement('button');
    document.body.append(outside);
    outside.focus();
    links[1].dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true, relatedTarget: outside }));
    await new Promise((r) => setTimeout(r, 10));
    expect(otherDialog()).not.toBeNull();
    links[1].dispatchEvent(trusted(new FocusEvent('focusout', { bubbles: true, composed: true, relatedTarget: outside })));
    await new Promise((r) => setTimeout(r, 10));
    expect(otherDialog()).toBeNull();
    expect(otherButton.getAttribute('aria-expanded')).toBe('false');
    expect(root.querySelector('[role="dialog"]')).toBeNull();
  });
});

describe('right-to-left headlines', () => {
  it('reads a text’s direction from its first letter, as dir="auto" does', () => {
    expect(textDirection('Ukraine talks resume')).toBe('ltr');
    expect(textDirection('«2025» محادثات أوكرانيا تستأنف')).toBe('rtl');
    expect(textDirection('12 — שיחות אוקראינה')).toBe('rtl');
    expect(textDirection('123 — !')).toBeNull();
  });

  it('a card lists an Arabic headline right to left and an English one left to right', () => {
    const arabic = { ...story(1), title: 'محادثات أوكرانيا تستأنف في إسطنبول' };
    const { button, dialog } = setup({ total: 2, same: 0, stories: [arabic, story(2)] });
    button.dispatchEvent(trusted(new MouseEvent('click', { bubbles: true, composed: true })));
    expect([...dialog()!.querySelectorAll('a')].map((a) => a.getAttribute('dir'))).toEqual(['rtl', 'ltr']);
    // Each outlet isolated: a right-to-left name cannot pull the age or its neighbours into it.
    expect(dialog()!.querySelector('.meta span:not(.chip)')?.getAttribute('data-text')).toBe('\u2068Some Outlet\u2069');
  });
});

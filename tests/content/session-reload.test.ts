// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://front.example/" }
import { afterEach, describe, expect, it } from 'vitest';
import { oneRelated } from '../fixtures/headline-match';
import { PageSession, type SessionDeps } from '../../src/content/session';
import type { MessageType, Payload } from '../../src/messaging/protocol';
import { DEFAULTS } from '../../src/settings/schema';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * After the extension is reloaded under an open page, the page holds two scripts: the old one,
 * whose extension is gone, and the one the popup injected (background/tab-activation.ts). When
 * the old one notices and stops, it takes away its own badges, not the new one's (RELIABILITY row 7).
 */
const match = oneRelated;

function session(alive: () => boolean): PageSession {
  const send = (async <K extends MessageType>(type: K, payload: Payload<K>) => {
    if (type === 'matchHeadlines') return { results: (payload as Payload<'matchHeadlines'>).headlines.map(() => match) };
    if (type === 'pageRead') return { total: 0, same: 0, stories: [] };
    return { count: (payload as Payload<'badgesShown'>).count };
  }) as SessionDeps['send'];
  return new PageSession({
    doc: document,
    send,
    loadSettings: async () => ({ ...DEFAULTS }),
    watchSettings: () => () => undefined,
    onWorker: () => undefined,
    alive,
    clock: { now: () => 0, yield: async () => undefined },
    strings: { label: (t) => `${t} related`, accessibleName: (l) => l, cardTitle: 'Related', sameStory: 'Same story', related: 'Related', timeAgo: () => '' },
  });
}

afterEach(() => document.body.replaceChildren());

describe('two scripts in one page after a reload', () => {
  it('the old one, stopping, takes away its own badges and leaves the new one’s', async () => {
    const list = document.createElement('ol');
    for (const n of [1, 2]) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `https://news.example/2026/11/25/story-${n}`;
      link.textContent = `Ministers agree on a new plan for story number ${n} after long talks`;
      item.append(link);
      list.append(item);
    }
    document.body.append(list);
    let oldAlive = true;
    const old = session(() => oldAlive);
    await old.start();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    const injected = session(() => true);
    await injected.start();
    // For a moment both scripts' badges are there...
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(4);
    // ...then the old script finds its extension gone and stops.
    oldAlive = false;
    await old.readAndBadge();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    injected.stop();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
  });
});

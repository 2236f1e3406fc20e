import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { article, filler } from '../fixtures/headline-stories';
import { StoryIndex } from '../../src/index/engine';
import { storyFeatures } from '../../src/index/features';
import { labelFor } from '../../src/index/model';
import { sharesNameInText } from '../../src/index/pair';

// "Related" through shared names (the topic path, issue 8 item 4). Names both headlines hold are
// the headlines' own evidence: one two-word name there is a running topic, not a development.

function evidence(page: Article, other: Article) {
  const index = new StoryIndex();
  index.addAll([page, other, ...filler]);
  return index.scoreStories(page, other);
}

describe('the topic path', () => {
  it('tells a name shared through a description or body from one only headlines hold', () => {
    const page = storyFeatures(article('Fans cheer as Kim Kardashian reveals wedding dress'));
    const sameNames = storyFeatures(article('Vogue cover puts Kim Kardashian beside her husband'));
    const inText = storyFeatures(
      article('Vogue cover shocks readers', 'The reality star Kim Kardashian poses for the magazine beside her fiance Kanye West in a white dress.'),
    );
    expect(sharesNameInText(page, sameNames)).toBe(false);
    expect(sharesNameInText(page, inText)).toBe(true);
    // Told in a text of either, whether or not a headline holds it too: a front page's headline
    // (given alone) and a story whose headline and body both name her.
    const both = storyFeatures(
      article('Vogue cover puts Kim Kardashian beside her husband', 'The reality star Kim Kardashian poses for the magazine in a white dress.'),
    );
    expect(sharesNameInText(page, both)).toBe(true);
    expect(sharesNameInText(both, page)).toBe(true);
  });

  it('shows nothing between headline-only stories that share one two-word name, a day apart', () => {
    const page = article('Fans cheer as Kim Kardashian reveals wedding dress');
    const other = article('Vogue cover puts Kim Kardashian beside her husband', undefined, '2014-03-21');
    const c = evidence(page, other);
    // The names make a topic, and the headline rule does not speak ...
    expect(c.topic).toBeGreaterThan(0.2);
    expect(c.shared.count).toBe(2);
    // ... so nothing is shown, at the default level or a looser one.
    expect(labelFor(c, 3)).toBeNull();
    expect(labelFor(c, 2)).toBeNull();
  });

  it('counts no number or date among the words two headline-only stories share', () => {
    // A column's name and its number ("The Cricket's Daily 3") make no development.
    const page = article("The Cricket's Daily 3: Hey, girl, let's make a musical");
    const other = article("The Cricket's Daily 3: Pope Francis is not part of the campaign", undefined, '2014-03-21');
    const c = evidence(page, other);
    expect(c.shared.count).toBe(3);
    expect(c.shared.words).toBe(2);
    expect(c.topic).toBeGreaterThan(0);
    expect(labelFor(c, 3)).toBeNull();
  });

  it('counts no month or number cut off at the end of a headline ("Mar...", "201...") as a word', () => {
    for (const [pageTail, otherTail] of [
      ['in March', 'in Mar...'],
      ['in Mar...', 'in March'],
      ['for 2014', 'in 201...'],
    ]) {
      const page = article(`Fans cheer as Kim Kardashian reveals wedding dress ${pageTail}`);
      const other = article(`Vogue cover puts Kim Kardashian beside her husband ${otherTail}`, undefined, '2014-03-21');
      const c = evidence(page, other);
      expect(c.shared.count).toBe(3);
      expect(c.shared.words).toBe(2);
      expect(labelFor(c, 3)).toBeNull();
    }
  });

  it('still shows a later development whose headline shares more than one name', () => {
    const page = article('More jail for Chris Brown on probation violation');
    const other = article('Weekend in jail for Chris Brown after violating rehab rules', undefined, '2014-03-25');
    const c = evidence(page, other);
    expect(c.shared.count).toBeGreaterThan(2);
    expect(labelFor(c, 3)).toBe('related');
  });

  it('explains a development through its headline by the headline words, each once', () => {
    const page = article('Why Kanye West and Kim Kardashian decided to skip the annual gala this year');
    const other = article('Kim Kardashian and Kanye West were spotted in a cafe after skipping the gala', undefined, '2014-03-23');
    const index = new StoryIndex();
    index.addAll([other, ...filler]);
    const [shown] = index.match(page, { windowDays: 30 });
    expect(shown?.id).toBe(other.id);
    expect(shown.label).toBe('related');
    // "Kim Kardashian" and "Kanye West", not those and "Kardashian" and "West" again.
    const words = shown.matchedWords.map((w) => w.toLowerCase());
    for (const w of words) expect(words.filter((o) => o !== w && o.includes(w))).toEqual([]);
    expect(words).toEqual(expect.arrayContaining(['kim kardashian', 'kanye west']));
  });

  it("lists a story of other days sharing a few headline names only beside the page's own event", () => {
    const page = article('Why Kanye West and Kim Kardashian skip the gala');
    const other = article('Kim Kardashian and Kanye spotted in a cafe', undefined, '2014-03-23');
    const index = new StoryIndex();
    index.addAll([other, ...filler]);
    // Three words in common make it "Related" alone (labelFor) ...
    const c = index.scoreStories(page, other, { windowDays: 30 });
    expect(c.shared.words).toBe(3);
    expect(labelFor(c, 3)).toBe('related');
    // ... but with no report of the page's event in the library, it is a running topic: not listed.
    expect(index.match(page, { windowDays: 30 })).toEqual([]);
    // A report of the event makes it a development of the page's story.
    const report = article('Kanye West and Kim Kardashian skip the annual gala');
    index.addAll([report]);
    expect(index.match(page, { windowDays: 30 }).map((s) => [s.id, s.label])).toEqual([
      [report.id, 'same-story'],
      [other.id, 'related'],
    ]);
  });

  it('still finds a development told in other words through the names of the text', () => {
    const page = article(
      'Delegation to travel for talks on Monday',
      'Ukraine will send officials to Istanbul to meet Russia, Kyiv said, as Moscow prepares its terms.',
    );
    const other = article(
      'Drone strike hits bombers far from the front',
      'Ukraine says its drones struck Russian bombers; Moscow vows a response, Kyiv officials said.',
      '2014-03-22',
    );
    const c = evidence(page, other);
    expect(c.shared.count).toBe(0);
    expect(c.topicInText).toBe(true);
    expect(labelFor(c, 3)).toBe('related');
  });
});

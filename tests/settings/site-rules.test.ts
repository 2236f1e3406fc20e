import { describe, expect, it } from 'vitest';
import { badgesAllowedOn, hostMatches, parseHostPattern, parsePatternList } from '../../src/settings/site-rules';
import { parseSettings } from '../../src/settings/schema';

describe('per-site badge rules', () => {
  it('matches hosts and subdomain wildcards', () => {
    expect(hostMatches('news.example.com', 'news.example.com')).toBe(true);
    expect(hostMatches('news.example.com', 'example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'badexample.com')).toBe(false);
    expect(hostMatches('*', 'anything.org')).toBe(true);
  });

  it('lets deny win over allow, and a non-empty allow list mean "only these"', () => {
    expect(badgesAllowedOn('a.example.com', { allow: [], deny: [] })).toBe(true);
    expect(badgesAllowedOn('a.example.com', { allow: ['*.example.com'], deny: ['a.example.com'] })).toBe(false);
    expect(badgesAllowedOn('other.org', { allow: ['*.example.com'], deny: [] })).toBe(false);
    expect(badgesAllowedOn('b.example.com', { allow: ['*.example.com'], deny: ['a.example.com'] })).toBe(true);
  });

  it('cleans patterns typed by a person and drops unusable ones', () => {
    expect(parseHostPattern('https://www.Example.com/path?q=1')).toBe('www.example.com');
    expect(parseHostPattern('  *.bbc.co.uk  ')).toBe('*.bbc.co.uk');
    expect(parseHostPattern('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(parseHostPattern('not a host')).toBeNull();
    expect(parseHostPattern('java script:alert(1)')).toBeNull();
    expect(parsePatternList('a.com\n\nb.com, a.com\n***')).toEqual(['a.com', 'b.com']);
  });

  it('is part of the settings schema, parsed like the rest', () => {
    expect(parseSettings({ version: 2, badgeDeny: ['News.Example.com', 42, ''], clickOnly: true })).toMatchObject({
      badgeDeny: ['news.example.com'],
      badgeAllow: [],
      clickOnly: true,
    });
  });
});

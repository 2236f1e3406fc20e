import { describe, expect, it } from 'vitest';
import { articleKey, isPrivateAddress, safeHttpUrl } from '../../src/core/links';

describe('safeHttpUrl (RELIABILITY row 17)', () => {
  it.each([
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    [' \tjavascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['file:///etc/passwd', null],
    ['chrome://settings', null],
    ['//evil.com/x', null],
    ['/relative', null],
    ['', null],
    ['https://news.example/a?b=1', 'https://news.example/a?b=1'],
    ['  HTTP://News.Example/A ', 'http://news.example/A'],
  ])('%s -> %s', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });

  it('resolves relative links only against a base', () => {
    expect(safeHttpUrl('/x', 'https://feed.example/rss')).toBe('https://feed.example/x');
    expect(safeHttpUrl('//cdn.example/y', 'https://feed.example/rss')).toBe('https://cdn.example/y');
  });

  it('keys an article URL without tracking parameters, hash, www or trailing slash', () => {
    expect(articleKey('https://www.news.example/story/?utm_source=x&id=3#top')).toBe(articleKey('http://news.example/story?id=3'));
  });
});

describe('isPrivateAddress (RELIABILITY row 29)', () => {
  it.each([
    ['http://127.0.0.1:8080/feed', true],
    ['http://localhost/rss', true],
    ['http://192.168.1.20/rss', true],
    ['http://10.0.0.5/rss', true],
    ['http://172.20.1.1/rss', true],
    ['http://172.32.1.1/rss', false],
    ['http://[::1]/rss', true],
    ['http://printer.local/rss', true],
    ['https://feeds.bbci.co.uk/news/rss.xml', false],
  ])('%s -> %s', (url, expected) => {
    expect(isPrivateAddress(url as string)).toBe(expected);
  });
});

import type { OpmlFeed } from './opml';

/**
 * Offered on first run and in the options page; never followed without the person's click.
 * Public RSS feeds of major international outlets (checked by hand, November 2026).
 */
const PUBLIC_STARTER_FEEDS: OpmlFeed[] = [
  { title: 'BBC News: World', url: 'https://feeds.bbci.co.uk/news/world/rss.xml' },
  { title: 'The Guardian: World', url: 'https://www.theguardian.com/world/rss' },
  { title: 'Al Jazeera', url: 'https://www.aljazeera.com/xml/rss/all.xml' },
  { title: 'NPR News', url: 'https://feeds.npr.org/1001/rss.xml' },
  { title: 'Deutsche Welle: Top stories', url: 'https://rss.dw.com/rdf/rss-en-top' },
  { title: 'France 24: International', url: 'https://www.france24.com/en/rss' },
  { title: 'The New York Times: World', url: 'https://rss.nytimes.com/services/xml/rss/nyt/World.xml' },
  { title: 'CBC News: World', url: 'https://www.cbc.ca/webfeed/rss/rss-world' },
  { title: 'ABC News (Australia)', url: 'https://www.abc.net.au/news/feed/51120/rss.xml' },
  { title: 'The Japan Times', url: 'https://www.japantimes.co.jp/feed/' },
  { title: 'The Hindu: International', url: 'https://www.thehindu.com/news/international/feeder/default.rss' },
  { title: 'Le Monde: International', url: 'https://www.lemonde.fr/international/rss_full.xml' },
];

/** Set only in an end-to-end build (wxt.config.ts): loopback feeds a test serves (tools/e2e-starter.ts). */
declare const STORYLINE_E2E_STARTER_FEEDS: OpmlFeed[] | undefined;

export const STARTER_FEEDS: OpmlFeed[] = typeof STORYLINE_E2E_STARTER_FEEDS === 'undefined' ? PUBLIC_STARTER_FEEDS : STORYLINE_E2E_STARTER_FEEDS;

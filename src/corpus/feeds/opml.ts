import { XMLParser } from 'fast-xml-parser';
import { safeHttpUrl } from '../../core/links';
import { decodeAttribute } from '../../extract/entities';
import { CodedError } from '../../messaging/errors';

export interface OpmlFeed {
  url: string;
  title: string | null;
}

/** An OPML file that cannot be used: its code for the options page, its reason in English as the message. */
export class OpmlError extends CodedError {}

/** Feeds read from one OPML file at most; the rest of a longer file is left out. */
export const MAX_OPML_FEEDS = 500;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  parseAttributeValue: false,
  maxNestedTags: 64,
  isArray: (name) => name === 'outline',
});

/**
 * Every feed in an OPML file, nested outlines included, duplicates once, at most MAX_OPML_FEEDS.
 * Throws OpmlError with the reason.
 */
export function parseOpml(text: string): OpmlFeed[] {
  const source = text.replace(/^\ufeff/, '');
  if (source.length > 2 * 1024 * 1024) throw new OpmlError({ code: 'opmlTooLarge', limit: 2 }, 'The OPML file is larger than 2 MB.');
  if (/<!ENTITY/i.test(source)) throw new OpmlError({ code: 'opmlEntities' }, 'The OPML file declares XML entities, which are not allowed.');
  let doc: Node;
  try {
    doc = parser.parse(source, true) as Node;
  } catch (error) {
    const detail = String((error as Error).message)
      .split('\n')[0]
      .slice(0, 120);
    throw new OpmlError({ code: 'opmlNotXml', detail }, `The file is not valid XML: ${detail}`);
  }
  const body = (doc.opml as Node | undefined)?.body as Node | undefined;
  if (!body) throw new OpmlError({ code: 'opmlNoBody' }, 'The file is not OPML: it has no <opml><body>.');
  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  const walk = (outlines: unknown, depth: number) => {
    if (!Array.isArray(outlines) || depth > 16) return;
    for (const outline of outlines as Node[]) {
      if (feeds.length >= MAX_OPML_FEEDS) return;
      if (!outline || typeof outline !== 'object') continue;
      const rawUrl = outline['@xmlUrl'];
      if (typeof rawUrl === 'string') {
        const url = safeHttpUrl(decodeAttribute(rawUrl));
        const title = outline['@title'] ?? outline['@text'];
        if (url && !seen.has(url)) {
          seen.add(url);
          feeds.push({ url, title: typeof title === 'string' ? decodeAttribute(title).trim() || null : null });
        }
      }
      walk(outline.outline, depth + 1);
    }
  };
  walk(body.outline, 0);
  if (feeds.length === 0) throw new OpmlError({ code: 'opmlNoFeeds' }, 'The OPML file lists no feeds with an http(s) xmlUrl.');
  return feeds;
}

function attr(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function exportOpml(feeds: OpmlFeed[], title = 'Storyline feeds'): string {
  const outlines = feeds
    .map((f) => `    <outline type="rss" text="${attr(f.title ?? f.url)}" title="${attr(f.title ?? f.url)}" xmlUrl="${attr(f.url)}"/>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>${attr(title)}</title></head>
  <body>
${outlines}
  </body>
</opml>
`;
}

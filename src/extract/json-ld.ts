import { cleanInline, decodeAttribute } from './entities';

/** schema.org types that are articles (a NewsArticle, a blog post, a live blog). */
const ARTICLE_TYPES = new Set([
  'article',
  'newsarticle',
  'reportagenewsarticle',
  'analysisnewsarticle',
  'opinionnewsarticle',
  'reviewnewsarticle',
  'backgroundnewsarticle',
  'askpublicnewsarticle',
  'blogposting',
  'liveblogposting',
  'socialmediaposting',
  'scholarlyarticle',
  'techarticle',
  'report',
]);

export interface JsonLdArticle {
  headline: string | null;
  description: string | null;
  datePublished: string | null;
  publisher: string | null;
  url: string | null;
  inLanguage: string | null;
}

type Node = Record<string, unknown>;

function types(node: Node): string[] {
  const t = node['@type'];
  const list = Array.isArray(t) ? t : [t];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase().replace(/^.*[/:]/, ''));
}

/**
 * A field's text: a string, the first of a list, or the `name` / `@value` of an object, followed
 * at most a few levels down (a 20,000-deep `headline` is not text, and must not overflow the stack).
 */
function text(value: unknown, clean: (raw: string) => string | null = cleanInline): string | null {
  let current = value;
  for (let depth = 0; depth < 4; depth++) {
    if (typeof current === 'string') return clean(current);
    if (Array.isArray(current)) current = current[0];
    else if (current && typeof current === 'object') current = (current as Node).name ?? (current as Node)['@value'];
    else return null;
  }
  return null;
}

/** An address as an attribute is decoded: "&amp;" is "&", "&section=" stays a query (helper-38). */
function address(raw: string): string | null {
  return decodeAttribute(raw).trim() || null;
}

/** Nodes the walk visits at most: a page's real JSON-LD has a few dozen. */
const MAX_VISITS = 2_000;
/** A JSON-LD block longer than this is skipped unparsed: JSON.parse runs on the page's main thread. */
const MAX_BLOCK_CHARS = 500_000;

/** Types that list other pages: a front page's ItemList of NewsArticles describes those articles, not the page. */
const LIST_TYPES = new Set(['itemlist', 'collectionpage', 'sitenavigationelement', 'breadcrumblist', 'searchresultspage']);

/**
 * The objects of one JSON-LD block that may describe the page, in document order: the top level,
 * @graph, and the keys that hold the main entity; never a list's items (attack review, helper-38:
 * a front page's ItemList made the page an article about its first story). Bounded in depth (8),
 * in nodes collected (200 a block, so one long block cannot hide the next) and in values visited
 * (MAX_VISITS), and iterative, so a hostile block costs little and cannot overflow the stack.
 */
function collect(root: unknown, out: Node[]): void {
  const stack: [unknown, number][] = [[root, 0]];
  const cap = out.length + 200;
  let visits = 0;
  while (stack.length && out.length <= cap && visits++ < MAX_VISITS) {
    const [value, depth] = stack.pop()!;
    if (depth > 8) continue;
    const children: unknown[] = [];
    if (Array.isArray(value)) {
      children.push(...value.slice(0, MAX_VISITS));
    } else if (value && typeof value === 'object') {
      const node = value as Node;
      out.push(node);
      if (node['@graph']) children.push(node['@graph']);
      if (!types(node).some((t) => LIST_TYPES.has(t))) {
        for (const key of ['mainEntity', 'mainEntityOfPage', 'hasPart']) {
          if (node[key] && typeof node[key] === 'object') children.push(node[key]);
        }
      }
    }
    // Reversed onto the stack, so the first child is visited first.
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
  }
}

/** Some CMSs wrap JSON-LD in CDATA sections or HTML comments, with or without JS comment guards. */
function unwrap(source: string): string {
  return source.replace(/^\s*(?:\/\*\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*\/)?/, '').replace(/(?:\/\*\s*)?(?:\]\]>|-->)(?:\s*\*\/)?\s*$/, '');
}

/** The first article described by the page's JSON-LD blocks; malformed blocks are skipped. */
export function readJsonLd(doc: Document): JsonLdArticle | null {
  const nodes: Node[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const source = (script.textContent ?? '').trim();
    if (!source || source.length > MAX_BLOCK_CHARS) continue;
    try {
      collect(JSON.parse(unwrap(source)), nodes);
    } catch {
      continue;
    }
  }
  const article = nodes.find((n) => types(n).some((t) => ARTICLE_TYPES.has(t)) && (n.headline || n.name));
  if (!article) return null;
  const mainEntity = article.mainEntityOfPage;
  return {
    headline: text(article.headline) ?? text(article.name),
    description: text(article.description),
    datePublished: text(article.datePublished) ?? text(article.dateCreated),
    publisher: text(article.publisher) ?? text((article.isPartOf as Node | undefined)?.name),
    url: text(article.url, address) ?? (typeof mainEntity === 'string' ? mainEntity : text((mainEntity as Node | undefined)?.['@id'], address)),
    inLanguage: text(article.inLanguage),
  };
}

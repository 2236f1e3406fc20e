import { cleanInline } from './entities';

/** schema.org types that are articles (a NewsArticle, a blog post, a live blog). */
const ARTICLE_TYPES = new Set([
  'article', 'newsarticle', 'reportagenewsarticle', 'analysisnewsarticle', 'opinionnewsarticle',
  'reviewnewsarticle', 'backgroundnewsarticle', 'askpublicnewsarticle', 'blogposting', 'liveblogposting',
  'socialmediaposting', 'scholarlyarticle', 'techarticle', 'report',
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

function text(value: unknown): string | null {
  if (typeof value === 'string') return cleanInline(value);
  if (Array.isArray(value)) return text(value[0]);
  if (value && typeof value === 'object') return text((value as Node).name ?? (value as Node)['@value']);
  return null;
}

function collect(value: unknown, out: Node[], depth: number): void {
  if (depth > 8 || out.length > 200) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out, depth + 1);
  } else if (value && typeof value === 'object') {
    const node = value as Node;
    out.push(node);
    if (node['@graph']) collect(node['@graph'], out, depth + 1);
    for (const key of ['mainEntity', 'mainEntityOfPage', 'itemListElement', 'hasPart']) {
      if (node[key] && typeof node[key] === 'object') collect(node[key], out, depth + 1);
    }
  }
}

/** Some CMSs wrap JSON-LD in CDATA sections or HTML comments, with or without JS comment guards. */
function unwrap(source: string): string {
  return source
    .replace(/^\s*(?:\/\*\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*\/)?/, '')
    .replace(/(?:\/\*\s*)?(?:\]\]>|-->)(?:\s*\*\/)?\s*$/, '');
}

/** The first article described by the page's JSON-LD blocks; malformed blocks are skipped. */
export function readJsonLd(doc: Document): JsonLdArticle | null {
  const nodes: Node[] = [];
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    const source = (script.textContent ?? '').trim();
    if (!source || source.length > 500_000) continue;
    try {
      collect(JSON.parse(unwrap(source)), nodes, 0);
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
    url: text(article.url) ?? (typeof mainEntity === 'string' ? mainEntity : text((mainEntity as Node | undefined)?.['@id'])),
    inLanguage: text(article.inLanguage),
  };
}

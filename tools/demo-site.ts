import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Article } from '../src/core/article';

/** HTML-escapes page text: the demo site itself must not turn headlines into markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A news site's page, light or dark as the reader's system is (so the screenshots show both). */
function layout(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
${head}
<style>
body{font:17px/1.55 Georgia,serif;max-width:760px;margin:0 auto;padding:0 20px;color:#222;background:#fbfaf7}
header.site{border-bottom:3px solid #222;padding:14px 0;margin-bottom:22px;font:700 22px system-ui,sans-serif}
header.site a{color:#222;text-decoration:none}
h1{font-size:34px;line-height:1.15;margin:8px 0 10px}
.byline{color:#666;font:14px system-ui,sans-serif;margin-bottom:18px}
ul.front{list-style:none;padding:0} ul.front li{border-bottom:1px solid #ddd;padding:14px 0}
ul.front h2{font-size:22px;margin:0 0 4px} ul.front a{color:#1a1a1a;text-decoration:none}
@media (prefers-color-scheme: dark){
body{color:#e4e6eb;background:#16181c} header.site{border-bottom-color:#e4e6eb} header.site a,ul.front a{color:#e4e6eb}
.byline{color:#a7adb8} ul.front li{border-bottom-color:#34373d}
}
</style></head>
<body><header class="site"><a href="/">The Storyline Demo Gazette</a></header>
${body}</body></html>`;
}

function articlePage(article: Article): string {
  const paragraphs = (article.body ?? article.description ?? '').split('\n').filter(Boolean);
  const description = article.description ?? paragraphs[0] ?? '';
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    datePublished: article.publishedAt,
    description,
    publisher: { '@type': 'Organization', name: article.source },
  }).replace(/</g, '\\u003c');
  const head = `<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(article.title)}">
<meta property="og:site_name" content="${escapeHtml(article.source)}">
<meta property="og:description" content="${escapeHtml(description)}">
<meta name="description" content="${escapeHtml(description)}">
${article.publishedAt ? `<meta property="article:published_time" content="${article.publishedAt}">` : ''}
<script type="application/ld+json">${jsonLd}</script>`;
  const body = `<main><article>
<h1>${escapeHtml(article.title)}</h1>
<div class="byline">${escapeHtml(article.source)}${article.publishedAt ? ` · <time datetime="${article.publishedAt}">${new Date(article.publishedAt).toUTCString()}</time>` : ''}</div>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</article></main>`;
  return layout(`${article.title} | ${article.source}`, head, body);
}

function frontPage(articles: Article[]): string {
  const items = articles
    .map(
      (a) => `<li><article><h2><a href="/article/${encodeURIComponent(a.id)}">${escapeHtml(a.title)}</a></h2>
<div class="byline">${escapeHtml(a.source)}${a.publishedAt ? ` · <time datetime="${a.publishedAt}">${new Date(a.publishedAt).toUTCString()}</time>` : ''}</div></article></li>`,
    )
    .join('\n');
  return layout('The Storyline Demo Gazette', '<meta property="og:type" content="website">', `<main><ul class="front">${items}</ul></main>`);
}

export interface DemoSite {
  origin: string;
  articleUrl(id: string): string;
  close(): Promise<void>;
  server: Server;
}

/**
 * A local news site made from articles (the seeds): a front page listing the headlines and one
 * article page each, with real-looking meta tags and JSON-LD. Listens on 127.0.0.1 only.
 */
export async function startDemoSite(articles: Article[], port = 0, extraPages: Record<string, string> = {}): Promise<DemoSite> {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    };
    if (path === '/') return send(200, frontPage(articles));
    if (Object.hasOwn(extraPages, path)) return send(200, extraPages[path]);
    const m = /^\/article\/([^/]+)$/.exec(path);
    const article = m ? byId.get(decodeURIComponent(m[1])) : undefined;
    if (article) return send(200, articlePage(article));
    return send(404, layout('Not found', '', '<p>Not found.</p>'));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    server,
    articleUrl: (id) => `${origin}/article/${encodeURIComponent(id)}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

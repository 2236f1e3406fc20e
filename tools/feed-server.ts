import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml as esc } from './demo-site';

export interface FeedItemSpec {
  title: string;
  link: string;
  description?: string;
  pubDate?: string;
}

/**
 * A feed server on 127.0.0.1 for tests and benchmarks. What it answers can be changed while it
 * runs: a feed (with ETag, answering 304 to a matching If-None-Match), an HTTP error, or garbage.
 */
export class FeedServer {
  mode: 'feed' | 'status' | 'garbage' = 'feed';
  status = 500;
  items: FeedItemSpec[] = [];
  title = 'Local Wire';
  requests = 0;
  private server: Server | null = null;
  origin = '';

  private etag(): string {
    return `"${this.items.length}-${this.items.map((i) => i.title.length).join('.')}"`;
  }

  rss(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(this.title)}</title><link>${this.origin}/</link>
${this.items
  .map(
    (i) =>
      `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link><guid>${esc(i.link)}</guid>${i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''}<description>${esc(i.description ?? '')}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
  }

  /** Listens on `port` (0: any free one); returns the feed's address (every path answers the feed). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.mode === 'status') {
        res.writeHead(this.status);
        res.end('error');
      } else if (this.mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body><h1>Down for maintenance</h1></body></html>');
      } else if (req.headers['if-none-match'] === this.etag()) {
        res.writeHead(304, { etag: this.etag() });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: this.etag() });
        res.end(this.rss());
      }
    });
    await new Promise<void>((done) => this.server!.listen(port, '127.0.0.1', done));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return `${this.origin}/feed.xml`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}

import { describe, expect, it } from 'vitest';
import { fetchFeed, fetchRefusal, MAX_REDIRECTS } from '../../../src/corpus/feeds/fetch';

const RSS = '<rss><channel><title>T</title><item><title>A</title></item></channel></rss>';

type Route = { status: number; location?: string; body?: string } | 'opaque';

/**
 * A network that answers from a table and records every request, as Node's fetch does with
 * redirect: 'manual' (the Location header readable). 'opaque' answers as a browser does.
 */
function network(routes: Record<string, Route>) {
  const requested: string[] = [];
  const modes: (RequestRedirect | undefined)[] = [];
  const fake = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    requested.push(url);
    modes.push(init?.redirect);
    const route = routes[url];
    if (!route) throw new TypeError(`fetch failed: no route to ${url}`);
    if (route === 'opaque') return { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers(), body: null, url: '' } as unknown as Response;
    const headers = new Headers(route.location ? { location: route.location } : { 'content-type': 'application/rss+xml' });
    return new Response(route.status >= 300 && route.status < 400 ? null : (route.body ?? RSS), { status: route.status, headers });
  }) as typeof fetch;
  return { fake, requested, modes };
}

describe('fetchFeed and private addresses (issue 9, finding 5; RELIABILITY row 29)', () => {
  it('refuses an address on this computer or network without the person’s confirmation, before any request', async () => {
    for (const url of [
      'http://127.0.0.1:8080/feed',
      'http://[::ffff:127.0.0.1]/feed',
      'http://0.0.0.0/feed',
      'http://localhost./feed',
      'http://nas.lan/rss',
      'http://100.64.1.1/rss',
    ]) {
      const net = network({});
      const outcome = await fetchFeed(url, { fetch: net.fake });
      expect(outcome).toMatchObject({ kind: 'error', error: { code: 'fetchPrivate', host: expect.any(String) } });
      expect(net.requested).toEqual([]);
    }
  });

  it('fetches the one private address the person confirmed, with manual redirects', async () => {
    const net = network({ 'http://192.168.1.5:8080/rss': { status: 200 } });
    const outcome = await fetchFeed('http://192.168.1.5:8080/rss', { fetch: net.fake, privateHost: '192.168.1.5:8080' });
    expect(outcome).toMatchObject({ kind: 'ok', finalUrl: 'http://192.168.1.5:8080/rss' });
    expect(net.modes).toEqual(['manual']);
    // The confirmation names host and port: another port on the same machine is another address.
    expect(fetchRefusal('http://192.168.1.5:22/', '192.168.1.5:8080')).toEqual({ code: 'fetchPrivate', host: '192.168.1.5' });
  });

  it('never requests a private address a public feed redirects to, at any hop', async () => {
    for (const target of ['http://127.0.0.1/admin', 'http://[::ffff:127.0.0.1]/', 'http://[::]/', 'http://router.home.arpa/', 'http://[fec0::1]/']) {
      const net = network({
        'https://public.example/rss': { status: 302, location: 'https://cdn.example/rss' },
        'https://cdn.example/rss': { status: 301, location: target },
      });
      const outcome = await fetchFeed('https://public.example/rss', { fetch: net.fake });
      expect(outcome).toMatchObject({ kind: 'error', error: { code: 'fetchRedirectPrivate', host: expect.any(String) } });
      expect(net.requested).toEqual(['https://public.example/rss', 'https://cdn.example/rss']);
    }
  });

  it('does not let a confirmed private feed redirect to another private address', async () => {
    const net = network({ 'http://127.0.0.1:9000/rss': { status: 307, location: 'http://192.168.1.1/' } });
    expect(await fetchFeed('http://127.0.0.1:9000/rss', { fetch: net.fake, privateHost: '127.0.0.1:9000' })).toMatchObject({
      kind: 'error',
      error: { code: 'fetchRedirectPrivate', host: '192.168.1.1' },
    });
    expect(net.requested).toEqual(['http://127.0.0.1:9000/rss']);
  });

  it('follows public redirects, relative ones too, and reports the address it ended at', async () => {
    const net = network({
      'http://old.example/rss': { status: 301, location: 'https://new.example/feed' },
      'https://new.example/feed': { status: 308, location: '/feed.xml' },
      'https://new.example/feed.xml': { status: 200 },
    });
    const outcome = await fetchFeed('http://old.example/rss', { fetch: net.fake });
    expect(outcome).toMatchObject({ kind: 'ok', finalUrl: 'https://new.example/feed.xml' });
    expect(new TextDecoder().decode((outcome as { bytes: Uint8Array }).bytes)).toBe(RSS);
  });

  it(`caps redirects at ${MAX_REDIRECTS}, and refuses a redirect to a non-web address`, async () => {
    const loop: Record<string, Route> = {};
    for (let i = 0; i < 10; i++) loop[`https://loop.example/${i}`] = { status: 302, location: `/${i + 1}` };
    const net = network(loop);
    expect(await fetchFeed('https://loop.example/0', { fetch: net.fake })).toEqual({ kind: 'error', error: { code: 'fetchTooManyRedirects', count: 5 } });
    expect(net.requested).toHaveLength(MAX_REDIRECTS + 1);
    const js = network({ 'https://a.example/': { status: 302, location: 'javascript:alert(1)' } });
    expect(await fetchFeed('https://a.example/', { fetch: js.fake })).toEqual({ kind: 'error', error: { code: 'fetchRedirectNotWeb' } });
    const file = network({ 'https://a.example/': { status: 302, location: 'file:///etc/passwd' } });
    expect(await fetchFeed('https://a.example/', { fetch: file.fake })).toEqual({ kind: 'error', error: { code: 'fetchRedirectNotWeb' } });
  });

  it('in a browser, where a redirect’s target is hidden, tries https once and otherwise refuses instead of following blind', async () => {
    const upgrade = network({ 'http://news.example/rss': 'opaque', 'https://news.example/rss': { status: 200 } });
    expect(await fetchFeed('http://news.example/rss', { fetch: upgrade.fake })).toMatchObject({ kind: 'ok', finalUrl: 'https://news.example/rss' });
    const hidden = network({ 'https://news.example/rss': 'opaque' });
    expect(await fetchFeed('https://news.example/rss', { fetch: hidden.fake })).toMatchObject({
      kind: 'error',
      error: { code: 'fetchHiddenRedirect' },
    });
    expect(hidden.requested).toEqual(['https://news.example/rss']);
  });
});

import { useEffect, useRef, useState } from 'preact/hooks';
import { isPrivateAddress } from '../../core/links';
import type { FeedSuggestion, FeedView } from '../../messaging/feeds';
import { errorText } from '../errors';
import { plural, t } from '../i18n';
import { focusIfLost } from '../focus';
import { download, type SourcesApi } from './api';
import { feedStatus, FeedList, hostOf } from './FeedList';

type Notice = { kind: 'info' | 'error'; text: string } | null;

/** What a person types as a feed or site address: "bbc.com" means https://bbc.com. */
export function withScheme(value: string): string {
  const text = value.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text.replace(/^\/+/, '')}`;
}

function loadFeeds(api: SourcesApi, setFeeds: (f: FeedView[]) => void, setNotice: (n: Notice) => void): Promise<void> {
  return api.listFeeds().then(setFeeds, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }));
}

export function Sources({ api }: { api: SourcesApi }) {
  const [feeds, setFeeds] = useState<FeedView[] | null>(null);
  const [url, setUrl] = useState('');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [starterFeeds, setStarterFeeds] = useState<FeedSuggestion[]>([]);

  const reload = () => loadFeeds(api, setFeeds, setNotice);
  // The sentence that says what happened: where focus goes when the pressed button went with its
  // row, once the list has rendered without it.
  const status = useRef<HTMLParagraphElement>(null);
  const focusAfter = useRef(false);
  useEffect(() => {
    if (focusAfter.current) focusIfLost(status.current);
    focusAfter.current = false;
  }, [feeds]);
  useEffect(() => {
    void loadFeeds(api, setFeeds, setNotice);
    // The starter list comes from the worker too; without it the page simply offers none.
    api.suggestedFeeds().then(setStarterFeeds, () => setStarterFeeds([]));
  }, [api]);

  /** Unfollowing drops the feed's articles from the library too: asked first, and a failure said. */
  const remove = (feed: FeedView) => {
    const name = feed.title ?? hostOf(feed.url);
    if (!api.confirm(t('feedRemoveConfirm', name))) return;
    api.removeFeed(feed.id).then(
      () => {
        setNotice({ kind: 'info', text: t('feedRemoved', name) });
        focusAfter.current = true;
        return reload();
      },
      (error: unknown) => setNotice({ kind: 'error', text: errorText(error) }),
    );
  };

  /** Permission first (it must come from the click), then the background fetches and stores. */
  const follow = async (candidates: string[]) => {
    // The permission request comes first, while the click still counts as the person's gesture.
    const granted = await api.requestHosts(candidates);
    // Addresses on this computer or the local network also need the person's say-so (row 29).
    const urls = candidates.filter((u) => !isPrivateAddress(u) || api.confirm(t('feedPrivateConfirm', hostOf(u))));
    if (urls.length === 0) {
      setNotice({ kind: 'error', text: t('feedPrivateDeclined', hostOf(candidates[0])) });
      return null;
    }
    if (!granted) {
      setNotice({ kind: 'error', text: t('feedPermissionRefused', urls.map(hostOf).join(', ')) });
    }
    setBusy('adding');
    // Refused: the refusal stays in view whatever follows (the feeds are kept, waiting for it).
    if (granted) setNotice({ kind: 'info', text: t('feedAdding') });
    let last: FeedView | null = null;
    let followedCount = 0;
    let failed = !granted;
    for (const [i, feedUrl] of urls.entries()) {
      // Several at once (the recommended sources, an OPML file): say which one is being fetched.
      if (urls.length > 1 && !failed) setNotice({ kind: 'info', text: t('feedProgress', i + 1, urls.length, hostOf(feedUrl)) });
      try {
        // Only addresses the person just confirmed reach here as private; the worker checks again.
        last = await api.addFeed(feedUrl, isPrivateAddress(feedUrl));
        // The worker keeps a feed it could not fetch, with its error: followed, but not working yet.
        if (last.lastError || last.needsPermission) {
          if (!failed && last.lastError) setNotice({ kind: 'error', text: t('feedAddFailed', errorText(last.lastError)) });
          failed = true;
        } else followedCount++;
        // Each feed appears in the list as soon as it is fetched.
        if (urls.length > 1) await reload();
      } catch (error) {
        if (granted) setNotice({ kind: 'error', text: t('feedAddFailed', errorText(error)) });
        failed = true;
      }
    }
    setBusy(null);
    await reload();
    if (urls.length > 1 && !failed && followedCount > 0) setNotice({ kind: 'info', text: plural('feedsFollowed', followedCount) });
    if (granted && last && urls.length === 1) {
      setNotice(
        last.lastError
          ? { kind: 'error', text: t('feedAddFailed', errorText(last.lastError)) }
          : { kind: 'info', text: plural('feedAdded', last.itemCount, last.title ?? hostOf(last.url)) },
      );
    }
    return last;
  };

  const onAdd = (event: Event) => {
    event.preventDefault();
    if (!url.trim()) return;
    const value = withScheme(url);
    void follow([value]).then((feed) => feed && setUrl(''));
  };

  // One sentence says how a refresh went (each feed's line is not announced: ten feeds refreshed
  // were ten announcements in a row); the lines keep the details.
  const refresh = async (feed?: FeedView) => {
    setBusy(feed?.id ?? 'all');
    try {
      const refreshed = await api.refreshFeeds(feed?.id);
      const failed = refreshed.filter((f) => f.lastError || f.needsPermission).length;
      if (feed && refreshed[0]) setNotice({ kind: 'info', text: t('feedRefreshed', refreshed[0].title ?? hostOf(refreshed[0].url), feedStatus(refreshed[0])) });
      else if (!feed)
        setNotice({
          kind: 'info',
          text: [plural('feedsRefreshed', refreshed.length), failed ? plural('feedsRefreshFailed', failed) : ''].filter(Boolean).join(' '),
        });
    } catch (error) {
      setNotice({ kind: 'error', text: errorText(error) });
    }
    setBusy(null);
    await reload();
  };

  const importOpml = async (file: File | undefined) => {
    if (!file) return;
    let found;
    try {
      // Parsed in the worker; an unusable file comes back as an error with the reason.
      found = await api.parseOpml(await file.text());
    } catch (error) {
      setNotice({ kind: 'error', text: t('opmlFailed', errorText(error)) });
      return;
    }
    // follow() says how it went (how many are followed now, or what failed): nothing to add.
    await follow(found.map((f) => f.url));
  };

  const followed = new Set(feeds?.map((f) => f.url));
  const suggestions = starterFeeds.filter((f) => !followed.has(f.url));
  // First run (nothing followed yet): the welcome and the recommended sources come first.
  const firstRun = feeds !== null && feeds.length === 0;
  const starter = suggestions.length > 0 && (
    <fieldset class="starter">
      <legend>{t('starterHeading')}</legend>
      <p class="hint">{t('starterNote')}</p>
      <div>
        {/* One click, one permission prompt for every site, then each feed fetched in turn. */}
        {/* Once some are ticked, following the ticked ones is the button that stands out, not all twelve. */}
        <button type="button" class={picked.length ? undefined : 'primary'} disabled={busy !== null} onClick={() => void follow(suggestions.map((f) => f.url))}>
          {plural('starterFollowAll', suggestions.length)}
        </button>
      </div>
      {suggestions.map((f) => (
        <label key={f.url} class="row">
          <input
            type="checkbox"
            checked={picked.includes(f.url)}
            onChange={(e) => setPicked((e.target as HTMLInputElement).checked ? [...picked, f.url] : picked.filter((u) => u !== f.url))}
          />
          {f.title ?? hostOf(f.url)}
        </label>
      ))}
      <div>
        <button
          type="button"
          class={picked.length ? 'primary' : undefined}
          disabled={picked.length === 0 || busy !== null}
          onClick={() => void follow(picked).then(() => setPicked([]))}
        >
          {picked.length ? plural('starterFollowPicked', picked.length) : t('starterFollow')}
        </button>
      </div>
    </fieldset>
  );

  return (
    <section aria-labelledby="feeds-heading">
      <h2 id="feeds-heading">{t('feedsHeading')}</h2>
      {firstRun && <p class="welcome">{t('firstRunWelcome')}</p>}
      {firstRun && starter}
      {/* A cold worker takes a moment to answer: say so rather than show an empty list. */}
      {feeds === null && (
        <p class="hint" role="status">
          {t('feedsLoading')}
        </p>
      )}
      {feeds && (
        <FeedList
          feeds={feeds}
          busy={busy}
          onRefresh={(feed) => void refresh(feed)}
          onRemove={remove}
          onGrant={(feed) => void api.requestHosts([feed.url]).then((ok) => (ok ? refresh(feed) : undefined))}
        />
      )}
      <form class="row" onSubmit={onAdd}>
        <label for="feed-url">{t('feedAddLabel')}</label>
        {/* type="text": the browser's URL check refuses a bare "bbc.com", which withScheme accepts. */}
        <input
          id="feed-url"
          type="text"
          inputMode="url"
          autoComplete="url"
          spellcheck={false}
          value={url}
          required
          placeholder="bbc.com/news"
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary" disabled={busy !== null}>
          {t('feedAddButton')}
        </button>
      </form>
      <p ref={status} tabIndex={-1} class={notice?.kind === 'error' ? 'status error' : 'status'} role={notice?.kind === 'error' ? 'alert' : 'status'}>
        {notice?.text ?? ''}
      </p>
      <div class="row">
        <button type="button" disabled={busy !== null || !feeds?.length} onClick={() => void refresh()}>
          {t('feedRefreshAll')}
        </button>
        <label class="file-button">
          {t('opmlImport')}
          <input type="file" accept=".opml,.xml,text/xml,text/x-opml" onChange={(e) => void importOpml((e.target as HTMLInputElement).files?.[0])} />
        </label>
        <button
          type="button"
          disabled={!feeds?.length}
          onClick={() =>
            void api.exportOpml().then(
              (text) => download('storyline-feeds.opml', text, 'text/x-opml'),
              (e: unknown) => setNotice({ kind: 'error', text: errorText(e) }),
            )
          }
        >
          {t('opmlExport')}
        </button>
      </div>
      {!firstRun && starter}
    </section>
  );
}

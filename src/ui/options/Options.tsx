import { useEffect, useRef, useState } from 'preact/hooks';
import { LIMITS, RELEVANCE_LEVELS, type RelevanceLevel, type Settings } from '../../settings/schema';
import { parsePatternList } from '../../settings/site-rules';
import { errorText } from '../errors';
import { t, type MessageKey } from '../i18n';
import type { SourcesApi } from './api';
import { LibraryPanel } from './LibraryPanel';
import { ReadingPanel, type ReadingApi } from './ReadingPanel';
import { Sources } from './Sources';

export interface OptionsProps {
  api: SourcesApi;
  load: () => Promise<Settings>;
  save: (patch: Partial<Settings>) => Promise<Settings>;
  watch: (callback: (settings: Settings) => void) => () => void;
  /** Followed stories and hidden results (issue 12); the section is left out when absent. */
  reading?: ReadingApi;
}

type Status = { kind: 'idle' } | { kind: 'saved' } | { kind: 'error'; message: string };

/**
 * Why the browser's storage refused a read or write, as it says it ("...exceeds the
 * MAX_WRITE_OPERATIONS_PER_MINUTE quota."); a rejection that is no Error reads as Storyline's own.
 */
function storageReason(error: unknown): string {
  return error instanceof Error && error.message ? error.message : errorText(error);
}

export function Options({ api, load, save, watch, reading }: OptionsProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const numberTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Writes not yet stored (or a number waiting for typing to pause): closing the tab now would
  // lose them, so the browser asks first. A write takes a moment (the settings lock, a read, the
  // write), and a tab closed at once after a click took the change with it.
  const pending = useRef(0);
  useEffect(() => {
    const guard = (event: Event) => {
      if (pending.current > 0 || numberTimer.current !== undefined) event.preventDefault();
    };
    globalThis.addEventListener?.('beforeunload', guard);
    return () => globalThis.removeEventListener?.('beforeunload', guard);
  }, []);

  useEffect(() => {
    return watch(setSettings);
  }, [watch]);
  const [loadTry, setLoadTry] = useState(0);
  useEffect(() => {
    load().then(setSettings, (error: unknown) => setStatus({ kind: 'error', message: storageReason(error) }));
  }, [load, loadTry]);

  const loaded = settings !== null;
  // options.html#sources (the popup's "Follow news sources"): open at the sources, focused there.
  useEffect(() => {
    if (!loaded || globalThis.location?.hash !== '#sources') return;
    const sources = document.getElementById('sources');
    sources?.scrollIntoView?.();
    sources?.focus();
  }, [loaded]);

  if (!settings) {
    return (
      <main class="options">
        {status.kind === 'error' ? (
          <div role="alert">
            <p class="error">{t('optionsLoadFailed', status.message)}</p>
            <button
              type="button"
              onClick={() => {
                setStatus({ kind: 'idle' });
                setLoadTry((n) => n + 1);
              }}
            >
              {t('retry')}
            </button>
          </div>
        ) : (
          <p role="status">{t('optionsLoading')}</p>
        )}
      </main>
    );
  }

  const commit = (patch: Partial<Settings>) => {
    setSettings({ ...settings, ...patch });
    pending.current++;
    save(patch)
      .then(
        (saved) => {
          setSettings(saved);
          setStatus({ kind: 'saved' });
        },
        (error: unknown) => setStatus({ kind: 'error', message: storageReason(error) }),
      )
      .finally(() => pending.current--);
  };
  // Number fields save after typing pauses, not on every keystroke (RELIABILITY row 11).
  const commitNumber = (key: 'maxResults' | 'windowDays' | 'retentionDays' | 'maxArticles', value: number) => {
    setSettings({ ...settings, [key]: value });
    clearTimeout(numberTimer.current);
    numberTimer.current = undefined;
    if (!Number.isFinite(value)) return;
    numberTimer.current = setTimeout(() => {
      numberTimer.current = undefined;
      commit({ [key]: value });
    }, 400);
  };

  const patterns = (key: 'badgeAllow' | 'badgeDeny', label: MessageKey) => (
    <label class="stack">
      {t(label)}
      <textarea
        rows={3}
        spellcheck={false}
        value={settings[key].join('\n')}
        onChange={(e) => commit({ [key]: parsePatternList((e.target as HTMLTextAreaElement).value) })}
      />
    </label>
  );

  const checkbox = (key: 'inlineBadges' | 'toolbarBadge' | 'seedArticles' | 'history' | 'clickOnly', label: MessageKey) => (
    <label class="row">
      <input type="checkbox" checked={settings[key]} onChange={(e) => commit({ [key]: (e.target as HTMLInputElement).checked })} />
      {t(label)}
    </label>
  );

  const numberField = (key: 'maxResults' | 'windowDays' | 'retentionDays' | 'maxArticles', label: MessageKey) => (
    <label class="row">
      {t(label)}
      <input
        type="number"
        min={LIMITS[key][0]}
        max={LIMITS[key][1]}
        value={settings[key]}
        onInput={(e) => commitNumber(key, (e.target as HTMLInputElement).valueAsNumber)}
      />
    </label>
  );

  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      {/* Sources first: on install this page is the welcome, and following feeds is what to do. */}
      <fieldset id="sources" tabIndex={-1}>
        <legend>{t('optionsSectionSources')}</legend>
        <Sources api={api} />
      </fieldset>
      <fieldset>
        <legend>{t('optionsSectionMatching')}</legend>
        <label class="row">
          {t('optionMinRelevance')}
          <select
            value={String(settings.minRelevance)}
            onChange={(e) => commit({ minRelevance: Number((e.target as HTMLSelectElement).value) as RelevanceLevel })}
          >
            {RELEVANCE_LEVELS.map((level) => (
              <option key={level} value={String(level)}>
                {t(`relevance${level}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        {numberField('maxResults', 'optionMaxResults')}
        {numberField('windowDays', 'optionWindowDays')}
      </fieldset>
      <fieldset>
        <legend>{t('optionsSectionDisplay')}</legend>
        {checkbox('inlineBadges', 'optionInlineBadges')}
        {patterns('badgeAllow', 'optionBadgeAllow')}
        {patterns('badgeDeny', 'optionBadgeDeny')}
        {checkbox('clickOnly', 'optionClickOnly')}
        {checkbox('toolbarBadge', 'optionToolbarBadge')}
      </fieldset>
      <fieldset>
        <LibraryPanel api={api}>
          {checkbox('seedArticles', 'optionSeedArticles')}
          {checkbox('history', 'optionHistory')}
          {numberField('retentionDays', 'optionRetentionDays')}
          {numberField('maxArticles', 'optionMaxArticles')}
        </LibraryPanel>
      </fieldset>
      {reading && (
        <fieldset id="reading">
          <ReadingPanel api={reading} />
        </fieldset>
      )}
      {/* Kept in view at the foot of the window: a setting changed at the top of a long page says how it went. */}
      <p class={`status settings-status ${status.kind === 'error' ? 'error' : ''}`} role="status">
        {status.kind === 'saved' ? t('optionsSaved') : status.kind === 'error' ? t('optionsSaveFailed', status.message) : ''}
      </p>
    </main>
  );
}

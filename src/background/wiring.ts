export const POLL_ALARM = 'poll-feeds';
// Pruning walks the whole library: hourly is plenty for a 30-day retention window.
export const PRUNE_ALARM = 'prune-library';

/** Each alarm and its period. One poll alarm drives every feed; each feed's own schedule lives in its record. */
export const ALARM_PERIODS_MINUTES: Readonly<Record<string, number>> = { [POLL_ALARM]: 1, [PRUNE_ALARM]: 60 };

/** The worker's periodic jobs, each run by its alarm. */
export interface AlarmJobs {
  pollFeeds: () => Promise<unknown>;
  pruneLibrary: () => Promise<unknown>;
}

/** The part of the extension API the wiring uses: `browser` from wxt/browser, or a fake in tests. */
export interface WiredBrowser {
  alarms: {
    get(name: string): Promise<unknown>;
    create(name: string, info: { periodInMinutes: number; delayInMinutes: number }): Promise<void> | void;
    onAlarm: { addListener(callback: (alarm: { name: string }) => void): void };
  };
  runtime: {
    onInstalled: { addListener(callback: (details: { reason: string }) => void): void };
    openOptionsPage(): Promise<void>;
  };
}

/**
 * The service worker's alarms and first-run page. Called at the top level of the worker, so its
 * listeners are registered synchronously and an alarm that wakes the worker is delivered
 * (RELIABILITY row 4).
 */
export function wireAlarmsAndInstall(browser: WiredBrowser, jobs: AlarmJobs): void {
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === POLL_ALARM) await jobs.pollFeeds();
    if (alarm.name === PRUNE_ALARM) await jobs.pruneLibrary();
  });
  // Alarms can go missing across browser restarts (RELIABILITY row 3): re-create on every start,
  // leaving one that exists alone (re-creating it would push its next run back).
  for (const [name, periodInMinutes] of Object.entries(ALARM_PERIODS_MINUTES)) {
    void browser.alarms.get(name).then((alarm) => {
      if (!alarm) void browser.alarms.create(name, { periodInMinutes, delayInMinutes: 1 });
    });
  }

  // First run: the options page offers the starter feeds (never followed without a click).
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
}

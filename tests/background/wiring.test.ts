import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PRUNE_ALARM, POLL_ALARM, wireAlarmsAndInstall } from '../../src/background/wiring';

/** The worker's alarm and install wiring against WXT's in-memory fake browser (RELIABILITY rows 3 and 4). */
function wire() {
  const jobs = { pollFeeds: vi.fn(async () => undefined), pruneLibrary: vi.fn(async () => undefined) };
  const openOptionsPage = vi.fn(async () => undefined);
  const browser = { alarms: fakeBrowser.alarms, runtime: { onInstalled: fakeBrowser.runtime.onInstalled, openOptionsPage } };
  wireAlarmsAndInstall(browser, jobs);
  return { jobs, openOptionsPage };
}

/** Lets the alarms.get -> create chains finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('background wiring', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates the poll (every minute) and prune (hourly) alarms when they are missing', async () => {
    wire();
    await settle();
    const alarms = await fakeBrowser.alarms.getAll();
    expect(alarms.map(({ name, periodInMinutes }) => ({ name, periodInMinutes })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: POLL_ALARM, periodInMinutes: 1 },
      { name: PRUNE_ALARM, periodInMinutes: 60 },
    ]);
  });

  it('leaves an alarm that survived the restart alone, keeping its schedule', async () => {
    await fakeBrowser.alarms.create(POLL_ALARM, { periodInMinutes: 1, when: 1_000 });
    wire();
    await settle();
    expect((await fakeBrowser.alarms.get(POLL_ALARM))?.scheduledTime).toBe(1_000);
    expect(await fakeBrowser.alarms.get(PRUNE_ALARM)).toBeDefined();
  });

  it('registers its alarm listener at once, so an alarm that wakes the worker is delivered', async () => {
    const { jobs } = wire();
    // No await between wiring and the alarm: the listener must already be there.
    await fakeBrowser.alarms.onAlarm.trigger({ name: POLL_ALARM, scheduledTime: Date.now(), periodInMinutes: 1 });
    expect(jobs.pollFeeds).toHaveBeenCalledTimes(1);
    expect(jobs.pruneLibrary).not.toHaveBeenCalled();
    await fakeBrowser.alarms.onAlarm.trigger({ name: PRUNE_ALARM, scheduledTime: Date.now(), periodInMinutes: 60 });
    expect(jobs.pruneLibrary).toHaveBeenCalledTimes(1);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'someone-elses-alarm', scheduledTime: Date.now() });
    expect(jobs.pollFeeds).toHaveBeenCalledTimes(1);
    expect(jobs.pruneLibrary).toHaveBeenCalledTimes(1);
  });

  it('opens the options page on a first install only, not on an update or a browser update', async () => {
    const { openOptionsPage } = wire();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.0.9', temporary: false });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'browser_update', temporary: false });
    expect(openOptionsPage).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    expect(openOptionsPage).toHaveBeenCalledTimes(1);
  });
});

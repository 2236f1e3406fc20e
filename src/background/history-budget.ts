import { siteOf } from '../core/links';

/**
 * How many reading-history entries one site may write in an hour. A person reading a news site
 * opens a few articles an hour, rarely thirty; a page that reloads itself (or walks through its own
 * addresses) wrote one entry per load, a hundred near-copies of a headline within a minute, each
 * a "report" of whatever story it names in the person's popup for a month (attack review,
 * helper-30). Past the budget a page is still answered; it is just not recorded.
 */
export const HISTORY_PER_SITE_PER_HOUR = 30;
/** And all sites together: a page walking 1.evil.example, 2.evil.example... is many hosts (review, helper-31). */
export const HISTORY_PER_HOUR = 120;
const HOUR_MS = 60 * 60 * 1000;
/** Sites remembered at most; the least recently written is forgotten first. */
const MAX_SITES = 1_000;

/** A stored list of write times: its numbers only, the last `max` of them. */
function storedTimes(value: unknown, max: number): number[] {
  return Array.isArray(value) ? value.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)).slice(-max) : [];
}

/** The budget as storage.session keeps it between the worker's lives. */
export interface StoredBudget {
  sites: [string, number[]][];
  all: number[];
}

/**
 * Sliding-hour budgets of history writes, per site and in all. Kept in storage.session by the
 * worker (`toStored`, `fromStored`): a worker stopped when idle picks up the hour where it was,
 * so a page loading itself once a minute is not recorded afresh by every new worker.
 */
export class HistoryBudget {
  private readonly writes = new Map<string, number[]>();
  private all: number[] = [];

  constructor(
    private readonly perHour = HISTORY_PER_SITE_PER_HOUR,
    private readonly totalPerHour = HISTORY_PER_HOUR,
  ) {}

  /**
   * A budget from what storage.session held: what is not a site's list of times is dropped, and
   * no list is longer than its budget, so a damaged value never blocks or unblocks more than it
   * should have (storage is a boundary).
   */
  static fromStored(stored: unknown, perHour = HISTORY_PER_SITE_PER_HOUR, totalPerHour = HISTORY_PER_HOUR): HistoryBudget {
    const budget = new HistoryBudget(perHour, totalPerHour);
    if (typeof stored !== 'object' || stored === null) return budget;
    const { sites, all } = stored as Partial<Record<keyof StoredBudget, unknown>>;
    budget.all = storedTimes(all, totalPerHour);
    if (Array.isArray(sites)) {
      for (const entry of sites.slice(-MAX_SITES)) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
        budget.writes.set(entry[0], storedTimes(entry[1], perHour));
      }
    }
    return budget;
  }

  /** What to keep in storage.session: the writes of the hour before `now`, in the order sites last wrote. */
  toStored(now: number): StoredBudget {
    const recent = (times: number[]) => times.filter((t) => now - t < HOUR_MS);
    const sites = [...this.writes].flatMap(([site, times]): [string, number[]][] => (recent(times).length ? [[site, recent(times)]] : []));
    return { sites, all: recent(this.all) };
  }

  /** Whether a page on `host` may write one more entry at `now`; if so, counts it. */
  take(host: string, now: number): boolean {
    const site = siteOf(host);
    const recent = (this.writes.get(site) ?? []).filter((t) => now - t < HOUR_MS);
    this.all = this.all.filter((t) => now - t < HOUR_MS);
    if (recent.length >= this.perHour || this.all.length >= this.totalPerHour) {
      this.writes.set(site, recent);
      return false;
    }
    recent.push(now);
    this.all.push(now);
    // Re-inserted, so the map's order is the order sites last wrote.
    this.writes.delete(site);
    this.writes.set(site, recent);
    if (this.writes.size > MAX_SITES) this.writes.delete(this.writes.keys().next().value!);
    return true;
  }
}

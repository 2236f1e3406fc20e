/**
 * How many reading-history entries one site may write in an hour. A person reading a news site
 * opens a few articles an hour, rarely thirty; a page that reloads itself (or walks through its own
 * addresses) wrote one entry per load, a hundred near-copies of a headline within a minute, each
 * a "report" of whatever story it names in the person's popup for a month (attack review,
 * helper-30). Past the budget a page is still answered; it is just not recorded.
 */
export const HISTORY_PER_SITE_PER_HOUR = 30;
const HOUR_MS = 60 * 60 * 1000;
/** Sites remembered at most; the least recently written is forgotten first. */
const MAX_SITES = 1_000;

/** Per-site sliding-hour budget of history writes, in the worker's memory (a restart starts it afresh). */
export class HistoryBudget {
  private readonly writes = new Map<string, number[]>();

  constructor(private readonly perHour = HISTORY_PER_SITE_PER_HOUR) {}

  /** Whether `site` may write one more entry at `now`; if so, counts it. */
  take(site: string, now: number): boolean {
    const recent = (this.writes.get(site) ?? []).filter((t) => now - t < HOUR_MS);
    if (recent.length >= this.perHour) {
      this.writes.set(site, recent);
      return false;
    }
    recent.push(now);
    // Re-inserted, so the map's order is the order sites last wrote.
    this.writes.delete(site);
    this.writes.set(site, recent);
    if (this.writes.size > MAX_SITES) this.writes.delete(this.writes.keys().next().value!);
    return true;
  }
}

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

/**
 * The site a host belongs to, read without a public-suffix list: its last two labels, or three
 * where the last two are short ("co.uk", "com.au"); an IP address is its own site. So
 * 1.evil.example and 2.evil.example are one site.
 */
export function siteOf(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(':')) return host;
  const labels = host.split('.');
  const twoPart = labels.length >= 3 && labels[labels.length - 1].length <= 3 && labels[labels.length - 2].length <= 3;
  return labels.slice(twoPart ? -3 : -2).join('.');
}

/**
 * Sliding-hour budgets of history writes, per site and in all, in the worker's memory: a worker
 * stopped when idle starts them afresh, so a page loading itself once a minute is still recorded
 * each time (60 an hour, not a hundred a minute).
 */
export class HistoryBudget {
  private readonly writes = new Map<string, number[]>();
  private all: number[] = [];

  constructor(
    private readonly perHour = HISTORY_PER_SITE_PER_HOUR,
    private readonly totalPerHour = HISTORY_PER_HOUR,
  ) {}

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

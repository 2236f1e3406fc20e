/**
 * Per-site rules for inline badges. A pattern is a host ("news.example.com"), a host with all its
 * subdomains ("*.example.com", which also matches "example.com"), or "*" for every site.
 * Deny wins over allow; a non-empty allow list means "only these sites".
 */
export interface SiteRules {
  allow: string[];
  deny: string[];
}

const PATTERN = /^(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)$/;

/** Cleans one pattern typed by a person ("https://www.Example.com/path" -> "www.example.com"); null if unusable. */
export function parseHostPattern(raw: string): string | null {
  let text = raw.trim().toLowerCase();
  if (!text) return null;
  if (/^[a-z]+:\/\//.test(text)) {
    try {
      text = new URL(text).hostname;
    } catch {
      return null;
    }
  }
  text = text.replace(/\/.*$/, '').replace(/:\d+$/, '').replace(/\.$/, '');
  return PATTERN.test(text) ? text : null;
}

export function hostMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    const base = pattern.slice(2);
    return h === base || h.endsWith(`.${base}`);
  }
  return h === pattern;
}

export function badgesAllowedOn(host: string, rules: SiteRules): boolean {
  if (rules.deny.some((p) => hostMatches(p, host))) return false;
  return rules.allow.length === 0 || rules.allow.some((p) => hostMatches(p, host));
}

/** A list typed one pattern per line or comma-separated: cleaned, deduped, unusable entries dropped. */
export function parsePatternList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,]/) : [];
  const patterns = items
    .filter((v): v is string => typeof v === 'string')
    .map(parseHostPattern)
    .filter((p): p is string => p !== null);
  return [...new Set(patterns)].slice(0, 500);
}

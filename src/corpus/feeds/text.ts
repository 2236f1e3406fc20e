import { decodeEntities } from '../../extract/entities';

/**
 * Feed HTML reduced to plain text, without an HTML parser (the service worker has none, and feed
 * markup must never be parsed into live nodes): tags dropped, entities decoded, whitespace collapsed.
 */
export function htmlToText(html: string, max = 600): string {
  const once = decodeEntities(
    html
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/gi, ' ')
      .replace(/<[^>]*>/g, ''),
  )
  // Feeds often escape their HTML twice ("&lt;p&gt;caf&amp;eacute;"): drop the tags that
  // decoding revealed, then decode the HTML's own entities.
  const text = (/[<&]/.test(once) ? decodeEntities(once.replace(/<\/?[a-z][^>]*>/gi, ' ')) : once)
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

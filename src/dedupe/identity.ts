// Item identity within a source: the fallback chain guid → canonical link → hash of title and content, per feed.
import { createHash } from 'node:crypto';
import type { ParsedItem } from '../model/item.ts';
import { canonicalizeUrl } from './url.ts';

/** Share of items with a missing or repeated guid above which a feed's guids are not trusted. */
export const GUID_FAILURE_SHARE = 0.05;

export interface IdentityAssignment {
  /** One identity per item, in input order: `guid:…`, `link:…` or `hash:…`. */
  identities: string[];
  mode: 'guid' | 'link';
  /** Why the feed fell back to link mode, or which items used a further fallback. */
  reason?: string;
}

/** SHA-256 (hex, 32 chars) of an item's visible content: title, summary and content. */
export function hashItemContent(item: Pick<ParsedItem, 'title' | 'summary' | 'contentHtml'>): string {
  return createHash('sha256')
    .update(`${item.title.trim()}\u0000${(item.summary ?? '').trim()}\u0000${(item.contentHtml ?? '').trim()}`)
    .digest('hex')
    .slice(0, 32);
}

function countValues(values: Array<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/**
 * Assigns identities to one feed document's items. A feed whose guids are missing or repeated for more
 * than 5% of its items is in link mode: its guids are ignored (some CMSs emit one guid for every item,
 * or a new guid on every fetch of a page). Within a mode, an item lacking the key (or sharing a repeated
 * link) falls back to the content hash, so two different items never share an identity.
 */
export function assignIdentities(items: ParsedItem[]): IdentityAssignment {
  const guids = items.map((item) => item.guid?.trim() || undefined);
  const links = items.map((item) => (item.link ? canonicalizeUrl(item.link) : undefined));
  const guidCounts = countValues(guids);
  const linkCounts = countValues(links);
  const failing = guids.filter((guid) => !guid || (guidCounts.get(guid) ?? 0) > 1).length;
  const mode: 'guid' | 'link' = items.length > 0 && failing / items.length > GUID_FAILURE_SHARE ? 'link' : 'guid';
  const fallbacks: string[] = [];
  const identities = items.map((item, index) => {
    const guid = guids[index];
    const link = links[index];
    if (mode === 'guid' && guid && guidCounts.get(guid) === 1) return `guid:${guid}`;
    if (link && linkCounts.get(link) === 1) return `link:${link}`;
    fallbacks.push(String(index));
    return `hash:${hashItemContent(item)}`;
  });
  const reasons: string[] = [];
  if (mode === 'link') reasons.push(`${failing} of ${items.length} items have a missing or repeated guid (over ${GUID_FAILURE_SHARE * 100}%): identity by canonical link`);
  if (fallbacks.length) reasons.push(`${fallbacks.length} item(s) have neither a usable ${mode === 'guid' ? 'guid nor ' : ''}unique link: identity by content hash`);
  const result: IdentityAssignment = { identities, mode };
  if (reasons.length) result.reason = reasons.join('; ');
  return result;
}

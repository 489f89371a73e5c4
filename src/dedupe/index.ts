// The dedupe stage: identities, canonical URLs, wire versions, fingerprints and lookup keys for a feed's items.
import { createHash } from 'node:crypto';
import type { ParsedItem } from '../model/item.ts';
import type { PreparedItem } from '../model/story.ts';
import { assignIdentities, hashItemContent } from './identity.ts';
import { stripHtml } from './normalize.ts';
import { computeBandKeys, computeFingerprint, computeHeadlineKeys, DEFAULT_FINGERPRINT, packSignature, type FingerprintOptions } from './fingerprint.ts';
import { canonicalizeUrl } from './url.ts';
import { parseWireVersion } from './version.ts';

export { canonicalizeUrl } from './url.ts';
export { assignIdentities } from './identity.ts';
export { parseWireVersion } from './version.ts';
export { createStoryResolver, DEFAULT_TUNING, type ResolverTuning } from './resolve.ts';
export { DEFAULT_FINGERPRINT, type FingerprintOptions } from './fingerprint.ts';

export interface PrepareOptions {
  fingerprint?: FingerprintOptions;
  /**
   * Identities already assigned over the whole document (`identifyItems`), aligned with `items`: lets the caller
   * prepare only the items that changed without the 5% guid rule seeing a partial document.
   */
  identities?: readonly string[];
}

/** Identities (with the document-wide guid rule) and content hashes: enough to tell which items are already stored. */
export function identifyItems(items: ParsedItem[]): { identities: string[]; contentHashes: string[]; identityMode: 'guid' | 'link'; warnings: string[] } {
  const identity = assignIdentities(items);
  const contentHashes = items.map(hashItemContent);
  return {
    identities: items.map((_item, index) => identity.identities[index] ?? `hash:${contentHashes[index]}`),
    contentHashes,
    identityMode: identity.mode,
    warnings: identity.reason ? [identity.reason] : [],
  };
}

export interface PrepareResult {
  prepared: Omit<PreparedItem, 'tags'>[];
  identityMode: 'guid' | 'link';
  warnings: string[];
}

/** Texts shorter than this many tokens get no band keys: their shingle sets are too small for LSH. */
const MIN_BAND_TOKENS = 15;

/**
 * The stem of a versioned guid: a trailing `:2`, `-v3`, `_1` (one or two digits) is a version counter
 * on wires that number refiles ("…newsml_L1N3AB12C:2"). Stems shorter than 12 characters are not used.
 */
export function stemGuid(guid: string): string | undefined {
  const stem = guid.trim().replace(/[:_.-]v?\d{1,2}$/i, '');
  return stem.length >= 12 ? stem : undefined;
}

const shortHash = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 16);

/** Prepares one parsed feed document's items for the store: identity, canonical URL, version, keys, signature. */
export function prepareItems(items: ParsedItem[], options: PrepareOptions = {}): PrepareResult {
  const fingerprintOptions = options.fingerprint ?? DEFAULT_FINGERPRINT;
  const identity = options.identities
    ? { identities: [...options.identities], mode: 'guid' as const, reason: undefined }
    : assignIdentities(items);
  const warnings = identity.reason ? [identity.reason] : [];
  const prepared = items.map((item, index) => {
    const text = stripHtml(item.contentHtml ?? item.summary ?? '');
    const wire = parseWireVersion(item.title, text, item.withdrawn === true);
    const canonicalUrl = item.link ? canonicalizeUrl(item.link) : undefined;
    const fingerprint = computeFingerprint(wire.headline, wire.text, fingerprintOptions);
    const keys: string[] = [];
    if (canonicalUrl) keys.push(`u:${canonicalUrl}`);
    const stem = item.guid ? stemGuid(item.guid) : undefined;
    if (stem) keys.push(`g:${shortHash(stem)}`);
    keys.push(...computeHeadlineKeys(wire.headline));
    if (fingerprint.tokenCount >= MIN_BAND_TOKENS) keys.push(...computeBandKeys(fingerprint, fingerprintOptions));
    const result: Omit<PreparedItem, 'tags'> = {
      ...item,
      identity: identity.identities[index] ?? `hash:${hashItemContent(item)}`,
      contentHash: hashItemContent(item),
      dedupeKeys: [...new Set(keys)],
      signature: packSignature(fingerprint),
    };
    if (canonicalUrl) result.canonicalUrl = canonicalUrl;
    if (wire.version) result.version = wire.version;
    if (wire.withdrawn) result.withdrawn = true;
    return result;
  });
  return { prepared, identityMode: identity.mode, warnings };
}

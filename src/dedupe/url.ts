// Canonical URLs for identity across sources: tracking parameters, AMP/mobile variants and cosmetic differences folded away.
import trackingData from './tracking-params.json' with { type: 'json' };

/** Exact tracking parameter names (lowercased) and name prefixes, from the list in tracking-params.json. */
const TRACKING_NAMES = new Set([...trackingData.names, ...trackingData.additions].map((name) => name.toLowerCase()));
const TRACKING_PREFIXES = trackingData.prefixes.map((prefix) => prefix.toLowerCase());

/** Query parameters that only switch an article page to its AMP rendering. */
const AMP_PARAMS = new Set(['amp', 'outputtype', '_amp', 'amp_js_v', 'amp_gsa', 'usqp']);

/** Whether a query parameter name is a known tracking parameter. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_NAMES.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function isAmpParam(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'outputtype') return value.toLowerCase() === 'amp';
  return AMP_PARAMS.has(lower) && lower !== 'outputtype';
}

/** `amp.example.com` and `m.example.com` / `mobile.example.com` serve the same articles as `example.com`. */
function foldHost(host: string): string {
  const parts = host.split('.');
  if (parts.length > 2 && ['amp', 'm', 'mobile'].includes(parts[0] ?? '')) parts.shift();
  if (parts.length > 2 && parts[0] === 'www') parts.shift();
  return parts.join('.');
}

/** `/amp/`, `/amp`, `.amp`, `.amp.html` path variants (no page is fetched to read rel=canonical). */
function foldPath(path: string): string {
  let folded = path
    .replace(/\/amp(?=\/|$)/gi, '')
    .replace(/\.amp(\.html?)?$/i, (_m, ext: string | undefined) => ext ?? '')
    .replace(/\/{2,}/g, '/');
  if (folded.length > 1 && folded.endsWith('/')) folded = folded.slice(0, -1);
  return folded === '' ? '/' : folded;
}

/**
 * The canonical form of an http(s) URL, or undefined when it is not one. Scheme and host are lowercased
 * (WHATWG URL does this), default ports and the fragment dropped, `www.`/`m.`/`amp.` hosts folded, AMP
 * paths and parameters removed, tracking parameters removed, remaining parameters sorted (stable order),
 * and a trailing slash dropped. The scheme is folded to https: publishers serve one article on both.
 */
export function canonicalizeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = foldHost(parsed.hostname.replace(/\.$/, ''));
  const path = foldPath(parsed.pathname);
  const kept: Array<[string, string]> = [];
  for (const [name, value] of parsed.searchParams) {
    if (isTrackingParam(name) || isAmpParam(name, value)) continue;
    kept.push([name, value]);
  }
  kept.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  // WHATWG URL already dropped the default port; any other port is kept.
  const port = parsed.port ? `:${parsed.port}` : '';
  return `https://${host}${port}${path}${query}`;
}

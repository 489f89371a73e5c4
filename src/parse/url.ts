// Relative URL resolution against xml:base / the document URL (RFC 3986 §5 via WHATWG URL).

/** Resolves `url` against `base`. Absolute URLs come back as published; unresolvable ones come back trimmed. */
export function resolveUrl(url: string, base: string | undefined): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') return base === undefined ? undefined : base;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  if (!base) return trimmed;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return trimmed;
  }
}

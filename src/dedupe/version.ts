// Wire versions: headline prefixes (UPDATE 2-, REFILE-, CORRECTED-...), "(Adds ...)" notes and kill/withdrawal notices.

export interface WireVersion {
  /** Headline without the wire prefixes, for comparison. */
  headline: string;
  /** Outermost meaningful version (update, refile, correction, repeat, wrapup, exclusive, breakingviews, kill, ...). */
  version?: { kind: string; number?: number; note?: string };
  /** The item is a kill or withdrawal notice. */
  withdrawn: boolean;
  /** Text with the leading "(Adds ...)" note removed. */
  text: string;
}

/**
 * Reuters-style slugs that open a headline. Order of the alternatives matters only for readability:
 * a headline can chain several ("RPT-UPDATE 2-", "REFILE-CORRECTED-").
 */
const PREFIX = /^\s*(UPDATE|WRAPUP|REFILE|CORRECTED|CORRECTION|RPT|REPEAT|EXCLUSIVE|BREAKINGVIEWS|KILL|WITHDRAWN|WITHDRAWAL|ADVISORY|URGENT|FLASH|BUZZ|INSIGHT|ANALYSIS|FACTBOX|FOCUS|PREVIEW|COLUMN|TIMELINE|SPECIAL REPORT)(?:\s+(\d{1,2}))?\s*(?:-|:|\u2013|\u2014)\s*/i;

/** Kinds whose presence marks the same story rather than a new one; the others are editorial labels. */
const KIND: Record<string, string> = {
  update: 'update', wrapup: 'wrapup', refile: 'refile', corrected: 'correction', correction: 'correction',
  rpt: 'repeat', repeat: 'repeat', exclusive: 'exclusive', breakingviews: 'breakingviews',
  kill: 'kill', withdrawn: 'withdrawn', withdrawal: 'withdrawn', advisory: 'advisory', urgent: 'urgent', flash: 'urgent',
};

/** Precedence when several prefixes chain: a kill beats a correction beats an update beats a refile. */
const RANK: Record<string, number> = { kill: 6, withdrawn: 6, correction: 5, update: 4, wrapup: 4, refile: 3, repeat: 3 };

/** "(Adds comment from minister)", "(Recasts with ...)" at the start of a wire story's text. */
const NOTE = /^\s*\(\s*((?:adds|add|recasts|updates|corrects|changes|fixes|refiles|repeats|removes|rewrites|new throughout|overwrites|inserts|clarifies|deletes|updates throughout)\b[^)]{0,300})\)\s*/i;

/** Withdrawal language in the text of a CORRECTION-/KILL- notice or a bare notice. */
const KILL_TEXT = /\b(please kill|kill (?:the|this) (?:story|item)|(?:story|item|report) (?:headlined "?[^"]{1,200}"? )?(?:has been |is |was )?(?:withdrawn|killed)|withdraws? (?:the|this) (?:story|item|report)|no (?:substitute|replacement) (?:story |item )?will be (?:issued|sent|filed))\b/i;

/** Parses the wire version of a headline and text; the result's headline has every prefix stripped. */
export function parseWireVersion(title: string, text = '', isMarkedWithdrawn = false): WireVersion {
  let headline = title;
  let best: { kind: string; number?: number; note?: string } | undefined;
  let hasKill = false;
  let hasCorrection = false;
  for (let guard = 0; guard < 6; guard++) {
    const match = PREFIX.exec(headline);
    if (!match) break;
    headline = headline.slice(match[0].length);
    const kind = KIND[(match[1] ?? '').toLowerCase()];
    if (!kind) continue;
    if (kind === 'kill' || kind === 'withdrawn') hasKill = true;
    if (kind === 'correction') hasCorrection = true;
    const number = match[2] ? Number(match[2]) : undefined;
    if (!best || (RANK[kind] ?? 1) > (RANK[best.kind] ?? 1)) best = number === undefined ? { kind } : { kind, number };
  }
  // "KILL KILL KILL" style notices sometimes have no separator.
  if (/^\s*(kill\s+){2,}/i.test(headline)) {
    hasKill = true;
    headline = headline.replace(/^\s*(kill\s+)+/i, '');
    best = { kind: 'kill' };
  }
  let body = text;
  const note = NOTE.exec(body);
  if (note) {
    body = body.slice(note[0].length);
    best = { ...(best ?? { kind: 'update' }), note: (note[1] ?? '').trim().replace(/\s+/g, ' ') };
  }
  // Only story-level withdrawal language counts ("this story has been withdrawn"), never "the offer was withdrawn":
  // nothing is removed by inference from ordinary news text.
  const killsByText = KILL_TEXT.test(text.slice(0, 1000)) && (hasKill || hasCorrection || text.length < 1000);
  const withdrawn = isMarkedWithdrawn || hasKill || killsByText;
  if (withdrawn && best?.kind !== 'kill' && best?.kind !== 'withdrawn') best = { ...best, kind: 'withdrawn' };
  const result: WireVersion = { headline: headline.trim(), withdrawn, text: body };
  if (best) result.version = best;
  return result;
}

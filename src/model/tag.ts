// The tag slug (DESIGN.md "Words"): one definition shared by the tag stage, the publishers and the server's tag routes.

/** Letters that NFKD does not decompose, written as they are typed on an English keyboard (Łódź → lodz). */
const LETTERS: Record<string, string> = { ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

/** Lowercase ASCII, accents folded, every other run of characters one `-` (`Gustavo Petro` → `gustavo-petro`). */
export function slugifyTagName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[łøæœßđðþıħ]/g, (c) => LETTERS[c] ?? c)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

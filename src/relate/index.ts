// The relate stage's entry: refresh after each stored batch, fill outputs' related posts, explain them.
export { attachRelated, describeRelated, type RelatedSetting } from './attach.ts';
export {
  computeRelated,
  DEFAULT_RELATE_OPTIONS,
  type FoldedVectors,
  refreshRelated,
  resolveRelateOptions,
  type RelateOptions,
  type RelateSummary,
} from './refresh.ts';
export { currentSubjects, refitSubjects, refoldStale, subjectRefitDue, type SubjectOptions } from './subject-model.ts';
export { fitSubjects, foldSubject, subjectCosine, type SubjectSpace } from './subjects.ts';
export { DEFAULT_SCORE_OPTIONS, pickRelated, scoreCandidate, scoreCandidates, type ScoreOptions, type ScoredCandidate } from './score.ts';
export { extractTerms, toRelatedDoc } from './text.ts';

// Turns zod issues into one plain sentence each, in the words of the config file rather than of zod.
import type { z } from 'zod';
import { suggest } from './suggest.ts';
import type { ConfigPath } from './locate.ts';

type Issue = z.core.$ZodIssue;

/** One error to report: where (a path, and whether it is a key or a value) and what. */
export interface ConfigProblem {
  path: ConfigPath;
  /** Set for unknown keys: the error points at the key itself. */
  key?: string;
  message: string;
}

/** A value as the user wrote it, short: `"5 minutes"`, `42`, `a list`, `nothing`. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  null: 'nothing',
};

const expectedWords = (expected: string): string => EXPECTED[expected] ?? expected;

/** The sentence for one issue, without its path; the offending value is put first when the message starts with "is ". */
function describeIssue(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? 'is required' : `expected ${expectedWords(issue.expected)}, got ${showValue(input)}`;
    case 'too_small': {
      const minimum = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${minimum} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`;
      return `${showValue(input)} is too small (minimum ${minimum})`;
    }
    case 'too_big': {
      const maximum = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `allows at most ${maximum} entries`;
      return `${showValue(input)} is too large (maximum ${maximum})`;
    }
    case 'invalid_value':
      return `${showValue(input)} is not one of ${issue.values.map((value) => String(value)).join(', ')}${
        typeof input === 'string' ? suggest(input, issue.values.map(String)) : ''
      }`;
    case 'invalid_union': {
      // Each branch failed at its root with a type error: list what would have been accepted.
      const expected = issue.errors.flatMap((branch) => branch.filter((sub) => sub.code === 'invalid_type' && sub.path.length === 0).map((sub) => (sub as { expected: string }).expected));
      if (expected.length === issue.errors.length && expected.length > 0) {
        return input === undefined ? 'is required' : `expected ${[...new Set(expected.map(expectedWords))].join(' or ')}, got ${showValue(input)}`;
      }
      return withValue(issue.message, input);
    }
    case 'invalid_format':
      return withValue(issue.message.startsWith('Invalid') ? `is not a valid ${issue.format}` : issue.message, input);
    default:
      return withValue(issue.message, input);
  }
}

function withValue(message: string, input: unknown): string {
  return message.startsWith('is ') ? `${showValue(input)} ${message}` : message;
}

/** Every issue as problems to report; an issue listing several unknown keys gives one problem per key. */
export function describeIssues(issues: readonly Issue[], root: unknown, knownKeysAt: (path: ConfigPath) => string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys) {
        problems.push({ path: [...issue.path, key], key, message: `unknown key${suggest(key, known)}` });
      }
      continue;
    }
    const input = 'input' in issue ? issue.input : valueAtPath(root, issue.path);
    problems.push({ path: issue.path, message: describeIssue(issue, input) });
  }
  return problems;
}

function valueAtPath(root: unknown, path: ConfigPath): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

// Maps a path in the config (["sources", 2, "every"]) back to the line and column where the YAML wrote it.
import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

export type ConfigPath = readonly PropertyKey[];

export interface Position {
  line: number;
  col: number;
}

/** Finds where a value or a key was written; undefined when the config did not come from YAML. */
export interface Locator {
  /** The value at `path`, or the nearest enclosing node that exists (a missing key points at its mapping). */
  valueAt(path: ConfigPath): Position | undefined;
  /** The key `key` of the mapping at `path` (for unknown keys), falling back to the mapping itself. */
  keyAt(path: ConfigPath, key: string): Position | undefined;
}

export function createLocator(doc: Document, lineCounter: LineCounter): Locator {
  const positionOf = (node: unknown): Position | undefined => {
    if (!isNode(node) || !node.range) return undefined;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return { line, col };
  };
  const nodeAt = (path: ConfigPath): unknown => (path.length === 0 ? doc.contents : doc.getIn(path, true));
  const valueAt = (path: ConfigPath): Position | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const position = positionOf(nodeAt(path.slice(0, depth)));
      if (position) return position;
    }
    return { line: 1, col: 1 };
  };
  return {
    valueAt,
    keyAt(path, key) {
      const node = nodeAt(path);
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        const position = pair ? positionOf(pair.key) : undefined;
        if (position) return position;
      }
      return valueAt(path);
    },
  };
}

/** `sources[2].every`, `tagging.aliases["U.S."]`; "(top level)" for the empty path. */
export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? '(top level)' : text;
}

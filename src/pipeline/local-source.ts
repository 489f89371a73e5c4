// Reads a `path:` source: one feed file, or every feed file of a folder (a wire drop), with a change stamp like an ETag.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.rdf', '.json', '.feed']);

export interface LocalDocument {
  path: string;
  bytes: Uint8Array;
}

export interface LocalRead {
  documents: LocalDocument[];
  /** Changes when any file is added, removed or modified: a repeat read with the same stamp is a no-op (like a 304). */
  stamp: string;
}

/** Lists the feed files of a path (the file itself, or the folder's feed files sorted by name). */
async function listFeedFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && FEED_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(path, entry.name))
    .sort();
}

/** Reads a local source; files are never consumed or moved. Relative paths resolve against the working directory. */
export async function readLocalSource(path: string, maxBytes: number): Promise<LocalRead> {
  const absolute = resolve(path);
  const files = await listFeedFiles(absolute);
  const stampHash = createHash('sha256');
  const documents: LocalDocument[] = [];
  for (const file of files) {
    const info = await stat(file);
    if (info.size > maxBytes) {
      throw Object.assign(new Error(`${file} is ${info.size} bytes, over fetch.max_body (${maxBytes})`), { code: 'FETCH_TOO_LARGE' });
    }
    stampHash.update(`${file}\u0000${info.size}\u0000${info.mtimeMs}\n`);
    documents.push({ path: file, bytes: await readFile(file) });
  }
  return { documents, stamp: stampHash.digest('hex').slice(0, 32) };
}

// `wiredesk render --out DIR`: writes every published path as a static file (the same paths the server serves).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Outputs } from '../serve/outputs.ts';
import { print, withApp } from './shared.ts';

/** Maps a served path to its file under the output folder (`/` → index.html, `/feeds/x` → feeds/x.html). */
export function fileForPath(path: string): string {
  if (path === '/') return 'index.html';
  const relative = path.slice(1);
  return /\.[a-z]+$/.test(relative) ? relative : `${relative}.html`;
}

export async function renderCommand(options: { config: string; out: string }): Promise<number> {
  return withApp(options.config, async (app) => {
    const outputs = new Outputs(app);
    const root = resolve(options.out);
    let count = 0;
    for (const path of await outputs.paths()) {
      const file = await outputs.get(path);
      if (!file) continue;
      const target = join(root, fileForPath(path));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.body);
      count++;
    }
    print(`wrote ${count} files to ${root}`);
    return 0;
  });
}

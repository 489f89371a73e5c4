// Editorial decisions through the CLI on the real pipeline: split survives the next fetch, merge keeps the older id, hide, explain.
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWiredesk, writeTempConfig } from './harness.ts';

interface ListedStory {
  id: string;
  shown: { id: number; title: string; guid?: string };
  alsoReportedBy: { itemId: number; title: string }[];
}

const wire = (extra = '') => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>w</description>
<item><title>Miners trapped after tunnel collapse in northern Chile</title><link>https://wire.example/chile-mine</link><guid>wire-1</guid>
<pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate><description>Rescue teams worked through the night to reach 14 miners trapped 300 metres underground after a tunnel collapsed at a copper mine near Calama, officials said on Tuesday.</description></item>
<item><title>Parliament approves new budget after marathon session</title><link>https://wire.example/budget</link><guid>wire-2</guid>
<pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate><description>Lawmakers approved the 2027 budget by 201 votes to 150 after a 19-hour session.</description></item>${extra}
</channel></rss>`;
const outlet = (summary: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet</title><link>https://outlet.example/</link><description>o</description>
<item><title>Fourteen miners trapped in Chile copper mine collapse</title><link>https://wire.example/chile-mine?utm_source=outlet</link><guid>outlet-9</guid>
<pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate><description>${summary}</description></item></channel></rss>`;

describe('editorial overrides from the command line', () => {
  let temp: ReturnType<typeof writeTempConfig>;
  const cli = (...args: string[]) => runWiredesk([...args, '--config', temp.configPath]);
  const list = async (...extra: string[]) => JSON.parse((await cli('stories', '--json', ...extra)).stdout) as ListedStory[];

  beforeAll(() => {
    temp = writeTempConfig((dir) => {
      writeFileSync(join(dir, 'wire.xml'), wire());
      writeFileSync(join(dir, 'outlet.xml'), outlet('Rescuers were trying to reach 14 miners.'));
      return `database: ${dir}/wiredesk.sqlite\nsources:\n  - { id: wire, path: ${dir}/wire.xml, priority: 10 }\n  - { id: outlet, path: ${dir}/outlet.xml }\n`;
    });
  });
  afterAll(() => rmSync(temp.dir, { recursive: true, force: true }));

  it('groups the copy with the wire story, and a manual split survives the next fetch', async () => {
    expect((await cli('fetch')).code).toBe(0);
    const before = await list();
    expect(before).toHaveLength(2);
    const mine = before.find((s) => s.shown.title.startsWith('Miners trapped'))!;
    expect(mine.alsoReportedBy.map((r) => r.title)).toEqual(['Fourteen miners trapped in Chile copper mine collapse']);

    const split = await cli('stories', 'split', 'outlet-9');
    expect(split.code).toBe(0);
    expect(split.stdout).toMatch(/^split: item \d+ left s_[0-9a-f]+ and is now story s_[0-9a-f]+/);
    expect(await list()).toHaveLength(3);

    // the outlet updates its copy; the next fetch stores the change and keeps the editor's split
    writeFileSync(join(temp.dir, 'outlet.xml'), outlet('Rescuers reached the 14 miners on Wednesday morning.'));
    const later = new Date(Date.now() + 5000);
    utimesSync(join(temp.dir, 'outlet.xml'), later, later);
    const refetch = await cli('fetch', '--all');
    expect(refetch.stdout).toMatch(/outlet\s+ok\s+1\s+0\s+1/);
    const after = await list();
    expect(after).toHaveLength(3);
    expect(after.find((s) => s.id === mine.id)?.alsoReportedBy).toEqual([]);

    const explained = await cli('explain', 'outlet-9');
    expect(explained.stdout).toMatch(/moved to story s_[0-9a-f]+ by an editor \(manual-split\)/);
  }, 60_000);

  it('merges two stories under the older id, hides and unhides', async () => {
    const stories = await list();
    const copy = stories.find((s) => s.shown.guid === 'outlet-9')!;
    const original = stories.find((s) => s.shown.title.startsWith('Miners trapped'))!;
    const merged = await cli('stories', 'merge', copy.id, original.id);
    expect(merged.stdout).toContain(`-> ${original.id}`);
    expect((await list()).find((s) => s.id === original.id)?.alsoReportedBy).toHaveLength(1);

    expect((await cli('stories', 'hide', original.id)).code).toBe(0);
    expect((await list()).map((s) => s.id)).not.toContain(original.id);
    expect((await list('--all')).map((s) => s.id)).toContain(original.id);
    expect((await cli('stories', 'unhide', copy.id)).stdout).toContain(original.id); // the merged-away id still resolves
    expect((await list()).map((s) => s.id)).toContain(original.id);

    const bad = await cli('stories', 'merge', 's_0000000000000000', original.id);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no story s_0000000000000000');
    const explained = await cli('explain', original.id);
    expect(explained.stdout).toMatch(/editor: merge s_[0-9a-f]+/);
    expect(explained.stdout).toMatch(/started story|joined story/);
  }, 60_000);
});

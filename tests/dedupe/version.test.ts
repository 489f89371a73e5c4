// Named cases for wire version parsing: prefixes, "(Adds ...)" notes, kill and withdrawal notices.
import { describe, expect, it } from 'vitest';
import { parseWireVersion } from '../../src/dedupe/version.ts';

describe('parseWireVersion', () => {
  it('refile: UPDATE 2- with an Adds note', () => {
    const parsed = parseWireVersion('UPDATE 2-Norland holds rates, signals June cut', '(Adds governor quotes, paragraphs 3-4) The central bank of Norland kept...');
    expect(parsed).toMatchObject({ headline: 'Norland holds rates, signals June cut', withdrawn: false, version: { kind: 'update', number: 2, note: 'Adds governor quotes, paragraphs 3-4' } });
    expect(parsed.text.startsWith('The central bank')).toBe(true);
  });

  const prefixes: Array<[string, string, string, number | undefined]> = [
    ['REFILE', 'REFILE-Dockworkers walk out', 'refile', undefined],
    ['correction', 'CORRECTED-Dockworkers walk out', 'correction', undefined],
    ['repeat', 'RPT-Dockworkers walk out', 'repeat', undefined],
    ['wrapup', 'WRAPUP 3-Dockworkers walk out', 'wrapup', 3],
    ['exclusive', 'EXCLUSIVE-Dockworkers walk out', 'exclusive', undefined],
    ['breakingviews', 'BREAKINGVIEWS-Dockworkers walk out', 'breakingviews', undefined],
    ['chained RPT-UPDATE', 'RPT-UPDATE 1-Dockworkers walk out', 'update', 1],
    ['chained REFILE-CORRECTED', 'REFILE-CORRECTED-Dockworkers walk out', 'correction', undefined],
  ];
  for (const [name, title, kind, number] of prefixes) {
    it(`prefix ${name}`, () => {
      const parsed = parseWireVersion(title);
      expect(parsed.headline).toBe('Dockworkers walk out');
      expect(parsed.version?.kind).toBe(kind);
      expect(parsed.version?.number).toBe(number);
      expect(parsed.withdrawn).toBe(false);
    });
  }

  it('kill notice by prefix', () => {
    const parsed = parseWireVersion('KILL-Dockworkers walk out', 'Please kill the story headlined "Dockworkers walk out". It is withdrawn. No replacement story will be issued.');
    expect(parsed).toMatchObject({ headline: 'Dockworkers walk out', withdrawn: true, version: { kind: 'kill' } });
  });

  it('withdrawal notice by prefix', () => {
    expect(parseWireVersion('WITHDRAWN-Dockworkers walk out')).toMatchObject({ withdrawn: true, version: { kind: 'withdrawn' } });
  });

  it('CORRECTION- that withdraws the story', () => {
    const parsed = parseWireVersion('CORRECTION-Dockworkers walk out', 'The story headlined "Dockworkers walk out" has been withdrawn. The strike was called off on Sunday.');
    expect(parsed.withdrawn).toBe(true);
  });

  it('the same guid marked withdrawn by the feed', () => {
    expect(parseWireVersion('Dockworkers walk out', 'text', true).withdrawn).toBe(true);
  });

  it('ordinary news about a withdrawn offer is not a kill notice', () => {
    const parsed = parseWireVersion('Brightwater drops bid for Copperline', 'Brightwater Mining said its offer for Copperline has been withdrawn after shareholders rejected it. The bid was withdrawn on Friday.');
    expect(parsed.withdrawn).toBe(false);
    expect(parsed.version).toBeUndefined();
  });

  it('a headline without a prefix is unchanged', () => {
    expect(parseWireVersion('Update on the port strike: talks resume')).toMatchObject({ headline: 'Update on the port strike: talks resume', withdrawn: false });
  });
});

// Date forms seen in feeds: RFC 822 and variants, RFC 3339/ISO 8601, and broken ones; unparsable ones are undefined.
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/parse/dates.ts';

const TABLE: Array<[string, string | undefined]> = [
  ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
  ['Thu, 01 Jan 2004 19:48:21 +0000', '2004-01-01T19:48:21.000Z'],
  ['Sun, 4 Jan 2004 16:29 -0500', '2004-01-04T21:29:00.000Z'],
  ['Wed, 02 Oct 2002 08:00:00 EST', '2002-10-02T13:00:00.000Z'],
  ['Wed, 02 Oct 2002 08:00:00 PDT', '2002-10-02T15:00:00.000Z'],
  ['01 Jan 04 19:48 EST', '2004-01-02T00:48:00.000Z'],
  ['Thu, 01 January 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
  ['Thu,01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
  ['Mon, 25 Nov 2026 22:00:00 +05:30', '2026-11-25T16:30:00.000Z'],
  ['Thu, 01 Jan 2004 19:48:21', '2004-01-01T19:48:21.000Z'],
  ['2003-12-31T10:14:55Z', '2003-12-31T10:14:55.000Z'],
  ['2003-12-31T10:14:55.123-08:00', '2003-12-31T18:14:55.123Z'],
  ['2003-12-31T10:14:55+0100', '2003-12-31T09:14:55.000Z'],
  ['2003-12-31 10:14:55', '2003-12-31T10:14:55.000Z'],
  ['2004-07-08 23:56:58.0', '2004-07-08T23:56:58.000Z'],
  ['20040105T12:00:00Z', '2004-01-05T12:00:00.000Z'],
  ['2003-12-31', '2003-12-31T00:00:00.000Z'],
  ['2003-12', '2003-12-01T00:00:00.000Z'],
  ['2003-12-31T10:14Z', '2003-12-31T10:14:00.000Z'],
  ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06.000Z'],
  ['January 5, 2004 10:00 PM EST', '2004-01-06T03:00:00.000Z'],
  ['Tue, 30 Feb 2004 10:00:00 GMT', undefined],
  ['2004-13-01T00:00:00Z', undefined],
  ['Thu, 01 Jan 2004 19:48:21 XYZ', undefined],
  ['not a date', undefined],
  ['', undefined],
];

describe('parseDate', () => {
  for (const [input, expected] of TABLE) {
    it(JSON.stringify(input), () => expect(parseDate(input)).toBe(expected));
  }
  it('treats undefined as missing', () => expect(parseDate(undefined)).toBeUndefined());
});

// Coded errors of the parse stage: an unknown format or a document nothing can be recovered from.

export type ParseErrorCode = 'PARSE_UNKNOWN_FORMAT' | 'PARSE_MALFORMED';

/** Thrown by parseFeed when the input is not a feed we can read; `stage` is always "parse". */
export class ParseError extends Error {
  readonly code: ParseErrorCode;
  readonly stage = 'parse' as const;

  constructor(code: ParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParseError';
    this.code = code;
  }
}

// Coded errors of the store stage.

export type StoreErrorCode =
  | 'STORE_OPEN'
  | 'STORE_TOO_NEW'
  | 'STORE_MIGRATION_FAILED'
  | 'STORE_WRITE_FAILED'
  | 'STORE_NOT_FOUND';

export class StoreError extends Error {
  readonly stage = 'store';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

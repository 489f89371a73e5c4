// The SQLite backend of the Store interface, on better-sqlite3 12 (synchronous calls behind the asynchronous interface).
import type Database from 'better-sqlite3';
import type { FetchAttempt, SourceState } from '../../model/fetch.ts';
import type { PreparedItem, StoryResolver, TagAssignment } from '../../model/story.ts';
import { StoreError } from '../errors.ts';
import type { IngestOptions, PurgeOptions, RelatedCandidateQuery, RelatedDoc, RelatedPick, RelatedScope, SourceRecord, Store, StoryQuery, SubjectModel } from '../types.ts';
import { createItemTable } from './items.ts';
import { createRelatedTable } from './related.ts';
import { createSubjectTables } from './subjects.ts';
import { applyMigrations, openDatabase, readSchemaVersion } from './migrate.ts';
import { createRetention } from './retention.ts';
import { createRetagTable } from './retag.ts';
import { createOverrideTable } from './overrides.ts';
import { createSourceTable } from './sources.ts';
import { createStoryTable } from './stories.ts';

/** Wraps a write so that disk-full and I/O errors reach the caller as one coded error; the transaction has rolled back. */
function guardWrite<T>(what: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('STORE_WRITE_FAILED', `${what} failed and was rolled back: ${(error as Error).message}`, { cause: error });
  }
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly sources;
  private readonly items;
  private readonly stories;
  private readonly retention;
  private readonly retag;
  private readonly overrides;
  private readonly related;
  private readonly subjects;

  private readonly checkpointTimer: NodeJS.Timeout | undefined;

  /** Opens (creating if needed) the database at `path` and applies pending migrations. */
  constructor(readonly path: string) {
    this.db = openDatabase(path);
    if (path !== ':memory:') {
      // Checkpoint the WAL off the write path: an automatic checkpoint inside COMMIT made a batch's commit cost
      // 2.6x more (bench). A passive checkpoint every few seconds never blocks writers; the raised auto limit stays a backstop.
      this.db.pragma('wal_autocheckpoint = 10000');
      this.checkpointTimer = setInterval(() => {
        try {
          if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // busy or closing: the next tick (or the close) checkpoints
        }
      }, 5000).unref();
    }
    try {
      applyMigrations(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.sources = createSourceTable(this.db);
    this.items = createItemTable(this.db);
    this.stories = createStoryTable(this.db);
    this.related = createRelatedTable(this.db);
    this.subjects = createSubjectTables(this.db);
    this.retention = createRetention(this.db);
    this.retag = createRetagTable(this.db);
    this.overrides = createOverrideTable(this.db);
  }

  async mergeStories(a: string, b: string, now: Date): Promise<string> {
    return guardWrite(`merging ${a} and ${b}`, () => this.overrides.merge(a, b, now.toISOString()));
  }

  async splitItem(itemId: number, now: Date): Promise<string> {
    return guardWrite(`splitting item ${itemId}`, () => this.overrides.split(itemId, now.toISOString()));
  }

  async setStoryHidden(storyId: string, hidden: boolean, now: Date): Promise<string> {
    return guardWrite(`${hidden ? 'hiding' : 'unhiding'} ${storyId}`, () => this.overrides.setHidden(storyId, hidden, now.toISOString()));
  }

  async storyOverrides(storyId: string) {
    return this.overrides.history(storyId).map((row) => ({
      kind: row.kind,
      storyId: row.story_id,
      otherId: row.other_id ?? undefined,
      itemId: row.item_id ?? undefined,
      decidedAt: row.decided_at,
    }));
  }

  async itemsForRetag(query: { since?: string; afterId: number; limit: number }) {
    return this.retag.page(query);
  }

  async countItemsSince(since?: string) {
    return this.retag.count(since);
  }

  async replaceItemTags(batch: readonly { itemId: number; tags: readonly TagAssignment[] }[], now: Date) {
    return guardWrite(`re-tagging ${batch.length} items`, () => this.retag.replace(batch, now));
  }

  async purgeBatch(options: PurgeOptions): Promise<string[]> {
    return guardWrite('purging old stories', () => this.retention.purgeBatch(options));
  }

  async backupTo(path: string): Promise<void> {
    try {
      this.retention.backupTo(path);
    } catch (error) {
      throw new StoreError('STORE_WRITE_FAILED', `backup to ${path} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async setSizeLimit(bytes: number | undefined): Promise<void> {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    // SQLite's own maximum when uncapped; never below the pages already used (that would only fail every write)
    const pages = bytes === undefined ? 4_294_967_294 : Math.max(1, Math.floor(bytes / pageSize));
    this.db.pragma(`max_page_count = ${pages}`);
  }

  async schemaVersion(): Promise<number> {
    return readSchemaVersion(this.db);
  }

  async close(): Promise<void> {
    clearInterval(this.checkpointTimer);
    if (this.db.open) this.db.close();
  }

  async syncSources(sources: readonly SourceRecord[]): Promise<void> {
    guardWrite('syncing sources', () => this.sources.syncSources(sources));
  }

  async sourceStatuses() {
    return this.sources.statuses();
  }

  async getSourceState(sourceId: string) {
    return this.sources.getState(sourceId);
  }

  async updateSourceState(sourceId: string, patch: Partial<Omit<SourceState, 'sourceId'>>): Promise<void> {
    guardWrite(`updating source ${sourceId}`, () => this.sources.updateState(sourceId, patch));
  }

  async recordFetch(attempt: FetchAttempt): Promise<void> {
    guardWrite(`recording a fetch of ${attempt.sourceId}`, () => this.sources.recordAttempt(attempt));
  }

  async countPublishedSince(sourceId: string, since: Date, until: Date): Promise<number> {
    return this.sources.countPublishedSince(sourceId, since, until);
  }

  async recordFetchOutcome(attempt: FetchAttempt, patch: Partial<Omit<SourceState, 'sourceId'>>): Promise<void> {
    guardWrite(`recording a fetch of ${attempt.sourceId}`, () =>
      this.db.transaction(() => {
        this.sources.recordAttempt(attempt);
        this.sources.updateState(attempt.sourceId, patch);
      })(),
    );
  }

  async dueSources(now: Date): Promise<string[]> {
    return this.sources.dueSources(now);
  }

  async knownContentHashes(sourceId: string, identities: readonly string[]) {
    return this.items.knownContentHashes(sourceId, identities);
  }

  async ingestBatch(sourceId: string, items: readonly PreparedItem[], resolver: StoryResolver, options: IngestOptions) {
    return guardWrite(`storing ${items.length} items of ${sourceId}`, () => this.items.ingest(sourceId, items, resolver, options));
  }

  async queryStories(query: StoryQuery) {
    return this.stories.query(query);
  }

  async getStory(storyId: string) {
    // a merged-away id still finds its story
    return this.stories.get(this.overrides.resolveStoryId(storyId) ?? storyId);
  }

  async listTags(type?: string) {
    return this.stories.listTags(type);
  }

  async findItem(ref: string) {
    return this.stories.findItem(ref);
  }

  async getDecision(itemId: number) {
    return this.stories.decision(itemId);
  }

  async itemTagOrigins(itemId: number) {
    return this.stories.itemTagOrigins(itemId);
  }

  async changeVersion(): Promise<string> {
    return String((this.db.prepare('SELECT seq FROM store_changes WHERE id = 1').get() as { seq: number }).seq);
  }

  async lastChange() {
    return this.stories.lastChange();
  }

  async counts() {
    const count = (table: string) => (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { sources: count('sources WHERE is_active = 1'), items: count('items'), stories: count('stories') };
  }

  async indexStories(docs: readonly RelatedDoc[]): Promise<void> {
    guardWrite(`indexing ${docs.length} stories for related posts`, () => this.related.index(docs));
  }

  async relatedCandidates(storyId: string, query: RelatedCandidateQuery) {
    return this.related.candidates(storyId, query);
  }

  async saveRelatedLists(lists: ReadonlyMap<string, readonly RelatedPick[]>): Promise<void> {
    if (lists.size > 0) guardWrite(`saving related posts of ${lists.size} stories`, () => this.related.save(lists));
  }

  async saveRelated(storyId: string, picks: readonly RelatedPick[]): Promise<void> {
    guardWrite(`saving related posts of ${storyId}`, () => this.related.save(new Map([[storyId, picks]])));
  }

  async getRelated(storyIds: readonly string[], options?: { limit?: number; scope?: RelatedScope }) {
    return this.related.get(storyIds, options);
  }

  async subjectModelInfo() {
    return this.subjects.info();
  }

  async loadSubjectModel() {
    return this.subjects.load();
  }

  async saveSubjectModel(model: SubjectModel, vectors: ReadonlyMap<string, Float32Array>): Promise<void> {
    guardWrite(`saving the subject space (${model.terms.size} words, ${vectors.size} stories)`, () => this.subjects.save(model, vectors));
  }

  async subjectSample(limit: number) {
    return this.subjects.sample(limit);
  }

  async saveSubjectVectors(version: number, vectors: ReadonlyMap<string, Float32Array>): Promise<boolean> {
    return guardWrite(`saving subject vectors of ${vectors.size} stories`, () => this.subjects.saveVectors(version, vectors));
  }

  async staleSubjects(version: number, limit: number, before?: number) {
    return this.subjects.stale(version, limit, before);
  }
}

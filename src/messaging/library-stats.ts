import type { AppError } from './errors';

/**
 * The library's figures as the worker reports them to the options page (message `libraryStats`):
 * shapes of the protocol, so the screens need nothing from the worker's own modules.
 */
export interface PruneRecord {
  at: string;
  removed: number;
  reason: 'storage-full' | 'retention';
  /** How many of the removed articles were reading history (the options page says so). */
  history: number;
}

/**
 * The disk is full (RELIABILITY row 12; issue 9, finding 6): an episode runs from the first write
 * refused for lack of space until a write succeeds again. Kept in the library's meta store, since
 * the worker that meets the next failure is usually a fresh one.
 */
export interface StorageStatus {
  /** When the episode began (ISO). */
  since: string;
  /** The last refused write (ISO) and its error (storageFull, with how many articles were refused). */
  lastFailureAt: string;
  error: AppError;
  /** Writes refused in this episode. */
  failures: number;
  /** Evictions in this episode: one, then another only after a backoff (EVICTION_BACKOFF_MS, doubling). */
  evictions: number;
  lastEvictionAt: string | null;
}

export interface LibraryStats {
  total: number;
  byKind: Record<string, number>;
  /** The last time articles were pruned for space or age, and how many. */
  lastPrune: PruneRecord | null;
  /** Null while writes succeed; what went wrong while the disk is full. */
  storage: StorageStatus | null;
  indexSavedAt: string | null;
  /** The last save of the index the disk had no room for (ISO), while none has succeeded since; absent or null: none. */
  indexSaveRefusedAt?: string | null;
  /** How the index came up when the worker last started: revived from its snapshot, or rebuilt. */
  startup: 'revived' | 'rebuilt' | null;
  /** Articles replayed into the snapshot when the worker last started (changed since it was saved). */
  replayed?: number;
  /** How long the last snapshot write took in this worker (ms), null when none was written yet. */
  indexSaveMs?: number | null;
  /**
   * Where the worker's start went (ms): boot (the worker's code loading, from its start to the
   * library's), open (opening the database, the small records and the seeds, while the saved index
   * is already being read), read (the rest of the wait for the saved index and the journal; the
   * article count is read after the first answer), parse (checking the snapshot), index (replay, or a rebuild).
   */
  startupMs?: { boot?: number; open?: number; read: number; parse: number; index: number } | null;
}

import { CodedError, type AppError } from './errors';

/**
 * Import and export of the library as the options page sees them (messages `importBegin`,
 * `importChunk`, `importStatus`, `exportLibrary`). The import runs in the worker: the page only
 * reads the file and hands its lines over in chunks, so closing the tab does not stop it, and a
 * worker stopped mid-import picks it up again where its stored progress says (issue 13).
 */

/**
 * Characters of JSONL per `importChunk` message. Chrome refuses messages over 64 MiB and copies
 * each one twice (JSON, then structured clone); 1 M characters (about 4,500 corpus lines) keeps every
 * message small and the progress fine-grained, at 12 messages for the 54k-article corpus.
 */
export const IMPORT_CHUNK_CHARS = 1_000_000;
/**
 * The longest article line an import reads (a shared/data line is under 3,000 characters; a title
 * and description are capped at 2,500 anyway). The options page sends a longer line cut to one
 * character over, so the worker reports that line and a chunk stays near IMPORT_CHUNK_CHARS.
 */
export const MAX_IMPORT_LINE_CHARS = 100_000;
/** What the worker accepts in one chunk: the page's size plus a long last line. */
export const MAX_IMPORT_CHUNK_CHARS = 4 * IMPORT_CHUNK_CHARS;
/** Chunks in one import at most: 10 GB of text is no library. */
export const MAX_IMPORT_CHUNKS = 10_000;
/**
 * The most text an import reads, once unzipped: 100 MB is some 300,000 articles of the dev data's
 * size, three times what the library keeps by default. A small .gz that unzips to gigabytes (a zip
 * bomb) stops here with a clear message, not when the tab runs out of memory.
 */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

/** A file's bytes (a .gz file's through gunzip) as UTF-8 text; CodedError importTooLarge past `max` bytes. */
export async function readImportText(stream: ReadableStream<Uint8Array>, max = MAX_IMPORT_BYTES): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > max) {
      await reader.cancel().catch(() => undefined);
      const limit = Math.round(max / 1048576);
      throw new CodedError({ code: 'importTooLarge', limit }, `the file is larger than ${limit} MB unzipped`);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** Bad lines reported by number; the rest are only counted. */
export const MAX_REPORTED_BAD_LINES = 10;

export interface ImportBadLine {
  /** 1-based line number in the file. */
  line: number;
  /** What is wrong with it (lineNotJson, lineNeedsText with the field, ...). */
  error: AppError;
}

export interface ImportStatus {
  jobId: string;
  /** receiving: the page is still handing the file over; running: the worker is storing it. */
  state: 'receiving' | 'running' | 'done' | 'failed';
  /** Non-empty lines in the file: the articles it offers, bad lines included. */
  total: number;
  /** Lines stored or skipped so far. */
  done: number;
  /** Articles stored (good lines). */
  added: number;
  /**
   * Of those: new to the library, stored again with other content, and already there unchanged or
   * repeated in the file (one record per address). Absent in a job stored before they were counted.
   */
  created?: number;
  updated?: number;
  merged?: number;
  /** Lines that were not articles. */
  skipped: number;
  /** The first MAX_REPORTED_BAD_LINES bad lines, by number, with the reason. */
  bad: ImportBadLine[];
  /** Why a failed import stopped (storageFull, importAbandoned, ...); null otherwise. */
  error: AppError | null;
  startedAt: string;
  finishedAt: string | null;
}

/** One page of the library's export: JSONL lines, and where the next page starts (null: the end). */
export interface ExportPage {
  text: string;
  next: string | null;
}

import { IMPORT_CHUNK_CHARS, MAX_IMPORT_LINE_CHARS } from '../../messaging/library-io';

export interface ImportChunk {
  /** 1-based number of the chunk's first line in the file (bad lines are reported by it). */
  firstLine: number;
  text: string;
}

/**
 * A JSONL file cut into chunks of whole lines of about `maxChars` each, for `importChunk` messages,
 * and its non-empty line count (the progress bar's total). The page parses nothing: the worker
 * reads every line. A line over MAX_IMPORT_LINE_CHARS goes cut to one character over that, for
 * the worker to report as too long: whole, one such line could make a chunk the worker refuses,
 * and the good lines around it would go with it.
 */
export function chunkLines(text: string, maxChars = IMPORT_CHUNK_CHARS): { total: number; chunks: ImportChunk[] } {
  const lines = text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => (line.length > MAX_IMPORT_LINE_CHARS ? line.slice(0, MAX_IMPORT_LINE_CHARS + 1) : line));
  const chunks: ImportChunk[] = [];
  let total = 0;
  let start = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim()) total++;
    size += lines[i].length + 1;
    if (size >= maxChars || i === lines.length - 1) {
      chunks.push({ firstLine: start + 1, text: lines.slice(start, i + 1).join('\n') });
      start = i + 1;
      size = 0;
    }
  }
  return { total, chunks: total === 0 ? [] : chunks };
}

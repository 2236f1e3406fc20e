import { describe, expect, it } from 'vitest';
import { CodedError } from '../../src/messaging/errors';
import { readImportText } from '../../src/messaging/library-io';
import { readFileText } from '../../src/ui/options/api';

const gzip = async (text: string) => new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());

/** A stream of the bytes in pieces of `size`, as a file or gunzip hands them over. */
function pieces(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

describe('reading an import file (attack review, helper-30: a zip bomb)', () => {
  it('stops a .gz that unzips past the limit, with importTooLarge, before reading it all', async () => {
    const bomb = await gzip('\n'.repeat(8 * 1048576));
    expect(bomb.length).toBeLessThan(20_000);
    let read = 0;
    const counted = new Blob([bomb])
      .stream()
      .pipeThrough(new DecompressionStream('gzip'))
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            read += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
    const error = await readImportText(counted, 1048576).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).info).toEqual({ code: 'importTooLarge', limit: 1 });
    expect(read).toBeLessThan(4 * 1048576);
  });

  it('reads UTF-8 split anywhere across pieces, and drops a leading BOM', async () => {
    const text = '{"title":"Zürich ✓ 東京"}\n{"title":"😀"}\n';
    const bytes = new TextEncoder().encode(`\ufeff${text}`);
    expect(await readImportText(pieces(bytes, 1))).toBe(text);
    expect(await readImportText(pieces(bytes, 1), bytes.length)).toBe(text);
    await expect(readImportText(pieces(bytes, 1), bytes.length - 1)).rejects.toThrow(CodedError);
  });

  it('reads a picked .jsonl or .jsonl.gz file through the same limit', async () => {
    const line = '{"title":"A","source":"B"}\n';
    expect(await readFileText(new File([line], 'lib.jsonl'))).toBe(line);
    expect(await readFileText(new File([await gzip(line)], 'lib.jsonl.gz'))).toBe(line);
    const bomb = new File([await gzip('\n'.repeat(2 * 1048576))], 'lib.jsonl.gz');
    await expect(readFileText(bomb, 1048576)).rejects.toMatchObject({ info: { code: 'importTooLarge', limit: 1 } });
    await expect(readFileText(new File(['x'.repeat(1048577)], 'lib.jsonl'), 1048576)).rejects.toMatchObject({ info: { code: 'importTooLarge' } });
  });
});

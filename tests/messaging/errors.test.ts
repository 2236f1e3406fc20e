import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appError, CodedError, ERROR_CODES, parseAppError, parseOptionalError, toAppError, type AppError, type ErrorCode } from '../../src/messaging/errors';

const LOCALES = join(__dirname, '../../src/public/_locales');
const codes = Object.keys(ERROR_CODES) as ErrorCode[];

/** A sample of each code with every parameter set (numbers for numbers, text for text). */
function sample(code: ErrorCode, i: number): AppError {
  const out: Record<string, unknown> = { code };
  for (const name of ERROR_CODES[code]) out[name] = ['host', 'field', 'element', 'detail'].includes(name) ? `${name}-${i}` : 400 + i;
  return out as AppError;
}

describe('error codes across the boundary (issue 11)', () => {
  it('every code, with its parameters, round-trips through JSON and validation unchanged', () => {
    for (const [i, code] of codes.entries()) {
      const error = sample(code, i);
      expect(parseAppError(JSON.parse(JSON.stringify(error))), code).toEqual(error);
    }
  });

  it('drops parameters a code does not take, and refuses a missing or mistyped one', () => {
    expect(parseAppError({ code: 'httpStatus', status: 404, detail: 'extra', __proto__x: 1 })).toEqual({ code: 'httpStatus', status: 404 });
    expect(parseAppError({ code: 'httpStatus' })).toEqual({ code: 'unknown' });
    expect(parseAppError({ code: 'httpStatus', status: '404' })).toEqual({ code: 'unknown' });
    expect(parseAppError({ code: 'httpStatus', status: Number.NaN })).toEqual({ code: 'unknown' });
    expect(parseAppError({ code: 'feedNeedsPermission', host: 7 })).toEqual({ code: 'unknown' });
  });

  it('an unknown code, or no object at all, is `unknown`; toString and constructor are no codes', () => {
    for (const raw of [{ code: 'fromTheFuture' }, { code: 'toString' }, { code: 'constructor' }, 42, null, undefined, [], { status: 404 }]) {
      expect(parseAppError(raw)).toEqual({ code: 'unknown' });
    }
  });

  it('a sentence stored by an earlier version is kept, as `earlier`, with control characters out and its length capped', () => {
    expect(parseAppError('HTTP 404')).toEqual({ code: 'earlier', detail: 'HTTP 404' });
    expect(parseAppError('a\u202eb\nc')).toEqual({ code: 'earlier', detail: 'a b c' });
    expect((parseAppError('x'.repeat(5000)) as { detail: string }).detail).toHaveLength(300);
    expect(parseOptionalError(null)).toBeNull();
    expect(parseOptionalError(undefined)).toBeNull();
  });

  it('a thrown CodedError keeps its code; any other error becomes `internal` with its message', () => {
    expect(toAppError(new CodedError(appError('fetchTimeout', { seconds: 20 }), 'timed out after 20 s'))).toEqual({ code: 'fetchTimeout', seconds: 20 });
    expect(toAppError(new Error('disk on fire'))).toEqual({ code: 'internal', detail: 'disk on fire' });
    expect(toAppError('plain')).toEqual({ code: 'internal', detail: 'plain' });
  });
});

describe('every code has a message in each locale', () => {
  const locales = readdirSync(LOCALES);

  it('finds the locales', () => {
    expect(locales).toContain('en');
  });

  it.each(locales)('%s: error_<code> for each code, its placeholders the code’s parameters in order', (locale) => {
    const catalogue = JSON.parse(readFileSync(join(LOCALES, locale, 'messages.json'), 'utf8')) as Record<
      string,
      { message: string; placeholders?: Record<string, { content: string }> }
    >;
    for (const code of codes) {
      const entry = catalogue[`error_${code}`];
      expect(entry?.message, `${locale}: error_${code}`).toBeTruthy();
      const placeholders = Object.entries(entry.placeholders ?? {}).map(([name, { content }]) => [name, content]);
      expect(placeholders, `${locale}: error_${code}`).toEqual(ERROR_CODES[code].map((name, i) => [name, `$${i + 1}`]));
      // Each placeholder is used in the sentence, and the sentence uses no other.
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase());
      expect(new Set(used), `${locale}: error_${code}`).toEqual(new Set(ERROR_CODES[code]));
    }
  });
});

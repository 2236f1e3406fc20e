/**
 * Errors as they cross from the worker to a screen (issue 11, item 4): a code and its parameters,
 * never an English sentence. The screens turn them into words from _locales (`error_<code>`, whose
 * placeholders take the parameters in the order listed here: src/ui/errors.ts). The worker's own
 * Error messages (logs, Node tools) may stay English; what a person reads is localised.
 */

/** How a parameter is checked at the boundary: a finite number >= 0, or a short text. */
const PARAM_KINDS = {
  status: 'number',
  count: 'number',
  line: 'number',
  part: 'number',
  seconds: 'number',
  size: 'number',
  limit: 'number',
  host: 'text',
  field: 'text',
  element: 'text',
  detail: 'text',
} as const;

type ParamName = keyof typeof PARAM_KINDS;
type ParamValue<P extends ParamName> = (typeof PARAM_KINDS)[P] extends 'number' ? number : string;

/** Longest text parameter kept (a parser's message, a host name). */
export const MAX_ERROR_TEXT = 300;

/** Every code and its parameters, in the order of its message's placeholders ($1, $2, ...). */
export const ERROR_CODES = {
  /** Something the worker did not expect (a bug, a database failure): its own message as detail. */
  internal: ['detail'],
  /** Unreadable or unknown (a code from a newer version, a mangled record). */
  unknown: [],
  /** Stored as a sentence by an earlier version (before codes): kept and shown as it was. */
  earlier: ['detail'],
  /** The worker did not answer (stopped, restarting, or an answer with no reply). */
  workerSilent: [],
  /** Following a story or hiding a result in a private window: nothing from one is kept. */
  privateWindow: [],
  /** A message the worker refused: the validator's reason. */
  badRequest: ['detail'],
  /** The disk is full (RELIABILITY row 12): `count` articles could not be stored. */
  storageFull: ['count'],

  // Following and refreshing feeds (background/feeds.ts, corpus/feeds/fetch.ts).
  feedNotWebAddress: [],
  feedPrivateUnconfirmed: ['host'],
  feedPrivateRefused: ['host'],
  feedPageHasNoFeed: [],
  feedPageFeedPrivate: ['host'],
  feedNotFollowed: [],
  feedNeedsPermission: ['host'],
  feedRefreshFailed: ['detail'],
  fetchNotWebAddress: [],
  fetchPrivate: ['host'],
  fetchRedirectPrivate: ['host'],
  fetchRedirectNotWeb: [],
  fetchRedirectNoAddress: ['status'],
  fetchTooManyRedirects: ['count'],
  httpStatus: ['status'],
  fetchTooLarge: ['size', 'limit'],
  fetchOverLimit: ['limit'],
  fetchTimeout: ['seconds'],
  fetchConnectFailed: ['detail'],

  // Reading a feed's body (corpus/feeds/parse.ts, read.ts).
  feedIsHtml: [],
  feedNotXmlOrJson: [],
  feedEmpty: [],
  feedUnreadable: ['detail'],
  feedUndecodable: ['detail'],
  feedEntities: [],
  feedMalformedXmlAt: ['line', 'detail'],
  feedMalformedXml: ['detail'],
  feedWrongRoot: ['element'],
  feedNoElements: [],
  feedMalformedJson: [],
  feedJsonNoVersion: [],
  feedTooDeep: ['count'],
  feedTooComplex: ['count'],

  // OPML files (corpus/feeds/opml.ts).
  opmlTooLarge: ['limit'],
  opmlEntities: [],
  opmlNotXml: ['detail'],
  opmlNoBody: [],
  opmlNoFeeds: [],

  // The JSONL import (background/import-job.ts) and its lines (corpus/jsonl.ts).
  importAbandoned: [],
  importBusy: [],
  importUnknown: [],
  importTooLarge: ['limit'],
  importOverCap: ['count', 'limit'],
  importOutOfOrder: ['part'],
  importPartLost: ['part'],
  lineNotJson: [],
  lineTooLong: ['limit'],
  lineNotObject: [],
  lineNeedsText: ['field'],
  lineNeedsString: ['field'],
  lineNeedsDate: ['field'],
} as const satisfies Record<string, readonly ParamName[]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One error as it crosses a boundary: `{ code: 'httpStatus', status: 404 }`. */
export type AppError = {
  [C in ErrorCode]: { code: C } & { [P in (typeof ERROR_CODES)[C][number]]: ParamValue<P> };
}[ErrorCode];

/** The parameters a code takes, typed (`appError('httpStatus', { status: 404 })`). */
export type ErrorParams<C extends ErrorCode> = { [P in (typeof ERROR_CODES)[C][number]]: ParamValue<P> };

export function appError<C extends ErrorCode>(code: C, ...params: keyof ErrorParams<C> extends never ? [] : [ErrorParams<C>]): AppError {
  return { code, ...params[0] } as AppError;
}

/**
 * An Error that carries its code across the boundary: the worker's handlers throw it, the message
 * listener answers with its `info`, the screens' `send` throws it again with the checked info.
 * `message` is for logs and Node tools (English); screens show `info` in the person's language.
 */
export class CodedError extends Error {
  constructor(
    readonly info: AppError,
    message: string = [info.code, ...errorParams(info)].join(': '),
  ) {
    super(message);
    this.name = 'CodedError';
  }
}

function cleanParam(value: unknown, kind: 'number' | 'text'): number | string | null {
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  // Control and bidi-override characters out, the length capped: it is shown as text.
  return value.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').slice(0, MAX_ERROR_TEXT);
}

/**
 * An error read at a boundary (a reply, a stored feed or import record), checked: a known code
 * with all its parameters of the right kind comes out as it went in (and nothing else); a string
 * (an earlier version stored sentences) becomes `earlier` with the sentence kept; anything else
 * is `unknown`. Never throws.
 */
export function parseAppError(raw: unknown): AppError {
  if (typeof raw === 'string') return { code: 'earlier', detail: cleanParam(raw, 'text') as string };
  if (!raw || typeof raw !== 'object') return { code: 'unknown' };
  const { code } = raw as { code?: unknown };
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_CODES, code)) return { code: 'unknown' };
  const out: Record<string, unknown> = { code };
  for (const name of ERROR_CODES[code as ErrorCode] as readonly ParamName[]) {
    const value = cleanParam((raw as Record<string, unknown>)[name], PARAM_KINDS[name]);
    if (value === null) return { code: 'unknown' };
    out[name] = value;
  }
  return out as AppError;
}

/** A stored error that may be absent: null and undefined stay null. */
export function parseOptionalError(raw: unknown): AppError | null {
  return raw === null || raw === undefined ? null : parseAppError(raw);
}

/** What a thrown value becomes in a reply: its code when it has one, else `internal` with its message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof CodedError) return error.info;
  return { code: 'internal', detail: cleanParam(error instanceof Error ? error.message : String(error), 'text') as string };
}

/** The parameters of an error in its message's placeholder order (for the screens' t()). */
export function errorParams(error: AppError): (string | number)[] {
  return (ERROR_CODES[error.code] as readonly ParamName[]).map((name) => (error as unknown as Record<string, string | number>)[name]);
}

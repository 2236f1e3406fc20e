import { CodedError, errorParams, parseAppError, toAppError, type AppError, type ErrorCode } from '../messaging/errors';
import { t, type MessageKey } from './i18n';

/** Every code's message key; the type check fails when a code has no message in the English catalogue. */
export function errorKey(code: ErrorCode): MessageKey {
  const key: `error_${ErrorCode}` = `error_${code}`;
  return key satisfies MessageKey;
}

/**
 * An error in the person's language (issue 11): a code from the worker (a CodedError thrown by
 * `send`, a feed's or import's stored error) with its parameters, or any other thrown Error as
 * `internal` with its message. Checked again here: a mangled or older value still reads sensibly.
 */
export function errorText(error: unknown): string {
  const info: AppError = error instanceof CodedError ? error.info : error instanceof Error ? toAppError(error) : parseAppError(error);
  return t(errorKey(info.code), ...errorParams(info));
}

/**
 * Root of every error the SDK throws, so callers can tell SDK failures apart with one
 * `instanceof BaseError` and read `shortMessage` without the details appended to `message`.
 */
export class BaseError extends Error {
  override name = "ExchangeSdkError";
  /** One line saying what went wrong. */
  readonly shortMessage: string;
  /** Optional extra lines (values involved, hints). */
  readonly details: readonly string[];

  constructor(shortMessage: string, options: { cause?: unknown; details?: readonly string[] } = {}) {
    const details = options.details ?? [];
    super([shortMessage, ...details].join("\n"), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

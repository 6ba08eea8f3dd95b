import { BaseError } from "./base.ts";

/** A write was asked of a client without an account, and none was passed. */
export class AccountRequiredError extends BaseError {
  override name = "AccountRequiredError";
  constructor(action: string) {
    super(`${action} needs an account: set one on the client or pass \`account\``);
  }
}

/** An order needs either `tick` and `lots`, or `price` and `size`, and got neither pair. */
export class OrderInputError extends BaseError {
  override name = "OrderInputError";
  constructor(reason: string) {
    super(`invalid order input: ${reason}`);
  }
}

/** `repay` with "all" for an account that owes nothing in the token. */
export class NothingToRepayError extends BaseError {
  override name = "NothingToRepayError";
  readonly token: `0x${string}`;
  readonly owner: `0x${string}`;
  readonly sub: bigint;
  constructor(token: `0x${string}`, owner: `0x${string}`, sub: bigint) {
    super(`account ${owner}/${sub} owes no ${token}`);
    this.token = token;
    this.owner = owner;
    this.sub = sub;
  }
}

/** A parameter is missing or inconsistent with the others. */
export class InvalidParameterError extends BaseError {
  override name = "InvalidParameterError";
  constructor(reason: string) {
    super(`invalid parameters: ${reason}`);
  }
}

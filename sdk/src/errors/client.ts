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

import type { Address } from "viem";
import { BaseError } from "./base.ts";

/**
 * A what-if view or liquidation preview asked about a token the Atlas snapshot holds no data
 * (or no pool state) for.
 */
export class AtlasTokenMissingError extends BaseError {
  override name = "AtlasTokenMissingError";
  readonly token: Address;
  constructor(token: Address) {
    super(`the Atlas snapshot has no data for token ${token}`, {
      details: ["Read the snapshot with `tokens: [token]`: it then holds the token and its pool's state."],
    });
    this.token = token;
  }
}

/**
 * A cross-check (`verify: true`) found the SDK's copy of the Atlas math disagreeing with the
 * contract at the same block: the contract changed, or the SDK is out of date.
 */
export class AtlasMismatchError extends BaseError {
  override name = "AtlasMismatchError";
  /** Which figure differs, e.g. "riskOf.maintenanceWad" or "maxWithdraw(0x…)". */
  readonly field: string;
  readonly contract: bigint;
  readonly sdk: bigint;
  constructor(field: string, contract: bigint, sdk: bigint) {
    super(`Atlas ${field}: the contract says ${contract}, the SDK's copy ${sdk}`);
    this.field = field;
    this.contract = contract;
    this.sdk = sdk;
  }
}

/** A perp what-if asked about a market the Atlas snapshot holds no data for. */
export class AtlasMarketMissingError extends BaseError {
  override name = "AtlasMarketMissingError";
  /** The perp market's id in the core. */
  readonly marketId: bigint;
  constructor(marketId: bigint) {
    super(`the Atlas snapshot has no data for perp market ${marketId}`, {
      details: ["Read the snapshot with `perpMarketIds: [marketId]`: it then holds the market even without a position."],
    });
    this.marketId = marketId;
  }
}

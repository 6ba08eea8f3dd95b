/**
 * Every rounding of the lending pools, copied from `contracts/libraries/SharesMathLib.sol` (same
 * names, same integer operations; each favours the pool, as the table there says). bigint only.
 *
 * Supply shares are priced against the pool's totals with 10^6 virtual shares and one virtual atom;
 * borrow shares against the borrow index (WAD).
 *
 * @example
 * ```ts
 * import { sharesMath } from "megaeth-exchange-sdk";
 * const minted = sharesMath.toSharesDown(1_000_000n, totalAssets, totalSupply); // what a deposit mints
 * const owed = sharesMath.toDebtAssetsUp(borrowShares, borrowIndexWad); // one account's debt
 * ```
 */
import { mulDiv, WAD } from "./rates.ts";

/** Virtual supply shares (OpenZeppelin's decimals offset of 6). */
export const VIRTUAL_SHARES = 10n ** 6n;
/** Virtual supply assets: one atom. */
export const VIRTUAL_ASSETS = 1n;

/** Supply shares worth `assets`, rounded down: what a deposit mints. */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDiv(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS, "floor");
}

/** Supply shares worth `assets`, rounded up: what a withdrawal burns. */
export function toSharesUp(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDiv(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS, "ceil");
}

/** Assets `shares` supply shares are worth, rounded down: a redemption, a lent balance's value. */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDiv(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES, "floor");
}

/** Assets `shares` supply shares cost, rounded up: what a mint pulls. */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDiv(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES, "ceil");
}

/** Borrow shares for a debt of `assets`, rounded up: what a borrow books. */
export function toDebtSharesUp(assets: bigint, indexWad: bigint): bigint {
  return mulDiv(assets, WAD, indexWad, "ceil");
}

/** Whole borrow shares `assets` pays for, rounded down: what a partial repayment burns. */
export function toDebtSharesDown(assets: bigint, indexWad: bigint): bigint {
  return mulDiv(assets, WAD, indexWad, "floor");
}

/** Assets owed on `shares` borrow shares, rounded up: one debt. */
export function toDebtAssetsUp(shares: bigint, indexWad: bigint): bigint {
  return mulDiv(shares, indexWad, WAD, "ceil");
}

/** Assets owed on all `shares`, rounded down: what lenders are credited (totalBorrows). */
export function toDebtAssetsDown(shares: bigint, indexWad: bigint): bigint {
  return mulDiv(shares, indexWad, WAD, "floor");
}

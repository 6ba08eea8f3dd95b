/**
 * Liquidation previews: `Clearinghouse.liquidate` copied onto an `AtlasSnapshot` (the discount,
 * the collateral seized, the account's balances after, the checks in the contract's order) so
 * a liquidator can find how much to repay before sending anything. Same integer operations and
 * roundings as `contracts/Clearinghouse.sol` and `contracts/libraries/LendingLib.sol`; the Atlas figures
 * come from `./atlas.ts`.
 *
 * A preview is exact when the liquidation runs at the snapshot's timestamp with the same
 * prices, from a liquidator paying out of an idle balance. Later blocks only make it safer
 * against overshooting: the discount and the debt's interest grow with time, both lowering the
 * maintenance value after.
 */
import { getAddress, isAddressEqual, type Address } from "viem";
import {
  InsufficientCashError,
  InsufficientCollateralError,
  LiquidationDidNotImproveError,
  LiquidationTooLargeError,
  NotLiquidatableError,
  RepayExceedsDebtError,
  ZeroAmountError,
} from "../errors/contract.ts";
import { contractError } from "../errors/local.ts";
import type { ContractRevertError } from "../errors/revert.ts";
import { assetOf, poolStateOf, riskOf, type AtlasPocket, type AtlasPosition, type AtlasSnapshot, type PoolState } from "./atlas.ts";
import { ratePerSecondWad, utilizationWad } from "./rates.ts";
import { toAssetsDown, toDebtAssetsDown, toDebtAssetsUp, toDebtSharesDown, toSharesUp } from "./shares.ts";

const BPS = 10_000n;

/** What `liquidate(account, debtToken, repayAtoms, collateralToken, _)` would do. */
export interface LiquidationPreview {
  repayAtoms: bigint;
  seizedAtoms: bigint;
  discountBps: bigint;
  maintenanceBeforeWad: bigint;
  maintenanceAfterWad: bigint;
  equityAfterWad: bigint;
  /** Most maintenance value the liquidation may leave: bufferBps of equity after (0 if equity ≤ 0). */
  bufferWad: bigint;
  /** Markets whose resting orders must be cancelled first (`cancelForLiquidation`); the preview assumes they were. */
  ordersToCancel: { marketId: bigint; count: bigint }[];
  /** The custom error the contract would revert with, or undefined if it would succeed. */
  error: ContractRevertError | undefined;
  /** The account's snapshot after the liquidation (unchanged when `error` is set early). */
  after: AtlasSnapshot;
}

export interface LiquidationInput {
  debtToken: Address;
  repayAtoms: bigint;
  collateralToken: Address;
  /** When the liquidation runs; default the snapshot's timestamp (the smallest discount: the safe side). */
  timestamp?: bigint;
  /**
   * The liquidator pays from a balance lent to the debt token's pool: the pool's cash falls by
   * the repayment before the debt is repaid, which moves its rate. Default false (idle funds).
   */
  fromLent?: boolean;
}

/** Dutch-auction discount (`Clearinghouse._discountBps`): 0 when first flagged, linear to the cap over rampSeconds. */
export function discountBps(s: AtlasSnapshot, collateral: Address, timestamp: bigint = s.timestamp): bigint {
  const p = s.liquidationParams;
  const a = assetOf(s, collateral);
  const cap = ((a.shockBps + a.slippageBps) * p.capShareBps) / BPS;
  // an unflagged account is flagged by the liquidation itself: no time has elapsed
  const since = s.liquidatableSince === 0n ? timestamp : s.liquidatableSince;
  const elapsed = timestamp - since;
  return elapsed >= p.rampSeconds ? cap : (cap * elapsed) / p.rampSeconds;
}

/** Collateral atoms worth `repay` of debt at oracle prices grossed up by the discount, rounded down (`_seizeFor`). */
export function seizeFor(s: AtlasSnapshot, debtToken: Address, repay: bigint, collToken: Address, discount: bigint): bigint {
  const d = assetOf(s, debtToken);
  const c = assetOf(s, collToken);
  const usdWad = (repay * d.price.priceWad) / 10n ** d.decimals;
  return (usdWad * 10n ** c.decimals * BPS) / (c.price.priceWad * (BPS - discount));
}

/** The snapshot with every resting order cancelled: locks return to the pockets as unswept funds. */
export function withoutOrders(s: AtlasSnapshot): AtlasSnapshot {
  const pockets = s.pockets.map(
    (p): AtlasPocket => ({
      ...p,
      lockedBaseAtoms: 0n,
      lockedQuoteAtoms: 0n,
      unsweptBaseAtoms: p.unsweptBaseAtoms + p.lockedBaseAtoms,
      unsweptQuoteAtoms: p.unsweptQuoteAtoms + p.lockedQuoteAtoms,
      openOrders: 0n,
    }),
  );
  return { ...s, pockets };
}

/**
 * Previews one liquidation on the snapshot (after cancelling the account's resting orders, which
 * the contract requires first). `error` is the typed error the contract would revert with.
 *
 * @example
 * const p = previewLiquidation(snap, { debtToken: usdc, repayAtoms: 1_000_000_000n, collateralToken: weth })
 * if (!p.error) console.log(p.seizedAtoms, p.maintenanceAfterWad)
 */
export function previewLiquidation(snapshot: AtlasSnapshot, input: LiquidationInput): LiquidationPreview {
  const { debtToken, repayAtoms, collateralToken } = input;
  const ordersToCancel = snapshot.pockets.filter((p) => p.openOrders > 0n).map((p) => ({ marketId: p.marketId, count: p.openOrders }));
  const s = withoutOrders(snapshot);
  const before = riskOf(s);
  const discount = discountBps(s, collateralToken, input.timestamp ?? s.timestamp);
  const base = {
    repayAtoms,
    seizedAtoms: 0n,
    discountBps: discount,
    maintenanceBeforeWad: before.maintenanceWad,
    maintenanceAfterWad: before.maintenanceWad,
    equityAfterWad: before.equityWad,
    bufferWad: 0n,
    ordersToCancel,
    after: s,
  };
  const fail = (error: ContractRevertError, extra: Partial<LiquidationPreview> = {}): LiquidationPreview => ({ ...base, ...extra, error });
  if (repayAtoms === 0n) return fail(contractError(ZeroAmountError, {}));
  if (before.maintenanceWad >= 0n) {
    return fail(contractError(NotLiquidatableError, { account: s.account, maintenanceWad: before.maintenanceWad }));
  }
  const seized = seizeFor(s, debtToken, repayAtoms, collateralToken, discount);
  base.seizedAtoms = seized;
  const debtPos = positionOf(s, debtToken);
  const debt = debtPos.amount < 0n ? debtPos.debtAtoms : 0n;
  if (repayAtoms > debt) {
    return fail(contractError(RepayExceedsDebtError, { token: getAddress(debtToken), repay: repayAtoms, debt }));
  }
  const afterRepay = repayDebt(s, debtPos, repayAtoms, input.fromLent ?? false);
  const seizedSnap = seize(afterRepay, collateralToken, seized);
  if (!("positions" in seizedSnap)) return fail(seizedSnap);
  const after = riskOf(seizedSnap);
  const bufferWad = after.equityWad > 0n ? (after.equityWad * s.liquidationParams.bufferBps) / BPS : 0n;
  const done = { maintenanceAfterWad: after.maintenanceWad, equityAfterWad: after.equityWad, bufferWad, after: seizedSnap };
  if (after.maintenanceWad <= before.maintenanceWad) {
    return fail(contractError(LiquidationDidNotImproveError, { beforeWad: before.maintenanceWad, afterWad: after.maintenanceWad }), done);
  }
  if (after.maintenanceWad > bufferWad) {
    return fail(contractError(LiquidationTooLargeError, { maintenanceAfterWad: after.maintenanceWad, bufferWad }), done);
  }
  return { ...base, ...done, error: undefined };
}

/**
 * The largest repayment (at most `maxRepayAtoms`, default the whole debt) whose liquidation
 * neither overshoots the buffer nor exceeds the debt, the collateral or the collateral pool's
 * cash, found by bisection on `previewLiquidation`. Returns that amount's preview; when no
 * amount works, the preview of repaying 1 atom, whose `error` says why.
 *
 * @example
 * const best = findLiquidationAmount(snap, { debtToken: usdc, collateralToken: weth })
 * if (!best.error) await client.liquidateSync({ owner, debtToken: usdc, repayAtoms: best.repayAtoms, collateralToken: weth })
 */
export function findLiquidationAmount(
  s: AtlasSnapshot,
  input: Omit<LiquidationInput, "repayAtoms"> & { maxRepayAtoms?: bigint },
): LiquidationPreview {
  const debtPos = positionOf(s, input.debtToken);
  const debt = debtPos.amount < 0n ? debtPos.debtAtoms : 0n;
  let hi = input.maxRepayAtoms !== undefined && input.maxRepayAtoms < debt ? input.maxRepayAtoms : debt;
  let lo = 0n;
  const at = (repayAtoms: bigint) => previewLiquidation(s, { ...input, repayAtoms });
  const tooLarge = (p: LiquidationPreview) =>
    p.error instanceof LiquidationTooLargeError ||
    p.error instanceof RepayExceedsDebtError ||
    p.error instanceof InsufficientCollateralError ||
    p.error instanceof InsufficientCashError;
  // the maintenance value after rises with the repayment and the buffer falls: the largest
  // amount that is not too large is the boundary; `lo` stays an amount that is not
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (tooLarge(at(mid))) hi = mid - 1n;
    else lo = mid;
  }
  return at(lo === 0n ? 1n : lo);
}

function positionOf(s: AtlasSnapshot, token: Address): AtlasPosition {
  return (
    s.positions.find((p) => isAddressEqual(p.token, token)) ?? {
      token: getAddress(token),
      amount: 0n,
      lent: false,
      idleAtoms: 0n,
      lentAtoms: 0n,
      debtAtoms: 0n,
    }
  );
}

/** `_credit` of the repayment onto the account's debt, and the pool after `repay` (its new rate). */
function repayDebt(s: AtlasSnapshot, p: AtlasPosition, atoms: bigint, fromLent: boolean): AtlasSnapshot {
  const a = assetOf(s, p.token);
  const ps = poolStateOf(a);
  const owed = -p.amount;
  let shares: bigint;
  let paid: bigint;
  if (atoms >= p.debtAtoms) {
    shares = owed;
    paid = toDebtAssetsUp(owed, ps.borrowIndexWad);
  } else {
    // the shares `atoms` fully pays for, rounded down (the pool keeps any dust)
    shares = toDebtSharesDown(atoms, ps.borrowIndexWad);
    paid = shares === 0n ? 0n : toDebtAssetsUp(shares, ps.borrowIndexWad);
  }
  const left = owed - shares;
  // the liquidator's lent funds leave the pool first (`withdraw`), then the repayment arrives
  const cash = ps.cash - (fromLent ? atoms : 0n) + paid;
  const burnt = fromLent ? toSharesUp(atoms, ps.totalAssets, ps.totalSupply) : 0n;
  const poolState: PoolState = {
    ...ps,
    cash,
    totalBorrowShares: ps.totalBorrowShares - shares,
    totalSupply: ps.totalSupply - burnt,
  };
  const borrows = toDebtAssetsDown(poolState.totalBorrowShares, ps.borrowIndexWad);
  poolState.totalAssets = poolState.cash + borrows - ps.reserves;
  const rate = ratePerSecondWad(ps.rateModel, utilizationWad(poolState.cash, borrows, ps.reserves));
  const position: AtlasPosition = {
    ...p,
    amount: -left,
    debtAtoms: left === 0n ? 0n : toDebtAssetsUp(left, ps.borrowIndexWad),
  };
  return replace(s, position, { ...a, poolState, borrowRatePerSecondWad: rate });
}

/**
 * `_seize`: the collateral leaves the account (lent: the pool's `withdraw`, shares rounded up; if the
 * pool lacks the cash, the same shares move to the liquidator and the pool is unchanged).
 */
function seize(s: AtlasSnapshot, token: Address, atoms: bigint): AtlasSnapshot | ContractRevertError {
  const p = positionOf(s, token);
  const have = p.amount <= 0n ? 0n : p.lent ? p.lentAtoms : p.amount;
  if (have === 0n || have < atoms) {
    return contractError(InsufficientCollateralError, { token: getAddress(token), seize: atoms, available: have });
  }
  const a = assetOf(s, token);
  if (!p.lent) return replace(s, { ...p, amount: p.amount - atoms, idleAtoms: p.amount - atoms }, a);
  const ps = poolStateOf(a);
  const burnt = toSharesUp(atoms, ps.totalAssets, ps.totalSupply);
  if (atoms > ps.cash) {
    // seized as supply shares (`SeizedAsShares` rules the liquidator's side): the pool is untouched
    const left = p.amount - burnt;
    return replace(s, { ...p, amount: left, lentAtoms: toAssetsDown(left, ps.totalAssets, ps.totalSupply) }, a);
  }
  const poolState: PoolState = {
    ...ps,
    cash: ps.cash - atoms,
    totalAssets: ps.totalAssets - atoms,
    totalSupply: ps.totalSupply - burnt,
  };
  const borrows = toDebtAssetsDown(ps.totalBorrowShares, ps.borrowIndexWad);
  const rate = ratePerSecondWad(ps.rateModel, utilizationWad(poolState.cash, borrows, ps.reserves));
  const shares = p.amount - burnt;
  const lentAtoms = toAssetsDown(shares, poolState.totalAssets, poolState.totalSupply);
  return replace(s, { ...p, amount: shares, lentAtoms }, { ...a, poolState, borrowRatePerSecondWad: rate });
}

/**
 * A copy of the snapshot with one position and its asset replaced. A balance that reaches zero
 * leaves the positions, as the Clearinghouse clears its held bit.
 */
function replace(s: AtlasSnapshot, p: AtlasPosition, a: AtlasSnapshot["assets"][Address]): AtlasSnapshot {
  const positions = s.positions.flatMap((x) => (isAddressEqual(x.token, p.token) ? (p.amount === 0n ? [] : [p]) : [x]));
  return { ...s, positions, assets: { ...s.assets, [getAddress(p.token)]: a } };
}

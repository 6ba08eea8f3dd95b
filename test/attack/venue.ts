// The one helper layer every attack test (test/attack/) drives the venue through: deploy, fund,
// trade, move a price, read values. The tests state attacks and assert outcomes in these terms
// only, so when the venue's contracts change shape (issue "One core") this file is what is
// rewritten and the tests' assertions carry over.
//
// The venue is the perp fixture: WETH, USDC, WBTC, LINK; a WETH/USDC spot book; USDC, WETH and
// WBTC lending pools funded by `lender`; ETH-PERP and BTC-PERP; the oracle (admin feeds), Atlas
// and the PerpLiquidator. Prices: WETH $3,000, USDC $1, WBTC $60,000, LINK $15.
import type { Signer } from "ethers";
import { usePerpFixture, place as placePerp, type PFx } from "../unit/perp._helpers.ts";
import { acctOf, deposit as depositFx, mined, setPrice as setPriceFx, warp as warpFx, WAD, E6, E8, E18 } from "../unit/margin._helpers.ts";
import { encodeOrder, type OrderParams } from "../../sdk/src/math/order.ts";

export { WAD, E6, E8, E18, acctOf, mined };
export type Venue = PFx;

/** One deployment per run, restored before each test (mocha `before`/`beforeEach`). */
export const useVenue: () => () => Venue = usePerpFixture;

type Who = Signer & { address: string };
type Sym = "WETH" | "USDC" | "WBTC" | "LINK";

/** The token address of a symbol. */
export const tokenOf = (v: Venue, sym: Sym): string => ({ WETH: v.W, USDC: v.U, WBTC: v.B, LINK: v.L })[sym];

/** Wallet balance of `who` in `sym` (atoms). */
export const walletOf = async (v: Venue, who: { address: string }, sym: Sym): Promise<bigint> =>
  v.tokens[sym].balanceOf(who.address);

/** Deposits `atoms` of `sym` into `who`'s sub-account. */
export const deposit = (v: Venue, who: Who, sym: Sym, atoms: bigint, sub = 0n) => depositFx(v, who, tokenOf(v, sym), atoms, sub);

/** Withdraws `atoms` of `sym` from `who`'s sub-account to its wallet. */
export const withdraw = (v: Venue, who: Who, sym: Sym, atoms: bigint, sub = 0n) =>
  mined(v.ch.connect(who).withdraw(tokenOf(v, sym), sub, atoms, who.address));

/** Borrows `atoms` of `sym` into `who`'s wallet. */
export const borrow = (v: Venue, who: Who, sym: Sym, atoms: bigint, sub = 0n) =>
  mined(v.ch.connect(who).borrow(tokenOf(v, sym), sub, atoms, who.address));

/** Moves `atoms` of `sym` between two of `who`'s sub-accounts. */
export const transfer = (v: Venue, who: Who, sym: Sym, atoms: bigint, fromSub: bigint, toSub: bigint) =>
  mined(v.ch.connect(who).transfer(tokenOf(v, sym), fromSub, toSub, atoms));

/** Lets `who`'s orders (and withdrawals) borrow. */
export const allowBorrow = (v: Venue, who: Who, orders = true, withdrawals = true, sub = 0n) =>
  mined(v.ch.connect(who).setBorrowPolicy(sub, orders, withdrawals));

/** Places a spot order on the WETH/USDC book (tick 300_000 = $3,000; lot 0.001 WETH). */
export const spotOrder = (v: Venue, who: Who, o: OrderParams) => mined(v.market.connect(who).placeOrder(encodeOrder(o)));

/** Places an ETH-PERP (or the given perp market's) order; same units as the spot book. */
export const perpOrder = (v: Venue, who: Who, o: OrderParams, m = v.ethPerp) => placePerp(m, who, o);

/** Pushes a new oracle price for `sym` (WAD USD). */
export const setPrice = (v: Venue, sym: Sym, priceWad: bigint) => setPriceFx(v, tokenOf(v, sym), priceWad);

/** Signed balance of `sym` in `who`'s sub-account (atoms; negative = debt with interest). */
export const balanceOf = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) =>
  v.ch.balanceOf(acctOf(who, sub), tokenOf(v, sym));

/** ATLAS initial value (USD WAD) of `who`'s sub-account. */
export const initialValue = (v: Venue, who: { address: string }, sub = 0n) => v.atlas.initialValue(acctOf(who, sub));

/** ATLAS maintenance value (USD WAD). */
export const maintenanceValue = (v: Venue, who: { address: string }, sub = 0n) =>
  v.atlas.maintenanceValue(acctOf(who, sub));

/** Equity (USD WAD) of `who`'s sub-account: what it would hold if closed at oracle prices. */
export const equityOf = async (v: Venue, who: { address: string }, sub = 0n) =>
  (await v.atlas.riskOf(acctOf(who, sub))).equityWad;

/** Signed perp position in lots on `m` (ETH-PERP by default). */
export const perpLots = async (v: Venue, who: { address: string }, m = v.ethPerp, sub = 0n) =>
  (await m.positionOf(acctOf(who, sub)))[0];

/** Tokens the venue holds, per symbol: the Clearinghouse vault plus each lending pool's cash. */
export async function venueHoldings(v: Venue, sym: Sym): Promise<bigint> {
  const t = v.tokens[sym];
  let sum = await t.balanceOf(await v.ch.getAddress());
  const pool = (v.pools as Record<string, { getAddress(): Promise<string> } | undefined>)[sym];
  if (pool) sum += await t.balanceOf(await pool.getAddress());
  return sum;
}

// ---- ATLAS stress helpers (issue #13 item 6)

/** Moves time forward by `seconds` and re-pushes every price (admin feeds go stale after an hour). */
export const warp = (v: Venue, seconds: bigint) => warpFx(v, seconds);

/** The perp market's funding state: the premium of its last update (ppm of the index) and the mark. */
export async function perpMark(v: Venue, m = v.ethPerp): Promise<{ premiumPpm: bigint; indexLotWad: bigint; markLotWad: bigint }> {
  const [, , , premiumPpm] = await m.funding();
  const [indexLotWad, markLotWad] = await m.markPrice();
  return { premiumPpm, indexLotWad, markLotWad };
}

/**
 * Puts the perp mark's premium at `premiumBps` over the oracle index (clamped by the market): `maker`
 * (who must hold margin) cancels its resting perp orders and quotes `lots` a side one tick either side
 * of index × (1 + premiumBps). Today the premium is the book's mid; with an impact-price EMA this helper
 * must also hold the quotes long enough for the mark to arrive there.
 */
export async function pushPremium(v: Venue, maker: Who, premiumBps: bigint, lots = 10_000n, m = v.ethPerp) {
  const ids = await m.openOrders(maker.address, 0);
  if (ids.length) await mined(m.connect(maker).cancelAll(maker.address, 0, [...ids]));
  const [indexLotWad] = await m.markPrice();
  const tickSize = (await m.perpParams()).tickSize;
  const target = (indexLotWad * (10_000n + premiumBps)) / (10_000n * WAD * tickSize);
  await placePerp(m, maker, { side: 0n, tick: target - 1n, lots });
  await placePerp(m, maker, { side: 1n, tick: target + 1n, lots });
}

/** ATLAS initial-margin requirements of the portfolio and of plain cross margin (USD WAD). */
export async function requirements(v: Venue, who: { address: string }, sub = 0n) {
  const [portfolio, cross] = await v.lens.marginRequirements(acctOf(who, sub));
  return { portfolio, cross };
}

/** The most `who` may withdraw of `sym` keeping initial value ≥ 0 (borrowing if allowed). */
export const maxWithdraw = (v: Venue, who: { address: string }, sym: Sym, allowBorrow = true, sub = 0n) =>
  v.lens.maxWithdraw(acctOf(who, sub), tokenOf(v, sym), allowBorrow);

/** Whether `who`'s maintenance value is below zero. */
export const isLiquidatable = (v: Venue, who: { address: string }, sub = 0n) => v.ch.isLiquidatable(acctOf(who, sub));

/** Starts (or, on a healthy account, ends) `who`'s liquidation auction. */
export const flagLiquidatable = (v: Venue, by: Who, who: { address: string }, sub = 0n) =>
  mined(v.ch.connect(by).flagLiquidatable(acctOf(who, sub)));

/** The liquidation discount (bps) `who` would be given now on `sym` collateral. */
export const liquidationDiscount = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) =>
  v.ch.liquidationDiscountBps(acctOf(who, sub), tokenOf(v, sym));

/** `by` takes `lots` of `who`'s perp position (with the hedging spot leg if `withSpot`). */
export const liquidatePerp = (v: Venue, by: Who, who: { address: string }, lots: bigint, withSpot: boolean, m = v.ethPerp, sub = 0n) =>
  mined(v.liquidator.connect(by).liquidate(m.getAddress(), acctOf(who, sub), lots, 0, withSpot));

/** The largest perp liquidation of `who` that `by` can make now (0 if none), by bisection on a static call. */
export async function largestPerpLiquidation(v: Venue, by: Who, who: { address: string }, withSpot: boolean, m = v.ethPerp, sub = 0n) {
  const size = await perpLots(v, who, m, sub);
  const ok = async (lots: bigint) => {
    try {
      await v.liquidator.connect(by).liquidate.staticCall(m.getAddress(), acctOf(who, sub), lots, 0, withSpot);
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0n;
  let hi = size < 0n ? -size : size;
  // the successful range is an interval from 1 up: a larger take overshoots the buffer
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (await ok(mid)) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

/**
 * Takes the largest part of `who`'s perp position `by` can take now (bisection on a static call; the
 * transaction lands a second later, so on a revert it retries 10% smaller); returns the lots taken.
 */
export async function liquidatePerpLargest(v: Venue, by: Who, who: { address: string }, withSpot: boolean, m = v.ethPerp, sub = 0n) {
  let lots = await largestPerpLiquidation(v, by, who, withSpot, m, sub);
  while (lots > 0n) {
    try {
      await liquidatePerp(v, by, who, lots, withSpot, m, sub);
      return lots;
    } catch {
      lots -= lots / 10n > 0n ? lots / 10n : 1n;
    }
  }
  return 0n;
}

/** Lists one more ETH-PERP-like market with `over` parameters (e.g. a size-scaled impact term). */
export async function listPerp(v: Venue, over: Record<string, bigint> = {}) {
  const { extraPerp } = await import("../unit/perp._helpers.ts");
  return extraPerp(v, over);
}

/** ATLAS's liquidation price of `sym` for `who` (WAD; 0 = none in range), from the lens. */
export const liquidationPrice = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) =>
  v.lens.liquidationPrice(acctOf(who, sub), tokenOf(v, sym));

/** When `who`'s liquidation auction started (0 = not flagged). */
export const flaggedSince = async (v: Venue, who: { address: string }, sub = 0n) =>
  (await v.ch.accountState(acctOf(who, sub))) >> 208n;

/** `who`'s market mask: bit i − 1 set = market i may hold something of it. */
export const marketMask = async (v: Venue, who: { address: string }, sub = 0n) =>
  ((await v.ch.accountState(acctOf(who, sub))) >> 128n) & ((1n << 64n) - 1n);

/** Clears the bits of markets where `who` holds nothing (anyone may call). */
export const pruneMarkets = (v: Venue, by: Who, who: { address: string }, sub = 0n) =>
  mined(v.ch.connect(by).pruneMarkets(acctOf(who, sub)));

/** As `liquidatePerp`, returning the discount (bps) the liquidator was given. */
export async function liquidatePerpAt(v: Venue, by: Who, who: { address: string }, lots: bigint, withSpot: boolean, m = v.ethPerp, sub = 0n) {
  const r = await liquidatePerp(v, by, who, lots, withSpot, m, sub);
  for (const log of r.logs) {
    const e = v.liquidator.interface.parseLog(log);
    if (e?.name === "PositionLiquidated") return e.args.discountBps as bigint;
  }
  throw new Error("no PositionLiquidated");
}

/** Lets `sym`'s feed go stale: an hour and a second pass and every other price is pushed again. */
export async function letFeedGoStale(v: Venue, sym: Sym) {
  v.prices.delete(tokenOf(v, sym));
  await warpFx(v, 3_601n);
}

/** `by` repays `repayAtoms` of `who`'s `debt` debt and seizes `collateral` (Clearinghouse.liquidate). */
export const liquidateSpot = (v: Venue, by: Who, who: { address: string }, debt: Sym, repayAtoms: bigint, collateral: Sym, sub = 0n) =>
  mined(v.ch.connect(by).liquidate(acctOf(who, sub), tokenOf(v, debt), repayAtoms, tokenOf(v, collateral), 0));

/** Turns lending of `sym` on or off for `who`'s sub-account. */
export const setLending = (v: Venue, who: Who, sym: Sym, lent: boolean, sub = 0n) =>
  mined(v.ch.connect(who).setLending(tokenOf(v, sym), sub, lent));

/** The outside lender takes all its supply out of `sym`'s pool (as far as the pool's cash allows). */
export async function lenderExits(v: Venue, sym: "WETH" | "USDC" | "WBTC") {
  const pool = v.pools[sym];
  const shares = await pool.balanceOf(v.lender.address);
  await mined(pool.connect(v.lender).redeem(shares, v.lender.address, v.lender.address));
}

/** Tokens of `sym` its pool holds as cash. */
export const poolCash = async (v: Venue, sym: "WETH" | "USDC" | "WBTC") => v.tokens[sym].balanceOf(await v.pools[sym].getAddress());

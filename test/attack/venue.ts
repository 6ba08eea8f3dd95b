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
import { acctOf, deposit as depositFx, mined, setPrice as setPriceFx, WAD, E6, E8, E18 } from "../unit/margin._helpers.ts";
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

// ---- spot book internals (test/attack/book-griefing.test.ts) ----
import { cancelClientIdOp as bookCancelClientIdOp, placeOp as bookPlaceOp } from "../../sdk/src/math/order.ts";
import type { ContractTransactionReceipt as BookReceipt } from "ethers";

/** What a spot-book receipt says: resting ids, cancels, expiries and the taker's fills (maker id, lots). */
export function spotEvents(v: Venue, receipt: BookReceipt) {
  const out = { placed: [] as bigint[], cancelled: [] as bigint[], expired: [] as bigint[], fills: [] as [bigint, bigint][] };
  const addr = (v.market.target as string).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== addr) continue;
    const ev = v.market.interface.parseLog(log);
    if (ev?.name === "OrderPlaced") out.placed.push(ev.args.orderId as bigint);
    else if (ev?.name === "OrderCancelled") out.cancelled.push(ev.args.orderId as bigint);
    else if (ev?.name === "OrderExpired") out.expired.push(ev.args.orderId as bigint);
    else if (ev?.name === "Trade") {
      for (const f of ev.args.fills as bigint[]) out.fills.push([f & ((1n << 112n) - 1n), f >> 112n]);
    }
  }
  return out;
}

/** The id the spot book gives an order resting at (side, tick) in the level's epoch at queue position `pos`. */
export const spotOrderId = async (v: Venue, side: bigint, tick: bigint, epoch: bigint, pos: bigint) =>
  ((await v.market.INDEX()) << 96n) | (side << 88n) | (tick << 64n) | (epoch << 32n) | pos;

/**
 * `pairs` place-then-cancel round trips of one-lot orders by `who` at (side, tick), in batches
 * (each cancel by client order id): each leaves one cancelled entry in the level's queue.
 */
export async function spotPlaceCancel(v: Venue, who: Who, side: OrderParams["side"], tick: bigint, pairs: number, sub = 0n) {
  for (let left = pairs; left > 0; left -= 100) {
    const ops: bigint[] = [];
    for (let i = 1n; i <= BigInt(Math.min(left, 100)); i++) {
      ops.push(bookPlaceOp({ side, tick, lots: 1n, sub, clientOrderId: i }));
      ops.push(bookCancelClientIdOp(i));
    }
    await mined(v.market.connect(who).batch(who.address, sub, ops));
  }
}

/** Cancels a spot order. */
export const spotCancel = (v: Venue, who: Who, orderId: bigint) => mined(v.market.connect(who).cancelOrder(orderId));

/** A spot level: total lots, queue head, tail, epoch. */
export const spotLevel = (v: Venue, side: bigint, tick: bigint) => v.market.levelOf(side, tick);

/** Chain time now, and a jump forward by `seconds`. */
export const chainNow = async (v: Venue): Promise<bigint> => BigInt(await v.networkHelpers.time.latest());
export const elapse = (v: Venue, seconds: bigint) => v.networkHelpers.time.increase(seconds);

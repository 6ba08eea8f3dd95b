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

// ---- operators (agent keys): test/attack/operator.test.ts ----

/** A book: the WETH/USDC spot book or a perp market (they share the order-book entry points). */
type Book = Venue["market"] | Venue["ethPerp"];

/** `owner` approves (or revokes) `operator` as an agent key of its sub-account. */
export const setOperator = (v: Venue, owner: Who, operator: { address: string }, approved = true, sub = 0n) =>
  mined(v.ch.connect(owner).setOperator(sub, operator.address, approved));

/** `owner` sets the price band (bps around the oracle index) its operators trade within. */
export const setOperatorBand = (v: Venue, owner: Who, bandBps: bigint, sub = 0n) =>
  mined(v.ch.connect(owner).setOperatorBand(sub, bandBps));

/** The band (bps) `owner`'s operators trade within (default 200). */
export const operatorBandOf = (v: Venue, owner: { address: string }, sub = 0n) => v.ch.operatorBandOf(acctOf(owner, sub));

/** `operator` places an order for `owner` (sub-account in `o.sub`) on book `m` (the spot book by default). */
export const orderFor = (v: Venue, operator: Who, owner: { address: string }, o: OrderParams, m: Book = v.market) =>
  mined((m as Venue["market"]).connect(operator).placeOrderFor(owner.address, encodeOrder(o)));

/** `operator` runs batch ops (OrderCodec layout) for `owner` on book `m`. */
export const batchFor = (v: Venue, operator: Who, owner: { address: string }, ops: bigint[], m: Book = v.market, sub = 0n) =>
  mined((m as Venue["market"]).connect(operator).batch(owner.address, sub, ops));

/** `operator` (or the owner) cancels an order on book `m`. */
export const cancelAs = (v: Venue, who: Who, orderId: bigint, m: Book = v.market) =>
  mined((m as Venue["market"]).connect(who).cancelOrder(orderId));

/** Ids of `owner`'s open orders on book `m`. */
export const openOrdersOf = (v: Venue, owner: { address: string }, m: Book = v.market, sub = 0n) =>
  (m as Venue["market"]).openOrders(owner.address, sub);

/** Moves time on by `seconds` without refreshing any price (admin feeds go stale after an hour). */
export const elapse = (v: Venue, seconds: number) => v.networkHelpers.time.increase(seconds);

/** `who`'s pocket on the WETH/USDC spot book (atoms). */
export async function spotPocketOf(v: Venue, who: { address: string }, sub = 0n) {
  const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = await v.market.pocketOf(who.address, sub);
  return { lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders };
}

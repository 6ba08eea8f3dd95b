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

/** Index and mark per lot of a perp market (quote atoms × 1e18), as ATLAS and liquidations see them now. */
export const markOf = async (v: Venue, m = v.ethPerp) => {
  const [indexLotWad, markLotWad] = await m.markPrice();
  return { indexLotWad, markLotWad };
};

/** The mark's distance from the index in ppm (signed, truncated toward zero). */
export const markPremiumPpm = async (v: Venue, m = v.ethPerp): Promise<bigint> => {
  const { indexLotWad, markLotWad } = await markOf(v, m);
  return ((markLotWad - indexLotWad) * 1_000_000n) / indexLotWad;
};

/** Mines an empty block at timestamp `t` (views then read the venue at `t`). */
export const mineAt = (v: Venue, t: bigint) => v.networkHelpers.time.increaseTo(t);

/** The next transaction lands at timestamp `t`. */
export const nextAt = (v: Venue, t: bigint) => v.networkHelpers.time.setNextBlockTimestamp(t);

/** Cancels one of `who`'s perp orders by id. */
export const cancelPerp = (v: Venue, who: Who, orderId: bigint, m = v.ethPerp) => mined(m.connect(who).cancelOrder(orderId));

/** The id of the order a placement receipt rested (0 if none). */
export const placedId = (v: Venue, rc: { logs: readonly unknown[] }, m = v.ethPerp): bigint => {
  for (const l of rc.logs) {
    const p = m.interface.parseLog(l as never);
    if (p?.name === "OrderPlaced") return p.args.orderId as bigint;
  }
  return 0n;
};

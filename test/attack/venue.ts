// The one helper layer every attack test (test/attack/) drives the venue through: deploy, fund,
// trade, move a price, read values. The tests state attacks and assert outcomes in these terms
// only, so when the venue's contracts change shape (issue "One core") this file is what is
// rewritten and the tests' assertions carry over.
//
// The venue is one core (the Clearinghouse) holding every market under its market id: WETH, USDC,
// WBTC, LINK; the WETH/USDC spot book (market 1); USDC, WETH and WBTC lending pools funded by
// `lender`; ETH-PERP (market 2) and BTC-PERP (market 3); every asset's feed (admin feeds) in the core
// too (`v.oracle` is the core). The core values
// accounts (ATLAS: `v.atlas` is the core) and liquidates perps; `v.lens` is its what-if lens.
// Prices: WETH $3,000, USDC $1, WBTC $60,000, LINK $20. A market is a handle (scripts/lib/market.ts):
// the core bound to its market id.
import type { ContractTransactionReceipt as BookReceipt, Interface, Signer } from "ethers";
import { marketHandle, type SpotMarket } from "../../scripts/lib/market.ts";
import { extraPerp, usePerpFixture, place as placePerp, type PFx } from "../unit/perp._helpers.ts";
import { acctOf, deposit as depositFx, mined, refreshPrices, sameTime as sameTimeFx, setPrice as setPriceFx, warp as warpFx, WAD, E6, E8, E18 } from "../unit/margin._helpers.ts";
import { packOrder, cancelClientIdOp as bookCancelClientIdOp, placeOp as bookPlaceOp, type OrderParams } from "../../sdk/src/math/order.ts";
import { createSpotMarket, GOVERNANCE_ROLE, GUARDIAN_ROLE } from "../../scripts/lib/deploy.ts";
import { adminFeed, DEFAULT_RATE_MODEL, ORACLE_ROLE } from "../../scripts/lib/deploy-margin.ts";
import { LendingVault__factory, MockAggregator__factory, MockERC20__factory, MockPythFeed__factory, ReentrantToken__factory } from "../../types/ethers-contracts/index.js";
import { allOpenOrders } from "../helpers/openOrders.ts";

export { WAD, E6, E8, E18, acctOf, mined, adminFeed };

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
export const spotOrder = (v: Venue, who: Who, o: OrderParams) => mined(v.market.connect(who).placeOrder(packOrder(o)));

/** Places an ETH-PERP (or the given perp market's) order; same units as the spot book. */
export const perpOrder = (v: Venue, who: Who, o: OrderParams, m = v.ethPerp) => placePerp(m, who, o);

/** Pushes a new oracle price for `sym` (WAD USD). */
export const setPrice = (v: Venue, sym: Sym, priceWad: bigint) => setPriceFx(v, tokenOf(v, sym), priceWad);

/** Signed balance of `sym` in `who`'s sub-account (atoms; negative = debt with interest). */
export const balanceOf = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) =>
  v.ch.balanceOf(acctOf(who, sub), tokenOf(v, sym));

/** ATLAS initial value (USD WAD) of `who`'s sub-account, as the Clearinghouse's margin checks value it. */
export const initialValue = (v: Venue, who: { address: string }, sub = 0n) => v.ch.initialValue(acctOf(who, sub));

/** ATLAS maintenance value (USD WAD). */
export const maintenanceValue = (v: Venue, who: { address: string }, sub = 0n) =>
  v.ch.maintenanceValue(acctOf(who, sub));

/** Equity (USD WAD) of `who`'s sub-account: what it would hold if closed at oracle prices. */
export const equityOf = async (v: Venue, who: { address: string }, sub = 0n) =>
  (await v.ch.riskOf(acctOf(who, sub))).equityWad;

/** Signed perp position in lots on `m` (ETH-PERP by default). */
export const perpLots = async (v: Venue, who: { address: string }, m = v.ethPerp, sub = 0n) =>
  (await m.core.perpPositionOf(m.marketId, acctOf(who, sub))).sizeLots;

/** Tokens the venue holds, per symbol: the Clearinghouse vault, where each lending pool's cash sits too
 * (a LendingVault holds none between calls; counted anyway, so a token left there would show). */
export async function venueHoldings(v: Venue, sym: Sym): Promise<bigint> {
  const t = v.tokens[sym];
  let sum = await t.balanceOf(await v.ch.getAddress());
  const vault = (v.pools as Record<string, { getAddress(): Promise<string> } | undefined>)[sym];
  if (vault) sum += await t.balanceOf(await vault.getAddress());
  return sum;
}

/**
 * Wipes the what-if lens's code (AtlasLens, the only ATLAS code outside the core) and checks that
 * a call to it now fails: a margin check that still leaned on it would revert without data.
 */
export async function wipeLens(v: Venue) {
  await v.networkHelpers.setCode(await v.lens.getAddress(), "0x");
  const gone = await v.lens.marginRequirements(acctOf(v.alice)).then(
    () => false,
    () => true,
  );
  if (!gone) throw new Error("the lens still answers");
}

// ------------------------------------------------------------------ a token that calls back


/**
 * Lists HOOK, an 18-decimal token that calls a target of the attacker's choice on every transfer
 * (`arm(target, calldata)`), priced $10, with a lending pool (funded by `lender`) and a HOOK/USDC
 * spot book (lot 0.001 HOOK, tick 10 USDC atoms: tick 1_000 = $10). Every actor holds and has
 * approved HOOK for the Clearinghouse and the pool.
 */
export async function listHookToken(v: Venue) {
  const hook = await new ReentrantToken__factory(v.admin).deploy();
  const H = await hook.getAddress();
  const chAddr = await v.ch.getAddress();
  await mined(v.ch.listAsset(H));
  await mined(v.oracle.setFeed(H, adminFeed(10n * WAD)));
  await mined(v.oracle.pushPrice(H, 10n * WAD));
  await mined(v.ch.setAssetRisk(H, 1_000n, 50n, 9_800n));
  // the pool lives in the Clearinghouse; outside lenders use its LendingVault (`pool` here)
  const pool = await new LendingVault__factory(v.admin).deploy(H, "Exchange HOOK pool", "xHOOK", chAddr);
  const poolAddr = await pool.getAddress();
  await mined(v.ch.listPool(H, poolAddr, DEFAULT_RATE_MODEL, 1_000n, 2n ** 200n, 2n ** 200n));
  const market = await createSpotMarket(v.protocol, {
    base: H, quote: v.U, lotSize: 10n ** 15n, tickSize: 10n, minLots: 1n, makerFeeBps: 0n, takerFeeBps: 0n, maxMakerFeeBps: 0n,
  });
  for (const s of [v.alice, v.bob, v.carol, v.dave, v.lender, v.outsider]) {
    await mined(hook.mint(s.address, 10n ** 30n));
    await mined(hook.connect(s).approve(chAddr, 2n ** 256n - 1n));
    await mined(hook.connect(s).approve(poolAddr, 2n ** 256n - 1n));
  }
  await mined(pool.connect(v.lender).deposit(100_000n * E18, v.lender.address));
  v.prices.set(H, 10n * WAD);
  // `market` builds a callback's calldata with its id (`market.interface.encodeFunctionData`); `book` is the plain handle
  return { hook, H, pool, market: withMarketCalldata(market), book: market };
}

/** What a callback's calldata is built with: a core function's name and its arguments after the market id. */
interface MarketCalldata {
  encodeFunctionData(name: string, args?: readonly unknown[]): string;
}

/**
 * Market `m` whose `interface.encodeFunctionData` puts the market id first where the core's function
 * takes one, so a callback armed with it calls the core's entry point for this market.
 */
export function withMarketCalldata(m: SpotMarket): Omit<SpotMarket, "interface"> & { interface: MarketCalldata } {
  const iface = m.interface as unknown as Interface;
  const calldata: MarketCalldata = {
    encodeFunctionData(name, args = []) {
      const f = iface.getFunction(name);
      if (!f) throw new Error(`no core function ${name}`);
      return iface.encodeFunctionData(f, f.inputs[0]?.name === "marketId" ? [m.marketId, ...args] : [...args]);
    },
  };
  return new Proxy(m, { get: (t, prop) => (prop === "interface" ? calldata : Reflect.get(t, prop)) }) as never;
}

/** HOOK held by the venue: the Clearinghouse (with the pool's cash) plus the HOOK LendingVault's balance. */
export async function hookHoldings(v: Venue, h: Awaited<ReturnType<typeof listHookToken>>): Promise<bigint> {
  return (await h.hook.balanceOf(await v.ch.getAddress())) + (await h.hook.balanceOf(await h.pool.getAddress()));
}

// ------------------------------------------------------------------ incident controls


/** Makes `who` a guardian only (it may pause and freeze; it is not governance). */
export const makeGuardian = (v: Venue, who: { address: string }) =>
  mined(v.protocol.manager.grantRole(GUARDIAN_ROLE, who.address, 0));

// ---------------------------------------------------------------- oracle feeds and liquidation
// (item 3 of issue #13: test/attack/oracle-mango.test.ts)

/** The oracle adapters a feed can come from. */
export type FeedKindName = "admin" | "chainlink" | "pyth";

/** A price source of one asset that a test moves. */
export interface PriceFeed {
  kind: FeedKindName;
  /** Quotes `priceWad` now, in one update. */
  set(priceWad: bigint): Promise<void>;
  /** Quotes the last price again now (keeps the feed fresh). */
  refresh(): Promise<void>;
}

/**
 * Points `sym`'s oracle at a feed of `kind` quoting `priceWad` now, through the core's `setFeed`
 * and nothing else (no `updateStablePrice`): admin keeps the venue's pushed feed; chainlink is a
 * MockAggregator (8 decimals), pyth Pyth's MockPyth (expo −8). Same policy as the venue's admin
 * feeds: 1 hour staleness, the stable price moving at most 5% an hour, bounds price / 1000 ×1000.
 */
export async function useFeed(v: Venue, sym: Sym, kind: FeedKindName, priceWad: bigint): Promise<PriceFeed> {
  const token = tokenOf(v, sym);
  if (kind === "admin") {
    const feed: PriceFeed = {
      kind,
      set: async (p) => void (await setPrice(v, sym, p)),
      refresh: async () => void (await setPrice(v, sym, v.prices.get(token)!)),
    };
    await feed.set(priceWad);
    return feed;
  }
  v.prices.delete(token); // no longer an admin feed: refreshPrices must skip it
  const raw = (p: bigint) => p / 10n ** 10n; // WAD → 8 decimals
  const policy = {
    pythPriceId: "0x" + "00".repeat(32),
    maxAgeSeconds: 3_600n,
    maxConfBps: 0n,
    maxStableMoveBpsPerHour: 500n,
    minPriceWad: priceWad / 1000n,
    maxPriceWad: priceWad * 1000n,
  };
  let last = priceWad;
  if (kind === "chainlink") {
    const agg = await new MockAggregator__factory(v.admin).deploy(8, raw(priceWad));
    await mined(v.oracle.setFeed(token, { ...policy, kind: 2n, feed: await agg.getAddress() }));
    return {
      kind,
      set: async (p) => {
        last = p;
        await mined(agg.setAnswer(raw(p)));
      },
      refresh: async () => void (await mined(agg.setAnswer(raw(last)))),
    };
  }
  const pyth = await new MockPythFeed__factory(v.admin).deploy(60, 0);
  const id = "0x" + BigInt(token).toString(16).padStart(64, "0");
  let published = 0n;
  const quote = async (p: bigint) => {
    last = p;
    const t = BigInt((await v.ethers.provider.getBlock("latest"))!.timestamp) + 1n;
    published = t > published ? t : published + 1n; // MockPyth keeps only strictly newer updates
    const data = await pyth.createPriceFeedUpdateData(id, raw(p), 0n, -8n, raw(p), 0n, published, 0n);
    await v.networkHelpers.time.setNextBlockTimestamp(published);
    await mined(pyth.updatePriceFeeds([data]));
  };
  await quote(priceWad);
  await mined(v.oracle.setFeed(token, { ...policy, kind: 3n, feed: await pyth.getAddress(), pythPriceId: id, maxConfBps: 100n }));
  return { kind, set: quote, refresh: () => quote(last) };
}

/** Moves time forward by `seconds`, then re-quotes every admin price and each of `feeds` unchanged. */
export async function elapse(v: Venue, seconds: bigint, ...feeds: PriceFeed[]): Promise<void> {
  await v.networkHelpers.time.increase(seconds);
  await refreshPrices(v);
  for (const f of feeds) if (f.kind !== "admin") await f.refresh();
}

/** Stores `sym`'s current stable price as its anchor (the core's `updateStablePrice`; anyone may call). */
export const updateStablePrice = (v: Venue, sym: Sym) => mined(v.oracle.updateStablePrice(tokenOf(v, sym)));

/** The oracle's (price, stable price) of `sym`, WAD USD. */
export const oraclePrices = (v: Venue, sym: Sym) => v.oracle.price(tokenOf(v, sym));

// ---- the core's prices (test/attack/core-prices.test.ts): every feed is the core's; a Chainlink or
// Pyth read is stored by the write that made it and reused while its feed time is at most 3 s old

/** The roles behind the core's price setters: governance sets feeds, the oracle role pushes prices. */
export const PRICE_ROLES = { governance: GOVERNANCE_ROLE, oracle: ORACLE_ROLE } as const;

/** Grants `role` (a PRICE_ROLES value) to any address, a contract too (through the AccessManager). */
export const grantRole = (v: Venue, role: bigint, who: string) => mined(v.protocol.manager.grantRole(role, who, 0));

/** `who` sets `sym`'s feed on the core (governance only). */
export const setFeedAs = (v: Venue, who: Who, sym: Sym, cfg: ReturnType<typeof adminFeed>) =>
  mined(v.ch.connect(who).setFeed(tokenOf(v, sym), cfg));

/** `who` pushes an Admin price for `sym` on the core (the oracle role only). */
export const pushPriceAs = (v: Venue, who: Who, sym: Sym, priceWad: bigint) =>
  mined(v.ch.connect(who).pushPrice(tokenOf(v, sym), priceWad));

/** `who` moves `sym`'s stable anchor (anyone may). */
export const updateStablePriceAs = (v: Venue, who: Who, sym: Sym) => mined(v.ch.connect(who).updateStablePrice(tokenOf(v, sym)));

/** `sym`'s feed configuration as the core holds it. */
export const feedOf = (v: Venue, sym: Sym) => v.ch.feedOf(tokenOf(v, sym));

/** `who`'s (equity, maintenance, initial) values (USD WAD), as the core's margin checks compute them now. */
export async function riskOf(v: Venue, who: { address: string }, sub = 0n) {
  const r = await v.ch.riskOf(acctOf(who, sub));
  return { equityWad: r.equityWad, maintenanceWad: r.maintenanceWad, initialWad: r.initialWad };
}

/** The lens's largest borrow of `sym` that keeps `who`'s initial value ≥ 0 (atoms). */
export const maxBorrow = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) => v.lens.maxBorrow(acctOf(who, sub), tokenOf(v, sym));

/** Makes the next transaction land at the latest block's time (views and it agree to the second). */
export const sameTime = (v: Venue) => sameTimeFx(v);

/** Starts `victim`'s liquidation auction (anyone may call). */
export const flagLiquidatable = (v: Venue, who: Who, victim: { address: string }, sub = 0n) =>
  mined(v.ch.connect(who).flagLiquidatable(acctOf(victim, sub)));

/**
 * `who` (from its sub-account 0) repays `repayAtoms` of `victim`'s `debtSym` debt and seizes
 * `collSym`; returns what the `Liquidated` event says was seized and at which discount.
 */
export async function liquidate(
  v: Venue,
  who: Who,
  victim: { address: string },
  debtSym: Sym,
  repayAtoms: bigint,
  collSym: Sym,
): Promise<{ seizedAtoms: bigint; discountBps: bigint }> {
  const r = await mined(v.ch.connect(who).liquidate(acctOf(victim), tokenOf(v, debtSym), repayAtoms, tokenOf(v, collSym), 0));
  for (const log of r.logs) {
    const e = v.ch.interface.parseLog(log);
    if (e?.name === "Liquidated") return { seizedAtoms: e.args.seizedAtoms, discountBps: e.args.discountBps };
  }
  throw new Error("no Liquidated event");
}

/** The largest liquidation discount (bps) on `collSym`: capShare × (shock + slippage). */
export async function maxDiscountBps(v: Venue, collSym: Sym): Promise<bigint> {
  const [, capShareBps] = await v.ch.liquidationParams();
  const pos = await v.ch.positionOf(acctOf(v.admin), tokenOf(v, collSym));
  return (BigInt(capShareBps) * (BigInt(pos.shockBps) + BigInt(pos.slippageBps))) / 10_000n;
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
  mined((m as Venue["market"]).connect(operator).placeOrderFor(owner.address, packOrder(o)));

/** `operator` runs batch ops (BatchOp layout) for `owner` on book `m`. */
export const batchFor = (v: Venue, operator: Who, owner: { address: string }, ops: bigint[], m: Book = v.market, sub = 0n) =>
  mined((m as Venue["market"]).connect(operator).batch(owner.address, sub, ops));

/** `operator` (or the owner) cancels an order on book `m`. */
export const cancelAs = (v: Venue, who: Who, orderId: bigint, m: Book = v.market) =>
  mined((m as Venue["market"]).connect(who).cancelOrder(orderId));

/** Ids of `owner`'s open orders on book `m`. */
export const openOrdersOf = (v: Venue, owner: { address: string }, m: Book = v.market, sub = 0n) =>
  allOpenOrders(m, owner.address, sub);

/** Moves time on by `seconds` without refreshing any price (admin feeds go stale after an hour). */
export const elapseStale = (v: Venue, seconds: number) => v.networkHelpers.time.increase(seconds);

/** `who`'s pocket on the WETH/USDC spot book (atoms). */
export async function spotPocketOf(v: Venue, who: { address: string }, sub = 0n) {
  const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = await v.market.pocketOf(who.address, sub);
  return { lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders };
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

/** The id of the order a placement receipt rested on market `m` (0 if none). */
export const placedId = (v: Venue, rc: { logs: readonly unknown[] }, m = v.ethPerp): bigint => {
  for (const l of rc.logs) {
    const p = m.interface.parseLog(l as never);
    if (p?.name === "OrderPlaced" && p.args.marketId === m.marketId) return p.args.orderId as bigint;
  }
  return 0n;
};

// ---- spot book internals (test/attack/book-griefing.test.ts) ----

/** What a spot-book receipt says: resting ids, cancels, expiries and the taker's fills (maker id, lots). */
export function spotEvents(v: Venue, receipt: BookReceipt) {
  const out = { placed: [] as bigint[], cancelled: [] as bigint[], expired: [] as bigint[], fills: [] as [bigint, bigint][] };
  const addr = (v.market.target as string).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== addr) continue;
    const ev = v.market.interface.parseLog(log);
    if (ev?.args.marketId !== v.market.marketId) continue; // the core logs every market's events
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
 * of index × (1 + premiumBps), and holds them until the rate-limited mark has arrived there.
 */
export async function pushPremium(v: Venue, maker: Who, premiumBps: bigint, lots = 10_000n, m = v.ethPerp) {
  const ids = await allOpenOrders(m, maker.address, 0);
  if (ids.length) await mined(m.connect(maker).cancelAll(maker.address, 0, [...ids]));
  const [indexLotWad] = await m.markPrice();
  const tickSize = (await m.perpParams()).tickSize;
  const target = (indexLotWad * (10_000n + premiumBps)) / (10_000n * WAD * tickSize);
  await placePerp(m, maker, { side: 0n, tick: target - 1n, lots });
  await placePerp(m, maker, { side: 1n, tick: target + 1n, lots });
  // the mark's premium follows the book at a rate limit (the whole clamp in two half-lives): hold the
  // quotes that long (prices refreshed), then a placement takes the funding sample there
  const halfLife = (await m.premiumState()).halfLifeSeconds;
  await warpFx(v, 2n * halfLife + 1n);
  await placePerp(m, maker, { side: 0n, tick: target - 1n, lots: 1n });
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


/** The liquidation discount (bps) `who` would be given now on `sym` collateral. */
export const liquidationDiscount = (v: Venue, who: { address: string }, sym: Sym, sub = 0n) =>
  v.ch.liquidationDiscountBps(acctOf(who, sub), tokenOf(v, sym));

/** `by` takes `lots` of `who`'s perp position (with the hedging spot leg if `withSpot`). */
export const liquidatePerp = (v: Venue, by: Who, who: { address: string }, lots: bigint, withSpot: boolean, m = v.ethPerp, sub = 0n) =>
  mined(v.ch.connect(by).liquidatePerp(m.marketId, acctOf(who, sub), lots, 0, withSpot));

/** The largest perp liquidation of `who` that `by` can make now (0 if none), by bisection on a static call. */
export async function largestPerpLiquidation(v: Venue, by: Who, who: { address: string }, withSpot: boolean, m = v.ethPerp, sub = 0n) {
  const size = await perpLots(v, who, m, sub);
  const ok = async (lots: bigint) => {
    try {
      await v.ch.connect(by).liquidatePerp.staticCall(m.marketId, acctOf(who, sub), lots, 0, withSpot);
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
    const e = v.ch.interface.parseLog(log);
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

/** Tokens of `sym` its pool holds as cash (in the Clearinghouse, which holds the pool). */
export const poolCash = async (v: Venue, sym: "WETH" | "USDC" | "WBTC") => v.ch.cash(tokenOf(v, sym));

/** Supply shares of `sym`'s pool held by margin accounts (the supply less the outside lenders' part). */
export async function marginLentShares(v: Venue, sym: "WETH" | "USDC" | "WBTC"): Promise<bigint> {
  const [, supply, outside] = await v.ch.lendingSupplyOf(tokenOf(v, sym));
  return supply - outside;
}

/**
 * `who` calls the Clearinghouse's side of the wrapper (`ILendingCore`) directly for `sym`'s pool, as
 * only that asset's registered LendingVault may: supply, mint, redeem or withdraw `amount`, paid to `who`.
 */
export function coreAsVault(v: Venue, who: Who, sym: "WETH" | "USDC" | "WBTC", kind: "supply" | "mint" | "redeem" | "withdraw", amount: bigint) {
  const ch = v.ch.connect(who);
  const t = tokenOf(v, sym);
  if (kind === "supply") return mined(ch.supplyFromVault(t, amount));
  if (kind === "mint") return mined(ch.mintFromVault(t, amount));
  if (kind === "redeem") return mined(ch.redeemToVault(t, amount, who.address));
  return mined(ch.withdrawToVault(t, amount, who.address));
}

/** A LendingVault of `sym` over the Clearinghouse that governance never registered (listPool). */
export async function impostorVault(v: Venue, sym: "WETH" | "USDC" | "WBTC") {
  return new LendingVault__factory(v.admin).deploy(tokenOf(v, sym), "Impostor", "IMP", await v.ch.getAddress());
}

/** What the pool of `sym` has lent out (interest accrued to now). */
export const poolTotalBorrows = (v: Venue, sym: "WETH" | "USDC" | "WBTC") => v.ch.totalBorrows(tokenOf(v, sym));

/** Whether the pool of `token` is frozen (the venue's freeze reaches every pool). */
export const poolFrozen = (v: Venue, token: string) => v.ch.poolFrozen(token);

/** Borrow shares owed to the pool of `token`, all borrowers together. */
export const poolBorrowShares = (v: Venue, token: string) => v.ch.totalBorrowShares(token);

// ------------------------------------------------------------------ outside lenders
// (the pool is held by the Clearinghouse; outside lenders use each asset's LendingVault, the
// ERC-4626 wrapper over it)

type PoolSym = "WETH" | "USDC" | "WBTC";

/** The ERC-4626 contract an outside lender of `sym` deals with (the target of its custom errors). */
export const lendingVault = (v: Venue, sym: PoolSym) => v.pools[sym];

/** `who` supplies `atoms` of `sym` as an outside lender (ERC-4626 deposit to itself). */
export async function lenderDeposit(v: Venue, who: Who, sym: PoolSym, atoms: bigint) {
  const pool = v.pools[sym];
  await mined(v.tokens[sym].connect(who).approve(await pool.getAddress(), 2n ** 256n - 1n));
  return mined(pool.connect(who).deposit(atoms, who.address));
}

/** `who` withdraws `atoms` of `sym` from `owner`'s supply (ERC-4626 withdraw, paid to `who`). */
export const lenderWithdraw = (v: Venue, who: Who, sym: PoolSym, atoms: bigint, owner: { address: string } = who) =>
  mined(v.pools[sym].connect(who).withdraw(atoms, who.address, owner.address));

/** `who` redeems `shares` of `sym` from `owner`'s supply (ERC-4626 redeem, paid to `who`). */
export const lenderRedeem = (v: Venue, who: Who, sym: PoolSym, shares: bigint, owner: { address: string } = who) =>
  mined(v.pools[sym].connect(who).redeem(shares, who.address, owner.address));

/** Supply shares `who` holds as an outside lender of `sym`. */
export const lenderShares = (v: Venue, who: { address: string }, sym: PoolSym) => v.pools[sym].balanceOf(who.address);

/** What `who`'s supply of `sym` is worth (rounded down) and the most it may withdraw now. */
export async function lenderPosition(v: Venue, who: { address: string }, sym: PoolSym) {
  const pool = v.pools[sym];
  const shares = await pool.balanceOf(who.address);
  return { shares, value: await pool.convertToAssets(shares), maxWithdraw: await pool.maxWithdraw(who.address), maxRedeem: await pool.maxRedeem(who.address) };
}

/**
 * A new 6-decimal token with an empty pool no one has supplied to yet (listed, without a price
 * feed): the first-deposit case. Returns the token, its pool, and `donate(who, atoms)` which sends tokens
 * straight to where the pool's cash sits.
 */
export async function freshPool(v: Venue) {
  const token = await new MockERC20__factory(v.admin).deploy("Fresh", "FRSH", 6);
  const T = await token.getAddress();
  const chAddr = await v.ch.getAddress();
  const pool = await new LendingVault__factory(v.admin).deploy(T, "Exchange FRSH pool", "xFRSH", chAddr);
  const poolAddr = await pool.getAddress();
  await mined(v.ch.listAsset(T));
  await mined(v.ch.listPool(T, poolAddr, DEFAULT_RATE_MODEL, 1_000n, 2n ** 200n, 2n ** 200n));
  for (const s of [v.alice, v.bob, v.lender, v.outsider]) {
    await mined(token.mint(s.address, 10n ** 24n));
    await mined(token.connect(s).approve(poolAddr, 2n ** 256n - 1n));
  }
  // the pool's cash sits in the Clearinghouse: a donation goes there (or to the vault: see lending.vault tests)
  const donate = (who: Who, atoms: bigint) => mined(token.connect(who).transfer(chAddr, atoms));
  return { token, pool, donate };
}

// ---- several markets in one core (test/attack/core-markets.test.ts) ----

/** The core bound to any market id, one no market has too. */
export const marketById = (v: Venue, id: bigint): SpotMarket => marketHandle(v.ch, id);

/** `who` places an order on book `m` (any market: the order word's units are the book's). */
export const orderOn = (v: Venue, who: Who, o: OrderParams, m: Book) => placePerp(m, who, o);

/** `by` cancels `who`'s orders `orderIds` on book `m` for a liquidation (anyone may, once `who` is liquidatable). */
export const cancelForLiquidation = (v: Venue, by: Who, who: { address: string }, orderIds: bigint[], m: Book = v.market, sub = 0n) =>
  mined(m.connect(by).cancelForLiquidation(who.address, sub, orderIds));

/** `by` cancels `who`'s orders `orderIds` on any markets (each id carries its market) for a liquidation, with one valuation. */
export const cancelAllForLiquidation = (v: Venue, by: Who, who: { address: string }, orderIds: bigint[], sub = 0n) =>
  mined(v.ch.connect(by).cancelAllForLiquidation(who.address, sub, orderIds));

/** `by` sweeps `who`'s pocket on spot book `m` into `who`'s balance (anyone may). */
export const sweepPocket = (v: Venue, by: Who, who: { address: string }, m: Book = v.market, sub = 0n) =>
  mined(m.connect(by).sweep(who.address, sub));

/** `by` settles `who`'s perp cash on perp market `m` into `who`'s balance (anyone may). */
export const settlePerp = (v: Venue, by: Who, who: { address: string }, m: Book = v.ethPerp, sub = 0n) =>
  mined(v.ch.connect(by).settlePerp(m.marketId, who.address, sub));

/** `by` takes over `who`'s bankrupt perp position on `m` (`resolveBankruptcy`). */
export const resolveBankruptcy = (v: Venue, by: Who, who: { address: string }, m: Book = v.ethPerp, sub = 0n) =>
  mined(v.ch.connect(by).resolveBankruptcy(m.marketId, acctOf(who, sub), 0));

/** `who`'s pocket on book `m` (atoms; a perp book's pocket reads as its spot shape: zeros). */
export async function pocketOn(v: Venue, who: { address: string }, m: Book, sub = 0n) {
  const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = await m.pocketOf(who.address, sub);
  return { lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders };
}

/** `who`'s whole perp position on `m`: size, entry, cash, funding owed, open bid and ask lots. */
export const perpPositionOf = async (v: Venue, who: { address: string }, m: Book = v.ethPerp, sub = 0n) => [
  ...(await v.ch.perpPositionOf(m.marketId, acctOf(who, sub))),
];

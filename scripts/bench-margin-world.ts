// The margin layer on top of the warmed-up spot world of bench-world.ts: the oracle, ATLAS's
// parameters in the core and a lending pool for each of five assets (deployMargin), and the accounts the margin scenarios of
// bench-margin.ts measure. Conditions, as for the spot scenarios:
// - every trading account below deposited, traded once as maker and once as taker on the
//   WETH/USDC book, and (except the account to be liquidated) keeps a background bid;
// - the pools are in use: lenders' funds lent, borrowers' debt accruing, so every pool touch
//   accrues interest (a measured transaction never shares a block time with the last touch);
// - prices were updated in earlier blocks, so every read of them is cold;
// - every asset is priced by a Chainlink-style feed (a MockAggregator each, 8 decimals, as
//   Chainlink's USD feeds; production on MegaETH reads Chainlink-style and Pyth feeds), not an
//   Admin feed: the core stores a read from a feed and reuses it while it is at most 3 s old, so a
//   margin key costs a stored word with fresh prices and a feed call per asset with stale ones
//   (bench-prices.ts).
import type { Signer } from "ethers";
import { deployToken } from "./lib/deploy.ts";
import { adminFeed, deployMargin, type Margin, type MarginAsset } from "./lib/deploy-margin.ts";
import { MockAggregator__factory } from "../types/ethers-contracts/index.js";
import type { MockAggregator, MockERC20 } from "../types/ethers-contracts/index.js";
import { accountId } from "../sdk/src/math/order.ts";
import { labelAddress } from "./bench-profile.ts";
import { type World, ask, bid, buyIoc, done, rest, BACKGROUND_BID, BACKSTOP_ASK } from "./bench-world.ts";

const WAD = 10n ** 18n;
export const USDC_UNIT = 10n ** 6n;

export interface MarginWorld extends Margin {
  /** WETH, USDC, WBTC, LINK, UNI: the five assets an account may hold. */
  assets: MockERC20[];
  /** Every priced asset (these five and any a later world lists) and its price: `refreshPrices` sets it. */
  priceWad: Map<string, bigint>;
  /** Each priced asset's Chainlink-style feed (`useAggregator`). */
  aggregators: Map<string, MockAggregator>;
  /** USDC and WETH lent (setLending on); supplies the pools. */
  lender: Signer;
  /** WETH collateral, borrows USDC. */
  borrower: Signer;
  /** WETH collateral, borrowForOrders on: buys WETH on the book with borrowed USDC. */
  marginTaker: Signer;
  /** WETH collateral and USDC debt near its limit; traded, no resting order. */
  liquidatee: Signer;
  /** Idle USDC, no debt. */
  liquidator: Signer;
  /** Hold idle balances of one and of all five assets, and lent balances of one and five. */
  holders: { idle1: Signer; idle5: Signer; lent1: Signer; lent5: Signer };
  /** Every margin account that trades (for sweeps). */
  traders: Signer[];
}

export const id = async (s: Signer) => accountId((await s.getAddress()) as `0x${string}`);

/**
 * Moves the chain clock on: the next block is mined exactly `seconds` after the latest one. (Not
 * `evm_increaseTime`, which adds to the wall-clock offset: the gap would then also hold whatever
 * wall-clock seconds the bench spent, and time-dependent paths, such as a perp premium reaching its
 * target, would flip from run to run.)
 */
export async function elapse(w: World, seconds: number): Promise<void> {
  const latest = await w.ethers.provider.getBlock("latest");
  await w.provider.request({ method: "evm_setNextBlockTimestamp", params: [latest!.timestamp + seconds] });
}

/** The feed kind Chainlink (IOracle's FeedKind). */
export const FEED_CHAINLINK = 2n;
/** Decimals of the bench's aggregators: Chainlink's USD feeds'. */
export const FEED_DECIMALS = 8n;

/** An aggregator's answer for `priceWad` (USD per whole token, rounded down to FEED_DECIMALS). */
export const answerOf = (priceWad: bigint): bigint => priceWad / 10n ** (18n - FEED_DECIMALS);

/**
 * Chainlink feed config over `aggregator`: as the Admin feeds of deploy-margin.ts (1 hour
 * staleness, stable price moving at most 5% an hour, sanity bounds 1/1000× to 1000× the price).
 */
export function chainlinkFeed(aggregator: string, priceWad: bigint) {
  return { ...adminFeed(priceWad), kind: FEED_CHAINLINK, feed: aggregator };
}

/**
 * Prices `token` (listed, with a feed or none) by a new MockAggregator at `priceWad`: sets it as
 * the token's Chainlink feed on the core (which reads its decimals, and anchors the stable price
 * at its answer) and adds it to the world's feeds, which `refreshPrices` updates.
 */
export async function useAggregator(w: World, m: Margin & Pick<MarginWorld, "priceWad" | "aggregators">, token: string, symbol: string, priceWad: bigint): Promise<void> {
  const aggregator = await new MockAggregator__factory(w.protocol.admin).deploy(FEED_DECIMALS, answerOf(priceWad));
  await aggregator.waitForDeployment();
  const address = await aggregator.getAddress();
  labelAddress(address, `MockAggregator(${symbol})`);
  await done(m.oracle.setFeed(token, chainlinkFeed(address, priceWad)));
  m.aggregators.set(token, aggregator);
  m.priceWad.set(token, priceWad);
  const [readWad] = await m.oracle.price(token);
  if (readWad !== answerOf(priceWad) * 10n ** (18n - FEED_DECIMALS)) throw new Error(`${symbol}: the core reads ${readWad}`);
}

/** Gas limit of each price transaction (sent unestimated: the pending block's clock may have staled the feeds). */
const PRICE_TX_GAS = 300_000n;

/**
 * Sets every aggregator's round to its asset's current price (`priceWad`: the five above and
 * whatever a later world lists) as of the block time, then has the core read every feed and store
 * the read (`updateStablePrice`, which also moves the stable anchor), all in one block; returns
 * that block's timestamp. Every stored price is then as old as its feed's round: a margin action
 * within 3 s of it reads the stored words, a later one re-reads (and stores) every feed it values.
 * One block also keeps the clock from moving a second per transaction.
 */
export async function refreshPrices(w: World, m: MarginWorld): Promise<number> {
  await w.provider.request({ method: "evm_setAutomine", params: [false] });
  const sent = [];
  try {
    const opts = { gasLimit: PRICE_TX_GAS };
    // One sender: the block keeps nonce order, so every round is set before the core reads it.
    for (const [token, priceWad] of m.priceWad) sent.push(await m.aggregators.get(token)!.setAnswer(answerOf(priceWad), opts));
    for (const token of m.priceWad.keys()) sent.push(await m.oracle.updateStablePrice(token, opts));
    await w.provider.request({ method: "evm_mine", params: [] });
  } finally {
    await w.provider.request({ method: "evm_setAutomine", params: [true] });
  }
  let block = -1;
  for (const tx of sent) {
    const receipt = await tx.wait();
    if (receipt === null || receipt.status !== 1) throw new Error("price update failed");
    if (block !== -1 && receipt.blockNumber !== block) throw new Error("price updates not in one block");
    block = receipt.blockNumber;
  }
  return (await w.ethers.provider.getBlock(block))!.timestamp;
}

/**
 * A funded wallet from a fixed key (`bench-<world>-<n>`): the same addresses (so the same calldata)
 * on every run.
 */
export async function wallet(w: World, n: number, world = "margin"): Promise<Signer> {
  const key = w.ethers.keccak256(w.ethers.toUtf8Bytes(`bench-${world}-${n}`));
  const s = new w.ethers.Wallet(key, w.ethers.provider);
  await w.provider.request({ method: "hardhat_setBalance", params: [s.address, "0x3635c9adc5dea00000"] });
  return s;
}

/** Mints `atoms` to `s` and deposits them into its account. */
export async function fund(w: World, s: Signer, token: MockERC20, atoms: bigint): Promise<void> {
  await done(token.mint(await s.getAddress(), atoms));
  await done(token.connect(s).approve(await w.ch.getAddress(), 2n ** 256n - 1n));
  await done(w.ch.connect(s).deposit(await token.getAddress(), 0, atoms));
}

export async function buildMarginWorld(w: World): Promise<MarginWorld> {
  const admin = w.protocol.admin;
  const wbtc = await deployToken(admin, "Wrapped Bitcoin", "WBTC", 8);
  const link = await deployToken(admin, "Chainlink", "LINK", 18);
  const uni = await deployToken(admin, "Uniswap", "UNI", 18);
  const assets = [w.weth, w.usdc, wbtc, link, uni];
  const spec: [MockERC20, string, bigint, bigint, bigint][] = [
    [w.weth, "WETH", 3_000n * WAD, 1_000n, 50n],
    [w.usdc, "USDC", WAD, 100n, 10n],
    [wbtc, "WBTC", 60_000n * WAD, 1_000n, 50n],
    [link, "LINK", 15n * WAD, 2_000n, 100n],
    [uni, "UNI", 8n * WAD, 2_000n, 100n],
  ];
  const list: MarginAsset[] = [];
  // Caps: the default multiples of what this world seeds into each pool (the lender's USDC and
  // WETH, and the `lent5` holder's amounts below).
  const seedAtoms: Record<string, bigint> = {
    USDC: 10_000_000n * USDC_UNIT,
    WETH: 1_000n * WAD,
    WBTC: 10n ** 8n,
    LINK: 2_000n * WAD,
    UNI: 4_000n * WAD,
  };
  for (const [t, symbol, p, shockBps, slippageBps] of spec) {
    const token = await t.getAddress();
    list.push({ token, symbol, priceWad: p, shockBps, slippageBps, pool: { seedAtoms: seedAtoms[symbol] } });
    labelAddress(token, symbol);
  }
  // deployMargin sets Admin feeds; each is replaced by its asset's aggregator (the core is the oracle).
  const margin = await deployMargin(w.protocol, list);
  labelAddress(await margin.lens.getAddress(), "AtlasLens");
  const priceWad = new Map<string, bigint>();
  const aggregators = new Map<string, MockAggregator>();
  for (const a of list) await useAggregator(w, { ...margin, priceWad, aggregators }, a.token, a.symbol, a.priceWad);
  for (const [sym, pool] of Object.entries(margin.pools)) labelAddress(await pool.getAddress(), `LendingVault(${sym})`);

  const [lender, borrower, marginTaker, liquidatee, liquidator] = await Promise.all(
    [0, 1, 2, 3, 4].map((n) => wallet(w, n)),
  );
  const [idle1, idle5, lent1, lent5] = await Promise.all([5, 6, 7, 8].map((n) => wallet(w, n)));
  const traders = [lender, borrower, marginTaker, liquidatee, liquidator];
  const m: MarginWorld = {
    ...margin,
    assets,
    priceWad,
    aggregators,
    lender,
    borrower,
    marginTaker,
    liquidatee,
    liquidator,
    holders: { idle1, idle5, lent1, lent5 },
    traders,
  };

  // Deposits: the lender supplies the pools; the others hold WETH collateral and USDC to trade.
  await fund(w, lender, w.usdc, 10_000_000n * USDC_UNIT);
  await done(w.usdc.mint(await lender.getAddress(), 1_000_000n * USDC_UNIT)); // its wallet holds USDC too
  await fund(w, lender, w.weth, 1_000n * WAD);
  for (const s of traders.slice(1)) {
    await fund(w, s, w.weth, (s === liquidatee ? 10n : 100n) * WAD);
    await fund(w, s, w.usdc, 100_000n * USDC_UNIT);
  }
  // Everyone trades once as maker (an ask the anchor takes) and once as taker.
  for (const s of traders) await rest(w, s, ask(300_120n, 1n));
  await done(w.market.connect(w.anchor).placeOrder(buyIoc(300_120n, BigInt(traders.length))));
  for (const s of traders) await done(w.market.connect(s).placeOrder(buyIoc(BACKSTOP_ASK, 1n)));
  for (const s of traders) await done(w.market.sweep(await s.getAddress(), 0));
  for (const s of traders) if (s !== liquidatee) await rest(w, s, bid(BACKGROUND_BID, 1n));

  const usdc = await w.usdc.getAddress();
  const weth = await w.weth.getAddress();
  await done(w.ch.connect(lender).setLending(usdc, 0, true));
  await done(w.ch.connect(lender).setLending(weth, 0, true));
  // Borrowers and the margin taker hold no idle USDC: what they spend is borrowed.
  for (const s of [borrower, marginTaker, liquidatee]) {
    const idle = await w.ch.balanceOf(await id(s), usdc);
    await done(w.ch.connect(s).withdraw(usdc, 0, idle, await s.getAddress()));
  }
  await done(w.ch.connect(marginTaker).setBorrowPolicy(0, true, false));
  // The account to be liquidated borrows all but 1 USDC of what initial margin allows.
  const room = await m.lens.maxBorrow(await id(liquidatee), usdc);
  await done(w.ch.connect(liquidatee).borrow(usdc, 0, room - USDC_UNIT, await liquidatee.getAddress()));

  // Valuation holders: idle (or lent) balances of the first asset, or of all five.
  const amounts = [10n * WAD, 30_000n * USDC_UNIT, 10n ** 8n, 2_000n * WAD, 4_000n * WAD];
  for (const [s, n, lent] of [
    [idle1, 1, false],
    [idle5, 5, false],
    [lent1, 1, true],
    [lent5, 5, true],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await fund(w, s, assets[i], amounts[i]);
      if (lent) await done(w.ch.connect(s).setLending(await assets[i].getAddress(), 0, true));
    }
  }
  return m;
}

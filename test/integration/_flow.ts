// Helpers for the integration flows: placing through the real entry points and reading back
// what the receipt says, fee arithmetic as docs/EVENTS.md states it, and the vault identity.
import { expect } from "chai";
import type { ContractTransactionResponse, Signer } from "ethers";
import { deployFixture } from "../helpers/fixture.ts";
import { createSpotMarket } from "../../scripts/lib/deploy.ts";
import { accountId, decodeFill, encodeOrder, type DecodedFill, type OrderParams } from "../../sdk/src/math/order.ts";
import type { MockERC20 } from "../../types/ethers-contracts/index.js";
import type { SpotMarket } from "../../scripts/lib/market.ts";

export type Fx = Awaited<ReturnType<typeof deployFixture>>;

/** A charge in basis points, rounded up: what the protocol takes (docs/EVENTS.md). */
export const ceilBps = (amount: bigint, bps: bigint) => (amount * bps + 9_999n) / 10_000n;
/** A rebate in basis points, rounded down: what the protocol gives. */
export const floorBps = (amount: bigint, bps: bigint) => (amount * bps) / 10_000n;

export interface TradeEvent {
  filled: bigint;
  notional: bigint;
  takerFee: bigint;
  fills: DecodedFill[];
}

export interface TxOutcome {
  /** Id of the order that rests (from OrderPlaced), else 0. */
  orderId: bigint;
  placed: bigint[];
  cancelled: bigint[];
  trade?: TradeEvent;
}

/** Waits for a market transaction and decodes the market's own events (those carrying its id). */
export async function outcome(market: SpotMarket, tx: Promise<ContractTransactionResponse>): Promise<TxOutcome> {
  const receipt = (await (await tx).wait())!;
  const out: TxOutcome = { orderId: 0n, placed: [], cancelled: [] };
  const addr = (await market.getAddress()).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== addr) continue;
    const p = market.interface.parseLog(log);
    // every market's events come from the core: keep this market's (its id is each event's first arg)
    if (p?.args.marketId !== market.marketId) continue;
    if (p?.name === "OrderPlaced") out.placed.push(p.args.orderId as bigint);
    if (p?.name === "OrderCancelled") out.cancelled.push(p.args.orderId as bigint);
    if (p?.name === "Trade") {
      const summary = p.args.summary as bigint;
      out.trade = {
        filled: summary & ((1n << 48n) - 1n),
        notional: (summary >> 48n) & ((1n << 112n) - 1n),
        takerFee: summary >> 160n,
        fills: (p.args.fills as bigint[]).map(decodeFill),
      };
    }
  }
  out.orderId = out.placed.at(-1) ?? 0n;
  return out;
}

export function place(market: SpotMarket, signer: Signer, o: OrderParams) {
  return outcome(market, market.connect(signer).placeOrder(encodeOrder(o)));
}

export async function balance(fx: Fx, who: Signer, token: MockERC20, sub = 0n) {
  return fx.ch.balanceOf(accountId((await who.getAddress()) as `0x${string}`, sub), await token.getAddress());
}

/** Pocket in market units: lots and tick units, as the book keeps it. */
export async function pocket(market: SpotMarket, who: Signer, sub = 0n) {
  const [lotSize, tickSize] = [await market.LOT_SIZE(), await market.TICK_SIZE()];
  const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = await market.pocketOf(await who.getAddress(), sub);
  return {
    lockedLots: lockedBase / lotSize,
    lockedTicks: lockedQuote / tickSize,
    unsweptLots: unsweptBase / lotSize,
    unsweptTicks: unsweptQuote / tickSize,
    openOrders,
  };
}

/** Adds a second market (WBTC/USDC, 8 and 6 decimals) to the fixture. */
export async function addWbtcMarket(fx: Fx, fees: { maker: bigint; taker: bigint; maxMaker: bigint }) {
  return createSpotMarket(fx.protocol, {
    base: await fx.wbtc.getAddress(),
    quote: await fx.usdc.getAddress(),
    lotSize: 10n ** 4n, // 0.0001 WBTC
    tickSize: 100n, // 0.0001 USDC per lot per tick: $1 per WBTC
    minLots: 1n,
    makerFeeBps: fees.maker,
    takerFeeBps: fees.taker,
    maxMakerFeeBps: fees.maxMaker,
  });
}

/**
 * I1 from the chain alone: for each token, the vault's balance equals every account's balance,
 * every pocket on every market, the fees markets hold, and the reserve, to the atom.
 */
export async function expectVaultBalanced(fx: Fx, markets: SpotMarket[], holders: Signer[], subs = [0n, 1n]) {
  const chAddr = await fx.ch.getAddress();
  for (const token of [fx.weth, fx.wbtc, fx.usdc]) {
    const t = await token.getAddress();
    let sum = await fx.ch.reserveOf(t);
    for (const h of holders) for (const sub of subs) sum += await balance(fx, h, token, sub);
    for (const m of markets) {
      const [base, quote] = [await m.BASE(), await m.QUOTE()];
      if (base !== t && quote !== t) continue;
      if (quote === t) sum += (await m.marketState())[3];
      for (const h of holders) {
        for (const sub of subs) {
          const [lockedBase, lockedQuote, unsweptBase, unsweptQuote] = await m.pocketOf(await h.getAddress(), sub);
          sum += base === t ? lockedBase + unsweptBase : lockedQuote + unsweptQuote;
        }
      }
    }
    expect(await token.balanceOf(chAddr), `vault of ${await token.symbol()}`).to.equal(sum);
  }
}

import { erc20Abi, type Address, type Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import type { MarketGrid } from "../../math/units.ts";

export interface GetPerpMarketParameters extends ReadOptions, MarketParameters {}

/** A perp market's parameters, grid and token decimals (its `grid` part feeds the order actions' decimals). */
export interface GetPerpMarketReturnType extends MarketGrid {
  /** The core that holds the market. */
  clearinghouse: Address;
  /** The market's id in the core (also bits 111..96 of every order id). */
  marketId: bigint;
  /** The underlying (`base` of the grid) and the settlement asset. */
  underlying: Address;
  quote: Address;
  minLots: bigint;
  makerFeeBps: bigint;
  takerFeeBps: bigint;
  maxMakerFeeBps: bigint;
  oiCapLots: bigint;
  positionCapLots: bigint;
  maxPremiumBps: bigint;
  interestPpmPerHour: bigint;
  fundingClampPpm: bigint;
  fundingCapPpm: bigint;
  liquidityBps: bigint;
  impactNotionalUsd: bigint;
  basisBps: bigint;
  floorBps: bigint;
}

export type PerpMarketInfo = GetPerpMarketReturnType;

/**
 * Reads a perp market's parameters (`perpParams(marketId)` of the core) and its tokens' decimals:
 * two reads. A spot market's id reverts `WrongMarketKindError`. Pass the result as `grid` to `placeOrder`/`batchOrders` to use decimal prices.
 *
 * @example
 * const perp = await getPerpMarket(client, { clearinghouse, marketId: ethPerp })
 * await placeOrder(client, { clearinghouse, marketId: ethPerp, grid: perp, side: Side.Bid, price: "3000", size: "1.5" })
 */
export async function getPerpMarket(client: Client, parameters: GetPerpMarketParameters): Promise<GetPerpMarketReturnType> {
  const { clearinghouse, marketId, ...options } = parameters;
  return withDecodedErrors(async () => {
    const [p] = await readMany(
      client,
      [{ address: clearinghouse, abi: clearinghouseAbi, functionName: "perpParams", args: [marketId] }] as const,
      options,
    );
    const [baseDecimals, quoteDecimals] = await readMany(
      client,
      [
        { address: p.underlying, abi: erc20Abi, functionName: "decimals" },
        { address: p.quote, abi: erc20Abi, functionName: "decimals" },
      ] as const,
      options,
    );
    return {
      clearinghouse,
      marketId,
      underlying: p.underlying,
      quote: p.quote,
      lotSize: p.lotSize,
      tickSize: p.tickSize,
      baseDecimals,
      quoteDecimals,
      minLots: p.minLots,
      makerFeeBps: BigInt(p.makerFeeBps),
      takerFeeBps: BigInt(p.takerFeeBps),
      maxMakerFeeBps: BigInt(p.maxMakerFeeBps),
      oiCapLots: p.oiCapLots,
      positionCapLots: p.positionCapLots,
      maxPremiumBps: BigInt(p.maxPremiumBps),
      interestPpmPerHour: BigInt(p.interestPpmPerHour),
      fundingClampPpm: BigInt(p.fundingClampPpm),
      fundingCapPpm: BigInt(p.fundingCapPpm),
      liquidityBps: BigInt(p.liquidityBps),
      impactNotionalUsd: p.impactNotionalUsd,
      basisBps: BigInt(p.basisBps),
      floorBps: BigInt(p.floorBps),
    };
  });
}

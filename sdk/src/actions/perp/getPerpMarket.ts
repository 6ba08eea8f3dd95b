import { erc20Abi, type Address, type Client } from "viem";
import { perpMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import type { MarketGrid } from "../../math/units.ts";

export interface GetPerpMarketParameters extends ReadOptions {
  market: Address;
}

/** A perp market's parameters, grid and token decimals (its `grid` part feeds the order actions' decimals). */
export interface GetPerpMarketReturnType extends MarketGrid {
  address: Address;
  /** Index in the Clearinghouse (also bits 111..96 of every order id). */
  index: bigint;
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
  /** The PerpLiquidator the market trusts. */
  liquidator: Address;
}

export type PerpMarketInfo = GetPerpMarketReturnType;

/**
 * Reads a perp market's parameters (`perpParams`), index, liquidator and token decimals: two
 * batched reads. Pass the result as `grid` to `placeOrder`/`batchOrders` to use decimal prices.
 *
 * @example
 * const perp = await getPerpMarket(client, { market: ethPerp })
 * await placeOrder(client, { market: ethPerp, grid: perp, side: Side.Bid, price: "3000", size: "1.5" })
 */
export async function getPerpMarket(client: Client, parameters: GetPerpMarketParameters): Promise<GetPerpMarketReturnType> {
  const { market, ...options } = parameters;
  return withDecodedErrors(async () => {
    const [p, index, liquidator] = await readMany(
      client,
      [
        { address: market, abi: perpMarketAbi, functionName: "perpParams" },
        { address: market, abi: perpMarketAbi, functionName: "INDEX" },
        { address: market, abi: perpMarketAbi, functionName: "LIQUIDATOR" },
      ] as const,
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
      address: market,
      index,
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
      liquidator,
    };
  });
}

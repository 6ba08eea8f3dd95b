import type { Address, Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { accountId } from "../../math/order.ts";
import { fundingOwed, FUNDING_SCALE, PPM } from "../../math/perp.ts";

export interface GetFundingParameters extends ReadOptions, MarketParameters {
  /** Whose position to project the next hour's payment for; default the client's account if it has one. */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export interface GetFundingReturnType {
  /** Funding rate in force, ppm of the index per hour (positive: longs pay shorts). */
  ratePpmPerHour: bigint;
  /** Premium of the book over the index at the last update, ppm. */
  premiumPpm: bigint;
  /** Cumulative funding index now, quote atoms × 1e9 per lot. */
  cumulativeIndex: bigint;
  /** Unix seconds of the last funding update (after a move of the best bid or ask; else at most once a minute). */
  lastUpdate: bigint;
  /** Oracle index per lot now, quote atoms × 1e18. */
  indexLotWad: bigint;
  /** Funding per lot over the next hour at this rate, quote atoms × 1e9 (the index change). */
  perLotPerHour: bigint;
  /**
   * Cumulative bankruptcy loss charged per long and per short lot (quote atoms × 1e9 per lot,
   * `lossPerLot`): a position owes |size| × its side's rise since it last settled.
   */
  longLossPerLot: bigint;
  shortLossPerLot: bigint;
  /** The account's position (lots) and funding owed now, bankruptcy charges included (quote atoms, positive = pays); 0 without an account. */
  sizeLots: bigint;
  fundingOwedAtoms: bigint;
  /**
   * What the position pays (positive) or receives (negative) over the next hour if rate and index
   * hold: size × rate × index per lot, rounded as the market rounds (`PerpMath.fundingOwed`).
   */
  nextHourAtoms: bigint;
}

/**
 * A perp market's funding state and, for a position, the payment over the next hour:
 * size × rate × index per lot, sign included (positive: the account pays).
 *
 * @example
 * const f = await getFunding(client, { clearinghouse, marketId: ethPerp, owner: alice })
 * console.log(f.ratePpmPerHour, f.nextHourAtoms)
 */
export async function getFunding(client: Client, parameters: GetFundingParameters): Promise<GetFundingReturnType> {
  return withDecodedErrors(async () => {
    const owner = parameters.owner ?? client.account?.address;
    const m = { address: parameters.clearinghouse, abi: clearinghouseAbi } as const;
    const id = parameters.marketId;
    const [[cumulativeIndex, ratePpmPerHour, lastUpdate, premiumPpm], [indexLotWad], [longLossPerLot, shortLossPerLot], position] = (await readMany(
      client,
      [
        { ...m, functionName: "funding", args: [id] },
        { ...m, functionName: "markPrice", args: [id] },
        { ...m, functionName: "lossPerLot", args: [id] },
        ...(owner ? [{ ...m, functionName: "perpPositionOf", args: [id, accountId(owner, parameters.sub ?? 0n)] } as const] : []),
      ] as const,
      parameters,
    )) as unknown as [
      readonly [bigint, bigint, bigint, bigint],
      readonly [bigint, bigint],
      readonly [bigint, bigint],
      (readonly [bigint, bigint, bigint, bigint, bigint, bigint]) | undefined,
    ];
    // as the core's funding update (`PerpLib`): the index change per second, in quote atoms × 1e9 per lot
    const perSec = (ratePpmPerHour * indexLotWad) / (PPM * 3600n * (10n ** 18n / FUNDING_SCALE));
    const perLotPerHour = perSec * 3600n;
    const sizeLots = position?.[0] ?? 0n;
    return {
      ratePpmPerHour,
      premiumPpm,
      cumulativeIndex,
      lastUpdate,
      indexLotWad,
      perLotPerHour,
      longLossPerLot,
      shortLossPerLot,
      sizeLots,
      fundingOwedAtoms: position?.[3] ?? 0n,
      nextHourAtoms: fundingOwed(sizeLots, perLotPerHour, 0n),
    };
  });
}

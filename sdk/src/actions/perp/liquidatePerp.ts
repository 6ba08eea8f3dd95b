import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { marketLogs } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface LiquidatePerpParameters extends WriteOptions, MarketParameters {
  /** The account to liquidate. */
  owner: Address;
  /** Its sub-account; default 0. */
  sub?: bigint;
  /** Lots of its position to take over. */
  lots: bigint;
  /** The liquidator's sub-account that takes the position; default 0. */
  liquidatorSub?: bigint;
  /** Also take the opposite spot leg (lots × lot size of the underlying) at the smaller hedge discount. */
  withSpot?: boolean;
}

export type LiquidatePerpReturnType = Hash;

export interface LiquidatePerpSyncReturnType {
  receipt: TransactionReceipt;
  /** From `PositionLiquidated`: the liquidator's trade (signed lots), the price per lot in quote atoms, spot atoms moved, discount. */
  lots: bigint;
  priceAtoms: bigint;
  spotAtoms: bigint;
  discountBps: bigint;
}

const request = (p: LiquidatePerpParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "liquidatePerp",
  args: [p.marketId, accountId(p.owner, p.sub ?? 0n), p.lots, Number(p.liquidatorSub ?? 0n), p.withSpot ?? false],
});

/**
 * Takes over `lots` of a liquidatable account's position on perp market `marketId` into the
 * sender's sub-account at the mark ∓ the Dutch-auction discount (the core's `liquidatePerp`);
 * `withSpot` also takes its opposite spot leg. The account must have no open orders on the market
 * (`cancelForLiquidation` first).
 *
 * @example
 * await liquidatePerp(client, { clearinghouse, marketId: ethPerp, owner: bob, lots: 500n })
 */
export async function liquidatePerp(client: Client, parameters: LiquidatePerpParameters): Promise<LiquidatePerpReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "liquidatePerp"));
}

/**
 * Liquidates and waits for the receipt; returns the `PositionLiquidated` figures.
 *
 * @example
 * const { priceAtoms, discountBps } = await liquidatePerpSync(client, { clearinghouse, marketId: ethPerp, owner: bob, lots: 500n })
 */
export async function liquidatePerpSync(
  client: Client,
  parameters: LiquidatePerpParameters & SyncOptions,
): Promise<LiquidatePerpSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "liquidatePerp");
    const [e] = marketLogs(receipt.logs, parameters.clearinghouse, parameters.marketId, ["PositionLiquidated"]);
    return { receipt, lots: e.args.lots, priceAtoms: e.args.priceAtoms, spotAtoms: e.args.spotAtoms, discountBps: e.args.discountBps };
  });
}

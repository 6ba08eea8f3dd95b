import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { perpLiquidatorAbi, perpMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface LiquidatePerpParameters extends WriteOptions {
  market: Address;
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
  /** The PerpLiquidator; read from the market when omitted. */
  liquidator?: Address;
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

async function request(client: Client, p: LiquidatePerpParameters): Promise<WriteRequest> {
  const liquidator =
    p.liquidator ?? (await readContract(client, { address: p.market, abi: perpMarketAbi, functionName: "LIQUIDATOR" }));
  return {
    address: liquidator,
    abi: perpLiquidatorAbi,
    functionName: "liquidate",
    args: [p.market, accountId(p.owner, p.sub ?? 0n), p.lots, Number(p.liquidatorSub ?? 0n), p.withSpot ?? false],
  };
}

/**
 * Takes over `lots` of a liquidatable account's perp position into the sender's sub-account at the
 * mark ∓ the Dutch-auction discount (`PerpLiquidator.liquidate`); `withSpot` also takes its opposite
 * spot leg. The account must have no open orders on the market (`cancelForLiquidation` first).
 *
 * @example
 * await liquidatePerp(client, { market: ethPerp, owner: bob, lots: 500n })
 */
export async function liquidatePerp(client: Client, parameters: LiquidatePerpParameters): Promise<LiquidatePerpReturnType> {
  return withDecodedErrors(async () => sendWrite(client, await request(client, parameters), parameters, "liquidatePerp"));
}

/**
 * Liquidates and waits for the receipt; returns the `PositionLiquidated` figures.
 *
 * @example
 * const { priceAtoms, discountBps } = await liquidatePerpSync(client, { market: ethPerp, owner: bob, lots: 500n })
 */
export async function liquidatePerpSync(
  client: Client,
  parameters: LiquidatePerpParameters & SyncOptions,
): Promise<LiquidatePerpSyncReturnType> {
  return withDecodedErrors(async () => {
    const req = await request(client, parameters);
    const receipt = await sendWriteSync(client, req, parameters, "liquidatePerp");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, req.address));
    const [e] = parseEventLogs({ abi: perpLiquidatorAbi, logs: own, eventName: "PositionLiquidated" });
    return { receipt, lots: e.args.lots, priceAtoms: e.args.priceAtoms, spotAtoms: e.args.spotAtoms, discountBps: e.args.discountBps };
  });
}

import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { decodeMarketEvents, type SweptEvent } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SweepParameters extends WriteOptions, MarketParameters {
  /** Account owner; default the sender (anyone may sweep any account). */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SweepReturnType = Hash;

export interface SweepSyncReturnType {
  receipt: TransactionReceipt;
  /** Atoms moved into the Clearinghouse balance. */
  swept: SweptEvent;
}

function request(client: Client, p: SweepParameters): WriteRequest {
  const owner = p.owner ?? resolveAccount(client, p.account, "sweep").address;
  return {
    address: p.clearinghouse,
    abi: clearinghouseAbi,
    functionName: "sweep",
    args: [p.marketId, owner, Number(p.sub ?? 0n)],
  };
}

/**
 * Moves an account's unswept proceeds (fills, cancelled locks) from a spot market's pocket into its
 * Clearinghouse balance, where they can be withdrawn.
 *
 * @example
 * await sweep(client, { clearinghouse, marketId })
 */
export async function sweep(client: Client, parameters: SweepParameters): Promise<SweepReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(client, parameters), parameters, "sweep"));
}

/**
 * Sweeps and waits for the receipt; returns the atoms moved.
 *
 * @example
 * const { swept } = await sweepSync(client, { clearinghouse, marketId })
 * swept.quoteAtoms
 */
export async function sweepSync(client: Client, parameters: SweepParameters & SyncOptions): Promise<SweepSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(client, parameters), parameters, "sweep");
    const [swept] = decodeMarketEvents(receipt.logs, parameters.clearinghouse, parameters.marketId).swept;
    return { receipt, swept };
  });
}

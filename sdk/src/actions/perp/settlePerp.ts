import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { marketLogs } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SettlePerpParameters extends WriteOptions, MarketParameters {
  /** Account owner; default the sender (anyone may settle anyone). */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SettlePerpReturnType = Hash;

export interface SettlePerpSyncReturnType {
  receipt: TransactionReceipt;
  /** Quote atoms moved into the Clearinghouse balance (signed; 0 if nothing was unsettled). */
  settledAtoms: bigint;
}

function request(client: Client, p: SettlePerpParameters): WriteRequest {
  const owner = p.owner ?? resolveAccount(client, p.account, "settlePerp").address;
  return {
    address: p.clearinghouse,
    abi: clearinghouseAbi,
    functionName: "settlePerp",
    args: [p.marketId, owner, Number(p.sub ?? 0n)],
  };
}

/**
 * Settles an account's funding on perp market `marketId` and moves its unsettled cash (maker
 * fills, realised PnL) into its Clearinghouse quote balance (`settlePerp(marketId, owner, sub)`).
 * Anyone may call it for anyone.
 *
 * @example
 * await settlePerp(client, { clearinghouse, marketId: ethPerp, owner: alice })
 */
export async function settlePerp(client: Client, parameters: SettlePerpParameters): Promise<SettlePerpReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(client, parameters), parameters, "settlePerp"));
}

/**
 * Settles and waits for the receipt; returns the quote atoms moved (`CashSettled` of this market).
 *
 * @example
 * const { settledAtoms } = await settlePerpSync(client, { clearinghouse, marketId: ethPerp })
 */
export async function settlePerpSync(client: Client, parameters: SettlePerpParameters & SyncOptions): Promise<SettlePerpSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(client, parameters), parameters, "settlePerp");
    const events = marketLogs(receipt.logs, parameters.clearinghouse, parameters.marketId, ["CashSettled"]);
    return { receipt, settledAtoms: events.reduce((sum, e) => sum + e.args.quoteAtoms, 0n) };
  });
}

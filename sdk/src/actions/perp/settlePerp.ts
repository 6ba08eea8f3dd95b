import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { perpMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SettlePerpParameters extends WriteOptions {
  market: Address;
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
  return { address: p.market, abi: perpMarketAbi, functionName: "settle", args: [owner, Number(p.sub ?? 0n)] };
}

/**
 * Settles an account's funding and moves its unsettled perp cash (maker fills, realised PnL) into
 * its Clearinghouse quote balance (`PerpMarket.settle`). Anyone may call it for anyone.
 *
 * @example
 * await settlePerp(client, { market: ethPerp, owner: alice })
 */
export async function settlePerp(client: Client, parameters: SettlePerpParameters): Promise<SettlePerpReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(client, parameters), parameters, "settlePerp"));
}

/**
 * Settles and waits for the receipt; returns the quote atoms moved (`CashSettled`).
 *
 * @example
 * const { settledAtoms } = await settlePerpSync(client, { market: ethPerp })
 */
export async function settlePerpSync(client: Client, parameters: SettlePerpParameters & SyncOptions): Promise<SettlePerpSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(client, parameters), parameters, "settlePerp");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.market));
    const events = parseEventLogs({ abi: perpMarketAbi, logs: own, eventName: "CashSettled" });
    return { receipt, settledAtoms: events.reduce((sum, e) => sum + e.args.quoteAtoms, 0n) };
  });
}

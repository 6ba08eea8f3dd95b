import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SetOperatorBandParameters extends WriteOptions {
  clearinghouse: Address;
  /**
   * Price band in bps around the oracle index within which the sub-account's operators may
   * trade: an operator's bid at most index × (1 + band), its ask at least index × (1 − band).
   * 0 < bandBps ≤ 5000 (50%); the default, until set, is 200 (2%).
   */
  bandBps: bigint;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SetOperatorBandReturnType = Hash;

export interface SetOperatorBandSyncReturnType {
  receipt: TransactionReceipt;
}

const request = (p: SetOperatorBandParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "setOperatorBand",
  args: [Number(p.sub ?? 0n), Number(p.bandBps)],
});

/**
 * Sets the price band the operators (agent keys) of one of the sender's sub-accounts trade
 * within. The owner's own orders are never bounded. Reverts with `InvalidOperatorBandError`
 * outside (0, 5000].
 *
 * @example
 * await setOperatorBand(client, { clearinghouse, bandBps: 50n }) // operators within ±0.5%
 */
export async function setOperatorBand(client: Client, parameters: SetOperatorBandParameters): Promise<SetOperatorBandReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "setOperatorBand"));
}

/**
 * Sets the operators' price band and waits for the receipt.
 *
 * @example
 * await setOperatorBandSync(client, { clearinghouse, bandBps: 100n, sub: 1n })
 */
export async function setOperatorBandSync(
  client: Client,
  parameters: SetOperatorBandParameters & SyncOptions,
): Promise<SetOperatorBandSyncReturnType> {
  return withDecodedErrors(async () => ({
    receipt: await sendWriteSync(client, request(parameters), parameters, "setOperatorBand"),
  }));
}

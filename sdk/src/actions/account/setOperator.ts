import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SetOperatorParameters extends WriteOptions {
  clearinghouse: Address;
  /** Agent address that may place and cancel (never withdraw or transfer). */
  operator: Address;
  /** Default true; false revokes. */
  approved?: boolean;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SetOperatorReturnType = Hash;

export interface SetOperatorSyncReturnType {
  receipt: TransactionReceipt;
}

const request = (p: SetOperatorParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "setOperator",
  args: [Number(p.sub ?? 0n), p.operator, p.approved ?? true],
});

/**
 * Approves (or revokes) an operator for one of the sender's sub-accounts: a bot key that may
 * trade for the account but never move its funds out.
 *
 * @example
 * await setOperator(client, { clearinghouse, operator: botAddress })
 */
export async function setOperator(client: Client, parameters: SetOperatorParameters): Promise<SetOperatorReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "setOperator"));
}

/**
 * Approves or revokes an operator and waits for the receipt.
 *
 * @example
 * await setOperatorSync(client, { clearinghouse, operator: botAddress, approved: false })
 */
export async function setOperatorSync(
  client: Client,
  parameters: SetOperatorParameters & SyncOptions,
): Promise<SetOperatorSyncReturnType> {
  return withDecodedErrors(async () => ({
    receipt: await sendWriteSync(client, request(parameters), parameters, "setOperator"),
  }));
}

import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SetLendingParameters extends WriteOptions {
  clearinghouse: Address;
  token: Address;
  /** Default true: lend the positive balance to the token's pool; false takes it back to idle. */
  lent?: boolean;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SetLendingReturnType = Hash;

export interface SetLendingSyncReturnType {
  receipt: TransactionReceipt;
}

const request = (p: SetLendingParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "setLending",
  args: [p.token, Number(p.sub ?? 0n), p.lent ?? true],
});

/**
 * Opts one asset of a sub-account in (or out) of lending: a positive balance is then held as
 * pool shares and earns the supply rate, and Atlas counts it at the asset's lent haircut. A
 * token without a pool reverts `NoPoolError`.
 *
 * @example
 * await setLending(client, { clearinghouse, token: usdc })
 */
export async function setLending(client: Client, parameters: SetLendingParameters): Promise<SetLendingReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "setLending"));
}

/**
 * Opts an asset in or out of lending and waits for the receipt.
 *
 * @example
 * await setLendingSync(client, { clearinghouse, token: usdc, lent: false })
 */
export async function setLendingSync(
  client: Client,
  parameters: SetLendingParameters & SyncOptions,
): Promise<SetLendingSyncReturnType> {
  return withDecodedErrors(async () => ({
    receipt: await sendWriteSync(client, request(parameters), parameters, "setLending"),
  }));
}

import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SetBorrowPolicyParameters extends WriteOptions {
  clearinghouse: Address;
  /** Orders (settled by markets) may take balances negative: margin trading. */
  forOrders: boolean;
  /** Withdrawals may take balances negative. (`borrow` always may.) */
  forWithdrawals: boolean;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type SetBorrowPolicyReturnType = Hash;

export interface SetBorrowPolicySyncReturnType {
  receipt: TransactionReceipt;
}

const request = (p: SetBorrowPolicyParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "setBorrowPolicy",
  args: [Number(p.sub ?? 0n), p.forOrders, p.forWithdrawals],
});

/**
 * Sets whether a sub-account's orders and withdrawals may borrow what its balance lacks. A
 * borrow must still leave initial value ≥ 0 (`InsufficientMarginError` otherwise).
 *
 * @example
 * await setBorrowPolicy(client, { clearinghouse, forOrders: true, forWithdrawals: false })
 */
export async function setBorrowPolicy(client: Client, parameters: SetBorrowPolicyParameters): Promise<SetBorrowPolicyReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "setBorrowPolicy"));
}

/**
 * Sets the borrow policy and waits for the receipt.
 *
 * @example
 * await setBorrowPolicySync(client, { clearinghouse, forOrders: true, forWithdrawals: true, sub: 1n })
 */
export async function setBorrowPolicySync(
  client: Client,
  parameters: SetBorrowPolicyParameters & SyncOptions,
): Promise<SetBorrowPolicySyncReturnType> {
  return withDecodedErrors(async () => ({
    receipt: await sendWriteSync(client, request(parameters), parameters, "setBorrowPolicy"),
  }));
}

import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface SettleBadDebtParameters extends WriteOptions {
  clearinghouse: Address;
  /** The bankrupt account. */
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** The token it owes. */
  token: Address;
}

export type SettleBadDebtReturnType = Hash;

export interface SettleBadDebtSyncReturnType {
  receipt: TransactionReceipt;
  /** Borrow shares written off and the loss in atoms (the pool's reserve covers it first). */
  shares: bigint;
  lossAtoms: bigint;
}

const request = (p: SettleBadDebtParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "settleBadDebt",
  args: [accountId(p.owner, p.sub ?? 0n), p.token],
});

/**
 * Writes off a bankrupt account's debt in `token` against that token's pool: its reserve first,
 * then its lenders' share price, and no one else. Anyone may call once every balance of the
 * account is ≤ 0 and its pockets are empty, or once its equity is below zero and what it still
 * holds is dust worth at most one cent, which goes to the Clearinghouse's reserve first
 * (`NotBankruptError` otherwise; `NoDebtError` when it owes none of `token`).
 *
 * @example
 * await settleBadDebt(client, { clearinghouse, owner: bob, token: usdc })
 */
export async function settleBadDebt(client: Client, parameters: SettleBadDebtParameters): Promise<SettleBadDebtReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "settleBadDebt"));
}

/**
 * Settles the bad debt and waits for the receipt; returns the shares and atoms written off.
 *
 * @example
 * const { lossAtoms } = await settleBadDebtSync(client, { clearinghouse, owner: bob, token: usdc })
 */
export async function settleBadDebtSync(
  client: Client,
  parameters: SettleBadDebtParameters & SyncOptions,
): Promise<SettleBadDebtSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "settleBadDebt");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.clearinghouse));
    const [e] = parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: "BadDebtSettled" });
    return { receipt, shares: e.args.shares, lossAtoms: e.args.lossAtoms };
  });
}

import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface BorrowParameters extends WriteOptions {
  clearinghouse: Address;
  token: Address;
  /** Atoms sent to `to`: taken from the balance first, the rest borrowed from the token's pool. */
  atoms: bigint;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Recipient; default the sender. */
  to?: Address;
}

export type BorrowReturnType = Hash;

export interface BorrowSyncReturnType {
  receipt: TransactionReceipt;
  /** Atoms of new debt (0 when the balance covered the whole amount). */
  borrowedAtoms: bigint;
  /** Borrow shares of the token's pool the new debt took (from the same `Borrowed` event; the pool logs none). */
  borrowShares: bigint;
}

function request(client: Client, p: BorrowParameters): WriteRequest {
  const to = p.to ?? resolveAccount(client, p.account, "borrow").address;
  return { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "borrow", args: [p.token, Number(p.sub ?? 0n), p.atoms, to] };
}

/**
 * Withdraws `atoms` of `token`, borrowing from its pool whatever the balance lacks; the account's
 * initial value must stay ≥ 0 (`InsufficientMarginError`). Preview the most it can take with
 * `maxBorrow`.
 *
 * @example
 * await borrow(client, { clearinghouse, token: usdc, atoms: 15_000_000_000n })
 */
export async function borrow(client: Client, parameters: BorrowParameters): Promise<BorrowReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(client, parameters), parameters, "borrow"));
}

/**
 * Borrows and waits for the receipt; returns the new debt taken, in atoms and in borrow shares.
 *
 * @example
 * const { borrowedAtoms } = await borrowSync(client, { clearinghouse, token: usdc, atoms: 15_000_000_000n })
 */
export async function borrowSync(client: Client, parameters: BorrowParameters & SyncOptions): Promise<BorrowSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(client, parameters), parameters, "borrow");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.clearinghouse));
    // the debit's Borrowed event is the new debt (the pool paid it straight to the receiver it
    // names); the idle part of the amount books no debt and logs no Borrowed
    const borrowed = parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: "Borrowed" });
    const borrowedAtoms = borrowed.reduce((sum, e) => sum + e.args.atoms, 0n);
    const borrowShares = borrowed.reduce((sum, e) => sum + e.args.shares, 0n);
    return { receipt, borrowedAtoms, borrowShares };
  });
}

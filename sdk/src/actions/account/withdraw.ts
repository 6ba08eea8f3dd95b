import type { Address, Client, Hash, TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { readMany } from "../../internal/read.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface WithdrawParameters extends WriteOptions {
  clearinghouse: Address;
  token: Address;
  /** Token atoms, or "all" for the whole free balance (after any sweep). */
  amount: bigint | "all";
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Recipient; default the sender. */
  to?: Address;
  /** Ids of the spot markets whose unswept proceeds to sweep into the balance first (skipped when empty). */
  sweep?: readonly bigint[];
}

export interface WithdrawReturnType {
  hash: Hash;
  /** Amount withdrawn, in atoms. */
  amount: bigint;
  /** Receipts of the sweeps sent first. */
  sweeps: TransactionReceipt[];
}

export interface WithdrawSyncReturnType {
  receipt: TransactionReceipt;
  amount: bigint;
  sweeps: TransactionReceipt[];
}

async function prepare(client: Client, p: WithdrawParameters & SyncOptions) {
  const sender = resolveAccount(client, p.account, "withdraw");
  const sub = p.sub ?? 0n;
  const markets = p.sweep ?? [];
  const pockets = (await readMany(
    client,
    markets.map(
      (m) => ({ address: p.clearinghouse, abi: clearinghouseAbi, functionName: "pocketOf", args: [m, sender.address, Number(sub)] }) as const,
    ),
  )) as readonly (readonly bigint[])[];
  const sweeps: TransactionReceipt[] = [];
  let nonce = p.nonce;
  for (const [i, market] of markets.entries()) {
    const [, , unsweptBase, unsweptQuote] = pockets[i];
    if (unsweptBase === 0n && unsweptQuote === 0n) continue;
    sweeps.push(
      await sendWriteSync(
        client,
        { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "sweep", args: [market, sender.address, Number(sub)] },
        { account: sender, nonce, timeout: p.timeout, pollingInterval: p.pollingInterval },
        "withdraw",
      ),
    );
    if (nonce !== undefined) nonce++;
  }
  const amount =
    p.amount === "all"
      ? await readContract(client, {
          address: p.clearinghouse,
          abi: clearinghouseAbi,
          functionName: "balanceOf",
          args: [accountId(sender.address, sub), p.token],
        })
      : p.amount;
  const req: WriteRequest = {
    address: p.clearinghouse,
    abi: clearinghouseAbi,
    functionName: "withdraw",
    args: [p.token, Number(sub), amount, p.to ?? sender.address],
  };
  return { req, amount, sweeps, options: { ...p, account: sender, nonce } };
}

/**
 * Withdraws free balance to `to` (owner only: operators cannot). Pass `sweep` to first move
 * unswept proceeds of those spot markets (ids) into the balance; "all" withdraws everything free.
 *
 * @example
 * await withdraw(client, { clearinghouse, token: usdc, amount: "all", sweep: [1n] })
 */
export async function withdraw(client: Client, parameters: WithdrawParameters): Promise<WithdrawReturnType> {
  return withDecodedErrors(async () => {
    const { req, amount, sweeps, options } = await prepare(client, parameters);
    return { hash: await sendWrite(client, req, options, "withdraw"), amount, sweeps };
  });
}

/**
 * Withdraws (sweeping first if asked) and waits for the receipt.
 *
 * @example
 * const { amount } = await withdrawSync(client, { clearinghouse, token: weth, amount: 10n ** 18n })
 */
export async function withdrawSync(
  client: Client,
  parameters: WithdrawParameters & SyncOptions,
): Promise<WithdrawSyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, amount, sweeps, options } = await prepare(client, parameters);
    return { receipt: await sendWriteSync(client, req, options, "withdraw"), amount, sweeps };
  });
}

import { erc20Abi, maxUint256, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface DepositParameters extends WriteOptions {
  clearinghouse: Address;
  token: Address;
  /** Token atoms. */
  amount: bigint;
  /** Sub-account; default 0. */
  sub?: bigint;
  /**
   * When the allowance is short: approve exactly `amount` ("exact", default), the maximum
   * ("max"), or nothing (false: the deposit then reverts with ERC20InsufficientAllowanceError).
   */
  approve?: "exact" | "max" | false;
}

export interface DepositReturnType {
  hash: Hash;
  /** Receipt of the approval sent first, if one was needed. */
  approval: TransactionReceipt | undefined;
}

export interface DepositSyncReturnType {
  receipt: TransactionReceipt;
  approval: TransactionReceipt | undefined;
}

/** Approves first if needed (waiting for it, so the deposit's estimate sees the allowance). */
async function prepare(client: Client, p: DepositParameters & SyncOptions) {
  const sender = resolveAccount(client, p.account, "deposit");
  const allowance = await readContract(client, {
    address: p.token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [sender.address, p.clearinghouse],
  });
  let approval: TransactionReceipt | undefined;
  let nonce = p.nonce;
  if (allowance < p.amount && (p.approve ?? "exact") !== false) {
    const value = p.approve === "max" ? maxUint256 : p.amount;
    approval = await sendWriteSync(
      client,
      { address: p.token, abi: erc20Abi, functionName: "approve", args: [p.clearinghouse, value] },
      { account: sender, nonce, timeout: p.timeout, pollingInterval: p.pollingInterval },
      "deposit",
    );
    if (nonce !== undefined) nonce++;
  }
  const req: WriteRequest = {
    address: p.clearinghouse,
    abi: clearinghouseAbi,
    functionName: "deposit",
    args: [p.token, Number(p.sub ?? 0n), p.amount],
  };
  return { req, approval, options: { ...p, account: sender, nonce } };
}

/**
 * Deposits `amount` atoms of a listed token into the sender's sub-account, approving the
 * Clearinghouse first when the allowance is short.
 *
 * @example
 * const { hash } = await deposit(client, { clearinghouse, token: usdc, amount: 1_000_000_000n })
 */
export async function deposit(client: Client, parameters: DepositParameters): Promise<DepositReturnType> {
  return withDecodedErrors(async () => {
    const { req, approval, options } = await prepare(client, parameters);
    return { hash: await sendWrite(client, req, options, "deposit"), approval };
  });
}

/**
 * Deposits (approving first when needed) and waits for the receipt.
 *
 * @example
 * const { receipt, approval } = await depositSync(client, { clearinghouse, token: weth, amount: 10n ** 18n })
 */
export async function depositSync(
  client: Client,
  parameters: DepositParameters & SyncOptions,
): Promise<DepositSyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, approval, options } = await prepare(client, parameters);
    return { receipt: await sendWriteSync(client, req, options, "deposit"), approval };
  });
}

import { erc20Abi, isAddressEqual, maxUint256, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { lendingVaultAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export interface SupplyParameters extends WriteOptions {
  /** The LendingVault (ERC-4626, over the Clearinghouse's pool) of the asset. */
  pool: Address;
  /** Asset atoms to lend. */
  assets: bigint;
  /** Who receives the shares; default the sender. */
  receiver?: Address;
  /** When the allowance is short: approve exactly `assets` ("exact", default), the maximum ("max"), or nothing (false). */
  approve?: "exact" | "max" | false;
}

export interface SupplyReturnType {
  hash: Hash;
  /** Receipt of the approval sent first, if one was needed. */
  approval: TransactionReceipt | undefined;
}

export interface SupplySyncReturnType {
  receipt: TransactionReceipt;
  approval: TransactionReceipt | undefined;
  /** Pool shares minted (ERC-4626 `Deposit` event), rounded down: the pool's side. */
  shares: bigint;
}

async function prepare(client: Client, p: SupplyParameters & SyncOptions) {
  const sender = resolveAccount(client, p.account, "supply");
  const asset = await readContract(client, { address: p.pool, abi: lendingVaultAbi, functionName: "asset" });
  const allowance = await readContract(client, {
    address: asset,
    abi: erc20Abi,
    functionName: "allowance",
    args: [sender.address, p.pool],
  });
  let approval: TransactionReceipt | undefined;
  let nonce = p.nonce;
  if (allowance < p.assets && (p.approve ?? "exact") !== false) {
    approval = await sendWriteSync(
      client,
      { address: asset, abi: erc20Abi, functionName: "approve", args: [p.pool, p.approve === "max" ? maxUint256 : p.assets] },
      { account: sender, nonce, timeout: p.timeout, pollingInterval: p.pollingInterval },
      "supply",
    );
    if (nonce !== undefined) nonce++;
  }
  const req: WriteRequest = {
    address: p.pool,
    abi: lendingVaultAbi,
    functionName: "deposit",
    args: [p.assets, p.receiver ?? sender.address],
  };
  return { req, approval, options: { ...p, account: sender, nonce } };
}

/**
 * Lends `assets` to a pool as an outside lender (ERC-4626 `deposit`), approving the pool first
 * when the allowance is short. Shares earn the pool's supply rate; a trader's own balance can
 * instead be lent from inside the account with `setLending`.
 *
 * @example
 * const { hash } = await supply(client, { pool: usdcPool, assets: 1_000_000_000n })
 */
export async function supply(client: Client, parameters: SupplyParameters): Promise<SupplyReturnType> {
  return withDecodedErrors(async () => {
    const { req, approval, options } = await prepare(client, parameters);
    return { hash: await sendWrite(client, req, options, "supply"), approval };
  });
}

/**
 * Lends to a pool (approving first when needed), waits for the receipt and returns the shares minted.
 *
 * @example
 * const { shares } = await supplySync(client, { pool: usdcPool, assets: 1_000_000_000n, approve: "max" })
 */
export async function supplySync(client: Client, parameters: SupplyParameters & SyncOptions): Promise<SupplySyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, approval, options } = await prepare(client, parameters);
    const receipt = await sendWriteSync(client, req, options, "supply");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.pool));
    const [deposit] = parseEventLogs({ abi: lendingVaultAbi, logs: own, eventName: "Deposit" });
    return { receipt, approval, shares: deposit.args.shares };
  });
}

import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { lendingVaultAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";

export type WithdrawSupplyParameters = WriteOptions & {
  pool: Address;
  /** Who receives the assets; default the sender. */
  receiver?: Address;
  /** Whose shares are burnt; default the sender (someone else's needs their ERC-20 allowance). */
  owner?: Address;
} & (
    | {
        /** Asset atoms to take out (ERC-4626 `withdraw`; the shares burnt round up: the pool's side). */
        assets: bigint;
        shares?: undefined;
      }
    | {
        /** Shares to redeem (ERC-4626 `redeem`; the assets round down), or "all" the owner holds. */
        shares: bigint | "all";
        assets?: undefined;
      }
  );

export interface WithdrawSupplyReturnType {
  hash: Hash;
}

export interface WithdrawSupplySyncReturnType {
  receipt: TransactionReceipt;
  /** From the ERC-4626 `Withdraw` event. */
  assets: bigint;
  shares: bigint;
}

async function request(client: Client, p: WithdrawSupplyParameters): Promise<WriteRequest> {
  const sender = resolveAccount(client, p.account, "withdrawSupply").address;
  const owner = p.owner ?? sender;
  const receiver = p.receiver ?? sender;
  if (p.assets !== undefined) {
    return { address: p.pool, abi: lendingVaultAbi, functionName: "withdraw", args: [p.assets, receiver, owner] };
  }
  const shares =
    p.shares === "all"
      ? await readContract(client, { address: p.pool, abi: lendingVaultAbi, functionName: "balanceOf", args: [owner] })
      : p.shares;
  return { address: p.pool, abi: lendingVaultAbi, functionName: "redeem", args: [shares, receiver, owner] };
}

/**
 * Takes supplied funds out of a pool: `assets` (ERC-4626 `withdraw`) or `shares` (`redeem`,
 * "all" for every share). More than the pool's cash (lent out to borrowers) reverts
 * `InsufficientCashError` with what is available.
 *
 * @example
 * await withdrawSupply(client, { pool: usdcPool, shares: "all" })
 */
export async function withdrawSupply(client: Client, parameters: WithdrawSupplyParameters): Promise<WithdrawSupplyReturnType> {
  return withDecodedErrors(async () => ({
    hash: await sendWrite(client, await request(client, parameters), parameters, "withdrawSupply"),
  }));
}

/**
 * Withdraws or redeems supplied funds and waits for the receipt; returns the assets paid and shares burnt.
 *
 * @example
 * const { assets, shares } = await withdrawSupplySync(client, { pool: usdcPool, assets: 500_000_000n })
 */
export async function withdrawSupplySync(
  client: Client,
  parameters: WithdrawSupplyParameters & SyncOptions,
): Promise<WithdrawSupplySyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, await request(client, parameters), parameters, "withdrawSupply");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.pool));
    const [w] = parseEventLogs({ abi: lendingVaultAbi, logs: own, eventName: "Withdraw" });
    return { receipt, assets: w.args.assets, shares: w.args.shares };
  });
}

import {
  erc20Abi,
  isAddressEqual,
  maxUint256,
  parseEventLogs,
  type Address,
  type Client,
  type Hash,
  type TransactionReceipt,
} from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { NothingToRepayError } from "../../errors/client.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { readMany } from "../../internal/read.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

/** Seconds of interest "all" adds on top of the debt read, so the repayment still covers it when mined. */
export const REPAY_ALL_INTEREST_SECONDS = 3_600n;

export interface RepayParameters extends WriteOptions {
  clearinghouse: Address;
  token: Address;
  /**
   * Atoms pulled from the sender's wallet, or "all": the debt read now plus an hour of interest at
   * the current rate (rounded up), so it is cleared when mined; the surplus stays in the account.
   */
  atoms: bigint | "all";
  /** Whose account is repaid; default the sender (anyone may repay anyone's debt). */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** When the allowance is short: approve exactly the amount ("exact", default), the maximum ("max"), or nothing (false). */
  approve?: "exact" | "max" | false;
}

export interface RepayReturnType {
  hash: Hash;
  /** Atoms sent. */
  atoms: bigint;
  approval: TransactionReceipt | undefined;
}

export interface RepaySyncReturnType {
  receipt: TransactionReceipt;
  atoms: bigint;
  /** Borrow shares the repayment burnt (0 when the account owed nothing), from the Clearinghouse's `Repaid`. */
  repaidShares: bigint;
  approval: TransactionReceipt | undefined;
}

async function prepare(client: Client, p: RepayParameters & SyncOptions) {
  const sender = resolveAccount(client, p.account, "repay");
  const owner = p.owner ?? sender.address;
  const sub = p.sub ?? 0n;
  let atoms: bigint;
  if (p.atoms === "all") {
    const [balance, rate] = await readMany(client, [
      { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "balanceOf", args: [accountId(owner, sub), p.token] },
      { address: p.clearinghouse, abi: clearinghouseAbi, functionName: "borrowRatePerSecondWad", args: [p.token] },
    ] as const);
    if (balance >= 0n) throw new NothingToRepayError(p.token, owner, sub);
    const debt = -balance;
    // rounded up: the repayment must not fall short of the debt when mined
    const interest = (debt * rate * REPAY_ALL_INTEREST_SECONDS + 10n ** 18n - 1n) / 10n ** 18n;
    atoms = debt + interest + 1n;
  } else {
    atoms = p.atoms;
  }
  const allowance = await readContract(client, {
    address: p.token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [sender.address, p.clearinghouse],
  });
  let approval: TransactionReceipt | undefined;
  let nonce = p.nonce;
  if (allowance < atoms && (p.approve ?? "exact") !== false) {
    approval = await sendWriteSync(
      client,
      { address: p.token, abi: erc20Abi, functionName: "approve", args: [p.clearinghouse, p.approve === "max" ? maxUint256 : atoms] },
      { account: sender, nonce, timeout: p.timeout, pollingInterval: p.pollingInterval },
      "repay",
    );
    if (nonce !== undefined) nonce++;
  }
  const req: WriteRequest = {
    address: p.clearinghouse,
    abi: clearinghouseAbi,
    functionName: "repay",
    args: [p.token, owner, Number(sub), atoms],
  };
  return { req, atoms, approval, options: { ...p, account: sender, nonce } };
}

/**
 * Pays `atoms` from the sender's wallet into an account (default the sender's): debt first, the
 * rest becomes balance. Never blocked by prices or pauses. Approves the Clearinghouse first when
 * the allowance is short.
 *
 * @example
 * await repay(client, { clearinghouse, token: usdc, atoms: "all" })
 */
export async function repay(client: Client, parameters: RepayParameters): Promise<RepayReturnType> {
  return withDecodedErrors(async () => {
    const { req, atoms, approval, options } = await prepare(client, parameters);
    return { hash: await sendWrite(client, req, options, "repay"), atoms, approval };
  });
}

/**
 * Repays (approving first when needed) and waits for the receipt; returns the atoms sent and the
 * borrow shares burnt (the Clearinghouse's `Repaid` is the one log of the repayment).
 *
 * @example
 * const { atoms, repaidShares } = await repaySync(client, { clearinghouse, token: usdc, atoms: 5_000_000_000n })
 */
export async function repaySync(client: Client, parameters: RepayParameters & SyncOptions): Promise<RepaySyncReturnType> {
  return withDecodedErrors(async () => {
    const { req, atoms, approval, options } = await prepare(client, parameters);
    const receipt = await sendWriteSync(client, req, options, "repay");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.clearinghouse));
    const repaidShares = parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: "Repaid" })
      .reduce((sum, e) => sum + e.args.shares, 0n);
    return { receipt, atoms, repaidShares, approval };
  });
}

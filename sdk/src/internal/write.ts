// Sends contract writes, with a "sync" path that returns the receipt. MegaETH answers
// `eth_sendRawTransactionSync` (EIP-7966) with the receipt in one round trip; nodes without
// it (Hardhat, most others) get the classic send + wait for receipt.
import type { Abi, Account, Address, Client, Hash, TransactionReceipt } from "viem";
import { pythAbi, pythUpdateFee, type PythUpdate } from "./pyth.ts";
import { estimateContractGas, waitForTransactionReceipt, writeContract, writeContractSync } from "viem/actions";
import { TransactionRevertedError } from "../errors/revert.ts";
import { resolveAccount } from "./account.ts";

/** Options every write action takes. */
export interface WriteOptions {
  /** Sender; defaults to the client's account. */
  account?: Account | Address;
  /**
   * Gas limit; when omitted, the estimate plus a margin (`gasWithMargin`). An estimate also
   * surfaces revert reasons early.
   */
  gas?: bigint;
  nonce?: number;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  /**
   * Pyth price updates the write needs. The core reads a Pyth feed as it stands (and keeps a read
   * for 3 s), so a write that values an asset priced by Pyth after its price went stale pushes the
   * update first: it is sent from the same account with the fee Pyth asks (`getUpdateFee`) and
   * waited for, then the write follows with the next nonce (both land in the same block or
   * consecutive ones; on MegaETH one mini-block apart).
   */
  pythUpdate?: PythUpdate;
}

/** Options of the `…Sync` forms, which wait for the receipt. */
export interface SyncOptions {
  /** Milliseconds to wait for the receipt. */
  timeout?: number;
  /** Polling interval when the node has no synchronous send. */
  pollingInterval?: number;
}

export interface WriteRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Wei sent with the call (Pyth's update fee); none by default. */
  value?: bigint;
}

// Per client: false once the node said it has no eth_sendRawTransactionSync.
const syncSupport = new Map<string, boolean>();

const UNSUPPORTED_CODES = new Set([-32601, -32004]);
const UNSUPPORTED_NAMES = new Set(["MethodNotFoundRpcError", "MethodNotSupportedRpcError"]);

function isMethodUnsupported(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e !== null && typeof e === "object" && i < 16; e = (e as { cause?: unknown }).cause, i++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === "number" && UNSUPPORTED_CODES.has(code)) return true;
    if (typeof name === "string" && UNSUPPORTED_NAMES.has(name)) return true;
  }
  return false;
}

/**
 * The gas limit sent for an estimate: +20% and 30,000. Gas depends on the block's timestamp:
 * a lending pool accrues interest (and writes its slots) on the first touch in each second, so
 * a transaction estimated in the second of the last accrual and mined in the next one costs a
 * few thousand gas more per pool it touches. On MegaETH many blocks share a second, so the
 * estimate often runs in an earlier second than the block that includes the transaction. Gas
 * left unused is not charged.
 */
export function gasWithMargin(estimate: bigint): bigint {
  return estimate + estimate / 5n + 30_000n;
}

async function txParameters(client: Client, request: WriteRequest, options: WriteOptions, action: string) {
  const account = resolveAccount(client, options.account, action);
  let nonce = options.nonce;
  if (options.pythUpdate !== undefined) {
    await sendPythUpdate(client, options.pythUpdate, { ...options, account }, action);
    if (nonce !== undefined) nonce++;
  }
  const p = {
    ...request,
    account,
    chain: client.chain ?? null,
    gas: options.gas,
    nonce,
    maxFeePerGas: options.maxFeePerGas,
    maxPriorityFeePerGas: options.maxPriorityFeePerGas,
  };
  if (p.gas === undefined) {
    p.gas = gasWithMargin(await estimateContractGas(client, p as Parameters<typeof estimateContractGas>[1]));
  }
  return p;
}

/** Sends a contract write; resolves with its hash once the node accepted it. */
export async function sendWrite(client: Client, request: WriteRequest, options: WriteOptions, action: string): Promise<Hash> {
  const p = await txParameters(client, request, options, action);
  return writeContract(client, p as Parameters<typeof writeContract>[1]);
}

/**
 * Sends a contract write and resolves with its receipt, through `eth_sendRawTransactionSync`
 * where the node has it. A reverted receipt throws `TransactionRevertedError`.
 */
export async function sendWriteSync(
  client: Client,
  request: WriteRequest,
  options: WriteOptions & SyncOptions,
  action: string,
): Promise<TransactionReceipt> {
  const p = await txParameters(client, request, options, action);
  let receipt: TransactionReceipt | undefined;
  if (syncSupport.get(client.uid) !== false) {
    try {
      receipt = await writeContractSync(client, {
        ...p,
        throwOnReceiptRevert: false,
        timeout: options.timeout,
        pollingInterval: options.pollingInterval,
      } as Parameters<typeof writeContractSync>[1]);
      syncSupport.set(client.uid, true);
    } catch (err) {
      // the node refused the method itself, so nothing was broadcast: resend the classic way
      if (!isMethodUnsupported(err)) throw err;
      syncSupport.set(client.uid, false);
    }
  }
  if (!receipt) {
    const hash = await writeContract(client, p as Parameters<typeof writeContract>[1]);
    receipt = await waitForTransactionReceipt(client, {
      hash,
      timeout: options.timeout,
      pollingInterval: options.pollingInterval,
    });
  }
  if (receipt.status === "reverted") throw new TransactionRevertedError(receipt);
  return receipt;
}

/**
 * Pushes signed Pyth updates to the Pyth contract with the fee it asks, and waits for the receipt
 * (the `pythUpdate` option of every write; `updatePythPrices` alone). The gas limit is estimated:
 * the write's `gas` is the write's own.
 */
export async function sendPythUpdate(
  client: Client,
  update: PythUpdate,
  options: WriteOptions & SyncOptions,
  action: string,
): Promise<TransactionReceipt> {
  const fee = await pythUpdateFee(client, update);
  const request: WriteRequest = {
    address: update.pyth,
    abi: pythAbi,
    functionName: "updatePriceFeeds",
    args: [update.updateData],
    value: fee,
  };
  const own: WriteOptions & SyncOptions = {
    account: options.account,
    nonce: options.nonce,
    maxFeePerGas: options.maxFeePerGas,
    maxPriorityFeePerGas: options.maxPriorityFeePerGas,
    timeout: options.timeout,
    pollingInterval: options.pollingInterval,
  };
  return sendWriteSync(client, request, own, action);
}

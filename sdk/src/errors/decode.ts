import { decodeErrorResult, isHex, type Hex } from "viem";
import { contractErrorsBySelector, exchangeErrorsAbi } from "./contract.ts";
import { PanicError, RevertError, RevertReasonError, UnknownRevertError } from "./revert.ts";

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";

interface ErrorLike {
  raw?: unknown;
  data?: unknown;
  cause?: unknown;
}

/**
 * Revert data carried anywhere in an error's cause chain (viem and JSON-RPC shapes).
 * @example findRevertData(err) // "0xdb42144d…" or undefined
 */
export function findRevertData(err: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e !== null && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const { raw, data, cause } = e as ErrorLike;
    // viem's ContractFunctionRevertedError keeps the undecoded bytes in `raw`
    if (typeof raw === "string" && isHex(raw)) return raw;
    if (typeof data === "string" && isHex(data)) return data;
    // JSON-RPC errors nest it one level deeper: { data: { data: "0x…" } }
    if (data !== null && typeof data === "object") {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === "string" && isHex(inner)) return inner;
    }
    e = cause;
  }
  return undefined;
}

/**
 * Turns a failed call or transaction into the SDK's typed revert error: one class per
 * contract custom error (`InsufficientBalanceError`, `PostOnlyWouldCrossError`, ...) with
 * `args` keyed by the Solidity parameter names. Returns `undefined` when `err` carries no
 * revert data (a network failure, a rejected signature, ...).
 *
 * @example
 * try {
 *   await client.placeOrder({ market, side: Side.Bid, tick: 300_000n, lots: 10n })
 * } catch (err) {
 *   const decoded = decodeExchangeError(err)
 *   if (decoded instanceof InsufficientBalanceError) console.log(decoded.args.available)
 * }
 */
export function decodeExchangeError(err: unknown): RevertError | undefined {
  if (err instanceof RevertError) return err;
  const data = findRevertData(err);
  if (data === undefined) return undefined;
  const selector = data.slice(0, 10).toLowerCase() as Hex;
  try {
    if (selector === ERROR_STRING || selector === PANIC) {
      const { errorName, args } = decodeErrorResult({ abi: [], data });
      if (errorName === "Panic") return new PanicError(BigInt(args[0] as bigint | number), data, err);
      return new RevertReasonError(String(args[0]), data, err);
    }
    const cls = contractErrorsBySelector[selector];
    if (!cls) return new UnknownRevertError(data, err);
    const { abiItem, args } = decodeErrorResult({ abi: exchangeErrorsAbi, data });
    const named: Record<string, unknown> = {};
    abiItem.inputs.forEach((input, i) => {
      named[input.name ?? String(i)] = (args as readonly unknown[] | undefined)?.[i];
    });
    return new cls({ args: named, data, cause: err });
  } catch {
    // bytes that start with a known selector but do not decode
    return new UnknownRevertError(data, err);
  }
}

/**
 * Runs `fn`, rethrowing a revert as its typed error class (other errors pass through).
 * @example
 * await withDecodedErrors(() => writeContract(client, { address, abi, functionName: "listAsset", args: [token] }))
 */
export async function withDecodedErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw decodeExchangeError(err) ?? err;
  }
}

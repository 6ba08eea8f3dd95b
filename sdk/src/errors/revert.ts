import type { Abi, AbiParameter, AbiParameterToPrimitiveType, Hash, Hex, TransactionReceipt } from "viem";
import { BaseError } from "./base.ts";

/** A call or transaction reverted; `data` is the raw revert data. */
export class RevertError extends BaseError {
  override name = "RevertError";
  readonly data: Hex;
  constructor(shortMessage: string, data: Hex, options: { cause?: unknown; details?: readonly string[] } = {}) {
    super(shortMessage, options);
    this.data = data;
  }
}

type ErrorInputs<abi extends Abi, errorName extends string> =
  Extract<abi[number], { type: "error"; name: errorName }> extends { inputs: infer inputs extends readonly AbiParameter[] }
    ? inputs
    : readonly [];

/** Arguments of a custom error as an object keyed by the Solidity parameter names. */
export type ContractErrorArgs<abi extends Abi, errorName extends string> = {
  [param in ErrorInputs<abi, errorName>[number] as param["name"] & string]: AbiParameterToPrimitiveType<param>;
};

/** Static side of every generated custom error class. */
export interface ContractRevertErrorClass {
  new (parameters: { args: Record<string, unknown>; data: Hex; cause?: unknown }): ContractRevertError;
  readonly errorName: string;
  readonly signature: string;
  readonly selector: Hex;
}

/**
 * A contract custom error, decoded. Each Solidity error has its own subclass (generated in
 * `errors/contract.ts`), so `err instanceof InsufficientBalanceError` narrows `err.args`.
 */
export class ContractRevertError<abi extends Abi = Abi, errorName extends string = string> extends RevertError {
  override name = "ContractRevertError";
  /** The Solidity error's name, e.g. "InsufficientBalance". */
  readonly errorName: errorName;
  /** The Solidity error's arguments by parameter name. */
  readonly args: ContractErrorArgs<abi, errorName>;

  constructor({ args, data, cause }: { args: Record<string, unknown>; data: Hex; cause?: unknown }) {
    const cls = new.target as unknown as ContractRevertErrorClass;
    const shown = Object.entries(args).map(([k, v]) => `${k}: ${String(v)}`);
    super(`reverted with ${cls.errorName ?? "a custom error"}`, data, {
      cause,
      details: cls.signature ? [`${cls.signature}`, ...shown] : shown,
    });
    this.errorName = cls.errorName as errorName;
    this.args = args as ContractErrorArgs<abi, errorName>;
  }
}

/** Revert with a Solidity panic code (arithmetic, array bounds, ...). */
export class PanicError extends RevertError {
  override name = "PanicError";
  readonly code: bigint;
  constructor(code: bigint, data: Hex, cause?: unknown) {
    super(`reverted with panic 0x${code.toString(16)}`, data, { cause });
    this.code = code;
  }
}

/** Revert with an `Error(string)` reason (not used by the exchange's contracts). */
export class RevertReasonError extends RevertError {
  override name = "RevertReasonError";
  readonly reason: string;
  constructor(reason: string, data: Hex, cause?: unknown) {
    super(`reverted: ${reason}`, data, { cause });
    this.reason = reason;
  }
}

/** Revert data that matches no error of the exchange's ABIs (or no data at all). */
export class UnknownRevertError extends RevertError {
  override name = "UnknownRevertError";
  constructor(data: Hex, cause?: unknown) {
    super(data === "0x" ? "reverted without data" : `reverted with unknown error ${data.slice(0, 10)}`, data, {
      cause,
    });
  }
}

/**
 * A mined transaction whose receipt says it reverted (its revert data is not in a receipt;
 * it was sent with an explicit gas limit or the state changed after estimation).
 */
export class TransactionRevertedError extends BaseError {
  override name = "TransactionRevertedError";
  readonly hash: Hash;
  readonly receipt: TransactionReceipt;
  constructor(receipt: TransactionReceipt) {
    super(`transaction ${receipt.transactionHash} reverted`, {
      details: [`block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`],
    });
    this.hash = receipt.transactionHash;
    this.receipt = receipt;
  }
}

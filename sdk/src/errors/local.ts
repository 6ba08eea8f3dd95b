import { encodeErrorResult, type Hex } from "viem";
import { exchangeErrorsAbi } from "./contract.ts";
import type { ContractRevertError, ContractRevertErrorClass } from "./revert.ts";

/**
 * The typed error a contract would revert with, built locally: the SDK's copies of contract
 * math (Atlas, liquidation) throw exactly what the chain would, with the same `data` bytes, so
 * one `instanceof` check covers a preview and a real call.
 *
 * @example
 * throw contractError(PriceUnavailableError, { asset: weth })
 */
export function contractError<cls extends ContractRevertErrorClass>(
  errorClass: cls,
  args: Record<string, unknown>,
): InstanceType<cls> {
  const item = exchangeErrorsAbi.find((e) => e.name === errorClass.errorName && sigOf(e) === errorClass.signature);
  const values = (item?.inputs ?? []).map((i) => args[i.name]);
  const data = encodeErrorResult({
    abi: item ? [item] : [],
    errorName: errorClass.errorName,
    args: values,
  } as Parameters<typeof encodeErrorResult>[0]) as Hex;
  return new errorClass({ args, data }) as ContractRevertError as InstanceType<cls>;
}

function sigOf(e: { name: string; inputs: readonly { type: string }[] }): string {
  return `${e.name}(${e.inputs.map((i) => i.type).join(",")})`;
}

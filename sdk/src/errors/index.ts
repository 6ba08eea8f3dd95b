export { BaseError } from "./base.ts";
export * from "./units.ts";
export * from "./client.ts";
export {
  RevertError,
  ContractRevertError,
  PanicError,
  RevertReasonError,
  UnknownRevertError,
  TransactionRevertedError,
  type ContractErrorArgs,
  type ContractRevertErrorClass,
} from "./revert.ts";
export * from "./contract.ts";
export { decodeExchangeError, findRevertData, withDecodedErrors } from "./decode.ts";
export * from "./atlas.ts";
export { contractError } from "./local.ts";

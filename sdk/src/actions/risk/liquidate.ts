import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface LiquidateParameters extends WriteOptions {
  clearinghouse: Address;
  /** The account to liquidate. */
  owner: Address;
  /** Its sub-account; default 0. */
  sub?: bigint;
  debtToken: Address;
  /** Debt atoms the liquidator repays from its own balance (no borrowing); see `findLiquidationAmount`. */
  repayAtoms: bigint;
  collateralToken: Address;
  /** The liquidator's sub-account that pays and receives the collateral; default 0. */
  liquidatorSub?: bigint;
}

export type LiquidateReturnType = Hash;

export interface LiquidateSyncReturnType {
  receipt: TransactionReceipt;
  /** From the `Liquidated` event (the one log of the repayment: no `Repaid`). */
  repaidAtoms: bigint;
  /** Borrow shares of the account the repayment burnt. */
  repaidShares: bigint;
  seizedAtoms: bigint;
  discountBps: bigint;
}

const request = (p: LiquidateParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "liquidate",
  args: [accountId(p.owner, p.sub ?? 0n), p.debtToken, p.repayAtoms, p.collateralToken, Number(p.liquidatorSub ?? 0n)],
});

/**
 * Partially liquidates an account whose maintenance value is below zero: the liquidator's
 * sub-account repays `repayAtoms` of its debt and receives collateral worth that much at the
 * oracle price plus the Dutch-auction discount. Resting orders must be cancelled first
 * (`cancelForLiquidation`); too large an amount reverts `LiquidationTooLargeError`.
 *
 * @example
 * await liquidate(client, { clearinghouse, owner: bob, debtToken: usdc, repayAtoms: 2_000_000_000n, collateralToken: weth })
 */
export async function liquidate(client: Client, parameters: LiquidateParameters): Promise<LiquidateReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "liquidate"));
}

/**
 * Liquidates and waits for the receipt; returns what was repaid (atoms and borrow shares) and
 * seized, and the discount.
 *
 * @example
 * const { seizedAtoms, discountBps } = await liquidateSync(client, { clearinghouse, owner: bob, debtToken: usdc, repayAtoms, collateralToken: weth })
 */
export async function liquidateSync(client: Client, parameters: LiquidateParameters & SyncOptions): Promise<LiquidateSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "liquidate");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.clearinghouse));
    const [e] = parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: "Liquidated" });
    const { repaidAtoms, repaidShares, seizedAtoms, discountBps } = e.args;
    return { receipt, repaidAtoms, repaidShares, seizedAtoms, discountBps };
  });
}

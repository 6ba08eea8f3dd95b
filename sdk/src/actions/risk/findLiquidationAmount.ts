import { getAddress, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, type AtlasViewParameters } from "../../internal/atlas.ts";
import { findLiquidationAmount as find, type LiquidationPreview } from "../../math/liquidation.ts";
import { accountId } from "../../math/order.ts";

export interface FindLiquidationAmountParameters extends Omit<AtlasViewParameters, "verify"> {
  /** The account to liquidate. */
  owner: Address;
  debtToken: Address;
  collateralToken: Address;
  /** Most the liquidator will repay (e.g. its balance); default the whole debt. */
  maxRepayAtoms?: bigint;
  /** The liquidator's sub-account (with the client's account): if it lends the debt token, the preview models that. */
  liquidatorSub?: bigint;
  /** When the liquidation will run; default the snapshot's block time (the smallest discount: the safe side). */
  timestamp?: bigint;
}

export type FindLiquidationAmountReturnType = LiquidationPreview;

/**
 * The largest repayment of `debtToken` for `collateralToken` that `liquidate` accepts: it
 * raises the account's maintenance value without taking it above the buffer (1% of equity),
 * and stays within the debt, the collateral and the collateral pool's cash. Bisects the SDK's
 * copy of `Clearinghouse.liquidate` on one snapshot; returns the preview (discount, collateral
 * seized, maintenance before and after, the orders to cancel first). `error` is set, with the
 * contract's typed error, when no amount works (e.g. `NotLiquidatableError`).
 *
 * @example
 * const p = await findLiquidationAmount(client, { clearinghouse, owner: bob, debtToken: usdc, collateralToken: weth })
 * if (!p.error) await client.liquidateSync({ owner: bob, debtToken: usdc, repayAtoms: p.repayAtoms, collateralToken: weth })
 */
export async function findLiquidationAmount(
  client: Client,
  parameters: FindLiquidationAmountParameters,
): Promise<FindLiquidationAmountReturnType> {
  return withDecodedErrors(async () => {
    const debtToken = getAddress(parameters.debtToken);
    const collateralToken = getAddress(parameters.collateralToken);
    const s = await snapshotFor(client, parameters, [debtToken, collateralToken], "findLiquidationAmount");
    let fromLent = false;
    if (client.account) {
      const own = await readContract(client, {
        address: s.clearinghouse,
        abi: clearinghouseAbi,
        functionName: "positionOf",
        args: [accountId(client.account.address, parameters.liquidatorSub ?? 0n), debtToken],
        blockNumber: s.blockNumber,
      });
      fromLent = own.lent && own.amount > 0n;
    }
    return find(s, {
      debtToken,
      collateralToken,
      maxRepayAtoms: parameters.maxRepayAtoms,
      timestamp: parameters.timestamp,
      fromLent,
    });
  });
}

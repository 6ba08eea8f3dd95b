import type { Address, Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { maskIndexes } from "../../math/codec.ts";
import { accountId } from "../../math/order.ts";
import type { PerpPosition } from "./getPosition.ts";

export interface GetPositionsParameters extends ReadOptions {
  clearinghouse: Address;
  /** Account owner; default the client's account. */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Also return markets where the account has no position and no open order. Default false. */
  includeEmpty?: boolean;
}

export type GetPositionsReturnType = PerpPosition[];

/**
 * Reads the account's positions on every perp market of the core (its `perpMarketMask`: bit
 * id − 1 set for a perp market), in market id order, in two batched calls; markets with no
 * position and no open order are left out unless `includeEmpty`.
 *
 * @example
 * for (const p of await getPositions(client, { clearinghouse, owner: alice })) console.log(p.marketId, p.sizeLots)
 */
export async function getPositions(client: Client, parameters: GetPositionsParameters): Promise<GetPositionsReturnType> {
  return withDecodedErrors(async () => {
    const owner = parameters.owner ?? resolveAccount(client, undefined, "getPositions").address;
    const ch = { address: parameters.clearinghouse, abi: clearinghouseAbi } as const;
    const [mask] = await readMany(client, [{ ...ch, functionName: "perpMarketMask" }] as const, parameters);
    const marketIds = maskIndexes(mask);
    const account = accountId(owner, parameters.sub ?? 0n);
    const raw = (await readMany(
      client,
      marketIds.map((id) => ({ ...ch, functionName: "perpPositionOf", args: [id, account] }) as const),
      parameters,
    )) as readonly (readonly [bigint, bigint, bigint, bigint, bigint, bigint])[];
    return raw
      .map(([sizeLots, entryAtoms, cashAtoms, fundingOwedAtoms, bidLots, askLots], i): PerpPosition => ({
        marketId: marketIds[i],
        sizeLots,
        entryAtoms,
        cashAtoms,
        fundingOwedAtoms,
        bidLots,
        askLots,
      }))
      .filter((p) => parameters.includeEmpty || p.sizeLots !== 0n || p.bidLots !== 0n || p.askLots !== 0n || p.cashAtoms !== 0n);
  });
}

import { getAddress, type Address, type Client } from "viem";
import { clearinghouseAbi, perpMarketAbi } from "../../abis/index.ts";
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
 * Reads the account's positions on every perp market of the Clearinghouse (its `perpMarketMask`),
 * in index order, in two batched calls; markets with no position and no open order are left out
 * unless `includeEmpty`.
 *
 * @example
 * for (const p of await getPositions(client, { clearinghouse, owner: alice })) console.log(p.market, p.sizeLots)
 */
export async function getPositions(client: Client, parameters: GetPositionsParameters): Promise<GetPositionsReturnType> {
  return withDecodedErrors(async () => {
    const owner = parameters.owner ?? resolveAccount(client, undefined, "getPositions").address;
    const ch = { address: parameters.clearinghouse, abi: clearinghouseAbi } as const;
    const [mask, count] = await readMany(
      client,
      [
        { ...ch, functionName: "perpMarketMask" },
        { ...ch, functionName: "marketCount" },
      ] as const,
      parameters,
    );
    const indexes = maskIndexes(mask).filter((i) => i <= count);
    const markets = (await readMany(
      client,
      indexes.map((i) => ({ ...ch, functionName: "marketAt", args: [i] }) as const),
      parameters,
    )) as readonly Address[];
    const account = accountId(owner, parameters.sub ?? 0n);
    const raw = (await readMany(
      client,
      markets.map((m) => ({ address: m, abi: perpMarketAbi, functionName: "positionOf", args: [account] }) as const),
      parameters,
    )) as readonly (readonly [bigint, bigint, bigint, bigint, bigint, bigint])[];
    return raw
      .map(([sizeLots, entryAtoms, cashAtoms, fundingOwedAtoms, bidLots, askLots], i): PerpPosition => ({
        market: getAddress(markets[i]),
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

import type { Address, Client } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { clearinghouseAbi } from "../abis/index.ts";

export interface OpenOrderIdsOptions {
  /** Block to read at; default the latest, fixed for every page so the pages agree. */
  blockNumber?: bigint;
  /** Queue positions each page examines (0 = the core's default, 1,024). */
  pageLimit?: bigint;
}

/**
 * Every live order id of an account on a market: pages through the core's `openOrders(marketId, …)`
 * view (bounded gas per call) at one block until its next cursor is 0.
 */
export async function readOpenOrderIds(
  client: Client,
  clearinghouse: Address,
  marketId: bigint,
  owner: Address,
  sub: bigint,
  options: OpenOrderIdsOptions = {},
): Promise<{ ids: bigint[]; blockNumber: bigint }> {
  const blockNumber = options.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
  const ids: bigint[] = [];
  let cursor = 0n;
  do {
    const [page, next] = await readContract(client, {
      address: clearinghouse,
      abi: clearinghouseAbi,
      functionName: "openOrders",
      args: [marketId, owner, Number(sub), cursor, options.pageLimit ?? 0n],
      blockNumber,
    });
    ids.push(...page);
    cursor = next;
  } while (cursor !== 0n);
  return { ids, blockNumber };
}

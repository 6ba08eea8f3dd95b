import { getAddress, type Address, type Client, type ContractFunctionParameters } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { accountId } from "../../math/order.ts";

export interface GetBalancesParameters extends ReadOptions {
  clearinghouse: Address;
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** Tokens whose Clearinghouse balance to read. */
  tokens: readonly Address[];
  /** Ids of the spot markets whose pocket (locked and unswept funds) to read. */
  marketIds?: readonly bigint[];
}

/** An account's funds inside one spot market, in atoms. */
export interface Pocket {
  /** The spot market's id in the core. */
  marketId: bigint;
  base: Address;
  quote: Address;
  /** Behind resting asks. */
  lockedBase: bigint;
  /** Behind resting bids (cost plus the maker fee bound). */
  lockedQuote: bigint;
  /** Fill proceeds and cancelled locks not yet swept into the balance. */
  unsweptBase: bigint;
  unsweptQuote: bigint;
  openOrders: bigint;
}

export interface GetBalancesReturnType {
  /** Free Clearinghouse balance per token (checksummed address), in atoms: what can be withdrawn. */
  free: Record<Address, bigint>;
  pockets: Pocket[];
  /** Per token of `tokens`: free + locked + unswept over the given markets. */
  total: Record<Address, bigint>;
}

/**
 * Reads an account's free balances and its pockets on the given spot markets in one batched call
 * (Multicall3, or a deployless multicall where none is deployed).
 *
 * @example
 * const { free, pockets, total } = await getBalances(client, {
 *   clearinghouse, owner: alice, tokens: [weth, usdc], marketIds: [1n],
 * })
 */
export async function getBalances(client: Client, parameters: GetBalancesParameters): Promise<GetBalancesReturnType> {
  const { clearinghouse, owner, sub = 0n, tokens, marketIds = [], ...options } = parameters;
  return withDecodedErrors(async () => {
    const id = accountId(owner, sub);
    const calls: ContractFunctionParameters[] = [
      ...tokens.map((t) => ({ address: clearinghouse, abi: clearinghouseAbi, functionName: "balanceOf", args: [id, t] })),
      ...marketIds.flatMap((m) => [
        { address: clearinghouse, abi: clearinghouseAbi, functionName: "pocketOf", args: [m, owner, Number(sub)] },
        { address: clearinghouse, abi: clearinghouseAbi, functionName: "marketInfo", args: [m] },
      ]),
    ];
    const results = (await readMany(client, calls, options)) as unknown[];
    const free: Record<Address, bigint> = {};
    const total: Record<Address, bigint> = {};
    tokens.forEach((t, i) => {
      free[getAddress(t)] = results[i] as bigint;
      total[getAddress(t)] = results[i] as bigint;
    });
    const pockets = marketIds.map((marketId, i): Pocket => {
      const at = tokens.length + 2 * i;
      const [lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders] = results[at] as readonly bigint[];
      const info = results[at + 1] as { base: Address; quote: Address };
      const [base, quote] = [getAddress(info.base), getAddress(info.quote)];
      if (base in total) total[base] += lockedBase + unsweptBase;
      if (quote in total) total[quote] += lockedQuote + unsweptQuote;
      return { marketId, base, quote, lockedBase, lockedQuote, unsweptBase, unsweptQuote, openOrders };
    });
    return { free, pockets, total };
  });
}

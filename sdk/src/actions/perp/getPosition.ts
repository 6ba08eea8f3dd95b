import type { Address, Client } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { resolveAccount } from "../../internal/account.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { accountId } from "../../math/order.ts";

export interface GetPositionParameters extends ReadOptions, MarketParameters {
  /** Account owner; default the client's account. */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

/** One account's position on one perp market (`perpPositionOf(marketId, account)`). */
export interface PerpPosition {
  /** The perp market's id in the core. */
  marketId: bigint;
  /** Signed lots: positive long, negative short. */
  sizeLots: bigint;
  /** Entry value in quote atoms, with the size's sign. */
  entryAtoms: bigint;
  /** Unsettled cash in the market (maker fills, realised PnL), signed quote atoms. */
  cashAtoms: bigint;
  /**
   * Funding owed now, quote atoms: positive = the account pays. Includes the bankruptcy losses
   * charged to its side since it last settled (`lossPerLot`), settled with the funding.
   */
  fundingOwedAtoms: bigint;
  /** Open bid and ask lots resting on the book. */
  bidLots: bigint;
  askLots: bigint;
}

export type GetPositionReturnType = PerpPosition;

/**
 * Reads an account's position on a perp market: size, entry value, unsettled cash, funding owed
 * and open order lots.
 *
 * @example
 * const { sizeLots, fundingOwedAtoms } = await getPosition(client, { clearinghouse, marketId: ethPerp, owner: alice })
 */
export async function getPosition(client: Client, parameters: GetPositionParameters): Promise<GetPositionReturnType> {
  return withDecodedErrors(async () => {
    const owner = parameters.owner ?? resolveAccount(client, undefined, "getPosition").address;
    const [r] = await readMany(
      client,
      [
        {
          address: parameters.clearinghouse,
          abi: clearinghouseAbi,
          functionName: "perpPositionOf",
          args: [parameters.marketId, accountId(owner, parameters.sub ?? 0n)],
        },
      ] as const,
      parameters,
    );
    const [sizeLots, entryAtoms, cashAtoms, fundingOwedAtoms, bidLots, askLots] = r;
    return { marketId: parameters.marketId, sizeLots, entryAtoms, cashAtoms, fundingOwedAtoms, bidLots, askLots };
  });
}

import type { Address, Client } from "viem";
import { readContract } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { accountId } from "../../math/order.ts";

export interface GetOperatorBandParameters {
  clearinghouse: Address;
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  blockNumber?: bigint;
}

/** The band in bps around the oracle index the account's operators trade within (default 200). */
export type GetOperatorBandReturnType = bigint;

/**
 * Reads the price band (bps around the oracle index) within which an account's operators may
 * place orders: the owner's setting, or the default 200 (2%) until it sets one.
 *
 * @example
 * const bandBps = await getOperatorBand(client, { clearinghouse, owner: alice })
 */
export async function getOperatorBand(client: Client, parameters: GetOperatorBandParameters): Promise<GetOperatorBandReturnType> {
  return withDecodedErrors(() =>
    readContract(client, {
      address: parameters.clearinghouse,
      abi: clearinghouseAbi,
      functionName: "operatorBandOf",
      args: [accountId(parameters.owner, parameters.sub ?? 0n)],
      blockNumber: parameters.blockNumber,
    }),
  );
}

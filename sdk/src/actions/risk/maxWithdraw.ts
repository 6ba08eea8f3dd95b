import { getAddress, type Address, type Client } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, verifyAtlas, type AtlasViewParameters } from "../../internal/atlas.ts";
import { maxWithdraw as atlasMaxWithdraw } from "../../math/atlas.ts";

export interface MaxWithdrawParameters extends AtlasViewParameters {
  token: Address;
  /** Count what a withdrawal could borrow beyond the balance (the account's borrow policy must allow it). Default false. */
  allowBorrow?: boolean;
}

/** Atoms of `token` the account can withdraw keeping initial value ≥ 0 (`AtlasLens.maxWithdraw`). */
export type MaxWithdrawReturnType = bigint;

/**
 * The most of `token` the account can withdraw keeping its initial value ≥ 0, computed with the
 * SDK's copy of `AtlasLens.maxWithdraw` (exact bisection) from one snapshot; `verify: true` asks the
 * contract too. Without `allowBorrow` it is at most the idle and lent balance.
 *
 * @example
 * const atoms = await maxWithdraw(client, { clearinghouse, token: weth })
 * await client.withdrawSync({ token: weth, amount: atoms })
 */
export async function maxWithdraw(client: Client, parameters: MaxWithdrawParameters): Promise<MaxWithdrawReturnType> {
  return withDecodedErrors(async () => {
    const token = getAddress(parameters.token);
    const allowBorrow = parameters.allowBorrow ?? false;
    const s = await snapshotFor(client, parameters, [token], "maxWithdraw");
    const atoms = atlasMaxWithdraw(s, token, allowBorrow);
    if (parameters.verify) {
      await verifyAtlas(
        client,
        s,
        [{ field: "maxWithdraw", contract: "lens", functionName: "maxWithdraw", args: [s.account, token, allowBorrow], pick: (r) => [r as bigint], sdk: [atoms] }],
        parameters,
      );
    }
    return atoms;
  });
}

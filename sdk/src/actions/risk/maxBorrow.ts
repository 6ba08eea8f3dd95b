import { getAddress, type Address, type Client } from "viem";
import { withDecodedErrors } from "../../errors/decode.ts";
import { snapshotFor, verifyAtlas, type AtlasViewParameters } from "../../internal/atlas.ts";
import { maxBorrow as atlasMaxBorrow } from "../../math/atlas.ts";

export interface MaxBorrowParameters extends AtlasViewParameters {
  token: Address;
}

/** Atoms of new debt in `token` the account can take keeping initial value ≥ 0 (`AtlasLens.maxBorrow`). */
export type MaxBorrowReturnType = bigint;

/**
 * The most of `token` the account can borrow (beyond its own balance, which `borrow` takes
 * first) keeping initial value ≥ 0, computed with the SDK's copy of `AtlasLens.maxBorrow` from one
 * snapshot; `verify: true` asks the contract too. The figure prices the new debt's interest at
 * the pool's current rate, as the contract's view does.
 *
 * @example
 * const atoms = await maxBorrow(client, { clearinghouse, token: usdc })
 */
export async function maxBorrow(client: Client, parameters: MaxBorrowParameters): Promise<MaxBorrowReturnType> {
  return withDecodedErrors(async () => {
    const token = getAddress(parameters.token);
    const s = await snapshotFor(client, parameters, [token], "maxBorrow");
    const atoms = atlasMaxBorrow(s, token);
    if (parameters.verify) {
      await verifyAtlas(
        client,
        s,
        [{ field: "maxBorrow", contract: "lens", functionName: "maxBorrow", args: [s.account, token], pick: (r) => [r as bigint], sdk: [atoms] }],
        parameters,
      );
    }
    return atoms;
  });
}

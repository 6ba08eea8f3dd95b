import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface FlagLiquidatableParameters extends WriteOptions {
  clearinghouse: Address;
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
}

export type FlagLiquidatableReturnType = Hash;

export interface FlagLiquidatableSyncReturnType {
  receipt: TransactionReceipt;
  /** When the auction clock started, if this call started it (undefined if it ran already). */
  since: bigint | undefined;
}

const request = (p: FlagLiquidatableParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "flagLiquidatable",
  args: [accountId(p.owner, p.sub ?? 0n)],
});

/**
 * Records that an account is liquidatable, starting its Dutch-auction clock: the liquidation
 * discount grows from 0 from then on. Anyone may call; a healthy account reverts `NotLiquidatableError`.
 *
 * @example
 * await flagLiquidatable(client, { clearinghouse, owner: bob })
 */
export async function flagLiquidatable(client: Client, parameters: FlagLiquidatableParameters): Promise<FlagLiquidatableReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "flagLiquidatable"));
}

/**
 * Flags the account and waits for the receipt.
 *
 * @example
 * const { since } = await flagLiquidatableSync(client, { clearinghouse, owner: bob })
 */
export async function flagLiquidatableSync(
  client: Client,
  parameters: FlagLiquidatableParameters & SyncOptions,
): Promise<FlagLiquidatableSyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "flagLiquidatable");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, parameters.clearinghouse));
    const [e] = parseEventLogs({ abi: clearinghouseAbi, logs: own, eventName: "LiquidatableFlagged" });
    return { receipt, since: e?.args.since };
  });
}

import type { Address, Client, Hash, Hex, TransactionReceipt } from "viem";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { marketLogs } from "../../internal/events.ts";
import type { MarketParameters } from "../../internal/market.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface ResolveBankruptcyParameters extends WriteOptions, MarketParameters {
  /** The bankrupt account. */
  owner: Address;
  sub?: bigint;
  /** The caller's sub-account that takes the position over at the mark; default 0. */
  resolverSub?: bigint;
}

export type ResolveBankruptcyReturnType = Hash;

export interface ResolveBankruptcySyncReturnType {
  receipt: TransactionReceipt;
  /** From `BankruptcyResolved`: the resolver's account id, lots closed, the mark per lot they moved at, shortfall covered by fees and charged to the opposite side. */
  resolver: Hex;
  lots: bigint;
  priceAtoms: bigint;
  feeAtoms: bigint;
  socializedAtoms: bigint;
}

const request = (p: ResolveBankruptcyParameters): WriteRequest => ({
  address: p.clearinghouse,
  abi: clearinghouseAbi,
  functionName: "resolveBankruptcy",
  args: [p.marketId, accountId(p.owner, p.sub ?? 0n), Number(p.resolverSub ?? 0n)],
});

/**
 * Closes a bankrupt account's position on perp market `marketId` (no positive balance left, no
 * value on another perp market, no open orders, position under water at the mark) into the
 * caller's sub-account `resolverSub` at the mark: the market's fees cover the shortfall first, then
 * the rest is charged to every lot of the opposite side through the market's loss index, which each
 * position settles when next touched (the core's `resolveBankruptcy`). An opposite holder that
 * resolves closes against it; the resolver is margin-checked if its risk grows. Costs the same
 * whatever the number of counterparties.
 *
 * @example
 * await resolveBankruptcy(client, { clearinghouse, marketId: ethPerp, owner: bob }) // the client's account takes bob's position
 */
export async function resolveBankruptcy(client: Client, parameters: ResolveBankruptcyParameters): Promise<ResolveBankruptcyReturnType> {
  return withDecodedErrors(() => sendWrite(client, request(parameters), parameters, "resolveBankruptcy"));
}

/**
 * Resolves a bankruptcy and waits for the receipt; returns the `BankruptcyResolved` figures.
 *
 * @example
 * const { socializedAtoms } = await resolveBankruptcySync(client, { clearinghouse, marketId: ethPerp, owner: bob, resolverSub: 1n })
 */
export async function resolveBankruptcySync(
  client: Client,
  parameters: ResolveBankruptcyParameters & SyncOptions,
): Promise<ResolveBankruptcySyncReturnType> {
  return withDecodedErrors(async () => {
    const receipt = await sendWriteSync(client, request(parameters), parameters, "resolveBankruptcy");
    const [e] = marketLogs(receipt.logs, parameters.clearinghouse, parameters.marketId, ["BankruptcyResolved"]);
    return {
      receipt,
      resolver: e.args.resolver,
      lots: e.args.lots,
      priceAtoms: e.args.priceAtoms,
      feeAtoms: e.args.feeAtoms,
      socializedAtoms: e.args.socializedAtoms,
    };
  });
}

import { isAddressEqual, parseEventLogs, type Address, type Client, type Hash, type Hex, type TransactionReceipt } from "viem";
import { readContract } from "viem/actions";
import { perpLiquidatorAbi, perpMarketAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { sendWrite, sendWriteSync, type SyncOptions, type WriteOptions, type WriteRequest } from "../../internal/write.ts";
import { accountId } from "../../math/order.ts";

export interface ResolveBankruptcyParameters extends WriteOptions {
  market: Address;
  /** The bankrupt account. */
  owner: Address;
  sub?: bigint;
  /** The caller's sub-account that takes the position over at the mark; default 0. */
  resolverSub?: bigint;
  /** The PerpLiquidator; read from the market when omitted. */
  liquidator?: Address;
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

async function request(client: Client, p: ResolveBankruptcyParameters): Promise<WriteRequest> {
  const liquidator =
    p.liquidator ?? (await readContract(client, { address: p.market, abi: perpMarketAbi, functionName: "LIQUIDATOR" }));
  return {
    address: liquidator,
    abi: perpLiquidatorAbi,
    functionName: "resolveBankruptcy",
    args: [p.market, accountId(p.owner, p.sub ?? 0n), Number(p.resolverSub ?? 0n)],
  };
}

/**
 * Closes a bankrupt account's position (no positive balance left, no value on another perp market,
 * no open orders, position under water at the mark) into the caller's sub-account `resolverSub` at
 * the mark: the market's fees cover the shortfall first, then the rest is charged to every lot of
 * the opposite side through the market's loss index, which each position settles when next touched
 * (`PerpLiquidator.resolveBankruptcy`). An opposite holder that resolves closes against it; the
 * resolver is margin-checked if its risk grows. Costs the same whatever the number of counterparties.
 *
 * @example
 * await resolveBankruptcy(client, { market: ethPerp, owner: bob }) // the client's account takes bob's position
 */
export async function resolveBankruptcy(client: Client, parameters: ResolveBankruptcyParameters): Promise<ResolveBankruptcyReturnType> {
  return withDecodedErrors(async () => sendWrite(client, await request(client, parameters), parameters, "resolveBankruptcy"));
}

/**
 * Resolves a bankruptcy and waits for the receipt; returns the `BankruptcyResolved` figures.
 *
 * @example
 * const { socializedAtoms } = await resolveBankruptcySync(client, { market: ethPerp, owner: bob, resolverSub: 1n })
 */
export async function resolveBankruptcySync(
  client: Client,
  parameters: ResolveBankruptcyParameters & SyncOptions,
): Promise<ResolveBankruptcySyncReturnType> {
  return withDecodedErrors(async () => {
    const req = await request(client, parameters);
    const receipt = await sendWriteSync(client, req, parameters, "resolveBankruptcy");
    const own = receipt.logs.filter((l) => isAddressEqual(l.address, req.address));
    const [e] = parseEventLogs({ abi: perpLiquidatorAbi, logs: own, eventName: "BankruptcyResolved" });
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

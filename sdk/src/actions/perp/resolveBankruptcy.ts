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
  /** Every account on the opposite side of the market, any order (sent sorted ascending, deduplicated). */
  counterparties: readonly { owner: Address; sub?: bigint }[];
  /** The PerpLiquidator; read from the market when omitted. */
  liquidator?: Address;
}

export type ResolveBankruptcyReturnType = Hash;

export interface ResolveBankruptcySyncReturnType {
  receipt: TransactionReceipt;
  /** From `BankruptcyResolved`: lots closed, price per lot, shortfall covered by fees and by the counterparties. */
  lots: bigint;
  priceAtoms: bigint;
  feeAtoms: bigint;
  socializedAtoms: bigint;
}

async function request(client: Client, p: ResolveBankruptcyParameters): Promise<WriteRequest> {
  const liquidator =
    p.liquidator ?? (await readContract(client, { address: p.market, abi: perpMarketAbi, functionName: "LIQUIDATOR" }));
  const ids = [...new Set(p.counterparties.map((c) => accountId(c.owner, c.sub ?? 0n)))].sort((a, b) =>
    BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0,
  ) as Hex[];
  return {
    address: liquidator,
    abi: perpLiquidatorAbi,
    functionName: "resolveBankruptcy",
    args: [p.market, accountId(p.owner, p.sub ?? 0n), ids],
  };
}

/**
 * Closes a bankrupt account's position (no positive balance left, position under water at the
 * mark): the market's fees cover the shortfall first, then every opposite position takes its
 * pro-rata share at the bankruptcy price (`PerpLiquidator.resolveBankruptcy`). The counterparties
 * must hold the whole opposite side; the SDK sorts them as the contract requires.
 *
 * @example
 * await resolveBankruptcy(client, { market: ethPerp, owner: bob, counterparties: [{ owner: alice }, { owner: carol }] })
 */
export async function resolveBankruptcy(client: Client, parameters: ResolveBankruptcyParameters): Promise<ResolveBankruptcyReturnType> {
  return withDecodedErrors(async () => sendWrite(client, await request(client, parameters), parameters, "resolveBankruptcy"));
}

/**
 * Resolves a bankruptcy and waits for the receipt; returns the `BankruptcyResolved` figures.
 *
 * @example
 * const { socializedAtoms } = await resolveBankruptcySync(client, { market: ethPerp, owner: bob, counterparties })
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
    return { receipt, lots: e.args.lots, priceAtoms: e.args.priceAtoms, feeAtoms: e.args.feeAtoms, socializedAtoms: e.args.socializedAtoms };
  });
}

// Batched reads. One eth_call through Multicall3 when the chain has one; on chains without
// it (Hardhat's in-process network, a fresh local node) viem's "deployless" multicall runs
// Multicall3's creation code inside the eth_call, so it is still one round trip. If the node
// refuses that too, the reads go out in parallel.
import type { Address, Client, ContractFunctionParameters, MulticallReturnType } from "viem";
import { multicall, readContract } from "viem/actions";
import { decodeExchangeError } from "../errors/decode.ts";

export interface ReadOptions {
  /** Multicall3 address, if the client's chain does not name one. */
  multicallAddress?: Address;
  blockNumber?: bigint;
}

export async function readMany<const contracts extends readonly ContractFunctionParameters[]>(
  client: Client,
  contracts: contracts,
  options: ReadOptions = {},
): Promise<MulticallReturnType<contracts, false>> {
  if (contracts.length === 0) return [] as unknown as MulticallReturnType<contracts, false>;
  const multicallAddress = options.multicallAddress ?? client.chain?.contracts?.multicall3?.address;
  try {
    return (await multicall(client, {
      contracts: contracts as unknown as ContractFunctionParameters[],
      allowFailure: false,
      multicallAddress,
      deployless: multicallAddress === undefined,
      blockNumber: options.blockNumber,
    })) as MulticallReturnType<contracts, false>;
  } catch (err) {
    // a contract revert is the answer; anything else may be the node refusing the batch
    if (decodeExchangeError(err)) throw err;
  }
  const results = await Promise.all(
    contracts.map((c) =>
      readContract(client, { ...(c as ContractFunctionParameters), blockNumber: options.blockNumber } as Parameters<
        typeof readContract
      >[1]),
    ),
  );
  return results as MulticallReturnType<contracts, false>;
}

// Pyth's pull oracle: the core reads a Pyth feed as it stands, so whoever needs a fresh price pushes
// the update to the Pyth contract first (docs/ORACLES.md, "Pyth: who pushes updates"). The two
// functions of Pyth's `IPyth` this needs; `updateData` is the signed update Pyth's price service
// (Hermes) serves, as hex bytes.
import type { Address, Client, Hex } from "viem";
import { readContract } from "viem/actions";

export const pythAbi = [
  {
    type: "function",
    name: "getUpdateFee",
    stateMutability: "view",
    inputs: [{ name: "updateData", type: "bytes[]" }],
    outputs: [{ name: "feeAmount", type: "uint256" }],
  },
  {
    type: "function",
    name: "updatePriceFeeds",
    stateMutability: "payable",
    inputs: [{ name: "updateData", type: "bytes[]" }],
    outputs: [],
  },
] as const;

/** Signed Pyth price updates to push to the Pyth contract before a write that reads them. */
export interface PythUpdate {
  /** The Pyth contract the core's Pyth feeds read (`feedOf(asset).feed`). */
  pyth: Address;
  /** The signed updates (Hermes' `binary.data`, each as 0x-hex). */
  updateData: readonly Hex[];
}

/** The fee Pyth asks for `updateData`, in wei. */
export async function pythUpdateFee(client: Client, update: PythUpdate): Promise<bigint> {
  return readContract(client, {
    address: update.pyth,
    abi: pythAbi,
    functionName: "getUpdateFee",
    args: [update.updateData],
  });
}


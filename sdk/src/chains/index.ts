import type { Chain } from "viem";
import { hardhat, localhost, megaeth, megaethTestnet } from "viem/chains";

// Hardhat's network (in-process or `hardhat node`, chain id 31337), a generic local node
// (1337), and MegaETH as viem defines them (testnet 6343, mainnet 4326, with Multicall3).
export { hardhat, localhost, megaeth, megaethTestnet };

/** The chains the SDK is tested on or targets. */
export const chains = [hardhat, localhost, megaethTestnet, megaeth] as const;

/**
 * The chain with this id among `chains`, if any.
 * @example chainById(6343) // megaethTestnet
 */
export function chainById(id: number): Chain | undefined {
  return chains.find((c) => c.id === id);
}

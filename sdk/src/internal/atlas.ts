// Shared by the risk actions: where their Atlas snapshot comes from, and the optional
// cross-check of the SDK's figures against the contract's at the snapshot's block.
import type { Address, Client, ContractFunctionParameters } from "viem";
import { atlasLensAbi, clearinghouseAbi } from "../abis/index.ts";
import { InvalidParameterError } from "../errors/client.ts";
import { AtlasMismatchError } from "../errors/atlas.ts";
import { readAtlasSnapshot } from "../actions/risk/readAtlasSnapshot.ts";
import type { AtlasSnapshot } from "../math/atlas.ts";
import { resolveAccount } from "./account.ts";
import { readMany, type ReadOptions } from "./read.ts";

/** Parameters every risk view takes. */
export interface AtlasViewParameters extends ReadOptions {
  /** The core: every account, market and ATLAS's own views (`riskOf`, `liquidationQuote`, …). */
  clearinghouse: Address;
  /** The AtlasLens (periphery): its what-if views are what `verify` compares those figures with. */
  lens?: Address;
  /** Account owner; default the client's account. */
  owner?: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /** A snapshot read earlier (`readAtlasSnapshot`): no reads at all, figures as of its block. */
  snapshot?: AtlasSnapshot;
  /** Also ask the contract at the snapshot's block and throw AtlasMismatchError on any difference. */
  verify?: boolean;
}

/** The given snapshot, or a fresh one including `tokens` and their pools' state. */
export async function snapshotFor(
  client: Client,
  p: AtlasViewParameters,
  tokens: readonly Address[],
  action: string,
  perpMarketIds: readonly bigint[] = [],
): Promise<AtlasSnapshot> {
  if (p.snapshot) return p.snapshot;
  const owner = p.owner ?? resolveAccount(client, undefined, action).address;
  return readAtlasSnapshot(client, {
    clearinghouse: p.clearinghouse,
    owner,
    sub: p.sub,
    tokens,
    perpMarketIds,
    multicallAddress: p.multicallAddress,
    blockNumber: p.blockNumber,
  });
}

/** One figure to compare: a Clearinghouse (or AtlasLens) view call and the SDK's answer for it. */
export interface AtlasCheck {
  field: string;
  /**
   * Where the view lives: the Clearinghouse (default: `riskOf`, `initialValue`, `maintenanceValue`,
   * `liquidationQuote`, valued where its margin checks run) or the AtlasLens (the what-if views).
   */
  contract?: "clearinghouse" | "lens";
  functionName: string;
  args: readonly unknown[];
  /** Picks the compared bigints out of the contract's answer, in the order of `sdk`. */
  pick: (result: unknown) => readonly bigint[];
  sdk: readonly bigint[];
}

/** Reads every check's view at the snapshot's block; throws AtlasMismatchError on the first difference. */
export async function verifyAtlas(
  client: Client,
  s: AtlasSnapshot,
  checks: readonly AtlasCheck[],
  options: ReadOptions & { lens?: Address } = {},
) {
  const at = { multicallAddress: options.multicallAddress, blockNumber: s.blockNumber };
  // the what-if views are on the AtlasLens, a periphery contract the core does not name
  const lens = options.lens;
  if (lens === undefined && checks.some((c) => c.contract === "lens")) {
    throw new InvalidParameterError("`verify` compares what-if figures with the AtlasLens: pass `lens` (or set it on `exchangeActions`)");
  }
  const calls = checks.map(
    (c): ContractFunctionParameters =>
      c.contract === "lens"
        ? { address: lens!, abi: atlasLensAbi, functionName: c.functionName, args: c.args }
        : { address: s.clearinghouse, abi: clearinghouseAbi, functionName: c.functionName, args: c.args },
  );
  const results = (await readMany(client, calls, at)) as unknown[];
  checks.forEach((c, i) => {
    const onChain = c.pick(results[i]);
    if (onChain.length !== c.sdk.length) throw new AtlasMismatchError(`${c.field}.length`, BigInt(onChain.length), BigInt(c.sdk.length));
    onChain.forEach((v, j) => {
      if (v !== c.sdk[j]) throw new AtlasMismatchError(`${c.field}[${j}]`, v, c.sdk[j]);
    });
  });
}

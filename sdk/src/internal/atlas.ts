// Shared by the risk actions: where their Atlas snapshot comes from, and the optional
// cross-check of the SDK's figures against the contract's at the snapshot's block.
import type { Address, Client, ContractFunctionParameters } from "viem";
import { atlasAbi, atlasLensAbi, clearinghouseAbi } from "../abis/index.ts";
import { AtlasMismatchError } from "../errors/atlas.ts";
import { readAtlasSnapshot } from "../actions/risk/readAtlasSnapshot.ts";
import type { AtlasSnapshot } from "../math/atlas.ts";
import { resolveAccount } from "./account.ts";
import { readMany, type ReadOptions } from "./read.ts";

/** Parameters every risk view takes. */
export interface AtlasViewParameters extends ReadOptions {
  clearinghouse: Address;
  /** The Atlas contract; read from the Clearinghouse when omitted. */
  atlas?: Address;
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
  perpMarkets: readonly Address[] = [],
): Promise<AtlasSnapshot> {
  if (p.snapshot) return p.snapshot;
  const owner = p.owner ?? resolveAccount(client, undefined, action).address;
  return readAtlasSnapshot(client, {
    clearinghouse: p.clearinghouse,
    atlas: p.atlas,
    owner,
    sub: p.sub,
    tokens,
    perpMarkets,
    multicallAddress: p.multicallAddress,
    blockNumber: p.blockNumber,
  });
}

/** One figure to compare: a Clearinghouse (or AtlasLens) view call and the SDK's answer for it. */
export interface AtlasCheck {
  field: string;
  /**
   * Where the view lives: the Clearinghouse (default: `riskOf`, `initialValue`, `maintenanceValue`,
   * `liquidationQuote`, valued where its margin checks run) or Atlas's lens (`Atlas.LENS()`: the what-if views).
   */
  contract?: "clearinghouse" | "lens";
  functionName: string;
  args: readonly unknown[];
  /** Picks the compared bigints out of the contract's answer, in the order of `sdk`. */
  pick: (result: unknown) => readonly bigint[];
  sdk: readonly bigint[];
}

/** Reads every check's view at the snapshot's block; throws AtlasMismatchError on the first difference. */
export async function verifyAtlas(client: Client, s: AtlasSnapshot, checks: readonly AtlasCheck[], options: ReadOptions = {}) {
  const at = { ...options, blockNumber: s.blockNumber };
  // the what-if views are on Atlas's lens: one more read for its address, only when asked
  const lens = checks.some((c) => c.contract === "lens")
    ? ((await readMany(client, [{ address: s.atlas, abi: atlasAbi, functionName: "LENS", args: [] }] as const, at))[0] as Address)
    : undefined;
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

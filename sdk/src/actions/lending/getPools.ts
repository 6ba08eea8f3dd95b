import { erc20Abi, getAddress, zeroAddress, type Address, type Client, type ContractFunctionParameters } from "viem";
import { clearinghouseAbi, lendingVaultAbi } from "../../abis/index.ts";
import { InvalidParameterError } from "../../errors/client.ts";
import { NoPoolError } from "../../errors/contract.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { contractError } from "../../errors/local.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { aprBps, apyBps, type RateModel } from "../../math/rates.ts";

export interface GetPoolsParameters extends ReadOptions {
  /** Pools to read, by their LendingVault. */
  pools?: readonly Address[];
  /** Or tokens whose pools to read (needs `clearinghouse`); a token without a pool throws NoPoolError. */
  tokens?: readonly Address[];
  clearinghouse?: Address;
}

/** One lending pool's state; every figure includes interest accrued up to the block read. */
export interface PoolInfo {
  /** The pool's LendingVault (ERC-4626 for outside lenders); the pool itself is in the Clearinghouse. */
  pool: Address;
  asset: Address;
  assetDecimals: number;
  /** ERC-4626: what lenders (outside and in-account) own, and their shares. */
  totalAssets: bigint;
  totalSupply: bigint;
  /** Assets the pool holds, lent out, and owned by the protocol's reserve: cash + totalBorrows = totalAssets + reserves. */
  cash: bigint;
  totalBorrows: bigint;
  totalBorrowShares: bigint;
  reserves: bigint;
  borrowIndexWad: bigint;
  /** borrows / (cash + borrows − reserves), WAD, rounded up. */
  utilizationWad: bigint;
  borrowRatePerSecondWad: bigint;
  supplyRatePerSecondWad: bigint;
  /** Simple yearly rates (per-second rate × 365 days) in bps: borrow rounded up, supply down. */
  borrowAprBps: bigint;
  supplyAprBps: bigint;
  /** Compounded every second for a year, in bps, exact: borrow rounded up, supply down (`apyBps`). */
  borrowApyBps: bigint;
  supplyApyBps: bigint;
  /** Caps on totalAssets and totalBorrows (2^112 − 1 = none). */
  supplyCapAssets: bigint;
  borrowCapAssets: bigint;
  reserveFactorBps: bigint;
  rateModel: RateModel;
  lastAccrualTimestamp: bigint;
}

export type GetPoolsReturnType = PoolInfo[];

/** The Clearinghouse's views of one pool, keyed by token (`PoolInfo`'s names where they differ). */
const VIEWS = [
  "supplyAssets",
  "totalSupplyShares",
  "cash",
  "totalBorrows",
  "totalBorrowShares",
  "poolReserves",
  "borrowIndexWad",
  "utilizationWad",
  "borrowRatePerSecondWad",
  "supplyRatePerSecondWad",
  "capsOf",
  "reserveFactorBpsOf",
  "rateModelOf",
  "lastAccrualTimestamp",
  "vaultOf",
] as const;

/**
 * Reads lending pools (held by the Clearinghouse, one per token) in one batched call (plus one for
 * the assets' decimals): cash, borrows, reserves, utilisation, caps, and the borrow and supply rates
 * per second with their APR and APY in bps. A pool is named by its token (`tokens`, with
 * `clearinghouse`) or by its LendingVault (`pools`: the vault's asset and core are read first).
 *
 * @example
 * const [usdcPool] = await getPools(client, { clearinghouse, tokens: [usdc] })
 * console.log(usdcPool.utilizationWad, usdcPool.supplyApyBps)
 */
export async function getPools(client: Client, parameters: GetPoolsParameters): Promise<GetPoolsReturnType> {
  const { pools = [], tokens = [], clearinghouse, ...options } = parameters;
  return withDecodedErrors(async () => {
    // (clearinghouse, token) of every pool asked for
    const keys: [Address, Address][] = [];
    if (pools.length) {
      const r = (await readMany(
        client,
        pools.flatMap((v) => [
          { address: v, abi: lendingVaultAbi, functionName: "core" },
          { address: v, abi: lendingVaultAbi, functionName: "asset" },
        ]) as ContractFunctionParameters[],
        options,
      )) as Address[];
      pools.forEach((_, i) => keys.push([r[2 * i], r[2 * i + 1]]));
    }
    if (tokens.length) {
      if (!clearinghouse) throw new InvalidParameterError("`tokens` needs `clearinghouse` to find their pools");
      const ch = clearinghouse;
      const vaults = await readMany(
        client,
        tokens.map((t) => ({ address: ch, abi: clearinghouseAbi, functionName: "vaultOf", args: [t] }) as const),
        options,
      );
      vaults.forEach((v, i) => {
        if (v === zeroAddress) throw contractError(NoPoolError, { token: getAddress(tokens[i]) });
        keys.push([ch, tokens[i]]);
      });
    }
    const calls: ContractFunctionParameters[] = keys.flatMap(([ch, token]) =>
      VIEWS.map((functionName) => ({ address: ch, abi: clearinghouseAbi, functionName, args: [token] })),
    );
    const r = (await readMany(client, calls, options)) as unknown[];
    const at = (i: number, view: (typeof VIEWS)[number]) => r[i * VIEWS.length + VIEWS.indexOf(view)];
    const decimals = (await readMany(
      client,
      keys.map(([, token]) => ({ address: token, abi: erc20Abi, functionName: "decimals" }) as const),
      options,
    )) as number[];
    return keys.map(([, token], i): PoolInfo => {
      const big = (v: (typeof VIEWS)[number]) => at(i, v) as bigint;
      const [supplyCapAssets, borrowCapAssets] = at(i, "capsOf") as readonly [bigint, bigint];
      const m = at(i, "rateModelOf") as Record<keyof RateModel, bigint>;
      const borrowRate = big("borrowRatePerSecondWad");
      const supplyRate = big("supplyRatePerSecondWad");
      return {
        pool: getAddress(at(i, "vaultOf") as Address),
        asset: getAddress(token),
        assetDecimals: decimals[i],
        totalAssets: big("supplyAssets"),
        totalSupply: big("totalSupplyShares"),
        cash: big("cash"),
        totalBorrows: big("totalBorrows"),
        totalBorrowShares: big("totalBorrowShares"),
        reserves: big("poolReserves"),
        borrowIndexWad: big("borrowIndexWad"),
        utilizationWad: big("utilizationWad"),
        borrowRatePerSecondWad: borrowRate,
        supplyRatePerSecondWad: supplyRate,
        borrowAprBps: aprBps(borrowRate, "ceil"),
        supplyAprBps: aprBps(supplyRate, "floor"),
        borrowApyBps: apyBps(borrowRate, "ceil"),
        supplyApyBps: apyBps(supplyRate, "floor"),
        supplyCapAssets,
        borrowCapAssets,
        reserveFactorBps: BigInt(at(i, "reserveFactorBpsOf") as number),
        rateModel: {
          baseRatePerYearWad: BigInt(m.baseRatePerYearWad),
          slope1PerYearWad: BigInt(m.slope1PerYearWad),
          slope2PerYearWad: BigInt(m.slope2PerYearWad),
          kinkWad: BigInt(m.kinkWad),
        },
        lastAccrualTimestamp: big("lastAccrualTimestamp"),
      };
    });
  });
}

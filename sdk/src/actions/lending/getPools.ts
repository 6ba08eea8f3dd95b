import { erc20Abi, getAddress, zeroAddress, type Address, type Client, type ContractFunctionParameters } from "viem";
import { clearinghouseAbi, lendingPoolAbi } from "../../abis/index.ts";
import { InvalidParameterError } from "../../errors/client.ts";
import { NoPoolError } from "../../errors/contract.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { contractError } from "../../errors/local.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import { aprBps, apyBps, type RateModel } from "../../math/rates.ts";

export interface GetPoolsParameters extends ReadOptions {
  /** Pools to read. */
  pools?: readonly Address[];
  /** Or tokens whose pools to read (needs `clearinghouse`); a token without a pool throws NoPoolError. */
  tokens?: readonly Address[];
  clearinghouse?: Address;
}

/** One lending pool's state; every figure includes interest accrued up to the block read. */
export interface PoolInfo {
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

const VIEWS = [
  "asset",
  "totalAssets",
  "totalSupply",
  "cash",
  "totalBorrows",
  "totalBorrowShares",
  "reserves",
  "borrowIndexWad",
  "utilizationWad",
  "borrowRatePerSecondWad",
  "supplyRatePerSecondWad",
  "caps",
  "reserveFactorBps",
  "rateModel",
  "lastAccrualTimestamp",
] as const;

/**
 * Reads lending pools in one batched call (plus one for the assets' decimals): cash, borrows,
 * reserves, utilisation, caps, and the borrow and supply rates per second with their APR and
 * APY in bps.
 *
 * @example
 * const [usdcPool] = await getPools(client, { clearinghouse, tokens: [usdc] })
 * console.log(usdcPool.utilizationWad, usdcPool.supplyApyBps)
 */
export async function getPools(client: Client, parameters: GetPoolsParameters): Promise<GetPoolsReturnType> {
  const { pools = [], tokens = [], clearinghouse, ...options } = parameters;
  return withDecodedErrors(async () => {
    let addresses = [...pools];
    if (tokens.length) {
      if (!clearinghouse) throw new InvalidParameterError("`tokens` needs `clearinghouse` to find their pools");
      const ch = clearinghouse;
      const zero = `0x${"00".repeat(32)}` as const;
      const ps = await readMany(
        client,
        tokens.map((t) => ({ address: ch, abi: clearinghouseAbi, functionName: "positionOf", args: [zero, t] }) as const),
        options,
      );
      ps.forEach((p, i) => {
        if (p.pool === zeroAddress) throw contractError(NoPoolError, { token: getAddress(tokens[i]) });
      });
      addresses = [...addresses, ...ps.map((p) => p.pool)];
    }
    const calls: ContractFunctionParameters[] = addresses.flatMap((address) =>
      VIEWS.map((functionName) => ({ address, abi: lendingPoolAbi, functionName })),
    );
    const r = (await readMany(client, calls, options)) as unknown[];
    const at = (i: number, view: (typeof VIEWS)[number]) => r[i * VIEWS.length + VIEWS.indexOf(view)];
    const decimals = (await readMany(
      client,
      addresses.map((_, i) => ({ address: at(i, "asset") as Address, abi: erc20Abi, functionName: "decimals" }) as const),
      options,
    )) as number[];
    return addresses.map((pool, i): PoolInfo => {
      const big = (v: (typeof VIEWS)[number]) => at(i, v) as bigint;
      const [supplyCapAssets, borrowCapAssets] = at(i, "caps") as readonly [bigint, bigint];
      const m = at(i, "rateModel") as Record<keyof RateModel, bigint>;
      const borrowRate = big("borrowRatePerSecondWad");
      const supplyRate = big("supplyRatePerSecondWad");
      return {
        pool: getAddress(pool),
        asset: getAddress(at(i, "asset") as Address),
        assetDecimals: decimals[i],
        totalAssets: big("totalAssets"),
        totalSupply: big("totalSupply"),
        cash: big("cash"),
        totalBorrows: big("totalBorrows"),
        totalBorrowShares: big("totalBorrowShares"),
        reserves: big("reserves"),
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
        reserveFactorBps: BigInt(at(i, "reserveFactorBps") as number),
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

import { getAddress, zeroAddress, type Address, type Client, type ContractFunctionParameters } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import { clearinghouseAbi } from "../../abis/index.ts";
import { withDecodedErrors } from "../../errors/decode.ts";
import { readMany, type ReadOptions } from "../../internal/read.ts";
import type { AtlasAsset, AtlasPerp, AtlasPocket, AtlasPosition, AtlasSnapshot, PoolState } from "../../math/atlas.ts";
import { decodeAccountState, maskIndexes } from "../../math/codec.ts";
import { accountId } from "../../math/order.ts";
import { PREMIUM_SCALE } from "../../math/perp.ts";

export interface ReadAtlasSnapshotParameters extends ReadOptions {
  /** The core: balances, pools, every market and ATLAS's parameters. */
  clearinghouse: Address;
  owner: Address;
  /** Sub-account; default 0. */
  sub?: bigint;
  /**
   * Tokens for what-if views (`maxWithdraw`, `maxBorrow`, `liquidationPrice`) and liquidation
   * previews: included even if the account does not hold them, with their pool's state.
   */
  tokens?: readonly Address[];
  /** Perp market ids for what-ifs (`maxOrderSize`, `previewOrder`): read even where the account has no position. */
  perpMarketIds?: readonly bigint[];
  /** Read every pool's state, not only those of `tokens`. Default false. */
  pools?: boolean;
}

export type ReadAtlasSnapshotReturnType = AtlasSnapshot;

type Config = { token: Address; decimals: number; shockBps: number; slippageBps: number; lentHaircutBps: number; vault: Address };
type RawPosition = Config & { amount: bigint; lent: boolean };

type PerpRiskResult = {
  underlying: Address;
  quote: Address;
  sizeAtoms: bigint;
  bidAtoms: bigint;
  askAtoms: bigint;
  cashAtoms: bigint;
  liquidityBps: bigint;
  impactNotionalUsd: bigint;
  basisBps: bigint;
  floorBps: bigint;
};

const ZERO_ACCOUNT = `0x${"00".repeat(32)}` as const;

/**
 * Reads everything ATLAS reads about one account, at one block, in a few batched calls of the
 * core: its positions and asset configs, each pool's debt, lent value, rate and state, each spot
 * market's tokens (`marketInfo`) and the account's pocket there, each perp market's position and
 * risk figures (by market id), and each price (the core's `tryPrice`). The `atlasMath`
 * functions then give the contract's figures at that block to the wei.
 *
 * Every read is pinned to one block (`blockNumber`, default the latest), so the snapshot is
 * consistent even while blocks are produced between its round trips.
 *
 * @example
 * const snap = await readAtlasSnapshot(client, { clearinghouse, owner: alice, tokens: [usdc] })
 * atlasMath.riskOf(snap)                 // { equityWad, maintenanceWad, initialWad }
 * atlasMath.maxBorrow(snap, usdc)        // atoms, as AtlasLens.maxBorrow at snap.blockNumber
 */
export async function readAtlasSnapshot(
  client: Client,
  parameters: ReadAtlasSnapshotParameters,
): Promise<ReadAtlasSnapshotReturnType> {
  const { clearinghouse, owner, sub = 0n, tokens = [], multicallAddress, pools = false } = parameters;
  return withDecodedErrors(async () => {
    const blockNumber = parameters.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
    const opts = { multicallAddress, blockNumber };
    const account = accountId(owner, sub);
    const ch = { address: clearinghouse, abi: clearinghouseAbi } as const;
    const [block, first] = await Promise.all([
      getBlock(client, { blockNumber }),
      readMany(
        client,
        [
          { ...ch, functionName: "positionsOf", args: [account, zeroAddress] },
          { ...ch, functionName: "accountState", args: [account] },
          { ...ch, functionName: "liquidationParams" },
          { ...ch, functionName: "riskParams" },
          { ...ch, functionName: "perpMarketMask" },
          ...tokens.map((t) => ({ ...ch, functionName: "positionOf", args: [ZERO_ACCOUNT, t] }) as const),
        ] as const,
        opts,
      ),
    ]);
    const [[rawPositions, marketIds], state, [rampSeconds, capShareBps, bufferBps], [initialScaleBps, debtInterestSeconds], perpMask] =
      first as unknown as [
        [readonly RawPosition[], readonly bigint[]],
        bigint,
        readonly [number, number, number],
        readonly [number, number],
        bigint,
      ];
    // market ids come ascending; the perp mask (bit id − 1) tells each one's kind
    const perpIds = new Set(maskIndexes(perpMask));
    const spotIds = marketIds.filter((id) => !perpIds.has(id));
    const perpMarketIds = [
      ...marketIds.filter((id) => perpIds.has(id)),
      ...(parameters.perpMarketIds ?? []).filter((id) => !marketIds.includes(id)),
    ];
    const asked = new Set(tokens.map((t) => getAddress(t)));
    const withState = (c: Config) => pools || asked.has(getAddress(c.token));
    const configs = new Map<Address, Config>();
    for (const p of [...rawPositions, ...(first.slice(5) as unknown as RawPosition[])]) configs.set(getAddress(p.token), p);

    // round 2: each known token's pool and price, the held balances' atoms, each market's pocket or position
    const known = [...configs.values()];
    const held = rawPositions.filter((p) => p.vault !== zeroAddress && (p.amount < 0n || (p.lent && p.amount > 0n)));
    const second = (await readMany(
      client,
      [
        ...held.map((p) => ({
          ...ch,
          functionName: p.amount < 0n ? "debtOf" : "lentAssetsOf",
          args: [p.token, p.amount < 0n ? -p.amount : p.amount],
        })),
        ...assetCalls(ch.address, known, withState),
        ...spotIds.flatMap((id) => [
          { ...ch, functionName: "marketInfo", args: [id] },
          { ...ch, functionName: "pocketOf", args: [id, owner, Number(sub)] },
        ]),
        ...perpMarketIds.flatMap((id) => [
          { ...ch, functionName: "perpRiskOf", args: [id, account] },
          { ...ch, functionName: "perpParams", args: [id] },
          { ...ch, functionName: "premiumState", args: [id] },
          { ...ch, functionName: "markPrice", args: [id] },
          { ...ch, functionName: "perpPositionOf", args: [id, account] },
        ]),
      ] as ContractFunctionParameters[],
      opts,
    )) as unknown[];
    const atoms = second.slice(0, held.length) as bigint[];
    const assets: Record<Address, AtlasAsset> = {};
    let at2 = held.length;
    for (const c of known) at2 = toAsset(c, second, at2, assets, withState);
    const pockets: AtlasPocket[] = spotIds.map((marketId, i) => {
      const { base, quote } = second[at2 + 2 * i] as { base: Address; quote: Address };
      const [lb, lq, ub, uq, n] = second[at2 + 2 * i + 1] as readonly bigint[];
      return {
        marketId,
        base: getAddress(base),
        quote: getAddress(quote),
        lockedBaseAtoms: lb,
        lockedQuoteAtoms: lq,
        unsweptBaseAtoms: ub,
        unsweptQuoteAtoms: uq,
        openOrders: n,
      };
    });
    at2 += 2 * spotIds.length;
    const perps: AtlasPerp[] = perpMarketIds.map((marketId, i) => {
      const [r, params, f, prices, pos] = second.slice(at2 + 5 * i, at2 + 5 * i + 5) as [
        PerpRiskResult,
        { lotSize: bigint; tickSize: bigint; takerFeeBps: number },
        readonly [bigint, ...bigint[]],
        readonly [bigint, bigint],
        readonly [bigint, bigint, bigint, bigint, bigint, bigint],
      ];
      return {
        marketId,
        sizeLots: pos[0],
        entryAtoms: pos[1],
        pocketCashAtoms: pos[2],
        fundingOwedAtoms: pos[3],
        underlying: getAddress(r.underlying),
        quote: getAddress(r.quote),
        sizeAtoms: r.sizeAtoms,
        bidAtoms: r.bidAtoms,
        askAtoms: r.askAtoms,
        cashAtoms: r.cashAtoms,
        liquidityBps: r.liquidityBps,
        impactNotionalUsd: r.impactNotionalUsd,
        basisBps: r.basisBps,
        floorBps: r.floorBps,
        lotSize: params.lotSize,
        tickSize: params.tickSize,
        takerFeeBps: BigInt(params.takerFeeBps),
        premiumLotWad: (prices[0] * f[0]) / PREMIUM_SCALE,
      };
    });

    // rounds 3 and 4, only when a market's token is neither held nor asked for: its config, then its pool
    const missing = [...new Set([...pockets.flatMap((p) => [p.base, p.quote]), ...perps.flatMap((p) => [p.underlying, p.quote])])].filter(
      (t) => !assets[t],
    );
    if (missing.length) {
      const cfgs = (await readMany(
        client,
        missing.map((t) => ({ ...ch, functionName: "positionOf", args: [ZERO_ACCOUNT, t] }) as const),
        opts,
      )) as unknown as Config[];
      const third = (await readMany(client, assetCalls(ch.address, cfgs, withState), opts)) as unknown[];
      let k = 0;
      for (const c of cfgs) k = toAsset(c, third, k, assets, withState);
    }

    const positions: AtlasPosition[] = rawPositions.map((p) => {
      const i = held.indexOf(p);
      const token = getAddress(p.token);
      return {
        token,
        amount: p.amount,
        lent: p.lent,
        idleAtoms: !p.lent && p.amount > 0n ? p.amount : 0n,
        lentAtoms: i >= 0 && p.amount > 0n ? atoms[i] : 0n,
        debtAtoms: i >= 0 && p.amount < 0n ? atoms[i] : 0n,
      };
    });
    return {
      clearinghouse: getAddress(clearinghouse),
      account,
      blockNumber,
      timestamp: block.timestamp,
      initialScaleBps: BigInt(initialScaleBps),
      debtInterestSeconds: BigInt(debtInterestSeconds),
      positions,
      marketIds: [...marketIds],
      pockets,
      perps,
      assets,
      liquidatableSince: decodeAccountState(state).liquidatableSince,
      liquidationParams: { rampSeconds: BigInt(rampSeconds), capShareBps: BigInt(capShareBps), bufferBps: BigInt(bufferBps) },
    };
  });
}

/** The pool's views (the Clearinghouse's, keyed by token) a snapshot's `PoolState` is made of. */
const POOL_VIEWS = [
  "borrowIndexWad",
  "cash",
  "poolReserves",
  "totalBorrowShares",
  "supplyAssets",
  "totalSupplyShares",
  "rateModelOf",
  "capsOf",
] as const;

/** Per token: the core's tryPrice and stable anchor, then its pool's rate, then (if asked) the pool's state. */
function assetCalls(
  clearinghouse: Address,
  configs: readonly Config[],
  withState: (c: Config) => boolean,
): ContractFunctionParameters[] {
  return configs.flatMap((c) => [
    { address: clearinghouse, abi: clearinghouseAbi, functionName: "tryPrice", args: [c.token] },
    { address: clearinghouse, abi: clearinghouseAbi, functionName: "stableAnchorOf", args: [c.token] },
    ...(c.vault === zeroAddress
      ? []
      : (["borrowRatePerSecondWad", ...(withState(c) ? POOL_VIEWS : [])] as const).map((functionName) => ({
          address: clearinghouse,
          abi: clearinghouseAbi,
          functionName,
          args: [c.token],
        }))),
  ]);
}

/** Consumes `assetCalls`' results for `c` from `results[at…]`; returns the next index. */
function toAsset(
  c: Config,
  results: readonly unknown[],
  at: number,
  out: Record<Address, AtlasAsset>,
  withState: (c: Config) => boolean,
): number {
  const [ok, priceWad, stableWad] = results[at++] as readonly [boolean, bigint, bigint];
  const [anchorWad] = results[at++] as readonly [bigint, bigint];
  let borrowRatePerSecondWad = 0n;
  let poolState: PoolState | undefined;
  if (c.vault !== zeroAddress) borrowRatePerSecondWad = results[at++] as bigint;
  if (c.vault !== zeroAddress && withState(c)) {
    const v = results.slice(at, at + POOL_VIEWS.length);
    at += POOL_VIEWS.length;
    const m = v[6] as { baseRatePerYearWad: bigint; slope1PerYearWad: bigint; slope2PerYearWad: bigint; kinkWad: bigint };
    poolState = {
      borrowIndexWad: v[0] as bigint,
      cash: v[1] as bigint,
      reserves: v[2] as bigint,
      totalBorrowShares: v[3] as bigint,
      totalAssets: v[4] as bigint,
      totalSupply: v[5] as bigint,
      borrowCapAssets: (v[7] as readonly [bigint, bigint])[1],
      rateModel: {
        baseRatePerYearWad: BigInt(m.baseRatePerYearWad),
        slope1PerYearWad: BigInt(m.slope1PerYearWad),
        slope2PerYearWad: BigInt(m.slope2PerYearWad),
        kinkWad: BigInt(m.kinkWad),
      },
    };
  }
  const token = getAddress(c.token);
  out[token] = {
    token,
    decimals: BigInt(c.decimals),
    shockBps: BigInt(c.shockBps),
    slippageBps: BigInt(c.slippageBps),
    lentHaircutBps: BigInt(c.lentHaircutBps),
    pool: getAddress(c.vault),
    price: { ok, priceWad, stableWad, anchorWad },
    borrowRatePerSecondWad,
    poolState,
  };
  return at;
}

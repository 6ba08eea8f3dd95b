// The standalone LendingPool's fixture, kept only for the lending tests not yet ported to the core
// (lending._helpers.ts); it goes with contracts/LendingPool.sol.
// Shared by the lending unit tests: a pool deployment (AccessManager with the deployer as
// admin, a plain signer standing in for the Clearinghouse), and an independent bigint model
// of the pool's math written from docs/LENDING.md, which the tests compare to the wei.
import { expect } from "chai";
import type { ContractTransactionReceipt, ContractTransactionResponse, Signer } from "ethers";
import { network } from "hardhat";
import {
  AccessManager__factory,
  LendingPool__factory,
  MockERC20__factory,
} from "../../types/ethers-contracts/index.js";
import type { LendingPool, MockERC20 } from "../../types/ethers-contracts/index.js";

export const WAD = 10n ** 18n;
export const BPS = 10_000n;
export const YEAR = 365n * 24n * 3600n;
export const OFFSET = 6n;
export const NO_CAP = 2n ** 112n - 1n;
export const MAX_RATE = 10n * WAD;
export const GOVERNANCE_ROLE = 1n;

export interface Model {
  baseRatePerYearWad: bigint;
  slope1PerYearWad: bigint;
  slope2PerYearWad: bigint;
  kinkWad: bigint;
}

/** 2 % base, +8 % up to 80 % utilisation, +100 % more from 80 % to 100 %. */
export const DEFAULT_MODEL: Model = {
  baseRatePerYearWad: 2n * 10n ** 16n,
  slope1PerYearWad: 8n * 10n ** 16n,
  slope2PerYearWad: WAD,
  kinkWad: 8n * 10n ** 17n,
};

export interface PoolOpts {
  decimals?: number;
  model?: Model;
  reserveFactorBps?: bigint;
  supplyCap?: bigint;
  borrowCap?: bigint;
}

export const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** Deploys an AccessManager, a token and a pool; funds alice, bob, carol and the Clearinghouse. */
export async function deployPool(opts: PoolOpts = {}) {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin, ch, alice, bob, carol, treasury, outsider] = await ethers.getSigners();
  const manager = await new AccessManager__factory(admin).deploy(admin.address);
  const decimals = opts.decimals ?? 6;
  const token = await new MockERC20__factory(admin).deploy("Token", "TKN", decimals);
  const pool = await newPool(admin, token, ch.address, await manager.getAddress(), opts);
  await wireGovernance(manager, pool, admin);
  const unit = 10n ** BigInt(decimals);
  for (const s of [alice, bob, carol, ch]) {
    await (await token.mint(s.address, 10n ** 9n * unit)).wait();
    await (await token.connect(s).approve(await pool.getAddress(), ethers.MaxUint256)).wait();
  }
  return { connection, ethers, networkHelpers, admin, ch, alice, bob, carol, treasury, outsider, manager, token, pool, unit, decimals };
}

export type PoolFx = Awaited<ReturnType<typeof deployPool>>;

export async function newPool(
  admin: Signer,
  token: MockERC20 | { getAddress(): Promise<string> },
  clearinghouse: string,
  authority: string,
  opts: PoolOpts = {},
): Promise<LendingPool> {
  const pool = await new LendingPool__factory(admin).deploy(
    await token.getAddress(),
    "Lent Token",
    "lTKN",
    clearinghouse,
    authority,
    opts.model ?? DEFAULT_MODEL,
    opts.reserveFactorBps ?? 1000n,
    opts.supplyCap ?? NO_CAP,
    opts.borrowCap ?? NO_CAP,
  );
  await pool.waitForDeployment();
  return pool;
}

/** Gives the governance functions to GOVERNANCE_ROLE and that role to `admin`. */
export async function wireGovernance(
  manager: Awaited<ReturnType<AccessManager__factory["deploy"]>>,
  pool: LendingPool,
  admin: Signer,
): Promise<void> {
  const sel = (["setRateModel", "setReserveFactor", "setCaps", "withdrawReserve"] as const).map(
    (f) => pool.interface.getFunction(f).selector,
  );
  await (await manager.setTargetFunctionRole(await pool.getAddress(), sel, GOVERNANCE_ROLE)).wait();
  await (await manager.grantRole(GOVERNANCE_ROLE, await admin.getAddress(), 0)).wait();
}

/** One deployment per `describe`, rolled back before every test. */
export function usePool(opts?: PoolOpts): () => PoolFx {
  let fx: PoolFx | undefined;
  let snap: { restore(): Promise<void> } | undefined;
  before(async () => {
    fx = await deployPool(opts);
    snap = await fx.networkHelpers.takeSnapshot();
  });
  beforeEach(async () => {
    await snap!.restore();
  });
  return () => fx!;
}

/** Everything the pool stores or derives, read in one go (views include interest up to now). */
export async function readPool(pool: LendingPool) {
  const [cash, totalBorrows, reserves, totalAssets, index, borrowShares, supply, last] = await Promise.all([
    pool.cash(),
    pool.totalBorrows(),
    pool.reserves(),
    pool.totalAssets(),
    pool.borrowIndexWad(),
    pool.totalBorrowShares(),
    pool.totalSupply(),
    pool.lastAccrualTimestamp(),
  ]);
  return { cash, totalBorrows, reserves, totalAssets, index, borrowShares, supply, last };
}

export async function latestTimestamp(fx: PoolFx): Promise<bigint> {
  return BigInt(await fx.networkHelpers.time.latest());
}

/**
 * The pool's math in bigint, written from the formulas in docs/LENDING.md rather than from
 * the contract: utilisation and rates rounded up, index grown by ceil(index·rate·dt/1e18),
 * totalBorrows rounded down, the reserve's cut rounded down, ERC-4626 with 10^6 virtual shares.
 */
export class PoolModel {
  cash = 0n;
  reserves = 0n;
  index = WAD;
  borrowShares = 0n;
  supply = 0n;
  constructor(
    public model: Model,
    public reserveFactorBps: bigint,
    public last: bigint,
  ) {}

  static utilization(cash: bigint, borrows: bigint, reserves: bigint): bigint {
    if (borrows === 0n) return 0n;
    if (cash + borrows <= reserves) return WAD;
    return min(ceilDiv(borrows * WAD, cash + borrows - reserves), WAD);
  }

  static ratePerYear(m: Model, u: bigint): bigint {
    let r = m.baseRatePerYearWad + ceilDiv(m.slope1PerYearWad * min(u, m.kinkWad), m.kinkWad);
    if (u > m.kinkWad) r += ceilDiv(m.slope2PerYearWad * (u - m.kinkWad), WAD - m.kinkWad);
    return r;
  }

  static ratePerSecond(m: Model, u: bigint): bigint {
    return ceilDiv(PoolModel.ratePerYear(m, u), YEAR);
  }

  get totalBorrows(): bigint {
    return (this.borrowShares * this.index) / WAD;
  }
  get totalAssets(): bigint {
    return this.cash + this.totalBorrows - this.reserves;
  }
  get utilization(): bigint {
    return PoolModel.utilization(this.cash, this.totalBorrows, this.reserves);
  }
  get ratePerSecond(): bigint {
    return PoolModel.ratePerSecond(this.model, this.utilization);
  }

  /** Accrues to `now`; returns [interest, toReserve] (0s when the index did not move). */
  accrue(now: bigint): [bigint, bigint] {
    const dt = now - this.last;
    this.last = now;
    if (dt === 0n || this.borrowShares === 0n) return [0n, 0n];
    const before = this.totalBorrows;
    const rate = this.ratePerSecond;
    this.index += ceilDiv(this.index * rate * dt, WAD);
    const interest = this.totalBorrows - before;
    const toReserve = (interest * this.reserveFactorBps) / BPS;
    this.reserves += toReserve;
    return [interest, toReserve];
  }

  toShares(assets: bigint, up: boolean): bigint {
    const n = assets * (this.supply + 10n ** OFFSET);
    const d = this.totalAssets + 1n;
    return up ? ceilDiv(n, d) : n / d;
  }
  toAssets(shares: bigint, up: boolean): bigint {
    const n = shares * (this.totalAssets + 1n);
    const d = this.supply + 10n ** OFFSET;
    return up ? ceilDiv(n, d) : n / d;
  }

  /**
   * Room for a deposit: under the supply cap, under what cash (uint112) holds, and under what the
   * share supply (uint128) holds, the shares being rounded down as a deposit mints them.
   */
  maxDeposit(supplyCap = NO_CAP): bigint {
    const assets = this.totalAssets;
    if (assets >= supplyCap) return 0n;
    const room = min(supplyCap - assets, NO_CAP - this.cash);
    // the most a with ⌊a · (supply + 10^6) / (totalAssets + 1)⌋ ≤ 2^128 − 1 − supply
    const byShares = ceilDiv((2n ** 128n - this.supply) * (assets + 1n), this.supply + 10n ** OFFSET) - 1n;
    return min(room, byShares);
  }

  deposit(assets: bigint): bigint {
    const shares = this.toShares(assets, false);
    this.cash += assets;
    this.supply += shares;
    return shares;
  }
  mint(shares: bigint): bigint {
    const assets = this.toAssets(shares, true);
    this.cash += assets;
    this.supply += shares;
    return assets;
  }
  withdraw(assets: bigint): bigint {
    const shares = this.toShares(assets, true);
    this.cash -= assets;
    this.supply -= shares;
    return shares;
  }
  redeem(shares: bigint): bigint {
    const assets = this.toAssets(shares, false);
    this.cash -= assets;
    this.supply -= shares;
    return assets;
  }
  borrow(assets: bigint): bigint {
    const shares = ceilDiv(assets * WAD, this.index);
    this.borrowShares += shares;
    this.cash -= assets;
    return shares;
  }
  repay(shares: bigint): bigint {
    const assets = ceilDiv(shares * this.index, WAD);
    this.borrowShares -= shares;
    this.cash += assets;
    return assets;
  }
  writeOff(shares: bigint): [bigint, bigint] {
    const loss = ceilDiv(shares * this.index, WAD);
    const fromReserve = min(loss, this.reserves);
    this.borrowShares -= shares;
    this.reserves -= fromReserve;
    return [loss, fromReserve];
  }
  withdrawReserve(assets: bigint): void {
    this.reserves -= assets;
    this.cash -= assets;
  }
}

/**
 * Drives the pool and the model side by side: each transaction is mined at a chosen time and
 * the same step is applied to the model, so every view can be compared to the wei.
 */
export class Sim {
  constructor(
    public fx: PoolFx,
    public m: PoolModel,
  ) {}

  static async start(fx: PoolFx, opts: PoolOpts = {}): Promise<Sim> {
    const last = await fx.pool.lastAccrualTimestamp();
    const m = new PoolModel(opts.model ?? DEFAULT_MODEL, opts.reserveFactorBps ?? 1000n, last);
    const s = await readPool(fx.pool);
    // pick up whatever the fixture already did (nothing borrowed yet, so no interest)
    m.cash = s.cash;
    m.supply = s.supply;
    expect(s.borrowShares).to.equal(0n);
    return new Sim(fx, m);
  }

  /**
   * Mines `send` `dt` seconds after the latest block; the model accrues to that time (unless
   * the entry point does not accrue) and then applies `apply`.
   */
  async tx<R>(
    dt: bigint,
    send: () => Promise<ContractTransactionResponse>,
    apply: (m: PoolModel) => R,
    accrues = true,
  ): Promise<{ receipt: ContractTransactionReceipt; out: R; t: bigint }> {
    const t = (await latestTimestamp(this.fx)) + dt;
    await this.fx.networkHelpers.time.setNextBlockTimestamp(t);
    const receipt = (await (await send()).wait())!;
    if (accrues) this.m.accrue(t);
    return { receipt, out: apply(this.m), t };
  }

  /** Moves time on by `dt` seconds (mining an empty block). */
  async warp(dt: bigint): Promise<void> {
    await this.fx.networkHelpers.time.increase(dt);
  }

  /** The model accrued to the latest block, leaving the model itself as it is. */
  async expected(): Promise<PoolModel> {
    return this.at(0n);
  }

  /** The model as the pool will be when a transaction is mined `dt` seconds after the latest block. */
  async at(dt: bigint): Promise<PoolModel> {
    const e = Object.assign(Object.create(PoolModel.prototype) as PoolModel, this.m);
    e.accrue((await latestTimestamp(this.fx)) + dt);
    return e;
  }

  /** Every view of the pool equals the model's figure, to the wei. */
  async check(): Promise<void> {
    const e = await this.expected();
    const s = await readPool(this.fx.pool);
    expect(s).to.deep.equal({
      cash: e.cash,
      totalBorrows: e.totalBorrows,
      reserves: e.reserves,
      totalAssets: e.totalAssets,
      index: e.index,
      borrowShares: e.borrowShares,
      supply: e.supply,
      last: this.m.last,
    });
  }
}

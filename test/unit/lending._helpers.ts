// Shared by the lending unit tests: a pool deployment (the core's lending, LendingCoreMock, with
// the asset's LendingVault; an AccessManager with the deployer as admin; a plain signer `ch` as the
// borrowing margin account), and an independent bigint model
// of the pool's math written from docs/LENDING.md, which the tests compare to the wei.
import { expect } from "chai";
import type { ContractTransactionReceipt, ContractTransactionResponse, Signer } from "ethers";
import { network } from "hardhat";
import { Interface } from "ethers";
import {
  AccessManager__factory,
  LendingCoreMock__factory,
  LendingVault__factory,
  MockERC20__factory,
} from "../../types/ethers-contracts/index.js";
import type { LendingCoreMock, LendingVault } from "../../types/ethers-contracts/index.js";

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

/**
 * What replaced the standalone pool: the core's lending (`LendingCoreMock`, the Clearinghouse's own
 * lending code, governed through an AccessManager as the Clearinghouse is) with the asset's
 * `LendingVault` for outside lenders. The facade speaks the pool's old vocabulary so the tests read
 * as before: ERC-4626 calls go to the vault, the rest to the core with the token filled in. Its
 * address is the core's (where the cash sits and the pool's events and errors come from); its
 * interface is the core's and the vault's together. The borrower (`ch`, a plain signer) is a margin
 * account of the mock: `borrow`, `repay`, `writeOff`, `repayUpTo` act on its own debt.
 */
export class CorePool {
  readonly interface: Interface;
  readonly target: string;
  constructor(
    public core: LendingCoreMock,
    public vault: LendingVault,
    public T: string,
  ) {
    const frags = [...core.interface.fragments, ...vault.interface.fragments].filter((f) => f.type !== "constructor");
    this.interface = new Interface(frags);
    this.target = core.target as string;
  }
  connect(s: Signer): CorePool {
    return new CorePool(this.core.connect(s) as LendingCoreMock, this.vault.connect(s) as LendingVault, this.T);
  }
  async getAddress(): Promise<string> {
    return this.target;
  }
  /** The core's runner (the chai matchers read its provider). */
  get runner() {
    return this.core.runner;
  }
  /** core.f(T, ...args), with .staticCall (loosely typed: the facade only prepends the token) */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private withT(method: unknown): { (...a: any[]): Promise<ContractTransactionResponse>; staticCall(...a: any[]): Promise<any> } {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const f = method as { (...a: any[]): Promise<ContractTransactionResponse>; staticCall(...a: any[]): Promise<any> };
    const T = this.T;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return Object.assign((...a: any[]) => f(T, ...a), { staticCall: (...a: any[]) => f.staticCall(T, ...a) });
  }
  // ---- outside lenders: the vault
  get deposit() { return this.vault.deposit; }
  get mint() { return this.vault.mint; }
  get withdraw() { return this.vault.withdraw; }
  get redeem() { return this.vault.redeem; }
  get balanceOf() { return this.vault.balanceOf; }
  get transfer() { return this.vault.transfer; }
  get approve() { return this.vault.approve; }
  get allowance() { return this.vault.allowance; }
  get convertToAssets() { return this.vault.convertToAssets; }
  get convertToShares() { return this.vault.convertToShares; }
  get previewDeposit() { return this.vault.previewDeposit; }
  get previewMint() { return this.vault.previewMint; }
  get previewWithdraw() { return this.vault.previewWithdraw; }
  get previewRedeem() { return this.vault.previewRedeem; }
  get maxDeposit() { return this.vault.maxDeposit; }
  get maxMint() { return this.vault.maxMint; }
  get maxWithdraw() { return this.vault.maxWithdraw; }
  get maxRedeem() { return this.vault.maxRedeem; }
  get asset() { return this.vault.asset; }
  get decimals() { return this.vault.decimals; }
  get name() { return this.vault.name; }
  get symbol() { return this.vault.symbol; }
  // ---- a margin account (the signer) borrowing, repaying, lending: the core
  get borrow() { return this.withT(this.core.borrow); }
  get repay() { return this.withT(this.core.repay); }
  get repayUpTo() { return this.withT(this.core.repayUpTo); }
  get writeOff() { return this.withT(this.core.writeOff); }
  get withdrawUpTo() { return this.withT(this.core.withdrawUpTo); }
  get supplyAsAccount() { return this.withT(this.core.supplyAsAccount); }
  get accrueInterest() { return this.withT(this.core.accrueInterest); }
  // ---- governance (AccessManager-restricted on the core) and the venue's freeze (test-only setter)
  get setRateModel() { return this.withT(this.core.setRateModel); }
  get setReserveFactor() { return this.withT(this.core.setReserveFactor); }
  get setCaps() { return this.withT(this.core.setCaps); }
  get withdrawReserve() { return this.withT(this.core.withdrawPoolReserve); }
  get setFrozen() { return this.withT(this.core.setFrozen); }
  // ---- the pool's views, keyed by token on the core
  totalSupply(): Promise<bigint> { return this.core.totalSupplyShares(this.T); }
  totalAssets(): Promise<bigint> { return this.core.supplyAssets(this.T); }
  cash(): Promise<bigint> { return this.core.cash(this.T); }
  totalBorrows(): Promise<bigint> { return this.core.totalBorrows(this.T); }
  totalBorrowShares(): Promise<bigint> { return this.core.totalBorrowShares(this.T); }
  borrowIndexWad(): Promise<bigint> { return this.core.borrowIndexWad(this.T); }
  reserves(): Promise<bigint> { return this.core.poolReserves(this.T); }
  lastAccrualTimestamp(): Promise<bigint> { return this.core.lastAccrualTimestamp(this.T); }
  utilizationWad(): Promise<bigint> { return this.core.utilizationWad(this.T); }
  borrowRatePerSecondWad(): Promise<bigint> { return this.core.borrowRatePerSecondWad(this.T); }
  supplyRatePerSecondWad(): Promise<bigint> { return this.core.supplyRatePerSecondWad(this.T); }
  debtOf(shares: bigint): Promise<bigint> { return this.core.debtOf(this.T, shares); }
  sharesForDebt(assets: bigint): Promise<bigint> { return this.core.sharesForDebt(this.T, assets); }
  debtAndRateOf(shares: bigint) { return this.core.debtAndRateOf(this.T, shares); }
  borrowQuote(extra: bigint) { return this.core.borrowQuote(this.T, extra); }
  borrowQuoteAfterRedeem(redeemed: bigint, extra: bigint) { return this.core.borrowQuoteAfterRedeem(this.T, redeemed, extra); }
  rateModel() { return this.core.rateModelOf(this.T); }
  caps() { return this.core.capsOf(this.T); }
  reserveFactorBps(): Promise<bigint> { return this.core.reserveFactorBpsOf(this.T); }
  frozen(): Promise<boolean> { return this.core.poolFrozen(this.T); }
  /** The borrow shares `account` owes (the mock's margin ledger). */
  borrowSharesOf(account: string): Promise<bigint> { return this.core.borrowSharesOf(account, this.T); }
  /** The lent shares of margin account `account`. */
  accountSharesOf(account: string): Promise<bigint> { return this.core.accountSharesOf(account, this.T); }
}

/** The core's governance functions, given to GOVERNANCE_ROLE, and that role to `admin`. */
export async function wireCoreGovernance(
  manager: Awaited<ReturnType<AccessManager__factory["deploy"]>>,
  core: LendingCoreMock,
  admin: Signer,
): Promise<void> {
  const sel = (["setRateModel", "setReserveFactor", "setCaps", "withdrawPoolReserve"] as const).map(
    (f) => core.interface.getFunction(f).selector,
  );
  await (await manager.setTargetFunctionRole(await core.getAddress(), sel, GOVERNANCE_ROLE)).wait();
  await (await manager.grantRole(GOVERNANCE_ROLE, await admin.getAddress(), 0)).wait();
}

/** Lists `token`'s pool in `core` with a new LendingVault; returns the facade. */
export async function newCorePool(
  admin: Signer,
  core: LendingCoreMock,
  token: { getAddress(): Promise<string> },
  opts: PoolOpts = {},
): Promise<CorePool> {
  const T = await token.getAddress();
  const vault = await new LendingVault__factory(admin).deploy(T, "Lent Token", "lTKN", await core.getAddress());
  await vault.waitForDeployment();
  await (
    await core.listPool(
      T,
      await vault.getAddress(),
      opts.model ?? DEFAULT_MODEL,
      opts.reserveFactorBps ?? 1000n,
      opts.supplyCap ?? NO_CAP,
      opts.borrowCap ?? NO_CAP,
    )
  ).wait();
  return new CorePool(core, vault, T);
}

/**
 * Deploys an AccessManager, the core (governed by it) and a token with its pool and vault; funds
 * alice, bob, carol and `ch` (the borrower, a margin account) and approves the vault and the core.
 */
export async function deployPool(opts: PoolOpts = {}) {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin, ch, alice, bob, carol, treasury, outsider] = await ethers.getSigners();
  const manager = await new AccessManager__factory(admin).deploy(admin.address);
  const core = await new LendingCoreMock__factory(admin).deploy(await manager.getAddress());
  await wireCoreGovernance(manager, core, admin);
  const decimals = opts.decimals ?? 6;
  const token = await new MockERC20__factory(admin).deploy("Token", "TKN", decimals);
  const pool = await newCorePool(admin, core, token, opts);
  const unit = 10n ** BigInt(decimals);
  for (const s of [alice, bob, carol, ch]) {
    await (await token.mint(s.address, 10n ** 9n * unit)).wait();
    await (await token.connect(s).approve(await pool.vault.getAddress(), ethers.MaxUint256)).wait();
    await (await token.connect(s).approve(await core.getAddress(), ethers.MaxUint256)).wait();
  }
  return { connection, ethers, networkHelpers, admin, ch, alice, bob, carol, treasury, outsider, manager, core, token, pool, unit, decimals };
}

export type PoolFx = Awaited<ReturnType<typeof deployPool>>;

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
export async function readPool(pool: CorePool) {
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

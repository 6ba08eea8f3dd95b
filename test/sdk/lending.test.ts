// Lending actions against the in-process network: ERC-4626 supply and withdrawal for outside
// lenders, lending from inside the account, borrowing, repaying, the borrow policy, and the
// pools' figures (rates, APR and APY, utilisation, caps).
import { expect } from "chai";
import { erc20Abi, getAddress, type Address } from "viem";
import { readContract } from "viem/actions";
import {
  ERC20InsufficientAllowanceError,
  InsufficientBalanceError,
  InsufficientCashError,
  InsufficientMarginError,
  InvalidParameterError,
  NoPoolError,
  NothingToRepayError,
  Side,
  accountId,
  clearinghouseAbi,
  getPools,
  lendingVaultAbi,
  rateMath,
} from "../../sdk/src/index.ts";
import { SUPPLIED, WAD, thrown, useMarginWorld } from "./_margin.ts";

const USDC = 10n ** 6n;

describe("sdk actions: lending", () => {
  const world = useMarginWorld();

  const wallet = (token: Address, who: Address) =>
    readContract(world().publicClient, { address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });
  const sharesOf = (pool: Address, who: Address) =>
    readContract(world().publicClient, { address: pool, abi: lendingVaultAbi, functionName: "balanceOf", args: [who] });
  const balanceOf = (who: Address, token: Address, sub = 0n) =>
    readContract(world().publicClient, {
      address: world().clearinghouse,
      abi: clearinghouseAbi,
      functionName: "balanceOf",
      args: [accountId(who, sub), token],
    });

  /** bob: 100,000 WETH of collateral, then `usdc` borrowed out of the USDC pool. */
  async function bigBorrow(usdc: bigint) {
    const { bob, tokens } = world();
    await bob.depositSync({ token: tokens.weth, amount: 100_000n * WAD, approve: "max" });
    await bob.borrowSync({ token: tokens.usdc, atoms: usdc });
  }

  describe("supply and withdrawSupply (ERC-4626, outside lenders)", () => {
    it("supply approves exactly, mints the shares the pool previews, and withdrawSupply by assets, shares or all", async () => {
      const { eve, pools, tokens, publicClient } = world();
      const me = eve.account.address;
      const preview = await readContract(publicClient, { address: pools.usdc, abi: lendingVaultAbi, functionName: "previewDeposit", args: [1_000n * USDC] });
      const { shares, approval } = await eve.supplySync({ pool: pools.usdc, assets: 1_000n * USDC });
      expect(approval?.status).to.equal("success");
      expect(shares).to.equal(preview);
      expect(await sharesOf(pools.usdc, me)).to.equal(shares);
      const before = await wallet(tokens.usdc, me);
      const out = await eve.withdrawSupplySync({ pool: pools.usdc, assets: 400n * USDC });
      expect(out.assets).to.equal(400n * USDC);
      expect(await wallet(tokens.usdc, me)).to.equal(before + 400n * USDC);
      const part = await eve.withdrawSupplySync({ pool: pools.usdc, shares: out.shares });
      expect(part.shares).to.equal(out.shares);
      const rest = await eve.withdrawSupplySync({ pool: pools.usdc, shares: "all" });
      expect(await sharesOf(pools.usdc, me)).to.equal(0n);
      // nothing borrowed, no interest: the lender gets back what it put in, less rounding in the pool's favour
      const back = out.assets + part.assets + rest.assets;
      expect(back <= 1_000n * USDC && back >= 1_000n * USDC - 2n).to.equal(true);
    });

    it("sends the shares to a receiver, and without an allowance (approve: false) reverts with the token's error", async () => {
      const { eve, frank, pools } = world();
      const { shares } = await eve.supplySync({ pool: pools.weth, assets: WAD, receiver: frank.account.address, approve: "max" });
      expect(await sharesOf(pools.weth, frank.account.address)).to.equal(shares);
      const e = await thrown(frank.supplySync({ pool: pools.wbtc, assets: 1n, approve: false }));
      expect(e).to.be.instanceOf(ERC20InsufficientAllowanceError);
      expect((e as ERC20InsufficientAllowanceError).args.spender).to.equal(pools.wbtc);
    });

    it("a withdrawal larger than the pool's cash reverts InsufficientCashError with what is there", async () => {
      const { eve, pools } = world();
      await eve.supplySync({ pool: pools.usdc, assets: 1_000_000n * USDC });
      await bigBorrow(10_900_000n * USDC); // of 11M supplied
      const e = await thrown(eve.withdrawSupplySync({ pool: pools.usdc, assets: 500_000n * USDC }));
      expect(e).to.be.instanceOf(InsufficientCashError);
      const { requested, available } = (e as InsufficientCashError).args;
      expect(requested).to.equal(500_000n * USDC);
      expect(available).to.equal(SUPPLIED.usdc + 1_000_000n * USDC - 10_900_000n * USDC);
    });
  });

  describe("getPools", () => {
    it("reads every figure as the pool's own views give it, by token or by pool", async () => {
      const { admin, pools, tokens, publicClient, clearinghouse } = world();
      await bigBorrow(8_000_000n * USDC);
      const [byToken] = await admin.getPools({ tokens: [tokens.usdc] });
      const [byPool] = await getPools(publicClient, { pools: [pools.usdc] });
      expect(byToken).to.deep.equal(byPool);
      // the pool's views are the Clearinghouse's, keyed by token
      const view = (functionName: "cash" | "totalBorrows" | "poolReserves" | "utilizationWad" | "borrowRatePerSecondWad" | "supplyRatePerSecondWad") =>
        readContract(publicClient, { address: clearinghouse, abi: clearinghouseAbi, functionName, args: [tokens.usdc] });
      expect(byPool.pool).to.equal(pools.usdc);
      expect(byPool.asset).to.equal(tokens.usdc);
      expect(byPool.assetDecimals).to.equal(6);
      expect(byPool.cash).to.equal(await view("cash"));
      expect(byPool.cash).to.equal(SUPPLIED.usdc - 8_000_000n * USDC);
      expect(byPool.totalBorrows).to.equal(await view("totalBorrows"));
      expect(byPool.reserves).to.equal(await view("poolReserves"));
      expect(byPool.utilizationWad).to.equal(await view("utilizationWad"));
      expect(byPool.utilizationWad).to.equal(8n * 10n ** 17n); // 8M of 10M
      expect(byPool.borrowRatePerSecondWad).to.equal(await view("borrowRatePerSecondWad"));
      expect(byPool.supplyRatePerSecondWad).to.equal(await view("supplyRatePerSecondWad"));
      expect(byPool.cash + byPool.totalBorrows).to.equal(byPool.totalAssets + byPool.reserves);
      expect(byPool.rateModel.kinkWad).to.equal(8n * 10n ** 17n);
      expect(byPool.reserveFactorBps).to.equal(1_000n);
      expect(byPool.supplyCapAssets).to.equal((1n << 112n) - 1n); // no cap
      // at the kink: 4 % a year, rounded up per second; APR back from it, APY compounded per second
      expect(byPool.borrowAprBps).to.equal(401n);
      expect(byPool.borrowApyBps).to.equal(rateMath.apyBps(byPool.borrowRatePerSecondWad, "ceil"));
      expect(byPool.borrowApyBps).to.equal(409n); // e^0.04 − 1 = 4.08 %, rounded up
      expect(byPool.supplyApyBps).to.equal(rateMath.apyBps(byPool.supplyRatePerSecondWad, "floor"));
      expect(byPool.supplyAprBps).to.equal(287n); // 4 % × 0.8 × 0.9 = 2.88 %, every step rounded down
      const [weth] = await getPools(publicClient, { clearinghouse, tokens: [tokens.weth] });
      expect([weth.utilizationWad, weth.borrowRatePerSecondWad, weth.borrowApyBps, weth.supplyApyBps]).to.deep.equal([0n, 0n, 0n, 0n]);
    });

    it("a token without a pool throws NoPoolError; tokens without a clearinghouse, InvalidParameterError", async () => {
      const { admin, protocol, connection, publicClient } = world();
      const junk = await connection.viem.deployContract("MockERC20", ["Junk", "JNK", 18]);
      await (await protocol.clearinghouse.listAsset(junk.address)).wait();
      const e = await thrown(admin.getPools({ tokens: [junk.address] }));
      expect(e).to.be.instanceOf(NoPoolError);
      expect((e as NoPoolError).args.token).to.equal(getAddress(junk.address));
      expect(await thrown(getPools(publicClient, { tokens: [junk.address] }))).to.be.instanceOf(InvalidParameterError);
    });
  });

  describe("rate math", () => {
    it("APY brackets are exact: floor and ceiling differ by at most one bp and agree with e^r − 1", () => {
      for (const aprPct of [0n, 1n, 4n, 20n, 75n, 300n, 1000n]) {
        const rate = rateMath.ceilDiv((aprPct * WAD) / 100n, rateMath.SECONDS_PER_YEAR);
        const floor = rateMath.apyBps(rate, "floor");
        const ceil = rateMath.apyBps(rate, "ceil");
        expect(ceil - floor).to.be.oneOf([0n, 1n]);
        // a float cross-check only (the SDK never uses floats)
        const approx = ((1 + Number(rate) / 1e18) ** Number(rateMath.SECONDS_PER_YEAR) - 1) * 10_000;
        expect(Math.abs(Number(floor) - approx)).to.be.lessThan(1.01 + approx * 1e-8);
        expect(floor >= rateMath.aprBps(rate, "floor")).to.equal(true);
      }
      expect(rateMath.apyBps(0n, "ceil")).to.equal(0n);
    });
  });

  describe("setLending", () => {
    it("lends the balance to the pool as shares and takes it back; the balance keeps its value", async () => {
      const { alice, tokens, clearinghouse, publicClient } = world();
      await alice.depositSync({ token: tokens.usdc, amount: 50_000n * USDC });
      await alice.setLendingSync({ token: tokens.usdc });
      const pos = await readContract(publicClient, {
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "positionOf",
        args: [accountId(alice.account.address), tokens.usdc],
      });
      expect(pos.lent).to.equal(true);
      expect(pos.amount).to.be.greaterThan(50_000n * USDC); // shares carry 6 more decimals
      const lent = await balanceOf(alice.account.address, tokens.usdc);
      expect(lent <= 50_000n * USDC && lent >= 50_000n * USDC - 1n).to.equal(true);
      const risk = await alice.getAccountRisk();
      expect(risk.assets.find((a) => a.token === tokens.usdc)?.lentAtoms).to.equal(lent);
      await alice.setLendingSync({ token: tokens.usdc, lent: false });
      expect(await balanceOf(alice.account.address, tokens.usdc)).to.equal(lent);
    });

    it("a token without a pool reverts NoPoolError", async () => {
      const { alice, protocol, connection } = world();
      const junk = await connection.viem.deployContract("MockERC20", ["Junk", "JNK", 18]);
      await (await protocol.clearinghouse.listAsset(junk.address)).wait();
      const e = await thrown(alice.setLendingSync({ token: junk.address }));
      expect(e).to.be.instanceOf(NoPoolError);
    });
  });

  describe("borrow and repay", () => {
    it("borrow takes the balance first and books only the rest as debt; repay pays debt first", async () => {
      const { alice, tokens } = world();
      const me = alice.account.address;
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await alice.depositSync({ token: tokens.usdc, amount: 1_000n * USDC, approve: "max" });
      const before = await wallet(tokens.usdc, me);
      const { borrowedAtoms, borrowShares } = await alice.borrowSync({ token: tokens.usdc, atoms: 5_000n * USDC });
      expect(borrowedAtoms).to.equal(4_000n * USDC);
      const stored = async () =>
        (await readContract(world().publicClient, {
          address: world().clearinghouse,
          abi: clearinghouseAbi,
          functionName: "positionOf",
          args: [accountId(me, 0n), tokens.usdc],
        })).amount;
      expect(borrowShares).to.equal(-(await stored())); // the account's first debt: all its borrow shares
      expect(await wallet(tokens.usdc, me)).to.equal(before + 5_000n * USDC);
      expect(await balanceOf(me, tokens.usdc)).to.equal(-4_000n * USDC);
      const sharesBefore = await stored();
      const { atoms, approval, repaidShares } = await alice.repaySync({ token: tokens.usdc, atoms: 1_500n * USDC });
      expect([atoms, approval]).to.deep.equal([1_500n * USDC, undefined]); // the deposit's max approval covers it
      expect(repaidShares).to.be.greaterThan(0n);
      expect(repaidShares).to.equal((await stored()) - sharesBefore); // the shares the repayment burnt
      const left = await balanceOf(me, tokens.usdc);
      // a few seconds of interest and the shares a partial repayment burns (rounded down) stay owed: the pool's side
      expect(left <= -2_500n * USDC && left >= -2_500n * USDC - 10n).to.equal(true);
    });

    it("repay 'all' clears the debt after interest, the surplus staying in the account; anyone may repay anyone", async () => {
      const { alice, carol, tokens, connection, refreshPrices } = world();
      const me = alice.account.address;
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await alice.borrowSync({ token: tokens.usdc, atoms: 10_000n * USDC });
      await connection.networkHelpers.time.increase(30 * 86_400);
      await refreshPrices();
      const owed = -(await balanceOf(me, tokens.usdc));
      expect(owed).to.be.greaterThan(10_000n * USDC); // a month of interest
      await carol.repaySync({ token: tokens.usdc, atoms: 100n * USDC, owner: me });
      const { atoms } = await alice.repaySync({ token: tokens.usdc, atoms: "all" });
      const after = await balanceOf(me, tokens.usdc);
      expect(after).to.be.greaterThan(0n);
      expect(after).to.be.lessThan(USDC); // an hour of interest at most, and one atom
      expect(atoms).to.be.greaterThan(owed - 100n * USDC);
      const e = await thrown(alice.repaySync({ token: tokens.usdc, atoms: "all" }));
      expect(e).to.be.instanceOf(NothingToRepayError);
      expect((e as NothingToRepayError).owner).to.equal(me);
    });

    it("borrowing beyond initial margin reverts InsufficientMarginError with the account's initial value", async () => {
      const { alice, tokens } = world();
      await alice.depositSync({ token: tokens.weth, amount: WAD, approve: "max" });
      const max = await alice.maxBorrow({ token: tokens.usdc });
      const e = await thrown(alice.borrowSync({ token: tokens.usdc, atoms: max + 10n * USDC }));
      expect(e).to.be.instanceOf(InsufficientMarginError);
      expect((e as InsufficientMarginError).args.account).to.equal(accountId(alice.account.address));
      expect((e as InsufficientMarginError).args.initialWad).to.be.lessThan(0n);
    });
  });

  describe("setBorrowPolicy", () => {
    it("withdrawals borrow only when allowed; orders likewise", async () => {
      const { alice, bob, tokens, markets } = world();
      const me = alice.account.address;
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      const refused = await thrown(alice.withdrawSync({ token: tokens.usdc, amount: 100n * USDC }));
      expect(refused).to.be.instanceOf(InsufficientBalanceError);
      await alice.setBorrowPolicySync({ forOrders: false, forWithdrawals: true });
      await alice.withdrawSync({ token: tokens.usdc, amount: 100n * USDC });
      expect(await balanceOf(me, tokens.usdc)).to.equal(-100n * USDC);

      // a margin buy: bob asks, alice's bid for more USDC than she has borrows only with forOrders
      const marketId = markets.wethUsdc.marketId;
      await bob.depositSync({ token: tokens.weth, amount: 5n * WAD, approve: "max" });
      await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 1_000n });
      const noMargin = await thrown(alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 1_000n }));
      expect(noMargin).to.be.instanceOf(InsufficientBalanceError);
      await alice.setBorrowPolicySync({ forOrders: true, forWithdrawals: false });
      const { filledLots } = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 1_000n });
      expect(filledLots).to.equal(1_000n);
      expect(await balanceOf(me, tokens.usdc)).to.be.lessThan(-3_000n * USDC); // bought 1 WETH with borrowed USDC
      const again = await thrown(alice.withdrawSync({ token: tokens.usdc, amount: 1n }));
      expect(again).to.be.instanceOf(InsufficientBalanceError);
    });
  });
});

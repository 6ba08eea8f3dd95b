import { expect } from "chai";
import { getAddress } from "ethers";
import { DEFAULT_RATE_MODEL } from "../../scripts/lib/deploy-margin.ts";
import { GOVERNANCE_ROLE, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { LendingVault__factory } from "../../types/ethers-contracts/index.js";
import { Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { DAY, E18, E6, ZERO, acctOf, deposit, marginShares, mined, sameTime, useMarginFixture, warp } from "./margin._helpers.ts";

describe("Clearinghouse margin governance", () => {
  const fx = useMarginFixture();

  it("setAssetRisk stores shock, slippage and haircut; refuses out-of-bound values and unlisted tokens", async () => {
    const { ch, W, outsider } = fx();
    await expect(ch.setAssetRisk(W, 1_200n, 80n, 9_500n)).to.emit(ch, "AssetRiskSet").withArgs(W, 1_200n, 80n, 9_500n);
    const p = await ch.positionOf(acctOf(outsider), W);
    expect([p.shockBps, p.slippageBps, p.lentHaircutBps]).to.deep.equal([1_200n, 80n, 9_500n]);
    for (const [shock, slip, cut] of [
      [0n, 50n, 9_800n],
      [5_001n, 50n, 9_800n],
      [1_000n, 1_001n, 9_800n],
      [1_000n, 50n, 10_001n],
    ]) {
      await expect(ch.setAssetRisk(W, shock, slip, cut)).to.be.revertedWithCustomError(ch, "InvalidRiskParams");
    }
    await mined(ch.setAssetRisk(W, 5_000n, 1_000n, 10_000n)); // the bounds themselves are allowed
    await expect(ch.setAssetRisk(outsider.address, 1_000n, 50n, 9_800n))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(outsider.address);
  });

  it("listPool lists a pool of a listed asset once, with a LendingVault of that asset over this core", async () => {
    const f = fx();
    const { ch, admin, W, L, U } = f;
    const chAddr = await ch.getAddress();
    const linkVault = await new LendingVault__factory(admin).deploy(L, "LINK pool", "xLINK", chAddr);
    const linkVaultAddr = await linkVault.getAddress();
    const usdcVault = await f.pools.USDC.getAddress();
    const list = (token: string, vault: string) => ch.listPool(token, vault, DEFAULT_RATE_MODEL, 1_000n, 2n ** 200n, 2n ** 200n);
    await expect(list(L, usdcVault)).to.be.revertedWithCustomError(ch, "InvalidPool").withArgs(L, usdcVault); // wrong asset
    await expect(list(L, ZERO)).to.be.revertedWithCustomError(ch, "InvalidPool").withArgs(L, ZERO);
    await expect(list(U, usdcVault)).to.be.revertedWithCustomError(ch, "InvalidPool"); // second pool
    // a vault over another core is refused
    const elsewhere = await new LendingVault__factory(admin).deploy(L, "LINK pool", "xLINK", f.outsider.address);
    await expect(list(L, await elsewhere.getAddress())).to.be.revertedWithCustomError(ch, "InvalidPool");
    await expect(list(f.outsider.address, usdcVault))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(f.outsider.address);
    await expect(ch.connect(f.outsider).listPool(L, linkVaultAddr, DEFAULT_RATE_MODEL, 1_000n, 1n, 1n))
      .to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(list(L, linkVaultAddr)).to.emit(ch, "PoolListed").withArgs(L, linkVaultAddr);
    expect((await ch.positionOf(acctOf(admin), L)).vault).to.equal(linkVaultAddr);
    expect(await ch.vaultOf(L)).to.equal(linkVaultAddr);
    expect(await ch.borrowIndexWad(L)).to.equal(10n ** 18n);
    await expect(list(L, linkVaultAddr)).to.be.revertedWithCustomError(ch, "InvalidPool");
    await expect(list(W, linkVaultAddr)).to.be.revertedWithCustomError(ch, "InvalidPool");
  });

  it("pool governance is keyed by token and restricted; a token without a pool reverts NoPool", async () => {
    const f = fx();
    const { ch, admin, outsider, U, L } = f;
    const model = { baseRatePerYearWad: 1n, slope1PerYearWad: 2n, slope2PerYearWad: 3n, kinkWad: 5n * 10n ** 17n };
    await expect(ch.connect(outsider).setRateModel(U, model)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(outsider).setReserveFactor(U, 1)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(outsider).setCaps(U, 1n, 1n)).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized");
    await expect(ch.connect(outsider).withdrawPoolReserve(U, 1n, outsider.address)).to.be.revertedWithCustomError(
      ch,
      "AccessManagedUnauthorized",
    );
    await expect(ch.connect(admin).setRateModel(U, model)).to.emit(ch, "RateModelSet").withArgs(U, [model.baseRatePerYearWad, model.slope1PerYearWad, model.slope2PerYearWad, model.kinkWad]);
    expect((await ch.rateModelOf(U)).kinkWad).to.equal(model.kinkWad);
    await expect(ch.connect(admin).setReserveFactor(U, 2_000)).to.emit(ch, "ReserveFactorSet").withArgs(U, 2_000n);
    expect(await ch.reserveFactorBpsOf(U)).to.equal(2_000n);
    await expect(ch.connect(admin).setCaps(U, 123n, 45n)).to.emit(ch, "CapsSet").withArgs(U, 123n, 45n);
    expect(await ch.capsOf(U)).to.deep.equal([123n, 45n]);
    for (const call of [
      ch.connect(admin).setRateModel(L, model),
      ch.connect(admin).setReserveFactor(L, 1),
      ch.connect(admin).setCaps(L, 1n, 1n),
      ch.connect(admin).withdrawPoolReserve(L, 1n, admin.address),
      ch.accrueInterest(L),
    ]) {
      await expect(call).to.be.revertedWithCustomError(ch, "NoPool").withArgs(L);
    }
    // the other pools are untouched
    expect(await ch.reserveFactorBpsOf(f.W)).to.equal(1_000n);
  });

  it("withdrawPoolReserve pays the pool's reserve out of its cash, within the reserve", async () => {
    const f = fx();
    const { ch, admin, bob, W, U } = f;
    const treasury = { address: "0x000000000000000000000000000000000000dEaD" };
    await deposit(f, bob, W, 100n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 100_000n * E6, bob.address));
    await warp(f, 365n * DAY);
    await mined(ch.accrueInterest(U));
    const reserve = await ch.poolReserves(U);
    expect(reserve).to.be.greaterThan(0n);
    await expect(ch.connect(admin).withdrawPoolReserve(U, 0n, treasury.address)).to.be.revertedWithCustomError(ch, "ZeroAmount");
    await expect(ch.connect(admin).withdrawPoolReserve(U, 1n, ZERO)).to.be.revertedWithCustomError(ch, "ZeroAddress");
    await sameTime(f);
    await expect(ch.connect(admin).withdrawPoolReserve(U, reserve + 10n ** 9n, treasury.address))
      .to.be.revertedWithCustomError(ch, "InsufficientReserves");
    const [cash0, vault0] = [await ch.cash(U), await f.usdc.balanceOf(ch)];
    await sameTime(f);
    await expect(ch.connect(admin).withdrawPoolReserve(U, reserve, treasury.address))
      .to.emit(ch, "PoolReserveWithdrawn")
      .withArgs(U, reserve, treasury.address);
    expect(await f.usdc.balanceOf(treasury.address)).to.equal(reserve);
    expect(await ch.cash(U)).to.equal(cash0 - reserve);
    expect(await f.usdc.balanceOf(ch)).to.equal(vault0 - reserve);
  });

  it("setRiskParams takes the initial scale and the debt interest horizon (the core is its own oracle)", async () => {
    const { ch } = fx();
    await expect(ch.setRiskParams(15_000n, DAY)).to.emit(ch, "RiskParamsSet").withArgs(15_000n, DAY);
    expect(await ch.riskParams()).to.deep.equal([15_000n, DAY]);
  });

  it("setLiquidationParams enforces its bounds", async () => {
    const { ch } = fx();
    expect(await ch.liquidationParams()).to.deep.equal([600n, 5_000n, 100n]);
    for (const p of [
      { rampSeconds: 0n, capShareBps: 5_000n, bufferBps: 100n },
      { rampSeconds: 600n, capShareBps: 10_000n, bufferBps: 100n },
      { rampSeconds: 600n, capShareBps: 5_000n, bufferBps: 2_001n },
    ]) {
      await expect(ch.setLiquidationParams(p)).to.be.revertedWithCustomError(ch, "InvalidRiskParams");
    }
    const ok = { rampSeconds: 1n, capShareBps: 9_999n, bufferBps: 2_000n };
    await expect(ch.setLiquidationParams(ok)).to.emit(ch, "LiquidationParamsSet");
    expect(await ch.liquidationParams()).to.deep.equal([1n, 9_999n, 2_000n]);
  });

  it("outsiders cannot call any margin setter (AccessManagedUnauthorized)", async () => {
    const { ch, outsider, W } = fx();
    const as = ch.connect(outsider);
    const calls = [
      as.setAssetRisk(W, 1_000n, 50n, 9_800n),
      as.listPool(W, W, DEFAULT_RATE_MODEL, 1_000n, 1n, 1n),
      as.setRiskParams(15_000n, DAY),
      as.setLiquidationParams({ rampSeconds: 600n, capShareBps: 5_000n, bufferBps: 100n }),
    ];
    for (const c of calls) {
      await expect(c).to.be.revertedWithCustomError(ch, "AccessManagedUnauthorized").withArgs(outsider.address);
    }
  });

  it("listing a 65th asset reverts CapacityReached", async () => {
    const { ch, admin } = fx();
    for (let i = 4; i < 64; i++) {
      const t = await deployToken(admin, `T${i}`, `T${i}`, 18);
      await mined(ch.listAsset(await t.getAddress()));
    }
    const last = await deployToken(admin, "T64", "T64", 18);
    await expect(ch.listAsset(await last.getAddress())).to.be.revertedWithCustomError(ch, "CapacityReached");
  });

  it("an account that takes debt on a Clearinghouse with no risk engine reverts NoRiskEngine", async () => {
    const { admin, bob, lender } = fx();
    const p = await deployProtocol(admin);
    const ch2 = p.clearinghouse;
    const chAddr = await ch2.getAddress();
    await mined(p.manager.setTargetFunctionRole(chAddr, [ch2.interface.getFunction("listPool").selector], GOVERNANCE_ROLE));
    const usd = await deployToken(admin, "USD", "USD", 6);
    const usdAddr = await usd.getAddress();
    await mined(ch2.listAsset(usdAddr));
    const pool = await new LendingVault__factory(admin).deploy(usdAddr, "USD pool", "xUSD", chAddr);
    await mined(ch2.listPool(usdAddr, await pool.getAddress(), DEFAULT_RATE_MODEL, 1_000n, 2n ** 200n, 2n ** 200n));
    await mined(usd.mint(lender.address, 1_000n * E6));
    await mined(usd.connect(lender).approve(await pool.getAddress(), 1_000n * E6));
    await mined(pool.connect(lender).deposit(1_000n * E6, lender.address));
    await expect(ch2.connect(bob).borrow(usdAddr, 0, E6, bob.address)).to.be.revertedWithCustomError(ch2, "NoRiskEngine");
    expect(await ch2.isLiquidatable(acctOf(bob))).to.equal(false);
  });
});

describe("Clearinghouse margin views", () => {
  const fx = useMarginFixture();

  it("positionsOf lists held assets in id order, adds the extra token once, and the markets", async () => {
    const f = fx();
    const { ch, bob, W, U, B, L } = f;
    await deposit(f, bob, L, 3n * E18);
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).borrow(U, 0, 1_000n * E6, bob.address));
    const [ps, markets] = await ch.positionsOf(acctOf(bob), ZERO);
    expect(ps.map((p) => p.token)).to.deep.equal([W, U, L]);
    expect(ps.map((p) => p.amount)).to.deep.equal([10n * E18, -1_000n * E6, 3n * E18]); // fresh pool: shares = atoms
    expect(markets).to.deep.equal([]);
    const [withExtra] = await ch.positionsOf(acctOf(bob), B);
    expect(withExtra.map((p) => [p.token, p.amount])).to.deep.equal([[W, 10n * E18], [U, -1_000n * E6], [L, 3n * E18], [B, 0n]]);
    const [heldExtra] = await ch.positionsOf(acctOf(bob), W);
    expect(heldExtra.length).to.equal(3);
    await expect(ch.positionsOf(acctOf(bob), f.outsider.address))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(f.outsider.address);
    await mined(f.market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: 400_000n, lots: 1n })));
    const [, marketsAfter] = await ch.positionsOf(acctOf(bob), ZERO);
    expect(marketsAfter).to.deep.equal([f.market.marketId]);
  });

  it("riskEntries carries what positionsOf says into ATLAS's entries, in atoms, with the pool's rate only where it is needed", async () => {
    const f = fx();
    const { ch, bob, W, U, B, L } = f;
    await deposit(f, bob, L, 3n * E18);
    await deposit(f, bob, W, 10n * E18);
    await mined(ch.connect(bob).setLending(W, 0, true));
    await mined(ch.connect(bob).borrow(U, 0, 1_000n * E6, bob.address));
    await mined(ch.setAssetRisk(L, 1_234, 56, 7_890)); // the default signer governs
    const [, interestSeconds] = await ch.riskParams();
    for (const extra of [ZERO, B, W]) {
      const [ps] = await ch.positionsOf(acctOf(bob), extra);
      const [es, books] = await ch.riskEntries(acctOf(bob), extra);
      expect(books).to.deep.equal([]); // no market yet
      expect(es.length).to.equal(ps.length);
      for (const [i, p] of ps.entries()) {
        const x = es[i];
        // the pool's rate only for debt, a lent balance or the what-if token, and only where the balance is ≤ 0
        const needsPool = (p.amount < 0n || p.lent || p.token === extra) && p.vault !== ZERO && p.amount <= 0n;
        // amounts in atoms: a debt as the pool books it (rounded up), a lent balance's value (rounded down)
        const atoms = p.amount < 0n ? -(await ch.debtOf(p.token, -p.amount)) : p.lent ? await ch.lentAssetsOf(p.token, p.amount) : p.amount;
        expect(atoms).to.equal(await ch.balanceOf(acctOf(bob), p.token));
        const [price, stable] = await f.oracle.price(p.token);
        expect({
          token: x.token, unit: x.unit, shockBps: x.shockBps, slippageBps: x.slippageBps, haircutBps: x.haircutBps,
          idle: x.idleAtoms, lent: x.lentAtoms, debt: x.debtAtoms, rate: x.borrowRateWad, seconds: x.debtInterestSeconds,
          price: x.priceWad, stable: x.stableWad, pocket: x.pocketAtoms, hasPerp: x.hasPerp,
        }).to.deep.equal({
          token: p.token, unit: 10n ** p.decimals, shockBps: p.shockBps, slippageBps: p.slippageBps, haircutBps: p.lentHaircutBps,
          idle: !p.lent && atoms > 0n ? atoms : 0n, lent: p.lent && atoms > 0n ? atoms : 0n, debt: atoms < 0n ? -atoms : 0n,
          rate: needsPool ? await ch.borrowRatePerSecondWad(p.token) : 0n, seconds: BigInt(interestSeconds),
          price, stable, pocket: 0n, hasPerp: false,
        });
      }
    }
    // L is idle: no pool is read; W is lent (its rate is not needed) and U borrowed: U carries its pool's rate
    const [es] = await ch.riskEntries(acctOf(bob), ZERO);
    expect(es.map((x) => x.borrowRateWad)).to.deep.equal([0n, await ch.borrowRatePerSecondWad(U), 0n]);
    expect(es[1].borrowRateWad).to.be.greaterThan(0n);
    // assetWordOf: the asset's config word (token | decimals | shock | slippage | haircut), lent flag clear
    const unpack = (cfg: bigint) => ({
      token: getAddress("0x" + (cfg & (2n ** 160n - 1n)).toString(16).padStart(40, "0")),
      decimals: (cfg >> 160n) & 0xffn,
      shockBps: (cfg >> 168n) & 0xffffn,
      slippageBps: (cfg >> 184n) & 0xffffn,
      lentHaircutBps: (cfg >> 200n) & 0xffffn,
      lent: cfg >> 255n === 1n,
    });
    for (const t of [L, W, B]) {
      const p = await ch.positionOf(acctOf(bob), t);
      expect(unpack(await ch.assetWordOf(t))).to.deep.equal({
        token: t, decimals: p.decimals, shockBps: p.shockBps, slippageBps: p.slippageBps, lentHaircutBps: p.lentHaircutBps, lent: false,
      });
    }
    await expect(ch.assetWordOf(f.outsider.address))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(f.outsider.address);
    await expect(ch.riskEntries(acctOf(bob), f.outsider.address))
      .to.be.revertedWithCustomError(ch, "AssetNotListed")
      .withArgs(f.outsider.address);
    // an ask on the book: the pocket's locked base joins WETH's entry and the book is listed
    await mined(f.market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: 400_000n, lots: 1n })));
    const [after, books] = await ch.riskEntries(acctOf(bob), ZERO);
    expect(after[0].pocketAtoms).to.equal(10n ** 15n);
    expect(books.map((b) => [...b])).to.deep.equal([[0n, 1n, 10n ** 15n, 0n]]);
  });

  it("positionOf carries the asset's risk config; accountState packs masks, flags and the clock", async () => {
    const f = fx();
    const { ch, bob, W, U } = f;
    await deposit(f, bob, U, 100n * E6);
    await mined(ch.connect(bob).setLending(U, 0, true));
    const p = await ch.positionOf(acctOf(bob), U);
    expect([p.token, p.decimals, p.shockBps, p.slippageBps, p.lentHaircutBps, p.vault, p.lent]).to.deep.equal([
      U, 6n, 100n, 10n, 9_800n, await f.pools.USDC.getAddress(), true,
    ]);
    expect(p.amount).to.equal(await marginShares(f, U)); // bob is the only margin lender
    const w = await ch.positionOf(acctOf(bob), W);
    expect([w.decimals, w.amount, w.lent]).to.deep.equal([18n, 0n, false]);
    await expect(ch.positionOf(acctOf(bob), f.outsider.address)).to.be.revertedWithCustomError(ch, "AssetNotListed");
    await mined(ch.connect(bob).setBorrowPolicy(0, true, true));
    expect(await ch.accountState(acctOf(bob))).to.equal(0b10n | (0b11n << 192n));
  });
});

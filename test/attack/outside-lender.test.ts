// Outside lenders (ERC-4626 supply of a lending pool) trying to take what is not theirs: cash that
// is lent out, more than their shares, another lender's shares, a frozen pool's cash, and the
// first-deposit share-inflation (donation) attack. Reentrancy through a hooked token on the pool's
// deposit and withdraw is in test/attack/reentrancy.test.ts ("pool supply", "pool withdraw").
import { expect } from "chai";
import {
  E6,
  E18,
  allowBorrow,
  borrow,
  deposit,
  freshPool,
  lenderDeposit,
  lenderPosition,
  lenderRedeem,
  lenderShares,
  lenderWithdraw,
  coreAsVault,
  impostorVault,
  lendingVault,
  makeGuardian,
  marginLentShares,
  mined,
  poolCash,
  poolTotalBorrows,
  sameTime,
  setLending,
  useVenue,
  walletOf,
} from "./venue.ts";

describe("attack: outside lenders", () => {
  const venue = useVenue();

  it("cannot withdraw cash that is lent out: the pool pays at most its cash, and the rest waits for repayment", async () => {
    const v = venue();
    await lenderDeposit(v, v.bob, "USDC", 100_000n * E6);
    // alice borrows 1,050,000 of the 1,100,000 USDC supplied
    await deposit(v, v.alice, "WETH", 1_000n * E18);
    await allowBorrow(v, v.alice);
    await borrow(v, v.alice, "USDC", 1_050_000n * E6);
    const cash = await poolCash(v, "USDC");
    expect(cash).to.equal(50_000n * E6);
    const bob = await lenderPosition(v, v.bob, "USDC");
    expect(bob.value).to.be.greaterThan(cash);
    expect(bob.maxWithdraw).to.equal(cash);
    const pool = lendingVault(v, "USDC");
    await expect(lenderWithdraw(v, v.bob, "USDC", cash + 1n)).to.be.revertedWithCustomError(pool, "InsufficientCash").withArgs(cash + 1n, cash);
    await expect(lenderRedeem(v, v.bob, "USDC", bob.shares)).to.be.revertedWithCustomError(pool, "InsufficientCash");
    // what maxRedeem says is redeemable pays no more than the cash
    const before = await walletOf(v, v.bob, "USDC");
    // redeemed at the latest block's time, no later than maxRedeem was read: the seconds the blocks
    // took under load would otherwise accrue interest and make those shares worth a few atoms more
    await sameTime(v);
    await lenderRedeem(v, v.bob, "USDC", bob.maxRedeem);
    const got = (await walletOf(v, v.bob, "USDC")) - before;
    expect(got).to.be.at.most(cash);
    expect(await poolCash(v, "USDC")).to.equal(cash - got);
    // the borrower's debt is untouched: her borrow shares are still backed by the pool's books
    expect(await poolTotalBorrows(v, "USDC")).to.be.at.least(1_050_000n * E6);
  });

  it("cannot take more than its own shares are worth, nor another lender's shares without an allowance", async () => {
    const v = venue();
    await lenderDeposit(v, v.bob, "USDC", 1_000n * E6);
    const pool = lendingVault(v, "USDC");
    const bob = await lenderPosition(v, v.bob, "USDC");
    expect(bob.value).to.be.at.most(1_000n * E6);
    await expect(lenderWithdraw(v, v.bob, "USDC", bob.value + 1n)).to.be.revertedWithCustomError(pool, "ERC4626ExceededMaxWithdraw");
    await expect(lenderRedeem(v, v.bob, "USDC", bob.shares + 1n)).to.be.revertedWithCustomError(pool, "ERC4626ExceededMaxRedeem");
    // a stranger with no shares takes nothing of its own, nor bob's
    await expect(lenderWithdraw(v, v.outsider, "USDC", 1n)).to.be.revertedWithCustomError(pool, "ERC4626ExceededMaxWithdraw");
    await expect(lenderRedeem(v, v.outsider, "USDC", 1n, v.bob)).to.be.revertedWithCustomError(pool, "ERC20InsufficientAllowance");
    await expect(lenderWithdraw(v, v.outsider, "USDC", E6, v.bob)).to.be.revertedWithCustomError(pool, "ERC20InsufficientAllowance");
    // nor the supply shares of margin accounts' lent balances: they are the Clearinghouse's, not the vault's
    await deposit(v, v.alice, "USDC", 5_000n * E6);
    await setLending(v, v.alice, "USDC", true);
    expect(await marginLentShares(v, "USDC")).to.be.greaterThan(0n);
    expect(await lenderShares(v, { address: await v.ch.getAddress() }, "USDC")).to.equal(0n);
    await expect(lenderRedeem(v, v.outsider, "USDC", 1n, { address: await v.ch.getAddress() })).to.be.revertedWithCustomError(
      pool,
      "ERC4626ExceededMaxRedeem",
    );
    // bob's own full exit pays at most what he put in (rounded down: the pool's side)
    const before = await walletOf(v, v.bob, "USDC");
    await lenderRedeem(v, v.bob, "USDC", bob.shares);
    expect((await walletOf(v, v.bob, "USDC")) - before).to.equal(bob.value);
    expect(await lenderShares(v, v.bob, "USDC")).to.equal(0n);
  });

  it("a frozen venue blocks outside lenders' withdrawals (max* say 0) until governance lifts the freeze", async () => {
    const v = venue();
    await lenderDeposit(v, v.bob, "WETH", 10n * E18);
    await makeGuardian(v, v.outsider);
    await mined(v.ch.connect(v.outsider).freeze());
    const pool = lendingVault(v, "WETH");
    const bob = await lenderPosition(v, v.bob, "WETH");
    expect([bob.maxWithdraw, bob.maxRedeem]).to.deep.equal([0n, 0n]);
    await expect(lenderWithdraw(v, v.bob, "WETH", E18)).to.be.revertedWithCustomError(pool, "Frozen");
    await expect(lenderRedeem(v, v.bob, "WETH", bob.shares)).to.be.revertedWithCustomError(pool, "Frozen");
    // supplying goes on during a freeze
    await lenderDeposit(v, v.carol, "WETH", E18);
    await mined(v.ch.connect(v.admin).unfreeze());
    await lenderRedeem(v, v.bob, "WETH", bob.shares);
    expect(await lenderShares(v, v.bob, "WETH")).to.equal(0n);
  });

  it("first-deposit share inflation gains nothing: a donation does not move the share price, and the attacker loses it", async () => {
    const v = venue();
    const { pool, token, donate } = await freshPool(v);
    const attackerStart = await token.balanceOf(v.outsider.address);
    // the attacker supplies one atom first, then donates a million atoms to the pool
    await mined(pool.connect(v.outsider).deposit(1n, v.outsider.address));
    await donate(v.outsider, 1_000_000n);
    expect(await pool.totalAssets()).to.equal(1n); // the pool counts its cash: the donation is nobody's
    // the victim's deposit is priced as if nothing had been donated: not rounded down to 0 shares
    const victimAssets = 1_000_000n;
    await mined(pool.connect(v.alice).deposit(victimAssets, v.alice.address));
    const victimShares = await pool.balanceOf(v.alice.address);
    expect(victimShares).to.equal(victimAssets * 10n ** 6n);
    // both exit: the victim gets her deposit back, the attacker its one atom at most
    await mined(pool.connect(v.alice).redeem(victimShares, v.alice.address, v.alice.address));
    expect(await token.balanceOf(v.alice.address)).to.equal(10n ** 24n);
    const attackerShares = await pool.balanceOf(v.outsider.address);
    await mined(pool.connect(v.outsider).redeem(attackerShares, v.outsider.address, v.outsider.address));
    expect(attackerStart - (await token.balanceOf(v.outsider.address))).to.be.at.least(1_000_000n);
  });

  it("only an asset's registered LendingVault reaches its pool's outside supply: not a stranger, not an unregistered vault, not another asset's vault", async () => {
    const v = venue();
    await lenderDeposit(v, v.bob, "USDC", 1_000n * E6);
    const [cash, shares] = [await poolCash(v, "USDC"), await lenderShares(v, v.bob, "USDC")];
    // a stranger calling the Clearinghouse as if it were a vault
    for (const kind of ["supply", "mint", "redeem", "withdraw"] as const) {
      await expect(coreAsVault(v, v.outsider, "USDC", kind, E6)).to.be.revertedWithCustomError(v.ch, "NotLendingVault").withArgs(v.outsider.address);
    }
    // a LendingVault of the asset over this Clearinghouse that governance did not register cannot supply
    const impostor = await impostorVault(v, "USDC");
    await mined(v.tokens.USDC.connect(v.outsider).approve(await impostor.getAddress(), 2n ** 256n - 1n));
    await expect(mined(impostor.connect(v.outsider).deposit(E6, v.outsider.address)))
      .to.be.revertedWithCustomError(v.ch, "NotLendingVault")
      .withArgs(await impostor.getAddress());
    // and has no shares to redeem: the outside lenders' shares are the registered vault's holders'
    await expect(mined(impostor.connect(v.outsider).redeem(1n, v.outsider.address, v.outsider.address))).to.be.revertedWithCustomError(
      impostor,
      "ERC4626ExceededMaxRedeem",
    );
    // the WETH vault's lenders cannot reach USDC's cash: WETH shares redeem WETH only
    await lenderDeposit(v, v.outsider, "WETH", E18);
    const wethShares = await lenderShares(v, v.outsider, "WETH");
    const usdcWallet = await walletOf(v, v.outsider, "USDC");
    await lenderRedeem(v, v.outsider, "WETH", wethShares);
    expect(await walletOf(v, v.outsider, "USDC")).to.equal(usdcWallet);
    expect([await poolCash(v, "USDC"), await lenderShares(v, v.bob, "USDC")]).to.deep.equal([cash, shares]);
  });
});

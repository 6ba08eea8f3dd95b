// ERC-4626 entry points for outside lenders — the asset's LendingVault over the core's pool (the
// Clearinghouse's lending code, LendingCoreMock): deposit, mint, withdraw, redeem, the max views,
// the supply cap, the cash limit, donations, the share-inflation attack and token quirks. (Ported
// from the standalone LendingPool. A deposit or mint past the pool's room is refused by the core with
// SupplyRefused(amount, maxSupply in assets), not ERC-4626's ExceededMaxDeposit/Mint. The pool's
// Clearinghouse-as-shareholder and its supplyReceived/repayReceived pay-ins are gone: margin
// accounts' lent balances are the supply less the outside lenders' shares, and a margin account's
// lent deposit is pulled by the core with the same delivery check — tested here instead.)
import { expect } from "chai";
import {
  FeeOnTransferToken__factory,
  NoReturnToken__factory,
  ReentrantToken__factory,
} from "../../types/ethers-contracts/index.js";
import { deployPool, newCorePool, readPool, usePool, OFFSET, NO_CAP, ceilDiv, WAD } from "./lending._helpers.ts";

describe("LendingVault ERC-4626 over the core's pool (outside lenders)", () => {
  for (const decimals of [6, 8, 18]) {
    it(`${decimals}-decimal asset: shares have ${decimals + 6} decimals, first deposit mints 10^6 per atom`, async () => {
      const fx = await deployPool({ decimals });
      const { pool, token, alice, unit } = fx;
      expect(await pool.decimals()).to.equal(BigInt(decimals) + OFFSET);
      expect(await pool.asset()).to.equal(await token.getAddress());
      expect(await pool.vault.core()).to.equal(await fx.core.getAddress());
      expect(await pool.borrowIndexWad()).to.equal(WAD);
      const amount = 1234n * unit + 5n;
      await expect(pool.connect(alice).deposit(amount, alice.address))
        .to.emit(pool.vault, "Deposit")
        .withArgs(alice.address, alice.address, amount, amount * 10n ** OFFSET);
      expect(await pool.balanceOf(alice.address)).to.equal(amount * 10n ** OFFSET);
      const s = await readPool(pool);
      expect([s.cash, s.totalAssets, s.supply]).to.deep.equal([amount, amount, amount * 10n ** OFFSET]);
      expect(await token.balanceOf(await pool.getAddress())).to.equal(amount);
      // a full redeem returns exactly what went in
      await expect(pool.connect(alice).redeem(amount * 10n ** OFFSET, alice.address, alice.address)).to.changeTokenBalances(
        fx.ethers,
        token,
        [alice, pool],
        [amount, -amount],
      );
      expect(await pool.totalSupply()).to.equal(0n);
      expect(await pool.cash()).to.equal(0n);
    });
  }

  describe("with interest accrued (share price above 1)", () => {
    const fx = usePool({ decimals: 6 });

    /** Alice lends, the Clearinghouse borrows, a year passes, the borrow is repaid. */
    async function grownPool() {
      const { pool, alice, ch, networkHelpers, unit } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      const shares = await pool.connect(ch).borrow.staticCall(700n * unit, ch.address);
      await (await pool.connect(ch).borrow(700n * unit, ch.address)).wait();
      await networkHelpers.time.increase(365 * 24 * 3600);
      await (await pool.connect(ch).repay(shares)).wait();
      const s = await readPool(pool);
      expect(s.totalAssets).to.be.greaterThan(1000n * unit);
      return s;
    }

    it("deposit mints shares rounded down and mint charges assets rounded up (the pool's side)", async () => {
      const { pool, bob } = fx();
      const s = await grownPool();
      const assets = 1_000_003n;
      const expectShares = (assets * (s.supply + 10n ** OFFSET)) / (s.totalAssets + 1n);
      expect(await pool.previewDeposit(assets)).to.equal(expectShares);
      await expect(pool.connect(bob).deposit(assets, bob.address))
        .to.emit(pool.vault, "Deposit")
        .withArgs(bob.address, bob.address, assets, expectShares);
      const s2 = await readPool(pool);
      const shares = 777_777_777n;
      const expectAssets = ceilDiv(shares * (s2.totalAssets + 1n), s2.supply + 10n ** OFFSET);
      expect(await pool.previewMint(shares)).to.equal(expectAssets);
      await expect(pool.connect(bob).mint(shares, bob.address)).to.changeTokenBalances(
        fx().ethers,
        fx().token,
        [bob, pool],
        [-expectAssets, expectAssets],
      );
      expect(await pool.balanceOf(bob.address)).to.equal(expectShares + shares);
      expect(await pool.cash()).to.equal(s.cash + assets + expectAssets);
    });

    it("withdraw burns shares rounded up and redeem pays assets rounded down (the pool's side)", async () => {
      const { pool, alice, carol, token, ethers } = fx();
      const s = await grownPool();
      const assets = 123_456_789n;
      const expectShares = ceilDiv(assets * (s.supply + 10n ** OFFSET), s.totalAssets + 1n);
      expect(await pool.previewWithdraw(assets)).to.equal(expectShares);
      await expect(pool.connect(alice).withdraw(assets, carol.address, alice.address))
        .to.emit(pool.vault, "Withdraw")
        .withArgs(alice.address, carol.address, alice.address, assets, expectShares);
      expect(await token.balanceOf(carol.address)).to.equal(10n ** 9n * 10n ** 6n + assets);
      const s2 = await readPool(pool);
      const shares = 55_555_555_555n;
      const expectAssets = (shares * (s2.totalAssets + 1n)) / (s2.supply + 10n ** OFFSET);
      expect(await pool.previewRedeem(shares)).to.equal(expectAssets);
      await expect(pool.connect(alice).redeem(shares, alice.address, alice.address)).to.changeTokenBalances(
        ethers,
        token,
        [alice, pool],
        [expectAssets, -expectAssets],
      );
      expect(await pool.totalSupply()).to.equal(s.supply - expectShares - shares);
    });

    it("a round trip never returns more than it put in", async () => {
      const { pool, bob, token } = fx();
      await grownPool();
      const before = await token.balanceOf(bob.address);
      for (const amount of [1n, 7n, 999_999n, 31_415_926n]) {
        const shares = await pool.connect(bob).deposit.staticCall(amount, bob.address);
        await (await pool.connect(bob).deposit(amount, bob.address)).wait();
        await (await pool.connect(bob).redeem(shares, bob.address, bob.address)).wait();
      }
      expect(await token.balanceOf(bob.address)).to.be.at.most(before);
    });

    it("withdrawing for someone else spends their share allowance", async () => {
      const { pool, alice, bob } = fx();
      await grownPool();
      await expect(pool.connect(bob).withdraw(1000n, bob.address, alice.address))
        .to.be.revertedWithCustomError(pool, "ERC20InsufficientAllowance");
      const shares = await pool.previewWithdraw(1000n);
      await (await pool.connect(alice).approve(bob.address, shares)).wait();
      await expect(pool.connect(bob).withdraw(1000n, bob.address, alice.address)).to.changeTokenBalance(
        fx().ethers,
        fx().token,
        bob,
        1000n,
      );
      expect(await pool.allowance(alice.address, bob.address)).to.equal(0n);
    });
  });

  describe("cash limit", () => {
    // no interest, so the views read before a transaction still hold when it is mined
    const fx = usePool({ model: { baseRatePerYearWad: 0n, slope1PerYearWad: 0n, slope2PerYearWad: 0n, kinkWad: WAD / 2n } });

    it("withdraw and redeem beyond cash revert InsufficientCash; the max views stop at cash", async () => {
      const { pool, alice, ch, unit } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      await (await pool.connect(ch).borrow(900n * unit, ch.address)).wait();
      const cash = 100n * unit;
      expect(await pool.cash()).to.equal(cash);
      expect(await pool.maxWithdraw(alice.address)).to.equal(cash);
      const maxRedeem = await pool.maxRedeem(alice.address);
      expect(await pool.previewRedeem(maxRedeem)).to.be.at.most(cash);
      expect(await pool.previewRedeem(maxRedeem + 1n)).to.be.greaterThan(cash);
      const before = await readPool(pool);
      await expect(pool.connect(alice).withdraw(cash + 1n, alice.address, alice.address))
        .to.be.revertedWithCustomError(pool, "InsufficientCash")
        .withArgs(cash + 1n, cash);
      const tooMany = maxRedeem + 10n ** OFFSET;
      const tooManyAssets = await pool.previewRedeem(tooMany);
      await expect(pool.connect(alice).redeem(tooMany, alice.address, alice.address))
        .to.be.revertedWithCustomError(pool, "InsufficientCash")
        .withArgs(tooManyAssets, cash);
      expect((await readPool(pool)).cash).to.equal(before.cash);
      // exactly the max works, and leaves no cash
      await (await pool.connect(alice).redeem(maxRedeem, alice.address, alice.address)).wait();
      expect(await pool.cash()).to.be.lessThan(2n);
      expect(await pool.maxWithdraw(alice.address)).to.equal(await pool.cash());
    });

    it("withdraw and redeem beyond the owner's balance revert with OpenZeppelin's errors", async () => {
      const { pool, alice, bob, unit } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      await (await pool.connect(bob).deposit(10n * unit, bob.address)).wait();
      const bobShares = await pool.balanceOf(bob.address);
      await expect(pool.connect(bob).withdraw(10n * unit + 1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(pool, "ERC4626ExceededMaxWithdraw")
        .withArgs(bob.address, 10n * unit + 1n, 10n * unit);
      await expect(pool.connect(bob).redeem(bobShares + 1n, bob.address, bob.address))
        .to.be.revertedWithCustomError(pool, "ERC4626ExceededMaxRedeem")
        .withArgs(bob.address, bobShares + 1n, bobShares);
      expect(await pool.maxRedeem(bob.address)).to.equal(bobShares);
    });
  });

  describe("supply cap", () => {
    const fx = usePool({ supplyCap: 1000n * 10n ** 6n });

    it("maxDeposit and maxMint give the room left; beyond it deposit and mint revert", async () => {
      const { pool, alice, bob, unit } = fx();
      expect(await pool.maxDeposit(alice.address)).to.equal(1000n * unit);
      expect(await pool.maxMint(alice.address)).to.equal(1000n * unit * 10n ** OFFSET);
      await (await pool.connect(alice).deposit(600n * unit, alice.address)).wait();
      expect(await pool.maxDeposit(bob.address)).to.equal(400n * unit);
      await expect(pool.connect(bob).deposit(400n * unit + 1n, bob.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(400n * unit + 1n, 400n * unit);
      const maxMint = await pool.maxMint(bob.address);
      await expect(pool.connect(bob).mint(maxMint + 1n, bob.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(maxMint + 1n, 400n * unit);
      // a margin account's lent deposit is held to the same room
      await expect(pool.connect(bob).supplyAsAccount(400n * unit + 1n))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(400n * unit + 1n, 400n * unit);
      await (await pool.connect(bob).mint(maxMint, bob.address)).wait();
      expect(await pool.totalAssets()).to.equal(1000n * unit);
      expect(await pool.maxDeposit(bob.address)).to.equal(0n);
      expect(await pool.maxMint(bob.address)).to.equal(0n);
    });

    it("interest can take totalAssets past the cap: the room is then 0, not negative", async () => {
      const { pool, alice, ch, admin, unit, networkHelpers } = fx();
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      await (await pool.connect(ch).borrow(500n * unit, ch.address)).wait();
      await networkHelpers.time.increase(30 * 24 * 3600);
      expect(await pool.totalAssets()).to.be.greaterThan(1000n * unit);
      expect(await pool.maxDeposit(alice.address)).to.equal(0n);
      // raising the cap opens room again
      await (await pool.connect(admin).setCaps(2000n * unit, NO_CAP)).wait();
      expect(await pool.maxDeposit(alice.address)).to.equal(2000n * unit - (await pool.totalAssets()));
    });
  });

  describe("donations and the share-inflation attack", () => {
    const fx = usePool({ decimals: 18 });

    it("a token transfer straight to the pool moves neither cash nor the share price", async () => {
      const { pool, alice, bob, token, unit } = fx();
      await (await pool.connect(alice).deposit(10n * unit, alice.address)).wait();
      const price = await pool.convertToAssets(10n ** 24n);
      await (await token.connect(bob).transfer(await pool.getAddress(), 1000n * unit)).wait();
      expect(await pool.convertToAssets(10n ** 24n)).to.equal(price);
      expect(await pool.cash()).to.equal(10n * unit);
      expect(await pool.totalAssets()).to.equal(10n * unit);
    });

    it("the classic first-deposit attack (1 atom, then a large donation) gains the attacker nothing", async () => {
      const { pool, alice: attacker, bob: victim, token, unit } = fx();
      const start = await token.balanceOf(attacker.address);
      await (await pool.connect(attacker).deposit(1n, attacker.address)).wait();
      expect(await pool.balanceOf(attacker.address)).to.equal(10n ** OFFSET); // the offset at work
      await (await token.connect(attacker).transfer(await pool.getAddress(), 1000n * unit)).wait();
      const deposit = 1000n * unit;
      await (await pool.connect(victim).deposit(deposit, victim.address)).wait();
      // the victim's shares are worth what they paid, to the atom
      const victimValue = await pool.previewRedeem(await pool.balanceOf(victim.address));
      expect(deposit - victimValue).to.be.at.most(1n);
      const got = await pool.previewRedeem(await pool.balanceOf(attacker.address));
      expect(got).to.be.at.most(1n);
      await (await pool.connect(attacker).redeem(await pool.balanceOf(attacker.address), attacker.address, attacker.address)).wait();
      expect(await token.balanceOf(attacker.address)).to.equal(start - 1000n * unit - 1n + got);
    });

    it("even when totalAssets is tiny and grows, the offset keeps a 1-atom depositor's loss under one atom", async () => {
      const { pool, alice, bob, ch, networkHelpers } = fx();
      // a pool of 1000 atoms, 99.9 % lent at over 100 % a year for 3 years: the share price grows
      await (await pool.connect(alice).deposit(1000n, alice.address)).wait();
      await (await pool.connect(ch).borrow(999n, ch.address)).wait();
      await networkHelpers.time.increase(3 * 365 * 24 * 3600);
      for (const a of [1n, 2n, 3n, 10n]) {
        const shares = await pool.previewDeposit(a);
        expect(shares).to.be.greaterThan(0n);
        const back = await pool.convertToAssets(shares);
        expect(back).to.be.at.most(a);
        expect(a - back).to.be.at.most(1n);
      }
      await (await pool.connect(bob).deposit(3n, bob.address)).wait();
      expect(await pool.balanceOf(bob.address)).to.be.greaterThan(0n);
    });
  });

  describe("share storage (outside lenders' and margin accounts' shares in one supply)", () => {
    it("vault shares minted, transferred and burnt keep Σ balances = the vault's totalSupply = the outside lenders' shares; margin accounts' lent shares are the rest of the supply", async () => {
      const fx = await deployPool();
      const { pool, alice, bob, carol, ch } = fx;
      const holders = [alice, bob, carol];
      const sum = async () => {
        let t = 0n;
        for (const h of holders) t += await pool.balanceOf(h.address);
        return t;
      };
      const outside = async () => (await pool.core.lendingSupplyOf(pool.T)).outsideShares;
      await (await pool.connect(alice).deposit(1_000n, alice.address)).wait();
      await (await pool.connect(carol).deposit(2_000n, carol.address)).wait();
      await (await pool.connect(ch).supplyAsAccount(4_000n)).wait(); // a margin account lends
      expect(await pool.balanceOf(carol.address)).to.equal(2_000n * 10n ** OFFSET);
      expect(await pool.accountSharesOf(ch.address)).to.equal(4_000n * 10n ** OFFSET);
      expect(await pool.vault.totalSupply()).to.equal(3_000n * 10n ** OFFSET).and.to.equal(await outside());
      expect(await pool.totalSupply()).to.equal(7_000n * 10n ** OFFSET);
      await expect(pool.connect(alice).transfer(carol.address, 400n))
        .to.emit(pool.vault, "Transfer")
        .withArgs(alice.address, carol.address, 400n);
      await (await pool.connect(carol).transfer(bob.address, 900n)).wait();
      await (await pool.connect(bob).transfer(bob.address, 900n)).wait(); // to oneself: unchanged
      expect([await pool.balanceOf(alice.address), await pool.balanceOf(bob.address), await pool.balanceOf(carol.address)])
        .to.deep.equal([1_000n * 10n ** OFFSET - 400n, 900n, 2_000n * 10n ** OFFSET - 500n]);
      expect(await sum()).to.equal(await pool.vault.totalSupply());
      // burns by outside lenders and a margin account's withdrawal
      await (await pool.connect(carol).redeem(await pool.balanceOf(carol.address), carol.address, carol.address)).wait();
      await (await pool.connect(bob).redeem(900n, bob.address, bob.address)).wait();
      await (await pool.connect(ch).withdrawUpTo(4_000n * 10n ** OFFSET, 4_000n, ch.address)).wait();
      expect(await pool.balanceOf(carol.address)).to.equal(0n);
      expect(await pool.accountSharesOf(ch.address)).to.equal(0n);
      expect(await sum()).to.equal(await pool.vault.totalSupply()).and.to.equal(await outside());
      expect(await pool.totalSupply()).to.equal(await pool.balanceOf(alice.address));
    });

    it("maxDeposit and maxMint stop at 2^128 − 1 shares in total; beyond it the core refuses deposit and mint (SupplyRefused)", async () => {
      const fx = await deployPool({ decimals: 18 });
      const { pool, token, alice } = fx;
      // 10^6 shares per atom at the start: ⌊2^128 / 10^6⌋ atoms (3.4e32, below NO_CAP) reach the bound
      const max = (1n << 128n) / 10n ** OFFSET;
      expect(await pool.maxDeposit(alice.address)).to.equal(max);
      expect(await pool.maxMint(alice.address)).to.equal(max * 10n ** OFFSET);
      await (await token.mint(alice.address, max + 1n)).wait();
      await expect(pool.connect(alice).deposit(max + 1n, alice.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(max + 1n, max);
      await expect(pool.connect(alice).mint(max * 10n ** OFFSET + 1n, alice.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(max * 10n ** OFFSET + 1n, max);
      await (await pool.connect(alice).deposit(max, alice.address)).wait();
      expect(await pool.totalSupply()).to.equal(max * 10n ** OFFSET);
      expect(await pool.maxDeposit(alice.address)).to.equal(0n);
      expect(await pool.maxMint(alice.address)).to.equal(0n);
    });

    it("after a write-off wipes the lenders out, maxDeposit is what 2^128 shares hold at the collapsed price, and is accepted", async () => {
      // fast-check seed -252841240 of lending.random.test.ts (18 decimals): a deposit after such a
      // write-off reverted SafeCastOverflowedUintDowncast(128, …) while maxDeposit said 2^112 − 1
      const fx = await deployPool({ decimals: 18 });
      const { pool, token, alice, bob, ch, unit, networkHelpers } = fx;
      await (await pool.connect(alice).deposit(1000n * unit, alice.address)).wait();
      const borrowShares = await pool.connect(ch).borrow.staticCall(1000n * unit, ch.address);
      await (await pool.connect(ch).borrow(1000n * unit, ch.address)).wait();
      await networkHelpers.time.increase(24 * 3600);
      await (await pool.connect(ch).writeOff(borrowShares)).wait();
      const s = await readPool(pool);
      expect([s.cash, s.totalBorrows, s.reserves, s.totalAssets]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(s.supply).to.equal(1000n * unit * 10n ** OFFSET); // alice's shares, now worth nothing
      // a share is worth 1 / (supply + 10^6) atoms: each atom deposited mints supply + 10^6 shares
      const perAtom = s.supply + 10n ** OFFSET;
      // the most atoms whose shares fit: ⌊max · perAtom⌋ ≤ 2^128 − 1 − supply
      const max = ceilDiv((1n << 128n) - s.supply, perAtom) - 1n;
      expect(max).to.be.lessThan(unit); // 3.4e11 atoms: far below one token
      expect(await pool.maxDeposit(bob.address)).to.equal(max);
      expect(await pool.maxMint(bob.address)).to.equal(max * perAtom);
      await expect(pool.connect(bob).deposit(unit, bob.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(unit, max);
      await expect(pool.connect(bob).deposit(max + 1n, bob.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(max + 1n, max);
      await expect(pool.connect(bob).mint(max * perAtom + 1n, bob.address))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(max * perAtom + 1n, max);
      // a margin account's lent deposit is held to the same room
      await expect(pool.connect(ch).supplyAsAccount(unit))
        .to.be.revertedWithCustomError(pool, "SupplyRefused")
        .withArgs(unit, max);
      // maxDeposit is accepted, the supply stays within 128 bits, and bob's shares are worth all he put in
      await (await pool.connect(bob).deposit(max, bob.address)).wait();
      const supply = await pool.totalSupply();
      expect(supply).to.equal(s.supply + max * perAtom);
      expect(supply < 1n << 128n).to.equal(true);
      expect(await pool.maxDeposit(bob.address)).to.equal(0n);
      const before = await token.balanceOf(bob.address);
      await (await pool.connect(bob).redeem(await pool.balanceOf(bob.address), bob.address, bob.address)).wait();
      expect((await token.balanceOf(bob.address)) - before).to.equal(max);
    });

    it("a transfer of more vault shares than held reverts ERC20InsufficientBalance", async () => {
      const fx = await deployPool();
      const { pool, alice, bob, carol: ch } = fx;
      await (await pool.connect(alice).deposit(10n, alice.address)).wait();
      await (await pool.connect(ch).deposit(20n, ch.address)).wait();
      const chShares = await pool.balanceOf(ch.address);
      await expect(pool.connect(ch).transfer(bob.address, chShares + 1n))
        .to.be.revertedWithCustomError(pool, "ERC20InsufficientBalance")
        .withArgs(ch.address, chShares, chShares + 1n);
      const aliceShares = await pool.balanceOf(alice.address);
      await expect(pool.connect(alice).transfer(ch.address, aliceShares + 1n))
        .to.be.revertedWithCustomError(pool, "ERC20InsufficientBalance")
        .withArgs(alice.address, aliceShares, aliceShares + 1n);
    });
  });

  describe("pay-ins the core pulls (a vault's supply, a margin account's lent deposit and repayment)", () => {
    it("refuse a delivery short of the amount: TransferShortfall, whoever pays in", async () => {
      const fx = await deployPool();
      const fot = await new FeeOnTransferToken__factory(fx.admin).deploy();
      const pool = await newCorePool(fx.admin, fx.core, fot);
      const F = await fot.getAddress();
      for (const s of [fx.alice, fx.ch]) {
        await (await fot.mint(s.address, 10n ** 20n)).wait();
        await (await fot.connect(s).approve(await pool.vault.getAddress(), 10n ** 20n)).wait();
        await (await fot.connect(s).approve(await fx.core.getAddress(), 10n ** 20n)).wait();
      }
      await expect(pool.connect(fx.ch).supplyAsAccount(1_000n))
        .to.be.revertedWithCustomError(pool, "TransferShortfall")
        .withArgs(F, 1_000n, 990n);
      // the vault received 990 and cannot forward the 1,000 the core pulls: the token refuses
      await expect(pool.connect(fx.alice).deposit(1_000n, fx.alice.address))
        .to.be.revertedWithCustomError(fot, "ERC20InsufficientBalance")
        .withArgs(await pool.vault.getAddress(), 980n, 990n); // its fee is burnt from the vault first
      // (a repayment is pulled by the same _pullExact; this pool has no cash to lend, so no debt to repay)
      expect(await pool.cash()).to.equal(0n);
      expect(await fot.balanceOf(await fx.core.getAddress())).to.equal(0n);
    });
  });

  describe("token quirks", () => {
    it("a fee-on-transfer token is refused: the vault cannot forward what it was short-paid", async () => {
      const fx = await deployPool();
      const fot = await new FeeOnTransferToken__factory(fx.admin).deploy();
      const pool = await newCorePool(fx.admin, fx.core, fot);
      await (await fot.mint(fx.alice.address, 10n ** 20n)).wait();
      await (await fot.connect(fx.alice).approve(await pool.vault.getAddress(), 10n ** 20n)).wait();
      // the vault received 9,900 and cannot forward 10,000: the deposit reverts, nothing is supplied
      await expect(pool.connect(fx.alice).deposit(10_000n, fx.alice.address))
        .to.be.revertedWithCustomError(fot, "ERC20InsufficientBalance")
        .withArgs(await pool.vault.getAddress(), 9_800n, 9_900n); // its fee is burnt from the vault first
      expect(await pool.cash()).to.equal(0n);
    });

    it("a token whose transfers return nothing works through SafeERC20", async () => {
      const fx = await deployPool();
      const nrt = await new NoReturnToken__factory(fx.admin).deploy();
      const pool = await newCorePool(fx.admin, fx.core, nrt);
      expect(await pool.decimals()).to.equal(12n);
      for (const s of [fx.alice, fx.ch]) {
        await (await nrt.mint(s.address, 10n ** 12n)).wait();
        await (await nrt.connect(s).approve(await pool.vault.getAddress(), 10n ** 12n)).wait();
        await (await nrt.connect(s).approve(await pool.getAddress(), 10n ** 12n)).wait();
      }
      await (await pool.connect(fx.alice).deposit(10n ** 9n, fx.alice.address)).wait();
      const shares = await pool.connect(fx.ch).borrow.staticCall(10n ** 8n, fx.ch.address);
      await (await pool.connect(fx.ch).borrow(10n ** 8n, fx.ch.address)).wait();
      await (await pool.connect(fx.ch).repay(shares)).wait();
      await (await pool.connect(fx.alice).withdraw(10n ** 9n, fx.alice.address, fx.alice.address)).wait();
      expect(await nrt.balanceOf(fx.alice.address)).to.equal(10n ** 12n);
      expect(await pool.cash()).to.be.lessThan(10n); // at most the rounding dust the pool keeps
    });

    it("a token that calls back into the pool mid-transfer hits the reentrancy guard", async () => {
      const fx = await deployPool();
      const ree = await new ReentrantToken__factory(fx.admin).deploy();
      const pool = await newCorePool(fx.admin, fx.core, ree);
      await (await ree.mint(fx.alice.address, 10n ** 20n)).wait();
      await (await ree.connect(fx.alice).approve(await pool.vault.getAddress(), 10n ** 20n)).wait();
      // the core's pull of the deposit (inside its lock) calls back into the core
      await (await ree.arm(await pool.getAddress(), fx.core.interface.encodeFunctionData("accrueInterest", [pool.T]))).wait();
      await expect(pool.connect(fx.alice).deposit(1000n, fx.alice.address)).to.be.revertedWithCustomError(
        pool,
        "ReentrancyGuardReentrantCall",
      );
    });
  });
});

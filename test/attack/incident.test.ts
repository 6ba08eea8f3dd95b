// Issue 13, item 7: incident controls. The guardian pauses a book or freezes the venue at once;
// only governance lifts either. A pause halts placing and taking on that book; a freeze stops money
// leaving (withdrawals, transfers between sub-accounts, borrows, outside lenders' withdrawals).
// Deposits, repayments, cancels and liquidations never stop. docs/DESIGN.md has the table.
import { expect } from "chai";
import {
  useVenue, deposit, withdraw, transfer, borrow, allowBorrow, spotOrder, perpOrder, setPrice, makeGuardian, openOrdersOf,
  balanceOf, acctOf, mined, listHookToken, poolFrozen, E6, E18, WAD,
} from "./venue.ts";

describe("attack: incident controls (pause, freeze)", () => {
  const venue = useVenue();

  it("a guardian pauses one book at once; cancels go on; only governance resumes it", async () => {
    const v = venue();
    const guardian = v.outsider;
    await makeGuardian(v, guardian);
    await deposit(v, v.alice, "USDC", 10_000n * E6);
    await spotOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 10n });
    await mined(v.ch.connect(guardian).pause(1n));
    await expect(spotOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 10n })).to.be.revertedWithCustomError(
      v.market,
      "MarketPaused",
    );
    // the perp books are not paused by a pause of the spot book
    await perpOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 1n });
    const [id] = await openOrdersOf(v, v.alice);
    await mined(v.market.connect(v.alice).cancelOrder(id));
    expect(await openOrdersOf(v, v.alice)).to.deep.equal([]);
    await expect(v.ch.connect(guardian).setMarketPaused(1n, false)).to.be.revertedWithCustomError(
      v.ch,
      "AccessManagedUnauthorized",
    );
    await mined(v.ch.setMarketPaused(1n, false));
    await spotOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 10n });
  });

  it("pause(0) halts every book, spot and perp", async () => {
    const v = venue();
    await makeGuardian(v, v.outsider);
    await deposit(v, v.alice, "USDC", 10_000n * E6);
    await mined(v.ch.connect(v.outsider).pause(0n));
    await expect(spotOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 1n })).to.be.revertedWithCustomError(v.market, "MarketPaused");
    await expect(perpOrder(v, v.alice, { side: 0n, tick: 290_000n, lots: 1n })).to.be.revertedWithCustomError(v.ethPerp, "MarketPaused");
    await expect(perpOrder(v, v.alice, { side: 0n, tick: 590_000n, lots: 1n }, v.btcPerp)).to.be.revertedWithCustomError(v.btcPerp, "MarketPaused");
    await expect(v.ch.connect(v.outsider).setAllPaused(false)).to.be.revertedWithCustomError(v.ch, "AccessManagedUnauthorized");
  });

  it("a freeze stops withdrawals, transfers, borrows and lenders' pool withdrawals; deposits, repayments, cancels, trades and liquidations go on", async () => {
    const v = venue();
    await makeGuardian(v, v.outsider);
    await deposit(v, v.alice, "USDC", 10_000n * E6);
    await deposit(v, v.alice, "WETH", 2n * E18);
    await allowBorrow(v, v.alice);
    await borrow(v, v.alice, "USDC", 1_000n * E6); // debt to repay later
    await deposit(v, v.bob, "WETH", E18);
    await spotOrder(v, v.bob, { side: 1n, tick: 300_000n, lots: 100n });
    // carol: liquidatable once WETH falls (her WETH backs a USDC debt)
    await deposit(v, v.carol, "WETH", E18);
    await allowBorrow(v, v.carol);
    await borrow(v, v.carol, "USDC", 2_300n * E6);

    await mined(v.ch.connect(v.outsider).freeze());
    expect(await v.ch.frozen()).to.equal(true);
    await expect(withdraw(v, v.alice, "USDC", E6)).to.be.revertedWithCustomError(v.ch, "Frozen");
    await expect(transfer(v, v.alice, "USDC", E6, 0n, 1n)).to.be.revertedWithCustomError(v.ch, "Frozen");
    await expect(borrow(v, v.alice, "USDC", E6)).to.be.revertedWithCustomError(v.ch, "Frozen");
    // an order that would borrow does not (the balance must cover it)
    await expect(spotOrder(v, v.alice, { side: 1n, tick: 400_000n, lots: 3_000n })).to.be.revertedWithCustomError(
      v.ch,
      "InsufficientBalance",
    );
    await expect(v.pools.USDC.connect(v.lender).withdraw(E6, v.lender.address, v.lender.address)).to.be.revertedWithCustomError(
      v.pools.USDC,
      "Frozen",
    );
    await expect(v.pools.USDC.connect(v.lender).redeem(10n ** 12n, v.lender.address, v.lender.address)).to.be.revertedWithCustomError(
      v.pools.USDC,
      "Frozen",
    );
    // what goes on: deposits, repayments, trades from balances, cancels, liquidations
    await deposit(v, v.alice, "USDC", 1_000n * E6, 2n);
    const debt = await balanceOf(v, v.alice, "USDC");
    await mined(v.ch.connect(v.alice).repay(v.U, v.alice.address, 0, 500n * E6));
    expect(await balanceOf(v, v.alice, "USDC")).to.be.greaterThan(debt);
    await spotOrder(v, v.alice, { side: 0n, tick: 300_000n, lots: 10n, kind: 2n });
    await spotOrder(v, v.alice, { side: 0n, tick: 200_000n, lots: 10n });
    const [id] = await openOrdersOf(v, v.alice);
    await mined(v.market.connect(v.alice).cancelOrder(id));
    await setPrice(v, "WETH", 2_000n * WAD);
    expect(await v.ch.isLiquidatable(acctOf(v.carol))).to.equal(true);
    await deposit(v, v.dave, "USDC", 10_000n * E6);
    await mined(v.ch.connect(v.dave).liquidate(acctOf(v.carol), v.U, 100n * E6, v.W, 0));

    // ERC-4626's max views say so; only the Clearinghouse sets a pool's flag; a pool added while
    // frozen starts frozen
    expect(await v.pools.USDC.maxWithdraw(v.lender.address)).to.equal(0n);
    expect(await v.pools.USDC.maxRedeem(v.lender.address)).to.equal(0n);
    expect(await poolFrozen(v, v.U)).to.equal(true);
    const h = await listHookToken(v);
    expect(await poolFrozen(v, h.H)).to.equal(true);
    // an asset listed during the freeze is frozen too: it can come in, not go out
    await mined(v.ch.connect(v.alice).deposit(h.H, 0, E18));
    await expect(mined(v.ch.connect(v.alice).withdraw(h.H, 0, E18, v.alice.address))).to.be.revertedWithCustomError(v.ch, "Frozen");

    await expect(v.ch.connect(v.outsider).unfreeze()).to.be.revertedWithCustomError(v.ch, "AccessManagedUnauthorized");
    await mined(v.ch.unfreeze());
    await withdraw(v, v.alice, "USDC", 1_000n * E6, 2n);
    await mined(v.pools.USDC.connect(v.lender).withdraw(E6, v.lender.address, v.lender.address));
    expect(await poolFrozen(v, h.H)).to.equal(false);
    expect(await v.pools.USDC.maxWithdraw(v.lender.address)).to.be.greaterThan(0n);
  });
});

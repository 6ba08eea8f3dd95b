// Issue 13, item 2: one lock across the venue; no stale state written back. HOOK calls a target
// of the attacker's choice on a transfer. The attacker (alice) made the HOOK contract her operator,
// so the callback can place orders for her; the order it places sells HOOK she does not have, which
// borrows. Every path that moves HOOK is tried with the callback armed: the callback must hit a
// lock, and the pool's borrow shares must always equal what the accounts owe.
import { expect } from "chai";
import {
  useVenue, deposit, allowBorrow, borrow, setPrice, acctOf, mined, listHookToken, hookHoldings, poolBorrowShares, openOrdersOf,
  perpOrder, perpPositionOf, spotPocketOf, withMarketCalldata, E6, E18, WAD, type Venue,
} from "./venue.ts";
import { encodeOrder } from "../../sdk/src/math/order.ts";

type Hook = Awaited<ReturnType<typeof listHookToken>>;

/** alice: 100,000 USDC, borrows 100 HOOK to her wallet, lets HOOK's contract trade for her. */
async function setup(v: Venue) {
  const h = await listHookToken(v);
  await deposit(v, v.alice, "USDC", 100_000n * E6);
  await allowBorrow(v, v.alice);
  await mined(v.ch.connect(v.alice).borrow(h.H, 0, 100n * E18, v.alice.address));
  await mined(v.ch.connect(v.alice).setOperator(0, h.H, true));
  return h;
}

/** The callback: an ask for 50 HOOK far above the market, for alice, which borrows the HOOK it locks. */
async function armBorrowingOrder(h: Hook, v: Venue, always = false) {
  const order = encodeOrder({ side: 1n, tick: 100_000n, lots: 50_000n });
  const data = h.market.interface.encodeFunctionData("placeOrderFor", [v.alice.address, order]);
  await mined(always ? h.hook.arm(await h.market.getAddress(), data) : h.hook.armOnce(await h.market.getAddress(), data));
}

/** Borrow shares alice owes in HOOK, and the pool's total: always equal (she is its only borrower). */
async function sharesOwed(v: Venue, h: Hook): Promise<[bigint, bigint]> {
  const stored = (await v.ch.positionOf(acctOf(v.alice), h.H)).amount;
  return [-stored, await poolBorrowShares(v, h.H)];
}

describe("attack: reentrancy through a token's transfer hook", () => {
  const venue = useVenue();

  it("repay: a callback that borrows mid-repayment cannot have its new debt erased", async () => {
    const v = venue();
    const h = await setup(v);
    const before = await sharesOwed(v, h);
    const held = await hookHoldings(v, h);
    const wallet = await h.hook.balanceOf(v.alice.address);
    await armBorrowingOrder(h, v);
    await expect(mined(v.ch.connect(v.alice).repay(h.H, v.alice.address, 0, 10n * E18))).to.be.revertedWithCustomError(
      v.ch,
      "ReentrancyGuardReentrantCall",
    );
    expect(await sharesOwed(v, h)).to.deep.equal(before);
    expect(await hookHoldings(v, h)).to.equal(held);
    expect(await h.hook.balanceOf(v.alice.address)).to.equal(wallet);
    // the same repayment without the callback goes through, and debt and pool still agree
    await mined(h.hook.arm("0x0000000000000000000000000000000000000000", "0x"));
    await mined(v.ch.connect(v.alice).repay(h.H, v.alice.address, 0, 10n * E18));
    const [owed, pool] = await sharesOwed(v, h);
    expect(owed).to.equal(pool).and.to.be.lessThan(before[0]);
  });

  const paths: {
    name: string;
    act: (v: Venue, h: Hook) => Promise<unknown>;
    prepare?: (v: Venue, h: Hook) => Promise<unknown>;
    /** Arm the callback for every transfer, not only the first. */
    always?: boolean;
    /** The action moves no HOOK between contracts (the pool is the Clearinghouse's): no callback can run. */
    noTransfer?: boolean;
  }[] = [
    { name: "deposit", act: (v, h) => mined(v.ch.connect(v.alice).deposit(h.H, 1, 10n * E18)) },
    {
      name: "withdraw",
      prepare: (v, h) => mined(v.ch.connect(v.alice).deposit(h.H, 1, 10n * E18)),
      act: (v, h) => mined(v.ch.connect(v.alice).withdraw(h.H, 1, 5n * E18, v.alice.address)),
    },
    { name: "borrow", act: (v, h) => mined(v.ch.connect(v.alice).borrow(h.H, 0, E18, v.alice.address)) },
    { name: "repay", act: (v, h) => mined(v.ch.connect(v.alice).repay(h.H, v.alice.address, 0, E18)) },
    {
      name: "liquidation",
      prepare: async (v, h) => {
        await mined(v.ch.connect(v.bob).deposit(h.H, 0, 1_000n * E18));
        await setPrice(v, "USDC", WAD); // keep USDC fresh across the pump
        await mined(v.oracle.pushPrice(h.H, 900n * WAD)); // HOOK x90: alice's debt outgrows her USDC
        expect(await v.ch.isLiquidatable(acctOf(v.alice))).to.equal(true);
      },
      // the repayment goes from bob's balance to the pool's cash, both in the Clearinghouse
      noTransfer: true,
      act: (v, h) => mined(v.ch.connect(v.bob).liquidate(acctOf(v.alice), h.H, E18, v.U, 0)),
    },
    // a LendingVault deposit moves the tokens twice: lender → vault (before any state is touched, as
    // ERC-4626 does) and vault → Clearinghouse inside the core's lock, where the callback must hit it
    {
      name: "pool supply",
      always: true,
      act: (v, h) => mined(h.pool.connect(v.lender).deposit(10n * E18, v.lender.address)),
    },
    {
      name: "pool withdraw",
      act: (v, h) => mined(h.pool.connect(v.lender).withdraw(10n * E18, v.lender.address, v.lender.address)),
    },
  ];

  for (const p of paths.filter((x) => x.noTransfer)) {
    it(`${p.name}: moves no token, so an armed callback never runs; debt and pool agree`, async () => {
      const v = venue();
      const h = await setup(v);
      if (p.prepare) await p.prepare(v, h);
      const held = await hookHoldings(v, h);
      await armBorrowingOrder(h, v, true);
      await p.act(v, h);
      expect(await h.hook.callee()).to.equal(await h.market.getAddress()); // still armed: never called
      expect(await hookHoldings(v, h)).to.equal(held);
      const [after, pool] = await sharesOwed(v, h);
      expect(after).to.equal(pool);
    });
  }

  for (const p of paths.filter((x) => !x.noTransfer)) {
    it(`${p.name}: the callback hits a lock, tokens are conserved, and the same action works without it`, async () => {
      const v = venue();
      const h = await setup(v);
      if (p.prepare) await p.prepare(v, h);
      const owed = await sharesOwed(v, h);
      const held = await hookHoldings(v, h);
      const wallets = [v.alice, v.bob, v.lender].map((s) => h.hook.balanceOf(s.address));
      await armBorrowingOrder(h, v, p.always);
      await expect(p.act(v, h)).to.be.revertedWithCustomError(v.ch, "ReentrancyGuardReentrantCall");
      expect(await sharesOwed(v, h)).to.deep.equal(owed);
      expect(await hookHoldings(v, h)).to.equal(held);
      for (const [i, s] of [v.alice, v.bob, v.lender].entries()) expect(await h.hook.balanceOf(s.address)).to.equal(await wallets[i]);
      await mined(h.hook.arm("0x0000000000000000000000000000000000000000", "0x"));
      await p.act(v, h);
      const [after, pool] = await sharesOwed(v, h);
      expect(after).to.equal(pool);
    });
  }
});

// Issue #14: the book entry points live in the core, under the same lock as the vault. A callback
// during a deposit or a withdrawal that re-enters any of them (placing or cancelling an order on a
// spot or perp book, taking a perp position, sweeping a pocket, settling perp cash) hits the lock:
// nothing moves, and the same deposit or withdrawal without the callback goes through.
describe("attack: a token hook re-entering the core's market entry points", () => {
  const venue = useVenue();

  /** alice (HOOK's contract her operator) rests a HOOK/USDC bid; bob is long 1 ETH-PERP from alice. */
  async function books(v: Venue, h: Hook) {
    await mined(h.book.connect(v.alice).placeOrder(encodeOrder({ side: 0n, tick: 900n, lots: 1_000n })));
    const [bid] = await openOrdersOf(v, v.alice, h.book);
    await deposit(v, v.bob, "USDC", 10_000n * E6);
    await perpOrder(v, v.alice, { side: 1n, tick: 300_000n, lots: 1_000n });
    await perpOrder(v, v.bob, { side: 0n, tick: 300_000n, lots: 1_000n, kind: 2n });
    return bid;
  }

  const entries: { name: string; data: (v: Venue, h: Hook, bid: bigint) => string }[] = [
    { name: "placeOrder (spot)", data: (_v, h) => h.market.interface.encodeFunctionData("placeOrder", [encodeOrder({ side: 1n, tick: 100_000n, lots: 1n })]) },
    { name: "placeOrderFor (perp)", data: (v) => withMarketCalldata(v.ethPerp).interface.encodeFunctionData("placeOrderFor", [v.alice.address, encodeOrder({ side: 1n, tick: 400_000n, lots: 1n })]) },
    { name: "cancelOrder", data: (_v, h, bid) => h.market.interface.encodeFunctionData("cancelOrder", [bid]) },
    { name: "liquidatePerp", data: (v) => withMarketCalldata(v.ethPerp).interface.encodeFunctionData("liquidatePerp", [acctOf(v.bob), 1n, 0, false]) },
    { name: "sweep", data: (v, h) => h.market.interface.encodeFunctionData("sweep", [v.alice.address, 0]) },
    { name: "settlePerp", data: (v) => withMarketCalldata(v.ethPerp).interface.encodeFunctionData("settlePerp", [v.bob.address, 0]) },
  ];
  const actions: { name: string; act: (v: Venue, h: Hook) => Promise<unknown>; prepare?: (v: Venue, h: Hook) => Promise<unknown> }[] = [
    { name: "deposit", act: (v, h) => mined(v.ch.connect(v.alice).deposit(h.H, 1, 10n * E18)) },
    {
      name: "withdraw",
      prepare: (v, h) => mined(v.ch.connect(v.alice).deposit(h.H, 1, 10n * E18)),
      act: (v, h) => mined(v.ch.connect(v.alice).withdraw(h.H, 1, 5n * E18, v.alice.address)),
    },
  ];

  for (const e of entries) {
    for (const a of actions) {
      it(`${a.name} re-entering ${e.name}: the callback hits the lock, nothing moves, and the ${a.name} works without it`, async () => {
        const v = venue();
        const h = await setup(v);
        const bid = await books(v, h);
        if (a.prepare) await a.prepare(v, h);
        // positions without their funding owed, which accrues with the clock
        const position = async (who: { address: string }) => (await perpPositionOf(v, who)).filter((_, i) => i !== 3);
        const state = async () => [
          await openOrdersOf(v, v.alice, h.book), await openOrdersOf(v, v.alice, v.ethPerp),
          await position(v.alice), await position(v.bob), await spotPocketOf(v, v.alice),
          await hookHoldings(v, h), await h.hook.balanceOf(v.alice.address), await v.ch.balanceOf(acctOf(v.alice, 1n), h.H),
        ];
        const before = await state();
        await mined(h.hook.armOnce(await v.ch.getAddress(), e.data(v, h, bid)));
        await expect(a.act(v, h)).to.be.revertedWithCustomError(v.ch, "ReentrancyGuardReentrantCall");
        expect(await state()).to.deep.equal(before);
        await mined(h.hook.arm("0x0000000000000000000000000000000000000000", "0x"));
        await a.act(v, h);
        expect(await openOrdersOf(v, v.alice, h.book)).to.deep.equal([bid]); // the callback never ran
      });
    }
  }
});

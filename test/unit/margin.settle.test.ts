import { expect } from "chai";
import { AbiCoder, keccak256 } from "ethers";
import { OrderKind, Side, encodeOrder } from "../../sdk/src/math/order.ts";
import { E18, E6, acctOf, deposit, mined, setPrice, storedAmount, useMarginFixture, type MFx } from "./margin._helpers.ts";

const TICK_3000 = 300_000n; // $3,000 per WETH
// storage: the core's `_markets` mapping is at slot 11 (after AccessManaged's authority, the price
// store `_prices`, the lending core's `_assets` and `_pools`, and seven of the vault's); in a Market, slots 0-3 are its header
// (config, base | lot size, quote | ATLAS parameters, caps and decimals), 4-8 the book (top, levels,
// orders, bitmap, client ids) and 9 the spot pockets
const MARKETS_SLOT = 11n;
const POCKETS_OFFSET = 9n;
const MARGIN_FLAG = 1n << 255n;

/** The raw pocket word of an account (pocketOf does not show the margin flag). */
async function pocketWord(f: MFx, who: { address: string }): Promise<bigint> {
  const coder = AbiCoder.defaultAbiCoder();
  const market = BigInt(keccak256(coder.encode(["uint256", "uint256"], [f.market.marketId, MARKETS_SLOT])));
  const slot = keccak256(coder.encode(["bytes32", "uint256"], [acctOf(who), market + POCKETS_OFFSET]));
  return BigInt(await f.ethers.provider.getStorage(await f.ch.getAddress(), slot));
}

async function restingAsk(f: MFx, lots: bigint, tick = TICK_3000) {
  await deposit(f, f.alice, f.W, 10n * E18);
  await mined(f.market.connect(f.alice).placeOrder(encodeOrder({ side: Side.Ask, tick, lots })));
}

describe("Clearinghouse.settle with margin", () => {
  const fx = useMarginFixture();

  it("the pocket word is at the slot the tests read", async () => {
    const f = fx();
    await restingAsk(f, 7n);
    expect(((await pocketWord(f, f.alice)) >> 72n) & ((1n << 48n) - 1n)).to.equal(7n); // locked base lots
  });

  it("a margin buy: the taker pays with borrowed quote only when borrowing for orders is on", async () => {
    const f = fx();
    const { ch, market, bob, W, U } = f;
    await restingAsk(f, 1_000n);
    await deposit(f, bob, W, 10n * E18);
    const buy = encodeOrder({ side: Side.Bid, tick: TICK_3000, lots: 1_000n, kind: OrderKind.Ioc });
    await expect(market.connect(bob).placeOrder(buy))
      .to.be.revertedWithCustomError(ch, "InsufficientBalance")
      .withArgs(U, 3_000n * E6, 0n);
    await mined(ch.connect(bob).setBorrowPolicy(0, true, false));
    await mined(market.connect(bob).placeOrder(buy));
    expect(await ch.balanceOf(acctOf(bob), U)).to.equal(-3_000n * E6);
    expect((await market.pocketOf(bob.address, 0))[2]).to.equal(E18); // bought WETH waits unswept
    expect((await pocketWord(f, bob)) & MARGIN_FLAG).to.equal(MARGIN_FLAG);
    const st = await ch.accountState(acctOf(bob));
    expect(st & ((1n << 192n) - 1n)).to.equal(0b11n | (0b10n << 64n) | (1n << 128n)); // held, owed, market
    await mined(market.sweep(bob.address, 0));
    expect(await ch.balanceOf(acctOf(bob), W)).to.equal(11n * E18);
  });

  it("a margin buy the collateral cannot carry reverts InsufficientMargin", async () => {
    const f = fx();
    const { ch, market, bob, W } = f;
    await restingAsk(f, 6_000n);
    await deposit(f, bob, W, E18); // carries a buy of about 4.8 WETH: (1 + n) · 0.8425 ≥ n · 1.0165
    await mined(ch.connect(bob).setBorrowPolicy(0, true, false));
    await expect(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: TICK_3000, lots: 6_000n, kind: OrderKind.Ioc })))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
  });

  it("an ask beyond the base balance borrows base (a short sale) when allowed", async () => {
    const f = fx();
    const { ch, market, carol, W, U } = f;
    await deposit(f, carol, U, 10_000n * E6);
    const ask = encodeOrder({ side: Side.Ask, tick: TICK_3000, lots: 1_000n });
    await expect(market.connect(carol).placeOrder(ask)).to.be.revertedWithCustomError(ch, "InsufficientBalance").withArgs(W, E18, 0n);
    await mined(ch.connect(carol).setBorrowPolicy(0, true, false));
    await mined(market.connect(carol).placeOrder(ask));
    expect(await ch.balanceOf(acctOf(carol), W)).to.equal(-E18);
    expect((await market.pocketOf(carol.address, 0))[0]).to.equal(E18);
  });

  it("the first debt sets the margin flag on every market the account has a pocket on", async () => {
    const f = fx();
    const { ch, market, bob, W, U } = f;
    await deposit(f, bob, W, 10n * E18);
    await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: 400_000n, lots: 1n })));
    expect((await pocketWord(f, bob)) & MARGIN_FLAG).to.equal(0n);
    await mined(ch.connect(bob).borrow(U, 0, 100n * E6, bob.address));
    expect((await pocketWord(f, bob)) & MARGIN_FLAG).to.equal(MARGIN_FLAG);
  });

  it("a pocket-funded placement of an indebted account is margin-checked", async () => {
    const f = fx();
    const { ch, atlas, lens, market, alice, bob, W, U } = f;
    await deposit(f, bob, W, 2n * E18);
    await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Ask, tick: TICK_3000, lots: 1_000n })));
    await deposit(f, alice, U, 10_000n * E6);
    await mined(market.connect(alice).placeOrder(encodeOrder({ side: Side.Bid, tick: TICK_3000, lots: 1_000n, kind: OrderKind.Ioc })));
    expect((await market.pocketOf(bob.address, 0))[3]).to.equal(3_000n * E6); // unswept quote
    const max = await lens.maxBorrow(acctOf(bob), U);
    await mined(ch.connect(bob).borrow(U, 0, (max * 999n) / 1_000n, bob.address));
    // the stored borrow shares, not balanceOf: the debt's interest would move with each block's time
    const debtShares = await storedAmount(f, acctOf(bob), U);
    expect(debtShares).to.be.lessThan(0n);
    // a small bid paid from the pocket passes the check: the balance is not touched
    await mined(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 290_000n, lots: 1n })));
    expect(await storedAmount(f, acctOf(bob), U)).to.equal(debtShares);
    // a large one adds a resting-bid charge the remaining margin cannot carry
    await expect(market.connect(bob).placeOrder(encodeOrder({ side: Side.Bid, tick: 290_000n, lots: 500n })))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (iv: bigint) => iv < 0n);
  });

  // (was a test of Clearinghouse.checkMargin, the markets' callback, now internal to the core: the
  // same three cases through the public path that runs it, a placement paid from the pocket)
  it("a pocket-funded placement is not valued without debt and reverts with the initial value for an indebted account under water", async () => {
    const f = fx();
    const { ch, atlas, lens, market, alice, bob, carol, W, U } = f;
    // alice and bob each sell 1 WETH to carol: 3,000 USDC waits unswept in each pocket
    await deposit(f, alice, W, E18);
    await deposit(f, bob, W, 2n * E18);
    await deposit(f, carol, U, 10_000n * E6);
    for (const s of [alice, bob]) await mined(market.connect(s).placeOrder(encodeOrder({ side: Side.Ask, tick: TICK_3000, lots: 1_000n })));
    await mined(market.connect(carol).placeOrder(encodeOrder({ side: Side.Bid, tick: TICK_3000, lots: 2_000n, kind: OrderKind.Ioc })));
    const bid = encodeOrder({ side: Side.Bid, tick: 100_000n, lots: 1n }); // $0.10, paid from the pocket
    const max = await lens.maxBorrow(acctOf(bob), U);
    await mined(ch.connect(bob).borrow(U, 0, (max * 999n) / 1_000n, bob.address));
    await mined(market.connect(bob).placeOrder(bid)); // indebted but healthy: passes
    await setPrice(f, W, 2_000n * 10n ** 18n);
    const iv = await atlas.initialValue(acctOf(bob));
    expect(iv).to.be.lessThan(0n);
    // the bid's resting charge only lowers the initial value further
    await expect(market.connect(bob).placeOrder(bid))
      .to.be.revertedWithCustomError(ch, "InsufficientMargin")
      .withArgs(acctOf(bob), (after: bigint) => after <= iv);
    await f.networkHelpers.time.increase(7_200n);
    await expect(atlas.initialValue(acctOf(alice))).to.be.revertedWithCustomError(atlas, "PriceUnavailable");
    await mined(market.connect(alice).placeOrder(bid)); // no debt: no valuation, even with stale prices
    expect((await market.pocketOf(alice.address, 0))[4]).to.equal(1n);
  });
});

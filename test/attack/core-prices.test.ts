// Issue #14, stage 5: every feed and stored price is the core's (ClearinghousePrices over PriceLib).
// A Chainlink or Pyth read is stored by the write that made it and reused while its feed time is at
// most 3 s old. Attacks on the new entry points:
// (1) acting on an old price: a stored read older than 3 s is never used; the next margin-checked
//     action reads the feed again, so an action the old price allowed is refused (InsufficientMargin).
//     Within the 3 s the stored read is what writes and views alike use, to the atom.
// (2) re-entry: a token hook calling updateStablePrice, setFeed or pushPrice in the middle of a core
//     call hits the core's one lock, even for a caller holding the roles.
// (3) the setters: only governance sets feeds and only the oracle role pushes prices
//     (AccessManagedUnauthorized), so no one else can price their own collateral up.
import { expect } from "chai";
import {
  E6, E18, WAD, PRICE_ROLES, acctOf, adminFeed, borrow, chainNow, deposit, feedOf, grantRole, listHookToken, makeGuardian, maxBorrow,
  maxWithdraw, mined, mineAt, nextAt, oraclePrices, pushPriceAs, riskOf, setFeedAs, updateStablePriceAs, useFeed, useVenue,
  withdraw, type Venue,
} from "./venue.ts";

const ETH = 3_000n * WAD;
const CRASHED = 2_000n * WAD;

describe("attack: acting on a stored price older than 3 s", () => {
  const venue = useVenue();

  /**
   * WETH on a Chainlink feed quoting $3,000 at t0; alice's 1 WETH backs 1,000 USDC she borrows at
   * t0 + 1 (which stores the read, feed time t0); at t0 + 2 the feed quotes $2,000. Returns t0.
   */
  async function storedThenCrashed(v: Venue) {
    const feed = await useFeed(v, "WETH", "chainlink", ETH);
    await deposit(v, v.alice, "WETH", E18);
    const t0 = (await chainNow(v)) + 10n;
    await nextAt(v, t0);
    await feed.set(ETH); // feed time t0
    await nextAt(v, t0 + 1n);
    await borrow(v, v.alice, "USDC", 1_000n * E6); // the margin check stores $3,000 @ t0
    await nextAt(v, t0 + 2n);
    await feed.set(CRASHED); // feed time t0 + 2: against alice's collateral
    return t0;
  }

  it("3 s after the stored read's feed time, writes and views use the stored price: the boundary agrees to the atom", async () => {
    const v = venue();
    const t0 = await storedThenCrashed(v);
    await mineAt(v, t0 + 3n); // views at t0 + 3: the stored read is 3 s old, still used
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(ETH);
    const most = await maxWithdraw(v, v.alice, "WETH", false);
    // ≈ 1 − 1,016.5 / (3,000 × 0.8425) WETH at $3,000; at $2,000 under 0.4 WETH would be left to take
    expect(most).to.be.greaterThan((58n * E18) / 100n);
    await nextAt(v, t0 + 3n);
    await withdraw(v, v.alice, "WETH", most); // the write uses what the view used
    const r = await riskOf(v, v.alice);
    expect(r.initialWad).to.be.at.least(0n);
    expect(r.initialWad * 10_000n).to.be.lessThan(WAD); // at the boundary: below $0.0001 left
    await nextAt(v, t0 + 3n);
    await expect(withdraw(v, v.alice, "WETH", most / 100n)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    // one second later the stored read is 4 s old: the feed's $2,000 is what the views see
    await mineAt(v, t0 + 4n);
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(CRASHED);
    expect((await riskOf(v, v.alice)).initialWad).to.be.lessThan(0n);
  });

  it("after 3 s the next borrow or withdrawal reads the feed: what the old price allowed is refused", async () => {
    const v = venue();
    const t0 = await storedThenCrashed(v);
    await mineAt(v, t0 + 3n);
    const [oldBorrow, oldWithdraw] = [await maxBorrow(v, v.alice, "USDC"), await maxWithdraw(v, v.alice, "WETH", false)];
    expect(oldBorrow).to.be.greaterThan(1_400n * E6); // ≈ (2,527.5 − 1,016.5) / 1.0165 at $3,000
    expect(oldWithdraw).to.be.greaterThan((58n * E18) / 100n);
    // the old price would allow both of these; at t0 + 4 the stored read (feed time t0) is too old
    const [borrowAtoms, withdrawAtoms] = [1_000n * E6, E18 / 2n];
    const wallet = [await v.tokens.WETH.balanceOf(v.alice.address), await v.tokens.USDC.balanceOf(v.alice.address)];
    await nextAt(v, t0 + 4n);
    await expect(borrow(v, v.alice, "USDC", borrowAtoms)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    await nextAt(v, t0 + 4n);
    await expect(withdraw(v, v.alice, "WETH", withdrawAtoms)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
    expect([await v.tokens.WETH.balanceOf(v.alice.address), await v.tokens.USDC.balanceOf(v.alice.address)]).to.deep.equal(wallet);
    // the views now answer the feed's price, and a write agrees with them: their new limit goes through
    await mineAt(v, t0 + 4n);
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(CRASHED);
    const newWithdraw = await maxWithdraw(v, v.alice, "WETH", false);
    expect(newWithdraw).to.be.lessThan(withdrawAtoms).and.greaterThan(0n);
    await nextAt(v, t0 + 4n);
    await withdraw(v, v.alice, "WETH", newWithdraw);
    expect((await riskOf(v, v.alice)).initialWad).to.be.at.least(0n);
  });

  it("anyone's updateStablePrice stores the feed's latest read: no one keeps a price the feed has left", async () => {
    const v = venue();
    const t0 = await storedThenCrashed(v);
    // at t0 + 3 the stored $3,000 (feed time t0) would still be used (the test above); bob (anyone)
    // calls updateStablePrice first, which reads the feed and stores its $2,000 (feed time t0 + 2)
    await nextAt(v, t0 + 3n);
    await updateStablePriceAs(v, v.bob, "WETH");
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(CRASHED);
    // in the same second, alice's borrow is checked at $2,000: what $3,000 allowed is refused
    await nextAt(v, t0 + 3n);
    await expect(borrow(v, v.alice, "USDC", 1_000n * E6)).to.be.revertedWithCustomError(v.ch, "InsufficientMargin");
  });
});

describe("attack: a token hook re-entering the core's price entry points", () => {
  const venue = useVenue();

  type Hook = Awaited<ReturnType<typeof listHookToken>>;
  const entries: { name: string; data: (v: Venue, h: Hook) => string }[] = [
    { name: "updateStablePrice", data: (_v, h) => h.market.interface.encodeFunctionData("updateStablePrice", [h.H]) },
    { name: "setFeed", data: (_v, h) => h.market.interface.encodeFunctionData("setFeed", [h.H, { ...adminFeed(10n * WAD), maxAgeSeconds: 7_200n }]) },
    { name: "pushPrice", data: (_v, h) => h.market.interface.encodeFunctionData("pushPrice", [h.H, 100n * WAD]) },
  ];
  const actions: { name: string; act: (v: Venue, h: Hook) => Promise<unknown> }[] = [
    { name: "deposit", act: (v, h) => mined(v.ch.connect(v.alice).deposit(h.H, 0, 10n * E18)) },
    { name: "withdraw", act: (v, h) => mined(v.ch.connect(v.alice).withdraw(h.H, 0, 5n * E18, v.alice.address)) },
  ];

  for (const e of entries) {
    for (const a of actions) {
      it(`${a.name} re-entering ${e.name} (the hook holds both price roles): the lock stops it; outside a core call it works`, async () => {
        const v = venue();
        const h = await listHookToken(v);
        await mined(v.ch.connect(v.alice).deposit(h.H, 0, 10n * E18));
        // the hook's contract holds the roles: AccessManaged lets it through, only the lock can stop it
        await grantRole(v, PRICE_ROLES.governance, h.H);
        await grantRole(v, PRICE_ROLES.oracle, h.H);
        const state = async () => [
          [...(await v.ch.price(h.H))], [...(await v.ch.stableAnchorOf(h.H))], (await v.ch.feedOf(h.H)).maxAgeSeconds,
          await v.ch.balanceOf(acctOf(v.alice), h.H), await h.hook.balanceOf(v.alice.address),
        ];
        const before = await state();
        await mined(h.hook.armOnce(await v.ch.getAddress(), e.data(v, h)));
        await expect(a.act(v, h)).to.be.revertedWithCustomError(v.ch, "ReentrancyGuardReentrantCall");
        expect(await state()).to.deep.equal(before);
        // the same call from the hook between two wallets (no core call under way) goes through
        await mined(h.hook.armOnce(await v.ch.getAddress(), e.data(v, h)));
        const rc = await mined(h.hook.connect(v.alice).transfer(v.bob.address, 1n));
        const core = (await v.ch.getAddress()).toLowerCase();
        const events = rc.logs.filter((l) => l.address.toLowerCase() === core).map((l) => v.ch.interface.parseLog(l)?.name);
        expect(events).to.include({ updateStablePrice: "StablePriceUpdated", setFeed: "FeedSet", pushPrice: "PricePushed" }[e.name]);
      });
    }
  }
});

describe("attack: setting feeds and pushing prices on the core without the roles", () => {
  const venue = useVenue();

  it("an outsider, a guardian and each role alone: only governance sets a feed, only the oracle role pushes a price", async () => {
    const v = venue();
    await makeGuardian(v, v.carol);
    await grantRole(v, PRICE_ROLES.oracle, v.dave.address); // dave: the oracle role only
    await grantRole(v, PRICE_ROLES.governance, v.bob.address); // bob: governance only
    // the outsider holds WETH and would price it 10× to borrow against it
    await deposit(v, v.outsider, "WETH", E18);
    const [price0, feed0, borrow0] = [await oraclePrices(v, "WETH"), await feedOf(v, "WETH"), await maxBorrow(v, v.outsider, "USDC")];
    const pumped = { ...adminFeed(30_000n * WAD), maxStableMoveBpsPerHour: 10_000n };
    for (const who of [v.outsider, v.carol, v.dave]) {
      await expect(setFeedAs(v, who, "WETH", pumped)).to.be.revertedWithCustomError(v.ch, "AccessManagedUnauthorized").withArgs(who.address);
    }
    for (const who of [v.outsider, v.carol, v.bob]) {
      await expect(pushPriceAs(v, who, "WETH", 30_000n * WAD)).to.be.revertedWithCustomError(v.ch, "AccessManagedUnauthorized").withArgs(who.address);
    }
    expect(await oraclePrices(v, "WETH")).to.deep.equal(price0);
    expect(await feedOf(v, "WETH")).to.deep.equal(feed0);
    expect(await maxBorrow(v, v.outsider, "USDC")).to.equal(borrow0);
    // anyone may move the anchor, which moves no price: the outsider's call changes neither
    await updateStablePriceAs(v, v.outsider, "WETH");
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(price0[0]);
    // the roles work: bob's feed (a longer staleness) and dave's push go through
    await setFeedAs(v, v.bob, "WETH", { ...adminFeed(ETH), maxAgeSeconds: 7_200n });
    expect((await feedOf(v, "WETH")).maxAgeSeconds).to.equal(7_200n);
    await pushPriceAs(v, v.dave, "WETH", 3_100n * WAD);
    expect((await oraclePrices(v, "WETH"))[0]).to.equal(3_100n * WAD);
  });
});

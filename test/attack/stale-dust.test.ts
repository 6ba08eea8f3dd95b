// A liquidation cannot be blocked by dust of an asset whose feed went stale (issue #13 item 6): holdings
// of a stale asset worth less than $1 at its last price count for nothing; larger ones, or a debt in it,
// still wait for the feed (PriceUnavailable).
import { expect } from "chai";
import {
  E6, E18, WAD, useVenue, deposit, borrow, setPrice, letFeedGoStale, liquidateSpot, isLiquidatable, maintenanceValue,
  balanceOf, type Venue,
} from "./venue.ts";

/** Bob: 1 WETH and `linkAtoms` of LINK ($20 each), 2,400 USDC borrowed; WETH falls to $2,600: liquidatable. */
async function underwater(v: Venue, linkAtoms: bigint) {
  await deposit(v, v.bob, "WETH", E18);
  await deposit(v, v.bob, "LINK", linkAtoms);
  await borrow(v, v.bob, "USDC", 2_400n * E6);
  await deposit(v, v.alice, "USDC", 10_000n * E6);
  await setPrice(v, "WETH", 2_600n * WAD);
  // a second push anchors LINK's stable price (the router's last known price once the feed is stale;
  // item 3 of the issue anchors every feed at its first good price)
  await setPrice(v, "LINK", 20n * WAD);
  await letFeedGoStale(v, "LINK");
}

describe("attack: stale-feed dust blocks a liquidation", () => {
  const fx = useVenue();

  it("0.04 LINK ($0.80 at its last price) with a stale feed counts for nothing: the account is valued and liquidated", async () => {
    const v = fx();
    await underwater(v, 4n * 10n ** 16n);
    expect(await isLiquidatable(v, v.bob)).to.equal(true);
    const mv = await maintenanceValue(v, v.bob);
    await liquidateSpot(v, v.alice, v.bob, "USDC", 300n * E6, "WETH");
    expect(await maintenanceValue(v, v.bob)).to.be.greaterThan(mv);
    expect(await balanceOf(v, v.bob, "LINK")).to.equal(4n * 10n ** 16n); // untouched, just not counted
  });

  it("1 LINK ($20) with a stale feed still waits for the feed (PriceUnavailable)", async () => {
    const v = fx();
    await underwater(v, E18);
    await expect(v.atlas.maintenanceValue((await import("../unit/margin._helpers.ts")).acctOf(v.bob)))
      .to.be.revertedWithCustomError(v.atlas, "PriceUnavailable").withArgs(v.L);
    await expect(liquidateSpot(v, v.alice, v.bob, "USDC", 300n * E6, "WETH"))
      .to.be.revertedWithCustomError(v.atlas, "PriceUnavailable");
  });
});

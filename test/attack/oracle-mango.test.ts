// Attack: the Mango Markets replay (2022) on every oracle adapter. An attacker holding real
// collateral pumps its price 10× in one oracle update and borrows against the pumped value; the
// stable price (initial margin values holdings at the lower of oracle and stable) must hold the
// borrow to what the collateral backed before: at most 110% of it, whether the feed was just set
// with the core's `setFeed` (anchored from its first good price) or its anchor was left alone
// for hours (the allowed move counts at most one hour). Then the pumped asset's borrowers are
// liquidated at the pumped price: a liquidator may take from each at most the liquidation
// discount on what it seizes.
import { expect } from "chai";
import {
  E18,
  E6,
  WAD,
  borrow,
  deposit,
  elapse,
  equityOf,
  flagLiquidatable,
  liquidate,
  maxBorrow,
  maxDiscountBps,
  oraclePrices,
  sameTime,
  updateStablePrice,
  useFeed,
  useVenue,
  type FeedKindName,
} from "./venue.ts";

const HOUR = 3_600n;
const ETH = 3_000n * WAD;
const PUMPED = 10n * ETH;
const KINDS: FeedKindName[] = ["admin", "chainlink", "pyth"];

describe("Attack: a Mango-style pump of a collateral's oracle (issue #13, item 3)", () => {
  const venue = useVenue();

  for (const kind of KINDS) {
    describe(`on a ${kind} feed`, () => {
      /** dave's 100 WETH back a USDC borrow; returns his largest borrow before and after a 10× pump. */
      async function pumpAndMeasure(settle: (feed: Awaited<ReturnType<typeof useFeed>>) => Promise<void>) {
        const v = venue();
        const feed = await useFeed(v, "WETH", kind, ETH);
        await deposit(v, v.dave, "WETH", 100n * E18);
        await settle(feed);
        const before = await maxBorrow(v, v.dave, "USDC");
        expect(before).to.be.greaterThan(200_000n * E6); // ≈ 100 × 3,000 × (1 − 1.5 × 10.5%), less interest
        await feed.set(PUMPED);
        expect((await oraclePrices(v, "WETH"))[0]).to.equal(PUMPED);
        const after = await maxBorrow(v, v.dave, "USDC");
        expect(after * 100n, `max borrow ${after} after the pump, ${before} before`).to.be.at.most(before * 110n);
        // the lens is not the only judge: the Clearinghouse refuses 110% + 1 atom
        await sameTime(v);
        await expect(borrow(v, v.dave, "USDC", (before * 110n) / 100n + 1n)).to.be.revertedWithCustomError(
          v.ch,
          "InsufficientMargin",
        );
        return { v, before, after };
      }

      it("right after setFeed, a 10× pump in one update lets the attacker borrow at most 110% of before", async () => {
        await pumpAndMeasure(async () => {});
      });

      it("with the anchor left alone for 10 hours, a 10× pump still allows at most 110%", async () => {
        await pumpAndMeasure(async (feed) => {
          const v = venue();
          await updateStablePrice(v, "WETH");
          for (let h = 0; h < 10; h++) await elapse(v, HOUR - 60n, feed); // feeds fresh, price unchanged
        });
      });

      it("its borrowers, liquidated at the pumped price, lose at most the discount on what is seized", async () => {
        const v = venue();
        const feed = await useFeed(v, "WETH", kind, ETH);
        const victims = [v.bob, v.carol];
        for (const [i, s] of victims.entries()) {
          await deposit(v, s, "USDC", 60_000n * E6);
          await borrow(v, s, "WETH", BigInt(5 + 5 * i) * E18); // 5 and 10 WETH against $60,000
        }
        await deposit(v, v.alice, "WETH", 100n * E18); // the liquidator's means of repayment
        await feed.set(PUMPED);
        // the borrows stored the $3,000 read, which the core uses at most 3 s after its feed time
        // (the chain's clock may not have moved since): past that, every write reads the pump
        await elapse(v, 4n, feed);
        for (const s of victims) await flagLiquidatable(v, v.outsider, s);
        await elapse(v, 600n, feed); // the Dutch auction reaches its cap
        const cap = await maxDiscountBps(v, "USDC");
        for (const s of victims) {
          const [liqBefore, victimBefore] = [await equityOf(v, v.alice), await equityOf(v, s)];
          await sameTime(v);
          const { seizedAtoms, discountBps } = await liquidate(v, v.alice, s, "WETH", E18, "USDC");
          const seizedUsd = seizedAtoms * 10n ** 12n; // USDC at $1, 6 decimals → WAD
          expect(seizedUsd).to.be.greaterThan(PUMPED); // it repaid 1 WETH at the pumped price
          expect(discountBps).to.be.at.most(cap);
          const extracted = (await equityOf(v, v.alice)) - liqBefore;
          const lost = victimBefore - (await equityOf(v, s));
          expect(extracted * 10_000n, `extracted ${extracted} of ${seizedUsd} seized`).to.be.at.most(seizedUsd * discountBps);
          // the burnt borrow shares are rounded down (the pool's side): the victim may keep up to one
          // more WETH atom of debt, worth PUMPED / 10^18 wei of USD
          expect(lost, "the victim loses no more than the liquidator gains").to.be.at.most(extracted + PUMPED / E18 + 1n);
        }
      });
    });
  }
});

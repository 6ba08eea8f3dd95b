// Tokens with 6, 8 and 18 decimals as collateral and as debt: valuation to the wei against the
// model, borrowing near the limit, a price shock, and a liquidation whose seizure is exact.
import { expect } from "chai";
import {
  E18, E6, E8, START, acctOf, deposit, entry, mEquity, mInitial, mMaintenance, mSeized, mined, sameTime, setPrice,
  storedAmount, useMarginFixture, type ME, type MFx,
} from "../unit/margin._helpers.ts";

type Sym = "WETH" | "USDC" | "WBTC";
const ID: Record<Sym, number> = { WETH: 1, USDC: 2, WBTC: 3 };
const DEC: Record<Sym, bigint> = { WETH: 18n, USDC: 6n, WBTC: 8n };
const addr = (f: MFx, s: Sym) => ({ WETH: f.W, USDC: f.U, WBTC: f.B })[s];

interface Case {
  coll: Sym;
  debt: Sym;
  amount: bigint;
  lent?: boolean;
}

const CASES: Case[] = [
  { coll: "WBTC", debt: "USDC", amount: E8 / 2n },
  { coll: "USDC", debt: "WETH", amount: 30_000n * E6 },
  { coll: "WETH", debt: "WBTC", amount: 10n * E18 },
  { coll: "USDC", debt: "WBTC", amount: 30_000n * E6, lent: true },
];

describe("Margin across 6, 8 and 18 decimals", () => {
  const fx = useMarginFixture();

  for (const c of CASES) {
    it(`${c.coll}${c.lent ? " (lent)" : ""} collateral (${DEC[c.coll]} decimals) against ${c.debt} debt (${DEC[c.debt]} decimals)`, async () => {
      const f = fx();
      const { ch, atlas, lens, carol, dave } = f;
      const [C, D] = [addr(f, c.coll), addr(f, c.debt)];
      const who = acctOf(carol);
      await deposit(f, carol, C, c.amount);
      if (c.lent) await mined(ch.connect(carol).setLending(C, 0, true));
      await sameTime(f);
      const max = await lens.maxBorrow(who, D);
      await mined(ch.connect(carol).borrow(D, 0, (max * 95n) / 100n, carol.address));
      expect((await ch.positionOf(who, D)).decimals).to.equal(DEC[c.debt]);

      const prices: Record<Sym, bigint> = { WETH: START.WETH.price, USDC: START.USDC.price, WBTC: START.WBTC.price };
      const model = async (): Promise<ME[]> => {
        const held = c.lent
          ? { lent: await f.pools[c.coll].convertToAssets(await storedAmount(f, who, C)) }
          : { idle: await ch.balanceOf(who, C) };
        const debt = { debt: -(await ch.balanceOf(who, D)), rateWad: await ch.borrowRatePerSecondWad(D) };
        const stable = async (s: Sym) => (await f.oracle.tryPrice(addr(f, s)))[2];
        const es = [
          { id: ID[c.coll], e: entry(c.coll, { ...held, price: prices[c.coll], stable: await stable(c.coll) }) },
          { id: ID[c.debt], e: entry(c.debt, { ...debt, price: prices[c.debt], stable: await stable(c.debt) }) },
        ];
        return es.sort((a, b) => a.id - b.id).map((x) => x.e);
      };
      let es = await model();
      expect(await atlas.riskOf(who)).to.deep.equal([mEquity(es), mMaintenance(es), mInitial(es)]);
      expect(mInitial(es)).to.be.greaterThan(0n);

      // the debt's price rises 5 % at a time until the account is liquidatable
      while (!(await ch.isLiquidatable(who))) {
        prices[c.debt] = (prices[c.debt] * 105n) / 100n;
        await setPrice(f, D, prices[c.debt]);
      }
      es = await model();
      expect(await atlas.riskOf(who)).to.deep.equal([mEquity(es), mMaintenance(es), mInitial(es)]);

      const repay = -(await ch.balanceOf(who, D)) / 50n;
      await deposit(f, dave, D, repay);
      const coll0 = await ch.balanceOf(who, C);
      const seized = mSeized(repay, prices[c.debt], DEC[c.debt], prices[c.coll], DEC[c.coll], 0n);
      const shares0 = await storedAmount(f, who, D);
      const tx = await ch.connect(dave).liquidate(who, D, repay, C, 0);
      const burnt = (await storedAmount(f, who, D)) - shares0;
      await expect(tx).to.emit(ch, "Liquidated").withArgs(who, acctOf(dave), D, repay, burnt, C, seized, 0n);
      expect(await ch.balanceOf(acctOf(dave), C)).to.equal(seized);
      if (c.lent) expect(coll0 - (await ch.balanceOf(who, C))).to.be.within(seized, seized + 2n);
      else expect(await ch.balanceOf(who, C)).to.equal(coll0 - seized);
      es = await model();
      expect(await atlas.riskOf(who)).to.deep.equal([mEquity(es), mMaintenance(es), mInitial(es)]);
    });
  }
});

// The perps part of `npm run demo` (called by demo.ts after the margin story): ETH-PERP and
// BTC-PERP listed next to the spot books, a basis trade (USDC borrowed to buy spot WETH on the
// spot book, ETH-PERP shorted against it) with its portfolio initial requirement beside plain
// cross margin, funding over simulated hours from a pushed book premium, a WETH price shock and
// a perp liquidation by the core (`liquidatePerp`), then every account's ATLAS values (the core's
// riskOf). Every figure
// comes from the contracts; amounts are bigints printed as exact decimals.
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import type { AtlasLens, Clearinghouse, MockERC20 } from "../types/ethers-contracts/index.js";
import type { PerpMarket } from "./lib/market.ts";
import { createPerpMarket } from "./lib/deploy-perp.ts";
import type { Margin } from "./lib/deploy-margin.ts";
import type { Protocol } from "./lib/deploy.ts";
import { Side, OrderKind, placeOp, accountId, type OrderParams } from "../sdk/src/math/order.ts";
import { priceToTick, sizeToLots, amountToAtoms } from "../sdk/src/math/units.ts";
import { formatUnits, groupThousands, ratioToDecimal, renderTable, type MarketUnits } from "./lib/report.ts";
import { renderBook, renderTrades, type MarketView } from "./lib/report-book.ts";
import { usdText } from "./lib/report-margin.ts";

const WAD = 10n ** 18n;
type Named = Signer & { address: string };

export interface PerpStoryContext {
  protocol: Protocol;
  margin: Margin;
  weth: MockERC20;
  wbtc: MockERC20;
  usdc: MockERC20;
  /** The spot WETH/USDC book (the basis trade buys there). */
  ethSpot: MarketView;
  /** Oracle prices (WAD) by token address; pushAll pushes them all again. */
  prices: Map<string, bigint>;
  pushAll: () => Promise<void>;
  increaseTime: (seconds: number) => Promise<void>;
  /** Maker on the spot book (posts the WETH the basis trader buys). */
  spotMaker: Named;
  perpMaker: Named;
  basis: Named;
  long: Named;
  btcLong: Named;
  liquidator: Named;
  /** Every account of the whole demo, for the final table. */
  everyone: Named[];
  nameOf: (owner: string) => string;
  section: (title: string) => void;
  send: (label: string, tx: Promise<ContractTransactionResponse>) => Promise<TransactionReceipt>;
  mined: (label: string, tx: Promise<ContractTransactionResponse>) => Promise<TransactionReceipt>;
}

const acct = (s: Named) => accountId(s.address as `0x${string}`);
const usdc = (atoms: bigint) => groupThousands(formatUnits(atoms, 6));
const signed = (text: string) => (text.startsWith("-") ? text : `+${text}`);
const usdcSigned = (atoms: bigint) => signed(usdc(atoms));
const bps = (n: bigint) => `${ratioToDecimal(n, 100n)}%`;
const ppmPercent = (ppm: bigint) => `${ratioToDecimal(ppm, 10_000n, 4)}%`;

export async function perpStory(c: PerpStoryContext): Promise<void> {
  const { protocol, margin, section, send, mined, nameOf } = c;
  const ch = protocol.clearinghouse;
  // ATLAS is the core's valuation: riskOf and maintenanceValue are the Clearinghouse's views
  const atlas: Clearinghouse = margin.atlas;
  const lens: AtlasLens = margin.lens;
  // the core holds every feed too: setFeed, pushPrice and price are its functions
  const oracle: Clearinghouse = margin.oracle;
  const [W, B, U] = await Promise.all([c.weth.getAddress(), c.wbtc.getAddress(), c.usdc.getAddress()]);
  const chAddr = await ch.getAddress();

  // WETH left the margin story at its shocked price: back to $3,000, with the stable price
  // following at most 5% an hour (admin feeds go stale after an hour, so each hour re-pushes).
  c.prices.set(W, 3_000n * WAD);
  for (let h = 0; h < 6; h++) {
    await c.increaseTime(3_600);
    await c.pushAll();
  }

  // ---- listing: each perp market a market id in the core, as the spot books
  const list = async (underlying: string, lotSize: bigint, sym: string, dec: number): Promise<MarketView> => {
    const contract = await createPerpMarket(protocol, {
      underlying,
      quote: U,
      lotSize,
      tickSize: 10n,
      makerFeeBps: 0n,
      takerFeeBps: 5n,
    });
    const units: MarketUnits = { lotSize, tickSize: 10n, baseDecimals: dec, quoteDecimals: 6 };
    return { name: `${sym}-PERP`, base: sym, quote: "USDC", contract, units };
  };
  const ethPerp = await list(W, 10n ** 15n, "ETH", 18);
  const btcPerp = await list(B, 10n ** 4n, "BTC", 8);
  const perp = (m: MarketView): PerpMarket => m.contract;
  const perps = [ethPerp, btcPerp];

  section("Perpetual markets");
  const rows: string[][] = [];
  for (const m of perps) {
    const p = await perp(m).perpParams();
    rows.push([
      m.name,
      `${ratioToDecimal(p.lotSize, m.base === "ETH" ? WAD : 10n ** 8n)} ${m.base}`,
      `${ratioToDecimal(p.tickSize * (m.base === "ETH" ? WAD : 10n ** 8n), p.lotSize * 10n ** 6n)} USDC`,
      `${p.makerFeeBps} / ${p.takerFeeBps} bps`,
      `±${bps(BigInt(p.maxPremiumBps))}`,
      `${ppmPercent(BigInt(p.interestPpmPerHour))}/h, clamp ±${ppmPercent(BigInt(p.fundingClampPpm))}`,
      `${bps(BigInt(p.liquidityBps))} / ${bps(BigInt(p.basisBps))} / ${bps(BigInt(p.floorBps))}`,
      String(perp(m).marketId),
    ]);
  }
  console.log(
    renderTable(
      ["market", "lot", "price step", "maker/taker", "premium bound", "interest, clamp", "liquidity/basis/floor", "market id"],
      rows,
    ),
  );
  console.log(
    `Cash-settled in USDC against the oracle index; both books live in the core (${chAddr}), which also liquidates them (liquidatePerp).`,
  );

  // ---- funding the perp accounts
  const deposit = async (who: Named, t: MockERC20, atoms: bigint) => {
    await mined("mint", t.mint(who.address, atoms));
    await mined("approve", t.connect(who).approve(chAddr, atoms));
    await mined("deposit", ch.connect(who).deposit(await t.getAddress(), 0, atoms));
  };
  const U6 = (s: string) => amountToAtoms(s, 6);
  await deposit(c.perpMaker, c.usdc, U6("5000000"));
  await deposit(c.basis, c.usdc, U6("6000"));
  await deposit(c.long, c.usdc, U6("10000"));
  await deposit(c.btcLong, c.usdc, U6("10000"));
  await deposit(c.liquidator, c.usdc, U6("200000"));

  const word = (m: MarketView, side: "bid" | "ask", price: string, size: string, extra: Partial<OrderParams> = {}) =>
    placeOp({
      side: side === "bid" ? Side.Bid : Side.Ask,
      tick: priceToTick(price, m.units),
      lots: sizeToLots(size, m.units),
      ...extra,
    });
  const quote = async (m: MarketView, quotes: [side: "bid" | "ask", price: string, size: string][]) => {
    const ops = quotes.map(([s, p, z]) => word(m, s, p, z, { kind: OrderKind.PostOnly }));
    await send(
      `batch: ${ops.length} post-only quotes on ${m.name} (maker P)`,
      m.contract.connect(c.perpMaker).batch(c.perpMaker.address, 0, ops),
    );
  };
  await quote(ethPerp, [
    ["bid", "2999.5", "20"],
    ["bid", "2999", "20"],
    ["ask", "3000.5", "20"],
    ["ask", "3001", "20"],
  ]);
  await quote(btcPerp, [
    ["bid", "59990", "1"],
    ["bid", "59980", "1"],
    ["ask", "60010", "1"],
    ["ask", "60020", "1"],
  ]);

  // ---- the basis trade: borrow USDC, buy spot WETH, short ETH-PERP
  const makerNote = "maker A offers 10 WETH on the spot book at 3,000.50";
  await send(
    "spot ask 10 WETH at 3000.50 (maker A)",
    c.ethSpot.contract.connect(c.spotMaker).placeOrder(word(c.ethSpot, "ask", "3000.5", "10")),
  );
  await send("setBorrowPolicy: orders may borrow (henry)", ch.connect(c.basis).setBorrowPolicy(0, true, false));
  const spotBuy = await send(
    "spot IOC buy 10 WETH, limit 3000.50, paid with borrowed USDC (henry)",
    c.ethSpot.contract.connect(c.basis).placeOrder(word(c.ethSpot, "bid", "3000.5", "10", { kind: OrderKind.Ioc })),
  );
  await send("sweep (henry)", c.ethSpot.contract.sweep(c.basis.address, 0));
  const perpShort = await send(
    "perp IOC sell 10 ETH-PERP, limit 2999.50 (henry)",
    ethPerp.contract.connect(c.basis).placeOrder(word(ethPerp, "ask", "2999.5", "10", { kind: OrderKind.Ioc })),
  );
  // the directional traders
  const longBuy = await send(
    "perp IOC buy 15 ETH-PERP, limit 3001 (ivy)",
    ethPerp.contract.connect(c.long).placeOrder(word(ethPerp, "bid", "3001", "15", { kind: OrderKind.Ioc })),
  );
  const btcBuy = await send(
    "perp IOC buy 0.5 BTC-PERP, limit 60010 (kim)",
    btcPerp.contract.connect(c.btcLong).placeOrder(word(btcPerp, "bid", "60010", "0.5", { kind: OrderKind.Ioc })),
  );

  const nobody = () => "maker P";
  section("Basis trade: long spot WETH with borrowed USDC, short ETH-PERP");
  console.log(makerNote);
  for (const [m, r] of [
    [c.ethSpot, spotBuy],
    [ethPerp, perpShort],
  ] as const) {
    console.log(renderTrades(m, r.logs, nameOf, m === ethPerp ? nobody : () => "maker A").join("\n"));
  }
  const [wethHeld, usdcBal] = [await ch.balanceOf(acct(c.basis), W), await ch.balanceOf(acct(c.basis), U)];
  console.log(
    `henry now holds ${groupThousands(formatUnits(wethHeld, 18))} WETH and a USDC balance of ${usdc(usdcBal)} ` +
      `(6,000 deposited, the rest borrowed from the USDC pool),\nand is short ${-(await perp(ethPerp).positionOf(acct(c.basis)))[0]} lots (10 ETH) of ETH-PERP.`,
  );
  const reqRows: string[][] = [];
  for (const who of [c.basis, c.long, c.btcLong]) {
    const [portfolio, cross] = await lens.marginRequirements(acct(who));
    const r = await atlas.riskOf(acct(who));
    reqRows.push([
      nameOf(who.address),
      usdText(r.equityWad),
      usdText(portfolio),
      usdText(cross),
      usdText(cross - portfolio),
      cross > 0n ? `${ratioToDecimal(((cross - portfolio) * 10_000n) / cross, 100n)}%` : "-",
      cross > 0n ? `${ratioToDecimal((portfolio * 10_000n) / cross, 100n)}%` : "-",
    ]);
  }
  console.log(
    "\nInitial margin requirement (USD), from AtlasLens.marginRequirements:\n" +
      renderTable(
        ["account", "equity", "portfolio (ATLAS)", "cross margin", "saving", "saving %", "share of cross"],
        reqRows,
        ["left", "right", "right", "right", "right", "right", "right"],
      ),
  );
  console.log(
    "Portfolio margin nets henry's spot WETH against his short perp (charging a basis add-on instead);\n" +
      "cross margin charges each leg on its own. The directional accounts have nothing to net.\n" +
      "henry put in more than he needs (his USDC leg's shock counts); at exactly the initial requirement\n" +
      "(docs/RISK.md, \"Stress account\": 10 ETH a leg at $2,000) the hedge needs 5.63% of cross margin\n" +
      "initially and 5.61% for maintenance, with the basis charge 1.15% and the premium clamp 0.75%.",
  );

  section("Perp books after the opening trades");
  for (const m of perps) console.log(`${m.name}\n${await renderBook(m)}\n`);
  console.log(renderTrades(ethPerp, longBuy.logs, nameOf, nobody).join("\n"));
  console.log(renderTrades(btcPerp, btcBuy.logs, nameOf, nobody).join("\n"));

  // ---- funding: maker P leans its ETH-PERP quotes 0.1% over the index, then hours pass
  section("Funding over eight hours");
  const ethP = perp(ethPerp);
  for (const id of (await ethPerp.contract.openOrders(c.perpMaker.address, 0, 0n, 0n))[0] /* one page: a handful of quotes */) {
    await send("cancel ETH-PERP quote (maker P)", ethPerp.contract.connect(c.perpMaker).cancelOrder(id));
  }
  await quote(ethPerp, [
    ["bid", "3002.5", "20"],
    ["ask", "3003.5", "20"],
  ]);
  // the mark's premium moves toward the book's impact premium at most 83 ppm a second (a 60 s
  // half-life): a minute on, the maker's next quote re-samples and the rate follows the book
  await c.increaseTime(61);
  await c.pushAll();
  await quote(ethPerp, [["bid", "2995", "1"]]);
  const holders = [c.basis, c.long, c.perpMaker];
  const fundRows: string[][] = [];
  const fundingRow = async (label: string) => {
    const [cumulative, rate, , premium] = await ethP.funding();
    const [indexLot, markLot] = await ethP.markPrice();
    const perEth = (lotWad: bigint) => usdText((lotWad * 1_000n) / 10n ** 6n); // per lot → per ETH, atoms → USD
    const owed = await Promise.all(holders.map(async (h) => (await ethP.positionOf(acct(h)))[3]));
    fundRows.push([
      label,
      perEth(indexLot),
      perEth(markLot),
      ppmPercent(premium),
      `${ppmPercent(rate)}/h`,
      groupThousands(cumulative.toString()),
      ...owed.map((o) => usdcSigned(-o)),
    ]);
  };
  await fundingRow("quotes moved up");
  for (let h = 1; h <= 8; h++) {
    await c.increaseTime(3_600);
    await c.pushAll();
    if (h % 2 === 0) await fundingRow(`${h} h later`);
  }
  console.log(
    renderTable(
      [
        "moment",
        "index (USD/ETH)",
        "mark",
        "premium",
        "rate",
        "cumulative (atoms×1e9/lot)",
        "henry (short 10)",
        "ivy (long 15)",
        "maker P (short 5)",
      ],
      fundRows,
      ["left", "right", "right", "right", "right", "right", "right", "right", "right"],
    ),
  );
  console.log(
    "Signed USDC each account has received (+) or owes (−) since its last settlement; the book's bids sit\n" +
      "over the index (its impact premium), so longs pay shorts. Settling moves it into the Clearinghouse balance:",
  );
  const settleRows: string[][] = [];
  for (const h of [...holders, c.btcLong]) {
    for (const m of perps) {
      const [size, , , owed] = await perp(m).positionOf(acct(h));
      if (size === 0n) continue;
      const before = await ch.balanceOf(acct(h), U);
      await mined("settle", perp(m).settle(h.address, 0));
      const after = await ch.balanceOf(acct(h), U);
      settleRows.push([nameOf(h.address), m.name, String(size), usdcSigned(-owed), usdcSigned(after - before)]);
    }
  }
  console.log(
    renderTable(["account", "market", "position (lots)", "funding before settle", "USDC balance change"], settleRows, [
      "left",
      "left",
      "right",
      "right",
      "right",
    ]),
  );
  for (const m of perps) {
    const [oi, paid, received] = await perp(m).openInterest();
    console.log(
      `${m.name}: open interest ${oi} lots; funding paid ${usdc(paid)} USDC, received ${usdc(received)} USDC ` +
        `(payers round up: the difference is dust left in the market)`,
    );
  }

  // ---- price shock and liquidation
  section("Price shock and perp liquidation");
  const ivy = acct(c.long);
  const shockRows: string[][] = [];
  const riskLine = async (label: string) => {
    const r = await atlas.riskOf(ivy);
    const [size] = await ethP.positionOf(ivy);
    shockRows.push([
      label,
      usdText(c.prices.get(W)!),
      String(size),
      usdText(r.equityWad),
      usdText(r.maintenanceWad),
      usdText(r.initialWad),
      r.maintenanceWad < 0n ? "yes" : "no",
    ]);
  };
  await riskLine("before");
  // WETH falls in 1% steps (whole dollars) until ivy's maintenance value is negative; maker P
  // re-centres its ETH-PERP quotes on the new index each step, so the mark follows the book.
  const requote = async () => {
    for (const id of (await ethPerp.contract.openOrders(c.perpMaker.address, 0, 0n, 0n))[0] /* one page: a handful of quotes */) {
      await mined("cancel", ethPerp.contract.connect(c.perpMaker).cancelOrder(id));
    }
    const dollars = c.prices.get(W)! / WAD;
    const ops = [
      word(ethPerp, "bid", `${dollars - 1n}.5`, "20", { kind: OrderKind.PostOnly }),
      word(ethPerp, "ask", `${dollars}.5`, "20", { kind: OrderKind.PostOnly }),
    ];
    await mined("requote", ethPerp.contract.connect(c.perpMaker).batch(c.perpMaker.address, 0, ops));
  };
  while ((await atlas.maintenanceValue(ivy)) >= 0n) {
    const p = (c.prices.get(W)! * 99n) / 100n;
    c.prices.set(W, (p / WAD) * WAD);
    await mined("pushPrice", oracle.pushPrice(W, c.prices.get(W)!));
    await requote();
  }
  await riskLine("WETH shock");
  const [ramp] = await ch.liquidationParams();
  await send("flagLiquidatable (liam starts the auction clock)", ch.connect(c.liquidator).flagLiquidatable(ivy));
  await c.increaseTime(Number(ramp) / 2);
  await c.pushAll();
  const fits = (lots: bigint) =>
    ch
      .connect(c.liquidator)
      .liquidatePerp.staticCall(ethP.marketId, ivy, lots, 0, false)
      .then(() => true)
      .catch((e: unknown) => {
        lastError = e;
        return false;
      });
  let lastError: unknown;
  let [lo, hi] = [0n, (await ethP.positionOf(ivy))[0]];
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (await fits(mid)) lo = mid;
    else hi = mid - 1n;
  }
  if (lo === 0n) throw lastError;
  const [indexLot, markLot] = await ethP.markPrice();
  const liq = await send(
    "liquidatePerp ETH-PERP (liam)",
    ch.connect(c.liquidator).liquidatePerp(ethP.marketId, ivy, lo, 0, false),
  );
  await riskLine("after liquidation");
  console.log(
    renderTable(
      ["moment", "WETH (USD)", "ivy ETH-PERP lots", "equity", "maintenance value", "initial value", "liquidatable"],
      shockRows,
      ["left", "right", "right", "right", "right", "right", "left"],
    ),
  );
  for (const log of liq.logs) {
    const parsed = ch.interface.parseLog(log);
    if (parsed?.name !== "PositionLiquidated" || parsed.args.marketId !== ethP.marketId) continue;
    const { lots, priceAtoms, discountBps } = parsed.args;
    const perEthAtoms = (atomsPerLot: bigint) => usdc((atomsPerLot * 1_000n) / 1n); // 1,000 lots per ETH
    const markPerLot = markLot / WAD;
    console.log(
      `liam took over ${lots} lots (${groupThousands(formatUnits(lots * 10n ** 15n, 18))} ETH) of ivy's long at ` +
        `${perEthAtoms(priceAtoms)} USDC/ETH: the mark ${perEthAtoms(markPerLot)} ` +
        `(index ${perEthAtoms(indexLot / WAD)}) less a ${discountBps} bps discount,\n` +
        `reached ${Number(ramp) / 2} s into the ${ramp} s ramp. liam's gain at the mark: ` +
        `${usdc((markPerLot - priceAtoms) * lots)} USDC. The most lots the liquidator accepted (bisection on ` +
        `eth_call) were taken: more would\nlift ivy's maintenance value past the buffer above zero.`,
    );
  }

  // ---- every account
  section("Every account as ATLAS values it now (the core's riskOf, USD)");
  await c.pushAll();
  const finalRows: string[][] = [];
  for (const s of c.everyone) {
    const r = await atlas.riskOf(acct(s));
    finalRows.push([nameOf(s.address), usdText(r.equityWad), usdText(r.maintenanceWad), usdText(r.initialWad)]);
  }
  console.log(
    renderTable(["account", "equity", "maintenance value", "initial value"], finalRows, [
      "left",
      "right",
      "right",
      "right",
    ]),
  );
  console.log("maintenance value < 0: liquidatable; initial value < 0: may not add risk.");
}

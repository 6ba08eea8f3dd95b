// `npm run demo`: the venue end to end on an in-process chain. Two spot markets (WETH/USDC and
// WBTC/USDC: tokens of 18, 8 and 6 decimals), two market makers quoting ladders in one batch
// each, takers sweeping levels, cancels, an amend and a cancel-replace, then a report of the
// books, fills, fees, balances and gas. Then margin: lending pools whose rates move with
// utilisation, a margin buy of WETH with borrowed USDC, a month of interest, a price shock, the
// account's ATLAS risk (the core's riskOf) along the way, a partial liquidation at a Dutch-auction discount and the
// pools' books. Every amount is a bigint; prices and sizes print as exact decimals converted
// from ticks and lots, rates as exact percentages.
import { network } from "hardhat";
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import { deployProtocol, deployToken, createSpotMarket, tickSizeForDecimalPrice, type Protocol } from "./lib/deploy.ts";
import type { MockERC20 } from "../types/ethers-contracts/index.js";
import {
  Side,
  OrderKind,
  placeOp,
  cancelOp,
  decodeOrderId,
  accountId,
  type OrderParams,
} from "../sdk/src/math/order.ts";
import { priceToTick, sizeToLots, amountToAtoms } from "../sdk/src/math/units.ts";
import { decodePlacedInfo } from "../sdk/src/math/events.ts";
import {
  formatUnits,
  groupThousands,
  ratioToDecimal,
  renderTable,
  lotsToSize,
  tickToPrice,
  priceText,
  sizeText,
} from "./lib/report.ts";
import { renderBook, renderTrades, type MarketView } from "./lib/report-book.ts";
import { deployMargin, type Margin } from "./lib/deploy-margin.ts";
import { perpStory } from "./demo-perp.ts";
import {
  rateRow,
  renderRates,
  riskRow,
  renderRisk,
  poolRow,
  renderPools,
  usdText,
  percentOfWad,
} from "./lib/report-margin.ts";

const started = Date.now();
const { ethers, networkHelpers } = await network.create();
const [admin, mmA, mmB, alice, bob, carol, grace, erin, frank, mmP, henry, ivy, kim, liam] = await ethers.getSigners();
const names = new Map<string, string>([
  [mmA.address, "maker A"],
  [mmB.address, "maker B"],
  [alice.address, "alice"],
  [bob.address, "bob"],
  [carol.address, "carol"],
  [grace.address, "grace"],
  [erin.address, "erin"],
  [frank.address, "frank"],
  [mmP.address, "maker P"],
  [henry.address, "henry"],
  [ivy.address, "ivy"],
  [kim.address, "kim"],
  [liam.address, "liam"],
]);
const nameOf = (owner: string) => names.get(owner) ?? owner;
const traders = [mmA, mmB, alice, bob];

const section = (title: string) => console.log(`\n=== ${title} ${"=".repeat(Math.max(0, 86 - title.length))}`);

// ---------------------------------------------------------------- gas bookkeeping
const gasRows: string[][] = [];
/** Gas of repeated operations (deposits, sweeps), shown as one row each: count, least, most. */
const gasGroups = new Map<string, bigint[]>();
async function mined(label: string, tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`${label} failed`);
  return receipt;
}
async function send(label: string, tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await mined(label, tx);
  gasRows.push([label, groupThousands(receipt.gasUsed.toString())]);
  return receipt;
}
async function sendGrouped(group: string, tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await mined(group, tx);
  gasGroups.set(group, [...(gasGroups.get(group) ?? []), receipt.gasUsed]);
  return receipt;
}
function groupedGasRows(): string[][] {
  return [...gasGroups].map(([label, gas]) => {
    const sorted = [...gas].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const [lo, hi] = [sorted[0], sorted[sorted.length - 1]];
    const range =
      lo === hi ? groupThousands(lo.toString()) : `${groupThousands(lo.toString())} – ${groupThousands(hi.toString())}`;
    return [`${label} (×${gas.length})`, range];
  });
}

// ---------------------------------------------------------------- deployment and listing
const protocol: Protocol = await deployProtocol(admin);
const ch = protocol.clearinghouse;
const weth = await deployToken(admin, "Wrapped Ether", "WETH", 18);
const wbtc = await deployToken(admin, "Wrapped Bitcoin", "WBTC", 8);
const usdc = await deployToken(admin, "USD Coin", "USDC", 6);
const tokens: [MockERC20, string, number][] = [
  [weth, "WETH", 18],
  [wbtc, "WBTC", 8],
  [usdc, "USDC", 6],
];

/** A spot market: a market id in the core (`createSpotMarket` returns the core bound to it). */
async function listMarket(
  base: MockERC20,
  baseSym: string,
  baseDec: number,
  lotSize: bigint,
  tickSize: bigint,
  makerFeeBps: bigint,
): Promise<MarketView> {
  const contract = await createSpotMarket(protocol, {
    base: await base.getAddress(),
    quote: await usdc.getAddress(),
    lotSize,
    tickSize,
    minLots: 1n,
    makerFeeBps,
    takerFeeBps: 5n,
    maxMakerFeeBps: 2n,
  });
  return {
    name: `${baseSym}/USDC`,
    base: baseSym,
    quote: "USDC",
    contract,
    units: { lotSize, tickSize, baseDecimals: baseDec, quoteDecimals: 6 },
  };
}
// WETH: 0.001 WETH lots. WBTC: 0.0001 WBTC lots, maker rebate. Tick sizes by price: the finest
// power-of-ten step whose last tick quotes 10× the price ($0.01 at $3,000, $0.10 at $60,000).
const ethMkt = await listMarket(weth, "WETH", 18, 10n ** 15n, tickSizeForDecimalPrice("3000", 10n ** 15n, 18, 6), 1n);
const btcMkt = await listMarket(wbtc, "WBTC", 8, 10n ** 4n, tickSizeForDecimalPrice("60000", 10n ** 4n, 8, 6), -1n);
const markets = [ethMkt, btcMkt];

section("Markets");
const marketRows = await Promise.all(
  markets.map(async (m) => {
    const [maker, taker] = await m.contract.marketState();
    return [
      m.name,
      `${lotsToSize(1n, m.units)} ${m.base}`,
      `${tickToPrice(1n, m.units)} ${m.quote}`,
      `${maker} bps${maker < 0n ? " (rebate)" : ""}`,
      `${taker} bps`,
      String(m.contract.marketId),
    ];
  }),
);
console.log(renderTable(["market", "lot", "price step", "maker fee", "taker fee", "market id"], marketRows));
console.log(`Every book lives in the one core, the Clearinghouse at ${await ch.getAddress()}, by market id.`);

// ---------------------------------------------------------------- funding
const deposits: Record<string, string> = { WETH: "100", WBTC: "5", USDC: "1000000" };
const chAddr = await ch.getAddress();
for (const s of traders) {
  for (const [t, sym, dec] of tokens) {
    const atoms = amountToAtoms(deposits[sym], dec);
    await (await t.mint(s.address, atoms)).wait();
    await (await t.connect(s).approve(chAddr, atoms)).wait();
    await sendGrouped("deposit, each into a new balance slot", ch.connect(s).deposit(await t.getAddress(), 0, atoms));
  }
}
section("Traders funded");
console.log(
  traders.map((s) => nameOf(s.address)).join(", ") +
    ` each deposited ${Object.entries(deposits)
      .map(([k, v]) => `${groupThousands(v)} ${k}`)
      .join(", ")} into sub-account 0`,
);

// ---------------------------------------------------------------- quoting ladders
/** Who placed each order id: fills and cancels name the maker. */
const ownerOfOrder = new Map<bigint, string>();
function recordPlaced(m: MarketView, receipt: TransactionReceipt): bigint[] {
  const ids: bigint[] = [];
  for (const log of receipt.logs) {
    const parsed = m.contract.interface.parseLog(log);
    // every book's events come from the one core: keep this market's (its id is the first topic)
    if (parsed?.name !== "OrderPlaced" || parsed.args.marketId !== m.contract.marketId) continue;
    const id = parsed.args.orderId as bigint;
    ownerOfOrder.set(id, nameOf(decodePlacedInfo(parsed.args.info as bigint).owner));
    ids.push(id);
  }
  return ids;
}
const makerOf = (id: bigint) => ownerOfOrder.get(id) ?? `order ${id}`;

type Quote = [side: "bid" | "ask", price: string, size: string];
function order(m: MarketView, [side, price, size]: Quote, extra: Partial<OrderParams> = {}): bigint {
  return placeOp({
    side: side === "bid" ? Side.Bid : Side.Ask,
    tick: priceToTick(price, m.units),
    lots: sizeToLots(size, m.units),
    ...extra,
  });
}
async function quoteLadder(m: MarketView, who: Signer, quotes: Quote[]): Promise<bigint[]> {
  const ops = quotes.map((q) => order(m, q, { kind: OrderKind.PostOnly }));
  const receipt = await send(
    `batch: ladder of ${ops.length} post-only quotes on ${m.name} (${nameOf(await who.getAddress())})`,
    m.contract.connect(who).batch(await who.getAddress(), 0, ops),
  );
  return recordPlaced(m, receipt);
}

const ladderA = await quoteLadder(ethMkt, mmA, [
  ["bid", "2999.5", "0.5"],
  ["bid", "2999", "1"],
  ["bid", "2998.5", "1.5"],
  ["bid", "2998", "2"],
  ["ask", "3000.5", "0.5"],
  ["ask", "3001", "1"],
  ["ask", "3001.5", "1.5"],
  ["ask", "3002", "2"],
]);
const ladderB = await quoteLadder(ethMkt, mmB, [
  ["bid", "2999.75", "0.4"],
  ["bid", "2999", "0.6"],
  ["bid", "2998.25", "1.2"],
  ["ask", "3000.25", "0.4"],
  ["ask", "3001", "0.6"],
  ["ask", "3001.75", "1.2"],
]);
const btcA = await quoteLadder(btcMkt, mmA, [
  ["bid", "59990", "0.05"],
  ["bid", "59980", "0.05"],
  ["bid", "59970", "0.1"],
  ["ask", "60010", "0.05"],
  ["ask", "60020", "0.05"],
  ["ask", "60030", "0.1"],
]);
const btcB = await quoteLadder(btcMkt, mmB, [
  ["bid", "59995", "0.05"],
  ["bid", "59980", "0.05"],
  ["ask", "60005", "0.05"],
  ["ask", "60020", "0.05"],
]);

section("Books before trading");
for (const m of markets) console.log(`${m.name}\n${await renderBook(m)}\n`);

// ---------------------------------------------------------------- taking
const tradeLogs: string[] = [];
async function take(m: MarketView, who: Signer, label: string, word: bigint): Promise<void> {
  const receipt = await send(`${label} (${nameOf(await who.getAddress())})`, m.contract.connect(who).placeOrder(word));
  recordPlaced(m, receipt);
  tradeLogs.push(...renderTrades(m, receipt.logs, nameOf, makerOf));
}
// alice lifts the WETH offers up to 3001.50: four levels, both makers
await take(
  ethMkt,
  alice,
  "IOC buy 3 WETH, limit 3001.50, sweeps 4 levels",
  order(ethMkt, ["bid", "3001.5", "3"], { kind: OrderKind.Ioc }),
);
// alice sells WBTC at market, no worse than 59975: three bid levels
await take(
  btcMkt,
  alice,
  "market sell 0.12 WBTC, worst 59975, sweeps 3 levels",
  order(btcMkt, ["ask", "59975", "0.12"], { kind: OrderKind.Market }),
);
// bob hits the WETH bids down to 2999; his GTC remainder would rest, but the size is covered
await take(ethMkt, bob, "GTC sell 1.2 WETH at 2999", order(ethMkt, ["ask", "2999", "1.2"]));

// ---------------------------------------------------------------- cancels, amend, cancel-replace
const events: string[][] = [];
function recordChanges(m: MarketView, receipt: TransactionReceipt): void {
  for (const log of receipt.logs) {
    const parsed = m.contract.interface.parseLog(log);
    if (!parsed || !["OrderCancelled", "OrderAmended", "OrderPlaced"].includes(parsed.name)) continue;
    if (parsed.args.marketId !== m.contract.marketId) continue;
    const id = parsed.args.orderId as bigint;
    const { side, tick } = decodeOrderId(id);
    const lots =
      parsed.name === "OrderPlaced"
        ? decodePlacedInfo(parsed.args.info as bigint).lots
        : ((parsed.name === "OrderAmended" ? parsed.args.newLots : parsed.args.lots) as bigint);
    events.push([
      m.name,
      parsed.name.replace("Order", "").toLowerCase(),
      makerOf(id),
      side === Side.Bid ? "bid" : "ask",
      priceText(tick, m.units),
      `${sizeText(lots, m.units)} ${m.base}`,
    ]);
  }
}
// maker B pulls its deepest WETH bid
recordChanges(ethMkt, await send("cancel (maker B)", ethMkt.contract.connect(mmB).cancelOrder(ladderB[2])));
// maker B shrinks its 60020 WBTC offer, keeping its queue place behind maker A
recordChanges(
  btcMkt,
  await send(
    "amend 0.05 -> 0.02 WBTC (maker B)",
    btcMkt.contract.connect(mmB).amendOrder(btcB[3], sizeToLots("0.02", btcMkt.units)),
  ),
);
// maker A moves its partly filled 3001.50 offer to 3001.25 in one batch (cancel-replace)
const replace = await send(
  "batch: cancel-replace 3001.50 -> 3001.25 (maker A)",
  ethMkt.contract.connect(mmA).batch(mmA.address, 0, [cancelOp(ladderA[6]), order(ethMkt, ["ask", "3001.25", "1"])]),
);
recordPlaced(ethMkt, replace);
recordChanges(ethMkt, replace);
// maker A cancels its far WBTC offer
recordChanges(btcMkt, await send("cancel (maker A)", btcMkt.contract.connect(mmA).cancelOrder(btcA[5])));

section("Fills");
console.log(tradeLogs.join("\n\n"));

section("Cancels, amends and replacements");
console.log(
  renderTable(["market", "event", "owner", "side", "price (USDC)", "size"], events, [
    "left",
    "left",
    "left",
    "left",
    "right",
    "right",
  ]),
);

section("Books after");
for (const m of markets) console.log(`${m.name}\n${await renderBook(m)}\n`);

// ---------------------------------------------------------------- sweeping and fees
for (const m of markets) {
  for (const s of traders)
    await sendGrouped("sweep of a pocket's proceeds into the balance", m.contract.sweep(s.address, 0));
}
section("Fees");
const feeRows: string[][] = [];
for (const m of markets) {
  const [, , , accrued] = await m.contract.marketState();
  await send(`collectFees ${m.name}`, m.contract.collectFees());
  feeRows.push([m.name, formatUnits(accrued, 6)]);
}
console.log(renderTable(["market", "fees collected (USDC)"], feeRows, ["left", "right"]));
console.log(`protocol reserve now holds ${formatUnits(await ch.reserveOf(await usdc.getAddress()), 6)} USDC`);

// ---------------------------------------------------------------- balances
section("Balances");
console.log(
  "free = Clearinghouse balance; locked = behind resting orders; unswept = fill proceeds still in a market pocket",
);
const balRows: string[][] = [];
for (const s of traders) {
  for (const [t, sym, dec] of tokens) {
    const free = await ch.balanceOf(accountId(s.address as `0x${string}`), await t.getAddress());
    let locked = 0n;
    let unswept = 0n;
    for (const m of markets) {
      const [lockedBase, lockedQuote, unsweptBase, unsweptQuote] = await m.contract.pocketOf(s.address, 0);
      if (m.base === sym) [locked, unswept] = [locked + lockedBase, unswept + unsweptBase];
      if (m.quote === sym) [locked, unswept] = [locked + lockedQuote, unswept + unsweptQuote];
    }
    const total = free + locked + unswept;
    const change = total - amountToAtoms(deposits[sym], dec);
    balRows.push([
      nameOf(s.address),
      sym,
      groupThousands(formatUnits(free, dec)),
      groupThousands(formatUnits(locked, dec)),
      groupThousands(formatUnits(unswept, dec)),
      groupThousands(formatUnits(total, dec)),
      (change > 0n ? "+" : "") + groupThousands(formatUnits(change, dec)),
    ]);
  }
}
console.log(
  renderTable(["trader", "token", "free", "locked", "unswept", "total", "change"], balRows, [
    "left",
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
  ]),
);

// The vault holds exactly what the accounts, pockets, uncollected fees and reserve add up to.
const vaultRows: string[][] = [];
for (const [t, sym, dec] of tokens) {
  const addr = await t.getAddress();
  let owed = await ch.reserveOf(addr);
  for (const s of traders) owed += await ch.balanceOf(accountId(s.address as `0x${string}`), addr);
  for (const m of markets) {
    if (m.quote === sym) owed += (await m.contract.marketState())[3];
    for (const s of traders) {
      const [lb, lq, ub, uq] = await m.contract.pocketOf(s.address, 0);
      if (m.base === sym) owed += lb + ub;
      if (m.quote === sym) owed += lq + uq;
    }
  }
  const held = await t.balanceOf(chAddr);
  vaultRows.push([
    sym,
    groupThousands(formatUnits(held, dec)),
    groupThousands(formatUnits(owed, dec)),
    held === owed ? "exact" : "MISMATCH",
  ]);
}
section("Vault reconciliation");
console.log(
  renderTable(["token", "held by the Clearinghouse", "Σ balances + pockets + fees + reserve", "check"], vaultRows, [
    "left",
    "right",
    "right",
    "left",
  ]),
);

const marginCtx = await marginStory();
await perpStory({
  protocol,
  margin: marginCtx.margin,
  weth,
  wbtc,
  usdc,
  ethSpot: ethMkt,
  prices: marginCtx.prices,
  pushAll: marginCtx.pushAll,
  increaseTime: async (seconds) => {
    await networkHelpers.time.increase(seconds);
  },
  spotMaker: mmA,
  perpMaker: mmP,
  basis: henry,
  long: ivy,
  btcLong: kim,
  liquidator: liam,
  everyone: [mmA, mmB, alice, bob, carol, grace, erin, frank, mmP, henry, ivy, kim, liam],
  nameOf,
  section,
  send,
  mined,
});

section("Gas per operation (whole transaction, Ethereum rules)");
console.log(renderTable(["operation", "gas"], [...gasRows, ...groupedGasRows()], ["left", "right"]));
console.log(
  "The ladders rest on ticks this fresh chain never used, so each quote pays for new storage slots;\n" +
    "steady-state figures (warm book, recycled slots) are in `npm run bench` / gas-snapshot.json.",
);
console.log(`\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// ---------------------------------------------------------------- margin
/**
 * Lending pools, a margin buy, interest, a price shock and a partial liquidation. Runs after the
 * spot report (whose vault reconciliation counts idle balances only: lent funds live in pools).
 */
async function marginStory(): Promise<{
  margin: Margin;
  prices: Map<string, bigint>;
  pushAll: () => Promise<void>;
}> {
  const WAD = 10n ** 18n;
  const [W, B, U] = await Promise.all([weth.getAddress(), wbtc.getAddress(), usdc.getAddress()]);
  const usd = (n: bigint) => n * WAD;
  const prices = new Map<string, bigint>([
    [W, usd(3_000n)],
    [B, usd(60_000n)],
    [U, WAD],
  ]);
  // Pool caps (finite, docs/LENDING.md): the default multiples of what the story seeds (carol lends
  // 500,000 USDC, grace 250 WETH: supply caps 4×, borrow caps 2× that); nobody seeds WBTC, whose
  // caps are set to the same dollar size as the USDC pool's (2,000,000 / 1,000,000 at $60,000).
  const assets = [
    { token: W, symbol: "WETH", priceWad: prices.get(W)!, shockBps: 1_000n, slippageBps: 50n, pool: { seedAtoms: 250n * 10n ** 18n } },
    {
      token: B,
      symbol: "WBTC",
      priceWad: prices.get(B)!,
      shockBps: 1_000n,
      slippageBps: 50n,
      pool: { supplyCap: (100n * 10n ** 8n) / 3n, borrowCap: (50n * 10n ** 8n) / 3n },
    },
    { token: U, symbol: "USDC", priceWad: prices.get(U)!, shockBps: 100n, slippageBps: 10n, pool: { seedAtoms: 500_000n * 10n ** 6n } },
  ];
  const margin = await deployMargin(protocol, assets);
  const { lens, oracle, pools } = margin;
  const pushAll = async () => {
    for (const [t, p] of prices) await mined("pushPrice", oracle.pushPrice(t, p));
  };
  const acct = (s: Signer & { address: string }) => accountId(s.address as `0x${string}`);
  const usdcAtoms = (n: string) => amountToAtoms(n, 6);
  const usdcText = (atoms: bigint) => groupThousands(formatUnits(atoms, 6));
  const wethText = (atoms: bigint) => groupThousands(formatUnits(atoms, 18));
  const bpsText = (bps: bigint) => `${percentOfWad(bps * 10n ** 14n)}%`;

  section("Margin: prices and risk parameters");
  const paramRows: string[][] = [];
  for (const a of assets) {
    const pos = await ch.positionOf(acct(admin), a.token);
    const [supplyCap, borrowCap] = await ch.capsOf(a.token);
    const dec = { WETH: 18, WBTC: 8, USDC: 6 }[a.symbol]!;
    const capText = (atoms: bigint) => groupThousands(formatUnits(atoms, dec).replace(/(\.\d{0,2})\d*$/, "$1").replace(/\.$/, ""));
    paramRows.push([
      a.symbol,
      usdText(a.priceWad),
      bpsText(pos.shockBps),
      bpsText(pos.slippageBps),
      bpsText(pos.lentHaircutBps),
      capText(supplyCap),
      capText(borrowCap),
      await pools[a.symbol].getAddress(),
    ]);
  }
  console.log(
    renderTable(
      ["asset", "oracle price (USD)", "shock h", "slippage s", "lent counts", "supply cap", "borrow cap", "lending vault"],
      paramRows,
      ["left", "right", "right", "right", "right", "right", "right", "left"],
    ),
  );
  const [ramp, capShareBps, bufferBps] = await ch.liquidationParams();
  const model = await ch.rateModelOf(U);
  const [initialScaleBps, debtInterestSeconds] = await ch.riskParams();
  console.log(
    `Maintenance values each asset at P·(1 ± h − s·sign) (the worse); initial scales h and s by ` +
      `${ratioToDecimal(initialScaleBps, 10_000n)}× and charges debt ${debtInterestSeconds / 86_400n} days of interest.\n` +
      `Rate model of every pool: ${percentOfWad(model.baseRatePerYearWad)}% a year at no utilisation, ` +
      `+${percentOfWad(model.slope1PerYearWad)}% up to the ${percentOfWad(model.kinkWad)}% kink, ` +
      `+${percentOfWad(model.slope2PerYearWad)}% more at full utilisation; ` +
      `${bpsText(await ch.reserveFactorBpsOf(U))} of interest to the reserve.`,
  );

  // ---- lending: rates move with utilisation
  const fundAndDeposit = async (who: Signer & { address: string }, t: MockERC20, atoms: bigint) => {
    await mined("mint", t.mint(who.address, atoms));
    await mined("approve", t.connect(who).approve(chAddr, atoms));
    await sendGrouped("deposit (margin accounts)", ch.connect(who).deposit(await t.getAddress(), 0, atoms));
  };
  const rates: string[][] = [];
  await fundAndDeposit(carol, usdc, usdcAtoms("500000"));
  await send(
    "setLending USDC on (carol: her 500,000 USDC become pool shares)",
    ch.connect(carol).setLending(U, 0, true),
  );
  rates.push(await rateRow("carol lends 500,000 USDC", { ch, token: U }));
  await fundAndDeposit(grace, weth, amountToAtoms("250", 18));
  await send("setLending WETH on (grace)", ch.connect(grace).setLending(W, 0, true));
  await send(
    "borrow 300,000 USDC (grace, first debt)",
    ch.connect(grace).borrow(U, 0, usdcAtoms("300000"), grace.address),
  );
  rates.push(await rateRow("grace borrows 300,000 USDC against lent WETH", { ch, token: U }));

  // ---- a margin buy: erin's 2 WETH back a 4 WETH buy paid with borrowed USDC
  await fundAndDeposit(erin, weth, amountToAtoms("2", 18));
  await send("setBorrowPolicy: orders may borrow (erin)", ch.connect(erin).setBorrowPolicy(0, true, false));
  const risk: string[][] = [];
  risk.push(await riskRow("2 WETH deposited", ch, lens, acct(erin), W));
  const buy = await send(
    "margin IOC buy 4 WETH, limit 3002, borrowing USDC (erin)",
    ethMkt.contract.connect(erin).placeOrder(order(ethMkt, ["bid", "3002", "4"], { kind: OrderKind.Ioc })),
  );
  await send("sweep (erin)", ethMkt.contract.sweep(erin.address, 0));
  const [held0, debt0] = [await ch.balanceOf(acct(erin), W), -(await ch.balanceOf(acct(erin), U))];
  risk.push(await riskRow("after the margin buy", ch, lens, acct(erin), W));
  rates.push(await rateRow("erin buys 4 WETH on margin", { ch, token: U }));
  await send("borrow 110,000 USDC more (grace)", ch.connect(grace).borrow(U, 0, usdcAtoms("110000"), grace.address));
  rates.push(await rateRow("grace borrows 110,000 more: past the kink", { ch, token: U }));

  // ---- a month passes: interest accrues; the admin feeds went stale, so prices are pushed again
  await networkHelpers.time.increase(30 * 86_400);
  await pushAll();
  const debt30 = -(await ch.balanceOf(acct(erin), U));
  rates.push(await rateRow("30 days later (interest raised borrows)", { ch, token: U }));
  risk.push(await riskRow("30 days later", ch, lens, acct(erin), W));

  // ---- price shock: WETH falls to just below erin's liquidation price (rounded down to $10)
  const liq = await lens.liquidationPrice(acct(erin), W);
  const shocked = (liq / usd(10n)) * usd(10n) - usd(20n);
  prices.set(W, shocked);
  await send("pushPrice WETH (the shock)", oracle.pushPrice(W, shocked));
  risk.push(await riskRow(`WETH drops to ${usdText(shocked)}`, ch, lens, acct(erin), W));

  // ---- liquidation: flag, let the Dutch auction run half its ramp, repay what is allowed
  await fundAndDeposit(frank, usdc, usdcAtoms("50000"));
  await send("flagLiquidatable (frank starts the auction clock)", ch.connect(frank).flagLiquidatable(acct(erin)));
  await networkHelpers.time.increase(Number(ramp) / 2);
  const fits = async (atoms: bigint) =>
    ch
      .connect(frank)
      .liquidate.staticCall(acct(erin), U, atoms, W, 0)
      .then(() => true)
      .catch(() => false);
  let [lo, hi] = [0n, -(await ch.balanceOf(acct(erin), U))];
  while (lo < hi) {
    const mid = hi - (hi - lo) / 2n;
    if (await fits(mid)) lo = mid;
    else hi = mid - 1n;
  }
  const repay = (lo * 99n) / 100n; // a second later the discount is a little larger: stay inside
  const liqReceipt = await send(
    "liquidate: repay USDC, seize WETH (frank)",
    ch.connect(frank).liquidate(acct(erin), U, repay, W, 0),
  );
  risk.push(await riskRow("after the partial liquidation", ch, lens, acct(erin), W));
  rates.push(await rateRow("after the liquidation repaid debt", { ch, token: U }));

  section("Margin buy");
  console.log(renderTrades(ethMkt, buy.logs, nameOf, makerOf).join("\n"));
  console.log(
    `erin then held ${wethText(held0)} WETH and owed ${usdcText(debt0)} USDC ` +
      `(the price plus the taker fee, borrowed from the USDC pool as she paid)`,
  );

  section("erin's account as ATLAS (the core's riskOf) sees it (USD)");
  console.log(renderRisk(risk, "WETH"));
  console.log(
    `interest: erin's debt grew from ${usdcText(debt0)} to ${usdcText(debt30)} USDC in 30 days. ` +
      `The liquidation price holds every other price fixed.`,
  );
  const breakdown = (await lens.assetRisks(acct(erin))).map((a) => [
    a.token === W ? "WETH" : a.token === U ? "USDC" : a.token,
    a.token === W ? wethText(a.adjustedAtoms) : usdcText(a.adjustedAtoms),
    usdText(a.priceWad),
    usdText(a.maintenanceWad),
    usdText(a.initialWad),
  ]);
  console.log(
    "\nper asset now:\n" +
      renderTable(["asset", "adjusted balance", "price", "maintenance value", "initial value"], breakdown, [
        "left",
        "right",
        "right",
        "right",
        "right",
      ]),
  );

  section("Liquidation");
  for (const log of liqReceipt.logs) {
    const parsed = ch.interface.parseLog(log);
    if (parsed?.name !== "Liquidated") continue;
    const { repaidAtoms, seizedAtoms, discountBps } = parsed.args;
    const seizedUsd = (seizedAtoms * shocked) / WAD;
    const repaidUsd = repaidAtoms * 10n ** 12n; // USDC at $1, in WAD
    console.log(
      `frank repaid ${usdcText(repaidAtoms)} USDC of erin's debt and received ${wethText(seizedAtoms)} WETH,\n` +
        `worth ${usdText(seizedUsd)} USD at the oracle price: a discount of ${discountBps} bps ` +
        `(${bpsText(discountBps)}), reached ${Number(ramp) / 2} s into a ${ramp} s ramp that ends at ` +
        `${bpsText(capShareBps)} of WETH's\nshock + slippage (${bpsText((capShareBps * 1_050n) / 10_000n)}). ` +
        `frank's gain: ${usdText(seizedUsd - repaidUsd)} USD. A liquidation may only bring maintenance value\n` +
        `back to at most ${bpsText(bufferBps)} of equity above zero; frank repaid 99% of the most it allowed.`,
    );
  }

  section("Lending rates of the USDC pool (APY if interest compounds every second)");
  console.log(renderRates(rates));

  section("Lending pools (interest accrued to now)");
  console.log(renderPools([await poolRow("USDC", 6, { ch, token: U }), await poolRow("WETH", 18, { ch, token: W })]));
  console.log("share price: whole assets one whole share redeems for; it rises as borrowers pay interest.");
  return { margin, prices, pushAll };
}

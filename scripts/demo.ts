// `npm run demo`: the venue end to end on an in-process chain. Two spot markets (WETH/USDC and
// WBTC/USDC: tokens of 18, 8 and 6 decimals), two market makers quoting ladders in one batch
// each, takers sweeping levels, cancels, an amend and a cancel-replace, then a report of the
// books, fills, fees, balances and gas. Every amount is a bigint; prices and sizes print as
// exact decimals converted from ticks and lots.
import { network } from "hardhat";
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import { deployProtocol, deployToken, createSpotMarket, type Protocol } from "./lib/deploy.ts";
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
  renderTable,
  lotsToSize,
  tickToPrice,
  priceText,
  sizeText,
} from "./lib/report.ts";
import { renderBook, renderTrades, type MarketView } from "./lib/report-book.ts";

const started = Date.now();
const { ethers } = await network.create();
const [admin, mmA, mmB, alice, bob] = await ethers.getSigners();
const names = new Map<string, string>([
  [mmA.address, "maker A"],
  [mmB.address, "maker B"],
  [alice.address, "alice"],
  [bob.address, "bob"],
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
// WETH: 0.001 WETH lots, $0.01 price step. WBTC: 0.0001 WBTC lots, $1 price step, maker rebate.
const ethMkt = await listMarket(weth, "WETH", 18, 10n ** 15n, 10n, 1n);
const btcMkt = await listMarket(wbtc, "WBTC", 8, 10n ** 4n, 100n, -1n);
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
      await m.contract.getAddress(),
    ];
  }),
);
console.log(renderTable(["market", "lot", "price step", "maker fee", "taker fee", "address"], marketRows));

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
    if (parsed?.name !== "OrderPlaced") continue;
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
    const id = parsed.args.orderId as bigint;
    const { side, tick } = decodeOrderId(id);
    const lots =
      parsed.name === "OrderPlaced" ? decodePlacedInfo(parsed.args.info as bigint).lots : (parsed.args[1] as bigint);
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

section("Gas per operation (whole transaction, Ethereum rules)");
console.log(renderTable(["operation", "gas"], [...gasRows, ...groupedGasRows()], ["left", "right"]));
console.log(
  "The ladders rest on ticks this fresh chain never used, so each quote pays for new storage slots;\n" +
    "steady-state figures (warm book, recycled slots) are in `npm run bench` / gas-snapshot.json.",
);
console.log(`\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

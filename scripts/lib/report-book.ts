// Plain-text views of a spot market for the demo: the book and the fills of a Trade event,
// with prices and sizes converted exactly from ticks and lots.
import type { SpotMarket } from "./market.ts";
import { decodeFill } from "../../sdk/src/math/order.ts";
import { decodeTaker, decodeTradeSummary } from "../../sdk/src/math/events.ts";
import {
  type MarketUnits,
  renderTable,
  priceText,
  sizeText,
  tickUnitsToQuote,
  ratioToDecimal,
  groupThousands,
} from "./report.ts";

export interface MarketView {
  name: string;
  base: string;
  quote: string;
  contract: SpotMarket;
  units: MarketUnits;
}

/** Top `depth` levels: asks from the highest shown down to the best, then the bids. */
export async function renderBook(m: MarketView, depth = 8): Promise<string> {
  const [bidTicks, bidLots, askTicks, askLots] = await m.contract.getBook(depth);
  const rows: string[][] = [];
  let cum = 0n;
  const asks = askTicks.map((t, i) => {
    cum += askLots[i];
    return ["ask", priceText(t, m.units), sizeText(askLots[i], m.units), sizeText(cum, m.units)];
  });
  rows.push(...asks.reverse());
  const [bestBid, bestAsk] = [bidTicks[0], askTicks[0]];
  const spread = bestBid !== undefined && bestAsk !== undefined ? priceText(bestAsk - bestBid, m.units) : "-";
  rows.push(["", `spread ${spread}`, "", ""]);
  cum = 0n;
  bidTicks.forEach((t, i) => {
    cum += bidLots[i];
    rows.push(["bid", priceText(t, m.units), sizeText(bidLots[i], m.units), sizeText(cum, m.units)]);
  });
  const headers = ["side", `price (${m.quote})`, `size (${m.base})`, `total (${m.base})`];
  return renderTable(headers, rows, ["left", "right", "right", "right"]);
}

/**
 * The fills of every Trade event in `logs`: one row per maker fill and a summary line with the
 * size, the exact average price, the notional and the taker's fee.
 */
export function renderTrades(
  m: MarketView,
  logs: readonly { topics: readonly string[]; data: string }[],
  nameOf: (owner: string) => string,
  makerOf: (orderId: bigint) => string,
): string[] {
  const out: string[] = [];
  for (const log of logs) {
    const parsed = m.contract.interface.parseLog(log);
    // every book's events come from the one core: keep this market's
    if (parsed?.name !== "Trade" || parsed.args.marketId !== m.contract.marketId) continue;
    const taker = decodeTaker(parsed.args.taker as bigint);
    const sum = decodeTradeSummary(parsed.args.summary as bigint);
    const rows = (parsed.args.fills as bigint[]).map((w) => {
      const f = decodeFill(w);
      return [
        makerOf(f.makerOrderId),
        priceText(f.tick, m.units),
        sizeText(f.lots, m.units),
        groupThousands(tickUnitsToQuote(f.lots * f.tick, m.units)),
      ];
    });
    const side = taker.side === 0n ? "bought" : "sold";
    // average price = notional / size, exact as a ratio (8 digits, "…" if it does not end)
    const avg = ratioToDecimal(
      sum.notionalTicks * m.units.tickSize * 10n ** BigInt(m.units.baseDecimals),
      sum.filledLots * m.units.lotSize * 10n ** BigInt(m.units.quoteDecimals),
      8,
    );
    out.push(
      `${nameOf(taker.owner)} ${side} ${sizeText(sum.filledLots, m.units)} ${m.base} on ${m.name}` +
        ` in ${rows.length} fills, average ${groupThousands(avg)} ${m.quote},` +
        ` notional ${groupThousands(tickUnitsToQuote(sum.notionalTicks, m.units))} ${m.quote},` +
        ` taker fee ${tickUnitsToQuote(sum.takerFeeTicks, m.units)} ${m.quote}\n` +
        renderTable(["maker", `price (${m.quote})`, `size (${m.base})`, `value (${m.quote})`], rows, [
          "left",
          "right",
          "right",
          "right",
        ]),
    );
  }
  return out;
}

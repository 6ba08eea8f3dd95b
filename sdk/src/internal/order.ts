import type { Client } from "viem";
import { OrderInputError } from "../errors/client.ts";
import type { OrderKind, OrderParams, SelfTrade, Side } from "../math/order.ts";
import { priceToTick, sizeToLots, type MarketGrid, type Rounding } from "../math/units.ts";
import { getMarket } from "../actions/market/getMarket.ts";
import type { Address } from "viem";

/** Price and size of an order: integer ticks and lots, or exact decimal strings. */
export type OrderAmount =
  | { tick: bigint; lots: bigint; price?: undefined; size?: undefined }
  | {
      /** Quote units per base unit, e.g. "3000.01"; must sit on the tick grid unless `priceRounding`. */
      price: string;
      /** Base units, e.g. "1.5"; must be a whole number of lots unless `sizeRounding`. */
      size: string;
      priceRounding?: Rounding;
      sizeRounding?: Rounding;
      tick?: undefined;
      lots?: undefined;
    };

/** One order, as the actions take it (the sub-account comes from the action). */
export type OrderInput = OrderAmount & {
  side: Side;
  kind?: OrderKind;
  selfTrade?: SelfTrade;
  /** Most fills this order may take (0 = the market's default cap). */
  maxFills?: bigint;
  /** Unix seconds after which the order may not fill; 0 = none. */
  expiry?: bigint;
  /** Your id for the order (cancel by it); 0 = none. */
  clientOrderId?: bigint;
  /** Perp markets only: the order may only shrink the live position (a spot book rejects it). */
  reduceOnly?: boolean;
};

/** Turns decimal prices and sizes into ticks and lots, reading the grid once if needed. */
export async function resolveOrders(
  client: Client,
  clearinghouse: Address,
  marketId: bigint,
  orders: readonly OrderInput[],
  sub: bigint,
  grid: MarketGrid | undefined,
): Promise<OrderParams[]> {
  const needsGrid = orders.some((o) => o.tick === undefined);
  const g = needsGrid ? (grid ?? (await getMarket(client, { clearinghouse, marketId }))) : undefined;
  return orders.map((o) => {
    let tick: bigint;
    let lots: bigint;
    if (o.tick !== undefined && o.lots !== undefined) {
      tick = o.tick;
      lots = o.lots;
    } else if (o.price !== undefined && o.size !== undefined && g) {
      tick = priceToTick(o.price, g, { rounding: o.priceRounding });
      lots = sizeToLots(o.size, g, { rounding: o.sizeRounding });
    } else {
      throw new OrderInputError("give `tick` and `lots`, or `price` and `size`");
    }
    return {
      side: o.side,
      tick,
      lots,
      kind: o.kind,
      selfTrade: o.selfTrade,
      maxFills: o.maxFills,
      sub,
      expiry: o.expiry,
      clientOrderId: o.clientOrderId,
      reduceOnly: o.reduceOnly,
    };
  });
}

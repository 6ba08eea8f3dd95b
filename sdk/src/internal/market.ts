import type { Address } from "viem";

/** Where a market lives: the core (Clearinghouse), which holds every book, and the market's id there. */
export interface MarketParameters {
  /** The core (Clearinghouse): every market, spot and perp, lives in it. */
  clearinghouse: Address;
  /** The market's id in the core (1, 2, …: the order it was created in; also bits 111..96 of its order ids). */
  marketId: bigint;
}

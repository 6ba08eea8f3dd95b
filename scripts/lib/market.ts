// A market inside the one core, as ethers code addresses it: the core (Clearinghouse) bound to one
// market id. Every core function whose first parameter is `marketId` is offered without it
// (`market.placeOrder(order)` calls `core.placeOrder(marketId, order)`), with ethers' `staticCall`,
// `estimateGas`, `send` and `populateTransaction`; `filters` fill in the market id topic; the
// market's constants read `marketInfo` under the names the per-market contracts had (`INDEX`,
// `BASE`, `QUOTE`, `LOT_SIZE`, `TICK_SIZE`, `MIN_LOTS`, `MAX_MAKER_FEE_BPS`). A perp market's
// `settle`, `positionOf` and `riskOf` are the core's `settlePerp`, `perpPositionOf` and
// `perpRiskOf`. Events, errors and the address are the core's. Shared by tests, demo and bench.
import type { ContractRunner } from "ethers";
import type { Clearinghouse } from "../../types/ethers-contracts/index.js";
import type { TypedContractMethod, TypedContractEvent, TypedDeferredTopicFilter } from "../../types/ethers-contracts/common.js";

/** The market's names for the core's perp functions whose own names mean something else on the core. */
const RENAMED = { settle: "settlePerp", positionOf: "perpPositionOf", riskOf: "perpRiskOf" } as const;
type Renamed = typeof RENAMED;

/** Core functions that take the market id first (checked against the ABI at run time). */
type MarketFn = {
  [K in keyof Clearinghouse]: Clearinghouse[K] extends TypedContractMethod<[marketId: infer _I, ...infer _R], infer _O, infer _S>
    ? K extends "pause" | "setMarketPaused" | "setMarketFees"
      ? never
      : K
    : never;
}[keyof Clearinghouse];

type DropFirst<A extends unknown[]> = A extends [unknown, ...infer R] ? R : never;
type Bound<M> = M extends TypedContractMethod<infer A, infer R, infer S> ? TypedContractMethod<DropFirst<A>, R, S> : never;

type BoundFilters = {
  [E in keyof Clearinghouse["filters"]]: Clearinghouse["filters"][E] extends TypedContractEvent<infer I, infer O, infer OO>
    ? (...args: Partial<DropFirst<I>>) => TypedDeferredTopicFilter<TypedContractEvent<I, O, OO>>
    : never;
};

/** The core bound to one market id. */
export type MarketHandle = Omit<Clearinghouse, MarketFn | keyof Renamed | "connect" | "filters"> & {
  // the renamed ones are left out: the core's own `positionOf(account, token)` and `riskOf(account)`
  // would otherwise overload the market's `positionOf` / `riskOf` (and win destructuring)
  [K in Exclude<MarketFn, keyof Renamed>]: Bound<Clearinghouse[K]>;
} & {
  [K in keyof Renamed]: Bound<Clearinghouse[Renamed[K]]>;
} & {
  readonly marketId: bigint;
  /** The core itself, unbound. */
  readonly core: Clearinghouse;
  readonly filters: BoundFilters;
  connect(runner: ContractRunner | null): MarketHandle;
  INDEX(): Promise<bigint>;
  BASE(): Promise<string>;
  QUOTE(): Promise<string>;
  LOT_SIZE(): Promise<bigint>;
  TICK_SIZE(): Promise<bigint>;
  MIN_LOTS(): Promise<bigint>;
  MAX_MAKER_FEE_BPS(): Promise<bigint>;
  CLEARINGHOUSE(): Promise<string>;
};
export type SpotMarket = MarketHandle;
export type PerpMarket = MarketHandle;

const INFO = {
  BASE: "base",
  QUOTE: "quote",
  LOT_SIZE: "lotSize",
  TICK_SIZE: "tickSize",
  MIN_LOTS: "minLots",
  MAX_MAKER_FEE_BPS: "maxMakerFeeBps",
} as const;

/** Governance's market functions stay the core's own (called with the id, by governance). */
const GOVERNANCE = new Set(["pause", "setMarketPaused", "setMarketFees"]);

/** Names of the core's functions and events whose first parameter is the market id. */
function marketIdFirst(core: Clearinghouse): { fns: Set<string>; events: Set<string> } {
  const fns = new Set<string>();
  const events = new Set<string>();
  core.interface.forEachFunction((f) => {
    if (f.inputs[0]?.name === "marketId" && !GOVERNANCE.has(f.name)) fns.add(f.name);
  });
  core.interface.forEachEvent((e) => {
    if (e.inputs[0]?.name === "marketId") events.add(e.name);
  });
  return { fns, events };
}

/** `core.<name>` with the market id put first, in every form ethers offers a method. */
function bindMethod(core: Clearinghouse, name: string, marketId: bigint) {
  const m = core.getFunction(name);
  const f = (...args: unknown[]) => m(marketId, ...args);
  return Object.assign(f, {
    fragment: m.fragment,
    staticCall: (...args: unknown[]) => m.staticCall(marketId, ...args),
    staticCallResult: (...args: unknown[]) => m.staticCallResult(marketId, ...args),
    send: (...args: unknown[]) => m.send(marketId, ...args),
    estimateGas: (...args: unknown[]) => m.estimateGas(marketId, ...args),
    populateTransaction: (...args: unknown[]) => m.populateTransaction(marketId, ...args),
  });
}

/** Binds `core` to market `marketId`. */
export function marketHandle(core: Clearinghouse, marketId: bigint): MarketHandle {
  const { fns, events } = marketIdFirst(core);
  const filters = new Proxy(core.filters, {
    get(target, prop) {
      const f = Reflect.get(target, prop) as unknown;
      if (typeof prop !== "string" || typeof f !== "function") return f;
      const name = prop.split("(")[0]!;
      if (!events.has(name)) return f;
      return (...args: unknown[]) => (f as (...a: unknown[]) => unknown)(marketId, ...args);
    },
  });
  const handle: object = new Proxy(core, {
    get(target, prop) {
      if (typeof prop === "string") {
        if (prop === "marketId") return marketId;
        if (prop === "core") return target;
        if (prop === "filters") return filters;
        if (prop === "connect") return (runner: ContractRunner | null) => marketHandle(target.connect(runner) as Clearinghouse, marketId);
        if (prop === "INDEX") return async () => marketId;
        if (prop === "CLEARINGHOUSE") return () => target.getAddress();
        if (prop in INFO) {
          const field = INFO[prop as keyof typeof INFO];
          return async () => (await target.marketInfo(marketId))[field];
        }
        const name = (RENAMED as Record<string, string>)[prop] ?? prop;
        if (fns.has(name)) return bindMethod(target, name, marketId);
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return handle as MarketHandle;
}

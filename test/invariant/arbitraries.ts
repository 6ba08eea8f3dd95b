/**
 * What the random suite does, as data: fast-check arbitraries for every action. Actions name
 * orders indirectly ("the k-th live order of this account") and are resolved against the model
 * when they run, so a shrunk sequence stays meaningful.
 */
import fc from "fast-check";
import { MARKETS } from "./chain.ts";

export interface PlaceSpec {
  side: number;
  off: number;
  aggressive: boolean;
  tickErr: number; // 0 none, 1 tick zero, 2 above the last tick
  lots: number;
  kind: number;
  stp: number;
  maxFills: number;
  exp: number; // 0 none, > 0 seconds ahead, <= -1 already passed (-1 = exactly now)
  cid: number;
}

type BatchOpSpec =
  | { k: "place"; o: PlaceSpec }
  | { k: "cancel"; pick: number; stale: boolean }
  | { k: "amend"; pick: number; permille: number }
  | { k: "cid"; pick: number; live: boolean };

export type Action =
  | { t: "place"; a: number; via: number; self: boolean; m: number; o: PlaceSpec }
  | { t: "take"; a: number; m: number; side: number; lots: number; kind: number; stp: number; maxFills: number }
  | { t: "flood"; a: number; m: number; lots: number[] }
  | { t: "batch"; a: number; via: number; m: number; ops: BatchOpSpec[] }
  | { t: "cancel"; a: number; via: number; m: number; pick: number; stale: boolean }
  | { t: "cancelCid"; a: number; via: number; m: number; pick: number; live: boolean }
  | { t: "amend"; a: number; via: number; m: number; pick: number; permille: number }
  | { t: "cancelAll"; a: number; via: number; m: number; drop: boolean }
  | { t: "deposit"; a: number; token: number; units: number }
  | { t: "withdraw"; a: number; agent: boolean; token: number; permille: number }
  | { t: "transfer"; owner: number; token: number; up: boolean; permille: number }
  | { t: "sweep"; caller: number; a: number; m: number }
  | { t: "purge"; caller: number; m: number; n: number; addLive: boolean }
  | { t: "warp"; secs: number }
  | { t: "collect"; m: number }
  | { t: "reserve"; permille: number }
  | { t: "fees"; m: number; maker: number; taker: number }
  | { t: "pause"; all: boolean; m: number; a: number; o: PlaceSpec; pick: number };

// ------------------------------------------------------------------ arbitraries

/** `fc.oneof` over weighted choices: `pick([w, arb], ...)`. */
const pick = <T>(...choices: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
/** True one time in `n`. */
const oneIn = (n: number) => pick([n - 1, fc.constant(false)], [1, fc.constant(true)]);
const int = (min: number, max: number) => fc.integer({ min, max });

const acctArb = int(0, 5); // the six accounts of chain.ts
const mktArb = int(0, MARKETS.length - 1);
/** Who signs a trading action: the owner mostly, its agent sometimes, a stranger rarely. */
const viaArb = pick([85, fc.constant(0)], [12, fc.constant(1)], [3, fc.constant(2)]);
/** A share of something in thousandths; now and then zero or more than all of it. */
const permilleArb = pick([9, int(1, 1000)], [1, int(0, 1200)]);

export const placeArb: fc.Arbitrary<PlaceSpec> = fc.record({
  side: int(0, 1),
  off: int(-5, 5),
  aggressive: pick([7, fc.constant(false)], [3, fc.constant(true)]),
  tickErr: pick([98, fc.constant(0)], [2, int(1, 2)]),
  lots: pick([40, int(1, 5)], [40, int(6, 30)], [15, int(31, 150)], [3, fc.constant(0)]),
  // GTC, post-only, IOC, FOK, market, and now and then an unknown kind
  kind: pick([45, fc.constant(0)], [20, fc.constant(1)], [15, fc.constant(2)], [8, fc.constant(3)], [11, fc.constant(4)], [1, int(5, 7)]),
  stp: pick([98, int(0, 2)], [2, fc.constant(3)]),
  maxFills: pick([85, fc.constant(0)], [13, int(1, 3)], [2, int(129, 255)]),
  exp: pick([70, fc.constant(0)], [25, int(1, 90)], [5, int(-3, -1)]),
  // 65..70 share ring entries with 1..6 (64 entries per account): evictions happen
  cid: pick([6, fc.constant(0)], [4, int(1, 6)], [1, int(65, 70)]),
});

const batchOpArb: fc.Arbitrary<BatchOpSpec> = pick<BatchOpSpec>(
  [5, fc.record({ k: fc.constant("place" as const), o: placeArb })],
  [3, fc.record({ k: fc.constant("cancel" as const), pick: fc.nat(), stale: oneIn(10) })],
  [2, fc.record({ k: fc.constant("amend" as const), pick: fc.nat(), permille: permilleArb })],
  [1, fc.record({ k: fc.constant("cid" as const), pick: fc.nat(), live: oneIn(5).map((b) => !b) })],
);

export const actionArb: fc.Arbitrary<Action> = pick<Action>(
  [34, fc.record({ t: fc.constant("place" as const), a: acctArb, via: viaArb, self: fc.boolean(), m: mktArb, o: placeArb })],
  [
    5,
    fc.record({
      t: fc.constant("take" as const),
      a: acctArb,
      m: mktArb,
      side: int(0, 1),
      lots: int(5, 80),
      kind: fc.constantFrom(2, 3, 4),
      stp: int(0, 2),
      maxFills: pick([4, fc.constant(0)], [1, int(1, 5)]),
    }),
  ],
  [3, fc.record({ t: fc.constant("flood" as const), a: acctArb, m: mktArb, lots: fc.array(int(2, 9), { minLength: 8, maxLength: 24 }) })],
  [8, fc.record({ t: fc.constant("batch" as const), a: acctArb, via: viaArb, m: mktArb, ops: fc.array(batchOpArb, { minLength: 1, maxLength: 6 }) })],
  [10, fc.record({ t: fc.constant("cancel" as const), a: acctArb, via: viaArb, m: mktArb, pick: fc.nat(), stale: oneIn(10) })],
  [3, fc.record({ t: fc.constant("cancelCid" as const), a: acctArb, via: viaArb, m: mktArb, pick: fc.nat(), live: oneIn(5).map((b) => !b) })],
  [5, fc.record({ t: fc.constant("amend" as const), a: acctArb, via: viaArb, m: mktArb, pick: fc.nat(), permille: permilleArb })],
  [1, fc.record({ t: fc.constant("cancelAll" as const), a: acctArb, via: viaArb, m: mktArb, drop: fc.boolean() })],
  [4, fc.record({ t: fc.constant("deposit" as const), a: acctArb, token: int(0, 2), units: pick([19, int(1, 2000)], [1, fc.constant(0)]) })],
  [4, fc.record({ t: fc.constant("withdraw" as const), a: acctArb, agent: oneIn(10), token: int(0, 2), permille: permilleArb })],
  [2, fc.record({ t: fc.constant("transfer" as const), owner: int(0, 1), token: int(0, 2), up: fc.boolean(), permille: permilleArb })],
  [6, fc.record({ t: fc.constant("sweep" as const), caller: int(0, 5), a: acctArb, m: mktArb })],
  [3, fc.record({ t: fc.constant("purge" as const), caller: int(0, 5), m: mktArb, n: int(1, 4), addLive: oneIn(5) })],
  [3, fc.record({ t: fc.constant("warp" as const), secs: int(1, 120) })],
  [2, fc.record({ t: fc.constant("collect" as const), m: mktArb })],
  [1, fc.record({ t: fc.constant("reserve" as const), permille: permilleArb })],
  [1, fc.record({ t: fc.constant("fees" as const), m: mktArb, maker: int(-12, 4), taker: int(0, 12) })],
  [1, fc.record({ t: fc.constant("pause" as const), all: fc.boolean(), m: mktArb, a: acctArb, o: placeArb, pick: fc.nat() })],
);

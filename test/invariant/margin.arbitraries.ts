/**
 * What the lending-and-margin suite does, as data. Actions name accounts by index and amounts
 * as shares of what the chain says at the time (a permille of the balance, of the debt, of
 * Atlas's maxBorrow...), resolved when they run, so a shrunk sequence stays meaningful.
 */
import fc from "fast-check";

/** What a probe tries while prices are stale. */
export type ProbeKind = "borrow" | "withdraw" | "transfer" | "make" | "take" | "deposit" | "repay" | "liquidate" | "lending";

/**
 * How a withdrawal or borrow is sized: a share of Atlas's maxWithdraw / maxBorrow (exact but a
 * costly view: bisection inside), of an estimate from the initial value (cheap, lands on both
 * sides of the margin boundary), or of the balance.
 */
export type Sizing = "max" | "estimate" | "balance";

export type Action =
  | { t: "deposit"; a: number; token: number; units: number; odd: number }
  | { t: "lending"; a: number; token: number; on: boolean }
  | { t: "policy"; a: number; orders: boolean; withdrawals: boolean }
  | { t: "withdraw"; a: number; token: number; permille: number; how: Sizing }
  | { t: "borrow"; a: number; token: number; permille: number; how: Sizing; lever: boolean }
  | { t: "repay"; payer: number; a: number; token: number; permille: number }
  | { t: "transfer"; owner: number; token: number; up: boolean; permille: number }
  | { t: "supply4626"; lender: number; token: number; units: number }
  | { t: "redeem4626"; lender: number; token: number; permille: number }
  | { t: "make"; a: number; side: number; off: number; lots: number }
  /** A margin take pays its whole balance of the paying asset and `lots` more (borrowed). */
  | { t: "take"; a: number; side: number; lots: number; margin: boolean }
  | { t: "cancel"; a: number; pick: number; all: boolean }
  | { t: "sweep"; a: number }
  | { t: "collect" }
  | { t: "warp"; secs: number; drift: number[] }
  | { t: "price"; token: number; move: "small" | "drop" | "rally" | "crash"; permille: number; pick: number }
  | { t: "stale"; secs: number; probes: { a: number; kind: ProbeKind; permille: number }[]; repush: boolean }
  | {
      t: "liquidate";
      pick: number;
      liq: number;
      mode: "bisect" | "random" | "full";
      permille: number;
      coll: number;
      wait: number;
      cancelFirst: boolean;
      sweep: boolean;
    }
  | { t: "badDebt"; a: number; token: number };

/** `fc.oneof` over weighted choices. */
const pick = <T>(...choices: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const int = (min: number, max: number) => fc.integer({ min, max });
const oneIn = (n: number) => pick([n - 1, fc.constant(false)], [1, fc.constant(true)]);

const acct = int(0, 7); // four owners × sub-accounts 0 and 1 (margin.chain.ts)
const token = int(0, 2); // USDC, WBTC, WETH
/** A share in thousandths: mostly up to all of it, now and then more, and often exactly all. */
const permille = pick([6, int(1, 1000)], [2, fc.constant(1000)], [1, int(1001, 1300)]);

const sizing = (max: number, estimate: number, balance: number): fc.Arbitrary<Sizing> =>
  pick<Sizing>([max, fc.constant("max")], [estimate, fc.constant("estimate")], [balance, fc.constant("balance")]);

const probeKind = fc.constantFrom<ProbeKind>("borrow", "withdraw", "transfer", "make", "take", "deposit", "repay", "liquidate", "lending");

export const actionArb: fc.Arbitrary<Action> = pick<Action>(
  [6, fc.record({ t: fc.constant("deposit" as const), a: acct, token, units: pick([3, int(1, 20)], [1, int(21, 400)]), odd: int(0, 999) })],
  [4, fc.record({ t: fc.constant("lending" as const), a: acct, token, on: pick([2, fc.constant(true)], [1, fc.constant(false)]) })],
  [3, fc.record({ t: fc.constant("policy" as const), a: acct, orders: pick([3, fc.constant(true)], [1, fc.constant(false)]), withdrawals: fc.boolean() })],
  [7, fc.record({ t: fc.constant("withdraw" as const), a: acct, token, permille, how: sizing(1, 4, 2) })],
  // `lever`: borrow the asset the account holds least of, so the borrow is all debt
  [12, fc.record({ t: fc.constant("borrow" as const), a: acct, token, permille: pick([2, permille], [3, int(900, 1100)]), how: sizing(1, 6, 0), lever: oneIn(3).map((b) => !b) })],
  [6, fc.record({ t: fc.constant("repay" as const), payer: int(-1, 3), a: acct, token, permille })],
  [3, fc.record({ t: fc.constant("transfer" as const), owner: int(0, 3), token, up: fc.boolean(), permille })],
  [3, fc.record({ t: fc.constant("supply4626" as const), lender: int(0, 1), token, units: int(1, 500) })],
  [3, fc.record({ t: fc.constant("redeem4626" as const), lender: int(0, 1), token, permille })],
  [10, fc.record({ t: fc.constant("make" as const), a: acct, side: int(0, 1), off: int(-3, 25), lots: pick([3, int(1, 300)], [1, int(301, 3000)]) })],
  [9, fc.record({ t: fc.constant("take" as const), a: acct, side: int(0, 1), lots: pick([2, int(1, 500)], [1, int(501, 8000)]), margin: oneIn(2) })],
  [4, fc.record({ t: fc.constant("cancel" as const), a: acct, pick: fc.nat(), all: oneIn(4) })],
  [3, fc.record({ t: fc.constant("sweep" as const), a: acct })],
  [1, fc.record({ t: fc.constant("collect" as const) })],
  [
    5,
    fc.record({
      t: fc.constant("warp" as const),
      secs: pick([3, int(1, 600)], [2, int(601, 3_500)], [1, int(3_601, 30 * 86_400)]),
      drift: fc.array(int(-30, 30), { minLength: 3, maxLength: 3 }),
    }),
  ],
  // `crash`: the largest collateral of an indebted account drops 30–75% (or its largest debt
  // rallies when the collateral is the stablecoin), the move that makes accounts insolvent
  [
    10,
    fc.record({
      t: fc.constant("price" as const),
      token,
      move: pick([5, fc.constant("small" as const)], [3, fc.constant("drop" as const)], [2, fc.constant("rally" as const)], [3, fc.constant("crash" as const)]),
      permille: int(0, 1000),
      pick: fc.nat(),
    }),
  ],
  [
    2,
    fc.record({
      t: fc.constant("stale" as const),
      secs: int(3_601, 3 * 86_400),
      probes: fc.array(fc.record({ a: acct, kind: probeKind, permille: int(1, 1000) }), { minLength: 2, maxLength: 6 }),
      repush: pick([3, fc.constant(true)], [1, fc.constant(false)]),
    }),
  ],
  [
    9,
    fc.record({
      t: fc.constant("liquidate" as const),
      pick: fc.nat(),
      liq: int(0, 7),
      mode: pick([5, fc.constant("bisect" as const)], [2, fc.constant("random" as const)], [3, fc.constant("full" as const)]),
      permille: pick([1, int(1, 1000)], [2, int(500, 1000)]),
      coll: fc.nat(),
      wait: pick([2, fc.constant(0)], [2, int(1, 599)], [1, int(600, 1_200)]),
      cancelFirst: pick([4, fc.constant(true)], [1, fc.constant(false)]),
      sweep: fc.boolean(),
    }),
  ],
  [2, fc.record({ t: fc.constant("badDebt" as const), a: acct, token })],
);

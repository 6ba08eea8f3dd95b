/**
 * What the perps suite does, as data. Accounts, markets and amounts are indices and shares
 * resolved against the chain when the action runs, so a shrunk sequence stays meaningful.
 */
import fc from "fast-check";
import type { Sizing } from "./margin.arbitraries.ts";

export type Action =
  | { t: "deposit"; a: number; token: number; units: number }
  /** A resting GTC order `off` steps of 0.05% from the index (negative: it crosses and takes). */
  | { t: "make"; a: number; m: number; side: number; off: number; lots: number }
  /** An IOC through the book up to 2% from the index; reduce-only caps it at the position. */
  /** `lever`: sized from the account's initial value to 70–120% of what initial margin allows. */
  | { t: "take"; a: number; m: number; side: number; lots: number; reduceOnly: boolean; lever: boolean }
  /** A reduce-only order against the position: IOC, or resting at the touch. */
  | { t: "reduce"; a: number; m: number; permille: number; rest: boolean }
  | { t: "cancel"; a: number; m: number; pick: number; all: boolean }
  | { t: "settle"; a: number; m: number; by: number }
  /** Settles every account on both markets in one second, then checks P2. */
  | { t: "settleAll" }
  | { t: "collect"; m: number }
  | { t: "spotMake"; a: number; side: number; off: number; lots: number }
  | { t: "spotTake"; a: number; side: number; lots: number }
  | { t: "borrow"; a: number; token: number; units: number }
  | { t: "repay"; a: number; token: number; permille: number }
  /**
   * The owner takes funds out: to its wallet, or to its other sub-account (0 ↔ 1). Sized as in
   * the margin suite: a permille of the lens's exact maxWithdraw (now and then exactly it, or above
   * it), of an estimate off the initial value, or of the balance.
   */
  | { t: "withdraw"; a: number; token: number; permille: number; how: Sizing }
  | { t: "transfer"; owner: number; token: number; up: boolean; permille: number; how: Sizing }
  /** A perfect hedge added to an account (P4): spot leg deposited (or borrowed) and an opposite perp leg. */
  | { t: "hedge"; a: number; m: number; lots: number; short: boolean }
  | { t: "warp"; secs: number; drift: number[] }
  /** A price move of one underlying; `against` aims it at one of the largest perp positions on it. */
  | { t: "price"; m: number; permille: number; against: boolean; pick: number; big: boolean }
  | { t: "liquidate"; pick: number; liq: number; m: number; permille: number; withSpot: boolean };

const pick = <T>(...choices: [number, fc.Arbitrary<T>][]) => fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const int = (min: number, max: number) => fc.integer({ min, max });
const acct = int(0, 7);
const mkt = int(0, 1);
const lots = pick([4, int(1, 400)], [3, int(401, 6_000)], [1, int(6_001, 40_000)]);
const permille = pick([3, int(1, 1000)], [1, fc.constant(1000)]);
/** The margin suite's share of a limit: mostly up to all of it, often exactly all, now and then more. */
const outPermille = pick([6, int(1, 1000)], [2, fc.constant(1000)], [1, int(1001, 1300)]);
const sizing = pick<Sizing>([2, fc.constant("max")], [3, fc.constant("estimate")], [1, fc.constant("balance")]);

export const actionArb: fc.Arbitrary<Action> = pick<Action>(
  [4, fc.record({ t: fc.constant("deposit" as const), a: acct, token: int(0, 2), units: int(1, 200) })],
  [16, fc.record({ t: fc.constant("make" as const), a: acct, m: mkt, side: int(0, 1), off: int(-2, 20), lots })],
  [12, fc.record({ t: fc.constant("take" as const), a: acct, m: mkt, side: int(0, 1), lots, reduceOnly: pick([4, fc.constant(false)], [1, fc.constant(true)]), lever: pick([3, fc.constant(false)], [1, fc.constant(true)]) })],
  [4, fc.record({ t: fc.constant("reduce" as const), a: acct, m: mkt, permille, rest: fc.boolean() })],
  [4, fc.record({ t: fc.constant("cancel" as const), a: acct, m: mkt, pick: fc.nat(), all: fc.boolean() })],
  [4, fc.record({ t: fc.constant("settle" as const), a: acct, m: mkt, by: int(0, 3) })],
  [2, fc.record({ t: fc.constant("settleAll" as const) })],
  [1, fc.record({ t: fc.constant("collect" as const), m: mkt })],
  [3, fc.record({ t: fc.constant("spotMake" as const), a: acct, side: int(0, 1), off: int(-1, 10), lots: int(1, 3_000) })],
  [3, fc.record({ t: fc.constant("spotTake" as const), a: acct, side: int(0, 1), lots: int(1, 3_000) })],
  [3, fc.record({ t: fc.constant("borrow" as const), a: acct, token: int(0, 2), units: int(1, 100) })],
  [2, fc.record({ t: fc.constant("repay" as const), a: acct, token: int(0, 2), permille })],
  [4, fc.record({ t: fc.constant("withdraw" as const), a: acct, token: int(0, 2), permille: outPermille, how: sizing })],
  [2, fc.record({ t: fc.constant("transfer" as const), owner: int(0, 3), token: int(0, 2), up: fc.boolean(), permille: outPermille, how: sizing })],
  [4, fc.record({ t: fc.constant("hedge" as const), a: acct, m: mkt, lots: int(1, 5_000), short: fc.boolean() })],
  [4, fc.record({ t: fc.constant("warp" as const), secs: pick([3, int(1, 900)], [2, int(901, 3_599)], [1, int(3_600, 2 * 86_400)]), drift: fc.array(int(-30, 30), { minLength: 3, maxLength: 3 }) })],
  [7, fc.record({ t: fc.constant("price" as const), m: mkt, permille: int(0, 1000), against: pick([1, fc.constant(false)], [2, fc.constant(true)]), pick: fc.nat(), big: pick([1, fc.constant(false)], [1, fc.constant(true)]) })],
  [10, fc.record({ t: fc.constant("liquidate" as const), pick: fc.nat(), liq: int(0, 7), m: mkt, permille: pick([1, int(1, 1000)], [1, fc.constant(1000)]), withSpot: fc.boolean() })],
);

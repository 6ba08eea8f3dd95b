/**
 * The ledger read after every transaction of the lending-and-margin suite, and the invariants
 * that compare it with itself and with the previous read (docs/INVARIANTS.md, "Lending and
 * margin", M1–M3). Everything comes from the chain's own views in one batch of multicalls.
 */
import { AssertionError } from "node:assert";
import {
  ASSETS,
  USDC,
  WETH,
  chIface,
  hex32,
  poolIface,
  spotIface,
  toInt256,
  tokenIface,
  type Call,
  type MarginChain,
  type Read,
} from "./margin.chain.ts";

export interface PoolSnap {
  cash: bigint;
  totalBorrows: bigint;
  totalAssets: bigint;
  reserves: bigint;
  indexWad: bigint;
  supply: bigint;
  borrowShares: bigint;
  /** Supply shares of margin accounts (the supply less the outside lenders' part). */
  chShares: bigint;
  /** convertToAssets of one whole share (10^(decimals + 6) share atoms). */
  unitAssets: bigint;
  /** The pool's cash plus its LendingVault's token balance (the vault holds none between calls). */
  tokenBalance: bigint;
}

export interface Position {
  amount: bigint;
  lent: boolean;
}

export interface Snap {
  vault: bigint[];
  reserve: bigint[];
  pools: PoolSnap[];
  /** [account][token] raw stored balance: atoms idle, supply shares lent, borrow shares owed. */
  pos: Position[][];
  state: bigint[];
  /** [account] lockedBase, lockedQuote, unsweptBase, unsweptQuote (atoms), open orders. */
  pocket: bigint[][];
  fees: bigint;
}

const M64 = (1n << 64n) - 1n;
const balanceOfData = (holder: string) => "0x70a08231" + holder.slice(2).padStart(64, "0");

export function fail(msg: string): never {
  throw new AssertionError({ message: msg });
}

/** Calldata of the ledger reads, built once: pools and market, then per account. */
export interface SnapCalls {
  pools: Call[];
  /** [account] three positionOf and accountState. */
  accounts: Call[][];
  /** [account] pocketOf. */
  pockets: Call[];
}

export function snapCalls(c: MarginChain): SnapCalls {
  const pools: Call[] = [];
  ASSETS.forEach((a, i) => {
    const t = c.tokens[i];
    const p = c.pools[i];
    pools.push({ target: t, data: balanceOfData(c.chAddr) });
    pools.push({ target: t, data: balanceOfData(p) });
    pools.push({ target: c.chAddr, data: chIface.encodeFunctionData("reserveOf", [t]) });
    // the pool's views: the Clearinghouse's, keyed by token
    for (const f of ["cash", "totalBorrows", "supplyAssets", "poolReserves", "borrowIndexWad", "totalSupplyShares", "totalBorrowShares", "lendingSupplyOf"]) {
      pools.push({ target: c.chAddr, data: chIface.encodeFunctionData(f, [t]) });
    }
    pools.push({ target: p, data: poolIface.encodeFunctionData("convertToAssets", [10n ** BigInt(a.decimals + 6)]) });
  });
  pools.push({ target: c.marketAddr, data: spotIface.encodeFunctionData("marketState") });
  const accounts = c.accounts.map((a) => [
    ...c.tokens.map((t) => ({ target: c.chAddr, data: chIface.encodeFunctionData("positionOf", [a.id, t]) })),
    { target: c.chAddr, data: chIface.encodeFunctionData("accountState", [a.id]) },
  ]);
  const pockets = c.accounts.map((a) => ({ target: c.marketAddr, data: spotIface.encodeFunctionData("pocketOf", [a.owner, a.sub]) }));
  return { pools, accounts, pockets };
}

/**
 * What a read covers: accounts whose positions are read again (the rest are taken from the
 * previous read) and whether every pocket is (a market was called). `undefined`: everything.
 */
export interface Scope {
  accounts: number[];
  pockets: boolean;
}

/**
 * Reads the ledger, plus `extra` calls whose results are returned as they are. Pools, vault
 * balances, reserves and market fees are always read; accounts outside `scope` are copied
 * from `prev` (a transaction runs no code for them; every few transactions a full read checks
 * that they indeed did not move).
 */
export async function readSnap(
  c: MarginChain,
  calls: SnapCalls,
  extra: Call[] = [],
  scope?: Scope,
  prev?: Snap,
): Promise<{ snap: Snap; extra: Read[] }> {
  const accts = scope && prev ? scope.accounts : c.accounts.map((_, k) => k);
  const pocketsOf = scope && prev && !scope.pockets ? accts : c.accounts.map((_, k) => k);
  const list = [...calls.pools, ...accts.flatMap((k) => calls.accounts[k]), ...pocketsOf.map((k) => calls.pockets[k]), ...extra];
  const r = await c.read(list);
  let k = 0;
  const next = (): bigint[] => {
    const x = r[k++];
    if (!x.ok) fail(`ledger read ${k - 1} reverted: ${x.error}`);
    return x.words;
  };
  const one = () => next()[0];
  const snap: Snap = {
    vault: [],
    reserve: [],
    pools: [],
    pos: prev ? [...prev.pos] : [],
    state: prev ? [...prev.state] : [],
    pocket: prev ? [...prev.pocket] : [],
    fees: 0n,
  };
  for (let i = 0; i < ASSETS.length; i++) {
    // the Clearinghouse holds the vault's tokens and the pool's cash: the vault's part is the rest
    const held = one();
    const wrapperBalance = one();
    snap.reserve.push(one());
    const cash = one();
    snap.vault.push(held - cash);
    const [totalBorrows, totalAssets, reserves, indexWad, supply, borrowShares] = [one(), one(), one(), one(), one(), one()];
    const [, supplyShares, outsideShares] = next();
    snap.pools.push({
      cash,
      totalBorrows,
      totalAssets,
      reserves,
      indexWad,
      supply,
      borrowShares,
      chShares: supplyShares - outsideShares,
      unitAssets: one(),
      tokenBalance: cash + wrapperBalance,
    });
  }
  snap.fees = next()[3];
  for (const a of accts) {
    const row: Position[] = [];
    for (let i = 0; i < ASSETS.length; i++) {
      // Position(token, decimals, shock, slippage, haircut, pool, amount, lent)
      const w = next();
      row.push({ amount: toInt256(w[6]), lent: w[7] !== 0n });
    }
    snap.pos[a] = row;
    snap.state[a] = one();
  }
  for (const a of pocketsOf) snap.pocket[a] = next().slice(0, 5);
  return { snap, extra: r.slice(k) };
}

export interface DustLog {
  /** Per token: transactions after which the vault held more than it owes, and the largest excess. */
  count: number[];
  max: bigint[];
}

export const newDust = (): DustLog => ({ count: ASSETS.map(() => 0), max: ASSETS.map(() => 0n) });

/** What the vault owes in token i: idle balances, pockets, uncollected fees and the reserve. */
export function vaultOwed(s: Snap, i: number): bigint {
  let owed = s.reserve[i];
  for (let a = 0; a < s.pos.length; a++) {
    const p = s.pos[a][i];
    if (p.amount > 0n && !p.lent) owed += p.amount;
    const [lb, lq, ub, uq] = s.pocket[a];
    if (i === WETH) owed += lb + ub;
    if (i === USDC) owed += lq + uq;
  }
  if (i === USDC) owed += s.fees;
  return owed;
}

/**
 * M1 pools, M2 vault, M3 borrow shares, and the account masks, after one transaction.
 * `writtenOff` lists pools a settleBadDebt of this transaction wrote debt off against: only
 * their share price may fall.
 */
export function checkSnap(s: Snap, prev: Snap, writtenOff: Set<number>, dust: DustLog, tokenById: Map<number, number>) {
  for (let i = 0; i < ASSETS.length; i++) {
    const p = s.pools[i];
    const q = prev.pools[i];
    const sym = ASSETS[i].symbol;
    // M1: exact pool identity, cash held, index monotone, share price monotone
    if (p.cash + p.totalBorrows !== p.totalAssets + p.reserves)
      fail(`M1 ${sym} pool: cash ${p.cash} + borrows ${p.totalBorrows} != totalAssets ${p.totalAssets} + reserves ${p.reserves}`);
    if (p.tokenBalance !== p.cash) fail(`M1 ${sym} pool: token balance ${p.tokenBalance} != cash ${p.cash}`);
    if (p.indexWad < q.indexWad) fail(`M1 ${sym} borrow index fell: ${q.indexWad} -> ${p.indexWad}`);
    if (!writtenOff.has(i)) {
      // (ta + 1) / (supply + 10^6) is the ERC-4626 share price with OZ's virtual offset: compare exactly
      const off = 10n ** 6n;
      if ((p.totalAssets + 1n) * (q.supply + off) < (q.totalAssets + 1n) * (p.supply + off))
        fail(`M1 ${sym} share price fell: (${q.totalAssets}+1)/(${q.supply}+1e6) -> (${p.totalAssets}+1)/(${p.supply}+1e6)`);
      if (p.unitAssets < q.unitAssets) fail(`M1 ${sym} convertToAssets(1 share) fell: ${q.unitAssets} -> ${p.unitAssets}`);
    }
    // M2: the vault holds what it owes; the Clearinghouse's pool shares are the lent balances
    const owed = vaultOwed(s, i);
    const diff = s.vault[i] - owed;
    if (diff < 0n) fail(`M2 vault of ${sym}: holds ${s.vault[i]} < owes ${owed} (short ${-diff})`);
    if (diff > 0n) {
      dust.count[i]++;
      if (diff > dust.max[i]) dust.max[i] = diff;
    }
    let lent = 0n;
    let owedShares = 0n;
    for (const row of s.pos) {
      if (row[i].amount > 0n && row[i].lent) lent += row[i].amount;
      if (row[i].amount < 0n) owedShares += -row[i].amount;
    }
    if (p.chShares !== lent) fail(`M2 ${sym} pool shares of the Clearinghouse ${p.chShares} != Σ lent shares ${lent}`);
    // M3: every borrow share is some account's
    if (p.borrowShares !== owedShares) fail(`M3 ${sym} totalBorrowShares ${p.borrowShares} != Σ accounts' borrow shares ${owedShares}`);
  }
  // the owed mask decides whether a debit is margin-checked: it must be exact; held may lag (lazy)
  for (let a = 0; a < s.pos.length; a++) {
    const held = s.state[a] & M64;
    const owedMask = (s.state[a] >> 64n) & M64;
    for (const [id, i] of tokenById) {
      const amt = s.pos[a][i].amount;
      const bit = 1n << BigInt(id);
      if ((amt < 0n) !== ((owedMask & bit) !== 0n)) fail(`account ${a} ${ASSETS[i].symbol}: owed bit ${(owedMask & bit) !== 0n} but amount ${amt}`);
      if (amt !== 0n && (held & bit) === 0n) fail(`account ${a} ${ASSETS[i].symbol}: amount ${amt} but held bit clear`);
    }
  }
}

/**
 * A reverted transaction changes nothing. Pool views accrue interest up to the block's time, so
 * they are compared only when the previous read was taken in the same second (`sameTime`).
 */
export function checkUnchanged(s: Snap, prev: Snap, sameTime: boolean, label: string) {
  const strip = (x: Snap) =>
    sameTime
      ? x
      : {
          ...x,
          pools: x.pools.map((p) => ({ cash: p.cash, supply: p.supply, borrowShares: p.borrowShares, chShares: p.chShares, tokenBalance: p.tokenBalance })),
        };
  const a = JSON.stringify(strip(s), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  const b = JSON.stringify(strip(prev), (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  if (a !== b) fail(`${label}: reverted but the ledger changed\n    before ${b}\n    after  ${a}`);
}

export const hasDebt = (s: Snap, a: number) => s.pos[a].some((p) => p.amount < 0n);
/** State bit 194: the account has traded on a perp market (perp exposure, a liability like debt). */
export const FLAG_PERP = 1n << 194n;
/**
 * A liability (docs/INVARIANTS.md, S1): debt, or perp exposure. The margin suite lists no perp
 * market, so the flag stays clear here (the perps suite checks it against positions and orders).
 */
export const hasLiability = (s: Snap, a: number) => hasDebt(s, a) || (s.state[a] & FLAG_PERP) !== 0n;

/** Tokens Atlas prices for an account: held assets, and both tokens of a market it has a pocket on. */
export function gatherSet(s: Snap, a: number, tokenById: Map<number, number>): Set<number> {
  const out = new Set<number>();
  const held = s.state[a] & M64;
  for (const [id, i] of tokenById) if (held & (1n << BigInt(id))) out.add(i);
  if ((s.state[a] >> 128n) & M64) {
    out.add(WETH);
    out.add(USDC);
  }
  return out;
}

export { hex32 };

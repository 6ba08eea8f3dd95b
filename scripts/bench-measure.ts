// Per-transaction figures for the gas bench: Ethereum gas, MegaETH gas, new storage slots and
// event bytes, all read back from the in-process chain (receipt, transaction input, trace).
import { pcProfile } from "./lib/pc-profile.ts";
import type { TransactionResponse, TransactionReceipt } from "ethers";
import { profile, profiles } from "./bench-profile.ts";

export interface Figures {
  gas: number;
  megaethGas: number;
  newSlots: number;
  eventBytes: number;
}

/** The fields of a snapshot entry, in the order they are written. */
export const FIELDS = ["gas", "megaethGas", "newSlots", "eventBytes"] as const;

// MegaETH storage gas, charged on top of Ethereum's compute gas (receipt.gasUsed already holds
// Ethereum's own calldata cost, 4/16 per zero/non-zero byte, so nothing is subtracted):
//   megaethGas = gasUsed + 39,000 (per tx)
//              + 3,750 × Σ topics of every log (the signature topic counts)
//              + 80 × Σ data bytes of every log
//              + 40 × zero calldata bytes + 160 × non-zero calldata bytes
const MEGA_PER_TX = 39_000;
const MEGA_PER_TOPIC = 3_750;
const MEGA_PER_LOG_BYTE = 80;
const MEGA_PER_ZERO_BYTE = 40;
const MEGA_PER_NONZERO_BYTE = 160;

/** The in-process network's EIP-1193 provider (Hardhat's `connection.provider`). */
export interface RequestProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

interface PrestateAccount {
  storage?: Record<string, string>;
}
interface PrestateDiff {
  pre: Record<string, PrestateAccount>;
  post: Record<string, PrestateAccount>;
}

/**
 * Storage slots the transaction turned from zero to non-zero. In diff mode `pre` lists the
 * touched slots' old values (absent = zero) and `post` the changed slots' new values.
 */
export async function countNewSlots(provider: RequestProvider, hash: string): Promise<number> {
  const diff = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { tracer: "prestateTracer", tracerConfig: { diffMode: true, disableCode: true } }],
  })) as PrestateDiff;
  let n = 0;
  for (const [addr, acc] of Object.entries(diff.post)) {
    const before = diff.pre[addr]?.storage ?? {};
    for (const [slot, value] of Object.entries(acc.storage ?? {})) {
      if (BigInt(value) !== 0n && BigInt(before[slot] ?? "0x0") === 0n) n++;
    }
  }
  return n;
}

function hexBytes(hex: string): Uint8Array {
  return Buffer.from(hex.startsWith("0x") ? hex.slice(2) : hex, "hex");
}

/** Log topics and data bytes of a receipt. */
export function logCost(receipt: TransactionReceipt): { topics: number; dataBytes: number } {
  let topics = 0;
  let dataBytes = 0;
  for (const log of receipt.logs) {
    topics += log.topics.length;
    dataBytes += hexBytes(log.data).length;
  }
  return { topics, dataBytes };
}

/** Zero and non-zero bytes of a transaction's input. */
export function calldataBytes(input: string): { zero: number; nonZero: number } {
  let zero = 0;
  let nonZero = 0;
  for (const b of hexBytes(input)) {
    if (b === 0) zero++;
    else nonZero++;
  }
  return { zero, nonZero };
}

let coreAddress: string | undefined;
/** The core's address, for BENCH_PROFILE's attribution of its gas to source files and functions. */
export function setCoreAddress(address: string): void {
  coreAddress = address;
}

/** Waits for `tx` (which must succeed) and reads its figures; BENCH_PROFILE also prints where its gas went. */
export async function measure(provider: RequestProvider, tx: TransactionResponse, label: string): Promise<Figures> {
  const receipt = await tx.wait();
  if (receipt === null || receipt.status !== 1) throw new Error(`transaction ${tx.hash} failed`);
  const gas = Number(receipt.gasUsed);
  const { topics, dataBytes } = logCost(receipt);
  const cd = calldataBytes(tx.data);
  const megaethGas =
    gas +
    MEGA_PER_TX +
    MEGA_PER_TOPIC * topics +
    MEGA_PER_LOG_BYTE * dataBytes +
    MEGA_PER_ZERO_BYTE * cd.zero +
    MEGA_PER_NONZERO_BYTE * cd.nonZero;
  const fig = { gas, megaethGas, newSlots: await countNewSlots(provider, tx.hash), eventBytes: dataBytes };
  if (profiles(label)) {
    console.log(`${label}: gas ${gas}, new slots ${fig.newSlots}, ${topics} topics, ${dataBytes} log bytes`);
    console.log(await profile(provider, tx.hash, gas, tx.data));
    // the core's own gas by source file and function (its parts and libraries); BENCH_PCPROFILE=
    // Contract[:depth] picks another contract (its build found by the code length of the first
    // frame's callee), BENCH_PCPROFILE=0 skips it
    const pc = process.env.BENCH_PCPROFILE ?? "Clearinghouse";
    if (pc !== "0") {
      const [name, depth] = pc.split(":");
      await pcProfile(provider, tx.hash, name, Number(depth ?? 1), name === "Clearinghouse" ? coreAddress : undefined);
    }
  }
  return fig;
}

/** ceil(a / b) for integers of either sign (b > 0): marginal figures round up. */
function ceilDiv(a: number, b: number): number {
  return -Math.floor(-a / b);
}

/** (many − one) / count, every field rounded up: the marginal cost of one more unit. */
export function marginal(many: Figures, one: Figures, count: number): Figures {
  return {
    gas: ceilDiv(many.gas - one.gas, count),
    megaethGas: ceilDiv(many.megaethGas - one.megaethGas, count),
    newSlots: ceilDiv(many.newSlots - one.newSlots, count),
    eventBytes: ceilDiv(many.eventBytes - one.eventBytes, count),
  };
}

/** whole / count, every field rounded up: the average cost of one unit of a batch. */
export function perUnit(whole: Figures, count: number): Figures {
  return {
    gas: ceilDiv(whole.gas, count),
    megaethGas: ceilDiv(whole.megaethGas, count),
    newSlots: ceilDiv(whole.newSlots, count),
    eventBytes: ceilDiv(whole.eventBytes, count),
  };
}

/**
 * Least-squares slope of each field over a series of (count, figures) points, rounded up to an
 * integer: the marginal cost of one more unit over the whole series (not just its ends).
 * slope = (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²), computed exactly in integers.
 */
export function slope(points: readonly (readonly [number, Figures])[]): Figures {
  if (points.length < 2) throw new Error("a slope needs two points");
  const n = BigInt(points.length);
  const sx = points.reduce((s, [x]) => s + BigInt(x), 0n);
  const sxx = points.reduce((s, [x]) => s + BigInt(x) * BigInt(x), 0n);
  const den = n * sxx - sx * sx;
  if (den === 0n) throw new Error("a slope needs two distinct counts");
  const field = (f: (typeof FIELDS)[number]): number => {
    const sy = points.reduce((s, [, y]) => s + BigInt(y[f]), 0n);
    const sxy = points.reduce((s, [x, y]) => s + BigInt(x) * BigInt(y[f]), 0n);
    const num = n * sxy - sx * sy;
    // ceil(num / den) with den > 0
    const q = num / den;
    return Number(num % den > 0n ? q + 1n : q);
  };
  return { gas: field("gas"), megaethGas: field("megaethGas"), newSlots: field("newSlots"), eventBytes: field("eventBytes") };
}

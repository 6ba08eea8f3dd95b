// Where a transaction's gas goes, from the default struct-log trace and the call tracer: storage
// reads (cold / warm), storage writes by kind, logs, hashing, external calls and the rest; then
// the call tree with each frame's gas (with and without its callees) and storage counts, and the
// gas per contract. Printed by the bench for every measured transaction when BENCH_PROFILE=1
// (or BENCH_PROFILE=<text>: only for keys containing that text). With the one core nearly every
// gas unit is the core's own, so bench-measure.ts follows this with the core's gas by source file
// (its parts and libraries) and by source function (lib/pc-profile.ts).
import type { RequestProvider } from "./bench-measure.ts";
import { calldataBytes } from "./bench-measure.ts";
import {
  AtlasLens__factory,
  Clearinghouse__factory,
  LendingVault__factory,
  MockAggregator__factory,
  MockERC20__factory,
} from "../types/ethers-contracts/index.js";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  refund?: number;
}

/** A node of the call tracer's tree (geth's callTracer format). */
interface CallNode {
  type: string;
  to: string;
  input: string;
  gasUsed: string;
  calls?: CallNode[];
}

/** Gas of one call frame: what its own opcodes spent (calls' account access included). */
interface Frame {
  name: string;
  incl: number;
  own: number;
  sloadCold: number;
  sloadWarm: number;
  sstores: number;
  sstoreGas: number;
  /** Own opcode gas by class (see opClass); what `own` has beyond their sum is call overhead. */
  ops: Map<string, number>;
  children: Frame[];
}

const MEMORY = new Set(["MLOAD", "MSTORE", "MSTORE8", "MCOPY", "CALLDATACOPY", "RETURNDATACOPY", "CODECOPY"]);
/** storage / memory (incl. expansion) / log / keccak / compute (arithmetic, stack, jumps, the rest). */
function opClass(op: string): string {
  if (op === "SLOAD" || op === "SSTORE" || op === "TLOAD" || op === "TSTORE") return "storage";
  if (MEMORY.has(op)) return "memory";
  if (op.startsWith("LOG")) return "log";
  if (op === "KECCAK256") return "keccak";
  return "compute";
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE", "CREATE", "CREATE2"]);
/** Opcodes that pay the 2,600 cold account access (Solidity checks a callee's code size first). */
const ACCOUNT = new Set(["EXTCODESIZE", "EXTCODEHASH", "EXTCODECOPY", "BALANCE"]);

const labels = new Map<string, string>();
/** Names `address` in call trees ("LendingVault(USDC)"). */
export function labelAddress(address: string, name: string): void {
  labels.set(address.toLowerCase(), name);
}

let selectors: Map<string, string> | undefined;
function functionName(input: string): string {
  if (selectors === undefined) {
    selectors = new Map();
    for (const f of [Clearinghouse__factory, AtlasLens__factory, LendingVault__factory, MockAggregator__factory, MockERC20__factory]) {
      f.createInterface().forEachFunction((fn) => selectors!.set(fn.selector, fn.name));
    }
  }
  const sel = input.slice(0, 10);
  return selectors.get(sel) ?? sel;
}

/** Whether BENCH_PROFILE asks for a profile of `label`. */
export function profiles(label: string): boolean {
  const p = process.env.BENCH_PROFILE;
  return p !== undefined && p !== "" && (p === "1" || label.includes(p));
}

const fmt = (n: number) => n.toLocaleString("en-US");

function newFrame(node: CallNode): Frame {
  const who = labels.get(node.to.toLowerCase()) ?? node.to.slice(0, 10);
  return {
    name: `${who}.${functionName(node.input)}`,
    incl: Number(node.gasUsed),
    own: Number(node.gasUsed),
    sloadCold: 0,
    sloadWarm: 0,
    sstores: 0,
    sstoreGas: 0,
    ops: new Map(),
    children: [],
  };
}

/**
 * Builds the frame tree: the call tracer gives each call's gas and input; the struct logs, walked
 * by depth, give each frame's storage operations. Calls appear in the same (pre-)order in both.
 */
function frames(root: CallNode, logs: StructLog[]): Frame {
  const order: CallNode[] = [];
  const flatten = (n: CallNode) => {
    for (const c of n.calls ?? []) {
      order.push(c);
      flatten(c);
    }
  };
  flatten(root);
  const top = newFrame(root);
  const stack: Frame[] = [top];
  let next = 0;
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i];
    const cur = stack[stack.length - 1];
    if (CALLS.has(l.op)) {
      const node = order[next++];
      if (node !== undefined) {
        const child = newFrame(node);
        cur.children.push(child);
        cur.own -= child.incl;
        if (logs[i + 1]?.depth === l.depth + 1) stack.push(child);
      }
    } else {
      const c = opClass(l.op);
      cur.ops.set(c, (cur.ops.get(c) ?? 0) + l.gasCost);
      if (l.op === "SLOAD") {
        if (l.gasCost >= 2_100) cur.sloadCold++;
        else cur.sloadWarm++;
      } else if (l.op === "SSTORE") {
        cur.sstores++;
        cur.sstoreGas += l.gasCost;
      }
    }
    const d = logs[i + 1]?.depth ?? 1;
    while (stack.length > d) stack.pop();
  }
  return top;
}

function treeLines(f: Frame, indent: string, out: string[]): void {
  const name = `${indent}${f.name}`;
  const storage =
    `SLOAD ${f.sloadCold}c+${f.sloadWarm}w` + (f.sstores ? `, SSTORE ${f.sstores} (${fmt(f.sstoreGas)})` : "");
  out.push(`      ${name.padEnd(58)} ${fmt(f.incl).padStart(9)} ${fmt(f.own).padStart(8)}  ${storage}`);
  for (const c of f.children) treeLines(c, indent + "  ", out);
}

/** Own gas summed per contract (the part of a name before the dot), by opcode class. */
function byContract(f: Frame, acc: Map<string, Map<string, number>>): Map<string, Map<string, number>> {
  const contract = f.name.split(".")[0];
  const m = acc.get(contract) ?? new Map<string, number>();
  acc.set(contract, m);
  let opSum = 0;
  for (const [c, g] of f.ops) {
    m.set(c, (m.get(c) ?? 0) + g);
    opSum += g;
  }
  m.set("calls", (m.get("calls") ?? 0) + f.own - opSum);
  for (const c of f.children) byContract(c, acc);
  return acc;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** One line per category, then the call tree and the gas per contract. */
export async function profile(
  provider: RequestProvider,
  hash: string,
  gasUsed: number,
  input: string,
): Promise<string> {
  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableStack: true, disableMemory: true, disableStorage: true }],
  })) as { structLogs: StructLog[] };
  const calls = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { tracer: "callTracer" }],
  })) as CallNode;
  const logs = trace.structLogs;
  const cd = calldataBytes(input);
  const intrinsic = 21_000 + 4 * cd.zero + 16 * cd.nonZero;
  const refund = logs.length ? (logs[logs.length - 1].refund ?? 0) : 0;
  const appliedRefund = Math.min(refund, Math.floor((gasUsed + refund) / 5));
  const exec = gasUsed + appliedRefund - intrinsic;

  let sloadCold = 0;
  let sloadWarm = 0;
  let sloadGas = 0;
  const sstore: Record<string, number> = {};
  let sstoreGas = 0;
  let logGas = 0;
  let logCount = 0;
  let keccakGas = 0;
  let accountGas = 0;
  let callCount = 0;
  let opcodeGas = 0;
  for (const l of logs) {
    if (CALLS.has(l.op)) {
      callCount++;
      continue; // its gasCost includes the gas forwarded; the overhead is computed below
    }
    opcodeGas += l.gasCost;
    if (l.op === "SLOAD") {
      if (l.gasCost >= 2_100) sloadCold++;
      else sloadWarm++;
      sloadGas += l.gasCost;
    } else if (l.op === "SSTORE") {
      const kind =
        l.gasCost >= 22_100
          ? "fresh(cold)"
          : l.gasCost >= 20_000
            ? "fresh"
            : l.gasCost >= 5_000
              ? "update(cold)"
              : l.gasCost >= 2_900
                ? "update"
                : "dirty/noop";
      sstore[kind] = (sstore[kind] ?? 0) + 1;
      sstoreGas += l.gasCost;
    } else if (l.op.startsWith("LOG")) {
      logCount++;
      logGas += l.gasCost;
    } else if (l.op === "KECCAK256") {
      keccakGas += l.gasCost;
    } else if (ACCOUNT.has(l.op)) {
      accountGas += l.gasCost;
    }
  }
  const other = opcodeGas - sloadGas - sstoreGas - logGas - keccakGas - accountGas;
  const callOverhead = exec - opcodeGas;
  const writes = Object.entries(sstore)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");

  const tree = frames(calls, logs);
  // The root's own gas: execution only (the tracer's root gasUsed is the whole transaction).
  tree.own -= gasUsed - exec;
  tree.incl = exec;
  const lines: string[] = [];
  treeLines(tree, "", lines);
  const contracts = [...byContract(tree, new Map())]
    .sort((a, b) => sum(b[1]) - sum(a[1]))
    .map(([c, m]) => {
      const g = sum(m);
      const parts = [...m]
        .filter(([, v]) => v !== 0)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(", ");
      return `      ${c.padEnd(24)} ${fmt(g).padStart(8)} (${String(Math.round((100 * g) / exec)).padStart(2)}%): ${parts}`;
    });
  return [
    `    intrinsic ${intrinsic} (21000 + calldata ${cd.zero} zero / ${cd.nonZero} non-zero bytes), refund ${appliedRefund}`,
    `    SLOAD  ${sloadCold} cold + ${sloadWarm} warm = ${sloadGas}`,
    `    SSTORE ${writes || "none"} = ${sstoreGas}`,
    `    LOG    ${logCount} = ${logGas}; KECCAK ${keccakGas}; calls ${callCount} (account access ${accountGas} + call ${callOverhead}); other opcodes ${other}`,
    `    call tree (execution gas ${fmt(exec)}):${" ".repeat(26)}with callees      own  own storage ops`,
    ...lines,
    `    own gas by contract and opcode class (calls = account access, call and ABI overhead not in opcodes):`,
    ...contracts,
  ].join("\n");
}

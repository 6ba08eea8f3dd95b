// Gas per source file and per source function of one contract in a traced transaction: the default
// struct-log trace gives each opcode's pc and cost; the compiler's deployed source map turns a pc
// into a source offset, whose file is the part or library the code comes from (internal library
// functions are inlined into the core, so the map still names BookLib.sol, RiskLib.sol, ...), and
// the last `function` header before it names the function. With the one core this is how the bench
// attributes gas: BENCH_PROFILE prints it for the Clearinghouse; BENCH_PCPROFILE=<ContractName>[:depth]
// picks another contract; BENCH_PCPROFILE_BLOCK=1 keys by basic block, the pc of its JUMPDEST, to
// read with a disassembler).
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RequestProvider } from "../bench-measure.ts";

const ART = fileURLToPath(new URL("../../artifacts/", import.meta.url));

interface Frame {
  to: string;
  gasUsed: string;
  calls?: Frame[];
}

interface Loaded {
  codeLength: number;
  pcToIndex: Map<number, number>;
  /** Source map entries: offset, length, file index and jump type ("i" into a function, "o" out, "-"). */
  map: { s: number; l: number; f: number; j: string }[];
  sources: Map<number, { path: string; text: string }>;
}

const loaded = new Map<string, Loaded>();

/**
 * The build of `contract` whose deployed code is `codeLength` bytes long (immutables do not change
 * the length), so a stale build-info left by an earlier compilation is not used; cached.
 */
function load(contract: string, codeLength: number): Loaded {
  const key = `${contract}:${codeLength}`;
  let l = loaded.get(key);
  if (l === undefined) {
    l = loadFrom(contract, codeLength);
    loaded.set(key, l);
  }
  return l;
}

function loadFrom(contract: string, codeLength: number): Loaded {
  const dir = readdirSync(`${ART}build-info`).filter((f) => f.endsWith(".output.json"));
  for (const f of dir) {
    const out = JSON.parse(readFileSync(`${ART}build-info/${f}`, "utf8")).output;
    for (const [path, cs] of Object.entries(out.contracts ?? {}) as [string, Record<string, any>][]) {
      const c = cs[contract];
      if (!c || !path.includes(`/${contract}.sol`)) continue;
      const code = Buffer.from(c.evm.deployedBytecode.object, "hex");
      if (code.length !== codeLength) continue;
      const pcToIndex = new Map<number, number>();
      for (let pc = 0, i = 0; pc < code.length; i++) {
        pcToIndex.set(pc, i);
        const op = code[pc];
        pc += op >= 0x60 && op <= 0x7f ? op - 0x5e : 1;
      }
      const map: { s: number; l: number; f: number; j: string }[] = [];
      let s = 0, len = 0, fi = 0, j = "-";
      for (const e of (c.evm.deployedBytecode.sourceMap as string).split(";")) {
        const parts = e.split(":");
        if (parts[0]) s = Number(parts[0]);
        if (parts[1]) len = Number(parts[1]);
        if (parts[2]) fi = Number(parts[2]);
        if (parts[3]) j = parts[3];
        map.push({ s, l: len, f: fi, j });
      }
      const input = JSON.parse(readFileSync(`${ART}build-info/${f.replace(".output", "")}`, "utf8")).input;
      const sources = new Map<number, { path: string; text: string }>();
      for (const [p, v] of Object.entries(out.sources) as [string, { id: number }][]) {
        sources.set(v.id, { path: p, text: input.sources[p]?.content ?? "" });
      }
      return { codeLength: code.length, pcToIndex, map, sources };
    }
  }
  throw new Error(`no build info for ${contract} with ${codeLength} bytes of code`);
}

/** Whether a source-map key names no function: the contract as a whole or compiler-generated code. */
const unplaced = (key: string) => key === "(generated)" || key.includes(":(top)");

/** Offsets and names of a source's function and modifier headers (comments blanked first), cached. */
const headers = new Map<string, { at: number; name: string }[]>();
function headersOf(src: { path: string; text: string }): { at: number; name: string }[] {
  let h = headers.get(src.path);
  if (h === undefined) {
    // blank comments (same length, so offsets hold) so that "function" in prose is not a header
    const code = src.text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
    h = [...code.matchAll(/\b(?:function|modifier)\s+(\w+)/g)].map((x) => ({ at: x.index!, name: x[1] }));
    headers.set(src.path, h);
  }
  return h;
}

/** "File.sol:function": the last function or modifier header at or before `offset`, else "File.sol:(top) …". */
function fnAt(src: { path: string; text: string } | undefined, offset: number): string {
  if (!src) return "(generated)";
  const file = src.path.split("/").pop();
  const head = [...headersOf(src)].reverse().find((x) => x.at <= offset);
  if (head === undefined) return `${file}:(top) ${src.text.slice(offset, offset + 30).replace(/\s+/g, " ")}`;
  return `${file}:${head.name}`;
}

/**
 * Prints the own gas of `contract`'s frames at `depth` by source file (the contract's parts and the
 * libraries inlined into it), then by source function, largest first. `address`, if given, is where
 * `contract` is deployed (its code length picks the build); otherwise the first frame's callee.
 */
export async function pcProfile(
  provider: RequestProvider,
  hash: string,
  contract: string,
  depth: number,
  address?: string,
): Promise<void> {
  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { structLogs: { pc: number; op: string; gas: number; gasCost: number; depth: number }[] };
  // Which contract runs each step: the call tracer's frames in call order (depth-first) are the
  // order in which the struct log enters deeper frames; a frame counts only if its code is
  // `contract`'s (same length: immutables do not change it).
  const tree = (await provider.request({ method: "debug_traceTransaction", params: [hash, { tracer: "callTracer" }] })) as Frame;
  const order: string[] = [];
  const nodes: Frame[] = [];
  const walk = (f: Frame) => { order.push(f.to); nodes.push(f); for (const c of f.calls ?? []) walk(c); };
  walk(tree);
  // A call's own cost (account access, memory, value) is the gas its frame lost across the call
  // less what the callee used; the struct log's gasCost of a CALL holds the gas forwarded instead.
  let pendingCall: { key: string; gasBefore: number; node: number } | undefined;
  const codeLen = new Map<string, number>();
  for (const a of new Set([...order, ...(address ? [address] : [])])) {
    codeLen.set(a, ((await provider.request({ method: "eth_getCode", params: [a, "latest"] })) as string).length / 2 - 1);
  }
  const l = load(contract, codeLen.get(address ?? order[0])!);
  const want = l.codeLength;
  const stack: string[] = [];
  let next = 0;
  const by = new Map<string, number>();
  let blk = 0;
  const ops = new Map<string, number>(); // BENCH_PCPROFILE_OPS=<key text>: opcodes of those rows
  const base = trace.structLogs[0]?.depth ?? 0; // the top frame's depth (0 or 1 by tracer)
  // Internal functions the optimizer kept as functions: a JUMP marked "i" enters one (named by the
  // source of its first instruction), a JUMP marked "o" leaves it. Via-IR code maps many opcodes
  // (storage access, ABI coding, the dispatch) to the contract as a whole; they are charged to the
  // innermost such function that is running, else to the entry point's own code ("(top)").
  const fnStack: string[] = [];
  let entering = false;
  for (const s of trace.structLogs) {
    while (stack.length > s.depth - base + 1) stack.pop();
    while (stack.length < s.depth - base + 1) stack.push(order[next++] ?? "");
    if (s.depth !== depth || codeLen.get(stack[stack.length - 1]) !== want) continue;
    if (pendingCall !== undefined) {
      // back from the call: a callee without code (no steps of its own) did not consume its node
      if (next === pendingCall.node) next++;
      const callCost = pendingCall.gasBefore - s.gas - Number(nodes[pendingCall.node]?.gasUsed ?? 0);
      by.set(pendingCall.key, (by.get(pendingCall.key) ?? 0) + callCost);
      pendingCall = undefined;
    }
    if (s.op === "JUMPDEST") blk = s.pc;
    const idx = l.pcToIndex.get(s.pc);
    const m = idx === undefined ? undefined : l.map[idx];
    const src = m === undefined || m.f < 0 ? undefined : l.sources.get(m.f);
    // BENCH_PCPROFILE_FINE=1: by source range (the expression) instead of by function
    const own = src === undefined || m === undefined ? "(generated)" : fnAt(src, m.s);
    if (entering) {
      fnStack.push(own);
      entering = false;
    }
    const enclosing = [...fnStack].reverse().find((k) => !unplaced(k));
    const placed = unplaced(own) && enclosing !== undefined ? enclosing : own;
    if (s.op === "JUMP" && m?.j === "i") entering = true;
    if (s.op === "JUMP" && m?.j === "o") fnStack.pop();
    const key = process.env.BENCH_PCPROFILE_BLOCK ? `blk ${blk}` : src === undefined || m === undefined ? placed
      : process.env.BENCH_PCPROFILE_FINE
        ? `${fnAt(src, m.s).split(" ")[0]} @${m.s}+${m.l}: ${src.text.slice(m.s, m.s + Math.min(m.l, 60)).replace(/\s+/g, " ")}`
        : placed;
    // a call's gasCost holds the gas it forwards: its own cost is counted when the frame resumes
    const isCall = ["CALL", "STATICCALL", "DELEGATECALL"].includes(s.op);
    if (isCall) pendingCall = { key, gasBefore: s.gas, node: next };
    const cost = isCall ? 0 : s.gasCost;
    by.set(key, (by.get(key) ?? 0) + cost);
    const only = process.env.BENCH_PCPROFILE_OPS;
    if (only && key.includes(only)) ops.set(s.op, (ops.get(s.op) ?? 0) + cost);
  }
  const rows = [...by.entries()].sort((a, b) => b[1] - a[1]);
  const byFile = new Map<string, number>();
  for (const [k, v] of rows) {
    const file = k.startsWith("blk ") ? k : k.split(":")[0].split(" ")[0];
    byFile.set(file, (byFile.get(file) ?? 0) + v);
  }
  const total = rows.reduce((a, [, v]) => a + v, 0);
  console.log(`    ${contract} own gas ${total} by source file (depth ${depth}; its parts and inlined libraries):`);
  if (!process.env.BENCH_PCPROFILE_BLOCK) {
    for (const [k, v] of [...byFile.entries()].sort((a, b) => b[1] - a[1])) {
      console.log(`      ${String(v).padStart(7)} ${String(Math.round((100 * v) / total)).padStart(3)}%  ${k}`);
    }
  }
  console.log(`    ${contract} own gas by source function (depth ${depth}):`);
  if (ops.size) console.log(`      ops: ${[...ops.entries()].sort((a, b) => b[1] - a[1]).map(([o, g]) => `${o} ${g}`).join(", ")}`);
  for (const [k, v] of rows.slice(0, process.env.BENCH_PCPROFILE_BLOCK ? 400 : process.env.BENCH_PCPROFILE_FINE ? 45 : 25)) console.log(`      ${String(v).padStart(7)}  ${k}`);
}

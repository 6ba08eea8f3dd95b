// Where a transaction's gas goes, from the default struct-log trace: storage reads (cold /
// warm), storage writes by kind, logs, hashing, external calls and the rest. Printed by the
// bench for every measured transaction when BENCH_PROFILE=1.
import type { RequestProvider } from "./bench-measure.ts";
import { calldataBytes } from "./bench-measure.ts";

interface StructLog {
  op: string;
  gasCost: number;
  depth: number;
  refund?: number;
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);
/** Opcodes that pay the 2,600 cold account access (Solidity checks a callee's code size first). */
const ACCOUNT = new Set(["EXTCODESIZE", "EXTCODEHASH", "EXTCODECOPY", "BALANCE"]);

/** One line per category: "SLOAD 5 cold + 3 warm = 10800" etc. */
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
  let calls = 0;
  let opcodeGas = 0;
  for (const l of logs) {
    if (CALLS.has(l.op)) {
      calls++;
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
  return [
    `    intrinsic ${intrinsic} (21000 + calldata ${cd.zero} zero / ${cd.nonZero} non-zero bytes), refund ${appliedRefund}`,
    `    SLOAD  ${sloadCold} cold + ${sloadWarm} warm = ${sloadGas}`,
    `    SSTORE ${writes || "none"} = ${sstoreGas}`,
    `    LOG    ${logCount} = ${logGas}; KECCAK ${keccakGas}; calls ${calls} (account access ${accountGas} + call ${callOverhead}); other opcodes ${other}`,
  ].join("\n");
}

// Gas bench: runs the scenarios of bench-scenarios.ts on the in-process network, prints each
// figure beside its target and writes gas-snapshot.json.
//   npm run bench             measure and rewrite the snapshot
//   npm run bench -- --check  measure and compare with the committed snapshot: exits 1 if any
//                             figure (gas, megaethGas, newSlots, eventBytes) of a key rose above
//                             it (Hardhat's gas is deterministic, so no tolerance); writes nothing.
// BENCH_CHECK=1 does the same as --check (for `hardhat run`, which does not pass arguments).
// BENCH_PROFILE=1 also prints, per measured transaction, where its gas goes (bench-profile.ts) and,
// since every market lives in the one core, the core's own gas by source file (its parts and the
// libraries inlined into it) and by source function (lib/pc-profile.ts);
// BENCH_PROFILE=<text> does so only for keys containing <text> (e.g. BENCH_PROFILE=liquidation).
// Every key keeps its name from before the core: spot.* and perp.* now call the core with a market
// id, liquidation.perp and liquidation.bankruptcy the core's liquidatePerp / resolveBankruptcy
// (PerpLiquidator's before issue #14 stage 4), sweep the core's sweep(marketId, ...).
// BENCH_ONLY=<a,b> runs only the scenario functions named (e.g. BENCH_ONLY=lending,liquidation or
// BENCH_ONLY=perpPlace,perpTakes)
// and writes nothing: for working on one figure.
// Scenarios: bench-scenarios.ts (spot book), bench-margin.ts (lending, the ATLAS valuation, liquidation),
// bench-perp.ts (perp book, four-underlying ATLAS valuation, perp liquidation), bench-breadth.ts
// (issue #14's series: 1–16 perp positions, 2–16 idle assets, and their slopes), then the book
// griefing scenarios of bench-scenarios.ts (LATE_SCENARIOS: they move the clock).
// Margin keys are measured with fresh prices and again with stale ones (`<key>.staleFeed`,
// bench-prices.ts). After the full table, issue #14's targets are printed again in the issue's order.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FIELDS, type Figures } from "./bench-measure.ts";
import { buildWorld } from "./bench-world.ts";
import { SCENARIOS as SPOT_SCENARIOS, LATE_SCENARIOS, TARGETS as SPOT_TARGETS, ZERO_NEW_SLOTS } from "./bench-scenarios.ts";
import { MARGIN_SCENARIOS, MARGIN_TARGETS } from "./bench-margin.ts";
import { PERP_SCENARIOS, PERP_TARGETS } from "./bench-perp.ts";
import { BREADTH_SCENARIOS, BREADTH_TARGETS } from "./bench-breadth.ts";
import { STALE_SUFFIX } from "./bench-prices.ts";
import { renderTable } from "./lib/report.ts";

const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : undefined;
const SCENARIOS = [...SPOT_SCENARIOS, ...MARGIN_SCENARIOS, ...PERP_SCENARIOS, ...BREADTH_SCENARIOS, ...LATE_SCENARIOS].filter(
  (s) => only === undefined || only.includes(s.name),
);
const TARGETS: Record<string, number> = { ...SPOT_TARGETS, ...MARGIN_TARGETS, ...PERP_TARGETS, ...BREADTH_TARGETS };

/** Issue #14's Targets table, in its order, with the row each key stands for. */
const ISSUE_14: [key: string, row: string][] = [
  ["perp.place.perExtraPosition", "marginal gas per extra perp position (slope over 1-16), perp placement"],
  ["lending.borrow.perExtraIdleAsset", "marginal gas per extra idle asset (slope over 2-16), margin-checked borrow"],
  ["perp.place.existingLevel", "perp.place.existingLevel (2 positions)"],
  ["perp.place.existingLevel.positions08", "perp place with 8 positions"],
  ["perp.place.existingLevel.positions16", "perp place with 16 positions"],
  ["perp.take.1maker", "perp.take.1maker"],
  ["spot.take.1maker.margin", "spot.take.1maker.margin"],
  ["lending.deposit", "lending.deposit"],
  ["lending.repay", "lending.repay"],
  ["lending.borrow", "lending.borrow (2 assets)"],
  ["atlas.value.4underlyings", "atlas.value.4underlyings (the core's view)"],
  ["liquidation.perp", "liquidation.perp"],
  ["spot.place.existingLevel", "spot.place.existingLevel"],
  ["spot.take.1maker", "spot.take.1maker"],
  ["spot.cancel", "spot.cancel"],
];
const SNAPSHOT = fileURLToPath(new URL("../gas-snapshot.json", import.meta.url));
const check = process.argv.includes("--check") || process.env.BENCH_CHECK === "1";

type Snapshot = Record<string, Figures>;

/** Sorted keys, fields in a fixed order, one entry per line: diffs stay readable. */
function serialize(s: Snapshot): string {
  const keys = Object.keys(s).sort();
  const lines = keys.map((k) => {
    const fields = FIELDS.map((f) => `"${f}": ${s[k][f]}`).join(", ");
    return `  ${JSON.stringify(k)}: { ${fields} }`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

function overTarget(key: string, f: Figures): boolean {
  const target = TARGETS[key];
  return (target !== undefined && f.gas > target) || (ZERO_NEW_SLOTS.has(key) && f.newSlots !== 0);
}

function printTable(s: Snapshot): void {
  const rows = Object.keys(s)
    .sort()
    .map((k) => {
      const f = s[k];
      const target = TARGETS[k];
      return [
        k,
        String(f.gas),
        target === undefined ? "-" : String(target),
        String(f.megaethGas),
        String(f.newSlots) + (ZERO_NEW_SLOTS.has(k) ? " (must be 0)" : ""),
        String(f.eventBytes),
        overTarget(k, f) ? "OVER" : "",
      ];
    });
  const headers = ["key", "gas", "target", "megaethGas", "newSlots", "eventBytes", "mark"];
  console.log(renderTable(headers, rows, ["left", "right", "right", "right", "right", "right", "left"]));
}

/** Issue #14's targets in the issue's order: gas beside target, MegaETH gas, the stale-feed figure. */
function printIssue14(s: Snapshot): void {
  const rows = ISSUE_14.filter(([k]) => s[k] !== undefined).map(([k, row]) => {
    const f = s[k];
    const target = TARGETS[k];
    const stale = s[k + STALE_SUFFIX];
    return [
      row,
      String(f.gas),
      `≤ ${target}`,
      String(f.megaethGas),
      stale === undefined ? "-" : String(stale.gas),
      f.gas > target ? `OVER by ${f.gas - target}` : "met",
    ];
  });
  if (rows.length === 0) return;
  console.log("\nIssue #14 targets (Ethereum gas; prices fresh; the stale-feed column re-reads every feed)");
  const headers = ["target row", "gas", "target", "megaethGas", "staleFeed gas", "status"];
  console.log(renderTable(headers, rows, ["left", "right", "right", "right", "right", "left"]));
}

/** Regressions of `now` against `before`: a figure that rose, per key present in both. */
function regressions(before: Snapshot, now: Snapshot): string[] {
  const out: string[] = [];
  for (const k of Object.keys(now).sort()) {
    if (before[k] === undefined) {
      console.log(`note: ${k} is not in the committed snapshot (run \`npm run bench\` to add it)`);
      continue;
    }
    for (const f of FIELDS) {
      if (now[k][f] > before[k][f]) out.push(`${k}.${f}: ${before[k][f]} -> ${now[k][f]}`);
      else if (now[k][f] < before[k][f]) console.log(`improved: ${k}.${f}: ${before[k][f]} -> ${now[k][f]}`);
    }
  }
  for (const k of Object.keys(before)) {
    if (now[k] === undefined) console.log(`note: ${k} is in the snapshot but no longer measured`);
  }
  return out;
}

const started = Date.now();
const world = await buildWorld();
const results: Snapshot = {};
for (const scenario of SCENARIOS) Object.assign(results, await scenario(world));
printTable(results);
printIssue14(results);
const over = Object.keys(results).filter((k) => overTarget(k, results[k]));
console.log(
  `\n${Object.keys(results).length} figures, ${over.length} over target${over.length ? `: ${over.join(", ")}` : ""}` +
    ` (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);

if (check) {
  if (!existsSync(SNAPSHOT)) {
    console.error("no committed gas-snapshot.json to check against");
    process.exit(1);
  }
  const bad = regressions(JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Snapshot, results);
  if (bad.length) {
    console.error(`\nregressions against gas-snapshot.json:\n  ${bad.join("\n  ")}`);
    process.exit(1);
  }
  console.log("\ncheck: no figure above gas-snapshot.json");
} else if (only !== undefined) {
  console.log("\nBENCH_ONLY: snapshot not written");
} else {
  writeFileSync(SNAPSHOT, serialize(results));
  console.log(`\nwrote ${SNAPSHOT}`);
}

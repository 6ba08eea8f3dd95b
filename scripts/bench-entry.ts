// `npm run bench [-- --check]`: runs scripts/bench.ts through `hardhat run` (which loads the
// TypeScript and TypeChain modules) on the same Node binary. `hardhat run` refuses options it
// does not know, so --check travels as BENCH_CHECK=1.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("./cli.js", import.meta.resolve("hardhat")));
const env = { ...process.env, BENCH_CHECK: process.argv.includes("--check") ? "1" : (process.env.BENCH_CHECK ?? "") };
const run = spawnSync(process.execPath, [cli, "run", "scripts/bench.ts"], { stdio: "inherit", env });
process.exit(run.status ?? 1);

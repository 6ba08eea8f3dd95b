// MegaETH allows 524,288 bytes of runtime code per contract (its "Contract Limits"); the Hardhat
// networks lift EDR's 24 KB check so the venue is laid out by domain, not by Ethereum's limit.
// This deploys the whole venue (the core with a spot and a perp market and every asset's feed, the
// lens, a lending pool's vault, the AccessManager) and the test mocks, prints every contract's runtime size
// and asserts the limit.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useFixture } from "./_helpers.ts";
import { deployMargin, UNCAPPED } from "../../scripts/lib/deploy-margin.ts";
import { createPerpMarket } from "../../scripts/lib/deploy-perp.ts";
import { USDC_TICK, WETH_LOT } from "../helpers/fixture.ts";

const MEGAETH_MAX_CODE_BYTES = 524_288;
const E18 = 10n ** 18n;

/** Runtime code sizes (bytes) of the mocks under contracts/mocks/, from their artifacts. */
function mockSizes(): [string, number][] {
  const root = join(import.meta.dirname, "..", "..", "artifacts", "contracts", "mocks");
  const rows: [string, number][] = [];
  for (const dir of readdirSync(root).filter((d) => d.endsWith(".sol"))) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith(".json") && !n.endsWith(".dbg.json"))) {
      const a = JSON.parse(readFileSync(join(root, dir, f), "utf8")) as { contractName: string; deployedBytecode: string };
      if (a.deployedBytecode.length > 2) rows.push([`mock ${a.contractName}`, (a.deployedBytecode.length - 2) / 2]);
    }
  }
  return rows;
}

describe("Contract sizes", () => {
  const fx = useFixture();

  it("every deployed contract of the venue, and every mock, is within MegaETH's 524,288-byte code limit", async () => {
    const f = fx();
    const [W, U] = [await f.weth.getAddress(), await f.usdc.getAddress()];
    const margin = await deployMargin(f.protocol, [
      { token: W, symbol: "WETH", priceWad: 3_000n * E18, shockBps: 1_000n, slippageBps: 100n },
      { token: U, symbol: "USDC", priceWad: E18, shockBps: 100n, slippageBps: 10n, pool: { supplyCap: UNCAPPED, borrowCap: UNCAPPED } },
    ]);
    // a perp market too, so the core's code is what a venue with both kinds runs (it is one contract)
    const perp = await createPerpMarket(f.protocol, { underlying: W, quote: U, lotSize: WETH_LOT, tickSize: USDC_TICK });
    expect(perp.marketId).to.equal(2n);
    expect(await margin.oracle.getAddress(), "the core is the oracle").to.equal(await f.ch.getAddress());
    const named: Record<string, { getAddress(): Promise<string> }> = {
      AccessManager: f.protocol.manager,
      // the core holds every feed too (deployMargin's `oracle` is the core): one contract to measure
      "Clearinghouse (core)": f.ch,
      AtlasLens: margin.lens,
      "LendingVault(USDC)": margin.pools.USDC!,
    };
    const rows: [string, number][] = [];
    for (const [name, c] of Object.entries(named)) {
      const code = await f.ethers.provider.getCode(await c.getAddress());
      rows.push([name, (code.length - 2) / 2]);
    }
    const mocks = mockSizes();
    expect(mocks.length, "mock artifacts found").to.be.greaterThan(5);
    rows.push(...mocks);
    for (const [name, size] of rows) console.log(`      ${name.padEnd(32)} ${String(size).padStart(7)} bytes`);
    for (const [name, size] of rows) {
      expect(size, name).to.be.greaterThan(0);
      expect(size, name).to.be.at.most(MEGAETH_MAX_CODE_BYTES);
    }
  });

  it("the in-process network accepts runtime code above Ethereum's 24,576 bytes", async () => {
    const f = fx();
    const size = 30_000; // init code: PUSH3 size, PUSH1 0, RETURN (returns `size` zero bytes)
    const init = "0x62" + size.toString(16).padStart(6, "0") + "6000f3";
    const receipt = await (await f.admin.sendTransaction({ data: init })).wait();
    const code = await f.ethers.provider.getCode(receipt!.contractAddress!);
    expect((code.length - 2) / 2).to.equal(size);
  });
});

// Every custom error IOracle declares is raised by a price unit test (oracle.*.test.ts,
// prices.core.test.ts), and its selector is in the core's deployed bytecode (so none is declared
// but dead), now that the core holds the feeds (was: OracleRouter's bytecode).
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IOracle__factory } from "../../types/ethers-contracts/index.js";
import coreArtifact from "../../artifacts/contracts/Clearinghouse.sol/Clearinghouse.json" with { type: "json" };

function raisedInOracleTests(): Set<string> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  const mine = (n: string) => (n.startsWith("oracle.") || n.startsWith("prices.")) && n.endsWith(".test.ts");
  for (const f of readdirSync(dir).filter(mine)) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/revertedWithCustomError\(\s*[\w.()]+\s*,\s*"(\w+)"/g)) names.add(m[1]);
  }
  return names;
}

describe("Core prices: custom error coverage", () => {
  it("every IOracle error is in the core's bytecode and reached by a price unit test", () => {
    const raised = raisedInOracleTests();
    const code = coreArtifact.deployedBytecode.toLowerCase();
    const missing: string[] = [];
    IOracle__factory.createInterface().forEachError((e) => {
      expect(code.includes(e.selector.slice(2)), `${e.name}'s selector should be in the bytecode`).to.equal(true);
      if (!raised.has(e.name)) missing.push(e.name);
    });
    expect(missing, "errors no price test reaches").to.deep.equal([]);
    expect(raised.has("AccessManagedUnauthorized")).to.equal(true);
  });
});

// Every custom error IOracleRouter declares is raised by an oracle unit test, and its selector
// is in OracleRouter's deployed bytecode (so none is declared but dead).
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IOracleRouter__factory } from "../../types/ethers-contracts/index.js";
import routerArtifact from "../../artifacts/contracts/OracleRouter.sol/OracleRouter.json" with { type: "json" };

function raisedInOracleTests(): Set<string> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith("oracle.") && n.endsWith(".test.ts"))) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/revertedWithCustomError\(\s*[\w.()]+\s*,\s*"(\w+)"/g)) names.add(m[1]);
  }
  return names;
}

describe("OracleRouter custom error coverage", () => {
  it("every IOracleRouter error is in the bytecode and reached by an oracle unit test", () => {
    const raised = raisedInOracleTests();
    const code = routerArtifact.deployedBytecode.toLowerCase();
    const missing: string[] = [];
    IOracleRouter__factory.createInterface().forEachError((e) => {
      expect(code.includes(e.selector.slice(2)), `${e.name}'s selector should be in the bytecode`).to.equal(true);
      if (!raised.has(e.name)) missing.push(e.name);
    });
    expect(missing, "errors no oracle test reaches").to.deep.equal([]);
    expect(raised.has("AccessManagedUnauthorized")).to.equal(true);
  });
});

// Every custom error the interfaces declare is either raised by a unit test here or provably
// unreachable: its selector does not occur in the deployed bytecode of the implementation.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IClearinghouse__factory, ISpotMarket__factory } from "../../types/ethers-contracts/index.js";
import clearinghouseArtifact from "../../artifacts/contracts/Clearinghouse.sol/Clearinghouse.json" with { type: "json" };
import spotMarketArtifact from "../../artifacts/contracts/SpotMarket.sol/SpotMarket.json" with { type: "json" };

/** Declared but never raised by the implementation; why a test cannot reach them. */
const UNREACHABLE: Record<string, string> = {};

function raisedInTests(): Set<string> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".test.ts"))) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/revertedWithCustomError\(\s*[\w.()]+\s*,\s*"(\w+)"/g)) names.add(m[1]);
  }
  return names;
}

describe("custom error coverage", () => {
  const raised = raisedInTests();
  const cases = [
    { name: "IClearinghouse", iface: IClearinghouse__factory.createInterface(), code: clearinghouseArtifact.deployedBytecode },
    { name: "ISpotMarket", iface: ISpotMarket__factory.createInterface(), code: spotMarketArtifact.deployedBytecode },
  ];
  for (const { name, iface, code } of cases) {
    it(`every ${name} error is reached by a test or absent from the bytecode`, () => {
      const missing: string[] = [];
      iface.forEachError((e) => {
        const inCode = code.toLowerCase().includes(e.selector.slice(2));
        if (e.name in UNREACHABLE) {
          expect(inCode, `${e.name} is now raised by the contract: test it`).to.equal(false);
        } else {
          expect(inCode, `${e.name}'s selector should be in the bytecode`).to.equal(true);
          if (!raised.has(e.name)) missing.push(e.name);
        }
      });
      expect(missing, "errors no unit test reaches").to.deep.equal([]);
    });
  }
});

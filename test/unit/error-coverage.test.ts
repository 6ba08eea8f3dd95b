// Every custom error the interfaces declare is either raised by a unit test here (or an attack
// test) or provably unreachable: its selector does not occur in the
// bytecode of the implementation. The creation
// bytecode is searched (it contains the runtime code), so errors raised only by a constructor
// count too.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  IAtlas__factory,
  IAtlasLens__factory,
  IClearinghouse__factory,
  ILendingCore__factory,
  ILendingVault__factory,
  IMarkets__factory,
  IOracle__factory,
  IPerpMarkets__factory,
} from "../../types/ethers-contracts/index.js";
import atlasLensArtifact from "../../artifacts/contracts/periphery/AtlasLens.sol/AtlasLens.json" with { type: "json" };
import clearinghouseArtifact from "../../artifacts/contracts/Clearinghouse.sol/Clearinghouse.json" with { type: "json" };
import lendingVaultArtifact from "../../artifacts/contracts/periphery/LendingVault.sol/LendingVault.json" with { type: "json" };
import lendingCoreMockArtifact from "../../artifacts/contracts/mocks/LendingCoreMock.sol/LendingCoreMock.json" with { type: "json" };

/** Declared but never raised by the implementation; why a test cannot reach them. */
const UNREACHABLE: Record<string, string> = {};

function raisedInTests(): Set<string> {
  const names = new Set<string>();
  // the unit tests and the attack tests (test/attack/), which try each entry point as an attacker would
  for (const dir of [import.meta.dirname, join(import.meta.dirname, "..", "attack")]) {
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".test.ts"))) {
      const src = readFileSync(join(dir, f), "utf8");
      // any contract expression: the core (`ch`, `v.ch`, `f.core`, `f.oracle`), a vault, a mock
      for (const m of src.matchAll(/revertedWithCustomError\(\s*[^,"()]+(?:\([^()]*\))?[^,"()]*\s*,\s*"(\w+)"/g)) names.add(m[1]);
    }
  }
  return names;
}

describe("custom error coverage", () => {
  const raised = raisedInTests();
  const cases = [
    // the one core: IClearinghouse inherits the markets' (IMarkets, IPerpMarkets) and the lending
    // core's errors; ATLAS's valuation runs inside it too
    { name: "IClearinghouse", iface: IClearinghouse__factory.createInterface(), code: clearinghouseArtifact.bytecode },
    { name: "IMarkets", iface: IMarkets__factory.createInterface(), code: clearinghouseArtifact.bytecode },
    { name: "IPerpMarkets", iface: IPerpMarkets__factory.createInterface(), code: clearinghouseArtifact.bytecode },
    { name: "IAtlas", iface: IAtlas__factory.createInterface(), code: clearinghouseArtifact.bytecode },
    { name: "IAtlasLens", iface: IAtlasLens__factory.createInterface(), code: atlasLensArtifact.bytecode },
    // the oracle's errors are the core's: it holds every feed (ClearinghousePrices); its tests expect
    // them on the core (`revertedWithCustomError(core, "StalePrice")`)
    { name: "IOracle", iface: IOracle__factory.createInterface(), code: clearinghouseArtifact.bytecode },
    { name: "ILendingVault", iface: ILendingVault__factory.createInterface(), code: lendingVaultArtifact.bytecode },
    // the core's side of the wrapper, also run against the mock core its tests use
    { name: "ILendingCore", iface: ILendingCore__factory.createInterface(), code: lendingCoreMockArtifact.bytecode },
  ];
  for (const { name, iface, code } of cases) {
    it(`every ${name} error is reached by a test or absent from the bytecode`, () => {
      const missing: string[] = [];
      iface.forEachError((e) => {
        // A selector with leading zero bytes is pushed shorter (PUSH3 for 0x00abcdef): search
        // for its significant bytes.
        const inCode = code.toLowerCase().includes(e.selector.slice(2).replace(/^(00)+/, ""));
        if (e.name in UNREACHABLE) {
          expect(inCode, `${e.name} is now raised by the contract: test it`).to.equal(false);
        } else if (!raised.has(e.name)) {
          // Reached errors need no bytecode check: the optimizer may build a selector from other
          // constants rather than push it whole, and the test that reverts with it proves it exists.
          missing.push(e.name);
        }
      });
      expect(missing, "errors no unit test reaches").to.deep.equal([]);
    });
  }
});

// Every custom error ILendingPool declares (and the ERC-4626 limits the pool enforces) is in the
// pool's bytecode and is raised by at least one lending unit test.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ILendingPool__factory, LendingPool__factory } from "../../types/ethers-contracts/index.js";
import poolArtifact from "../../artifacts/contracts/LendingPool.sol/LendingPool.json" with { type: "json" };

function raisedInLendingTests(): Set<string> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith("lending.") && n.endsWith(".test.ts"))) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/revertedWithCustomError\(\s*[\w.()]+\s*,\s*"(\w+)"/g)) names.add(m[1]);
  }
  return names;
}

describe("LendingPool custom error coverage", () => {
  const raised = raisedInLendingTests();
  const code = poolArtifact.deployedBytecode.toLowerCase();

  it("every ILendingPool error is in the bytecode and reached by a test", () => {
    const missing: string[] = [];
    ILendingPool__factory.createInterface().forEachError((e) => {
      expect(code.includes(e.selector.slice(2)), `${e.name}'s selector should be in the bytecode`).to.equal(true);
      if (!raised.has(e.name)) missing.push(e.name);
    });
    expect(missing, "errors no lending test reaches").to.deep.equal([]);
  });

  it("the ERC-4626 limits, access control and reentrancy guard are tested too", () => {
    const iface = LendingPool__factory.createInterface();
    for (const name of [
      "ERC4626ExceededMaxDeposit",
      "ERC4626ExceededMaxMint",
      "ERC4626ExceededMaxWithdraw",
      "ERC4626ExceededMaxRedeem",
      "AccessManagedUnauthorized",
      "ReentrancyGuardReentrantCall",
      "ERC20InsufficientAllowance",
    ]) {
      expect(code.includes(iface.getError(name)!.selector.slice(2)), name).to.equal(true);
      expect(raised.has(name), `${name} is raised by a test`).to.equal(true);
    }
  });
});

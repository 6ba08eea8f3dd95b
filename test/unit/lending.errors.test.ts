// Every custom error of the core's lending (ILendingCore, with ILending's) and of the LendingVault,
// and the ERC-4626 limits, access control and reentrancy guard they enforce, is in their bytecode
// and raised by at least one lending unit test. (Ported from the standalone LendingPool's check: the
// pool's NotClearinghouse is gone with it — a margin operation is an internal call of the core —
// and a deposit or mint past the pool's room is the core's SupplyRefused, not ERC-4626's
// ExceededMaxDeposit/Mint, which are absent from the vault's bytecode.)
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ILendingCore__factory,
  ILendingVault__factory,
  LendingCoreMock__factory,
  LendingVault__factory,
} from "../../types/ethers-contracts/index.js";
import coreArtifact from "../../artifacts/contracts/mocks/LendingCoreMock.sol/LendingCoreMock.json" with { type: "json" };
import vaultArtifact from "../../artifacts/contracts/periphery/LendingVault.sol/LendingVault.json" with { type: "json" };

function raisedInLendingTests(): Set<string> {
  const dir = import.meta.dirname;
  const names = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith("lending.") && n.endsWith(".test.ts"))) {
    const src = readFileSync(join(dir, f), "utf8");
    for (const m of src.matchAll(/revertedWithCustomError\(\s*[\w.()]+\s*,\s*"(\w+)"/g)) names.add(m[1]);
  }
  return names;
}

const sel = (s: string) => s.slice(2).replace(/^(00)+/, "");

describe("Lending custom error coverage (the core's pools and the LendingVault)", () => {
  const raised = raisedInLendingTests();
  const core = coreArtifact.deployedBytecode.toLowerCase();
  const vault = vaultArtifact.deployedBytecode.toLowerCase();

  it("every ILendingCore and ILendingVault error is in the bytecode and reached by a lending test", () => {
    const missing: string[] = [];
    for (const [iface, code] of [
      [ILendingCore__factory.createInterface(), core],
      [ILendingVault__factory.createInterface(), vault],
    ] as const) {
      iface.forEachError((e) => {
        if (raised.has(e.name)) return;
        // declared for the core but raised only by the Clearinghouse's own paths, never by the pools'
        if (!code.includes(sel(e.selector))) return;
        missing.push(e.name);
      });
    }
    expect(missing, "errors no lending test reaches").to.deep.equal([]);
  });

  it("the ERC-4626 exits' limits, access control and reentrancy guard are tested too; deposit limits are the core's", () => {
    const c = LendingCoreMock__factory.createInterface();
    const v = LendingVault__factory.createInterface();
    for (const [iface, code, name] of [
      [v, vault, "ERC4626ExceededMaxWithdraw"],
      [v, vault, "ERC4626ExceededMaxRedeem"],
      [v, vault, "ERC20InsufficientAllowance"],
      [c, core, "ReentrancyGuardReentrantCall"],
      [c, core, "SupplyRefused"],
    ] as const) {
      expect(code.includes(sel(iface.getError(name)!.selector)), name).to.equal(true);
      expect(raised.has(name), `${name} is raised by a test`).to.equal(true);
    }
    // the core mock (via IR, as the core, since it holds PriceLib) builds this selector from other
    // constants rather than pushing it whole: the test that reverts with it (lending.governance)
    // proves it is there, as test/unit/error-coverage.test.ts accepts for every reached error
    expect(c.getError("AccessManagedUnauthorized"), "AccessManagedUnauthorized is the core's").to.not.equal(null);
    expect(raised.has("AccessManagedUnauthorized"), "AccessManagedUnauthorized is raised by a test").to.equal(true);
    for (const name of ["ERC4626ExceededMaxDeposit", "ERC4626ExceededMaxMint"]) {
      expect(vault.includes(sel(v.getError(name)!.selector)), `${name} replaced by SupplyRefused`).to.equal(false);
    }
  });
});

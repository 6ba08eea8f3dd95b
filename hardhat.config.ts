import { createRequire } from "node:module";
import type { HardhatUserConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatViem from "@nomicfoundation/hardhat-viem";

const require = createRequire(import.meta.url);

// solc comes from npm (wasm build) so nothing is downloaded at build time.
// MegaETH's EVM is Prague-based; nothing here needs Osaka.
const compiler = (viaIR: boolean, runs = 1_000_000) => ({
  version: require("solc/package.json").version as string,
  path: require.resolve("solc/soljson.js"),
  settings: { evmVersion: "prague", optimizer: { enabled: true, runs }, viaIR },
});
// Every contract is optimised for execution (1,000,000 runs): MegaETH allows 524,288 bytes of code,
// so no setting is chosen to fit a size (test/unit/contract-size.test.ts asserts the limit).
// Measured 2026-12-07: the perp contracts at 1,000,000 runs instead of 200 (docs/GAS.md).
const profile = (viaIR: boolean) => ({
  compilers: [compiler(viaIR)],
  // via-IR where it is needed (stack depth) or cheaper (typed words inlined)
  overrides: {
    // the core: every book, perp market, pool and the vault in one contract. IR for its stack depth
    // and because it inlines the typed words' getters and setters (cheaper than the legacy pipeline)
    "contracts/Clearinghouse.sol": compiler(true),
    "contracts/periphery/AtlasLens.sol": compiler(true, 2000),
    // test only: runs AtlasMath's valuation, which needs IR as the core does
    "contracts/mocks/MathLibMock.sol": compiler(true, 200),
    // test only: holds PriceLib, whose setFeed needs IR as the core does
    "contracts/mocks/PriceLibHarness.sol": compiler(true, 200),
    // test only: the core's lending part (and with it its prices, PriceLib) over a mock vault
    "contracts/mocks/LendingCoreMock.sol": compiler(true, 200),
  },
});

const config: HardhatUserConfig = {
  plugins: [hardhatToolboxMochaEthers, hardhatViem],
  solidity: {
    profiles: { default: profile(false), production: profile(true) },
    npmFilesToBuild: ["@openzeppelin/contracts/access/manager/AccessManager.sol"],
  },
  paths: { tests: { mocha: "test" } },
  test: {
    mocha: { timeout: 600_000, reporter: "./scripts/mocha-reporter.cjs" },
  },
  networks: {
    // MegaETH allows 524,288 bytes of runtime code per contract (test/unit/contract-size.test.ts
    // asserts it); EDR enforces Ethereum's 24 KB unless told otherwise
    // MegaETH's EVM is Prague-based: simulate Prague, not EDR's default Osaka (whose 16,777,216-gas
    // cap per transaction, EIP-7825, MegaETH does not have: a large contract's deployment needs more)
    default: { type: "edr-simulated", hardfork: "prague", allowUnlimitedContractSize: true },
    node: { type: "edr-simulated", hardfork: "prague", allowUnlimitedContractSize: true }, // `hardhat node` (npm run node)
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
};

export default config;

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
// The hot path (order book, matching) is optimised for execution; the Clearinghouse carries more
// code (lending, margin, liquidation) and is tuned for size to stay under the 24 KB limit.
const profile = (viaIR: boolean) => ({
  compilers: [compiler(viaIR)],
  // Atlas at 2000 runs fits 24 KB because its what-if views live on AtlasLens (periphery), which
  // shares the gathering code through AtlasReader (docs/GAS.md)
  overrides: { "contracts/Clearinghouse.sol": compiler(true, 200), "contracts/Atlas.sol": compiler(true, 2000),
    "contracts/AtlasReader.sol": compiler(true, 2000), "contracts/periphery/AtlasLens.sol": compiler(true, 2000),
    // the perp book carries positions and funding on top of the shared book: too many locals without IR
    "contracts/PerpMarket.sol": compiler(true, 200),
    "contracts/PerpLiquidator.sol": compiler(true, 200),
    "contracts/OracleRouter.sol": compiler(true),
    // test only: runs AtlasMath's valuation, which needs IR as Atlas does
    "contracts/mocks/MathLibMock.sol": compiler(true, 200),
    // the spot book's packed words are types; IR inlines their getters and setters (cheaper than
    // hand-packed under the legacy pipeline, which keeps each call's stack shuffling: docs/DESIGN.md)
    "contracts/SpotMarket.sol": compiler(true),
    "contracts/SpotMarketDeployer.sol": compiler(true),
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
    default: { type: "edr-simulated", allowUnlimitedContractSize: true },
    node: { type: "edr-simulated", allowUnlimitedContractSize: true }, // `hardhat node` (npm run node)
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
};

export default config;

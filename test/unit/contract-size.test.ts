// MegaETH allows 524,288 bytes of runtime code per contract (its "Contract Limits"); the Hardhat
// networks lift EDR's 24 KB check so the venue is laid out by domain, not by Ethereum's limit.
// This deploys the whole venue, prints every contract's runtime size and asserts the limit.
import { expect } from "chai";
import { useVenue } from "../attack/venue.ts";

const MEGAETH_MAX_CODE_BYTES = 524_288;

describe("Contract sizes", () => {
  const venue = useVenue();

  it("every deployed contract of the venue is within MegaETH's 524,288-byte code limit", async () => {
    const v = venue();
    const named: Record<string, { getAddress(): Promise<string> }> = {
      AccessManager: v.protocol.manager,
      Clearinghouse: v.ch,
      SpotMarket: v.market,
      OracleRouter: v.oracle,
      Atlas: v.atlas,
      AtlasLens: v.lens,
      PerpLiquidator: v.liquidator,
      PerpMarket: v.ethPerp,
      ...Object.fromEntries(Object.entries(v.pools).map(([k, p]) => [`LendingVault(${k})`, p])),
    };
    const deployer = await v.ch.SPOT_DEPLOYER();
    const rows: [string, number][] = [];
    for (const [name, c] of Object.entries(named)) {
      const code = await v.ethers.provider.getCode(await c.getAddress());
      rows.push([name, (code.length - 2) / 2]);
    }
    rows.push(["SpotMarketDeployer", ((await v.ethers.provider.getCode(deployer)).length - 2) / 2]);
    for (const [name, size] of rows) console.log(`      ${name.padEnd(20)} ${String(size).padStart(7)} bytes`);
    for (const [name, size] of rows) {
      expect(size, name).to.be.greaterThan(0);
      expect(size, name).to.be.at.most(MEGAETH_MAX_CODE_BYTES);
    }
  });

  it("the in-process network accepts runtime code above Ethereum's 24,576 bytes", async () => {
    const v = venue();
    const size = 30_000; // init code: PUSH3 size, PUSH1 0, RETURN (returns `size` zero bytes)
    const init = "0x62" + size.toString(16).padStart(6, "0") + "6000f3";
    const receipt = await (await v.admin.sendTransaction({ data: init })).wait();
    const code = await v.ethers.provider.getCode(receipt!.contractAddress!);
    expect((code.length - 2) / 2).to.equal(size);
  });
});

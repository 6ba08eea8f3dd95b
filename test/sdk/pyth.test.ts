// The SDK's Pyth push (`updatePythPrices` and every write's `pythUpdate` option): the core reads a
// Pyth feed as it stands, so a write that values an asset whose Pyth price went stale must push a
// fresh signed update first. Pyth is Pyth's own MockPyth (contracts/mocks/MockPythImport.sol),
// which accepts unsigned updates built by `createPriceFeedUpdateData`.
import { expect } from "chai";
import { network } from "hardhat";
import { getAddress, type Address, type Hex } from "viem";
import { deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { deployMargin, UNCAPPED } from "../../scripts/lib/deploy-margin.ts";
import { MockPythFeed__factory } from "../../types/ethers-contracts/index.js";
import {
  borrowSync,
  clearinghouseAbi,
  depositSync,
  mockErc20Abi,
  PriceUnavailableError,
  updatePythPrices,
} from "../../sdk/src/index.ts";

const WAD = 10n ** 18n;
const ETH_ID = ("0x" + "e7".repeat(32)) as Hex;
const UPDATE_FEE_WEI = 7n;
const MAX_AGE_SECONDS = 60n;

describe("SDK: Pyth updates pushed before a write", () => {
  async function world() {
    const { ethers, viem } = await network.create();
    const [admin] = await ethers.getSigners();
    const protocol = await deployProtocol(admin);
    const weth = getAddress(await (await deployToken(admin, "Wrapped Ether", "WETH", 18)).getAddress());
    const usdc = getAddress(await (await deployToken(admin, "USD Coin", "USDC", 6)).getAddress());
    const margin = await deployMargin(protocol, [
      { token: weth, symbol: "weth", priceWad: 3_000n * WAD, shockBps: 1_000n, slippageBps: 50n },
      { token: usdc, symbol: "usdc", priceWad: WAD, shockBps: 100n, slippageBps: 10n, pool: { supplyCap: UNCAPPED, borrowCap: UNCAPPED } },
    ]);
    const core = getAddress(await protocol.clearinghouse.getAddress());
    const mockPyth = await new MockPythFeed__factory(admin).deploy(3_600n, UPDATE_FEE_WEI);
    const pyth = getAddress(await mockPyth.getAddress());
    const publicClient = await viem.getPublicClient();
    const now = async () => (await publicClient.getBlock()).timestamp;
    /** A signed-update stand-in: ETH at `usd` dollars (expo −8), published at `publishTime`. */
    const update = async (usd: bigint, publishTime: bigint): Promise<Hex> =>
      (await mockPyth.createPriceFeedUpdateData(ETH_ID, usd * 10n ** 8n, 10n ** 6n, -8, usd * 10n ** 8n, 10n ** 6n, publishTime, 0n)) as Hex;
    // WETH moves from its admin feed to Pyth (the anchor, inside the new bounds, is kept)
    await (await mockPyth.updatePriceFeeds([await update(3_000n, await now())], { value: UPDATE_FEE_WEI })).wait();
    await (
      await margin.oracle.setFeed(weth, {
        kind: 3n,
        feed: pyth,
        pythPriceId: ETH_ID,
        maxAgeSeconds: MAX_AGE_SECONDS,
        maxConfBps: 100n,
        maxStableMoveBpsPerHour: 500n,
        minPriceWad: 3n * WAD,
        maxPriceWad: 3_000_000n * WAD,
      })
    ).wait();
    // a lender funds the USDC pool; the trader deposits 10 WETH
    const [, lenderAddr, traderAddr] = (await viem.getWalletClients()).map((w) => w.account.address);
    const lender = await viem.getWalletClient(lenderAddr);
    const trader = await viem.getWalletClient(traderAddr);
    await lender.writeContract({ address: usdc, abi: mockErc20Abi, functionName: "mint", args: [lenderAddr, 10n ** 12n] });
    await depositSync(lender, { clearinghouse: core, token: usdc, amount: 10n ** 12n });
    await lender.writeContract({ address: core, abi: clearinghouseAbi, functionName: "setLending", args: [usdc, 0, true] });
    await trader.writeContract({ address: weth, abi: mockErc20Abi, functionName: "mint", args: [traderAddr, 10n * WAD] });
    await depositSync(trader, { clearinghouse: core, token: weth, amount: 10n * WAD });
    // the Pyth price goes stale: past the feed's max age
    await publicClient.request({ method: "evm_increaseTime" as never, params: [Number(MAX_AGE_SECONDS) * 2] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
    return { publicClient, trader, core, weth, usdc, pyth, update, now };
  }

  const ethPriceOf = async (w: Awaited<ReturnType<typeof world>>) =>
    w.publicClient.readContract({ address: w.core, abi: clearinghouseAbi, functionName: "tryPrice", args: [w.weth] });

  it("without an update the stale Pyth price blocks the borrow (PriceUnavailable)", async () => {
    const w = await world();
    const [ok] = await ethPriceOf(w);
    expect(ok).to.equal(false);
    let caught: unknown;
    try {
      await borrowSync(w.trader, { clearinghouse: w.core, token: w.usdc, atoms: 1_000n * 10n ** 6n });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(PriceUnavailableError);
    expect((caught as PriceUnavailableError).args).to.deep.equal({ asset: w.weth });
  });

  it("`pythUpdate` on the write pushes the update first, paying Pyth's fee, and the core values WETH at it", async () => {
    const w = await world();
    const pythBalance = await w.publicClient.getBalance({ address: w.pyth });
    const publishTime = (await w.now()) + 1n; // the update lands in the next block
    const { receipt } = await borrowSync(w.trader, {
      clearinghouse: w.core,
      token: w.usdc,
      atoms: 1_000n * 10n ** 6n,
      pythUpdate: { pyth: w.pyth, updateData: [await w.update(3_100n, publishTime)] },
    });
    expect(receipt.status).to.equal("success");
    expect(await w.publicClient.getBalance({ address: w.pyth })).to.equal(pythBalance + UPDATE_FEE_WEI);
    // the borrow stored the read: the core answers the pushed price
    const [ok, priceWad] = await ethPriceOf(w);
    expect(ok).to.equal(true);
    expect(priceWad).to.equal(3_100n * WAD);
    const usdcHeld = await w.publicClient.readContract({ address: w.usdc, abi: mockErc20Abi, functionName: "balanceOf", args: [w.trader.account.address] });
    expect(usdcHeld).to.equal(1_000n * 10n ** 6n);
  });

  it("`updatePythPrices` alone pushes the update; with an explicit nonce the update takes it and the write the next", async () => {
    const w = await world();
    const publishTime = (await w.now()) + 1n;
    const data = [await w.update(2_900n, publishTime)];
    const receipt = await updatePythPrices(w.trader, { pyth: w.pyth, updateData: data });
    expect(receipt.status).to.equal("success");
    const [ok, priceWad] = await ethPriceOf(w);
    expect(ok).to.equal(true);
    expect(priceWad).to.equal(2_900n * WAD);
    // an explicit nonce: the update takes it and the write the next one
    const nonce = await w.publicClient.getTransactionCount({ address: w.trader.account.address as Address });
    const { receipt: borrowReceipt } = await borrowSync(w.trader, {
      clearinghouse: w.core,
      token: w.usdc,
      atoms: 10n ** 6n,
      nonce,
      pythUpdate: { pyth: w.pyth, updateData: data },
    });
    const tx = await w.publicClient.getTransaction({ hash: borrowReceipt.transactionHash });
    expect(tx.nonce).to.equal(nonce + 1);
  });
});

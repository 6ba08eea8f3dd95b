// SDK test world with margin on the in-process network: the protocol and its margin layer
// (admin feeds in the core, the AtlasLens, each asset's pool in the Clearinghouse with its LendingVault) deployed with the project's
// deploy helpers; WETH (18), WBTC (8), USDC (6) and LINK (18); WETH/USDC and WBTC/USDC spot
// markets; an outside lender (the admin) supplying every pool through ERC-4626; traders with
// minted tokens in their wallets and nothing deposited. One deployment per `describe`, restored
// by snapshot before each test.
import { network } from "hardhat";
import { getAddress, maxUint256, type Address } from "viem";
import { createSpotMarket, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { deployMargin, UNCAPPED } from "../../scripts/lib/deploy-margin.ts";
import { createPerpMarket } from "../../scripts/lib/deploy-perp.ts";
import { exchangeActions, getMarket, lendingVaultAbi, mockErc20Abi, type MarketInfo } from "../../sdk/src/index.ts";

export const WAD = 10n ** 18n;
export const MINTED = 10n ** 30n;
export const PRICES = { weth: 3_000n * WAD, wbtc: 60_000n * WAD, usdc: WAD, link: 15n * WAD };
export const RISK = {
  weth: { shockBps: 1_000n, slippageBps: 50n },
  wbtc: { shockBps: 800n, slippageBps: 40n },
  usdc: { shockBps: 100n, slippageBps: 10n },
  link: { shockBps: 2_000n, slippageBps: 150n },
};
/** What the outside lender supplies to each pool, in atoms. */
export const SUPPLIED = { weth: 1_000n * WAD, wbtc: 100n * 10n ** 8n, usdc: 10_000_000n * 10n ** 6n, link: 1_000_000n * WAD };
export const DECIMALS = { weth: 18, wbtc: 8, usdc: 6, link: 18 } as const;
export type Sym = keyof typeof PRICES;
export const SYMS = ["weth", "wbtc", "usdc", "link"] as const satisfies readonly Sym[];

/** Network config overrides for the in-process chain (e.g. `allowBlocksWithSameTimestamp`). */
export type ChainOverride = Parameters<typeof network.create>[0] extends infer O ? (O extends { override?: infer V } ? V : never) : never;

async function deploy(override?: ChainOverride) {
  const connection = await network.create(override ? { override } : undefined);
  const { ethers, viem } = connection;
  const [adminSigner] = await ethers.getSigners();
  const protocol = await deployProtocol(adminSigner);
  const contracts = {
    weth: await deployToken(adminSigner, "Wrapped Ether", "WETH", 18),
    wbtc: await deployToken(adminSigner, "Wrapped Bitcoin", "WBTC", 8),
    usdc: await deployToken(adminSigner, "USD Coin", "USDC", 6),
    link: await deployToken(adminSigner, "Chainlink", "LINK", 18),
  };
  const tokens = {} as Record<Sym, Address>;
  for (const s of SYMS) tokens[s] = getAddress(await contracts[s].getAddress());
  const fees = { minLots: 1n, makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n };
  const wethUsdc = (await createSpotMarket(protocol, { base: tokens.weth, quote: tokens.usdc, lotSize: 10n ** 15n, tickSize: 10n, ...fees })).marketId;
  const wbtcUsdc = (await createSpotMarket(protocol, { base: tokens.wbtc, quote: tokens.usdc, lotSize: 10n ** 4n, tickSize: 1n, ...fees })).marketId;
  const margin = await deployMargin(
    protocol,
    SYMS.map((s) => ({ token: tokens[s], symbol: s, priceWad: PRICES[s], ...RISK[s], pool: { supplyCap: UNCAPPED, borrowCap: UNCAPPED } })),
  );
  // perps (market ids 3 and 4): ETH-PERP lot 0.001 WETH, BTC-PERP lot 0.0001 WBTC, both tick 10 USDC atoms
  const ethPerp = (
    await createPerpMarket(protocol, {
      underlying: tokens.weth,
      quote: tokens.usdc,
      lotSize: 10n ** 15n,
      tickSize: 10n,
    })
  ).marketId;
  const btcPerp = (
    await createPerpMarket(protocol, {
      underlying: tokens.wbtc,
      quote: tokens.usdc,
      lotSize: 10n ** 4n,
      tickSize: 10n,
    })
  ).marketId;
  const perps = { ethPerp, btcPerp };
  const clearinghouse = getAddress(await protocol.clearinghouse.getAddress());
  const lens = getAddress(await margin.lens.getAddress());
  const pools = {} as Record<Sym, Address>;
  for (const s of SYMS) pools[s] = getAddress(await margin.pools[s].getAddress());

  const publicClient = await viem.getPublicClient();
  const actions = exchangeActions({ clearinghouse, lens });
  const addresses = (await viem.getWalletClients()).slice(0, 8).map((w) => getAddress(w.account.address));
  const clients = await Promise.all(addresses.map(async (a) => (await viem.getWalletClient(a)).extend(actions)));
  const [admin, alice, bob, carol, dave, eve, frank, grace] = clients;
  for (const w of clients) {
    for (const s of SYMS) {
      await w.writeContract({ address: tokens[s], abi: mockErc20Abi, functionName: "mint", args: [w.account.address, MINTED] });
    }
  }
  // the outside lender: plain ERC-4626 deposits into every pool
  for (const s of SYMS) {
    await admin.writeContract({ address: tokens[s], abi: mockErc20Abi, functionName: "approve", args: [pools[s], maxUint256] });
    await admin.writeContract({ address: pools[s], abi: lendingVaultAbi, functionName: "deposit", args: [SUPPLIED[s], admin.account.address] });
  }
  const markets = {
    wethUsdc: await getMarket(publicClient, { clearinghouse, marketId: wethUsdc }),
    wbtcUsdc: await getMarket(publicClient, { clearinghouse, marketId: wbtcUsdc }),
  } as { wethUsdc: MarketInfo; wbtcUsdc: MarketInfo };

  /** Pushes a fresh price to the core (admin feed); every push also moves the stable price's anchor. Returns the block. */
  const push = async (s: Sym, priceWad: bigint): Promise<bigint> => {
    const receipt = await (await protocol.clearinghouse.pushPrice(tokens[s], priceWad)).wait();
    return BigInt(receipt!.blockNumber);
  };
  /** After a time warp: re-push every price (admin feeds go stale after an hour). */
  const refreshPrices = async (prices: Partial<Record<Sym, bigint>> = {}): Promise<bigint> => {
    let block = 0n;
    for (const s of SYMS) block = await push(s, prices[s] ?? PRICES[s]);
    return block;
  };
  const setRisk = async (s: Sym, shockBps: bigint, slippageBps: bigint, lentHaircutBps = 9_800n): Promise<bigint> => {
    const receipt = await (await protocol.clearinghouse.setAssetRisk(tokens[s], shockBps, slippageBps, lentHaircutBps)).wait();
    return BigInt(receipt!.blockNumber);
  };
  return {
    connection,
    publicClient,
    protocol,
    margin,
    admin,
    alice,
    bob,
    carol,
    dave,
    eve,
    frank,
    grace,
    clearinghouse,
    lens,
    pools,
    tokens,
    markets,
    perps,
    push,
    refreshPrices,
    setRisk,
  };
}

export type MarginWorld = Awaited<ReturnType<typeof deploy>>;

/** Deploys once for the enclosing `describe` and restores that state before each test. */
export function useMarginWorld(override?: ChainOverride): () => MarginWorld {
  let world: MarginWorld | undefined;
  let snapshot: { restore(): Promise<void> } | undefined;
  before(async () => {
    world = await deploy(override);
    snapshot = await world.connection.networkHelpers.takeSnapshot();
  });
  beforeEach(async () => {
    await snapshot!.restore();
  });
  return () => world!;
}

export async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

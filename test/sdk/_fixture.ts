// Shared SDK test world on the in-process network: the protocol deployed with the project's
// deploy helpers, WETH (18) / WBTC (8) / USDC (6), WETH/USDC and WBTC/USDC markets, and five
// traders funded through the SDK's own deposit. One deployment per `describe`, rolled back by
// snapshot before each test.
import { network } from "hardhat";
import { createWalletClient, custom, getAddress, type Account, type Address, type Client } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { createSpotMarket, deployProtocol, deployToken } from "../../scripts/lib/deploy.ts";
import { attachPrices } from "../helpers/fixture.ts";
import { depositSync, exchangeActions, getMarket, mockErc20Abi, type MarketInfo } from "../../sdk/src/index.ts";

export const WETH_LOT = 10n ** 15n; // 0.001 WETH
export const WETH_TICK = 10n; // $0.01 per WETH
export const WBTC_LOT = 10n ** 4n; // 0.0001 WBTC
export const WBTC_TICK = 1n; // $0.01 per WBTC
export const MINTED = 10n ** 30n;
export const DEPOSITED = { weth: 1_000n * 10n ** 18n, wbtc: 100n * 10n ** 8n, usdc: 10_000_000n * 10n ** 6n };

/** Private keys of Hardhat's default accounts 0..5 (the public "test test … junk" mnemonic). */
export const HARDHAT_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
] as const;

/** Network config overrides for the in-process chain (e.g. `throwOnTransactionFailures`). */
export type ChainOverride = Parameters<typeof network.create>[0] extends infer O ? (O extends { override?: infer V } ? V : never) : never;

async function deploy(override?: ChainOverride) {
  const connection = await network.create(override ? { override } : undefined);
  const { ethers, viem } = connection;
  const [adminSigner] = await ethers.getSigners();
  const protocol = await deployProtocol(adminSigner);
  const tokens = {
    weth: await deployToken(adminSigner, "Wrapped Ether", "WETH", 18),
    wbtc: await deployToken(adminSigner, "Wrapped Bitcoin", "WBTC", 8),
    usdc: await deployToken(adminSigner, "USD Coin", "USDC", 6),
  };
  const addr = async (c: { getAddress(): Promise<string> }) => getAddress(await c.getAddress());
  const weth = await addr(tokens.weth);
  const wbtc = await addr(tokens.wbtc);
  const usdc = await addr(tokens.usdc);
  const fees = { minLots: 1n, makerFeeBps: 1n, takerFeeBps: 5n, maxMakerFeeBps: 2n };
  // market ids 1 and 2 in the core
  const wethUsdc = (await createSpotMarket(protocol, { base: weth, quote: usdc, lotSize: WETH_LOT, tickSize: WETH_TICK, ...fees })).marketId;
  const wbtcUsdc = (await createSpotMarket(protocol, { base: wbtc, quote: usdc, lotSize: WBTC_LOT, tickSize: WBTC_TICK, ...fees })).marketId;
  const clearinghouse = await addr(protocol.clearinghouse);
  // an oracle (risk engine, no pools): the index an operator's orders keep to
  await attachPrices(
    protocol,
    [
      [weth, "WETH", 3_000n * 10n ** 18n],
      [wbtc, "WBTC", 60_000n * 10n ** 18n],
      [usdc, "USDC", 10n ** 18n],
    ],
    7n * 86_400n,
  );

  const publicClient = await viem.getPublicClient();
  const actions = exchangeActions({ clearinghouse });
  // checksummed accounts, so addresses compare equal to what viem decodes from events
  const addresses = (await viem.getWalletClients()).slice(0, 6).map((w) => getAddress(w.account.address));
  const [admin, alice, bob, carol, dave, eve] = await Promise.all(
    addresses.map(async (a) => (await viem.getWalletClient(a)).extend(actions)),
  );
  const traders = [alice, bob, carol, dave, eve];
  for (const w of traders) {
    for (const [token, amount] of [
      [weth, DEPOSITED.weth],
      [wbtc, DEPOSITED.wbtc],
      [usdc, DEPOSITED.usdc],
    ] as const) {
      await w.writeContract({ address: token, abi: mockErc20Abi, functionName: "mint", args: [w.account.address, MINTED] });
      await depositSync(w, { clearinghouse, token, amount });
    }
  }
  const markets = {
    wethUsdc: await getMarket(publicClient, { clearinghouse, marketId: wethUsdc }),
    wbtcUsdc: await getMarket(publicClient, { clearinghouse, marketId: wbtcUsdc }),
  };
  /** A wallet client for account `i` that signs locally (raw transactions), as a bot would. */
  const localClient = (i: number) =>
    createWalletClient({
      account: privateKeyToAccount(HARDHAT_KEYS[i]) as Account,
      chain: hardhat,
      transport: custom(connection.provider),
    }).extend(actions);
  return {
    connection,
    publicClient,
    admin,
    alice,
    bob,
    carol,
    dave,
    eve,
    traders,
    localClient,
    clearinghouse,
    tokens: { weth, wbtc, usdc },
    markets: markets as { wethUsdc: MarketInfo; wbtcUsdc: MarketInfo },
  };
}

export type SdkWorld = Awaited<ReturnType<typeof deploy>>;

/** Deploys once for the enclosing `describe` and restores that state before each test. */
export function useWorld(override?: ChainOverride): () => SdkWorld {
  let world: SdkWorld | undefined;
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

export type { Address, Client };

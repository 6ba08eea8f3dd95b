// Shared deployment for the Hardhat tests: a protocol, WETH (18), WBTC (8), USDC (6), and a
// WETH/USDC market; traders funded and deposited. Each call builds a fresh in-process chain.
import { network } from "hardhat";
import { deployProtocol, deployToken, createSpotMarket, type Protocol } from "../../scripts/lib/deploy.ts";
import { adminFeed, deployMargin } from "../../scripts/lib/deploy-margin.ts";

export const WETH_LOT = 10n ** 15n; // 0.001 WETH per lot
export const USDC_TICK = 10n; // 0.00001 USDC per lot per tick => $0.01 per WETH
export const DEPOSIT = 10n ** 24n;

export async function deployFixture(opts: { makerFeeBps?: bigint; takerFeeBps?: bigint; maxMakerFeeBps?: bigint } = {}) {
  const connection = await network.create();
  const { ethers } = connection;
  const signers = await ethers.getSigners();
  const [admin, alice, bob, carol, dave, eve] = signers;
  const protocol = await deployProtocol(admin);
  const ch = protocol.clearinghouse;
  const weth = await deployToken(admin, "Wrapped Ether", "WETH", 18);
  const wbtc = await deployToken(admin, "Wrapped Bitcoin", "WBTC", 8);
  const usdc = await deployToken(admin, "USD Coin", "USDC", 6);
  const market = await createSpotMarket(protocol, {
    base: await weth.getAddress(),
    quote: await usdc.getAddress(),
    lotSize: WETH_LOT,
    tickSize: USDC_TICK,
    minLots: 1n,
    makerFeeBps: opts.makerFeeBps ?? 1n,
    takerFeeBps: opts.takerFeeBps ?? 5n,
    maxMakerFeeBps: opts.maxMakerFeeBps ?? 2n,
  });
  await (await ch.listAsset(await wbtc.getAddress())).wait();
  const traders = [alice, bob, carol, dave, eve];
  const chAddr = await ch.getAddress();
  for (const s of traders) {
    for (const t of [weth, usdc, wbtc]) {
      await (await t.mint(s.address, DEPOSIT * 10n)).wait();
      await (await t.connect(s).approve(chAddr, 2n ** 256n - 1n)).wait();
      await (await ch.connect(s).deposit(await t.getAddress(), 0, DEPOSIT)).wait();
    }
  }
  return { connection, ethers, admin, alice, bob, carol, dave, eve, traders, protocol, ch, weth, wbtc, usdc, market };
}

/**
 * Gives a spot-only venue a risk engine whose oracle prices the given tokens (admin feeds, no
 * lending pools, the listing's default risk parameters): the index an operator's orders are
 * bounded to (Clearinghouse.operatorTickBand). Admin feeds go stale after `maxAgeSeconds`
 * (an hour unless given; at most 7 days).
 */
export async function attachPrices(
  protocol: Protocol,
  prices: [token: string, symbol: string, priceWad: bigint][],
  maxAgeSeconds?: bigint,
) {
  const margin = await deployMargin(
    protocol,
    prices.map(([token, symbol, priceWad]) => ({ token, symbol, priceWad, shockBps: 1_000n, slippageBps: 100n })),
  );
  if (maxAgeSeconds !== undefined) {
    for (const [token, , priceWad] of prices) {
      await (await margin.oracle.setFeed(token, { ...adminFeed(priceWad), maxAgeSeconds })).wait();
      await (await margin.oracle.pushPrice(token, priceWad)).wait();
    }
  }
  return margin;
}

// Shared deployment for the Hardhat tests: a protocol, WETH (18), WBTC (8), USDC (6), and a
// WETH/USDC market; traders funded and deposited. Each call builds a fresh in-process chain.
import { network } from "hardhat";
import { deployProtocol, deployToken, createSpotMarket } from "../../scripts/lib/deploy.ts";

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

// Shared world for the price unit tests (the core's `ClearinghousePrices` over `PriceLib`): an
// AccessManager with the deployer as admin, the core (`Clearinghouse`) whose setFeed needs the
// governance role and pushPrice the oracle role, a keeper holding only the oracle role,
// Chainlink-style aggregators with 8 and 18 decimals and Pyth's MockPyth. The core's setFeed does
// not need a listed asset, so the assets are arbitrary addresses. One deployment per `describe`,
// rolled back by snapshot before each test. Also a bigint model of the conversions and stable
// price, so tests compare against exact expectations.
import { network } from "hardhat";
import { getAddress, type Signer } from "ethers";
import {
  AccessManager__factory,
  Clearinghouse__factory,
  MockAggregator__factory,
  MockPythFeed__factory,
} from "../../types/ethers-contracts/index.js";

export const GOVERNANCE_ROLE = 1n;
export const ORACLE_ROLE = 3n;
export const WAD = 10n ** 18n;
export const BPS_HOURS = 10_000n * 3600n;
export const MAX_UINT = 2n ** 256n - 1n;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_ID = "0x" + "00".repeat(32);
export const ETH_ID = "0x" + "e7".repeat(32);

/** FeedKind as the contract numbers it. */
export const Kind = { None: 0n, Admin: 1n, Chainlink: 2n, Pyth: 3n } as const;

/** Asset addresses: the core's price layer never calls the asset, so any address will do. */
export const ASSET = {
  weth: getAddress("0x00000000000000000000000000000000000000e7"),
  wbtc: getAddress("0x00000000000000000000000000000000000000b7"),
  usdc: getAddress("0x00000000000000000000000000000000000000c6"),
  none: getAddress("0x00000000000000000000000000000000000000dd"),
} as const;

export interface Cfg {
  kind: bigint;
  feed: string;
  pythPriceId: string;
  maxAgeSeconds: bigint;
  maxConfBps: bigint;
  maxStableMoveBpsPerHour: bigint;
  minPriceWad: bigint;
  maxPriceWad: bigint;
}

const base = {
  maxAgeSeconds: 3600n,
  maxStableMoveBpsPerHour: 500n, // 5% of the anchor per hour
  minPriceWad: 1n * WAD,
  maxPriceWad: 100_000n * WAD,
};

export const adminCfg = (o: Partial<Cfg> = {}): Cfg => ({
  kind: Kind.Admin,
  feed: ZERO_ADDRESS,
  pythPriceId: ZERO_ID,
  maxConfBps: 0n,
  ...base,
  ...o,
});

export const chainlinkCfg = (feed: string, o: Partial<Cfg> = {}): Cfg => ({
  kind: Kind.Chainlink,
  feed,
  pythPriceId: ZERO_ID,
  maxConfBps: 0n,
  ...base,
  ...o,
});

export const pythCfg = (pyth: string, o: Partial<Cfg> = {}): Cfg => ({
  kind: Kind.Pyth,
  feed: pyth,
  pythPriceId: ETH_ID,
  maxConfBps: 100n, // 1%
  ...base,
  ...o,
});

/** feedOf's answer as a plain array, in FeedConfig's field order. */
export const cfgTuple = (c: Cfg) => [
  c.kind,
  c.feed,
  c.pythPriceId,
  c.maxAgeSeconds,
  c.maxConfBps,
  c.maxStableMoveBpsPerHour,
  c.minPriceWad,
  c.maxPriceWad,
];

async function deploy() {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const [admin, keeper, outsider, anyone] = await ethers.getSigners();
  const manager = await new AccessManager__factory(admin).deploy(admin.address);
  // the core, its treasury the admin (unused here)
  const core = await new Clearinghouse__factory(admin).deploy(await manager.getAddress(), admin.address);
  const coreAddr = await core.getAddress();
  const sel = (f: "setFeed" | "pushPrice") => core.interface.getFunction(f).selector;
  await (await manager.setTargetFunctionRole(coreAddr, [sel("setFeed")], GOVERNANCE_ROLE)).wait();
  await (await manager.setTargetFunctionRole(coreAddr, [sel("pushPrice")], ORACLE_ROLE)).wait();
  await (await manager.grantRole(GOVERNANCE_ROLE, admin.address, 0)).wait();
  await (await manager.grantRole(ORACLE_ROLE, admin.address, 0)).wait();
  await (await manager.grantRole(ORACLE_ROLE, keeper.address, 0)).wait();
  const agg8 = await new MockAggregator__factory(admin).deploy(8, 3_000n * 10n ** 8n);
  const agg18 = await new MockAggregator__factory(admin).deploy(18, 1n * WAD);
  const pyth = await new MockPythFeed__factory(admin).deploy(60, 0);
  return { connection, ethers, networkHelpers, admin, keeper, outsider, anyone, manager, core, agg8, agg18, pyth };
}

export type OracleFx = Awaited<ReturnType<typeof deploy>>;

/** Deploys once per `describe` and restores that state before every test. */
export function useOracleFixture(): () => OracleFx {
  let fx: OracleFx | undefined;
  let snapshot: { restore(): Promise<void> } | undefined;
  before(async () => {
    fx = await deploy();
    snapshot = await fx.networkHelpers.takeSnapshot();
  });
  beforeEach(async () => {
    await snapshot!.restore();
  });
  return () => fx!;
}

/** Latest block time; views (eth_call) run at this time on the in-process chain. */
export const now = async (fx: OracleFx): Promise<bigint> => BigInt(await fx.networkHelpers.time.latest());

/** Mines an empty block at exactly `t`, so the next view sees block.timestamp = t. */
export const mineAt = async (fx: OracleFx, t: bigint): Promise<void> => {
  await fx.networkHelpers.time.increaseTo(t);
};

/** Makes the next transaction run at block.timestamp = t. */
export const nextTxAt = async (fx: OracleFx, t: bigint): Promise<void> => {
  await fx.networkHelpers.time.setNextBlockTimestamp(t);
};

/** Sets the MockPyth price of `id` as of `publishTime` (which must exceed the previous one). */
export async function setPyth(
  fx: OracleFx,
  p: { id?: string; price: bigint; conf: bigint; expo: bigint; publishTime: bigint },
): Promise<void> {
  const id = p.id ?? ETH_ID;
  const data = await fx.pyth.createPriceFeedUpdateData(id, p.price, p.conf, p.expo, p.price, p.conf, p.publishTime, 0n);
  await (await fx.pyth.updatePriceFeeds([data])).wait();
}

export async function setFeed(fx: OracleFx, asset: string, cfg: Cfg, signer?: Signer): Promise<void> {
  await (await fx.core.connect(signer ?? fx.admin).setFeed(asset, cfg)).wait();
}

// ---------------------------------------------------------------- bigint model of PriceLib

/** value × 10^shift, saturating at 2^256 − 1; a negative shift rounds down. */
export function scale(value: bigint, shift: bigint): bigint {
  if (value === 0n) return 0n;
  if (shift >= 0n) {
    if (shift > 77n) return MAX_UINT;
    const r = value * 10n ** shift;
    return r > MAX_UINT ? MAX_UINT : r;
  }
  if (shift < -77n) return 0n;
  return value / 10n ** -shift;
}

/** Most seconds since the anchor counted toward the stable price's move. */
export const MAX_STABLE_ELAPSED = 3600n;

/**
 * The stable price from an anchor towards `oracle`, at `t`, counting at most an hour since the
 * anchor. With no anchor (the core then has no usable price) it is `oracle`: the first good
 * price is the anchor.
 */
export function stableModel(oracle: bigint, bps: bigint, anchor: { wad: bigint; at: bigint } | null, t: bigint): bigint {
  if (!anchor || anchor.at === 0n) return oracle;
  const elapsed = t - anchor.at > MAX_STABLE_ELAPSED ? MAX_STABLE_ELAPSED : t - anchor.at;
  const maxMove = (anchor.wad * bps * elapsed) / BPS_HOURS;
  const lower = maxMove >= anchor.wad ? 0n : anchor.wad - maxMove;
  const upper = anchor.wad + maxMove;
  return oracle < lower ? lower : oracle > upper ? upper : oracle;
}

/** A Chainlink or Pyth read a write path stored is reused while the feed's time of it is at most this old. */
export const STORED_MAX_AGE = 3n;
/** Every feed's largest maxPriceWad (prices and anchors live in 87 bits of the PriceWord). */
export const MAX_PRICE = 2n ** 87n - 1n;

/**
 * `price(asset)` sent as a transaction (so it can be traced op by op): the distinct storage slots it
 * read, the calls it made, its gas and status.
 */
export async function tracePrice(fx: OracleFx, asset: string) {
  const data = fx.core.interface.encodeFunctionData("price", [asset]);
  const tx = await fx.anyone.sendTransaction({ to: await fx.core.getAddress(), data, gasLimit: 200_000n });
  const rc = (await tx.wait())!;
  const trace = (await fx.connection.provider.request({
    method: "debug_traceTransaction",
    params: [tx.hash, { disableStorage: true, disableMemory: true }],
  })) as { structLogs: { op: string; stack: string[] }[] };
  const slots = new Set<string>();
  let calls = 0;
  for (const log of trace.structLogs) {
    if (log.op === "SLOAD") slots.add(BigInt(log.stack[log.stack.length - 1]).toString(16));
    if (["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"].includes(log.op)) calls++;
  }
  return { slots: slots.size, calls, gas: rc.gasUsed, status: rc.status };
}

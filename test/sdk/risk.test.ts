// Risk actions against the in-process network: the account's margin from one snapshot
// (cross-checked with the contract), what-if limits that hold to the atom, and liquidation:
// flagging, cancelling resting orders, finding the largest repayment that does not overshoot
// the buffer, liquidating exactly as previewed, and writing off a bankrupt account's debt.
// Blocks may share a timestamp here, so a transaction can run at the very time a snapshot was
// read: the SDK's previews are then exact.
import { expect } from "chai";
import { type Address, decodeFunctionData } from "viem";
import { readContract } from "viem/actions";
import {
  AccountNotLiquidatableError,
  AtlasMismatchError,
  InvalidParameterError,
  exchangeActions,
  getAccountRisk,
  AtlasTokenMissingError,
  InsufficientMarginError,
  LiquidationTooLargeError,
  NoDebtError,
  NotBankruptError,
  NotLiquidatableError,
  OrdersStillOpenError,
  PriceUnavailableError,
  Side,
  accountId,
  atlasMath,
  clearinghouseAbi,
  decodeExchangeError,
  gasWithMargin,
  lendingVaultAbi,
  liquidationMath,
} from "../../sdk/src/index.ts";
import { PRICES, WAD, thrown, useMarginWorld } from "./_margin.ts";

const USDC = 10n ** 6n;

describe("sdk actions: risk and liquidation", () => {
  const world = useMarginWorld({ allowBlocksWithSameTimestamp: true });

  const riskOnChain = (owner: Address, blockNumber?: bigint) =>
    readContract(world().publicClient, {
      address: world().clearinghouse,
      abi: clearinghouseAbi,
      functionName: "riskOf",
      args: [accountId(owner)],
      blockNumber,
    });
  const balanceOf = (owner: Address, token: Address) =>
    readContract(world().publicClient, {
      address: world().clearinghouse,
      abi: clearinghouseAbi,
      functionName: "balanceOf",
      args: [accountId(owner), token],
    });
  /** The next transaction runs at `timestamp` (the chain allows equal timestamps). */
  const at = (timestamp: bigint) => world().connection.networkHelpers.time.setNextBlockTimestamp(timestamp);

  /** alice: WETH, WBTC, lent USDC, a borrow of LINK, a resting bid and ask. */
  async function busyAccount() {
    const { alice, tokens, markets } = world();
    await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
    await alice.depositSync({ token: tokens.wbtc, amount: 10n ** 8n, approve: "max" });
    await alice.depositSync({ token: tokens.usdc, amount: 20_000n * USDC, approve: "max" });
    await alice.setLendingSync({ token: tokens.usdc });
    await alice.borrowSync({ token: tokens.link, atoms: 500n * WAD });
    await alice.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Bid, tick: 280_000n, lots: 500n });
    await alice.placeOrderSync({ marketId: markets.wbtcUsdc.marketId, side: Side.Ask, tick: 7_000_000n, lots: 2_000n });
  }

  describe("getAccountRisk", () => {
    it("gives the contract's equity, maintenance, initial value, per-asset values and liquidation prices (verify: true)", async () => {
      const { alice, tokens } = world();
      await busyAccount();
      const r = await alice.getAccountRisk({ verify: true });
      const onChain = await riskOnChain(alice.account.address, r.snapshot.blockNumber);
      expect([r.equityWad, r.maintenanceWad, r.initialWad]).to.deep.equal([onChain.equityWad, onChain.maintenanceWad, onChain.initialWad]);
      expect(r.freeCollateralWad).to.equal(r.initialWad);
      expect(r.liquidatable).to.equal(false);
      expect(r.initialWad).to.be.lessThan(r.maintenanceWad);
      expect(r.maintenanceWad).to.be.lessThan(r.equityWad);
      expect(r.assets.map((a) => a.token)).to.have.members([tokens.weth, tokens.wbtc, tokens.usdc, tokens.link]);
      const [weth, wbtc, usdc, link] = [tokens.weth, tokens.wbtc, tokens.usdc, tokens.link].map((t) => r.assets.find((a) => a.token === t)!);
      expect(weth.idleAtoms).to.equal(10n * WAD);
      expect(wbtc.pocketAtoms).to.equal(2_000n * 10n ** 4n); // locked behind the ask
      // lent, less the bid's lock that left the pool for the market's pocket (the pool rounds in its favour)
      expect(usdc.pocketAtoms).to.equal(500n * (280_000n + 56n) * 10n); // price + the 2 bp maker fee bound
      expect(20_000n * USDC - (usdc.lentAtoms + usdc.pocketAtoms)).to.be.oneOf([0n, 1n, 2n]);
      expect(link.debtAtoms >= 500n * WAD && link.debtAtoms < 500n * WAD + WAD / 1000n).to.equal(true); // seconds of interest
      expect(link.adjustedAtoms).to.be.lessThan(-500n * WAD); // 10 days of interest on top
      // the LINK debt has a ceiling price; the WBTC and USDC alone cover it, so no WETH price liquidates
      expect(link.liquidationPriceWad).to.be.greaterThan(PRICES.link);
      expect(weth.liquidationPriceWad).to.equal(0n);
    });

    it("verify without a lens checks the core's own figures (riskOf, riskEntries); a what-if verify needs the lens", async () => {
      const { alice, tokens, clearinghouse, publicClient } = world();
      await busyAccount();
      // a client bound without the AtlasLens
      const bare = alice.extend(exchangeActions({ clearinghouse }));
      const r = await bare.getAccountRisk({ verify: true });
      const onChain = await riskOnChain(alice.account.address, r.snapshot.blockNumber);
      expect(r.maintenanceWad).to.equal(onChain.maintenanceWad);
      // a snapshot that disagrees with the core's entries is caught (a pocket's lock moved by one atom)
      const wrong = structuredClone(r.snapshot);
      wrong.pockets[0].lockedQuoteAtoms += 1n;
      const e = await thrown(getAccountRisk(publicClient, { clearinghouse, owner: alice.account.address, snapshot: wrong, verify: true }));
      expect(e).to.be.instanceOf(AtlasMismatchError);
      expect((e as AtlasMismatchError).field).to.match(/^(riskOf|riskEntries)/);
      expect(await thrown(bare.maxWithdraw({ token: tokens.weth, verify: true }))).to.be.instanceOf(InvalidParameterError);
    });

    it("reads the quote token of a market the account holds none of (its pocket's other side) and still agrees", async () => {
      const { eve, tokens, markets } = world();
      await eve.depositSync({ token: tokens.wbtc, amount: 10n ** 8n, approve: "max" });
      await eve.borrowSync({ token: tokens.link, atoms: 100n * WAD });
      await eve.placeOrderSync({ marketId: markets.wbtcUsdc.marketId, side: Side.Ask, tick: 6_500_000n, lots: 5_000n });
      const r = await eve.getAccountRisk({ verify: true });
      const usdc = r.assets.find((a) => a.token === tokens.usdc);
      expect(usdc).to.not.equal(undefined); // no USDC balance: the market's quote joins as an empty entry
      expect([usdc!.idleAtoms, usdc!.pocketAtoms, usdc!.maintenanceWad]).to.deep.equal([0n, 0n, 0n]);
      expect(r.snapshot.positions.map((p) => p.token)).to.not.include(tokens.usdc);
      expect(r.snapshot.assets[tokens.usdc].price.ok).to.equal(true);
    });

    it("a what-if price set in a snapshot gives the maintenance value the contract computes once the oracle moves there", async () => {
      const { alice, tokens, push } = world();
      await busyAccount();
      const { snapshot } = await alice.getAccountRisk();
      const moved = structuredClone(snapshot);
      const p = (moved.assets[tokens.link].price.priceWad * 250n) / 100n;
      moved.assets[tokens.link].price.priceWad = p;
      await at(snapshot.timestamp); // no interest in between
      const block = await push("link", p);
      const onChain = await riskOnChain(alice.account.address, block);
      expect(atlasMath.maintenanceValue(moved)).to.equal(onChain.maintenanceWad);
      expect(atlasMath.equity(atlasMath.gather(moved)[0])).to.equal(onChain.equityWad);
      expect(onChain.maintenanceWad).to.be.lessThan(atlasMath.maintenanceValue(snapshot)); // the LINK debt grew
    });

    it("with a stale price the SDK throws the contract's PriceUnavailableError, as the contract reverts", async () => {
      const { alice, tokens, connection, publicClient, clearinghouse } = world();
      await busyAccount();
      await connection.networkHelpers.time.increase(2 * 3_600);
      const sdk = await thrown(alice.getAccountRisk());
      const chain = decodeExchangeError(
        await thrown(readContract(publicClient, { address: clearinghouse, abi: clearinghouseAbi, functionName: "riskOf", args: [accountId(alice.account.address)] })),
      );
      expect(sdk).to.be.instanceOf(PriceUnavailableError);
      expect(chain).to.be.instanceOf(PriceUnavailableError);
      expect((sdk as PriceUnavailableError).args.asset).to.equal((chain as PriceUnavailableError).args.asset);
      expect((sdk as PriceUnavailableError).data).to.equal((chain as PriceUnavailableError).data);
      expect([tokens.weth, tokens.wbtc, tokens.usdc, tokens.link]).to.include((sdk as PriceUnavailableError).args.asset);
    });
  });

  describe("maxWithdraw and maxBorrow", () => {
    it("maxBorrow holds to the atom: borrowing it passes the margin check, one atom more fails", async () => {
      const { alice, tokens } = world();
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await alice.depositSync({ token: tokens.usdc, amount: 1_000n * USDC, approve: "max" });
      const snapshot = await alice.readAtlasSnapshot({ owner: alice.account.address, tokens: [tokens.usdc] });
      const max = await alice.maxBorrow({ token: tokens.usdc, snapshot, verify: true });
      expect(max).to.be.greaterThan(20_000n * USDC);
      expect(await alice.maxWithdraw({ token: tokens.usdc, snapshot, allowBorrow: true, verify: true })).to.equal(max + 1_000n * USDC);
      await at(snapshot.timestamp);
      const over = await thrown(alice.borrowSync({ token: tokens.usdc, atoms: max + 1_000n * USDC + 1n }));
      expect(over).to.be.instanceOf(InsufficientMarginError);
      await at(snapshot.timestamp);
      const { borrowedAtoms } = await alice.borrowSync({ token: tokens.usdc, atoms: max + 1_000n * USDC });
      expect(borrowedAtoms).to.equal(max);
      const after = await riskOnChain(alice.account.address);
      expect(after.initialWad >= 0n).to.equal(true);
    });

    // A withdrawal beyond a lent balance redeems it first: that cash leaves the pool before the
    // borrow, which is then priced at the utilisation without it (the Clearinghouse's borrowQuoteAfterRedeem).
    it("a lender's maxWithdraw with borrowing agrees with the contract and holds to the atom", async () => {
      const { alice, tokens } = world();
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await alice.depositSync({ token: tokens.usdc, amount: 20_000n * USDC, approve: "max" });
      await alice.setLendingSync({ token: tokens.usdc });
      const snapshot = await alice.readAtlasSnapshot({ owner: alice.account.address, tokens: [tokens.usdc] });
      const w = await alice.maxWithdraw({ token: tokens.usdc, snapshot, allowBorrow: true, verify: true });
      const max = await alice.maxBorrow({ token: tokens.usdc, snapshot, verify: true });
      const lent = await balanceOf(alice.account.address, tokens.usdc);
      expect(w).to.equal(lent + max);
      expect(max).to.be.greaterThan(0n);
      await at(snapshot.timestamp);
      expect(await thrown(alice.borrowSync({ token: tokens.usdc, atoms: w + 1n }))).to.be.instanceOf(InsufficientMarginError);
      await at(snapshot.timestamp);
      await alice.borrowSync({ token: tokens.usdc, atoms: w });
      expect((await riskOnChain(alice.account.address)).initialWad >= 0n).to.equal(true);
    });

    it("maxWithdraw without borrowing: at most the balance, less what margin needs when the account owes", async () => {
      const { alice, tokens } = world();
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      expect(await alice.maxWithdraw({ token: tokens.weth, verify: true })).to.equal(10n * WAD); // no debt: all of it
      await alice.borrowSync({ token: tokens.usdc, atoms: 15_000n * USDC });
      const snapshot = await alice.readAtlasSnapshot({ owner: alice.account.address, tokens: [tokens.weth] });
      const w = await alice.maxWithdraw({ token: tokens.weth, snapshot, verify: true });
      expect(w).to.be.greaterThan(0n);
      expect(w).to.be.lessThan(10n * WAD);
      await at(snapshot.timestamp);
      expect(await thrown(alice.withdrawSync({ token: tokens.weth, amount: w + 1n }))).to.be.instanceOf(InsufficientMarginError);
      await at(snapshot.timestamp);
      await alice.withdrawSync({ token: tokens.weth, amount: w });
      expect(await balanceOf(alice.account.address, tokens.weth)).to.equal(10n * WAD - w);
    });

    it("a snapshot read without the token refuses the what-if with AtlasTokenMissingError", async () => {
      const { alice, tokens } = world();
      await alice.depositSync({ token: tokens.weth, amount: WAD, approve: "max" });
      const snapshot = await alice.readAtlasSnapshot({ owner: alice.account.address });
      const e = await thrown(alice.maxBorrow({ token: tokens.usdc, snapshot }));
      expect(e).to.be.instanceOf(AtlasTokenMissingError);
      expect((e as AtlasTokenMissingError).token).to.equal(tokens.usdc);
    });
  });

  describe("the hash-returning forms", () => {
    it("every write has one besides its …Sync form", async () => {
      const { alice, bob, carol, tokens, pools, markets, push, publicClient } = world();
      const wait = async (hash: `0x${string}`) => expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
      const me = alice.account.address;
      await wait((await alice.supply({ pool: pools.usdc, assets: 1_000n * USDC })).hash);
      await wait((await alice.withdrawSupply({ pool: pools.usdc, shares: "all" })).hash);
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await wait(await alice.setLending({ token: tokens.weth }));
      await wait(await alice.setBorrowPolicy({ forOrders: true, forWithdrawals: false }));
      await wait(await alice.borrow({ token: tokens.usdc, atoms: 18_000n * USDC }));
      await wait((await alice.repay({ token: tokens.usdc, atoms: 10n * USDC })).hash);
      await alice.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Ask, tick: 350_000n, lots: 10n });
      await carol.depositSync({ token: tokens.usdc, amount: 10_000n * USDC, approve: "max" });
      await push("weth", 2_000n * WAD);
      await wait(await bob.flagLiquidatable({ owner: me }));
      await wait((await bob.cancelForLiquidation({ marketId: markets.wethUsdc.marketId, owner: me })).hash);
      const p = await carol.findLiquidationAmount({ owner: me, debtToken: tokens.usdc, collateralToken: tokens.weth });
      await wait(await carol.liquidate({ owner: me, debtToken: tokens.usdc, repayAtoms: p.repayAtoms / 2n, collateralToken: tokens.weth }));
      const e = await thrown(bob.settleBadDebt({ owner: me, token: tokens.usdc }));
      expect(e).to.be.instanceOf(NotBankruptError);
    });

    it("sends the estimate plus gasWithMargin's margin as the gas limit", async () => {
      const { alice, tokens, publicClient, clearinghouse } = world();
      await alice.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      const estimate = await publicClient.estimateContractGas({
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "borrow",
        args: [tokens.usdc, 0, 1_000n * USDC, alice.account.address],
        account: alice.account.address,
      });
      const { receipt } = await alice.borrowSync({ token: tokens.usdc, atoms: 1_000n * USDC });
      const tx = await publicClient.getTransaction({ hash: receipt.transactionHash });
      expect(tx.gas).to.equal(gasWithMargin(estimate));
      expect(receipt.gasUsed <= estimate).to.equal(true);
    });
  });

  describe("liquidation", () => {
    /** bob: 10 WETH, 18,000 USDC borrowed, a resting ask; then WETH falls to $2,000. carol liquidates with idle USDC. */
    async function underwater() {
      const { bob, carol, tokens, markets, push } = world();
      await bob.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await bob.borrowSync({ token: tokens.usdc, atoms: 18_000n * USDC });
      await bob.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Ask, tick: 350_000n, lots: 1_000n });
      await carol.depositSync({ token: tokens.usdc, amount: 100_000n * USDC, approve: "max" });
      await push("weth", 2_000n * WAD);
    }

    it("flag, cancel the orders, find the largest repayment and liquidate exactly as previewed", async () => {
      const { bob, carol, tokens, markets, connection, refreshPrices, clearinghouse } = world();
      const owner = bob.account.address;
      await underwater();
      expect((await carol.getAccountRisk({ owner })).liquidatable).to.equal(true);
      const { since } = await carol.flagLiquidatableSync({ owner });
      expect(since).to.be.greaterThan(0n);
      await connection.networkHelpers.time.increase(300); // half the ramp
      await refreshPrices({ weth: 2_000n * WAD });

      const first = await carol.findLiquidationAmount({ owner, debtToken: tokens.usdc, collateralToken: tokens.weth });
      expect(first.ordersToCancel).to.deep.equal([{ marketId: markets.wethUsdc.marketId, count: 1n }]);
      const blocked = await thrown(carol.liquidateSync({ owner, debtToken: tokens.usdc, repayAtoms: first.repayAtoms, collateralToken: tokens.weth }));
      expect(blocked).to.be.instanceOf(OrdersStillOpenError);
      expect((blocked as OrdersStillOpenError).args).to.deep.equal({ marketId: markets.wethUsdc.marketId, count: 1n });
      const { events } = await carol.cancelForLiquidationSync({ marketId: markets.wethUsdc.marketId, owner });
      expect(events.cancelled).to.have.length(1);

      const p = await carol.findLiquidationAmount({ owner, debtToken: tokens.usdc, collateralToken: tokens.weth });
      expect(p.error).to.equal(undefined);
      expect(p.ordersToCancel).to.deep.equal([]);
      expect(p.repayAtoms).to.be.greaterThan(0n);
      expect(p.repayAtoms).to.be.lessThan(18_000n * USDC); // partial
      const cap = ((RISK_WETH.shockBps + RISK_WETH.slippageBps) * 5_000n) / 10_000n;
      const elapsed = p.after.timestamp - since!;
      expect(p.discountBps).to.equal((cap * elapsed) / 600n);
      expect(p.maintenanceBeforeWad).to.be.lessThan(0n);
      expect(p.maintenanceAfterWad).to.be.greaterThan(p.maintenanceBeforeWad);
      expect(p.maintenanceAfterWad <= p.bufferWad).to.equal(true);
      // one atom more overshoots the buffer, in the preview and on chain
      const snapshot = await carol.readAtlasSnapshot({ owner, tokens: [tokens.usdc, tokens.weth] });
      expect(snapshot.blockNumber).to.equal(p.after.blockNumber);
      const over = liquidationMath.previewLiquidation(snapshot, { debtToken: tokens.usdc, repayAtoms: p.repayAtoms + 1n, collateralToken: tokens.weth });
      expect(over.error).to.be.instanceOf(LiquidationTooLargeError);
      await at(snapshot.timestamp);
      const chainOver = await thrown(
        carol.liquidateSync({ owner, debtToken: tokens.usdc, repayAtoms: p.repayAtoms + 1n, collateralToken: tokens.weth }),
      );
      expect(chainOver).to.be.instanceOf(LiquidationTooLargeError);
      expect((chainOver as LiquidationTooLargeError).args).to.deep.equal((over.error as LiquidationTooLargeError).args);

      const debtShares = async () => (await readContract(world().publicClient, {
        address: clearinghouse, abi: clearinghouseAbi, functionName: "positionOf", args: [accountId(owner), tokens.usdc],
      })).amount;
      const shares0 = await debtShares();
      await at(snapshot.timestamp);
      const done = await carol.liquidateSync({ owner, debtToken: tokens.usdc, repayAtoms: p.repayAtoms, collateralToken: tokens.weth });
      expect([done.repaidAtoms, done.seizedAtoms, done.discountBps]).to.deep.equal([p.repayAtoms, p.seizedAtoms, p.discountBps]);
      expect(done.repaidShares).to.be.greaterThan(0n);
      expect(done.repaidShares).to.equal((await debtShares()) - shares0); // the borrow shares burnt
      const after = await riskOnChain(owner, done.receipt.blockNumber);
      expect(after).to.deep.equal(atlasMath.riskOf(p.after));
      expect(after.maintenanceWad).to.equal(p.maintenanceAfterWad);
      expect(await balanceOf(carol.account.address, tokens.weth)).to.equal(p.seizedAtoms);
      // healthy again (within the buffer): the auction is over
      const state = await readContract(world().publicClient, {
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "accountState",
        args: [accountId(owner)],
      });
      expect(state >> 208n).to.equal(after.maintenanceWad >= 0n ? 0n : since);
    });

    it("orders on two markets: cancelForLiquidation with both market ids clears them in one cancelAllForLiquidation", async () => {
      const { bob, carol, tokens, markets, push, publicClient } = world();
      const owner = bob.account.address;
      const [weth, wbtc] = [markets.wethUsdc.marketId, markets.wbtcUsdc.marketId];
      await bob.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await bob.borrowSync({ token: tokens.usdc, atoms: 18_000n * USDC });
      await bob.placeOrderSync({ marketId: weth, side: Side.Ask, tick: 350_000n, lots: 1_000n });
      await publicClient.waitForTransactionReceipt({ hash: await bob.setBorrowPolicy({ forOrders: true, forWithdrawals: false }) });
      await bob.placeOrderSync({ marketId: wbtc, side: Side.Bid, tick: 5_000_000n, lots: 10n }); // its USDC borrowed
      await push("weth", 2_000n * WAD);
      const { events, orderIds, receipt } = await carol.cancelForLiquidationSync({ marketId: [weth, wbtc], owner });
      expect(orderIds).to.have.length(2);
      expect(events.cancelled.map((e) => [e.marketId, e.orderId])).to.deep.equal([[weth, orderIds[0]], [wbtc, orderIds[1]]]);
      const tx = await publicClient.getTransaction({ hash: receipt.transactionHash });
      expect(decodeFunctionData({ abi: clearinghouseAbi, data: tx.input }).functionName).to.equal("cancelAllForLiquidation");
      const p = await carol.findLiquidationAmount({ owner, debtToken: tokens.usdc, collateralToken: tokens.weth });
      expect(p.ordersToCancel).to.deep.equal([]);
      expect(p.repayAtoms).to.be.greaterThan(0n);
    });

    it("a healthy account: the preview says NotLiquidatable, the contract reverts it, cancelForLiquidation too", async () => {
      const { bob, carol, tokens, markets } = world();
      const owner = bob.account.address;
      await bob.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await bob.borrowSync({ token: tokens.usdc, atoms: 5_000n * USDC });
      await bob.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Ask, tick: 350_000n, lots: 10n });
      const p = await carol.findLiquidationAmount({ owner, debtToken: tokens.usdc, collateralToken: tokens.weth });
      expect(p.error).to.be.instanceOf(NotLiquidatableError);
      const flag = await thrown(carol.flagLiquidatableSync({ owner }));
      expect(flag).to.be.instanceOf(NotLiquidatableError);
      expect((flag as NotLiquidatableError).args.account).to.equal(accountId(owner));
      expect((flag as NotLiquidatableError).args.maintenanceWad).to.be.greaterThan(0n);
      const cancel = await thrown(carol.cancelForLiquidationSync({ marketId: markets.wethUsdc.marketId, owner }));
      expect(cancel).to.be.instanceOf(AccountNotLiquidatableError);
      const cancelAll = await thrown(carol.cancelForLiquidationSync({ marketId: [markets.wethUsdc.marketId, markets.wbtcUsdc.marketId], owner }));
      expect(cancelAll).to.be.instanceOf(AccountNotLiquidatableError);
    });

    it("flagLiquidatable on an account healthy again ends its auction (since 0)", async () => {
      const { bob, carol, push } = world();
      const owner = bob.account.address;
      await underwater();
      const first = await carol.flagLiquidatableSync({ owner });
      expect(first.since).to.be.greaterThan(0n);
      await push("weth", PRICES.weth);
      const again = await carol.flagLiquidatableSync({ owner });
      expect(again.since).to.equal(0n);
      expect((await carol.readAtlasSnapshot({ owner })).liquidatableSince).to.equal(0n);
    });

    it("a bankrupt account: liquidated down to no collateral, its debt written off against the pool's lenders only", async () => {
      const { dave, carol, admin, tokens, pools, connection, refreshPrices, push, publicClient } = world();
      const owner = dave.account.address;
      await dave.depositSync({ token: tokens.usdc, amount: 10_000n * USDC, approve: "max" });
      await dave.borrowSync({ token: tokens.weth, atoms: 2n * WAD });
      await carol.depositSync({ token: tokens.weth, amount: 10n * WAD, approve: "max" });
      await push("weth", 9_000n * WAD); // the debt is now worth more than the collateral
      expect(await thrown(carol.settleBadDebtSync({ owner, token: tokens.weth }))).to.be.instanceOf(NotBankruptError);
      await carol.flagLiquidatableSync({ owner });
      await connection.networkHelpers.time.increase(600);
      await refreshPrices({ weth: 9_000n * WAD });
      const p = await carol.findLiquidationAmount({ owner, debtToken: tokens.weth, collateralToken: tokens.usdc });
      expect(p.error).to.equal(undefined);
      expect(p.seizedAtoms).to.equal(10_000n * USDC); // every atom of collateral
      expect(p.maintenanceAfterWad).to.be.lessThan(0n);
      await at(p.after.timestamp);
      await carol.liquidateSync({ owner, debtToken: tokens.weth, repayAtoms: p.repayAtoms, collateralToken: tokens.usdc });
      expect(await balanceOf(owner, tokens.usdc)).to.equal(0n);

      const lenderShares = await readContract(publicClient, { address: pools.weth, abi: lendingVaultAbi, functionName: "balanceOf", args: [admin.account.address] });
      const valueOf = () => readContract(publicClient, { address: pools.weth, abi: lendingVaultAbi, functionName: "convertToAssets", args: [lenderShares] });
      const usdcLenders = () => readContract(publicClient, { address: pools.usdc, abi: lendingVaultAbi, functionName: "totalAssets" });
      const [before, usdcBefore] = [await valueOf(), await usdcLenders()];
      const owed = -(await balanceOf(owner, tokens.weth));
      expect(owed).to.be.greaterThan(0n);
      const noDebt = await thrown(carol.settleBadDebtSync({ owner, token: tokens.usdc }));
      expect(noDebt).to.be.instanceOf(NoDebtError);
      const { lossAtoms, shares } = await carol.settleBadDebtSync({ owner, token: tokens.weth });
      expect(shares).to.be.greaterThan(0n);
      expect(lossAtoms >= owed && lossAtoms <= owed + 10n ** 12n).to.equal(true); // a second of interest at most
      expect(await balanceOf(owner, tokens.weth)).to.equal(0n);
      const after = await valueOf();
      expect(after).to.be.lessThan(before); // the WETH lenders bear it...
      expect(await usdcLenders()).to.equal(usdcBefore); // ...and the USDC pool's lenders do not
    });
  });
});

const RISK_WETH = { shockBps: 1_000n, slippageBps: 50n };

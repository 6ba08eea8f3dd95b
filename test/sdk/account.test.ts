// Account actions (deposit, withdraw, balances, operators) against the in-process network,
// including how reads are batched with and without a Multicall3 contract on the chain.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createPublicClient, custom, erc20Abi, getAddress, maxUint256, type Address, type Hex } from "viem";
import { readContract, sendTransaction, waitForTransactionReceipt } from "viem/actions";
import { hardhat } from "viem/chains";
import {
  AssetNotListedError,
  ERC20InsufficientAllowanceError,
  InsufficientBalanceError,
  InvalidOperatorBandError,
  OperatorPriceOutOfBandError,
  OrderKind,
  Side,
  ZeroAmountError,
  accountId,
  clearinghouseAbi,
  getBalances,
} from "../../sdk/src/index.ts";
import { DEPOSITED, MINTED, WETH_LOT, WETH_TICK, useWorld } from "./_fixture.ts";

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Multicall3's creation code as viem ships it (viem does not export the constant). */
function multicall3Bytecode(): Hex {
  const file = createRequire(import.meta.url).resolve("viem").replace(/_cjs\/index\.js$/, "_esm/constants/contracts.js");
  const m = /multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(readFileSync(file, "utf8"));
  if (!m) throw new Error("viem's multicall3Bytecode not found");
  return m[1] as Hex;
}

describe("sdk actions: account", () => {
  const world = useWorld();

  describe("deposit", () => {
    it("approves exactly the amount first when the allowance is short", async () => {
      const { alice, clearinghouse, tokens } = world();
      const me = alice.account.address;
      const before = await alice.getBalances({ owner: me, tokens: [tokens.usdc] });
      const { hash, approval } = await alice.deposit({ token: tokens.usdc, amount: 5_000_000n });
      expect(approval?.status).to.equal("success");
      await waitForTransactionReceipt(alice, { hash });
      const after = await alice.getBalances({ owner: me, tokens: [tokens.usdc] });
      expect(after.free[tokens.usdc] - before.free[tokens.usdc]).to.equal(5_000_000n);
      // the exact approval was used up
      expect(await readContract(alice, { address: tokens.usdc, abi: erc20Abi, functionName: "allowance", args: [me, clearinghouse] })).to.equal(0n);
    });

    it("skips the approval when the allowance covers the amount", async () => {
      const { bob, clearinghouse, tokens } = world();
      const first = await bob.depositSync({ token: tokens.weth, amount: 10n ** 18n, approve: "max" });
      expect(first.approval).to.not.equal(undefined);
      const allowance = await readContract(bob, {
        address: tokens.weth,
        abi: erc20Abi,
        functionName: "allowance",
        args: [bob.account.address, clearinghouse],
      });
      expect(allowance).to.equal(maxUint256); // OpenZeppelin's ERC20 never spends an infinite allowance
      const second = await bob.depositSync({ token: tokens.weth, amount: 2n * 10n ** 18n });
      expect(second.approval).to.equal(undefined);
      expect(second.receipt.status).to.equal("success");
    });

    it("deposits into a chosen sub-account", async () => {
      const { carol, tokens } = world();
      await carol.depositSync({ token: tokens.wbtc, amount: 12_345n, sub: 9n });
      const { free } = await carol.getBalances({ owner: carol.account.address, sub: 9n, tokens: [tokens.wbtc] });
      expect(free[tokens.wbtc]).to.equal(12_345n);
    });

    it("with approve: false and a short allowance reverts with the token's typed error", async () => {
      const { dave, clearinghouse, tokens } = world();
      const e = await thrown(dave.depositSync({ token: tokens.usdc, amount: 7n, approve: false }));
      expect(e).to.be.instanceOf(ERC20InsufficientAllowanceError);
      const { args } = e as ERC20InsufficientAllowanceError;
      expect(args.spender).to.equal(clearinghouse);
      expect([args.allowance, args.needed]).to.deep.equal([0n, 7n]);
    });

    it("refuses an unlisted token and a zero amount with typed errors", async () => {
      const { eve, connection } = world();
      const junk = await connection.viem.deployContract("MockERC20", ["Junk", "JNK", 18]);
      await junk.write.mint([eve.account.address, 10n ** 18n]);
      const unlisted = await thrown(eve.depositSync({ token: junk.address, amount: 1n }));
      expect(unlisted).to.be.instanceOf(AssetNotListedError);
      expect((unlisted as AssetNotListedError).args.token).to.equal(getAddress(junk.address));
      const zero = await thrown(eve.depositSync({ token: world().tokens.usdc, amount: 0n }));
      expect(zero).to.be.instanceOf(ZeroAmountError);
    });
  });

  describe("withdraw", () => {
    it("sends free balance to the owner, or to `to`", async () => {
      const { alice, eve, tokens } = world();
      const me = alice.account.address;
      const wallet = (a: Address) => readContract(alice, { address: tokens.usdc, abi: erc20Abi, functionName: "balanceOf", args: [a] });
      const mine = await wallet(me);
      const hers = await wallet(eve.account.address);
      const r = await alice.withdraw({ token: tokens.usdc, amount: 1_000n });
      await waitForTransactionReceipt(alice, { hash: r.hash });
      await alice.withdrawSync({ token: tokens.usdc, amount: 2_000n, to: eve.account.address });
      expect((await wallet(me)) - mine).to.equal(1_000n);
      expect((await wallet(eve.account.address)) - hers).to.equal(2_000n);
      const { free } = await alice.getBalances({ owner: me, tokens: [tokens.usdc] });
      expect(free[tokens.usdc]).to.equal(DEPOSITED.usdc - 3_000n);
    });

    it("'all' withdraws the whole free balance after sweeping the given markets", async () => {
      const { alice, bob, markets, tokens } = world();
      const marketId = markets.wethUsdc.marketId;
      await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 40n });
      await bob.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 40n, kind: OrderKind.Ioc });
      // alice bought 40 lots: they sit unswept in her WETH/USDC pocket
      const r = await alice.withdrawSync({ token: tokens.weth, amount: "all", sweep: [marketId, markets.wbtcUsdc.marketId] });
      expect(r.sweeps).to.have.length(1); // the empty WBTC/USDC pocket is not swept
      expect(r.amount).to.equal(DEPOSITED.weth + 40n * WETH_LOT);
      const held = await readContract(alice, { address: tokens.weth, abi: erc20Abi, functionName: "balanceOf", args: [alice.account.address] });
      expect(held).to.equal(MINTED - DEPOSITED.weth + r.amount);
      const { free, pockets } = await alice.getBalances({ owner: alice.account.address, tokens: [tokens.weth], marketIds: [marketId] });
      expect(free[tokens.weth]).to.equal(0n);
      expect(pockets[0].unsweptBase).to.equal(0n);
    });

    it("beyond the free balance reverts with InsufficientBalanceError naming what is available", async () => {
      const { alice, markets, tokens } = world();
      // lock part of the balance behind an ask: it is no longer free
      await alice.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Ask, tick: 400_000n, lots: 1_000n });
      const e = await thrown(alice.withdrawSync({ token: tokens.weth, amount: DEPOSITED.weth }));
      expect(e).to.be.instanceOf(InsufficientBalanceError);
      const { args } = e as InsufficientBalanceError;
      expect(args.token).to.equal(tokens.weth);
      expect(args.requested).to.equal(DEPOSITED.weth);
      expect(args.available).to.equal(DEPOSITED.weth - 1_000n * WETH_LOT);
    });
  });

  describe("getBalances", () => {
    it("matches the contracts' own views: free, locked, unswept and totals", async () => {
      const { alice, bob, markets, tokens, clearinghouse } = world();
      const weth = markets.wethUsdc.marketId;
      const wbtc = markets.wbtcUsdc.marketId;
      await alice.placeOrderSync({ marketId: weth, side: Side.Bid, tick: 250_000n, lots: 8n });
      await alice.placeOrderSync({ marketId: wbtc, side: Side.Ask, tick: 6_500_000n, lots: 3n });
      await alice.placeOrderSync({ marketId: weth, side: Side.Ask, tick: 310_000n, lots: 5n });
      await bob.placeOrderSync({ marketId: weth, side: Side.Bid, tick: 310_000n, lots: 5n, kind: OrderKind.Ioc });
      const me = alice.account.address;
      const b = await alice.getBalances({ owner: me, tokens: [tokens.weth, tokens.wbtc, tokens.usdc], marketIds: [weth, wbtc] });
      for (const t of [tokens.weth, tokens.wbtc, tokens.usdc]) {
        const onChain = await readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "balanceOf", args: [accountId(me), t] });
        expect(b.free[t]).to.equal(onChain);
      }
      const [pw, pb] = b.pockets;
      expect([pw.marketId, pw.base, pw.quote]).to.deep.equal([weth, tokens.weth, tokens.usdc]);
      expect(pw.openOrders).to.equal(1n);
      expect(pw.lockedQuote).to.equal(8n * (250_000n + 50n) * WETH_TICK); // price + 2 bp fee bound
      expect(pw.lockedBase).to.equal(0n);
      expect(pb.lockedBase).to.equal(3n * 10n ** 4n);
      expect(pw.unsweptQuote).to.be.greaterThan(0n);
      expect(b.total[tokens.usdc]).to.equal(b.free[tokens.usdc] + pw.lockedQuote + pw.unsweptQuote + pb.lockedQuote + pb.unsweptQuote);
      expect(b.total[tokens.weth]).to.equal(b.free[tokens.weth] + pw.lockedBase + pw.unsweptBase);
      expect(b.total[tokens.wbtc]).to.equal(b.free[tokens.wbtc] + pb.lockedBase + pb.unsweptBase);
    });

    it("is one eth_call without Multicall3 (deployless), one through a deployed Multicall3, and falls back to parallel reads", async () => {
      const { alice, admin, connection, markets, tokens, clearinghouse } = world();
      await alice.placeOrderSync({ marketId: markets.wethUsdc.marketId, side: Side.Bid, tick: 250_000n, lots: 8n });
      const calls: { to?: string }[] = [];
      const refuseDeployless = { on: false };
      const client = createPublicClient({
        chain: hardhat,
        transport: custom({
          async request({ method, params }) {
            if (method === "eth_call") {
              const call = (params as [{ to?: string }])[0];
              calls.push(call);
              if (refuseDeployless.on && !call.to) throw Object.assign(new Error("code calls disabled"), { code: -32000 });
            }
            return connection.provider.request({ method, params });
          },
        }),
      });
      const q = {
        clearinghouse,
        owner: alice.account.address,
        tokens: [tokens.weth, tokens.usdc],
        marketIds: [markets.wethUsdc.marketId, markets.wbtcUsdc.marketId],
      };
      const deployless = await getBalances(client, q);
      expect(calls).to.have.length(1);
      expect(calls[0].to).to.equal(undefined);

      const hash = await sendTransaction(admin, { data: multicall3Bytecode(), to: null, account: admin.account, chain: hardhat });
      const multicallAddress = (await waitForTransactionReceipt(admin, { hash })).contractAddress!;
      calls.length = 0;
      expect(await getBalances(client, { ...q, multicallAddress })).to.deep.equal(deployless);
      expect(calls).to.have.length(1);
      expect(calls[0].to?.toLowerCase()).to.equal(multicallAddress.toLowerCase());

      calls.length = 0;
      refuseDeployless.on = true;
      expect(await getBalances(client, q)).to.deep.equal(deployless);
      // the refused batch, then 2 balances + 2 × (pocket, marketInfo), every one to the core
      expect(calls.filter((c) => c.to)).to.have.length(6);
      expect(deployless.pockets[0].lockedQuote).to.be.greaterThan(0n);
    });
  });

  describe("setOperator", () => {
    it("approves and revokes an operator, per sub-account", async () => {
      const { alice, bob, clearinghouse } = world();
      const isOp = (sub: bigint) =>
        readContract(alice, {
          address: clearinghouse,
          abi: clearinghouseAbi,
          functionName: "isOperator",
          args: [accountId(alice.account.address, sub), bob.account.address],
        });
      const hash = await alice.setOperator({ operator: bob.account.address, sub: 2n });
      await waitForTransactionReceipt(alice, { hash });
      expect([await isOp(0n), await isOp(2n)]).to.deep.equal([false, true]);
      await alice.setOperatorSync({ operator: bob.account.address, sub: 2n, approved: false });
      expect(await isOp(2n)).to.equal(false);
    });
  });

  describe("setOperatorBand / getOperatorBand", () => {
    it("bounds the operator's prices around the oracle index; refusals decode to typed errors", async () => {
      const { alice, bob, markets } = world();
      const marketId = markets.wethUsdc.marketId;
      await alice.setOperatorSync({ operator: bob.account.address });
      expect(await alice.getOperatorBand({ owner: alice.account.address })).to.equal(200n);
      // WETH $3,000 on the oracle: ±2% is ticks [294_000, 306_000]
      const out = await thrown(bob.placeOrderSync({ marketId, owner: alice.account.address, side: Side.Ask, tick: 1n, lots: 5n }));
      expect(out).to.be.instanceOf(OperatorPriceOutOfBandError);
      const { tick, minTick, maxTick } = (out as OperatorPriceOutOfBandError).args;
      expect([tick, minTick, maxTick]).to.deep.equal([1n, 294_000n, 306_000n]);
      await alice.setOperatorBandSync({ bandBps: 5_000n });
      expect(await bob.getOperatorBand({ owner: alice.account.address })).to.equal(5_000n);
      expect(await bob.getOperatorBand({ owner: alice.account.address, sub: 1n })).to.equal(200n);
      const r = await bob.placeOrderSync({ marketId, owner: alice.account.address, side: Side.Ask, tick: 150_000n, lots: 5n, kind: OrderKind.PostOnly });
      expect(r.orderId).to.not.equal(0n);
      const hash = await alice.setOperatorBand({ bandBps: 100n, sub: 1n });
      await waitForTransactionReceipt(alice, { hash });
      expect(await alice.getOperatorBand({ owner: alice.account.address, sub: 1n })).to.equal(100n);
      const bad = await thrown(alice.setOperatorBandSync({ bandBps: 5_001n }));
      expect(bad).to.be.instanceOf(InvalidOperatorBandError);
      expect((bad as InvalidOperatorBandError).args.bandBps).to.equal(5_001n);
    });
  });
});

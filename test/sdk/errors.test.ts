// Reverts decode into one typed class per contract custom error: a round trip over every error
// of the ABIs, real reverts through the actions, the non-custom shapes (panic, reason string,
// unknown), receipts that say "reverted", and a check that the SDK throws only its own classes.
import { expect } from "chai";
import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { concatHex, encodeAbiParameters, encodeErrorResult, parseAbiParameters, toFunctionSelector, type AbiParameter, type Hex } from "viem";
import { formatAbiItem } from "viem/utils";
import { readContract, writeContract } from "viem/actions";
import * as sdk from "../../sdk/src/index.ts";
import {
  AccessManagedUnauthorizedError,
  BaseError,
  ClientOrderNotFoundError,
  ContractRevertError,
  FokNotFilledError,
  InvalidAmendError,
  MarketPausedError,
  NotAuthorizedError,
  AccessManagerInsufficientBalanceError,
  InsufficientBalanceError,
  OpenOrdersRemainError,
  OrderKind,
  OrderNotFoundError,
  PanicError,
  PostOnlyWouldCrossError,
  RevertReasonError,
  Side,
  TickOutOfRangeError,
  TooManyOpenOrdersError,
  TransactionRevertedError,
  UnknownRevertError,
  WorstPriceExceededError,
  ZeroSizeError,
  accountId,
  clearinghouseAbi,
  contractErrorsBySelector,
  decodeExchangeError,
  exchangeErrorsAbi,
} from "../../sdk/src/index.ts";
import { useWorld } from "./_fixture.ts";

type ErrorItem = (typeof exchangeErrorsAbi)[number];
const selectorOf = (item: ErrorItem) => toFunctionSelector(formatAbiItem(item));

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Random values of a Solidity type, and what viem gives back when it decodes them. */
function arbitraryOf(p: AbiParameter): fc.Arbitrary<{ sent: unknown; decoded: unknown }> {
  const t = p.type;
  const int = /^(u?)int(\d+)$/.exec(t);
  if (int) {
    const bits = BigInt(int[2]);
    const [min, max] = int[1] ? [0n, (1n << bits) - 1n] : [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
    // viem decodes integers of 48 bits or fewer as numbers
    return fc.bigInt({ min, max }).map((v) => ({ sent: v, decoded: bits <= 48n ? Number(v) : v }));
  }
  const bytes = /^bytes(\d+)$/.exec(t);
  if (bytes) {
    const n = Number(bytes[1]);
    return fc.uint8Array({ minLength: n, maxLength: n }).map((a) => {
      const hex = `0x${Buffer.from(a).toString("hex")}` as Hex;
      return { sent: hex, decoded: hex };
    });
  }
  if (t === "address") {
    return fc.uint8Array({ minLength: 20, maxLength: 20 }).map((a) => {
      const hex = sdk.decodeAccountId(BigInt(`0x${Buffer.from(a).toString("hex")}`) << 96n).owner;
      return { sent: hex, decoded: hex };
    });
  }
  throw new Error(`no arbitrary for ${t}`);
}

describe("sdk errors", () => {
  describe("classes", () => {
    it("one class per custom error selector, each named, keyed and typed after its Solidity error", () => {
      const selectors = exchangeErrorsAbi.map((e) => selectorOf(e));
      expect(new Set(selectors).size).to.equal(exchangeErrorsAbi.length);
      expect(Object.keys(contractErrorsBySelector).sort()).to.deep.equal([...selectors].sort());
      const names = new Set<string>();
      for (const item of exchangeErrorsAbi) {
        const cls = contractErrorsBySelector[selectorOf(item)];
        expect(cls.errorName).to.equal(item.name);
        expect(cls.selector).to.equal(selectorOf(item));
        expect(cls.prototype).to.be.instanceOf(ContractRevertError);
        expect(cls.prototype).to.be.instanceOf(BaseError);
        expect(cls.name.endsWith("Error")).to.equal(true);
        names.add(cls.name);
      }
      expect(names.size).to.equal(exchangeErrorsAbi.length);
    });

    it("two errors sharing a name with different arguments get different classes", () => {
      expect(InsufficientBalanceError.signature).to.equal("InsufficientBalance(address,uint256,uint256)");
      expect(AccessManagerInsufficientBalanceError.signature).to.equal("InsufficientBalance(uint256,uint256)");
      // the AccessManager's one (uint256, uint256): its selector, then two words
      const data = concatHex([AccessManagerInsufficientBalanceError.selector, encodeAbiParameters(parseAbiParameters("uint256, uint256"), [1n, 2n])]);
      const e = decodeExchangeError({ data });
      expect(e).to.be.instanceOf(AccessManagerInsufficientBalanceError);
      expect(e).to.not.be.instanceOf(InsufficientBalanceError);
    });

    it("every error of the ABIs decodes from its revert data into its class with the same arguments", () => {
      for (const item of exchangeErrorsAbi) {
        const args = fc.tuple(...item.inputs.map(arbitraryOf));
        fc.assert(
          fc.property(args, (values) => {
            const data = encodeErrorResult({
              abi: [item],
              errorName: item.name,
              args: values.map((v) => v.sent),
            } as Parameters<typeof encodeErrorResult>[0]);
            // the JSON-RPC shape: the revert data nested in the error object
            const e = decodeExchangeError({ cause: { data: { data } } });
            expect(e).to.be.instanceOf(contractErrorsBySelector[selectorOf(item)]);
            const decoded = e as ContractRevertError;
            expect(decoded.errorName).to.equal(item.name);
            expect(decoded.data).to.equal(data);
            const expected = Object.fromEntries(item.inputs.map((inp, i) => [inp.name, values[i].decoded]));
            expect(decoded.args).to.deep.equal(expected);
          }),
          { numRuns: 20 },
        );
      }
    });
  });

  describe("other revert shapes", () => {
    it("a panic decodes into PanicError with its code", () => {
      const data = encodeErrorResult({
        abi: [{ type: "error", name: "Panic", inputs: [{ type: "uint256", name: "code" }] }],
        errorName: "Panic",
        args: [0x11n],
      });
      const e = decodeExchangeError({ data });
      expect(e).to.be.instanceOf(PanicError);
      expect((e as PanicError).code).to.equal(0x11n);
    });

    it("a reason string decodes into RevertReasonError", () => {
      const data = encodeErrorResult({
        abi: [{ type: "error", name: "Error", inputs: [{ type: "string", name: "message" }] }],
        errorName: "Error",
        args: ["nope"],
      });
      const e = decodeExchangeError({ data });
      expect(e).to.be.instanceOf(RevertReasonError);
      expect((e as RevertReasonError).reason).to.equal("nope");
    });

    it("an unknown selector, empty data or undecodable bytes give UnknownRevertError", () => {
      expect(decodeExchangeError({ data: "0xdeadbeef" })).to.be.instanceOf(UnknownRevertError);
      expect(decodeExchangeError({ data: "0x" })).to.be.instanceOf(UnknownRevertError);
      // InsufficientBalance's selector with its arguments cut short
      expect(decodeExchangeError({ data: `${sdk.InsufficientBalanceError.selector}00` })).to.be.instanceOf(UnknownRevertError);
    });

    it("errors without revert data are not reverts", () => {
      expect(decodeExchangeError(new Error("socket hang up"))).to.equal(undefined);
      expect(decodeExchangeError(undefined)).to.equal(undefined);
      expect(decodeExchangeError({ data: "not hex" })).to.equal(undefined);
      const already = new ZeroSizeError({ args: {}, data: ZeroSizeError.selector });
      expect(decodeExchangeError(already)).to.equal(already);
    });
  });

  describe("reverts through the actions", () => {
    const world = useWorld();

    it("order validation errors arrive as their classes with typed arguments", async () => {
      const { alice, markets } = world();
      const marketId = markets.wethUsdc.marketId;
      // out-of-range fields never leave the SDK: its encoder throws its own error, naming the field
      const local = await thrown(alice.placeOrderSync({ marketId, side: Side.Bid, tick: 255n ** 3n, lots: 1n }));
      expect(local).to.be.instanceOf(sdk.ValueOutOfRangeError);
      expect((local as sdk.ValueOutOfRangeError).field).to.equal("tick");
      expect(await thrown(alice.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 0n }))).to.be.instanceOf(sdk.ValueOutOfRangeError);
      // the same words packed by hand reach the core, whose reverts decode to their classes
      const raw = (order: bigint) =>
        thrown(
          writeContract(alice, {
            address: world().clearinghouse,
            abi: clearinghouseAbi,
            functionName: "placeOrder",
            args: [marketId, order],
            account: alice.account,
            chain: alice.chain,
          }),
        );
      expect(decodeExchangeError(await raw(sdk.packOrder({ side: Side.Bid, tick: 300_000n, lots: 0n })))).to.be.instanceOf(ZeroSizeError);
      const tick = decodeExchangeError(await raw(sdk.packOrder({ side: Side.Bid, tick: 255n ** 3n, lots: 1n })));
      expect(tick).to.be.instanceOf(TickOutOfRangeError);
      expect((tick as TickOutOfRangeError).args.tick).to.equal(255n ** 3n);

      await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 10n });
      const post = await thrown(
        world().bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_010n, lots: 1n, kind: OrderKind.PostOnly }),
      );
      expect(post).to.be.instanceOf(PostOnlyWouldCrossError);
      expect((post as PostOnlyWouldCrossError).args).to.deep.equal({ tick: 300_010n, bestOpposite: 300_000n });

      const fok = await thrown(world().bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 11n, kind: OrderKind.Fok }));
      expect(fok).to.be.instanceOf(FokNotFilledError);
      expect((fok as FokNotFilledError).args).to.deep.equal({ lots: 11n, filledLots: 10n });

      const worst = await thrown(world().bob.placeOrderSync({ marketId, side: Side.Ask, tick: 1n, lots: 1n, kind: OrderKind.Market }));
      expect(worst).to.be.instanceOf(WorstPriceExceededError);
      expect((worst as WorstPriceExceededError).args).to.deep.equal({ worstTick: 1n, bestOpposite: 0n });
    });

    it("order management errors: unknown order, someone else's order, bad amend, unknown client id", async () => {
      const { alice, bob, markets } = world();
      const marketId = markets.wethUsdc.marketId;
      const { orderId } = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 10n });
      const missing = await thrown(alice.cancelOrderSync({ marketId, orderId: orderId + 1n }));
      expect(missing).to.be.instanceOf(OrderNotFoundError);
      expect((missing as OrderNotFoundError).args.orderId).to.equal(orderId + 1n);

      const foreign = await thrown(bob.cancelOrder({ marketId, orderId }));
      expect(foreign).to.be.instanceOf(NotAuthorizedError);
      expect((foreign as NotAuthorizedError).args.account).to.equal(accountId(alice.account.address));

      const amend = await thrown(alice.batchOrdersSync({ marketId, ops: [{ type: "amend", orderId, lots: 11n }] }));
      expect(amend).to.be.instanceOf(InvalidAmendError);
      expect((amend as InvalidAmendError).args).to.deep.equal({ orderId, lots: 10n, newLots: 11n });

      const cid = await thrown(alice.batchOrders({ marketId, ops: [{ type: "cancelClientId", clientOrderId: 99n }] }));
      expect(cid).to.be.instanceOf(ClientOrderNotFoundError);
      expect((cid as ClientOrderNotFoundError).args.clientOrderId).to.equal(99n);
    });

    it("the 65th open order is refused with TooManyOpenOrdersError", async () => {
      const { carol, markets } = world();
      const ops = Array.from({ length: 65 }, (_, i) => ({
        type: "place" as const,
        order: { side: Side.Bid, tick: 200_000n + BigInt(i), lots: 1n },
      }));
      const e = await thrown(carol.batchOrdersSync({ marketId: markets.wethUsdc.marketId, ops }));
      expect(e).to.be.instanceOf(TooManyOpenOrdersError);
      expect((e as TooManyOpenOrdersError).args.maxOpenOrders).to.equal(64n);
    });

    it("a paused market refuses orders with MarketPausedError but still cancels", async () => {
      const { alice, admin, clearinghouse, markets } = world();
      const marketId = markets.wethUsdc.marketId;
      const { orderId } = await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 10n });
      await writeContract(admin, {
        address: clearinghouse,
        abi: clearinghouseAbi,
        functionName: "setMarketPaused",
        args: [markets.wethUsdc.marketId, true],
        account: admin.account,
        chain: admin.chain,
      });
      expect(await thrown(alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 1n }))).to.be.instanceOf(
        MarketPausedError,
      );
      const { events } = await alice.cancelOrderSync({ marketId, orderId });
      expect(events.cancelled).to.have.length(1);
    });

    it("decodeExchangeError turns viem's own errors into typed ones", async () => {
      const { alice, markets, clearinghouse, tokens } = world();
      const marketId = markets.wethUsdc.marketId;
      await alice.placeOrderSync({ marketId, side: Side.Bid, tick: 299_000n, lots: 10n });
      // cancelAll with an incomplete list: viem's writeContract throws, the SDK decodes
      const raw = await thrown(
        writeContract(alice, {
          address: clearinghouse,
          abi: clearinghouseAbi,
          functionName: "cancelAll",
          args: [marketId, alice.account.address, 0, []],
          account: alice.account,
          chain: alice.chain,
        }),
      );
      const remain = decodeExchangeError(raw);
      expect(remain).to.be.instanceOf(OpenOrdersRemainError);
      expect((remain as OpenOrdersRemainError).args.count).to.equal(1n);

      const gov = await thrown(
        writeContract(alice, {
          address: clearinghouse,
          abi: clearinghouseAbi,
          functionName: "listAsset",
          args: [tokens.usdc],
          account: alice.account,
          chain: alice.chain,
        }),
      );
      const denied = decodeExchangeError(gov);
      expect(denied).to.be.instanceOf(AccessManagedUnauthorizedError);
      expect((denied as AccessManagedUnauthorizedError).args.caller).to.equal(alice.account.address);

      // reads revert too: a market id no market has; eth_call data decodes the same way, through the SDK's reads too
      const call = await thrown(
        readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "marketInfo", args: [99n] }),
      );
      const unknown = decodeExchangeError(call);
      expect(unknown).to.be.instanceOf(sdk.UnknownMarketError);
      expect((unknown as sdk.UnknownMarketError).args.marketId).to.equal(99n);
      const viaSdk = await thrown(alice.getMarket({ marketId: 99n }));
      expect(viaSdk).to.be.instanceOf(sdk.UnknownMarketError);
      expect((viaSdk as sdk.UnknownMarketError).args.marketId).to.equal(99n);
    });
  });

  describe("the core's price errors", () => {
    const world = useWorld();
    const PRICE_ERRORS = [
      "NoFeed",
      "StalePrice",
      "PriceOutOfBounds",
      "ConfidenceTooWide",
      "NonPositivePrice",
      "FeedUnavailable",
      "InvalidFeedConfig",
      "NotAdminFeed",
      "NoStableAnchor",
    ] as const;

    it("each has its class, typed after the core's ABI (there is no oracle contract any more)", () => {
      for (const name of PRICE_ERRORS) {
        const item = clearinghouseAbi.find((x) => x.type === "error" && x.name === name);
        expect(item, `${name} in clearinghouseAbi`).to.not.equal(undefined);
        const cls = (sdk as Record<string, unknown>)[`${name}Error`] as typeof sdk.NoFeedError;
        expect(cls, `${name}Error is exported`).to.not.equal(undefined);
        expect(cls.errorName).to.equal(name);
        expect(cls.signature).to.equal(formatAbiItem(item!));
        expect(contractErrorsBySelector[cls.selector]).to.equal(cls);
      }
      expect((sdk as Record<string, unknown>).oracleRouterAbi).to.equal(undefined);
    });

    it("the core's price reads revert with them: no feed, then a stale admin price", async () => {
      const { alice, clearinghouse, tokens, connection } = world();
      const noFeed = decodeExchangeError(
        await thrown(readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "price", args: [alice.account.address] })),
      );
      expect(noFeed).to.be.instanceOf(sdk.NoFeedError);
      expect((noFeed as sdk.NoFeedError).args.asset).to.equal(alice.account.address);

      const [okNow] = await readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "tryPrice", args: [tokens.weth] });
      expect(okNow).to.equal(true);
      // the fixture's admin feeds accept a push for 7 days
      const maxAgeSeconds = 7n * 86_400n;
      await connection.networkHelpers.time.increase(maxAgeSeconds + 1n);
      await connection.networkHelpers.mine();
      const [okLater] = await readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "tryPrice", args: [tokens.weth] });
      expect(okLater).to.equal(false);
      const stale = decodeExchangeError(
        await thrown(readContract(alice, { address: clearinghouse, abi: clearinghouseAbi, functionName: "price", args: [tokens.weth] })),
      );
      expect(stale).to.be.instanceOf(sdk.StalePriceError);
      const args = (stale as sdk.StalePriceError).args;
      expect(args.asset).to.equal(tokens.weth);
      expect(args.maxAgeSeconds).to.equal(maxAgeSeconds);
      const now = BigInt(await connection.networkHelpers.time.latest());
      expect(args.updatedAt + maxAgeSeconds < now).to.equal(true);

      // pushing is the oracle role's: a trader is refused, typed
      const denied = decodeExchangeError(
        await thrown(
          writeContract(alice, {
            address: clearinghouse,
            abi: clearinghouseAbi,
            functionName: "pushPrice",
            args: [tokens.weth, 1n],
            account: alice.account,
            chain: alice.chain,
          }),
        ),
      );
      expect(denied).to.be.instanceOf(AccessManagedUnauthorizedError);
      expect((denied as AccessManagedUnauthorizedError).args.caller).to.equal(alice.account.address);
    });
  });

  describe("receipts that say reverted", () => {
    // Hardhat normally turns a failed transaction into an RPC error; here it mines it and
    // returns the hash, as a real node does when the gas limit was set by the caller.
    const world = useWorld({ throwOnTransactionFailures: false });

    it("a …Sync write whose transaction reverts on chain throws TransactionRevertedError with the receipt", async () => {
      const { alice, bob, markets } = world();
      const marketId = markets.wethUsdc.marketId;
      await alice.placeOrderSync({ marketId, side: Side.Ask, tick: 300_000n, lots: 10n });
      const e = await thrown(
        bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 1n, kind: OrderKind.PostOnly, gas: 400_000n }),
      );
      expect(e).to.be.instanceOf(TransactionRevertedError);
      expect((e as TransactionRevertedError).receipt.status).to.equal("reverted");
      expect((e as TransactionRevertedError).hash).to.equal((e as TransactionRevertedError).receipt.transactionHash);
      // without an explicit gas limit the estimate fails first and the custom error is decoded
      expect(
        await thrown(bob.placeOrderSync({ marketId, side: Side.Bid, tick: 300_000n, lots: 1n, kind: OrderKind.PostOnly })),
      ).to.be.instanceOf(PostOnlyWouldCrossError);
    });
  });

  describe("the SDK throws only its own errors", () => {
    it("every `throw new X` in sdk/src names an exported BaseError subclass", () => {
      const root = join(import.meta.dirname, "../../sdk/src");
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const f of readdirSync(dir)) {
          const p = join(dir, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (p.endsWith(".ts")) files.push(p);
        }
      };
      walk(root);
      const thrownClasses = new Set<string>();
      for (const f of files) {
        for (const m of readFileSync(f, "utf8").matchAll(/throw new (\w+)\(/g)) thrownClasses.add(m[1]);
      }
      expect(thrownClasses.size).to.be.greaterThan(5);
      for (const name of thrownClasses) {
        const cls = (sdk as Record<string, unknown>)[name] as { prototype: unknown } | undefined;
        expect(cls, `${name} is exported`).to.not.equal(undefined);
        expect(cls!.prototype, `${name} extends BaseError`).to.be.instanceOf(BaseError);
      }
    });
  });
});

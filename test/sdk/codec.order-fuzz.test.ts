// The order codec fuzzed against the contract's (BookCodecMock): random words decode alike in
// TypeScript and on chain; random in-range fields encode alike through the SDK's checked encoder,
// the core's checked packer (`BookLib.packFields`, behind `placeOrderFields`) and `OrderWordLib.pack`;
// each field at its bound packs on both sides and one past it is refused on both sides, by name.
import { expect } from "chai";
import fc from "fast-check";
import { network } from "hardhat";
import {
  MAX_FILLS,
  MAX_LOTS,
  MAX_TICK,
  ORDER_WORD_UNUSED_SHIFT,
  ValueOutOfRangeError,
  decodeOrder,
  encodeOrder,
  packOrder,
  type OrderParams,
} from "../../sdk/src/index.ts";

const M32 = (1n << 32n) - 1n;
const FIELDS_MASK = (1n << ORDER_WORD_UNUSED_SHIFT) - 1n;

/** Each field: its lowest and highest value the book accepts, the core's error one past the top. */
const BOUNDS: { field: keyof OrderParams; max: bigint; error: string }[] = [
  { field: "lots", max: MAX_LOTS, error: "LotsAboveMax" },
  { field: "tick", max: MAX_TICK, error: "TickOutOfRange" },
  { field: "side", max: 1n, error: "InvalidSide" },
  { field: "kind", max: 4n, error: "InvalidOrderKind" },
  { field: "selfTrade", max: 2n, error: "InvalidSelfTradeMode" },
  { field: "maxFills", max: MAX_FILLS, error: "TooManyFills" },
  { field: "sub", max: 255n, error: "SubAccountOutOfRange" },
  { field: "expiry", max: M32, error: "ExpiryOutOfRange" },
  { field: "clientOrderId", max: M32, error: "ClientOrderIdOutOfRange" },
];

const base = (): Required<OrderParams> => ({
  side: 0n,
  tick: 1n,
  lots: 1n,
  kind: 0n,
  selfTrade: 0n,
  maxFills: 0n,
  sub: 0n,
  expiry: 0n,
  clientOrderId: 0n,
  reduceOnly: false,
});

const inRange = fc.record({
  lots: fc.bigInt(1n, MAX_LOTS),
  tick: fc.bigInt(1n, MAX_TICK),
  side: fc.bigInt(0n, 1n),
  kind: fc.bigInt(0n, 4n),
  selfTrade: fc.bigInt(0n, 2n),
  maxFills: fc.bigInt(0n, MAX_FILLS),
  sub: fc.bigInt(0n, 255n),
  expiry: fc.bigInt(0n, M32),
  clientOrderId: fc.bigInt(0n, M32),
  reduceOnly: fc.boolean(),
}) as fc.Arbitrary<Required<OrderParams>>;

async function reverts(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return String((e as Error).message);
  }
  return "";
}

describe("sdk order codec fuzzed against the core's (BookCodecMock)", () => {
  let mock: Awaited<ReturnType<typeof deploy>>;
  async function deploy() {
    const { viem } = await network.create();
    return viem.deployContract("BookCodecMock");
  }
  before(async () => {
    mock = await deploy();
  });

  it("random words: both sides decode the same fields; the unused bits are what the core rejects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt(0n, (1n << 256n) - 1n), async (w) => {
        const ts = decodeOrder(w);
        expect(await mock.read.decodeOrder([w])).to.deep.equal(ts);
        expect(packOrder(ts)).to.equal(w & FIELDS_MASK);
        expect(await mock.read.orderUnusedBits([w])).to.equal(w >> ORDER_WORD_UNUSED_SHIFT);
      }),
      { numRuns: 150 },
    );
  });

  it("random in-range fields: SDK encodeOrder = core packFields = OrderWordLib.pack, and they decode back", async () => {
    await fc.assert(
      fc.asyncProperty(inRange, async (o) => {
        const w = encodeOrder(o);
        expect(await mock.read.packFields([o])).to.equal(w);
        expect(await mock.read.encodeOrder([o])).to.equal(w);
        expect(decodeOrder(w)).to.deep.equal(o);
      }),
      { numRuns: 150 },
    );
  });

  for (const { field, max, error } of BOUNDS) {
    it(`${field}: at ${max} both sides pack it; at ${max + 1n} the SDK throws ValueOutOfRangeError and the core ${error}`, async () => {
      const at = { ...base(), [field]: max };
      expect(await mock.read.packFields([at])).to.equal(encodeOrder(at));
      const past = { ...base(), [field]: max + 1n };
      let thrown: unknown;
      try {
        encodeOrder(past);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(ValueOutOfRangeError);
      expect((thrown as ValueOutOfRangeError).field).to.equal(field);
      expect((thrown as ValueOutOfRangeError).max).to.equal(max);
      expect(await reverts(mock.read.packFields([past]))).to.contain(error);
      // far past the bound too (a value that would spill into the next field when packed by hand)
      const far = { ...base(), [field]: max + (1n << 100n) };
      expect(() => encodeOrder(far)).to.throw(ValueOutOfRangeError);
      expect(await reverts(mock.read.packFields([far]))).to.contain(error);
    });
  }

  it("tick 0 and lots 0: the SDK refuses them (min 1), the core's packer leaves them to placeOrder (TickOutOfRange, ZeroSize)", async () => {
    for (const field of ["tick", "lots"] as const) {
      const zero = { ...base(), [field]: 0n };
      expect(() => encodeOrder(zero)).to.throw(ValueOutOfRangeError);
      expect(await mock.read.packFields([zero])).to.equal(packOrder(zero));
    }
    expect(() => encodeOrder({ ...base(), lots: -1n })).to.throw(ValueOutOfRangeError);
  });
});

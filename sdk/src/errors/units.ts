import { BaseError } from "./base.ts";

/** The input is not a plain non-negative decimal string such as "3000.01". */
export class InvalidDecimalError extends BaseError {
  override name = "InvalidDecimalError";
  readonly value: string;
  constructor(value: string) {
    super(`"${value}" is not a plain non-negative decimal number`, {
      details: ["Use digits with an optional fraction: no sign, exponent, spaces or separators."],
    });
    this.value = value;
  }
}

/** A price that is not a whole number of ticks (rounding was not asked for). */
export class PriceOffGridError extends BaseError {
  override name = "PriceOffGridError";
  readonly price: string;
  /** Nearest ticks at or below and at or above the price. */
  readonly tickBelow: bigint;
  readonly tickAbove: bigint;
  constructor(price: string, tickBelow: bigint, tickAbove: bigint) {
    super(`price ${price} is not on the market's tick grid`, {
      details: [`Nearest ticks: ${tickBelow} (below) and ${tickAbove} (above).`],
    });
    this.price = price;
    this.tickBelow = tickBelow;
    this.tickAbove = tickAbove;
  }
}

/** A size that is not a whole number of lots (rounding was not asked for). */
export class SizeOffGridError extends BaseError {
  override name = "SizeOffGridError";
  readonly size: string;
  readonly lotsBelow: bigint;
  readonly lotsAbove: bigint;
  constructor(size: string, lotsBelow: bigint, lotsAbove: bigint) {
    super(`size ${size} is not a whole number of lots`, {
      details: [`Nearest sizes: ${lotsBelow} lots (below) and ${lotsAbove} lots (above).`],
    });
    this.size = size;
    this.lotsBelow = lotsBelow;
    this.lotsAbove = lotsAbove;
  }
}

/** An amount with more fractional digits than the token has decimals. */
export class AmountPrecisionError extends BaseError {
  override name = "AmountPrecisionError";
  readonly amount: string;
  readonly decimals: number;
  constructor(amount: string, decimals: number) {
    super(`amount ${amount} has more than ${decimals} fractional digits`);
    this.amount = amount;
    this.decimals = decimals;
  }
}

/** A value outside the range its packed field or the contract accepts. */
export class ValueOutOfRangeError extends BaseError {
  override name = "ValueOutOfRangeError";
  readonly field: string;
  readonly value: bigint;
  readonly min: bigint;
  readonly max: bigint;
  constructor(field: string, value: bigint, min: bigint, max: bigint) {
    super(`${field} ${value} is outside [${min}, ${max}]`);
    this.field = field;
    this.value = value;
    this.min = min;
    this.max = max;
  }
}

/** A ratio whose decimal expansion does not terminate, asked for without a rounding. */
export class InexactDecimalError extends BaseError {
  override name = "InexactDecimalError";
  readonly numerator: bigint;
  readonly denominator: bigint;
  constructor(numerator: bigint, denominator: bigint) {
    super(`${numerator}/${denominator} has no exact decimal form`, {
      details: ["Pass `decimals` to round toward zero at that many fractional digits."],
    });
    this.numerator = numerator;
    this.denominator = denominator;
  }
}

/** Invalid market grid (zero lot or tick size, or a negative decimals count). */
export class InvalidGridError extends BaseError {
  override name = "InvalidGridError";
  constructor(reason: string) {
    super(`invalid market grid: ${reason}`);
  }
}

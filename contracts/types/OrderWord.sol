// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice The order a trader sends: `placeOrder`'s argument and a batch place op.
/// @dev Layout (uint256, bit 0 = least significant):
///   255       158 157        126 125     94 93    86 85       78 77 76 75  73 72  71    48 47    0
///   +----------+-+-------------+----------+--------+-----------+-----+------+--+--------+-------+
///   | zero     |R| client id   | expiry   | sub    | max fills | stp | kind |s | tick   | lots  |
///   +----------+-+-------------+----------+--------+-----------+-----+------+--+--------+-------+
///   lots 48 | tick 24 | s = side (0 bid, 1 ask) | kind 3 (0 GTC, 1 post-only, 2 IOC, 3 FOK, 4 market)
///   | stp = self-trade mode 2 (0 cancel resting, 1 cancel incoming, 2 cancel both) | max fills 8
///   (0 = the market's cap) | sub-account 8 | expiry 32 (unix s, 0 = none) | client order id 32
///   (0 = none) | R = reduce-only (perp markets only). Bits 255..159 must be 0 (`unusedBits`; the
///   book rejects a word with any of them set): bits 255..254 are a batch op's kind (`BatchOp`),
///   0 = place. A field cannot tell an out-of-range value from its neighbour, so the packer
///   (`BookLib.packFields`, the SDK's `encodeOrder`) range-checks each field first.
type OrderWord is uint256;

/// @notice An order word's fields, unpacked (`OrderWordLib.pack`).
struct OrderFields {
    uint256 lots;
    uint256 tick;
    uint256 side;
    uint256 kind;
    uint256 selfTrade;
    uint256 maxFills;
    uint256 sub;
    uint256 expiry;
    uint256 clientOrderId;
    bool reduceOnly;
}

using OrderWordLib for OrderWord global;

library OrderWordLib {
    uint256 internal constant GTC = 0;
    uint256 internal constant POST_ONLY = 1;
    uint256 internal constant IOC = 2;
    uint256 internal constant FOK = 3;
    uint256 internal constant MARKET = 4;

    uint256 internal constant STP_CANCEL_RESTING = 0;
    uint256 internal constant STP_CANCEL_INCOMING = 1;
    uint256 internal constant STP_CANCEL_BOTH = 2;

    uint256 internal constant TICK_SHIFT = 48;
    uint256 internal constant SIDE_SHIFT = 72;
    uint256 internal constant KIND_SHIFT = 73;
    uint256 internal constant STP_SHIFT = 76;
    uint256 internal constant MAX_FILLS_SHIFT = 78;
    uint256 internal constant SUB_SHIFT = 86;
    uint256 internal constant EXPIRY_SHIFT = 94;
    uint256 internal constant CLIENT_ID_SHIFT = 126;
    uint256 internal constant REDUCE_ONLY_SHIFT = 158;
    /// @dev the first bit above every field
    uint256 internal constant UNUSED_SHIFT = 159;

    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_TICK = (1 << 24) - 1;
    uint256 internal constant MASK_KIND = 7;
    uint256 internal constant MASK_STP = 3;
    uint256 internal constant MASK_8 = 0xff;
    uint256 internal constant MASK_32 = (1 << 32) - 1;

    function lots(OrderWord w) internal pure returns (uint256) {
        return OrderWord.unwrap(w) & MASK_LOTS;
    }

    function tick(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> TICK_SHIFT) & MASK_TICK;
    }

    function side(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> SIDE_SHIFT) & 1;
    }

    function kind(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> KIND_SHIFT) & MASK_KIND;
    }

    function selfTrade(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> STP_SHIFT) & MASK_STP;
    }

    function maxFills(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> MAX_FILLS_SHIFT) & MASK_8;
    }

    function sub(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> SUB_SHIFT) & MASK_8;
    }

    function expiry(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> EXPIRY_SHIFT) & MASK_32;
    }

    function clientOrderId(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> CLIENT_ID_SHIFT) & MASK_32;
    }

    function reduceOnly(OrderWord w) internal pure returns (bool) {
        return (OrderWord.unwrap(w) >> REDUCE_ONLY_SHIFT) & 1 != 0;
    }

    /// @dev The bits above every field (zero in a valid word).
    function unusedBits(OrderWord w) internal pure returns (uint256) {
        return OrderWord.unwrap(w) >> UNUSED_SHIFT;
    }

    /// @dev The reduce-only flag as 0 or 1.
    function reduceOnlyBit(OrderWord w) internal pure returns (uint256) {
        return (OrderWord.unwrap(w) >> REDUCE_ONLY_SHIFT) & 1;
    }

    /// @dev Packs the fields; each must fit its width (the SDK's encoder checks; tests use this).
    function pack(OrderFields memory f) internal pure returns (OrderWord) {
        uint256 w = f.lots | (f.tick << TICK_SHIFT) | (f.side << SIDE_SHIFT) | (f.kind << KIND_SHIFT);
        w |= (f.selfTrade << STP_SHIFT) | (f.maxFills << MAX_FILLS_SHIFT) | (f.sub << SUB_SHIFT);
        w |= (f.expiry << EXPIRY_SHIFT) | (f.clientOrderId << CLIENT_ID_SHIFT);
        return OrderWord.wrap(w | ((f.reduceOnly ? uint256(1) : 0) << REDUCE_ONLY_SHIFT));
    }
}

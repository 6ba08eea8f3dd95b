// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccountId} from "./AccountId.sol";
import {OrderId} from "./OrderId.sol";

/// @notice `Trade.taker`: who took, on which side, with which order type.
/// @dev Layout (uint256): [255..96] owner | [95..12] zero | [11..9] order type | [8] side (0 buy,
///   1 sell) | [7..0] sub. Masking the type and side off yields the `AccountId`.
type TakerWord is uint256;

/// @notice `Trade.summary`: one taker order's totals.
/// @dev Layout (uint256): [255..160] taker fee (tick units) | [159..48] notional (tick units) |
///   [47..0] filled lots.
type TradeSummary is uint256;

/// @notice One entry of `Trade.fills`: the maker order and the lots it filled at its id's tick.
/// @dev Layout (uint256): [255..160] zero | [159..112] lots | [111..0] maker `OrderId`.
type FillWord is uint256;

/// @notice `OrderPlaced.info`: the resting order's account, size and client order id.
/// @dev Layout (uint256): [255..96] owner | [95..88] zero | [87..56] client order id |
///   [55..8] lots | [7..0] sub. The order's expiry (32 bits) does not fit the 8 free bits: it is
///   `OrderPlaced`'s own `expiry` word.
type PlacedInfo is uint256;

using TradeWordsLib for TakerWord global;
using TradeWordsLib for TradeSummary global;
using TradeWordsLib for FillWord global;
using TradeWordsLib for PlacedInfo global;

library TradeWordsLib {
    uint256 internal constant ACCOUNT_MASK = (type(uint256).max << 96) | 0xff;
    uint256 internal constant TAKER_SIDE_SHIFT = 8;
    uint256 internal constant TAKER_KIND_SHIFT = 9;
    uint256 internal constant NOTIONAL_SHIFT = 48;
    uint256 internal constant TAKER_FEE_SHIFT = 160;
    uint256 internal constant FILL_LOTS_SHIFT = 112;
    uint256 internal constant PLACED_LOTS_SHIFT = 8;
    uint256 internal constant PLACED_CLIENT_ID_SHIFT = 56;
    uint256 internal constant MASK_LOTS = (1 << 48) - 1;
    uint256 internal constant MASK_NOTIONAL = (1 << 112) - 1;
    uint256 internal constant MASK_ORDER_ID = (1 << 112) - 1;
    uint256 internal constant MASK_KIND = 7;
    uint256 internal constant MASK_32 = (1 << 32) - 1;

    // ---- TakerWord
    function takerWord(AccountId account_, uint256 side_, uint256 kind_) internal pure returns (TakerWord) {
        return TakerWord.wrap(
            uint256(AccountId.unwrap(account_)) | (side_ << TAKER_SIDE_SHIFT) | (kind_ << TAKER_KIND_SHIFT)
        );
    }

    function account(TakerWord w) internal pure returns (AccountId) {
        return AccountId.wrap(bytes32(TakerWord.unwrap(w) & ACCOUNT_MASK));
    }

    function side(TakerWord w) internal pure returns (uint256) {
        return (TakerWord.unwrap(w) >> TAKER_SIDE_SHIFT) & 1;
    }

    function kind(TakerWord w) internal pure returns (uint256) {
        return (TakerWord.unwrap(w) >> TAKER_KIND_SHIFT) & MASK_KIND;
    }

    // ---- TradeSummary
    /// @dev `filled` < 2^48, `notional` < 2^112 (lots × tick < 2^48 × 2^24 per fill, ≤ 128 fills)
    function tradeSummary(uint256 filled, uint256 notional_, uint256 takerFee_)
        internal
        pure
        returns (TradeSummary)
    {
        return TradeSummary.wrap(filled | (notional_ << NOTIONAL_SHIFT) | (takerFee_ << TAKER_FEE_SHIFT));
    }

    function filledLots(TradeSummary w) internal pure returns (uint256) {
        return TradeSummary.unwrap(w) & MASK_LOTS;
    }

    function notional(TradeSummary w) internal pure returns (uint256) {
        return (TradeSummary.unwrap(w) >> NOTIONAL_SHIFT) & MASK_NOTIONAL;
    }

    function takerFee(TradeSummary w) internal pure returns (uint256) {
        return TradeSummary.unwrap(w) >> TAKER_FEE_SHIFT;
    }

    // ---- FillWord
    function fillWord(OrderId maker, uint256 lots_) internal pure returns (FillWord) {
        return FillWord.wrap(OrderId.unwrap(maker) | (lots_ << FILL_LOTS_SHIFT));
    }

    function makerOrderId(FillWord w) internal pure returns (OrderId) {
        return OrderId.wrap(FillWord.unwrap(w) & MASK_ORDER_ID);
    }

    function lots(FillWord w) internal pure returns (uint256) {
        return FillWord.unwrap(w) >> FILL_LOTS_SHIFT;
    }

    // ---- PlacedInfo
    function placedInfo(AccountId account_, uint256 lots_, uint256 clientOrderId_)
        internal
        pure
        returns (PlacedInfo)
    {
        return PlacedInfo.wrap(
            uint256(AccountId.unwrap(account_)) | (lots_ << PLACED_LOTS_SHIFT)
                | (clientOrderId_ << PLACED_CLIENT_ID_SHIFT)
        );
    }

    function account(PlacedInfo w) internal pure returns (AccountId) {
        return AccountId.wrap(bytes32(PlacedInfo.unwrap(w) & ACCOUNT_MASK));
    }

    function lots(PlacedInfo w) internal pure returns (uint256) {
        return (PlacedInfo.unwrap(w) >> PLACED_LOTS_SHIFT) & MASK_LOTS;
    }

    function clientOrderId(PlacedInfo w) internal pure returns (uint256) {
        return (PlacedInfo.unwrap(w) >> PLACED_CLIENT_ID_SHIFT) & MASK_32;
    }
}

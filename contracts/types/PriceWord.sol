// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice One asset's answer in `IOracleRouter.tryPrices`: both prices and whether they are usable.
/// @dev Layout (uint256, bit 0 = least significant):
///
///   255  254           128 127            0
///   | ok |  stableWad 127  |  priceWad 128  |
///
/// The word is 0 when `tryPrice` is not ok. Every price and anchor the router stores fits 96 bits
/// (setFeed caps maxPriceWad below 2^96), so each field holds it.
type PriceWord is uint256;

using PriceWordLib for PriceWord global;

library PriceWordLib {
    uint256 internal constant STABLE_OFFSET = 128;
    uint256 internal constant OK_BIT = 1 << 255;
    uint256 internal constant M127 = 2 ** 127 - 1;

    /// @dev A usable answer; callers pass prices below 2^96 (the router's bounds).
    function from(uint256 priceWad_, uint256 stableWad_) internal pure returns (PriceWord) {
        return PriceWord.wrap(priceWad_ | stableWad_ << STABLE_OFFSET | OK_BIT);
    }

    function ok(PriceWord w) internal pure returns (bool) {
        return PriceWord.unwrap(w) & OK_BIT != 0;
    }

    function priceWad(PriceWord w) internal pure returns (uint256) {
        return uint128(PriceWord.unwrap(w));
    }

    function stableWad(PriceWord w) internal pure returns (uint256) {
        return (PriceWord.unwrap(w) >> STABLE_OFFSET) & M127;
    }
}

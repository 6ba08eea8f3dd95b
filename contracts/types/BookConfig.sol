// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice One market's constants as the book reads them: the first storage word of the market's
/// `Market` in the core, written once when the market is created and read once per call.
/// @dev Layout (uint256, bit 0 = least significant):
///   255    225 224 223                    96 95          80 79              16 15       0
///   +--------+----+------------------------+--------------+-----------------+----------+
///   | unused |perp|       tick size        | max maker fee|    min lots     |  index   |
///   +--------+----+------------------------+--------------+-----------------+----------+
///   index 16 (the market id order ids carry) | min lots 64 (lots) | max maker fee 16 (bps) |
///   tick size 128 (quote atoms per lot per tick) | perp 1 (the market's kind: 0 spot, 1 perp).
///   The base and quote assets and the lot size are the market's next words: the book never reads
///   them (settlement and the pocket views do).
type BookConfig is uint256;

using BookConfigLib for BookConfig global;

library BookConfigLib {
    uint256 internal constant MIN_LOTS_SHIFT = 16;
    uint256 internal constant MAX_MAKER_FEE_SHIFT = 80;
    uint256 internal constant TICK_SIZE_SHIFT = 96;
    uint256 internal constant PERP_BIT = 224;
    uint256 internal constant MASK_16 = 0xffff;
    uint256 internal constant MASK_64 = (1 << 64) - 1;
    uint256 internal constant MASK_128 = (1 << 128) - 1;

    /// @dev Each field typed at its width, so none can spill into the next.
    function pack(uint16 index_, uint64 minLots_, uint16 maxMakerFeeBps_, uint128 tickSize_, bool perp_)
        internal
        pure
        returns (BookConfig)
    {
        return BookConfig.wrap(
            uint256(index_) | (uint256(minLots_) << MIN_LOTS_SHIFT) | (uint256(maxMakerFeeBps_) << MAX_MAKER_FEE_SHIFT)
                | (uint256(tickSize_) << TICK_SIZE_SHIFT) | (uint256(perp_ ? 1 : 0) << PERP_BIT)
        );
    }

    /// @dev Whether a market was created under this id (every created market has a tick size).
    function exists(BookConfig w) internal pure returns (bool) {
        return BookConfig.unwrap(w) != 0;
    }

    function isPerp(BookConfig w) internal pure returns (bool) {
        return (BookConfig.unwrap(w) >> PERP_BIT) & 1 != 0;
    }

    function index(BookConfig w) internal pure returns (uint256) {
        return BookConfig.unwrap(w) & MASK_16;
    }

    function minLots(BookConfig w) internal pure returns (uint256) {
        return (BookConfig.unwrap(w) >> MIN_LOTS_SHIFT) & MASK_64;
    }

    function maxMakerFeeBps(BookConfig w) internal pure returns (uint256) {
        return (BookConfig.unwrap(w) >> MAX_MAKER_FEE_SHIFT) & MASK_16;
    }

    function tickSize(BookConfig w) internal pure returns (uint256) {
        return (BookConfig.unwrap(w) >> TICK_SIZE_SHIFT) & MASK_128;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A perp market's open interest and funding totals (statistics, one slot).
/// @dev Layout (uint256, most significant first):
///   [255..224] zero
///   [223..144] funding received, quote atoms (uint80, saturating; bankruptcy losses credited included)
///   [143..64]  funding paid, quote atoms (uint80, saturating; bankruptcy charges settled included)
///   [63..0]    long open interest, lots (uint64)
type PerpStats is uint256;

using PerpStatsLib for PerpStats global;

library PerpStatsLib {
    uint256 internal constant MAX_TOTAL = (1 << 80) - 1;
    uint256 private constant OI_MASK = (1 << 64) - 1;
    uint256 private constant TOTAL_MASK = (1 << 80) - 1;
    uint256 private constant PAID_SHIFT = 64;
    uint256 private constant RECEIVED_SHIFT = 144;

    function longLots(PerpStats s) internal pure returns (uint256) {
        return PerpStats.unwrap(s) & OI_MASK;
    }

    function paid(PerpStats s) internal pure returns (uint256) {
        return (PerpStats.unwrap(s) >> PAID_SHIFT) & TOTAL_MASK;
    }

    function received(PerpStats s) internal pure returns (uint256) {
        return (PerpStats.unwrap(s) >> RECEIVED_SHIFT) & TOTAL_MASK;
    }

    /// @notice The long open interest replaced; the caller keeps it below the cap (< 2^63).
    function withLongLots(PerpStats s, uint256 lots) internal pure returns (PerpStats) {
        return PerpStats.wrap((PerpStats.unwrap(s) & ~OI_MASK) | lots);
    }

    /// @notice `atoms` more paid, saturating at 2^80 − 1 (statistics never make a settlement fail).
    function addPaid(PerpStats s, uint256 atoms) internal pure returns (PerpStats) {
        uint256 t = paid(s) + atoms;
        if (t > MAX_TOTAL) t = MAX_TOTAL;
        return PerpStats.wrap((PerpStats.unwrap(s) & ~(TOTAL_MASK << PAID_SHIFT)) | (t << PAID_SHIFT));
    }

    /// @notice `atoms` more received, saturating at 2^80 − 1.
    function addReceived(PerpStats s, uint256 atoms) internal pure returns (PerpStats) {
        uint256 t = received(s) + atoms;
        if (t > MAX_TOTAL) t = MAX_TOTAL;
        return PerpStats.wrap((PerpStats.unwrap(s) & ~(TOTAL_MASK << RECEIVED_SHIFT)) | (t << RECEIVED_SHIFT));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice Kinked utilisation rate model, all rates per year in WAD (1e18 = 100 %).
/// rate(u) = base + slope1 · min(u, kink) / kink + slope2 · max(0, u − kink) / (1 − kink).
/// Packed in one slot (4 × 64 bits); each rate is at most 1000 % a year (10e18 < 2^64).
struct RateModel {
    uint64 baseRatePerYearWad;
    uint64 slope1PerYearWad;
    uint64 slope2PerYearWad;
    uint64 kinkWad;
}

/// @title ILending: the errors and events of one asset's lending pool (`LendingLib.State`)
/// @notice Whoever holds a pool's state (the Clearinghouse, keyed by asset, and the LendingVault in
/// front of it) reverts with these errors and logs these events, so indexers and the SDK decode them
/// the same wherever they come from. Every event of a pool's state names the pool's asset as its
/// first, indexed field (`token`), so one holder's pools are told apart by a topic filter.
/// Accounting and roundings: docs/LENDING.md, `LendingLib` and `SharesMathLib`.
interface ILending {
    // ---- errors ----
    /// @notice The pool holds less cash than a borrow, withdrawal or reserve withdrawal asks for.
    error InsufficientCash(uint256 requested, uint256 available);
    /// @notice A borrow would take totalBorrows above the borrow cap.
    error BorrowCapExceeded(uint256 totalAfter, uint256 cap);
    /// @notice More borrow shares were given than exist.
    error InsufficientBorrowShares(uint256 requested, uint256 available);
    /// @notice The reserve holds less than asked for.
    error InsufficientReserves(uint256 requested, uint256 available);
    /// @notice An amount of zero was given where it would do nothing.
    error ZeroAmount();
    /// @notice The venue is frozen: outside lenders' withdrawals wait until governance lifts it.
    error Frozen();
    /// @notice A zero address was given where an address is needed.
    error ZeroAddress();
    /// @notice The token delivered less than asked (fee-on-transfer tokens are refused).
    error TransferShortfall(address token, uint256 expected, uint256 received);
    /// @notice A rate of the model is above the hard bound MAX_RATE_PER_YEAR_WAD.
    error RateTooHigh(uint256 ratePerYearWad, uint256 maxPerYearWad);
    /// @notice The kink is not strictly between 0 and 1e18.
    error InvalidKink(uint256 kinkWad);
    /// @notice The reserve factor is above the hard bound MAX_RESERVE_FACTOR_BPS.
    error ReserveFactorTooHigh(uint256 reserveFactorBps, uint256 maxBps);

    // ---- events ----
    /// @notice Emitted when the borrow index of `token`'s pool moves (on nearly every touch, so one
    /// data word: events cost per byte on MegaETH). `accrual` packs
    /// `[127..0]` borrowIndexWad · `[255..128]` interestAssets, the growth of totalBorrows
    /// (saturated at 2^128 − 1). The reserve's cut is ⌊interestAssets · reserveFactorBps / 1e4⌋.
    event InterestAccrued(address indexed token, uint256 accrual);
    /// @notice `shares` of `token`'s borrow shares written off as bad debt: `lossAssets` their value
    /// (rounded up), `fromReserve` the part the pool's reserve covered (the rest its lenders bear).
    event BadDebtWrittenOff(address indexed token, uint256 shares, uint256 lossAssets, uint256 fromReserve);
    /// @notice `token`'s pool has a new rate model (interest up to now was accrued at the old one).
    event RateModelSet(address indexed token, RateModel model);
    /// @notice `token`'s pool gives `reserveFactorBps` of its interest to its reserve from now on.
    event ReserveFactorSet(address indexed token, uint16 reserveFactorBps);
    /// @notice `token`'s pool has new caps (`type(uint112).max` means no cap).
    event CapsSet(address indexed token, uint256 supplyCapAssets, uint256 borrowCapAssets);
}

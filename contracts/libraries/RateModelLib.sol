// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILendingPool, RateModel} from "../interfaces/ILendingPool.sol";

/// @title RateModelLib: kinked utilisation rate model and the pool's interest math
/// @notice Every rounding here favours the pool (its lenders and reserve) over borrowers.
library RateModelLib {
    using Math for uint256;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant SECONDS_PER_YEAR = 365 days;
    /// @notice Hard bound on each rate of a model: 1000 % a year.
    uint256 internal constant MAX_RATE_PER_YEAR_WAD = 10e18;

    /// @notice Reverts unless every rate is within MAX_RATE_PER_YEAR_WAD and 0 < kink < 1e18.
    function validate(RateModel memory m) internal pure {
        _checkRate(m.baseRatePerYearWad);
        _checkRate(m.slope1PerYearWad);
        _checkRate(m.slope2PerYearWad);
        require(m.kinkWad != 0 && m.kinkWad < WAD, ILendingPool.InvalidKink(m.kinkWad));
    }

    /// @notice u = borrows / (cash + borrows − reserves) in WAD; 0 when the denominator is 0.
    /// @dev Rounded up (a higher rate: the pool's side) and capped at 1e18, which reserves
    ///      larger than cash could otherwise exceed.
    function utilizationWad(uint256 cash, uint256 borrows, uint256 reserves) internal pure returns (uint256) {
        if (borrows == 0) return 0;
        uint256 supplied = cash + borrows;
        if (supplied <= reserves) return WAD;
        return Math.min(borrows.mulDiv(WAD, supplied - reserves, Math.Rounding.Ceil), WAD);
    }

    /// @notice Borrow rate per year in WAD at utilisation `uWad` (≤ 1e18).
    /// @dev Both slope terms are rounded up: borrowers pay, the pool receives.
    function ratePerYearWad(RateModel memory m, uint256 uWad) internal pure returns (uint256 rate) {
        uint256 kink = m.kinkWad;
        rate = m.baseRatePerYearWad;
        rate += uint256(m.slope1PerYearWad).mulDiv(Math.min(uWad, kink), kink, Math.Rounding.Ceil);
        if (uWad > kink) {
            rate += uint256(m.slope2PerYearWad).mulDiv(uWad - kink, WAD - kink, Math.Rounding.Ceil);
        }
    }

    /// @notice Borrow rate per second in WAD: the yearly rate / 365 days, rounded up (pool's side).
    function ratePerSecondWad(RateModel memory m, uint256 uWad) internal pure returns (uint256) {
        return ratePerYearWad(m, uWad).ceilDiv(SECONDS_PER_YEAR);
    }

    /// @notice The borrow index after `dt` seconds at `ratePerSecond`:
    ///         index + ceil(index · rate · dt / 1e18) (rounded up: the pool's side).
    function grow(uint256 indexWad, uint256 ratePerSecond, uint256 dt) internal pure returns (uint256) {
        return indexWad + indexWad.mulDiv(ratePerSecond * dt, WAD, Math.Rounding.Ceil);
    }

    /// @notice Assets owed on `shares` borrow shares, rounded up: a single debt (the pool's side).
    function toAssetsUp(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return shares.mulDiv(indexWad, WAD, Math.Rounding.Ceil);
    }

    /// @notice Assets owed on all `shares`, rounded down: what lenders are credited, never more
    ///         than the sum of the individual debts (each rounded up).
    function toAssetsDown(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return shares.mulDiv(indexWad, WAD, Math.Rounding.Floor);
    }

    /// @notice Borrow shares for a debt of `assets`, rounded up (the pool's side).
    function toSharesUp(uint256 assets, uint256 indexWad) internal pure returns (uint256) {
        return assets.mulDiv(WAD, indexWad, Math.Rounding.Ceil);
    }

    function _checkRate(uint256 ratePerYearWad_) private pure {
        require(
            ratePerYearWad_ <= MAX_RATE_PER_YEAR_WAD, ILendingPool.RateTooHigh(ratePerYearWad_, MAX_RATE_PER_YEAR_WAD)
        );
    }
}

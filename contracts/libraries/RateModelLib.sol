// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILendingPool, RateModel} from "../interfaces/ILendingPool.sol";

/// @title RateModelLib: kinked utilisation rate model and the pool's interest math
/// @notice Every rounding here favours the pool (its lenders and reserve) over borrowers.
/// @dev `mulDivDown` / `mulDivUp` give exactly OpenZeppelin's `mulDiv` results, but take a
///      plain 256-bit path when x · y does not overflow (always, at the sizes a pool stores:
///      amounts < 2^112, shares < 2^112 · 10^6, index < 2^128, rates < 2^64) and fall back to
///      the 512-bit `Math.mulDiv` otherwise, so no input reverts that did not revert before.
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
        return Math.min(mulDivUp(borrows, WAD, supplied - reserves), WAD);
    }

    /// @notice Borrow rate per year in WAD at utilisation `uWad` (≤ 1e18).
    /// @dev Both slope terms are rounded up: borrowers pay, the pool receives. Plain math: each
    ///      slope < 2^64 and each utilisation term ≤ 1e18 < 2^60, so no product reaches 2^124.
    function ratePerYearWad(RateModel memory m, uint256 uWad) internal pure returns (uint256 rate) {
        uint256 kink = m.kinkWad;
        rate = m.baseRatePerYearWad;
        rate += _divUp(uint256(m.slope1PerYearWad) * Math.min(uWad, kink), kink);
        if (uWad > kink) {
            rate += _divUp(uint256(m.slope2PerYearWad) * (uWad - kink), WAD - kink);
        }
    }

    /// @notice Borrow rate per second in WAD: the yearly rate / 365 days, rounded up (pool's side).
    function ratePerSecondWad(RateModel memory m, uint256 uWad) internal pure returns (uint256) {
        return _divUp(ratePerYearWad(m, uWad), SECONDS_PER_YEAR);
    }

    /// @notice The borrow index after `dt` seconds at `ratePerSecond`:
    ///         index + ceil(index · rate · dt / 1e18) (rounded up: the pool's side).
    function grow(uint256 indexWad, uint256 ratePerSecond, uint256 dt) internal pure returns (uint256) {
        return indexWad + mulDivUp(indexWad, ratePerSecond * dt, WAD);
    }

    /// @notice Assets owed on `shares` borrow shares, rounded up: a single debt (the pool's side).
    function toAssetsUp(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return mulDivUp(shares, indexWad, WAD);
    }

    /// @notice Assets owed on all `shares`, rounded down: what lenders are credited, never more
    ///         than the sum of the individual debts (each rounded up).
    function toAssetsDown(uint256 shares, uint256 indexWad) internal pure returns (uint256) {
        return mulDivDown(shares, indexWad, WAD);
    }

    /// @notice Borrow shares for a debt of `assets`, rounded up (the pool's side).
    function toSharesUp(uint256 assets, uint256 indexWad) internal pure returns (uint256) {
        return mulDivUp(assets, WAD, indexWad);
    }

    /// @notice ⌊x · y / d⌋, as `Math.mulDiv` (reverts on d = 0 or a result ≥ 2^256).
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            uint256 p = x * y;
            if (x == 0 || p / x == y) return p / d; // no overflow: the plain product is exact
        }
        return x.mulDiv(y, d);
    }

    /// @notice ⌈x · y / d⌉, as `Math.mulDiv(…, Ceil)` (reverts on d = 0 or a result ≥ 2^256).
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            uint256 p = x * y;
            if (x == 0 || p / x == y) return _divUp(p, d); // no overflow: the plain product is exact
        }
        return x.mulDiv(y, d, Math.Rounding.Ceil);
    }

    /// @dev ⌈p / d⌉ without overflow (p = 2^256 − 1 included); reverts (panic) on d = 0.
    function _divUp(uint256 p, uint256 d) private pure returns (uint256 q) {
        q = p / d;
        unchecked {
            if (q * d != p) ++q; // q · d ≤ p: no overflow; q < 2^256 − 1 when there is a remainder
        }
    }

    function _checkRate(uint256 ratePerYearWad_) private pure {
        require(
            ratePerYearWad_ <= MAX_RATE_PER_YEAR_WAD, ILendingPool.RateTooHigh(ratePerYearWad_, MAX_RATE_PER_YEAR_WAD)
        );
    }
}

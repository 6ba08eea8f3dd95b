// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ILending, RateModel} from "../interfaces/ILending.sol";
import {MathLib} from "./MathLib.sol";

/// @title RateModelLib: kinked utilisation rate model and the growth of the borrow index
/// @notice Every rounding here favours the pool (its lenders and reserve) over borrowers; the
/// conversions between shares and assets are in SharesMathLib.
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
        require(m.kinkWad != 0 && m.kinkWad < WAD, ILending.InvalidKink(m.kinkWad));
    }

    /// @notice u = borrows / (cash + borrows − reserves) in WAD; 0 when the denominator is 0.
    /// @dev Rounded up (a higher rate: the pool's side) and capped at 1e18, which reserves
    ///      larger than cash could otherwise exceed.
    function utilizationWad(uint256 cash, uint256 borrows, uint256 reserves) internal pure returns (uint256) {
        if (borrows == 0) return 0;
        uint256 supplied = cash + borrows;
        if (supplied <= reserves) return WAD;
        return Math.min(MathLib.fullMulDivUp(borrows, WAD, supplied - reserves), WAD);
    }

    /// @notice Borrow rate per year in WAD at utilisation `uWad` (≤ 1e18).
    /// @dev Both slope terms are rounded up: borrowers pay, the pool receives. Plain math: each
    ///      slope < 2^64 and each utilisation term ≤ 1e18 < 2^60, so no product reaches 2^124.
    function ratePerYearWad(RateModel memory m, uint256 uWad) internal pure returns (uint256 rate) {
        uint256 kink = m.kinkWad;
        rate = m.baseRatePerYearWad;
        rate += MathLib.divUp(uint256(m.slope1PerYearWad) * Math.min(uWad, kink), kink);
        if (uWad > kink) {
            rate += MathLib.divUp(uint256(m.slope2PerYearWad) * (uWad - kink), WAD - kink);
        }
    }

    /// @notice Borrow rate per second in WAD: the yearly rate / 365 days, rounded up (pool's side).
    function ratePerSecondWad(RateModel memory m, uint256 uWad) internal pure returns (uint256) {
        return MathLib.divUp(ratePerYearWad(m, uWad), SECONDS_PER_YEAR);
    }

    /// @notice The borrow index after `dt` seconds at `ratePerSecond`:
    ///         index + ceil(index · rate · dt / 1e18) (rounded up: the pool's side).
    function grow(uint256 indexWad, uint256 ratePerSecond, uint256 dt) internal pure returns (uint256) {
        return indexWad + MathLib.fullMulDivUp(indexWad, ratePerSecond * dt, WAD);
    }

    function _checkRate(uint256 ratePerYearWad_) private pure {
        require(
            ratePerYearWad_ <= MAX_RATE_PER_YEAR_WAD, ILending.RateTooHigh(ratePerYearWad_, MAX_RATE_PER_YEAR_WAD)
        );
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Position and funding arithmetic of a perp market (integer, exact; docs/PERPS.md)
/// @notice A position is (size in lots, entry value in quote atoms with the size's sign). A trade of
/// `d` lots (positive = buy) for `notional` quote atoms grows it, or closes part of it and moves the
/// realised PnL into the account's unsettled cash, or flips it. For every trade
/// `cash − entry` changes by exactly `−d × price`, whatever the rounding inside, so the two sides of
/// a fill always net to zero: the market never creates or loses an atom.
library PerpMath {
    /// @notice Funding index scale: quote atoms × 1e9 per lot.
    int256 internal constant FUNDING_SCALE = 1e9;
    /// @notice Premium scale: premiums are fractions of the index × 1e10 (1e-4 ppm).
    int256 internal constant PREMIUM_SCALE = 1e10;

    /// @notice Applies a trade of `d` lots for `notional` quote atoms.
    /// @dev Closing `q` of `|size|` lots releases entry × q / |size|, rounded up for a long and down
    /// for a short (the realised PnL is rounded down either way: against the account); the rounding
    /// stays in the remaining entry, so a full close releases exactly what was paid. Proceeds of a
    /// part-close are the notional pro rata, rounded against the account the same way.
    function trade(int256 size, int256 entry, int256 d, uint256 notional)
        internal
        pure
        returns (int256 size1, int256 entry1, int256 realised)
    {
        int256 n = int256(notional);
        if (size == 0 || (size > 0) == (d > 0)) return (size + d, d > 0 ? entry + n : entry - n, 0);
        uint256 absD = uint256(d > 0 ? d : -d);
        uint256 absS = uint256(size > 0 ? size : -size);
        uint256 q = absD < absS ? absD : absS;
        // the part of the notional that closes: proceeds of a sale rounded down, cost of a buy up
        int256 nq;
        if (q == absD) nq = n;
        else if (d < 0) nq = int256((notional * q) / absD);
        else nq = int256(Math.ceilDiv(notional * q, absD));
        // the part of the entry released: a long's cost rounded up, a short's proceeds down
        int256 eq;
        if (q == absS) eq = entry;
        else if (size > 0) eq = int256(Math.ceilDiv(uint256(entry) * q, absS));
        else eq = -int256((uint256(-entry) * q) / absS);
        realised = size > 0 ? nq - eq : -nq - eq;
        entry1 = entry - eq;
        size1 = size > 0 ? size - int256(q) : size + int256(q);
        if (absD > q) {
            // flip: the rest opens a position the other way at the rest of the notional
            size1 = d > 0 ? int256(absD - q) : -int256(absD - q);
            entry1 = d > 0 ? n - nq : -(n - nq);
        }
    }

    /// @notice Funding a position owes for an index move: size × Δindex, positive = it pays.
    /// Rounded up (toward +∞): a payer pays the atom of dust, a receiver forgoes it.
    function fundingOwed(int256 size, int256 indexNow, int256 snapshot) internal pure returns (int256) {
        int256 x = size * (indexNow - snapshot);
        int256 q = x / FUNDING_SCALE;
        if (x % FUNDING_SCALE != 0 && x > 0) q += 1;
        return q;
    }

    /// @notice Funding rate per hour in ppm: premium + clamp(interest − premium, ±clamp), capped.
    function rate(int256 premiumPpm, int256 interestPpm, int256 clampPpm, int256 capPpm)
        internal
        pure
        returns (int256 r)
    {
        int256 gap = interestPpm - premiumPpm;
        if (gap > clampPpm) gap = clampPpm;
        if (gap < -clampPpm) gap = -clampPpm;
        r = premiumPpm + gap;
        if (r > capPpm) r = capPpm;
        if (r < -capPpm) r = -capPpm;
    }

    /// @notice The smoothed premium `dt` seconds after it was `premium`, moving toward `target`
    /// (both 1e-10 of the index) by at most maxPremium / (2 × halfLife) per second: from the index to
    /// the clamp in two half-lives, half-way in one — what an EMA with that half-life does after a
    /// jump to the clamp, but exact in integers, path-independent (one update over `dt` or many
    /// over its parts land on the same value but for rounding) and cheaper. The step is rounded down:
    /// the premium never moves faster than the bound.
    function smooth(int256 premium, int256 target, uint256 dt, int256 maxPremiumPpm, uint256 halfLife)
        internal
        pure
        returns (int256)
    {
        int256 step = int256((uint256(maxPremiumPpm) * uint256(PREMIUM_SCALE / 1e6) * dt) / (2 * halfLife));
        if (premium < target) return premium + step < target ? premium + step : target;
        return premium - step > target ? premium - step : target;
    }
}

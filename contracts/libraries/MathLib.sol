// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title Fixed-point and ratio arithmetic whose name says which way it rounds
/// @notice Every product `x · y / d` the venue takes rounds one way, and the name says which:
/// `…Down` rounds toward zero, `…Up` away from it. Which one a caller picks follows one rule:
/// round in favour of the protocol (and of the accounts it owes), against whoever the result is
/// paid to or credited for.
///   - Down favours the payer: use it for what the protocol pays or credits (a seizure, a rebate,
///     a value an account holds, a discount, a move allowed).
///   - Up favours the receiver: use it for what the protocol charges or is owed (a fee, a debt,
///     a margin requirement, a write-off's cover).
/// The plain versions compute `x · y` in 256 bits and revert (Panic 0x11) where it overflows; the
/// `full…` versions carry the product in 512 bits (OpenZeppelin's `Math.mulDiv`) and revert only
/// where the quotient itself does not fit; the `…Unchecked` versions skip the overflow check, for
/// hot loops whose caller bounds every input (ATLAS: see AtlasMath's header), and wrap silently
/// otherwise. A zero divisor reverts (Panic 0x12) in every version.
library MathLib {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;

    /// @dev ⌈x / d⌉. Equivalent to `x / d + (x % d == 0 ? 0 : 1)`; reverts when d = 0.
    function divUp(uint256 x, uint256 d) internal pure returns (uint256 z) {
        z = x / d; // Panic 0x12 when d = 0
        // z · d ≤ x, and z < x whenever there is a remainder (then d ≥ 2): neither step overflows
        unchecked {
            if (z * d != x) ++z;
        }
    }

    /// @dev ⌊x · y / d⌋: favours whoever pays the result.
    function mulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y) / d;
    }

    /// @dev ⌈x · y / d⌉: favours whoever receives the result.
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return divUp(x * y, d);
    }

    /// @dev ⌊x · y / d⌋ without the overflow check: the caller guarantees x · y < 2^256.
    /// Favours whoever pays the result.
    function mulDivDownUnchecked(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            return (x * y) / d;
        }
    }

    /// @dev ⌈x · y / d⌉ without the overflow check: the caller guarantees x · y < 2^256.
    /// Favours whoever receives the result.
    function mulDivUpUnchecked(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            return divUp(x * y, d);
        }
    }

    /// @dev ⌊x · y / d⌋ with a 512-bit product (as `Math.mulDiv`; reverts on d = 0 or a result
    /// ≥ 2^256): favours whoever pays the result. When x · y fits 256 bits the plain quotient is exact
    /// and cheaper, so only an overflowing product takes `Math.mulDiv`.
    function fullMulDivDown(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            uint256 p = x * y;
            if (x == 0 || p / x == y) return p / d; // no overflow: the plain product is exact
        }
        return Math.mulDiv(x, y, d);
    }

    /// @dev ⌈x · y / d⌉ with a 512-bit product (as `Math.mulDiv(…, Ceil)`; reverts on d = 0 or a
    /// result ≥ 2^256): favours whoever receives the result. Same fast path as `fullMulDivDown`.
    function fullMulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        unchecked {
            uint256 p = x * y;
            if (x == 0 || p / x == y) return divUp(p, d); // no overflow: the plain product is exact
        }
        return Math.mulDiv(x, y, d, Math.Rounding.Ceil);
    }

    /// @dev ⌊x · y / 1e18⌋ (WAD product): favours whoever pays the result.
    function wMulDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivDown(x, y, WAD);
    }

    /// @dev ⌈x · y / 1e18⌉ (WAD product): favours whoever receives the result.
    function wMulUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, y, WAD);
    }

    /// @dev ⌊x · 1e18 / y⌋ (WAD quotient): favours whoever pays the result.
    function wDivDown(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivDown(x, WAD, y);
    }

    /// @dev ⌈x · 1e18 / y⌉ (WAD quotient): favours whoever receives the result.
    function wDivUp(uint256 x, uint256 y) internal pure returns (uint256) {
        return mulDivUp(x, WAD, y);
    }

    /// @dev ⌊x · bps / 10⁴⌋ (a share in basis points): favours whoever pays the result.
    function bpsDown(uint256 x, uint256 bps) internal pure returns (uint256) {
        return mulDivDown(x, bps, BPS);
    }

    /// @dev ⌈x · bps / 10⁴⌉ (a share in basis points): favours whoever receives the result.
    function bpsUp(uint256 x, uint256 bps) internal pure returns (uint256) {
        return mulDivUp(x, bps, BPS);
    }

    /// @dev ⌊a / d⌋ for a signed `a` and a positive `d`: toward −∞, so a negative value (a loss, a
    /// debt) rounds to the larger magnitude and a positive one to the smaller: against the holder
    /// for both signs. Solidity's `/` rounds toward zero; this moves an inexact negative quotient
    /// down by one. Reverts when d = 0; d must be below 2^255.
    function sDivFloor(int256 a, uint256 d) internal pure returns (int256 q) {
        unchecked {
            int256 sd = int256(d); // safe: callers pass d < 2^255 (documented above)
            q = a / sd; // Panic 0x12 when d = 0; d > 0, so type(int256).min / d cannot overflow
            if (a < 0 && q * sd != a) --q; // |q · d| ≤ |a|, and q > type(int256).min here
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib} from "./MathLib.sol";

/// @title Fee arithmetic in basis points; every rounding favours the protocol
library FeeMath {
    /// @notice ⌈amount · bps / 10⁴⌉: a charge, rounded up (the protocol's side).
    function ceilBps(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return MathLib.bpsUp(amount, bps);
    }

    /// @notice Taker fee on `notional`, rounded up in the protocol's favour.
    function takerFee(uint256 notional, uint256 bps) internal pure returns (uint256) {
        return MathLib.bpsUp(notional, bps);
    }

    /// @notice Maker fee (bps >= 0, rounded up) or rebate (bps < 0, rounded down): both round
    /// in the protocol's favour. A rebate never exceeds the taker fee on the same notional.
    function makerFee(uint256 notional, int256 bps) internal pure returns (uint256 fee, uint256 rebate) {
        if (bps >= 0) fee = MathLib.bpsUp(notional, uint256(bps));
        else rebate = MathLib.bpsDown(notional, uint256(-bps));
    }
}

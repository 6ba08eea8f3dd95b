// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Fee arithmetic in basis points; every rounding favours the protocol
library FeeMath {
    uint256 internal constant BPS = 10_000;

    /// @notice ceil(amount * bps / 10_000): a charge, rounded up (the protocol's side).
    function ceilBps(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps + (BPS - 1)) / BPS;
    }

    /// @notice Taker fee on `notional`, rounded up in the protocol's favour.
    function takerFee(uint256 notional, uint256 bps) internal pure returns (uint256) {
        return ceilBps(notional, bps);
    }

    /// @notice Maker fee (bps >= 0, rounded up) or rebate (bps < 0, rounded down): both round
    /// in the protocol's favour. A rebate never exceeds the taker fee on the same notional.
    function makerFee(uint256 notional, int256 bps) internal pure returns (uint256 fee, uint256 rebate) {
        if (bps >= 0) fee = ceilBps(notional, uint256(bps));
        else rebate = (notional * uint256(-bps)) / BPS;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {LiquidationLib} from "../perp/LiquidationLib.sol";

/// @notice Test only: LiquidationLib's functions as external calls (test/unit/perp.liquidation-lib.test.ts).
contract LiquidationLibMock {
    function closeAtMark(int256 size, uint256 markLotWad) external pure returns (uint256) {
        return LiquidationLib.closeAtMark(size, markLotWad);
    }

    function discounted(int256 size, uint256 markLotWad, uint256 discountBps) external pure returns (uint256) {
        return LiquidationLib.discounted(size, markLotWad, discountBps);
    }

    function hedgeCapBps(uint256 basisBps, uint256 capShareBps) external pure returns (uint256) {
        return LiquidationLib.hedgeCapBps(basisBps, capShareBps);
    }

    function spotLegQuote(bool longPerp, uint256 indexValueWad, uint256 discountBps) external pure returns (uint256) {
        return LiquidationLib.spotLegQuote(longPerp, indexValueWad, discountBps);
    }

    function bufferValue(int256 equity, uint256 bufferBps) external pure returns (int256) {
        return LiquidationLib.bufferValue(equity, bufferBps);
    }

    function valueAt(int256 size, int256 entry, int256 cash, int256 owed, uint256 priceAtoms)
        external
        pure
        returns (int256)
    {
        return LiquidationLib.valueAt(size, entry, cash, owed, priceAtoms);
    }

    function valueAtMark(int256 size, int256 entry, int256 cash, int256 owed, uint256 markLotWad)
        external
        pure
        returns (int256)
    {
        return LiquidationLib.valueAtMark(size, entry, cash, owed, markLotWad);
    }
}

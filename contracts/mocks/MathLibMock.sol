// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MathLib} from "../libraries/MathLib.sol";
import {FeeMath} from "../libraries/FeeMath.sol";
import {AtlasMath} from "../libraries/AtlasMath.sol";

/// @notice Test only: MathLib's and FeeMath's functions as external calls (test/unit/math.lib.test.ts),
/// and AtlasMath's unchecked entry access beside the checked one.
contract MathLibMock {
    function divUp(uint256 x, uint256 d) external pure returns (uint256) {
        return MathLib.divUp(x, d);
    }

    function mulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivDown(x, y, d);
    }

    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivUp(x, y, d);
    }

    function mulDivDownUnchecked(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivDownUnchecked(x, y, d);
    }

    function mulDivUpUnchecked(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivUpUnchecked(x, y, d);
    }

    function fullMulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.fullMulDivDown(x, y, d);
    }

    function fullMulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.fullMulDivUp(x, y, d);
    }

    function wMulDown(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wMulDown(x, y);
    }

    function wMulUp(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wMulUp(x, y);
    }

    function wDivDown(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wDivDown(x, y);
    }

    function wDivUp(uint256 x, uint256 y) external pure returns (uint256) {
        return MathLib.wDivUp(x, y);
    }

    function bpsDown(uint256 x, uint256 bps) external pure returns (uint256) {
        return MathLib.bpsDown(x, bps);
    }

    function bpsUp(uint256 x, uint256 bps) external pure returns (uint256) {
        return MathLib.bpsUp(x, bps);
    }

    function sDivFloor(int256 a, uint256 d) external pure returns (int256) {
        return MathLib.sDivFloor(a, d);
    }

    function atlasDivUp(uint256 x, uint256 d) external pure returns (uint256) {
        return AtlasMath.divUp(x, d);
    }

    function ceilBps(uint256 amount, uint256 bps) external pure returns (uint256) {
        return FeeMath.ceilBps(amount, bps);
    }

    function takerFee(uint256 notional, uint256 bps) external pure returns (uint256) {
        return FeeMath.takerFee(notional, bps);
    }

    function makerFee(uint256 notional, int256 bps) external pure returns (uint256 fee, uint256 rebate) {
        return FeeMath.makerFee(notional, bps);
    }

    /// @notice AtlasMath's two entry walks (assembly `t = e[i]` in `_pass` and `risk`) against plain
    /// indexing: after `risk`, every entry e[i] carries the fields `_pass` wrote through its walk
    /// (xAtoms = adjusted(e[i]), the initial price), and risk's maintenance and initial sums equal
    /// the sums of `values` (whose final loop indexes e[i] plainly).
    function walksAgree(uint256[] calldata idleAtoms, uint256[] calldata pricesWad) external pure returns (bool) {
        uint256 n = idleAtoms.length;
        AtlasMath.Entry[] memory e = _entries(idleAtoms, pricesWad);
        (, int256 maint, int256 init) = AtlasMath.risk(e, new AtlasMath.Book[](0), 15_000, 7);
        for (uint256 i; i < n; ++i) {
            AtlasMath.Entry memory c = _entries(idleAtoms, pricesWad)[i];
            if (e[i].xAtoms != AtlasMath.adjusted(c) || e[i].initPriceWad != pricesWad[i]) return false;
        }
        int256[] memory vm = AtlasMath.values(_entries(idleAtoms, pricesWad), new AtlasMath.Book[](0), 10_000, false);
        int256[] memory vi = AtlasMath.values(_entries(idleAtoms, pricesWad), new AtlasMath.Book[](0), 15_000, true);
        int256 sm;
        int256 si;
        for (uint256 i; i < n; ++i) (sm, si) = (sm + vm[i], si + vi[i]);
        return sm == maint && si == init;
    }

    function _entries(uint256[] calldata idleAtoms, uint256[] calldata pricesWad)
        private
        pure
        returns (AtlasMath.Entry[] memory e)
    {
        e = new AtlasMath.Entry[](idleAtoms.length);
        for (uint256 i; i < e.length; ++i) {
            e[i].unit = 1e6 * (i + 1);
            e[i].shockBps = 1000 + 100 * i;
            e[i].slippageBps = 50 + 10 * i;
            e[i].idleAtoms = idleAtoms[i];
            e[i].priceWad = pricesWad[i];
            e[i].stableWad = pricesWad[i];
        }
    }
}

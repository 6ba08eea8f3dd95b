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

    /// @notice For each i < n: AtlasMath.at(e, i) is the entry e[i] itself (a write through one is
    /// seen through the other), and the tokens read through both agree.
    function atAliases(address[] calldata tokens) external pure returns (bool) {
        AtlasMath.Entry[] memory e = new AtlasMath.Entry[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) e[i].token = tokens[i];
        for (uint256 i; i < tokens.length; ++i) {
            AtlasMath.Entry memory t = AtlasMath.at(e, i);
            if (t.token != e[i].token) return false;
            t.shockBps = i + 7; // written through `at`, read through e[i]
            if (e[i].shockBps != i + 7) return false;
        }
        return true;
    }
}

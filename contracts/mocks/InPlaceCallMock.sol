// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {MemoryLib} from "../libraries/MemoryLib.sol";
import {StaticCallLib} from "../libraries/StaticCallLib.sol";
import {PriceWordLib} from "../types/PriceWord.sol";

/// @notice Test only: `StaticCallLib.staticcallInPlace` (both forms) and MemoryLib's in-place
/// readers against the ABI decoder (test/unit/inplace.lib.test.ts). The target is this contract's
/// own `answer`, shaped like `Clearinghouse.riskInputsOf`.
contract InPlaceCallMock {
    /// @notice `answer` reverts with this when `a` is zero (to check the revert is bubbled as is).
    error Refused(uint256 b);

    /// @notice A `riskInputsOf`-shaped answer built from two words: `a`, `b`, `b % 5` words `a + i`
    /// and `a % 4` addresses.
    function answer(uint256 a, uint256 b)
        external
        pure
        returns (uint256, uint256, uint256[] memory w, address[] memory m)
    {
        require(a != 0, Refused(b));
        w = new uint256[](b % 5);
        for (uint256 i; i < w.length; ++i) w[i] = a + i;
        m = new address[](a % 4);
        for (uint256 i; i < m.length; ++i) m[i] = address(uint160(a + 7 * i));
        return (a, b, w, m);
    }

    /// @notice `answer(a, b)` read in place, through the selector form.
    function viaSelector(uint256 a, uint256 b)
        external
        view
        returns (uint256 x, uint256 y, uint256[] memory w, address[] memory m)
    {
        uint256 p = StaticCallLib.staticcallInPlace(address(this), this.answer.selector, a, b);
        x = MemoryLib.wordAt(p, 0);
        y = MemoryLib.wordAt(p, 1);
        w = MemoryLib.uintArrayAt(p + MemoryLib.wordAt(p, 2));
        m = MemoryLib.addressArrayAt(p + MemoryLib.wordAt(p, 3));
    }

    /// @notice `answer(a, b)` read in place, through the bytes form, and what the decoder reads from
    /// the same call; the memory allocated after is written to check the answer was allocated.
    function viaBytes(uint256 a, uint256 b)
        external
        view
        returns (uint256 x, uint256 y, uint256[] memory w, address[] memory m, bool sameAsDecoded)
    {
        uint256 p = StaticCallLib.staticcallInPlace(address(this), abi.encodeCall(this.answer, (a, b)));
        uint256[] memory after_ = new uint256[](8);
        for (uint256 i; i < after_.length; ++i) after_[i] = type(uint256).max;
        x = MemoryLib.wordAt(p, 0);
        y = MemoryLib.wordAt(p, 1);
        w = MemoryLib.uintArrayAt(p + MemoryLib.wordAt(p, 2));
        m = MemoryLib.addressArrayAt(p + MemoryLib.wordAt(p, 3));
        (uint256 dx, uint256 dy, uint256[] memory dw, address[] memory dm) = this.answer(a, b);
        sameAsDecoded = keccak256(abi.encode(x, y, w, m)) == keccak256(abi.encode(dx, dy, dw, dm));
    }

    /// @notice `MemoryLib.unsafeTriple(xs, i)` (the caller keeps i + 2 < xs.length).
    function triple(uint256[] calldata xs, uint256 i) external pure returns (uint256, uint256, uint256) {
        uint256[] memory a = xs;
        return MemoryLib.unsafeTriple(a, i);
    }

    /// @notice A stand-in oracle for `EntryArrayLib.tryPrices`: one word per token (its address
    /// times three, the ok bit set for odd addresses); reverts `Refused` on the zero address.
    function tryPrices(address[] calldata assets) external pure returns (uint256[] memory words) {
        words = new uint256[](assets.length);
        for (uint256 i; i < assets.length; ++i) {
            uint256 t = uint160(assets[i]);
            require(t != 0, Refused(i));
            words[i] = 3 * t | (t % 2 == 1 ? PriceWordLib.OK_BIT : 0);
        }
    }
}

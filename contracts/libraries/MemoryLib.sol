// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Returning an array as it was built, without the ABI encoder's copy
/// @notice For the view ATLAS calls on every valuation (`OracleRouter.tryPrices`): the return data
/// is laid out in memory as the array is filled, then returned in place (measured: ≈ 700 gas per
/// asset valued). `returnUintArray` ends the call: nothing after it runs. `wordAt` and
/// `freePointer` read memory where `EntryArrayLib` leaves the oracle's answer (its layout probe).
library MemoryLib {
    /// @dev Reserves `words` words at the free memory pointer, uncleared, and returns where they start:
    /// an array allocated right after it lands at `start + 32 * words`.
    /// Equivalent to: `start = <free memory pointer>; <free memory pointer> += 32 * words;`, which is
    /// what `new uint256[](words - 1)` does before it writes the length and zeroes the words.
    function reserve(uint256 words) internal pure returns (uint256 start) {
        assembly ("memory-safe") {
            start := mload(0x40)
            mstore(0x40, add(start, shl(5, words)))
        }
    }

    /// @dev `a[i] = v` without the bounds check: the caller guarantees i < a.length.
    /// Equivalent to: `a[i] = v;`
    function unsafeSet(uint256[] memory a, uint256 i, uint256 v) internal pure {
        assembly ("memory-safe") {
            mstore(add(a, shl(5, add(i, 1))), v)
        }
    }

    /// @dev Ends the call returning `words` as the one `uint256[]` return value, from one word
    /// reserved at `head` (`reserve(1)`) right before `words` was allocated; `words` is moved to
    /// `head + 32` first if it is not there.
    /// Equivalent to: `return words;` in an external function declared `returns (uint256[] memory)`.
    function returnUintArray(uint256 head, uint256[] memory words) internal pure {
        assembly ("memory-safe") {
            let w := add(head, 0x20)
            let size := shl(5, add(mload(words), 1))
            if iszero(eq(words, w)) { mcopy(w, words, size) }
            mstore(head, 0x20)
            return(head, add(size, 0x20))
        }
    }

    // ---------------------------------------------------------------- reading in place

    /// @dev Word `i` of the memory starting at `p` (return data copied there, as `EntryArrayLib.tryPrices`
    /// leaves it, or an array's body).
    /// Equivalent to: `abi.decode(ret, (uint256[K]))[i]` for the bytes `ret` copied at `p`, without
    /// decoding or bounds checks: the caller knows the answer's shape.
    function wordAt(uint256 p, uint256 i) internal pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := mload(add(p, shl(5, i)))
        }
    }

    /// @dev The free memory pointer. Equivalent to: where the next `new`/struct allocation starts.
    function freePointer() internal pure returns (uint256 p) {
        assembly ("memory-safe") {
            p := mload(0x40)
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Returning arrays as they were built, without the ABI encoder's copy
/// @notice For the two views ATLAS calls on every valuation (`Clearinghouse.riskInputsOf`,
/// `OracleRouter.tryPrices`): the return data is laid out in memory as the arrays are filled, then
/// returned in place (measured: ≈ 700 gas per asset valued, 1.5–4k per margin-checked action).
/// Each function ends the call: nothing after it runs.
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

    /// @dev Ends the call returning `(a, b, words, markets)`, from four words reserved at `head`
    /// (`reserve(4)`) right before `words` was allocated, and `markets` after it; each array is moved
    /// into place first if it is not there (an empty `markets` may be the zero-length array at 0x60).
    /// Equivalent to: `return (a, b, words, markets);` in an external function declared
    /// `returns (uint256, uint256, uint256[] memory, address[] memory)`.
    function returnWordsAndArrays(uint256 head, uint256 a, uint256 b, uint256[] memory words, address[] memory markets)
        internal
        pure
    {
        assembly ("memory-safe") {
            let w := add(head, 0x80)
            let size := shl(5, add(mload(words), 1))
            if iszero(eq(words, w)) { mcopy(w, words, size) }
            let mk := add(w, size)
            mstore(head, a)
            mstore(add(head, 0x20), b)
            mstore(add(head, 0x40), 0x80)
            mstore(add(head, 0x60), sub(mk, head))
            size := shl(5, add(mload(markets), 1))
            if iszero(eq(markets, mk)) { mcopy(mk, markets, size) }
            return(head, add(sub(mk, head), size))
        }
    }

    // ---------------------------------------------------------------- reading in place

    /// @dev Word `i` of the memory starting at `p` (return data copied there, or an array's body).
    /// Equivalent to: `abi.decode(ret, (uint256[K]))[i]` for the bytes `ret` copied at `p`, without
    /// decoding or bounds checks: the caller knows the answer's shape.
    function wordAt(uint256 p, uint256 i) internal pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := mload(add(p, shl(5, i)))
        }
    }

    /// @dev `(a[i], a[i + 1], a[i + 2])` without the bounds checks: the caller guarantees
    /// i + 2 < a.length.
    /// Equivalent to: `(x, y, z) = (a[i], a[i + 1], a[i + 2]);`
    function unsafeTriple(uint256[] memory a, uint256 i) internal pure returns (uint256 x, uint256 y, uint256 z) {
        assembly ("memory-safe") {
            let q := add(a, shl(5, add(i, 1)))
            x := mload(q)
            y := mload(add(q, 0x20))
            z := mload(add(q, 0x40))
        }
    }

    /// @dev The `uint256[]` whose length word is at memory address `p` (an array inside return data
    /// copied in place), without copying it.
    /// Equivalent to: the array `abi.decode` would return for it, copied.
    function uintArrayAt(uint256 p) internal pure returns (uint256[] memory a) {
        assembly ("memory-safe") {
            a := p
        }
    }

    /// @dev The `address[]` whose length word is at memory address `p`, as `uintArrayAt`. Its words
    /// are used as they are: the caller reads return data of one of the protocol's own contracts,
    /// whose encoder wrote clean addresses.
    /// Equivalent to: the array `abi.decode` would return for it, copied.
    function addressArrayAt(uint256 p) internal pure returns (address[] memory a) {
        assembly ("memory-safe") {
            a := p
        }
    }

    /// @dev The free memory pointer. Equivalent to: where the next `new`/struct allocation starts.
    function freePointer() internal pure returns (uint256 p) {
        assembly ("memory-safe") {
            p := mload(0x40)
        }
    }
}

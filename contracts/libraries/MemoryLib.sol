// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title MemoryLib: unchecked memory reads and writes for the layout probe
/// @notice `EntryArrayLib` relies on the compiler's memory layout of ATLAS's entries; its test probe
/// (`AtlasLayoutProbe`) dirties memory and reads allocations back with these, each checked against
/// plain Solidity in test/unit/memory.lib.test.ts.
library MemoryLib {
    /// @dev `a[i] = v` without the bounds check: the caller guarantees i < a.length.
    /// Equivalent to: `a[i] = v;`
    function unsafeSet(uint256[] memory a, uint256 i, uint256 v) internal pure {
        assembly ("memory-safe") {
            mstore(add(a, shl(5, add(i, 1))), v)
        }
    }

    // ---------------------------------------------------------------- reading in place

    /// @dev Word `i` of the memory starting at `p` (an array's body).
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

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AtlasMath} from "./AtlasMath.sol";

/// @title EntryArrayLib: ATLAS's entry arrays built in place
/// @notice What `RiskLib` needs to gather an account's entries without the allocations and
/// copies plain Solidity makes: room for entries without building them, a zeroed entry with one
/// calldatacopy, an entry's token read without a bounds check and lengths cut in place (a function
/// returning `Entry memory` would allocate and zero a 28-word struct first: +2.2k an asset,
/// docs/GAS.md). Relies on the compiler's layout of
/// `AtlasMath.Entry` (`ENTRY_BYTES` long, `token` first), which test/unit/atlas.layout.test.ts checks.
library EntryArrayLib {
    /// @dev Room for `cap` entries without building them: the pointer words are not written (slots
    /// at and past the count in use are never read; the caller cuts the length to that count).
    /// Equivalent to: `e = new AtlasMath.Entry[](cap);` without allocating and zeroing every struct
    /// (~670 gas each, spares included).
    function alloc(uint256 cap) internal pure returns (AtlasMath.Entry[] memory e) {
        assembly ("memory-safe") {
            e := mload(0x40)
            mstore(e, cap)
            mstore(0x40, add(e, shl(5, add(cap, 1))))
        }
    }

    /// @dev Points `e[n]` (n < e.length) at a fresh zero entry, its memory zeroed with one
    /// calldatacopy from past the calldata's end.
    /// Equivalent to: `AtlasMath.Entry memory x; e[n] = x;` without the bounds check and the
    /// field-by-field zeroing.
    function setZeroed(AtlasMath.Entry[] memory e, uint256 n) internal pure {
        uint256 size = AtlasMath.ENTRY_BYTES;
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, calldatasize(), size)
            mstore(0x40, add(p, size))
            mstore(add(add(e, 0x20), shl(5, n)), p)
        }
    }

    /// @dev `e[i].token` without the bounds check: the caller guarantees i < e.length (`token` is
    /// the first field: the word at the entry's address).
    /// Equivalent to: `t = e[i].token;`
    function unsafeTokenAt(AtlasMath.Entry[] memory e, uint256 i) internal pure returns (address t) {
        assembly ("memory-safe") {
            t := mload(mload(add(e, shl(5, add(i, 1)))))
        }
    }

    /// @dev Shortens `e` in place to its first `n` entries (n ≤ e.length).
    /// Equivalent to (with a copy, which this avoids): a new array of the first `n` entries, as
    /// `ArrayLib.truncate`.
    function truncate(AtlasMath.Entry[] memory e, uint256 n) internal pure {
        assembly ("memory-safe") {
            mstore(e, n)
        }
    }

    /// @dev Shortens `b` in place to its first `n` books (n ≤ b.length), as above.
    function truncate(AtlasMath.Book[] memory b, uint256 n) internal pure {
        assembly ("memory-safe") {
            mstore(b, n)
        }
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AtlasMath} from "./AtlasMath.sol";
import {PriceWord} from "../types/PriceWord.sol";

/// @title EntryArrayLib: ATLAS's entry arrays built in place
/// @notice What `RiskLib` needs to gather an account's entries without the allocations and
/// copies plain Solidity makes: room for entries without building them, a zeroed entry with one
/// calldatacopy, an entry's token read without a bounds check, lengths cut in place, the oracle's
/// `tryPrices` called with calldata written straight from the entries, and prices written into the
/// entries through one pointer (a function returning `Entry memory` would allocate and zero a
/// 28-word struct first: +2.2k an asset, docs/GAS.md). Relies on the compiler's layout of
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

    /// @dev Staticcalls `oracle`'s `tryPrices` (selector `sel`) with the tokens of the first `n`
    /// entries (n ≤ e.length), bubbles a revert, else copies the answer over the calldata (free
    /// memory, then allocated) and returns the address of its first price word (one word per token,
    /// in order). `oracle` is one of the protocol's own contracts: its answer is used in place.
    /// Equivalent to:
    ///   address[] memory tokens = new address[](n);
    ///   for (uint256 i; i < n; ++i) tokens[i] = e[i].token;
    ///   uint256[] memory words = IPriceOracle(oracle).tryPrices(tokens);
    ///   px = <memory address of words[0]>;
    function tryPrices(address oracle, bytes4 sel, AtlasMath.Entry[] memory e, uint256 n)
        internal
        view
        returns (uint256 px)
    {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, sel)
            mstore(add(p, 4), 0x20)
            mstore(add(p, 0x24), n)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                // `token` is the entry's first field; i < n <= e.length
                mstore(add(p, add(0x44, shl(5, i))), mload(mload(add(e, shl(5, add(i, 1))))))
            }
            if iszero(staticcall(gas(), oracle, p, add(0x44, shl(5, n)), 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
            let size := returndatasize()
            returndatacopy(p, 0, size)
            mstore(0x40, add(p, and(add(size, 31), not(31))))
            px := add(add(p, mload(p)), 0x20)
        }
    }

    /// @dev Writes the prices of entries `i` to `n − 1` (i ≤ n ≤ e.length) from the price words at
    /// `px` (one per entry, `PriceWord` layout), stopping at the first entry whose word is not ok:
    /// returns its index, or `n` when every entry from `i` on was priced.
    /// Equivalent to:
    ///   for (; i < n; ++i) {
    ///       PriceWord w = PriceWord.wrap(<word i at px>);
    ///       if (!w.ok()) return i;
    ///       (e[i].priceWad, e[i].stableWad) = (w.priceWad(), w.stableWad());
    ///   }
    ///   return n;
    function applyPrices(AtlasMath.Entry[] memory e, uint256 px, uint256 i, uint256 n) internal pure returns (uint256) {
        if (i >= n) return n;
        AtlasMath.Entry memory x = e[i]; // points at each entry in turn (no allocation)
        for (; i < n; ++i) {
            PriceWord w;
            assembly ("memory-safe") {
                x := mload(add(e, shl(5, add(i, 1)))) // i < n <= e.length
                w := mload(add(px, shl(5, i))) // the oracle answers one word per token
            }
            if (!w.ok()) return i;
            x.priceWad = w.priceWad();
            x.stableWad = w.stableWad();
        }
        return n;
    }
}
